// The real keychain, in its own binary: run it through run-with-keyring.sh (ctest keychain/real), which provides a
// throw-away Secret Service (OAUTHSIM_KEYCHAIN_TEST=real) or none at all (OAUTHSIM_KEYCHAIN_TEST=none). Run any
// other way, every test is skipped so that a developer's own keychain is never touched.
#include "secrets/KeychainSecretStore.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace oauthsim;

namespace {

QStringList g_messages;
QtMessageHandler g_previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_messages.append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

bool modeIs(const char *mode)
{
    return qgetenv("OAUTHSIM_KEYCHAIN_TEST") == mode;
}

// A value no file on this machine can contain by chance.
QString uniqueSecret(const QString &label)
{
    return label + QLatin1Char('-') + QString::number(QRandomGenerator::system()->generate64(), 36) +
           QStringLiteral("-\u00e9\u4e2d");
}

// Waits until `spy` has recorded at least `count` signals, never longer than `timeoutMs` in all.
bool waitForCount(QSignalSpy &spy, qsizetype count, int timeoutMs = 10'000)
{
    QElapsedTimer timer;
    timer.start();
    while (spy.count() < count) {
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0 || !spy.wait(left))
            return spy.count() >= count;
    }
    return true;
}

} // namespace

namespace oauthsim::test {

// The files under `dir` (recursively) whose bytes contain any of `secrets` (as UTF-8): secrets must live only in
// the keychain, never in plaintext files (state JSON, settings, a stray fallback file).
QStringList filesContainingSecrets(const QString &dir, const QStringList &secrets)
{
    QStringList offenders;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue; // sockets, fifos
        const QByteArray bytes = file.readAll();
        for (const QString &secret : secrets) {
            if (bytes.contains(secret.toUtf8())) {
                offenders.append(path);
                break;
            }
        }
    }
    return offenders;
}

} // namespace oauthsim::test

class tst_Keychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void roundTrip();
    void removeWorks();
    void loadKeepsNewerWrite();
    void secretsNotInFiles();
    void noSecretService();

private:
    void requireRealKeychain();
    QStringList m_secrets; // every secret used, checked against logs and files
};

void tst_Keychain::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(captureMessage);
}

void tst_Keychain::cleanup()
{
    for (const QString &message : std::as_const(g_messages)) {
        for (const QString &secret : std::as_const(m_secrets))
            QVERIFY2(!message.contains(secret), "a secret was logged");
    }
    g_messages.clear();
}

void tst_Keychain::requireRealKeychain()
{
    if (!modeIs("real"))
        QSKIP("needs the throw-away Secret Service of run-with-keyring.sh");
}

void tst_Keychain::roundTrip()
{
    requireRealKeychain();
    const QString clientSecret = uniqueSecret(QStringLiteral("client-secret"));
    const QString password = uniqueSecret(QStringLiteral("password"));
    m_secrets << clientSecret << password;
    const QString clientKey = SecretStore::clientKey(QStringLiteral("messaging-client"));
    const QString userKey = SecretStore::userKey(QStringLiteral("user"));
    {
        KeychainSecretStore store;
        QCOMPARE(store.backend(), SecretStore::Backend::Keychain);
        QCOMPARE(store.service(), QStringLiteral("oauthsim"));
        QSignalSpy storedSpy(&store, &SecretStore::stored);
        QSignalSpy failedSpy(&store, &SecretStore::failed);
        QSignalSpy flushedSpy(&store, &SecretStore::flushed);
        store.store(clientKey, clientSecret);
        store.store(userKey, password);
        QCOMPARE(store.value(clientKey), clientSecret); // the cache answers before the keychain does
        QCOMPARE(store.pendingWrites(), 2);
        store.flush();
        QVERIFY(flushedSpy.wait(10'000));
        QCOMPARE(failedSpy.count(), 0);
        QCOMPARE(storedSpy.count(), 2);
        QCOMPARE(store.pendingWrites(), 0);
    }
    // A restart: a new instance reads them back from the Secret Service.
    KeychainSecretStore store;
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy unavailableSpy(&store, &SecretStore::unavailable);
    store.load({clientKey, userKey, SecretStore::clientKey(QStringLiteral("never-stored"))});
    QVERIFY(!store.contains(clientKey));
    QVERIFY(loadedSpy.wait(10'000));
    QCOMPARE(loadedSpy.count(), 1);
    QCOMPARE(unavailableSpy.count(), 0);
    QCOMPARE(store.value(clientKey), clientSecret);
    QCOMPARE(store.value(userKey), password);
    QVERIFY(!store.contains(SecretStore::clientKey(QStringLiteral("never-stored"))));
}

void tst_Keychain::removeWorks()
{
    requireRealKeychain();
    const QString secret = uniqueSecret(QStringLiteral("removed"));
    m_secrets << secret;
    const QString key = SecretStore::clientKey(QStringLiteral("removed-client"));
    {
        KeychainSecretStore store;
        QSignalSpy storedSpy(&store, &SecretStore::stored);
        QSignalSpy failedSpy(&store, &SecretStore::failed);
        store.store(key, secret);
        store.remove(key);
        QVERIFY(!store.contains(key));
        store.remove(SecretStore::clientKey(QStringLiteral("never-stored"))); // removing nothing is fine
        QVERIFY(waitForCount(storedSpy, 3));
        QCOMPARE(failedSpy.count(), 0);
    }
    KeychainSecretStore store;
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    store.load({key});
    QVERIFY(loadedSpy.wait(10'000));
    QVERIFY(!store.contains(key));
}

void tst_Keychain::loadKeepsNewerWrite()
{
    requireRealKeychain();
    const QString oldSecret = uniqueSecret(QStringLiteral("old"));
    const QString newSecret = uniqueSecret(QStringLiteral("new"));
    m_secrets << oldSecret << newSecret;
    const QString key = SecretStore::userKey(QStringLiteral("race"));
    {
        KeychainSecretStore store;
        QSignalSpy flushedSpy(&store, &SecretStore::flushed);
        store.store(key, oldSecret);
        store.flush();
        QVERIFY(flushedSpy.wait(10'000));
    }
    KeychainSecretStore store;
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    store.load({key});
    store.store(key, newSecret); // while the read of the old value is in flight
    QVERIFY(loadedSpy.wait(10'000));
    QCOMPARE(store.value(key), newSecret);
    store.flush();
    QVERIFY(flushedSpy.wait(10'000));

    KeychainSecretStore reread;
    QSignalSpy rereadSpy(&reread, &SecretStore::loaded);
    reread.load({key});
    QVERIFY(rereadSpy.wait(10'000));
    QCOMPARE(reread.value(key), newSecret);
}

void tst_Keychain::secretsNotInFiles()
{
    requireRealKeychain();
    const QString secret = uniqueSecret(QStringLiteral("not-in-files"));
    m_secrets << secret;
    QTemporaryDir dataDir; // where state files would be written
    QVERIFY(dataDir.isValid());
    KeychainSecretStore store;
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    store.store(SecretStore::clientKey(QStringLiteral("files")), secret);
    store.flush();
    QVERIFY(flushedSpy.wait(10'000));

    // The helper does find a plaintext secret...
    QFile probe(dataDir.filePath(QStringLiteral("probe.json")));
    QVERIFY(probe.open(QIODevice::WriteOnly));
    probe.write(QByteArray("{\"secret\": \"") + secret.toUtf8() + "\"}");
    probe.close();
    QCOMPARE(oauthsim::test::filesContainingSecrets(dataDir.path(), {secret}), QStringList{probe.fileName()});
    QVERIFY(probe.remove());

    // ...and none is anywhere under the private HOME (keyring files are encrypted; no fallback file, no QSettings
    // plaintext store of QtKeychain's insecure fallback).
    const QString scanDir = qEnvironmentVariable("OAUTHSIM_KEYCHAIN_SCAN_DIR");
    QVERIFY2(!scanDir.isEmpty(), "run-with-keyring.sh sets OAUTHSIM_KEYCHAIN_SCAN_DIR");
    QCOMPARE(oauthsim::test::filesContainingSecrets(scanDir, m_secrets), QStringList());
    QCOMPARE(oauthsim::test::filesContainingSecrets(dataDir.path(), m_secrets), QStringList());
}

void tst_Keychain::noSecretService()
{
    if (!modeIs("none"))
        QSKIP("needs run-with-keyring.sh's run without a session bus");
    KeychainSecretStore store;
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy unavailableSpy(&store, &SecretStore::unavailable);
    QSignalSpy failedSpy(&store, &SecretStore::failed);
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);

    QElapsedTimer elapsed;
    elapsed.start();
    store.load({SecretStore::clientKey(QStringLiteral("a")), SecretStore::userKey(QStringLiteral("b"))});
    QVERIFY(unavailableSpy.wait(5'000));
    QVERIFY2(elapsed.elapsed() < 5'000, qPrintable(QString::number(elapsed.elapsed())));
    qInfo("unavailable after %lld ms: %s", qint64(elapsed.elapsed()),
          qPrintable(unavailableSpy.at(0).at(0).toString()));
    QVERIFY(!unavailableSpy.at(0).at(0).toString().isEmpty());

    // QtKeychain runs jobs in order: once this later load has answered, every read of the first one has finished.
    store.load({SecretStore::clientKey(QStringLiteral("c"))});
    QVERIFY(waitForCount(unavailableSpy, 2, 5'000));
    QCOMPARE(unavailableSpy.count(), 2); // once per load() call
    QCOMPARE(loadedSpy.count(), 0);

    // Writes fail promptly too, and the cache still holds what was given.
    const QString secret = uniqueSecret(QStringLiteral("nowhere"));
    m_secrets << secret;
    store.store(SecretStore::clientKey(QStringLiteral("a")), secret);
    QCOMPARE(store.value(SecretStore::clientKey(QStringLiteral("a"))), secret);
    store.flush();
    QVERIFY(flushedSpy.wait(5'000));
    QCOMPARE(failedSpy.count(), 1);
    QCOMPARE(loadedSpy.count(), 0);
}

QTEST_GUILESS_MAIN(tst_Keychain)
#include "tst_keychain.moc"
