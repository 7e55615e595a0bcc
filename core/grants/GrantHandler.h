#pragma once

#include "http/HttpExchange.h"
#include "protocol/GrantType.h"
#include "protocol/Result.h"
#include "protocol/TokenRequest.h"
#include "protocol/TokenResponse.h"

namespace oauthsim {

// One grant type at the token endpoint. The endpoint has already parsed the request, authenticated the
// client, checked the scope against the client and that the client may use this grant.
class GrantHandler
{
public:
    virtual ~GrantHandler() = default;
    virtual GrantType type() const = 0;
    // Tokens, or the error to render; fills context (flow id, user, seed step).
    virtual Result<TokenResponse> handle(const TokenRequest &request, ExchangeContext &context) = 0;
};

} // namespace oauthsim
