#pragma once

#include "jose/RsaKey.h"

#include <QJsonObject>
#include <QString>

#include <functional>

namespace oauthsim {

// Why a compact JWS was refused.
enum class JwtError
{
    None,
    Malformed,            // not three dot-separated parts
    BadEncoding,          // a part is not strict base64url (RFC 7515 §2)
    NotJson,              // the header or the payload is not a JSON object
    UnsupportedAlgorithm, // alg is not RS256 ("none" included), or a crit header asks for an unknown extension
    UnknownKey,           // no key for the header's kid
    BadSignature,         // the signature does not verify
};

// What decoding a JWS gave: the error, or the verified header and claims.
struct JwtVerification
{
    JwtError error = JwtError::None;
    QJsonObject header;
    QJsonObject claims;
    bool ok() const { return error == JwtError::None; }
};

// Compact JWS (RFC 7515 §7.1) signed with RS256 (RFC 7518 §3.3): the JWTs the server issues (RFC 7519).
class Jwt
{
public:
    // The key for a kid, or an invalid RsaKey when there is none.
    using KeyLookup = std::function<RsaKey(const QString &kid)>;

    // header.payload.signature with the header {"alg":"RS256","typ":<type>,"kid":<key.kid()>} (typ left out when
    // empty) and the claims as compact JSON. Empty when the key cannot sign (invalid or public only).
    static QString sign(const RsaKey &key, const QJsonObject &claims, const QString &type = QStringLiteral("JWT"));
    // Splits, decodes and verifies `token` against the key its header's kid names (the empty kid when the header
    // has none). Only RS256 is accepted.
    static JwtVerification verify(QStringView token, const KeyLookup &keys);
    // A short English name of the error, for debug details.
    static QString errorText(JwtError error);
};

} // namespace oauthsim
