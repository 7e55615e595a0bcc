#include "DiscoveryEndpoint.h"

#include "auth/Pkce.h"
#include "http/ResponseWriter.h"
#include "protocol/OAuthParams.h"
#include "protocol/JsonObjectWriter.h"
#include "protocol/StandardClaims.h"
#include "store/ClientStore.h"

#include <QSet>

namespace oauthsim {

namespace {
// RFC 7591 §2 names of the client authentication methods ClientAuthenticator accepts.
const QStringList kClientAuthMethods{QStringLiteral("client_secret_basic"), QStringLiteral("client_secret_post"),
                                     QStringLiteral("none")};
} // namespace

QString DiscoveryEndpoint::endpointUrl(const QString &issuer, const QString &path)
{
    return (issuer.endsWith(QLatin1Char('/')) ? issuer.chopped(1) : issuer) + path;
}

HttpResponse DiscoveryEndpoint::handle(Document document, ExchangeContext &context) const
{
    context.debugDetail = QStringLiteral("issuer %1").arg(m_ctx.issuer);
    return ResponseWriter::json(200, toJson(document));
}

QStringList DiscoveryEndpoint::scopesSupported() const
{
    // OIDC Discovery §3 scopes_supported: the server MUST support openid; the claim scopes (profile, email, address,
    // phone) are those userinfo serves.
    QSet<QString> scopes{scope::OpenId};
    for (const QString &scope : StandardClaims::claimScopes())
        scopes.insert(scope);
    for (const Client &client : m_ctx.clients.all()) {
        for (const QString &scope : client.scopes.names())
            scopes.insert(scope);
    }
    QStringList sorted(scopes.cbegin(), scopes.cend());
    sorted.sort();
    return sorted;
}

QByteArray DiscoveryEndpoint::toJson(Document document) const
{
    const bool openId = document == Document::OpenIdConfiguration;
    const EndpointPaths &paths = m_ctx.profile().paths;
    JsonObjectWriter json;
    const auto endpoint = [&](QStringView name, const QString &path) {
        if (!path.isEmpty())
            json.add(name, endpointUrl(m_ctx.issuer, path));
    };
    // RFC 8414 §3.3 / OIDC Discovery §4.3: issuer is exactly the identifier the client was configured with.
    json.add(u"issuer", m_ctx.issuer);
    endpoint(u"authorization_endpoint", paths.authorize);
    endpoint(u"device_authorization_endpoint", paths.deviceAuthorization); // RFC 8628 §4
    endpoint(u"token_endpoint", paths.token);
    json.add(u"token_endpoint_auth_methods_supported", kClientAuthMethods);
    endpoint(u"jwks_uri", paths.jwks);
    if (openId) {
        endpoint(u"userinfo_endpoint", paths.userinfo);
        endpoint(u"end_session_endpoint", paths.endSession); // OIDC RP-Initiated Logout 1.0 §2.1
    }
    const GrantTypes grants = m_ctx.profile().grantTypes;
    QStringList responseTypes{QStringLiteral("code")};
    if (grants.testFlag(GrantType::Implicit))
        responseTypes << QStringLiteral("token");
    json.add(u"response_types_supported", responseTypes);
    json.add(u"response_modes_supported", QStringList{QStringLiteral("query"), QStringLiteral("fragment")});
    // The profile's grants (Spring Authorization Server: no implicit, no password).
    json.add(u"grant_types_supported", grantTypeNames(grants));
    endpoint(u"revocation_endpoint", paths.revoke);
    if (!paths.revoke.isEmpty())
        json.add(u"revocation_endpoint_auth_methods_supported", kClientAuthMethods);
    endpoint(u"introspection_endpoint", paths.introspect);
    if (!paths.introspect.isEmpty())
        json.add(u"introspection_endpoint_auth_methods_supported", kClientAuthMethods);
    QStringList methods;
    for (CodeChallengeMethod method : m_ctx.profile().pkceMethods)
        methods << Pkce::methodName(method);
    json.add(u"code_challenge_methods_supported", methods); // RFC 8414 §2 (RFC 7636)
    if (openId) {
        json.add(u"subject_types_supported", QStringList{QStringLiteral("public")});
        json.add(u"id_token_signing_alg_values_supported", QStringList{QStringLiteral("RS256")});
    }
    json.add(u"scopes_supported", scopesSupported());
    if (openId)
        json.add(u"claims_supported", StandardClaims::all());
    return json.toJson();
}

} // namespace oauthsim
