#pragma once

#include "http/FormParser.h"
#include "http/HttpExchange.h"
#include "http/RequestParameters.h"
#include "protocol/Result.h"

namespace oauthsim {

class ClientStore;
struct Client;

// Authenticates the client at the token endpoint, once per request: HTTP Basic or client_id/client_secret
// parameters (../shared/PROTOCOL.md "Client authentication"), restricted to one of them when the client's
// token_endpoint_auth_method says so; a public client ("none") by its client_id parameter alone. Secrets are
// compared in constant time.
class ClientAuthenticator
{
public:
    explicit ClientAuthenticator(const ClientStore &clients) : m_clients(clients) {}

    struct Authenticated
    {
        const Client *client = nullptr;
        bool viaBasic = false;
    };
    // A client-authenticated request's parameters (from where `source` says; none repeated) and its client.
    struct AuthenticatedRequest
    {
        FormParameters params;
        const Client *client = nullptr;
    };
    // The prologue of the token-family endpoints (revocation RFC 7009 §2.1, introspection RFC 7662 §2.1, device
    // authorization RFC 8628 §3.1): parse, then authenticate() as below. context.clientId names the claimed client
    // for the request log even when authentication fails, and the authenticated one after. Errors as
    // requestParameters() and authenticate().
    Result<AuthenticatedRequest> authenticateRequest(const HttpRequest &request, ParameterSource source,
                                                     ExchangeContext &context) const;

    // The authenticated client, or invalid_client (401) "Bad client credentials" with the challenge PROTOCOL.md
    // gives (Basic for a failed Authorization header, Form for failed parameters), also when the client used a
    // method its token_endpoint_auth_method excludes or a public client sent a non-empty client_secret.
    Result<Authenticated> authenticate(const HttpRequest &request, const FormParameters &params) const;

private:
    // `credentials` is what follows "Basic " in the Authorization header.
    Result<Authenticated> authenticateBasic(const QByteArray &credentials, const FormParameters &params) const;
    Result<Authenticated> authenticateParameters(const FormParameters &params) const;

    const ClientStore &m_clients;
};

} // namespace oauthsim
