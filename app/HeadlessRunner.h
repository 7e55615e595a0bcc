#pragma once

#include "CommandLine.h"
#include "ServerSettings.h"

#include <QObject>

#include <memory>

namespace oauthsim {

class OAuthServer;

// Runs the server without a window: the listening line on stdout, one log line per exchange, and a clean
// stop on SIGINT/SIGTERM (stop listening, finish responses in flight, exit 0).
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    HeadlessRunner(ServerSettings settings, LogFormat logFormat, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    // Listens and enters the event loop. Returns the process exit code (2 when it cannot listen).
    int run();

private:
    void shutdown();

    ServerSettings m_settings;
    LogFormat m_logFormat;
    std::unique_ptr<OAuthServer> m_server;
    bool m_stopping = false;
};

} // namespace oauthsim
