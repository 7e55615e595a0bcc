// POST /oauth/token grant_type=client_credentials against a live server (RFC 6749 §4.4, PROTOCOL.md "Other legacy
// endpoints"): the token belongs to the client alone, never comes with a refresh token, is reused while live for the
// same client and scopes, and each request is a flow of its own. Exact status, raw JSON bytes, headers and signals.

#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "model/IssuedToken.h"
#include "store/TokenStore.h"
#include "trace/FlowTracker.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include <optional>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kClient = QStringLiteral("cc-client");
const QString kSecret = QStringLiteral("cc-secret");

Client makeClient(const QString &id, const QString &secret, GrantTypes grants, int accessLifetime = 0)
{
    Client c;
    c.id = id;
    c.secret = secret;
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = grants;
    c.accessTokenLifetime = accessLifetime;
    return c;
}

// The seed's world (whose client lacks the grant) plus client_credentials clients: one with only that grant, one
// that also has refresh_token (it still gets none), one with a short access lifetime, one that also has password.
ServerSettings ccSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients << makeClient(kClient, kSecret, GrantType::ClientCredentials)
              << makeClient(QStringLiteral("cc-refresh-client"), QStringLiteral("cc-refresh-secret"),
                            GrantType::ClientCredentials | GrantType::RefreshToken)
              << makeClient(QStringLiteral("cc-short-client"), QStringLiteral("cc-short-secret"),
                            GrantType::ClientCredentials, 600)
              << makeClient(QStringLiteral("cc-password-client"), QStringLiteral("cc-password-secret"),
                            GrantType::ClientCredentials | GrantType::Password | GrantType::RefreshToken);
    return s;
}

// grant_type=client_credentials[&scope=…] with HTTP Basic.
TestResponse requestToken(HttpTestClient &http, const std::optional<QString> &scope = std::nullopt,
                          const QString &clientId = kClient, const QString &secret = kSecret)
{
    QByteArray body = "grant_type=client_credentials";
    if (scope)
        body += "&scope=" + enc(*scope);
    return http.postForm(QStringLiteral("/oauth/token"), body, HttpTestClient::basic(clientId, secret));
}

} // namespace

class TstClientCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuesClientToken_data();
    void issuesClientToken();
    void neverRefreshToken();
    void errors_data();
    void errors();
    void liveTokenReuse();
    void reuseIsPerScope();
    void expiredTokenReplaced();
    void liveTokenReuseDisabled();
    void perClientLifetime();
    void separateFromUserTokens();
};

void TstClientCredentials::issuesClientToken_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("basic");
    QTest::addColumn<QString>("scope");

    QTest::newRow("Basic, no scope: the client's scopes")
        << QByteArray("grant_type=client_credentials") << true << QStringLiteral("read write");
    QTest::newRow("Basic, scope=read") << QByteArray("grant_type=client_credentials&scope=read") << true
                                       << QStringLiteral("read");
    QTest::newRow("Basic, scope in another order, sorted")
        << QByteArray("grant_type=client_credentials&scope=write+read") << true << QStringLiteral("read write");
    QTest::newRow("Basic, empty scope: the client's scopes")
        << QByteArray("grant_type=client_credentials&scope=") << true << QStringLiteral("read write");
    QTest::newRow("credentials in the body")
        << QByteArray("grant_type=client_credentials&client_id=cc-client&client_secret=cc-secret") << false
        << QStringLiteral("read write");
}

void TstClientCredentials::issuesClientToken()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, basic);
    QFETCH(QString, scope);
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy flows(&server->flows(), &FlowTracker::flowStarted);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"), body,
                                         basic ? HttpTestClient::basic(kClient, kSecret) : HttpTestClient::Headers{});
    Tokens t;
    CHECKED(expectToken(r, &t, 43199, scope, false));
    QCOMPARE(r.body, "{\"access_token\":\"" + t.access.toUtf8() +
                         "\",\"token_type\":\"bearer\",\"expires_in\":43199,\"scope\":\"" + scope.toUtf8() + "\"}");
    QCOMPARE(r.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(r.header("Pragma"), QByteArray("no-cache"));

    // One flow, one access token without a user and without a refresh token.
    QCOMPARE(flows.size(), 1);
    const quint64 flowId = flows.at(0).at(0).toULongLong();
    QVERIFY(flowId != 0);
    QCOMPARE(flows.at(0).at(1).toString(), kClient);
    QCOMPARE(issued.size(), 1);
    const IssuedToken token = tokenAt(issued, 0);
    QCOMPARE(token.value, t.access);
    QCOMPARE(token.kind, IssuedToken::Kind::Access);
    QCOMPARE(token.clientId, kClient);
    QVERIFY(token.username.isEmpty());
    QCOMPARE(token.scopes.joined(), scope);
    QVERIFY(token.refreshToken.isEmpty());
    QVERIFY(token.grantCode.isEmpty());
    QCOMPARE(token.flowId, flowId);
    QCOMPARE(token.expiresAtMs - token.issuedAtMs, qint64(43200) * 1000);
    QCOMPARE(server->tokens().refreshCount(), 0);

    QCOMPARE(finished.size(), 1);
    const ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.status, 200);
    QCOMPARE(record.clientId, kClient);
    QVERIFY(record.username.isEmpty());
    QCOMPARE(record.flowId, flowId);
}

void TstClientCredentials::neverRefreshToken()
{
    // RFC 6749 §4.4.3: even a client with the refresh_token grant gets no refresh token here.
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    Tokens t;
    CHECKED(expectToken(
        requestToken(http, std::nullopt, QStringLiteral("cc-refresh-client"), QStringLiteral("cc-refresh-secret")), &t,
        43199, QStringLiteral("read write"), false));
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).kind, IssuedToken::Kind::Access);
    QCOMPARE(server->tokens().refreshCount(), 0);

    // Reused: still no refresh token.
    server.clock().advanceSeconds(10);
    Tokens again;
    CHECKED(expectToken(
        requestToken(http, std::nullopt, QStringLiteral("cc-refresh-client"), QStringLiteral("cc-refresh-secret")),
        &again, 43189, QStringLiteral("read write"), false));
    QCOMPARE(again.access, t.access);
}

void TstClientCredentials::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");

    const QString unauthorized = QStringLiteral("Unauthorized grant type: client_credentials");
    QTest::newRow("client without the grant")
        << QByteArray("grant_type=client_credentials") << QStringLiteral("messaging-client") << QStringLiteral("secret")
        << 401 << jsonError("invalid_client", unauthorized) << bearerChallenge("invalid_client", unauthorized);
    QTest::newRow("wrong secret") << QByteArray("grant_type=client_credentials") << kClient << QStringLiteral("nope")
                                  << 401 << jsonError("invalid_client", QStringLiteral("Bad client credentials"))
                                  << QByteArray("Basic realm=\"oauth2/client\"");
    QTest::newRow("unknown client") << QByteArray("grant_type=client_credentials") << QStringLiteral("ghost")
                                    << QStringLiteral("ghost") << 401
                                    << jsonError("invalid_client", QStringLiteral("Bad client credentials"))
                                    << QByteArray("Basic realm=\"oauth2/client\"");
    QTest::newRow("scope outside the client's")
        << QByteArray("grant_type=client_credentials&scope=read+admin") << kClient << kSecret << 400
        << QByteArray("{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scope: admin\","
                      "\"scope\":\"read write\"}")
        << QByteArray();
    QTest::newRow("repeated scope") << QByteArray("grant_type=client_credentials&scope=read&scope=write") << kClient
                                    << kSecret << 400
                                    << jsonError("invalid_request",
                                                 QStringLiteral("Parameter scope must not be provided more than once"))
                                    << QByteArray();
}

void TstClientCredentials::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, clientId);
    QFETCH(QString, secret);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy flows(&server->flows(), &FlowTracker::flowStarted);

    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"), body, HttpTestClient::basic(clientId, secret));
    CHECKED(expectJsonError(r, status, expected, challenge));
    QCOMPARE(issued.size(), 0);
    // Rejected before the grant runs: no flow.
    QCOMPARE(flows.size(), 0);
}

void TstClientCredentials::liveTokenReuse()
{
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    Tokens first;
    CHECKED(expectToken(requestToken(http), &first, 43199, QStringLiteral("read write"), false));

    server.clock().advanceSeconds(100);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    Tokens second;
    // The same scopes named differently are the same key (sorted).
    CHECKED(expectToken(requestToken(http, QStringLiteral("write read")), &second, 43099, QStringLiteral("read write"),
                        false));
    QCOMPARE(second.access, first.access);
    QCOMPARE(issued.size(), 0);
    QCOMPARE(revoked.size(), 0);
    QCOMPARE(server->tokens().accessCount(), 1);
    QCOMPARE(lastRecord(finished).status, 200);
}

void TstClientCredentials::reuseIsPerScope()
{
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    Tokens all;
    Tokens read;
    CHECKED(expectToken(requestToken(http), &all, 43199, QStringLiteral("read write"), false));
    CHECKED(expectToken(requestToken(http, QStringLiteral("read")), &read, 43199, QStringLiteral("read"), false));
    QVERIFY(read.access != all.access);
    // And per client: another client with the same scopes gets its own token.
    Tokens other;
    CHECKED(expectToken(
        requestToken(http, std::nullopt, QStringLiteral("cc-refresh-client"), QStringLiteral("cc-refresh-secret")),
        &other, 43199, QStringLiteral("read write"), false));
    QVERIFY(other.access != all.access);
    Tokens readAgain;
    CHECKED(expectToken(requestToken(http, QStringLiteral("read")), &readAgain, 43199, QStringLiteral("read"), false));
    QCOMPARE(readAgain.access, read.access);
    QCOMPARE(server->tokens().accessCount(), 3);
}

void TstClientCredentials::expiredTokenReplaced()
{
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    Tokens first;
    CHECKED(expectToken(requestToken(http), &first, 43199, QStringLiteral("read write"), false));

    server.clock().advanceSeconds(43200);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    Tokens second;
    CHECKED(expectToken(requestToken(http), &second, 43199, QStringLiteral("read write"), false));
    QVERIFY(second.access != first.access);
    QCOMPARE(revoked.size(), 1);
    QCOMPARE(tokenAt(revoked, 0).value, first.access);
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).value, second.access);
    QVERIFY(!server->tokens().findAccess(first.access));
}

void TstClientCredentials::liveTokenReuseDisabled()
{
    ServerSettings settings = ccSettings();
    settings.reuseLiveTokens = false;
    TestServer server(settings);
    HttpTestClient http(server.port());
    Tokens first;
    Tokens second;
    CHECKED(expectToken(requestToken(http), &first, 43199, QStringLiteral("read write"), false));
    CHECKED(expectToken(requestToken(http), &second, 43199, QStringLiteral("read write"), false));
    QVERIFY(second.access != first.access);
    QCOMPARE(server->tokens().accessCount(), 2);
}

void TstClientCredentials::perClientLifetime()
{
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(expectToken(
        requestToken(http, std::nullopt, QStringLiteral("cc-short-client"), QStringLiteral("cc-short-secret")), &t, 599,
        QStringLiteral("read write"), false));
}

void TstClientCredentials::separateFromUserTokens()
{
    // Spring keys a client-only token without a user name: the same client's user token (password grant) for the
    // same scopes is a different token, and neither replaces the other.
    TestServer server(ccSettings());
    HttpTestClient http(server.port());
    const auto basic =
        HttpTestClient::basic(QStringLiteral("cc-password-client"), QStringLiteral("cc-password-secret"));
    const TestResponse user =
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=password&username=user&password=password", basic);
    Tokens userTokens;
    CHECKED(expectToken(user, &userTokens, 43199, QStringLiteral("read write"), true));

    Tokens client;
    CHECKED(expectToken(http.postForm(QStringLiteral("/oauth/token"), "grant_type=client_credentials", basic), &client,
                        43199, QStringLiteral("read write"), false));
    QVERIFY(client.access != userTokens.access);
    QVERIFY(server->tokens().findAccess(userTokens.access));
    QCOMPARE(server->tokens().findAccess(client.access)->username, QString());

    Tokens userAgain;
    CHECKED(expectToken(
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=password&username=user&password=password", basic),
        &userAgain, 43199, QStringLiteral("read write"), true));
    QCOMPARE(userAgain.access, userTokens.access);
    QCOMPARE(userAgain.refresh, userTokens.refresh);
}

QTEST_GUILESS_MAIN(TstClientCredentials)
#include "tst_clientcredentials.moc"
