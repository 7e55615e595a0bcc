#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"
#include "protocol/Result.h"

#include <QCoreApplication>
#include <QJsonObject>

namespace oauthsim {

class FormParameters;
struct Client;

// GET and POST /connect/logout (OpenID Connect RP-Initiated Logout 1.0 §2): a relying party sends the browser here
// to end its session at the server (cookie JSESSIONID), then, if it asks and the URI is registered for it
// (Client::postLogoutRedirectUris, exact match), back to its post_logout_redirect_uri with its state. The user is
// not asked to confirm (a simulator signs out at once). The client is named by client_id or by the audience of
// id_token_hint, which must carry one of the server's signatures and its issuer.
class EndSessionEndpoint
{
    Q_DECLARE_TR_FUNCTIONS(EndSessionEndpoint)

public:
    explicit EndSessionEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // Parameters from the query (GET) or the form body (POST): id_token_hint, client_id, post_logout_redirect_uri,
    // state. Success ends the browser's session, if any, and answers 302 to post_logout_redirect_uri (with
    // state=… appended when given) or, without one, 200 with the "You have been signed out" page. Any problem
    // (a repeated parameter, an unreadable id_token_hint, an unknown client, client_id not among the hint's
    // audiences, a post_logout_redirect_uri not registered for the client or sent without naming a client) is a
    // 400 HTML error page, never a redirect, and leaves the session alone. Emits nothing.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

private:
    // The client the request names (nullptr: none), or the error that refuses the request.
    Result<const Client *> resolveClient(const FormParameters &params) const;
    // The claims of an id_token_hint signed by one of the server's keys for its issuer (an expired one is fine:
    // logging out is what expired sessions do). invalid_request: "The id_token_hint is not a JWT with a JSON
    // payload", "… was not issued by this server", "… was issued by another issuer".
    Result<QJsonObject> verifiedIdTokenHint(const QString &idToken) const;
    HttpResponse signedOutPage() const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
