// The data directory: configuration and issued state survive a restart, secrets never reach the JSON files,
// bursts are coalesced into one write, and bad files lose nothing (kept aside, or refused when newer).
#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "Checks.h"
#include "FakeClock.h"
#include "OAuthServer.h"
#include "secrets/MemorySecretStore.h"
#include "store/ApprovalStore.h"
#include "store/ClientStore.h"
#include "store/CodeStore.h"
#include "store/ConfigRepository.h"
#include "store/StateRepository.h"
#include "store/TokenStore.h"
#include "store/UserStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {
ServerSettings seedSettings()
{
    ServerSettings s = ConfigRepository::embeddedDefault();
    s.port = 0;
    return s;
}

QByteArray between(const QByteArray &text, const QByteArray &before, char end)
{
    const qsizetype at = text.indexOf(before) + before.size();
    return text.mid(at, text.indexOf(end, at) - at);
}

// Steps 1-7 of the seed flow for this client and user; the token response.
QJsonObject obtainTokens(quint16 port, const QString &clientId, const QString &secret, const QString &user,
                         const QString &password)
{
    HttpTestClient http(port);
    const QString authorize = QStringLiteral("/oauth/authorize?response_type=code&client_id=%1&redirect_uri=%2")
                                  .arg(clientId, QStringLiteral("http://localhost"));
    const QString anonymous = http.get(authorize).sessionCookie();
    const QByteArray loginCsrf = between(http.get(QStringLiteral("/login"), HttpTestClient::cookie(anonymous)).body,
                                         "name=\"_csrf\" type=\"hidden\" value=\"", '"');
    const QString session =
        http.postForm(QStringLiteral("/login"),
                      "username=" + user.toUtf8() + "&password=" + password.toUtf8() + "&_csrf=" + loginCsrf,
                      HttpTestClient::cookie(anonymous))
            .sessionCookie();
    TestResponse step = http.get(authorize, HttpTestClient::cookie(session));
    if (step.status == 200) {
        const QByteArray csrf = between(step.body, "name=\"_csrf\" value=\"", '"');
        step = http.postForm(QStringLiteral("/oauth/authorize"),
                             "user_oauth_approval=true&scope.read=true&scope.write=true&_csrf=" + csrf,
                             HttpTestClient::cookie(session));
    }
    const QByteArray code = step.header("Location").mid(step.header("Location").indexOf("code=") + 5);
    return http
        .postForm(QStringLiteral("/oauth/token"),
                  "grant_type=authorization_code&redirect_uri=http://localhost&code=" + code,
                  HttpTestClient::basic(clientId, secret))
        .json();
}

QJsonObject refreshTokens(quint16 port, const QString &clientId, const QString &secret, const QString &refresh)
{
    HttpTestClient http(port);
    return http
        .postForm(QStringLiteral("/oauth/token"), "grant_type=refresh_token&refresh_token=" + refresh.toUtf8(),
                  HttpTestClient::basic(clientId, secret))
        .json();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// One oauthsim "run" over a data directory: settings as Startup builds them, a server, the repository.
struct Run
{
    Run(const QString &dir, MemorySecretStore &secrets, std::shared_ptr<FakeClock> clock)
    {
        settings = seedSettings();
        read = StateRepository::readConfig(dir, settings);
        for (Client &c : settings.clients) {
            if (secrets.contains(SecretStore::clientKey(c.id)))
                c.secret = secrets.value(SecretStore::clientKey(c.id));
        }
        for (User &u : settings.users) {
            if (secrets.contains(SecretStore::userKey(u.username)))
                u.password = secrets.value(SecretStore::userKey(u.username));
        }
        OAuthServer::Dependencies deps;
        deps.clock = clock;
        server = std::make_unique<OAuthServer>(settings, deps);
        QString error;
        if (!server->listen(&error))
            qFatal("cannot listen: %s", qPrintable(error));
        repository = std::make_unique<StateRepository>(dir, *server, secrets);
        restored = repository->restoreState();
    }
    ~Run()
    {
        repository.reset(); // flushes
        server.reset();
    }
    ServerSettings settings;
    StateRepository::ReadResult read;
    StateRepository::ReadResult restored;
    std::unique_ptr<OAuthServer> server;
    std::unique_ptr<StateRepository> repository;
};
} // namespace

class TestStateRepository : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void configAndTokensSurviveARestart()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        auto clock = std::make_shared<FakeClock>();
        QString refresh;
        {
            Run run(dir.path(), secrets, clock);
            Client edited = *run.server->clients().find(QStringLiteral("messaging-client"));
            edited.secret = QStringLiteral("s3cr3t-after-edit");
            edited.autoApprove = AutoApprove{AutoApprove::Mode::All, {}};
            edited.redirectUris << QStringLiteral("http://127.0.0.1:9999/cb");
            QVERIFY(!run.server->saveClient(edited, edited.id));
            User user = run.server->settings().users.first();
            user.password = QStringLiteral("pa55-after-edit");
            user.claims = QJsonObject{{QStringLiteral("email"), QStringLiteral("u@example.test")}};
            QVERIFY(!run.server->saveUser(user, user.username));
            ServerSettings changed = run.server->settings();
            changed.accessTokenLifetime = 600;
            run.server->applySettings(changed);

            const QJsonObject tokens = obtainTokens(run.server->port(), QStringLiteral("messaging-client"),
                                                    QStringLiteral("s3cr3t-after-edit"), QStringLiteral("user"),
                                                    QStringLiteral("pa55-after-edit"));
            refresh = tokens.value(QLatin1String("refresh_token")).toString();
            QVERIFY(!refresh.isEmpty());
        }
        // The JSON files hold no secret; the secret store holds them.
        const QByteArray config = readAll(QDir(dir.path()).filePath(QStringLiteral("config.json")));
        QVERIFY(!config.isEmpty());
        QVERIFY(!config.contains("s3cr3t-after-edit"));
        QVERIFY(!config.contains("pa55-after-edit"));
        QVERIFY(!readAll(QDir(dir.path()).filePath(QStringLiteral("state.json"))).contains("s3cr3t-after-edit"));
        QCOMPARE(secrets.value(SecretStore::clientKey(QStringLiteral("messaging-client"))),
                 QStringLiteral("s3cr3t-after-edit"));

        clock->advanceSeconds(60);
        Run again(dir.path(), secrets, clock);
        QVERIFY(again.read.ok && again.read.notice.isEmpty());
        QVERIFY(again.restored.ok && again.restored.notice.isEmpty());
        const Client *client = again.server->clients().find(QStringLiteral("messaging-client"));
        QVERIFY(client);
        QCOMPARE(client->secret, QStringLiteral("s3cr3t-after-edit"));
        QCOMPARE(client->autoApprove.mode, AutoApprove::Mode::All);
        QCOMPARE(client->redirectUris.size(), 2);
        QCOMPARE(again.server->settings().users.first().password, QStringLiteral("pa55-after-edit"));
        QCOMPARE(again.server->settings().users.first().claims.value(QLatin1String("email")).toString(),
                 QStringLiteral("u@example.test"));
        QCOMPARE(again.server->settings().accessTokenLifetime, 600);
        // A refresh token issued before the restart still refreshes after it.
        const QJsonObject refreshed = refreshTokens(again.server->port(), QStringLiteral("messaging-client"),
                                                    QStringLiteral("s3cr3t-after-edit"), refresh);
        QCOMPARE(refreshed.value(QLatin1String("refresh_token")).toString(), refresh);
        QCOMPARE(refreshed.value(QLatin1String("expires_in")).toInt(), 599);
    }

    // Spring Authorization Server's stored consents and the chosen profile survive a restart; a reset drops consents.
    void consentsAndProfileSurviveARestart()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        auto clock = std::make_shared<FakeClock>();
        {
            Run run(dir.path(), secrets, clock);
            ServerSettings changed = run.server->settings();
            changed.useProfile(ProfileId::SpringAuthorizationServer);
            run.server->applySettings(changed);
            run.server->approvals().addConsent(QStringLiteral("messaging-client"), QStringLiteral("user"),
                                               ScopeSet({QStringLiteral("openid"), QStringLiteral("read")}));
            // Any exchange marks the state for saving.
            HttpTestClient http(run.server->port());
            QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
        }
        Run again(dir.path(), secrets, clock);
        QCOMPARE(again.server->settings().profile, ProfileId::SpringAuthorizationServer);
        QCOMPARE(again.server->settings().accessTokenLifetime, 300);
        QCOMPARE(again.server->approvals().consent(QStringLiteral("messaging-client"), QStringLiteral("user")).names(),
                 (QStringList{QStringLiteral("openid"), QStringLiteral("read")}));
        again.repository->resetState();
        QVERIFY(again.server->approvals().consents().isEmpty());
    }

    void burstIsCoalescedIntoOneWrite()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        Run run(dir.path(), secrets, std::make_shared<FakeClock>());
        HttpTestClient http(run.server->port());
        for (int i = 0; i < 50; ++i)
            QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
        QCOMPARE(run.repository->stateWrites(), 0); // nothing written per request
        QTRY_COMPARE_WITH_TIMEOUT(run.repository->stateWrites(), 1, StateRepository::kSaveDelayMs * 3);
        run.repository->flush();
        QCOMPARE(run.repository->stateWrites(), 1); // nothing pending: nothing written again
    }

    void expiredStateIsPurgedOnLoad()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        auto clock = std::make_shared<FakeClock>();
        {
            Run run(dir.path(), secrets, clock);
            obtainTokens(run.server->port(), QStringLiteral("messaging-client"), QStringLiteral("secret"),
                         QStringLiteral("user"), QStringLiteral("password"));
            QCOMPARE(run.server->tokens().accessCount(), 1);
        }
        clock->advanceSeconds(43200); // the access token expired; the refresh token (30 days) did not
        Run again(dir.path(), secrets, clock);
        QCOMPARE(again.server->tokens().accessCount(), 0);
        QCOMPARE(again.server->tokens().refreshCount(), 1);
    }

    void corruptFilesAreKeptAsideAndDefaultsUsed_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("config.json") << QStringLiteral("config.json");
        QTest::newRow("state.json") << QStringLiteral("state.json");
    }
    void corruptFilesAreKeptAsideAndDefaultsUsed()
    {
        QFETCH(QString, file);
        QTemporaryDir dir;
        const QByteArray garbage = "{\"clients\": [ this is not json";
        writeFile(QDir(dir.path()).filePath(file), garbage);
        MemorySecretStore secrets;
        Run run(dir.path(), secrets, std::make_shared<FakeClock>());
        const QString notice = file == QLatin1String("config.json") ? run.read.notice : run.restored.notice;
        QVERIFY2(notice.contains(file) && notice.contains(QStringLiteral(".corrupt-")), qPrintable(notice));
        QVERIFY(run.read.ok && run.restored.ok);
        const QStringList kept = QDir(dir.path()).entryList({file + QStringLiteral(".corrupt-*")});
        QCOMPARE(kept.size(), 1);
        QCOMPARE(readAll(QDir(dir.path()).filePath(kept.first())), garbage);     // the evidence, untouched
        QVERIFY(run.server->clients().find(QStringLiteral("messaging-client"))); // the defaults
    }

    void newerFilesAreRefusedAndLeftUntouched_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("config.json") << QStringLiteral("config.json");
        QTest::newRow("state.json") << QStringLiteral("state.json");
    }
    void newerFilesAreRefusedAndLeftUntouched()
    {
        QFETCH(QString, file);
        QTemporaryDir dir;
        const QByteArray newer = "{\"schema_version\": 99, \"something\": \"from the future\"}";
        const QString path = QDir(dir.path()).filePath(file);
        writeFile(path, newer);
        MemorySecretStore secrets;
        {
            Run run(dir.path(), secrets, std::make_shared<FakeClock>());
            const StateRepository::ReadResult &result = file == QLatin1String("config.json") ? run.read : run.restored;
            QVERIFY(!result.ok);
            QVERIFY2(result.error.contains(path) && result.error.contains(QStringLiteral("newer oauthsim")),
                     qPrintable(result.error));
            if (file == QLatin1String("state.json"))
                run.repository->setPersistState(false); // what Startup does: it stops before anything is written
            else
                run.repository->setPersistConfig(false);
        }
        QCOMPARE(readAll(path), newer);
    }

    // The "keep issued state across restarts" setting off: nothing is written, nothing restored.
    void issuedStateIsNotKeptWhenTheSettingIsOff()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        auto clock = std::make_shared<FakeClock>();
        {
            Run run(dir.path(), secrets, clock);
            ServerSettings off = run.server->settings();
            off.persistIssuedState = false;
            run.server->applySettings(off);
            obtainTokens(run.server->port(), QStringLiteral("messaging-client"), QStringLiteral("secret"),
                         QStringLiteral("user"), QStringLiteral("password"));
            run.repository->flush();
            QCOMPARE(run.repository->stateWrites(), 0);
        }
        QVERIFY(!QFile::exists(QDir(dir.path()).filePath(QStringLiteral("state.json"))));
        Run again(dir.path(), secrets, clock);
        QVERIFY(!again.server->settings().persistIssuedState); // the setting itself is configuration: kept
        QCOMPARE(again.server->tokens().refreshCount(), 0);
    }

    // A PKCE code restored without its challenge would accept any verifier (or none).
    void pkceCodeKeepsItsChallengeAcrossARestart()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        auto clock = std::make_shared<FakeClock>();
        const QString verifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"); // RFC 7636 App. B
        QString code;
        {
            Run run(dir.path(), secrets, clock);
            BrowserFlow flow(run.server->port(),
                             BrowserFlow::seedQuery() +
                                 QStringLiteral("&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                                                "&code_challenge_method=S256"));
            flow.logIn();
            code = flow.authorizeCode();
            QVERIFY(!code.isEmpty());
        }
        Run again(dir.path(), secrets, clock);
        HttpTestClient http(again.server->port());
        const QByteArray exchange =
            "grant_type=authorization_code&redirect_uri=http://localhost&code=" + code.toLatin1();
        const TestResponse missing =
            http.postForm(QStringLiteral("/oauth/token"), exchange,
                          HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.json().value(QLatin1String("error_description")).toString(),
                 QStringLiteral("code_verifier missing"));
    }

    // An OpenID Connect code redeemed after a restart still has the nonce and login time for its id_token, and a
    // refresh token keeps the login time for the id_tokens of later refreshes.
    void openIdFactsSurviveARestart()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        auto clock = std::make_shared<FakeClock>();
        const QString nonce = QStringLiteral("n-0S6 _WzA2Mj\u00fc");
        QString code;
        QString refresh;
        qint64 loginMs = 0;
        {
            Run run(dir.path(), secrets, clock);
            BrowserFlow flow(run.server->port(),
                             BrowserFlow::seedQuery() + QStringLiteral("&nonce=") + QString::fromLatin1(enc(nonce)));
            QVERIFY(!flow.logIn().isEmpty());
            loginMs = clock->nowMs();
            clock->advanceSeconds(3);
            code = flow.authorizeCode();
            QVERIFY(!code.isEmpty());
            BrowserFlow other(run.server->port());
            other.logIn();
            refresh = other.codeFlow().refresh;
            QVERIFY(!refresh.isEmpty());
        }
        Run again(dir.path(), secrets, clock);
        const QList<AuthorizationCode> codes = again.server->codes().all();
        const auto restored =
            std::find_if(codes.cbegin(), codes.cend(), [&](const AuthorizationCode &c) { return c.code == code; });
        QVERIFY(restored != codes.cend());
        QCOMPARE(restored->nonce, std::optional<QString>(nonce));
        QCOMPARE(restored->authTimeMs, loginMs);
        const IssuedToken *token = again.server->tokens().findRefresh(refresh);
        QVERIFY(token);
        QCOMPARE(token->authTimeMs, loginMs + 3000); // the second browser logged in 3 s later
        // A code without a nonce stays without one.
        QVERIFY(std::none_of(codes.cbegin(), codes.cend(),
                             [&](const AuthorizationCode &c) { return c.code != code && c.nonce.has_value(); }));
    }

    void resetStateForgetsEverything()
    {
        QTemporaryDir dir;
        MemorySecretStore secrets;
        Run run(dir.path(), secrets, std::make_shared<FakeClock>());
        const QJsonObject tokens =
            obtainTokens(run.server->port(), QStringLiteral("messaging-client"), QStringLiteral("secret"),
                         QStringLiteral("user"), QStringLiteral("password"));
        QSignalSpy cleared(&run.server->tokens(), &TokenStore::cleared);
        run.repository->resetState();
        QCOMPARE(cleared.size(), 1);
        QCOMPARE(run.server->tokens().accessCount(), 0);
        const QJsonObject state =
            QJsonDocument::fromJson(readAll(QDir(dir.path()).filePath(QStringLiteral("state.json")))).object();
        QVERIFY(state.value(QLatin1String("tokens")).toArray().isEmpty());
        const QJsonObject refused =
            refreshTokens(run.server->port(), QStringLiteral("messaging-client"), QStringLiteral("secret"),
                          tokens.value(QLatin1String("refresh_token")).toString());
        QCOMPARE(refused.value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
    }
};

QTEST_GUILESS_MAIN(TestStateRepository)
#include "tst_staterepository.moc"
