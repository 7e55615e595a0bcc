#include "GuiRunner.h"

#include "EventLoopMonitor.h"

#include "MainWindow.h"
#include "OAuthServer.h"
#include "ServerBar.h"
#include "SignalWatcher.h"

#include <QApplication>
#include <QFile>

#include <cstdio>

namespace oauthsim {

GuiRunner::GuiRunner(ServerSettings settings, QObject *parent) : QObject(parent), m_settings(std::move(settings)) {}

GuiRunner::~GuiRunner()
{
    // The window observes the server: it goes first.
    m_window.reset();
}

int GuiRunner::run()
{
    m_server = std::make_unique<OAuthServer>(m_settings);
    QString error;
    const bool listening = m_server->listen(&error);
    m_window = std::make_unique<MainWindow>(*m_server);
    if (!listening) {
        // Reported in the window (and once on stderr for whoever started us from a terminal).
        std::fprintf(stderr, "oauthsim: cannot listen on %s\n", qPrintable(error));
        m_window->serverBar()->start(); // shows the reason in the bar; leaves the server stopped
    } else {
        std::printf("oauthsim listening on %s\n", qPrintable(m_server->baseUrl()));
        std::fflush(stdout);
    }
    connect(new SignalWatcher(this), &SignalWatcher::terminationRequested, m_window.get(), &QWidget::close);
    // The GUI benchmark (bench/gui.sh) asks for the event loop's worst stall.
    const QString reportPath = qEnvironmentVariable("OAUTHSIM_EVENT_LOOP_REPORT");
    std::unique_ptr<EventLoopMonitor> monitor;
    if (!reportPath.isEmpty())
        monitor = std::make_unique<EventLoopMonitor>();
    m_window->show();
    const int code = QApplication::exec();
    if (monitor) {
        QFile report(reportPath);
        if (report.open(QIODevice::WriteOnly | QIODevice::Truncate))
            report.write(monitor->reportJson());
    }
    return code;
}

} // namespace oauthsim
