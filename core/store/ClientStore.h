#pragma once

#include "model/Client.h"

#include <QHash>
#include <QObject>

namespace oauthsim {

// Registered clients by id. Lookups are O(1) (one per token request).
class ClientStore : public QObject
{
    Q_OBJECT
public:
    explicit ClientStore(QObject *parent = nullptr) : QObject(parent) {}

    // Pointer valid until the next change; nullptr for an unknown id.
    const Client *find(const QString &id) const;
    QList<Client> all() const;
    void replaceAll(const QList<Client> &clients);
    // Adds or replaces the client with the same id. Emits clientChanged.
    void upsert(const Client &client);
    // Emits clientRemoved; false for an unknown id.
    bool remove(const QString &id);

Q_SIGNALS:
    void clientChanged(const oauthsim::Client &client);
    void clientRemoved(const QString &id);
    void clientsReset();

private:
    QList<QString> m_order;
    QHash<QString, Client> m_clients;
};

} // namespace oauthsim
