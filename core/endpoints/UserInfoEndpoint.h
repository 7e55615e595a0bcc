#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"
#include "protocol/Result.h"

namespace oauthsim {

class ScopeSet;
struct User;

// GET and POST /userinfo (OpenID Connect Core 1.0 §5.3): the claims about the user an access token was issued
// for, as far as its scopes grant them (§5.4). The token comes as an RFC 6750 bearer token: the Authorization
// header (§2.1) or, for POST, an access_token form parameter (§2.2); a URI query parameter (§2.3) is not read.
class UserInfoEndpoint
{
public:
    explicit UserInfoEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // 200 {"sub":username, claims...} with Cache-Control: no-store, Pragma: no-cache. Errors (RFC 6750 §3.1),
    // each with a Bearer challenge: no token at all 401 with `WWW-Authenticate: Bearer` only and no body; a
    // malformed Authorization header, a repeated access_token or a token sent two ways 400 invalid_request; an
    // unknown, revoked or expired token, or one without a user (client_credentials) 401 invalid_token; a token
    // without the openid scope 403 insufficient_scope (scope="openid"). Emits nothing.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

    // The body for `subject`: "sub" first, then the claims of `user` (nullptr: none) that the scopes among
    // profile, email, address and phone request, in OIDC Core §5.4's order; other configured claims never.
    static QByteArray claimsJson(const QString &subject, const User *user, const ScopeSet &scopes);

private:
    // The bearer token of the request: a null string when none was sent, or invalid_request.
    static Result<QString> bearerToken(const HttpRequest &request);
    // The body for the bearer token `value`, or the error that refuses it.
    Result<QByteArray> process(const QString &value, ExchangeContext &context) const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
