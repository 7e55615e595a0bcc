// The assembled window: tabs, toolbar, server bar, status bar, the connections between views, shortcuts and
// the state restored from QSettings. Each view has its own test; this one checks what MainWindow wires.
#include "HttpTestClient.h"
#include "MainWindow.h"
#include "RequestsView.h"
#include "FlowView.h"
#include "ServerBar.h"
#include "TestServer.h"
#include "models/RequestLogModel.h"
#include "store/ClientStore.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {
const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");

// Logs the seed user in; returns the session id of the logged-in session.
QString logIn(HttpTestClient &http)
{
    const TestResponse first = http.get(kAuthorize);
    const QString anonymous = first.sessionCookie();
    const TestResponse page = http.get(QStringLiteral("/login"), HttpTestClient::cookie(anonymous));
    const QByteArray marker = "name=\"_csrf\" type=\"hidden\" value=\"";
    const qsizetype at = page.body.indexOf(marker) + marker.size();
    const QByteArray csrf = page.body.mid(at, page.body.indexOf('"', at) - at);
    return http
        .postForm(QStringLiteral("/login"), "username=user&password=password&_csrf=" + csrf,
                  HttpTestClient::cookie(anonymous))
        .sessionCookie();
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("oauthsim-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
    }
    void init() { QSettings().clear(); }

    void hasEveryTabAndAction()
    {
        TestServer ts;
        MainWindow window(ts.server());
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 7);
        QStringList names;
        for (int i = 0; i < tabs->count(); ++i)
            names << tabs->tabText(i).remove(QLatin1Char('&'));
        QCOMPARE(names, (QStringList{QStringLiteral("Requests"), QStringLiteral("Flow"), QStringLiteral("Clients"),
                                     QStringLiteral("Users"), QStringLiteral("Codes"), QStringLiteral("Tokens"),
                                     QStringLiteral("Settings")}));
        for (const char *action :
             {"actionStartStop", "actionToggleAutoApprove", "actionOpenAuthorize", "actionClearRequests", "actionQuit"})
            QVERIFY2(window.findChild<QAction *>(QLatin1String(action)), action);
    }

    void toolbarTogglesAutoApproveForTheNextAuthorize()
    {
        TestServer ts;
        MainWindow window(ts.server());
        window.show();
        HttpTestClient http(ts.port());
        const QString session = logIn(http);
        QCOMPARE(http.get(kAuthorize, HttpTestClient::cookie(session)).status, 200); // the approval page

        auto *toggle = window.findChild<QAction *>(QStringLiteral("actionToggleAutoApprove"));
        QVERIFY(toggle->isEnabled()); // the seed client is selected at start
        toggle->trigger();
        QCOMPARE(ts->clients().find(QStringLiteral("messaging-client"))->autoApprove.mode, AutoApprove::Mode::All);
        const TestResponse approved = http.get(kAuthorize, HttpTestClient::cookie(session));
        QCOMPARE(approved.status, 303);
        QVERIFY(approved.header("Location").startsWith("http://localhost?code="));

        toggle->trigger();
        QCOMPARE(ts->clients().find(QStringLiteral("messaging-client"))->autoApprove.mode, AutoApprove::Mode::Off);
    }

    void flowStepSelectsItsExchangeInRequests()
    {
        TestServer ts;
        MainWindow window(ts.server());
        window.show();
        QSignalSpy finished(&ts.server(), &OAuthServer::exchangeFinished);
        HttpTestClient http(ts.port());
        http.get(QStringLiteral("/health"));
        http.get(kAuthorize);
        const quint64 authorizeId = finished.last().first().value<ExchangeRecord>().id;

        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        auto *flow = window.findChild<FlowView *>();
        auto *requests = window.findChild<RequestsView *>();
        tabs->setCurrentWidget(flow);
        Q_EMIT flow->exchangeActivated(authorizeId);
        QCOMPARE(tabs->currentWidget(), requests);
        auto *table = window.findChild<QTableView *>(QStringLiteral("requestTable"));
        QVERIFY(table);
        QCOMPARE(table->currentIndex().data(RequestLogModel::ExchangeIdRole).toULongLong(), authorizeId);
    }

    void serverBarStopsAndStarts()
    {
        TestServer ts;
        MainWindow window(ts.server());
        auto *bar = window.serverBar();
        auto *state = bar->findChild<QLabel *>(QStringLiteral("serverState"));
        auto *port = bar->findChild<QSpinBox *>(QStringLiteral("port"));
        auto *bind = bar->findChild<QLineEdit *>(QStringLiteral("bindAddress"));
        QVERIFY(state && port && bind);
        QCOMPARE(port->value(), int(ts.port()));
        QVERIFY(!port->isEnabled()); // editable only while stopped

        bar->stop();
        QVERIFY(!ts->isListening());
        QVERIFY(port->isEnabled() && bind->isEnabled());
        QCOMPARE(state->accessibleName(), QStringLiteral("Server stopped"));

        port->setValue(0);
        bar->start();
        QVERIFY(ts->isListening());
        QCOMPARE(state->accessibleName(), QStringLiteral("Server running"));
        QCOMPARE(port->value(), int(ts->port()));
        HttpTestClient http(ts->port());
        QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
        QVERIFY(bar->findChild<QLabel *>(QStringLiteral("baseUrl"))->text().contains(ts->baseUrl()));
    }

    void busyPortIsReportedInTheWindow()
    {
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        TestServer ts;
        MainWindow window(ts.server());
        auto *bar = window.serverBar();
        bar->stop();
        bar->findChild<QSpinBox *>(QStringLiteral("port"))->setValue(occupier.serverPort());
        QSignalSpy failed(bar, &ServerBar::startFailed);
        bar->start();
        QCOMPARE(failed.size(), 1);
        QVERIFY(!ts->isListening());
        const QString shown = bar->findChild<QLabel *>(QStringLiteral("serverError"))->text();
        QVERIFY2(shown.contains(QStringLiteral("127.0.0.1:%1").arg(occupier.serverPort())), qPrintable(shown));
        QVERIFY2(shown.startsWith(QStringLiteral("Cannot listen on")), qPrintable(shown));
    }

    void openAuthorizeUrlOpensTheSelectedClientsUrl()
    {
        TestServer ts;
        MainWindow window(ts.server());
        QList<QUrl> opened;
        window.serverBar()->setUrlOpener([&](const QUrl &url) {
            opened << url;
            return true;
        });
        window.findChild<QAction *>(QStringLiteral("actionOpenAuthorize"))->trigger();
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.first().toString(QUrl::FullyEncoded),
                 ts->baseUrl() + QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client"
                                                "&redirect_uri=http://localhost"));
        // The URL really starts the flow.
        HttpTestClient http(ts.port());
        QCOMPARE(http.get(opened.first().toString(QUrl::FullyEncoded).mid(ts->baseUrl().size())).status, 302);
    }

    void statusBarCountsAndShowsTheUrl()
    {
        TestServer ts;
        MainWindow window(ts.server());
        HttpTestClient http(ts.port());
        http.get(QStringLiteral("/health"));
        http.get(kAuthorize);
        auto *counts = window.findChild<QLabel *>(QStringLiteral("statusCounts"));
        QTRY_COMPARE_WITH_TIMEOUT(counts->text(), QStringLiteral("2 requests · 1 flows · 0 codes · 0 tokens"), 2000);
        QCOMPARE(window.findChild<QLabel *>(QStringLiteral("statusUrl"))->text(),
                 QStringLiteral("Listening on ") + ts->baseUrl());
    }

    void shortcutsSwitchTabs()
    {
        TestServer ts;
        MainWindow window(ts.server());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("tabs"));
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 2);
        QTest::keyClick(&window, Qt::Key_6, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 5);
    }

    void lastTabAndGeometryAreRestored()
    {
        TestServer ts;
        {
            MainWindow window(ts.server());
            window.resize(900, 650);
            window.show();
            window.findChild<QTabWidget *>(QStringLiteral("tabs"))->setCurrentIndex(4);
            window.close();
        }
        MainWindow again(ts.server());
        QCOMPARE(again.findChild<QTabWidget *>(QStringLiteral("tabs"))->currentIndex(), 4);
        QCOMPARE(again.size(), QSize(900, 650));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
