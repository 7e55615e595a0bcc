#pragma once

#include "ServerSettings.h"

namespace oauthsim {

class ApprovalStore;
class ClientStore;
class CodeStore;
class Clock;
class DeviceCodeStore;
class FlowTracker;
class KeyRing;
class PageRenderer;
class ResponseWriter;
class ServerEvents;
class Sessions;
class TokenGenerator;
class TokenStore;
class UserStore;

// The collaborators endpoints share, handed in at construction (no globals). Owned by OAuthServer.
struct EndpointContext
{
    const ServerSettings &settings;
    const Clock &clock;
    TokenGenerator &random;
    ClientStore &clients;
    UserStore &users;
    CodeStore &codes;
    TokenStore &tokens;
    ApprovalStore &approvals;
    Sessions &sessions;
    FlowTracker &flows;
    ServerEvents &events;
    const ResponseWriter &writer;
    // The issuer identifier (OAuthServer::issuer()): the configured one, else http://ADDR:PORT once listening.
    const QString &issuer;
    DeviceCodeStore &deviceCodes; // RFC 8628 device authorizations
    // The signing keys: the active one signs id_tokens and JWT access tokens; all of them are published (JWKS).
    const KeyRing &keys;

    // The profile running now (ServerSettings::profile): paths, value formats, protocol rules.
    const Profile &profile() const { return settings.profileDescription(); }
};

} // namespace oauthsim
