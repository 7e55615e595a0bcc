// Client authentication at POST /oauth/token (PROTOCOL.md "Client authentication at the token endpoint"): HTTP
// Basic and client_id/client_secret parameters, the exact 401 bodies and WWW-Authenticate challenges, and the
// percent-decoding of Basic credentials (a documented deviation from Spring).

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

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
// A client id and secret with characters that RFC 6749 §2.3.1 form-encoding changes.
const QString kOddClient = QStringLiteral("app+one/%x");
const QString kOddSecret = QStringLiteral("p@ss word+%:1");
const QString kPublicClient = QStringLiteral("public-client");

const QByteArray kBadCredentials =
    QByteArrayLiteral("{\"error\":\"invalid_client\",\"error_description\":\"Bad client credentials\"}");
const QByteArray kBasicChallenge = QByteArrayLiteral("Basic realm=\"oauth2/client\"");
const QByteArray kFormChallenge = QByteArrayLiteral(
    "Form realm=\"oauth2/client\", error=\"invalid_client\", error_description=\"Bad client credentials\"");

QByteArray basicRaw(const QByteArray &credentials)
{
    return "Basic " + credentials.toBase64();
}

Client makeClient(const QString &id, const QString &secret)
{
    Client c;
    c.id = id;
    c.secret = secret;
    c.redirectUris = {kRedirect};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
    c.autoApprove.mode = AutoApprove::Mode::All;
    return c;
}

ServerSettings authSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients << makeClient(kOddClient, kOddSecret) << makeClient(kPublicClient, QString());
    return s;
}

// The browser part of the seed (steps 1–6) for `clientId`, asserting every step (BrowserFlow::obtainCode).
void obtainCode(HttpTestClient &http, const QString &clientId, QString *code)
{
    BrowserFlow flow(http, QStringLiteral("response_type=code&client_id=") + QString::fromLatin1(enc(clientId)) +
                               QStringLiteral("&redirect_uri=http%3A%2F%2Flocalhost"));
    CHECKED(flow.obtainCode());
    *code = flow.code();
}

// A 200 token response for read and write, with a refresh token.
void expectToken(const TestResponse &r)
{
    Tokens tokens;
    oauthsim::test::expectToken(r, &tokens, 43199, QStringLiteral("read write"));
}

} // namespace

class TstClientAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authentication_data();
    void authentication();
    void exchangeWithBasic();
    void exchangeWithParameters_data();
    void exchangeWithParameters();
    void exchangeWithEncodedCredentials_data();
    void exchangeWithEncodedCredentials();
    void seedMisspelledClientId();
};

// Each request carries grant_type=authorization_code and an unknown code: a client that authenticates gets
// 400 invalid_grant "Invalid authorization code: nosuch" (proof it got past authentication); one that does not
// gets the 401 of the row.
void TstClientAuth::authentication_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization"); // empty: no Authorization header
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");

    const QByteArray grant = "grant_type=authorization_code&code=nosuch";
    const QByteArray passed =
        "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code: nosuch\"}";
    const QByteArray seedBasic = basicRaw("messaging-client:secret");

    // Accepted.
    QTest::newRow("Basic") << QString() << grant << seedBasic << 400 << passed << QByteArray();
    QTest::newRow("Basic, scheme in lower case")
        << QString() << grant << "basic " + QByteArray("messaging-client:secret").toBase64() << 400 << passed
        << QByteArray();
    QTest::newRow("Basic and the same client_id parameter")
        << QString() << grant + "&client_id=messaging-client" << seedBasic << 400 << passed << QByteArray();
    QTest::newRow("parameters in the body") << QString() << grant + "&client_id=messaging-client&client_secret=secret"
                                            << QByteArray() << 400 << passed << QByteArray();
    QTest::newRow("parameters in the query") << QStringLiteral("?client_id=messaging-client&client_secret=secret")
                                             << grant << QByteArray() << 400 << passed << QByteArray();
    QTest::newRow("client_id in the query, client_secret in the body")
        << QStringLiteral("?client_id=messaging-client") << grant + "&client_secret=secret" << QByteArray() << 400
        << passed << QByteArray();
    QTest::newRow("missing client_secret counts as empty")
        << QString() << grant + "&client_id=public-client" << QByteArray() << 400 << passed << QByteArray();
    QTest::newRow("empty client_secret") << QString()
                                         << grant + "&client_id=public-client&client_secret=" << QByteArray() << 400
                                         << passed << QByteArray();
    QTest::newRow("another scheme is ignored, parameters used")
        << QString() << grant + "&client_id=messaging-client&client_secret=secret" << QByteArray("Bearer abc") << 400
        << passed << QByteArray();
    QTest::newRow("Basic percent-encoded (openid-client)")
        << QString() << grant << basicRaw("messaging%2Dclient:secret") << 400 << passed << QByteArray();
    QTest::newRow("Basic form-encoded odd client")
        << QString() << grant << basicRaw("app%2Bone%2F%25x:p%40ss+word%2B%25%3A1") << 400 << passed << QByteArray();
    QTest::newRow("parameters, odd client")
        << QString() << grant + "&client_id=app%2Bone%2F%25x&client_secret=p%40ss+word%2B%25%3A1" << QByteArray() << 400
        << passed << QByteArray();
    QTest::newRow("Basic with an empty secret")
        << QString() << grant << basicRaw("public-client:") << 400 << passed << QByteArray();

    // Rejected by parameters: Form challenge.
    QTest::newRow("unknown client by parameters") << QString() << grant + "&client_id=nobody&client_secret=secret"
                                                  << QByteArray() << 401 << kBadCredentials << kFormChallenge;
    QTest::newRow("wrong secret by parameters")
        << QString() << grant + "&client_id=messaging-client&client_secret=wrong" << QByteArray() << 401
        << kBadCredentials << kFormChallenge;
    QTest::newRow("missing client_secret is not the real one")
        << QString() << grant + "&client_id=messaging-client" << QByteArray() << 401 << kBadCredentials
        << kFormChallenge;
    QTest::newRow("secret differs only in case")
        << QString() << grant + "&client_id=messaging-client&client_secret=Secret" << QByteArray() << 401
        << kBadCredentials << kFormChallenge;
    QTest::newRow("secret is a prefix") << QString() << grant + "&client_id=messaging-client&client_secret=secre"
                                        << QByteArray() << 401 << kBadCredentials << kFormChallenge;
    QTest::newRow("empty client_id") << QString() << grant + "&client_id=&client_secret=secret" << QByteArray() << 401
                                     << kBadCredentials << kFormChallenge;

    // Rejected by Basic, or no client authentication: Basic challenge.
    QTest::newRow("wrong secret by Basic")
        << QString() << grant << basicRaw("messaging-client:wrong") << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("unknown client by Basic")
        << QString() << grant << basicRaw("nobody:secret") << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("Basic, bad base64") << QString() << grant << QByteArray("Basic !!not*base64!!") << 401
                                       << kBadCredentials << kBasicChallenge;
    QTest::newRow("Basic, no colon") << QString() << grant << basicRaw("messaging-client") << 401 << kBadCredentials
                                     << kBasicChallenge;
    QTest::newRow("Basic, empty credentials")
        << QString() << grant << QByteArray("Basic ") << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("Basic fails although the parameters are right")
        << QString() << grant + "&client_id=messaging-client&client_secret=secret" << basicRaw("messaging-client:wrong")
        << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("Basic with a raw '+': decoded as a space (form-encoding)")
        << QString() << grant << basicRaw("app+one/%x:p@ss word+%:1") << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("no client authentication")
        << QString() << grant << QByteArray() << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("client_secret without client_id")
        << QString() << grant + "&client_secret=secret" << QByteArray() << 401 << kBadCredentials << kBasicChallenge;
    QTest::newRow("another scheme and no parameters")
        << QString() << grant << QByteArray("Bearer abc") << 401 << kBadCredentials << kBasicChallenge;

    // Raised inside the endpoint: Spring's DefaultWebResponseExceptionTranslator adds "Bearer <summary>" to every
    // 401 it renders, and TokenEndpoint throws this InvalidClientException after the Basic filter succeeded.
    const QByteArray mismatch = "Given client ID does not match authenticated client";
    QTest::newRow("client_id parameter differs from the Basic client")
        << QString() << grant + "&client_id=other" << seedBasic << 401
        << "{\"error\":\"invalid_client\",\"error_description\":\"" + mismatch + "\"}"
        << "Bearer error=\"invalid_client\", error_description=\"" + mismatch + '"';
}

void TstClientAuth::authentication()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);

    TestServer server(authSettings());
    HttpTestClient http(server.port());
    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append(qMakePair(QByteArray("Authorization"), authorization));
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token") + query, body, headers);
    CHECKED(expectJsonError(r, status, expected, challenge));
}

void TstClientAuth::exchangeWithBasic()
{
    TestServer server(authSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, kSeedClient, &code));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    const TestResponse r =
        http.postForm(QStringLiteral("/oauth/token"),
                      "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=http%3A%2F%2Flocalhost",
                      HttpTestClient::basic(kSeedClient, kSeedSecret));
    CHECKED(expectToken(r));
    QCOMPARE(issued.size(), 2);
}

void TstClientAuth::exchangeWithParameters_data()
{
    QTest::addColumn<bool>("inQuery");
    QTest::newRow("query") << true;
    QTest::newRow("body") << false;
}

void TstClientAuth::exchangeWithParameters()
{
    QFETCH(bool, inQuery);
    TestServer server(authSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, kSeedClient, &code));
    const QByteArray params = "grant_type=authorization_code&code=" + enc(code) +
                              "&client_id=messaging-client&client_secret=secret&redirect_uri=http%3A%2F%2Flocalhost";
    const TestResponse r = inQuery ? http.postForm(QStringLiteral("/oauth/token?") + QString::fromLatin1(params), {})
                                   : http.postForm(QStringLiteral("/oauth/token"), params);
    CHECKED(expectToken(r));
}

void TstClientAuth::exchangeWithEncodedCredentials_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QByteArray>("credentials"); // before base64
    QTest::newRow("messaging%2Dclient:secret") << kSeedClient << QByteArray("messaging%2Dclient:secret");
    QTest::newRow("fully percent-encoded")
        << kSeedClient << QByteArray("%6D%65%73%73%61%67%69%6E%67%2D%63%6C%69%65%6E%74:%73ecret");
    QTest::newRow("odd client, form-encoded") << kOddClient << QByteArray("app%2Bone%2F%25x:p%40ss+word%2B%25%3A1");
    QTest::newRow("odd client, spaces as %20") << kOddClient << QByteArray("app%2Bone%2F%25x:p%40ss%20word%2B%25%3A1");
}

void TstClientAuth::exchangeWithEncodedCredentials()
{
    QFETCH(QString, clientId);
    QFETCH(QByteArray, credentials);
    TestServer server(authSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, clientId, &code));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    const TestResponse r =
        http.postForm(QStringLiteral("/oauth/token"),
                      "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=http%3A%2F%2Flocalhost",
                      {qMakePair(QByteArray("Authorization"), basicRaw(credentials))});
    CHECKED(expectToken(r));
    QCOMPARE(issued.size(), 2);
    QCOMPARE(qvariant_cast<IssuedToken>(issued.at(0).at(0)).clientId, clientId);
}

// The seed's second curl line: `client_id=messging-client` (sic) in a urlencoded body.
void TstClientAuth::seedMisspelledClientId()
{
    TestServer server(authSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, kSeedClient, &code));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    const TestResponse r =
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=authorization_code&code=" + code.toUtf8() +
                                                          "&client_id=messging-client&client_secret=secret"
                                                          "&redirect_uri=http://localhost");
    CHECKED(expectJsonError(r, 401, kBadCredentials, kFormChallenge));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(finished.size(), 1);
    const auto record = qvariant_cast<ExchangeRecord>(finished.at(0).at(0));
    QCOMPARE(record.status, 401);

    // Authentication failed before the grant ran: the code is still good for the right client.
    const TestResponse fixed =
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=authorization_code&code=" + code.toUtf8() +
                                                          "&client_id=messaging-client&client_secret=secret"
                                                          "&redirect_uri=http://localhost");
    CHECKED(expectToken(fixed));
}

QTEST_GUILESS_MAIN(TstClientAuth)
#include "tst_clientauth.moc"
