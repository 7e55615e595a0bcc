#include "AuthorizeEndpoint.h"

#include "Clock.h"
#include "ServerEvents.h"
#include "ServerSettings.h"
#include "auth/ConstantTime.h"
#include "auth/Pkce.h"
#include "endpoints/ImplicitResponse.h"
#include "auth/Sessions.h"
#include "endpoints/PageRenderer.h"
#include "http/ResponseWriter.h"
#include "protocol/OAuthParams.h"
#include "store/ApprovalStore.h"
#include "store/ClientStore.h"
#include "store/CodeStore.h"
#include "store/TokenStore.h"
#include "tokens/TokenGenerator.h"
#include "trace/FlowTracker.h"

namespace oauthsim {

namespace {
const QString kCodeType = QStringLiteral("code");
}

QString AuthorizeEndpoint::absoluteUrl(const HttpRequest &request)
{
    QString url = QStringLiteral("http://") + QString::fromLatin1(request.header("host")) + request.path;
    if (!request.rawQuery.isEmpty())
        url += QLatin1Char('?') + QString::fromLatin1(request.rawQuery);
    return url;
}

Result<AuthorizeRequest> AuthorizeEndpoint::validateClient(const FormParameters &params,
                                                           const HttpRequest &request) const
{
    const QString repeated = params.firstRepeated();
    if (!repeated.isNull())
        return OAuthError::invalidRequest(
            QStringLiteral("Parameter %1 must not be provided more than once").arg(repeated));
    const Client *client = m_ctx.clients.find(params.value(param::ClientId));
    if (!client)
        return OAuthError::badClientCredentials(AuthChallenge::None)
            .withDebugDetail(QStringLiteral("unknown client_id \"%1\"").arg(params.value(param::ClientId)));
    // Legacy DefaultRedirectResolver, in its order.
    if (!client->allows(GrantType::AuthorizationCode) && !client->allows(GrantType::Implicit))
        return OAuthError::invalidGrant(
            QStringLiteral("A redirect_uri can only be used by implicit or authorization_code grant types."));
    if (client->redirectUris.isEmpty())
        return OAuthError::invalidRequest(
            QStringLiteral("At least one redirect_uri must be registered with the client."));

    AuthorizeRequest ar;
    ar.clientId = client->id;
    const QString requested = params.value(param::RedirectUri);
    if (requested.isNull()) {
        if (client->redirectUris.size() != 1)
            return OAuthError::invalidRequest(
                QStringLiteral("A redirect_uri must be supplied: the client has several registered."));
        ar.redirectUri = client->redirectUris.first();
    } else {
        // RFC 6749 §3.1.2.3 / RFC 9700: exact string match ("http://localhost/" is not "http://localhost").
        if (!client->redirectUris.contains(requested))
            return OAuthError::invalidGrant(
                QStringLiteral("Invalid redirect: %1 does not match one of the registered values.").arg(requested));
        ar.redirectUri = requested;
        ar.redirectUriSent = true;
    }
    ar.responseTypes = params.value(param::ResponseType).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    ar.scopes = ScopeSet::parse(params.value(param::Scope));
    const QString state = params.value(param::State);
    if (!state.isNull())
        ar.state = state;
    // OpenID Connect Core §3.1.2.1: the nonce goes unmodified into the id_token.
    const QString nonce = params.value(param::Nonce);
    if (!nonce.isNull())
        ar.nonce = nonce;
    ar.originalUrl = absoluteUrl(request);
    return ar;
}

HttpResponse AuthorizeEndpoint::handleGet(const HttpRequest &request, ExchangeContext &context) const
{
    QString parseError;
    const std::optional<FormParameters> params = FormParser::parse(request.rawQuery, &parseError);
    if (!params)
        return m_ctx.writer.htmlError(OAuthError::invalidRequest(parseError));
    Result<AuthorizeRequest> validated = validateClient(*params, request);
    if (!validated) {
        context.debugDetail = validated.error().debugDetail();
        return m_ctx.writer.htmlError(validated.error());
    }
    context.clientId = validated->clientId;

    Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"));
    const bool newSession = session == nullptr;
    if (!session)
        session = &m_ctx.sessions.create();
    // A flow starts at the first authorize of a session, and again after the previous one was answered.
    if (session->flowId == 0 || !session->isAuthenticated() || session->flowEnded) {
        session->flowId = m_ctx.flows.startFlow(validated->clientId);
        session->flowEnded = false;
    }
    context.flowId = session->flowId;

    if (!session->isAuthenticated()) {
        // Step 1 → 2: remember the request, send the browser to the login form.
        context.steps = {SeedStep::Authorize};
        session->savedRequestUrl = validated->originalUrl;
        HttpResponse r = ResponseWriter::redirect(302, QStringLiteral("/login"));
        if (newSession)
            r.addHeader("Set-Cookie", Sessions::cookieHeader(*session));
        return r;
    }
    context.steps = {SeedStep::AuthorizeAgain};
    context.username = session->username;
    return authorizeForUser(*session, *params, validated.value(), context);
}

HttpResponse AuthorizeEndpoint::authorizeForUser(Session &session, const FormParameters &params,
                                                 AuthorizeRequest request, ExchangeContext &context) const
{
    const Client &client = *m_ctx.clients.find(request.clientId);
    request.authTimeMs = session.authenticatedAtMs;
    if (!request.responseTypes.contains(kCodeType) &&
        !request.responseTypes.contains(ImplicitResponse::kResponseType)) {
        QStringList sorted = request.responseTypes;
        sorted.sort();
        return ResponseWriter::redirectError(
            OAuthError::unsupportedResponseType(
                QStringLiteral("Unsupported response types: [%1]").arg(sorted.join(QLatin1String(", ")))),
            request.redirectUri, request.state);
    }
    // An omitted scope means the client's registered scopes (DefaultOAuth2RequestFactory).
    if (request.scopes.isEmpty())
        request.scopes = client.scopes;
    const QString outside = request.scopes.firstOutside(client.scopes);
    if (!outside.isNull())
        return ResponseWriter::redirectError(
            OAuthError::invalidScope(QStringLiteral("Invalid scope: %1").arg(outside), client.scopes.joined()),
            request.redirectUri, request.state);
    if (request.scopes.isEmpty())
        return ResponseWriter::redirectError(
            OAuthError::invalidScope(
                QStringLiteral("Empty scope (either the client or the user is not allowed the requested scopes)"),
                client.scopes.joined()),
            request.redirectUri, request.state);
    // RFC 7636 §4.4.1: PKCE errors are redirected, so they are checked here, once client and redirect are valid.
    // PKCE protects codes: an implicit (response_type=token) request has none to protect.
    if (!request.responseTypes.contains(ImplicitResponse::kResponseType)) {
        const Result<std::optional<CodeChallenge>> challenge =
            Pkce::readChallenge(params.value(param::CodeChallenge), params.value(param::CodeChallengeMethod),
                                client.requiresPkce() ? Pkce::Requirement::Required : Pkce::Requirement::Optional);
        if (!challenge) {
            context.debugDetail = challenge.error().debugDetail();
            return ResponseWriter::redirectError(challenge.error(), request.redirectUri, request.state);
        }
        request.codeChallenge = challenge.value();
    }

    if (client.autoApprove.covers(request.scopes)) {
        Q_EMIT m_ctx.events.approvalGranted(client.id, session.username, request.scopes, ApprovalKind::AutoApproved,
                                            session.flowId);
        return issueCode(session, request, context);
    }
    // Remembered approval: a live access token for the same client, user and scopes (TokenApprovalStore).
    if (m_ctx.settings.rememberApprovals) {
        const IssuedToken *live =
            m_ctx.tokens.accessFor(TokenStore::authorizationKey(client.id, session.username, request.scopes));
        if (live && !live->isExpired(m_ctx.clock.nowMs()) && m_ctx.approvals.remembers(*live)) {
            Q_EMIT m_ctx.events.approvalGranted(client.id, session.username, request.scopes, ApprovalKind::Remembered,
                                                session.flowId);
            return issueCode(session, request, context);
        }
    }
    session.pendingApproval = request;
    return approvalPage(session, request);
}

HttpResponse AuthorizeEndpoint::issueCode(Session &session, const AuthorizeRequest &request,
                                          ExchangeContext &context) const
{
    // Spring answers response_type=token (even alongside code) with the implicit grant's fragment.
    if (request.responseTypes.contains(ImplicitResponse::kResponseType))
        return ImplicitResponse(m_ctx).issue(session, *m_ctx.clients.find(request.clientId), request, context);
    AuthorizationCode code;
    // 64^6 values: collisions are rare but real under load, and a reused value would be a replay.
    do {
        code.code = m_ctx.random.code(m_ctx.settings.codeLength);
    } while (m_ctx.codes.contains(code.code));
    code.clientId = request.clientId;
    code.username = session.username;
    code.scopes = request.scopes;
    code.redirectUri = request.redirectUri;
    code.redirectUriSent = request.redirectUriSent;
    code.state = request.state;
    code.codeChallenge = request.codeChallenge;
    code.nonce = request.nonce;
    code.authTimeMs = request.authTimeMs;
    code.issuedAtMs = m_ctx.clock.nowMs();
    code.expiresAtMs =
        m_ctx.settings.codeLifetime > 0 ? code.issuedAtMs + qint64(m_ctx.settings.codeLifetime) * 1000 : 0;
    code.flowId = session.flowId;
    m_ctx.codes.issue(code);
    session.flowEnded = true;
    context.steps.append(SeedStep::CodeRedirect);

    QList<QPair<QString, QString>> pairs{{QStringLiteral("code"), code.code}};
    if (request.state)
        pairs.append({QStringLiteral("state"), *request.state});
    return ResponseWriter::redirect(303, ResponseWriter::appendQuery(request.redirectUri, pairs));
}

HttpResponse AuthorizeEndpoint::approvalPage(const Session &session, const AuthorizeRequest &request) const
{
    QString scopes;
    for (const QString &scope : request.scopes.names())
        scopes += QString::fromUtf8(
            m_ctx.writer.pages().render(QStringLiteral("approval-scope"), {{QStringLiteral("scope"), {scope}}}));
    return ResponseWriter::html(200,
                                m_ctx.writer.pages().render(QStringLiteral("approval"),
                                                            {{QStringLiteral("client_id"), {request.clientId}},
                                                             {QStringLiteral("csrf"), {session.csrfToken}},
                                                             {QStringLiteral("scopes"), PageRenderer::raw(scopes)}}));
}

HttpResponse AuthorizeEndpoint::handlePost(const HttpRequest &request, ExchangeContext &context) const
{
    context.steps = {SeedStep::Approve};
    QString parseError;
    const std::optional<FormParameters> params = FormParser::parse(request.body, &parseError);
    if (!params)
        return m_ctx.writer.htmlError(OAuthError::invalidRequest(parseError));
    Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"));
    // Spring Security's CsrfFilter runs before the endpoint.
    if (!session)
        return m_ctx.writer.forbidden(
            QStringLiteral("Could not verify the provided CSRF token because your session was not found."));
    if (!constantTimeEquals(session->csrfToken, params->value(param::Csrf)))
        return m_ctx.writer.forbidden(QStringLiteral("Invalid CSRF token found for %1.").arg(request.path));
    context.flowId = session->flowId;
    if (!session->isAuthenticated())
        return ResponseWriter::redirect(302, QStringLiteral("/login"));
    context.username = session->username;

    if (!session->pendingApproval)
        return m_ctx.writer.htmlError(
            OAuthError::invalidRequest(QStringLiteral("Cannot approve uninitialized authorization request.")));
    AuthorizeRequest pending = *session->pendingApproval;
    session->pendingApproval.reset();
    context.clientId = pending.clientId;
    if (!m_ctx.clients.find(pending.clientId))
        return m_ctx.writer.htmlError(OAuthError::badClientCredentials(AuthChallenge::None));

    // Per-scope radios scope.<name>=true|false narrow the grant; a form with none (only user_oauth_approval,
    // as the legacy TokenStore approval page sends) approves every requested scope.
    bool anyScopeField = false;
    QStringList approved;
    for (const QString &scope : pending.scopes.names()) {
        const QString answer = params->value(param::ScopePrefix.toString() + scope);
        anyScopeField = anyScopeField || !answer.isNull();
        if (answer == QLatin1String("true"))
            approved << scope;
    }
    const bool userApproved = params->value(param::UserOAuthApproval) == QLatin1String("true");
    if (userApproved && !anyScopeField)
        approved = pending.scopes.names();
    if (!userApproved || approved.isEmpty()) {
        Q_EMIT m_ctx.events.approvalDenied(pending.clientId, session->username, session->flowId);
        session->flowEnded = true;
        return ResponseWriter::redirectError(OAuthError::accessDenied(QStringLiteral("User denied access")),
                                             pending.redirectUri, pending.state);
    }
    pending.scopes = ScopeSet(approved);
    Q_EMIT m_ctx.events.approvalGranted(pending.clientId, session->username, pending.scopes, ApprovalKind::UserApproved,
                                        session->flowId);
    return issueCode(*session, pending, context);
}

} // namespace oauthsim
