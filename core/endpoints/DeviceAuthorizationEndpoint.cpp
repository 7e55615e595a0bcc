#include "DeviceAuthorizationEndpoint.h"

#include "endpoints/DiscoveryEndpoint.h"

#include "Clock.h"
#include "http/RequestParameters.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "protocol/JsonText.h"
#include "protocol/OAuthParams.h"
#include "store/DeviceCodeStore.h"
#include "trace/FlowTracker.h"

namespace oauthsim {

DeviceAuthorizationEndpoint::DeviceAuthorizationEndpoint(const EndpointContext &ctx)
    : m_ctx(ctx), m_authenticator(ctx.clients)
{}

HttpResponse DeviceAuthorizationEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    const Result<DeviceAuthorization> result = process(request, context);
    if (!result) {
        if (!result.error().debugDetail().isEmpty())
            context.debugDetail = result.error().debugDetail();
        return m_ctx.writer.apiError(result.error());
    }
    // RFC 8628 §3.2: application/json; no-store because the answer carries a credential (the device code).
    return ResponseWriter::tokenJson(toJson(result.value()));
}

Result<DeviceAuthorization> DeviceAuthorizationEndpoint::process(const HttpRequest &request,
                                                                 ExchangeContext &context) const
{
    // RFC 8628 §3.1: parameters as at the token endpoint (none repeated); a confidential client authenticates as
    // there, a public one sends client_id.
    const auto authenticated = m_authenticator.authenticateRequest(request, m_ctx.profile().tokenParameters, context);
    if (!authenticated)
        return authenticated.error();
    const Client &client = *authenticated->client;
    const FormParameters *params = &authenticated->params;

    // RFC 8628 §3.1 / RFC 6749 §5.2: a client not registered for the device grant may not start it.
    if (!client.allows(GrantType::DeviceCode))
        return OAuthError::unauthorizedClient(
            QStringLiteral("Unauthorized grant type: %1").arg(grantTypeName(GrantType::DeviceCode)));
    // RFC 8628 §3.1: scope as in RFC 6749 §3.3; an omitted scope means the client's registered scopes.
    const QString scopeParameter = params->value(param::Scope);
    const ScopeSet requested = scopeParameter.isEmpty() ? client.scopes : ScopeSet::parse(scopeParameter);
    const QString outside = requested.firstOutside(client.scopes);
    if (!outside.isNull())
        return OAuthError::invalidScope(QStringLiteral("Invalid scope: %1").arg(outside), client.scopes.joined());
    if (requested.isEmpty())
        return OAuthError::invalidScope(
            QStringLiteral("Empty scope (either the client or the user is not allowed the requested scopes)"),
            client.scopes.joined());

    DeviceAuthorization authorization;
    // Values are random enough that a collision is unlikely, but a reused one would hand a grant to another device.
    do {
        authorization.deviceCode = m_ctx.profile().newOpaqueToken(m_ctx.random);
    } while (m_ctx.deviceCodes.containsDeviceCode(authorization.deviceCode));
    do {
        authorization.userCode = DeviceCodeStore::newUserCode(m_ctx.random);
    } while (m_ctx.deviceCodes.containsUserCode(authorization.userCode));
    authorization.clientId = client.id;
    authorization.scopes = requested;
    authorization.issuedAtMs = m_ctx.clock.nowMs();
    authorization.expiresAtMs = authorization.issuedAtMs + qint64(kLifetimeSeconds) * 1000;
    authorization.intervalSeconds = kIntervalSeconds;
    // The device flow is a flow of its own: the verification page, the login and the polls join it.
    authorization.flowId = m_ctx.flows.startFlow(client.id);
    context.flowId = authorization.flowId;
    m_ctx.deviceCodes.issue(authorization);
    return authorization;
}

QByteArray DeviceAuthorizationEndpoint::toJson(const DeviceAuthorization &authorization) const
{
    // RFC 8628 §3.2, in the order the RFC lists the members.
    // Absolute under the issuer, as discovery advertises every endpoint.
    const QString uri = DiscoveryEndpoint::endpointUrl(m_ctx.issuer, m_ctx.profile().paths.deviceVerification);
    const QString complete = ResponseWriter::appendQuery(uri, {{param::UserCode.toString(), authorization.userCode}});
    QByteArray out;
    out.reserve(160 + authorization.deviceCode.size());
    out += "{\"device_code\":" + jsonQuote(authorization.deviceCode);
    out += ",\"user_code\":" + jsonQuote(authorization.userCode);
    out += ",\"verification_uri\":" + jsonQuote(uri);
    out += ",\"verification_uri_complete\":" + jsonQuote(complete);
    out += ",\"expires_in\":" + QByteArray::number(kLifetimeSeconds);
    out += ",\"interval\":" + QByteArray::number(authorization.intervalSeconds);
    out += '}';
    return out;
}

} // namespace oauthsim
