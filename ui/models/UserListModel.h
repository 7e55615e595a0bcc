#pragma once

#include "model/Client.h"

#include <QAbstractTableModel>
#include <QList>

namespace oauthsim {

class OAuthServer;

// The users who can log in, sorted by username. UserStore only announces a whole new list (usersReset), so
// the model resets with it. Passwords are never shown here: the column says whether one is set.
class UserListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        UsernameColumn,
        PasswordColumn,
        AuthoritiesColumn,
        ClaimsColumn,
        ColumnCount
    };

    explicit UserListModel(OAuthServer &server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The user shown in `row`; a default User for a row out of range.
    User user(int row) const;
    // The row of a username, or -1.
    int rowOf(const QString &username) const;

private:
    void reload();
    QList<User> sortedUsers() const;

    OAuthServer &m_server;
    QList<User> m_users;
};

} // namespace oauthsim
