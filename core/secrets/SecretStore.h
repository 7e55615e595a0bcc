#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>

namespace oauthsim {

// Where secrets live (client secrets, user passwords, later signing keys), by key ("client/<id>",
// "user/<name>", "signing-key/<kid>"). Every read is served from an in-memory cache filled by load() before the
// server reports it is listening, so no request ever waits on the backend. Writes update the cache at once and
// reach the backend asynchronously (never blocking the thread). No backend call is ever made synchronously.
class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Backend
    {
        Memory,
        Keychain,
        File
    };

    explicit SecretStore(QObject *parent = nullptr) : QObject(parent) {}
    ~SecretStore() override = default;

    virtual Backend backend() const = 0;
    // Human-readable name of the backend for messages ("system keychain", "owner-only file …", "memory").
    virtual QString description() const = 0;

    // Fills the cache with these keys from the backend, then emits loaded() — always asynchronously (from the
    // event loop), even for backends that could answer at once, so callers have one code path.
    // A backend that turns out to be unusable emits unavailable(reason) instead, once.
    virtual void load(const QStringList &keys) = 0;
    // The cached value, or a null QString when the key is unknown.
    QString value(const QString &key) const { return m_cache.value(key); }
    bool contains(const QString &key) const { return m_cache.contains(key); }
    // Sets the value in the cache now and persists it in the background. Emits stored(key) when the backend
    // has it, or failed(key, reason).
    virtual void store(const QString &key, const QString &value) = 0;
    virtual void remove(const QString &key) = 0;
    // Resolves when every write issued so far reached the backend (emits flushed()).
    virtual void flush() = 0;

    static QString clientKey(const QString &clientId) { return QStringLiteral("client/") + clientId; }
    static QString userKey(const QString &username) { return QStringLiteral("user/") + username; }

Q_SIGNALS:
    void loaded();
    void unavailable(const QString &reason);
    void stored(const QString &key);
    void failed(const QString &key, const QString &reason);
    void flushed();

protected:
    QHash<QString, QString> m_cache;
};

} // namespace oauthsim
