#pragma once

#include "model/IssuedToken.h"

#include <QByteArray>
#include <QList>
#include <optional>

namespace oauthsim {

// The members of a token response, for a profile to order (serializers differ: the legacy one writes
// access_token, token_type, refresh_token, expires_in, scope; Spring Authorization Server's map another order).
enum class TokenField
{
    AccessToken,
    TokenType,
    RefreshToken,
    ExpiresIn,
    Scope,
    IdToken,
};

// The token endpoint's success body (RFC 6749 §5.1, OIDC Core §3.1.3.3). Absent members are left out:
// refresh_token when there is none, scope when empty, id_token without the openid scope.
struct TokenResponse
{
    IssuedToken access{};
    std::optional<IssuedToken> refresh{};
    std::optional<QString> idToken{}; // OpenID Connect Core §3.1.3.3, when the scopes contain openid

    // The legacy serializer's exact shape and key order (PROTOCOL.md):
    // {"access_token":…,"token_type":"bearer","refresh_token":…,"expires_in":N,"scope":"a b"}
    QByteArray toJson(qint64 nowMs) const;
    // The body with `tokenType` ("bearer" or "Bearer") and members in `order`.
    QByteArray toJson(qint64 nowMs, const QString &tokenType, const QList<TokenField> &order) const;
};

} // namespace oauthsim
