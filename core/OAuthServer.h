#pragma once

#include "ServerSettings.h"
#include "jose/RsaKey.h"
#include "model/ClientValidator.h"
#include "model/ExchangeRecord.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

namespace oauthsim {

class Clock;
class ApprovalStore;
class ClientStore;
class CodeStore;
class DeviceCodeStore;
class FlowTracker;
class HttpFrontend;
class KeyRing;
class Pipeline;
class ServerEvents;
class Sessions;
class TokenGenerator;
class TokenStore;
class UserStore;

// The authorization server: settings, stores, endpoints, the one route table and the pipeline, behind one
// object. Lives on one thread and never blocks. Observers (log, GUI) connect to its signals and to the
// stores' signals; edits go through its methods.
class OAuthServer : public QObject
{
    Q_OBJECT
public:
    struct Dependencies
    {
        std::shared_ptr<Clock> clock;           // default: the system clock
        std::shared_ptr<TokenGenerator> random; // default: the OS CSPRNG
        // A private key to sign with from the start (tests load a fixture; the app restores or generates one
        // through keys() before listening). Default: none.
        RsaKey signingKey;
        // Where new signing keys come from, on a worker thread (default: RsaKey::generate()).
        std::function<RsaKey()> keySource;
    };

    explicit OAuthServer(ServerSettings settings, Dependencies deps = {}, QObject *parent = nullptr);
    ~OAuthServer() override;

    // Listens on settings().bindAddress:port. False with *error ("ADDR:PORT: reason") when it cannot.
    bool listen(QString *error);
    bool isListening() const;
    quint16 port() const;
    // http://ADDR:PORT of the listening socket (the issuer when none is configured).
    QString baseUrl() const;
    // The issuer identifier used in discovery, iss claims and absolute URLs: settings().issuer exactly as
    // configured (a trailing slash is kept, clients compare it byte for byte), else baseUrl().
    QString issuer() const;
    // Stops accepting; open connections are still answered. Held replies are released.
    void stopListening();
    // Bytes still queued for clients (a clean shutdown waits for 0).
    qint64 pendingBytes() const;

    const ServerSettings &settings() const { return m_settings; }
    // Replaces the settings' lifetimes and switches; clients and users are replaced too. Emits settingsChanged.
    // The listening address is not touched: restart() moves it.
    void applySettings(const ServerSettings &settings);
    // Stops listening and listens again on bind:port (port 0 picks one). On failure the server stays stopped,
    // returns false and sets *error. Emits listeningChanged either way.
    bool restart(const QString &bind, int port, QString *error);

    // Editing, as the GUI does it. Each validates first and changes nothing on error (the FieldError names the
    // field); on success the running server uses the change from its very next request.
    // Adds a client, or replaces `previousId` (which may differ from client.id: a rename).
    std::optional<FieldError> saveClient(const Client &client, const QString &previousId = {});
    bool removeClient(const QString &id);
    // The autoapprove switch alone (one click in the window). False for an unknown client.
    bool setAutoApprove(const QString &clientId, const AutoApprove &autoApprove);
    std::optional<FieldError> saveUser(const User &user, const QString &previousUsername = {});
    bool removeUser(const QString &username);
    // Revokes an access or refresh token (a refresh token takes its access token with it). False if unknown.
    bool revokeToken(const QString &value);
    // Generates a new signing key off this thread; once it is ready it signs, and the previous key stays in the JWKS
    // (and keeps verifying) for longestSignedLifetime() seconds, then is dropped. Emits keys().keysChanged() when the
    // new key is active, keys().generationFailed(reason) instead when no key could be made.
    void rotateSigningKey();
    // The longest lifetime (s) of a token the active key may sign: id_tokens and every client's access tokens.
    int longestSignedLifetime() const;
    // Remembered approvals are forgotten: the next authorization of every user asks again. Tokens stay valid.
    void forgetApprovals();
    // Every browser session ends: the next authorization asks to log in again. Returns how many ended.
    int signOutAllSessions();

    const Clock &clock() const;
    ApprovalStore &approvals();
    ClientStore &clients();
    UserStore &users();
    CodeStore &codes();
    TokenStore &tokens();
    DeviceCodeStore &deviceCodes();
    Sessions &sessions();
    ServerEvents &events();
    FlowTracker &flows();
    // The signing keys (JWKS, id_tokens, JWT access tokens).
    KeyRing &keys();
    Pipeline &pipeline();

    // Removes expired codes, device authorizations, tokens and sessions now (also runs every minute).
    void purgeExpired();

Q_SIGNALS:
    void exchangeStarted(quint64 id, const QByteArray &method, const QString &path);
    void exchangeFinished(const oauthsim::ExchangeRecord &record);
    void settingsChanged();
    void listeningChanged(bool listening);

private:
    void registerRoutes();
    void updateIssuer();

    struct Impl;
    ServerSettings m_settings;
    std::unique_ptr<Impl> d;
};

} // namespace oauthsim
