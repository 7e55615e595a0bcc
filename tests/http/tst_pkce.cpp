// PKCE (RFC 7636) and public clients against a live server: full code flows with S256 and plain, the verifier
// errors at the token endpoint (wrong, missing = downgrade, sent without a challenge), the challenge errors at
// /oauth/authorize (redirected, state echoed), require_pkce, and public clients ("none": client_id alone, no refresh
// token unless opted in). Exact status, Location, JSON bytes, headers and store signals.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "model/IssuedToken.h"
#include "store/CodeStore.h"
#include "store/TokenStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include <optional>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

// RFC 7636 Appendix B.
const QString kVerifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
const QString kS256Challenge = QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
// Another well-formed verifier (43 characters), for "wrong verifier" rows.
const QString kOtherVerifier = QStringLiteral("Zm9vYmFyYmF6cXV4cXV1eHF1dXpjb3JnZWdyYXVsdDE");

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kSeedSecret = QStringLiteral("secret");
const QByteArray kBasicChallenge = QByteArrayLiteral("Basic realm=\"oauth2/client\"");
const QByteArray kFormChallenge = QByteArrayLiteral(
    "Form realm=\"oauth2/client\", error=\"invalid_client\", error_description=\"Bad client credentials\"");

QString encodedText(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

Client makeClient(const QString &id, const QString &secret)
{
    Client c;
    c.id = id;
    c.secret = secret;
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
    c.autoApprove.mode = AutoApprove::Mode::All;
    return c;
}

// The seed's world (messaging-client asks for approval) plus a confidential client that requires PKCE, an
// autoapproving confidential one, and public clients without and with refresh tokens. All have the refresh_token
// grant.
ServerSettings pkceSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client required = makeClient(QStringLiteral("pkce-client"), QStringLiteral("pkce-secret"));
    required.requirePkce = true;
    Client spa = makeClient(QStringLiteral("spa"), QString());
    spa.authMethod = ClientAuthMethod::None;
    Client spaRefresh = makeClient(QStringLiteral("spa-refresh"), QString());
    spaRefresh.authMethod = ClientAuthMethod::None;
    spaRefresh.allowRefreshForPublicClient = true;
    s.clients << required << makeClient(QStringLiteral("auto-client"), QStringLiteral("auto-secret")) << spa
              << spaRefresh;
    return s;
}

// response_type=code&client_id=<client>&redirect_uri=http://localhost, then `extra` ("&code_challenge=...").
QString authorizeQuery(const QString &clientId, const QString &extra)
{
    return QStringLiteral("response_type=code&client_id=") + encodedText(clientId) +
           QStringLiteral("&redirect_uri=http%3A%2F%2Flocalhost") + extra;
}

// "&code_challenge=<challenge>[&code_challenge_method=<method>]"
QString challengeParams(const QString &challenge, const std::optional<QString> &method)
{
    QString out = QStringLiteral("&code_challenge=") + encodedText(challenge);
    if (method)
        out += QStringLiteral("&code_challenge_method=") + encodedText(*method);
    return out;
}

// Steps 1–6 for `query` (approving read and write when asked), asserting every step: *code is the new code.
void obtainCode(HttpTestClient &http, const QString &query, QString *code)
{
    BrowserFlow flow(http, query);
    CHECKED(flow.obtainCode());
    *code = flow.code();
}

// Steps 1–4 for `query`: the answer to the logged-in GET /oauth/authorize.
void authorizeLoggedIn(HttpTestClient &http, const QString &query, TestResponse *answer)
{
    BrowserFlow flow(http, query);
    CHECKED(flow.signIn());
    *answer = flow.authorize();
}

// POST /oauth/token grant_type=authorization_code with the code, redirect_uri and, when given, code_verifier, in
// the body. `auth` is sent as it is: HTTP Basic headers, or nothing for body-only clients.
TestResponse exchange(HttpTestClient &http, const QString &code, const std::optional<QString> &verifier,
                      const HttpTestClient::Headers &auth = HttpTestClient::basic(kSeedClient, kSeedSecret),
                      const QByteArray &extraBody = {})
{
    QByteArray body =
        "grant_type=authorization_code&code=" + QUrl::toPercentEncoding(code) + "&redirect_uri=http%3A%2F%2Flocalhost";
    if (verifier)
        body += "&code_verifier=" + QUrl::toPercentEncoding(*verifier);
    return http.postForm(QStringLiteral("/oauth/token"), body + extraBody, auth);
}

AuthorizationCode codeAt(const QSignalSpy &spy, int i)
{
    return qvariant_cast<AuthorizationCode>(spy.at(i).at(0));
}

QString describe(const std::optional<CodeChallenge> &c)
{
    if (!c)
        return QStringLiteral("none");
    return (c->method == CodeChallengeMethod::S256 ? QStringLiteral("S256:") : QStringLiteral("plain:")) + c->value;
}

QByteArray invalidCode(const QString &code)
{
    return jsonError("invalid_grant", QStringLiteral("Invalid authorization code: ") + code);
}

} // namespace

class TstPkce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullFlow_data();
    void fullFlow();
    void verifierErrors_data();
    void verifierErrors();
    void authorizeErrors_data();
    void authorizeErrors();
    void redirectValidationComesFirst();
    void requirePkceClient();
    void publicClient_data();
    void publicClient();
    void publicClientWithRefreshOptIn();
    void publicClientErrors_data();
    void publicClientErrors();
};

void TstPkce::fullFlow_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("params");   // PKCE parameters of the authorize request
    QTest::addColumn<QString>("stored");   // describe() of the challenge kept with the code
    QTest::addColumn<QString>("verifier"); // sent at the token endpoint

    const QString seed = kSeedClient;
    const QString autoClient = QStringLiteral("auto-client");
    const QString autoSecret = QStringLiteral("auto-secret");
    // The seed client asks for approval, so the challenge must survive the approval form (session).
    QTest::newRow("S256, approval page") << seed << kSeedSecret
                                         << challengeParams(kS256Challenge, QStringLiteral("S256"))
                                         << QStringLiteral("S256:") + kS256Challenge << kVerifier;
    QTest::newRow("S256, autoapproved") << autoClient << autoSecret
                                        << challengeParams(kS256Challenge, QStringLiteral("S256"))
                                        << QStringLiteral("S256:") + kS256Challenge << kVerifier;
    QTest::newRow("plain, approval page") << seed << kSeedSecret << challengeParams(kVerifier, QStringLiteral("plain"))
                                          << QStringLiteral("plain:") + kVerifier << kVerifier;
    // RFC 7636 §4.3: no method means plain.
    QTest::newRow("plain by default, autoapproved")
        << autoClient << autoSecret << challengeParams(kVerifier, std::nullopt) << QStringLiteral("plain:") + kVerifier
        << kVerifier;
    QTest::newRow("S256, 128-character verifier")
        << autoClient << autoSecret
        << challengeParams(QStringLiteral("aDbPE7rEAOkQUHHNavRwhN-srU5eMCyUv-0k4BOvtz4"), QStringLiteral("S256"))
        << QStringLiteral("S256:aDbPE7rEAOkQUHHNavRwhN-srU5eMCyUv-0k4BOvtz4") << QString(128, QLatin1Char('a'));
}

void TstPkce::fullFlow()
{
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(QString, params);
    QFETCH(QString, stored);
    QFETCH(QString, verifier);

    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    QSignalSpy codeIssued(&server->codes(), &CodeStore::codeIssued);
    QString code;
    CHECKED(obtainCode(http, authorizeQuery(clientId, params), &code));
    QCOMPARE(codeIssued.size(), 1);
    QCOMPARE(codeAt(codeIssued, 0).code, code);
    QCOMPARE(describe(codeAt(codeIssued, 0).codeChallenge), stored);

    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy records(&server.server(), &OAuthServer::exchangeFinished);
    Tokens t;
    CHECKED(expectToken(exchange(http, code, verifier, HttpTestClient::basic(clientId, secret)), &t, 43199,
                        QStringLiteral("read write")));
    QCOMPARE(consumed.size(), 1);
    QCOMPARE(issued.size(), 2);
    QCOMPARE(tokenAt(issued, 0).clientId, clientId);
    // The verifier is a secret: the request log shows it masked.
    const ExchangeRecord record = lastRecord(records);
    QVERIFY2(!record.requestBody.contains(QUrl::toPercentEncoding(verifier)), record.requestBody.constData());
    QVERIFY2(record.requestBody.contains("code_verifier=******"), record.requestBody.constData());
}

void TstPkce::verifierErrors_data()
{
    QTest::addColumn<QString>("params");                  // PKCE parameters of the authorize request
    QTest::addColumn<std::optional<QString>>("verifier"); // nullopt: no code_verifier parameter
    QTest::addColumn<QByteArray>("expected");

    const QByteArray invalid = jsonError("invalid_grant", QStringLiteral("Invalid code verifier"));
    const QByteArray missing = jsonError("invalid_grant", QStringLiteral("code_verifier missing"));
    const QString s256 = challengeParams(kS256Challenge, QStringLiteral("S256"));
    const QString plain = challengeParams(kVerifier, QStringLiteral("plain"));
    using V = std::optional<QString>;

    QTest::newRow("S256, wrong verifier") << s256 << V(kOtherVerifier) << invalid;
    QTest::newRow("S256, the challenge as verifier") << s256 << V(kS256Challenge) << invalid;
    QTest::newRow("S256, verifier too short") << s256 << V(kVerifier.left(42)) << invalid;
    QTest::newRow("plain, wrong verifier") << plain << V(kOtherVerifier) << invalid;
    QTest::newRow("plain, the S256 challenge as verifier") << plain << V(kS256Challenge) << invalid;
    // The PKCE downgrade: a challenge at authorize, no verifier at the token endpoint (RFC 9700 §2.1.1).
    QTest::newRow("S256, verifier missing (downgrade)") << s256 << V() << missing;
    QTest::newRow("plain, verifier missing (downgrade)") << plain << V() << missing;
    QTest::newRow("S256, empty verifier") << s256 << V(QStringLiteral("")) << missing;
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is rejected.
    QTest::newRow("verifier without challenge")
        << QString() << V(kVerifier)
        << jsonError("invalid_grant",
                     QStringLiteral("Unexpected code_verifier: the authorization request had no code_challenge"));
}

void TstPkce::verifierErrors()
{
    QFETCH(QString, params);
    QFETCH(std::optional<QString>, verifier);
    QFETCH(QByteArray, expected);

    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, authorizeQuery(kSeedClient, params), &code));
    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);
    QSignalSpy replayed(&server->codes(), &CodeStore::codeReplayed);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    CHECKED(expectJsonError(exchange(http, code, verifier), 400, expected));
    // The code is consumed before the verifier is checked: the right verifier is too late now.
    QCOMPARE(consumed.size(), 1);
    const std::optional<QString> right = params.isEmpty() ? std::nullopt : std::optional<QString>(kVerifier);
    CHECKED(expectJsonError(exchange(http, code, right), 400, invalidCode(code)));
    QCOMPARE(replayed.size(), 1);
    QCOMPARE(issued.size(), 0);
}

void TstPkce::authorizeErrors_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("params");
    QTest::addColumn<QByteArray>("location");

    const QByteArray badMethod =
        "http://localhost?error=invalid_request&error_description=Invalid%20code%20challenge%20"
        "method";
    const QByteArray badChallenge = "http://localhost?error=invalid_request&error_description=Invalid%20code%20"
                                    "challenge";
    const QByteArray required = "http://localhost?error=invalid_request&error_description=PKCE%20is%20required%20for%20"
                                "this%20client%20(code_challenge%20missing)";

    QTest::newRow("unknown method") << kSeedClient << challengeParams(kS256Challenge, QStringLiteral("S512"))
                                    << badMethod;
    QTest::newRow("unknown method, state echoed")
        << kSeedClient << challengeParams(kS256Challenge, QStringLiteral("S512")) + QStringLiteral("&state=a%20b%26c")
        << badMethod + "&state=a%20b%26c";
    QTest::newRow("method is case-sensitive")
        << kSeedClient << challengeParams(kS256Challenge, QStringLiteral("s256")) << badMethod;
    QTest::newRow("challenge of 42 characters")
        << kSeedClient << challengeParams(kS256Challenge.left(42), QStringLiteral("S256")) << badChallenge;
    QTest::newRow("challenge of 129 characters, state echoed")
        << kSeedClient
        << challengeParams(QString(129, QLatin1Char('x')), QStringLiteral("plain")) + QStringLiteral("&state=xyz")
        << badChallenge + "&state=xyz";
    QTest::newRow("challenge with '+' (base64, not base64url)")
        << kSeedClient
        << challengeParams(QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"), QStringLiteral("S256"))
        << badChallenge;
    QTest::newRow("padded challenge") << kSeedClient
                                      << challengeParams(kS256Challenge + QLatin1Char('='), QStringLiteral("S256"))
                                      << badChallenge;
    QTest::newRow("require_pkce client without challenge") << QStringLiteral("pkce-client") << QString() << required;
    QTest::newRow("require_pkce client, empty challenge")
        << QStringLiteral("pkce-client") << QStringLiteral("&code_challenge=") << required;
    QTest::newRow("require_pkce client, method only, state echoed")
        << QStringLiteral("pkce-client") << QStringLiteral("&code_challenge_method=S256&state=s1")
        << required + "&state=s1";
    QTest::newRow("public client without challenge") << QStringLiteral("spa") << QString() << required;
}

void TstPkce::authorizeErrors()
{
    QFETCH(QString, clientId);
    QFETCH(QString, params);
    QFETCH(QByteArray, location);

    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    QSignalSpy codeIssued(&server->codes(), &CodeStore::codeIssued);
    QSignalSpy records(&server.server(), &OAuthServer::exchangeFinished);

    TestResponse r;
    CHECKED(authorizeLoggedIn(http, authorizeQuery(clientId, params), &r));
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("Location"), location);
    QVERIFY(r.body.isEmpty());
    QCOMPARE(codeIssued.size(), 0);
    QCOMPARE(lastRecord(records).status, 303);
    QCOMPARE(stepsText(lastRecord(records).steps), QStringLiteral("4"));
}

void TstPkce::redirectValidationComesFirst()
{
    // A bad challenge with an unregistered redirect_uri: the HTML error page, never a redirect to that URI.
    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client"
                                                   "&redirect_uri=http%3A%2F%2Fevil.test&code_challenge=x"
                                                   "&code_challenge_method=S512"));
    QCOMPARE(r.status, 400);
    QVERIFY(r.header("Location").isNull());
    QVERIFY2(r.body.contains("error=&quot;invalid_grant&quot;, error_description=&quot;Invalid redirect: "
                             "http://evil.test does not match one of the registered values.&quot;"),
             r.body.constData());

    // Before login the request is only remembered: the PKCE check runs once the user is known.
    const TestResponse first =
        http.get(QStringLiteral("/oauth/authorize?") +
                 authorizeQuery(kSeedClient, challengeParams(kS256Challenge, QStringLiteral("S512"))));
    QCOMPARE(first.status, 302);
    QCOMPARE(first.header("Location"), QByteArray("/login"));
}

void TstPkce::requirePkceClient()
{
    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    const QString id = QStringLiteral("pkce-client");
    QString code;
    CHECKED(obtainCode(http, authorizeQuery(id, challengeParams(kS256Challenge, QStringLiteral("S256"))), &code));
    Tokens t;
    CHECKED(expectToken(exchange(http, code, kVerifier, HttpTestClient::basic(id, QStringLiteral("pkce-secret"))), &t,
                        43199, QStringLiteral("read write")));
    QVERIFY(!t.refresh.isEmpty());
}

void TstPkce::publicClient_data()
{
    QTest::addColumn<QByteArray>("clientParams"); // after the grant parameters, in the body
    QTest::newRow("client_id only") << QByteArray("&client_id=spa");
    QTest::newRow("client_id and an empty client_secret") << QByteArray("&client_id=spa&client_secret=");
}

void TstPkce::publicClient()
{
    QFETCH(QByteArray, clientParams);
    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(
        http, authorizeQuery(QStringLiteral("spa"), challengeParams(kS256Challenge, QStringLiteral("S256"))), &code));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy records(&server.server(), &OAuthServer::exchangeFinished);

    // No Authorization header, no secret: the public client is identified by client_id and proves the code with
    // the verifier. It has the refresh_token grant but gets no refresh token.
    Tokens t;
    CHECKED(
        expectToken(exchange(http, code, kVerifier, {}, clientParams), &t, 43199, QStringLiteral("read write"), false));
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).kind, IssuedToken::Kind::Access);
    QCOMPARE(tokenAt(issued, 0).clientId, QStringLiteral("spa"));
    QCOMPARE(tokenAt(issued, 0).refreshToken, QString());
    QCOMPARE(lastRecord(records).clientId, QStringLiteral("spa"));

    // And so it cannot refresh: there is nothing to refresh with.
    const TestResponse refresh =
        http.postForm(QStringLiteral("/oauth/token"),
                      "grant_type=refresh_token&refresh_token=" + QUrl::toPercentEncoding(t.access) + "&client_id=spa");
    CHECKED(expectJsonError(refresh, 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid refresh token: ") + t.access)));
}

void TstPkce::publicClientWithRefreshOptIn()
{
    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    const QString id = QStringLiteral("spa-refresh");
    QString code;
    CHECKED(obtainCode(http, authorizeQuery(id, challengeParams(kS256Challenge, QStringLiteral("S256"))), &code));
    Tokens t;
    CHECKED(expectToken(exchange(http, code, kVerifier, {}, "&client_id=spa-refresh"), &t, 43199,
                        QStringLiteral("read write")));

    server.clock().advanceSeconds(10);
    const TestResponse r = http.postForm(
        QStringLiteral("/oauth/token"),
        "grant_type=refresh_token&refresh_token=" + QUrl::toPercentEncoding(t.refresh) + "&client_id=spa-refresh");
    Tokens refreshed;
    CHECKED(expectToken(r, &refreshed, 43199, QStringLiteral("read write")));
    QVERIFY(refreshed.access != t.access);
    QCOMPARE(refreshed.refresh, t.refresh);
}

void TstPkce::publicClientErrors_data()
{
    QTest::addColumn<QByteArray>("authorization"); // empty: no Authorization header
    QTest::addColumn<QByteArray>("clientParams");
    QTest::addColumn<std::optional<QString>>("verifier");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");
    QTest::addColumn<bool>("codeConsumed");

    const QByteArray bad = jsonError("invalid_client", QStringLiteral("Bad client credentials"));
    const QByteArray basicEmpty = "Basic " + QByteArray("spa:").toBase64();
    using V = std::optional<QString>;

    // Client authentication fails before the grant runs: the code survives.
    QTest::newRow("HTTP Basic with the empty secret")
        << basicEmpty << QByteArray() << V(kVerifier) << 401 << bad << kBasicChallenge << false;
    QTest::newRow("HTTP Basic with a secret") << "Basic " + QByteArray("spa:guess").toBase64() << QByteArray()
                                              << V(kVerifier) << 401 << bad << kBasicChallenge << false;
    QTest::newRow("HTTP Basic and client_id")
        << basicEmpty << QByteArray("&client_id=spa") << V(kVerifier) << 401 << bad << kBasicChallenge << false;
    QTest::newRow("a client_secret parameter") << QByteArray() << QByteArray("&client_id=spa&client_secret=guess")
                                               << V(kVerifier) << 401 << bad << kFormChallenge << false;
    QTest::newRow("no client_id") << QByteArray() << QByteArray() << V(kVerifier) << 401 << bad << kBasicChallenge
                                  << false;
    // Authenticated, but the code is not proven: consumed.
    QTest::newRow("without verifier") << QByteArray() << QByteArray("&client_id=spa") << V() << 400
                                      << jsonError("invalid_grant", QStringLiteral("code_verifier missing"))
                                      << QByteArray() << true;
    QTest::newRow("wrong verifier") << QByteArray() << QByteArray("&client_id=spa") << V(kOtherVerifier) << 400
                                    << jsonError("invalid_grant", QStringLiteral("Invalid code verifier"))
                                    << QByteArray() << true;
}

void TstPkce::publicClientErrors()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, clientParams);
    QFETCH(std::optional<QString>, verifier);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);
    QFETCH(bool, codeConsumed);

    TestServer server(pkceSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(
        http, authorizeQuery(QStringLiteral("spa"), challengeParams(kS256Challenge, QStringLiteral("S256"))), &code));
    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({QByteArray("Authorization"), authorization});
    CHECKED(expectJsonError(exchange(http, code, verifier, headers, clientParams), status, expected, challenge));
    QCOMPARE(consumed.size(), codeConsumed ? 1 : 0);
    QCOMPARE(issued.size(), 0);

    // The proper request afterwards: tokens when the code survived, the burnt-code error otherwise.
    const TestResponse proper = exchange(http, code, kVerifier, {}, "&client_id=spa");
    if (codeConsumed) {
        CHECKED(expectJsonError(proper, 400, invalidCode(code)));
    } else {
        Tokens t;
        CHECKED(expectToken(proper, &t, 43199, QStringLiteral("read write"), false));
    }
}

QTEST_GUILESS_MAIN(TstPkce)
#include "tst_pkce.moc"
