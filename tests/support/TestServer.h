#pragma once

#include "OAuthServer.h"
#include "FakeClock.h"
#include "FixedTokenGenerator.h"

#include <memory>

namespace oauthsim::test {

// A live OAuthServer on 127.0.0.1, port 0, with a fake clock; the default (seed) settings unless given. It signs
// with signingKey() from the start, and a rotation "generates" nextSigningKey(), then signingKey() again, and so on
// (pre-made fixtures: a real RSA keygen costs 70-350 ms, too much for hundreds of servers).
class TestServer
{
public:
    explicit TestServer(ServerSettings settings = defaultSettings(), bool fixedRandom = false);
    static ServerSettings defaultSettings();
    // tests/data/test-signing-key.pem and tests/data/test-signing-key-2.pem, read once.
    static RsaKey signingKey();
    static RsaKey nextSigningKey();
    // The rotation source described above (each call makes an independent sequence).
    static std::function<RsaKey()> fixtureKeySource();

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
