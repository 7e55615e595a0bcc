// The editing API the window uses (OAuthServer::saveClient, setAutoApprove, saveUser, revokeToken, ...),
// checked against a live server: every change is visible to the very next HTTP request, and every refused
// change leaves the running server exactly as it was.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "auth/Sessions.h"
#include "store/ClientStore.h"
#include "store/TokenStore.h"
#include "store/UserStore.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
const QRegularExpression kCodeLocation(QStringLiteral("^http://localhost\\?code=([0-9A-Za-z_-]{6})$"));

QString authorizeFor(const QString &clientId)
{
    return QStringLiteral("/oauth/authorize?response_type=code&client_id=%1&redirect_uri=http://localhost")
        .arg(clientId);
}

} // namespace

class TestManagement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void saveClientRefusesInvalidClients_data();
    void saveClientRefusesInvalidClients();
    void renamedClientIsKnownOnlyByItsNewId();
    void setAutoApproveAppliesToTheNextAuthorize();
    void savedPasswordAppliesToTheNextLogin();
    void saveUserRefusesInvalidUsers();
    void revokingARefreshTokenRevokesItsAccessToken();
    void revokingAnAccessTokenKeepsTheRefreshToken();
    void forgottenApprovalsAskAgainButTokensStillRefresh();
    void signOutAllSessionsSendsTheBrowserToLogin();
    void restartMovesToANewPort();
    void restartOnABusyPortReportsIt();
    void applySettingsChangesTheNextToken();
};

void TestManagement::saveClientRefusesInvalidClients_data()
{
    QTest::addColumn<Client>("client");
    QTest::addColumn<QString>("previousId");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    const Client seed = TestServer::defaultSettings().clients.value(0);
    const auto with = [&](auto change) {
        Client c = seed;
        change(c);
        return c;
    };
    QTest::newRow("empty id") << with([](Client &c) { c.id.clear(); }) << kSeedClient << "client_id"
                              << "must not be empty";
    QTest::newRow("blank id") << with([](Client &c) { c.id = QStringLiteral("  "); }) << kSeedClient << "client_id"
                              << "must not be empty";
    QTest::newRow("new client with a taken id") << seed << QString() << "client_id"
                                                << "duplicate client_id \"messaging-client\"";
    QTest::newRow("rename onto another client")
        << with([](Client &c) { c.id = QStringLiteral("other"); }) << kSeedClient << "client_id"
        << "duplicate client_id \"other\"";
    QTest::newRow("relative redirect URI")
        << with([](Client &c) { c.redirectUris << QStringLiteral("/callback"); }) << kSeedClient << "redirect_uris[1]"
        << "not a valid absolute URI";
    QTest::newRow("redirect URI with a fragment")
        << with([](Client &c) { c.redirectUris = {QStringLiteral("http://localhost/cb#frag")}; }) << kSeedClient
        << "redirect_uris[0]"
        << "not a valid absolute URI";
    QTest::newRow("http redirect URI without a host")
        << with([](Client &c) { c.redirectUris = {QStringLiteral("http://")}; }) << kSeedClient << "redirect_uris[0]"
        << "not a valid absolute URI";
    QTest::newRow("scope with a space") << with([](Client &c) { c.scopes = ScopeSet({QStringLiteral("a b")}); })
                                        << kSeedClient << "scopes[0]"
                                        << "must not be empty or contain whitespace";
    QTest::newRow("no grant type") << with([](Client &c) { c.grantTypes = {}; }) << kSeedClient << "grant_types"
                                   << "choose at least one grant type";
    QTest::newRow("autoapprove outside the scopes") << with([](Client &c) {
        c.autoApprove = {AutoApprove::Mode::Scopes, ScopeSet({QStringLiteral("admin")})};
    }) << kSeedClient << "autoapprove"
                                                    << "\"admin\" is not one of the client's scopes";
    QTest::newRow("negative access lifetime")
        << with([](Client &c) { c.accessTokenLifetime = -1; }) << kSeedClient << "access_token_lifetime"
        << "must be a positive number of seconds";
    QTest::newRow("negative refresh lifetime")
        << with([](Client &c) { c.refreshTokenLifetime = -60; }) << kSeedClient << "refresh_token_lifetime"
        << "must be a positive number of seconds";
}

void TestManagement::saveClientRefusesInvalidClients()
{
    QFETCH(Client, client);
    QFETCH(QString, previousId);
    QFETCH(QString, field);
    QFETCH(QString, message);

    TestServer ts;
    Client other = *ts->clients().find(kSeedClient);
    other.id = QStringLiteral("other");
    QVERIFY(!ts->saveClient(other));
    const QList<Client> before = ts->clients().all();
    QSignalSpy changed(&ts->clients(), &ClientStore::clientChanged);
    QSignalSpy removed(&ts->clients(), &ClientStore::clientRemoved);

    const std::optional<FieldError> error = ts->saveClient(client, previousId);
    QVERIFY(error.has_value());
    QCOMPARE(error->field, field);
    QCOMPARE(error->message, message);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(removed.size(), 0);
    QVERIFY(ts->clients().all() == before);
    QVERIFY(ts->settings().clients == before);

    // The running server still knows the seed client with its secret (authenticated, then the grant fails).
    HttpTestClient http(ts.port());
    const TestResponse r = BrowserFlow(http).refresh(QStringLiteral("x"));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, jsonError("invalid_grant", QStringLiteral("Invalid refresh token: x")));
}

void TestManagement::renamedClientIsKnownOnlyByItsNewId()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    Client renamed = *ts->clients().find(kSeedClient);
    renamed.id = QStringLiteral("renamed-client");
    QSignalSpy removed(&ts->clients(), &ClientStore::clientRemoved);
    QSignalSpy reset(&ts->clients(), &ClientStore::clientsReset);

    // A rename is one reset of the list, in which the client keeps its place (not a delete plus an add).
    QVERIFY(!ts->saveClient(renamed, kSeedClient));
    QCOMPARE(removed.size(), 0);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(ts->settings().clients.size(), 1);
    QCOMPARE(ts->settings().clients.first().id, QStringLiteral("renamed-client"));
    QCOMPARE(ts->clients().all().size(), 1);
    QVERIFY(!ts->clients().find(kSeedClient));
    QVERIFY(*ts->clients().find(QStringLiteral("renamed-client")) == renamed);

    const TestResponse old = http.get(authorizeFor(kSeedClient));
    QCOMPARE(old.status, 401);
    QVERIFY2(old.body.contains("Bad client credentials"), old.body.constData());
    const TestResponse current = http.get(authorizeFor(QStringLiteral("renamed-client")));
    QCOMPARE(current.status, 302);
    QCOMPARE(current.header("Location"), QByteArray("/login"));

    QCOMPARE(BrowserFlow(http).refresh(QStringLiteral("x")).status, 401);
    const ClientCredentials renamedClient{QStringLiteral("renamed-client")};
    QCOMPARE(BrowserFlow(http, BrowserFlow::seedQuery(), renamedClient).refresh(QStringLiteral("x")).status, 400);
}

void TestManagement::setAutoApproveAppliesToTheNextAuthorize()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    const QString session = BrowserFlow(http).logIn();
    QVERIFY(!session.isEmpty());
    const auto cookie = HttpTestClient::cookie(session);

    const TestResponse asked = http.get(kAuthorize, cookie);
    QCOMPARE(asked.status, 200);
    QVERIFY(asked.body.contains("<h1>OAuth Approval</h1>"));

    QVERIFY(ts->setAutoApprove(kSeedClient, {AutoApprove::Mode::All, {}}));
    const TestResponse approved = http.get(kAuthorize, cookie);
    QCOMPARE(approved.status, 303);
    QVERIFY2(kCodeLocation.match(QString::fromUtf8(approved.header("Location"))).hasMatch(),
             approved.header("Location").constData());

    // Chosen scopes: only a request within them skips the page.
    QVERIFY(ts->setAutoApprove(kSeedClient, {AutoApprove::Mode::Scopes, ScopeSet({QStringLiteral("read")})}));
    QCOMPARE(http.get(kAuthorize + QStringLiteral("&scope=read"), cookie).status, 303);
    QCOMPARE(http.get(kAuthorize + QStringLiteral("&scope=read%20write"), cookie).status, 200);

    QVERIFY(ts->setAutoApprove(kSeedClient, {}));
    QCOMPARE(http.get(kAuthorize, cookie).status, 200);

    QVERIFY(!ts->setAutoApprove(QStringLiteral("nobody"), {AutoApprove::Mode::All, {}}));
    // Chosen scopes outside the client's: refused, the switch stays as it was.
    QVERIFY(!ts->setAutoApprove(kSeedClient, {AutoApprove::Mode::Scopes, ScopeSet({QStringLiteral("admin")})}));
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove, AutoApprove{});
}

void TestManagement::savedPasswordAppliesToTheNextLogin()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy reset(&ts->users(), &UserStore::usersReset);
    User user = *ts->users().find(QStringLiteral("user"));
    user.password = QStringLiteral("n3w pass");
    QVERIFY(!ts->saveUser(user, user.username));
    QCOMPARE(reset.size(), 1);

    QCOMPARE(BrowserFlow(http).logInAnswer(QStringLiteral("user"), QStringLiteral("password")).header("Location"),
             QByteArray("/login?error"));
    QVERIFY(!BrowserFlow(http).logIn(QStringLiteral("user"), QStringLiteral("n3w pass")).isEmpty());

    // Rename: only the new name logs in.
    user.username = QStringLiteral("alice");
    QVERIFY(!ts->saveUser(user, QStringLiteral("user")));
    QVERIFY(!ts->users().find(QStringLiteral("user")));
    QCOMPARE(ts->settings().users.size(), 1);
    QVERIFY(BrowserFlow(http).logIn(QStringLiteral("user"), QStringLiteral("n3w pass")).isEmpty());
    QVERIFY(!BrowserFlow(http).logIn(QStringLiteral("alice"), QStringLiteral("n3w pass")).isEmpty());

    // A new user, then removed.
    User bob;
    bob.username = QStringLiteral("bob");
    bob.password = QStringLiteral("pw");
    QVERIFY(!ts->saveUser(bob));
    QVERIFY(!BrowserFlow(http).logIn(QStringLiteral("bob"), QStringLiteral("pw")).isEmpty());
    QVERIFY(ts->removeUser(QStringLiteral("bob")));
    QVERIFY(BrowserFlow(http).logIn(QStringLiteral("bob"), QStringLiteral("pw")).isEmpty());
    QVERIFY(!ts->removeUser(QStringLiteral("bob")));
}

void TestManagement::saveUserRefusesInvalidUsers()
{
    TestServer ts;
    QSignalSpy reset(&ts->users(), &UserStore::usersReset);
    User blank;
    blank.username = QStringLiteral(" ");
    std::optional<FieldError> error = ts->saveUser(blank, QStringLiteral("user"));
    QVERIFY(error);
    QCOMPARE(error->toString(), QStringLiteral("username: must not be empty"));

    User bob;
    bob.username = QStringLiteral("bob");
    QVERIFY(!ts->saveUser(bob));
    User clash = *ts->users().find(QStringLiteral("user"));
    clash.username = QStringLiteral("bob");
    error = ts->saveUser(clash, QStringLiteral("user"));
    QVERIFY(error);
    QCOMPARE(error->toString(), QStringLiteral("username: duplicate username \"bob\""));
    QCOMPARE(reset.size(), 1); // only bob's addition
    QCOMPARE(ts->users().find(QStringLiteral("user"))->password, QStringLiteral("password"));
}

void TestManagement::revokingARefreshTokenRevokesItsAccessToken()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    BrowserFlow browser(http);
    browser.logIn();
    const Tokens t = browser.codeFlow();
    QVERIFY(!t.refresh.isEmpty());
    QVERIFY(ts->tokens().findAccess(t.access));
    QSignalSpy revoked(&ts->tokens(), &TokenStore::tokenRevoked);

    QVERIFY(ts->revokeToken(t.refresh));
    QCOMPARE(revoked.size(), 2);
    QVERIFY(!ts->tokens().findRefresh(t.refresh));
    QVERIFY(!ts->tokens().findAccess(t.access));
    const TestResponse r = browser.refresh(t.refresh);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, jsonError("invalid_grant", QStringLiteral("Invalid refresh token: ") + t.refresh));

    QVERIFY(!ts->revokeToken(t.refresh));
    QVERIFY(!ts->revokeToken(QStringLiteral("never-issued")));
    QCOMPARE(revoked.size(), 2);
}

void TestManagement::revokingAnAccessTokenKeepsTheRefreshToken()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    BrowserFlow browser(http);
    browser.logIn();
    const Tokens t = browser.codeFlow();
    QVERIFY(!t.access.isEmpty());
    QVERIFY(ts->revokeToken(t.access));
    QVERIFY(!ts->tokens().findAccess(t.access));
    QVERIFY(ts->tokens().findRefresh(t.refresh));
    QCOMPARE(browser.refresh(t.refresh).status, 200);
}

void TestManagement::forgottenApprovalsAskAgainButTokensStillRefresh()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    BrowserFlow browser(http);
    const QString session = browser.logIn();
    const Tokens t = browser.codeFlow();
    QVERIFY(!t.refresh.isEmpty());
    // Remembered: a live token for the same client, user and scopes skips the page.
    QCOMPARE(http.get(kAuthorize, HttpTestClient::cookie(session)).status, 303);

    // At the very millisecond the token was issued: the line is drawn inclusively.
    ts->forgetApprovals();
    const TestResponse asked = http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(asked.status, 200);
    QVERIFY(asked.body.contains("<h1>OAuth Approval</h1>"));
    QVERIFY(ts->tokens().findAccess(t.access));
    QCOMPARE(browser.refresh(t.refresh).status, 200);
}

void TestManagement::signOutAllSessionsSendsTheBrowserToLogin()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    const QString first = BrowserFlow(http).logIn();
    const QString second = BrowserFlow(http).logIn();
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QCOMPARE(http.get(kAuthorize, HttpTestClient::cookie(first)).status, 200);

    QCOMPARE(ts->signOutAllSessions(), 2);
    for (const QString &session : {first, second}) {
        const TestResponse r = http.get(kAuthorize, HttpTestClient::cookie(session));
        QCOMPARE(r.status, 302);
        QCOMPARE(r.header("Location"), QByteArray("/login"));
        QVERIFY(r.sessionCookie() != session);
    }
}

void TestManagement::restartMovesToANewPort()
{
    TestServer ts;
    const quint16 oldPort = ts.port();
    QSignalSpy listening(&ts.server(), &OAuthServer::listeningChanged);
    QString error;
    QVERIFY2(ts->restart(QStringLiteral("127.0.0.1"), 0, &error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(listening.size(), 1);
    QCOMPARE(listening.at(0).at(0).toBool(), true);
    QVERIFY(ts->isListening());
    const quint16 newPort = ts.port();
    QVERIFY(newPort != 0);
    QVERIFY(newPort != oldPort);
    QCOMPARE(ts.base(), QStringLiteral("http://127.0.0.1:%1").arg(newPort));

    HttpTestClient moved(newPort);
    QCOMPARE(moved.get(QStringLiteral("/health")).status, 200);
    HttpTestClient gone(oldPort);
    const TestResponse refused = gone.get(QStringLiteral("/health"));
    QCOMPARE(refused.status, 0);
    QVERIFY2(!refused.networkError.isEmpty(), "the old port still answers");
}

void TestManagement::restartOnABusyPortReportsIt()
{
    TestServer ts;
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    QSignalSpy listening(&ts.server(), &OAuthServer::listeningChanged);
    QString error;
    QVERIFY(!ts->restart(QStringLiteral("127.0.0.1"), squatter.serverPort(), &error));
    QVERIFY2(error.startsWith(QStringLiteral("127.0.0.1:%1: ").arg(squatter.serverPort())), qPrintable(error));
    QVERIFY(!ts->isListening());
    QCOMPARE(listening.size(), 1);
    QCOMPARE(listening.at(0).at(0).toBool(), false);
}

void TestManagement::applySettingsChangesTheNextToken()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy settingsChanged(&ts.server(), &OAuthServer::settingsChanged);
    ServerSettings settings = ts->settings();
    settings.accessTokenLifetime = 600;
    ts->applySettings(settings);
    QCOMPARE(settingsChanged.size(), 1);
    QCOMPARE(ts->settings().accessTokenLifetime, 600);

    BrowserFlow browser(http);
    browser.logIn();
    const Tokens t = browser.codeFlow();
    QVERIFY(!t.access.isEmpty());
    QCOMPARE(t.expiresIn, 599);
}

QTEST_GUILESS_MAIN(TestManagement)
#include "tst_management.moc"
