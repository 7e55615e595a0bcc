#include "UserInfoEndpoint.h"

#include "Clock.h"
#include "http/FormParser.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "model/IssuedToken.h"
#include "protocol/JsonObjectWriter.h"
#include "protocol/OAuthParams.h"
#include "protocol/StandardClaims.h"
#include "store/TokenStore.h"
#include "store/UserStore.h"

#include <QRegularExpression>

namespace oauthsim {

namespace {

OAuthError invalidBearerRequest(const QString &description)
{
    // RFC 6750 §3: the resource server may send the challenge with any error; it tells the client what failed.
    return OAuthError::invalidRequest(description).withChallenge(AuthChallenge::Bearer);
}
} // namespace

Result<QString> UserInfoEndpoint::bearerToken(const HttpRequest &request)
{
    QString fromHeader;
    const QByteArray authorization = request.header("authorization");
    const qsizetype space = authorization.indexOf(' ');
    // RFC 7235 §2.1: the scheme is case-insensitive. Another scheme (Basic) carries no bearer token.
    if (space > 0 && authorization.left(space).compare("Bearer", Qt::CaseInsensitive) == 0) {
        fromHeader = QString::fromLatin1(authorization.mid(space + 1).trimmed());
        // RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
        static const QRegularExpression b64token(QStringLiteral("^[A-Za-z0-9._~+/-]+=*$"));
        if (!b64token.match(fromHeader).hasMatch())
            return invalidBearerRequest(QStringLiteral("Malformed bearer token in the Authorization header"));
    }

    QString fromBody;
    // RFC 6750 §2.2: a form-encoded body of a request whose method defines body semantics (not GET).
    if (request.method == "POST" &&
        request.header("content-type").toLower().startsWith("application/x-www-form-urlencoded")) {
        QString error;
        const std::optional<FormParameters> body = FormParser::parse(request.body, &error);
        if (!body)
            return invalidBearerRequest(error);
        if (body->count(param::AccessToken) > 1)
            return invalidBearerRequest(QStringLiteral("Parameter access_token must not be provided more than once"));
        fromBody = body->value(param::AccessToken);
    }

    // RFC 6750 §2: clients must not use more than one method to transmit the token in one request.
    if (!fromHeader.isEmpty() && !fromBody.isEmpty())
        return invalidBearerRequest(QStringLiteral("Found multiple bearer tokens in the request"));
    if (!fromHeader.isEmpty())
        return fromHeader;
    return fromBody.isEmpty() ? QString() : fromBody;
}

HttpResponse UserInfoEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    const Result<QString> token = bearerToken(request);
    if (token && token->isNull()) {
        // RFC 6750 §3.1: a request without any token gets the bare challenge, no error code.
        context.debugDetail = QStringLiteral("no bearer token");
        return ResponseWriter::bearerTokenMissing();
    }
    const Result<QByteArray> result = token ? process(token.value(), context) : Result<QByteArray>(token.error());
    if (result)
        return ResponseWriter::tokenJson(result.value()); // OIDC Core §5.3.2: the claims of a credential: no-store
    if (!result.error().debugDetail().isEmpty())
        context.debugDetail = result.error().debugDetail();
    return m_ctx.writer.apiError(result.error());
}

Result<QByteArray> UserInfoEndpoint::process(const QString &value, ExchangeContext &context) const
{
    const IssuedToken *token = m_ctx.tokens.findAccess(value);
    // Revoked tokens are removed from the store: unknown and revoked look the same.
    if (!token)
        return OAuthError::invalidToken(QStringLiteral("Invalid access token"))
            .withDebugDetail(QStringLiteral("unknown or revoked access token"));
    context.clientId = token->clientId;
    context.username = token->username;
    context.flowId = token->flowId;
    if (token->isExpired(m_ctx.clock.nowMs()))
        return OAuthError::invalidToken(QStringLiteral("Access token expired"));
    // OIDC Core §5.3: userinfo describes an end-user; a client_credentials token has none.
    if (token->username.isEmpty())
        return OAuthError::invalidToken(QStringLiteral("The access token was not issued to a user"));
    // OIDC Core §5.3.1: the access token must have been obtained through an OpenID Connect request.
    if (!token->scopes.contains(scope::OpenId))
        return OAuthError(ErrorCode::InsufficientScope, QStringLiteral("The access token lacks the openid scope"))
            .withChallenge(AuthChallenge::Bearer)
            .withExtra(QStringLiteral("scope"), scope::OpenId);
    return claimsJson(token->username, m_ctx.users.find(token->username), token->scopes);
}

QByteArray UserInfoEndpoint::claimsJson(const QString &subject, const User *user, const ScopeSet &scopes)
{
    JsonObjectWriter json;
    // OIDC Core §5.3.2: sub is always returned; it is the same identifier the id_token's sub carries.
    json.add(u"sub", subject);
    if (!user)
        return json.toJson();
    // OIDC Core §5.4: each of profile, email, address and phone requests its fixed set of claims.
    for (const QString &scope : StandardClaims::claimScopes()) {
        if (!scopes.contains(scope))
            continue;
        for (const QString &claim : StandardClaims::forScope(scope)) {
            if (user->claims.contains(claim))
                json.add(claim, user->claims.value(claim));
        }
    }
    return json.toJson();
}

} // namespace oauthsim
