#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

namespace oauthsim {

// GET the JSON Web Key Set (RFC 7517 §5) of the signing keys: what clients verify id_tokens and JWT access tokens
// with. Public: no authentication, and browser apps on other origins may read it (CORS).
class JwksEndpoint
{
public:
    explicit JwksEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // 200 application/json {"keys":[…]}: the active key first, then retired keys still within their time, each
    // {"kty":"RSA","e":…,"use":"sig","kid":…,"alg":"RS256","n":…}. {"keys":[]} while there is no key. Emits nothing.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

private:
    const EndpointContext &m_ctx;
};

} // namespace oauthsim
