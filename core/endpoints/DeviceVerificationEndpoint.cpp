#include "DeviceVerificationEndpoint.h"

#include "Clock.h"
#include "ServerEvents.h"
#include "auth/Csrf.h"
#include "auth/Sessions.h"
#include "endpoints/AuthorizeEndpoint.h"
#include "endpoints/PageRenderer.h"
#include "http/FormParser.h"
#include "http/ResponseWriter.h"
#include "protocol/OAuthParams.h"
#include "store/DeviceCodeStore.h"

namespace oauthsim {

namespace {
const QString kApprove = QStringLiteral("approve");
const QString kDeny = QStringLiteral("deny");
} // namespace

HttpResponse DeviceVerificationEndpoint::handleGet(const HttpRequest &request, ExchangeContext &context) const
{
    QString parseError;
    const std::optional<FormParameters> params = FormParser::parse(request.rawQuery, &parseError);
    if (!params)
        return m_ctx.writer.htmlError(OAuthError::invalidRequest(parseError));
    Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"));
    const bool newSession = session == nullptr;
    if (!session)
        session = &m_ctx.sessions.create();
    context.flowId = session->flowId;

    // RFC 8628 §3.3.1: verification_uri_complete carries the user code; it is only pre-filled, the user still
    // confirms it (and so sees which device asks).
    const QString userCode = params->value(param::UserCode);
    QString problem;
    if (const DeviceAuthorization *authorization = decidable(userCode, &problem))
        joinFlow(*session, *authorization, context);

    // RFC 8628 §3.3: the user authenticates first, then comes back here.
    if (!session->isAuthenticated())
        return toLogin(*session, newSession, AuthorizeEndpoint::absoluteUrl(request));
    context.username = session->username;
    return codeForm(*session, userCode, QString());
}

HttpResponse DeviceVerificationEndpoint::handlePost(const HttpRequest &request, ExchangeContext &context) const
{
    // As Spring Security's CsrfFilter, before anything else (RFC 8628 §5.5: the page must resist remote phishing).
    auto checked = Csrf::checkForm(request, m_ctx.sessions, m_ctx.writer);
    if (HttpResponse *refused = std::get_if<HttpResponse>(&checked))
        return std::move(*refused);
    const FormParameters *params = &std::get<Csrf::CheckedForm>(checked).params;
    Session *session = std::get<Csrf::CheckedForm>(checked).session;
    context.flowId = session->flowId;

    const QString typed = params->value(param::UserCode);
    if (!session->isAuthenticated()) {
        QString back = AuthorizeEndpoint::absoluteUrl(request, {});
        if (!typed.isEmpty())
            back = ResponseWriter::appendQuery(back, {{param::UserCode.toString(), typed}});
        return toLogin(*session, false, back);
    }
    context.username = session->username;

    QString problem;
    const DeviceAuthorization *authorization = decidable(typed, &problem);
    if (!authorization) {
        context.debugDetail = problem;
        HttpResponse r = codeForm(*session, typed, problem);
        r.status = 400;
        return r;
    }
    joinFlow(*session, *authorization, context);

    const QString decision = params->value(param::Decision);
    if (decision.isNull())
        return confirmationPage(*session, *authorization);
    if (decision != kApprove && decision != kDeny)
        return m_ctx.writer.htmlError(
            OAuthError::invalidRequest(QStringLiteral("Unknown decision: %1 (approve or deny)").arg(decision)));

    // The store's entry changes under the pointer: keep what the events and the page need.
    const DeviceAuthorization decided = *authorization;
    const QString &username = session->username;
    if (decision == kApprove) {
        m_ctx.deviceCodes.approve(decided.deviceCode, username);
        Q_EMIT m_ctx.events.approvalGranted(decided.clientId, username, decided.scopes, ApprovalKind::UserApproved,
                                            decided.flowId);
        return resultPage(tr("Device activated"),
                          tr("\"%1\" on your device can now access your protected resources. You can close this page.")
                              .arg(decided.clientId));
    }
    m_ctx.deviceCodes.deny(decided.deviceCode, username);
    Q_EMIT m_ctx.events.approvalDenied(decided.clientId, username, decided.flowId);
    return resultPage(tr("Access denied"),
                      tr("\"%1\" on your device was denied access. You can close this page.").arg(decided.clientId));
}

void DeviceVerificationEndpoint::joinFlow(Session &session, const DeviceAuthorization &authorization,
                                          ExchangeContext &context) const
{
    session.flowId = authorization.flowId;
    session.flowEnded = true;
    context.flowId = authorization.flowId;
    context.clientId = authorization.clientId;
}

HttpResponse DeviceVerificationEndpoint::toLogin(Session &session, bool newSession, const QString &returnUrl) const
{
    session.savedRequestUrl = returnUrl;
    HttpResponse r = ResponseWriter::redirect(302, m_ctx.profile().paths.login);
    if (newSession)
        r.addHeader("Set-Cookie", Sessions::cookieHeader(session));
    return r;
}

const DeviceAuthorization *DeviceVerificationEndpoint::decidable(const QString &typed, QString *problem) const
{
    const QString shown = typed.trimmed();
    if (DeviceCodeStore::normalizeUserCode(typed).isEmpty()) {
        *problem = tr("Enter the code shown on your device.");
        return nullptr;
    }
    const DeviceAuthorization *authorization = m_ctx.deviceCodes.findByUserCode(typed);
    if (!authorization) {
        *problem = tr("The code \"%1\" is not valid. Check the code shown on your device.").arg(shown);
        return nullptr;
    }
    // RFC 8628 §3.2 expires_in: after it the user code is no longer accepted.
    if (authorization->isExpired(m_ctx.clock.nowMs())) {
        *problem = tr("The code \"%1\" has expired. Start again on your device to get a new code.").arg(shown);
        return nullptr;
    }
    // A user code is decided once.
    if (authorization->status != DeviceAuthorization::Status::Pending) {
        *problem = tr("The code \"%1\" has already been used.").arg(shown);
        return nullptr;
    }
    return authorization;
}

HttpResponse DeviceVerificationEndpoint::codeForm(const Session &session, const QString &userCode,
                                                  const QString &problem) const
{
    const PageRenderer &pages = m_ctx.writer.pages();
    const QString alert =
        problem.isEmpty()
            ? QString()
            : QString::fromUtf8(pages.render(QStringLiteral("device-alert"), {{QStringLiteral("message"), {problem}}}));
    return ResponseWriter::html(
        200, pages.render(QStringLiteral("device-verification"),
                          {{QStringLiteral("title"), {tr("Device activation")}},
                           {QStringLiteral("heading"), {tr("Activate a device")}},
                           {QStringLiteral("alert"), PageRenderer::raw(alert)},
                           {QStringLiteral("instruction"), {tr("Enter the code shown on your device.")}},
                           {QStringLiteral("label"), {tr("Code")}},
                           {QStringLiteral("action"), {m_ctx.profile().paths.deviceVerification}},
                           {QStringLiteral("user_code"), {userCode}},
                           {QStringLiteral("csrf"), {session.csrfToken}},
                           {QStringLiteral("submit"), {tr("Continue")}}}));
}

HttpResponse DeviceVerificationEndpoint::confirmationPage(const Session &session,
                                                          const DeviceAuthorization &authorization) const
{
    const PageRenderer &pages = m_ctx.writer.pages();
    QString scopes;
    for (const QString &scope : authorization.scopes.names())
        scopes += QString::fromUtf8(pages.render(QStringLiteral("device-scope"), {{QStringLiteral("scope"), {scope}}}));
    return ResponseWriter::html(
        200, pages.render(QStringLiteral("device-confirmation"),
                          {{QStringLiteral("title"), {tr("Device activation")}},
                           {QStringLiteral("heading"), {tr("Activate a device")}},
                           {QStringLiteral("question"),
                            {tr("Do you allow \"%1\" on your device to access your protected resources?")
                                 .arg(authorization.clientId)}},
                           {QStringLiteral("scopes_label"), {tr("Scopes:")}},
                           {QStringLiteral("scopes"), PageRenderer::raw(scopes)},
                           {QStringLiteral("check"),
                            {tr("Only approve if your device shows the code %1.").arg(authorization.userCode)}},
                           {QStringLiteral("action"), {m_ctx.profile().paths.deviceVerification}},
                           {QStringLiteral("user_code"), {authorization.userCode}},
                           {QStringLiteral("csrf"), {session.csrfToken}},
                           {QStringLiteral("approve"), {tr("Approve")}},
                           {QStringLiteral("deny"), {tr("Deny")}}}));
}

HttpResponse DeviceVerificationEndpoint::resultPage(const QString &heading, const QString &message) const
{
    return ResponseWriter::html(200, m_ctx.writer.pages().render(QStringLiteral("device-result"),
                                                                 {{QStringLiteral("title"), {tr("Device activation")}},
                                                                  {QStringLiteral("heading"), {heading}},
                                                                  {QStringLiteral("message"), {message}}}));
}

} // namespace oauthsim
