#pragma once

#include "protocol/GrantType.h"
#include "model/ScopeSet.h"

#include <QJsonObject>
#include <QMetaType>
#include <QStringList>

#include <optional>

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

// Whether access tokens are random references or self-contained JWTs (RFC 9068).
enum class AccessTokenFormat
{
    Opaque,
    Jwt,
};

// The configuration name of `format`: "opaque" or "jwt".
QString accessTokenFormatName(AccessTokenFormat format);
// The format named `name` (exactly "opaque" or "jwt"), or nullopt.
std::optional<AccessTokenFormat> accessTokenFormatFromName(QStringView name);

// How a client authenticates at the token endpoint (RFC 7591 §2 "token_endpoint_auth_method").
enum class ClientAuthMethod
{
    Any,   // the key left out: HTTP Basic or client_id/client_secret parameters (the legacy Spring behaviour)
    Basic, // client_secret_basic: HTTP Basic only
    Post,  // client_secret_post: client_id/client_secret parameters only
    None,  // none: a public client (RFC 6749 §2.1) without a secret, identified by the client_id parameter
};

// The configuration name of `method` ("client_secret_basic", "client_secret_post", "none"); a null string for Any,
// which the configuration expresses by leaving the key out.
QString clientAuthMethodName(ClientAuthMethod method);
// The method named `name`, or nullopt for a name that is not one of the three above.
std::optional<ClientAuthMethod> clientAuthMethodFromName(QStringView name);

// A registered client. Lifetimes of 0 mean "the server's default".
struct Client
{
    QString id;
    QString secret;
    QStringList redirectUris;
    // Where OpenID Connect RP-Initiated Logout may send the browser afterwards (post_logout_redirect_uri, exact match).
    QStringList postLogoutRedirectUris;
    ScopeSet scopes;
    GrantTypes grantTypes;
    AutoApprove autoApprove;
    int accessTokenLifetime = 0;
    int refreshTokenLifetime = 0;
    ClientAuthMethod authMethod = ClientAuthMethod::Any;
    // Authorization requests must carry a PKCE code_challenge (RFC 7636). Public clients need one regardless.
    bool requirePkce = false;
    // A public client gets refresh tokens only when this is set (and it has the refresh_token grant).
    bool allowRefreshForPublicClient = false;
    // RFC 9068 JWT or opaque access tokens; unset = the profile's default.
    std::optional<AccessTokenFormat> accessTokenFormat;
    // A refresh grant returns a new refresh token and revokes the old one (RFC 9700 §4.14.2); off = reuse (legacy).
    bool rotateRefreshTokens = false;

    bool allows(GrantType type) const { return grantTypes.testFlag(type); }
    // RFC 6749 §2.1: a client that cannot keep a secret ("token_endpoint_auth_method": "none").
    bool isPublic() const { return authMethod == ClientAuthMethod::None; }
    // Whether authorize must insist on a code_challenge: RFC 9700 §2.1.1 makes PKCE mandatory for public clients.
    bool requiresPkce() const { return requirePkce || isPublic(); }
    // Whether token responses to this client may carry a refresh token: the refresh_token grant, and for a public
    // client (whose refresh token an attacker could use without a secret) the explicit opt-in.
    bool mayReceiveRefreshToken() const
    {
        return allows(GrantType::RefreshToken) && (!isPublic() || allowRefreshForPublicClient);
    }
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
