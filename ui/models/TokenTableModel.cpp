#include "TokenTableModel.h"

#include "Clock.h"
#include "Countdown.h"
#include "OAuthServer.h"
#include "store/TokenStore.h"

#include <QColor>

#include <algorithm>

namespace oauthsim {

namespace {
// Mid-tone status colours, readable on both light and dark backgrounds.
QColor statusColor(TokenTableModel::Status status)
{
    switch (status) {
    case TokenTableModel::Status::Active:
        return QColor(0x43, 0xa0, 0x47);
    case TokenTableModel::Status::Expired:
        return QColor(0x9e, 0x9e, 0x9e);
    case TokenTableModel::Status::Revoked:
        return QColor(0xe5, 0x39, 0x35);
    }
    return {};
}
} // namespace

TokenTableModel::TokenTableModel(OAuthServer &server, QObject *parent)
    : LiveRowTableModel(server.clock(), {ExpiresColumn, StatusColumn}, parent), m_server(server)
{
    QList<IssuedToken> tokens = server.tokens().all();
    // Oldest first; a refresh token before the access token issued with it, as the grant stores them.
    std::stable_sort(tokens.begin(), tokens.end(), [](const IssuedToken &a, const IssuedToken &b) {
        return a.issuedAtMs != b.issuedAtMs ? a.issuedAtMs < b.issuedAtMs : a.kind > b.kind;
    });
    seed(tokens);

    TokenStore &store = server.tokens();
    connect(&store, &TokenStore::tokenIssued, this, &TokenTableModel::append<IssuedToken>);
    connect(&store, &TokenStore::cleared, this, &TokenTableModel::removeAll);
    connect(&store, &TokenStore::tokenRevoked, this, [this](const IssuedToken &t) { mark(t, &Row::revoked); });
    connect(&store, &TokenStore::tokenRefreshed, this, [this](const IssuedToken &t) { mark(t, &Row::refreshed); });
}

QString TokenTableModel::key(IssuedToken::Kind kind, const QString &value)
{
    return (kind == IssuedToken::Kind::Access ? QLatin1Char('a') : QLatin1Char('r')) + value;
}

QString TokenTableModel::masked(const QString &value)
{
    return value.left(6) + QChar(0x2026);
}

int TokenTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

TokenTableModel::Status TokenTableModel::shownStatus(const Row &row, qint64 nowMs) const
{
    if (row.revoked)
        return Status::Revoked;
    return row.token.isExpired(nowMs) ? Status::Expired : Status::Active;
}

QString TokenTableModel::statusText(Status status)
{
    switch (status) {
    case Status::Active:
        return tr("active");
    case Status::Expired:
        return tr("expired");
    case Status::Revoked:
        return tr("revoked");
    }
    return {};
}

QVariant TokenTableModel::displayText(const Row &row, int column) const
{
    const IssuedToken &t = row.token;
    switch (column) {
    case KindColumn:
        return t.kind == IssuedToken::Kind::Access ? tr("access") : tr("refresh");
    case ValueColumn:
        return m_revealed ? t.value : masked(t.value);
    case ClientColumn:
        return t.clientId;
    case UserColumn:
        return t.username;
    case ScopesColumn:
        return t.scopes.joined();
    case IssuedColumn:
        return Countdown::localTime(t.issuedAtMs);
    case ExpiresColumn:
        // A revoked token has no time left to count.
        return row.revoked ? QStringLiteral("\u2013") : Countdown::remaining(t.expiresAtMs, m_server.clock().nowMs());
    case StatusColumn:
        return statusText(shownStatus(row, m_server.clock().nowMs()));
    case FlowColumn:
        return t.flowId == 0 ? QVariant() : QVariant(t.flowId);
    }
    return {};
}

QVariant TokenTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = *rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case TokenValueRole:
        return row.token.value;
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn)
            return statusColor(shownStatus(row, m_server.clock().nowMs()));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ExpiresColumn && row.token.expiresAtMs != 0)
            return tr("Expires at %1").arg(Countdown::localTime(row.token.expiresAtMs));
        if (index.column() == KindColumn && row.refreshed)
            return tr("Issued by the refresh_token grant");
        return {};
    }
    return {};
}

QVariant TokenTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case KindColumn:
        return tr("Kind");
    case ValueColumn:
        return tr("Value");
    case ClientColumn:
        return tr("Client");
    case UserColumn:
        return tr("User");
    case ScopesColumn:
        return tr("Scopes");
    case IssuedColumn:
        return tr("Issued");
    case ExpiresColumn:
        return tr("Expires");
    case StatusColumn:
        return tr("Status");
    case FlowColumn:
        return tr("Flow");
    }
    return {};
}

IssuedToken TokenTableModel::tokenAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? r->token : IssuedToken{};
}

TokenTableModel::Status TokenTableModel::statusAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? shownStatus(*r, m_server.clock().nowMs()) : Status::Revoked;
}

int TokenTableModel::rowOf(IssuedToken::Kind kind, const QString &value) const
{
    int modelRow = -1;
    liveRow(key(kind, value), &modelRow);
    return modelRow;
}

std::optional<IssuedToken> TokenTableModel::find(IssuedToken::Kind kind, const QString &value) const
{
    int modelRow = -1;
    const Row *row = liveRow(key(kind, value), &modelRow);
    return row ? std::optional<IssuedToken>(row->token) : std::nullopt;
}

void TokenTableModel::setRevealed(bool revealed)
{
    if (revealed == m_revealed)
        return;
    m_revealed = revealed;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, ValueColumn), index(rowCount() - 1, ValueColumn), {Qt::DisplayRole});
}

void TokenTableModel::mark(const IssuedToken &token, bool Row::*flag)
{
    int modelRow = -1;
    if (Row *row = liveRow(key(token.kind, token.value), &modelRow)) {
        row->*flag = true;
        markDirty(modelRow);
    }
}

} // namespace oauthsim
