#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace oauthsim {

class OAuthServer;

// File → Export / Import configuration: the running configuration as a JSON file of the --config schema.
class ConfigTransfer
{
    Q_DECLARE_TR_FUNCTIONS(ConfigTransfer)
public:
    enum class Secrets
    {
        LeaveOut,
        Include
    };

    // Writes the configuration (client secrets and passwords only with Secrets::Include) atomically.
    // Returns a one-line error naming the file, or nullopt.
    static std::optional<QString> exportTo(const OAuthServer &server, const QString &path, Secrets secrets);
    // Validates the file first and changes nothing when it is invalid (the error names the JSON path). A valid file
    // is applied over the running configuration; a client or user the file gives without a secret keeps the
    // secret it has now. The listening address is not changed by an import.
    static std::optional<QString> importFrom(OAuthServer &server, const QString &path);
};

} // namespace oauthsim
