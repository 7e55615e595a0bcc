#include "secrets/MemorySecretStore.h"

namespace oauthsim {

MemorySecretStore::MemorySecretStore(QObject *parent) : SecretStore(parent) {}

QString MemorySecretStore::description() const
{
    return tr("memory");
}

void MemorySecretStore::load(const QStringList &keys)
{
    Q_UNUSED(keys);
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT loaded(); }, Qt::QueuedConnection);
}

void MemorySecretStore::store(const QString &key, const QString &value)
{
    m_cache.insert(key, value);
    QMetaObject::invokeMethod(
        this, [this, key] { Q_EMIT stored(key); }, Qt::QueuedConnection);
}

void MemorySecretStore::remove(const QString &key)
{
    m_cache.remove(key);
    QMetaObject::invokeMethod(
        this, [this, key] { Q_EMIT stored(key); }, Qt::QueuedConnection);
}

void MemorySecretStore::flush()
{
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT flushed(); }, Qt::QueuedConnection);
}

} // namespace oauthsim
