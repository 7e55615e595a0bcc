#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

namespace oauthsim {

class RsaKey;

// GET /oauth/token_key: legacy Spring's TokenKeyEndpoint, which resource servers of the legacy stack call to get
// the key that verifies JWT access tokens. With an RSA key Spring lets anyone read it (permitAll).
class TokenKeyEndpoint
{
public:
    explicit TokenKeyEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // 200 {"alg":"SHA256withRSA","value":"-----BEGIN PUBLIC KEY-----\n<base64 DER, one line>\n-----END PUBLIC
    // KEY-----"} for the active key; 500 server_error when there is none yet. Emits nothing.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

    // The JSON above for `key`, byte for byte as Spring writes it.
    static QByteArray toJson(const RsaKey &key);

private:
    const EndpointContext &m_ctx;
};

} // namespace oauthsim
