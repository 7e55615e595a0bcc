#pragma once

#include "model/IssuedToken.h"

namespace oauthsim {

// Remembered approvals, as legacy Spring's TokenApprovalStore derives them: a user who holds a live access
// token for a client and scopes has approved them. "Forget" draws a line in time: only tokens issued after it
// count as approvals, while the tokens themselves stay valid.
class ApprovalStore
{
public:
    // Whether this live token stands for a remembered approval.
    bool remembers(const IssuedToken &liveAccessToken) const { return liveAccessToken.issuedAtMs > m_forgottenAtMs; }
    void forgetAll(qint64 nowMs) { m_forgottenAtMs = nowMs; }
    qint64 forgottenAtMs() const { return m_forgottenAtMs; }

private:
    qint64 m_forgottenAtMs = -1;
};

} // namespace oauthsim
