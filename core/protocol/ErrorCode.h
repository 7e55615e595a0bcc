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
    LoginRequired,   // OIDC Core §3.1.2.6: prompt=none without a logged-in user
    ConsentRequired, // OIDC Core §3.1.2.6: prompt=none when the user would have to approve
    AuthorizationPending, // RFC 8628 §3.5
    SlowDown,             // RFC 8628 §3.5
    ExpiredToken,         // RFC 8628 §3.5
    InsufficientScope,
};

// Wire string, e.g. "invalid_grant".
QByteArray errorCodeName(ErrorCode code);
// The status an error of this code gets unless the raiser says otherwise (Spring's OAuth2Exception defaults).
int defaultHttpStatus(ErrorCode code);

} // namespace oauthsim
