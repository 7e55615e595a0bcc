// GET and POST /connect/logout (OpenID Connect RP-Initiated Logout 1.0) against a live server: the browser session
// ends and the browser goes back to a registered post_logout_redirect_uri with its state, or sees the signed-out
// page; the client named by client_id or by the id_token_hint's audience; every refusal a 400 HTML error page that
// neither redirects nor ends the session.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "jose/Jwt.h"

#include "auth/Sessions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kPath = QStringLiteral("/connect/logout");
const QByteArray kForm = QByteArrayLiteral("application/x-www-form-urlencoded");
const QString kSignedOut = QStringLiteral("http://localhost/signed-out");
const QString kSignedOutWithQuery = QStringLiteral("https://rp.example.test/bye?from=oauthsim");

// The seed world; its client gains two post-logout URIs, and a second client has one of its own.
ServerSettings endSessionSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.issuer = QStringLiteral("http://127.0.0.1"); // the iss of the hints below
    s.clients.first().postLogoutRedirectUris = {kSignedOut, kSignedOutWithQuery};
    Client other = s.clients.first();
    other.id = QStringLiteral("other-client");
    other.postLogoutRedirectUris = {QStringLiteral("http://other.example.test/bye")};
    s.clients << other;
    return s;
}

QByteArray b64url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// An ID Token with `payload`, signed with `key` (by default the test server's signing key).
QString idToken(const QJsonObject &payload, const RsaKey &key = TestServer::signingKey())
{
    return Jwt::sign(key, payload);
}

QJsonObject claims(const QJsonValue &aud)
{
    return QJsonObject{{"iss", "http://127.0.0.1"}, {"sub", "user"}, {"aud", aud}, {"exp", 1900000000}};
}

QByteArray errorPage(const QString &description)
{
    return "<html><body><h1>OAuth Error</h1><p>error=&quot;invalid_request&quot;, error_description=&quot;" +
           description.toHtmlEscaped().toUtf8() + "&quot;</p></body></html>";
}

const QByteArray kSignedOutPage =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Signed out</title></head>\n"
    "<body><h1>You have been signed out</h1><p>Your session at this authorization server has ended.</p></body>"
    "</html>";

// GET kPath?query or POST kPath with the query as form body, on `session` (none: no cookie).
TestResponse endSession(HttpTestClient &http, const QByteArray &method, const QByteArray &query, const QString &session)
{
    HttpTestClient::Headers headers;
    if (!session.isEmpty())
        headers = HttpTestClient::cookie(session);
    if (method == "GET")
        return http.get(query.isEmpty() ? kPath : kPath + QLatin1Char('?') + QString::fromLatin1(query), headers);
    headers.append(qMakePair(QByteArray("Content-Type"), kForm));
    return http.send("POST", kPath, query, headers);
}

// Whether `session` still signs the browser in: the authorize request goes to the code, not to /login.
bool signedIn(HttpTestClient &http, const QString &session)
{
    const TestResponse r = http.get(BrowserFlow(http).authorizePath(), HttpTestClient::cookie(session));
    return r.status == 200; // the approval page; 302 to /login once the session is gone
}

} // namespace

class TstEndSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redirects_data();
    void redirects();
    void signedOutPage_data();
    void signedOutPage();
    void refusals_data();
    void refusals();
    void onlyThisSessionEnds();
    void otherMethods();
    void requestRecord();
};

void TstEndSession::redirects_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("location");

    const QByteArray seed = "client_id=messaging-client&post_logout_redirect_uri=";
    for (const QByteArray &method : {QByteArray("GET"), QByteArray("POST")}) {
        const auto row = [&](const char *name) -> QTestData & {
            return QTest::addRow("%s %s", method.constData(), name) << method;
        };
        row("client_id, state") << seed + enc(kSignedOut) + "&state=xyz" << kSignedOut + "?state=xyz";
        row("client_id, no state") << seed + enc(kSignedOut) << kSignedOut;
        row("client_id, empty state") << seed + enc(kSignedOut) + "&state=" << kSignedOut + "?state=";
        // The state is echoed exactly (percent-encoded as a redirect's query value), after the URI's own query.
        row("URI with a query, state with specials")
            << seed + enc(kSignedOutWithQuery) + "&state=" + enc(QStringLiteral("a b&c=d/é"))
            << kSignedOutWithQuery + "&state=a%20b%26c%3Dd/%C3%A9";
        row("id_token_hint aud string") << "id_token_hint=" + idToken(claims("messaging-client")).toLatin1() +
                                               "&post_logout_redirect_uri=" + enc(kSignedOut) + "&state=s1"
                                        << kSignedOut + "?state=s1";
        row("id_token_hint aud array") << "id_token_hint=" +
                                              idToken(claims(QJsonArray{"messaging-client"})).toLatin1() +
                                              "&post_logout_redirect_uri=" + enc(kSignedOut)
                                       << kSignedOut;
        QJsonObject withAzp = claims(QJsonArray{"api", "messaging-client"});
        withAzp.insert("azp", "messaging-client");
        row("id_token_hint several audiences, azp")
            << "id_token_hint=" + idToken(withAzp).toLatin1() + "&post_logout_redirect_uri=" + enc(kSignedOut)
            << kSignedOut;
        row("id_token_hint and the matching client_id")
            << "id_token_hint=" + idToken(claims(QJsonArray{"api", "messaging-client"})).toLatin1() +
                   "&client_id=messaging-client&post_logout_redirect_uri=" + enc(kSignedOut)
            << kSignedOut;
        row("another client's own URI") << "client_id=other-client&post_logout_redirect_uri=" +
                                               enc(QStringLiteral("http://other.example.test/bye"))
                                        << QStringLiteral("http://other.example.test/bye");
    }
}

void TstEndSession::redirects()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(QString, location);

    TestServer server(endSessionSettings());
    HttpTestClient http(server.port());
    const QString session = BrowserFlow(http).logIn();
    QVERIFY(!session.isEmpty());
    QVERIFY(signedIn(http, session));

    const TestResponse r = endSession(http, method, query, session);
    QCOMPARE(r.status, 302);
    QCOMPARE(QString::fromUtf8(r.header("Location")), location);
    QCOMPARE(r.body, QByteArray());
    QVERIFY(!server->sessions().find(session));
    QVERIFY(!signedIn(http, session));
}

void TstEndSession::signedOutPage_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<bool>("withSession");

    for (const QByteArray &method : {QByteArray("GET"), QByteArray("POST")}) {
        const auto row = [&](const char *name) -> QTestData & {
            return QTest::addRow("%s %s", method.constData(), name) << method;
        };
        row("no parameters") << QByteArray() << true;
        row("client_id only") << QByteArray("client_id=messaging-client") << true;
        // Without a redirect, state has nowhere to go and is ignored.
        row("state only") << QByteArray("state=xyz") << true;
        row("id_token_hint only") << "id_token_hint=" + idToken(claims("messaging-client")).toLatin1() << true;
        row("no session") << QByteArray("client_id=messaging-client") << false;
    }
}

void TstEndSession::signedOutPage()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(bool, withSession);

    TestServer server(endSessionSettings());
    HttpTestClient http(server.port());
    const QString session = withSession ? BrowserFlow(http).logIn() : QString();
    const TestResponse r = endSession(http, method, query, session);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    QVERIFY(r.header("Location").isNull());
    QCOMPARE(r.body, kSignedOutPage);
    QCOMPARE(server->sessions().size(), qsizetype(0));
}

void TstEndSession::refusals_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("description");

    const QByteArray uri = "&post_logout_redirect_uri=" + enc(kSignedOut);
    const QString mismatch =
        QStringLiteral("Invalid post_logout_redirect_uri: %1 does not match one of the registered values.");
    const QString unreadable = QStringLiteral("The id_token_hint is not a JWT with a JSON payload");
    for (const QByteArray &method : {QByteArray("GET"), QByteArray("POST")}) {
        const auto row = [&](const char *name) -> QTestData & {
            return QTest::addRow("%s %s", method.constData(), name) << method;
        };
        row("unregistered URI") << "client_id=messaging-client&post_logout_redirect_uri=" +
                                       enc(QStringLiteral("http://evil.example.test/"))
                                << mismatch.arg(QStringLiteral("http://evil.example.test/"));
        // Exact match: no trailing slash, case or query added.
        row("URI with a trailing slash") << "client_id=messaging-client&post_logout_redirect_uri=" +
                                                enc(kSignedOut + QLatin1Char('/'))
                                         << mismatch.arg(kSignedOut + QLatin1Char('/'));
        row("a redirect_uri is not a post-logout URI")
            << "client_id=messaging-client&post_logout_redirect_uri=" + enc(QStringLiteral("http://localhost"))
            << mismatch.arg(QStringLiteral("http://localhost"));
        row("another client's URI") << "client_id=messaging-client&post_logout_redirect_uri=" +
                                           enc(QStringLiteral("http://other.example.test/bye"))
                                    << mismatch.arg(QStringLiteral("http://other.example.test/bye"));
        row("URI without a client") << "post_logout_redirect_uri=" + enc(kSignedOut) + "&state=x"
                                    << QStringLiteral(
                                           "A post_logout_redirect_uri needs a client_id or an id_token_hint");
        row("unknown client") << "client_id=nobody" + uri << QStringLiteral("Unknown client: nobody");
        row("hint of an unknown client") << "id_token_hint=" + idToken(claims("nobody")).toLatin1() + uri
                                         << QStringLiteral("Unknown client: nobody");
        row("client_id not the hint's audience")
            << "client_id=other-client&id_token_hint=" + idToken(claims("messaging-client")).toLatin1() + uri
            << QStringLiteral("client_id other-client is not an audience of the id_token_hint");
        row("hint signed by another key")
            << "id_token_hint=" + idToken(claims("messaging-client"), TestServer::nextSigningKey()).toLatin1() + uri
            << QStringLiteral("The id_token_hint was not issued by this server");
        row("hint with a forged payload") << "id_token_hint=" + [] {
            const QStringList parts = idToken(claims("messaging-client")).split(QLatin1Char('.'));
            return parts.at(0).toLatin1() + '.' + b64url(R"({"iss":"http://127.0.0.1","aud":"other-client"})") + '.' +
                   parts.at(2).toLatin1();
        }() + uri << QStringLiteral("The id_token_hint was not issued by this server");
        QJsonObject elsewhere = claims("messaging-client");
        elsewhere.insert(QStringLiteral("iss"), QStringLiteral("http://127.0.0.1/"));
        row("hint of another issuer") << "id_token_hint=" + idToken(elsewhere).toLatin1() + uri
                                      << QStringLiteral("The id_token_hint was issued by another issuer");
        row("hint without aud") << "id_token_hint=" +
                                       idToken(QJsonObject{{"iss", "http://127.0.0.1"}, {"sub", "user"}}).toLatin1() +
                                       uri
                                << QStringLiteral("The id_token_hint has no audience");
        row("hint with several audiences, no azp")
            << "id_token_hint=" + idToken(claims(QJsonArray{"api", "messaging-client"})).toLatin1() + uri
            << QStringLiteral("The id_token_hint has several audiences and no azp among them: send client_id");
        row("hint of two parts") << "id_token_hint=eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0" + uri << unreadable;
        row("hint payload not base64url") << "id_token_hint=a.b*c.d" + uri << unreadable;
        row("hint payload not an object") << "id_token_hint=a." + b64url("[1]") + ".c" + uri << unreadable;
        row("repeated state") << "client_id=messaging-client&state=a&state=b" + uri
                              << QStringLiteral("Parameter state must not be provided more than once");
    }
}

void TstEndSession::refusals()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, query);
    QFETCH(QString, description);

    TestServer server(endSessionSettings());
    HttpTestClient http(server.port());
    const QString session = BrowserFlow(http).logIn();
    QVERIFY(!session.isEmpty());
    const TestResponse r = endSession(http, method, query, session);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.body, errorPage(description));
    QCOMPARE(r.header("Content-Type"), QByteArray("text/html;charset=UTF-8"));
    // RP-Initiated Logout §3: never a redirect to an unverified URI; the session is left as it was.
    QVERIFY(r.header("Location").isNull());
    QVERIFY(server->sessions().find(session));
    QVERIFY(signedIn(http, session));
}

void TstEndSession::onlyThisSessionEnds()
{
    TestServer server(endSessionSettings());
    HttpTestClient http(server.port());
    const QString first = BrowserFlow(http).logIn();
    const QString second = BrowserFlow(http).logIn();
    QVERIFY(!first.isEmpty() && !second.isEmpty() && first != second);
    QCOMPARE(endSession(http, "GET", {}, first).status, 200);
    QVERIFY(!signedIn(http, first));
    QVERIFY(signedIn(http, second));
}

void TstEndSession::otherMethods()
{
    TestServer server(endSessionSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.send("PUT", kPath, {}, {});
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("Allow"), QByteArray("GET, POST"));
    // Same-origin only: a preflight is not answered as CORS.
    const TestResponse preflight = http.send(
        "OPTIONS", kPath, {}, {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(preflight.status, 405);
    QVERIFY(preflight.header("Access-Control-Allow-Origin").isNull());
}

void TstEndSession::requestRecord()
{
    TestServer server(endSessionSettings());
    HttpTestClient http(server.port());
    const QString session = BrowserFlow(http).logIn();
    QSignalSpy records(&server.server(), &OAuthServer::exchangeFinished);
    QCOMPARE(endSession(http, "GET", "client_id=messaging-client", session).status, 200);
    const ExchangeRecord r = lastRecord(records);
    QCOMPARE(r.path, kPath);
    QCOMPARE(r.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(r.username, QStringLiteral("user"));
    QCOMPARE(r.debugDetail, QStringLiteral("session ended"));
    QCOMPARE(endSession(http, "GET", "client_id=messaging-client", session).status, 200);
    QCOMPARE(lastRecord(records).debugDetail, QStringLiteral("no session to end"));
}

QTEST_GUILESS_MAIN(TstEndSession)
#include "tst_endsession.moc"
