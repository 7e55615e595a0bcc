#pragma once

#include <QFlags>
#include <QList>
#include <QString>

#include <optional>

namespace oauthsim {

enum class GrantType : unsigned
{
    AuthorizationCode = 1,
    RefreshToken = 2,
    Implicit = 4,
    Password = 8,
    ClientCredentials = 16,
    DeviceCode = 32, // RFC 8628 §3.4
};
Q_DECLARE_FLAGS(GrantTypes, GrantType)
Q_DECLARE_OPERATORS_FOR_FLAGS(GrantTypes)

// Wire name ("authorization_code", ...).
QString grantTypeName(GrantType type);
// nullopt for a name oauthsim does not know.
std::optional<GrantType> grantTypeFromName(QStringView name);
QStringList grantTypeNames(GrantTypes types);
// Every grant type oauthsim knows, in the order lists show them.
QList<GrantType> allGrantTypes();

} // namespace oauthsim
