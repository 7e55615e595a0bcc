#pragma once

#include "endpoints/EndpointContext.h"
#include "http/HttpExchange.h"

#include <QCoreApplication>

namespace oauthsim {

struct DeviceAuthorization;
struct Session;

// GET and POST Profile::paths.deviceVerification (RFC 8628 §3.3): the page where the user, signed in with the
// browser, enters the user code a device shows and approves or denies that device's request.
class DeviceVerificationEndpoint
{
    Q_DECLARE_TR_FUNCTIONS(DeviceVerificationEndpoint)
public:
    explicit DeviceVerificationEndpoint(const EndpointContext &ctx) : m_ctx(ctx) {}

    // Signed out: remembers the URL in the session and answers 302 to the login page (a new session sets its
    // cookie). Signed in: 200 with the code form, pre-filled from ?user_code= (RFC 8628 §3.3.1). Emits nothing.
    HttpResponse handleGet(const HttpRequest &request, ExchangeContext &context) const;
    // The form's submissions, CSRF-checked (403 otherwise): a user code alone answers the confirmation page (client
    // and scopes, Approve and Deny); with decision=approve or deny it approves or denies the device authorization
    // and answers the result page, emitting ServerEvents::approvalGranted or approvalDenied (and the store's
    // signal). A missing, unknown, expired or already decided code answers 400 with the form and the problem.
    HttpResponse handlePost(const HttpRequest &request, ExchangeContext &context) const;

private:
    // Sends a signed-out browser to the login page, to come back to `returnUrl` afterwards.
    HttpResponse toLogin(Session &session, bool newSession, const QString &returnUrl) const;
    // The authorization a typed user code names while it can still be decided, else nullptr and *problem says why.
    const DeviceAuthorization *decidable(const QString &typed, QString *problem) const;
    HttpResponse codeForm(const Session &session, const QString &userCode, const QString &problem) const;
    HttpResponse confirmationPage(const Session &session, const DeviceAuthorization &authorization) const;
    HttpResponse resultPage(const QString &heading, const QString &message) const;
    // The session joins the device's flow, so its login and approval show up there; the next /authorize of this
    // session starts a flow of its own.
    void joinFlow(Session &session, const DeviceAuthorization &authorization, ExchangeContext &context) const;

    const EndpointContext &m_ctx;
};

} // namespace oauthsim
