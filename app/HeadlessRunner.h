#pragma once

#include "CommandLine.h"

#include <QObject>

#include <memory>

namespace oauthsim {

class OAuthServer;
class Startup;

// Runs the server without a window: the listening line on stdout, one log line per exchange, and a clean
// stop on SIGINT/SIGTERM (stop listening, finish responses in flight, exit 0).
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    explicit HeadlessRunner(CommandLineOptions options, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    // Listens and enters the event loop. Returns the process exit code (2 when it cannot listen).
    int run();

private:
    void shutdown();

    void start();

    CommandLineOptions m_options;
    std::unique_ptr<Startup> m_startup;
    OAuthServer *m_server = nullptr;
    bool m_stopping = false;
};

} // namespace oauthsim
