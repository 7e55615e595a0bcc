#pragma once

#include "model/IssuedToken.h"

#include <QHash>
#include <QList>

namespace oauthsim {

// Remembered approvals, in the two ways the imitated servers remember them (Profile::approvalMemory):
// - legacy Spring's TokenApprovalStore derives them from tokens: a user who holds a live access token for a client
//   and scopes has approved them;
// - Spring Authorization Server keeps an OAuth2AuthorizationConsent per client and user: the scopes granted so far.
// "Forget" draws a line in time for the first and drops every consent of the second; the tokens stay valid.
class ApprovalStore
{
public:
    struct Consent
    {
        QString clientId;
        QString username;
        ScopeSet scopes;
    };

    // Whether this live token stands for a remembered approval.
    bool remembers(const IssuedToken &liveAccessToken) const { return liveAccessToken.issuedAtMs > m_forgottenAtMs; }
    void forgetAll(qint64 nowMs)
    {
        m_forgottenAtMs = nowMs;
        m_consents.clear();
    }
    qint64 forgottenAtMs() const { return m_forgottenAtMs; }

    // The scopes `username` has consented to for `clientId` (empty when none).
    ScopeSet consent(const QString &clientId, const QString &username) const
    {
        return m_consents.value(key(clientId, username)).scopes;
    }
    // Adds `scopes` to the user's consent for the client (Spring keeps the union of every consent given).
    void addConsent(const QString &clientId, const QString &username, const ScopeSet &scopes)
    {
        Consent &c = m_consents[key(clientId, username)];
        QStringList names = c.scopes.names();
        for (const QString &scope : scopes.names()) {
            if (!names.contains(scope))
                names << scope;
        }
        c = Consent{clientId, username, ScopeSet(names)};
    }
    QList<Consent> consents() const { return m_consents.values(); }

private:
    static QString key(const QString &clientId, const QString &username) { return clientId + QChar(0) + username; }

    qint64 m_forgottenAtMs = -1;
    QHash<QString, Consent> m_consents;
};

} // namespace oauthsim
