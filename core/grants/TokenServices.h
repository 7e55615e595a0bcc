#pragma once

#include "protocol/Result.h"
#include "protocol/TokenResponse.h"

#include <optional>

namespace oauthsim {

class Clock;
class TokenGenerator;
class TokenStore;
struct Client;
struct ServerSettings;

// What a grant established: who authorized which client for which scopes.
struct Authorization
{
    QString clientId;
    QString username;
    ScopeSet scopes;
    QString grantCode; // the authorization code, when the grant started from one
    quint64 flowId = 0;
};

// Whether a new access token may come with a refresh token.
enum class RefreshTokens
{
    IfClientAllows, // when the client has the refresh_token grant (authorization_code, password)
    Never,          // client_credentials (RFC 6749 §4.4.3) and implicit (RFC 6749 §4.2.2)
};

// Issues and refreshes tokens as legacy DefaultTokenServices does: live-token reuse, refresh tokens only for
// clients with the refresh_token grant, reuse of the refresh token on refresh, the old access token revoked.
class TokenServices
{
public:
    TokenServices(const ServerSettings &settings, TokenStore &store, TokenGenerator &random, const Clock &clock);

    // New (or, with reuseLiveTokens, the live) access token for this authorization. Emits tokenIssued through
    // the store for each new token; a reused live token emits nothing. With RefreshTokens::Never the response
    // never carries a refresh token, not even the one a reused live token was issued with.
    TokenResponse createAccessToken(const Client &client, const Authorization &authorization,
                                    RefreshTokens refreshTokens = RefreshTokens::IfClientAllows);
    // A token for the client itself (client_credentials): no user, never a refresh token, reused while live
    // for the same client and scopes (Spring keys client-only tokens without a user name). Emits tokenIssued
    // through the store when a new token is issued.
    TokenResponse createClientToken(const Client &client, const ScopeSet &scopes, quint64 flowId);
    // A new access token for a refresh token of `client`, optionally narrowed to `scope`.
    // Errors: invalid_grant (unknown, other client), invalid_token 401 (expired), invalid_scope (widening).
    Result<TokenResponse> refreshAccessToken(const Client &client, const QString &refreshValue,
                                             const std::optional<ScopeSet> &scope);

private:
    IssuedToken newAccess(const Client &client, const Authorization &authorization, const QString &refresh);
    IssuedToken newRefresh(const Client &client, const Authorization &authorization);

    const ServerSettings &m_settings;
    TokenStore &m_store;
    TokenGenerator &m_random;
    const Clock &m_clock;
};

} // namespace oauthsim
