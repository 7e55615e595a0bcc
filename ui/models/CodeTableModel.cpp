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

CodeTableModel::CodeTableModel(OAuthServer &server, QObject *parent) : QAbstractTableModel(parent), m_server(server)
{
    QList<AuthorizationCode> seed = server.codes().all();
    std::stable_sort(seed.begin(), seed.end(), [](const AuthorizationCode &a, const AuthorizationCode &b) {
        return a.issuedAtMs < b.issuedAtMs;
    });
    if (seed.size() > m_maxRows)
        seed.erase(seed.begin(), seed.end() - m_maxRows);
    const qint64 now = server.clock().nowMs();
    for (const AuthorizationCode &code : std::as_const(seed)) {
        m_seqByCode.insert(code.code, m_firstSeq + m_rows.size());
        Row row{code, false};
        row.shownExpired = shownStatus(row, now) != code.status;
        m_rows.push_back(row);
    }

    CodeStore &codes = server.codes();
    connect(&codes, &CodeStore::codeIssued, this, &CodeTableModel::onIssued);
    connect(&codes, &CodeStore::codeConsumed, this,
            [this](const AuthorizationCode &c) { onStatus(c, AuthorizationCode::Status::Redeemed); });
    connect(&codes, &CodeStore::codeExpired, this,
            [this](const AuthorizationCode &c) { onStatus(c, AuthorizationCode::Status::Expired); });
    connect(&codes, &CodeStore::codeReplayed, this,
            [this](const AuthorizationCode &c) { onStatus(c, AuthorizationCode::Status::Revoked); });

    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kBatchMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &CodeTableModel::flushPending);
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this, &CodeTableModel::refreshCountdowns);
    m_countdownTimer.start();
}

int CodeTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CodeTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
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
    const Row &row = m_rows[size_t(index.row())];
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
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)].code : AuthorizationCode{};
}

AuthorizationCode::Status CodeTableModel::statusAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return AuthorizationCode::Status::Pending;
    return shownStatus(m_rows[size_t(row)], m_server.clock().nowMs());
}

void CodeTableModel::setMaxRows(int rows)
{
    m_maxRows = std::max(1, rows);
}

void CodeTableModel::onIssued(const AuthorizationCode &code)
{
    m_seqByCode.insert(code.code, m_firstSeq + m_rows.size() + quint64(m_pending.size()));
    m_pending.append(Row{code, false});
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

CodeTableModel::Row *CodeTableModel::rowForSeq(quint64 seq, int *modelRow)
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

void CodeTableModel::onStatus(const AuthorizationCode &code, AuthorizationCode::Status status)
{
    const auto it = m_seqByCode.constFind(code.code);
    if (it == m_seqByCode.constEnd())
        return; // dropped by the cap
    int modelRow = -1;
    Row *row = rowForSeq(*it, &modelRow);
    if (!row)
        return;
    row->code.status = status;
    if (modelRow < 0)
        return; // the batch inserts it with its new status
    // Reported with the next batch, so a burst of redemptions costs one repaint.
    m_dirtyFirst = m_dirtyFirst < 0 ? modelRow : std::min(m_dirtyFirst, modelRow);
    m_dirtyLast = std::max(m_dirtyLast, modelRow);
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void CodeTableModel::forget(const Row &row, quint64 seq)
{
    const auto it = m_seqByCode.find(row.code.code);
    if (it != m_seqByCode.end() && *it == seq)
        m_seqByCode.erase(it);
}

void CodeTableModel::dropOldest(qsizetype committed, qsizetype pending)
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

void CodeTableModel::flushPending()
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
        row.shownExpired = shownStatus(row, now) != row.code.status;
        m_rows.push_back(std::move(row));
    }
    m_pending.clear();
    endInsertRows();
}

void CodeTableModel::refreshCountdowns()
{
    if (m_rows.empty())
        return;
    const qint64 now = m_server.clock().nowMs();
    int first = -1;
    int last = -1;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const bool expired = shownStatus(row, now) != row.code.status;
        if (expired != row.shownExpired) {
            row.shownExpired = expired;
            first = first < 0 ? int(i) : first;
            last = int(i);
        }
    }
    const int lastRow = int(m_rows.size()) - 1;
    Q_EMIT dataChanged(index(0, ExpiresColumn), index(lastRow, ExpiresColumn), {Qt::DisplayRole});
    if (first >= 0)
        Q_EMIT dataChanged(index(first, StatusColumn), index(last, StatusColumn));
}

} // namespace oauthsim
