#pragma once

#include <QString>

#include <optional>

namespace oauthsim {

class KeyRing;
class TokenGenerator;
struct IssuedToken;
struct ServerSettings;

// Makes the JWTs the server hands out, signed (RS256) with the key ring's active key: RFC 9068 access tokens and
// OpenID Connect id_tokens. Each method returns an empty string when there is no signing key.
class JwtIssuer
{
public:
    // `issuer` is read at every call (OAuthServer::issuer(), which changes once the server listens).
    JwtIssuer(const ServerSettings &settings, const KeyRing &keys, const QString &issuer, TokenGenerator &random);

    bool canSign() const;

    // RFC 9068 §2.2: header typ "at+jwt"; claims iss, sub (the user, or the client for a client-only token), aud
    // (the client), exp and iat (the token's own times), jti (random), client_id, scope (space-delimited).
    QString accessToken(const IssuedToken &token) const;

    // What an id_token says beyond the access token it comes with.
    struct Authentication
    {
        qint64 authTimeMs = 0;        // when the user logged in; 0 = unknown (no auth_time claim)
        std::optional<QString> nonce; // the authorize request's nonce (code grant only)
    };
    // OpenID Connect Core §2 / §3.1.3.6: claims iss, sub, aud and azp (the client), exp (iat + the id_token
    // lifetime), iat (nowMs), auth_time, nonce (echoed exactly) and at_hash of `access`.
    QString idToken(const IssuedToken &access, const Authentication &authentication, qint64 nowMs) const;

    // OpenID Connect Core §3.1.3.6 at_hash: base64url of the left half of SHA-256 over the token's ASCII octets.
    static QString accessTokenHash(const QString &accessToken);

private:
    QString newJwtId() const;

    const ServerSettings &m_settings;
    const KeyRing &m_keys;
    const QString &m_issuer;
    TokenGenerator &m_random;
};

} // namespace oauthsim
