#pragma once

#include "model/ScopeSet.h"

#include <QMetaType>
#include <QString>

namespace oauthsim {

struct IssuedToken
{
    enum class Kind
    {
        Access,
        Refresh
    };
    QString value;
    Kind kind = Kind::Access;
    QString clientId;
    QString username;
    ScopeSet scopes;
    qint64 issuedAtMs = 0;
    qint64 expiresAtMs = 0;
    QString refreshToken; // for an access token: the refresh token it was issued with (may be empty)
    QString grantCode;    // the authorization code the grant started from, for replay revocation
    quint64 flowId = 0;
    qint64 authTimeMs = 0; // when the user logged in (the id_token's auth_time on refresh); 0 = unknown or no user

    bool isExpired(qint64 nowMs) const { return expiresAtMs != 0 && nowMs >= expiresAtMs; }
    // Whole seconds left, truncated, as Spring's serializer: a token just issued for 43200 s shows 43199.
    qint64 expiresInSeconds(qint64 nowMs) const;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::IssuedToken)
