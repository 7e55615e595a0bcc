#include "Sessions.h"

#include "Clock.h"
#include "tokens/TokenGenerator.h"

namespace oauthsim {

Sessions::Sessions(const Clock &clock, TokenGenerator &random, int idleTimeoutSeconds)
    : m_clock(clock), m_random(random), m_idleTimeoutMs(qint64(idleTimeoutSeconds) * 1000)
{}

Session *Sessions::find(const QString &id)
{
    if (id.isEmpty())
        return nullptr;
    const auto it = m_sessions.find(id);
    if (it == m_sessions.end())
        return nullptr;
    const qint64 now = m_clock.nowMs();
    if (now - (*it)->lastAccessMs >= m_idleTimeoutMs) {
        m_sessions.erase(it);
        return nullptr;
    }
    (*it)->lastAccessMs = now;
    return it->get();
}

Session &Sessions::create()
{
    auto session = std::make_shared<Session>();
    session->id = m_random.sessionId();
    session->csrfToken = m_random.csrfToken();
    session->lastAccessMs = m_clock.nowMs();
    Session &ref = *session;
    m_sessions.insert(session->id, std::move(session));
    return ref;
}

Session &Sessions::rotate(const QString &id)
{
    std::shared_ptr<Session> session = m_sessions.take(id);
    if (!session)
        return create();
    session->id = m_random.sessionId();
    session->csrfToken = m_random.csrfToken();
    Session &ref = *session;
    m_sessions.insert(session->id, std::move(session));
    return ref;
}

void Sessions::remove(const QString &id)
{
    m_sessions.remove(id);
}

int Sessions::purgeExpired()
{
    const qint64 now = m_clock.nowMs();
    int removed = 0;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (now - (*it)->lastAccessMs >= m_idleTimeoutMs) {
            it = m_sessions.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

QList<Session> Sessions::all() const
{
    QList<Session> out;
    out.reserve(m_sessions.size());
    for (const auto &session : m_sessions)
        out << *session;
    return out;
}

void Sessions::restore(const Session &session)
{
    m_sessions.insert(session.id, std::make_shared<Session>(session));
}

QByteArray Sessions::cookieHeader(const Session &session)
{
    return "JSESSIONID=" + session.id.toLatin1() + "; Path=/; HttpOnly; SameSite=Lax";
}

} // namespace oauthsim
