#pragma once

#include "auth/ClientAuthenticator.h"
#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

#include <optional>

namespace oauthsim {

struct IssuedToken;

// POST /oauth/revoke (RFC 7009): the client, authenticated as at the token endpoint, revokes one of its access or
// refresh tokens. Revoking a refresh token revokes the access token issued with it; revoking an access token
// leaves its refresh token alone (RFC 7009 §2.1 makes that optional).
class RevocationEndpoint
{
public:
    explicit RevocationEndpoint(const EndpointContext &ctx);

    // 200 with an empty body and Cache-Control: no-store, Pragma: no-cache when the request is valid — also for
    // an unknown token (RFC 7009 §2.2) and for a token of another client, which is left alone. Errors: the
    // token endpoint's invalid_client answers (ClientAuthenticator), 400 invalid_request for a missing or empty
    // `token` or a repeated parameter. Emits TokenStore::tokenRevoked for each token removed.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

private:
    // Revokes what the request names; an error when the request itself is invalid.
    std::optional<OAuthError> process(const HttpRequest &request, ExchangeContext &context) const;
    // The token `value` names, searched in the order `hint` suggests (RFC 7009 §2.1: an unknown or wrong hint

    const EndpointContext &m_ctx;
    ClientAuthenticator m_authenticator;
};

} // namespace oauthsim
