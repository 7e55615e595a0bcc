#pragma once

#include "model/ScopeSet.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace oauthsim {

// An authorization request as validated by the authorize endpoint, remembered in the session until approved.
struct AuthorizeRequest
{
    QString clientId;
    QString redirectUri;          // the resolved, registered URI the code goes to
    bool redirectUriSent = false; // whether the client named it (then the token request must repeat it)
    QStringList responseTypes;
    ScopeSet scopes;
    std::optional<QString> state;
    QString originalUrl; // absolute URL of the authorize request, for the post-login redirect
    bool operator==(const AuthorizeRequest &) const = default;
};

struct AuthorizationCode
{
    enum class Status
    {
        Pending,
        Redeemed,
        Expired,
        Revoked
    };
    QString code;
    QString clientId;
    QString username;
    ScopeSet scopes;
    QString redirectUri;
    bool redirectUriSent = false;
    std::optional<QString> state;
    qint64 issuedAtMs = 0;
    qint64 expiresAtMs = 0; // 0 = never expires
    quint64 flowId = 0;
    Status status = Status::Pending;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::AuthorizationCode)
