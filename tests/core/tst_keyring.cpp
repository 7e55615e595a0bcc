// KeyRing: the active signing key and retired ones, rotation off the calling thread, JWKS contents over time,
// ensureKey()'s asynchronous ready(), and persistence through the SecretStore. Only this test generates real keys.

#include "jose/KeyRing.h"

#include "FakeClock.h"
#include "TestServer.h"
#include "secrets/MemorySecretStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace oauthsim;
using oauthsim::test::FakeClock;
using oauthsim::test::TestServer;

namespace {

constexpr int kKeygenTimeoutMs = 20000;

QStringList kids(const KeyRing &ring)
{
    QStringList out;
    for (const KeyRing::Entry &e : ring.entries())
        out << e.key.kid();
    return out;
}

QByteArray jwksOf(const QList<RsaKey> &keys)
{
    QByteArrayList jwks;
    for (const RsaKey &key : keys)
        jwks << key.publicJwkJson();
    return "{\"keys\":[" + jwks.join(',') + "]}";
}

// A key source handing out pre-made keys, counting its calls and noting the thread it ran on.
struct FixtureSource
{
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<QThread *>> thread = std::make_shared<std::atomic<QThread *>>(nullptr);
    RsaKey key = TestServer::nextSigningKey();

    KeyRing::KeySource source() const
    {
        return [calls = calls, thread = thread, key = key] {
            ++*calls;
            *thread = QThread::currentThread();
            return key;
        };
    }
};

} // namespace

class TstKeyRing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsEmpty();
    void ensureKeyGeneratesARealKey();
    void ensureKeyWithAKeyOnlySignalsReady();
    void rotationRunsOffTheCallingThread();
    void rotationKeepsTheOldKeyUntilItsTime();
    void concurrentRotationsJoin();
    void failedGenerationChangesNothing();
    void adoptRefusesUnusableKeys();
    void adoptingARetiredKeyReactivatesIt();
    void persistenceRoundTrip();
    void restoreLeavesExpiredKeysOut();
    void restoreSurvivesCorruptEntries();
    void destroyedWhileGenerating();
};

void TstKeyRing::startsEmpty()
{
    FakeClock clock;
    KeyRing ring(clock);
    QVERIFY(!ring.hasKey());
    QVERIFY(!ring.activeKey().isValid());
    QVERIFY(ring.entries().isEmpty());
    QCOMPARE(ring.jwks(), QByteArray("{\"keys\":[]}"));
    QVERIFY(!ring.find(TestServer::signingKey().kid()).isValid());
}

void TstKeyRing::ensureKeyGeneratesARealKey()
{
    FakeClock clock;
    KeyRing ring(clock);
    QSignalSpy ready(&ring, &KeyRing::ready);
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    ring.ensureKey();
    QVERIFY(ring.isGenerating());
    QCOMPARE(ready.count(), 0); // never synchronously
    QVERIFY(ready.wait(kKeygenTimeoutMs));
    QCOMPARE(ready.count(), 1);
    QCOMPARE(changed.count(), 1);
    QVERIFY(!ring.isGenerating());
    const RsaKey key = ring.activeKey();
    QVERIFY(key.hasPrivateKey());
    QCOMPARE(key.bits(), 2048);
    QCOMPARE(kids(ring), QStringList{key.kid()});
    QCOMPARE(ring.entries().first().createdMs, clock.nowMs());
    QCOMPARE(ring.jwks(), jwksOf({key}));
    QVERIFY(key.verifyRs256("x", key.signRs256("x")));
}

void TstKeyRing::ensureKeyWithAKeyOnlySignalsReady()
{
    FakeClock clock;
    KeyRing ring(clock);
    FixtureSource source;
    ring.setKeySource(source.source());
    QVERIFY(ring.adopt(TestServer::signingKey(), 0));
    QSignalSpy ready(&ring, &KeyRing::ready);
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    ring.ensureKey();
    QCOMPARE(ready.count(), 0); // from the event loop, even when a key exists
    QVERIFY(!ring.isGenerating());
    QVERIFY(ready.wait());
    QCOMPARE(ready.count(), 1);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(source.calls->load(), 0);
    QCOMPARE(ring.activeKey().kid(), TestServer::signingKey().kid());
}

void TstKeyRing::rotationRunsOffTheCallingThread()
{
    FakeClock clock;
    KeyRing ring(clock);
    QVERIFY(ring.adopt(TestServer::signingKey(), 0));
    // The source blocks until released: rotate() must return (and the event loop run) while it waits.
    auto gate = std::make_shared<QSemaphore>(0);
    auto thread = std::make_shared<std::atomic<QThread *>>(nullptr);
    ring.setKeySource([gate, thread, key = TestServer::nextSigningKey()] {
        *thread = QThread::currentThread();
        gate->acquire();
        return key;
    });
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    ring.rotate(60);
    QVERIFY(ring.isGenerating());
    QCOMPARE(ring.activeKey().kid(), TestServer::signingKey().kid()); // the old key signs until the new one is in
    QCOMPARE(changed.count(), 0);
    gate->release();
    QVERIFY(changed.wait());
    QVERIFY(thread->load() != nullptr);
    QVERIFY(thread->load() != QThread::currentThread());
    QCOMPARE(ring.activeKey().kid(), TestServer::nextSigningKey().kid());
}

void TstKeyRing::rotationKeepsTheOldKeyUntilItsTime()
{
    FakeClock clock;
    KeyRing ring(clock);
    const RsaKey first = TestServer::signingKey();
    QVERIFY(ring.adopt(first, 0));
    const qint64 rotatedAt = clock.nowMs();
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    ring.rotate(3600); // a real key
    QVERIFY(changed.wait(kKeygenTimeoutMs));
    QCOMPARE(changed.count(), 1);
    const RsaKey second = ring.activeKey();
    QVERIFY(second.hasPrivateKey());
    QVERIFY(second.kid() != first.kid());

    const QList<KeyRing::Entry> entries = ring.entries();
    QCOMPARE(entries.size(), 2);
    QVERIFY(entries.at(0).isActive());
    QCOMPARE(entries.at(0).key.kid(), second.kid());
    QCOMPARE(entries.at(1).key.kid(), first.kid());
    QCOMPARE(entries.at(1).retiredUntilMs, rotatedAt + 3600 * 1000);
    QCOMPARE(ring.jwks(), jwksOf({second, first}));
    QVERIFY(ring.find(first.kid()).samePublicKey(first));

    clock.advanceSeconds(3599);
    QCOMPARE(kids(ring), (QStringList{second.kid(), first.kid()}));
    QCOMPARE(ring.purgeExpired(), 0);
    QCOMPARE(changed.count(), 1);

    clock.advanceSeconds(1);
    // Past its time the old key is gone from the JWKS and lookups at once, and from the ring at the next purge.
    QCOMPARE(ring.jwks(), jwksOf({second}));
    QVERIFY(!ring.find(first.kid()).isValid());
    QVERIFY(ring.find(second.kid()).isValid());
    QCOMPARE(ring.purgeExpired(), 1);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(ring.purgeExpired(), 0);
    QCOMPARE(changed.count(), 2);
}

void TstKeyRing::concurrentRotationsJoin()
{
    FakeClock clock;
    KeyRing ring(clock);
    QVERIFY(ring.adopt(TestServer::signingKey(), 0));
    FixtureSource source;
    ring.setKeySource(source.source());
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    ring.rotate(60);
    ring.rotate(600);
    ring.rotate(10);
    QVERIFY(changed.wait());
    QTRY_COMPARE(source.calls->load(), 1);
    QCOMPARE(changed.count(), 1);
    QVERIFY(!ring.isGenerating());
    QCOMPARE(ring.entries().at(1).retiredUntilMs, clock.nowMs() + 600 * 1000); // the longest retention asked for
}

void TstKeyRing::failedGenerationChangesNothing()
{
    FakeClock clock;
    KeyRing ring(clock);
    ring.setKeySource([] { return RsaKey::fromPrivatePem("broken"); });
    QSignalSpy failed(&ring, &KeyRing::generationFailed);
    QSignalSpy ready(&ring, &KeyRing::ready);
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    ring.ensureKey();
    QVERIFY(failed.wait());
    QVERIFY(failed.first().first().toString().contains(QLatin1String("invalid private key PEM")));
    QCOMPARE(ready.count(), 0);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!ring.hasKey());
}

void TstKeyRing::adoptRefusesUnusableKeys()
{
    FakeClock clock;
    KeyRing ring(clock);
    QSignalSpy changed(&ring, &KeyRing::keysChanged);
    QVERIFY(!ring.adopt(RsaKey(), 0));
    QVERIFY(!ring.adopt(RsaKey::fromPublicPem(TestServer::signingKey().publicPem()), 0));
    QCOMPARE(changed.count(), 0);
    QVERIFY(ring.adopt(TestServer::signingKey(), 0));
    QCOMPARE(changed.count(), 1);
    QVERIFY(ring.adopt(TestServer::signingKey(), 0)); // already active: nothing changes
    QCOMPARE(changed.count(), 1);
    QCOMPARE(ring.entries().size(), 1);
}

void TstKeyRing::adoptingARetiredKeyReactivatesIt()
{
    FakeClock clock;
    KeyRing ring(clock);
    const RsaKey a = TestServer::signingKey();
    const RsaKey b = TestServer::nextSigningKey();
    QVERIFY(ring.adopt(a, 0));
    QVERIFY(ring.adopt(b, 100));
    QVERIFY(ring.adopt(a, 50));
    QCOMPARE(kids(ring), (QStringList{a.kid(), b.kid()}));
    QCOMPARE(ring.entries().at(1).retiredUntilMs, clock.nowMs() + 50 * 1000);
}

void TstKeyRing::persistenceRoundTrip()
{
    FakeClock clock;
    MemorySecretStore store;
    const RsaKey a = TestServer::signingKey();
    const RsaKey b = TestServer::nextSigningKey();
    qint64 createdA = 0;
    {
        KeyRing ring(clock);
        ring.setSecretStore(&store);
        QVERIFY(ring.adopt(a, 0));
        createdA = clock.nowMs();
        clock.advanceSeconds(10);
        QVERIFY(ring.adopt(b, 600));
    }
    QCOMPARE(store.value(KeyRing::keyName(a.kid())), QString::fromLatin1(a.privatePem()));
    QCOMPARE(store.value(KeyRing::keyName(b.kid())), QString::fromLatin1(b.privatePem()));
    const QJsonArray index = QJsonDocument::fromJson(store.value(KeyRing::indexKey()).toUtf8()).array();
    const QJsonArray expectedIndex{QJsonObject{{QStringLiteral("kid"), b.kid()},
                                               {QStringLiteral("created"), double(clock.nowMs())},
                                               {QStringLiteral("retired_until"), 0},
                                               {QStringLiteral("active"), true}},
                                   QJsonObject{{QStringLiteral("kid"), a.kid()},
                                               {QStringLiteral("created"), double(createdA)},
                                               {QStringLiteral("retired_until"), double(clock.nowMs() + 600 * 1000)},
                                               {QStringLiteral("active"), false}}};
    QCOMPARE(index, expectedIndex);
    QCOMPARE(KeyRing::storedKeyNames(store.value(KeyRing::indexKey())),
             (QStringList{QStringLiteral("signing-key/") + b.kid(), QStringLiteral("signing-key/") + a.kid()}));

    KeyRing restored(clock);
    QSignalSpy changed(&restored, &KeyRing::keysChanged);
    QCOMPARE(restored.restore(store), QString());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(kids(restored), (QStringList{b.kid(), a.kid()}));
    QVERIFY(restored.activeKey().hasPrivateKey());
    QCOMPARE(restored.entries().at(1).createdMs, createdA);
    QCOMPARE(restored.entries().at(1).retiredUntilMs, clock.nowMs() + 600 * 1000);

    // The restored ring keeps the store current: the retired key leaves it once past its time.
    restored.setSecretStore(&store);
    clock.advanceSeconds(600);
    QCOMPARE(restored.purgeExpired(), 1);
    QVERIFY(!store.contains(KeyRing::keyName(a.kid())));
    QCOMPARE(KeyRing::storedKeyNames(store.value(KeyRing::indexKey())),
             QStringList{QStringLiteral("signing-key/") + b.kid()});
}

void TstKeyRing::restoreLeavesExpiredKeysOut()
{
    FakeClock clock;
    MemorySecretStore store;
    const RsaKey a = TestServer::signingKey();
    const RsaKey b = TestServer::nextSigningKey();
    {
        KeyRing ring(clock);
        ring.setSecretStore(&store);
        ring.adopt(a, 0);
        ring.adopt(b, 60);
    }
    clock.advanceSeconds(60);
    KeyRing restored(clock);
    QCOMPARE(restored.restore(store), QString());
    QCOMPARE(kids(restored), QStringList{b.kid()});
    QVERIFY(store.contains(KeyRing::keyName(a.kid())));
    restored.setSecretStore(&store); // attaching writes the ring as it is now
    QVERIFY(!store.contains(KeyRing::keyName(a.kid())));
    QVERIFY(store.contains(KeyRing::keyName(b.kid())));
}

void TstKeyRing::restoreSurvivesCorruptEntries()
{
    FakeClock clock;
    {
        MemorySecretStore store;
        store.store(KeyRing::indexKey(), QStringLiteral("{not json"));
        KeyRing ring(clock);
        QVERIFY(!ring.restore(store).isEmpty());
        QVERIFY(!ring.hasKey());
        QVERIFY(KeyRing::storedKeyNames(QStringLiteral("{not json")).isEmpty());
    }
    {
        MemorySecretStore store;
        const RsaKey a = TestServer::signingKey();
        const RsaKey b = TestServer::nextSigningKey();
        {
            KeyRing ring(clock);
            ring.setSecretStore(&store);
            ring.adopt(a, 0);
            ring.adopt(b, 600);
        }
        store.store(KeyRing::keyName(b.kid()), QStringLiteral("-----BEGIN PRIVATE KEY-----\ngarbage"));
        KeyRing ring(clock);
        const QString problem = ring.restore(store);
        QVERIFY2(problem.contains(b.kid()), qPrintable(problem));
        // The unusable active key is skipped; the retired one still verifies, and a new key is needed to sign.
        QVERIFY(!ring.hasKey());
        QCOMPARE(kids(ring), QStringList{a.kid()});
        QVERIFY(ring.find(a.kid()).isValid());
    }
    {
        // A key the store could not deliver (a locked keyring reads as absent) is reported and never deleted: once
        // it can be read again it is still there.
        MemorySecretStore store;
        const RsaKey a = TestServer::signingKey();
        const RsaKey b = TestServer::nextSigningKey();
        {
            KeyRing ring(clock);
            ring.setSecretStore(&store);
            ring.adopt(a, 0);
            ring.adopt(b, 600);
        }
        const QString pem = store.value(KeyRing::keyName(b.kid()));
        store.remove(KeyRing::keyName(b.kid()));
        KeyRing ring(clock);
        const QString problem = ring.restore(store);
        QVERIFY2(problem.contains(QStringLiteral("could not be read")) && problem.contains(b.kid()),
                 qPrintable(problem));
        store.store(KeyRing::keyName(b.kid()), pem);
        ring.setSecretStore(&store);
        QCOMPARE(store.value(KeyRing::keyName(b.kid())), pem);
    }
    {
        MemorySecretStore store; // no index at all: a first start
        KeyRing ring(clock);
        QSignalSpy changed(&ring, &KeyRing::keysChanged);
        QCOMPARE(ring.restore(store), QString());
        QCOMPARE(changed.count(), 0);
        QVERIFY(!ring.hasKey());
    }
}

void TstKeyRing::destroyedWhileGenerating()
{
    FakeClock clock;
    auto ring = std::make_unique<KeyRing>(clock);
    ring->setKeySource([key = TestServer::nextSigningKey()] {
        QThread::msleep(100); // a slow keygen
        return key;
    });
    ring->rotate(60);
    QVERIFY(ring->isGenerating());
    ring.reset(); // waits for the worker; nothing reaches the destroyed ring
    QCoreApplication::processEvents();
}

QTEST_GUILESS_MAIN(TstKeyRing)
#include "tst_keyring.moc"
