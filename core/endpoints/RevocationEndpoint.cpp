#include "RevocationEndpoint.h"

#include "http/RequestParameters.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "model/IssuedToken.h"
#include "protocol/OAuthParams.h"
#include "store/TokenStore.h"

namespace oauthsim {

RevocationEndpoint::RevocationEndpoint(const EndpointContext &ctx) : m_ctx(ctx), m_authenticator(ctx.clients) {}

HttpResponse RevocationEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    if (const std::optional<OAuthError> error = process(request, context)) {
        if (!error->debugDetail().isEmpty())
            context.debugDetail = error->debugDetail();
        return m_ctx.writer.apiError(*error);
    }
    // RFC 7009 §2.2: success is 200 with no content; no-store as every answer about tokens.
    HttpResponse response;
    response.status = 200;
    response.addHeader("Cache-Control", "no-store").addHeader("Pragma", "no-cache");
    return response;
}

std::optional<OAuthError> RevocationEndpoint::process(const HttpRequest &request, ExchangeContext &context) const
{
    // RFC 7009 §2.1: the client authenticates as at the token endpoint.
    const auto authenticated = m_authenticator.authenticateRequest(request, m_ctx.profile().tokenParameters, context);
    if (!authenticated)
        return authenticated.error();
    const Client &client = *authenticated->client;
    const FormParameters *params = &authenticated->params;

    const QString value = params->value(param::Token);
    // RFC 7009 §2.1: token is REQUIRED.
    if (value.isEmpty())
        return OAuthError::invalidRequest(QStringLiteral("token parameter not provided"));
    const IssuedToken *token = m_ctx.tokens.findByHint(value, params->value(param::TokenTypeHint));
    if (!token) {
        // RFC 7009 §2.2: an invalid token is no error — the client's goal is reached.
        context.debugDetail = QStringLiteral("unknown token: nothing revoked");
        return std::nullopt;
    }
    // RFC 7009 §2.1: the server verifies the token was issued to the requesting client. Deviation: another
    // client's token is answered 200 like an unknown one (not refused), so a client cannot probe for other
    // clients' tokens; it is left alone.
    if (token->clientId != client.id) {
        context.debugDetail = QStringLiteral("token issued to client \"%1\": not revoked").arg(token->clientId);
        return std::nullopt;
    }
    context.flowId = token->flowId;
    context.username = token->username;
    if (token->kind == IssuedToken::Kind::Refresh) {
        const QString refresh = token->value; // the store removes *token
        m_ctx.tokens.revokeRefresh(refresh);
        context.debugDetail = QStringLiteral("refresh token revoked, with the access token issued with it");
    } else {
        const QString access = token->value;
        m_ctx.tokens.revokeAccess(access);
        context.debugDetail = QStringLiteral("access token revoked");
    }
    return std::nullopt;
}

} // namespace oauthsim
