#include "CodeTableModel.h"

#include "Clock.h"
#include "Countdown.h"
#include "OAuthServer.h"
#include "store/CodeStore.h"

#include <QColor>

#include <algorithm>

namespace oauthsim {

namespace {
// Mid-tone status colours, readable on both light and dark backgrounds.
QColor statusColor(AuthorizationCode::Status status)
{
    switch (status) {
    case AuthorizationCode::Status::Pending:
        return QColor(0x1e, 0x88, 0xe5);
    case AuthorizationCode::Status::Redeemed:
        return QColor(0x43, 0xa0, 0x47);
    case AuthorizationCode::Status::Expired:
        return QColor(0x9e, 0x9e, 0x9e);
    case AuthorizationCode::Status::Revoked:
        return QColor(0xe5, 0x39, 0x35);
    }
    return {};
}
} // namespace

CodeTableModel::CodeTableModel(OAuthServer &server, QObject *parent)
    : LiveRowTableModel(server.clock(), {ExpiresColumn, StatusColumn}, parent), m_server(server)
{
    QList<AuthorizationCode> codes = server.codes().all();
    std::stable_sort(codes.begin(), codes.end(), [](const AuthorizationCode &a, const AuthorizationCode &b) {
        return a.issuedAtMs < b.issuedAtMs;
    });
    seed(codes);

    CodeStore &store = server.codes();
    connect(&store, &CodeStore::codeIssued, this, &CodeTableModel::append<AuthorizationCode>);
    connect(&store, &CodeStore::cleared, this, &CodeTableModel::removeAll);
    connect(&store, &CodeStore::codeConsumed, this,
            [this](const AuthorizationCode &c) { onStatus(c, AuthorizationCode::Status::Redeemed); });
    connect(&store, &CodeStore::codeExpired, this,
            [this](const AuthorizationCode &c) { onStatus(c, AuthorizationCode::Status::Expired); });
    connect(&store, &CodeStore::codeReplayed, this,
            [this](const AuthorizationCode &c) { onStatus(c, AuthorizationCode::Status::Revoked); });
}

int CodeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool CodeTableModel::isShownExpired(const Row &row, qint64 nowMs) const
{
    return shownStatus(row, nowMs) != row.code.status;
}

AuthorizationCode::Status CodeTableModel::shownStatus(const Row &row, qint64 nowMs) const
{
    const AuthorizationCode &c = row.code;
    // The store forgets an expired code only when it purges (every minute): show it expired at once.
    if (c.status == AuthorizationCode::Status::Pending && c.expiresAtMs != 0 && nowMs >= c.expiresAtMs)
        return AuthorizationCode::Status::Expired;
    return c.status;
}

QString CodeTableModel::statusText(AuthorizationCode::Status status)
{
    switch (status) {
    case AuthorizationCode::Status::Pending:
        return tr("pending");
    case AuthorizationCode::Status::Redeemed:
        return tr("redeemed");
    case AuthorizationCode::Status::Expired:
        return tr("expired");
    case AuthorizationCode::Status::Revoked:
        return tr("revoked");
    }
    return {};
}

QVariant CodeTableModel::displayText(const Row &row, int column) const
{
    const AuthorizationCode &c = row.code;
    switch (column) {
    case CodeColumn:
        return c.code;
    case ClientColumn:
        return c.clientId;
    case UserColumn:
        return c.username;
    case ScopesColumn:
        return c.scopes.joined();
    case RedirectUriColumn:
        return c.redirectUri;
    case StateColumn:
        return c.state.value_or(QString());
    case IssuedColumn:
        return Countdown::localTime(c.issuedAtMs);
    case ExpiresColumn: {
        const qint64 now = m_server.clock().nowMs();
        switch (shownStatus(row, now)) {
        case AuthorizationCode::Status::Pending:
            return Countdown::remaining(c.expiresAtMs, now);
        case AuthorizationCode::Status::Expired:
            return Countdown::remaining(c.expiresAtMs == 0 ? now : c.expiresAtMs, now);
        default:
            return QStringLiteral("\u2013"); // a used code has no time left to count
        }
    }
    case StatusColumn:
        return statusText(shownStatus(row, m_server.clock().nowMs()));
    }
    return {};
}

QVariant CodeTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = *rowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case CodeValueRole:
        return row.code.code;
    case Qt::ForegroundRole:
        if (index.column() == StatusColumn)
            return statusColor(shownStatus(row, m_server.clock().nowMs()));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ExpiresColumn && row.code.expiresAtMs != 0)
            return tr("Expires at %1").arg(Countdown::localTime(row.code.expiresAtMs));
        if (index.column() == StatusColumn && row.code.status == AuthorizationCode::Status::Revoked)
            return tr("The code was presented again after it was redeemed: the tokens issued from it were revoked.");
        if (index.column() == StateColumn && !row.code.state)
            return tr("The client sent no state");
        return {};
    }
    return {};
}

QVariant CodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case CodeColumn:
        return tr("Code");
    case ClientColumn:
        return tr("Client");
    case UserColumn:
        return tr("User");
    case ScopesColumn:
        return tr("Scopes");
    case RedirectUriColumn:
        return tr("Redirect URI");
    case StateColumn:
        return tr("State");
    case IssuedColumn:
        return tr("Issued");
    case ExpiresColumn:
        return tr("Expires");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}

AuthorizationCode CodeTableModel::codeAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? r->code : AuthorizationCode{};
}

AuthorizationCode::Status CodeTableModel::statusAt(int row) const
{
    const Row *r = rowAt(row);
    return r ? shownStatus(*r, m_server.clock().nowMs()) : AuthorizationCode::Status::Pending;
}

void CodeTableModel::onStatus(const AuthorizationCode &code, AuthorizationCode::Status status)
{
    int modelRow = -1;
    if (Row *row = liveRow(code.code, &modelRow)) {
        row->code.status = status;
        markDirty(modelRow);
    }
}

} // namespace oauthsim
