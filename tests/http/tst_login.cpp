// Login, logout, sessions and CSRF (PROTOCOL.md steps 2–3 and 5): bad credentials, CSRF rejections on every
// form, session id rotation on login, idle expiry on the fake clock, logout.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "ServerEvents.h"
#include "model/ExchangeRecord.h"
#include "store/CodeStore.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorizeQuery =
    QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
const QString kAuthorizePath = QStringLiteral("/oauth/authorize?") + kAuthorizeQuery;
const QRegularExpression kSessionCookie(QStringLiteral("^JSESSIONID=[0-9A-F]{32}; Path=/; HttpOnly; SameSite=Lax$"));
const QRegularExpression kCodeLocation(QStringLiteral("^http://localhost\\?code=[0-9A-Za-z_-]{6}$"));
const QString kUnknownSession = QStringLiteral("0123456789ABCDEF0123456789ABCDEF");
const QString kMadeUpCsrf = QStringLiteral("00000000-0000-0000-0000-000000000000");
const QByteArray kApproveAll = "user_oauth_approval=true&scope.read=true&scope.write=true&authorize=Authorize";

QByteArray csrfParam(const QString &csrf)
{
    return "_csrf=" + QUrl::toPercentEncoding(csrf);
}

// `form` with the _csrf parameter the data row's `token` picks from `choices`; a null choice sends none.
QByteArray withCsrf(const QByteArray &form, int token, const QStringList &choices)
{
    const QString csrf = choices.value(token);
    return csrf.isNull() ? form : form + '&' + csrfParam(csrf);
}

// The Cookie header of the data row's `cookie`: 0: the session's own; 1: none; 2: an unknown id.
HttpTestClient::Headers cookieOfRow(int cookie, const QString &session)
{
    return cookie == 0   ? HttpTestClient::cookie(session)
           : cookie == 2 ? HttpTestClient::cookie(kUnknownSession)
                         : HttpTestClient::Headers{};
}

// A form refused for its CSRF token: 403, an HTML page, no redirect.
void expectForbidden(const TestResponse &r)
{
    QCOMPARE(r.status, 403);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(r.header("Location").isNull(), r.header("Location").constData());
}

// Step 1 then step 2: an anonymous session that remembers the authorize request, and its login form's token.
void startAnonymous(HttpTestClient &http, QString *session, QString *csrf)
{
    BrowserFlow flow(http, kAuthorizeQuery);
    CHECKED(flow.start());
    *session = flow.session();
    *csrf = flow.csrf();
}

// Steps 1–4: *session is logged in and has the seed request pending approval; *page is the approval page.
void loginToApprovalPage(HttpTestClient &http, QString *session, TestResponse *page)
{
    BrowserFlow flow(http, kAuthorizeQuery);
    CHECKED(flow.signIn());
    *session = flow.session();
    *page = flow.authorize();
    QCOMPARE(page->status, 200);
    QVERIFY(page->body.contains("<h1>OAuth Approval</h1>"));
}

// The session is known and anonymous: authorize sends it to the login page without starting a new session.
void expectAnonymous(HttpTestClient &http, const QString &session)
{
    const TestResponse r = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login"));
    QVERIFY2(r.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(r)));
}

// The session id is unknown (expired, rotated or logged out): authorize sends the browser to log in, with a
// brand-new session.
void expectGone(HttpTestClient &http, const QString &session)
{
    const TestResponse r = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login"));
    QVERIFY2(kSessionCookie.match(QString::fromLatin1(r.header("Set-Cookie"))).hasMatch(),
             qPrintable(setCookieText(r)));
    QVERIFY(r.sessionCookie() != session);
}

} // namespace

class TestLogin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badCredentials_data();
    void badCredentials();
    void loginCsrfRejected_data();
    void loginCsrfRejected();
    void approvalCsrfRejected_data();
    void approvalCsrfRejected();
    void approvalPostWhileAnonymousGoesToLogin();
    void sessionIdRotatesOnLogin();
    void loginWithoutSavedRequestGoesHome();
    void sessionIdleExpiry_data();
    void sessionIdleExpiry();
    void sessionIdleTimeoutIsSliding();
    void logout();
    void logoutCsrfRejected_data();
    void logoutCsrfRejected();
};

void TestLogin::badCredentials_data()
{
    QTest::addColumn<QByteArray>("credentials");
    QTest::addColumn<QString>("username");

    QTest::newRow("wrong password") << QByteArray("username=user&password=wrong") << QStringLiteral("user");
    QTest::newRow("password differs in case")
        << QByteArray("username=user&password=Password") << QStringLiteral("user");
    QTest::newRow("empty password") << QByteArray("username=user&password=") << QStringLiteral("user");
    QTest::newRow("password missing") << QByteArray("username=user") << QStringLiteral("user");
    QTest::newRow("unknown user") << QByteArray("username=nobody&password=password") << QStringLiteral("nobody");
    QTest::newRow("empty username") << QByteArray("username=&password=password") << QString(QLatin1String(""));
}

void TestLogin::badCredentials()
{
    QFETCH(QByteArray, credentials);
    QFETCH(QString, username);

    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy loginSucceeded(&ts->events(), &ServerEvents::loginSucceeded);
    QSignalSpy loginFailed(&ts->events(), &ServerEvents::loginFailed);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    QString session;
    QString csrf;
    CHECKED(startAnonymous(http, &session, &csrf));
    const quint64 flowId = lastRecord(records).flowId;
    QVERIFY(flowId != 0);

    const TestResponse r =
        http.postForm(QStringLiteral("/login"), credentials + '&' + csrfParam(csrf), HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login?error"));
    QVERIFY2(r.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(r)));
    QCOMPARE(loginSucceeded.size(), 0);
    QCOMPARE(loginFailed.size(), 1);
    QCOMPARE(loginFailed.at(0).at(0).toString(), username);
    QCOMPARE(loginFailed.at(0).at(1).toULongLong(), flowId);
    QCOMPARE(stepsText(lastRecord(records).steps), QStringLiteral("3"));
    QCOMPARE(lastRecord(records).flowId, flowId);
    QVERIFY(!lastRecord(records).requestBody.contains("password=wrong"));

    // The page says so.
    const TestResponse page = http.get(QStringLiteral("/login?error"), HttpTestClient::cookie(session));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(page.body.contains("Bad credentials"), page.body.constData());
    QCOMPARE(csrfOf(page.body), csrf);

    // Still anonymous, and the remembered authorize request survives: a correct login goes back to it.
    CHECKED(expectAnonymous(http, session));
    const TestResponse retry =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&" + csrfParam(csrf),
                      HttpTestClient::cookie(session));
    QCOMPARE(retry.status, 302);
    QCOMPARE(QString::fromUtf8(retry.header("Location")), ts.base() + kAuthorizePath);
    QCOMPARE(loginSucceeded.size(), 1);
    QCOMPARE(loginFailed.size(), 1);
}

void TestLogin::loginCsrfRejected_data()
{
    QTest::addColumn<int>("cookie"); // 0: the session's own; 1: none; 2: an unknown id
    QTest::addColumn<int>("token");  // 0: the session's own; 1: missing; 2: empty; 3: made up; 4: another session's

    QTest::newRow("_csrf missing") << 0 << 1;
    QTest::newRow("_csrf empty") << 0 << 2;
    QTest::newRow("_csrf wrong") << 0 << 3;
    QTest::newRow("_csrf of another session") << 0 << 4;
    QTest::newRow("no session cookie") << 1 << 0;
    QTest::newRow("unknown session cookie") << 2 << 0;
}

void TestLogin::loginCsrfRejected()
{
    QFETCH(int, cookie);
    QFETCH(int, token);

    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy loginSucceeded(&ts->events(), &ServerEvents::loginSucceeded);
    QSignalSpy loginFailed(&ts->events(), &ServerEvents::loginFailed);

    QString session;
    QString csrf;
    CHECKED(startAnonymous(http, &session, &csrf));
    QString otherSession;
    QString otherCsrf;
    CHECKED(startAnonymous(http, &otherSession, &otherCsrf));
    QVERIFY(otherCsrf != csrf);

    const QStringList tokens{csrf, QString(), QString(QLatin1String("")), kMadeUpCsrf, otherCsrf};
    const TestResponse r =
        http.postForm(QStringLiteral("/login"), withCsrf("username=user&password=password", token, tokens),
                      cookieOfRow(cookie, session));
    CHECKED(expectForbidden(r));
    QVERIFY2(r.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(r)));
    QCOMPARE(loginSucceeded.size(), 0);
    QCOMPARE(loginFailed.size(), 0);
    CHECKED(expectAnonymous(http, session));
    CHECKED(expectAnonymous(http, otherSession));
}

void TestLogin::approvalCsrfRejected_data()
{
    QTest::addColumn<int>("cookie"); // 0: the session's own; 1: none; 2: an unknown id
    QTest::addColumn<int>("token");  // 0: the approval page's; 1: missing; 2: made up; 3: the pre-login token;
                                     // 4: another session's

    QTest::newRow("_csrf missing") << 0 << 1;
    QTest::newRow("_csrf wrong") << 0 << 2;
    QTest::newRow("_csrf from before login (rotated on login)") << 0 << 3;
    QTest::newRow("_csrf of another session") << 0 << 4;
    QTest::newRow("no session cookie") << 1 << 0;
    QTest::newRow("unknown session cookie") << 2 << 0;
}

void TestLogin::approvalCsrfRejected()
{
    QFETCH(int, cookie);
    QFETCH(int, token);

    TestServer ts;
    HttpTestClient http(ts.port());
    // Another (anonymous) session, and the login form token of the session about to log in.
    QString otherSession;
    QString otherCsrf;
    CHECKED(startAnonymous(http, &otherSession, &otherCsrf));

    QString anonymous;
    QString preLoginCsrf;
    CHECKED(startAnonymous(http, &anonymous, &preLoginCsrf));
    const TestResponse login =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&" + csrfParam(preLoginCsrf),
                      HttpTestClient::cookie(anonymous));
    QCOMPARE(login.status, 302);
    const QString session = login.sessionCookie();
    const TestResponse page = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(page.status, 200);
    const QString csrf = csrfOf(page.body);
    QVERIFY(!csrf.isEmpty());

    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy approvalDenied(&ts->events(), &ServerEvents::approvalDenied);

    const QStringList tokens{csrf, QString(), kMadeUpCsrf, preLoginCsrf, otherCsrf};
    const TestResponse r = http.postForm(QStringLiteral("/oauth/authorize"), withCsrf(kApproveAll, token, tokens),
                                         cookieOfRow(cookie, session));
    CHECKED(expectForbidden(r));
    QCOMPARE(codeIssued.size(), 0);
    QCOMPARE(approvalGranted.size(), 0);
    QCOMPARE(approvalDenied.size(), 0);

    // The rejected post changed nothing: the real form still works.
    const TestResponse ok = http.postForm(QStringLiteral("/oauth/authorize"), kApproveAll + '&' + csrfParam(csrf),
                                          HttpTestClient::cookie(session));
    QCOMPARE(ok.status, 303);
    QVERIFY2(kCodeLocation.match(QString::fromUtf8(ok.header("Location"))).hasMatch(),
             ok.header("Location").constData());
    QCOMPARE(codeIssued.size(), 1);
}

void TestLogin::approvalPostWhileAnonymousGoesToLogin()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QString session;
    QString csrf;
    CHECKED(startAnonymous(http, &session, &csrf));
    const TestResponse r = http.postForm(QStringLiteral("/oauth/authorize"), kApproveAll + '&' + csrfParam(csrf),
                                         HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login"));
    QCOMPARE(codeIssued.size(), 0);
}

void TestLogin::sessionIdRotatesOnLogin()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy loginSucceeded(&ts->events(), &ServerEvents::loginSucceeded);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    QString anonymous;
    QString preLoginCsrf;
    CHECKED(startAnonymous(http, &anonymous, &preLoginCsrf));
    const quint64 flowId = lastRecord(records).flowId;
    const TestResponse login =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&" + csrfParam(preLoginCsrf),
                      HttpTestClient::cookie(anonymous));
    QCOMPARE(login.status, 302);
    QCOMPARE(login.headerValues("Set-Cookie").size(), 1);
    QVERIFY2(kSessionCookie.match(QString::fromLatin1(login.header("Set-Cookie"))).hasMatch(),
             qPrintable(setCookieText(login)));
    const QString session = login.sessionCookie();
    QVERIFY(session != anonymous);
    QCOMPARE(loginSucceeded.size(), 1);
    QCOMPARE(loginSucceeded.at(0).at(0).toString(), QStringLiteral("user"));
    QCOMPARE(loginSucceeded.at(0).at(1).toULongLong(), flowId);
    QCOMPARE(lastRecord(records).username, QStringLiteral("user"));

    // The new id is logged in, with a new CSRF token; the pre-login id is gone.
    const TestResponse page = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("<h1>OAuth Approval</h1>"));
    QVERIFY2(page.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(page)));
    const QString csrf = csrfOf(page.body);
    QVERIFY(!csrf.isEmpty());
    QVERIFY(csrf != preLoginCsrf);
    QCOMPARE(lastRecord(records).flowId, flowId);
    CHECKED(expectGone(http, anonymous));
}

void TestLogin::loginWithoutSavedRequestGoesHome()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    const TestResponse page = http.get(QStringLiteral("/login"));
    QCOMPARE(page.status, 200);
    const QString anonymous = page.sessionCookie();
    QVERIFY2(kSessionCookie.match(QString::fromLatin1(page.header("Set-Cookie"))).hasMatch(),
             qPrintable(setCookieText(page)));
    const TestResponse login =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&" + csrfParam(csrfOf(page.body)),
                      HttpTestClient::cookie(anonymous));
    QCOMPARE(login.status, 302);
    QCOMPARE(login.header("Location"), QByteArray("/"));
    const QString session = login.sessionCookie();
    QVERIFY(!session.isEmpty());
    QVERIFY(session != anonymous);
    // Logged in: authorize shows the approval page straight away.
    const TestResponse approval = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(approval.status, 200);
    QVERIFY(approval.body.contains("<h1>OAuth Approval</h1>"));
}

void TestLogin::sessionIdleExpiry_data()
{
    QTest::addColumn<int>("timeout"); // settings.sessionIdleTimeout; 0 keeps the default
    QTest::addColumn<int>("offset");  // seconds past the timeout
    QTest::addColumn<bool>("alive");

    QTest::newRow("default (1800 s), 1 s before") << 0 << -1 << true;
    QTest::newRow("default (1800 s), exactly") << 0 << 0 << false;
    QTest::newRow("default (1800 s), 1 s after") << 0 << 1 << false;
    QTest::newRow("60 s, 1 s before") << 60 << -1 << true;
    QTest::newRow("60 s, exactly") << 60 << 0 << false;
    QTest::newRow("60 s, an hour after") << 60 << 3600 << false;
}

void TestLogin::sessionIdleExpiry()
{
    QFETCH(int, timeout);
    QFETCH(int, offset);
    QFETCH(bool, alive);

    ServerSettings settings = TestServer::defaultSettings();
    QCOMPARE(settings.sessionIdleTimeout, 1800);
    if (timeout > 0)
        settings.sessionIdleTimeout = timeout;
    TestServer ts(settings);
    HttpTestClient http(ts.port());
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);

    QString session;
    TestResponse page;
    CHECKED(loginToApprovalPage(http, &session, &page));
    ts.clock().advanceSeconds(settings.sessionIdleTimeout + offset);

    if (alive) {
        const TestResponse again = http.get(kAuthorizePath, HttpTestClient::cookie(session));
        QCOMPARE(again.status, 200);
        QVERIFY(again.body.contains("<h1>OAuth Approval</h1>"));
        QVERIFY2(again.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(again)));
        return;
    }
    // The session, its login and its pending approval are gone: approving is refused, authorize asks to log in.
    const TestResponse approve =
        http.postForm(QStringLiteral("/oauth/authorize"), kApproveAll + '&' + csrfParam(csrfOf(page.body)),
                      HttpTestClient::cookie(session));
    QCOMPARE(approve.status, 403);
    QCOMPARE(codeIssued.size(), 0);
    CHECKED(expectGone(http, session));
}

void TestLogin::sessionIdleTimeoutIsSliding()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QString session;
    TestResponse page;
    CHECKED(loginToApprovalPage(http, &session, &page));
    for (int i = 0; i < 3; ++i) {
        ts.clock().advanceSeconds(1799);
        const TestResponse touch = http.get(QStringLiteral("/login"), HttpTestClient::cookie(session));
        QCOMPARE(touch.status, 200);
        QVERIFY2(touch.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(touch)));
    }
    ts.clock().advanceSeconds(1799);
    const TestResponse again = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(again.status, 200);
    QVERIFY(again.body.contains("<h1>OAuth Approval</h1>"));
}

void TestLogin::logout()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QString session;
    TestResponse page;
    CHECKED(loginToApprovalPage(http, &session, &page));
    const QString csrf = csrfOf(page.body);

    const TestResponse r = http.postForm(QStringLiteral("/logout"), csrfParam(csrf), HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("/login?logout"));

    // The session is gone: its approval form is refused and authorize asks to log in, with a new session.
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    const TestResponse approve = http.postForm(QStringLiteral("/oauth/authorize"), kApproveAll + '&' + csrfParam(csrf),
                                               HttpTestClient::cookie(session));
    QCOMPARE(approve.status, 403);
    QCOMPARE(codeIssued.size(), 0);
    CHECKED(expectGone(http, session));
}

void TestLogin::logoutCsrfRejected_data()
{
    QTest::addColumn<int>("cookie"); // 0: the session's own; 1: none
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("_csrf missing") << 0 << QByteArray();
    QTest::newRow("_csrf wrong") << 0 << QByteArray("_csrf=00000000-0000-0000-0000-000000000000");
    QTest::newRow("no session cookie") << 1 << QByteArray("@own");
}

void TestLogin::logoutCsrfRejected()
{
    QFETCH(int, cookie);
    QFETCH(QByteArray, body);

    TestServer ts;
    HttpTestClient http(ts.port());
    QString session;
    TestResponse page;
    CHECKED(loginToApprovalPage(http, &session, &page));
    if (body == "@own")
        body = csrfParam(csrfOf(page.body));

    const TestResponse r = http.postForm(QStringLiteral("/logout"), body,
                                         cookie == 0 ? HttpTestClient::cookie(session) : HttpTestClient::Headers{});
    QCOMPARE(r.status, 403);
    QVERIFY2(r.header("Location").isNull(), r.header("Location").constData());
    // Still logged in.
    const TestResponse again = http.get(kAuthorizePath, HttpTestClient::cookie(session));
    QCOMPARE(again.status, 200);
    QVERIFY(again.body.contains("<h1>OAuth Approval</h1>"));
}

QTEST_GUILESS_MAIN(TestLogin)
#include "tst_login.moc"
