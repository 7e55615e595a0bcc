// GET/POST /oauth/authorize: every row of PROTOCOL.md's /oauth/authorize error catalogue (HTML error page and
// redirected errors), denial, partial approval, default scopes, autoapprove and remembered approval.

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

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kClientAndRedirect = QStringLiteral("client_id=messaging-client&redirect_uri=http://localhost");
const QString kAuthorizeQuery = QStringLiteral("response_type=code&") + kClientAndRedirect;
const QRegularExpression kCodeLocation(QStringLiteral("^http://localhost\\?code=([0-9A-Za-z_-]{6})(&state=(.*))?$"));

QString encodedText(const QString &value)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(value));
}

QByteArray errorPage(const QByteArray &error, const QByteArray &escapedDescription)
{
    return "<html><body><h1>OAuth Error</h1><p>error=&quot;" + error + "&quot;, error_description=&quot;" +
           escapedDescription + "&quot;</p></body></html>";
}

// Decoded "name=value" pairs of a Location's query, in order.
QStringList decodedQuery(const QByteArray &location)
{
    QStringList out;
    for (const auto &[name, value] : queryItems(location))
        out << name + QLatin1Char('=') + value;
    return out;
}

// Scope names of the approval page's radio pairs, in page order; each pair must be Approve/Deny with Deny checked.
QStringList approvalRadios(const QByteArray &html)
{
    static const QRegularExpression re(
        QStringLiteral("<input type=\"radio\" name=\"scope\\.([^\"]+)\" value=\"true\">Approve</input> "
                       "<input type=\"radio\" name=\"scope\\.\\1\" value=\"false\" checked>Deny</input>"));
    QStringList out;
    for (auto it = re.globalMatch(QString::fromUtf8(html)); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

// The default settings plus client variants for the catalogue rows.
ServerSettings variantSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    const Client seed = s.clients.first();

    Client noRedirect = seed;
    noRedirect.id = QStringLiteral("no-redirect-client");
    noRedirect.redirectUris.clear();

    Client clientCredentials = seed;
    clientCredentials.id = QStringLiteral("cc-client");
    clientCredentials.grantTypes = GrantType::ClientCredentials;

    Client password = seed;
    password.id = QStringLiteral("password-client");
    password.grantTypes = GrantTypes(GrantType::Password) | GrantType::RefreshToken;

    Client autoAll = seed;
    autoAll.id = QStringLiteral("auto-client");
    autoAll.autoApprove = AutoApprove{AutoApprove::Mode::All, {}};

    Client autoRead = seed;
    autoRead.id = QStringLiteral("auto-read-client");
    autoRead.autoApprove = AutoApprove{AutoApprove::Mode::Scopes, ScopeSet(QStringList{QStringLiteral("read")})};

    s.clients << noRedirect << clientCredentials << password << autoAll << autoRead;
    return s;
}

// GET /login then POST /login with no saved request: *session is the logged-in session id.
void loginDirectly(HttpTestClient &http, QString *session)
{
    BrowserFlow flow(http);
    const TestResponse page = flow.loginPage();
    QCOMPARE(page.status, 200);
    QVERIFY(!page.sessionCookie().isEmpty());
    const TestResponse login = flow.submitLogin();
    QCOMPARE(login.status, 302);
    *session = login.sessionCookie();
    QVERIFY(!(*session).isEmpty());
}

// Steps 1–4 for an authorize query that passes client validation (steps 1–3 as BrowserFlow::signIn checks
// them): *session is the logged-in session id, *page the answer to step 4.
void authorizeLoggedIn(HttpTestClient &http, const QString &query, QString *session, TestResponse *page)
{
    BrowserFlow flow(http, query);
    CHECKED(flow.signIn());
    *session = flow.session();
    *page = flow.authorize();
}

// POST /oauth/authorize with the approval page's CSRF token and the given decisions.
TestResponse submitApproval(HttpTestClient &http, const QString &session, const QByteArray &approvalPage,
                            const QByteArray &decisions)
{
    return http.postForm(QStringLiteral("/oauth/authorize"),
                         decisions + "&_csrf=" + QUrl::toPercentEncoding(csrfOf(approvalPage)),
                         HttpTestClient::cookie(session));
}

struct HtmlErrorRow
{
    const char *name;
    QString query;
    int status;
    QByteArray error;
    QByteArray escapedDescription;
};

} // namespace

class TestAuthorize : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void htmlErrorPage_data();
    void htmlErrorPage();
    void repeatedParameter_data();
    void repeatedParameter();
    void redirectedError_data();
    void redirectedError();
    void userDenies_data();
    void userDenies();
    void grantedScope_data();
    void grantedScope();
    void omittedRedirectUriUsesTheRegisteredOne();
    void autoApprove_data();
    void autoApprove();
    void rememberedApproval_data();
    void rememberedApproval();
    void approveWithoutPendingRequest_data();
    void approveWithoutPendingRequest();
};

void TestAuthorize::htmlErrorPage_data()
{
    QTest::addColumn<bool>("loggedIn");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    const QByteArray badClient = "Bad client credentials";
    const auto invalidRedirect = [](const QByteArray &escapedUri) {
        return "Invalid redirect: " + escapedUri + " does not match one of the registered values.";
    };
    const QByteArray noRedirect = "At least one redirect_uri must be registered with the client.";
    const QByteArray wrongGrant = "A redirect_uri can only be used by implicit or authorization_code grant types.";
    const QString evil = QStringLiteral("http://localhost/\"><script>alert(1)</script>&x");

    const QList<HtmlErrorRow> rows{
        {"unknown client_id", QStringLiteral("response_type=code&client_id=unknown&redirect_uri=http://localhost"), 401,
         "invalid_client", badClient},
        {"missing client_id", QStringLiteral("response_type=code&redirect_uri=http://localhost"), 401, "invalid_client",
         badClient},
        {"empty client_id", QStringLiteral("response_type=code&client_id=&redirect_uri=http://localhost"), 401,
         "invalid_client", badClient},
        {"client_id differs in case",
         QStringLiteral("response_type=code&client_id=Messaging-Client&redirect_uri=http://localhost"), 401,
         "invalid_client", badClient},
        {"unknown client_id beats a bad response_type",
         QStringLiteral("response_type=foo&client_id=unknown&redirect_uri=http://localhost&state=xyz"), 401,
         "invalid_client", badClient},
        {"redirect_uri with trailing slash",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://localhost/"), 400,
         "invalid_grant", invalidRedirect("http://localhost/")},
        {"redirect_uri with explicit port 80",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://localhost:80"), 400,
         "invalid_grant", invalidRedirect("http://localhost:80")},
        {"redirect_uri https",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=https://localhost"), 400,
         "invalid_grant", invalidRedirect("https://localhost")},
        {"redirect_uri other host",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://127.0.0.1"), 400,
         "invalid_grant", invalidRedirect("http://127.0.0.1")},
        {"redirect_uri with a path",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://localhost/callback"), 400,
         "invalid_grant", invalidRedirect("http://localhost/callback")},
        {"redirect_uri with a query",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=") +
             encodedText(QStringLiteral("http://localhost?x=1")),
         400, "invalid_grant", invalidRedirect("http://localhost?x=1")},
        {"redirect_uri empty", QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri="), 400,
         "invalid_grant", invalidRedirect("")},
        {"redirect_uri unregistered, with state, never redirected",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http://evil.example&state=xyz"),
         400, "invalid_grant", invalidRedirect("http://evil.example")},
        {"redirect_uri with markup is escaped",
         QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=") + encodedText(evil), 400,
         "invalid_grant", invalidRedirect("http://localhost/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x")},
        {"client without redirect URI, none sent", QStringLiteral("response_type=code&client_id=no-redirect-client"),
         400, "invalid_request", noRedirect},
        {"client without redirect URI, one sent",
         QStringLiteral("response_type=code&client_id=no-redirect-client&redirect_uri=http://localhost"), 400,
         "invalid_request", noRedirect},
        {"client_credentials-only client",
         QStringLiteral("response_type=code&client_id=cc-client&redirect_uri=http://localhost"), 400, "invalid_grant",
         wrongGrant},
        {"password-only client",
         QStringLiteral("response_type=code&client_id=password-client&redirect_uri=http://localhost"), 400,
         "invalid_grant", wrongGrant},
    };
    for (const bool loggedIn : {false, true}) {
        for (const HtmlErrorRow &row : rows) {
            QTest::addRow("%s, %s", row.name, loggedIn ? "logged in" : "anonymous")
                << loggedIn << row.query << row.status << errorPage(row.error, row.escapedDescription);
        }
    }
}

void TestAuthorize::htmlErrorPage()
{
    QFETCH(bool, loggedIn);
    QFETCH(QString, query);
    QFETCH(int, status);
    QFETCH(QByteArray, body);

    TestServer ts(variantSettings());
    HttpTestClient http(ts.port());
    QString session;
    if (loggedIn)
        CHECKED(loginDirectly(http, &session));
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    const TestResponse r = http.get(QStringLiteral("/oauth/authorize?") + query,
                                    loggedIn ? HttpTestClient::cookie(session) : HttpTestClient::Headers{});
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(r.header("Location").isNull(), r.header("Location").constData());
    QCOMPARE(r.body, body);
    QVERIFY(!r.body.contains("<script>"));
    QCOMPARE(codeIssued.size(), 0);
    QCOMPARE(records.size(), 1);
    QCOMPARE(lastRecord(records).status, status);
}

void TestAuthorize::repeatedParameter_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("parameter");

    QTest::newRow("two different client_ids")
        << QStringLiteral("response_type=code&client_id=messaging-client&client_id=other&redirect_uri=http://localhost")
        << QStringLiteral("client_id");
    QTest::newRow("the same client_id twice")
        << QStringLiteral(
               "response_type=code&client_id=messaging-client&client_id=messaging-client&redirect_uri=http://localhost")
        << QStringLiteral("client_id");
    QTest::newRow("two redirect_uris") << QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri="
                                                         "http://localhost&redirect_uri=http://evil.example")
                                       << QStringLiteral("redirect_uri");
}

void TestAuthorize::repeatedParameter()
{
    QFETCH(QString, query);
    QFETCH(QString, parameter);

    TestServer ts;
    HttpTestClient http(ts.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/authorize?") + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(r.header("Location").isNull(), r.header("Location").constData());
    const QRegularExpression page(
        QStringLiteral("^<html><body><h1>OAuth Error</h1><p>error=&quot;invalid_request&quot;, "
                       "error_description=&quot;[^<]*\\b%1\\b[^<]*&quot;</p></body></html>$")
            .arg(parameter));
    QVERIFY2(page.match(QString::fromUtf8(r.body)).hasMatch(), r.body.constData());
}

void TestAuthorize::redirectedError_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QByteArray>("location"); // exact; empty: only the decoded form is checked
    QTest::addColumn<QStringList>("decoded");

    QTest::newRow("missing response_type")
        << kClientAndRedirect
        << QByteArray(
               "http://"
               "localhost?error=unsupported_response_type&error_description=Unsupported%20response%20types:%20%5B%5D")
        << QStringList{"error=unsupported_response_type", "error_description=Unsupported response types: []"};
    QTest::newRow("unknown response_type")
        << QStringLiteral("response_type=foo&") + kClientAndRedirect
        << QByteArray("http://"
                      "localhost?error=unsupported_response_type&error_description=Unsupported%20response%20types:%20%"
                      "5Bfoo%5D")
        << QStringList{"error=unsupported_response_type", "error_description=Unsupported response types: [foo]"};
    QTest::newRow("unknown response_type, with state")
        << QStringLiteral("response_type=foo&") + kClientAndRedirect + QStringLiteral("&state=xyz")
        << QByteArray("http://"
                      "localhost?error=unsupported_response_type&error_description=Unsupported%20response%20types:%20%"
                      "5Bfoo%5D&state=xyz")
        << QStringList{"error=unsupported_response_type", "error_description=Unsupported response types: [foo]",
                       "state=xyz"};
    QTest::newRow("empty response_type") << QStringLiteral("response_type=&") + kClientAndRedirect << QByteArray()
                                         << QStringList{"error=unsupported_response_type",
                                                        "error_description=Unsupported response types: []"};
    QTest::newRow("two unknown response types, sorted")
        << QStringLiteral("response_type=foo%20bar&") + kClientAndRedirect << QByteArray()
        << QStringList{"error=unsupported_response_type", "error_description=Unsupported response types: [bar, foo]"};
    QTest::newRow("response_type checked before scope")
        << QStringLiteral("response_type=foo&") + kClientAndRedirect + QStringLiteral("&scope=admin") << QByteArray()
        << QStringList{"error=unsupported_response_type", "error_description=Unsupported response types: [foo]"};
    QTest::newRow("unknown scope next to a known one")
        << kAuthorizeQuery + QStringLiteral("&scope=read%20delete")
        << QByteArray(
               "http://localhost?error=invalid_scope&error_description=Invalid%20scope:%20delete&scope=read%20write")
        << QStringList{"error=invalid_scope", "error_description=Invalid scope: delete", "scope=read write"};
    QTest::newRow("unknown scope, with state needing encoding")
        << kAuthorizeQuery + QStringLiteral("&scope=admin&state=") + encodedText(QStringLiteral("s 1&2"))
        << QByteArray("http://"
                      "localhost?error=invalid_scope&error_description=Invalid%20scope:%20admin&state=s%201%262&scope="
                      "read%20write")
        << QStringList{"error=invalid_scope", "error_description=Invalid scope: admin", "state=s 1&2",
                       "scope=read write"};
}

void TestAuthorize::redirectedError()
{
    QFETCH(QString, query);
    QFETCH(QByteArray, location);
    QFETCH(QStringList, decoded);

    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    QString session;
    TestResponse r;
    CHECKED(authorizeLoggedIn(http, query, &session, &r));
    QCOMPARE(r.status, 303);
    if (!location.isEmpty())
        QCOMPARE(r.header("Location"), location);
    QVERIFY2(r.header("Location").startsWith("http://localhost?"), r.header("Location").constData());
    QCOMPARE(decodedQuery(r.header("Location")), decoded);
    QCOMPARE(codeIssued.size(), 0);
    QCOMPARE(approvalGranted.size(), 0);
    QCOMPARE(stepsText(lastRecord(records).steps), QStringLiteral("4"));
    QCOMPARE(lastRecord(records).status, 303);
}

void TestAuthorize::userDenies_data()
{
    QTest::addColumn<QString>("state"); // null: none sent
    QTest::addColumn<QByteArray>("decisions");
    QTest::addColumn<QByteArray>("location");

    const QByteArray denied = "http://localhost?error=access_denied&error_description=User%20denied%20access";
    QTest::newRow("every scope denied")
        << QString() << QByteArray("user_oauth_approval=true&scope.read=false&scope.write=false&authorize=Authorize")
        << denied;
    QTest::newRow("no scope answered with a scope field missing")
        << QString() << QByteArray("user_oauth_approval=true&scope.read=false&authorize=Authorize") << denied;
    QTest::newRow("user_oauth_approval=false") << QString() << QByteArray("user_oauth_approval=false") << denied;
    QTest::newRow("user_oauth_approval=false overrides approved radios")
        << QString() << QByteArray("user_oauth_approval=false&scope.read=true&scope.write=true") << denied;
    QTest::newRow("every scope denied, state echoed")
        << QStringLiteral("xyz") << QByteArray("user_oauth_approval=true&scope.read=false&scope.write=false")
        << denied + "&state=xyz";
    QTest::newRow("user_oauth_approval=false, state needing encoding")
        << QStringLiteral("a b&c/=") << QByteArray("user_oauth_approval=false") << denied + "&state=a%20b%26c/%3D";
}

void TestAuthorize::userDenies()
{
    QFETCH(QString, state);
    QFETCH(QByteArray, decisions);
    QFETCH(QByteArray, location);

    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy approvalDenied(&ts->events(), &ServerEvents::approvalDenied);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    QString query = kAuthorizeQuery;
    if (!state.isNull())
        query += QStringLiteral("&state=") + encodedText(state);
    QString session;
    TestResponse page;
    CHECKED(authorizeLoggedIn(http, query, &session, &page));
    QCOMPARE(page.status, 200);
    const quint64 flowId = lastRecord(records).flowId;

    const TestResponse r = submitApproval(http, session, page.body, decisions);
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("Location"), location);
    if (!state.isNull())
        QCOMPARE(decodedQuery(r.header("Location")).last(), QStringLiteral("state=") + state);
    QCOMPARE(codeIssued.size(), 0);
    QCOMPARE(approvalGranted.size(), 0);
    QCOMPARE(approvalDenied.size(), 1);
    QCOMPARE(approvalDenied.at(0).at(0).toString(), kSeedClient);
    QCOMPARE(approvalDenied.at(0).at(1).toString(), QStringLiteral("user"));
    QCOMPARE(approvalDenied.at(0).at(2).toULongLong(), flowId);
    QCOMPARE(stepsText(lastRecord(records).steps), QStringLiteral("5"));
}

void TestAuthorize::grantedScope_data()
{
    QTest::addColumn<QString>("scopeQuery");
    QTest::addColumn<QStringList>("radios");
    QTest::addColumn<QByteArray>("decisions");
    QTest::addColumn<QString>("granted");

    QTest::newRow("scope omitted: the client's scopes, both approved")
        << QString() << QStringList{"read", "write"} << QByteArray("scope.read=true&scope.write=true")
        << QStringLiteral("read write");
    QTest::newRow("scope omitted, only read approved (partial approval)")
        << QString() << QStringList{"read", "write"} << QByteArray("scope.read=true&scope.write=false")
        << QStringLiteral("read");
    QTest::newRow("scope=read write, only write approved")
        << QStringLiteral("&scope=read%20write") << QStringList{"read", "write"}
        << QByteArray("scope.read=false&scope.write=true") << QStringLiteral("write");
    QTest::newRow("scope=write read: the page lists it sorted")
        << QStringLiteral("&scope=write%20read") << QStringList{"read", "write"}
        << QByteArray("scope.read=true&scope.write=true") << QStringLiteral("read write");
    QTest::newRow("scope=write asks about write only") << QStringLiteral("&scope=write") << QStringList{"write"}
                                                       << QByteArray("scope.write=true") << QStringLiteral("write");
    QTest::newRow("an approval for a scope not requested is ignored")
        << QStringLiteral("&scope=read") << QStringList{"read"} << QByteArray("scope.read=true&scope.write=true")
        << QStringLiteral("read");
}

void TestAuthorize::grantedScope()
{
    QFETCH(QString, scopeQuery);
    QFETCH(QStringList, radios);
    QFETCH(QByteArray, decisions);
    QFETCH(QString, granted);

    TestServer ts;
    HttpTestClient http(ts.port());
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);

    QString session;
    TestResponse page;
    CHECKED(authorizeLoggedIn(http, kAuthorizeQuery + scopeQuery, &session, &page));
    QCOMPARE(page.status, 200);
    QCOMPARE(approvalRadios(page.body), radios);

    const TestResponse r = submitApproval(http, session, page.body, "user_oauth_approval=true&" + decisions);
    QCOMPARE(r.status, 303);
    const QRegularExpressionMatch m = kCodeLocation.match(QString::fromUtf8(r.header("Location")));
    QVERIFY2(m.hasMatch() && !m.hasCaptured(2), r.header("Location").constData());
    const ScopeSet grantedSet = ScopeSet::parse(granted);
    QCOMPARE(approvalGranted.size(), 1);
    QCOMPARE(approvalGranted.at(0).at(2).value<ScopeSet>(), grantedSet);
    QCOMPARE(approvalGranted.at(0).at(3).value<ApprovalKind>(), ApprovalKind::UserApproved);
    QCOMPARE(codeIssued.size(), 1);
    QCOMPARE(codeIssued.at(0).at(0).value<AuthorizationCode>().scopes, grantedSet);

    const TestResponse token = BrowserFlow(http).exchangeCode(m.captured(1));
    QCOMPARE(token.status, 200);
    const QRegularExpression json(
        QStringLiteral("^\\{\"access_token\":\"[0-9A-Za-z_-]{27}\",\"token_type\":\"bearer\","
                       "\"refresh_token\":\"[0-9A-Za-z_-]{27}\",\"expires_in\":43199,\"scope\":\"%1\"\\}$")
            .arg(granted));
    QVERIFY2(json.match(QString::fromUtf8(token.body)).hasMatch(), token.body.constData());
}

void TestAuthorize::omittedRedirectUriUsesTheRegisteredOne()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    QString session;
    TestResponse page;
    CHECKED(authorizeLoggedIn(http, QStringLiteral("response_type=code&client_id=messaging-client&state=s"), &session,
                              &page));
    QCOMPARE(page.status, 200);
    const TestResponse r =
        submitApproval(http, session, page.body, "user_oauth_approval=true&scope.read=true&scope.write=true");
    QCOMPARE(r.status, 303);
    const QRegularExpressionMatch m = kCodeLocation.match(QString::fromUtf8(r.header("Location")));
    QVERIFY2(m.hasMatch(), r.header("Location").constData());
    QCOMPARE(m.captured(3), QStringLiteral("s"));
}

void TestAuthorize::autoApprove_data()
{
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("scopeQuery");
    QTest::addColumn<bool>("direct");
    QTest::addColumn<QString>("granted");

    QTest::newRow("autoapprove true, scope omitted")
        << QStringLiteral("auto-client") << QString() << true << QStringLiteral("read write");
    QTest::newRow("autoapprove true, scope=read")
        << QStringLiteral("auto-client") << QStringLiteral("&scope=read") << true << QStringLiteral("read");
    QTest::newRow("autoapprove [read], scope=read")
        << QStringLiteral("auto-read-client") << QStringLiteral("&scope=read") << true << QStringLiteral("read");
    QTest::newRow("autoapprove [read], scope=read write: asked")
        << QStringLiteral("auto-read-client") << QStringLiteral("&scope=read%20write") << false << QString();
    QTest::newRow("autoapprove [read], scope omitted (read write): asked")
        << QStringLiteral("auto-read-client") << QString() << false << QString();
    QTest::newRow("autoapprove [read], scope=write: asked")
        << QStringLiteral("auto-read-client") << QStringLiteral("&scope=write") << false << QString();
    QTest::newRow("autoapprove false, scope=read: asked")
        << kSeedClient << QStringLiteral("&scope=read") << false << QString();
}

void TestAuthorize::autoApprove()
{
    QFETCH(QString, clientId);
    QFETCH(QString, scopeQuery);
    QFETCH(bool, direct);
    QFETCH(QString, granted);

    TestServer ts(variantSettings());
    HttpTestClient http(ts.port());
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);

    const QString query =
        QStringLiteral("response_type=code&client_id=%1&redirect_uri=http://localhost&state=st%1").arg(clientId) +
        scopeQuery;
    QString session;
    TestResponse r;
    CHECKED(authorizeLoggedIn(http, query, &session, &r));
    const ExchangeRecord record = lastRecord(records);
    if (!direct) {
        QCOMPARE(r.status, 200);
        QVERIFY2(r.body.contains("<h1>OAuth Approval</h1>"), r.body.constData());
        QVERIFY(
            r.body.contains("Do you authorize \"" + clientId.toLatin1() + "\" to access your protected resources?"));
        QCOMPARE(approvalGranted.size(), 0);
        QCOMPARE(codeIssued.size(), 0);
        QCOMPARE(stepsText(record.steps), QStringLiteral("4"));
        return;
    }
    QCOMPARE(r.status, 303);
    const QRegularExpressionMatch m = kCodeLocation.match(QString::fromUtf8(r.header("Location")));
    QVERIFY2(m.hasMatch(), r.header("Location").constData());
    QCOMPARE(m.captured(3), QStringLiteral("st") + clientId);
    QCOMPARE(approvalGranted.size(), 1);
    QCOMPARE(approvalGranted.at(0).at(0).toString(), clientId);
    QCOMPARE(approvalGranted.at(0).at(1).toString(), QStringLiteral("user"));
    QCOMPARE(approvalGranted.at(0).at(2).value<ScopeSet>(), ScopeSet::parse(granted));
    QCOMPARE(approvalGranted.at(0).at(3).value<ApprovalKind>(), ApprovalKind::AutoApproved);
    QCOMPARE(approvalGranted.at(0).at(4).toULongLong(), record.flowId);
    QCOMPARE(codeIssued.size(), 1);
    QCOMPARE(codeIssued.at(0).at(0).value<AuthorizationCode>().code, m.captured(1));
    QCOMPARE(codeIssued.at(0).at(0).value<AuthorizationCode>().scopes, ScopeSet::parse(granted));
    QCOMPARE(stepsText(record.steps), QStringLiteral("4+6"));
}

void TestAuthorize::rememberedApproval_data()
{
    QTest::addColumn<bool>("rememberApprovals");
    QTest::addColumn<bool>("exchangeCode");
    QTest::addColumn<int>("advanceSeconds");
    QTest::addColumn<QString>("secondScopeQuery");
    QTest::addColumn<bool>("remembered");

    QTest::newRow("same scopes: remembered") << true << true << 0 << QString() << true;
    QTest::newRow("same scopes named explicitly: remembered")
        << true << true << 0 << QStringLiteral("&scope=read%20write") << true;
    QTest::newRow("same scopes in another order: remembered")
        << true << true << 0 << QStringLiteral("&scope=write%20read") << true;
    QTest::newRow("token still live after 43199 s: remembered") << true << true << 43199 << QString() << true;
    QTest::newRow("token expired after 43200 s: asked again") << true << true << 43200 << QString() << false;
    QTest::newRow("narrower scopes: asked again") << true << true << 0 << QStringLiteral("&scope=read") << false;
    QTest::newRow("code never exchanged (no token): asked again") << true << false << 0 << QString() << false;
    QTest::newRow("rememberApprovals=false: asked again") << false << true << 0 << QString() << false;
}

void TestAuthorize::rememberedApproval()
{
    QFETCH(bool, rememberApprovals);
    QFETCH(bool, exchangeCode);
    QFETCH(int, advanceSeconds);
    QFETCH(QString, secondScopeQuery);
    QFETCH(bool, remembered);

    ServerSettings settings = TestServer::defaultSettings();
    settings.rememberApprovals = rememberApprovals;
    settings.sessionIdleTimeout = 10 * 24 * 3600; // the session must outlive the token in these rows
    TestServer ts(settings);
    HttpTestClient http(ts.port());

    // A first, user-approved authorization (and its token).
    QString session;
    TestResponse page;
    CHECKED(authorizeLoggedIn(http, kAuthorizeQuery, &session, &page));
    QCOMPARE(page.status, 200);
    const TestResponse approved =
        submitApproval(http, session, page.body, "user_oauth_approval=true&scope.read=true&scope.write=true");
    QCOMPARE(approved.status, 303);
    const QRegularExpressionMatch first = kCodeLocation.match(QString::fromUtf8(approved.header("Location")));
    QVERIFY2(first.hasMatch(), approved.header("Location").constData());
    if (exchangeCode)
        QCOMPARE(BrowserFlow(http).exchangeCode(first.captured(1)).status, 200);
    ts.clock().advanceSeconds(advanceSeconds);

    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    const TestResponse second =
        http.get(QStringLiteral("/oauth/authorize?") + kAuthorizeQuery + secondScopeQuery + QStringLiteral("&state=2"),
                 HttpTestClient::cookie(session));
    if (!remembered) {
        QCOMPARE(second.status, 200);
        QVERIFY2(second.body.contains("<h1>OAuth Approval</h1>"), second.body.constData());
        QCOMPARE(approvalGranted.size(), 0);
        QCOMPARE(codeIssued.size(), 0);
        return;
    }
    QCOMPARE(second.status, 303);
    const QRegularExpressionMatch m = kCodeLocation.match(QString::fromUtf8(second.header("Location")));
    QVERIFY2(m.hasMatch(), second.header("Location").constData());
    QCOMPARE(m.captured(3), QStringLiteral("2"));
    QVERIFY(m.captured(1) != first.captured(1));
    QCOMPARE(approvalGranted.size(), 1);
    QCOMPARE(approvalGranted.at(0).at(2).value<ScopeSet>(), ScopeSet(QStringList{"read", "write"}));
    QCOMPARE(approvalGranted.at(0).at(3).value<ApprovalKind>(), ApprovalKind::Remembered);
    QCOMPARE(codeIssued.size(), 1);
    QCOMPARE(stepsText(lastRecord(records).steps), QStringLiteral("4+6"));
}

void TestAuthorize::approveWithoutPendingRequest_data()
{
    QTest::addColumn<int>("history"); // 0: logged in directly; 1: after an approval; 2: after a denial

    QTest::newRow("logged in, never asked") << 0;
    QTest::newRow("the approval form posted twice") << 1;
    QTest::newRow("the form posted again after a denial") << 2;
}

void TestAuthorize::approveWithoutPendingRequest()
{
    QFETCH(int, history);

    TestServer ts;
    HttpTestClient http(ts.port());
    QString session;
    QByteArray form;
    if (history == 0) {
        CHECKED(loginDirectly(http, &session));
        // The logged-in session's CSRF token, as the login page shows it.
        const TestResponse loginPage = http.get(QStringLiteral("/login"), HttpTestClient::cookie(session));
        form = loginPage.body;
    } else {
        TestResponse page;
        CHECKED(authorizeLoggedIn(http, kAuthorizeQuery, &session, &page));
        QCOMPARE(page.status, 200);
        form = page.body;
        const TestResponse first = submitApproval(
            http, session, form,
            history == 1 ? "user_oauth_approval=true&scope.read=true&scope.write=true" : "user_oauth_approval=false");
        QCOMPARE(first.status, 303);
    }
    QVERIFY(!csrfOf(form).isEmpty());

    QSignalSpy codeIssued(&ts->codes(), &CodeStore::codeIssued);
    QSignalSpy approvalGranted(&ts->events(), &ServerEvents::approvalGranted);
    const TestResponse r =
        submitApproval(http, session, form, "user_oauth_approval=true&scope.read=true&scope.write=true");
    QCOMPARE(r.status, 400);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY2(r.header("Location").isNull(), r.header("Location").constData());
    QCOMPARE(r.body, errorPage("invalid_request", "Cannot approve uninitialized authorization request."));
    QCOMPARE(codeIssued.size(), 0);
    QCOMPARE(approvalGranted.size(), 0);
}

QTEST_GUILESS_MAIN(TestAuthorize)
#include "tst_authorize.moc"
