#include "TokenStore.h"

#include "Clock.h"

namespace oauthsim {

TokenStore::TokenStore(const Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) {}

QString TokenStore::authorizationKey(const QString &clientId, const QString &username, const ScopeSet &scopes)
{
    QString key;
    key.reserve(clientId.size() + username.size() + scopes.joined().size() + 2);
    key += clientId;
    key += QLatin1Char('\n');
    key += username;
    key += QLatin1Char('\n');
    key += scopes.joined();
    return key;
}

void TokenStore::storeAccess(const IssuedToken &access, IssueReason reason)
{
    m_access.insert(access.value, access);
    m_accessByKey.insert(authorizationKey(access.clientId, access.username, access.scopes), access.value);
    if (!access.refreshToken.isEmpty())
        m_accessByRefresh.insert(access.refreshToken, access.value);
    if (!access.grantCode.isEmpty())
        m_byCode[access.grantCode].append(access.value);
    Q_EMIT tokenIssued(access);
    if (reason == IssueReason::Refreshed)
        Q_EMIT tokenRefreshed(access);
}

void TokenStore::storeRefresh(const IssuedToken &refresh)
{
    m_refresh.insert(refresh.value, refresh);
    if (!refresh.grantCode.isEmpty())
        m_byCode[refresh.grantCode].append(refresh.value);
    Q_EMIT tokenIssued(refresh);
}

const IssuedToken *TokenStore::findAccess(const QString &value) const
{
    const auto it = m_access.constFind(value);
    return it == m_access.constEnd() ? nullptr : &*it;
}

const IssuedToken *TokenStore::findRefresh(const QString &value) const
{
    const auto it = m_refresh.constFind(value);
    return it == m_refresh.constEnd() ? nullptr : &*it;
}

const IssuedToken *TokenStore::findByHint(const QString &value, QStringView hint) const
{
    if (hint == QLatin1String("refresh_token")) {
        if (const IssuedToken *refresh = findRefresh(value))
            return refresh;
        return findAccess(value);
    }
    if (const IssuedToken *access = findAccess(value))
        return access;
    return findRefresh(value);
}

const IssuedToken *TokenStore::accessFor(const QString &authorizationKey) const
{
    const auto it = m_accessByKey.constFind(authorizationKey);
    return it == m_accessByKey.constEnd() ? nullptr : findAccess(*it);
}

const IssuedToken *TokenStore::accessForRefresh(const QString &refreshValue) const
{
    const auto it = m_accessByRefresh.constFind(refreshValue);
    return it == m_accessByRefresh.constEnd() ? nullptr : findAccess(*it);
}

void TokenStore::unindex(const IssuedToken &token)
{
    if (token.kind == IssuedToken::Kind::Access) {
        const QString key = authorizationKey(token.clientId, token.username, token.scopes);
        const auto byKey = m_accessByKey.constFind(key);
        if (byKey != m_accessByKey.constEnd() && *byKey == token.value)
            m_accessByKey.erase(byKey);
        const auto byRefresh = m_accessByRefresh.constFind(token.refreshToken);
        if (byRefresh != m_accessByRefresh.constEnd() && *byRefresh == token.value)
            m_accessByRefresh.erase(byRefresh);
    } else {
        m_accessByRefresh.remove(token.value);
    }
    if (!token.grantCode.isEmpty()) {
        const auto it = m_byCode.find(token.grantCode);
        if (it != m_byCode.end()) {
            it->removeOne(token.value);
            if (it->isEmpty())
                m_byCode.erase(it);
        }
    }
}

bool TokenStore::revokeAccess(const QString &value)
{
    const auto it = m_access.constFind(value);
    if (it == m_access.constEnd())
        return false;
    const IssuedToken token = *it;
    m_access.erase(it);
    unindex(token);
    Q_EMIT tokenRevoked(token);
    return true;
}

bool TokenStore::revokeRefresh(const QString &value)
{
    const auto it = m_refresh.constFind(value);
    if (it == m_refresh.constEnd())
        return false;
    if (const IssuedToken *access = accessForRefresh(value))
        revokeAccess(access->value);
    const IssuedToken token = m_refresh.take(value);
    unindex(token);
    Q_EMIT tokenRevoked(token);
    return true;
}

int TokenStore::revokeIssuedFromCode(const QString &code)
{
    const qsizetype before = m_access.size() + m_refresh.size();
    const QStringList values = m_byCode.value(code);
    for (const QString &value : values) {
        // Revoking a refresh token also revokes its access token, which may come later in the list.
        if (!revokeRefresh(value))
            revokeAccess(value);
    }
    return int(before - (m_access.size() + m_refresh.size()));
}

int TokenStore::purgeExpired()
{
    const qint64 now = m_clock.nowMs();
    int removed = 0;
    for (auto *table : {&m_access, &m_refresh}) {
        for (auto it = table->begin(); it != table->end();) {
            if (it->isExpired(now)) {
                const IssuedToken token = *it;
                it = table->erase(it);
                unindex(token);
                ++removed;
            } else {
                ++it;
            }
        }
    }
    return removed;
}

void TokenStore::clear()
{
    m_access.clear();
    m_refresh.clear();
    m_accessByKey.clear();
    m_accessByRefresh.clear();
    m_byCode.clear();
    Q_EMIT cleared();
}

QList<IssuedToken> TokenStore::all() const
{
    return m_access.values() + m_refresh.values();
}

} // namespace oauthsim
