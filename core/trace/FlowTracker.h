#pragma once

#include <QObject>

#include <algorithm>

namespace oauthsim {

// Numbers flows. A flow is one login → authorize → code → token → refresh chain; its id travels with the
// session, then the code, then the tokens, so every exchange of the chain carries it (ExchangeRecord::flowId).
class FlowTracker : public QObject
{
    Q_OBJECT
public:
    explicit FlowTracker(QObject *parent = nullptr) : QObject(parent) {}

    // A new flow id (never 0). Emits flowStarted.
    quint64 startFlow(const QString &clientId)
    {
        const quint64 id = ++m_last;
        Q_EMIT flowStarted(id, clientId);
        return id;
    }

    // Restored state carries flow ids: new flows are numbered after them.
    void continueAfter(quint64 flowId) { m_last = std::max(m_last, flowId); }

Q_SIGNALS:
    void flowStarted(quint64 flowId, const QString &clientId);

private:
    quint64 m_last = 0;
};

} // namespace oauthsim
