#pragma once

#include "ServerSettings.h"

#include <QObject>

#include <memory>

namespace oauthsim {

class MainWindow;
class OAuthServer;

// Runs the server behind the operator's window. A server that cannot listen (busy port) still opens the
// window, which says why and lets the user pick another port.
class GuiRunner : public QObject
{
    Q_OBJECT
public:
    explicit GuiRunner(ServerSettings settings, QObject *parent = nullptr);
    ~GuiRunner() override;

    // Shows the window and enters the event loop; returns the exit code.
    int run();

private:
    ServerSettings m_settings;
    std::unique_ptr<OAuthServer> m_server;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace oauthsim
