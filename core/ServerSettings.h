#pragma once

#include "Profile.h"
#include "model/Client.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <span>

namespace oauthsim {

// Everything the server is configured with. Defaults are the seed's world (../shared/PROTOCOL.md);
// ConfigRepository builds one from the embedded default and an optional --config overlay and validates it.
struct ServerSettings
{
    QString bindAddress = QStringLiteral("127.0.0.1");
    int port = 8090;
    QString issuer; // empty = http://ADDR:PORT once listening
    ProfileId profile = ProfileId::SpringLegacy;

    int accessTokenLifetime = 43200;    // s, DefaultTokenServices
    int refreshTokenLifetime = 2592000; // s, 30 days
    int idTokenLifetime = 1800;         // s; Spring Authorization Server's JwtGenerator: fixed 30 minutes
    int codeLength = 6;
    int codeLifetime = 300;         // s; 0 = never expire (Spring: single use only)
    bool reuseLiveTokens = true;    // a second token request for the same grant returns the live token
    bool rememberApprovals = true;  // a live access token skips the approval page
    bool persistIssuedState = true; // codes, tokens, sessions and approvals survive a restart (state.json)
    int maxBodyBytes = 64 * 1024;
    int sessionIdleTimeout = 1800; // s, Tomcat's default
    // Origins whose browser apps may call the CORS-enabled endpoints ("*" = any). Empty = the default: any
    // http://localhost[:PORT] and http://127.0.0.1[:PORT] origin.
    QStringList corsAllowedOrigins;

    QList<Client> clients;
    QList<User> users;

    const Profile &profileDescription() const { return Profile::get(profile); }
    // Switches to another profile and resets what it has defaults for (lifetimes, code length) to them;
    // a configuration read afterwards can still override each. Nothing changes for the running profile.
    void useProfile(ProfileId id)
    {
        if (id == profile)
            return;
        profile = id;
        for (const ProfileDefault &d : profileDefaults())
            this->*d.setting = profileDescription().*d.value;
    }
    // The settings a profile has defaults for, and where in Profile each default is (useProfile, the window).
    struct ProfileDefault
    {
        int ServerSettings::*setting;
        int Profile::*value;
    };
    static std::span<const ProfileDefault> profileDefaults()
    {
        static constexpr ProfileDefault kDefaults[] = {
            {&ServerSettings::accessTokenLifetime, &Profile::defaultAccessTokenLifetime},
            {&ServerSettings::refreshTokenLifetime, &Profile::defaultRefreshTokenLifetime},
            {&ServerSettings::codeLength, &Profile::defaultCodeLength},
            {&ServerSettings::codeLifetime, &Profile::defaultCodeLifetime},
        };
        return kDefaults;
    }
    // The client's own access token format, else the profile's default.
    AccessTokenFormat accessTokenFormatFor(const Client &client) const
    {
        return client.accessTokenFormat.value_or(profileDescription().defaultAccessTokenFormat);
    }
    int accessLifetimeFor(const Client &client) const
    {
        return client.accessTokenLifetime > 0 ? client.accessTokenLifetime : accessTokenLifetime;
    }
    int refreshLifetimeFor(const Client &client) const
    {
        return client.refreshTokenLifetime > 0 ? client.refreshTokenLifetime : refreshTokenLifetime;
    }
};

} // namespace oauthsim
