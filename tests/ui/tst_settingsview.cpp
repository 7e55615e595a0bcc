// SettingsView against a live server: a lifetime changed in its spin box and applied is used by the very next
// token response; an out-of-range value is refused with the field named and the server unchanged; Revert;
// the request log size is kept in QSettings and announced.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "SettingsView.h"

#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>

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

QTEST_MAIN(TestSettingsView)
#include "tst_settingsview.moc"
