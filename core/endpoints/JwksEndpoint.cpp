#include "endpoints/JwksEndpoint.h"

#include "http/ResponseWriter.h"
#include "jose/KeyRing.h"

namespace oauthsim {

HttpResponse JwksEndpoint::handle(const HttpRequest &, ExchangeContext &) const
{
    // RFC 7517 §5: {"keys":[JWK, …]}; retired keys stay listed while tokens they signed are still valid.
    return ResponseWriter::json(200, m_ctx.keys.jwks());
}

} // namespace oauthsim
