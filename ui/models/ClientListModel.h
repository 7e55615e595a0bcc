#pragma once

#include "model/Client.h"

#include <QAbstractTableModel>
#include <QList>

namespace oauthsim {

class OAuthServer;

// The registered clients as a table, kept in step with ClientStore's signals (value-typed, so the model holds
// its own copies and never a pointer into the store). The autoapprove column is a checkbox: checked = all
// scopes, partially checked = chosen scopes, unchecked = off; checking it goes through OAuthServer, so it
// applies to the very next /oauth/authorize.
class ClientListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        IdColumn,
        RedirectUrisColumn,
        ScopesColumn,
        GrantTypesColumn,
        AutoApproveColumn,
        AccessLifetimeColumn,
        RefreshLifetimeColumn,
        ColumnCount
    };
    enum Role
    {
        ClientIdRole = Qt::UserRole + 1
    };

    explicit ClientListModel(OAuthServer &server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The client shown in `row`; a default Client for a row out of range.
    Client client(int row) const;
    // The row of a client id, or -1.
    int rowOf(const QString &clientId) const;

private:
    void onClientChanged(const Client &client);
    void onClientRemoved(const QString &id);
    void reload();
    QVariant displayData(const Client &client, int column) const;
    QString lifetimeText(int seconds, int serverDefault) const;

    OAuthServer &m_server;
    QList<Client> m_clients;
};

} // namespace oauthsim
