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

TokenTableModel::TokenTableModel(OAuthServer &server, QObject *parent) : QAbstractTableModel(parent), m_server(server)
{
    QList<IssuedToken> seed = server.tokens().all();
    // Oldest first; a refresh token before the access token issued with it, as the grant stores them.
    std::stable_sort(seed.begin(), seed.end(), [](const IssuedToken &a, const IssuedToken &b) {
        return a.issuedAtMs != b.issuedAtMs ? a.issuedAtMs < b.issuedAtMs : a.kind > b.kind;
    });
    if (seed.size() > m_maxRows)
        seed.erase(seed.begin(), seed.end() - m_maxRows);
    const qint64 now = server.clock().nowMs();
    for (const IssuedToken &token : std::as_const(seed)) {
        m_seqByKey.insert(key(token.kind, token.value), m_firstSeq + m_rows.size());
        m_rows.push_back(Row{token, false, false, token.isExpired(now)});
    }

    TokenStore &tokens = server.tokens();
    connect(&tokens, &TokenStore::tokenIssued, this, &TokenTableModel::onIssued);
    connect(&tokens, &TokenStore::tokenRevoked, this, &TokenTableModel::onRevoked);
    connect(&tokens, &TokenStore::tokenRefreshed, this, &TokenTableModel::onRefreshed);

    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kBatchMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &TokenTableModel::flushPending);
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this, &TokenTableModel::refreshCountdowns);
    m_countdownTimer.start();
}

QString TokenTableModel::key(IssuedToken::Kind kind, const QString &value)
{
    return (kind == IssuedToken::Kind::Access ? QLatin1Char('a') : QLatin1Char('r')) + value;
}

QString TokenTableModel::masked(const QString &value)
{
    return value.left(6) + QChar(0x2026);
}

int TokenTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
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
    const Row &row = m_rows[size_t(index.row())];
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
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)].token : IssuedToken{};
}

TokenTableModel::Status TokenTableModel::statusAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return Status::Revoked;
    return shownStatus(m_rows[size_t(row)], m_server.clock().nowMs());
}

const TokenTableModel::Row *TokenTableModel::rowForSeq(quint64 seq, int *modelRow) const
{
    *modelRow = -1;
    if (seq < m_firstSeq)
        return nullptr;
    const quint64 offset = seq - m_firstSeq;
    if (offset < m_rows.size()) {
        *modelRow = int(offset);
        return &m_rows[size_t(offset)];
    }
    const quint64 inPending = offset - m_rows.size();
    return inPending < quint64(m_pending.size()) ? &m_pending[qsizetype(inPending)] : nullptr;
}

TokenTableModel::Row *TokenTableModel::rowFor(const IssuedToken &token, int *modelRow)
{
    *modelRow = -1;
    const auto it = m_seqByKey.constFind(key(token.kind, token.value));
    if (it == m_seqByKey.constEnd())
        return nullptr;
    return const_cast<Row *>(rowForSeq(*it, modelRow));
}

int TokenTableModel::rowOf(IssuedToken::Kind kind, const QString &value) const
{
    const auto it = m_seqByKey.constFind(key(kind, value));
    int modelRow = -1;
    if (it != m_seqByKey.constEnd())
        rowForSeq(*it, &modelRow);
    return modelRow;
}

std::optional<IssuedToken> TokenTableModel::find(IssuedToken::Kind kind, const QString &value) const
{
    const auto it = m_seqByKey.constFind(key(kind, value));
    int modelRow = -1;
    const Row *row = it == m_seqByKey.constEnd() ? nullptr : rowForSeq(*it, &modelRow);
    return row ? std::optional<IssuedToken>(row->token) : std::nullopt;
}

void TokenTableModel::setMaxRows(int rows)
{
    m_maxRows = std::max(1, rows);
}

void TokenTableModel::setRevealed(bool revealed)
{
    if (revealed == m_revealed)
        return;
    m_revealed = revealed;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, ValueColumn), index(int(m_rows.size()) - 1, ValueColumn), {Qt::DisplayRole});
}

void TokenTableModel::onIssued(const IssuedToken &token)
{
    m_seqByKey.insert(key(token.kind, token.value), m_firstSeq + m_rows.size() + quint64(m_pending.size()));
    m_pending.append(Row{token});
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void TokenTableModel::markDirty(int modelRow)
{
    if (modelRow < 0)
        return; // still waiting for its batch, which inserts it as it is now
    // Reported with the next batch, so a burst of revocations costs one repaint.
    m_dirtyFirst = m_dirtyFirst < 0 ? modelRow : std::min(m_dirtyFirst, modelRow);
    m_dirtyLast = std::max(m_dirtyLast, modelRow);
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void TokenTableModel::onRevoked(const IssuedToken &token)
{
    int modelRow = -1;
    if (Row *row = rowFor(token, &modelRow)) {
        row->revoked = true;
        markDirty(modelRow);
    }
}

void TokenTableModel::onRefreshed(const IssuedToken &access)
{
    int modelRow = -1;
    if (Row *row = rowFor(access, &modelRow)) {
        row->refreshed = true;
        markDirty(modelRow);
    }
}

void TokenTableModel::forget(const Row &row, quint64 seq)
{
    const auto it = m_seqByKey.find(key(row.token.kind, row.token.value));
    if (it != m_seqByKey.end() && *it == seq)
        m_seqByKey.erase(it);
}

void TokenTableModel::dropOldest(qsizetype committed, qsizetype pending)
{
    if (committed > 0) {
        beginRemoveRows({}, 0, int(committed) - 1);
        for (qsizetype i = 0; i < committed; ++i) {
            forget(m_rows.front(), m_firstSeq++);
            m_rows.pop_front();
        }
        endRemoveRows();
    }
    // Only when every committed row is gone: the pending ones then start at m_firstSeq.
    for (qsizetype i = 0; i < pending; ++i)
        forget(m_pending.at(i), m_firstSeq++);
    m_pending.remove(0, pending);
}

void TokenTableModel::flushPending()
{
    m_batchTimer.stop();
    if (m_dirtyFirst >= 0) {
        Q_EMIT dataChanged(index(m_dirtyFirst, 0), index(m_dirtyLast, ColumnCount - 1));
        m_dirtyFirst = m_dirtyLast = -1;
    }
    const qsizetype excess = qsizetype(m_rows.size()) + m_pending.size() - m_maxRows;
    if (excess > 0) {
        const qsizetype committed = std::min<qsizetype>(excess, qsizetype(m_rows.size()));
        dropOldest(committed, excess - committed);
    }
    if (m_pending.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    const qint64 now = m_server.clock().nowMs();
    for (Row &row : m_pending) {
        row.shownExpired = row.token.isExpired(now);
        m_rows.push_back(std::move(row));
    }
    m_pending.clear();
    endInsertRows();
}

void TokenTableModel::refreshCountdowns()
{
    if (m_rows.empty())
        return;
    const qint64 now = m_server.clock().nowMs();
    int first = -1;
    int last = -1;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const bool expired = row.token.isExpired(now);
        if (expired != row.shownExpired) {
            row.shownExpired = expired;
            if (!row.revoked) {
                first = first < 0 ? int(i) : first;
                last = int(i);
            }
        }
    }
    Q_EMIT dataChanged(index(0, ExpiresColumn), index(int(m_rows.size()) - 1, ExpiresColumn), {Qt::DisplayRole});
    if (first >= 0)
        Q_EMIT dataChanged(index(first, StatusColumn), index(last, StatusColumn));
}

} // namespace oauthsim
