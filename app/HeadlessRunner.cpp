#include "HeadlessRunner.h"

#include "ExchangeLog.h"
#include "OAuthServer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace oauthsim {

namespace {
// The write end of the self-pipe: the only state a signal handler may touch.
int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalFd[0], &byte, 1);
}

void writeOut(FILE *stream, const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

HeadlessRunner::HeadlessRunner(ServerSettings settings, LogFormat logFormat, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_logFormat(logFormat)
{}

HeadlessRunner::~HeadlessRunner() = default;

void HeadlessRunner::installSignalHandlers()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this, notifier] {
        char byte;
        [[maybe_unused]] const ssize_t n = ::read(g_signalFd[1], &byte, 1);
        notifier->setEnabled(false);
        shutdown();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

int HeadlessRunner::run()
{
    m_server = std::make_unique<OAuthServer>(m_settings);
    QString error;
    if (!m_server->listen(&error)) {
        writeOut(stderr, "oauthsim: cannot listen on " + error.toUtf8() + '\n');
        return 2;
    }
    installSignalHandlers();
    const bool json = m_logFormat == LogFormat::Json;
    connect(m_server.get(), &OAuthServer::exchangeFinished, this, [json](const ExchangeRecord &record) {
        if (json)
            writeOut(stdout, ExchangeLog::json(record));
        else
            writeOut(stderr, ExchangeLog::text(record));
    });
    writeOut(stdout, "oauthsim listening on " + m_server->baseUrl().toUtf8() + '\n');
    return QCoreApplication::exec();
}

void HeadlessRunner::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_server->stopListening();
    // Let responses already accepted reach their clients, for at most two seconds.
    auto *timer = new QTimer(this);
    auto *elapsed = new QElapsedTimer;
    elapsed->start();
    connect(timer, &QTimer::timeout, this, [this, timer, elapsed] {
        if (m_server->pendingBytes() == 0 || elapsed->elapsed() > 2000) {
            timer->stop();
            delete elapsed;
            QCoreApplication::exit(0);
        }
    });
    timer->start(10);
}

} // namespace oauthsim
