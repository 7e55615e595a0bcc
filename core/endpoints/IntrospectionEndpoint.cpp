#include "IntrospectionEndpoint.h"

#include "Clock.h"
#include "http/RequestParameters.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "model/IssuedToken.h"
#include "protocol/JsonText.h"
#include "protocol/OAuthParams.h"
#include "store/TokenStore.h"

namespace oauthsim {

IntrospectionEndpoint::IntrospectionEndpoint(const EndpointContext &ctx) : m_ctx(ctx), m_authenticator(ctx.clients) {}

HttpResponse IntrospectionEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    const Result<QByteArray> result = process(request, context);
    if (!result) {
        if (!result.error().debugDetail().isEmpty())
            context.debugDetail = result.error().debugDetail();
        return m_ctx.writer.apiError(result.error());
    }
    // RFC 7662 §2.2: application/json; no-store because the answer describes a credential.
    return ResponseWriter::tokenJson(result.value());
}

Result<QByteArray> IntrospectionEndpoint::process(const HttpRequest &request, ExchangeContext &context) const
{
    // RFC 7662 §2.1: the endpoint requires authorization; here the token endpoint's client authentication.
    const auto authenticated = m_authenticator.authenticateRequest(request, m_ctx.profile().tokenParameters, context);
    if (!authenticated)
        return authenticated.error();
    const FormParameters *params = &authenticated->params;

    const QString value = params->value(param::Token);
    // RFC 7662 §2.1: token is REQUIRED.
    if (value.isEmpty())
        return OAuthError::invalidRequest(QStringLiteral("token parameter not provided"));
    const IssuedToken *token = m_ctx.tokens.findByHint(value, params->value(param::TokenTypeHint));
    if (token) {
        context.flowId = token->flowId;
        context.username = token->username;
    } else {
        context.debugDetail = QStringLiteral("unknown token");
    }
    return toJson(token, m_ctx.clock.nowMs());
}

QByteArray IntrospectionEndpoint::toJson(const IssuedToken *token, qint64 nowMs)
{
    // RFC 7662 §2.2: an expired or revoked (removed) token is inactive, and nothing more is said about it.
    if (!token || token->isExpired(nowMs))
        return QByteArrayLiteral("{\"active\":false}");
    QByteArray out;
    out.reserve(200);
    out += "{\"active\":true";
    if (!token->scopes.isEmpty())
        out += ",\"scope\":" + jsonQuote(token->scopes.joined());
    out += ",\"client_id\":" + jsonQuote(token->clientId);
    if (!token->username.isEmpty())
        out += ",\"username\":" + jsonQuote(token->username);
    // RFC 7662 §2.2: token_type is an access token type (RFC 6749 §7.1); a refresh token has none, so none is
    // claimed (Spring Authorization Server does the same).
    if (token->kind == IssuedToken::Kind::Access)
        out += ",\"token_type\":\"bearer\"";
    if (token->expiresAtMs != 0)
        out += ",\"exp\":" + QByteArray::number(token->expiresAtMs / 1000);
    out += ",\"iat\":" + QByteArray::number(token->issuedAtMs / 1000);
    if (!token->username.isEmpty())
        out += ",\"sub\":" + jsonQuote(token->username);
    out += '}';
    return out;
}

} // namespace oauthsim
