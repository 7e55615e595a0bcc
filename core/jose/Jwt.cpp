#include "jose/Jwt.h"

#include "jose/Base64Url.h"
#include "protocol/JsonText.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace oauthsim {

namespace {

const QLatin1StringView kRs256("RS256");

std::optional<QJsonObject> jsonObject(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

} // namespace

QString Jwt::sign(const RsaKey &key, const QJsonObject &claims, const QString &type)
{
    if (!key.hasPrivateKey())
        return {};
    // RFC 7515 §4.1: alg, typ and kid; written by hand to keep this order (QJsonObject sorts its keys).
    QByteArray header = "{\"alg\":\"RS256\"";
    if (!type.isEmpty())
        header += ",\"typ\":" + jsonQuote(type);
    header += ",\"kid\":" + jsonQuote(key.kid()) + '}';
    const QByteArray signingInput =
        base64UrlEncode(header) + '.' + base64UrlEncode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    const QByteArray signature = key.signRs256(signingInput);
    if (signature.isEmpty())
        return {};
    return QString::fromLatin1(signingInput + '.' + base64UrlEncode(signature));
}

JwtVerification Jwt::verify(QStringView token, const KeyLookup &keys)
{
    JwtVerification result;
    const auto fail = [&result](JwtError error) {
        result = JwtVerification{error, {}, {}};
        return result;
    };
    // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature), all ASCII.
    // A non-ASCII character becomes '?' or a byte above 127, which base64url decoding below refuses.
    const QByteArray text = token.toLatin1();
    const QList<QByteArray> parts = text.split('.');
    if (parts.size() != 3)
        return fail(JwtError::Malformed);
    const std::optional<QByteArray> headerBytes = base64UrlDecode(parts.at(0));
    const std::optional<QByteArray> payloadBytes = base64UrlDecode(parts.at(1));
    const std::optional<QByteArray> signature = base64UrlDecode(parts.at(2));
    if (!headerBytes || !payloadBytes || !signature)
        return fail(JwtError::BadEncoding);
    const std::optional<QJsonObject> header = jsonObject(*headerBytes);
    const std::optional<QJsonObject> claims = jsonObject(*payloadBytes);
    if (!header || !claims)
        return fail(JwtError::NotJson);
    // RFC 8725 §3.1: the algorithm is fixed by the verifier, never taken from the token ("none" is refused).
    if (header->value(QLatin1StringView("alg")).toString() != kRs256)
        return fail(JwtError::UnsupportedAlgorithm);
    // RFC 7515 §4.1.11: extensions listed in crit must be understood; this verifier understands none.
    if (header->contains(QLatin1StringView("crit")))
        return fail(JwtError::UnsupportedAlgorithm);
    // A header without kid asks for the key of the empty kid (a verifier with a single key may answer it).
    const QJsonValue kid = header->value(QLatin1StringView("kid"));
    const bool kidUsable = kid.isString() || kid.isUndefined();
    const RsaKey key = kidUsable && keys ? keys(kid.toString()) : RsaKey();
    if (!key.isValid())
        return fail(JwtError::UnknownKey);
    const QByteArray signingInput = parts.at(0) + '.' + parts.at(1);
    if (!key.verifyRs256(signingInput, *signature))
        return fail(JwtError::BadSignature);
    result.header = *header;
    result.claims = *claims;
    return result;
}

QString Jwt::errorText(JwtError error)
{
    switch (error) {
    case JwtError::None:
        return QStringLiteral("valid");
    case JwtError::Malformed:
        return QStringLiteral("not a compact JWS (three base64url parts)");
    case JwtError::BadEncoding:
        return QStringLiteral("a part is not base64url");
    case JwtError::NotJson:
        return QStringLiteral("header or payload is not a JSON object");
    case JwtError::UnsupportedAlgorithm:
        return QStringLiteral("algorithm other than RS256");
    case JwtError::UnknownKey:
        return QStringLiteral("unknown key id");
    case JwtError::BadSignature:
        return QStringLiteral("signature does not verify");
    }
    return {};
}

} // namespace oauthsim
