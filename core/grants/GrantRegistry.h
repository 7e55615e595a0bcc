#pragma once

#include "grants/GrantHandler.h"

#include <memory>
#include <vector>

namespace oauthsim {

// The grant handlers the token endpoint dispatches to, by grant_type.
class GrantRegistry
{
public:
    void add(std::unique_ptr<GrantHandler> handler) { m_handlers.push_back(std::move(handler)); }
    // nullptr when no handler serves this grant_type.
    GrantHandler *find(QStringView grantType) const
    {
        const std::optional<GrantType> type = grantTypeFromName(grantType);
        if (!type)
            return nullptr;
        for (const auto &handler : m_handlers) {
            if (handler->type() == *type)
                return handler.get();
        }
        return nullptr;
    }

private:
    std::vector<std::unique_ptr<GrantHandler>> m_handlers;
};

} // namespace oauthsim
