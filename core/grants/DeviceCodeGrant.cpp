#include "DeviceCodeGrant.h"

#include "Clock.h"
#include "grants/TokenServices.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/DeviceCodeStore.h"

namespace oauthsim {

Result<TokenResponse> DeviceCodeGrant::handle(const TokenRequest &request, ExchangeContext &context)
{
    const QString deviceCode = request.params.value(param::DeviceCode);
    // RFC 8628 §3.4: device_code is REQUIRED.
    if (deviceCode.isEmpty())
        return OAuthError::invalidRequest(QStringLiteral("A device code must be supplied."));
    const QString invalid = QStringLiteral("Invalid device code");
    const DeviceAuthorization *found = m_deviceCodes.findByDeviceCode(deviceCode);
    if (!found)
        return OAuthError::invalidGrant(invalid).withDebugDetail(QStringLiteral("unknown device code"));
    // RFC 6749 §5.2 invalid_grant: the device code was issued to another client. Checked first, so another client
    // learns nothing about the code's state and leaves its polling record alone.
    if (found->clientId != request.client->id)
        return OAuthError::invalidGrant(invalid).withDebugDetail(
            QStringLiteral("device code issued to client \"%1\"").arg(found->clientId));
    const DeviceAuthorization authorization = *found;
    context.flowId = authorization.flowId;
    context.username = authorization.username;

    // RFC 8628 §3.5: tokens are issued once; a used device code is no longer valid.
    if (authorization.status == DeviceAuthorization::Status::Redeemed)
        return OAuthError::invalidGrant(invalid).withDebugDetail(QStringLiteral("device code already redeemed"));
    // RFC 8628 §3.5 expired_token: the device code expired; the device may start a new device authorization.
    if (authorization.isExpired(m_clock.nowMs()))
        return OAuthError::expiredToken(QStringLiteral("The device code has expired"));
    switch (authorization.status) {
    case DeviceAuthorization::Status::Denied:
        // RFC 8628 §3.5 access_denied: the user denied the request (a token endpoint error: 400, not 403).
        return OAuthError::accessDenied(QStringLiteral("The user denied the authorization request")).withStatus(400);
    case DeviceAuthorization::Status::Pending:
        // RFC 8628 §3.5 slow_down: polled sooner than the interval; the interval grows by 5 s.
        if (m_deviceCodes.recordPoll(deviceCode) == DeviceCodeStore::Pace::TooFast)
            return OAuthError::slowDown(QStringLiteral("Polling too fast: the interval is now %1 seconds")
                                            .arg(m_deviceCodes.findByDeviceCode(deviceCode)->intervalSeconds));
        // RFC 8628 §3.5 authorization_pending: the user has not decided yet.
        return OAuthError::authorizationPending(QStringLiteral("The authorization request is still pending"));
    case DeviceAuthorization::Status::Approved:
    case DeviceAuthorization::Status::Redeemed:
        break;
    }

    // A public client may hold the refresh_token grant yet get no refresh token unless it opted in (as for the code
    // flow): TokenServices sees a copy without the grant, for this call only.
    Client issuedTo = *request.client;
    issuedTo.grantTypes.setFlag(GrantType::RefreshToken, request.client->mayReceiveRefreshToken());
    // Any scope parameter is ignored: the scope is what the device asked for and the user approved.
    Result<TokenResponse> tokens = m_services.createAccessToken(issuedTo, {.clientId = authorization.clientId,
                                                                           .username = authorization.username,
                                                                           .scopes = authorization.scopes,
                                                                           .flowId = authorization.flowId});
    // Redeemed once the tokens exist: a server_error (no signing key) leaves the device code for the next poll.
    if (tokens)
        m_deviceCodes.redeem(deviceCode);
    return tokens;
}

} // namespace oauthsim
