#pragma once

#include "secrets/SecretStore.h"

namespace QKeychain {
class Job;
}

namespace oauthsim {

// Secrets in the system keychain through QtKeychain (the Secret Service on Linux), as entries of one service
// ("oauthsim"), keyed like the cache ("client/<id>", "user/<name>"). Every backend call is an asynchronous
// QtKeychain job that deletes itself; nothing ever waits for one (QtKeychain runs its jobs one at a time, in the
// order they were started, so a later write of a key always wins over an earlier one).
//
// Without a usable keychain (no Secret Service on the session bus, as on a headless machine) every job fails at
// once; load() then reports unavailable() and the caller switches to its visible fallback (FileSecretStore).
// QtKeychain's own insecure fallback is not used: it does nothing outside KWallet.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit KeychainSecretStore(const QString &service = QStringLiteral("oauthsim"), QObject *parent = nullptr);
    ~KeychainSecretStore() override;

    Backend backend() const override { return Backend::Keychain; }
    // "system keychain".
    QString description() const override;
    QString service() const { return m_service; }

    // Starts one read per key at once. A missing entry just leaves the key unknown. When every read has finished,
    // emits loaded(); if any read failed for another reason (no backend, D-Bus error, locked or refused keychain)
    // emits unavailable(reason with the keychain's message) instead — exactly one of the two per call.
    // A key stored or removed while the load runs keeps the newer value.
    void load(const QStringList &keys) override;
    // Cache now, then a write job: emits stored(key) when the keychain has it, or failed(key, keychain's message).
    void store(const QString &key, const QString &value) override;
    // Cache now, then a delete job: emits stored(key) once the keychain no longer has it (an entry that was not
    // there counts as removed), or failed(key, keychain's message).
    void remove(const QString &key) override;
    // Emits flushed() once no write or delete issued so far is pending (queued when none is).
    void flush() override;

    // Number of writes and deletes not finished yet.
    int pendingWrites() const { return m_pendingWrites; }

private:
    struct LoadRun;
    enum class WriteKind
    {
        Store,
        Remove
    };
    void startWrite(const QString &key, QKeychain::Job *job, WriteKind kind);
    void writeFinished(const QString &key, const QKeychain::Job &job, WriteKind kind);

    QString m_service;
    // Per key, the sequence number of its last store()/remove(); a read started before it is stale.
    QHash<QString, quint64> m_lastChange;
    quint64 m_changeSeq = 0;
    int m_pendingWrites = 0;
    int m_flushWaiters = 0;
};

} // namespace oauthsim
