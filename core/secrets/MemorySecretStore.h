#pragma once

#include "secrets/SecretStore.h"

namespace oauthsim {

// Secrets held only in this process: unit tests, and secrets given by --config (which must never reach the
// keychain or a file). Nothing is ever persisted; every signal is still delivered from the event loop so callers
// have the same code path as with the real backends.
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
public:
    explicit MemorySecretStore(QObject *parent = nullptr);

    Backend backend() const override { return Backend::Memory; }
    QString description() const override;

    // The cache is the store: keys it does not hold stay unknown. Emits loaded() (queued); never unavailable().
    void load(const QStringList &keys) override;
    // Updates the cache now; emits stored(key) (queued). Never fails.
    void store(const QString &key, const QString &value) override;
    // Removes from the cache now; emits stored(key) (queued): the change is "persisted" at once.
    void remove(const QString &key) override;
    // Nothing is ever pending: emits flushed() (queued).
    void flush() override;
};

} // namespace oauthsim
