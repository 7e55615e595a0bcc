#pragma once

#include "endpoints/EndpointContext.h"
#include "http/FormParser.h"
#include "http/HttpExchange.h"
#include "model/AuthorizationCode.h"
#include "protocol/Result.h"

namespace oauthsim {

struct Client;
struct Session;

// GET and POST /oauth/authorize (../shared/PROTOCOL.md steps 1, 4, 5, 6 and the /oauth/authorize errors).
class AuthorizeEndpoint
{
public:
    explicit AuthorizeEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    HttpResponse handleGet(const HttpRequest &request, ExchangeContext &context) const;
    // The approval form's submission.
    HttpResponse handlePost(const HttpRequest &request, ExchangeContext &context) const;

    // The absolute URL of a request, as Spring's saved request rebuilds it (scheme, Host, path, query).
    static QString absoluteUrl(const HttpRequest &request);
    // The same with another query string (already encoded; empty: none).
    static QString absoluteUrl(const HttpRequest &request, QByteArrayView query);

private:
    // client_id and redirect_uri, checked before login (deviation from Spring, RFC 6749 §4.1.2.1).
    Result<AuthorizeRequest> validateClient(const FormParameters &params, const HttpRequest &request) const;
    HttpResponse authorizeForUser(Session &session, const FormParameters &params, AuthorizeRequest request,
                                  ExchangeContext &context) const;
    HttpResponse issueCode(Session &session, const AuthorizeRequest &request, ExchangeContext &context) const;
    HttpResponse approvalPage(const Session &session, const AuthorizeRequest &request) const;
    // An error for the client, at its redirect URI: in the fragment when the answer would carry a token
    // (RFC 6749 §4.2.2.1) or the client asked for response_mode=fragment, else in the query; the profile's status.
    HttpResponse redirectError(const OAuthError &error, const AuthorizeRequest &request) const;
    // Whether the request asks for the implicit grant's token (and the profile has that grant).
    bool wantsToken(const AuthorizeRequest &request) const;
    // The prompt parameter (OIDC Core §3.1.2.1): nullopt when valid, else invalid_request.
    static std::optional<OAuthError> checkPrompt(const QStringList &prompt);
    // The approved subset of `pending` from the approval form, as the profile's consent form reports it.
    QStringList approvedScopes(const FormParameters &form, const AuthorizeRequest &pending,
                               const QString &username) const;
    // Whether the user's stored consent for the client covers `scopes` (openid aside).
    bool consentCovers(const QString &clientId, const QString &username, const ScopeSet &scopes) const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
