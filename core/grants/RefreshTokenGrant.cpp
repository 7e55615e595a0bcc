#include "RefreshTokenGrant.h"

#include "grants/TokenServices.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/TokenStore.h"

namespace oauthsim {

Result<TokenResponse> RefreshTokenGrant::handle(const TokenRequest &request, ExchangeContext &context)
{
    context.steps = {SeedStep::Refresh};
    const QString value = request.params.value(param::RefreshToken);
    if (value.isEmpty())
        return OAuthError::invalidRequest(QStringLiteral("refresh_token parameter not provided"));
    if (const IssuedToken *refresh = m_tokens.findRefresh(value)) {
        context.flowId = refresh->flowId;
        context.username = refresh->username;
    }
    return m_services.refreshAccessToken(*request.client, value, request.scope);
}

} // namespace oauthsim
