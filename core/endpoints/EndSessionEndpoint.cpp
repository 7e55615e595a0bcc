#include "EndSessionEndpoint.h"

#include "jose/Jwt.h"
#include "jose/KeyRing.h"

#include "auth/Sessions.h"
#include "endpoints/PageRenderer.h"
#include "http/RequestParameters.h"
#include "http/ResponseWriter.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/ClientStore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace oauthsim {

Result<QJsonObject> EndSessionEndpoint::verifiedIdTokenHint(const QString &idToken) const
{
    // RP-Initiated Logout §2: the OP need not accept a hint it did not issue.
    const JwtVerification verified = Jwt::verify(idToken, [this](const QString &kid) { return m_ctx.keys.find(kid); });
    switch (verified.error) {
    case JwtError::None:
        break;
    case JwtError::Malformed:
    case JwtError::BadEncoding:
    case JwtError::NotJson:
        return OAuthError::invalidRequest(QStringLiteral("The id_token_hint is not a JWT with a JSON payload"));
    default:
        return OAuthError::invalidRequest(QStringLiteral("The id_token_hint was not issued by this server"))
            .withDebugDetail(Jwt::errorText(verified.error));
    }
    if (verified.claims.value(QLatin1String("iss")).toString() != m_ctx.issuer)
        return OAuthError::invalidRequest(QStringLiteral("The id_token_hint was issued by another issuer"));
    return verified.claims;
}

Result<const Client *> EndSessionEndpoint::resolveClient(const FormParameters &params) const
{
    QString clientId = params.value(param::ClientId);
    const QString hint = params.value(param::IdTokenHint);
    if (!hint.isEmpty()) {
        const Result<QJsonObject> payload = verifiedIdTokenHint(hint);
        if (!payload)
            return payload.error();
        // OIDC Core §2: aud is one client id or an array of them; azp names the one the token was issued to.
        const QJsonValue aud = payload->value(QLatin1String("aud"));
        QStringList audiences;
        if (aud.isString())
            audiences << aud.toString();
        for (const QJsonValue &item : aud.toArray())
            audiences << item.toString();
        audiences.removeAll(QString());
        if (audiences.isEmpty())
            return OAuthError::invalidRequest(QStringLiteral("The id_token_hint has no audience"));
        if (!clientId.isEmpty()) {
            // RP-Initiated Logout §2: with both, client_id must be the client the ID Token was issued to.
            if (!audiences.contains(clientId))
                return OAuthError::invalidRequest(
                    QStringLiteral("client_id %1 is not an audience of the id_token_hint").arg(clientId));
        } else if (audiences.size() == 1) {
            clientId = audiences.first();
        } else {
            clientId = payload->value(QLatin1String("azp")).toString();
            if (clientId.isEmpty() || !audiences.contains(clientId))
                return OAuthError::invalidRequest(
                    QStringLiteral("The id_token_hint has several audiences and no azp among them: send client_id"));
        }
    }
    if (clientId.isEmpty())
        return static_cast<const Client *>(nullptr);
    const Client *client = m_ctx.clients.find(clientId);
    if (!client)
        return OAuthError::invalidRequest(QStringLiteral("Unknown client: %1").arg(clientId));
    return client;
}

HttpResponse EndSessionEndpoint::handle(const HttpRequest &request, ExchangeContext &context) const
{
    // RP-Initiated Logout §2: GET carries the parameters in the query, POST in a form body.
    const Result<FormParameters> params =
        requestParameters(request, ParameterSource::QueryAndBody); // GET carries them in the query
    if (!params)
        return m_ctx.writer.htmlError(params.error());
    const Result<const Client *> client = resolveClient(params.value());
    if (!client) {
        context.debugDetail =
            client.error().debugDetail().isEmpty() ? client.error().description() : client.error().debugDetail();
        return m_ctx.writer.htmlError(client.error());
    }
    if (client.value())
        context.clientId = client.value()->id;

    const QString redirectUri = params->value(param::PostLogoutRedirectUri);
    if (!redirectUri.isEmpty()) {
        // RP-Initiated Logout §3: the URI must have been registered for the client (exact string match, as
        // redirect_uri); otherwise the OP must not redirect to it.
        if (!client.value()) {
            context.debugDetail = QStringLiteral("post_logout_redirect_uri without client_id or id_token_hint");
            return m_ctx.writer.htmlError(OAuthError::invalidRequest(
                QStringLiteral("A post_logout_redirect_uri needs a client_id or an id_token_hint")));
        }
        if (!client.value()->postLogoutRedirectUris.contains(redirectUri)) {
            const OAuthError mismatch = OAuthError::invalidRequest(
                QStringLiteral("Invalid post_logout_redirect_uri: %1 does not match one of the registered values.")
                    .arg(redirectUri));
            context.debugDetail = mismatch.description();
            return m_ctx.writer.htmlError(mismatch);
        }
    }

    if (Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"))) {
        context.username = session->username;
        context.flowId = session->flowId;
        m_ctx.sessions.remove(session->id);
        context.debugDetail = QStringLiteral("session ended");
    } else {
        context.debugDetail = QStringLiteral("no session to end");
    }

    if (redirectUri.isEmpty())
        return signedOutPage();
    // RP-Initiated Logout §3: state is passed back to the RP as a query parameter.
    const QString state = params->value(param::State);
    QList<QPair<QString, QString>> query;
    if (!state.isNull())
        query.append({QStringLiteral("state"), state});
    return ResponseWriter::redirect(302, ResponseWriter::appendQuery(redirectUri, query));
}

HttpResponse EndSessionEndpoint::signedOutPage() const
{
    return ResponseWriter::html(
        200, m_ctx.writer.pages().render(
                 QStringLiteral("signed-out"),
                 {{QStringLiteral("title"), {tr("Signed out")}},
                  {QStringLiteral("heading"), {tr("You have been signed out")}},
                  {QStringLiteral("message"), {tr("Your session at this authorization server has ended.")}}}));
}

} // namespace oauthsim
