#pragma once

#include "grants/GrantHandler.h"

namespace oauthsim {

class FlowTracker;
class ServerEvents;
class TokenServices;
class UserStore;

// grant_type=password (RFC 6749 §4.3; legacy ResourceOwnerPasswordTokenGranter): the client sends the user's
// username and password and gets the user's tokens without a browser.
class PasswordGrant final : public GrantHandler
{
public:
    PasswordGrant(const UserStore &users, ServerEvents &events, FlowTracker &flows, TokenServices &services)
        : m_users(users), m_events(events), m_flows(flows), m_services(services)
    {}
    GrantType type() const override { return GrantType::Password; }
    // The user's tokens for the requested scope (already checked against the client by the endpoint) or, when
    // none was sent, for all the client's scopes; a refresh token when the client has the refresh_token grant;
    // a live token is reused. Starts a flow (flowStarted), then emits ServerEvents::loginSucceeded and tokenIssued
    // through the store, or ServerEvents::loginFailed and returns 400 invalid_grant "Bad credentials" when the
    // username or password is missing or wrong.
    Result<TokenResponse> handle(const TokenRequest &request, ExchangeContext &context) override;

private:
    const UserStore &m_users;
    ServerEvents &m_events;
    FlowTracker &m_flows;
    TokenServices &m_services;
};

} // namespace oauthsim
