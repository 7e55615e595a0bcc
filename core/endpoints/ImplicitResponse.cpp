#include "ImplicitResponse.h"

#include "Clock.h"
#include "auth/Sessions.h"
#include "grants/TokenServices.h"
#include "http/FormParser.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"

namespace oauthsim {

QString ImplicitResponse::appendFragment(const QString &uri, const QList<QPair<QString, QString>> &pairs)
{
    QString out = uri;
    // RFC 6749 §3.1.2 forbids a fragment in a registered redirect URI; Spring appended to one anyway.
    bool hasFragment = uri.contains(QLatin1Char('#'));
    for (const auto &[name, value] : pairs) {
        out += QLatin1Char(hasFragment ? '&' : '#');
        hasFragment = true;
        out += name + QLatin1Char('=') + QString::fromLatin1(FormParser::encodeComponent(value));
    }
    return out;
}

HttpResponse ImplicitResponse::redirectErrorInFragment(const OAuthError &error, const AuthorizeRequest &request,
                                                       int status)
{
    QList<QPair<QString, QString>> pairs{{QStringLiteral("error"), QString::fromLatin1(error.codeName())},
                                         {QStringLiteral("error_description"), error.description()}};
    if (request.state)
        pairs.append({QStringLiteral("state"), *request.state});
    pairs += error.extra();
    return ResponseWriter::redirect(status, appendFragment(request.redirectUri, pairs));
}

bool ImplicitResponse::scopeDiffers(const AuthorizeRequest &request, const ScopeSet &granted)
{
    // The scope parameter as the client sent it: request.scopes has since been resolved and narrowed.
    const qsizetype query = request.originalUrl.indexOf(QLatin1Char('?'));
    const std::optional<FormParameters> params =
        query < 0 ? std::nullopt : FormParser::parse(request.originalUrl.mid(query + 1).toUtf8());
    const QString sent = params ? params->value(param::Scope) : QString();
    return sent.isNull() || ScopeSet::parse(sent) != granted;
}

HttpResponse ImplicitResponse::issue(Session &session, const Client &client, const AuthorizeRequest &request,
                                     ExchangeContext &context) const
{
    session.flowEnded = true;
    // RFC 6749 §4.2.2.1: a client not authorized for this grant gets unauthorized_client, in the fragment.
    if (!client.allows(GrantType::Implicit))
        return redirectErrorInFragment(
            OAuthError(ErrorCode::UnauthorizedClient, QStringLiteral("Unauthorized grant type: implicit")), request);

    TokenServices services(m_ctx.settings, m_ctx.tokens, m_ctx.random, m_ctx.clock, m_ctx.keys, m_ctx.issuer);
    // RFC 6749 §4.2.2: the authorization server must not issue a refresh token.
    const Result<TokenResponse> issued =
        services.createAccessToken(client,
                                   Authorization{.clientId = client.id,
                                                 .username = session.username,
                                                 .scopes = request.scopes,
                                                 .flowId = session.flowId,
                                                 .authTimeMs = session.authenticatedAtMs},
                                   RefreshTokens::Never);
    context.username = session.username;
    if (!issued) {
        context.debugDetail = issued.error().debugDetail();
        return redirectErrorInFragment(issued.error(), request);
    }
    const TokenResponse &token = issued.value();

    // appendAccessToken's order: access_token, token_type, state, expires_in, scope.
    QList<QPair<QString, QString>> pairs{{QStringLiteral("access_token"), token.access.value},
                                         {QStringLiteral("token_type"), m_ctx.profile().tokenType}};
    if (request.state)
        pairs.append({QStringLiteral("state"), *request.state});
    pairs.append({QStringLiteral("expires_in"), QString::number(token.access.expiresInSeconds(m_ctx.clock.nowMs()))});
    if (scopeDiffers(request, token.access.scopes))
        pairs.append({QStringLiteral("scope"), token.access.scopes.joined()});
    return ResponseWriter::redirect(303, appendFragment(request.redirectUri, pairs));
}

} // namespace oauthsim
