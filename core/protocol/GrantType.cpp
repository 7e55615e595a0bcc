#include "GrantType.h"

#include <QStringList>

#include <array>
#include <utility>

namespace oauthsim {

namespace {
constexpr std::array<std::pair<GrantType, const char *>, 6> kNames{{
    {GrantType::AuthorizationCode, "authorization_code"},
    {GrantType::RefreshToken, "refresh_token"},
    {GrantType::Implicit, "implicit"},
    {GrantType::Password, "password"},
    {GrantType::ClientCredentials, "client_credentials"},
    {GrantType::DeviceCode, "urn:ietf:params:oauth:grant-type:device_code"}, // RFC 8628 §3.4
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

QList<GrantType> allGrantTypes()
{
    QList<GrantType> out;
    for (const auto &[t, name] : kNames)
        out << t;
    return out;
}

} // namespace oauthsim
