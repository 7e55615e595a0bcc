#include "TestServer.h"

#include "store/ConfigRepository.h"

#include <QFile>
#include <QTest>

#include <atomic>

namespace oauthsim::test {

namespace {
RsaKey loadFixture(const char *name)
{
    QFile file(QStringLiteral(OAUTHSIM_SOURCE_DIR "/tests/data/") + QLatin1StringView(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the test key %s: %s", name, qPrintable(file.errorString()));
    const RsaKey key = RsaKey::fromPrivatePem(file.readAll());
    if (!key.hasPrivateKey())
        qFatal("the test key %s is unusable: %s", name, qPrintable(key.error()));
    return key;
}
} // namespace

RsaKey TestServer::signingKey()
{
    static const RsaKey key = loadFixture("test-signing-key.pem");
    return key;
}

RsaKey TestServer::nextSigningKey()
{
    static const RsaKey key = loadFixture("test-signing-key-2.pem");
    return key;
}

std::function<RsaKey()> TestServer::fixtureKeySource()
{
    // Runs on the key ring's worker thread: only the captured copies and the atomic counter are touched.
    auto count = std::make_shared<std::atomic<int>>(0);
    return [count, first = signingKey(), next = nextSigningKey()] { return (*count)++ % 2 == 0 ? next : first; };
}

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
    deps.signingKey = signingKey();
    deps.keySource = fixtureKeySource();
    settings.port = 0;
    m_server = std::make_unique<OAuthServer>(std::move(settings), deps);
    QString error;
    if (!m_server->listen(&error))
        qFatal("test server cannot listen: %s", qPrintable(error));
}

} // namespace oauthsim::test
