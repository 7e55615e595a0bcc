#pragma once

namespace oauthsim {

class ApprovalStore;
class ClientStore;
class CodeStore;
class Clock;
class FlowTracker;
class PageRenderer;
class ResponseWriter;
class ServerEvents;
class Sessions;
class TokenGenerator;
class TokenStore;
class UserStore;
struct ServerSettings;

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
};

} // namespace oauthsim
