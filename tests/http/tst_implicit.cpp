// GET/POST /oauth/authorize with response_type=token against a live server (RFC 6749 §4.2, PROTOCOL.md "Other legacy
// endpoints"): after login and approval, 303 to {redirect_uri}#access_token=…&token_type=bearer[&state=…]
// &expires_in=…[&scope=…], never a refresh token; unauthorized_client in the fragment for a client without the grant;
// a remembered approval reuses the live token. Exact Location bytes and the store signals.

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

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kClient = QStringLiteral("implicit-client");
const QString kAutoClient = QStringLiteral("implicit-auto-client");

Client makeClient(const QString &id, GrantTypes grants, AutoApprove::Mode autoApprove)
{
    Client c;
    c.id = id;
    c.secret = QStringLiteral("implicit-secret");
    c.redirectUris = {QStringLiteral("http://localhost"), QStringLiteral("http://localhost/cb?app=1")};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = grants;
    c.autoApprove.mode = autoApprove;
    return c;
}

// The seed's world (whose client lacks the implicit grant) plus an implicit client that asks for approval and one
// that is auto-approved and also has the code and refresh_token grants.
ServerSettings implicitSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients << makeClient(kClient, GrantType::Implicit, AutoApprove::Mode::Off)
              << makeClient(kAutoClient, GrantType::Implicit | GrantType::AuthorizationCode | GrantType::RefreshToken,
                            AutoApprove::Mode::All);
    return s;
}

QString authorizeQuery(const QString &clientId, const QString &extra = {},
                       const QString &redirect = QStringLiteral("http://localhost"))
{
    return QStringLiteral("response_type=token&client_id=") + clientId + QStringLiteral("&redirect_uri=") +
           QString::fromLatin1(QUrl::toPercentEncoding(redirect)) + extra;
}

} // namespace

class TstImplicit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fragmentAfterApproval_data();
    void fragmentAfterApproval();
    void autoApprovedWithoutRefreshToken();
    void redirectUriWithQuery();
    void unauthorizedClient();
    void rememberedApprovalReusesToken();
    void tokenEndpointStillRefusesImplicit();
};

void TstImplicit::fragmentAfterApproval_data()
{
    QTest::addColumn<QString>("extra");       // appended to the authorize query
    QTest::addColumn<QStringList>("approve"); // scopes answered true on the approval page
    QTest::addColumn<QString>("scope");       // the token's scope
    QTest::addColumn<QByteArray>("after");    // the fragment after access_token=…&token_type=bearer
    const QStringList both{QStringLiteral("read"), QStringLiteral("write")};

    // Spring's appendAccessToken names the scope when the request had none or it differs from the token's.
    QTest::newRow("no scope, no state") << QString() << both << QStringLiteral("read write")
                                        << QByteArray("&expires_in=43199&scope=read%20write");
    QTest::newRow("scope and state as granted")
        << QStringLiteral("&scope=read%20write&state=xyz") << both << QStringLiteral("read write")
        << QByteArray("&state=xyz&expires_in=43199");
    QTest::newRow("scope in another order") << QStringLiteral("&scope=write+read") << both
                                            << QStringLiteral("read write") << QByteArray("&expires_in=43199");
    QTest::newRow("narrowed by the user")
        << QStringLiteral("&scope=read%20write&state=s") << QStringList{QStringLiteral("write")}
        << QStringLiteral("write") << QByteArray("&state=s&expires_in=43199&scope=write");
    QTest::newRow("state needing encoding")
        << QStringLiteral("&scope=read&state=a%20b%26c%3Dd%2B%23%C3%A9/?") << both << QStringLiteral("read")
        << QByteArray("&state=a%20b%26c%3Dd%2B%23%C3%A9/?&expires_in=43199");
    QTest::newRow("empty state is echoed") << QStringLiteral("&scope=read&state=") << both << QStringLiteral("read")
                                           << QByteArray("&state=&expires_in=43199");
}

void TstImplicit::fragmentAfterApproval()
{
    QFETCH(QString, extra);
    QFETCH(QStringList, approve);
    QFETCH(QString, scope);
    QFETCH(QByteArray, after);
    TestServer server(implicitSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(kClient, extra));
    CHECKED(flow.signIn());
    const TestResponse page = flow.authorize();
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("<h1>OAuth Approval</h1>"));

    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy codes(&server->codes(), &CodeStore::codeIssued);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    const TestResponse r = flow.approve(approve);
    QCOMPARE(r.status, 303);
    QCOMPARE(issued.size(), 1);
    const IssuedToken token = tokenAt(issued, 0);
    QCOMPARE(r.header("Location"),
             "http://localhost#access_token=" + token.value.toUtf8() + "&token_type=bearer" + after);
    QVERIFY(r.body.isEmpty());

    // RFC 6749 §4.2.2: an access token for the user, no refresh token, no code.
    QCOMPARE(token.kind, IssuedToken::Kind::Access);
    QCOMPARE(token.value.size(), 27);
    QCOMPARE(token.clientId, kClient);
    QCOMPARE(token.username, QStringLiteral("user"));
    QCOMPARE(token.scopes.joined(), scope);
    QVERIFY(token.refreshToken.isEmpty());
    QVERIFY(token.grantCode.isEmpty());
    QCOMPARE(server->tokens().refreshCount(), 0);
    QCOMPARE(codes.size(), 0);
    const ExchangeRecord record = lastRecord(finished);
    QVERIFY(token.flowId != 0);
    QCOMPARE(record.flowId, token.flowId);
    QCOMPARE(record.username, QStringLiteral("user"));
    QCOMPARE(record.clientId, kClient);
}

void TstImplicit::autoApprovedWithoutRefreshToken()
{
    // The client has the refresh_token grant, yet the fragment never carries one and none is issued.
    TestServer server(implicitSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(kAutoClient, QStringLiteral("&state=abc")));
    CHECKED(flow.signIn());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    const TestResponse r = flow.authorize();
    QCOMPARE(r.status, 303);
    QCOMPARE(issued.size(), 1);
    const IssuedToken token = tokenAt(issued, 0);
    QCOMPARE(r.header("Location"), "http://localhost#access_token=" + token.value.toUtf8() +
                                       "&token_type=bearer&state=abc&expires_in=43199&scope=read%20write");
    QVERIFY(!r.header("Location").contains("refresh_token"));
    QCOMPARE(server->tokens().refreshCount(), 0);
}

void TstImplicit::redirectUriWithQuery()
{
    TestServer server(implicitSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(
        http, authorizeQuery(kAutoClient, QStringLiteral("&scope=read"), QStringLiteral("http://localhost/cb?app=1")));
    CHECKED(flow.signIn());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    const TestResponse r = flow.authorize();
    QCOMPARE(r.status, 303);
    QCOMPARE(issued.size(), 1);
    // The registered query stays; the token goes after it, in the fragment.
    QCOMPARE(r.header("Location"), "http://localhost/cb?app=1#access_token=" + tokenAt(issued, 0).value.toUtf8() +
                                       "&token_type=bearer&expires_in=43199");
}

void TstImplicit::unauthorizedClient()
{
    // The seed client has authorization_code and refresh_token only. Spring checks the grant when it issues the
    // token, after approval, and answers in the fragment (RFC 6749 §4.2.2.1).
    TestServer server(implicitSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("messaging-client"), QStringLiteral("&state=s1")));
    CHECKED(flow.signIn());
    QCOMPARE(flow.authorize().status, 200);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy codes(&server->codes(), &CodeStore::codeIssued);
    const TestResponse r = flow.approve();
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("Location"), QByteArray("http://localhost#error=unauthorized_client"
                                              "&error_description=Unauthorized%20grant%20type:%20implicit&state=s1"));
    QCOMPARE(issued.size(), 0);
    QCOMPARE(codes.size(), 0);
}

void TstImplicit::rememberedApprovalReusesToken()
{
    TestServer server(implicitSettings());
    HttpTestClient http(server.port());
    const QString query = authorizeQuery(kClient, QStringLiteral("&scope=read+write&state=one"));
    BrowserFlow flow(http, query);
    CHECKED(flow.signIn());
    QCOMPARE(flow.authorize().status, 200);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    const TestResponse first = flow.approve();
    QCOMPARE(first.status, 303);
    QCOMPARE(issued.size(), 1);
    const QString access = tokenAt(issued, 0).value;

    // Spring's TokenApprovalStore: the live token stands for the approval; DefaultTokenServices reuses it.
    server.clock().advanceSeconds(100);
    const TestResponse again = flow.authorize();
    QCOMPARE(again.status, 303);
    QCOMPARE(again.header("Location"),
             "http://localhost#access_token=" + access.toUtf8() + "&token_type=bearer&state=one&expires_in=43099");
    QCOMPARE(issued.size(), 1);
}

void TstImplicit::tokenEndpointStillRefusesImplicit()
{
    TestServer server(implicitSettings());
    HttpTestClient http(server.port());
    CHECKED(expectJsonError(
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=implicit",
                      HttpTestClient::basic(kClient, QStringLiteral("implicit-secret"))),
        400, jsonError("invalid_grant", QStringLiteral("Implicit grant type not supported from token endpoint"))));
}

QTEST_GUILESS_MAIN(TstImplicit)
#include "tst_implicit.moc"
