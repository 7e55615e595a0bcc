// POST /oauth/introspect (RFC 7662) against a live server: client authentication as at the token endpoint, the
// exact JSON for live access and refresh tokens (key order fixed), and {"active":false} for unknown, expired and
// revoked tokens. Exact status, body and headers.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "model/IssuedToken.h"
#include "store/TokenStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kSeedSecret = QStringLiteral("secret");
const ClientCredentials kSeed{};
const ClientCredentials kOther{QStringLiteral("other-client"), QStringLiteral("other-secret")};

// FakeClock's start, in seconds: the iat of every token issued before the clock moves.
constexpr qint64 kStart = 1'800'000'000;
const QByteArray kInactive = QByteArrayLiteral("{\"active\":false}");

ServerSettings introspectionSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client other = s.clients.first();
    other.id = kOther.id;
    other.secret = kOther.secret;
    other.autoApprove.mode = AutoApprove::Mode::All;
    s.clients << other;
    return s;
}

// Steps 1–7 for `client` and the seed user: *out gets the read-write tokens.
void issueTokens(HttpTestClient &http, const ClientCredentials &client, Tokens *out)
{
    BrowserFlow flow(
        http, QStringLiteral("response_type=code&client_id=%1&redirect_uri=http://localhost").arg(client.id), client);
    CHECKED(flow.obtainCode());
    CHECKED(expectToken(flow.exchangeCode(flow.code()), out, 43199, QStringLiteral("read write")));
}

TestResponse introspect(HttpTestClient &http, const QByteArray &body, const ClientCredentials &client = kSeed)
{
    return http.postForm(QStringLiteral("/oauth/introspect"), body, HttpTestClient::basic(client.id, client.secret));
}

// 200 with exactly `body` and the headers of every answer about tokens.
void expectIntrospection(const TestResponse &r, const QByteArray &body)
{
    QCOMPARE(r.body, body);
    QCOMPARE(r.status, 200);
    const QList<QPair<QByteArray, QByteArray>> expected{{"Cache-Control", "no-store"},
                                                        {"Pragma", "no-cache"},
                                                        {"Content-Type", kJsonType},
                                                        {"Content-Length", QByteArray::number(body.size())}};
    QCOMPARE(r.headers, expected);
}

QByteArray accessJson(const QString &clientId, qint64 iat, qint64 exp)
{
    return "{\"active\":true,\"scope\":\"read write\",\"client_id\":\"" + clientId.toUtf8() +
           "\",\"username\":\"user\",\"token_type\":\"bearer\",\"exp\":" + QByteArray::number(exp) +
           ",\"iat\":" + QByteArray::number(iat) + ",\"sub\":\"user\"}";
}

QByteArray refreshJson(qint64 iat, qint64 exp)
{
    return "{\"active\":true,\"scope\":\"read write\",\"client_id\":\"messaging-client\",\"username\":\"user\","
           "\"exp\":" +
           QByteArray::number(exp) + ",\"iat\":" + QByteArray::number(iat) + ",\"sub\":\"user\"}";
}

IssuedToken storedToken(const QString &value, const QString &username, qint64 expiresAtMs)
{
    IssuedToken t;
    t.value = value;
    t.clientId = kSeedClient;
    t.username = username;
    t.scopes = ScopeSet({QStringLiteral("read")});
    t.issuedAtMs = kStart * 1000 + 999; // the JSON truncates to whole seconds
    t.expiresAtMs = expiresAtMs;
    return t;
}

} // namespace

class TstIntrospection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errors_data();
    void errors();
    void getIsNotAllowed();
    void activeAccessToken_data();
    void activeAccessToken();
    void activeRefreshToken_data();
    void activeRefreshToken();
    void expiry_data();
    void expiry();
    void revokedTokens();
    void replacedAccessToken();
    void unknownToken_data();
    void unknownToken();
    void tokenOfAnotherClient();
    void storedTokenShapes_data();
    void storedTokenShapes();
    void credentialsInTheBody();
    void requestRecord();
};

void TstIntrospection::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");

    const QByteArray seed = HttpTestClient::basic(kSeedClient, kSeedSecret).first().second;
    const QByteArray badClient = jsonError("invalid_client", QStringLiteral("Bad client credentials"));
    QTest::newRow("no client authentication")
        << QByteArray("token=x") << QByteArray() << 401 << badClient << QByteArray("Basic realm=\"oauth2/client\"");
    QTest::newRow("wrong Basic secret") << QByteArray("token=x")
                                        << HttpTestClient::basic(kSeedClient, QStringLiteral("nope")).first().second
                                        << 401 << badClient << QByteArray("Basic realm=\"oauth2/client\"");
    QTest::newRow("wrong secret by parameters")
        << QByteArray("token=x&client_id=messaging-client&client_secret=nope") << QByteArray() << 401 << badClient
        << QByteArray(
               "Form realm=\"oauth2/client\", error=\"invalid_client\", error_description=\"Bad client credentials\"");
    const QByteArray noToken = jsonError("invalid_request", QStringLiteral("token parameter not provided"));
    QTest::newRow("missing token") << QByteArray("token_type_hint=access_token") << seed << 400 << noToken
                                   << QByteArray();
    QTest::newRow("empty token") << QByteArray("token=") << seed << 400 << noToken << QByteArray();
    QTest::newRow("repeated token") << QByteArray("token=a&token=a") << seed << 400
                                    << jsonError("invalid_request",
                                                 QStringLiteral("Parameter token must not be provided more than once"))
                                    << QByteArray();
}

void TstIntrospection::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);

    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    CHECKED(expectJsonError(http.postForm(QStringLiteral("/oauth/introspect"), body, headers), status, expected,
                            challenge));
}

void TstIntrospection::getIsNotAllowed()
{
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/introspect?token=x"));
    CHECKED(
        expectJsonError(r, 405, jsonError("method_not_allowed", QStringLiteral("Request method 'GET' not supported"))));
    QCOMPARE(r.header("Allow"), QByteArray("POST"));
}

void TstIntrospection::activeAccessToken_data()
{
    QTest::addColumn<QByteArray>("hint");
    QTest::newRow("no hint") << QByteArray();
    QTest::newRow("access_token hint") << QByteArray("&token_type_hint=access_token");
    // RFC 7662 §2.1: a wrong or unknown hint only changes where the search starts.
    QTest::newRow("wrong hint") << QByteArray("&token_type_hint=refresh_token");
    QTest::newRow("unknown hint") << QByteArray("&token_type_hint=id_token");
}

void TstIntrospection::activeAccessToken()
{
    QFETCH(QByteArray, hint);
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    server.clock().advanceSeconds(100);
    // iat and exp are absolute: the clock moving does not change them.
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(t.access) + hint),
                                accessJson(kSeedClient, kStart, kStart + 43200)));
}

void TstIntrospection::activeRefreshToken_data()
{
    QTest::addColumn<QByteArray>("hint");
    QTest::newRow("no hint") << QByteArray();
    QTest::newRow("refresh_token hint") << QByteArray("&token_type_hint=refresh_token");
    QTest::newRow("wrong hint") << QByteArray("&token_type_hint=access_token");
}

void TstIntrospection::activeRefreshToken()
{
    QFETCH(QByteArray, hint);
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    // A refresh token has no token_type (RFC 7662 §2.2 names access token types only).
    CHECKED(
        expectIntrospection(introspect(http, "token=" + enc(t.refresh) + hint), refreshJson(kStart, kStart + 2592000)));
}

void TstIntrospection::expiry_data()
{
    QTest::addColumn<bool>("refresh");
    QTest::addColumn<int>("ageSeconds");
    QTest::addColumn<bool>("active");
    QTest::newRow("access, 1 s before expiry") << false << 43199 << true;
    QTest::newRow("access, at expiry") << false << 43200 << false;
    QTest::newRow("refresh, after the access token expired") << true << 43200 << true;
    QTest::newRow("refresh, 1 s before expiry") << true << 2591999 << true;
    QTest::newRow("refresh, at expiry") << true << 2592000 << false;
}

void TstIntrospection::expiry()
{
    QFETCH(bool, refresh);
    QFETCH(int, ageSeconds);
    QFETCH(bool, active);
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    server.clock().advanceSeconds(ageSeconds);
    const QByteArray expected = !active   ? kInactive
                                : refresh ? refreshJson(kStart, kStart + 2592000)
                                          : accessJson(kSeedClient, kStart, kStart + 43200);
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(refresh ? t.refresh : t.access)), expected));
}

void TstIntrospection::revokedTokens()
{
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    const TestResponse revoked = http.postForm(QStringLiteral("/oauth/revoke"), "token=" + enc(t.refresh),
                                               HttpTestClient::basic(kSeedClient, kSeedSecret));
    QCOMPARE(revoked.status, 200);
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(t.refresh)), kInactive));
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(t.access)), kInactive));
}

void TstIntrospection::replacedAccessToken()
{
    // A refresh revokes the access token it replaces: the old one is inactive, the new one active.
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    server.clock().advanceSeconds(60);
    BrowserFlow client(http);
    const TestResponse refreshed = client.refresh(t.refresh);
    Tokens after;
    CHECKED(expectToken(refreshed, &after, 43199, QStringLiteral("read write")));
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(t.access)), kInactive));
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(after.access)),
                                accessJson(kSeedClient, kStart + 60, kStart + 60 + 43200)));
    // The refresh token keeps its issue time and expiry (reuse, PROTOCOL.md step 8).
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(t.refresh)), refreshJson(kStart, kStart + 2592000)));
}

void TstIntrospection::unknownToken_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("unknown") << QByteArray("token=no-such-token");
    QTest::newRow("unknown, refresh hint") << QByteArray("token=no-such-token&token_type_hint=refresh_token");
    QTest::newRow("an authorization code is no token") << QByteArray("token=ABCDEF");
}

void TstIntrospection::unknownToken()
{
    QFETCH(QByteArray, body);
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    CHECKED(expectIntrospection(introspect(http, body), kInactive));
}

void TstIntrospection::tokenOfAnotherClient()
{
    // Any authenticated client may introspect any token: a resource server is a client of its own.
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens seed;
    CHECKED(issueTokens(http, kSeed, &seed));
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(seed.access), kOther),
                                accessJson(kSeedClient, kStart, kStart + 43200)));
    Tokens other;
    CHECKED(issueTokens(http, kOther, &other));
    CHECKED(expectIntrospection(introspect(http, "token=" + enc(other.access)),
                                accessJson(kOther.id, kStart, kStart + 43200)));
}

void TstIntrospection::storedTokenShapes_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<qint64>("expiresAtMs");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray exp = QByteArray::number(kStart + 600);
    const QByteArray iat = QByteArray::number(kStart);
    QTest::newRow("client-only: no username, no sub")
        << QString() << (kStart + 600) * 1000
        << "{\"active\":true,\"scope\":\"read\",\"client_id\":\"messaging-client\",\"token_type\":\"bearer\",\"exp\":" +
               exp + ",\"iat\":" + iat + "}";
    QTest::newRow("never expires: no exp")
        << QStringLiteral("user") << qint64(0)
        << "{\"active\":true,\"scope\":\"read\",\"client_id\":\"messaging-client\",\"username\":\"user\","
           "\"token_type\":\"bearer\",\"iat\":" +
               iat + ",\"sub\":\"user\"}";
    QTest::newRow("username JSON-escaped")
        << QStringLiteral("a\"b\\c") << (kStart + 600) * 1000
        << "{\"active\":true,\"scope\":\"read\",\"client_id\":\"messaging-client\",\"username\":\"a\\\"b\\\\c\","
           "\"token_type\":\"bearer\",\"exp\":" +
               exp + ",\"iat\":" + iat + ",\"sub\":\"a\\\"b\\\\c\"}";
}

void TstIntrospection::storedTokenShapes()
{
    QFETCH(QString, username);
    QFETCH(qint64, expiresAtMs);
    QFETCH(QByteArray, expected);
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    server->tokens().storeAccess(storedToken(QStringLiteral("stored-token"), username, expiresAtMs));
    CHECKED(expectIntrospection(introspect(http, "token=stored-token"), expected));
}

void TstIntrospection::credentialsInTheBody()
{
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    CHECKED(expectIntrospection(
        http.postForm(QStringLiteral("/oauth/introspect"),
                      "token=" + enc(t.access) + "&client_id=other-client&client_secret=other-secret"),
        accessJson(kSeedClient, kStart, kStart + 43200)));
}

void TstIntrospection::requestRecord()
{
    TestServer server(introspectionSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    const quint64 flowId = server->tokens().findAccess(t.access)->flowId;
    QVERIFY(flowId != 0);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    CHECKED(expectIntrospection(introspect(http, "token=" + enc(t.access), kOther),
                                accessJson(kSeedClient, kStart, kStart + 43200)));
    ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.clientId, kOther.id); // who asked
    QCOMPARE(record.username, QStringLiteral("user"));
    QCOMPARE(record.flowId, flowId);
    QCOMPARE(record.debugDetail, QString());

    CHECKED(expectIntrospection(introspect(http, "token=gone"), kInactive));
    record = lastRecord(finished);
    QCOMPARE(record.flowId, quint64(0));
    QCOMPARE(record.debugDetail, QStringLiteral("unknown token"));
    // Introspection changes nothing.
    QCOMPARE(issued.size(), 0);
    QCOMPARE(revoked.size(), 0);
}

QTEST_GUILESS_MAIN(TstIntrospection)
#include "tst_introspection.moc"
