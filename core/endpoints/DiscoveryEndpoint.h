#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

namespace oauthsim {

// GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0 §4) and
// GET /.well-known/oauth-authorization-server (RFC 8414 §3): what this server is and where its endpoints are,
// built on every request from the running profile (paths, PKCE methods), the registered clients' scopes and the
// issuer, so a settings change shows at once.
class DiscoveryEndpoint
{
public:
    enum class Document
    {
        OpenIdConfiguration,         // OIDC Discovery 1.0 §3: the OAuth members plus the OpenID Provider ones
        AuthorizationServerMetadata, // RFC 8414 §2: the OAuth members only
    };

    explicit DiscoveryEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // 200 application/json;charset=UTF-8 with the document; never fails.
    HttpResponse handle(Document document, ExchangeContext &context) const;
    // The document as compact JSON, members in a fixed order: issuer first, then endpoints, then capabilities.
    // An endpoint the profile lacks (empty path) is left out.
    QByteArray toJson(Document document) const;

    // `path` made absolute under `issuer`: the issuer without one trailing '/' followed by the path
    // ("https://idp.test/" + "/oauth/token" = "https://idp.test/oauth/token").
    static QString endpointUrl(const QString &issuer, const QString &path);

private:
    QStringList scopesSupported() const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
