#include "ClientValidator.h"

#include <QUrl>

#include <algorithm>

namespace oauthsim {

bool ClientValidator::isValidRedirectUri(const QString &uri)
{
    const QUrl url(uri, QUrl::StrictMode);
    const bool http = url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https");
    return url.isValid() && !url.isRelative() && !url.hasFragment() && (!http || !url.host().isEmpty());
}

bool ClientValidator::isValidScopeName(const QString &name)
{
    return !name.isEmpty() && std::none_of(name.cbegin(), name.cend(), [](QChar c) { return c.isSpace(); });
}

QString ClientValidator::publicClientSecretMessage()
{
    return tr("must be empty for a public client (token_endpoint_auth_method \"none\")");
}

std::optional<FieldError> ClientValidator::validate(const Client &client, const QList<Client> &existing,
                                                    const QString &previousId)
{
    if (client.id.trimmed().isEmpty())
        return FieldError{QStringLiteral("client_id"), tr("must not be empty")};
    for (const Client &other : existing) {
        if (other.id == client.id && other.id != previousId)
            return FieldError{QStringLiteral("client_id"), tr("duplicate client_id \"%1\"").arg(client.id)};
    }
    // RFC 6749 §2.1: a public client cannot keep a secret, so it has none.
    if (client.isPublic() && !client.secret.isEmpty())
        return FieldError{QStringLiteral("client_secret"), publicClientSecretMessage()};
    for (qsizetype i = 0; i < client.redirectUris.size(); ++i) {
        if (!isValidRedirectUri(client.redirectUris.at(i)))
            return FieldError{QStringLiteral("redirect_uris[%1]").arg(i), tr("not a valid absolute URI")};
    }
    for (qsizetype i = 0; i < client.postLogoutRedirectUris.size(); ++i) {
        if (!isValidRedirectUri(client.postLogoutRedirectUris.at(i)))
            return FieldError{QStringLiteral("post_logout_redirect_uris[%1]").arg(i), tr("not a valid absolute URI")};
    }
    for (qsizetype i = 0; i < client.scopes.names().size(); ++i) {
        if (!isValidScopeName(client.scopes.names().at(i)))
            return FieldError{QStringLiteral("scopes[%1]").arg(i), tr("must not be empty or contain whitespace")};
    }
    if (client.grantTypes == GrantTypes())
        return FieldError{QStringLiteral("grant_types"), tr("choose at least one grant type")};
    if (client.autoApprove.mode == AutoApprove::Mode::Scopes) {
        const QString outside = client.autoApprove.scopes.firstOutside(client.scopes);
        if (!outside.isNull())
            return FieldError{QStringLiteral("autoapprove"),
                              tr("\"%1\" is not one of the client's scopes").arg(outside)};
    }
    if (client.accessTokenLifetime < 0)
        return FieldError{QStringLiteral("access_token_lifetime"), tr("must be a positive number of seconds")};
    if (client.refreshTokenLifetime < 0)
        return FieldError{QStringLiteral("refresh_token_lifetime"), tr("must be a positive number of seconds")};
    return std::nullopt;
}

std::optional<FieldError> ClientValidator::validate(const User &user, const QList<User> &existing,
                                                    const QString &previousUsername)
{
    if (user.username.trimmed().isEmpty())
        return FieldError{QStringLiteral("username"), tr("must not be empty")};
    for (const User &other : existing) {
        if (other.username == user.username && other.username != previousUsername)
            return FieldError{QStringLiteral("username"), tr("duplicate username \"%1\"").arg(user.username)};
    }
    return std::nullopt;
}

} // namespace oauthsim
