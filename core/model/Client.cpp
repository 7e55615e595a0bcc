#include "Client.h"

namespace oauthsim {

bool AutoApprove::covers(const ScopeSet &requested) const
{
    switch (mode) {
    case Mode::Off:
        return false;
    case Mode::All:
        return true;
    case Mode::Scopes:
        return scopes.containsAll(requested);
    }
    return false;
}

namespace {
struct MethodName
{
    ClientAuthMethod method;
    QStringView name;
};
constexpr MethodName kMethodNames[] = {
    {ClientAuthMethod::Basic, u"client_secret_basic"},
    {ClientAuthMethod::Post, u"client_secret_post"},
    {ClientAuthMethod::None, u"none"},
};
} // namespace

QString clientAuthMethodName(ClientAuthMethod method)
{
    for (const MethodName &m : kMethodNames) {
        if (m.method == method)
            return m.name.toString();
    }
    return QString();
}

std::optional<ClientAuthMethod> clientAuthMethodFromName(QStringView name)
{
    for (const MethodName &m : kMethodNames) {
        if (m.name == name)
            return m.method;
    }
    return std::nullopt;
}

QString accessTokenFormatName(AccessTokenFormat format)
{
    return format == AccessTokenFormat::Jwt ? QStringLiteral("jwt") : QStringLiteral("opaque");
}

std::optional<AccessTokenFormat> accessTokenFormatFromName(QStringView name)
{
    if (name == u"jwt")
        return AccessTokenFormat::Jwt;
    if (name == u"opaque")
        return AccessTokenFormat::Opaque;
    return std::nullopt;
}

} // namespace oauthsim
