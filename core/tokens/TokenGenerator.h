#pragma once

#include <QByteArray>
#include <QString>

namespace oauthsim {

// Injected source of the random values the server hands out (codes, tokens, session ids, CSRF tokens).
class TokenGenerator
{
public:
    virtual ~TokenGenerator() = default;
    // Fills a buffer of n bytes from the generator's source; must be a CSPRNG in production.
    virtual QByteArray randomBytes(int n) = 0;

    // Authorization code: `length` characters, each uniform from Spring's 64-character alphabet.
    QString code(int length);
    // Access/refresh token: 20 random bytes, base64url without padding (27 characters), as DefaultTokenServices.
    QString opaqueToken();
    // Session id in Tomcat's shape: 16 random bytes as 32 upper-case hex digits.
    QString sessionId();
    // CSRF token: 16 random bytes, UUID-like hex with dashes (Spring Security's shape).
    QString csrfToken();
};

} // namespace oauthsim
