#pragma once

#include "secrets/SecretStore.h"

#include <QSet>
#include <QTimer>

#include <chrono>

namespace oauthsim {

// The visible fallback when no keychain backend exists: secrets as one JSON object {key: value} in an owner-only
// (0600) file, written atomically (QSaveFile) so a crash leaves the old or the new file, never a torn one. Writes
// are coalesced: a burst of store()/remove() calls writes the file once, about writeDelay() after the first.
//
// A file that cannot be parsed (or read, or made owner-only) is reported by unavailable(reason naming the file) and
// is never written afterwards, so the evidence survives; the cache keeps working in memory only.
class FileSecretStore final : public SecretStore
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultWriteDelay{200};

    explicit FileSecretStore(const QString &path, QObject *parent = nullptr);
    // Writes what is still pending (like flush(), without the signal): a clean exit loses nothing.
    ~FileSecretStore() override;

    Backend backend() const override { return Backend::File; }
    // "owner-only file PATH".
    QString description() const override;
    QString path() const { return m_path; }

    // Reads the file (a missing file is an empty store) and makes an existing file owner-only if it was not.
    // Emits loaded(), or unavailable(reason) when the file is unreadable or corrupt; always from the event loop.
    // Every entry of the file is cached, not only `keys`, so that later writes keep the others.
    void load(const QStringList &keys) override;
    // Cache now, file after writeDelay(). Emits stored(key) after the write, or failed(key, reason).
    void store(const QString &key, const QString &value) override;
    // As store(): the key leaves the cache now and the file with the next write (stored(key) / failed(key, reason)).
    void remove(const QString &key) override;
    // Writes now if anything is pending, then emits flushed() (queued) whether or not the write succeeded.
    void flush() override;

    std::chrono::milliseconds writeDelay() const { return std::chrono::milliseconds(m_writeTimer.interval()); }
    void setWriteDelay(std::chrono::milliseconds delay) { m_writeTimer.setInterval(delay); }
    // Test seams: how many times the file was written, and whether a write is pending.
    int writeCount() const { return m_writeCount; }
    bool hasPendingWrite() const { return !m_dirtyKeys.isEmpty(); }

private:
    enum class FileState
    {
        NotRead,
        Ready,
        Unusable
    };
    // Reads the file into the cache once; keys changed before it was read keep their new value.
    void ensureRead();
    void markDirty(const QString &key);
    void writeNow();
    // Returns an empty string on success, else the reason (names the file).
    QString writeFile() const;

    QString m_path;
    FileState m_state = FileState::NotRead;
    QString m_unusableReason;
    QSet<QString> m_changedBeforeRead; // stored or removed before the file was read: the cache wins
    QSet<QString> m_dirtyKeys;         // changed since the last write
    QTimer m_writeTimer;
    int m_writeCount = 0;
};

} // namespace oauthsim
