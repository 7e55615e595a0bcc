#include "FlowModel.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>

#include "HttpText.h"
#include "OAuthServer.h"
#include "SeedStepText.h"
#include "trace/FlowTracker.h"

namespace oauthsim {

namespace {

constexpr int kBatchMs = 75;
constexpr qsizetype kMaxFormBytes = 4096;

bool isSeedStep(SeedStep step)
{
    return int(step) >= 1 && int(step) <= SeedStepText::kStepCount;
}

// A failed step: the server refused (4xx/5xx), redirected with an error (RFC 6749 §4.1.2.1, or /login?error after
// bad credentials), or the client left before the answer.
bool isFailure(const ExchangeRecord &record, const QString &location)
{
    if (record.outcome == ExchangeRecord::Outcome::ClientGone || record.status >= 400 || record.status == 0)
        return true;
    if (location.isEmpty())
        return false;
    return QUrlQuery(QUrl(location).query()).hasQueryItem(QStringLiteral("error"));
}

QJsonObject jsonBody(const ExchangeRecord &record)
{
    if (!record.responseBody.startsWith('{'))
        return {};
    return QJsonDocument::fromJson(record.responseBody).object();
}

} // namespace

FlowModel::StepState FlowModel::Flow::state(SeedStep s) const
{
    const Step &own = step(s);
    if (own.exchangeId != 0)
        return own.failed ? StepState::Failed : StepState::Done;
    return int(s) < int(lastStep()) ? StepState::Skipped : StepState::Pending;
}

SeedStep FlowModel::Flow::lastStep() const
{
    for (int i = int(steps.size()); i >= 1; --i) {
        if (steps[std::size_t(i) - 1].exchangeId != 0)
            return SeedStep(i);
    }
    return SeedStep::None;
}

FlowModel::FlowModel(OAuthServer &server, QObject *parent) : QAbstractListModel(parent)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kBatchMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &FlowModel::flush);
    connect(&server.flows(), &FlowTracker::flowStarted, this, [this](quint64 flowId, const QString &clientId) {
        enqueue({Pending::Kind::Started, flowId, clientId, {}});
    });
    connect(&server, &OAuthServer::exchangeFinished, this, [this](const ExchangeRecord &record) {
        // Exchanges outside any flow (client credentials, unknown codes, stray pages) have nothing to show here.
        if (record.flowId != 0)
            enqueue({Pending::Kind::Exchange, record.flowId, {}, record});
    });
    connect(&server.events(), &ServerEvents::approvalGranted, this,
            [this](const QString &, const QString &, const ScopeSet &, ApprovalKind kind, quint64 flowId) {
                if (flowId != 0)
                    enqueue({Pending::Kind::Approval, flowId, {}, {}, kind});
            });
}

int FlowModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_flows.size());
}

const FlowModel::Flow &FlowModel::flowAt(int row) const
{
    return m_flows[m_flows.size() - 1 - std::size_t(row)];
}

QVariant FlowModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Flow &flow = flowAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return displayText(flow);
    case Qt::ToolTipRole: {
        QStringList lines{tr("Flow #%1").arg(flow.id)};
        for (SeedStep s : SeedStepText::steps()) {
            const Step &step = flow.step(s);
            lines << tr("%1. %2: %3")
                         .arg(int(s))
                         .arg(SeedStepText::title(s), step.exchangeId ? step.result : QStringLiteral("—"));
        }
        return lines.join(QLatin1Char('\n'));
    }
    case FlowIdRole:
        return flow.id;
    case LastStepRole:
        return int(flow.lastStep());
    case FailedRole:
        return flow.lastStep() != SeedStep::None && flow.state(flow.lastStep()) == StepState::Failed;
    default:
        return {};
    }
}

QHash<int, QByteArray> FlowModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(FlowIdRole, "flowId");
    names.insert(LastStepRole, "lastStep");
    names.insert(FailedRole, "failed");
    return names;
}

QString FlowModel::displayText(const Flow &flow) const
{
    const SeedStep last = flow.lastStep();
    QString reached = tr("not started");
    if (last != SeedStep::None) {
        reached = tr("step %1 %2").arg(int(last)).arg(SeedStepText::title(last));
        if (flow.step(last).count > 1)
            reached += tr(" ×%1").arg(flow.step(last).count);
        if (flow.state(last) == StepState::Failed)
            reached += tr(" (failed)");
    }
    const QString client = flow.clientId.isEmpty() ? tr("unknown client") : flow.clientId;
    const QString user = flow.username.isEmpty() ? tr("not signed in") : flow.username;
    const QString time = flow.lastAtMs > 0
                             ? QDateTime::fromMSecsSinceEpoch(flow.lastAtMs).toString(QStringLiteral("HH:mm:ss"))
                             : QString();
    return tr("Flow #%1 — %2 — %3 — %4 — %5").arg(flow.id).arg(client, user, reached, time);
}

int FlowModel::rowOf(quint64 flowId) const
{
    const auto it = m_sequenceOf.constFind(flowId);
    if (it == m_sequenceOf.constEnd())
        return -1;
    return int(m_flows.size() - 1 - (*it - m_firstSequence));
}

const FlowModel::Flow *FlowModel::flow(quint64 flowId) const
{
    const int row = rowOf(flowId);
    return row < 0 ? nullptr : &flowAt(row);
}

FlowModel::Flow *FlowModel::find(quint64 flowId)
{
    return const_cast<Flow *>(std::as_const(*this).flow(flowId));
}

FlowModel::StepState FlowModel::stepState(int row, SeedStep step) const
{
    if (row < 0 || row >= rowCount() || !isSeedStep(step))
        return StepState::Pending;
    return flowAt(row).state(step);
}

void FlowModel::setCapacity(int flows)
{
    m_capacity = qMax(1, flows);
    trimToCapacity();
}

void FlowModel::enqueue(Pending pending)
{
    m_pending.append(std::move(pending));
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void FlowModel::flush()
{
    m_batchTimer.stop();
    if (m_pending.isEmpty())
        return;
    const QList<Pending> batch = std::exchange(m_pending, {});
    insertNewFlows(batch);
    trimToCapacity();
    const QList<quint64> changed = applyBatch(batch);
    for (quint64 id : changed) {
        const QModelIndex i = index(rowOf(id));
        Q_EMIT dataChanged(i, i);
        Q_EMIT flowChanged(id);
    }
}

void FlowModel::insertNewFlows(const QList<Pending> &batch)
{
    QList<quint64> fresh;
    QSet<quint64> seen;
    for (const Pending &p : batch) {
        if (m_sequenceOf.contains(p.flowId) || seen.contains(p.flowId))
            continue;
        seen.insert(p.flowId);
        // A straggler of a flow dropped for capacity would come back as if new: leave it out.
        if (p.flowId <= m_highestEvicted)
            continue;
        fresh.append(p.flowId);
    }
    if (fresh.isEmpty())
        return;
    // Under a flood of new flows, rows that would be dropped at once are never inserted.
    if (fresh.size() > m_capacity) {
        for (qsizetype i = 0; i < fresh.size() - m_capacity; ++i)
            m_highestEvicted = qMax(m_highestEvicted, fresh.at(i));
        fresh.remove(0, fresh.size() - m_capacity);
    }
    // Appended oldest first, so the last one of the batch becomes row 0.
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    for (quint64 id : fresh) {
        m_sequenceOf.insert(id, m_firstSequence + m_flows.size());
        Flow flow;
        flow.id = id;
        m_flows.push_back(flow);
    }
    endInsertRows();
}

void FlowModel::trimToCapacity()
{
    const int excess = int(m_flows.size()) - m_capacity;
    if (excess <= 0)
        return;
    const int rows = int(m_flows.size());
    beginRemoveRows({}, rows - excess, rows - 1);
    for (int i = 0; i < excess; ++i) {
        m_highestEvicted = qMax(m_highestEvicted, m_flows.front().id);
        m_sequenceOf.remove(m_flows.front().id);
        m_flows.pop_front();
        ++m_firstSequence;
    }
    endRemoveRows();
}

QList<quint64> FlowModel::applyBatch(const QList<Pending> &batch)
{
    QList<quint64> changed;
    QSet<quint64> seen;
    // Only the latest exchange of a step is summarised; earlier ones in the batch only count.
    QHash<QPair<quint64, int>, const ExchangeRecord *> latest;
    QHash<QPair<quint64, int>, int> counts;
    for (const Pending &p : batch) {
        Flow *flow = find(p.flowId);
        if (!flow)
            continue;
        if (!seen.contains(p.flowId)) {
            seen.insert(p.flowId);
            changed.append(p.flowId);
        }
        switch (p.kind) {
        case Pending::Kind::Started:
            if (flow->clientId.isEmpty())
                flow->clientId = p.clientId;
            break;
        case Pending::Kind::Approval:
            flow->approval = p.approval;
            break;
        case Pending::Kind::Exchange:
            if (!p.record.clientId.isEmpty())
                flow->clientId = p.record.clientId;
            if (!p.record.username.isEmpty())
                flow->username = p.record.username;
            flow->lastAtMs = qMax(flow->lastAtMs, p.record.startedAtMs);
            for (SeedStep s : p.record.steps) {
                if (!isSeedStep(s))
                    continue;
                latest.insert({p.flowId, int(s)}, &p.record);
                ++counts[{p.flowId, int(s)}];
            }
            break;
        }
    }
    for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
        Flow *flow = find(it.key().first);
        Step &step = flow->steps[std::size_t(it.key().second) - 1];
        const int before = step.count;
        step = summarise(*it.value(), SeedStep(it.key().second));
        step.count = before + counts.value(it.key());
    }
    return changed;
}

FlowModel::Step FlowModel::summarise(const ExchangeRecord &record, SeedStep step) const
{
    Step s;
    s.exchangeId = record.id;
    s.method = record.method;
    s.target = record.path;
    if (!record.query.isEmpty())
        s.target += QLatin1Char('?') + QString::fromUtf8(record.query);
    // The form parameters are what a teacher points at (grant_type, code…); page-sized bodies are not forms.
    if (!record.requestBody.isEmpty() && record.requestBody.size() <= kMaxFormBytes)
        s.form = QString::fromUtf8(record.requestBody);
    s.status = record.status;
    s.location = QString::fromUtf8(HttpText::headerValue(record.responseHeaders, "Location"));
    s.atMs = record.startedAtMs;
    s.failed = isFailure(record, s.location);
    s.result = resultText(record, step);
    return s;
}

QString FlowModel::resultText(const ExchangeRecord &record, SeedStep step) const
{
    if (record.outcome == ExchangeRecord::Outcome::ClientGone)
        return tr("client went away before the answer");
    const QString location = QString::fromUtf8(HttpText::headerValue(record.responseHeaders, "Location"));
    if (!location.isEmpty())
        return tr("%1 → %2").arg(record.status).arg(location);
    const QJsonObject json = jsonBody(record);
    if (json.contains(u"error"))
        return tr("%1 %2").arg(record.status).arg(json.value(u"error").toString());
    if (json.contains(u"access_token"))
        return tr("%1 token").arg(record.status);
    if (record.status == 200 && step == SeedStep::LoginPage)
        return tr("%1 login page").arg(record.status);
    if (record.status == 200 && step == SeedStep::AuthorizeAgain)
        return tr("%1 approval page").arg(record.status);
    return QString::number(record.status);
}

} // namespace oauthsim
