#include "AuthorizeEndpoint.h"

#include "Clock.h"
#include "ServerEvents.h"
#include "ServerSettings.h"
#include "auth/Csrf.h"
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
    return absoluteUrl(request, request.rawQuery);
}

QString AuthorizeEndpoint::absoluteUrl(const HttpRequest &request, QByteArrayView query)
{
    QString url = QStringLiteral("http://") + QString::fromLatin1(request.header("host")) + request.path;
    if (!query.isEmpty())
        url += QLatin1Char('?') + QString::fromLatin1(query);
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

    // OIDC Core §3.1.2.1 prompt: none never shows a page (an anonymous user is login_required); login asks for the
    // credentials again even in a live session. Invalid values are answered after login, at the redirect URI.
    const QStringList prompt = params->value(param::Prompt).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const bool promptValid = !checkPrompt(prompt);
    if (!session->isAuthenticated() && promptValid && prompt.contains(QLatin1String("none"))) {
        session->flowEnded = true;
        HttpResponse r = redirectError(OAuthError(ErrorCode::LoginRequired, QStringLiteral("User is not logged in")),
                                       validated.value());
        if (newSession)
            r.addHeader("Set-Cookie", Sessions::cookieHeader(*session));
        return r;
    }
    if (session->isAuthenticated() && promptValid && prompt.contains(QLatin1String("login"))) {
        // The saved request goes back without prompt=login, or the login would be asked for forever.
        FormParameters rest;
        for (const auto &[name, value] : params->items()) {
            if (name != param::Prompt)
                rest.append(name, value);
        }
        session->username.clear();
        session->savedRequestUrl = absoluteUrl(request, FormParser::encode(rest));
        return ResponseWriter::redirect(302, m_ctx.profile().paths.login);
    }

    if (!session->isAuthenticated()) {
        // Step 1 → 2: remember the request, send the browser to the login form.
        context.steps = {SeedStep::Authorize};
        session->savedRequestUrl = validated->originalUrl;
        HttpResponse r = ResponseWriter::redirect(302, m_ctx.profile().paths.login);
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
    // Legacy Spring takes any set containing code or token; Spring Authorization Server only "code" (OAuth 2.1).
    const bool implicitKnown = m_ctx.profile().grantTypes.testFlag(GrantType::Implicit);
    const bool supported = implicitKnown ? request.responseTypes.contains(kCodeType) || wantsToken(request)
                                         : request.responseTypes == QStringList{kCodeType};
    if (!supported) {
        QStringList sorted = request.responseTypes;
        sorted.sort();
        return redirectError(
            OAuthError::unsupportedResponseType(
                QStringLiteral("Unsupported response types: [%1]").arg(sorted.join(QLatin1String(", ")))),
            request);
    }
    // OAuth 2.0 Multiple Response Type Encoding Practices §2.1: query or fragment; a token never in the query.
    const QString mode = params.value(param::ResponseMode);
    if (!mode.isNull()) {
        const bool known = mode == QLatin1String("query") || mode == QLatin1String("fragment");
        if (!known || (mode == QLatin1String("query") && wantsToken(request)))
            return redirectError(OAuthError::invalidRequest(QStringLiteral("Unsupported response_mode: %1").arg(mode)),
                                 request);
        request.responseMode = mode;
    }
    const QStringList prompt = params.value(param::Prompt).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (const std::optional<OAuthError> problem = checkPrompt(prompt))
        return redirectError(*problem, request);
    // An omitted scope means the client's registered scopes (DefaultOAuth2RequestFactory).
    if (request.scopes.isEmpty())
        request.scopes = client.scopes;
    const QString outside = request.scopes.firstOutside(client.scopes);
    if (!outside.isNull())
        return redirectError(
            OAuthError::invalidScope(QStringLiteral("Invalid scope: %1").arg(outside), client.scopes.joined()),
            request);
    if (request.scopes.isEmpty())
        return redirectError(
            OAuthError::invalidScope(
                QStringLiteral("Empty scope (either the client or the user is not allowed the requested scopes)"),
                client.scopes.joined()),
            request);
    // RFC 7636 §4.4.1: PKCE errors are redirected, so they are checked here, once client and redirect are valid.
    // PKCE protects codes: an implicit (response_type=token) request has none to protect.
    if (!wantsToken(request)) {
        const Result<std::optional<CodeChallenge>> challenge =
            Pkce::readChallenge(params.value(param::CodeChallenge), params.value(param::CodeChallengeMethod),
                                client.requiresPkce() ? Pkce::Requirement::Required : Pkce::Requirement::Optional,
                                m_ctx.profile().pkceMethods);
        if (!challenge) {
            context.debugDetail = challenge.error().debugDetail();
            return redirectError(challenge.error(), request);
        }
        request.codeChallenge = challenge.value();
    }

    // OIDC Core §3.1.2.1: prompt=consent asks again even when approval was automatic or remembered.
    const bool askAgain = prompt.contains(QLatin1String("consent"));
    if (!askAgain && client.autoApprove.covers(request.scopes)) {
        Q_EMIT m_ctx.events.approvalGranted(client.id, session.username, request.scopes, ApprovalKind::AutoApproved,
                                            session.flowId);
        return issueCode(session, request, context);
    }
    // Remembered approval: a live access token for the same client, user and scopes (TokenApprovalStore).
    if (!askAgain && m_ctx.settings.rememberApprovals &&
        m_ctx.profile().approvalMemory == Profile::ApprovalMemory::StoredConsent) {
        // OAuth2AuthorizationCodeRequestAuthenticationProvider.requireAuthorizationConsent: no page when the stored
        // consent covers every requested scope (openid needs no consent of its own).
        if (consentCovers(client.id, session.username, request.scopes)) {
            Q_EMIT m_ctx.events.approvalGranted(client.id, session.username, request.scopes, ApprovalKind::Remembered,
                                                session.flowId);
            return issueCode(session, request, context);
        }
    } else if (!askAgain && m_ctx.settings.rememberApprovals) {
        const IssuedToken *live =
            m_ctx.tokens.accessFor(TokenStore::authorizationKey(client.id, session.username, request.scopes));
        if (live && !live->isExpired(m_ctx.clock.nowMs()) && m_ctx.approvals.remembers(*live)) {
            Q_EMIT m_ctx.events.approvalGranted(client.id, session.username, request.scopes, ApprovalKind::Remembered,
                                                session.flowId);
            return issueCode(session, request, context);
        }
    }
    // OIDC Core §3.1.2.6: prompt=none must not show the approval page.
    if (prompt.contains(QLatin1String("none"))) {
        session.flowEnded = true;
        return redirectError(OAuthError(ErrorCode::ConsentRequired, QStringLiteral("User consent is required")),
                             request);
    }
    session.pendingApproval = request;
    return approvalPage(session, request);
}

HttpResponse AuthorizeEndpoint::issueCode(Session &session, const AuthorizeRequest &request,
                                          ExchangeContext &context) const
{
    // Spring answers response_type=token (even alongside code) with the implicit grant's fragment.
    if (wantsToken(request))
        return ImplicitResponse(m_ctx).issue(session, *m_ctx.clients.find(request.clientId), request, context);
    AuthorizationCode code;
    // 64^6 values: collisions are rare but real under load, and a reused value would be a replay.
    do {
        code.code = m_ctx.profile().newCode(m_ctx.random, m_ctx.settings.codeLength);
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
    const int status = m_ctx.profile().authorizationRedirectStatus;
    if (request.responseMode == QLatin1String("fragment"))
        return ResponseWriter::redirect(status, ImplicitResponse::appendFragment(request.redirectUri, pairs));
    return ResponseWriter::redirect(status, ResponseWriter::appendQuery(request.redirectUri, pairs));
}

HttpResponse AuthorizeEndpoint::redirectError(const OAuthError &error, const AuthorizeRequest &request) const
{
    if (wantsToken(request) || request.responseMode == QLatin1String("fragment"))
        return ImplicitResponse::redirectErrorInFragment(error, request, m_ctx.profile().authorizationRedirectStatus);
    return ResponseWriter::redirectError(error, request.redirectUri, request.state,
                                         m_ctx.profile().authorizationRedirectStatus);
}

bool AuthorizeEndpoint::wantsToken(const AuthorizeRequest &request) const
{
    return m_ctx.profile().grantTypes.testFlag(GrantType::Implicit) &&
           request.responseTypes.contains(ImplicitResponse::kResponseType);
}

std::optional<OAuthError> AuthorizeEndpoint::checkPrompt(const QStringList &prompt)
{
    static const QStringList known{QStringLiteral("none"), QStringLiteral("login"), QStringLiteral("consent"),
                                   QStringLiteral("select_account")};
    for (const QString &value : prompt) {
        if (!known.contains(value))
            return OAuthError::invalidRequest(QStringLiteral("Unsupported prompt value: %1").arg(value));
    }
    // OIDC Core §3.1.2.1: none together with any other value is an error.
    if (prompt.contains(QLatin1String("none")) && prompt.size() > 1)
        return OAuthError::invalidRequest(QStringLiteral("prompt=none must not be combined with other values"));
    return std::nullopt;
}

bool AuthorizeEndpoint::consentCovers(const QString &clientId, const QString &username, const ScopeSet &scopes) const
{
    const ScopeSet consented = m_ctx.approvals.consent(clientId, username);
    for (const QString &scope : scopes.names()) {
        if (scope != scope::OpenId && !consented.contains(scope))
            return false;
    }
    return true;
}

QStringList AuthorizeEndpoint::approvedScopes(const FormParameters &form, const AuthorizeRequest &pending,
                                              const QString &username) const
{
    QStringList approved;
    if (m_ctx.profile().consentForm == Profile::ConsentForm::ScopeCheckboxes) {
        // One `scope` field per ticked checkbox, plus what the user consented to before (shown ticked and
        // disabled: OAuth2AuthorizationConsentAuthenticationProvider adds them); openid is not a checkbox and comes
        // with any approval.
        const ScopeSet previous = m_ctx.profile().approvalMemory == Profile::ApprovalMemory::StoredConsent
                                      ? m_ctx.approvals.consent(pending.clientId, username)
                                      : ScopeSet();
        for (const auto &[name, value] : form.items()) {
            if (name == param::Scope && pending.scopes.contains(value) && !approved.contains(value))
                approved << value;
        }
        for (const QString &scope : pending.scopes.names()) {
            if (previous.contains(scope) && !approved.contains(scope))
                approved << scope;
        }
        if (!approved.isEmpty() && pending.scopes.contains(scope::OpenId) && !approved.contains(scope::OpenId))
            approved.prepend(scope::OpenId);
        return approved;
    }
    // Per-scope radios scope.<name>=true|false narrow the grant; a form with none (only user_oauth_approval,
    // as the legacy TokenStore approval page sends) approves every requested scope.
    bool anyScopeField = false;
    for (const QString &scope : pending.scopes.names()) {
        const QString answer = form.value(param::ScopePrefix.toString() + scope);
        anyScopeField = anyScopeField || !answer.isNull();
        if (answer == QLatin1String("true"))
            approved << scope;
    }
    if (form.value(param::UserOAuthApproval) != QLatin1String("true"))
        return {};
    return anyScopeField ? approved : pending.scopes.names();
}

HttpResponse AuthorizeEndpoint::approvalPage(const Session &session, const AuthorizeRequest &request) const
{
    const Profile &profile = m_ctx.profile();
    const QString item = profile.consentTemplate + QStringLiteral("-scope");
    const ScopeSet previous = profile.approvalMemory == Profile::ApprovalMemory::StoredConsent
                                  ? m_ctx.approvals.consent(request.clientId, session.username)
                                  : ScopeSet();
    QString scopes;
    QString granted;
    for (const QString &scope : request.scopes.names()) {
        // Spring Authorization Server grants openid with the consent, without a checkbox of its own.
        if (profile.consentForm == Profile::ConsentForm::ScopeCheckboxes && scope == scope::OpenId)
            continue;
        if (previous.contains(scope)) {
            granted += QString::fromUtf8(m_ctx.writer.pages().render(
                profile.consentTemplate + QStringLiteral("-granted"), {{QStringLiteral("scope"), {scope}}}));
            continue;
        }
        scopes += QString::fromUtf8(m_ctx.writer.pages().render(item, {{QStringLiteral("scope"), {scope}}}));
    }
    if (!granted.isEmpty())
        granted =
            QString::fromUtf8(m_ctx.writer.pages().render(profile.consentTemplate + QStringLiteral("-previous"),
                                                          {{QStringLiteral("scopes"), PageRenderer::raw(granted)}}));
    return ResponseWriter::html(
        200, m_ctx.writer.pages().render(profile.consentTemplate,
                                         {{QStringLiteral("client_id"), {request.clientId}},
                                          {QStringLiteral("principal"), {session.username}},
                                          {QStringLiteral("action"), {profile.paths.authorize}},
                                          {QStringLiteral("state"), {request.state.value_or(QString())}},
                                          {QStringLiteral("csrf"), {session.csrfToken}},
                                          {QStringLiteral("scopes"), PageRenderer::raw(scopes)},
                                          {QStringLiteral("previous"), PageRenderer::raw(granted)}}));
}

HttpResponse AuthorizeEndpoint::handlePost(const HttpRequest &request, ExchangeContext &context) const
{
    context.steps = {SeedStep::Approve};
    // Spring Security's CsrfFilter runs before the endpoint.
    auto checked = Csrf::checkForm(request, m_ctx.sessions, m_ctx.writer);
    if (HttpResponse *refused = std::get_if<HttpResponse>(&checked))
        return std::move(*refused);
    const FormParameters *params = &std::get<Csrf::CheckedForm>(checked).params;
    Session *session = std::get<Csrf::CheckedForm>(checked).session;
    context.flowId = session->flowId;
    if (!session->isAuthenticated())
        return ResponseWriter::redirect(302, m_ctx.profile().paths.login);
    context.username = session->username;

    if (!session->pendingApproval)
        return m_ctx.writer.htmlError(
            OAuthError::invalidRequest(QStringLiteral("Cannot approve uninitialized authorization request.")));
    AuthorizeRequest pending = *session->pendingApproval;
    session->pendingApproval.reset();
    context.clientId = pending.clientId;
    if (!m_ctx.clients.find(pending.clientId))
        return m_ctx.writer.htmlError(OAuthError::badClientCredentials(AuthChallenge::None));

    const QStringList approved = approvedScopes(*params, pending, session->username);
    if (approved.isEmpty()) {
        Q_EMIT m_ctx.events.approvalDenied(pending.clientId, session->username, session->flowId);
        session->flowEnded = true;
        return redirectError(OAuthError::accessDenied(QStringLiteral("User denied access")), pending);
    }
    pending.scopes = ScopeSet(approved);
    if (m_ctx.profile().approvalMemory == Profile::ApprovalMemory::StoredConsent)
        m_ctx.approvals.addConsent(pending.clientId, session->username, pending.scopes);
    Q_EMIT m_ctx.events.approvalGranted(pending.clientId, session->username, pending.scopes, ApprovalKind::UserApproved,
                                        session->flowId);
    return issueCode(*session, pending, context);
}

} // namespace oauthsim
