#include "StateRepository.h"

#include "Clock.h"
#include "OAuthServer.h"
#include "auth/Sessions.h"
#include "secrets/SecretStore.h"
#include "store/ApprovalStore.h"
#include "store/ClientStore.h"
#include "store/CodeStore.h"
#include "store/ConfigRepository.h"
#include "store/DeviceCodeStore.h"
#include "store/TokenStore.h"
#include "store/UserStore.h"
#include "trace/FlowTracker.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace oauthsim {

namespace {
const QString kConfigFile = QStringLiteral("config.json");
const QString kStateFile = QStringLiteral("state.json");

// Moves a corrupt file aside so the evidence survives and a fresh start does not overwrite it.
QString keepAside(const QString &path)
{
    const QString target = path + QStringLiteral(".corrupt-") +
                           QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QFile::rename(path, target);
    return target;
}

bool writeAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(bytes);
    return file.commit();
}

QJsonArray toArray(const ScopeSet &scopes)
{
    return QJsonArray::fromStringList(scopes.names());
}

ScopeSet scopesFrom(const QJsonValue &value)
{
    QStringList names;
    for (const QJsonValue &v : value.toArray())
        names << v.toString();
    return ScopeSet(names);
}

qint64 ms(const QJsonObject &o, const char *key)
{
    return qint64(o.value(QLatin1StringView(key)).toDouble());
}

QJsonObject tokenJson(const IssuedToken &t)
{
    return {{QStringLiteral("kind"),
             t.kind == IssuedToken::Kind::Access ? QStringLiteral("access") : QStringLiteral("refresh")},
            {QStringLiteral("value"), t.value},
            {QStringLiteral("client_id"), t.clientId},
            {QStringLiteral("username"), t.username},
            {QStringLiteral("scopes"), toArray(t.scopes)},
            {QStringLiteral("issued_at"), double(t.issuedAtMs)},
            {QStringLiteral("expires_at"), double(t.expiresAtMs)},
            {QStringLiteral("refresh_token"), t.refreshToken},
            {QStringLiteral("grant_code"), t.grantCode},
            {QStringLiteral("flow"), double(t.flowId)},
            {QStringLiteral("auth_time"), double(t.authTimeMs)}};
}

IssuedToken tokenFrom(const QJsonObject &o)
{
    IssuedToken t;
    t.kind = o.value(QLatin1StringView("kind")).toString() == QLatin1String("refresh") ? IssuedToken::Kind::Refresh
                                                                                       : IssuedToken::Kind::Access;
    t.value = o.value(QLatin1StringView("value")).toString();
    t.clientId = o.value(QLatin1StringView("client_id")).toString();
    t.username = o.value(QLatin1StringView("username")).toString();
    t.scopes = scopesFrom(o.value(QLatin1StringView("scopes")));
    t.issuedAtMs = ms(o, "issued_at");
    t.expiresAtMs = ms(o, "expires_at");
    t.refreshToken = o.value(QLatin1StringView("refresh_token")).toString();
    t.grantCode = o.value(QLatin1StringView("grant_code")).toString();
    t.flowId = quint64(ms(o, "flow"));
    t.authTimeMs = ms(o, "auth_time"); // absent in files of older versions: 0, no auth_time claim
    return t;
}

QJsonObject codeJson(const AuthorizationCode &c)
{
    QJsonObject o{{QStringLiteral("code"), c.code},
                  {QStringLiteral("client_id"), c.clientId},
                  {QStringLiteral("username"), c.username},
                  {QStringLiteral("scopes"), toArray(c.scopes)},
                  {QStringLiteral("redirect_uri"), c.redirectUri},
                  {QStringLiteral("redirect_uri_sent"), c.redirectUriSent},
                  {QStringLiteral("issued_at"), double(c.issuedAtMs)},
                  {QStringLiteral("expires_at"), double(c.expiresAtMs)},
                  {QStringLiteral("flow"), double(c.flowId)},
                  {QStringLiteral("auth_time"), double(c.authTimeMs)},
                  {QStringLiteral("redeemed"), c.status != AuthorizationCode::Status::Pending}};
    if (c.state)
        o.insert(QStringLiteral("state"), *c.state);
    // The id_token of a code redeemed after a restart must still echo the nonce.
    if (c.nonce)
        o.insert(QStringLiteral("nonce"), *c.nonce);
    // Without its challenge a restored PKCE code would accept any verifier.
    if (c.codeChallenge) {
        o.insert(QStringLiteral("code_challenge"), c.codeChallenge->value);
        o.insert(QStringLiteral("code_challenge_method"), c.codeChallenge->method == CodeChallengeMethod::S256
                                                              ? QStringLiteral("S256")
                                                              : QStringLiteral("plain"));
    }
    return o;
}

AuthorizationCode codeFrom(const QJsonObject &o)
{
    AuthorizationCode c;
    c.code = o.value(QLatin1StringView("code")).toString();
    c.clientId = o.value(QLatin1StringView("client_id")).toString();
    c.username = o.value(QLatin1StringView("username")).toString();
    c.scopes = scopesFrom(o.value(QLatin1StringView("scopes")));
    c.redirectUri = o.value(QLatin1StringView("redirect_uri")).toString();
    c.redirectUriSent = o.value(QLatin1StringView("redirect_uri_sent")).toBool();
    if (o.contains(QLatin1StringView("state")))
        c.state = o.value(QLatin1StringView("state")).toString();
    if (o.contains(QLatin1StringView("nonce")))
        c.nonce = o.value(QLatin1StringView("nonce")).toString();
    c.authTimeMs = ms(o, "auth_time");
    if (o.contains(QLatin1StringView("code_challenge"))) {
        c.codeChallenge =
            CodeChallenge{o.value(QLatin1StringView("code_challenge")).toString(),
                          o.value(QLatin1StringView("code_challenge_method")).toString() == QLatin1String("S256")
                              ? CodeChallengeMethod::S256
                              : CodeChallengeMethod::Plain};
    }
    c.issuedAtMs = ms(o, "issued_at");
    c.expiresAtMs = ms(o, "expires_at");
    c.flowId = quint64(ms(o, "flow"));
    c.status = o.value(QLatin1StringView("redeemed")).toBool() ? AuthorizationCode::Status::Redeemed
                                                               : AuthorizationCode::Status::Pending;
    return c;
}
} // namespace

StateRepository::ReadResult StateRepository::readConfig(const QString &dir, ServerSettings &settings)
{
    const QString path = QDir(dir).filePath(kConfigFile);
    QFile file(path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return {false, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), {}};
    const QByteArray bytes = file.readAll();
    file.close();
    const QJsonObject root = QJsonDocument::fromJson(bytes).object();
    const int version = root.value(QLatin1StringView("schema_version")).toInt(1);
    if (version > 1)
        return {false,
                QStringLiteral("%1 was written by a newer oauthsim (schema version %2; this one reads 1); "
                               "it is left untouched")
                    .arg(path)
                    .arg(version),
                {}};
    ConfigError error;
    if (!ConfigRepository::applyOverlay(bytes, settings, &error, ConfigRepository::Secrets::Optional)) {
        const QString kept = keepAside(path);
        return {true,
                {},
                QStringLiteral("%1 could not be read (%2); it is kept as %3 and oauthsim starts on the defaults")
                    .arg(path, error.toString(), kept)};
    }
    return {};
}

StateRepository::StateRepository(const QString &dir, OAuthServer &server, SecretStore &secrets, QObject *parent)
    : QObject(parent), m_dir(dir), m_server(server), m_secrets(secrets)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kSaveDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &StateRepository::flush);
    // Anything an exchange does (sessions, codes, tokens) is state; edits in the window are configuration.
    connect(&server, &OAuthServer::exchangeFinished, this, &StateRepository::markStateDirty);
    connect(&server.tokens(), &TokenStore::tokenIssued, this, &StateRepository::markStateDirty);
    connect(&server.tokens(), &TokenStore::tokenRevoked, this, &StateRepository::markStateDirty);
    connect(&server.codes(), &CodeStore::codeIssued, this, &StateRepository::markStateDirty);
    connect(&server, &OAuthServer::settingsChanged, this, &StateRepository::markConfigDirty);
    connect(&server.clients(), &ClientStore::clientChanged, this, &StateRepository::markConfigDirty);
    connect(&server.clients(), &ClientStore::clientRemoved, this, &StateRepository::markConfigDirty);
    connect(&server.clients(), &ClientStore::clientsReset, this, &StateRepository::markConfigDirty);
    connect(&server.users(), &UserStore::usersReset, this, &StateRepository::markConfigDirty);
}

StateRepository::~StateRepository()
{
    flush();
}

QString StateRepository::configPath() const
{
    return QDir(m_dir).filePath(kConfigFile);
}

QString StateRepository::statePath() const
{
    return QDir(m_dir).filePath(kStateFile);
}

void StateRepository::markConfigDirty()
{
    m_configDirty = true;
    if (!m_timer.isActive())
        m_timer.start();
}

void StateRepository::markStateDirty()
{
    m_stateDirty = true;
    if (!m_timer.isActive())
        m_timer.start();
}

void StateRepository::flush()
{
    m_timer.stop();
    if (m_configDirty)
        writeConfig();
    if (m_stateDirty)
        writeState();
}

void StateRepository::writeConfig()
{
    m_configDirty = false;
    if (!m_persistConfig)
        return;
    ServerSettings settings = m_server.settings();
    if (m_savedPort >= 0) {
        settings.bindAddress = m_savedBind;
        settings.port = m_savedPort;
    }
    if (m_savedIssuer)
        settings.issuer = *m_savedIssuer;
    // Secrets go to the SecretStore, never into the JSON file.
    for (const Client &client : settings.clients) {
        if (m_secrets.value(SecretStore::clientKey(client.id)) != client.secret)
            m_secrets.store(SecretStore::clientKey(client.id), client.secret);
    }
    for (const User &user : settings.users) {
        if (m_secrets.value(SecretStore::userKey(user.username)) != user.password)
            m_secrets.store(SecretStore::userKey(user.username), user.password);
    }
    if (writeAtomically(configPath(), ConfigRepository::toJson(settings, ConfigRepository::Secrets::Optional)))
        ++m_configWrites;
}

QByteArray StateRepository::stateJson() const
{
    QJsonArray codes;
    for (const AuthorizationCode &code : m_server.codes().all())
        codes.append(codeJson(code));
    QJsonArray tokens;
    for (const IssuedToken &token : m_server.tokens().all())
        tokens.append(tokenJson(token));
    QJsonArray sessions;
    for (const Session &s : m_server.sessions().all()) {
        sessions.append(QJsonObject{{QStringLiteral("id"), s.id},
                                    {QStringLiteral("csrf"), s.csrfToken},
                                    {QStringLiteral("username"), s.username},
                                    {QStringLiteral("authenticated_at"), double(s.authenticatedAtMs)},
                                    {QStringLiteral("last_access"), double(s.lastAccessMs)},
                                    {QStringLiteral("saved_request"), s.savedRequestUrl},
                                    {QStringLiteral("flow"), double(s.flowId)}});
    }
    // Spring Authorization Server's stored consents (the legacy profile derives approvals from tokens instead).
    QJsonArray consents;
    for (const ApprovalStore::Consent &c : m_server.approvals().consents())
        consents.append(QJsonObject{{QStringLiteral("client_id"), c.clientId},
                                    {QStringLiteral("username"), c.username},
                                    {QStringLiteral("scopes"), QJsonArray::fromStringList(c.scopes.names())}});
    const QJsonObject root{{QStringLiteral("schema_version"), kStateSchemaVersion},
                           {QStringLiteral("consents"), consents},
                           {QStringLiteral("codes"), codes},
                           {QStringLiteral("tokens"), tokens},
                           {QStringLiteral("sessions"), sessions},
                           {QStringLiteral("approvals_forgotten_at"), double(m_server.approvals().forgottenAtMs())}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

void StateRepository::writeState()
{
    m_stateDirty = false;
    if (m_persistState && m_server.settings().persistIssuedState && writeAtomically(statePath(), stateJson()))
        ++m_stateWrites;
}

StateRepository::ReadResult StateRepository::restoreState()
{
    QFile file(statePath());
    if (!file.exists() || !m_persistState || !m_server.settings().persistIssuedState)
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return {false, QStringLiteral("cannot read %1: %2").arg(statePath(), file.errorString()), {}};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    file.close();
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const QString kept = keepAside(statePath());
        return {true,
                {},
                QStringLiteral("%1 could not be read (%2); it is kept as %3 and oauthsim starts with no issued "
                               "codes or tokens")
                    .arg(statePath(), parseError.errorString(), kept)};
    }
    const QJsonObject root = document.object();
    const int version = root.value(QLatin1StringView("schema_version")).toInt(0);
    if (version > kStateSchemaVersion)
        return {false,
                QStringLiteral("%1 was written by a newer oauthsim (schema version %2; this one reads %3); it is "
                               "left untouched")
                    .arg(statePath())
                    .arg(version)
                    .arg(kStateSchemaVersion),
                {}};

    const qint64 now = m_server.clock().nowMs();
    quint64 lastFlow = 0;
    // Refresh tokens first: an access token's index entry points at its refresh token.
    for (const char *kind : {"refresh", "access"}) {
        for (const QJsonValue &v : root.value(QLatin1StringView("tokens")).toArray()) {
            const IssuedToken token = tokenFrom(v.toObject());
            if (token.value.isEmpty() || token.isExpired(now) ||
                (token.kind == IssuedToken::Kind::Refresh) != (qstrcmp(kind, "refresh") == 0))
                continue;
            if (token.kind == IssuedToken::Kind::Refresh)
                m_server.tokens().storeRefresh(token);
            else
                m_server.tokens().storeAccess(token);
            lastFlow = std::max(lastFlow, token.flowId);
        }
    }
    for (const QJsonValue &v : root.value(QLatin1StringView("codes")).toArray()) {
        const AuthorizationCode code = codeFrom(v.toObject());
        if (code.code.isEmpty() || (code.expiresAtMs != 0 && now >= code.expiresAtMs))
            continue;
        m_server.codes().restore(code);
        lastFlow = std::max(lastFlow, code.flowId);
    }
    const qint64 idleMs = qint64(m_server.settings().sessionIdleTimeout) * 1000;
    for (const QJsonValue &v : root.value(QLatin1StringView("sessions")).toArray()) {
        const QJsonObject o = v.toObject();
        Session s;
        s.id = o.value(QLatin1StringView("id")).toString();
        s.csrfToken = o.value(QLatin1StringView("csrf")).toString();
        s.username = o.value(QLatin1StringView("username")).toString();
        s.authenticatedAtMs = ms(o, "authenticated_at");
        s.lastAccessMs = ms(o, "last_access");
        s.savedRequestUrl = o.value(QLatin1StringView("saved_request")).toString();
        s.flowId = quint64(ms(o, "flow"));
        if (s.id.isEmpty() || now - s.lastAccessMs >= idleMs)
            continue;
        m_server.sessions().restore(s);
        lastFlow = std::max(lastFlow, s.flowId);
    }
    const qint64 forgotten = ms(root, "approvals_forgotten_at");
    if (forgotten > 0)
        m_server.approvals().forgetAll(forgotten);
    for (const QJsonValue &v : root.value(QLatin1StringView("consents")).toArray()) {
        const QJsonObject o = v.toObject();
        QStringList scopes;
        for (const QJsonValue &scope : o.value(QLatin1StringView("scopes")).toArray())
            scopes << scope.toString();
        const QString clientId = o.value(QLatin1StringView("client_id")).toString();
        const QString username = o.value(QLatin1StringView("username")).toString();
        if (!clientId.isEmpty() && !username.isEmpty() && !scopes.isEmpty())
            m_server.approvals().addConsent(clientId, username, ScopeSet(scopes));
    }
    m_server.flows().continueAfter(lastFlow);
    return {};
}

void StateRepository::resetState()
{
    m_server.tokens().clear();
    m_server.codes().clear();
    m_server.deviceCodes().clear();
    m_server.signOutAllSessions();
    m_server.approvals().forgetAll(-1);
    m_stateDirty = true;
    flush();
}

} // namespace oauthsim
