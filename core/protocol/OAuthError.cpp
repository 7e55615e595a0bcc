#include "OAuthError.h"

namespace oauthsim {

OAuthError::OAuthError(ErrorCode code, QString description)
    : m_code(code), m_description(std::move(description)), m_status(defaultHttpStatus(code)),
      m_challenge(m_status == 401 ? AuthChallenge::Bearer : AuthChallenge::None)
{}

OAuthError OAuthError::invalidRequest(QString description)
{
    return {ErrorCode::InvalidRequest, std::move(description)};
}

OAuthError OAuthError::invalidClient(QString description)
{
    return {ErrorCode::InvalidClient, std::move(description)};
}

OAuthError OAuthError::invalidGrant(QString description)
{
    return {ErrorCode::InvalidGrant, std::move(description)};
}

OAuthError OAuthError::unauthorizedClient(QString description)
{
    return {ErrorCode::UnauthorizedClient, std::move(description)};
}

OAuthError OAuthError::unsupportedGrantType(QString description)
{
    return {ErrorCode::UnsupportedGrantType, std::move(description)};
}

OAuthError OAuthError::unsupportedResponseType(QString description)
{
    return {ErrorCode::UnsupportedResponseType, std::move(description)};
}

OAuthError OAuthError::invalidScope(QString description, const QString &validScopes)
{
    return OAuthError(ErrorCode::InvalidScope, std::move(description)).withExtra(QStringLiteral("scope"), validScopes);
}

OAuthError OAuthError::accessDenied(QString description)
{
    return {ErrorCode::AccessDenied, std::move(description)};
}

OAuthError OAuthError::invalidToken(QString description)
{
    return {ErrorCode::InvalidToken, std::move(description)};
}

OAuthError OAuthError::authorizationPending(QString description)
{
    return {ErrorCode::AuthorizationPending, std::move(description)};
}

OAuthError OAuthError::slowDown(QString description)
{
    return {ErrorCode::SlowDown, std::move(description)};
}

OAuthError OAuthError::expiredToken(QString description)
{
    return {ErrorCode::ExpiredToken, std::move(description)};
}

OAuthError OAuthError::serverError(QString debugDetail)
{
    return OAuthError(ErrorCode::ServerError, QStringLiteral("Internal server error"))
        .withDebugDetail(std::move(debugDetail));
}

OAuthError OAuthError::badClientCredentials(AuthChallenge challenge)
{
    return invalidClient(QStringLiteral("Bad client credentials")).withChallenge(challenge);
}

OAuthError OAuthError::withStatus(int status) const
{
    OAuthError copy = *this;
    copy.m_status = status;
    return copy;
}

OAuthError OAuthError::withChallenge(AuthChallenge challenge) const
{
    OAuthError copy = *this;
    copy.m_challenge = challenge;
    return copy;
}

OAuthError OAuthError::withDebugDetail(QString detail) const
{
    OAuthError copy = *this;
    copy.m_debugDetail = std::move(detail);
    return copy;
}

OAuthError OAuthError::withExtra(QString key, QString value) const
{
    OAuthError copy = *this;
    copy.m_extra.append({std::move(key), std::move(value)});
    return copy;
}

QByteArray OAuthError::summary() const
{
    QByteArray out = "error=\"" + codeName() + "\", error_description=\"" + m_description.toUtf8() + '"';
    for (const auto &[key, value] : m_extra)
        out += ", " + key.toUtf8() + "=\"" + value.toUtf8() + '"';
    return out;
}

} // namespace oauthsim
