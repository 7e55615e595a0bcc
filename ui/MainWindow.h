#pragma once

#include <QMainWindow>

#include <functional>

class QAction;
class QLabel;
class QTabWidget;
class QVBoxLayout;

namespace oauthsim {

class ClientsView;
class CodesView;
class FlowView;
class OAuthServer;
class RequestsView;
class ServerBar;
class SettingsView;
class StateRepository;
class TokensView;
class UsersView;

// Assembles the window: server bar, the tabs, toolbar, status bar, shortcuts, and the few connections between
// views. Nothing else: every view owns its own behaviour.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(OAuthServer &server, QWidget *parent = nullptr);
    ~MainWindow() override;

    ServerBar *serverBar() const { return m_serverBar; }
    // Enables File → Reset all state (the runner owns the repository; tests may leave it unset).
    void setStateRepository(StateRepository *state);
    // A one-line message the user must see (a corrupt file kept aside, no keychain), as a banner.
    void addNotice(const QString &text);

public Q_SLOTS:
    // Asks, then forgets every code, token, session and remembered approval. The confirmation can be answered
    // by tests through `confirm`.
    void resetAllState();
    void exportConfiguration();
    void importConfiguration();

public:
    std::function<bool(const QString &question)> confirm;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildTabs();
    void buildActions();
    void buildStatusBar();
    void connectViews();
    void restoreState();
    void saveState() const;
    void updateStatus();

    OAuthServer &m_server;
    ServerBar *m_serverBar = nullptr;
    QTabWidget *m_tabs = nullptr;
    RequestsView *m_requests = nullptr;
    FlowView *m_flow = nullptr;
    ClientsView *m_clients = nullptr;
    UsersView *m_users = nullptr;
    CodesView *m_codes = nullptr;
    TokensView *m_tokens = nullptr;
    SettingsView *m_settings = nullptr;
    QAction *m_toggleAutoApprove = nullptr;
    QAction *m_resetState = nullptr;
    StateRepository *m_state = nullptr;
    QVBoxLayout *m_noticeArea = nullptr;
    QLabel *m_statusUrl = nullptr;
    QLabel *m_statusCounts = nullptr;
    quint64 m_exchanges = 0;
    quint64 m_flows = 0;
    quint64 m_codesIssued = 0;
    quint64 m_tokensIssued = 0;
};

} // namespace oauthsim
