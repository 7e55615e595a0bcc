#pragma once

#include "model/ScopeSet.h"

#include <QObject>

namespace oauthsim {

// How an authorization came to be approved.
enum class ApprovalKind
{
    UserApproved,
    AutoApproved,
    Remembered
};

// Past-tense events of the browser side of a flow (the stores emit their own: codes and tokens).
class ServerEvents : public QObject
{
    Q_OBJECT
public:
    explicit ServerEvents(QObject *parent = nullptr) : QObject(parent) {}

Q_SIGNALS:
    void loginSucceeded(const QString &username, quint64 flowId);
    void loginFailed(const QString &username, quint64 flowId);
    void approvalGranted(const QString &clientId, const QString &username, const oauthsim::ScopeSet &scopes,
                         oauthsim::ApprovalKind kind, quint64 flowId);
    void approvalDenied(const QString &clientId, const QString &username, quint64 flowId);
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::ApprovalKind)
