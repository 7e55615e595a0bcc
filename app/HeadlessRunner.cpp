#include "HeadlessRunner.h"

#include "ExchangeLog.h"
#include "OAuthServer.h"
#include "SignalWatcher.h"
#include "Startup.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

namespace oauthsim {

namespace {
void writeOut(FILE *stream, const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

HeadlessRunner::HeadlessRunner(CommandLineOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{}

HeadlessRunner::~HeadlessRunner() = default;

int HeadlessRunner::run()
{
    m_startup = std::make_unique<Startup>(m_options);
    connect(m_startup.get(), &Startup::failed, this, [](const QString &message) {
        writeOut(stderr, "oauthsim: " + message.toUtf8() + '\n');
        QCoreApplication::exit(2);
    });
    connect(m_startup.get(), &Startup::ready, this, &HeadlessRunner::start);
    m_startup->begin();
    const int code = QCoreApplication::exec();
    m_startup.reset(); // flushes the state before the process ends
    return code;
}

void HeadlessRunner::start()
{
    m_server = m_startup->server();
    QString error;
    if (!m_server->listen(&error)) {
        writeOut(stderr, "oauthsim: cannot listen on " + error.toUtf8() + '\n');
        QCoreApplication::exit(2);
        return;
    }
    // After listening, so that a failure to start stays one line.
    for (const QString &notice : m_startup->notices())
        writeOut(stderr, "oauthsim: " + notice.toUtf8() + '\n');
    connect(new SignalWatcher(this), &SignalWatcher::terminationRequested, this, &HeadlessRunner::shutdown);
    const bool json = m_options.logFormat == LogFormat::Json;
    connect(m_server, &OAuthServer::exchangeFinished, this, [json](const ExchangeRecord &record) {
        if (json)
            writeOut(stdout, ExchangeLog::json(record));
        else
            writeOut(stderr, ExchangeLog::text(record));
    });
    writeOut(stdout, "oauthsim listening on " + m_server->baseUrl().toUtf8() + '\n');
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
            m_startup->finish([] { QCoreApplication::exit(0); });
        }
    });
    timer->start(10);
}

} // namespace oauthsim
