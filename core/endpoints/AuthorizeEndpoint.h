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

private:
    // client_id and redirect_uri, checked before login (deviation from Spring, RFC 6749 §4.1.2.1).
    Result<AuthorizeRequest> validateClient(const FormParameters &params, const HttpRequest &request) const;
    HttpResponse authorizeForUser(Session &session, const FormParameters &params, AuthorizeRequest request,
                                  ExchangeContext &context) const;
    HttpResponse issueCode(Session &session, const AuthorizeRequest &request, ExchangeContext &context) const;
    HttpResponse approvalPage(const Session &session, const AuthorizeRequest &request) const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
