#include "MainWindow.h"

#include "ClientsView.h"
#include "ConfigTransfer.h"
#include "CodesView.h"
#include "FlowView.h"
#include "OAuthServer.h"
#include "RequestsView.h"
#include "ServerBar.h"
#include "SettingsView.h"
#include "TokensView.h"
#include "UsersView.h"
#include "store/StateRepository.h"
#include "store/CodeStore.h"
#include "store/TokenStore.h"
#include "trace/FlowTracker.h"

#include <QAction>
#include <QCloseEvent>
#include <QFileDialog>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace oauthsim {

MainWindow::MainWindow(OAuthServer &server, QWidget *parent) : QMainWindow(parent), m_server(server)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("oauthsim — OAuth 2.0 authorization server simulator"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    m_serverBar = new ServerBar(server, central);
    layout->addWidget(m_serverBar);
    m_noticeArea = new QVBoxLayout;
    m_noticeArea->setContentsMargins(6, 0, 6, 0);
    layout->addLayout(m_noticeArea);
    m_tabs = new QTabWidget(central);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->setDocumentMode(true);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    buildTabs();
    buildActions();
    buildStatusBar();
    connectViews();
    restoreState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildTabs()
{
    m_requests = new RequestsView(m_server, m_tabs);
    m_flow = new FlowView(m_server, m_tabs);
    m_clients = new ClientsView(m_server, m_tabs);
    m_users = new UsersView(m_server, m_tabs);
    m_codes = new CodesView(m_server, m_tabs);
    m_tokens = new TokensView(m_server, m_tabs);
    m_settings = new SettingsView(m_server, m_tabs);
    m_tabs->addTab(m_requests, tr("&Requests"));
    m_tabs->addTab(m_flow, tr("&Flow"));
    m_tabs->addTab(m_clients, tr("&Clients"));
    m_tabs->addTab(m_users, tr("&Users"));
    m_tabs->addTab(m_codes, tr("C&odes"));
    m_tabs->addTab(m_tokens, tr("&Tokens"));
    m_tabs->addTab(m_settings, tr("&Settings"));
}

void MainWindow::buildActions()
{
    auto *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);

    auto *startStop = toolbar->addAction(tr("Start/Stop server"), m_serverBar, &ServerBar::toggleRunning);
    startStop->setObjectName(QStringLiteral("actionStartStop"));
    startStop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    startStop->setToolTip(tr("Start or stop the server (Ctrl+R)"));

    m_toggleAutoApprove = toolbar->addAction(tr("Toggle autoapprove"), m_clients, &ClientsView::toggleAutoApprove);
    m_toggleAutoApprove->setObjectName(QStringLiteral("actionToggleAutoApprove"));
    m_toggleAutoApprove->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_toggleAutoApprove->setToolTip(
        tr("Autoapprove all scopes of the selected client, or stop doing so (Ctrl+Shift+A). Applies to the next "
           "authorization."));

    auto *open = toolbar->addAction(tr("Open authorize URL"), m_serverBar, &ServerBar::openAuthorizeUrl);
    open->setObjectName(QStringLiteral("actionOpenAuthorize"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));

    auto *clear = toolbar->addAction(tr("Clear requests"), m_requests, &RequestsView::clear);
    clear->setObjectName(QStringLiteral("actionClearRequests"));
    clear->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    auto *exportConfig = fileMenu->addAction(tr("&Export configuration…"), this, &MainWindow::exportConfiguration);
    exportConfig->setObjectName(QStringLiteral("actionExportConfiguration"));
    auto *importConfig = fileMenu->addAction(tr("&Import configuration…"), this, &MainWindow::importConfiguration);
    importConfig->setObjectName(QStringLiteral("actionImportConfiguration"));
    fileMenu->addSeparator();
    m_resetState = fileMenu->addAction(tr("Reset all state…"), this, &MainWindow::resetAllState);
    m_resetState->setObjectName(QStringLiteral("actionResetState"));
    m_resetState->setToolTip(tr("Forget every issued code and token, every session and remembered approval"));
    m_resetState->setEnabled(false);
    fileMenu->addSeparator();

    auto *quit = new QAction(tr("Quit"), this);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);
    fileMenu->addAction(quit);

    // Ctrl+1..7 switch tabs.
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *tab = new QAction(this);
        tab->setObjectName(QStringLiteral("actionTab%1").arg(i + 1));
        tab->setShortcut(QKeySequence(Qt::CTRL | (Qt::Key_1 + i)));
        connect(tab, &QAction::triggered, this, [this, i] { m_tabs->setCurrentIndex(i); });
        addAction(tab);
    }
}

void MainWindow::buildStatusBar()
{
    m_statusUrl = new QLabel(this);
    m_statusUrl->setObjectName(QStringLiteral("statusUrl"));
    m_statusCounts = new QLabel(this);
    m_statusCounts->setObjectName(QStringLiteral("statusCounts"));
    statusBar()->addWidget(m_statusUrl, 1);
    statusBar()->addPermanentWidget(m_statusCounts);
    connect(&m_server, &OAuthServer::exchangeFinished, this, [this] { ++m_exchanges; });
    connect(&m_server.flows(), &FlowTracker::flowStarted, this, [this] { ++m_flows; });
    connect(&m_server.codes(), &CodeStore::codeIssued, this, [this] { ++m_codesIssued; });
    connect(&m_server.tokens(), &TokenStore::tokenIssued, this, [this] { ++m_tokensIssued; });
    connect(&m_server, &OAuthServer::listeningChanged, this, &MainWindow::updateStatus);
    // Counters change at request rate: repaint them at most four times a second.
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &MainWindow::updateStatus);
    timer->start(250);
    updateStatus();
}

void MainWindow::updateStatus()
{
    m_statusUrl->setText(m_server.isListening() ? tr("Listening on %1").arg(m_server.baseUrl()) : tr("Stopped"));
    m_statusCounts->setText(tr("%1 requests · %2 flows · %3 codes · %4 tokens")
                                .arg(m_exchanges)
                                .arg(m_flows)
                                .arg(m_codesIssued)
                                .arg(m_tokensIssued));
}

void MainWindow::connectViews()
{
    connect(m_flow, &FlowView::exchangeActivated, this, [this](quint64 id) {
        m_requests->selectExchange(id);
        m_tabs->setCurrentWidget(m_requests);
    });
    connect(m_clients, &ClientsView::selectedClientChanged, m_serverBar, &ServerBar::setSelectedClient);
    connect(m_clients, &ClientsView::selectedClientChanged, this,
            [this](const QString &id) { m_toggleAutoApprove->setEnabled(!id.isEmpty()); });
    m_requests->setMaxRows(SettingsView::savedLogSize());
    connect(m_settings, &SettingsView::logSizeChanged, m_requests, &RequestsView::setMaxRows);
    m_serverBar->setSelectedClient(m_clients->selectedClientId());
    m_toggleAutoApprove->setEnabled(!m_clients->selectedClientId().isEmpty());
}

void MainWindow::restoreState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 760); // first start: room for the table and the detail pane
    QMainWindow::restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/tab"), 0).toInt());
    for (QSplitter *splitter : findChildren<QSplitter *>()) {
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(settings.value(QStringLiteral("splitters/") + splitter->objectName()).toByteArray());
    }
}

void MainWindow::saveState() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), QMainWindow::saveState());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    for (const QSplitter *splitter : findChildren<QSplitter *>()) {
        if (!splitter->objectName().isEmpty())
            settings.setValue(QStringLiteral("splitters/") + splitter->objectName(), splitter->saveState());
    }
}

void MainWindow::setStateRepository(StateRepository *state)
{
    m_state = state;
    m_resetState->setEnabled(state != nullptr);
}

void MainWindow::addNotice(const QString &text)
{
    auto *notice = new QLabel(text, this);
    notice->setObjectName(QStringLiteral("noticeBanner"));
    notice->setAccessibleName(tr("Notice"));
    notice->setWordWrap(true);
    notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Amber on a light tint with dark text: readable in light and dark palettes alike.
    notice->setStyleSheet(QStringLiteral("QLabel { background: #fff4ce; color: #3d2e00; border: 1px solid #e0b400;"
                                         " padding: 4px; }"));
    m_noticeArea->addWidget(notice);
}

void MainWindow::resetAllState()
{
    if (!m_state)
        return;
    const QString question =
        tr("Forget every issued code and token, sign out every session and forget remembered approvals?");
    const bool yes =
        confirm ? confirm(question) : QMessageBox::question(this, tr("Reset all state"), question) == QMessageBox::Yes;
    if (!yes)
        return;
    m_state->resetState();
    statusBar()->showMessage(tr("All issued state was reset."), 5000);
}

void MainWindow::exportConfiguration()
{
    QMessageBox ask(QMessageBox::Question, tr("Export configuration"),
                    tr("Include client secrets and user passwords in the file? They are written in plain text."),
                    QMessageBox::Cancel, this);
    QAbstractButton *without = ask.addButton(tr("Without secrets"), QMessageBox::AcceptRole);
    QAbstractButton *with = ask.addButton(tr("Include secrets"), QMessageBox::DestructiveRole);
    ask.setDefaultButton(qobject_cast<QPushButton *>(without));
    ask.exec();
    if (ask.clickedButton() != without && ask.clickedButton() != with)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export configuration"), QStringLiteral("oauthsim.json"),
                                                      tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    const auto error = ConfigTransfer::exportTo(m_server, path,
                                                ask.clickedButton() == with ? ConfigTransfer::Secrets::Include
                                                                            : ConfigTransfer::Secrets::LeaveOut);
    if (error)
        QMessageBox::warning(this, tr("Export configuration"), *error);
    else
        statusBar()->showMessage(tr("Configuration exported to %1").arg(path), 5000);
}

void MainWindow::importConfiguration()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import configuration"), QString(), tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    if (const auto error = ConfigTransfer::importFrom(m_server, path))
        QMessageBox::warning(this, tr("Import configuration"), tr("Nothing was changed. %1").arg(*error));
    else
        statusBar()->showMessage(tr("Configuration imported from %1").arg(path), 5000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    event->accept();
}

} // namespace oauthsim
