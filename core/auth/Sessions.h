#pragma once

#include "model/AuthorizationCode.h"

#include <QHash>
#include <QString>

#include <memory>
#include <optional>

namespace oauthsim {

class Clock;
class TokenGenerator;

// A browser session (cookie JSESSIONID), as Spring Security keeps it: the CSRF token, the logged-in user,
// the authorize request saved while the user logs in, and the one awaiting approval.
struct Session
{
    QString id;
    QString csrfToken;
    QString username; // empty while anonymous
    qint64 authenticatedAtMs = 0;
    qint64 lastAccessMs = 0;
    QString savedRequestUrl;
    std::optional<AuthorizeRequest> pendingApproval;
    quint64 flowId = 0;
    bool flowEnded = false; // the flow's authorization was answered (code or denial): the next one is a new flow

    bool isAuthenticated() const { return !username.isEmpty(); }
};

class Sessions
{
public:
    Sessions(const Clock &clock, TokenGenerator &random, int idleTimeoutSeconds);

    // The live session with this id (touching it), or nullptr when unknown or idle for too long.
    Session *find(const QString &id);
    Session &create();
    // Session fixation protection on login: the same session under a new id and a new CSRF token.
    Session &rotate(const QString &id);
    void remove(const QString &id);
    void clear() { m_sessions.clear(); }
    void setIdleTimeout(int seconds) { m_idleTimeoutMs = qint64(seconds) * 1000; }
    int purgeExpired();
    qsizetype size() const { return m_sessions.size(); }
    // Every live session, and putting saved ones back (state persistence).
    QList<Session> all() const;
    void restore(const Session &session);

    // Set-Cookie value for a session (HttpOnly, SameSite=Lax, Path=/).
    static QByteArray cookieHeader(const Session &session);

private:
    const Clock &m_clock;
    TokenGenerator &m_random;
    qint64 m_idleTimeoutMs;
    QHash<QString, std::shared_ptr<Session>> m_sessions;
};

} // namespace oauthsim
