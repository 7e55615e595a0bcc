#include "TokenEndpoint.h"

#include "Clock.h"
#include "http/RequestParameters.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/ClientStore.h"

namespace oauthsim {

TokenEndpoint::TokenEndpoint(const EndpointContext &ctx, const GrantRegistry &grants)
    : m_ctx(ctx), m_grants(grants), m_authenticator(ctx.clients)
{}

HttpResponse TokenEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    const Result<TokenResponse> result = process(request, context);
    if (!result) {
        if (!result.error().debugDetail().isEmpty())
            context.debugDetail = result.error().debugDetail();
        return m_ctx.writer.apiError(result.error());
    }
    const Profile &profile = m_ctx.profile();
    return ResponseWriter::tokenJson(
        result.value().toJson(m_ctx.clock.nowMs(), profile.tokenType, profile.tokenResponseOrder));
}

Result<TokenRequest> TokenEndpoint::parse(const HttpRequest &request) const
{
    // Parameters come from the query string and the urlencoded body alike (the seed's Postman form uses the query).
    Result<FormParameters> params = requestParameters(request, m_ctx.profile().tokenParameters);
    if (!params)
        return params.error();
    TokenRequest parsed;
    parsed.params = params.value();
    parsed.grantType = parsed.params.value(param::GrantType);
    const QString scope = parsed.params.value(param::Scope);
    if (!scope.isNull())
        parsed.scope = ScopeSet::parse(scope);
    return parsed;
}

Result<TokenResponse> TokenEndpoint::process(const HttpRequest &request, ExchangeContext &context) const
{
    Result<TokenRequest> parsed = parse(request);
    if (!parsed)
        return parsed.error();
    TokenRequest &tokenRequest = parsed.value();
    // The claimed id, for the request log even when authentication fails (replaced by the authenticated one).
    context.clientId = tokenRequest.params.value(param::ClientId);

    const auto authenticated = m_authenticator.authenticate(request, tokenRequest.params);
    if (!authenticated)
        return authenticated.error();
    tokenRequest.client = authenticated->client;
    const Client &client = *tokenRequest.client;
    context.clientId = client.id;

    // Spring validates the scope against the client before looking at the grant (TokenEndpoint.postAccessToken).
    const ScopeSet requested =
        tokenRequest.scope && !tokenRequest.scope->isEmpty() ? *tokenRequest.scope : client.scopes;
    const QString outside = requested.firstOutside(client.scopes);
    if (!outside.isNull())
        return OAuthError::invalidScope(QStringLiteral("Invalid scope: %1").arg(outside), client.scopes.joined());
    if (requested.isEmpty())
        return OAuthError::invalidScope(
            QStringLiteral("Empty scope (either the client or the user is not allowed the requested scopes)"),
            client.scopes.joined());

    if (tokenRequest.grantType.isEmpty())
        return OAuthError::invalidRequest(QStringLiteral("Missing grant type"));
    if (tokenRequest.grantType == grantTypeName(GrantType::Implicit) &&
        m_ctx.profile().grantTypes.testFlag(GrantType::Implicit))
        return OAuthError::invalidGrant(QStringLiteral("Implicit grant type not supported from token endpoint"));
    GrantHandler *handler = m_grants.find(tokenRequest.grantType);
    // A grant the imitated server does not have (Spring Authorization Server: no password grant) is unknown to it.
    if (handler && !m_ctx.profile().grantTypes.testFlag(handler->type()))
        handler = nullptr;
    if (!handler)
        return OAuthError::unsupportedGrantType(QStringLiteral("Unsupported grant type"))
            .withDebugDetail(QStringLiteral("grant_type=%1").arg(tokenRequest.grantType));
    if (!client.allows(handler->type()))
        return OAuthError(m_ctx.profile().grantNotAllowed,
                          QStringLiteral("Unauthorized grant type: %1").arg(tokenRequest.grantType));
    return handler->handle(tokenRequest, context);
}

} // namespace oauthsim
