// Authorization request options beyond the seed, in the legacy profile: OpenID Connect's prompt (none, login,
// consent; unknown values refused), response_mode (query, fragment; form_post refused), and implicit-grant errors in
// the fragment (RFC 6749 §4.2.2.1). Exact status and Location.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kSeedQuery =
    QStringLiteral("response_type=code&client_id=messaging-client&redirect_uri=http%3A%2F%2Flocalhost");

// The seed's world with messaging-client also allowed the implicit grant.
ServerSettings settings()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients.first().grantTypes |= GrantType::Implicit;
    return s;
}

} // namespace

class tst_AuthorizeOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void promptNoneWithoutLoginIsLoginRequired();
    void promptNoneNeedingApprovalIsConsentRequired();
    void promptNoneWithAutoApproveGivesTheCode();
    void promptValuesAreChecked_data();
    void promptValuesAreChecked();
    void promptLoginAsksForTheCredentialsAgain();
    void promptConsentAsksEvenWhenAutoApproved();
    void responseModeFragmentPutsTheCodeInTheFragment();
    void unsupportedResponseModeIsInvalidRequest();
    void implicitErrorsGoInTheFragment();
};

void tst_AuthorizeOptions::promptNoneWithoutLoginIsLoginRequired()
{
    TestServer server(settings());
    HttpTestClient http(server.port());
    const TestResponse r =
        http.get(QStringLiteral("/oauth/authorize?") + kSeedQuery + QStringLiteral("&prompt=none&state=s1"));
    QCOMPARE(r.status, 303);
    QCOMPARE(
        r.header("location"),
        QByteArray("http://localhost?error=login_required&error_description=User%20is%20not%20logged%20in&state=s1"));
}

void tst_AuthorizeOptions::promptNoneNeedingApprovalIsConsentRequired()
{
    TestServer server(settings());
    HttpTestClient http(server.port());
    BrowserFlow browser(http, kSeedQuery + QStringLiteral("&prompt=none&state=s2"));
    // The saved request replays with prompt=none after the login: no page may be shown.
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("location"),
             QByteArray("http://localhost?error=consent_required&error_description=User%20consent%20"
                        "is%20required&state=s2"));
}

void tst_AuthorizeOptions::promptNoneWithAutoApproveGivesTheCode()
{
    ServerSettings s = settings();
    s.clients.first().autoApprove.mode = AutoApprove::Mode::All;
    TestServer server(s);
    HttpTestClient http(server.port());
    BrowserFlow browser(http, kSeedQuery + QStringLiteral("&prompt=none"));
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 303);
    QVERIFY2(!codeOf(r).isEmpty(), r.header("location").constData());
}

void tst_AuthorizeOptions::promptValuesAreChecked_data()
{
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<QByteArray>("description");
    QTest::newRow("unknown") << QStringLiteral("bogus") << QByteArray("Unsupported%20prompt%20value:%20bogus");
    QTest::newRow("none with login") << QStringLiteral("none%20login")
                                     << QByteArray(
                                            "prompt%3Dnone%20must%20not%20be%20combined%20with%20other%20values");
}

void tst_AuthorizeOptions::promptValuesAreChecked()
{
    QFETCH(QString, prompt);
    QFETCH(QByteArray, description);
    TestServer server(settings());
    HttpTestClient http(server.port());
    BrowserFlow browser(http, kSeedQuery + QStringLiteral("&state=s3&prompt=") + prompt);
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("location"),
             "http://localhost?error=invalid_request&error_description=" + description + "&state=s3");
}

void tst_AuthorizeOptions::promptLoginAsksForTheCredentialsAgain()
{
    TestServer server(settings());
    HttpTestClient http(server.port());
    BrowserFlow first(http);
    const QString session = first.logIn();
    QVERIFY(!session.isEmpty());
    // A live session, yet prompt=login sends the browser to the login form.
    const QString path = QStringLiteral("/oauth/authorize?") + kSeedQuery + QStringLiteral("&prompt=login&state=s4");
    const TestResponse r = http.get(path, HttpTestClient::cookie(session));
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("location"), QByteArray("/login"));
    const TestResponse form = http.get(QStringLiteral("/login"), HttpTestClient::cookie(session));
    QCOMPARE(form.status, 200);
    const TestResponse login =
        http.postForm(QStringLiteral("/login"), "username=user&password=password&_csrf=" + enc(csrfOf(form.body)),
                      HttpTestClient::cookie(session));
    QCOMPARE(login.status, 302);
    // Back to the request without prompt=login, or the login would be asked for forever.
    QCOMPARE(login.header("location"),
             (http.base() + QStringLiteral("/oauth/authorize?") + kSeedQuery + QStringLiteral("&state=s4")).toLatin1());
}

void tst_AuthorizeOptions::promptConsentAsksEvenWhenAutoApproved()
{
    ServerSettings s = settings();
    s.clients.first().autoApprove.mode = AutoApprove::Mode::All;
    TestServer server(s);
    HttpTestClient http(server.port());
    BrowserFlow browser(http, kSeedQuery + QStringLiteral("&prompt=consent"));
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 200);
    QVERIFY(r.body.contains("<h1>OAuth Approval</h1>"));
}

void tst_AuthorizeOptions::responseModeFragmentPutsTheCodeInTheFragment()
{
    ServerSettings s = settings();
    s.clients.first().autoApprove.mode = AutoApprove::Mode::All;
    TestServer server(s);
    HttpTestClient http(server.port());
    BrowserFlow browser(http, kSeedQuery + QStringLiteral("&response_mode=fragment&state=s5"));
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 303);
    const QByteArray location = r.header("location");
    QVERIFY2(location.startsWith("http://localhost#code=") && location.endsWith("&state=s5"), location.constData());
    QCOMPARE(location.size(), qsizetype(QByteArray("http://localhost#code=123456&state=s5").size()));
}

void tst_AuthorizeOptions::unsupportedResponseModeIsInvalidRequest()
{
    TestServer server(settings());
    HttpTestClient http(server.port());
    BrowserFlow browser(http, kSeedQuery + QStringLiteral("&response_mode=form_post&state=s6"));
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("location"), QByteArray("http://localhost?error=invalid_request&error_description=Unsupported%20"
                                              "response_mode:%20form_post&state=s6"));
}

void tst_AuthorizeOptions::implicitErrorsGoInTheFragment()
{
    TestServer server(settings());
    HttpTestClient http(server.port());
    BrowserFlow browser(http, QStringLiteral("response_type=token&client_id=messaging-client&redirect_uri=http%3A%2F%2F"
                                             "localhost&scope=admin&state=s7"));
    QVERIFY(!browser.logIn().isEmpty());
    const TestResponse r = browser.authorize();
    QCOMPARE(r.status, 303);
    QCOMPARE(r.header("location"), QByteArray("http://localhost#error=invalid_scope&error_description=Invalid%20scope:"
                                              "%20admin&state=s7&scope=read%20write"));
}

QTEST_GUILESS_MAIN(tst_AuthorizeOptions)
#include "tst_authorizeoptions.moc"
