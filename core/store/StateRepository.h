#pragma once

#include "ServerSettings.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

namespace oauthsim {

class OAuthServer;
class SecretStore;

// The data directory: config.json (settings, clients and users in the --config schema, without secrets, which
// live in the SecretStore) and state.json (codes, tokens, sessions and the remembered-approval line).
// Every write is atomic (QSaveFile: a crash leaves the old or the new file, never a torn one) and writes are
// coalesced, so a burst of token requests writes once; flush() writes now (a clean exit calls it).
class StateRepository : public QObject
{
    Q_OBJECT
public:
    static constexpr int kStateSchemaVersion = 1;
    static constexpr int kSaveDelayMs = 1000;

    // What reading a file found. A corrupt file is moved aside (kept as evidence) and reported in `notice`;
    // a file from a newer oauthsim is an error: nothing is renamed and nothing will be written over it.
    struct ReadResult
    {
        bool ok = true;
        QString error;  // when !ok: one line naming the file and the problem
        QString notice; // e.g. "config.json was corrupt (…) and is kept as config.json.corrupt-20261128-221500"
    };

    // Applies DIR/config.json (if any) over `settings`, secrets optional.
    static ReadResult readConfig(const QString &dir, ServerSettings &settings);

    StateRepository(const QString &dir, OAuthServer &server, SecretStore &secrets, QObject *parent = nullptr);
    ~StateRepository() override;

    // Restores DIR/state.json into the server; expired codes, tokens and sessions are dropped.
    ReadResult restoreState();
    // Whether config.json is written (false while a read-only --config overlay is in force).
    void setPersistConfig(bool persist) { m_persistConfig = persist; }
    // Whether state.json is written (the "persist issued state" setting).
    void setPersistState(bool persist) { m_persistState = persist; }
    // Forgets every code, token, session and remembered approval, and writes the empty state now.
    void resetState();
    // Writes whatever is pending now.
    void flush();
    // Saves the configuration at the next write (e.g. on a first start, so the secrets reach the store).
    void markConfigDirty();
    // The address written to config.json: the saved one, not a --bind/--port given for this run.
    void setSavedAddress(const QString &bind, int port)
    {
        m_savedBind = bind;
        m_savedPort = port;
    }
    // The issuer written to config.json: the saved one, not an --issuer given for this run.
    void setSavedIssuer(const QString &issuer) { m_savedIssuer = issuer; }

    // How many times each file was written (tests check that bursts are coalesced).
    int configWrites() const { return m_configWrites; }
    int stateWrites() const { return m_stateWrites; }

    QString configPath() const;
    QString statePath() const;

private:
    void markStateDirty();
    void writeConfig();
    void writeState();
    QByteArray stateJson() const;

    QString m_dir;
    OAuthServer &m_server;
    SecretStore &m_secrets;
    QTimer m_timer;
    bool m_configDirty = false;
    bool m_stateDirty = false;
    bool m_persistConfig = true;
    bool m_persistState = true;
    int m_configWrites = 0;
    int m_stateWrites = 0;
    QString m_savedBind;
    int m_savedPort = -1;
    std::optional<QString> m_savedIssuer;
};

} // namespace oauthsim
