#pragma once

#include "ServerSettings.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

class QByteArray;

namespace oauthsim {

// One problem found in a configuration document: where it is and what is wrong.
struct ConfigError
{
    QString jsonPath; // e.g. "clients[0].redirect_uris[1]"; empty for whole-document problems
    QString message;  // e.g. "not a valid absolute URI"

    // "clients[0].redirect_uris[1]: not a valid absolute URI", or just the message when the path is empty.
    QString toString() const;
};

// Reads oauthsim's JSON configuration (schema in docs/configuration.md) into ServerSettings. A document is an
// overlay: every key is optional, a scalar overrides one field and "clients"/"users" replace the whole list.
// Validation stops at the first problem, which is reported with the JSON path of the offending value.
class ConfigRepository
{
    Q_DECLARE_TR_FUNCTIONS(ConfigRepository)

public:
    // The embedded default (":/default-config.json"), read with the same validation as a user's file. It is part
    // of the build, so a failure is a programming error and aborts with qFatal.
    static ServerSettings embeddedDefault();

    // Applies `json` over `settings`. On any problem returns false, fills *error (when not null) and leaves
    // `settings` untouched.
    static bool applyOverlay(const QByteArray &json, ServerSettings &settings, ConfigError *error);
    // Whether client_secret / password must be present (a user's --config) or may be absent (the data
    // directory's config.json, whose secrets live in the SecretStore).
    enum class Secrets
    {
        Required,
        Optional
    };
    static bool applyOverlay(const QByteArray &json, ServerSettings &settings, ConfigError *error, Secrets secrets);
    // The settings as a complete document of the same schema (schema_version 1). With Secrets::Optional the
    // client secrets and passwords are left out; everything else round-trips through applyOverlay.
    static QByteArray toJson(const ServerSettings &settings, Secrets secrets);

    // Reads the file at `path` and applies it as applyOverlay does. A file that cannot be read gives false and an
    // error (empty path) whose message names the file and the operating system's reason.
    static bool applyFile(const QString &path, ServerSettings &settings, ConfigError *error);

    // The listening address for `text`: an IP address QHostAddress parses (returned in its canonical form) or
    // "localhost" in any case (returned as "127.0.0.1"); nullopt for anything else. Shared with the command line
    // so that --bind and "server.bind" accept exactly the same values.
    static std::optional<QString> parseBindAddress(const QString &text);
    // What is wrong with `text` as the issuer identifier ("not an absolute http or https URL", "must not have a
    // query", "must not have a fragment"), or nullopt when it is one. An empty text is fine: it means "derive it
    // from the listening address". Shared with the command line so that --issuer and "server.issuer" agree.
    static std::optional<QString> issuerProblem(const QString &text);
};

} // namespace oauthsim
