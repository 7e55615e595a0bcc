#pragma once

#include "OAuthServer.h"
#include "FakeClock.h"
#include "FixedTokenGenerator.h"

#include <memory>

namespace oauthsim::test {

// A live OAuthServer on 127.0.0.1, port 0, with a fake clock; the default (seed) settings unless given.
class TestServer
{
public:
    explicit TestServer(ServerSettings settings = defaultSettings(), bool fixedRandom = false);
    static ServerSettings defaultSettings();

    OAuthServer &server() { return *m_server; }
    OAuthServer *operator->() { return m_server.get(); }
    FakeClock &clock() { return *m_clock; }
    quint16 port() const { return m_server->port(); }
    QString base() const { return m_server->baseUrl(); }

private:
    std::shared_ptr<FakeClock> m_clock;
    std::unique_ptr<OAuthServer> m_server;
};

} // namespace oauthsim::test
