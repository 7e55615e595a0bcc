#pragma once

#include <QList>
#include <QMetaType>

namespace oauthsim {

// The eight steps of the recorded code flow (seeds/000_*.txt).
enum class SeedStep
{
    None = 0,
    Authorize = 1,      // GET /oauth/authorize, no session yet
    LoginPage = 2,      // GET /login
    LoginSubmit = 3,    // POST /login
    AuthorizeAgain = 4, // GET /oauth/authorize with a logged-in session
    Approve = 5,        // POST /oauth/authorize
    CodeRedirect = 6,   // the redirect carrying ?code=
    TokenExchange = 7,  // POST /oauth/token grant_type=authorization_code
    Refresh = 8,        // POST /oauth/token grant_type=refresh_token
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::SeedStep)
