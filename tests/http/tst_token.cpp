// POST /oauth/token against a live server: every /oauth/token row of PROTOCOL.md's error catalogue, the seed's
// exchange and refresh (steps 7–8), code replay, live-token reuse and lifetimes. Exact status, raw JSON bytes
// (key order matters), headers and the store signals.

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

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kSeedSecret = QStringLiteral("secret");
const QString kRedirect = QStringLiteral("http://localhost");

QByteArray basicValue(const QString &id, const QString &secret)
{
    return HttpTestClient::basic(id, secret).first().second;
}

Client makeClient(const QString &id, const QString &secret, GrantTypes grants, AutoApprove::Mode autoApprove,
                  int accessLifetime = 0, int refreshLifetime = 0)
{
    Client c;
    c.id = id;
    c.secret = secret;
    c.redirectUris = {kRedirect};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = grants;
    c.autoApprove.mode = autoApprove;
    c.accessTokenLifetime = accessLifetime;
    c.refreshTokenLifetime = refreshLifetime;
    return c;
}

// The seed's world plus clients for cross-client, no-refresh and lifetime checks.
ServerSettings tokenSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    const GrantTypes codeAndRefresh = GrantType::AuthorizationCode | GrantType::RefreshToken;
    s.clients << makeClient(QStringLiteral("other-client"), QStringLiteral("other-secret"), codeAndRefresh,
                            AutoApprove::Mode::All)
              << makeClient(QStringLiteral("norefresh-client"), QStringLiteral("norefresh-secret"),
                            GrantType::AuthorizationCode, AutoApprove::Mode::All)
              << makeClient(QStringLiteral("short-client"), QStringLiteral("short-secret"), codeAndRefresh,
                            AutoApprove::Mode::All, 600, 3600);
    return s;
}

struct CodeRequest
{
    QString clientId = kSeedClient;
    std::optional<QString> redirectUri = kRedirect;
    std::optional<QString> scope;                                         // omitted: the client's scopes
    QStringList approve{QStringLiteral("read"), QStringLiteral("write")}; // answered true on the approval page
};

// The browser part of the seed (steps 1–6) for `req`, asserting every step (BrowserFlow::obtainCode).
void obtainCode(HttpTestClient &http, const CodeRequest &req, QString *code)
{
    QString query = QStringLiteral("response_type=code&client_id=") + QString::fromLatin1(enc(req.clientId));
    if (req.redirectUri)
        query += QStringLiteral("&redirect_uri=") + QString::fromLatin1(enc(*req.redirectUri));
    if (req.scope)
        query += QStringLiteral("&scope=") + QString::fromLatin1(enc(*req.scope));
    BrowserFlow flow(http, query);
    CHECKED(flow.obtainCode(req.approve));
    *code = flow.code();
}

TestResponse postToken(HttpTestClient &http, const QByteArray &body, const QString &clientId = kSeedClient,
                       const QString &secret = kSeedSecret, const QString &query = {})
{
    return http.postForm(QStringLiteral("/oauth/token") + query, body, HttpTestClient::basic(clientId, secret));
}

TestResponse exchangeCode(HttpTestClient &http, const QString &code, const QString &clientId = kSeedClient,
                          const QString &secret = kSeedSecret, const std::optional<QString> &redirectUri = kRedirect)
{
    QByteArray body = "grant_type=authorization_code&code=" + enc(code);
    if (redirectUri)
        body += "&redirect_uri=" + enc(*redirectUri);
    return postToken(http, body, clientId, secret);
}

// Steps 1–7 for the seed client: *tokens are the read-write tokens of a new code, *code (if given) that code.
void issueTokens(HttpTestClient &http, Tokens *tokens, QString *code = nullptr)
{
    QString issued;
    CHECKED(obtainCode(http, {}, &issued));
    CHECKED(expectToken(exchangeCode(http, issued), tokens, 43199, QStringLiteral("read write")));
    if (code)
        *code = issued;
}

// issueTokens(), then 100 s later a second code for the same client, user and scopes (the approval is
// remembered: no approval page).
void issueTokensThenSecondCode(TestServer &server, HttpTestClient &http, Tokens *tokens, QString *second,
                               QString *code = nullptr)
{
    CHECKED(issueTokens(http, tokens, code));
    server.clock().advanceSeconds(100);
    CHECKED(obtainCode(http, {}, second));
}

TestResponse refresh(HttpTestClient &http, const QString &refreshToken, const QString &clientId = kSeedClient,
                     const QString &secret = kSeedSecret, const std::optional<QString> &scope = std::nullopt)
{
    QByteArray body = "grant_type=refresh_token&refresh_token=" + enc(refreshToken);
    if (scope)
        body += "&scope=" + enc(*scope);
    return postToken(http, body, clientId, secret);
}

// Spring's translator for a 401 raised inside the endpoint: WWW-Authenticate: Bearer <summary>.
QStringList sortedList(QStringList list)
{
    list.sort();
    return list;
}

QStringList tokenValues(const QSignalSpy &spy)
{
    QStringList out;
    for (int i = 0; i < spy.size(); ++i)
        out << tokenAt(spy, i).value;
    out.sort();
    return out;
}

} // namespace

class TstToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errorCatalogue_data();
    void errorCatalogue();
    void seedExchangeAndRefresh_data();
    void seedExchangeAndRefresh();
    void expiredCode_data();
    void expiredCode();
    void redirectMismatchBurnsCode_data();
    void redirectMismatchBurnsCode();
    void redirectOmittedAtAuthorize_data();
    void redirectOmittedAtAuthorize();
    void codeOfAnotherClient();
    void invalidScopeKeepsCode_data();
    void invalidScopeKeepsCode();
    void scopeParameterIgnoredOnCodeExchange();
    void refreshTokenOfAnotherClient();
    void expiredRefreshToken();
    void refreshNarrowsScope();
    void refreshCannotWidenScope();
    void repeatedParameter_data();
    void repeatedParameter();
    void codeReplayRevokesTokens();
    void liveTokenReuse();
    void liveTokenReuseDisabled();
    void perClientLifetimes();
    void noRefreshTokenWithoutGrant();
};

void TstToken::errorCatalogue_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");

    const QByteArray seed = basicValue(kSeedClient, kSeedSecret);
    const QByteArray noRefresh = basicValue(QStringLiteral("norefresh-client"), QStringLiteral("norefresh-secret"));
    const QString unauthorizedRefresh = QStringLiteral("Unauthorized grant type: refresh_token");

    QTest::newRow("missing grant_type") << QByteArray("code=abcdef&redirect_uri=http%3A%2F%2Flocalhost") << seed << 400
                                        << jsonError("invalid_request", QStringLiteral("Missing grant type"))
                                        << QByteArray();
    QTest::newRow("empty grant_type") << QByteArray("grant_type=&code=abcdef") << seed << 400
                                      << jsonError("invalid_request", QStringLiteral("Missing grant type"))
                                      << QByteArray();
    QTest::newRow("implicit") << QByteArray("grant_type=implicit") << seed << 400
                              << jsonError("invalid_grant",
                                           QStringLiteral("Implicit grant type not supported from token endpoint"))
                              << QByteArray();
    QTest::newRow("unknown grant type") << QByteArray("grant_type=magic") << seed << 400
                                        << jsonError("unsupported_grant_type", QStringLiteral("Unsupported grant type"))
                                        << QByteArray();
    QTest::newRow("grant type is case-sensitive")
        << QByteArray("grant_type=Authorization_Code&code=abcdef") << seed << 400
        << jsonError("unsupported_grant_type", QStringLiteral("Unsupported grant type")) << QByteArray();
    // Served grants the seed client lacks: Spring's AbstractTokenGranter.validateGrantType.
    const QString unauthorizedPassword = QStringLiteral("Unauthorized grant type: password");
    QTest::newRow("password, client without the grant")
        << QByteArray("grant_type=password&username=user&password=password") << seed << 401
        << jsonError("invalid_client", unauthorizedPassword) << bearerChallenge("invalid_client", unauthorizedPassword);
    const QString unauthorizedClientCredentials = QStringLiteral("Unauthorized grant type: client_credentials");
    QTest::newRow("client_credentials, client without the grant")
        << QByteArray("grant_type=client_credentials") << seed << 401
        << jsonError("invalid_client", unauthorizedClientCredentials)
        << bearerChallenge("invalid_client", unauthorizedClientCredentials);
    // RFC 8628's grant is served (tst_devicegrant), but only to clients registered for it.
    const QString unauthorizedDeviceCode =
        QStringLiteral("Unauthorized grant type: urn:ietf:params:oauth:grant-type:device_code");
    QTest::newRow("device_code URN, client without the grant")
        << QByteArray("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code") << seed << 401
        << jsonError("invalid_client", unauthorizedDeviceCode)
        << bearerChallenge("invalid_client", unauthorizedDeviceCode);
    QTest::newRow("grant not allowed for the client")
        << QByteArray("grant_type=refresh_token&refresh_token=whatever") << noRefresh << 401
        << jsonError("invalid_client", unauthorizedRefresh) << bearerChallenge("invalid_client", unauthorizedRefresh);
    QTest::newRow("missing code") << QByteArray("grant_type=authorization_code&redirect_uri=http%3A%2F%2Flocalhost")
                                  << seed << 400
                                  << jsonError("invalid_request",
                                               QStringLiteral("An authorization code must be supplied."))
                                  << QByteArray();
    QTest::newRow("unknown code")
        << QByteArray("grant_type=authorization_code&code=NoSuch&redirect_uri=http%3A%2F%2Flocalhost") << seed << 400
        << jsonError("invalid_grant", QStringLiteral("Invalid authorization code: NoSuch")) << QByteArray();
    QTest::newRow("unknown code, decoded in the message")
        << QByteArray("grant_type=authorization_code&code=a%2Bb+c") << seed << 400
        << jsonError("invalid_grant", QStringLiteral("Invalid authorization code: a+b c")) << QByteArray();
    QTest::newRow("unknown code, JSON-escaped in the message")
        << QByteArray("grant_type=authorization_code&code=%22%3Cx%3E%5C") << seed << 400
        << jsonError("invalid_grant", QStringLiteral("Invalid authorization code: \\\"<x>\\\\")) << QByteArray();
    QTest::newRow("missing refresh_token")
        << QByteArray("grant_type=refresh_token") << seed << 400
        << jsonError("invalid_request", QStringLiteral("refresh_token parameter not provided")) << QByteArray();
    QTest::newRow("unknown refresh token")
        << QByteArray("grant_type=refresh_token&refresh_token=nope") << seed << 400
        << jsonError("invalid_grant", QStringLiteral("Invalid refresh token: nope")) << QByteArray();
    const QByteArray invalidScope = QByteArrayLiteral(
        "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scope: admin\",\"scope\":\"read write\"}");
    QTest::newRow("invalid scope, code grant") << QByteArray("grant_type=authorization_code&code=abcdef&scope=admin")
                                               << seed << 400 << invalidScope << QByteArray();
    QTest::newRow("invalid scope among valid ones, refresh grant")
        << QByteArray("grant_type=refresh_token&refresh_token=nope&scope=read+admin") << seed << 400 << invalidScope
        << QByteArray();
    // Spring validates the scope against the client before it looks at the grant type (TokenEndpoint).
    QTest::newRow("invalid scope checked before the grant type")
        << QByteArray("grant_type=magic&scope=admin") << seed << 400 << invalidScope << QByteArray();
}

void TstToken::errorCatalogue()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);

    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    const TestResponse r =
        http.postForm(QStringLiteral("/oauth/token"), body, {{QByteArray("Authorization"), authorization}});
    CHECKED(expectJsonError(r, status, expected, challenge));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(finished.size(), 1);
    const auto record = qvariant_cast<ExchangeRecord>(finished.at(0).at(0));
    QCOMPARE(record.status, status);
    QCOMPARE(record.responseBody, expected);
}

void TstToken::seedExchangeAndRefresh_data()
{
    QTest::addColumn<bool>("viaQuery");
    // The seed's Postman form puts everything in the query; its curl form in the body.
    QTest::newRow("parameters in the query (Postman)") << true;
    QTest::newRow("parameters in the body (curl)") << false;
}

void TstToken::seedExchangeAndRefresh()
{
    QFETCH(bool, viaQuery);
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));

    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);

    const QByteArray params = "grant_type=authorization_code&code=" + enc(code) +
                              "&client_id=messaging-client&client_secret=secret&redirect_uri=http://localhost";
    const TestResponse r = viaQuery ? http.postForm(QStringLiteral("/oauth/token?") + QString::fromLatin1(params), {})
                                    : http.postForm(QStringLiteral("/oauth/token"), params);
    Tokens first;
    CHECKED(expectToken(r, &first, 43199, QStringLiteral("read write")));
    QVERIFY(first.access != first.refresh);

    QCOMPARE(consumed.size(), 1);
    QCOMPARE(qvariant_cast<AuthorizationCode>(consumed.at(0).at(0)).code, code);
    QCOMPARE(issued.size(), 2);
    QCOMPARE(tokenValues(issued), sortedList({first.access, first.refresh}));
    for (int i = 0; i < issued.size(); ++i) {
        const IssuedToken t = tokenAt(issued, i);
        QCOMPARE(t.clientId, kSeedClient);
        QCOMPARE(t.username, QStringLiteral("user"));
        QCOMPARE(t.scopes.joined(), QStringLiteral("read write"));
        QCOMPARE(t.kind, t.value == first.access ? IssuedToken::Kind::Access : IssuedToken::Kind::Refresh);
    }
    QCOMPARE(revoked.size(), 0);

    // Step 8: a new access token, the same refresh token, the old access token revoked.
    issued.clear();
    const QByteArray refreshParams = "grant_type=refresh_token&refresh_token=" + enc(first.refresh) +
                                     "&client_id=messaging-client&client_secret=secret";
    server.clock().advanceSeconds(10);
    const TestResponse refreshed =
        viaQuery ? http.postForm(QStringLiteral("/oauth/token?") + QString::fromLatin1(refreshParams), {})
                 : http.postForm(QStringLiteral("/oauth/token"), refreshParams);
    Tokens second;
    CHECKED(expectToken(refreshed, &second, 43199, QStringLiteral("read write")));
    QVERIFY(second.access != first.access);
    QCOMPARE(second.refresh, first.refresh);
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).value, second.access);
    QCOMPARE(revoked.size(), 1);
    QCOMPARE(tokenAt(revoked, 0).value, first.access);
}

void TstToken::expiredCode_data()
{
    QTest::addColumn<int>("ageSeconds");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("299 s: still valid") << 299 << true;
    QTest::newRow("301 s: expired") << 301 << false;
    QTest::newRow("one hour: expired") << 3600 << false;
}

void TstToken::expiredCode()
{
    QFETCH(int, ageSeconds);
    QFETCH(bool, accepted);
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));
    server.clock().advanceSeconds(ageSeconds);

    const TestResponse r = exchangeCode(http, code);
    if (accepted) {
        Tokens t;
        CHECKED(expectToken(r, &t, 43199, QStringLiteral("read write")));
    } else {
        CHECKED(
            expectJsonError(r, 400, jsonError("invalid_grant", QStringLiteral("Invalid authorization code: ") + code)));
    }
}

void TstToken::redirectMismatchBurnsCode_data()
{
    QTest::addColumn<std::optional<QString>>("tokenRedirect");
    QTest::newRow("trailing slash") << std::optional<QString>(QStringLiteral("http://localhost/"));
    QTest::newRow("explicit port") << std::optional<QString>(QStringLiteral("http://localhost:80"));
    QTest::newRow("another URI") << std::optional<QString>(QStringLiteral("http://example.com/cb"));
    QTest::newRow("empty") << std::optional<QString>(QString(QLatin1String("")));
    QTest::newRow("omitted although sent at authorize") << std::optional<QString>();
}

void TstToken::redirectMismatchBurnsCode()
{
    QFETCH(std::optional<QString>, tokenRedirect);
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));
    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);
    QSignalSpy replayed(&server->codes(), &CodeStore::codeReplayed);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    CHECKED(expectJsonError(exchangeCode(http, code, kSeedClient, kSeedSecret, tokenRedirect), 400,
                            jsonError("invalid_grant", QStringLiteral("Redirect URI mismatch."))));
    QCOMPARE(consumed.size(), 1);

    // The failed exchange burnt the code: the right redirect_uri is too late now.
    CHECKED(expectJsonError(exchangeCode(http, code), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid authorization code: ") + code)));
    QCOMPARE(replayed.size(), 1);
    QCOMPARE(issued.size(), 0);
}

void TstToken::redirectOmittedAtAuthorize_data()
{
    QTest::addColumn<std::optional<QString>>("tokenRedirect");
    QTest::addColumn<bool>("accepted");
    // Spring: redirect_uri is checked only when the authorize request carried it or the token request does.
    QTest::newRow("omitted in both") << std::optional<QString>() << true;
    QTest::newRow("registered URI at the token endpoint") << std::optional<QString>(kRedirect) << true;
    QTest::newRow("another URI at the token endpoint")
        << std::optional<QString>(QStringLiteral("http://localhost/")) << false;
}

void TstToken::redirectOmittedAtAuthorize()
{
    QFETCH(std::optional<QString>, tokenRedirect);
    QFETCH(bool, accepted);
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CodeRequest req;
    req.redirectUri.reset();
    CHECKED(obtainCode(http, req, &code));

    const TestResponse r = exchangeCode(http, code, kSeedClient, kSeedSecret, tokenRedirect);
    if (accepted) {
        Tokens t;
        CHECKED(expectToken(r, &t, 43199, QStringLiteral("read write")));
    } else {
        CHECKED(expectJsonError(r, 400, jsonError("invalid_grant", QStringLiteral("Redirect URI mismatch."))));
    }
}

void TstToken::codeOfAnotherClient()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    const QString mismatch = QStringLiteral("Client ID mismatch");
    CHECKED(expectJsonError(exchangeCode(http, code, QStringLiteral("other-client"), QStringLiteral("other-secret")),
                            401, jsonError("invalid_client", mismatch), bearerChallenge("invalid_client", mismatch)));
    // The code is burnt for its own client too.
    CHECKED(expectJsonError(exchangeCode(http, code), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid authorization code: ") + code)));
    QCOMPARE(issued.size(), 0);
}

void TstToken::invalidScopeKeepsCode_data()
{
    QTest::addColumn<QString>("scope");
    QTest::addColumn<QString>("outside");
    QTest::newRow("admin") << QStringLiteral("admin") << QStringLiteral("admin");
    QTest::newRow("read admin") << QStringLiteral("read admin") << QStringLiteral("admin");
    // OAuth2Utils.parseParameterList splits on [\s+]: a comma is part of the name, a literal '+' separates.
    QTest::newRow("comma is not a separator") << QStringLiteral("write,zeta") << QStringLiteral("write,zeta");
    QTest::newRow("plus separates") << QStringLiteral("write+zeta") << QStringLiteral("zeta");
    // Sorted as a TreeSet: the first outside scope in sorted order is named.
    QTest::newRow("two outside") << QStringLiteral("zz aa") << QStringLiteral("aa");
}

void TstToken::invalidScopeKeepsCode()
{
    QFETCH(QString, scope);
    QFETCH(QString, outside);
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));
    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);

    const TestResponse r = postToken(http, "grant_type=authorization_code&code=" + enc(code) +
                                               "&redirect_uri=http%3A%2F%2Flocalhost&scope=" + enc(scope));
    CHECKED(expectJsonError(r, 400,
                            "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scope: " + outside.toUtf8() +
                                "\",\"scope\":\"read write\"}"));
    // The scope is validated before the grant runs, so the code was not consumed.
    QCOMPARE(consumed.size(), 0);
    Tokens t;
    CHECKED(expectToken(exchangeCode(http, code), &t, 43199, QStringLiteral("read write")));
}

void TstToken::scopeParameterIgnoredOnCodeExchange()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));
    // Step 7: any scope parameter is ignored; the scope is what the user approved.
    const TestResponse r = postToken(http, "grant_type=authorization_code&code=" + enc(code) +
                                               "&redirect_uri=http%3A%2F%2Flocalhost&scope=read");
    Tokens t;
    CHECKED(expectToken(r, &t, 43199, QStringLiteral("read write")));
}

void TstToken::refreshTokenOfAnotherClient()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    CHECKED(expectJsonError(
        refresh(http, t.refresh, QStringLiteral("other-client"), QStringLiteral("other-secret")), 400,
        jsonError("invalid_grant", QStringLiteral("Wrong client for this refresh token: ") + t.refresh)));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(revoked.size(), 0);

    // The owner can still use it.
    Tokens after;
    CHECKED(expectToken(refresh(http, t.refresh), &after, 43199, QStringLiteral("read write")));
    QCOMPARE(after.refresh, t.refresh);
}

void TstToken::expiredRefreshToken()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));

    server.clock().advanceSeconds(2592000 + 1);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    const QString expired = QStringLiteral("Invalid refresh token (expired): ") + t.refresh;
    CHECKED(expectJsonError(refresh(http, t.refresh), 401, jsonError("invalid_token", expired),
                            bearerChallenge("invalid_token", expired)));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(tokenValues(revoked), sortedList({t.access, t.refresh}));

    // Removed: the next attempt no longer knows it.
    CHECKED(expectJsonError(refresh(http, t.refresh), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid refresh token: ") + t.refresh)));
}

void TstToken::refreshNarrowsScope()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    Tokens narrowed;
    CHECKED(expectToken(refresh(http, t.refresh, kSeedClient, kSeedSecret, QStringLiteral("read")), &narrowed, 43199,
                        QStringLiteral("read")));
    QCOMPARE(narrowed.refresh, t.refresh);
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).scopes.joined(), QStringLiteral("read"));

    // Narrowing is per request: the refresh token keeps its original scope.
    Tokens full;
    CHECKED(expectToken(refresh(http, t.refresh), &full, 43199, QStringLiteral("read write")));
    QCOMPARE(full.refresh, t.refresh);
}

void TstToken::refreshCannotWidenScope()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CodeRequest req;
    req.approve = {QStringLiteral("read")}; // the user approves read only
    CHECKED(obtainCode(http, req, &code));
    Tokens t;
    CHECKED(expectToken(exchangeCode(http, code), &t, 43199, QStringLiteral("read")));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    // DefaultTokenServices.createRefreshedAuthentication: InvalidScopeException(msg, originalScope).
    CHECKED(expectJsonError(refresh(http, t.refresh, kSeedClient, kSeedSecret, QStringLiteral("read write")), 400,
                            "{\"error\":\"invalid_scope\",\"error_description\":\"Unable to narrow the scope of the "
                            "client authentication to [read, write].\",\"scope\":\"read\"}"));
    QCOMPARE(issued.size(), 0);
}

void TstToken::repeatedParameter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("parameter");
    // {code} is replaced by a real, unused code.
    QTest::newRow("two codes in the body") << QString()
                                           << QByteArray("grant_type=authorization_code&code={code}&code={code}"
                                                         "&redirect_uri=http%3A%2F%2Flocalhost")
                                           << QStringLiteral("code");
    QTest::newRow("code in query and body")
        << QStringLiteral("?code={code}")
        << QByteArray("grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2Flocalhost")
        << QStringLiteral("code");
    QTest::newRow("grant_type twice") << QString()
                                      << QByteArray("grant_type=authorization_code&grant_type=authorization_code"
                                                    "&code={code}&redirect_uri=http%3A%2F%2Flocalhost")
                                      << QStringLiteral("grant_type");
    QTest::newRow("redirect_uri in query and body")
        << QStringLiteral("?redirect_uri=http%3A%2F%2Flocalhost")
        << QByteArray("grant_type=authorization_code&code={code}&redirect_uri=http%3A%2F%2Flocalhost")
        << QStringLiteral("redirect_uri");
}

void TstToken::repeatedParameter()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, body);
    QFETCH(QString, parameter);
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, {}, &code));
    QSignalSpy consumed(&server->codes(), &CodeStore::codeConsumed);

    query.replace(QStringLiteral("{code}"), code);
    body.replace("{code}", code.toUtf8());
    const TestResponse r = postToken(http, body, kSeedClient, kSeedSecret, query);
    // RFC 6749 §3.1: parameters must not be included more than once; the error names the parameter.
    CHECKED(
        expectJsonError(r, 400,
                        jsonError("invalid_request",
                                  QStringLiteral("Parameter %1 must not be provided more than once").arg(parameter))));
    QCOMPARE(consumed.size(), 0);
}

void TstToken::codeReplayRevokesTokens()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    Tokens t;
    CHECKED(issueTokens(http, &t, &code));

    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    QSignalSpy replayed(&server->codes(), &CodeStore::codeReplayed);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    CHECKED(expectJsonError(exchangeCode(http, code), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid authorization code: ") + code)));
    QCOMPARE(replayed.size(), 1);
    QCOMPARE(qvariant_cast<AuthorizationCode>(replayed.at(0).at(0)).code, code);
    // RFC 6749 §4.1.2: the tokens issued from the replayed code are revoked.
    QCOMPARE(tokenValues(revoked), sortedList({t.access, t.refresh}));
    QCOMPARE(issued.size(), 0);
    QVERIFY(!server->tokens().findAccess(t.access));
    QVERIFY(!server->tokens().findRefresh(t.refresh));

    CHECKED(expectJsonError(refresh(http, t.refresh), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid refresh token: ") + t.refresh)));

    // A third use is still a replay (and revokes nothing more).
    CHECKED(expectJsonError(exchangeCode(http, code), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid authorization code: ") + code)));
    QCOMPARE(replayed.size(), 2);
    QCOMPARE(revoked.size(), 2);
}

void TstToken::liveTokenReuse()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    QString code;
    Tokens first;
    QString second;
    CHECKED(issueTokensThenSecondCode(server, http, &first, &second, &code));
    QVERIFY(second != code);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    Tokens again;
    CHECKED(expectToken(exchangeCode(http, second), &again, 43099, QStringLiteral("read write")));
    QCOMPARE(again.access, first.access);
    QCOMPARE(again.refresh, first.refresh);
    QCOMPARE(issued.size(), 0);
    QCOMPARE(revoked.size(), 0);
}

void TstToken::liveTokenReuseDisabled()
{
    ServerSettings settings = tokenSettings();
    settings.reuseLiveTokens = false;
    TestServer server(settings);
    HttpTestClient http(server.port());
    Tokens first;
    QString second;
    CHECKED(issueTokensThenSecondCode(server, http, &first, &second));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    Tokens again;
    CHECKED(expectToken(exchangeCode(http, second), &again, 43199, QStringLiteral("read write")));
    QVERIFY(again.access != first.access);
    QVERIFY(again.refresh != first.refresh);
    QCOMPARE(tokenValues(issued), sortedList({again.access, again.refresh}));
}

void TstToken::perClientLifetimes()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    const QString id = QStringLiteral("short-client");
    const QString secret = QStringLiteral("short-secret");
    QString code;
    CodeRequest req;
    req.clientId = id;
    CHECKED(obtainCode(http, req, &code));
    Tokens t;
    CHECKED(expectToken(exchangeCode(http, code, id, secret), &t, 599, QStringLiteral("read write")));

    // Access token (600 s) dead, refresh token (3600 s) alive.
    server.clock().advanceSeconds(601);
    Tokens refreshed;
    CHECKED(expectToken(refresh(http, t.refresh, id, secret), &refreshed, 599, QStringLiteral("read write")));
    QCOMPARE(refreshed.refresh, t.refresh);

    // The refresh token keeps its original expiry (3600 s after issue), not 3600 s after the refresh.
    server.clock().advanceSeconds(3000);
    const QString expired = QStringLiteral("Invalid refresh token (expired): ") + t.refresh;
    CHECKED(expectJsonError(refresh(http, t.refresh, id, secret), 401, jsonError("invalid_token", expired),
                            bearerChallenge("invalid_token", expired)));

    // The seed client keeps the server defaults.
    Tokens seed;
    CHECKED(issueTokens(http, &seed));
}

void TstToken::noRefreshTokenWithoutGrant()
{
    TestServer server(tokenSettings());
    HttpTestClient http(server.port());
    const QString id = QStringLiteral("norefresh-client");
    QString code;
    CodeRequest req;
    req.clientId = id;
    CHECKED(obtainCode(http, req, &code));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    Tokens t;
    CHECKED(expectToken(exchangeCode(http, code, id, QStringLiteral("norefresh-secret")), &t, 43199,
                        QStringLiteral("read write"), false));
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).kind, IssuedToken::Kind::Access);
}

QTEST_GUILESS_MAIN(TstToken)
#include "tst_token.moc"
