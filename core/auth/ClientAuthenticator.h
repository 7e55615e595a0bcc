#pragma once

#include "http/FormParser.h"
#include "http/HttpExchange.h"
#include "protocol/Result.h"

namespace oauthsim {

class ClientStore;
struct Client;

// Authenticates the client at the token endpoint, once per request: HTTP Basic or client_id/client_secret
// parameters (../shared/PROTOCOL.md "Client authentication"). Secrets are compared in constant time.
class ClientAuthenticator
{
public:
    explicit ClientAuthenticator(const ClientStore &clients) : m_clients(clients) {}

    struct Authenticated
    {
        const Client *client = nullptr;
        bool viaBasic = false;
    };
    // The authenticated client, or invalid_client (401) with the challenge PROTOCOL.md gives.
    Result<Authenticated> authenticate(const HttpRequest &request, const FormParameters &params) const;

private:
    const ClientStore &m_clients;
};

} // namespace oauthsim
