#include "Csrf.h"

#include "auth/ConstantTime.h"
#include "auth/Sessions.h"
#include "http/ResponseWriter.h"
#include "protocol/OAuthParams.h"

#include <QCoreApplication>

namespace oauthsim {

std::variant<Csrf::CheckedForm, HttpResponse> Csrf::checkForm(const HttpRequest &request, Sessions &sessions,
                                                              const ResponseWriter &writer)
{
    QString parseError;
    std::optional<FormParameters> params = FormParser::parse(request.body, &parseError);
    if (!params)
        return writer.htmlError(OAuthError::invalidRequest(parseError));
    Session *session = sessions.find(request.cookie("JSESSIONID"));
    if (!session)
        return writer.forbidden(QCoreApplication::translate(
            "Csrf", "Could not verify the provided CSRF token because your session was not found."));
    if (!constantTimeEquals(session->csrfToken, params->value(param::Csrf)))
        return writer.forbidden(
            QCoreApplication::translate("Csrf", "Invalid CSRF token found for %1.").arg(request.path));
    return CheckedForm{std::move(*params), session};
}

} // namespace oauthsim
