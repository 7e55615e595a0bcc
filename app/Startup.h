#pragma once

#include "CommandLine.h"
#include "ServerSettings.h"

#include <QLockFile>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace oauthsim {

class OAuthServer;
class SecretStore;
class StateRepository;

// Everything between the command line and a server ready to listen: the data directory (created, locked
// against a second instance), the saved configuration, the --config overlay, the secret store (system keychain,
// or a visible owner-only file when no keychain backend exists; memory for --config's secrets), secrets loaded
// into memory, the issued state restored, and the signing keys restored (or one generated, off the thread).
// Asynchronous: the keychain is never waited on synchronously.
class Startup : public QObject
{
    Q_OBJECT
public:
    // Where oauthsim keeps its data when --data-dir is not given.
    static QString defaultDataDir();
    // Applies a --config file over `settings`; the one-line error naming the file and the JSON path, if any.
    static std::optional<QString> applyConfigFile(const QString &path, ServerSettings &settings);

    explicit Startup(CommandLineOptions options, QObject *parent = nullptr);
    ~Startup() override;

    // Starts; emits ready() or failed() from the event loop.
    void begin();
    // A clean exit: writes pending state now, then calls `done` once the secret store has every write (the
    // keychain answers asynchronously), or after at most three seconds.
    void finish(std::function<void()> done);

    OAuthServer *server() const { return m_server.get(); }
    StateRepository *state() const { return m_state.get(); }
    SecretStore *secrets() const { return m_secrets.get(); }
    const QString &dataDir() const { return m_dataDir; }
    // Things the user must be told once (a corrupt file kept aside, the keychain fallback), one line each.
    const QStringList &notices() const { return m_notices; }

Q_SIGNALS:
    void ready();
    // One line naming the problem (a second instance, a file from a newer oauthsim, a bad --config).
    void failed(const QString &message);

private:
    void prepare();
    void useSecretStore(std::unique_ptr<SecretStore> store);
    void secretsLoaded();
    void startKeyRing();
    QStringList secretKeys() const;

    CommandLineOptions m_options;
    QString m_dataDir;
    std::unique_ptr<QLockFile> m_lock;
    ServerSettings m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<OAuthServer> m_server;
    std::unique_ptr<StateRepository> m_state;
    QStringList m_notices;
    qsizetype m_secretsFound = 0;
    bool m_signingKeysRequested = false; // the second load round (the signing keys the index names) was started
};

} // namespace oauthsim
