// SettingsView against a live server: a lifetime changed in its spin box and applied is used by the very next
// token response; an out-of-range value is refused with the field named and the server unchanged; Revert;
// the request log size is kept in QSettings and announced; switching the profile moves the live server's endpoints
// and shows the new defaults; issuer and CORS origins are validated like the configuration; rotating the signing key
// lists both keys once the KeyRing reports the new one.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "Countdown.h"
#include "SettingsView.h"
#include "SigningKeysView.h"
#include "jose/KeyRing.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QTreeWidget>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorizeQuery = BrowserFlow::seedQuery() + QStringLiteral("&state=xyz");

// The fields the view edits, for "nothing changed" checks.
QList<int> editable(const ServerSettings &s)
{
    return {s.accessTokenLifetime, s.refreshTokenLifetime, s.codeLength,      s.codeLifetime,
            s.sessionIdleTimeout,  s.maxBodyBytes,         s.reuseLiveTokens, s.rememberApprovals};
}

} // namespace

class TestSettingsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void showsTheServerSettings();
    void accessLifetimeAppliesToTheNextTokenResponse();
    void invalidValueIsRefused_data();
    void invalidValueIsRefused();
    void revertShowsTheAppliedValues();
    void switchesApply();
    void logSizeIsStoredAndAnnounced();
    void profileSwitchMovesTheEndpoints();
    void invalidTextIsRefused_data();
    void invalidTextIsRefused();
    void corsOriginsApplyToTheNextPreflight();
    void issuerAppliesToDiscovery();
    void rotatingTheKeyListsBothKeys();
};

void TestSettingsView::initTestCase()
{
    // QSettings under a test location, never the user's configuration.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("oauthsim-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_settingsview"));
}

void TestSettingsView::init()
{
    QSettings().remove(QStringLiteral("requests/maxRows"));
}

void TestSettingsView::showsTheServerSettings()
{
    TestServer ts;
    SettingsView view(ts.server());
    const QList<QPair<QString, int>> expected{{QStringLiteral("accessTokenLifetime"), 43200},
                                              {QStringLiteral("refreshTokenLifetime"), 2592000},
                                              {QStringLiteral("codeLength"), 6},
                                              {QStringLiteral("codeLifetime"), 300},
                                              {QStringLiteral("sessionIdleTimeout"), 1800},
                                              {QStringLiteral("maxBodyBytes"), 65536},
                                              {QStringLiteral("logSize"), 10000}};
    for (const auto &[name, value] : expected) {
        auto *spin = view.findChild<QSpinBox *>(name);
        QVERIFY2(spin, qPrintable(name));
        QVERIFY2(!spin->accessibleName().isEmpty(), qPrintable(name));
        QCOMPARE(spin->value(), value);
    }
    for (const char *name : {"reuseLiveTokens", "rememberApprovals"}) {
        auto *check = view.findChild<QCheckBox *>(QLatin1String(name));
        QVERIFY2(check && check->isChecked() && !check->accessibleName().isEmpty(), name);
    }
    for (const char *name : {"applySettings", "revertSettings"}) {
        auto *button = view.findChild<QPushButton *>(QLatin1String(name));
        QVERIFY2(button && !button->accessibleName().isEmpty(), name);
        QVERIFY2(!button->isEnabled(), name); // nothing to apply yet
    }
    const auto hint = [&view](const char *name) { return view.findChild<QLabel *>(QLatin1String(name))->text(); };
    QCOMPARE(hint("accessTokenLifetimeHint"), QStringLiteral("12 h"));
    QCOMPARE(hint("refreshTokenLifetimeHint"), QStringLiteral("30 d"));
    QCOMPARE(hint("codeLifetimeHint"), QStringLiteral("5 min"));
    QCOMPARE(hint("sessionIdleTimeoutHint"), QStringLiteral("30 min"));
    QCOMPARE(hint("maxBodyBytesHint"), QStringLiteral("64 KiB"));
    view.findChild<QSpinBox *>(QStringLiteral("codeLifetime"))->setValue(0);
    QCOMPARE(hint("codeLifetimeHint"), QStringLiteral("never expires (single use only)"));
    view.findChild<QSpinBox *>(QStringLiteral("accessTokenLifetime"))->setValue(5400);
    QCOMPARE(hint("accessTokenLifetimeHint"), QStringLiteral("1 h 30 min"));
    QCOMPARE(view.logSize(), 10000);
}

void TestSettingsView::accessLifetimeAppliesToTheNextTokenResponse()
{
    TestServer ts;
    SettingsView view(ts.server());
    QSignalSpy settingsChanged(&ts.server(), &OAuthServer::settingsChanged);
    auto *spin = view.findChild<QSpinBox *>(QStringLiteral("accessTokenLifetime"));
    auto *apply = view.findChild<QPushButton *>(QStringLiteral("applySettings"));
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("600"));
    QCOMPARE(spin->value(), 600);
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("accessTokenLifetimeHint"))->text(), QStringLiteral("10 min"));
    QVERIFY(apply->isEnabled());
    QCOMPARE(ts->settings().accessTokenLifetime, 43200); // not before Apply

    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(settingsChanged.size(), 1);
    QCOMPARE(ts->settings().accessTokenLifetime, 600);
    QCOMPARE(view.findChild<QLabel *>(QStringLiteral("settingsStatus"))->text(), QStringLiteral("Settings applied."));
    QVERIFY(!apply->isEnabled());
    // Clients and users survive (applySettings replaces them with what it is given).
    QCOMPARE(ts->settings().clients.size(), 1);
    QCOMPARE(ts->settings().users.size(), 1);

    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    browser.logIn();
    const TestResponse token = browser.exchangeCode(browser.authorizeCode());
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json().value(QLatin1String("expires_in")).toInt(), 599);
    QVERIFY2(token.body.contains(",\"expires_in\":599,"), token.body.constData());
}

void TestSettingsView::invalidValueIsRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("access lifetime 0") << QStringLiteral("accessTokenLifetime") << 0
                                       << QStringLiteral("Access token lifetime must be at least 1; it is 0.");
    QTest::newRow("refresh lifetime 0") << QStringLiteral("refreshTokenLifetime") << 0
                                        << QStringLiteral("Refresh token lifetime must be at least 1; it is 0.");
    QTest::newRow("code length 3") << QStringLiteral("codeLength") << 3
                                   << QStringLiteral("Code length must be between 4 and 128; it is 3.");
    QTest::newRow("code length 129") << QStringLiteral("codeLength") << 129
                                     << QStringLiteral("Code length must be between 4 and 128; it is 129.");
    QTest::newRow("idle timeout 0") << QStringLiteral("sessionIdleTimeout") << 0
                                    << QStringLiteral("Session idle timeout must be at least 1; it is 0.");
    QTest::newRow("body 1000") << QStringLiteral("maxBodyBytes") << 1000
                               << QStringLiteral("Maximum request body must be between 1024 and 67108864; it is 1000.");
    QTest::newRow("log size 50") << QStringLiteral("logSize") << 50
                                 << QStringLiteral("Request log size must be between 100 and 1000000; it is 50.");
}

void TestSettingsView::invalidValueIsRefused()
{
    QFETCH(QString, field);
    QFETCH(int, value);
    QFETCH(QString, message);
    TestServer ts;
    SettingsView view(ts.server());
    QSignalSpy settingsChanged(&ts.server(), &OAuthServer::settingsChanged);
    QSignalSpy logSizeChanged(&view, &SettingsView::logSizeChanged);
    const QList<int> before = editable(ts->settings());
    auto *error = view.findChild<QLabel *>(QStringLiteral("settingsError"));
    QVERIFY(error);
    QVERIFY(error->isHidden());

    // A valid change elsewhere must not slip through with the invalid one.
    view.findChild<QSpinBox *>(QStringLiteral("codeLifetime"))->setValue(60);
    view.findChild<QSpinBox *>(field)->setValue(value);
    QCOMPARE(error->text(), message); // inline, before Apply
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("applySettings")), Qt::LeftButton);
    QVERIFY(!error->isHidden());
    QCOMPARE(error->text(), message);
    QCOMPARE(error->property("field").toString(), field);
    QCOMPARE(settingsChanged.size(), 0);
    QCOMPARE(logSizeChanged.size(), 0);
    QCOMPARE(editable(ts->settings()), before);
    QCOMPARE(view.logSize(), 10000);
    QVERIFY(!view.apply());

    // Fixed: the error goes away and Apply applies both changes.
    view.findChild<QSpinBox *>(field)->setValue(field == QLatin1String("maxBodyBytes") ? 2048 : 100);
    QVERIFY(error->isHidden());
    QVERIFY(view.apply());
    QCOMPARE(ts->settings().codeLifetime, 60);
}

void TestSettingsView::revertShowsTheAppliedValues()
{
    TestServer ts;
    SettingsView view(ts.server());
    auto *length = view.findChild<QSpinBox *>(QStringLiteral("codeLength"));
    auto *reuse = view.findChild<QCheckBox *>(QStringLiteral("reuseLiveTokens"));
    auto *revert = view.findChild<QPushButton *>(QStringLiteral("revertSettings"));
    length->setValue(999);
    reuse->click();
    QVERIFY(view.hasUnappliedChanges());
    QVERIFY(revert->isEnabled());
    QTest::mouseClick(revert, Qt::LeftButton);
    QCOMPARE(length->value(), 6);
    QVERIFY(reuse->isChecked());
    QVERIFY(!view.hasUnappliedChanges());
    QVERIFY(view.findChild<QLabel *>(QStringLiteral("settingsError"))->isHidden());
    QCOMPARE(ts->settings().codeLength, 6);
}

void TestSettingsView::switchesApply()
{
    TestServer ts;
    SettingsView view(ts.server());
    view.findChild<QCheckBox *>(QStringLiteral("reuseLiveTokens"))->click();
    view.findChild<QCheckBox *>(QStringLiteral("rememberApprovals"))->click();
    view.findChild<QSpinBox *>(QStringLiteral("codeLength"))->setValue(10);
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("applySettings")), Qt::LeftButton);
    QVERIFY(!ts->settings().reuseLiveTokens);
    QVERIFY(!ts->settings().rememberApprovals);
    QCOMPARE(ts->settings().codeLength, 10);

    // The next flow: a 10-character code; after a token, the approval page is shown again (not remembered),
    // and a second grant gets a new access token (not reused).
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    browser.logIn();
    const QString code = browser.authorizeCode();
    QCOMPARE(code.size(), 10);
    const TestResponse first = browser.exchangeCode(code);
    QCOMPARE(first.status, 200);
    const TestResponse page = browser.authorize();
    QCOMPARE(page.status, 200);
    const TestResponse second = browser.exchangeCode(browser.authorizeCode());
    QCOMPARE(second.status, 200);
    QVERIFY(first.json().value(QLatin1String("access_token")) != second.json().value(QLatin1String("access_token")));
}

void TestSettingsView::logSizeIsStoredAndAnnounced()
{
    TestServer ts;
    QCOMPARE(SettingsView::savedLogSize(), 10000);
    SettingsView view(ts.server());
    QSignalSpy logSizeChanged(&view, &SettingsView::logSizeChanged);
    QSignalSpy settingsChanged(&ts.server(), &OAuthServer::settingsChanged);
    view.findChild<QSpinBox *>(QStringLiteral("logSize"))->setValue(500);
    QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("applySettings")), Qt::LeftButton);
    QCOMPARE(logSizeChanged.size(), 1);
    QCOMPARE(logSizeChanged.at(0).at(0).toInt(), 500);
    QCOMPARE(view.logSize(), 500);
    QCOMPARE(settingsChanged.size(), 0); // a window setting: the server is not touched
    QCOMPARE(QSettings().value(QStringLiteral("requests/maxRows")).toInt(), 500);
    QCOMPARE(SettingsView::savedLogSize(), 500);

    SettingsView next(ts.server());
    QCOMPARE(next.logSize(), 500);
    QCOMPARE(next.findChild<QSpinBox *>(QStringLiteral("logSize"))->value(), 500);

    // A hand-edited, out-of-range value falls back to the default.
    QSettings().setValue(QStringLiteral("requests/maxRows"), 5);
    QCOMPARE(SettingsView::savedLogSize(), 10000);
}

template <typename T> T *child(QWidget &parent, const char *name)
{
    T *widget = parent.findChild<T *>(QLatin1String(name));
    if (!widget)
        qFatal("no %s named %s", T::staticMetaObject.className(), name);
    return widget;
}

// A refresh grant with a token never issued: 400 proves the route exists and the client authenticated.
TestResponse refreshAt(HttpTestClient &http, const QString &path)
{
    return http.postForm(path, "grant_type=refresh_token&refresh_token=x",
                         HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
}

void TestSettingsView::profileSwitchMovesTheEndpoints()
{
    TestServer ts;
    SettingsView view(ts.server());
    QSignalSpy settingsChanged(&ts.server(), &OAuthServer::settingsChanged);
    HttpTestClient http(ts.port());
    auto *profile = child<QComboBox>(view, "profile");
    auto *summary = child<QLabel>(view, "profileSummary");
    auto *access = child<QSpinBox>(view, "accessTokenLifetime");
    auto *refresh = child<QSpinBox>(view, "refreshTokenLifetime");
    auto *codeLength = child<QSpinBox>(view, "codeLength");
    auto *apply = child<QPushButton>(view, "applySettings");
    QCOMPARE(profile->accessibleName(), QStringLiteral("Profile"));
    QCOMPARE(profile->count(), 2);
    QCOMPARE(profile->currentText(), QStringLiteral("Spring Security OAuth2 (legacy)"));
    QCOMPARE(profile->currentData().toString(), QStringLiteral("spring-legacy"));
    QCOMPARE(summary->text(), QStringLiteral("Endpoints /oauth/authorize, /oauth/token, /oauth/jwks…; opaque access "
                                             "tokens by default; lifetimes 43200 s (access) and 2592000 s (refresh); "
                                             "codes of 6 characters."));
    QCOMPARE(refreshAt(http, QStringLiteral("/oauth/token")).status, 400);
    QCOMPARE(refreshAt(http, QStringLiteral("/oauth2/token")).status, 404);

    profile->setCurrentIndex(profile->findData(QStringLiteral("spring-authorization-server")));
    QCOMPARE(profile->currentText(), QStringLiteral("Spring Authorization Server"));
    // The profile's defaults are shown at once, as Apply will set them; nothing is applied yet.
    QCOMPARE(access->value(), 300);
    QCOMPARE(refresh->value(), 3600);
    QCOMPARE(codeLength->value(), 128);
    QCOMPARE(child<QLabel>(view, "accessTokenLifetimeHint")->text(), QStringLiteral("5 min"));
    QCOMPARE(summary->text(), QStringLiteral("Endpoints /oauth2/authorize, /oauth2/token, /oauth2/jwks…; JWT (RFC "
                                             "9068) access tokens by default; lifetimes 300 s (access) and 3600 s "
                                             "(refresh); codes of 128 characters."));
    QVERIFY(apply->isEnabled());
    QVERIFY(view.hasUnappliedChanges());
    QCOMPARE(settingsChanged.size(), 0);
    QCOMPARE(ts->settings().profile, ProfileId::SpringLegacy);
    QCOMPARE(refreshAt(http, QStringLiteral("/oauth2/token")).status, 404);

    // Back to the running profile: its applied values again, nothing to apply.
    profile->setCurrentIndex(profile->findData(QStringLiteral("spring-legacy")));
    QCOMPARE(access->value(), 43200);
    QCOMPARE(codeLength->value(), 6);
    QVERIFY(!apply->isEnabled());

    profile->setCurrentIndex(profile->findData(QStringLiteral("spring-authorization-server")));
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(settingsChanged.size(), 1);
    const ServerSettings &s = ts->settings();
    QCOMPARE(s.profile, ProfileId::SpringAuthorizationServer);
    QCOMPARE(s.accessTokenLifetime, 300);
    QCOMPARE(s.refreshTokenLifetime, 3600);
    QCOMPARE(s.codeLength, 128);
    QCOMPARE(s.codeLifetime, 300);
    QCOMPARE(s.clients.size(), 1);
    QCOMPARE(access->value(), 300);
    QCOMPARE(refresh->value(), 3600);
    QVERIFY(!apply->isEnabled());
    QCOMPARE(child<QLabel>(view, "settingsStatus")->text(), QStringLiteral("Settings applied."));
    QCOMPARE(child<QLineEdit>(view, "jwksUrl")->text(), ts.base() + QStringLiteral("/oauth2/jwks"));

    // The live server: the new token endpoint, answering in the new profile's error shape; the old one is gone.
    const TestResponse moved = refreshAt(http, QStringLiteral("/oauth2/token"));
    QCOMPARE(moved.status, 400);
    QCOMPARE(moved.body, QByteArray("{\"error\":\"invalid_grant\"}"));
    QCOMPARE(refreshAt(http, QStringLiteral("/oauth/token")).status, 404);
}

void TestSettingsView::invalidTextIsRefused_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    const QString cors = QStringLiteral("corsAllowedOrigins");
    const QString issuer = QStringLiteral("issuer");
    QTest::newRow("origin with a path")
        << cors << QStringLiteral("http://localhost:3000 https://app.test/")
        << QStringLiteral("Allowed CORS origins: \"https://app.test/\" is not an origin (scheme://host[:port] without "
                          "a path, or *).");
    QTest::newRow("origin without scheme")
        << cors << QStringLiteral("localhost:3000")
        << QStringLiteral("Allowed CORS origins: \"localhost:3000\" is not an origin (scheme://host[:port] without a "
                          "path, or *).");
    QTest::newRow("ftp origin") << cors << QStringLiteral("ftp://files.test")
                                << QStringLiteral("Allowed CORS origins: \"ftp://files.test\" is not an origin "
                                                  "(scheme://host[:port] without a path, or *).");
    QTest::newRow("issuer not a URL") << issuer << QStringLiteral("idp.test")
                                      << QStringLiteral("Issuer: not an absolute http or https URL.");
    QTest::newRow("issuer with query") << issuer << QStringLiteral("https://idp.test/?tenant=1")
                                       << QStringLiteral("Issuer: must not have a query.");
}

void TestSettingsView::invalidTextIsRefused()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, message);
    TestServer ts;
    SettingsView view(ts.server());
    QSignalSpy settingsChanged(&ts.server(), &OAuthServer::settingsChanged);
    auto *error = child<QLabel>(view, "settingsError");
    auto *edit = view.findChild<QLineEdit *>(field);
    QVERIFY(edit);
    QVERIFY(!edit->accessibleName().isEmpty());

    // A valid change elsewhere must not slip through with the invalid one.
    child<QSpinBox>(view, "codeLifetime")->setValue(60);
    QTest::keyClicks(edit, text);
    QCOMPARE(error->text(), message); // inline, before Apply
    QVERIFY(!error->isHidden());
    QCOMPARE(error->property("field").toString(), field);
    QTest::mouseClick(child<QPushButton>(view, "applySettings"), Qt::LeftButton);
    QCOMPARE(error->text(), message);
    QCOMPARE(error->property("field").toString(), field);
    QVERIFY(!view.apply());
    QCOMPARE(settingsChanged.size(), 0);
    QCOMPARE(ts->settings().codeLifetime, 300);
    QVERIFY(ts->settings().corsAllowedOrigins.isEmpty());
    QVERIFY(ts->settings().issuer.isEmpty());

    edit->clear();
    QVERIFY(error->isHidden());
    QVERIFY(view.apply());
    QCOMPARE(ts->settings().codeLifetime, 60);
}

void TestSettingsView::corsOriginsApplyToTheNextPreflight()
{
    TestServer ts;
    SettingsView view(ts.server());
    HttpTestClient http(ts.port());
    const auto preflight = [&http](const QByteArray &origin) {
        return http.send("OPTIONS", QStringLiteral("/oauth/token"), {},
                         {{"Origin", origin}, {"Access-Control-Request-Method", "POST"}});
    };
    auto *origins = child<QLineEdit>(view, "corsAllowedOrigins");
    QCOMPARE(origins->text(), QString());
    QCOMPARE(origins->placeholderText(), QStringLiteral("empty: any http://localhost or http://127.0.0.1 origin"));
    QCOMPARE(preflight("https://app.test").status, 403);
    QCOMPARE(preflight("http://localhost:3000").status, 204);

    QTest::keyClicks(origins, QStringLiteral("https://app.test,  http://localhost:3000"));
    QVERIFY(child<QLabel>(view, "settingsError")->isHidden());
    QVERIFY(view.apply());
    QCOMPARE(ts->settings().corsAllowedOrigins,
             (QStringList{QStringLiteral("https://app.test"), QStringLiteral("http://localhost:3000")}));
    QCOMPARE(origins->text(), QStringLiteral("https://app.test http://localhost:3000"));
    QVERIFY(!view.hasUnappliedChanges());

    const TestResponse allowed = preflight("https://app.test");
    QCOMPARE(allowed.status, 204);
    QCOMPARE(allowed.header("Access-Control-Allow-Origin"), QByteArray("https://app.test"));
    // The loopback default no longer applies: only the listed origins.
    QCOMPARE(preflight("http://127.0.0.1:5173").status, 403);
}

void TestSettingsView::issuerAppliesToDiscovery()
{
    TestServer ts;
    SettingsView view(ts.server());
    HttpTestClient http(ts.port());
    auto *issuer = child<QLineEdit>(view, "issuer");
    QCOMPARE(issuer->placeholderText(), QStringLiteral("derived: ") + ts.base());
    QTest::keyClicks(issuer, QStringLiteral("https://idp.test/"));
    QVERIFY(view.apply());
    QCOMPARE(ts->settings().issuer, QStringLiteral("https://idp.test/"));
    QCOMPARE(ts->issuer(), QStringLiteral("https://idp.test/"));
    const TestResponse discovery = http.get(QStringLiteral("/.well-known/openid-configuration"));
    QCOMPARE(discovery.status, 200);
    QCOMPARE(discovery.json().value(QLatin1String("issuer")).toString(), QStringLiteral("https://idp.test/"));
    QCOMPARE(child<QLineEdit>(view, "jwksUrl")->text(), QStringLiteral("https://idp.test/oauth/jwks"));
}

void TestSettingsView::rotatingTheKeyListsBothKeys()
{
    TestServer ts;
    SettingsView view(ts.server());
    auto *list = child<QTreeWidget>(view, "signingKeyList");
    QAbstractItemModelTester tester(list->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *rotate = child<QPushButton>(view, "rotateSigningKey");
    auto *status = child<QLabel>(view, "signingKeyStatus");
    QVERIFY(!rotate->accessibleName().isEmpty());
    QVERIFY(!list->accessibleName().isEmpty());
    const QString first = TestServer::signingKey().kid();
    const QString second = TestServer::nextSigningKey().kid();
    QVERIFY(first != second);
    QCOMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(SigningKeysView::KidColumn), first);
    QCOMPARE(list->topLevelItem(0)->text(SigningKeysView::StateColumn), QStringLiteral("active (signs)"));
    QCOMPARE(list->topLevelItem(0)->text(SigningKeysView::VerifiesUntilColumn), QStringLiteral("while active"));
    const QString jwksUrl = ts.base() + QStringLiteral("/oauth/jwks");
    QCOMPARE(child<QLineEdit>(view, "jwksUrl")->text(), jwksUrl);

    ts.clock().advanceSeconds(60); // the retired key's "verifies until" counts from the rotation
    const qint64 rotatedAtMs = ts.clock().nowMs();
    QSignalSpy keysChanged(&ts->keys(), &KeyRing::keysChanged);
    QTest::mouseClick(rotate, Qt::LeftButton);
    QVERIFY(!rotate->isEnabled()); // generating, off the GUI thread
    QCOMPARE(status->text(), QStringLiteral("Generating a new signing key…"));
    QCOMPARE(list->topLevelItemCount(), 1);
    QVERIFY(keysChanged.wait(5000));
    QVERIFY(rotate->isEnabled());
    QCOMPARE(status->text(), QStringLiteral("Signing keys updated."));
    QCOMPARE(list->topLevelItemCount(), 2);
    QCOMPARE(list->topLevelItem(0)->text(SigningKeysView::KidColumn), second);
    QCOMPARE(list->topLevelItem(0)->text(SigningKeysView::StateColumn), QStringLiteral("active (signs)"));
    QCOMPARE(list->topLevelItem(0)->text(SigningKeysView::CreatedColumn), Countdown::localTime(rotatedAtMs));
    QCOMPARE(list->topLevelItem(1)->text(SigningKeysView::KidColumn), first);
    QCOMPARE(list->topLevelItem(1)->text(SigningKeysView::StateColumn), QStringLiteral("retired (verifies only)"));
    QCOMPARE(list->topLevelItem(1)->text(SigningKeysView::VerifiesUntilColumn),
             Countdown::localTime(rotatedAtMs + qint64(ts->longestSignedLifetime()) * 1000));

    // The JWKS the URL names publishes both.
    HttpTestClient http(ts.port());
    const TestResponse jwks = http.get(QStringLiteral("/oauth/jwks"));
    QCOMPARE(jwks.status, 200);
    const QJsonArray keys = jwks.json().value(QLatin1String("keys")).toArray();
    QCOMPARE(keys.size(), 2);
    QCOMPARE(keys.at(0).toObject().value(QLatin1String("kid")).toString(), second);
    QCOMPARE(keys.at(1).toObject().value(QLatin1String("kid")).toString(), first);

    QTest::mouseClick(child<QPushButton>(view, "copyJwksUrl"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), jwksUrl);
}

QTEST_MAIN(TestSettingsView)
#include "tst_settingsview.moc"
