#pragma once

#include "grants/GrantHandler.h"

namespace oauthsim {

class TokenServices;
class TokenStore;

// grant_type=refresh_token (RFC 6749 §6; legacy RefreshTokenGranter).
class RefreshTokenGrant final : public GrantHandler
{
public:
    RefreshTokenGrant(TokenStore &tokens, TokenServices &services) : m_tokens(tokens), m_services(services) {}
    GrantType type() const override { return GrantType::RefreshToken; }
    Result<TokenResponse> handle(const TokenRequest &request, ExchangeContext &context) override;

private:
    TokenStore &m_tokens;
    TokenServices &m_services;
};

} // namespace oauthsim
