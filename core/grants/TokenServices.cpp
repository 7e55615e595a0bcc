#include "TokenServices.h"

#include "Clock.h"
#include "ServerSettings.h"
#include "protocol/OAuthParams.h"
#include "store/TokenStore.h"
#include "tokens/TokenGenerator.h"

namespace oauthsim {

TokenServices::TokenServices(const ServerSettings &settings, TokenStore &store, TokenGenerator &random,
                             const Clock &clock, const KeyRing &keys, const QString &issuer)
    : m_settings(settings), m_store(store), m_random(random), m_clock(clock), m_jwts(settings, keys, issuer, random)
{}

bool TokenServices::wantsIdToken(const Authorization &authorization, IdTokens idTokens)
{
    return idTokens == IdTokens::IfOpenIdScope && authorization.scopes.contains(scope::OpenId);
}

std::optional<OAuthError> TokenServices::signingUnavailable(const Client &client, const Authorization &authorization,
                                                            IdTokens idTokens) const
{
    if (m_jwts.canSign())
        return std::nullopt;
    if (m_settings.accessTokenFormatFor(client) == AccessTokenFormat::Jwt)
        return OAuthError::serverError(QStringLiteral("no signing key for the JWT access token"));
    if (wantsIdToken(authorization, idTokens))
        return OAuthError::serverError(QStringLiteral("no signing key for the id_token"));
    return std::nullopt;
}

void TokenServices::addIdToken(TokenResponse &response, const Authorization &authorization, IdTokens idTokens) const
{
    // OpenID Connect Core §3.1.3.3: an authentication request (scope openid) gets an id_token with its tokens.
    if (!wantsIdToken(authorization, idTokens) || !response.access.scopes.contains(scope::OpenId))
        return;
    response.idToken =
        m_jwts.idToken(response.access, {authorization.authTimeMs, authorization.nonce}, m_clock.nowMs());
}

IssuedToken TokenServices::newToken(IssuedToken::Kind kind, const Authorization &authorization, int lifetimeSeconds)
{
    IssuedToken t;
    t.kind = kind;
    t.clientId = authorization.clientId;
    t.username = authorization.username;
    t.scopes = authorization.scopes;
    t.issuedAtMs = m_clock.nowMs();
    t.expiresAtMs = t.issuedAtMs + qint64(lifetimeSeconds) * 1000;
    t.grantCode = authorization.grantCode;
    t.flowId = authorization.flowId;
    t.authTimeMs = authorization.authTimeMs;
    return t;
}

IssuedToken TokenServices::newAccess(const Client &client, const Authorization &authorization, const QString &refresh)
{
    IssuedToken t = newToken(IssuedToken::Kind::Access, authorization, m_settings.accessLifetimeFor(client));
    t.refreshToken = refresh;
    // The value is the only thing a format changes: a JWT is stored under its value like an opaque token, so
    // introspection, revocation and check_token treat both alike. RFC 9068 for JWTs; empty if signing failed.
    t.value = m_settings.accessTokenFormatFor(client) == AccessTokenFormat::Jwt
                  ? m_jwts.accessToken(t)
                  : m_settings.profileDescription().newOpaqueToken(m_random);
    return t;
}

IssuedToken TokenServices::newRefresh(const Client &client, const Authorization &authorization)
{
    // Refresh tokens stay opaque whatever the access token format (only the server ever reads them).
    IssuedToken t = newToken(IssuedToken::Kind::Refresh, authorization, m_settings.refreshLifetimeFor(client));
    t.value = m_settings.profileDescription().newOpaqueToken(m_random);
    return t;
}

Result<TokenResponse> TokenServices::createAccessToken(const Client &client, const Authorization &authorization,
                                                       RefreshTokens refreshTokens, IdTokens idTokens)
{
    // Checked before anything is issued, so a missing key leaves no orphan tokens behind.
    if (const std::optional<OAuthError> unavailable = signingUnavailable(client, authorization, idTokens))
        return *unavailable;
    const bool refreshAllowed = refreshTokens == RefreshTokens::IfClientAllows;
    const qint64 now = m_clock.nowMs();
    std::optional<IssuedToken> refresh;
    if (m_settings.reuseLiveTokens) {
        const QString key =
            TokenStore::authorizationKey(authorization.clientId, authorization.username, authorization.scopes);
        if (const IssuedToken *existing = m_store.accessFor(key)) {
            const IssuedToken *existingRefresh =
                existing->refreshToken.isEmpty() ? nullptr : m_store.findRefresh(existing->refreshToken);
            if (!existing->isExpired(now)) {
                TokenResponse live{.access = *existing,
                                   .refresh = existingRefresh && refreshAllowed
                                                  ? std::optional<IssuedToken>(*existingRefresh)
                                                  : std::nullopt};
                addIdToken(live, authorization, idTokens);
                return live;
            }
            // Expired: drop it, but keep a still-valid refresh token for the new access token (Spring does).
            // A grant without refresh tokens leaves it to its own grant instead of binding it to the new token.
            if (existingRefresh && !existingRefresh->isExpired(now)) {
                if (refreshAllowed)
                    refresh = *existingRefresh;
            } else if (existingRefresh) {
                m_store.revokeRefresh(existingRefresh->value);
            }
            m_store.revokeAccess(existing->value);
        }
    }
    if (!refresh && refreshAllowed && client.allows(GrantType::RefreshToken)) {
        refresh = newRefresh(client, authorization);
        m_store.storeRefresh(*refresh);
    }
    const IssuedToken access = newAccess(client, authorization, refresh ? refresh->value : QString());
    if (access.value.isEmpty()) // a JWT that could not be signed (the key was checked above: an OpenSSL failure)
        return OAuthError::serverError(QStringLiteral("signing the JWT access token failed"));
    m_store.storeAccess(access);
    TokenResponse response{.access = access, .refresh = refresh};
    addIdToken(response, authorization, idTokens);
    return response;
}

Result<TokenResponse> TokenServices::createClientToken(const Client &client, const ScopeSet &scopes, quint64 flowId)
{
    // An empty user name keys the token by client and scopes alone: user names are never empty (ClientValidator).
    return createAccessToken(client, Authorization{.clientId = client.id, .scopes = scopes, .flowId = flowId},
                             RefreshTokens::Never);
}

Result<TokenResponse> TokenServices::refreshAccessToken(const Client &client, const QString &refreshValue,
                                                        const std::optional<ScopeSet> &scope)
{
    const IssuedToken *found = m_store.findRefresh(refreshValue);
    if (!found)
        return OAuthError::invalidGrant(QStringLiteral("Invalid refresh token: %1").arg(refreshValue));
    if (found->clientId != client.id)
        return OAuthError::invalidGrant(QStringLiteral("Wrong client for this refresh token: %1").arg(refreshValue));
    const IssuedToken refresh = *found;
    // Clear out the access token issued with this refresh token (DefaultTokenServices.refreshAccessToken).
    if (const IssuedToken *old = m_store.accessForRefresh(refreshValue))
        m_store.revokeAccess(old->value);
    if (refresh.isExpired(m_clock.nowMs())) {
        m_store.revokeRefresh(refreshValue);
        return OAuthError(m_settings.profileDescription().expiredRefreshToken,
                          QStringLiteral("Invalid refresh token (expired): %1").arg(refreshValue));
    }
    // OpenID Connect Core §12.2: a refreshed id_token keeps the original auth_time and carries no nonce.
    Authorization authorization{.clientId = refresh.clientId,
                                .username = refresh.username,
                                .scopes = refresh.scopes,
                                .grantCode = refresh.grantCode,
                                .flowId = refresh.flowId,
                                .authTimeMs = refresh.authTimeMs};
    if (scope && !scope->isEmpty()) {
        if (!refresh.scopes.containsAll(*scope))
            return OAuthError::invalidScope(
                QStringLiteral("Unable to narrow the scope of the client authentication to %1.")
                    .arg(scope->bracketed()),
                refresh.scopes.joined());
        authorization.scopes = *scope;
    }
    // Spring Authorization Server issues a new id_token on refresh when the scopes still contain openid.
    if (const std::optional<OAuthError> unavailable =
            signingUnavailable(client, authorization, IdTokens::IfOpenIdScope))
        return *unavailable;
    // Legacy reuseRefreshToken = true: the same refresh token, its original expiry kept. With rotation (RFC 9700
    // §4.14.2) a new refresh token with a full lifetime replaces it, and the old one is revoked, so presenting it
    // again is invalid_grant. The new one keeps the original scope, not a narrowed one (RFC 6749 §6).
    IssuedToken refreshed = refresh;
    if (client.rotateRefreshTokens) {
        Authorization original = authorization;
        original.scopes = refresh.scopes;
        refreshed = newRefresh(client, original);
    }
    // The store changes only once the access token exists: a failed signature leaves the old refresh token usable.
    const IssuedToken access = newAccess(client, authorization, refreshed.value);
    if (access.value.isEmpty())
        return OAuthError::serverError(QStringLiteral("signing the JWT access token failed"));
    if (client.rotateRefreshTokens) {
        m_store.revokeRefresh(refresh.value);
        m_store.storeRefresh(refreshed);
    }
    m_store.storeAccess(access, TokenStore::IssueReason::Refreshed);
    TokenResponse response{.access = access, .refresh = refreshed};
    addIdToken(response, authorization, IdTokens::IfOpenIdScope);
    return response;
}

} // namespace oauthsim
