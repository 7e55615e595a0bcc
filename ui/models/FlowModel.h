#pragma once

#include <array>
#include <deque>
#include <optional>

#include <QAbstractListModel>
#include <QHash>
#include <QList>
#include <QTimer>

#include "ServerEvents.h"
#include "model/ExchangeRecord.h"

namespace oauthsim {

class OAuthServer;

// The flows the server has seen, one row each, newest first: for every flow, which exchange realised each of the
// seed's eight steps. Observes OAuthServer::exchangeFinished, FlowTracker::flowStarted and
// ServerEvents::approvalGranted; queues what arrives and applies it in batches (~75 ms) so a flood of requests
// costs one model update per flow per batch. Keeps at most capacity() flows (the oldest go first).
class FlowModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum class StepState
    {
        Pending, // not reached (yet)
        Done,
        Failed,  // the step's latest exchange failed (4xx/5xx, an error redirect, or the client went away)
        Skipped, // the flow went past it without it (autoapproved, already signed in)
    };
    Q_ENUM(StepState)

    // The exchange that realised one step (the latest one when it happened several times).
    struct Step
    {
        quint64 exchangeId = 0; // 0: not realised
        QByteArray method;
        QString target; // path and query as sent, secrets redacted
        QString form;   // the urlencoded body as sent (POST), secrets redacted
        int status = 0;
        QString location; // the response's Location header, if any
        qint64 atMs = 0;
        int count = 0; // how many exchanges realised it (refresh may repeat)
        bool failed = false;
        QString result; // e.g. "302 → /login", "200 token", "400 invalid_grant"
    };

    struct Flow
    {
        quint64 id = 0;
        QString clientId;
        QString username;
        qint64 lastAtMs = 0;
        std::optional<ApprovalKind> approval;
        std::array<Step, 8> steps;

        const Step &step(SeedStep s) const { return steps[std::size_t(s) - 1]; }
        StepState state(SeedStep s) const;
        // The highest step with an exchange, or SeedStep::None.
        SeedStep lastStep() const;
    };

    enum Role
    {
        FlowIdRole = Qt::UserRole + 1,
        LastStepRole, // int 0–8
        FailedRole,   // bool: the last step reached failed
    };

    explicit FlowModel(OAuthServer &server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // -1 when the flow is not (or no longer) in the model.
    int rowOf(quint64 flowId) const;
    // nullptr when unknown. Valid until the next batch is applied.
    const Flow *flow(quint64 flowId) const;
    const Flow &flowAt(int row) const;
    StepState stepState(int row, SeedStep step) const;

    int capacity() const { return m_capacity; }
    void setCapacity(int flows);
    // Applies what is queued now instead of at the next tick.
    void flush();

Q_SIGNALS:
    // After a batch changed a flow (new rows included).
    void flowChanged(quint64 flowId);

private:
    struct Pending
    {
        enum class Kind
        {
            Started,
            Exchange,
            Approval
        };
        Kind kind;
        quint64 flowId;
        QString clientId;
        ExchangeRecord record;
        ApprovalKind approval = ApprovalKind::UserApproved;
    };

    void enqueue(Pending pending);
    void insertNewFlows(const QList<Pending> &batch);
    void trimToCapacity();
    QList<quint64> applyBatch(const QList<Pending> &batch);
    Step summarise(const ExchangeRecord &record, SeedStep step) const;
    QString resultText(const ExchangeRecord &record, SeedStep step) const;
    Flow *find(quint64 flowId);
    QString displayText(const Flow &flow) const;

    // Oldest first internally, so appending keeps every stored sequence number valid; row 0 is the newest.
    std::deque<Flow> m_flows;
    QHash<quint64, quint64> m_sequenceOf; // flow id → sequence number
    quint64 m_firstSequence = 0;          // sequence number of m_flows.front()
    quint64 m_highestEvicted = 0;         // flows up to this id were dropped: their late exchanges are ignored
    int m_capacity = 500;
    QList<Pending> m_pending;
    QTimer m_batchTimer;
};

} // namespace oauthsim
