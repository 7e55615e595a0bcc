#pragma once

#include "CommandLine.h"

#include <QObject>

#include <memory>

namespace oauthsim {

class MainWindow;
class Startup;

// Runs the server behind the operator's window. A server that cannot listen (busy port) still opens the
// window, which says why and lets the user pick another port; notices (a corrupt file kept aside, no
// keychain) appear as a banner in the window.
class GuiRunner : public QObject
{
    Q_OBJECT
public:
    explicit GuiRunner(CommandLineOptions options, QObject *parent = nullptr);
    ~GuiRunner() override;

    // Shows the window once the server is ready and enters the event loop; returns the exit code.
    int run();

private:
    void start();
    void fail(const QString &message);

    CommandLineOptions m_options;
    std::unique_ptr<Startup> m_startup;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace oauthsim
