#include "PasswordGrant.h"

#include "ServerEvents.h"
#include "grants/TokenServices.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/UserStore.h"
#include "trace/FlowTracker.h"

namespace oauthsim {

Result<TokenResponse> PasswordGrant::handle(const TokenRequest &request, ExchangeContext &context)
{
    const Client &client = *request.client;
    // The login happens inside this one exchange: it is a flow of its own, so the login events and the token
    // correlate with the exchange in the Flow view and the request log.
    context.flowId = m_flows.startFlow(client.id);
    const QString username = request.params.value(param::Username);
    const QString password = request.params.value(param::Password);
    // Always through authenticate(): the comparison takes the same time whether or not the user exists.
    const User *user = m_users.authenticate(username, password);
    // RFC 6749 §4.3.2: the resource owner's credentials must be valid. A missing password never matches, not
    // even an empty one (DaoAuthenticationProvider rejects null credentials).
    if (!user || password.isNull()) {
        Q_EMIT m_events.loginFailed(username, context.flowId);
        return OAuthError::invalidGrant(QStringLiteral("Bad credentials"))
            .withDebugDetail(username.isNull() || password.isNull()
                                 ? QStringLiteral("password grant without username or password")
                                 : QStringLiteral("bad credentials for user \"%1\"").arg(username));
    }
    context.username = user->username;
    Q_EMIT m_events.loginSucceeded(user->username, context.flowId);
    // An omitted scope means the client's registered scopes (DefaultOAuth2RequestFactory.createTokenRequest).
    const ScopeSet scopes = request.scope && !request.scope->isEmpty() ? *request.scope : client.scopes;
    return m_services.createAccessToken(
        client,
        Authorization{.clientId = client.id, .username = user->username, .scopes = scopes, .flowId = context.flowId});
}

} // namespace oauthsim
