#include "secrets/FileSecretStore.h"
#include "secrets/MemorySecretStore.h"

#include <sys/stat.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace oauthsim;

namespace {

// Every secret a test hands to a store; none may ever show up in a log line.
const QString kSecretA = QStringLiteral("s3cr3t-A-6b1f0c");
const QString kSecretB = QStringLiteral("pässwörd-B-\u4e2d\u6587-91d2");
const QString kSecretC = QStringLiteral("s3cr3t-C-77aa01");

QStringList g_messages;

void captureMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_messages.append(message);
}

// The permission bits of the file (like `stat -c %a`), straight from the operating system.
int modeOf(const QString &path)
{
    struct stat st
    {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

bool writeRaw(const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size())
        return false;
    file.close();
    return file.setPermissions(permissions);
}

} // namespace

class tst_SecretStores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void memoryRoundTrip();
    void memorySignalsAreQueued();

    void fileSurvivesRestart();
    void fileIsOwnerOnly();
    void fileModeOfExistingFileIsFixed();
    void fileBurstWritesOnce();
    void fileFlushWritesNow();
    void fileDestructorWritesPending();
    void fileRemovePersists();
    void fileStoreBeforeLoadKeepsOtherEntries();
    void fileMissingIsEmpty();
    void fileCorrupt_data();
    void fileCorrupt();
    void fileDescription();

private:
    QString secretsPath() const { return m_dir->filePath(QStringLiteral("data/secrets.json")); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_SecretStores::initTestCase()
{
    qInstallMessageHandler(captureMessage);
}

void tst_SecretStores::init()
{
    g_messages.clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_SecretStores::cleanup()
{
    // Nothing a store logged (warnings about files included) may contain a secret.
    for (const QString &message : std::as_const(g_messages)) {
        for (const QString &secret : {kSecretA, kSecretB, kSecretC})
            QVERIFY2(!message.contains(secret), qPrintable(QStringLiteral("a secret was logged")));
    }
    m_dir.reset();
}

void tst_SecretStores::memoryRoundTrip()
{
    MemorySecretStore store;
    QCOMPARE(store.backend(), SecretStore::Backend::Memory);
    QSignalSpy storedSpy(&store, &SecretStore::stored);
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy unavailableSpy(&store, &SecretStore::unavailable);

    store.store(SecretStore::clientKey(QStringLiteral("messaging-client")), kSecretA);
    store.store(SecretStore::userKey(QStringLiteral("user")), kSecretB);
    QCOMPARE(store.value(QStringLiteral("client/messaging-client")), kSecretA); // the cache answers at once
    QCOMPARE(store.value(QStringLiteral("user/user")), kSecretB);
    QVERIFY(store.value(QStringLiteral("client/unknown")).isNull());
    QVERIFY(!store.contains(QStringLiteral("client/unknown")));

    store.load({QStringLiteral("client/messaging-client"), QStringLiteral("client/unknown")});
    QVERIFY(loadedSpy.wait());
    QCOMPARE(store.value(QStringLiteral("client/messaging-client")), kSecretA);
    QCOMPARE(storedSpy.count(), 2);
    QCOMPARE(unavailableSpy.count(), 0);

    store.remove(QStringLiteral("user/user"));
    QVERIFY(!store.contains(QStringLiteral("user/user")));
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    store.flush();
    QVERIFY(flushedSpy.wait());
    QCOMPARE(storedSpy.count(), 3);
    QCOMPARE(storedSpy.at(2).at(0).toString(), QStringLiteral("user/user"));
}

void tst_SecretStores::memorySignalsAreQueued()
{
    MemorySecretStore store;
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy storedSpy(&store, &SecretStore::stored);
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    store.load({});
    store.store(QStringLiteral("k"), kSecretA);
    store.flush();
    // One code path for every backend: nothing is emitted from inside the call.
    QCOMPARE(loadedSpy.count(), 0);
    QCOMPARE(storedSpy.count(), 0);
    QCOMPARE(flushedSpy.count(), 0);
    QVERIFY(flushedSpy.wait());
    QCOMPARE(loadedSpy.count(), 1);
    QCOMPARE(storedSpy.count(), 1);
}

void tst_SecretStores::fileSurvivesRestart()
{
    {
        FileSecretStore store(secretsPath());
        QCOMPARE(store.backend(), SecretStore::Backend::File);
        QSignalSpy storedSpy(&store, &SecretStore::stored);
        store.store(QStringLiteral("client/messaging-client"), kSecretA);
        store.store(QStringLiteral("user/user"), kSecretB);
        QVERIFY(storedSpy.wait()); // one write after the coalescing delay reports both keys
        QCOMPARE(storedSpy.count(), 2);
        QCOMPARE(store.writeCount(), 1);
    }
    // A restart: a new instance on the same path.
    FileSecretStore store(secretsPath());
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy unavailableSpy(&store, &SecretStore::unavailable);
    store.load({QStringLiteral("client/messaging-client"), QStringLiteral("user/user")});
    QVERIFY(!store.contains(QStringLiteral("user/user"))); // filled from the event loop, not inside load()
    QVERIFY(loadedSpy.wait());
    QCOMPARE(unavailableSpy.count(), 0);
    QCOMPARE(store.value(QStringLiteral("client/messaging-client")), kSecretA);
    QCOMPARE(store.value(QStringLiteral("user/user")), kSecretB);
    QCOMPARE(store.writeCount(), 0); // loading never writes
}

void tst_SecretStores::fileIsOwnerOnly()
{
    FileSecretStore store(secretsPath());
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    store.store(QStringLiteral("client/c"), kSecretA);
    store.flush();
    QVERIFY(flushedSpy.wait());
    QCOMPARE(modeOf(secretsPath()), 0600);
    QCOMPARE(QFileInfo(secretsPath()).permissions() &
                 (QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther | QFile::WriteOther |
                  QFile::ExeOther | QFile::ExeOwner),
             QFile::Permissions());

    // Rewritten files stay owner-only too.
    store.store(QStringLiteral("client/c"), kSecretC);
    store.flush();
    QVERIFY(flushedSpy.wait());
    QCOMPARE(modeOf(secretsPath()), 0600);
    QCOMPARE(readJson(secretsPath()).value(QStringLiteral("client/c")).toString(), kSecretC);
}

void tst_SecretStores::fileModeOfExistingFileIsFixed()
{
    QVERIFY(QDir().mkpath(QFileInfo(secretsPath()).absolutePath()));
    const QByteArray content = QJsonDocument(QJsonObject{{QStringLiteral("client/c"), kSecretA}}).toJson();
    QVERIFY(
        writeRaw(secretsPath(), content, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    QCOMPARE(modeOf(secretsPath()), 0644);

    FileSecretStore store(secretsPath());
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    store.load({QStringLiteral("client/c")});
    QVERIFY(loadedSpy.wait());
    QCOMPARE(modeOf(secretsPath()), 0600);
    QCOMPARE(store.value(QStringLiteral("client/c")), kSecretA);
    QCOMPARE(readAll(secretsPath()), content); // the mode is fixed, the content untouched
}

void tst_SecretStores::fileBurstWritesOnce()
{
    FileSecretStore store(secretsPath());
    QSignalSpy storedSpy(&store, &SecretStore::stored);
    for (int i = 0; i < 100; ++i)
        store.store(QStringLiteral("client/c%1").arg(i), kSecretA + QString::number(i));
    QCOMPARE(store.writeCount(), 0); // store() never writes by itself
    QVERIFY(store.hasPendingWrite());
    QVERIFY(!QFile::exists(secretsPath()));

    QVERIFY(storedSpy.wait());
    QCOMPARE(storedSpy.count(), 100);
    QCOMPARE(store.writeCount(), 1);
    QVERIFY(!store.hasPendingWrite()); // and nothing more is scheduled
    const QJsonObject onDisk = readJson(secretsPath());
    QCOMPARE(onDisk.size(), 100);
    QCOMPARE(onDisk.value(QStringLiteral("client/99")).toString(), QString());
    QCOMPARE(onDisk.value(QStringLiteral("client/c99")).toString(), kSecretA + QStringLiteral("99"));
}

void tst_SecretStores::fileFlushWritesNow()
{
    FileSecretStore store(secretsPath());
    store.setWriteDelay(std::chrono::hours(1)); // the timer can't be what writes
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    QSignalSpy storedSpy(&store, &SecretStore::stored);
    store.store(QStringLiteral("client/c"), kSecretA);
    store.flush();
    // Written inside flush(): a clean exit right after it loses nothing.
    QCOMPARE(store.writeCount(), 1);
    QCOMPARE(readJson(secretsPath()).value(QStringLiteral("client/c")).toString(), kSecretA);
    QVERIFY(flushedSpy.wait());
    QCOMPARE(flushedSpy.count(), 1);
    QCOMPARE(storedSpy.count(), 1);

    // Nothing pending: no write, flushed() still comes.
    store.flush();
    QVERIFY(flushedSpy.wait());
    QCOMPARE(store.writeCount(), 1);
}

void tst_SecretStores::fileDestructorWritesPending()
{
    {
        FileSecretStore store(secretsPath());
        store.setWriteDelay(std::chrono::hours(1));
        store.store(QStringLiteral("client/c"), kSecretA);
    }
    QCOMPARE(readJson(secretsPath()).value(QStringLiteral("client/c")).toString(), kSecretA);
    QCOMPARE(modeOf(secretsPath()), 0600);
}

void tst_SecretStores::fileRemovePersists()
{
    {
        FileSecretStore store(secretsPath());
        QSignalSpy flushedSpy(&store, &SecretStore::flushed);
        store.store(QStringLiteral("client/a"), kSecretA);
        store.store(QStringLiteral("client/b"), kSecretB);
        store.flush();
        QVERIFY(flushedSpy.wait());
        QSignalSpy storedSpy(&store, &SecretStore::stored);
        store.remove(QStringLiteral("client/a"));
        QVERIFY(!store.contains(QStringLiteral("client/a")));
        QVERIFY(storedSpy.wait());
        QCOMPARE(storedSpy.count(), 1);
        QCOMPARE(storedSpy.at(0).at(0).toString(), QStringLiteral("client/a"));
    }
    QVERIFY(!readJson(secretsPath()).contains(QStringLiteral("client/a")));
    FileSecretStore store(secretsPath());
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    store.load({QStringLiteral("client/a"), QStringLiteral("client/b")});
    QVERIFY(loadedSpy.wait());
    QVERIFY(!store.contains(QStringLiteral("client/a")));
    QCOMPARE(store.value(QStringLiteral("client/b")), kSecretB);
}

void tst_SecretStores::fileStoreBeforeLoadKeepsOtherEntries()
{
    QVERIFY(QDir().mkpath(QFileInfo(secretsPath()).absolutePath()));
    QVERIFY(writeRaw(
        secretsPath(),
        QJsonDocument(QJsonObject{{QStringLiteral("client/a"), kSecretA}, {QStringLiteral("client/b"), kSecretB}})
            .toJson(),
        QFile::ReadOwner | QFile::WriteOwner));

    FileSecretStore store(secretsPath());
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    // Changed before the file was ever read: the new values win, the untouched entry survives.
    store.store(QStringLiteral("client/a"), kSecretC);
    store.remove(QStringLiteral("client/b"));
    store.store(QStringLiteral("client/new"), kSecretA);
    store.flush();
    QVERIFY(flushedSpy.wait());
    const QJsonObject onDisk = readJson(secretsPath());
    QCOMPARE(onDisk.value(QStringLiteral("client/a")).toString(), kSecretC);
    QVERIFY(!onDisk.contains(QStringLiteral("client/b")));
    QCOMPARE(onDisk.value(QStringLiteral("client/new")).toString(), kSecretA);

    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    store.load({QStringLiteral("client/a"), QStringLiteral("client/b")});
    QVERIFY(loadedSpy.wait());
    QCOMPARE(store.value(QStringLiteral("client/a")), kSecretC);
    QVERIFY(!store.contains(QStringLiteral("client/b")));
}

void tst_SecretStores::fileMissingIsEmpty()
{
    FileSecretStore store(secretsPath());
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy unavailableSpy(&store, &SecretStore::unavailable);
    store.load({QStringLiteral("client/a")});
    QVERIFY(loadedSpy.wait());
    QCOMPARE(unavailableSpy.count(), 0);
    QVERIFY(!store.contains(QStringLiteral("client/a")));
    QVERIFY(!QFile::exists(secretsPath())); // loading creates nothing
}

void tst_SecretStores::fileCorrupt_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("not JSON") << QByteArray("{\"client/a\": \"s3cr3t-A-6b1f0c\"");
    QTest::newRow("empty file") << QByteArray();
    QTest::newRow("array") << QByteArray("[\"s3cr3t-A-6b1f0c\"]");
    QTest::newRow("value not a string") << QByteArray("{\"client/a\": 42}");
}

void tst_SecretStores::fileCorrupt()
{
    QFETCH(QByteArray, content);
    QVERIFY(QDir().mkpath(QFileInfo(secretsPath()).absolutePath()));
    QVERIFY(writeRaw(secretsPath(), content, QFile::ReadOwner | QFile::WriteOwner));
    const QDateTime modifiedBefore = QFileInfo(secretsPath()).lastModified();

    FileSecretStore store(secretsPath());
    QSignalSpy loadedSpy(&store, &SecretStore::loaded);
    QSignalSpy unavailableSpy(&store, &SecretStore::unavailable);
    QSignalSpy failedSpy(&store, &SecretStore::failed);
    QSignalSpy flushedSpy(&store, &SecretStore::flushed);
    store.load({QStringLiteral("client/a")});
    QVERIFY(unavailableSpy.wait());
    QCOMPARE(unavailableSpy.count(), 1);
    QCOMPARE(loadedSpy.count(), 0);
    const QString reason = unavailableSpy.at(0).at(0).toString();
    QVERIFY2(reason.contains(QDir::toNativeSeparators(secretsPath())), qPrintable(reason));
    QVERIFY(!reason.contains(kSecretA)); // the reason quotes no content

    // Later writes stay in memory and report failure; the evidence is never overwritten.
    store.store(QStringLiteral("client/a"), kSecretC);
    QCOMPARE(store.value(QStringLiteral("client/a")), kSecretC);
    store.flush();
    QVERIFY(flushedSpy.wait());
    QCOMPARE(failedSpy.count(), 1);
    QCOMPARE(failedSpy.at(0).at(0).toString(), QStringLiteral("client/a"));
    QCOMPARE(store.writeCount(), 0);
    QCOMPARE(readAll(secretsPath()), content);
    QCOMPARE(QFileInfo(secretsPath()).lastModified(), modifiedBefore);
    const QStringList siblings = QDir(QFileInfo(secretsPath()).absolutePath()).entryList(QDir::Files);
    QCOMPARE(siblings, QStringList{QStringLiteral("secrets.json")}); // no temporary file left behind either
}

void tst_SecretStores::fileDescription()
{
    FileSecretStore store(secretsPath());
    QCOMPARE(store.description(), QStringLiteral("owner-only file ") + QDir::toNativeSeparators(secretsPath()));
    QCOMPARE(store.path(), secretsPath());
}

QTEST_GUILESS_MAIN(tst_SecretStores)
#include "tst_secretstores.moc"
