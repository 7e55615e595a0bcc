#include "CodeStore.h"

#include "Clock.h"

namespace oauthsim {

CodeStore::CodeStore(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) {}

void CodeStore::issue(const AuthorizationCode &code)
{
    m_codes.insert(code.code, {code, 0});
    Q_EMIT codeIssued(code);
}

void CodeStore::restore(const AuthorizationCode &code)
{
    const qint64 retain = code.status == AuthorizationCode::Status::Pending
                              ? 0
                              : std::max(code.expiresAtMs, m_clock.nowMs() + kTombstoneMs);
    m_codes.insert(code.code, {code, retain});
}

CodeStore::Consumption CodeStore::consume(const QString &value)
{
    const auto it = m_codes.find(value);
    if (it == m_codes.end())
        return {Outcome::Unknown, {}};
    const qint64 now = m_clock.nowMs();
    AuthorizationCode &code = it->code;
    if (code.status == AuthorizationCode::Status::Redeemed || code.status == AuthorizationCode::Status::Revoked) {
        code.status = AuthorizationCode::Status::Revoked;
        Q_EMIT codeReplayed(code);
        return {Outcome::Replayed, code};
    }
    if (code.expiresAtMs != 0 && now >= code.expiresAtMs) {
        code.status = AuthorizationCode::Status::Expired;
        const AuthorizationCode expired = code;
        m_codes.erase(it);
        Q_EMIT codeExpired(expired);
        return {Outcome::Expired, expired};
    }
    code.status = AuthorizationCode::Status::Redeemed;
    it->retainUntilMs = std::max(code.expiresAtMs, now + kTombstoneMs);
    Q_EMIT codeConsumed(code);
    return {Outcome::Consumed, code};
}

void CodeStore::clear()
{
    m_codes.clear();
    Q_EMIT cleared();
}

int CodeStore::purgeExpired()
{
    const qint64 now = m_clock.nowMs();
    int removed = 0;
    for (auto it = m_codes.begin(); it != m_codes.end();) {
        const AuthorizationCode &code = it->code;
        const bool pendingExpired =
            code.status == AuthorizationCode::Status::Pending && code.expiresAtMs != 0 && now >= code.expiresAtMs;
        const bool tombstoneOld = code.status != AuthorizationCode::Status::Pending && now >= it->retainUntilMs;
        if (pendingExpired || tombstoneOld) {
            AuthorizationCode gone = code;
            it = m_codes.erase(it);
            ++removed;
            if (pendingExpired) {
                gone.status = AuthorizationCode::Status::Expired;
                Q_EMIT codeExpired(gone);
            }
        } else {
            ++it;
        }
    }
    return removed;
}

QList<AuthorizationCode> CodeStore::all() const
{
    QList<AuthorizationCode> out;
    for (const Entry &e : m_codes)
        out << e.code;
    return out;
}

} // namespace oauthsim
