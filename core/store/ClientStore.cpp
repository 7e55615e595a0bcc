#include "ClientStore.h"

namespace oauthsim {

const Client *ClientStore::find(const QString &id) const
{
    const auto it = m_clients.constFind(id);
    return it == m_clients.constEnd() ? nullptr : &*it;
}

QList<Client> ClientStore::all() const
{
    QList<Client> out;
    for (const QString &id : m_order)
        out << m_clients.value(id);
    return out;
}

void ClientStore::replaceAll(const QList<Client> &clients)
{
    m_order.clear();
    m_clients.clear();
    for (const Client &c : clients) {
        if (!m_clients.contains(c.id))
            m_order << c.id;
        m_clients.insert(c.id, c);
    }
    Q_EMIT clientsReset();
}

void ClientStore::upsert(const Client &client)
{
    if (!m_clients.contains(client.id))
        m_order << client.id;
    m_clients.insert(client.id, client);
    Q_EMIT clientChanged(client);
}

bool ClientStore::remove(const QString &id)
{
    if (!m_clients.remove(id))
        return false;
    m_order.removeAll(id);
    Q_EMIT clientRemoved(id);
    return true;
}

} // namespace oauthsim
