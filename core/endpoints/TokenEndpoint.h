#pragma once

#include "auth/ClientAuthenticator.h"
#include "endpoints/EndpointContext.h"
#include "grants/GrantRegistry.h"
#include "http/HttpExchange.h"

namespace oauthsim {

// POST /oauth/token as a list of named steps: parse, reject repeats, authenticate the client, validate
// scope, check the grant, dispatch (../shared/PROTOCOL.md steps 7–8 and the /oauth/token error table).
class TokenEndpoint
{
public:
    TokenEndpoint(const EndpointContext &ctx, const GrantRegistry &grants);

    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

private:
    Result<TokenRequest> parse(const HttpRequest &request) const;
    Result<TokenResponse> process(const HttpRequest &request, ExchangeContext &context) const;

    const EndpointContext &m_ctx;
    const GrantRegistry &m_grants;
    ClientAuthenticator m_authenticator;
};

} // namespace oauthsim
