#pragma once

#include "auth/ClientAuthenticator.h"
#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"
#include "model/DeviceAuthorization.h"

namespace oauthsim {

// POST Profile::paths.deviceAuthorization (RFC 8628 §3.1–§3.2): a device without a browser asks for a device code
// and a user code; the user enters the user code on the verification page while the device polls the token
// endpoint with the device code.
class DeviceAuthorizationEndpoint
{
public:
    explicit DeviceAuthorizationEndpoint(const EndpointContext &ctx);

    // 200 with Cache-Control: no-store, Pragma: no-cache and exactly {"device_code":…,"user_code":"XXXX-XXXX",
    // "verification_uri":…,"verification_uri_complete":…,"expires_in":300,"interval":5}. Errors: the token
    // endpoint's invalid_client answers (ClientAuthenticator), invalid_request for a repeated parameter, 400
    // unauthorized_client when the client lacks the device_code grant, 400 invalid_scope for a scope outside the
    // client's. Starts a flow (FlowTracker::flowStarted) and emits DeviceCodeStore::deviceAuthorizationIssued.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

    static constexpr int kLifetimeSeconds = 300; // Spring Authorization Server's device code time-to-live
    static constexpr int kIntervalSeconds = 5;   // RFC 8628 §3.2: the default when none is given

private:
    Result<DeviceAuthorization> process(const HttpRequest &request, ExchangeContext &context) const;
    QByteArray toJson(const DeviceAuthorization &authorization) const;

    const EndpointContext &m_ctx;
    ClientAuthenticator m_authenticator;
};

} // namespace oauthsim
