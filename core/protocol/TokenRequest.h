#pragma once

#include "http/FormParser.h"
#include "model/ScopeSet.h"

#include <optional>

namespace oauthsim {

struct Client;

// A token request after parsing and client authentication: what every grant handler receives.
struct TokenRequest
{
    QString grantType;
    FormParameters params;          // query and body, merged
    std::optional<ScopeSet> scope;  // present when the client sent a scope parameter
    const Client *client = nullptr; // authenticated
};

} // namespace oauthsim
