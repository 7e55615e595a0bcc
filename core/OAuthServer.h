#pragma once

#include "ServerSettings.h"
#include "model/ExchangeRecord.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace oauthsim {

class Clock;
class ClientStore;
class CodeStore;
class FlowTracker;
class HttpFrontend;
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
    };

    explicit OAuthServer(ServerSettings settings, Dependencies deps = {}, QObject *parent = nullptr);
    ~OAuthServer() override;

    // Listens on settings().bindAddress:port. False with *error ("ADDR:PORT: reason") when it cannot.
    bool listen(QString *error);
    bool isListening() const;
    quint16 port() const;
    // http://ADDR:PORT of the listening socket (the issuer when none is configured).
    QString baseUrl() const;
    // Stops accepting; open connections are still answered. Held replies are released.
    void stopListening();
    // Bytes still queued for clients (a clean shutdown waits for 0).
    qint64 pendingBytes() const;

    const ServerSettings &settings() const { return m_settings; }
    // Replaces the settings' lifetimes and switches; clients and users are replaced too. Emits settingsChanged.
    void applySettings(const ServerSettings &settings);

    ClientStore &clients();
    UserStore &users();
    CodeStore &codes();
    TokenStore &tokens();
    Sessions &sessions();
    ServerEvents &events();
    FlowTracker &flows();
    Pipeline &pipeline();

    // Removes expired codes, tokens and sessions now (also runs every minute).
    void purgeExpired();

Q_SIGNALS:
    void exchangeStarted(quint64 id, const QByteArray &method, const QString &path);
    void exchangeFinished(const oauthsim::ExchangeRecord &record);
    void settingsChanged();

private:
    void registerRoutes();

    struct Impl;
    ServerSettings m_settings;
    std::unique_ptr<Impl> d;
};

} // namespace oauthsim
