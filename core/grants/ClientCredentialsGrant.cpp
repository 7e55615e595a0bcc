#include "ClientCredentialsGrant.h"

#include "grants/TokenServices.h"
#include "model/Client.h"
#include "trace/FlowTracker.h"

namespace oauthsim {

Result<TokenResponse> ClientCredentialsGrant::handle(const TokenRequest &request, ExchangeContext &context)
{
    const Client &client = *request.client;
    // Each client_credentials request is a flow of its own: the Flow view and the request log show it alone.
    context.flowId = m_flows.startFlow(client.id);
    // An omitted scope means the client's registered scopes (DefaultOAuth2RequestFactory.createTokenRequest).
    const ScopeSet scopes = request.scope && !request.scope->isEmpty() ? *request.scope : client.scopes;
    // RFC 6749 §4.4.3: a refresh token should not be included.
    return m_services.createClientToken(client, scopes, context.flowId);
}

} // namespace oauthsim
