#include "TestServer.h"

#include "store/ConfigRepository.h"

#include <QTest>

namespace oauthsim::test {

ServerSettings TestServer::defaultSettings()
{
    ServerSettings s = ConfigRepository::embeddedDefault();
    s.bindAddress = QStringLiteral("127.0.0.1");
    s.port = 0;
    return s;
}

TestServer::TestServer(ServerSettings settings, bool fixedRandom) : m_clock(std::make_shared<FakeClock>())
{
    OAuthServer::Dependencies deps;
    deps.clock = m_clock;
    if (fixedRandom)
        deps.random = std::make_shared<FixedTokenGenerator>();
    settings.port = 0;
    m_server = std::make_unique<OAuthServer>(std::move(settings), deps);
    QString error;
    if (!m_server->listen(&error))
        qFatal("test server cannot listen: %s", qPrintable(error));
}

} // namespace oauthsim::test
