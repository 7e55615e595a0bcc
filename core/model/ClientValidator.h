#pragma once

#include "model/Client.h"

#include <QCoreApplication>
#include <QList>

#include <optional>

namespace oauthsim {

// A problem with one field of an edited value. `field` is the configuration key ("client_id",
// "redirect_uris[1]", "grant_types", ...), so the GUI can point at the widget and the config reader at the path.
struct FieldError
{
    QString field;
    QString message;
    QString toString() const { return field + QLatin1String(": ") + message; }
};

// The rules a client must satisfy, shared by the configuration reader and the GUI's editor.
class ClientValidator
{
    Q_DECLARE_TR_FUNCTIONS(ClientValidator)
public:
    // RFC 6749 §3.1.2: absolute, no fragment; http/https need a host. Custom schemes (com.example.app:/cb) pass.
    static bool isValidRedirectUri(const QString &uri);
    // RFC 6749 §3.3: non-empty, no whitespace.
    static bool isValidScopeName(const QString &name);

    // The problem with a non-empty secret on a public client, worded the same for the config reader and the GUI.
    static QString publicClientSecretMessage();

    // Checks `client` as it would replace the client `previousId` (empty for a new one) among `existing`.
    // Returns the first problem, or nullopt.
    static std::optional<FieldError> validate(const Client &client, const QList<Client> &existing,
                                              const QString &previousId);
    // Checks `user` as it would replace `previousUsername` (empty for a new one) among `existing`.
    static std::optional<FieldError> validate(const User &user, const QList<User> &existing,
                                              const QString &previousUsername);
};

} // namespace oauthsim
