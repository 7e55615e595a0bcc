#include "Startup.h"

#include "OAuthServer.h"
#include "jose/KeyRing.h"
#include "secrets/FileSecretStore.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/MemorySecretStore.h"
#include "store/ConfigRepository.h"
#include "store/StateRepository.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <array>
#include <memory>
#include <QTimer>

namespace oauthsim {

QString Startup::defaultDataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

std::optional<QString> Startup::applyConfigFile(const QString &path, ServerSettings &settings)
{
    ConfigError error;
    if (ConfigRepository::applyFile(path, settings, &error))
        return std::nullopt;
    return error.toString().contains(path) ? error.toString() // already names the file (unreadable)
                                           : tr("invalid config %1: %2").arg(path, error.toString());
}

Startup::Startup(CommandLineOptions options, QObject *parent) : QObject(parent), m_options(std::move(options)) {}

Startup::~Startup()
{
    // The repository flushes on destruction and reads the server: it goes first.
    m_state.reset();
    m_server.reset();
}

void Startup::begin()
{
    // From the event loop, so that failed() and ready() always reach connected receivers.
    QTimer::singleShot(0, this, &Startup::prepare);
}

void Startup::finish(std::function<void()> done)
{
    if (m_state)
        m_state->flush();
    if (!m_secrets) {
        done();
        return;
    }
    auto called = std::make_shared<bool>(false);
    auto once = [called, done] {
        if (!*called) {
            *called = true;
            done();
        }
    };
    connect(m_secrets.get(), &SecretStore::flushed, this, once);
    QTimer::singleShot(3000, this, once);
    m_secrets->flush();
}

QStringList Startup::secretKeys() const
{
    QStringList keys;
    for (const Client &client : m_settings.clients)
        keys << SecretStore::clientKey(client.id);
    for (const User &user : m_settings.users)
        keys << SecretStore::userKey(user.username);
    // The signing keys' index; the keys it names are loaded in a second round (secretsLoaded()).
    keys << KeyRing::indexKey();
    return keys;
}

void Startup::prepare()
{
    m_dataDir = m_options.dataDir.isEmpty() ? defaultDataDir() : m_options.dataDir;
    if (!QDir().mkpath(m_dataDir))
        return Q_EMIT failed(tr("cannot create the data directory \"%1\"").arg(m_dataDir));

    // One instance per data directory: a second would overwrite the first one's state.
    m_lock = std::make_unique<QLockFile>(QDir(m_dataDir).filePath(QStringLiteral("oauthsim.lock")));
    m_lock->setStaleLockTime(0);
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        return Q_EMIT failed(
            tr("another oauthsim (pid %1 on %2) is using the data directory \"%3\"").arg(pid).arg(host, m_dataDir));
    }

    m_settings = ConfigRepository::embeddedDefault();
    const StateRepository::ReadResult config = StateRepository::readConfig(m_dataDir, m_settings);
    if (!config.ok)
        return Q_EMIT failed(config.error);
    if (!config.notice.isEmpty())
        m_notices << config.notice;

    if (!m_options.configFile.isEmpty()) {
        if (const auto problem = applyConfigFile(m_options.configFile, m_settings))
            return Q_EMIT failed(*problem);
        // Secrets given by --config stay in memory only.
        return useSecretStore(std::make_unique<MemorySecretStore>());
    }
    useSecretStore(std::make_unique<KeychainSecretStore>(QStringLiteral("oauthsim")));
}

void Startup::useSecretStore(std::unique_ptr<SecretStore> store)
{
    m_secrets = std::move(store);
    m_signingKeysRequested = false;
    connect(m_secrets.get(), &SecretStore::loaded, this, &Startup::secretsLoaded);
    connect(m_secrets.get(), &SecretStore::unavailable, this, [this](const QString &reason) {
        if (m_secrets->backend() == SecretStore::Backend::Keychain) {
            // No Secret Service (a headless machine, CI): say so once, and keep secrets where they are safe enough
            // and visible: an owner-only file in the data directory.
            const QString path = QDir(m_dataDir).filePath(QStringLiteral("secrets.json"));
            m_notices << tr("no system keychain is available (%1); secrets are kept in the owner-only file %2")
                             .arg(reason, path);
            return useSecretStore(std::make_unique<FileSecretStore>(path));
        }
        Q_EMIT failed(tr("cannot read secrets: %1").arg(reason));
    });
    m_secrets->load(secretKeys());
}

void Startup::secretsLoaded()
{
    // Two rounds: the secrets and the signing key index, then the signing keys that index names.
    if (!m_signingKeysRequested) {
        m_signingKeysRequested = true;
        const QStringList keyNames = KeyRing::storedKeyNames(m_secrets->value(KeyRing::indexKey()));
        if (!keyNames.isEmpty())
            return m_secrets->load(keyNames); // loaded() comes back here
    }
    // A saved configuration has no secrets: take them from the store. Secrets the store lacks (the embedded
    // default on a first start, a --config file) stay as they are and are stored when the configuration is saved.
    m_secretsFound = 0;
    for (Client &client : m_settings.clients) {
        if (m_secrets->contains(SecretStore::clientKey(client.id))) {
            client.secret = m_secrets->value(SecretStore::clientKey(client.id));
            ++m_secretsFound;
        }
    }
    for (User &user : m_settings.users) {
        if (m_secrets->contains(SecretStore::userKey(user.username))) {
            user.password = m_secrets->value(SecretStore::userKey(user.username));
            ++m_secretsFound;
        }
    }
    // Client and user secrets only: the signing key index is no secret of the configuration.
    const qsizetype configSecrets = secretKeys().size() - 1;
    const QString savedBind = m_settings.bindAddress;
    const int savedPort = m_settings.port;
    if (m_options.bind)
        m_settings.bindAddress = *m_options.bind;
    if (m_options.port)
        m_settings.port = *m_options.port;
    if (m_options.profile)
        m_settings.useProfile(*m_options.profile);
    const QString savedIssuer = m_settings.issuer;
    // Exactly as given: "http://host/" and "http://host" are different issuers (docs/configuration.md).
    if (m_options.issuer)
        m_settings.issuer = *m_options.issuer;

    m_server = std::make_unique<OAuthServer>(m_settings);
    m_state = std::make_unique<StateRepository>(m_dataDir, *m_server, *m_secrets);
    m_state->setPersistConfig(m_options.configFile.isEmpty());
    m_state->setSavedAddress(savedBind, savedPort);
    m_state->setSavedIssuer(savedIssuer);
    // First start (or secrets missing from the store): save now, so the secrets reach the store.
    if (!QFile::exists(m_state->configPath()) || configSecrets != m_secretsFound)
        m_state->markConfigDirty();
    if (m_options.resetState) {
        m_state->resetState();
    } else {
        const StateRepository::ReadResult state = m_state->restoreState();
        if (!state.ok) {
            m_state->setPersistState(false); // never write over a newer oauthsim's file
            return Q_EMIT failed(state.error);
        }
        if (!state.notice.isEmpty())
            m_notices << state.notice;
    }
    startKeyRing();
}

void Startup::startKeyRing()
{
    // The saved signing keys, or a new one generated off this thread: the server listens (ready()) only once a
    // key exists, so the first id_token never waits for a keygen.
    KeyRing &keys = m_server->keys();
    const QString problem = keys.restore(*m_secrets);
    if (!problem.isEmpty())
        m_notices << problem;
    keys.setSecretStore(m_secrets.get());
    // Whichever answers first ends start-up and takes the other connection with it: a key rotation failing later
    // (from the window) is the key ring's own notice, never a start-up failure that exits.
    auto connections = std::make_shared<std::array<QMetaObject::Connection, 2>>();
    (*connections)[0] = connect(
        &keys, &KeyRing::ready, this,
        [this, connections] {
            disconnect((*connections)[1]);
            Q_EMIT ready();
        },
        Qt::SingleShotConnection);
    (*connections)[1] = connect(
        &keys, &KeyRing::generationFailed, this,
        [this, connections](const QString &reason) {
            disconnect((*connections)[0]);
            Q_EMIT failed(tr("cannot make a signing key: %1").arg(reason));
        },
        Qt::SingleShotConnection);
    keys.ensureKey();
}

} // namespace oauthsim
