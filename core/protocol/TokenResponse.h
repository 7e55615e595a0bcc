#pragma once

#include "model/IssuedToken.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace oauthsim {

// The token endpoint's success body in the legacy serializer's exact shape and key order:
// {"access_token":…,"token_type":"bearer","refresh_token":…,"id_token":…,"expires_in":N,"scope":"a b"}
// (refresh_token omitted when there is none, id_token when there is none, scope when empty).
struct TokenResponse
{
    IssuedToken access{};
    std::optional<IssuedToken> refresh{};
    std::optional<QString> idToken{}; // OpenID Connect Core §3.1.3.3, when the scopes contain openid

    QByteArray toJson(qint64 nowMs) const;
};

} // namespace oauthsim
