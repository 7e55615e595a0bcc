#include "UserListModel.h"

#include "OAuthServer.h"
#include "store/UserStore.h"

#include <QJsonDocument>

#include <algorithm>

namespace oauthsim {

UserListModel::UserListModel(OAuthServer &server, QObject *parent) : QAbstractTableModel(parent), m_server(server)
{
    connect(&server.users(), &UserStore::usersReset, this, &UserListModel::reload);
    m_users = sortedUsers();
}

QList<User> UserListModel::sortedUsers() const
{
    // The store is a hash: sort for a stable order.
    QList<User> users = m_server.users().all();
    std::sort(users.begin(), users.end(), [](const User &a, const User &b) {
        const int c = a.username.compare(b.username, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : a.username < b.username;
    });
    return users;
}

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

int UserListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const User &u = m_users.at(index.row());
    switch (index.column()) {
    case UsernameColumn:
        return u.username;
    case PasswordColumn:
        return u.password.isEmpty() ? tr("(none)") : tr("set");
    case AuthoritiesColumn:
        return u.authorities.join(QLatin1String(", "));
    case ClaimsColumn:
        return QString::fromUtf8(QJsonDocument(u.claims).toJson(QJsonDocument::Compact));
    default:
        return {};
    }
}

Qt::ItemFlags UserListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QVariant UserListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case UsernameColumn:
        return tr("Username");
    case PasswordColumn:
        return tr("Password");
    case AuthoritiesColumn:
        return tr("Authorities");
    case ClaimsColumn:
        return tr("Claims");
    default:
        return {};
    }
}

User UserListModel::user(int row) const
{
    return row >= 0 && row < m_users.size() ? m_users.at(row) : User{};
}

int UserListModel::rowOf(const QString &username) const
{
    for (qsizetype i = 0; i < m_users.size(); ++i) {
        if (m_users.at(i).username == username)
            return int(i);
    }
    return -1;
}

void UserListModel::reload()
{
    beginResetModel();
    m_users = sortedUsers();
    endResetModel();
}

} // namespace oauthsim
