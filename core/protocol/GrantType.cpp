#include "GrantType.h"

#include <QStringList>

#include <array>
#include <utility>

namespace oauthsim {

namespace {
constexpr std::array<std::pair<GrantType, const char *>, 5> kNames{{
    {GrantType::AuthorizationCode, "authorization_code"},
    {GrantType::RefreshToken, "refresh_token"},
    {GrantType::Implicit, "implicit"},
    {GrantType::Password, "password"},
    {GrantType::ClientCredentials, "client_credentials"},
}};
} // namespace

QString grantTypeName(GrantType type)
{
    for (const auto &[t, name] : kNames) {
        if (t == type)
            return QString::fromLatin1(name);
    }
    return {};
}

std::optional<GrantType> grantTypeFromName(QStringView name)
{
    for (const auto &[t, n] : kNames) {
        if (name == QLatin1StringView(n))
            return t;
    }
    return std::nullopt;
}

QStringList grantTypeNames(GrantTypes types)
{
    QStringList out;
    for (const auto &[t, name] : kNames) {
        if (types.testFlag(t))
            out << QString::fromLatin1(name);
    }
    return out;
}

} // namespace oauthsim
