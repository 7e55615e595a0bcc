#include "RequestParameters.h"

namespace oauthsim {

Result<FormParameters> requestParameters(const HttpRequest &request, ParameterSource source)
{
    QString error;
    const std::optional<FormParameters> query =
        source == ParameterSource::QueryAndBody ? FormParser::parse(request.rawQuery, &error) : FormParameters();
    std::optional<FormParameters> body = FormParameters();
    if (request.header("content-type").contains("application/x-www-form-urlencoded"))
        body = FormParser::parse(request.body, &error);
    if (!query || !body)
        return OAuthError::invalidRequest(error);
    FormParameters params = FormParameters::merged(*query, *body);
    // RFC 6749 §3.1: request parameters must not be included more than once.
    const QString repeated = params.firstRepeated();
    if (!repeated.isNull())
        return OAuthError::invalidRequest(
            QStringLiteral("Parameter %1 must not be provided more than once").arg(repeated));
    return params;
}

} // namespace oauthsim
