// The assembled window: tabs, toolbar, server bar, status bar, the connections between views, shortcuts and
// the state restored from QSettings. Each view has its own test; this one checks what MainWindow wires.
#include "HttpTestClient.h"
#include "MainWindow.h"
#include "RequestsView.h"
#include "FlowView.h"
#include "ServerBar.h"
#include "TestServer.h"
#include "BrowserFlow.h"
#include "auth/Sessions.h"
#include "secrets/MemorySecretStore.h"
#include "store/StateRepository.h"
#include "store/TokenStore.h"
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
#include <QTemporaryDir>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {
const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");

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
             {"actionStartStop", "actionToggleAutoApprove", "actionOpenAuthorize", "actionClearRequests", "actionQuit",
              "actionResetState", "actionExportConfiguration", "actionImportConfiguration"})
            QVERIFY2(window.findChild<QAction *>(QLatin1String(action)), action);
    }

    void toolbarTogglesAutoApproveForTheNextAuthorize()
    {
        TestServer ts;
        MainWindow window(ts.server());
        window.show();
        HttpTestClient http(ts.port());
        const QString session = BrowserFlow(http).logIn();
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

    void noticesAppearAsBanners()
    {
        TestServer ts;
        MainWindow window(ts.server());
        window.addNotice(QStringLiteral("no system keychain is available; secrets are kept in the owner-only file X"));
        const QList<QLabel *> banners = window.findChildren<QLabel *>(QStringLiteral("noticeBanner"));
        QCOMPARE(banners.size(), 1);
        QVERIFY(banners.first()->text().contains(QStringLiteral("owner-only file X")));
    }

    void resetAllStateAsksThenForgetsEverything()
    {
        QTemporaryDir dir;
        TestServer ts;
        MemorySecretStore secrets;
        StateRepository state(dir.path(), ts.server(), secrets);
        MainWindow window(ts.server());
        auto *reset = window.findChild<QAction *>(QStringLiteral("actionResetState"));
        QVERIFY(reset);
        QVERIFY(!reset->isEnabled()); // nothing to reset without a repository
        window.setStateRepository(&state);
        QVERIFY(reset->isEnabled());

        BrowserFlow flow(ts.port());
        flow.logIn();
        const Tokens tokens = flow.codeFlow();
        QVERIFY(!tokens.refresh.isEmpty());
        auto *tokenTable = window.findChild<QTableView *>(QStringLiteral("tokenTable"));
        auto *codeTable = window.findChild<QTableView *>(QStringLiteral("codeTable"));
        QVERIFY(tokenTable && codeTable);
        QTRY_COMPARE(tokenTable->model()->rowCount(), 2); // access and refresh
        QTRY_COMPARE(codeTable->model()->rowCount(), 1);

        QStringList asked;
        window.confirm = [&](const QString &question) {
            asked << question;
            return false;
        };
        reset->trigger();
        QCOMPARE(asked.size(), 1);
        QCOMPARE(ts->tokens().refreshCount(), 1); // "no" keeps everything

        window.confirm = [](const QString &) { return true; };
        reset->trigger();
        QCOMPARE(ts->tokens().refreshCount(), 0);
        QCOMPARE(ts->tokens().accessCount(), 0);
        QCOMPARE(ts->sessions().size(), 0);
        // The Tokens and Codes tables follow.
        QTRY_COMPARE(tokenTable->model()->rowCount(), 0);
        QTRY_COMPARE(codeTable->model()->rowCount(), 0);
        QCOMPARE(BrowserFlow(ts.port()).refresh(tokens.refresh).status, 400);
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
