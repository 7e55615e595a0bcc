#include "IssuedToken.h"

namespace oauthsim {

qint64 IssuedToken::expiresInSeconds(qint64 nowMs) const
{
    // Spring computes (expiration - now) / 1000 some milliseconds after creating the token; the -1 ms
    // reproduces that on a clock that has not moved.
    const qint64 remaining = expiresAtMs - nowMs;
    return remaining <= 0 ? 0 : (remaining - 1) / 1000;
}

} // namespace oauthsim
