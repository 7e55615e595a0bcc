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
// id_token_hint, whose payload is read; its signature is not verified yet (verifyIdTokenHint()).
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

    // The payload of a JWS compact serialization (header.payload.signature) as a JSON object, read without any
    // check of the signature; invalid_request when it is not one.
    static Result<QJsonObject> readIdTokenHint(const QString &idToken);

private:
    // The client the request names (nullptr: none), or the error that refuses the request.
    Result<const Client *> resolveClient(const FormParameters &params) const;
    // >>> Where the id_token_hint's verification plugs in: its signature against the server's signing keys and
    // its iss against the issuer. Until the signing keys exist, every hint passes. Returns the refusal, or
    // nullopt to accept.
    std::optional<OAuthError> verifyIdTokenHint(const QString &idToken, const QJsonObject &payload) const;
    HttpResponse signedOutPage() const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
