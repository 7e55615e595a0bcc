#include "ErrorCode.h"

namespace oauthsim {

namespace {
struct Row
{
    ErrorCode code;
    const char *wire;
    int status;
};
// The one table of wire strings (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; legacy Spring for the non-RFC ones).
constexpr Row kRows[] = {
    {ErrorCode::InvalidRequest, "invalid_request", 400},
    {ErrorCode::InvalidClient, "invalid_client", 401},
    {ErrorCode::InvalidGrant, "invalid_grant", 400},
    {ErrorCode::UnauthorizedClient, "unauthorized_client", 400},
    {ErrorCode::UnsupportedGrantType, "unsupported_grant_type", 400},
    {ErrorCode::UnsupportedResponseType, "unsupported_response_type", 400},
    {ErrorCode::InvalidScope, "invalid_scope", 400},
    {ErrorCode::AccessDenied, "access_denied", 403},
    {ErrorCode::InvalidToken, "invalid_token", 401},
    {ErrorCode::ServerError, "server_error", 500},
    {ErrorCode::MethodNotAllowed, "method_not_allowed", 405},
    {ErrorCode::NotFound, "not_found", 404},
    {ErrorCode::PayloadTooLarge, "request_too_large", 413},
    {ErrorCode::Forbidden, "forbidden", 403},
    {ErrorCode::LoginRequired, "login_required", 400},
    {ErrorCode::ConsentRequired, "consent_required", 400},
    // RFC 8628 §3.5: the device access token errors are token endpoint errors (RFC 6749 §5.2), so 400.
    {ErrorCode::AuthorizationPending, "authorization_pending", 400},
    {ErrorCode::SlowDown, "slow_down", 400},
    {ErrorCode::ExpiredToken, "expired_token", 400},
    {ErrorCode::InsufficientScope, "insufficient_scope", 403}, // RFC 6750 §3.1
};

const Row &row(ErrorCode code)
{
    for (const Row &r : kRows) {
        if (r.code == code)
            return r;
    }
    return kRows[9]; // server_error: unreachable while the table is complete (tested).
}
} // namespace

QByteArray errorCodeName(ErrorCode code)
{
    return QByteArray(row(code).wire);
}

int defaultHttpStatus(ErrorCode code)
{
    return row(code).status;
}

} // namespace oauthsim
