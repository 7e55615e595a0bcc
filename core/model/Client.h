#pragma once

#include "protocol/GrantType.h"
#include "model/ScopeSet.h"

#include <QJsonObject>
#include <QMetaType>
#include <QStringList>

namespace oauthsim {

// Which scopes the user is not asked about (Spring's client "autoapprove": false, true, or a list).
struct AutoApprove
{
    enum class Mode
    {
        Off,
        All,
        Scopes
    };
    Mode mode = Mode::Off;
    ScopeSet scopes; // used when mode == Scopes

    // True when every requested scope is covered (Spring: all requested scopes must be auto-approved).
    bool covers(const ScopeSet &requested) const;
    bool operator==(const AutoApprove &) const = default;
};

// A registered client. Lifetimes of 0 mean "the server's default".
struct Client
{
    QString id;
    QString secret;
    QStringList redirectUris;
    ScopeSet scopes;
    GrantTypes grantTypes;
    AutoApprove autoApprove;
    int accessTokenLifetime = 0;
    int refreshTokenLifetime = 0;

    bool allows(GrantType type) const { return grantTypes.testFlag(type); }
    bool operator==(const Client &) const = default;
};

struct User
{
    QString username;
    QString password;
    QStringList authorities{QStringLiteral("ROLE_USER")};
    QJsonObject claims; // e.g. {"name": "…", "email": "…"}
    bool operator==(const User &) const = default;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::Client)
Q_DECLARE_METATYPE(oauthsim::User)
