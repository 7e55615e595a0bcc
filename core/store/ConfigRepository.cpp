#include "ConfigRepository.h"

#include "http/Cors.h"
#include "model/ClientValidator.h"

#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <climits>
#include <cmath>
#include <initializer_list>

namespace oauthsim {

namespace {

constexpr int kSchemaVersion = 1;

QString keyPath(const QString &parent, QLatin1StringView key)
{
    return parent.isEmpty() ? QString(key) : parent + QLatin1Char('.') + key;
}

QString indexPath(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

bool isHttpScheme(const QString &scheme)
{
    return scheme == QLatin1StringView("http") || scheme == QLatin1StringView("https");
}

// Walks one document and writes into the settings it was given; stops at the first problem, kept in m_error.
// Every read* method returns false once a problem is recorded, so callers just chain them.
class OverlayReader
{
public:
    const ConfigError &error() const { return m_error; }

    bool read(const QJsonObject &root, ServerSettings &settings)
    {
        // The version is checked before the keys: a newer file's new keys should not hide the real reason.
        int version = kSchemaVersion;
        if (root.contains(QLatin1StringView("schema_version")) &&
            !readInt(root.value(QLatin1StringView("schema_version")), QStringLiteral("schema_version"), INT_MIN,
                     INT_MAX, &version))
            return false;
        if (version != kSchemaVersion)
            return fail(QStringLiteral("schema_version"),
                        ConfigRepository::tr("unsupported schema version %1 (this oauthsim reads %2)")
                            .arg(version)
                            .arg(kSchemaVersion));
        if (!checkKeys(root, QString(), {"schema_version", "server", "tokens", "limits", "clients", "users"}))
            return false;

        return optionalObject(root, QString(), "server",
                              [&](const QJsonObject &o) { return readServer(o, settings); }) &&
               optionalObject(root, QString(), "tokens",
                              [&](const QJsonObject &o) { return readTokens(o, settings); }) &&
               optionalObject(root, QString(), "limits",
                              [&](const QJsonObject &o) { return readLimits(o, settings); }) &&
               optional(root, QString(), "clients",
                        [&](const QJsonValue &v, const QString &) { return readClients(v, settings); }) &&
               optional(root, QString(), "users",
                        [&](const QJsonValue &v, const QString &) { return readUsers(v, settings); });
    }

private:
    bool fail(const QString &path, const QString &message)
    {
        m_error = ConfigError{path, message};
        return false;
    }

    bool checkKeys(const QJsonObject &object, const QString &path, std::initializer_list<const char *> known)
    {
        for (auto it = object.begin(); it != object.end(); ++it) {
            bool isKnown = false;
            for (const char *name : known)
                isKnown = isKnown || it.key() == QLatin1StringView(name);
            if (!isKnown)
                return fail(path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(),
                            ConfigRepository::tr("unknown key"));
        }
        return true;
    }

    // Runs `reader` on parent[key] when it is present and an object.
    template <typename Reader>
    bool optionalObject(const QJsonObject &parent, const QString &path, const char *key, Reader reader)
    {
        return optional(parent, path, key, [&](const QJsonValue &v, const QString &p) {
            return v.isObject() ? reader(v.toObject()) : fail(p, ConfigRepository::tr("expected an object"));
        });
    }

    bool readInt(const QJsonValue &value, const QString &path, qint64 min, qint64 max, int *out)
    {
        const double number = value.toDouble();
        if (!value.isDouble() || number != std::trunc(number))
            return fail(path, ConfigRepository::tr("expected an integer"));
        if (number < double(min) || number > double(max)) {
            if (max == INT_MAX && number < double(min))
                return fail(path, ConfigRepository::tr("must be at least %1").arg(min));
            if (max == INT_MAX)
                return fail(path, ConfigRepository::tr("must be at most %1").arg(max));
            return fail(path, ConfigRepository::tr("must be between %1 and %2").arg(min).arg(max));
        }
        *out = int(number);
        return true;
    }

    bool readString(const QJsonValue &value, const QString &path, QString *out)
    {
        if (!value.isString())
            return fail(path, ConfigRepository::tr("expected a string"));
        *out = value.toString();
        return true;
    }

    bool readBool(const QJsonValue &value, const QString &path, bool *out)
    {
        if (!value.isBool())
            return fail(path, ConfigRepository::tr("expected a boolean"));
        *out = value.toBool();
        return true;
    }

    bool readArray(const QJsonValue &value, const QString &path, QJsonArray *out)
    {
        if (!value.isArray())
            return fail(path, ConfigRepository::tr("expected an array"));
        *out = value.toArray();
        return true;
    }

    bool readStringList(const QJsonValue &value, const QString &path, QStringList *out)
    {
        QJsonArray array;
        if (!readArray(value, path, &array))
            return false;
        QStringList list;
        for (qsizetype i = 0; i < array.size(); ++i) {
            QString item;
            if (!readString(array.at(i), indexPath(path, i), &item))
                return false;
            list << item;
        }
        *out = list;
        return true;
    }

    // Reads object[key] with `reader` when present; absent keys keep the current value (overlay semantics).
    template <typename Reader>
    bool optional(const QJsonObject &object, const QString &path, const char *key, Reader reader)
    {
        const QLatin1StringView name(key);
        return !object.contains(name) || reader(object.value(name), keyPath(path, name));
    }

    bool optionalInt(const QJsonObject &object, const QString &path, const char *key, qint64 min, qint64 max, int *out)
    {
        return optional(object, path, key,
                        [&](const QJsonValue &v, const QString &p) { return readInt(v, p, min, max, out); });
    }

    bool optionalBool(const QJsonObject &object, const QString &path, const char *key, bool *out)
    {
        return optional(object, path, key, [&](const QJsonValue &v, const QString &p) { return readBool(v, p, out); });
    }

    bool required(const QJsonObject &object, const QString &path, const char *key)
    {
        if (object.contains(QLatin1StringView(key)))
            return true;
        return fail(keyPath(path, QLatin1StringView(key)), ConfigRepository::tr("required key is missing"));
    }

    bool readServer(const QJsonObject &server, ServerSettings &settings)
    {
        const QString path = QStringLiteral("server");
        return checkKeys(server, path, {"bind", "port", "issuer", "cors_allowed_origins", "profile"}) &&
               optional(server, path, "profile",
                        [&](const QJsonValue &v, const QString &p) { return readProfile(v, p, settings); }) &&
               optional(server, path, "bind",
                        [&](const QJsonValue &v, const QString &p) { return readBind(v, p, &settings.bindAddress); }) &&
               optionalInt(server, path, "port", 0, 65535, &settings.port) &&
               optional(server, path, "issuer",
                        [&](const QJsonValue &v, const QString &p) {
                            QString text;
                            return readString(v, p, &text) && readIssuer(text, p, &settings.issuer);
                        }) &&
               optional(server, path, "cors_allowed_origins", [&](const QJsonValue &v, const QString &p) {
                   return readOrigins(v, p, &settings.corsAllowedOrigins);
               });
    }

    // A profile named in the overlay brings its defaults (lifetimes, code length); the "tokens" keys, read after
    // "server", still override them.
    bool readProfile(const QJsonValue &value, const QString &path, ServerSettings &settings)
    {
        QString name;
        if (!readString(value, path, &name))
            return false;
        const std::optional<ProfileId> id = Profile::idFromName(name);
        if (!id)
            return fail(path, ConfigRepository::tr("unknown profile \"%1\" (known: %2)")
                                  .arg(name, Profile::names().join(QLatin1String(", "))));
        settings.useProfile(*id);
        return true;
    }

    // Origins as browsers send them in Origin (RFC 6454 §6.2), or "*"; an empty list means the loopback default.
    bool readOrigins(const QJsonValue &value, const QString &path, QStringList *out)
    {
        QStringList origins;
        if (!readStringList(value, path, &origins))
            return false;
        for (qsizetype i = 0; i < origins.size(); ++i) {
            if (!Cors::isValidOriginSetting(origins.at(i)))
                return fail(indexPath(path, i),
                            ConfigRepository::tr("not an origin: http or https, a host and an optional port, "
                                                 "nothing after them (not even \"/\"), or \"*\""));
        }
        *out = origins;
        return true;
    }

    bool readBind(const QJsonValue &value, const QString &path, QString *out)
    {
        QString text;
        if (!readString(value, path, &text))
            return false;
        const std::optional<QString> address = ConfigRepository::parseBindAddress(text);
        if (!address)
            return fail(path, ConfigRepository::tr("\"%1\" is not an IP address or \"localhost\"").arg(text));
        *out = *address;
        return true;
    }

    // An empty issuer means "derive it from the listening address", so an overlay can go back to that.
    bool readIssuer(const QString &text, const QString &path, QString *out)
    {
        if (const std::optional<QString> problem = ConfigRepository::issuerProblem(text))
            return fail(path, *problem);
        *out = text;
        return true;
    }

    bool readTokens(const QJsonObject &tokens, ServerSettings &settings)
    {
        const QString path = QStringLiteral("tokens");
        return checkKeys(tokens, path,
                         {"access_token_lifetime", "refresh_token_lifetime", "code_length", "code_lifetime",
                          "reuse_live_tokens", "remember_approvals", "persist_issued_state"}) &&
               optionalInt(tokens, path, "access_token_lifetime", 1, INT_MAX, &settings.accessTokenLifetime) &&
               optionalInt(tokens, path, "refresh_token_lifetime", 1, INT_MAX, &settings.refreshTokenLifetime) &&
               optionalInt(tokens, path, "code_length", 4, 128, &settings.codeLength) &&
               optionalInt(tokens, path, "code_lifetime", 0, INT_MAX, &settings.codeLifetime) &&
               optionalBool(tokens, path, "reuse_live_tokens", &settings.reuseLiveTokens) &&
               optionalBool(tokens, path, "remember_approvals", &settings.rememberApprovals) &&
               optionalBool(tokens, path, "persist_issued_state", &settings.persistIssuedState);
    }

    bool readLimits(const QJsonObject &limits, ServerSettings &settings)
    {
        const QString path = QStringLiteral("limits");
        return checkKeys(limits, path, {"max_body_bytes", "session_idle_timeout"}) &&
               optionalInt(limits, path, "max_body_bytes", 1024, 64 * 1024 * 1024, &settings.maxBodyBytes) &&
               optionalInt(limits, path, "session_idle_timeout", 1, INT_MAX, &settings.sessionIdleTimeout);
    }

    bool readClients(const QJsonValue &value, ServerSettings &settings)
    {
        const QString path = QStringLiteral("clients");
        QJsonArray array;
        if (!readArray(value, path, &array))
            return false;
        QList<Client> clients;
        QSet<QString> ids;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemPath = indexPath(path, i);
            if (!array.at(i).isObject())
                return fail(itemPath, ConfigRepository::tr("expected an object"));
            Client client;
            if (!readClient(array.at(i).toObject(), itemPath, &client))
                return false;
            if (ids.contains(client.id))
                return fail(keyPath(itemPath, QLatin1StringView("client_id")),
                            ConfigRepository::tr("duplicate client_id \"%1\"").arg(client.id));
            ids.insert(client.id);
            clients << client;
        }
        settings.clients = clients;
        return true;
    }

    bool readClient(const QJsonObject &object, const QString &path, Client *client)
    {
        if (!checkKeys(object, path,
                       {"client_id", "client_secret", "redirect_uris", "scopes", "grant_types", "autoapprove",
                        "access_token_lifetime", "refresh_token_lifetime", "token_endpoint_auth_method", "require_pkce",
                        "allow_refresh_for_public_client", "post_logout_redirect_uris", "access_token_format",
                        "rotate_refresh_tokens"}))
            return false;
        // Spring's BaseClientDetails grants these two when a client names none.
        client->grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
        const auto nonEmptyId = [&](const QJsonValue &v, const QString &p) {
            if (!readString(v, p, &client->id))
                return false;
            return !client->id.isEmpty() || fail(p, ConfigRepository::tr("must not be empty"));
        };
        const auto authMethod = [&](const QJsonValue &v, const QString &p) { return readAuthMethod(v, p, client); };
        const auto secret = [&](const QJsonValue &v, const QString &p) {
            if (!readString(v, p, &client->secret))
                return false;
            // RFC 6749 §2.1: a public client cannot keep a secret, so it has none.
            return !client->isPublic() || client->secret.isEmpty() ||
                   fail(p, ClientValidator::publicClientSecretMessage());
        };
        const auto redirects = [&](const QJsonValue &v, const QString &p) {
            return readRedirectUris(v, p, &client->redirectUris);
        };
        const auto logoutRedirects = [&](const QJsonValue &v, const QString &p) {
            return readRedirectUris(v, p, &client->postLogoutRedirectUris);
        };
        const auto scopes = [&](const QJsonValue &v, const QString &p) { return readScopes(v, p, client); };
        const auto grants = [&](const QJsonValue &v, const QString &p) { return readGrantTypes(v, p, client); };
        const auto autoApprove = [&](const QJsonValue &v, const QString &p) { return readAutoApprove(v, p, client); };
        const auto tokenFormat = [&](const QJsonValue &v, const QString &p) {
            return readAccessTokenFormat(v, p, client);
        };
        // Scopes come before autoapprove, which is checked against them; the authentication method before the
        // secret, which a public client ("none") neither needs nor may have.
        return required(object, path, "client_id") && optional(object, path, "client_id", nonEmptyId) &&
               optional(object, path, "token_endpoint_auth_method", authMethod) &&
               (!m_secretsRequired || client->isPublic() || required(object, path, "client_secret")) &&
               optional(object, path, "client_secret", secret) && optional(object, path, "redirect_uris", redirects) &&
               optional(object, path, "scopes", scopes) && optional(object, path, "grant_types", grants) &&
               optional(object, path, "autoapprove", autoApprove) &&
               optionalInt(object, path, "access_token_lifetime", 1, INT_MAX, &client->accessTokenLifetime) &&
               optionalInt(object, path, "refresh_token_lifetime", 1, INT_MAX, &client->refreshTokenLifetime) &&
               optionalBool(object, path, "require_pkce", &client->requirePkce) &&
               optionalBool(object, path, "allow_refresh_for_public_client", &client->allowRefreshForPublicClient) &&
               optional(object, path, "post_logout_redirect_uris", logoutRedirects) &&
               optional(object, path, "access_token_format", tokenFormat) &&
               optionalBool(object, path, "rotate_refresh_tokens", &client->rotateRefreshTokens);
    }

    // "jwt" (RFC 9068) or "opaque"; leaving it out means the profile's default.
    bool readAccessTokenFormat(const QJsonValue &value, const QString &path, Client *client)
    {
        QString name;
        if (!readString(value, path, &name))
            return false;
        const std::optional<AccessTokenFormat> format = accessTokenFormatFromName(name);
        if (!format)
            return fail(path, ConfigRepository::tr("unknown format \"%1\" (\"jwt\" or \"opaque\")").arg(name));
        client->accessTokenFormat = *format;
        return true;
    }

    // RFC 7591 §2 token_endpoint_auth_method; leaving it out keeps the legacy "Basic or parameters".
    bool readAuthMethod(const QJsonValue &value, const QString &path, Client *client)
    {
        QString name;
        if (!readString(value, path, &name))
            return false;
        const std::optional<ClientAuthMethod> method = clientAuthMethodFromName(name);
        if (!method)
            return fail(path, ConfigRepository::tr("unknown method \"%1\"").arg(name));
        client->authMethod = *method;
        return true;
    }

    // redirect_uris and post_logout_redirect_uris alike.
    bool readRedirectUris(const QJsonValue &value, const QString &path, QStringList *out)
    {
        QStringList uris;
        if (!readStringList(value, path, &uris))
            return false;
        for (qsizetype i = 0; i < uris.size(); ++i) {
            // RFC 6749 §3.1.2: the redirection endpoint URI must be absolute and must not include a fragment.
            // RP-Initiated Logout §3 holds post-logout redirection URIs to the same rules.
            if (!ClientValidator::isValidRedirectUri(uris.at(i)))
                return fail(indexPath(path, i), ConfigRepository::tr("not a valid absolute URI"));
        }
        *out = uris;
        return true;
    }

    bool readScopes(const QJsonValue &value, const QString &path, Client *client)
    {
        QStringList names;
        if (!readStringList(value, path, &names))
            return false;
        for (qsizetype i = 0; i < names.size(); ++i) {
            if (names.at(i).isEmpty())
                return fail(indexPath(path, i), ConfigRepository::tr("must not be empty"));
            // RFC 6749 §3.3: scope tokens are space-delimited, so one cannot contain a space.
            if (!ClientValidator::isValidScopeName(names.at(i)))
                return fail(indexPath(path, i), ConfigRepository::tr("must not contain whitespace"));
        }
        client->scopes = ScopeSet(names);
        return true;
    }

    bool readGrantTypes(const QJsonValue &value, const QString &path, Client *client)
    {
        QStringList names;
        if (!readStringList(value, path, &names))
            return false;
        if (names.isEmpty())
            return fail(path, ConfigRepository::tr("must not be empty"));
        GrantTypes types;
        for (qsizetype i = 0; i < names.size(); ++i) {
            const std::optional<GrantType> type = grantTypeFromName(names.at(i));
            if (!type)
                return fail(indexPath(path, i), ConfigRepository::tr("unknown grant type \"%1\"").arg(names.at(i)));
            types |= *type;
        }
        client->grantTypes = types;
        return true;
    }

    // Spring's autoapprove: true (every scope), false (none) or a list of scopes.
    bool readAutoApprove(const QJsonValue &value, const QString &path, Client *client)
    {
        if (value.isBool()) {
            client->autoApprove = AutoApprove{value.toBool() ? AutoApprove::Mode::All : AutoApprove::Mode::Off, {}};
            return true;
        }
        if (!value.isArray())
            return fail(path, ConfigRepository::tr("expected a boolean or an array"));
        QStringList names;
        if (!readStringList(value, path, &names))
            return false;
        for (qsizetype i = 0; i < names.size(); ++i) {
            if (!client->scopes.contains(names.at(i)))
                return fail(indexPath(path, i),
                            ConfigRepository::tr("\"%1\" is not one of the client's scopes").arg(names.at(i)));
        }
        // An empty list approves nothing, which is exactly "off".
        client->autoApprove = names.isEmpty() ? AutoApprove{} : AutoApprove{AutoApprove::Mode::Scopes, ScopeSet(names)};
        return true;
    }

    bool readUsers(const QJsonValue &value, ServerSettings &settings)
    {
        const QString path = QStringLiteral("users");
        QJsonArray array;
        if (!readArray(value, path, &array))
            return false;
        QList<User> users;
        QSet<QString> names;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString itemPath = indexPath(path, i);
            if (!array.at(i).isObject())
                return fail(itemPath, ConfigRepository::tr("expected an object"));
            User user;
            if (!readUser(array.at(i).toObject(), itemPath, &user))
                return false;
            if (names.contains(user.username))
                return fail(keyPath(itemPath, QLatin1StringView("username")),
                            ConfigRepository::tr("duplicate username \"%1\"").arg(user.username));
            names.insert(user.username);
            users << user;
        }
        settings.users = users;
        return true;
    }

    bool readUser(const QJsonObject &object, const QString &path, User *user)
    {
        if (!checkKeys(object, path, {"username", "password", "authorities", "claims"}))
            return false;
        const auto name = [&](const QJsonValue &v, const QString &p) {
            if (!readString(v, p, &user->username))
                return false;
            return !user->username.isEmpty() || fail(p, ConfigRepository::tr("must not be empty"));
        };
        const auto password = [&](const QJsonValue &v, const QString &p) { return readString(v, p, &user->password); };
        const auto authorities = [&](const QJsonValue &v, const QString &p) {
            return readStringList(v, p, &user->authorities);
        };
        // Free-form claims (name, email, ...) for userinfo and id_tokens: any JSON object.
        const auto claims = [&](const QJsonValue &v, const QString &p) {
            if (!v.isObject())
                return fail(p, ConfigRepository::tr("expected an object"));
            user->claims = v.toObject();
            return true;
        };
        return required(object, path, "username") && optional(object, path, "username", name) &&
               (!m_secretsRequired || required(object, path, "password")) &&
               optional(object, path, "password", password) && optional(object, path, "authorities", authorities) &&
               optional(object, path, "claims", claims);
    }

    ConfigError m_error;

public:
    // The data directory's config.json keeps secrets in the SecretStore: there they may be absent.
    bool m_secretsRequired = true;
};

} // namespace

QByteArray ConfigRepository::toJson(const ServerSettings &settings, Secrets secrets)
{
    QJsonObject server{{QStringLiteral("bind"), settings.bindAddress},
                       {QStringLiteral("port"), settings.port},
                       {QStringLiteral("profile"), settings.profileDescription().name}};
    if (!settings.issuer.isEmpty())
        server.insert(QStringLiteral("issuer"), settings.issuer);
    // Empty means the default (loopback origins), which the schema expresses by leaving the key out.
    if (!settings.corsAllowedOrigins.isEmpty())
        server.insert(QStringLiteral("cors_allowed_origins"), QJsonArray::fromStringList(settings.corsAllowedOrigins));
    const QJsonObject tokens{{QStringLiteral("access_token_lifetime"), settings.accessTokenLifetime},
                             {QStringLiteral("refresh_token_lifetime"), settings.refreshTokenLifetime},
                             {QStringLiteral("code_length"), settings.codeLength},
                             {QStringLiteral("code_lifetime"), settings.codeLifetime},
                             {QStringLiteral("reuse_live_tokens"), settings.reuseLiveTokens},
                             {QStringLiteral("remember_approvals"), settings.rememberApprovals},
                             {QStringLiteral("persist_issued_state"), settings.persistIssuedState}};
    const QJsonObject limits{{QStringLiteral("max_body_bytes"), settings.maxBodyBytes},
                             {QStringLiteral("session_idle_timeout"), settings.sessionIdleTimeout}};
    QJsonArray clients;
    for (const Client &c : settings.clients) {
        QJsonObject o{{QStringLiteral("client_id"), c.id},
                      {QStringLiteral("redirect_uris"), QJsonArray::fromStringList(c.redirectUris)},
                      {QStringLiteral("scopes"), QJsonArray::fromStringList(c.scopes.names())},
                      {QStringLiteral("grant_types"), QJsonArray::fromStringList(grantTypeNames(c.grantTypes))}};
        if (secrets == Secrets::Required)
            o.insert(QStringLiteral("client_secret"), c.secret);
        switch (c.autoApprove.mode) {
        case AutoApprove::Mode::Off:
            o.insert(QStringLiteral("autoapprove"), false);
            break;
        case AutoApprove::Mode::All:
            o.insert(QStringLiteral("autoapprove"), true);
            break;
        case AutoApprove::Mode::Scopes:
            o.insert(QStringLiteral("autoapprove"), QJsonArray::fromStringList(c.autoApprove.scopes.names()));
            break;
        }
        // 0 means "the server's default", which the schema expresses by leaving the key out.
        if (c.accessTokenLifetime > 0)
            o.insert(QStringLiteral("access_token_lifetime"), c.accessTokenLifetime);
        if (c.refreshTokenLifetime > 0)
            o.insert(QStringLiteral("refresh_token_lifetime"), c.refreshTokenLifetime);
        // Defaults (any method, PKCE optional, no refresh tokens for public clients) are left out.
        if (c.authMethod != ClientAuthMethod::Any)
            o.insert(QStringLiteral("token_endpoint_auth_method"), clientAuthMethodName(c.authMethod));
        if (c.requirePkce)
            o.insert(QStringLiteral("require_pkce"), true);
        if (c.allowRefreshForPublicClient)
            o.insert(QStringLiteral("allow_refresh_for_public_client"), true);
        if (!c.postLogoutRedirectUris.isEmpty())
            o.insert(QStringLiteral("post_logout_redirect_uris"), QJsonArray::fromStringList(c.postLogoutRedirectUris));
        // Unset means the profile's default, which the schema expresses by leaving the key out.
        if (c.accessTokenFormat)
            o.insert(QStringLiteral("access_token_format"), accessTokenFormatName(*c.accessTokenFormat));
        if (c.rotateRefreshTokens)
            o.insert(QStringLiteral("rotate_refresh_tokens"), true);
        clients.append(o);
    }
    QJsonArray users;
    for (const User &u : settings.users) {
        QJsonObject o{{QStringLiteral("username"), u.username},
                      {QStringLiteral("authorities"), QJsonArray::fromStringList(u.authorities)}};
        if (secrets == Secrets::Required)
            o.insert(QStringLiteral("password"), u.password);
        if (!u.claims.isEmpty())
            o.insert(QStringLiteral("claims"), u.claims);
        users.append(o);
    }
    const QJsonObject root{{QStringLiteral("schema_version"), 1}, {QStringLiteral("server"), server},
                           {QStringLiteral("tokens"), tokens},    {QStringLiteral("limits"), limits},
                           {QStringLiteral("clients"), clients},  {QStringLiteral("users"), users}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString ConfigError::toString() const
{
    return jsonPath.isEmpty() ? message : jsonPath + QLatin1String(": ") + message;
}

ServerSettings ConfigRepository::embeddedDefault()
{
    QFile file(QStringLiteral(":/default-config.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("oauthsim: the embedded default configuration is missing: %s", qPrintable(file.errorString()));
    ServerSettings settings;
    ConfigError error;
    if (!applyOverlay(file.readAll(), settings, &error))
        qFatal("oauthsim: the embedded default configuration is invalid: %s", qPrintable(error.toString()));
    return settings;
}

bool ConfigRepository::applyOverlay(const QByteArray &json, ServerSettings &settings, ConfigError *error)
{
    return applyOverlay(json, settings, error, Secrets::Required);
}

bool ConfigRepository::applyOverlay(const QByteArray &json, ServerSettings &settings, ConfigError *error,
                                    Secrets secrets)
{
    const auto report = [error](const ConfigError &problem) {
        if (error)
            *error = problem;
        return false;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return report(
            {QString(), tr("not valid JSON: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset)});
    if (!document.isObject())
        return report({QString(), tr("not valid JSON: the document must be an object")});

    // Validate into a copy so that a rejected document changes nothing.
    ServerSettings candidate = settings;
    OverlayReader reader;
    reader.m_secretsRequired = secrets == Secrets::Required;
    if (!reader.read(document.object(), candidate))
        return report(reader.error());
    settings = candidate;
    return true;
}

bool ConfigRepository::applyFile(const QString &path, ServerSettings &settings, ConfigError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = {QString(), tr("cannot read configuration file \"%1\": %2").arg(path, file.errorString())};
        return false;
    }
    return applyOverlay(file.readAll(), settings, error);
}

std::optional<QString> ConfigRepository::issuerProblem(const QString &text)
{
    if (text.isEmpty())
        return std::nullopt;
    // RFC 8414 §2 / OIDC Discovery §3: an https URL (http is allowed here, for local use) without query or fragment.
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || !isHttpScheme(url.scheme()) || url.host().isEmpty())
        return tr("not an absolute http or https URL");
    if (url.hasQuery())
        return tr("must not have a query");
    if (url.hasFragment())
        return tr("must not have a fragment");
    return std::nullopt;
}

std::optional<QString> ConfigRepository::parseBindAddress(const QString &text)
{
    if (text.compare(QLatin1StringView("localhost"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("127.0.0.1");
    // QHostAddress also takes inet_aton's shorthands ("1" is 0.0.0.1, "0x7f.1" is 127.0.0.1) and surrounding spaces:
    // a typo such as a port number in the bind field must not become an address, so IPv4 must be a dotted quad.
    static const QRegularExpression dottedQuad(QStringLiteral("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$"));
    QHostAddress address;
    if (text != text.trimmed() || !address.setAddress(text))
        return std::nullopt;
    if (address.protocol() == QAbstractSocket::IPv4Protocol && !dottedQuad.match(text).hasMatch())
        return std::nullopt;
    return address.toString();
}

} // namespace oauthsim
