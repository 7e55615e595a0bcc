#include "GuiRunner.h"

#include "EventLoopMonitor.h"
#include "MainWindow.h"
#include "OAuthServer.h"
#include "ServerBar.h"
#include "SignalWatcher.h"
#include "Startup.h"
#include "store/StateRepository.h"

#include <QApplication>
#include <QFile>
#include <QGuiApplication>
#include <QMessageBox>

#include <cstdio>

namespace oauthsim {

GuiRunner::GuiRunner(CommandLineOptions options, QObject *parent) : QObject(parent), m_options(std::move(options)) {}

GuiRunner::~GuiRunner()
{
    // The window observes the server: it goes first; then the state is flushed.
    m_window.reset();
    m_startup.reset();
}

int GuiRunner::run()
{
    m_startup = std::make_unique<Startup>(m_options);
    connect(m_startup.get(), &Startup::failed, this, &GuiRunner::fail);
    connect(m_startup.get(), &Startup::ready, this, &GuiRunner::start);
    m_startup->begin();
    // Closing the window ends the run, but only once state and secrets are written.
    QApplication::setQuitOnLastWindowClosed(false);
    connect(qApp, &QGuiApplication::lastWindowClosed, this,
            [this] { m_startup->finish([] { QApplication::exit(0); }); });

    // The GUI benchmark (bench/gui.sh) asks for the event loop's worst stall.
    const QString reportPath = qEnvironmentVariable("OAUTHSIM_EVENT_LOOP_REPORT");
    std::unique_ptr<EventLoopMonitor> monitor;
    if (!reportPath.isEmpty())
        monitor = std::make_unique<EventLoopMonitor>();
    const int code = QApplication::exec();
    if (monitor) {
        QFile report(reportPath);
        if (report.open(QIODevice::WriteOnly | QIODevice::Truncate))
            report.write(monitor->reportJson());
    }
    return code;
}

void GuiRunner::fail(const QString &message)
{
    std::fprintf(stderr, "oauthsim: %s\n", qPrintable(message));
    // Someone who started oauthsim from a desktop launcher sees no terminal: tell them in a dialog too.
    if (QGuiApplication::platformName() != QLatin1String("offscreen"))
        QMessageBox::critical(nullptr, tr("oauthsim cannot start"), message);
    QApplication::exit(2);
}

void GuiRunner::start()
{
    OAuthServer &server = *m_startup->server();
    QString error;
    const bool listening = server.listen(&error);
    m_window = std::make_unique<MainWindow>(server);
    m_window->setStateRepository(m_startup->state());
    for (const QString &notice : m_startup->notices()) {
        std::fprintf(stderr, "oauthsim: %s\n", qPrintable(notice));
        m_window->addNotice(notice);
    }
    if (!listening) {
        // Reported in the window (and once on stderr for whoever started us from a terminal).
        std::fprintf(stderr, "oauthsim: cannot listen on %s\n", qPrintable(error));
        m_window->serverBar()->start(); // shows the reason in the bar; leaves the server stopped
    } else {
        std::printf("oauthsim listening on %s\n", qPrintable(server.baseUrl()));
        std::fflush(stdout);
    }
    connect(new SignalWatcher(this), &SignalWatcher::terminationRequested, m_window.get(), &QWidget::close);
    m_window->show();
}

} // namespace oauthsim
