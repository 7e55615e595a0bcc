#include "SeedStepText.h"

namespace oauthsim {

QList<SeedStep> SeedStepText::steps()
{
    return {SeedStep::Authorize, SeedStep::LoginPage,    SeedStep::LoginSubmit,   SeedStep::AuthorizeAgain,
            SeedStep::Approve,   SeedStep::CodeRedirect, SeedStep::TokenExchange, SeedStep::Refresh};
}

QString SeedStepText::title(SeedStep step)
{
    switch (step) {
    case SeedStep::Authorize:
        return tr("Authorization request");
    case SeedStep::LoginPage:
        return tr("Login page");
    case SeedStep::LoginSubmit:
        return tr("Sign in");
    case SeedStep::AuthorizeAgain:
        return tr("Back to authorize");
    case SeedStep::Approve:
        return tr("Approval");
    case SeedStep::CodeRedirect:
        return tr("Code returned");
    case SeedStep::TokenExchange:
        return tr("Code for token");
    case SeedStep::Refresh:
        return tr("Refresh token");
    case SeedStep::None:
        break;
    }
    return {};
}

QString SeedStepText::request(SeedStep step)
{
    switch (step) {
    case SeedStep::Authorize:
    case SeedStep::AuthorizeAgain:
        return tr("GET /oauth/authorize?response_type=code&client_id=…&redirect_uri=…");
    case SeedStep::LoginPage:
        return tr("GET /login");
    case SeedStep::LoginSubmit:
        return tr("POST /login");
    case SeedStep::Approve:
        return tr("POST /oauth/authorize");
    case SeedStep::CodeRedirect:
        return tr("redirect_uri?code=…");
    case SeedStep::TokenExchange:
        return tr("POST /oauth/token grant_type=authorization_code");
    case SeedStep::Refresh:
        return tr("POST /oauth/token grant_type=refresh_token");
    case SeedStep::None:
        break;
    }
    return {};
}

QString SeedStepText::explanation(SeedStep step)
{
    switch (step) {
    case SeedStep::Authorize:
        return tr("The browser opens the authorization server's /oauth/authorize endpoint (GET). "
                  "response_type=code is required: the client asks for an authorization code. "
                  "client_id is required: the client_id registered on the authorization server. "
                  "redirect_uri is required: the redirect address registered on the authorization server.");
    case SeedStep::LoginPage:
        return tr("The browser is redirected to the authorization server's /login endpoint (GET). "
                  "If the user is not authenticated, the server redirects the browser to its login page, "
                  "which opens the login form; otherwise it goes straight to step 6.");
    case SeedStep::LoginSubmit:
        return tr("The user enters a username and password and clicks Login; the browser calls the "
                  "authorization server's /login endpoint (POST).");
    case SeedStep::AuthorizeAgain:
        return tr("The browser is redirected again to the authorization server's /oauth/authorize endpoint (GET): "
                  "the same authorization address that was visited in step 1.");
    case SeedStep::Approve:
        return tr("If autoapprove is false, the approval page opens; otherwise the server approves in the "
                  "background and goes straight to step 6. When the user clicks Authorize, the browser calls the "
                  "authorization server's /oauth/authorize endpoint (POST).");
    case SeedStep::CodeRedirect:
        return tr("The browser is redirected to the redirect_uri and the code is returned with it, for example "
                  "http://localhost?code=W636oE. The code is the authorization code.");
    case SeedStep::TokenExchange:
        return tr("The client application calls the authorization server's /oauth/token endpoint (POST). Note: "
                  "grant_type=authorization_code. Required: grant_type=authorization_code (the authorization code "
                  "grant), code (the code the server returned), client_id and client_secret (registered on the "
                  "authorization server) and redirect_uri (the registered redirect address). On success the server "
                  "answers with access_token, token_type bearer, refresh_token, expires_in and scope.");
    case SeedStep::Refresh:
        return tr("The client application calls the authorization server's /oauth/token endpoint (POST). Note: "
                  "grant_type=refresh_token. Required: grant_type=refresh_token (refresh the token), refresh_token "
                  "(the refresh_token the server returned with the token), client_id and client_secret. The server "
                  "answers with a new access_token; the refresh_token stays the same.");
    case SeedStep::None:
        break;
    }
    return {};
}

QString SeedStepText::reason(SeedStep step)
{
    switch (step) {
    case SeedStep::Authorize:
        return tr("The client never asks for the user's password itself: it sends the user to the server that "
                  "knows them.");
    case SeedStep::LoginPage:
        return tr("The server must know who the user is before it can ask them to authorize the client. It "
                  "remembers the original authorize request for later.");
    case SeedStep::LoginSubmit:
        return tr("Only the authorization server sees the password; the client application never does. On success "
                  "the server starts a new session (a new JSESSIONID) and sends the browser back to the saved "
                  "authorize request.");
    case SeedStep::AuthorizeAgain:
        return tr("Now the user is signed in, so the server resumes the request it saved before the login.");
    case SeedStep::Approve:
        return tr("The user decides which scopes (for example read and write) the client may use on their behalf.");
    case SeedStep::CodeRedirect:
        return tr("The code travels through the browser, where others may see it, so it is short-lived, works "
                  "only once and is worthless without the client's secret.");
    case SeedStep::TokenExchange:
        return tr("The code is exchanged directly between the client and the server, with the client's secret, so "
                  "the tokens never pass through the browser.");
    case SeedStep::Refresh:
        return tr("Access tokens expire (expires_in, in seconds). The refresh token gets a new one without asking "
                  "the user to sign in or approve again.");
    case SeedStep::None:
        break;
    }
    return {};
}

QString SeedStepText::skippedNote(SeedStep step, std::optional<ApprovalKind> approval)
{
    switch (step) {
    case SeedStep::Authorize:
    case SeedStep::LoginPage:
    case SeedStep::LoginSubmit:
        return tr("Skipped: the user was already signed in, so the server did not ask for a login.");
    case SeedStep::Approve:
        if (approval == ApprovalKind::Remembered)
            return tr("Skipped: the user had already approved these scopes, so the server approved in the "
                      "background and went straight to step 6.");
        return tr("Skipped: autoapprove is on for this client, so the server approved in the background and went "
                  "straight to step 6.");
    default:
        break;
    }
    return tr("Skipped.");
}

} // namespace oauthsim
