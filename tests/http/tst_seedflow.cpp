// The seed's recorded code flow (seeds/000_8e80b63750555761.txt, steps 1–8) against the default settings,
// one step at a time, asserting the wire contract of ../shared/PROTOCOL.md and the signals each step emits.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "ServerEvents.h"
#include "model/ExchangeRecord.h"
#include "store/CodeStore.h"
#include "store/TokenStore.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorizeQuery =
    QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
const QRegularExpression kSessionCookie(QStringLiteral("^JSESSIONID=[0-9A-F]{32}; Path=/; HttpOnly; SameSite=Lax$"));
const QRegularExpression kCodeLocation(QStringLiteral("^http://localhost\\?code=([0-9A-Za-z_-]{6})(&state=(.*))?$"));
const QRegularExpression kTokenJson(
    QStringLiteral("^\\{\"access_token\":\"([0-9A-Za-z_-]{27})\",\"token_type\":\"bearer\","
                   "\"refresh_token\":\"([0-9A-Za-z_-]{27})\",\"expires_in\":43199,\"scope\":\"read write\"\\}$"));

enum class TokenStyle
{
    Query, // the seed's Postman form: every parameter in the query string, empty body
    Body,  // the seed's curl --data-urlencode form
    Basic, // HTTP Basic client authentication, the rest in the body
};

} // namespace

class TestSeedFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedFlow_data();
    void seedFlow();
    void loginPageForm();
    void approvalPageIsSpringsWhitelabelPage();
    void oldSessionIdNoLongerAuthenticates();
};

void TestSeedFlow::seedFlow_data()
{
    QTest::addColumn<bool>("hasState");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("tokenStyle");

    QTest::newRow("seed, Postman query") << false << QString() << int(TokenStyle::Query);
    QTest::newRow("seed, curl body") << false << QString() << int(TokenStyle::Body);
    QTest::newRow("seed, Basic auth") << false << QString() << int(TokenStyle::Basic);
    QTest::newRow("state xyz, query") << true << QStringLiteral("xyz") << int(TokenStyle::Query);
    QTest::newRow("state needing encoding, body") << true << QStringLiteral("a b&c/=") << int(TokenStyle::Body);
    QTest::newRow("state with + % ? # and UTF-8, basic")
        << true << QStringLiteral("a+b%c?d#e \u00fc\u4e2d") << int(TokenStyle::Basic);
}

void TestSeedFlow::seedFlow()
{
    QFETCH(bool, hasState);
    QFETCH(QString, state);
    QFETCH(int, tokenStyle);

    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy loginSucceeded(&ts->events(), &ServerEvents::loginSucceeded);
    QSignalSpy loginFailed(&ts->events(), &ServerEvents::loginFailed);
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy approvalDenied(&ts->events(), &ServerEvents::approvalDenied);
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy codeConsumed(&ts->codes(), &CodeStore::codeConsumed);
    QSignalSpy tokenIssued(&ts->tokens(), &TokenStore::tokenIssued);
    QSignalSpy tokenRevoked(&ts->tokens(), &TokenStore::tokenRevoked);
    QSignalSpy tokenRefreshed(&ts->tokens(), &TokenStore::tokenRefreshed);

    QString authorizeQuery = kAuthorizeQuery;
    if (hasState)
        authorizeQuery += QStringLiteral("&state=") + QString::fromLatin1(QUrl::toPercentEncoding(state));

    // 1. GET /oauth/authorize without a session: 302 to /login, a new JSESSIONID.
    const TestResponse step1 = http.get(QStringLiteral("/oauth/authorize?") + authorizeQuery);
    QCOMPARE(step1.status, 302);
    QCOMPARE(step1.header("Location"), QByteArray("/login"));
    QCOMPARE(step1.headerValues("Set-Cookie").size(), 1);
    QVERIFY2(kSessionCookie.match(QString::fromLatin1(step1.header("Set-Cookie"))).hasMatch(),
             qPrintable(setCookieText(step1)));
    const QString anonymousSession = step1.sessionCookie();

    // 2. GET /login: the form, on the same session (no new cookie).
    const TestResponse step2 = http.get(QStringLiteral("/login"), HttpTestClient::cookie(anonymousSession));
    QCOMPARE(step2.status, 200);
    QCOMPARE(step2.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(step2.headerValues("Set-Cookie").isEmpty(), qPrintable(setCookieText(step2)));
    const QString loginCsrf = csrfOf(step2.body);
    QVERIFY2(!loginCsrf.isEmpty(), step2.body.constData());

    // 3. POST /login: 302 back to the remembered authorize URL (absolute), a new session id.
    const TestResponse step3 = http.postForm(
        QStringLiteral("/login"), "username=user&password=password&_csrf=" + QUrl::toPercentEncoding(loginCsrf),
        HttpTestClient::cookie(anonymousSession));
    QCOMPARE(step3.status, 302);
    QCOMPARE(QString::fromUtf8(step3.header("Location")),
             ts.base() + QStringLiteral("/oauth/authorize?") + authorizeQuery);
    QCOMPARE(step3.headerValues("Set-Cookie").size(), 1);
    QVERIFY2(kSessionCookie.match(QString::fromLatin1(step3.header("Set-Cookie"))).hasMatch(),
             qPrintable(setCookieText(step3)));
    const QString session = step3.sessionCookie();
    QVERIFY(session != anonymousSession);
    QCOMPARE(loginSucceeded.size(), 1);
    QCOMPARE(loginSucceeded.at(0).at(0).toString(), QStringLiteral("user"));

    // 4. GET the authorize URL again, logged in: the approval page.
    const QString again = QString::fromUtf8(step3.header("Location")).mid(ts.base().size());
    const TestResponse step4 = http.get(again, HttpTestClient::cookie(session));
    QCOMPARE(step4.status, 200);
    QCOMPARE(step4.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(step4.body.contains("<h1>OAuth Approval</h1>"), step4.body.constData());
    QVERIFY2(step4.body.contains("Do you authorize \"messaging-client\" to access your protected resources?"),
             step4.body.constData());
    const QString approvalCsrf = csrfOf(step4.body);
    QVERIFY2(!approvalCsrf.isEmpty(), step4.body.constData());
    QCOMPARE(codeIssued.size(), 0);

    // 5 + 6. POST /oauth/authorize approving both scopes: 303 to the redirect URI with the code (and state).
    const TestResponse step5 = http.postForm(QStringLiteral("/oauth/authorize"),
                                             "user_oauth_approval=true&_csrf=" + QUrl::toPercentEncoding(approvalCsrf) +
                                                 "&scope.read=true&scope.write=true&authorize=Authorize",
                                             HttpTestClient::cookie(session));
    QCOMPARE(step5.status, 303);
    const QByteArray location = step5.header("Location");
    const QRegularExpressionMatch codeMatch = kCodeLocation.match(QString::fromUtf8(location));
    QVERIFY2(codeMatch.hasMatch(), location.constData());
    const QString code = codeMatch.captured(1);
    QCOMPARE(codeMatch.hasCaptured(2), hasState);
    QList<QPair<QString, QString>> expectedItems{{QStringLiteral("code"), code}};
    if (hasState)
        expectedItems.append({QStringLiteral("state"), state});
    QCOMPARE(queryItems(location), expectedItems);
    if (state == QLatin1String("xyz"))
        QCOMPARE(location, "http://localhost?code=" + code.toLatin1() + "&state=xyz");

    QCOMPARE(approvalGranted.size(), 1);
    QCOMPARE(approvalGranted.at(0).at(0).toString(), QStringLiteral("messaging-client"));
    QCOMPARE(approvalGranted.at(0).at(1).toString(), QStringLiteral("user"));
    QCOMPARE(approvalGranted.at(0).at(2).value<ScopeSet>(), ScopeSet(QStringList{"read", "write"}));
    QCOMPARE(approvalGranted.at(0).at(3).value<ApprovalKind>(), ApprovalKind::UserApproved);
    QCOMPARE(codeIssued.size(), 1);
    const auto issuedCode = codeIssued.at(0).at(0).value<AuthorizationCode>();
    QCOMPARE(issuedCode.code, code);
    QCOMPARE(issuedCode.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(issuedCode.username, QStringLiteral("user"));
    QCOMPARE(issuedCode.scopes, ScopeSet(QStringList{"read", "write"}));
    QCOMPARE(issuedCode.redirectUri, QStringLiteral("http://localhost"));
    QCOMPARE(codeConsumed.size(), 0);
    QCOMPARE(tokenIssued.size(), 0);

    // 7. POST /oauth/token grant_type=authorization_code.
    TestResponse step7;
    const QByteArray codeParams = "grant_type=authorization_code&code=" + code.toLatin1();
    switch (TokenStyle(tokenStyle)) {
    case TokenStyle::Query:
        step7 = http.send(
            "POST",
            QStringLiteral("/oauth/token?") + QString::fromLatin1(codeParams) +
                QStringLiteral("&client_id=messaging-client&client_secret=secret&redirect_uri=http://localhost"),
            {}, {});
        break;
    case TokenStyle::Body:
        step7 = http.postForm(
            QStringLiteral("/oauth/token"),
            codeParams + "&client_id=messaging-client&client_secret=secret&redirect_uri=http%3A%2F%2Flocalhost");
        break;
    case TokenStyle::Basic:
        step7 = http.postForm(QStringLiteral("/oauth/token"), codeParams + "&redirect_uri=http%3A%2F%2Flocalhost",
                              HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
        break;
    }
    QCOMPARE(step7.status, 200);
    QCOMPARE(step7.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    QCOMPARE(step7.headerValues("Cache-Control"), QList<QByteArray>{"no-store"});
    QCOMPARE(step7.headerValues("Pragma"), QList<QByteArray>{"no-cache"});
    const QRegularExpressionMatch token = kTokenJson.match(QString::fromUtf8(step7.body));
    QVERIFY2(token.hasMatch(), step7.body.constData());
    const QString access = token.captured(1);
    const QString refresh = token.captured(2);
    QCOMPARE(tokenRefreshed.size(), 0); // a code exchange is not a refresh
    QVERIFY(access != refresh);

    QCOMPARE(codeConsumed.size(), 1);
    QCOMPARE(codeConsumed.at(0).at(0).value<AuthorizationCode>().code, code);
    QCOMPARE(tokenIssued.size(), 2);
    QStringList issuedValues;
    for (const QList<QVariant> &args : tokenIssued) {
        const auto t = args.at(0).value<IssuedToken>();
        issuedValues << t.value;
        QCOMPARE(t.clientId, QStringLiteral("messaging-client"));
        QCOMPARE(t.username, QStringLiteral("user"));
        QCOMPARE(t.scopes, ScopeSet(QStringList{"read", "write"}));
        QCOMPARE(t.kind, t.value == access ? IssuedToken::Kind::Access : IssuedToken::Kind::Refresh);
    }
    issuedValues.sort();
    QStringList expectedValues{access, refresh};
    expectedValues.sort();
    QCOMPARE(issuedValues, expectedValues);
    const IssuedToken *storedRefresh = ts->tokens().findRefresh(refresh);
    QVERIFY(storedRefresh);
    const qint64 refreshExpiry = storedRefresh->expiresAtMs;
    QCOMPARE(refreshExpiry, ts.clock().nowMs() + 2592000LL * 1000);

    // 8. POST /oauth/token grant_type=refresh_token, a minute later: a new access token, the same refresh token
    // with its original expiry, and the old access token revoked.
    ts.clock().advanceSeconds(60);
    TestResponse step8;
    const QByteArray refreshParams = "grant_type=refresh_token&refresh_token=" + refresh.toLatin1();
    switch (TokenStyle(tokenStyle)) {
    case TokenStyle::Query:
        step8 = http.send("POST",
                          QStringLiteral("/oauth/token?") + QString::fromLatin1(refreshParams) +
                              QStringLiteral("&client_id=messaging-client&client_secret=secret"),
                          {}, {});
        break;
    case TokenStyle::Body:
        step8 = http.postForm(QStringLiteral("/oauth/token"),
                              refreshParams + "&client_id=messaging-client&client_secret=secret");
        break;
    case TokenStyle::Basic:
        step8 = http.postForm(QStringLiteral("/oauth/token"), refreshParams,
                              HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
        break;
    }
    QCOMPARE(step8.status, 200);
    QCOMPARE(step8.header("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    QCOMPARE(step8.headerValues("Cache-Control"), QList<QByteArray>{"no-store"});
    QCOMPARE(step8.headerValues("Pragma"), QList<QByteArray>{"no-cache"});
    const QRegularExpressionMatch refreshed = kTokenJson.match(QString::fromUtf8(step8.body));
    QVERIFY2(refreshed.hasMatch(), step8.body.constData());
    const QString newAccess = refreshed.captured(1);
    QVERIFY(newAccess != access);
    QCOMPARE(refreshed.captured(2), refresh);

    QCOMPARE(tokenIssued.size(), 3);
    QCOMPARE(tokenRefreshed.size(), 1);
    QCOMPARE(tokenRefreshed.first().first().value<IssuedToken>().value, newAccess);
    const auto issuedOnRefresh = tokenIssued.at(2).at(0).value<IssuedToken>();
    QCOMPARE(issuedOnRefresh.value, newAccess);
    QCOMPARE(issuedOnRefresh.kind, IssuedToken::Kind::Access);
    QCOMPARE(issuedOnRefresh.refreshToken, refresh);
    QCOMPARE(tokenRevoked.size(), 1);
    QCOMPARE(tokenRevoked.at(0).at(0).value<IssuedToken>().value, access);
    QVERIFY(!ts->tokens().findAccess(access));
    QVERIFY(ts->tokens().findAccess(newAccess));
    QVERIFY(ts->tokens().findRefresh(refresh));
    QCOMPARE(ts->tokens().findRefresh(refresh)->expiresAtMs, refreshExpiry);

    // Events: each exactly once, on one flow.
    QCOMPARE(loginSucceeded.size(), 1);
    QCOMPARE(loginFailed.size(), 0);
    QCOMPARE(approvalGranted.size(), 1);
    QCOMPARE(approvalDenied.size(), 0);
    QCOMPARE(codeIssued.size(), 1);
    QCOMPARE(codeConsumed.size(), 1);

    // The request log: one record per exchange, tagged with its seed step(s), all on one flow.
    struct Expected
    {
        QByteArray method;
        QString path;
        int status;
        QString steps;
        QString clientId; // null: not checked
        QString username; // null: not checked
    };
    const QString client = QStringLiteral("messaging-client");
    const QString user = QStringLiteral("user");
    const QList<Expected> expected{
        {"GET", QStringLiteral("/oauth/authorize"), 302, QStringLiteral("1"), client, QString()},
        {"GET", QStringLiteral("/login"), 200, QStringLiteral("2"), QString(), QString()},
        {"POST", QStringLiteral("/login"), 302, QStringLiteral("3"), QString(), user},
        {"GET", QStringLiteral("/oauth/authorize"), 200, QStringLiteral("4"), client, user},
        {"POST", QStringLiteral("/oauth/authorize"), 303, QStringLiteral("5+6"), client, user},
        {"POST", QStringLiteral("/oauth/token"), 200, QStringLiteral("7"), client, user},
        {"POST", QStringLiteral("/oauth/token"), 200, QStringLiteral("8"), client, user},
    };
    QCOMPARE(records.size(), expected.size());
    const quint64 flowId = records.at(0).at(0).value<ExchangeRecord>().flowId;
    QVERIFY(flowId != 0);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const auto record = records.at(i).at(0).value<ExchangeRecord>();
        const QByteArray where = QByteArray::number(i + 1) + ": " + record.method + ' ' + record.path.toUtf8();
        QVERIFY2(record.method == expected[i].method, where.constData());
        QVERIFY2(record.path == expected[i].path, where.constData());
        QCOMPARE(record.status, expected[i].status);
        QCOMPARE(stepsText(record.steps), expected[i].steps);
        QVERIFY2(record.flowId == flowId, where.constData());
        if (!expected[i].clientId.isNull())
            QCOMPARE(record.clientId, expected[i].clientId);
        if (!expected[i].username.isNull())
            QCOMPARE(record.username, expected[i].username);
        QVERIFY2(!record.requestBody.contains("password=password"), where.constData());
        QVERIFY2(!record.requestBody.contains("secret=secret"), where.constData());
        QVERIFY2(!record.query.contains("secret=secret"), where.constData());
    }
    QCOMPARE(loginSucceeded.at(0).at(1).toULongLong(), flowId);
    QCOMPARE(approvalGranted.at(0).at(4).toULongLong(), flowId);
    QCOMPARE(issuedCode.flowId, flowId);
    for (const QList<QVariant> &args : tokenIssued)
        QCOMPARE(args.at(0).value<IssuedToken>().flowId, flowId);
}

void TestSeedFlow::loginPageForm()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    // Without a session, GET /login starts one.
    const TestResponse page = http.get(QStringLiteral("/login"));
    QCOMPARE(page.status, 200);
    QCOMPARE(page.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(kSessionCookie.match(QString::fromLatin1(page.header("Set-Cookie"))).hasMatch(),
             qPrintable(setCookieText(page)));
    const QString html = QString::fromUtf8(page.body);
    QVERIFY2(QRegularExpression(QStringLiteral("<form[^>]*\\bmethod=\"post\"[^>]*\\baction=\"/login\""))
                 .match(html)
                 .hasMatch(),
             qPrintable(html));
    QVERIFY2(QRegularExpression(QStringLiteral("<input(?=[^>]*\\btype=\"text\")[^>]*\\bname=\"username\""))
                 .match(html)
                 .hasMatch(),
             qPrintable(html));
    QVERIFY2(QRegularExpression(QStringLiteral("<input(?=[^>]*\\btype=\"password\")[^>]*\\bname=\"password\""))
                 .match(html)
                 .hasMatch(),
             qPrintable(html));
    QVERIFY2(QRegularExpression(
                 QStringLiteral(
                     "<input(?=[^>]*\\btype=\"hidden\")(?=[^>]*\\bname=\"_csrf\")[^>]*\\bvalue=\"[0-9a-f-]{36}\""))
                 .match(html)
                 .hasMatch(),
             qPrintable(html));
    QVERIFY(!html.contains(QLatin1String("Bad credentials")));
}

void TestSeedFlow::approvalPageIsSpringsWhitelabelPage()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    BrowserFlow flow(http, kAuthorizeQuery);
    flow.startAuthorize();
    flow.loginPage();
    QCOMPARE(flow.submitLogin().status, 302);
    const TestResponse step4 = flow.authorize();
    QCOMPARE(step4.status, 200);
    const QString csrf = csrfOf(step4.body);
    QVERIFY(!csrf.isEmpty());
    const auto radios = [](const char *scope) {
        return QByteArray("<li><div class=\"form-group\">") + scope + ": <input type=\"radio\" name=\"scope." + scope +
               "\" value=\"true\">Approve</input> <input type=\"radio\" name=\"scope." + scope +
               "\" value=\"false\" checked>Deny</input></div></li>";
    };
    const QByteArray expected =
        "<html><body><h1>OAuth Approval</h1><p>Do you authorize \"messaging-client\" to access your protected "
        "resources?</p><form id=\"confirmationForm\" name=\"confirmationForm\" action=\"/oauth/authorize\" "
        "method=\"post\"><input name=\"user_oauth_approval\" value=\"true\" type=\"hidden\"/><input type=\"hidden\" "
        "name=\"_csrf\" value=\"" +
        csrf.toLatin1() + "\" /><ul>" + radios("read") + radios("write") +
        "</ul><label><input name=\"authorize\" value=\"Authorize\" type=\"submit\"/></label></form></body></html>";
    QCOMPARE(step4.body, expected);
}

void TestSeedFlow::oldSessionIdNoLongerAuthenticates()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    BrowserFlow flow(http, kAuthorizeQuery);
    flow.startAuthorize();
    const QString anonymous = flow.session();
    flow.loginPage();
    const TestResponse step3 = flow.submitLogin();
    QCOMPARE(step3.status, 302);
    const QString loggedIn = step3.sessionCookie();
    QVERIFY(!loggedIn.isEmpty());
    QVERIFY(loggedIn != anonymous);

    // The pre-login id is gone: the browser is sent to log in again, with a brand-new session.
    const TestResponse old =
        http.get(QStringLiteral("/oauth/authorize?") + kAuthorizeQuery, HttpTestClient::cookie(anonymous));
    QCOMPARE(old.status, 302);
    QCOMPARE(old.header("Location"), QByteArray("/login"));
    const QString fresh = old.sessionCookie();
    QVERIFY(!fresh.isEmpty());
    QVERIFY(fresh != anonymous);
    QVERIFY(fresh != loggedIn);

    // The new id is logged in.
    const TestResponse current =
        http.get(QStringLiteral("/oauth/authorize?") + kAuthorizeQuery, HttpTestClient::cookie(loggedIn));
    QCOMPARE(current.status, 200);
    QVERIFY(current.body.contains("<h1>OAuth Approval</h1>"));
}

QTEST_GUILESS_MAIN(TestSeedFlow)
#include "tst_seedflow.moc"
