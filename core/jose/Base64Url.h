#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace oauthsim {

// RFC 7515 §2 base64url: the URL-safe alphabet without '=' padding.
QByteArray base64UrlEncode(QByteArrayView bytes);
// Strict decoding: nullopt for any character outside A-Z a-z 0-9 - _ (padding and whitespace included) or an
// impossible length. An empty input decodes to an empty array.
std::optional<QByteArray> base64UrlDecode(QByteArrayView text);

} // namespace oauthsim
