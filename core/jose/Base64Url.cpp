#include "jose/Base64Url.h"

namespace oauthsim {

QByteArray base64UrlEncode(QByteArrayView bytes)
{
    return bytes.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> base64UrlDecode(QByteArrayView text)
{
    // RFC 7515 §2: no padding, no line breaks, no whitespace, no other characters. Qt's decoder alone would accept
    // '=' padding, so the alphabet is checked here first.
    for (const char c : text) {
        const bool ok =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return std::nullopt;
    }
    if (text.size() % 4 == 1) // RFC 7515 Appendix C: a remainder of one character cannot encode a byte
        return std::nullopt;
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
        text.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

} // namespace oauthsim
