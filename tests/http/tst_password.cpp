// POST /oauth/token grant_type=password against a live server (RFC 6749 §4.3, PROTOCOL.md's /oauth/token table):
// the user's tokens for the client's username and password, "Bad credentials" for anything else, a refresh token
// only for clients with the refresh_token grant, live-token reuse, and the login events on a flow of its own.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "ServerEvents.h"
#include "model/IssuedToken.h"
#include "store/TokenStore.h"
#include "trace/FlowTracker.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kClient = QStringLiteral("pw-client");
const QString kSecret = QStringLiteral("pw-secret");

Client makeClient(const QString &id, const QString &secret, GrantTypes grants)
{
    Client c;
    c.id = id;
    c.secret = secret;
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = grants;
    c.autoApprove.mode = AutoApprove::Mode::All;
    return c;
}

User makeUser(const QString &name, const QString &password)
{
    User u;
    u.username = name;
    u.password = password;
    return u;
}

// The seed's world (whose client lacks the grant) plus password clients with and without refresh_token (the first
// also has authorization_code), a user whose password needs encoding and one with an empty password.
ServerSettings passwordSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients << makeClient(kClient, kSecret,
                            GrantType::Password | GrantType::RefreshToken | GrantType::AuthorizationCode)
              << makeClient(QStringLiteral("pw-norefresh-client"), QStringLiteral("pw-norefresh-secret"),
                            GrantType::Password);
    s.users << makeUser(QStringLiteral("alice"), QStringLiteral("wonder land&=+%"))
            << makeUser(QStringLiteral("nopass"), QString(""));
    return s;
}

TestResponse passwordToken(HttpTestClient &http, const QByteArray &params, const QString &clientId = kClient,
                           const QString &secret = kSecret)
{
    return http.postForm(QStringLiteral("/oauth/token"), "grant_type=password&" + params,
                         HttpTestClient::basic(clientId, secret));
}

TestResponse userToken(HttpTestClient &http, const QString &username = QStringLiteral("user"),
                       const QString &password = QStringLiteral("password"), const QString &clientId = kClient,
                       const QString &secret = kSecret)
{
    return passwordToken(http, "username=" + enc(username) + "&password=" + enc(password), clientId, secret);
}

} // namespace

class TstPassword : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuesUserTokens_data();
    void issuesUserTokens();
    void noRefreshTokenWithoutGrant();
    void badCredentials_data();
    void badCredentials();
    void grantNotAllowed();
    void invalidScope();
    void refreshAfterPassword();
    void liveTokenReuse();
    void sameKeyAsCodeFlow();
};

void TstPassword::issuesUserTokens_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("basic");
    QTest::addColumn<QString>("username");
    QTest::addColumn<QString>("scope");

    QTest::newRow("seed user, no scope") << QByteArray("grant_type=password&username=user&password=password") << true
                                         << QStringLiteral("user") << QStringLiteral("read write");
    QTest::newRow("scope=write") << QByteArray("grant_type=password&username=user&password=password&scope=write")
                                 << true << QStringLiteral("user") << QStringLiteral("write");
    QTest::newRow("password with reserved characters")
        << QByteArray("grant_type=password&username=alice&password=wonder+land%26%3D%2B%25") << true
        << QStringLiteral("alice") << QStringLiteral("read write");
    QTest::newRow("client credentials in the body")
        << QByteArray("grant_type=password&username=user&password=password&client_id=pw-client&client_secret=pw-secret")
        << false << QStringLiteral("user") << QStringLiteral("read write");
}

void TstPassword::issuesUserTokens()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, basic);
    QFETCH(QString, username);
    QFETCH(QString, scope);
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy flows(&server->flows(), &FlowTracker::flowStarted);
    QSignalSpy succeeded(&server->events(), &ServerEvents::loginSucceeded);
    QSignalSpy failed(&server->events(), &ServerEvents::loginFailed);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"), body,
                                         basic ? HttpTestClient::basic(kClient, kSecret) : HttpTestClient::Headers{});
    Tokens t;
    CHECKED(expectToken(r, &t, 43199, scope, true));
    QCOMPARE(r.body, "{\"access_token\":\"" + t.access.toUtf8() + "\",\"token_type\":\"bearer\",\"refresh_token\":\"" +
                         t.refresh.toUtf8() + "\",\"expires_in\":43199,\"scope\":\"" + scope.toUtf8() + "\"}");

    QCOMPARE(flows.size(), 1);
    const quint64 flowId = flows.at(0).at(0).toULongLong();
    QVERIFY(flowId != 0);
    QCOMPARE(flows.at(0).at(1).toString(), kClient);
    QCOMPARE(succeeded.size(), 1);
    QCOMPARE(succeeded.at(0).at(0).toString(), username);
    QCOMPARE(succeeded.at(0).at(1).toULongLong(), flowId);
    QCOMPARE(failed.size(), 0);

    QCOMPARE(issued.size(), 2);
    for (int i = 0; i < issued.size(); ++i) {
        const IssuedToken token = tokenAt(issued, i);
        const bool access = token.value == t.access;
        QVERIFY(access || token.value == t.refresh);
        QCOMPARE(token.kind, access ? IssuedToken::Kind::Access : IssuedToken::Kind::Refresh);
        QCOMPARE(token.clientId, kClient);
        QCOMPARE(token.username, username);
        QCOMPARE(token.scopes.joined(), scope);
        QCOMPARE(token.flowId, flowId);
        QVERIFY(token.grantCode.isEmpty());
        if (access)
            QCOMPARE(token.refreshToken, t.refresh);
    }

    const ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.status, 200);
    QCOMPARE(record.clientId, kClient);
    QCOMPARE(record.username, username);
    QCOMPARE(record.flowId, flowId);
    // The user's password never reaches the request log.
    QVERIFY2(record.requestBody.contains("password=******"), record.requestBody.constData());
    QVERIFY(!record.requestBody.contains("password=password"));
}

void TstPassword::noRefreshTokenWithoutGrant()
{
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    Tokens t;
    CHECKED(expectToken(userToken(http, QStringLiteral("user"), QStringLiteral("password"),
                                  QStringLiteral("pw-norefresh-client"), QStringLiteral("pw-norefresh-secret")),
                        &t, 43199, QStringLiteral("read write"), false));
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).kind, IssuedToken::Kind::Access);
    QCOMPARE(tokenAt(issued, 0).username, QStringLiteral("user"));
}

void TstPassword::badCredentials_data()
{
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("username"); // as loginFailed reports it

    QTest::newRow("wrong password") << QByteArray("username=user&password=wrong") << QStringLiteral("user");
    QTest::newRow("unknown user") << QByteArray("username=ghost&password=password") << QStringLiteral("ghost");
    QTest::newRow("user name is case-sensitive")
        << QByteArray("username=User&password=password") << QStringLiteral("User");
    QTest::newRow("password is not trimmed")
        << QByteArray("username=user&password=password+") << QStringLiteral("user");
    QTest::newRow("plus is a space, not a plus")
        << QByteArray("username=alice&password=wonder+land%26%3D+%25") << QStringLiteral("alice");
    QTest::newRow("missing username") << QByteArray("password=password") << QString();
    QTest::newRow("missing password") << QByteArray("username=user") << QStringLiteral("user");
    QTest::newRow("missing both") << QByteArray("scope=read") << QString();
    QTest::newRow("empty password") << QByteArray("username=user&password=") << QStringLiteral("user");
    QTest::newRow("missing password of a user with an empty one")
        << QByteArray("username=nopass") << QStringLiteral("nopass");
}

void TstPassword::badCredentials()
{
    QFETCH(QByteArray, params);
    QFETCH(QString, username);
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy flows(&server->flows(), &FlowTracker::flowStarted);
    QSignalSpy succeeded(&server->events(), &ServerEvents::loginSucceeded);
    QSignalSpy failed(&server->events(), &ServerEvents::loginFailed);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    // PROTOCOL.md: password grant, bad user credentials → 400 invalid_grant "Bad credentials", no challenge.
    CHECKED(expectJsonError(passwordToken(http, params), 400,
                            jsonError("invalid_grant", QStringLiteral("Bad credentials"))));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(succeeded.size(), 0);
    QCOMPARE(flows.size(), 1);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), username);
    QCOMPARE(failed.at(0).at(1).toULongLong(), flows.at(0).at(0).toULongLong());
    const ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.flowId, flows.at(0).at(0).toULongLong());
    QVERIFY(record.username.isEmpty());
    QVERIFY(!record.debugDetail.isEmpty());
}

void TstPassword::grantNotAllowed()
{
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    QSignalSpy flows(&server->flows(), &FlowTracker::flowStarted);
    QSignalSpy succeeded(&server->events(), &ServerEvents::loginSucceeded);
    QSignalSpy failed(&server->events(), &ServerEvents::loginFailed);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    // PROTOCOL.md: "password needs the grant on the client"; the seed client has only code and refresh.
    const QString unauthorized = QStringLiteral("Unauthorized grant type: password");
    CHECKED(expectJsonError(userToken(http, QStringLiteral("user"), QStringLiteral("password"),
                                      QStringLiteral("messaging-client"), QStringLiteral("secret")),
                            401, jsonError("invalid_client", unauthorized),
                            bearerChallenge("invalid_client", unauthorized)));
    // The user's credentials were never looked at.
    QCOMPARE(flows.size(), 0);
    QCOMPARE(succeeded.size(), 0);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(issued.size(), 0);
}

void TstPassword::invalidScope()
{
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    QSignalSpy failed(&server->events(), &ServerEvents::loginFailed);
    QSignalSpy succeeded(&server->events(), &ServerEvents::loginSucceeded);
    CHECKED(expectJsonError(passwordToken(http, "username=user&password=password&scope=admin"), 400,
                            "{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scope: admin\","
                            "\"scope\":\"read write\"}"));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(succeeded.size(), 0);
}

void TstPassword::refreshAfterPassword()
{
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(expectToken(userToken(http), &t, 43199, QStringLiteral("read write"), true));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    server.clock().advanceSeconds(60);
    Tokens refreshed;
    CHECKED(expectToken(http.postForm(QStringLiteral("/oauth/token"),
                                      "grant_type=refresh_token&refresh_token=" + enc(t.refresh),
                                      HttpTestClient::basic(kClient, kSecret)),
                        &refreshed, 43199, QStringLiteral("read write"), true));
    QCOMPARE(refreshed.refresh, t.refresh);
    QVERIFY(refreshed.access != t.access);
    QCOMPARE(issued.size(), 1);
    QCOMPARE(tokenAt(issued, 0).username, QStringLiteral("user"));
    QVERIFY(!server->tokens().findAccess(t.access));
}

void TstPassword::liveTokenReuse()
{
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    Tokens first;
    CHECKED(expectToken(userToken(http), &first, 43199, QStringLiteral("read write"), true));

    server.clock().advanceSeconds(100);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy succeeded(&server->events(), &ServerEvents::loginSucceeded);
    Tokens second;
    CHECKED(expectToken(userToken(http), &second, 43099, QStringLiteral("read write"), true));
    QCOMPARE(second.access, first.access);
    QCOMPARE(second.refresh, first.refresh);
    QCOMPARE(issued.size(), 0);
    // Every password request is a login of its own.
    QCOMPARE(succeeded.size(), 1);

    // Another user of the same client gets their own tokens.
    Tokens alice;
    CHECKED(expectToken(userToken(http, QStringLiteral("alice"), QStringLiteral("wonder land&=+%")), &alice, 43199,
                        QStringLiteral("read write"), true));
    QVERIFY(alice.access != first.access);
    QVERIFY(alice.refresh != first.refresh);
}

void TstPassword::sameKeyAsCodeFlow()
{
    // Spring keys tokens by user, client and scopes, whatever the grant: a code exchanged while the password grant's
    // token is live returns that token.
    TestServer server(passwordSettings());
    HttpTestClient http(server.port());
    Tokens password;
    CHECKED(expectToken(userToken(http), &password, 43199, QStringLiteral("read write"), true));

    server.clock().advanceSeconds(50);
    ClientCredentials credentials;
    credentials.id = kClient;
    credentials.secret = kSecret;
    BrowserFlow flow(http, QStringLiteral("response_type=code&client_id=pw-client&redirect_uri=http://localhost"),
                     credentials);
    CHECKED(flow.obtainCode());
    Tokens code;
    CHECKED(expectToken(flow.exchangeCode(flow.code()), &code, 43149, QStringLiteral("read write"), true));
    QCOMPARE(code.access, password.access);
    QCOMPARE(code.refresh, password.refresh);
}

QTEST_GUILESS_MAIN(TstPassword)
#include "tst_password.moc"
