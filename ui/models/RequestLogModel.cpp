#include "RequestLogModel.h"

#include "OAuthServer.h"
#include "SeedStepText.h"
#include "http/Pipeline.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>

namespace oauthsim {

namespace {

const QByteArray kMask = QByteArrayLiteral("******");

bool isTokenParameter(QByteArray encodedName)
{
    encodedName.replace('+', ' ');
    const QByteArray name = QByteArray::fromPercentEncoding(encodedName);
    return name == "access_token" || name == "refresh_token" || name == "id_token" || name == "token";
}

// Masks token values of an urlencoded text in place; every other byte stays what the client sent.
QByteArray maskFormTokens(const QByteArray &form)
{
    if (!form.contains("token") && !form.contains('%'))
        return form;
    QList<QByteArray> pairs = form.split('&');
    for (QByteArray &pair : pairs) {
        const qsizetype eq = pair.indexOf('=');
        if (eq > 0 && isTokenParameter(pair.left(eq)))
            pair = pair.left(eq + 1) + kMask;
    }
    return pairs.join('&');
}

// Textual, so the member order and formatting of the body stay as sent (QJsonObject would sort the keys).
QByteArray maskJsonTokens(const QByteArray &json)
{
    if (!json.contains("token\""))
        return json;
    static const QRegularExpression re(
        QStringLiteral("(\"(?:access_token|refresh_token|id_token)\"\\s*:\\s*\")(?:[^\"\\\\]|\\\\.)*\""));
    QString text = QString::fromUtf8(json);
    text.replace(re, QStringLiteral("\\1") + QString::fromLatin1(kMask) + QStringLiteral("\""));
    return text.toUtf8();
}

// The CSRF value of a rendered form (login, approval page); the request that sends it back is redacted by core.
QByteArray maskHtmlCsrf(const QByteArray &html)
{
    if (!html.contains("_csrf"))
        return html;
    static const QRegularExpression re(QStringLiteral("(<input(?=[^>]*\\bname=\"_csrf\")[^>]*\\bvalue=\")[^\"]*\""));
    QString text = QString::fromUtf8(html);
    text.replace(re, QStringLiteral("\\1") + QString::fromLatin1(kMask) + QStringLiteral("\""));
    return text.toUtf8();
}

// An implicit-grant Location carries tokens in its fragment; codes in its query stay visible.
QByteArray maskUrlTokens(const QByteArray &url)
{
    const qsizetype hash = url.indexOf('#');
    QByteArray head = hash < 0 ? url : url.left(hash);
    const qsizetype q = head.indexOf('?');
    if (q >= 0)
        head = head.left(q + 1) + maskFormTokens(head.mid(q + 1));
    return hash < 0 ? head : head + '#' + maskFormTokens(url.mid(hash + 1));
}

QByteArray maskBodyTokens(const QByteArray &body)
{
    const QByteArray trimmed = body.trimmed();
    if (trimmed.startsWith('{') || trimmed.startsWith('['))
        return maskJsonTokens(body);
    return maskFormTokens(body);
}

// Semantic status colours: mid-tones that read on both light and dark bases.
QColor statusColour(int statusClass)
{
    switch (statusClass) {
    case 2:
        return QColor(0x2e, 0x9d, 0x4f);
    case 3:
        return QColor(0x3d, 0x8b, 0xd9);
    case 4:
        return QColor(0xd9, 0x7b, 0x0e);
    case 5:
        return QColor(0xe0, 0x45, 0x45);
    default:
        return {};
    }
}

} // namespace

RequestLogModel::RequestLogModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &RequestLogModel::flush);
}

RequestLogModel::RequestLogModel(OAuthServer &server, QObject *parent) : RequestLogModel(parent)
{
    connect(&server, &OAuthServer::exchangeFinished, this, &RequestLogModel::append);
    connect(&server.pipeline(), &Pipeline::exchangeHeld, this, &RequestLogModel::appendHeld);
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const int statusCls = row.held ? 0 : statusClass(row.record);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, index.column());
    case Qt::ToolTipRole:
        return toolTipData(row, index.column());
    case Qt::ForegroundRole:
        if (index.column() == Status && statusCls != 0)
            return QBrush(statusColour(statusCls));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Duration)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case ExchangeIdRole:
        return QVariant::fromValue(row.record.id);
    case StatusClassRole:
        return statusCls;
    case ClientIdRole:
        return row.record.clientId;
    default:
        return {};
    }
}

QVariant RequestLogModel::displayData(const Row &row, int column) const
{
    const ExchangeRecord &r = row.record;
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(r.startedAtMs).toString(QStringLiteral("hh:mm:ss.zzz"));
    case Method:
        return QString::fromLatin1(r.method);
    case Path:
        return r.path;
    case Status:
        return row.held ? tr("held") : statusText(r);
    case Duration:
        return row.held ? QString() : durationText(r.durationMs);
    case Client:
        return r.clientId;
    case Steps:
        return stepsText(r.steps);
    default:
        return {};
    }
}

QVariant RequestLogModel::toolTipData(const Row &row, int column) const
{
    const ExchangeRecord &r = row.record;
    switch (column) {
    case Path:
        return r.query.isEmpty() ? r.path : r.path + QLatin1Char('?') + QString::fromUtf8(maskFormTokens(r.query));
    case Status:
        if (row.held)
            return tr("The reply is held by the server and has not been sent yet.");
        if (r.outcome == ExchangeRecord::Outcome::ClientGone)
            return tr("The client closed the connection before the reply (%1) was sent.").arg(r.status);
        return {};
    case Client:
        if (r.username.isEmpty())
            return r.clientId;
        return tr("Client: %1\nUser: %2").arg(r.clientId, r.username);
    case Steps: {
        QStringList lines;
        for (SeedStep step : r.steps)
            lines << tr("Step %1: %2").arg(int(step)).arg(SeedStepText::title(step));
        return lines.join(QLatin1Char('\n'));
    }
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Method:
        return tr("Method");
    case Path:
        return tr("Path");
    case Status:
        return tr("Status");
    case Duration:
        return tr("Duration (ms)");
    case Client:
        return tr("Client");
    case Steps:
        return tr("Step");
    default:
        return {};
    }
}

void RequestLogModel::setMaxRows(int rows)
{
    m_maxRows = std::max(1, rows);
    if (int(m_rows.size()) > m_maxRows)
        dropOldest(int(m_rows.size()) - m_maxRows);
}

const ExchangeRecord &RequestLogModel::record(int row) const
{
    Q_ASSERT(row >= 0 && size_t(row) < m_rows.size());
    return m_rows[size_t(row)].record;
}

bool RequestLogModel::isHeld(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() && m_rows[size_t(row)].held;
}

int RequestLogModel::rowForExchange(quint64 id) const
{
    const auto it = m_positions.constFind(id);
    return it == m_positions.constEnd() ? -1 : int(*it - m_firstPosition);
}

void RequestLogModel::append(const ExchangeRecord &record)
{
    if (!completeHeld(record))
        enqueue({record, false});
}

void RequestLogModel::appendHeld(const ExchangeRecord &record)
{
    m_heldIds.insert(record.id);
    enqueue({record, true});
}

void RequestLogModel::enqueue(Row row)
{
    m_pending.append(std::move(row));
    // Whatever is beyond the cap now would be dropped by the flush anyway; a starved timer must not grow memory.
    if (m_pending.size() > m_maxRows) {
        m_heldIds.remove(m_pending.first().record.id);
        m_pending.removeFirst();
    }
    // Not restarted per record: the first queued record waits at most one interval, whatever the rate.
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

bool RequestLogModel::completeHeld(const ExchangeRecord &record)
{
    if (!m_heldIds.remove(record.id))
        return false;
    const int row = rowForExchange(record.id);
    if (row >= 0) {
        m_rows[size_t(row)] = {record, false};
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return true;
    }
    for (Row &pending : m_pending) {
        if (pending.record.id == record.id) {
            pending = {record, false};
            return true;
        }
    }
    return false; // its held row was dropped by the cap: the finished exchange becomes a new row
}

void RequestLogModel::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    QList<Row> batch;
    batch.swap(m_pending);
    // Rows the cap would drop in the same breath are never inserted (the cap may have been lowered since).
    while (batch.size() > m_maxRows) {
        m_heldIds.remove(batch.first().record.id);
        batch.removeFirst();
    }
    const qsizetype excess = qsizetype(m_rows.size()) + batch.size() - m_maxRows;
    if (excess > 0)
        dropOldest(int(excess));
    const int first = int(m_rows.size());
    bool clientsChanged = false;
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    for (Row &row : batch) {
        m_positions.insert(row.record.id, m_firstPosition + qint64(m_rows.size()));
        noteClient(row.record.clientId, &clientsChanged);
        m_rows.push_back(std::move(row));
    }
    endInsertRows();
    if (clientsChanged) {
        m_clientIds = QStringList(m_clientSet.cbegin(), m_clientSet.cend());
        m_clientIds.sort();
        Q_EMIT clientIdsChanged();
    }
}

void RequestLogModel::dropOldest(int count)
{
    if (count <= 0)
        return;
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i) {
        const Row &row = m_rows.front();
        m_positions.remove(row.record.id);
        if (row.held)
            m_heldIds.remove(row.record.id);
        m_rows.pop_front();
    }
    m_firstPosition += count;
    endRemoveRows();
}

void RequestLogModel::noteClient(const QString &clientId, bool *changed)
{
    if (clientId.isEmpty() || m_clientSet.contains(clientId))
        return;
    m_clientSet.insert(clientId);
    *changed = true;
}

void RequestLogModel::clear()
{
    m_flushTimer.stop();
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_positions.clear();
    m_heldIds.clear();
    m_firstPosition = 0;
    endResetModel();
    if (!m_clientSet.isEmpty()) {
        m_clientSet.clear();
        m_clientIds.clear();
        Q_EMIT clientIdsChanged();
    }
}

int RequestLogModel::statusClass(const ExchangeRecord &record)
{
    if (record.outcome == ExchangeRecord::Outcome::ClientGone || record.status < 200 || record.status > 599)
        return 0;
    return record.status / 100;
}

QString RequestLogModel::statusText(const ExchangeRecord &record)
{
    if (record.outcome == ExchangeRecord::Outcome::ClientGone)
        return tr("client gone");
    return QString::number(record.status);
}

QString RequestLogModel::durationText(double ms)
{
    // Most exchanges take well under a millisecond: two decimals keep them from all reading "0.0".
    return QLocale().toString(ms, 'f', ms < 10 ? 2 : 1);
}

QString RequestLogModel::stepsText(const QList<SeedStep> &steps)
{
    QStringList parts;
    for (SeedStep step : steps)
        parts << QString::number(int(step));
    return parts.join(QChar(0x2192)); // →
}

ExchangeRecord RequestLogModel::withTokensMasked(const ExchangeRecord &record)
{
    ExchangeRecord out = record;
    out.query = maskFormTokens(record.query);
    out.requestBody = maskBodyTokens(record.requestBody);
    out.responseBody = maskHtmlCsrf(maskJsonTokens(record.responseBody));
    for (auto &[name, value] : out.responseHeaders) {
        if (name.compare("Location", Qt::CaseInsensitive) == 0)
            value = maskUrlTokens(value);
    }
    return out;
}

} // namespace oauthsim
