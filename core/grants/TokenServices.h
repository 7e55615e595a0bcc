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

// Issues and refreshes tokens as legacy DefaultTokenServices does: live-token reuse, refresh tokens only for
// clients with the refresh_token grant, reuse of the refresh token on refresh, the old access token revoked.
class TokenServices
{
public:
    TokenServices(const ServerSettings &settings, TokenStore &store, TokenGenerator &random, const Clock &clock);

    // New (or, with reuseLiveTokens, the live) access token for this authorization. Emits through the store.
    TokenResponse createAccessToken(const Client &client, const Authorization &authorization);
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
