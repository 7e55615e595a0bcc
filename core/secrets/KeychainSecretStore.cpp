#include "secrets/KeychainSecretStore.h"

#include <memory>
#include <utility>

#include <QPointer>
#include <qt6keychain/keychain.h>

namespace oauthsim {

// One load() call: how many reads are still running and whether one of them failed.
struct KeychainSecretStore::LoadRun
{
    int remaining = 0;
    quint64 startSeq = 0;
    bool failed = false;
};

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : SecretStore(parent), m_service(service)
{}

// Jobs still running are left to finish and delete themselves: QtKeychain's libsecret backend keeps a raw pointer
// to a running job, so deleting one early would be a use after free. Their results no longer reach this object
// (every connection has it as context).
KeychainSecretStore::~KeychainSecretStore() = default;

QString KeychainSecretStore::description() const
{
    return tr("system keychain");
}

void KeychainSecretStore::load(const QStringList &keys)
{
    if (keys.isEmpty()) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT loaded(); }, Qt::QueuedConnection);
        return;
    }
    auto run = std::make_shared<LoadRun>();
    run->remaining = int(keys.size());
    run->startSeq = m_changeSeq;
    for (const QString &key : keys) {
        auto *job = new QKeychain::ReadPasswordJob(m_service);
        job->setAutoDelete(true);
        job->setKey(key);
        connect(job, &QKeychain::Job::finished, this, [this, run, key](QKeychain::Job *finished) {
            const auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
            // A store()/remove() issued after this load started is newer than what the read saw.
            const bool stale = m_lastChange.value(key, 0) > run->startSeq;
            switch (read->error()) {
            case QKeychain::NoError:
                if (!stale)
                    m_cache.insert(key, read->textData());
                break;
            case QKeychain::EntryNotFound: // absent (a locked keyring reads the same, see QT64-NOTES)
                if (!stale)
                    m_cache.remove(key);
                break;
            default:
                // NoBackendAvailable / OtherError (no Secret Service: every job fails at once), AccessDenied
                // (locked), AccessDeniedByUser: continuing would run the server with secrets silently missing.
                if (!run->failed) {
                    run->failed = true;
                    Q_EMIT unavailable(tr("The system keychain is not available: %1").arg(read->errorString()));
                }
                break;
            }
            if (--run->remaining == 0 && !run->failed)
                Q_EMIT loaded();
        });
        job->start(); // queued by QtKeychain: finished() always comes from the event loop
    }
}

void KeychainSecretStore::store(const QString &key, const QString &value)
{
    m_cache.insert(key, value);
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setTextData(value);
    startWrite(key, job, WriteKind::Store);
}

void KeychainSecretStore::remove(const QString &key)
{
    m_cache.remove(key);
    startWrite(key, new QKeychain::DeletePasswordJob(m_service), WriteKind::Remove);
}

void KeychainSecretStore::flush()
{
    if (m_pendingWrites == 0) {
        QMetaObject::invokeMethod(
            this, [this] { Q_EMIT flushed(); }, Qt::QueuedConnection);
        return;
    }
    ++m_flushWaiters;
}

void KeychainSecretStore::startWrite(const QString &key, QKeychain::Job *job, WriteKind kind)
{
    m_lastChange.insert(key, ++m_changeSeq);
    ++m_pendingWrites;
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this,
            [this, key, kind](QKeychain::Job *finished) { writeFinished(key, *finished, kind); });
    job->start();
}

void KeychainSecretStore::writeFinished(const QString &key, const QKeychain::Job &job, WriteKind kind)
{
    --m_pendingWrites;
    int flushes = 0;
    if (m_pendingWrites == 0)
        std::swap(flushes, m_flushWaiters);
    // A receiver may delete this store (e.g. to switch to the fallback): touch no member after the first signal.
    const QPointer<KeychainSecretStore> self(this);
    const bool wasAbsent = kind == WriteKind::Remove && job.error() == QKeychain::EntryNotFound;
    if (job.error() == QKeychain::NoError || wasAbsent)
        Q_EMIT stored(key);
    else
        Q_EMIT failed(key, job.errorString());
    for (int i = 0; i < flushes && self; ++i)
        Q_EMIT flushed();
}

} // namespace oauthsim
