#pragma once

#include "grants/GrantHandler.h"

namespace oauthsim {

class Clock;
class DeviceCodeStore;
class TokenServices;

// grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4–§3.5): the device polls with its device
// code until the user has approved or denied the request on the verification page, or the code expired.
class DeviceCodeGrant final : public GrantHandler
{
public:
    DeviceCodeGrant(DeviceCodeStore &deviceCodes, const Clock &clock, TokenServices &services)
        : m_deviceCodes(deviceCodes), m_clock(clock), m_services(services)
    {}
    GrantType type() const override { return GrantType::DeviceCode; }
    // The user's tokens for the scopes the device asked for once approved (a refresh token per
    // Client::mayReceiveRefreshToken), emitting DeviceCodeStore::deviceAuthorizationRedeemed and tokenIssued through
    // the stores. Errors, all 400 (RFC 8628 §3.5): invalid_request without device_code; invalid_grant for an
    // unknown device code, another client's, or one already redeemed; expired_token once expired; access_denied
    // when the user denied; slow_down when polled sooner than the interval after the previous poll (the interval
    // then grows by 5 s); authorization_pending while the user has not decided.
    Result<TokenResponse> handle(const TokenRequest &request, ExchangeContext &context) override;

private:
    DeviceCodeStore &m_deviceCodes;
    const Clock &m_clock;
    TokenServices &m_services;
};

} // namespace oauthsim
