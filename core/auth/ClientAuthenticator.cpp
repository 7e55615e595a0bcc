#include "ClientAuthenticator.h"

#include "auth/ConstantTime.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/ClientStore.h"

namespace oauthsim {

namespace {
const Client *check(const ClientStore &clients, const QString &id, const QString &secret)
{
    const Client *client = clients.find(id);
    static const QString kDummy = QStringLiteral("oauthsim-no-such-client");
    const bool match = constantTimeEquals(client ? client->secret : kDummy, secret);
    return client && match ? client : nullptr;
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before base64. Deviation from Spring, which did not
// decode them (PROTOCOL.md); credentials without '%' or '+' are unchanged.
QString formDecode(QByteArray raw)
{
    if (!raw.contains('%') && !raw.contains('+'))
        return QString::fromUtf8(raw);
    raw.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}
} // namespace

Result<ClientAuthenticator::AuthenticatedRequest>
ClientAuthenticator::authenticateRequest(const HttpRequest &request, ParameterSource source,
                                         ExchangeContext &context) const
{
    Result<FormParameters> params = requestParameters(request, source);
    if (!params)
        return params.error();
    context.clientId = params->value(param::ClientId);
    const Result<Authenticated> authenticated = authenticate(request, params.value());
    if (!authenticated)
        return authenticated.error();
    context.clientId = authenticated->client->id;
    return AuthenticatedRequest{std::move(params.value()), authenticated->client};
}

Result<ClientAuthenticator::Authenticated> ClientAuthenticator::authenticate(const HttpRequest &request,
                                                                             const FormParameters &params) const
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.isNull() && authorization.left(6).compare("basic ", Qt::CaseInsensitive) == 0)
        return authenticateBasic(authorization.mid(6).trimmed(), params);
    return authenticateParameters(params);
}

Result<ClientAuthenticator::Authenticated> ClientAuthenticator::authenticateBasic(const QByteArray &credentials,
                                                                                  const FormParameters &params) const
{
    const auto decoded = QByteArray::fromBase64Encoding(credentials, QByteArray::AbortOnBase64DecodingErrors);
    const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
    if (colon < 0)
        return OAuthError::badClientCredentials(AuthChallenge::Basic)
            .withDebugDetail(QStringLiteral("malformed Basic credentials"));
    const QString id = formDecode(decoded.decoded.left(colon));
    const Client *client = check(m_clients, id, formDecode(decoded.decoded.mid(colon + 1)));
    const Client *registered = client ? client : m_clients.find(id);
    // RFC 7591 §2: a client registered for another method (client_secret_post, or none for a public client, which
    // has no secret to send) may not use HTTP Basic.
    if (registered && registered->authMethod != ClientAuthMethod::Any &&
        registered->authMethod != ClientAuthMethod::Basic)
        return OAuthError::badClientCredentials(AuthChallenge::Basic)
            .withDebugDetail(QStringLiteral("client \"%1\" is registered for token_endpoint_auth_method %2, not "
                                            "HTTP Basic")
                                 .arg(id, clientAuthMethodName(registered->authMethod)));
    if (!client)
        return OAuthError::badClientCredentials(AuthChallenge::Basic)
            .withDebugDetail(QStringLiteral("Basic authentication failed for client \"%1\"").arg(id));
    const QString paramId = params.value(param::ClientId);
    if (!paramId.isNull() && paramId != client->id)
        // Raised inside Spring's TokenEndpoint, after Basic succeeded: its translator answers with Bearer.
        return OAuthError::invalidClient(QStringLiteral("Given client ID does not match authenticated client"));
    return Authenticated{client, true};
}

Result<ClientAuthenticator::Authenticated>
ClientAuthenticator::authenticateParameters(const FormParameters &params) const
{
    const QString id = params.value(param::ClientId);
    if (id.isNull())
        return OAuthError::badClientCredentials(AuthChallenge::Basic)
            .withDebugDetail(QStringLiteral("no client authentication"));
    // A missing client_secret counts as empty (Spring's ClientCredentialsTokenEndpointFilter).
    const QString secret = params.value(param::ClientSecret);
    if (const Client *registered = m_clients.find(id)) {
        // RFC 6749 §2.1 / RFC 7591 §2 "none": a public client is identified by client_id alone. It has no secret,
        // so one that sends a non-empty client_secret is confused or not who it claims to be.
        if (registered->isPublic()) {
            if (!secret.isEmpty())
                return OAuthError::badClientCredentials(AuthChallenge::Form)
                    .withDebugDetail(
                        QStringLiteral("public client \"%1\" (token_endpoint_auth_method none) sent a client_secret")
                            .arg(id));
            return Authenticated{registered, false};
        }
        // RFC 7591 §2 client_secret_basic: the secret may not travel in the parameters.
        if (registered->authMethod == ClientAuthMethod::Basic)
            return OAuthError::badClientCredentials(AuthChallenge::Form)
                .withDebugDetail(QStringLiteral("client \"%1\" is registered for token_endpoint_auth_method "
                                                "client_secret_basic, not parameters")
                                     .arg(id));
    }
    const Client *client = check(m_clients, id, secret.isNull() ? QString() : secret);
    if (!client)
        return OAuthError::badClientCredentials(AuthChallenge::Form)
            .withDebugDetail(QStringLiteral("parameter authentication failed for client \"%1\"").arg(id));
    return Authenticated{client, false};
}

} // namespace oauthsim
