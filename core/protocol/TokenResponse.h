#pragma once

#include "model/IssuedToken.h"

#include <QByteArray>
#include <optional>

namespace oauthsim {

// The token endpoint's success body in the legacy serializer's exact shape and key order:
// {"access_token":…,"token_type":"bearer","refresh_token":…,"expires_in":N,"scope":"a b"}
// (refresh_token omitted when there is none, scope omitted when empty).
struct TokenResponse
{
    IssuedToken access;
    std::optional<IssuedToken> refresh;

    QByteArray toJson(qint64 nowMs) const;
};

} // namespace oauthsim
