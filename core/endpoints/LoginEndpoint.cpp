#include "LoginEndpoint.h"

#include "Clock.h"
#include "ServerEvents.h"
#include "auth/ConstantTime.h"
#include "auth/Sessions.h"
#include "endpoints/PageRenderer.h"
#include "http/FormParser.h"
#include "http/ResponseWriter.h"
#include "protocol/OAuthParams.h"
#include "store/UserStore.h"

namespace oauthsim {

HttpResponse LoginEndpoint::handleGet(const HttpRequest &request, ExchangeContext &context) const
{
    context.steps = {SeedStep::LoginPage};
    Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"));
    const bool newSession = session == nullptr;
    if (!session)
        session = &m_ctx.sessions.create();
    context.flowId = session->flowId;

    const std::optional<FormParameters> query = FormParser::parse(request.rawQuery);
    QString alert;
    if (query && query->contains(u"error"))
        alert = QStringLiteral("<div class=\"alert alert-danger\" role=\"alert\">Bad credentials</div>\n");
    else if (query && query->contains(u"logout"))
        alert = QStringLiteral("<div class=\"alert alert-success\" role=\"alert\">You have been signed out</div>\n");
    HttpResponse r =
        ResponseWriter::html(200, m_ctx.writer.pages().render(QStringLiteral("login"),
                                                              {{QStringLiteral("csrf"), {session->csrfToken}},
                                                               {QStringLiteral("alert"), PageRenderer::raw(alert)}}));
    if (newSession)
        r.addHeader("Set-Cookie", Sessions::cookieHeader(*session));
    return r;
}

HttpResponse LoginEndpoint::handlePost(const HttpRequest &request, ExchangeContext &context) const
{
    context.steps = {SeedStep::LoginSubmit};
    const std::optional<FormParameters> params = FormParser::parse(request.body);
    Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"));
    if (!session)
        return m_ctx.writer.forbidden(
            QStringLiteral("Could not verify the provided CSRF token because your session was not found."));
    if (!params || !constantTimeEquals(session->csrfToken, params->value(param::Csrf)))
        return m_ctx.writer.forbidden(QStringLiteral("Invalid CSRF token found for %1.").arg(request.path));
    context.flowId = session->flowId;

    const QString username = params->value(param::Username);
    if (!m_ctx.users.authenticate(username, params->value(param::Password))) {
        Q_EMIT m_ctx.events.loginFailed(username, session->flowId);
        context.debugDetail = QStringLiteral("bad credentials for user \"%1\"").arg(username);
        return ResponseWriter::redirect(302, QStringLiteral("/login?error"));
    }
    // Session fixation protection: a new session id (and CSRF token) on login.
    Session &fresh = m_ctx.sessions.rotate(session->id);
    fresh.username = username;
    fresh.authenticatedAtMs = m_ctx.clock.nowMs();
    context.username = username;
    const QString target = fresh.savedRequestUrl.isEmpty() ? QStringLiteral("/") : fresh.savedRequestUrl;
    fresh.savedRequestUrl.clear();
    Q_EMIT m_ctx.events.loginSucceeded(username, fresh.flowId);
    HttpResponse r = ResponseWriter::redirect(302, target);
    r.addHeader("Set-Cookie", Sessions::cookieHeader(fresh));
    return r;
}

HttpResponse LoginEndpoint::handleLogout(const HttpRequest &request, ExchangeContext &context) const
{
    const std::optional<FormParameters> params = FormParser::parse(request.body);
    Session *session = m_ctx.sessions.find(request.cookie("JSESSIONID"));
    if (!session || !params || !constantTimeEquals(session->csrfToken, params->value(param::Csrf)))
        return m_ctx.writer.forbidden(QStringLiteral("Invalid CSRF token found for %1.").arg(request.path));
    context.username = session->username;
    m_ctx.sessions.remove(session->id);
    return ResponseWriter::redirect(302, QStringLiteral("/login?logout"));
}

} // namespace oauthsim
