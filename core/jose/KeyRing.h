#pragma once

#include "jose/RsaKey.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>

class QThread;

namespace oauthsim {

class Clock;
class SecretStore;

// The server's signing keys: one active key that signs, and retired keys that still verify what they signed until
// the longest-lived of those tokens has expired, then are dropped. Lives on the core thread and never blocks it: a
// new key is generated on a worker thread and arrives by a queued signal.
//
// Persistence (when a SecretStore is attached): each key as PKCS#8 PEM under "signing-key/<kid>", and the index
// "signing-keys", a JSON array of {"kid","created","retired_until","active"} (times in ms since the epoch).
class KeyRing : public QObject
{
    Q_OBJECT
public:
    // Makes a new private key; runs on a worker thread, so it must only touch its own captures.
    using KeySource = std::function<RsaKey()>;

    struct Entry
    {
        RsaKey key;
        qint64 createdMs = 0;
        qint64 retiredUntilMs = 0; // 0 for the active key
        bool isActive() const { return retiredUntilMs == 0; }
    };

    explicit KeyRing(const Clock &clock, QObject *parent = nullptr);
    // Waits for a key generation still running (at most one keygen, a few hundred ms), so no thread outlives it.
    ~KeyRing() override;

    // The SecretStore name of the index, and of one key.
    static QString indexKey();
    static QString keyName(const QString &kid);
    // The key names an index value lists (what must be loaded from the store before restore()); empty for a
    // missing or unreadable index.
    static QStringList storedKeyNames(const QString &indexJson);

    // Where new keys come from (default: RsaKey::generate()). Tests hand in pre-made keys.
    void setKeySource(KeySource source);
    // Replaces the ring with what `store`'s cache holds (its index and keys); retired keys past their time are
    // left out (and removed from the store once it is attached). Returns an empty string, or a one-line problem (a
    // corrupt index or key, which is skipped). Emits keysChanged when the store had an index.
    QString restore(const SecretStore &store);
    // Every later change is written to `store` (nullptr: none). Writes the current ring now if it differs.
    void setSecretStore(SecretStore *store);

    bool hasKey() const { return !m_entries.isEmpty() && m_entries.first().isActive(); }
    // The key that signs; invalid when there is none yet.
    RsaKey activeKey() const;
    // The active or a still-retained retired key with this kid; invalid when unknown or past its time.
    RsaKey find(const QString &kid) const;
    // The active key first, then retired keys, newest first; retired keys past their time are left out.
    QList<Entry> entries() const;
    // RFC 7517 §5 JWK Set of entries(): {"keys":[{"kty":"RSA","e":…,"use":"sig","kid":…,"alg":"RS256","n":…},…]}.
    QByteArray jwks() const;
    bool isGenerating() const { return !m_worker.isNull(); }

    // Makes `key` (a valid private key) the active key at once; the previous active key retires and is kept for
    // `retainPreviousSeconds`. A key already active changes nothing. Returns false (and changes nothing) for an
    // invalid or public-only key. Emits keysChanged on a change.
    bool adopt(const RsaKey &key, int retainPreviousSeconds);
    // Generates a new key off this thread, then adopts it (keysChanged), keeping the previous one for
    // `retainPreviousSeconds`. A rotation asked for while one is running joins it (the longer retention wins).
    // A failed generation emits generationFailed and changes nothing.
    void rotate(int retainPreviousSeconds);
    // Emits ready() (always from the event loop) once a key exists, generating one first only when none does.
    void ensureKey();
    // Drops retired keys past their time (from the store too). Emits keysChanged when any was dropped.
    int purgeExpired();

Q_SIGNALS:
    void keysChanged();
    void ready();
    void generationFailed(const QString &reason);

private:
    void startGeneration();
    void generated(const RsaKey &key);
    bool dropExpired();
    void persist();
    QString indexJson() const;

    const Clock &m_clock;
    KeySource m_source;
    QList<Entry> m_entries; // the active key first (when there is one), then retired keys, newest first
    QPointer<QThread> m_worker;
    int m_pendingRetention = -1; // retention for the key being generated; -1 = none requested (ensureKey)
    bool m_readyPending = false;
    QPointer<SecretStore> m_store;
    QStringList m_persistedKids;
    QString m_persistedIndex;
};

} // namespace oauthsim
