#include "ClientAuthenticator.h"

#include "auth/ConstantTime.h"
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

Result<ClientAuthenticator::Authenticated> ClientAuthenticator::authenticate(const HttpRequest &request,
                                                                             const FormParameters &params) const
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.isNull() && authorization.left(6).compare("basic ", Qt::CaseInsensitive) == 0) {
        const auto decoded =
            QByteArray::fromBase64Encoding(authorization.mid(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
        const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
        if (colon < 0)
            return OAuthError::badClientCredentials(AuthChallenge::Basic)
                .withDebugDetail(QStringLiteral("malformed Basic credentials"));
        const QString id = formDecode(decoded.decoded.left(colon));
        const Client *client = check(m_clients, id, formDecode(decoded.decoded.mid(colon + 1)));
        if (!client)
            return OAuthError::badClientCredentials(AuthChallenge::Basic)
                .withDebugDetail(QStringLiteral("Basic authentication failed for client \"%1\"").arg(id));
        const QString paramId = params.value(param::ClientId);
        if (!paramId.isNull() && paramId != client->id)
            // Raised inside Spring's TokenEndpoint, after Basic succeeded: its translator answers with Bearer.
            return OAuthError::invalidClient(QStringLiteral("Given client ID does not match authenticated client"));
        return Authenticated{client, true};
    }

    const QString id = params.value(param::ClientId);
    if (id.isNull())
        return OAuthError::badClientCredentials(AuthChallenge::Basic)
            .withDebugDetail(QStringLiteral("no client authentication"));
    // A missing client_secret counts as empty (Spring's ClientCredentialsTokenEndpointFilter).
    const QString secret = params.value(param::ClientSecret);
    const Client *client = check(m_clients, id, secret.isNull() ? QString() : secret);
    if (!client)
        return OAuthError::badClientCredentials(AuthChallenge::Form)
            .withDebugDetail(QStringLiteral("parameter authentication failed for client \"%1\"").arg(id));
    return Authenticated{client, false};
}

} // namespace oauthsim
