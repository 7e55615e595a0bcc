#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"
#include "protocol/Result.h"

#include <QStringList>

namespace oauthsim {

struct IssuedToken;

// Legacy POST /oauth/check_token (PROTOCOL.md "Other legacy endpoints"; Spring's CheckTokenEndpoint): what a
// resource server of the legacy stack asks about an access token. Deviation: no client authentication is asked
// for (Spring denied the endpoint to everyone until configured, typically with "isAuthenticated()" or
// "permitAll()"); credentials sent anyway are ignored.
class CheckTokenEndpoint
{
public:
    explicit CheckTokenEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // 200 {"aud":[],"user_name":…,"scope":[…],"active":true,"exp":…,"authorities":[…],"client_id":…} (Spring's
    // key order; user_name and authorities only for a token issued to a user with authorities, exp only for a
    // token that expires). Errors: 400 invalid_token "Token was not recognised" (unknown, revoked, or a refresh
    // token) or "Token has expired", without WWW-Authenticate; 400 invalid_request for a missing `token` or a
    // repeated parameter. Emits nothing.
    HttpResponse handle(const HttpRequest &request, ExchangeContext &context) const;

    // Java's HashSet iteration order of `values` added in sorted order: how Spring's Jackson writes a user's
    // authorities (AuthorityUtils.authorityListToSet). Duplicates are dropped.
    static QStringList javaHashSetOrder(QStringList values);

private:
    Result<QByteArray> process(const HttpRequest &request, ExchangeContext &context) const;
    QByteArray toJson(const IssuedToken &token) const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
