#include "ConfigTransfer.h"

#include "OAuthServer.h"
#include "store/ConfigRepository.h"

#include <QFile>
#include <QSaveFile>

namespace oauthsim {

std::optional<QString> ConfigTransfer::exportTo(const OAuthServer &server, const QString &path, Secrets secrets)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write %1: %2").arg(path, file.errorString());
    if (secrets == Secrets::Include) // the user asked for the secrets: at least keep the file to them
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(ConfigRepository::toJson(server.settings(), secrets == Secrets::Include
                                                               ? ConfigRepository::Secrets::Required
                                                               : ConfigRepository::Secrets::Optional));
    if (!file.commit())
        return tr("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

std::optional<QString> ConfigTransfer::importFrom(OAuthServer &server, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return tr("cannot read %1: %2").arg(path, file.errorString());
    const QByteArray bytes = file.readAll();
    const ServerSettings current = server.settings();
    ServerSettings imported = current;
    // Clients and users the file lists come without secrets unless they were exported with them.
    for (Client &client : imported.clients)
        client.secret.clear();
    for (User &user : imported.users)
        user.password.clear();
    ConfigError error;
    if (!ConfigRepository::applyOverlay(bytes, imported, &error, ConfigRepository::Secrets::Optional))
        return tr("%1: %2").arg(path, error.toString());
    for (Client &client : imported.clients) {
        if (!client.secret.isEmpty())
            continue;
        for (const Client &old : current.clients) {
            if (old.id == client.id)
                client.secret = old.secret;
        }
    }
    for (User &user : imported.users) {
        if (!user.password.isEmpty())
            continue;
        for (const User &old : current.users) {
            if (old.username == user.username)
                user.password = old.password;
        }
    }
    server.applySettings(imported);
    return std::nullopt;
}

} // namespace oauthsim
