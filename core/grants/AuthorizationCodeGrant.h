#pragma once

#include "grants/GrantHandler.h"

namespace oauthsim {

class CodeStore;
class TokenServices;
class TokenStore;

// grant_type=authorization_code (RFC 6749 §4.1.3; legacy AuthorizationCodeTokenGranter).
class AuthorizationCodeGrant final : public GrantHandler
{
public:
    AuthorizationCodeGrant(CodeStore &codes, TokenStore &tokens, TokenServices &services)
        : m_codes(codes), m_tokens(tokens), m_services(services)
    {}
    GrantType type() const override { return GrantType::AuthorizationCode; }
    Result<TokenResponse> handle(const TokenRequest &request, ExchangeContext &context) override;

private:
    CodeStore &m_codes;
    TokenStore &m_tokens;
    TokenServices &m_services;
};

} // namespace oauthsim
