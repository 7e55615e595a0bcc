#include "HeadlessRunner.h"

#include "ExchangeLog.h"
#include "OAuthServer.h"
#include "SignalWatcher.h"

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

HeadlessRunner::HeadlessRunner(ServerSettings settings, LogFormat logFormat, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_logFormat(logFormat)
{}

HeadlessRunner::~HeadlessRunner() = default;

int HeadlessRunner::run()
{
    m_server = std::make_unique<OAuthServer>(m_settings);
    QString error;
    if (!m_server->listen(&error)) {
        writeOut(stderr, "oauthsim: cannot listen on " + error.toUtf8() + '\n');
        return 2;
    }
    connect(new SignalWatcher(this), &SignalWatcher::terminationRequested, this, &HeadlessRunner::shutdown);
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
