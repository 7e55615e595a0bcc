#include "TokenResponse.h"

#include "protocol/JsonText.h"

namespace oauthsim {

QByteArray TokenResponse::toJson(qint64 nowMs) const
{
    QByteArray out;
    out.reserve(160);
    out += "{\"access_token\":" + jsonQuote(access.value) + ",\"token_type\":\"bearer\"";
    if (refresh)
        out += ",\"refresh_token\":" + jsonQuote(refresh->value);
    if (idToken)
        out += ",\"id_token\":" + jsonQuote(*idToken);
    out += ",\"expires_in\":" + QByteArray::number(access.expiresInSeconds(nowMs));
    if (!access.scopes.isEmpty())
        out += ",\"scope\":" + jsonQuote(access.scopes.joined());
    out += '}';
    return out;
}

} // namespace oauthsim
