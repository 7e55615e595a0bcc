#pragma once

#include "grants/GrantHandler.h"

namespace oauthsim {

class FlowTracker;
class TokenServices;

// grant_type=client_credentials (RFC 6749 §4.4; legacy ClientCredentialsTokenGranter): a token for the client
// itself, without a user and without a refresh token.
class ClientCredentialsGrant final : public GrantHandler
{
public:
    ClientCredentialsGrant(FlowTracker &flows, TokenServices &services) : m_flows(flows), m_services(services) {}
    GrantType type() const override { return GrantType::ClientCredentials; }
    // The client's token for the requested scope (already checked against the client by the endpoint) or, when
    // none was sent, for all the client's scopes; a live one is reused. Never fails. Starts a flow (flowStarted)
    // and emits tokenIssued through the store when a new token is issued.
    Result<TokenResponse> handle(const TokenRequest &request, ExchangeContext &context) override;

private:
    FlowTracker &m_flows;
    TokenServices &m_services;
};

} // namespace oauthsim
