#include "StandardClaims.h"

#include <array>
#include <utility>

namespace oauthsim {

namespace {
// OIDC Core §5.4: the claims each scope value requests, scope by scope in the specification's order.
constexpr std::array<std::pair<const char *, const char *>, 19> kClaims{{
    {"profile", "name"},
    {"profile", "family_name"},
    {"profile", "given_name"},
    {"profile", "middle_name"},
    {"profile", "nickname"},
    {"profile", "preferred_username"},
    {"profile", "profile"},
    {"profile", "picture"},
    {"profile", "website"},
    {"profile", "gender"},
    {"profile", "birthdate"},
    {"profile", "zoneinfo"},
    {"profile", "locale"},
    {"profile", "updated_at"},
    {"email", "email"},
    {"email", "email_verified"},
    {"address", "address"},
    {"phone", "phone_number"},
    {"phone", "phone_number_verified"},
}};
} // namespace

QStringList StandardClaims::forScope(QStringView scope)
{
    QStringList claims;
    for (const auto &[name, claim] : kClaims) {
        if (scope == QLatin1StringView(name))
            claims << QString::fromLatin1(claim);
    }
    return claims;
}

QStringList StandardClaims::claimScopes()
{
    QStringList scopes;
    for (const auto &[name, claim] : kClaims) {
        if (!scopes.contains(QLatin1StringView(name)))
            scopes << QString::fromLatin1(name);
    }
    return scopes;
}

QStringList StandardClaims::all()
{
    QStringList claims{QStringLiteral("sub")};
    for (const auto &[name, claim] : kClaims)
        claims << QString::fromLatin1(claim);
    return claims;
}

} // namespace oauthsim
