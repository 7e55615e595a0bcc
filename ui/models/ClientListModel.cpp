#include "ClientListModel.h"

#include "OAuthServer.h"
#include "store/ClientStore.h"

namespace oauthsim {

namespace {
Qt::CheckState checkStateOf(const AutoApprove &autoApprove)
{
    switch (autoApprove.mode) {
    case AutoApprove::Mode::Off:
        return Qt::Unchecked;
    case AutoApprove::Mode::All:
        return Qt::Checked;
    case AutoApprove::Mode::Scopes:
        return Qt::PartiallyChecked;
    }
    return Qt::Unchecked;
}
} // namespace

ClientListModel::ClientListModel(OAuthServer &server, QObject *parent) : QAbstractTableModel(parent), m_server(server)
{
    ClientStore &store = server.clients();
    connect(&store, &ClientStore::clientChanged, this, &ClientListModel::onClientChanged);
    connect(&store, &ClientStore::clientRemoved, this, &ClientListModel::onClientRemoved);
    connect(&store, &ClientStore::clientsReset, this, &ClientListModel::reload);
    // "server default (N s)" follows the server's lifetimes.
    connect(&server, &OAuthServer::settingsChanged, this, [this] {
        if (!m_clients.isEmpty())
            Q_EMIT dataChanged(index(0, AccessLifetimeColumn), index(rowCount() - 1, RefreshLifetimeColumn));
    });
    m_clients = store.all();
}

int ClientListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int ClientListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClientListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return {};
    const Client &c = m_clients.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayData(c, index.column());
    case Qt::ToolTipRole:
        if (index.column() == RedirectUrisColumn)
            return c.redirectUris.join(QLatin1Char('\n'));
        if (index.column() == AutoApproveColumn)
            return tr("Autoapprove: the user is not asked to approve these scopes");
        return displayData(c, index.column());
    case Qt::CheckStateRole:
        if (index.column() == AutoApproveColumn)
            return checkStateOf(c.autoApprove);
        return {};
    case ClientIdRole:
        return c.id;
    default:
        return {};
    }
}

QVariant ClientListModel::displayData(const Client &c, int column) const
{
    switch (column) {
    case IdColumn:
        return c.id;
    case RedirectUrisColumn:
        return c.redirectUris.join(QLatin1String(", "));
    case ScopesColumn:
        return c.scopes.joined();
    case GrantTypesColumn:
        return grantTypeNames(c.grantTypes).join(QLatin1String(", "));
    case AutoApproveColumn:
        switch (c.autoApprove.mode) {
        case AutoApprove::Mode::Off:
            return tr("off");
        case AutoApprove::Mode::All:
            return tr("all scopes");
        case AutoApprove::Mode::Scopes:
            return c.autoApprove.scopes.joined();
        }
        return {};
    case AccessLifetimeColumn:
        return lifetimeText(c.accessTokenLifetime, m_server.settings().accessTokenLifetime);
    case RefreshLifetimeColumn:
        return lifetimeText(c.refreshTokenLifetime, m_server.settings().refreshTokenLifetime);
    default:
        return {};
    }
}

QString ClientListModel::lifetimeText(int seconds, int serverDefault) const
{
    if (seconds <= 0)
        return tr("server default (%1 s)").arg(serverDefault);
    return tr("%1 s").arg(seconds);
}

bool ClientListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid) ||
        index.column() != AutoApproveColumn || role != Qt::CheckStateRole)
        return false;
    const Client &c = m_clients.at(index.row());
    AutoApprove wanted = c.autoApprove;
    switch (Qt::CheckState(value.toInt())) {
    case Qt::Unchecked:
        wanted = AutoApprove{};
        break;
    case Qt::Checked:
        wanted = AutoApprove{AutoApprove::Mode::All, {}};
        break;
    case Qt::PartiallyChecked:
        // Which scopes is the editor's question; a click cannot answer it.
        return false;
    }
    if (wanted == c.autoApprove)
        return true;
    // The store's clientChanged signal updates this row (and emits dataChanged) before this returns.
    return m_server.setAutoApprove(c.id, wanted);
}

Qt::ItemFlags ClientListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == AutoApproveColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Client ID");
    case RedirectUrisColumn:
        return tr("Redirect URIs");
    case ScopesColumn:
        return tr("Scopes");
    case GrantTypesColumn:
        return tr("Grant types");
    case AutoApproveColumn:
        return tr("Autoapprove");
    case AccessLifetimeColumn:
        return tr("Access token lifetime");
    case RefreshLifetimeColumn:
        return tr("Refresh token lifetime");
    default:
        return {};
    }
}

Client ClientListModel::client(int row) const
{
    return row >= 0 && row < m_clients.size() ? m_clients.at(row) : Client{};
}

int ClientListModel::rowOf(const QString &clientId) const
{
    for (qsizetype i = 0; i < m_clients.size(); ++i) {
        if (m_clients.at(i).id == clientId)
            return int(i);
    }
    return -1;
}

void ClientListModel::onClientChanged(const Client &client)
{
    const int row = rowOf(client.id);
    if (row >= 0) {
        m_clients[row] = client;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int end = int(m_clients.size());
    beginInsertRows({}, end, end);
    m_clients.append(client);
    endInsertRows();
}

void ClientListModel::onClientRemoved(const QString &id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_clients.removeAt(row);
    endRemoveRows();
}

void ClientListModel::reload()
{
    beginResetModel();
    m_clients = m_server.clients().all();
    endResetModel();
}

} // namespace oauthsim
