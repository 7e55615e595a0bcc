#include "OAuthServer.h"

#include "Clock.h"
#include "ServerEvents.h"
#include "auth/Sessions.h"
#include "endpoints/AuthorizeEndpoint.h"
#include "endpoints/CheckTokenEndpoint.h"
#include "endpoints/DeviceAuthorizationEndpoint.h"
#include "endpoints/DeviceVerificationEndpoint.h"
#include "endpoints/DiscoveryEndpoint.h"
#include "endpoints/EndSessionEndpoint.h"
#include "endpoints/EndpointContext.h"
#include "endpoints/IntrospectionEndpoint.h"
#include "endpoints/JwksEndpoint.h"
#include "endpoints/LoginEndpoint.h"
#include "endpoints/PageRenderer.h"
#include "endpoints/RevocationEndpoint.h"
#include "endpoints/TokenEndpoint.h"
#include "endpoints/UserInfoEndpoint.h"
#include "endpoints/TokenKeyEndpoint.h"
#include "grants/AuthorizationCodeGrant.h"
#include "grants/ClientCredentialsGrant.h"
#include "grants/DeviceCodeGrant.h"
#include "grants/GrantRegistry.h"
#include "grants/PasswordGrant.h"
#include "grants/RefreshTokenGrant.h"
#include "grants/TokenServices.h"
#include "http/Cors.h"
#include "http/HttpFrontend.h"
#include "http/Pipeline.h"
#include "http/ResponseWriter.h"
#include "jose/KeyRing.h"
#include "store/ApprovalStore.h"
#include "store/ClientStore.h"
#include "store/CodeStore.h"
#include "store/DeviceCodeStore.h"
#include "store/TokenStore.h"
#include "store/UserStore.h"
#include "tokens/RandomTokenGenerator.h"
#include "trace/FlowTracker.h"

#include <QTimer>

namespace oauthsim {

namespace {
void registerMetaTypes()
{
    qRegisterMetaType<ExchangeRecord>();
    qRegisterMetaType<IssuedToken>();
    qRegisterMetaType<AuthorizationCode>();
    qRegisterMetaType<Client>();
    qRegisterMetaType<ScopeSet>();
    qRegisterMetaType<ApprovalKind>();
    qRegisterMetaType<DeviceAuthorization>();
}
} // namespace

struct OAuthServer::Impl
{
    Impl(const ServerSettings &settings, Dependencies deps)
        : clock(deps.clock ? deps.clock : std::make_shared<SystemClock>()),
          random(deps.random ? deps.random : std::make_shared<RandomTokenGenerator>()), writer(pages, &settings),
          codes(*clock), tokens(*clock), deviceCodes(*clock), keys(*clock),
          sessions(*clock, *random, settings.sessionIdleTimeout), ctx{settings, *clock, *random,   clients,     users,
                                                                      codes,    tokens, approvals, sessions,    flows,
                                                                      events,   writer, issuer,    deviceCodes, keys},
          tokenServices(settings, tokens, *random, *clock, keys, issuer), pipeline(writer, settings.maxBodyBytes),
          tokenEndpoint(ctx, grants), authorizeEndpoint(ctx), loginEndpoint(ctx)
    {
        grants.add(std::make_unique<AuthorizationCodeGrant>(codes, tokens, tokenServices));
        grants.add(std::make_unique<RefreshTokenGrant>(tokens, tokenServices));
        grants.add(std::make_unique<ClientCredentialsGrant>(flows, tokenServices));
        grants.add(std::make_unique<PasswordGrant>(users, events, flows, tokenServices));
        grants.add(std::make_unique<DeviceCodeGrant>(deviceCodes, *clock, tokenServices));
    }

    std::shared_ptr<Clock> clock;
    std::shared_ptr<TokenGenerator> random;
    QString issuer; // declared before ctx, which refers to it
    PageRenderer pages;
    ResponseWriter writer;
    ClientStore clients;
    UserStore users;
    CodeStore codes;
    TokenStore tokens;
    DeviceCodeStore deviceCodes;
    ApprovalStore approvals;
    KeyRing keys;
    Sessions sessions;
    FlowTracker flows;
    ServerEvents events;
    EndpointContext ctx;
    TokenServices tokenServices;
    GrantRegistry grants;
    Pipeline pipeline;
    TokenEndpoint tokenEndpoint;
    AuthorizeEndpoint authorizeEndpoint;
    LoginEndpoint loginEndpoint;
    std::unique_ptr<HttpFrontend> frontend;
    QTimer purgeTimer;
};

OAuthServer::OAuthServer(ServerSettings settings, Dependencies deps, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), d(std::make_unique<Impl>(m_settings, deps))
{
    registerMetaTypes();
    if (deps.keySource)
        d->keys.setKeySource(deps.keySource);
    if (deps.signingKey.isValid())
        d->keys.adopt(deps.signingKey, 0);
    d->clients.replaceAll(m_settings.clients);
    d->users.replaceAll(m_settings.users);
    registerRoutes();
    connect(&d->pipeline, &Pipeline::exchangeStarted, this, &OAuthServer::exchangeStarted);
    connect(&d->pipeline, &Pipeline::exchangeFinished, this, &OAuthServer::exchangeFinished);
    d->purgeTimer.setInterval(60 * 1000);
    connect(&d->purgeTimer, &QTimer::timeout, this, &OAuthServer::purgeExpired);
    d->purgeTimer.start();
}

OAuthServer::~OAuthServer() = default;

void OAuthServer::registerRoutes()
{
    // The one route table: method, path, endpoint, and whether browser apps on other origins may call it.
    Pipeline &p = d->pipeline;
    p.clearRoutes();
    Impl *i = d.get();
    const EndpointPaths &paths = m_settings.profileDescription().paths;
    // Reads the live settings, so applySettings() changes the allowed origins from the next request on.
    p.setCors(std::make_unique<Cors>(m_settings));
    // Endpoints without state of their own, owned by the routes that use them.
    const auto revocation = std::make_shared<const RevocationEndpoint>(i->ctx);
    const auto introspection = std::make_shared<const IntrospectionEndpoint>(i->ctx);
    const auto checkToken = std::make_shared<const CheckTokenEndpoint>(i->ctx);
    p.addRoute("GET", paths.authorize,
               [i](const HttpRequest &r, ExchangeContext &c) { return i->authorizeEndpoint.handleGet(r, c); });
    p.addRoute("POST", paths.authorize,
               [i](const HttpRequest &r, ExchangeContext &c) { return i->authorizeEndpoint.handlePost(r, c); });
    p.addRoute(
        "POST", paths.token, [i](const HttpRequest &r, ExchangeContext &c) { return i->tokenEndpoint.handle(r, c); },
        CrossOrigin::Allowed);
    p.addRoute(
        "POST", paths.revoke,
        [revocation](const HttpRequest &r, ExchangeContext &c) { return revocation->handle(r, c); },
        CrossOrigin::Allowed);
    p.addRoute(
        "POST", paths.introspect,
        [introspection](const HttpRequest &r, ExchangeContext &c) { return introspection->handle(r, c); },
        CrossOrigin::Allowed);
    p.addRoute("POST", paths.checkToken,
               [checkToken](const HttpRequest &r, ExchangeContext &c) { return checkToken->handle(r, c); });
    // RFC 8628.
    const auto deviceAuthorization = std::make_shared<const DeviceAuthorizationEndpoint>(i->ctx);
    const auto deviceVerification = std::make_shared<const DeviceVerificationEndpoint>(i->ctx);
    p.addRoute(
        "POST", paths.deviceAuthorization,
        [deviceAuthorization](const HttpRequest &r, ExchangeContext &c) { return deviceAuthorization->handle(r, c); },
        CrossOrigin::Allowed);
    p.addRoute("GET", paths.deviceVerification, [deviceVerification](const HttpRequest &r, ExchangeContext &c) {
        return deviceVerification->handleGet(r, c);
    });
    p.addRoute("POST", paths.deviceVerification, [deviceVerification](const HttpRequest &r, ExchangeContext &c) {
        return deviceVerification->handlePost(r, c);
    });
    // Signing keys (a profile without such an endpoint leaves its path empty).
    if (!paths.jwks.isEmpty()) {
        const auto jwks = std::make_shared<const JwksEndpoint>(i->ctx);
        p.addRoute(
            "GET", paths.jwks, [jwks](const HttpRequest &r, ExchangeContext &c) { return jwks->handle(r, c); },
            CrossOrigin::Allowed);
    }
    if (!paths.tokenKey.isEmpty()) {
        const auto tokenKey = std::make_shared<const TokenKeyEndpoint>(i->ctx);
        p.addRoute("GET", paths.tokenKey,
                   [tokenKey](const HttpRequest &r, ExchangeContext &c) { return tokenKey->handle(r, c); });
    }
    p.addRoute("GET", paths.login,
               [i](const HttpRequest &r, ExchangeContext &c) { return i->loginEndpoint.handleGet(r, c); });
    p.addRoute("POST", paths.login,
               [i](const HttpRequest &r, ExchangeContext &c) { return i->loginEndpoint.handlePost(r, c); });
    p.addRoute("POST", paths.logout,
               [i](const HttpRequest &r, ExchangeContext &c) { return i->loginEndpoint.handleLogout(r, c); });
    // OpenID Connect and RFC 8414.
    const auto discovery = std::make_shared<const DiscoveryEndpoint>(i->ctx);
    p.addRoute(
        "GET", paths.openidConfiguration,
        [discovery](const HttpRequest &, ExchangeContext &c) {
            return discovery->handle(DiscoveryEndpoint::Document::OpenIdConfiguration, c);
        },
        CrossOrigin::Allowed);
    p.addRoute(
        "GET", paths.authorizationServerMetadata,
        [discovery](const HttpRequest &, ExchangeContext &c) {
            return discovery->handle(DiscoveryEndpoint::Document::AuthorizationServerMetadata, c);
        },
        CrossOrigin::Allowed);
    const auto userInfo = std::make_shared<const UserInfoEndpoint>(i->ctx);
    for (const QByteArray &method : {QByteArrayLiteral("GET"), QByteArrayLiteral("POST")})
        p.addRoute(
            method, paths.userinfo,
            [userInfo](const HttpRequest &r, ExchangeContext &c) { return userInfo->handle(r, c); },
            CrossOrigin::Allowed);
    // A browser navigation (a redirect or a form post from the relying party), never a cross-origin fetch.
    const auto endSession = std::make_shared<const EndSessionEndpoint>(i->ctx);
    for (const QByteArray &method : {QByteArrayLiteral("GET"), QByteArrayLiteral("POST")})
        p.addRoute(method, paths.endSession,
                   [endSession](const HttpRequest &r, ExchangeContext &c) { return endSession->handle(r, c); });
    p.addRoute("GET", QStringLiteral("/health"), [](const HttpRequest &, ExchangeContext &) {
        return ResponseWriter::json(200, QByteArrayLiteral("{\"status\":\"UP\"}"));
    });
    p.addRoute("GET", QStringLiteral("/"), [this, i](const HttpRequest &r, ExchangeContext &) {
        return ResponseWriter::html(
            200, i->pages.render(QStringLiteral("index"),
                                 {{QStringLiteral("profile"), {m_settings.profileDescription().name}},
                                  {QStringLiteral("user"), {QString()}}}));
    });
}

bool OAuthServer::listen(QString *error)
{
    QHostAddress address;
    const QString bind =
        m_settings.bindAddress == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : m_settings.bindAddress;
    if (!address.setAddress(bind)) {
        if (error)
            *error = QStringLiteral("%1: not an IP address").arg(m_settings.bindAddress);
        return false;
    }
    d->frontend = std::make_unique<HttpFrontend>([this](HttpRequest request, std::unique_ptr<ReplyChannel> channel) {
        d->pipeline.dispatch(std::move(request), std::move(channel));
    });
    QString reason;
    if (d->frontend->listen(address, quint16(m_settings.port), &reason) == 0) {
        d->frontend.reset();
        if (error)
            *error = QStringLiteral("%1:%2: %3").arg(bind).arg(m_settings.port).arg(reason);
        return false;
    }
    updateIssuer();
    return true;
}

QString OAuthServer::issuer() const
{
    return m_settings.issuer.isEmpty() ? baseUrl() : m_settings.issuer;
}

void OAuthServer::updateIssuer()
{
    d->issuer = issuer();
}

bool OAuthServer::isListening() const
{
    return d->frontend && d->frontend->isListening();
}

quint16 OAuthServer::port() const
{
    return d->frontend ? d->frontend->port() : 0;
}

QString OAuthServer::baseUrl() const
{
    QString host =
        m_settings.bindAddress == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : m_settings.bindAddress;
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2").arg(host).arg(port());
}

void OAuthServer::stopListening()
{
    const bool was = isListening();
    if (d->frontend)
        d->frontend->stopListening();
    d->pipeline.releaseAll();
    if (was)
        Q_EMIT listeningChanged(false);
}

qint64 OAuthServer::pendingBytes() const
{
    return d->frontend ? d->frontend->bytesToWrite() : 0;
}

void OAuthServer::applySettings(const ServerSettings &incoming)
{
    ServerSettings settings = incoming;
    // The address is the listening socket's business (restart()).
    settings.bindAddress = m_settings.bindAddress;
    settings.port = m_settings.port;
    // Only lists that changed are replaced: a reset makes every view lose its selection.
    const bool clientsChanged = settings.clients != m_settings.clients;
    const bool usersChanged = settings.users != m_settings.users;
    const bool profileChanged = settings.profile != m_settings.profile;
    m_settings = settings;
    // Another profile serves other paths: the route table is rebuilt (held replies keep their own handlers).
    if (profileChanged)
        registerRoutes();
    if (clientsChanged)
        d->clients.replaceAll(settings.clients);
    if (usersChanged)
        d->users.replaceAll(settings.users);
    d->sessions.setIdleTimeout(settings.sessionIdleTimeout);
    d->pipeline.setMaxBodyBytes(settings.maxBodyBytes);
    updateIssuer();
    Q_EMIT settingsChanged();
}

bool OAuthServer::restart(const QString &bind, int port, QString *error)
{
    if (d->frontend) {
        d->frontend->stopListening();
        d->pipeline.releaseAll();
    }
    d->frontend.reset();
    m_settings.bindAddress = bind;
    m_settings.port = port;
    const bool ok = listen(error);
    Q_EMIT listeningChanged(ok);
    return ok;
}

std::optional<FieldError> OAuthServer::saveClient(const Client &client, const QString &previousId)
{
    if (auto problem = ClientValidator::validate(client, d->clients.all(), previousId))
        return problem;
    // Settings first: observers of the store's signals may read settings().
    QList<Client> clients = d->clients.all();
    const auto previous = std::find_if(clients.begin(), clients.end(), [&](const Client &c) {
        return c.id == (previousId.isEmpty() ? client.id : previousId);
    });
    if (previous != clients.end())
        *previous = client; // a rename keeps its place
    else
        clients.append(client);
    m_settings.clients = clients;
    if (!previousId.isEmpty() && previousId != client.id)
        d->clients.replaceAll(clients); // rename: one reset keeps the order
    else
        d->clients.upsert(client);
    return std::nullopt;
}

bool OAuthServer::removeClient(const QString &id)
{
    if (!d->clients.find(id))
        return false;
    m_settings.clients.removeIf([&](const Client &c) { return c.id == id; });
    d->clients.remove(id);
    return true;
}

bool OAuthServer::setAutoApprove(const QString &clientId, const AutoApprove &autoApprove)
{
    const Client *found = d->clients.find(clientId);
    if (!found)
        return false;
    Client changed = *found;
    changed.autoApprove = autoApprove;
    return !saveClient(changed, clientId).has_value();
}

std::optional<FieldError> OAuthServer::saveUser(const User &user, const QString &previousUsername)
{
    QList<User> users = m_settings.users;
    if (auto problem = ClientValidator::validate(user, users, previousUsername))
        return problem;
    // Validation guarantees no other user has the new name; replace in place to keep the list's order.
    const auto previous =
        std::find_if(users.begin(), users.end(), [&](const User &u) { return u.username == previousUsername; });
    if (!previousUsername.isEmpty() && previous != users.end())
        *previous = user;
    else
        users.append(user);
    m_settings.users = users;
    d->users.replaceAll(users);
    return std::nullopt;
}

bool OAuthServer::removeUser(const QString &username)
{
    QList<User> users = m_settings.users;
    if (users.removeIf([&](const User &u) { return u.username == username; }) == 0)
        return false;
    m_settings.users = users;
    d->users.replaceAll(users);
    return true;
}

int OAuthServer::longestSignedLifetime() const
{
    // What a key may have signed: id_tokens and JWT access tokens (refresh tokens are never JWTs). Every client's
    // access lifetime counts, whatever its format: a client may switch to JWTs while the key is active.
    int longest = std::max(m_settings.idTokenLifetime, m_settings.accessTokenLifetime);
    for (const Client &client : m_settings.clients)
        longest = std::max(longest, m_settings.accessLifetimeFor(client));
    return longest;
}

void OAuthServer::rotateSigningKey()
{
    d->keys.rotate(longestSignedLifetime());
}

bool OAuthServer::revokeToken(const QString &value)
{
    return d->tokens.revokeRefresh(value) || d->tokens.revokeAccess(value);
}

void OAuthServer::forgetApprovals()
{
    d->approvals.forgetAll(d->clock->nowMs());
}

int OAuthServer::signOutAllSessions()
{
    const int count = int(d->sessions.size());
    d->sessions.clear();
    return count;
}

const Clock &OAuthServer::clock() const
{
    return *d->clock;
}

ApprovalStore &OAuthServer::approvals()
{
    return d->approvals;
}

ClientStore &OAuthServer::clients()
{
    return d->clients;
}
UserStore &OAuthServer::users()
{
    return d->users;
}
CodeStore &OAuthServer::codes()
{
    return d->codes;
}
TokenStore &OAuthServer::tokens()
{
    return d->tokens;
}
DeviceCodeStore &OAuthServer::deviceCodes()
{
    return d->deviceCodes;
}
Sessions &OAuthServer::sessions()
{
    return d->sessions;
}
ServerEvents &OAuthServer::events()
{
    return d->events;
}
FlowTracker &OAuthServer::flows()
{
    return d->flows;
}
KeyRing &OAuthServer::keys()
{
    return d->keys;
}
Pipeline &OAuthServer::pipeline()
{
    return d->pipeline;
}

void OAuthServer::purgeExpired()
{
    d->codes.purgeExpired();
    d->deviceCodes.purgeExpired();
    d->tokens.purgeExpired();
    d->sessions.purgeExpired();
    d->keys.purgeExpired();
}

} // namespace oauthsim
