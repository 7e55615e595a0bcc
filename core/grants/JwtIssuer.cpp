#include "grants/JwtIssuer.h"

#include "ServerSettings.h"
#include "jose/Base64Url.h"
#include "jose/Jwt.h"
#include "jose/KeyRing.h"
#include "model/IssuedToken.h"
#include "tokens/TokenGenerator.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QUuid>

namespace oauthsim {

JwtIssuer::JwtIssuer(const ServerSettings &settings, const KeyRing &keys, const QString &issuer, TokenGenerator &random)
    : m_settings(settings), m_keys(keys), m_issuer(issuer), m_random(random)
{}

bool JwtIssuer::canSign() const
{
    return m_keys.hasKey();
}

QString JwtIssuer::newJwtId() const
{
    // A random (version 4) UUID, as Spring Authorization Server's UUID.randomUUID(), from the injected generator.
    QByteArray bytes = m_random.randomBytes(16);
    bytes[6] = char((bytes[6] & 0x0f) | 0x40);
    bytes[8] = char((bytes[8] & 0x3f) | 0x80);
    return QUuid::fromRfc4122(bytes).toString(QUuid::WithoutBraces);
}

QString JwtIssuer::accessToken(const IssuedToken &token) const
{
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat and jti are required; scope per §2.2.3.
    QJsonObject claims{{QStringLiteral("iss"), m_issuer},
                       {QStringLiteral("sub"), token.username.isEmpty() ? token.clientId : token.username},
                       {QStringLiteral("aud"), token.clientId},
                       {QStringLiteral("iat"), token.issuedAtMs / 1000},
                       {QStringLiteral("jti"), newJwtId()},
                       {QStringLiteral("client_id"), token.clientId}};
    if (token.expiresAtMs != 0)
        claims.insert(QStringLiteral("exp"), token.expiresAtMs / 1000);
    if (!token.scopes.isEmpty())
        claims.insert(QStringLiteral("scope"), token.scopes.joined());
    // RFC 9068 §2.1: typ "at+jwt" tells access tokens from id_tokens.
    return Jwt::sign(m_keys.activeKey(), claims, QStringLiteral("at+jwt"));
}

QString JwtIssuer::idToken(const IssuedToken &access, const Authentication &authentication, qint64 nowMs) const
{
    const qint64 iat = nowMs / 1000;
    // OpenID Connect Core §2: iss, sub, aud, exp and iat are required; azp names the authorized party.
    QJsonObject claims{{QStringLiteral("iss"), m_issuer},
                       {QStringLiteral("sub"), access.username},
                       {QStringLiteral("aud"), access.clientId},
                       {QStringLiteral("azp"), access.clientId},
                       {QStringLiteral("iat"), iat},
                       {QStringLiteral("exp"), iat + m_settings.idTokenLifetime},
                       {QStringLiteral("at_hash"), accessTokenHash(access.value)}};
    if (authentication.authTimeMs > 0)
        claims.insert(QStringLiteral("auth_time"), authentication.authTimeMs / 1000);
    // OpenID Connect Core §3.1.3.6: the nonce of the authentication request, unmodified.
    if (authentication.nonce)
        claims.insert(QStringLiteral("nonce"), *authentication.nonce);
    return Jwt::sign(m_keys.activeKey(), claims, QStringLiteral("JWT"));
}

QString JwtIssuer::accessTokenHash(const QString &accessToken)
{
    // OpenID Connect Core §3.1.3.6: hash with the id_token's alg hash (RS256: SHA-256), keep the left-most half.
    const QByteArray digest = QCryptographicHash::hash(accessToken.toLatin1(), QCryptographicHash::Sha256);
    return QString::fromLatin1(base64UrlEncode(digest.left(digest.size() / 2)));
}

} // namespace oauthsim
