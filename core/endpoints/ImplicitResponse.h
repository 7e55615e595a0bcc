#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"
#include "model/AuthorizationCode.h"

#include <QList>
#include <QPair>
#include <QStringView>

namespace oauthsim {

class OAuthError;
struct Client;
struct Session;

// The implicit grant's answer at the authorize endpoint (RFC 6749 §4.2.2; legacy AuthorizationEndpoint's
// getImplicitGrantResponse and appendAccessToken): the access token in the redirect URI's fragment.
class ImplicitResponse
{
public:
    // The response_type value that asks for this answer instead of a code (Spring prefers it when both are sent).
    static constexpr QStringView kResponseType = u"token";

    explicit ImplicitResponse(const EndpointContext &ctx) : m_ctx(ctx) {}

    // Call where AuthorizeEndpoint would issue a code. Preconditions: `request`'s client_id is `client`'s and its
    // redirect_uri is validated; its response types contain kResponseType; its scopes are resolved (the client's
    // when omitted), within the client's, and approved (by `session`'s logged-in user, auto-approval or a
    // remembered approval).
    // Returns 303 to {redirect_uri}#access_token=…&token_type=bearer[&state=…]&expires_in=…[&scope=…], values
    // percent-encoded as in query redirects; scope only when the request had no scope parameter or the token's
    // scope differs from it. A live token of the same user, client and scopes is reused; never a refresh token.
    // Emits tokenIssued through the store for a new token. A client without the implicit grant gets 303 with
    // error=unauthorized_client, error_description and state in the fragment instead, and no token.
    // Either way the session's flow ends (the next authorize starts a new one), as after a code redirect.
    HttpResponse issue(Session &session, const Client &client, const AuthorizeRequest &request,
                       ExchangeContext &context) const;

    // `uri` with name=value pairs appended to its fragment ('#', or '&' after an existing fragment), values
    // encoded by FormParser::encodeComponent.
    static QString appendFragment(const QString &uri, const QList<QPair<QString, QString>> &pairs);

    // Spring's getUnsuccessfulRedirect(…, fragment = true): error, error_description, state, extra fields.
    static HttpResponse redirectErrorInFragment(const OAuthError &error, const AuthorizeRequest &request,
                                                int status = 303);

private:
    // Whether the fragment names the scope: Spring adds it unless the request's scope parameter parses to
    // exactly the token's scope.
    static bool scopeDiffers(const AuthorizeRequest &request, const ScopeSet &granted);

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
