#include "TokenResponse.h"

#include "Profile.h"
#include "protocol/JsonText.h"

namespace oauthsim {

QByteArray TokenResponse::toJson(qint64 nowMs) const
{
    const Profile &legacy = Profile::springLegacy();
    return toJson(nowMs, legacy.tokenType, legacy.tokenResponseOrder);
}

QByteArray TokenResponse::toJson(qint64 nowMs, const QString &tokenType, const QList<TokenField> &order) const
{
    QByteArray out;
    out.reserve(idToken ? 1200 : 160);
    out += '{';
    const auto member = [&out](const char *name, const QByteArray &json) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        out += name;
        out += "\":";
        out += json;
    };
    for (const TokenField field : order) {
        switch (field) {
        case TokenField::AccessToken:
            member("access_token", jsonQuote(access.value));
            break;
        case TokenField::TokenType:
            member("token_type", jsonQuote(tokenType));
            break;
        case TokenField::RefreshToken:
            if (refresh)
                member("refresh_token", jsonQuote(refresh->value));
            break;
        case TokenField::ExpiresIn:
            member("expires_in", QByteArray::number(access.expiresInSeconds(nowMs)));
            break;
        case TokenField::Scope:
            if (!access.scopes.isEmpty())
                member("scope", jsonQuote(access.scopes.joined()));
            break;
        case TokenField::IdToken:
            if (idToken)
                member("id_token", jsonQuote(*idToken));
            break;
        }
    }
    out += '}';
    return out;
}

} // namespace oauthsim
