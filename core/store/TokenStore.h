#pragma once

#include "model/IssuedToken.h"

#include <QHash>
#include <QObject>

namespace oauthsim {

class Clock;

// Issued access and refresh tokens, with the indexes the grants need: by value, by authorization key
// (client, user, scopes: live-token reuse and remembered approval), refresh → its current access token,
// and authorization code → everything issued from it (replay revocation). Every lookup is O(1).
class TokenStore : public QObject
{
    Q_OBJECT
public:
    explicit TokenStore(const Clock &clock, QObject *parent = nullptr);

    // Spring's AuthenticationKeyGenerator: client, user and sorted scopes.
    static QString authorizationKey(const QString &clientId, const QString &username, const ScopeSet &scopes);

    // Why an access token was issued: a grant, or a refresh of an existing refresh token.
    enum class IssueReason
    {
        Granted,
        Refreshed
    };
    // Stores a new access token and makes it the current one for its authorization key and refresh token.
    // Emits tokenIssued, then tokenRefreshed when the reason is Refreshed.
    void storeAccess(const IssuedToken &access, IssueReason reason = IssueReason::Granted);
    // Stores a new refresh token. Emits tokenIssued.
    void storeRefresh(const IssuedToken &refresh);

    // nullptr when unknown (revoked tokens are removed). Expired tokens are still found: callers decide.
    const IssuedToken *findAccess(const QString &value) const;
    const IssuedToken *findRefresh(const QString &value) const;
    const IssuedToken *accessFor(const QString &authorizationKey) const;
    // An access or refresh token by value, the hinted kind searched first (RFC 7009 §2.1 token_type_hint:
    // "refresh_token" means refresh first; anything else, access first). nullptr when neither has it.
    const IssuedToken *findByHint(const QString &value, QStringView hint) const;
    // The access token currently issued with this refresh token, or nullptr.
    const IssuedToken *accessForRefresh(const QString &refreshValue) const;

    // Each emits tokenRevoked for every token it removes; false/0 when nothing matched.
    bool revokeAccess(const QString &value);
    bool revokeRefresh(const QString &value); // and the access token issued with it
    int revokeIssuedFromCode(const QString &code);
    // Removes expired tokens silently (they are dead anyway); returns how many.
    int purgeExpired();
    // Forgets every token (reset of state). Emits cleared.
    void clear();

    QList<IssuedToken> all() const;
    qsizetype accessCount() const { return m_access.size(); }
    qsizetype refreshCount() const { return m_refresh.size(); }

Q_SIGNALS:
    void tokenIssued(const oauthsim::IssuedToken &token);
    // A refresh grant issued `access` for the refresh token `access.refreshToken`.
    void tokenRefreshed(const oauthsim::IssuedToken &access);
    void tokenRevoked(const oauthsim::IssuedToken &token);
    void cleared();

private:
    void unindex(const IssuedToken &token);
    const Clock &m_clock;
    QHash<QString, IssuedToken> m_access;
    QHash<QString, IssuedToken> m_refresh;
    QHash<QString, QString> m_accessByKey;
    QHash<QString, QString> m_accessByRefresh;
    QHash<QString, QStringList> m_byCode;
};

} // namespace oauthsim
