#pragma once

#include <QString>

namespace oauthsim {

// Client secrets for the editor's "generate" button: 32 bytes from the OS CSPRNG, base64url without padding
// (43 characters). Safe to paste into a URL or an HTTP Basic header without further encoding.
class SecretGenerator
{
public:
    static constexpr int kBytes = 32;
    static QString generate();
};

} // namespace oauthsim
