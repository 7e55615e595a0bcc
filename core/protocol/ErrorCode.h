#pragma once

#include <QByteArray>

namespace oauthsim {

// Every error code oauthsim puts on the wire. The strings live in ErrorCode.cpp only.
enum class ErrorCode
{
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    AccessDenied,
    InvalidToken,
    ServerError,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Forbidden,
    InsufficientScope,
};

// Wire string, e.g. "invalid_grant".
QByteArray errorCodeName(ErrorCode code);
// The status an error of this code gets unless the raiser says otherwise (Spring's OAuth2Exception defaults).
int defaultHttpStatus(ErrorCode code);

} // namespace oauthsim
