#include "Client.h"

namespace oauthsim {

bool AutoApprove::covers(const ScopeSet &requested) const
{
    switch (mode) {
    case Mode::Off:
        return false;
    case Mode::All:
        return true;
    case Mode::Scopes:
        return scopes.containsAll(requested);
    }
    return false;
}

} // namespace oauthsim
