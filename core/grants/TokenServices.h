#pragma once

#include "grants/JwtIssuer.h"
#include "protocol/Result.h"
#include "protocol/TokenResponse.h"

#include <optional>

namespace oauthsim {

class Clock;
class KeyRing;
class TokenGenerator;
class TokenStore;
struct Client;
struct ServerSettings;

// What a grant established: who authorized which client for which scopes.
// Every member has a default, so callers name only what they know (designated initializers).
struct Authorization
{
    QString clientId{};
    QString username{}; // empty for a token of the client itself
    ScopeSet scopes{};
    QString grantCode{}; // the authorization code, when the grant started from one
    quint64 flowId = 0;
    qint64 authTimeMs = 0;          // when the user logged in (OpenID Connect auth_time); 0 = unknown or no user
    std::optional<QString> nonce{}; // the authorize request's nonce, for the id_token of a code exchange
};

// Whether a new access token may come with a refresh token.
enum class RefreshTokens
{
    IfClientAllows, // when the client has the refresh_token grant (authorization_code, password)
    Never,          // client_credentials (RFC 6749 §4.4.3) and implicit (RFC 6749 §4.2.2)
};

// Whether a token response may carry an OpenID Connect id_token.
enum class IdTokens
{
    IfOpenIdScope, // when the granted scopes contain "openid" (authorization_code, refresh_token)
    Never,         // the other grants
};

// Issues and refreshes tokens as legacy DefaultTokenServices does: live-token reuse, refresh tokens only for
// clients with the refresh_token grant, reuse of the refresh token on refresh (or rotation, per client), the old
// access token revoked. The
// only place token values are made: opaque values in the profile's format, or RFC 9068 JWT access tokens for
// clients whose format is AccessTokenFormat::Jwt.
class TokenServices
{
public:
    // `keys` sign id_tokens (and JWT access tokens); `issuer` is their iss (read at each use).
    TokenServices(const ServerSettings &settings, TokenStore &store, TokenGenerator &random, const Clock &clock,
                  const KeyRing &keys, const QString &issuer);

    // New (or, with reuseLiveTokens, the live) access token for this authorization. Emits tokenIssued through
    // the store for each new token; a reused live token emits nothing. With RefreshTokens::Never the response
    // never carries a refresh token, not even the one a reused live token was issued with. With
    // IdTokens::IfOpenIdScope and "openid" among the scopes it carries a new id_token (also with a reused live
    // token). Error: server_error, before anything is issued, when a JWT is needed and there is no signing key.
    Result<TokenResponse> createAccessToken(const Client &client, const Authorization &authorization,
                                            RefreshTokens refreshTokens = RefreshTokens::IfClientAllows,
                                            IdTokens idTokens = IdTokens::Never);
    // A token for the client itself (client_credentials): no user, never a refresh token, reused while live
    // for the same client and scopes (Spring keys client-only tokens without a user name). Emits tokenIssued
    // through the store when a new token is issued. Error: server_error as above.
    Result<TokenResponse> createClientToken(const Client &client, const ScopeSet &scopes, quint64 flowId);
    // A new access token for a refresh token of `client`, optionally narrowed to `scope`. The refresh token is
    // reused (legacy), or with Client::rotateRefreshTokens replaced by a new one (full lifetime, the original
    // scope) while the old one is revoked (tokenRevoked, then tokenIssued for the new one). With a new id_token
    // when the (narrowed) scopes contain "openid" (auth_time kept, no nonce: OpenID Connect Core §12.2).
    // Errors: invalid_grant (unknown, other client), invalid_token 401 (expired), invalid_scope (widening),
    // server_error (no signing key for a JWT).
    Result<TokenResponse> refreshAccessToken(const Client &client, const QString &refreshValue,
                                             const std::optional<ScopeSet> &scope);

private:
    IssuedToken newToken(IssuedToken::Kind kind, const Authorization &authorization, int lifetimeSeconds);
    // An access token in the client's format (opaque, or an RFC 9068 JWT); an empty value if signing failed.
    IssuedToken newAccess(const Client &client, const Authorization &authorization, const QString &refresh);
    IssuedToken newRefresh(const Client &client, const Authorization &authorization);
    static bool wantsIdToken(const Authorization &authorization, IdTokens idTokens);
    // server_error when the answer needs a signature (a JWT access token or an id_token) and there is no key.
    std::optional<OAuthError> signingUnavailable(const Client &client, const Authorization &authorization,
                                                 IdTokens idTokens) const;
    // Adds the id_token when `idTokens` and the scopes ask for one.
    void addIdToken(TokenResponse &response, const Authorization &authorization, IdTokens idTokens) const;

    const ServerSettings &m_settings;
    TokenStore &m_store;
    TokenGenerator &m_random;
    const Clock &m_clock;
    JwtIssuer m_jwts;
};

} // namespace oauthsim
