#pragma once

#include "http/FormParser.h"
#include "http/HttpExchange.h"

#include <variant>

namespace oauthsim {

class ResponseWriter;
class Sessions;
struct Session;

// Spring Security's CsrfFilter for the browser forms that change state (approval, device verification): the form
// must parse and carry the _csrf token of the session its cookie names, compared in constant time.
class Csrf
{
public:
    struct CheckedForm
    {
        FormParameters params;
        Session *session = nullptr;
    };
    // The form and its session, or the answer to send instead: 400 error page for a form that does not parse, 403
    // "Could not verify the provided CSRF token because your session was not found." without a session, 403
    // "Invalid CSRF token found for PATH." for a missing or wrong token (Spring's texts).
    static std::variant<CheckedForm, HttpResponse> checkForm(const HttpRequest &request, Sessions &sessions,
                                                             const ResponseWriter &writer);
};

} // namespace oauthsim
