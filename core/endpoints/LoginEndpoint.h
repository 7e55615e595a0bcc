#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

namespace oauthsim {

// GET /login (the form), POST /login (the credentials) and POST /logout, as Spring Security's form login
// (../shared/PROTOCOL.md steps 2–3).
class LoginEndpoint
{
public:
    explicit LoginEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    HttpResponse handleGet(const HttpRequest &request, ExchangeContext &context) const;
    HttpResponse handlePost(const HttpRequest &request, ExchangeContext &context) const;
    HttpResponse handleLogout(const HttpRequest &request, ExchangeContext &context) const;

private:
    const EndpointContext &m_ctx;
};

} // namespace oauthsim
