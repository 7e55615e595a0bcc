#pragma once

#include "auth/ClientAuthenticator.h"
#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

namespace oauthsim {

struct IssuedToken;

// POST /oauth/introspect (RFC 7662): an authenticated client (typically a resource server) asks whether a token
// is active and what it grants. Any authenticated client may introspect any token, as in Spring Authorization
// Server: resource servers are clients of their own, not the client the token was issued to.
class IntrospectionEndpoint
{
public:
    explicit IntrospectionEndpoint(const EndpointContext &ctx);

    // 200 with Cache-Control: no-store, Pragma: no-cache and, for a live access token, exactly
    // {"active":true,"scope":…,"client_id":…,"username":…,"token_type":"bearer","exp":…,"iat":…,"sub":…} in that
    // order (username and sub only for tokens issued to a user, scope only when not empty, exp only for tokens
    // that expire); a live refresh token the same without token_type; an unknown, expired or revoked token
    // exactly {"active":false}. Errors: the token endpoint's invalid_client answers (ClientAuthenticator), 400
    // invalid_request for a missing or empty `token` or a repeated parameter. Emits nothing.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

    // The JSON above for `token` (nullptr: unknown) at `nowMs`.
    static QByteArray toJson(const IssuedToken *token, qint64 nowMs);

private:
    Result<QByteArray> process(const HttpRequest &request, ExchangeContext &context) const;
    // The token `value` names, searched in the order `hint` suggests (RFC 7662 §2.1: a wrong or unknown hint only

    const EndpointContext &m_ctx;
    ClientAuthenticator m_authenticator;
};

} // namespace oauthsim
