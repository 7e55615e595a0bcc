#include "store/ConfigRepository.h"

#include "model/ClientValidator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QJsonObject>
#include <QTest>

using namespace oauthsim;

namespace {

QString describe(const AutoApprove &autoApprove)
{
    switch (autoApprove.mode) {
    case AutoApprove::Mode::Off:
        return QStringLiteral("off");
    case AutoApprove::Mode::All:
        return QStringLiteral("all");
    case AutoApprove::Mode::Scopes:
        return QStringLiteral("scopes[%1]").arg(autoApprove.scopes.joined());
    }
    return QStringLiteral("?");
}

QString describe(const Client &client)
{
    return QStringLiteral("client{id=%1 secret=%2 redirects=[%3] scopes=[%4] grants=[%5] autoapprove=%6 access=%7 "
                          "refresh=%8}")
        .arg(client.id, client.secret, client.redirectUris.join(QLatin1Char(',')), client.scopes.joined(),
             grantTypeNames(client.grantTypes).join(QLatin1Char(',')), describe(client.autoApprove))
        .arg(client.accessTokenLifetime)
        .arg(client.refreshTokenLifetime);
}

// The PKCE and public-client fields, which describe(Client) leaves out.
QString describePkce(const Client &client)
{
    const QString method = clientAuthMethodName(client.authMethod);
    return QStringLiteral("secret=%1 method=%2 requirePkce=%3 refreshForPublic=%4")
        .arg(client.secret, method.isNull() ? QStringLiteral("any") : method)
        .arg(QLatin1String(client.requirePkce ? "true" : "false"),
             QLatin1String(client.allowRefreshForPublicClient ? "true" : "false"));
}

// Every field in one line, so that QCOMPARE shows exactly which one differs.
QString describe(const ServerSettings &s)
{
    QString text = QStringLiteral("bind=%1 port=%2 issuer=%3 access=%4 refresh=%5 codeLength=%6 codeLifetime=%7 "
                                  "reuse=%8 remember=%9")
                       .arg(s.bindAddress)
                       .arg(s.port)
                       .arg(s.issuer)
                       .arg(s.accessTokenLifetime)
                       .arg(s.refreshTokenLifetime)
                       .arg(s.codeLength)
                       .arg(s.codeLifetime)
                       .arg(s.reuseLiveTokens)
                       .arg(s.rememberApprovals);
    text += QStringLiteral(" maxBody=%1 idle=%2").arg(s.maxBodyBytes).arg(s.sessionIdleTimeout);
    for (const Client &client : s.clients)
        text += QLatin1Char(' ') + describe(client);
    for (const User &user : s.users)
        text += QStringLiteral(" user{%1 %2 [%3]}").arg(user.username, user.password, user.authorities.join(u','));
    return text;
}

Client seedClient()
{
    Client client;
    client.id = QStringLiteral("messaging-client");
    client.secret = QStringLiteral("secret");
    client.redirectUris = {QStringLiteral("http://localhost")};
    client.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    client.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
    return client;
}

User makeUser(const QString &name, const QString &password, const QStringList &authorities)
{
    User user;
    user.username = name;
    user.password = password;
    user.authorities = authorities;
    return user;
}

// {"clients":[{"client_id":"c","client_secret":"s", <fields>}]}
QByteArray withClient(const char *fields)
{
    QByteArray json = R"({"clients":[{"client_id":"c","client_secret":"s")";
    if (*fields)
        json += ',' + QByteArray(fields);
    return json + "}]}";
}

// {"users":[{"username":"u","password":"p", <fields>}]}
QByteArray withUser(const char *fields)
{
    QByteArray json = R"({"users":[{"username":"u","password":"p")";
    if (*fields)
        json += ',' + QByteArray(fields);
    return json + "}]}";
}

// The first ```json block after the heading `section` in docs/configuration.md.
QByteArray documentedExample(const char *section = "## Complete example")
{
    QFile file(QStringLiteral(OAUTHSIM_SOURCE_DIR "/docs/configuration.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray doc = file.readAll();
    const qsizetype sectionAt = doc.indexOf(QByteArray(section) + '\n');
    const qsizetype begin = doc.indexOf("```json\n", sectionAt);
    const qsizetype end = doc.indexOf("\n```", begin + 1);
    if (sectionAt < 0 || begin < 0 || end < 0)
        return {};
    return doc.mid(begin + 8, end - begin - 8);
}

} // namespace

Q_DECLARE_METATYPE(std::optional<oauthsim::AccessTokenFormat>)

class tst_ConfigRepository : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void embeddedDefaultIsTheSeedWorld();
    void scalarOverlay_data();
    void scalarOverlay();
    void listsAreReplaced();
    void emptyListsAreAllowed();
    void clientVariants_data();
    void clientVariants();
    void documentedExampleParses();
    void documentedPublicClientExampleParses();
    void pkceClientKeys_data();
    void pkceClientKeys();
    void pkceClientKeysRoundTrip_data();
    void pkceClientKeysRoundTrip();
    void validatorRejectsSecretOfPublicClient();
    void postLogoutRedirectUris();
    void tokenClientKeys_data();
    void tokenClientKeys();
    void tokenClientKeysRoundTrip();
    void documentedTokenExampleParses();
    void rejected_data();
    void rejected();
    void failureLeavesSettingsUntouched();
    void errorPointerMayBeNull();
    void applyFileReadsTheFile();
    void applyFileReportsContentErrors();
    void applyFileNamesAMissingFile();
    void applyFileNamesADirectory();
    void bindAddress_data();
    void bindAddress();
    void errorToString();
    void profileBringsItsDefaults();
    void unknownProfileNamesThePath();
};

// server.profile switches the profile and its defaults; "tokens" keys still override them; writing keeps both.
void tst_ConfigRepository::profileBringsItsDefaults()
{
    ServerSettings s = ConfigRepository::embeddedDefault();
    QCOMPARE(s.profile, ProfileId::SpringLegacy);
    ConfigError error;
    QVERIFY(ConfigRepository::applyOverlay(R"({"server":{"profile":"spring-authorization-server"}})", s, &error));
    QCOMPARE(s.profile, ProfileId::SpringAuthorizationServer);
    QCOMPARE(s.accessTokenLifetime, 300);
    QCOMPARE(s.refreshTokenLifetime, 3600);
    QCOMPARE(s.codeLifetime, 300);
    QCOMPARE(s.codeLength, 128);

    ServerSettings overridden = ConfigRepository::embeddedDefault();
    QVERIFY(ConfigRepository::applyOverlay(
        R"({"server":{"profile":"spring-authorization-server"},"tokens":{"access_token_lifetime":900}})", overridden,
        &error));
    QCOMPARE(overridden.accessTokenLifetime, 900);
    QCOMPARE(overridden.refreshTokenLifetime, 3600);

    // The same profile again changes nothing (a saved file's own lifetimes are kept).
    ServerSettings same = overridden;
    QVERIFY(ConfigRepository::applyOverlay(R"({"server":{"profile":"spring-authorization-server"}})", same, &error));
    QCOMPARE(same.accessTokenLifetime, 900);

    // Round trip through the writer.
    ServerSettings back = ConfigRepository::embeddedDefault();
    QVERIFY(ConfigRepository::applyOverlay(ConfigRepository::toJson(overridden, ConfigRepository::Secrets::Required),
                                           back, &error));
    QCOMPARE(back.profile, ProfileId::SpringAuthorizationServer);
    QCOMPARE(back.accessTokenLifetime, 900);
    QCOMPARE(back.refreshTokenLifetime, 3600);
}

void tst_ConfigRepository::unknownProfileNamesThePath()
{
    ServerSettings s = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY(!ConfigRepository::applyOverlay(R"({"server":{"profile":"keycloak"}})", s, &error));
    QCOMPARE(error.toString(), QStringLiteral("server.profile: unknown profile \"keycloak\" (known: spring-legacy, "
                                              "spring-authorization-server)"));
    QVERIFY(!ConfigRepository::applyOverlay(R"({"server":{"profile":7}})", s, &error));
    QCOMPARE(error.toString(), QStringLiteral("server.profile: expected a string"));
    QCOMPARE(s.profile, ProfileId::SpringLegacy);
}

void tst_ConfigRepository::embeddedDefaultIsTheSeedWorld()
{
    const ServerSettings s = ConfigRepository::embeddedDefault();
    QCOMPARE(s.bindAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(s.port, 8090);
    QCOMPARE(s.issuer, QString());
    QCOMPARE(s.accessTokenLifetime, 43200);
    QCOMPARE(s.refreshTokenLifetime, 2592000);
    QCOMPARE(s.codeLength, 6);
    QCOMPARE(s.codeLifetime, 300);
    QCOMPARE(s.reuseLiveTokens, true);
    QCOMPARE(s.rememberApprovals, true);
    QCOMPARE(s.maxBodyBytes, 65536);
    QCOMPARE(s.sessionIdleTimeout, 1800);

    QCOMPARE(s.clients.size(), 1);
    const Client &client = s.clients.first();
    QCOMPARE(client.id, QStringLiteral("messaging-client"));
    QCOMPARE(client.secret, QStringLiteral("secret"));
    QCOMPARE(client.redirectUris, QStringList{QStringLiteral("http://localhost")});
    QCOMPARE(client.scopes.names(), (QStringList{QStringLiteral("read"), QStringLiteral("write")}));
    QCOMPARE(client.grantTypes, GrantType::AuthorizationCode | GrantType::RefreshToken);
    QCOMPARE(client.autoApprove.mode, AutoApprove::Mode::Off);
    QCOMPARE(client.accessTokenLifetime, 0);
    QCOMPARE(client.refreshTokenLifetime, 0);
    QCOMPARE(describe(client), describe(seedClient()));

    QCOMPARE(s.users.size(), 1);
    QCOMPARE(s.users.first().username, QStringLiteral("user"));
    QCOMPARE(s.users.first().password, QStringLiteral("password"));
    QCOMPARE(s.users.first().authorities, QStringList{QStringLiteral("ROLE_USER")});
}

void tst_ConfigRepository::scalarOverlay_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");

    QTest::newRow("empty document") << QByteArray("{}") << QString() << QString();
    QTest::newRow("schema_version 1") << QByteArray(R"({"schema_version":1})") << QString() << QString();
    QTest::newRow("bind ipv4") << QByteArray(R"({"server":{"bind":"0.0.0.0"}})") << "bind"
                               << "0.0.0.0";
    QTest::newRow("bind ipv6") << QByteArray(R"({"server":{"bind":"::1"}})") << "bind"
                               << "::1";
    QTest::newRow("bind localhost") << QByteArray(R"({"server":{"bind":"localhost"}})") << "bind"
                                    << "127.0.0.1";
    QTest::newRow("port 0") << QByteArray(R"({"server":{"port":0}})") << "port"
                            << "0";
    QTest::newRow("port 65535") << QByteArray(R"({"server":{"port":65535}})") << "port"
                                << "65535";
    QTest::newRow("issuer") << QByteArray(R"({"server":{"issuer":"https://auth.example.test:8443/base"}})") << "issuer"
                            << "https://auth.example.test:8443/base";
    QTest::newRow("issuer empty") << QByteArray(R"({"server":{"issuer":""}})") << "issuer" << QString();
    QTest::newRow("access lifetime") << QByteArray(R"({"tokens":{"access_token_lifetime":60}})") << "access"
                                     << "60";
    QTest::newRow("access lifetime 1e3") << QByteArray(R"({"tokens":{"access_token_lifetime":1e3}})") << "access"
                                         << "1000";
    QTest::newRow("access lifetime 1") << QByteArray(R"({"tokens":{"access_token_lifetime":1}})") << "access"
                                       << "1";
    QTest::newRow("refresh lifetime max")
        << QByteArray(R"({"tokens":{"refresh_token_lifetime":2147483647}})") << "refresh"
        << "2147483647";
    QTest::newRow("code_length 4") << QByteArray(R"({"tokens":{"code_length":4}})") << "codeLength"
                                   << "4";
    QTest::newRow("code_length 128") << QByteArray(R"({"tokens":{"code_length":128}})") << "codeLength"
                                     << "128";
    QTest::newRow("code_lifetime 0") << QByteArray(R"({"tokens":{"code_lifetime":0}})") << "codeLifetime"
                                     << "0";
    QTest::newRow("reuse false") << QByteArray(R"({"tokens":{"reuse_live_tokens":false}})") << "reuse"
                                 << "false";
    QTest::newRow("remember false") << QByteArray(R"({"tokens":{"remember_approvals":false}})") << "remember"
                                    << "false";
    QTest::newRow("max body 1024") << QByteArray(R"({"limits":{"max_body_bytes":1024}})") << "maxBody"
                                   << "1024";
    QTest::newRow("max body 64 MiB") << QByteArray(R"({"limits":{"max_body_bytes":67108864}})") << "maxBody"
                                     << "67108864";
    QTest::newRow("idle 1") << QByteArray(R"({"limits":{"session_idle_timeout":1}})") << "idle"
                            << "1";
}

void tst_ConfigRepository::scalarOverlay()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, value);

    // Only the named field may change; everything else keeps the embedded default.
    ServerSettings expected = ConfigRepository::embeddedDefault();
    const auto flag = [&] { return value == QLatin1String("true"); };
    if (field == QLatin1String("bind"))
        expected.bindAddress = value;
    else if (field == QLatin1String("port"))
        expected.port = value.toInt();
    else if (field == QLatin1String("issuer"))
        expected.issuer = value;
    else if (field == QLatin1String("access"))
        expected.accessTokenLifetime = value.toInt();
    else if (field == QLatin1String("refresh"))
        expected.refreshTokenLifetime = value.toInt();
    else if (field == QLatin1String("codeLength"))
        expected.codeLength = value.toInt();
    else if (field == QLatin1String("codeLifetime"))
        expected.codeLifetime = value.toInt();
    else if (field == QLatin1String("reuse"))
        expected.reuseLiveTokens = flag();
    else if (field == QLatin1String("remember"))
        expected.rememberApprovals = flag();
    else if (field == QLatin1String("maxBody"))
        expected.maxBodyBytes = value.toInt();
    else if (field == QLatin1String("idle"))
        expected.sessionIdleTimeout = value.toInt();
    else
        QVERIFY2(field.isEmpty(), qPrintable(field));

    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(describe(settings), describe(expected));
}

void tst_ConfigRepository::listsAreReplaced()
{
    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    const QByteArray json = R"({
        "tokens": {"code_length": 8},
        "clients": [
            {"client_id": "b", "client_secret": "sb", "redirect_uris": ["https://b.test/cb"], "scopes": ["x"],
             "grant_types": ["client_credentials"]},
            {"client_id": "a", "client_secret": ""}
        ],
        "users": [{"username": "alice", "password": "pw"}]
    })";
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));

    ServerSettings expected = ConfigRepository::embeddedDefault();
    expected.codeLength = 8;
    Client b;
    b.id = QStringLiteral("b");
    b.secret = QStringLiteral("sb");
    b.redirectUris = {QStringLiteral("https://b.test/cb")};
    b.scopes = ScopeSet({QStringLiteral("x")});
    b.grantTypes = GrantType::ClientCredentials;
    Client a;
    a.id = QStringLiteral("a");
    a.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken; // Spring's default when none are named
    expected.clients = {b, a};
    expected.users = {makeUser(QStringLiteral("alice"), QStringLiteral("pw"), {QStringLiteral("ROLE_USER")})};
    QCOMPARE(describe(settings), describe(expected));
    QVERIFY(settings.clients == expected.clients);
    QVERIFY(settings.users == expected.users);

    // A document naming only users keeps the clients it was applied over.
    QVERIFY(ConfigRepository::applyOverlay(R"({"users":[{"username":"bob","password":"x","authorities":[]}]})",
                                           settings, &error));
    QCOMPARE(settings.clients.size(), 2);
    QCOMPARE(settings.clients.at(0).id, QStringLiteral("b"));
    QCOMPARE(settings.users.size(), 1);
    QCOMPARE(settings.users.first().username, QStringLiteral("bob"));
    QCOMPARE(settings.users.first().authorities, QStringList());
}

void tst_ConfigRepository::emptyListsAreAllowed()
{
    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(R"({"clients":[],"users":[]})", settings, &error),
             qPrintable(error.toString()));
    QCOMPARE(settings.clients.size(), 0);
    QCOMPARE(settings.users.size(), 0);
    QCOMPARE(settings.port, 8090);
}

void tst_ConfigRepository::clientVariants_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    const auto base = [] {
        Client client;
        client.id = QStringLiteral("c");
        client.secret = QStringLiteral("s");
        client.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
        return client;
    };
    Client c = base();
    QTest::newRow("minimal") << withClient("") << describe(c);

    c = base();
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.autoApprove.mode = AutoApprove::Mode::All;
    QTest::newRow("autoapprove true") << withClient(R"("scopes":["read","write"],"autoapprove":true)") << describe(c);

    c.autoApprove = AutoApprove{AutoApprove::Mode::Scopes, ScopeSet({QStringLiteral("read")})};
    QTest::newRow("autoapprove list") << withClient(R"("autoapprove":["read"],"scopes":["write","read"])")
                                      << describe(c);

    c.autoApprove = AutoApprove{};
    QTest::newRow("autoapprove empty list")
        << withClient(R"("scopes":["read","write"],"autoapprove":[])") << describe(c);
    QTest::newRow("autoapprove false") << withClient(R"("scopes":["read","write"],"autoapprove":false)") << describe(c);
    QTest::newRow("scopes sorted, duplicates dropped")
        << withClient(R"("scopes":["write","read","write"])") << describe(c);

    c = base();
    c.grantTypes = GrantType::Password | GrantType::ClientCredentials | GrantType::Implicit;
    QTest::newRow("grant types") << withClient(R"("grant_types":["password","client_credentials","implicit"])")
                                 << describe(c);

    c = base();
    c.grantTypes = GrantType::DeviceCode | GrantType::RefreshToken;
    QTest::newRow("device_code grant (RFC 8628)")
        << withClient(R"("grant_types":["urn:ietf:params:oauth:grant-type:device_code","refresh_token"])")
        << describe(c);

    c = base();
    c.redirectUris = {QStringLiteral("com.example.app:/oauth2/callback"), QStringLiteral("http://[::1]:8080/cb"),
                      QStringLiteral("https://x.test/cb?tenant=1"), QStringLiteral("urn:ietf:wg:oauth:2.0:oob")};
    QTest::newRow("redirect uris")
        << withClient(R"("redirect_uris":["com.example.app:/oauth2/callback","http://[::1]:8080/cb",)"
                      R"("https://x.test/cb?tenant=1","urn:ietf:wg:oauth:2.0:oob"])")
        << describe(c);

    c = base();
    c.accessTokenLifetime = 60;
    c.refreshTokenLifetime = 120;
    QTest::newRow("lifetimes") << withClient(R"("access_token_lifetime":60,"refresh_token_lifetime":120)")
                               << describe(c);
}

void tst_ConfigRepository::clientVariants()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);

    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.clients.size(), 1);
    QCOMPARE(describe(settings.clients.first()), expected);
}

void tst_ConfigRepository::documentedExampleParses()
{
    const QByteArray json = documentedExample();
    QVERIFY2(json.startsWith('{'), "no ```json block under \"## Complete example\" in docs/configuration.md");

    ServerSettings settings;
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.bindAddress, QStringLiteral("127.0.0.1"));
    QCOMPARE(settings.port, 8090);
    QCOMPARE(settings.issuer, QStringLiteral("http://127.0.0.1:8090"));
    QCOMPARE(settings.accessTokenLifetime, 43200);
    QCOMPARE(settings.refreshTokenLifetime, 2592000);
    QCOMPARE(settings.codeLength, 6);
    QCOMPARE(settings.codeLifetime, 300);
    QCOMPARE(settings.maxBodyBytes, 65536);
    QCOMPARE(settings.sessionIdleTimeout, 1800);

    QCOMPARE(settings.clients.size(), 2);
    Client seed = seedClient();
    seed.accessTokenLifetime = 43200;
    seed.refreshTokenLifetime = 2592000;
    QCOMPARE(describe(settings.clients.at(0)), describe(seed));
    Client mobile;
    mobile.id = QStringLiteral("mobile-app");
    mobile.redirectUris = {QStringLiteral("com.example.app:/oauth2/callback"),
                           QStringLiteral("http://127.0.0.1:7777/callback")};
    mobile.scopes = ScopeSet({QStringLiteral("profile"), QStringLiteral("read")});
    mobile.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken | GrantType::Password |
                        GrantType::ClientCredentials | GrantType::Implicit;
    mobile.autoApprove = AutoApprove{AutoApprove::Mode::Scopes, ScopeSet({QStringLiteral("profile")})};
    mobile.accessTokenLifetime = 600;
    QCOMPARE(describe(settings.clients.at(1)), describe(mobile));
    QCOMPARE(settings.clients.at(1).postLogoutRedirectUris, QStringList{"com.example.app:/oauth2/logged-out"});

    QList<User> users{
        makeUser(QStringLiteral("user"), QStringLiteral("password"), {QStringLiteral("ROLE_USER")}),
        makeUser(QStringLiteral("admin"), QStringLiteral("admin"),
                 {QStringLiteral("ROLE_USER"), QStringLiteral("ROLE_ADMIN")}),
    };
    users[1].claims = QJsonObject{{QStringLiteral("name"), QStringLiteral("Ada Admin")},
                                  {QStringLiteral("email"), QStringLiteral("ada@example.test")}};
    QVERIFY(settings.users == users);
}

void tst_ConfigRepository::documentedPublicClientExampleParses()
{
    const QByteArray json = documentedExample("## Public clients and PKCE");
    QVERIFY2(json.startsWith('{'), "no ```json block under \"## Public clients and PKCE\" in docs/configuration.md");

    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.clients.size(), 2);
    const Client &spa = settings.clients.at(0);
    QCOMPARE(spa.id, QStringLiteral("spa"));
    QCOMPARE(describePkce(spa), QStringLiteral("secret= method=none requirePkce=false refreshForPublic=true"));
    QVERIFY(spa.isPublic());
    QVERIFY(spa.requiresPkce());
    QVERIFY(spa.mayReceiveRefreshToken());
    const Client &backend = settings.clients.at(1);
    QCOMPARE(backend.id, QStringLiteral("web-backend"));
    QCOMPARE(
        describePkce(backend),
        QStringLiteral("secret=backend-secret method=client_secret_basic requirePkce=true refreshForPublic=false"));
    QVERIFY(!backend.isPublic());
    QVERIFY(backend.requiresPkce());
    QVERIFY(backend.mayReceiveRefreshToken());
}

void tst_ConfigRepository::pkceClientKeys_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected"); // describePkce
    QTest::addColumn<bool>("requiresPkce");
    QTest::addColumn<bool>("mayReceiveRefreshToken");

    QTest::newRow("defaults") << withClient("") << "secret=s method=any requirePkce=false refreshForPublic=false"
                              << false << true;
    QTest::newRow("client_secret_basic")
        << withClient(R"("token_endpoint_auth_method":"client_secret_basic")")
        << "secret=s method=client_secret_basic requirePkce=false refreshForPublic=false" << false << true;
    QTest::newRow("client_secret_post, require_pkce")
        << withClient(R"("token_endpoint_auth_method":"client_secret_post","require_pkce":true)")
        << "secret=s method=client_secret_post requirePkce=true refreshForPublic=false" << true << true;
    QTest::newRow("require_pkce false") << withClient(R"("require_pkce":false)")
                                        << "secret=s method=any requirePkce=false refreshForPublic=false" << false
                                        << true;
    // A public client needs no client_secret key, even where secrets are required.
    QTest::newRow("none without client_secret")
        << QByteArray(R"({"clients":[{"client_id":"spa","token_endpoint_auth_method":"none"}]})")
        << "secret= method=none requirePkce=false refreshForPublic=false" << true << false;
    QTest::newRow("none with an empty client_secret")
        << QByteArray(R"({"clients":[{"client_id":"spa","client_secret":"","token_endpoint_auth_method":"none"}]})")
        << "secret= method=none requirePkce=false refreshForPublic=false" << true << false;
    QTest::newRow("none, key order: secret before method")
        << QByteArray(R"({"clients":[{"client_secret":"","client_id":"spa","token_endpoint_auth_method":"none",)"
                      R"("require_pkce":false}]})")
        << "secret= method=none requirePkce=false refreshForPublic=false" << true << false;
    QTest::newRow("none with refresh tokens")
        << QByteArray(R"({"clients":[{"client_id":"spa","token_endpoint_auth_method":"none",)"
                      R"("allow_refresh_for_public_client":true}]})")
        << "secret= method=none requirePkce=false refreshForPublic=true" << true << true;
    QTest::newRow("none with the opt-in but without the refresh_token grant")
        << QByteArray(R"({"clients":[{"client_id":"spa","token_endpoint_auth_method":"none",)"
                      R"("grant_types":["authorization_code"],"allow_refresh_for_public_client":true}]})")
        << "secret= method=none requirePkce=false refreshForPublic=true" << true << false;
    QTest::newRow("opt-in on a confidential client (no effect)")
        << withClient(R"("allow_refresh_for_public_client":true)")
        << "secret=s method=any requirePkce=false refreshForPublic=true" << false << true;
}

void tst_ConfigRepository::pkceClientKeys()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    QFETCH(bool, requiresPkce);
    QFETCH(bool, mayReceiveRefreshToken);

    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.clients.size(), 1);
    const Client &client = settings.clients.first();
    QCOMPARE(describePkce(client), expected);
    QCOMPARE(client.requiresPkce(), requiresPkce);
    QCOMPARE(client.mayReceiveRefreshToken(), mayReceiveRefreshToken);
    // The GUI's validator agrees with the reader.
    const std::optional<FieldError> problem = ClientValidator::validate(client, {}, QString());
    QVERIFY2(!problem, problem ? qPrintable(problem->toString()) : "");
}

void tst_ConfigRepository::pkceClientKeysRoundTrip_data()
{
    QTest::addColumn<int>("secrets"); // ConfigRepository::Secrets
    QTest::newRow("with secrets") << int(ConfigRepository::Secrets::Required);
    QTest::newRow("without secrets (data directory)") << int(ConfigRepository::Secrets::Optional);
}

void tst_ConfigRepository::pkceClientKeysRoundTrip()
{
    QFETCH(int, secrets);
    const auto mode = ConfigRepository::Secrets(secrets);
    ServerSettings settings = ConfigRepository::embeddedDefault();
    Client spa = seedClient();
    spa.id = QStringLiteral("spa");
    spa.secret.clear();
    spa.authMethod = ClientAuthMethod::None;
    spa.allowRefreshForPublicClient = true;
    Client basicOnly = seedClient();
    basicOnly.id = QStringLiteral("basic-only");
    basicOnly.authMethod = ClientAuthMethod::Basic;
    basicOnly.requirePkce = true;
    Client postOnly = seedClient();
    postOnly.id = QStringLiteral("post-only");
    postOnly.authMethod = ClientAuthMethod::Post;
    settings.clients << spa << basicOnly << postOnly;

    const QByteArray json = ConfigRepository::toJson(settings, mode);
    const QJsonArray clients = QJsonDocument::fromJson(json).object().value(QLatin1String("clients")).toArray();
    QCOMPARE(clients.size(), 4);
    // Defaults are left out: the seed client's object has none of the three keys.
    for (const char *key : {"token_endpoint_auth_method", "require_pkce", "allow_refresh_for_public_client"})
        QVERIFY2(!clients.at(0).toObject().contains(QLatin1String(key)), key);
    QCOMPARE(clients.at(1).toObject().value(QLatin1String("token_endpoint_auth_method")).toString(),
             QStringLiteral("none"));
    QCOMPARE(clients.at(1).toObject().value(QLatin1String("allow_refresh_for_public_client")).toBool(), true);
    QVERIFY(!clients.at(1).toObject().contains(QLatin1String("require_pkce")));
    QCOMPARE(clients.at(2).toObject().value(QLatin1String("token_endpoint_auth_method")).toString(),
             QStringLiteral("client_secret_basic"));
    QCOMPARE(clients.at(2).toObject().value(QLatin1String("require_pkce")).toBool(), true);
    QCOMPARE(clients.at(3).toObject().value(QLatin1String("token_endpoint_auth_method")).toString(),
             QStringLiteral("client_secret_post"));

    ServerSettings read;
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, read, &error, mode), qPrintable(error.toString()));
    QCOMPARE(read.clients.size(), 4);
    for (qsizetype i = 0; i < read.clients.size(); ++i) {
        Client expected = settings.clients.at(i);
        if (mode == ConfigRepository::Secrets::Optional)
            expected.secret.clear();
        QCOMPARE(describePkce(read.clients.at(i)), describePkce(expected));
        QVERIFY(read.clients.at(i) == expected);
    }
}

void tst_ConfigRepository::validatorRejectsSecretOfPublicClient()
{
    // The GUI's editor gets the reader's rule, with the same field name and words.
    Client spa = seedClient();
    spa.authMethod = ClientAuthMethod::None;
    const std::optional<FieldError> problem = ClientValidator::validate(spa, {}, QString());
    QVERIFY(problem.has_value());
    QCOMPARE(problem->toString(),
             QStringLiteral("client_secret: must be empty for a public client (token_endpoint_auth_method \"none\")"));
    spa.secret.clear();
    QVERIFY(!ClientValidator::validate(spa, {}, QString()));
    // A confidential client may keep an empty secret, as before.
    Client confidential = seedClient();
    confidential.secret.clear();
    confidential.authMethod = ClientAuthMethod::Post;
    QVERIFY(!ClientValidator::validate(confidential, {}, QString()));
}

void tst_ConfigRepository::postLogoutRedirectUris()
{
    ServerSettings settings = ConfigRepository::embeddedDefault();
    QVERIFY(settings.clients.first().postLogoutRedirectUris.isEmpty());
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(
                 withClient("\"post_logout_redirect_uris\":[\"http://localhost/bye\",\"com.example.app:/logged-out\"]"),
                 settings, &error),
             qPrintable(error.toString()));
    const QStringList uris{QStringLiteral("http://localhost/bye"), QStringLiteral("com.example.app:/logged-out")};
    QCOMPARE(settings.clients.first().postLogoutRedirectUris, uris);

    // Written only when there are some, and read back the same, with and without secrets.
    Client plain = seedClient();
    plain.id = QStringLiteral("plain");
    settings.clients << plain;
    for (const auto mode : {ConfigRepository::Secrets::Required, ConfigRepository::Secrets::Optional}) {
        const QByteArray json = ConfigRepository::toJson(settings, mode);
        const QJsonArray clients = QJsonDocument::fromJson(json).object().value(QLatin1String("clients")).toArray();
        QCOMPARE(clients.at(0).toObject().value(QLatin1String("post_logout_redirect_uris")),
                 QJsonValue(QJsonArray::fromStringList(uris)));
        QVERIFY(!clients.at(1).toObject().contains(QLatin1String("post_logout_redirect_uris")));
        ServerSettings read;
        QVERIFY2(ConfigRepository::applyOverlay(json, read, &error, mode), qPrintable(error.toString()));
        QCOMPARE(read.clients.at(0).postLogoutRedirectUris, uris);
        QVERIFY(read.clients.at(1).postLogoutRedirectUris.isEmpty());
    }

    // The GUI's editor gets the same rule, with the configuration key as the field.
    Client bad = seedClient();
    bad.postLogoutRedirectUris = {QStringLiteral("http://localhost/bye"), QStringLiteral("bye")};
    const std::optional<FieldError> problem = ClientValidator::validate(bad, {}, QString());
    QVERIFY(problem.has_value());
    QCOMPARE(problem->toString(), QStringLiteral("post_logout_redirect_uris[1]: not a valid absolute URI"));
}

void tst_ConfigRepository::tokenClientKeys_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<std::optional<AccessTokenFormat>>("format");
    QTest::addColumn<bool>("rotate");

    QTest::newRow("left out: the profile's default, reuse")
        << withClient("") << std::optional<AccessTokenFormat>() << false;
    QTest::newRow("jwt") << withClient(R"("access_token_format":"jwt")")
                         << std::optional<AccessTokenFormat>(AccessTokenFormat::Jwt) << false;
    QTest::newRow("opaque, rotating") << withClient(R"("access_token_format":"opaque","rotate_refresh_tokens":true)")
                                      << std::optional<AccessTokenFormat>(AccessTokenFormat::Opaque) << true;
    QTest::newRow("rotate_refresh_tokens false")
        << withClient(R"("rotate_refresh_tokens":false)") << std::optional<AccessTokenFormat>() << false;
}

void tst_ConfigRepository::tokenClientKeys()
{
    QFETCH(QByteArray, json);
    QFETCH(std::optional<AccessTokenFormat>, format);
    QFETCH(bool, rotate);
    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.clients.size(), 1);
    QCOMPARE(settings.clients.first().accessTokenFormat, format);
    QCOMPARE(settings.clients.first().rotateRefreshTokens, rotate);
    // Left out, the legacy profile's default: opaque.
    QCOMPARE(settings.accessTokenFormatFor(settings.clients.first()), format.value_or(AccessTokenFormat::Opaque));
}

void tst_ConfigRepository::tokenClientKeysRoundTrip()
{
    ServerSettings settings = ConfigRepository::embeddedDefault();
    Client jwt = seedClient();
    jwt.id = QStringLiteral("jwt-client");
    jwt.accessTokenFormat = AccessTokenFormat::Jwt;
    Client opaque = seedClient();
    opaque.id = QStringLiteral("opaque-client");
    opaque.accessTokenFormat = AccessTokenFormat::Opaque;
    opaque.rotateRefreshTokens = true;
    settings.clients << jwt << opaque;

    const QByteArray json = ConfigRepository::toJson(settings, ConfigRepository::Secrets::Required);
    const QJsonArray clients = QJsonDocument::fromJson(json).object().value(QLatin1String("clients")).toArray();
    QCOMPARE(clients.size(), 3);
    // Defaults are left out.
    QVERIFY(!clients.at(0).toObject().contains(QLatin1String("access_token_format")));
    QVERIFY(!clients.at(0).toObject().contains(QLatin1String("rotate_refresh_tokens")));
    QVERIFY(!clients.at(1).toObject().contains(QLatin1String("rotate_refresh_tokens")));
    QCOMPARE(clients.at(2).toObject().value(QLatin1String("rotate_refresh_tokens")).toBool(), true);
    QCOMPARE(clients.at(1).toObject().value(QLatin1String("access_token_format")).toString(), QStringLiteral("jwt"));
    QCOMPARE(clients.at(2).toObject().value(QLatin1String("access_token_format")).toString(), QStringLiteral("opaque"));

    ServerSettings read;
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, read, &error), qPrintable(error.toString()));
    QCOMPARE(read.clients.size(), 3);
    for (qsizetype i = 0; i < read.clients.size(); ++i)
        QVERIFY(read.clients.at(i) == settings.clients.at(i));
}

void tst_ConfigRepository::documentedTokenExampleParses()
{
    const QByteArray json = documentedExample("## JWT access tokens and refresh-token rotation");
    QVERIFY2(json.startsWith('{'),
             "no ```json block under \"## JWT access tokens and refresh-token rotation\" in docs/configuration.md");
    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.clients.size(), 2);
    QCOMPARE(settings.clients.at(0).accessTokenFormat, std::optional<AccessTokenFormat>(AccessTokenFormat::Jwt));
    QCOMPARE(settings.clients.at(0).rotateRefreshTokens, true);
    QCOMPARE(settings.clients.at(1).accessTokenFormat, std::optional<AccessTokenFormat>());
    QCOMPARE(settings.clients.at(1).rotateRefreshTokens, false);
}

void tst_ConfigRepository::rejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    // Whole document.
    QTest::newRow("not json") << QByteArray("{") << "not valid JSON: unterminated object at offset 1";
    QTest::newRow("empty") << QByteArray() << "not valid JSON: illegal value at offset 0";
    QTest::newRow("trailing comma") << QByteArray(R"({"server":{},})")
                                    << "not valid JSON: object is missing after a comma at offset 14";
    QTest::newRow("root array") << QByteArray("[1]") << "not valid JSON: the document must be an object";

    // Unknown keys, at every level.
    QTest::newRow("unknown top") << QByteArray(R"({"sever":{}})") << "sever: unknown key";
    QTest::newRow("unknown server") << QByteArray(R"({"server":{"prot":8080}})") << "server.prot: unknown key";
    QTest::newRow("unknown tokens") << QByteArray(R"({"tokens":{"code_len":6}})") << "tokens.code_len: unknown key";
    QTest::newRow("unknown limits") << QByteArray(R"({"limits":{"max_body":1}})") << "limits.max_body: unknown key";
    QTest::newRow("unknown client") << QByteArray(R"({"clients":[{"secret":"x"}]})")
                                    << "clients[0].secret: unknown key";
    QTest::newRow("unknown user") << withUser(R"("pass":"x")") << "users[0].pass: unknown key";

    // Types.
    QTest::newRow("server not object") << QByteArray(R"({"server":[]})") << "server: expected an object";
    QTest::newRow("tokens not object") << QByteArray(R"({"tokens":1})") << "tokens: expected an object";
    QTest::newRow("limits null") << QByteArray(R"({"limits":null})") << "limits: expected an object";
    QTest::newRow("port string") << QByteArray(R"({"server":{"port":"80"}})") << "server.port: expected an integer";
    QTest::newRow("port fraction") << QByteArray(R"({"server":{"port":1.5}})") << "server.port: expected an integer";
    QTest::newRow("lifetime null") << QByteArray(R"({"tokens":{"access_token_lifetime":null}})")
                                   << "tokens.access_token_lifetime: expected an integer";
    QTest::newRow("bind number") << QByteArray(R"({"server":{"bind":127}})") << "server.bind: expected a string";
    QTest::newRow("reuse string") << QByteArray(R"({"tokens":{"reuse_live_tokens":"yes"}})")
                                  << "tokens.reuse_live_tokens: expected a boolean";
    QTest::newRow("remember number") << QByteArray(R"({"tokens":{"remember_approvals":1}})")
                                     << "tokens.remember_approvals: expected a boolean";
    QTest::newRow("clients object") << QByteArray(R"({"clients":{}})") << "clients: expected an array";
    QTest::newRow("clients item") << QByteArray(R"({"clients":[1]})") << "clients[0]: expected an object";
    QTest::newRow("users string") << QByteArray(R"({"users":"user"})") << "users: expected an array";
    QTest::newRow("users item") << QByteArray(R"({"users":[[]]})") << "users[0]: expected an object";
    QTest::newRow("client secret null") << QByteArray(R"({"clients":[{"client_id":"c","client_secret":null}]})")
                                        << "clients[0].client_secret: expected a string";
    QTest::newRow("access_token_format upper case")
        << withClient(R"("access_token_format":"JWT")")
        << R"(clients[0].access_token_format: unknown format "JWT" ("jwt" or "opaque"))";
    QTest::newRow("rotate_refresh_tokens string")
        << withClient(R"("rotate_refresh_tokens":"yes")") << "clients[0].rotate_refresh_tokens: expected a boolean";
    QTest::newRow("access_token_format boolean")
        << withClient(R"("access_token_format":true)") << "clients[0].access_token_format: expected a string";
    QTest::newRow("redirect_uris string")
        << withClient(R"("redirect_uris":"http://localhost")") << "clients[0].redirect_uris: expected an array";
    QTest::newRow("scope number") << withClient(R"("scopes":["read",1])") << "clients[0].scopes[1]: expected a string";
    QTest::newRow("grant_types string") << withClient(R"("grant_types":"authorization_code")")
                                        << "clients[0].grant_types: expected an array";
    QTest::newRow("autoapprove string") << withClient(R"("autoapprove":"true")")
                                        << "clients[0].autoapprove: expected a boolean or an array";
    QTest::newRow("autoapprove item") << withClient(R"("scopes":["read"],"autoapprove":[true])")
                                      << "clients[0].autoapprove[0]: expected a string";
    QTest::newRow("client lifetime string")
        << withClient(R"("access_token_lifetime":"60")") << "clients[0].access_token_lifetime: expected an integer";
    QTest::newRow("password number") << QByteArray(R"({"users":[{"username":"u","password":1}]})")
                                     << "users[0].password: expected a string";
    QTest::newRow("authorities string") << withUser(R"("authorities":"ROLE_USER")")
                                        << "users[0].authorities: expected an array";
    QTest::newRow("authority number") << withUser(R"("authorities":["ROLE_USER",2])")
                                      << "users[0].authorities[1]: expected a string";

    // schema_version.
    QTest::newRow("schema 2") << QByteArray(R"({"schema_version":2})")
                              << "schema_version: unsupported schema version 2 (this oauthsim reads 1)";
    QTest::newRow("schema 0") << QByteArray(R"({"schema_version":0})")
                              << "schema_version: unsupported schema version 0 (this oauthsim reads 1)";
    QTest::newRow("schema 2 before unknown keys")
        << QByteArray(R"({"a_new_key":true,"schema_version":2})")
        << "schema_version: unsupported schema version 2 (this oauthsim reads 1)";
    QTest::newRow("schema string") << QByteArray(R"({"schema_version":"1"})") << "schema_version: expected an integer";

    // server.
    QTest::newRow("bind hostname") << QByteArray(R"({"server":{"bind":"example.com"}})")
                                   << R"(server.bind: "example.com" is not an IP address or "localhost")";
    QTest::newRow("bind empty") << QByteArray(R"({"server":{"bind":""}})")
                                << R"(server.bind: "" is not an IP address or "localhost")";
    QTest::newRow("bind octet") << QByteArray(R"({"server":{"bind":"256.0.0.1"}})")
                                << R"(server.bind: "256.0.0.1" is not an IP address or "localhost")";
    QTest::newRow("bind port number") << QByteArray(R"({"server":{"bind":"8090"}})")
                                      << R"(server.bind: "8090" is not an IP address or "localhost")";
    QTest::newRow("bind with port") << QByteArray(R"({"server":{"bind":"127.0.0.1:80"}})")
                                    << R"(server.bind: "127.0.0.1:80" is not an IP address or "localhost")";
    QTest::newRow("port -1") << QByteArray(R"({"server":{"port":-1}})") << "server.port: must be between 0 and 65535";
    QTest::newRow("port 65536") << QByteArray(R"({"server":{"port":65536}})")
                                << "server.port: must be between 0 and 65535";
    QTest::newRow("issuer ftp") << QByteArray(R"({"server":{"issuer":"ftp://x.test"}})")
                                << "server.issuer: not an absolute http or https URL";
    QTest::newRow("issuer relative") << QByteArray(R"({"server":{"issuer":"/oauth"}})")
                                     << "server.issuer: not an absolute http or https URL";
    QTest::newRow("issuer no host") << QByteArray(R"({"server":{"issuer":"http:///x"}})")
                                    << "server.issuer: not an absolute http or https URL";
    QTest::newRow("issuer space") << QByteArray(R"({"server":{"issuer":"http://a b.test"}})")
                                  << "server.issuer: not an absolute http or https URL";
    QTest::newRow("issuer query") << QByteArray(R"({"server":{"issuer":"http://x.test/?a=b"}})")
                                  << "server.issuer: must not have a query";
    QTest::newRow("issuer fragment") << QByteArray(R"({"server":{"issuer":"http://x.test/#top"}})")
                                     << "server.issuer: must not have a fragment";

    // tokens and limits.
    QTest::newRow("access 0") << QByteArray(R"({"tokens":{"access_token_lifetime":0}})")
                              << "tokens.access_token_lifetime: must be at least 1";
    QTest::newRow("access too big") << QByteArray(R"({"tokens":{"access_token_lifetime":2147483648}})")
                                    << "tokens.access_token_lifetime: must be at most 2147483647";
    QTest::newRow("refresh -5") << QByteArray(R"({"tokens":{"refresh_token_lifetime":-5}})")
                                << "tokens.refresh_token_lifetime: must be at least 1";
    QTest::newRow("code_lifetime -1") << QByteArray(R"({"tokens":{"code_lifetime":-1}})")
                                      << "tokens.code_lifetime: must be at least 0";
    QTest::newRow("code_length 3") << QByteArray(R"({"tokens":{"code_length":3}})")
                                   << "tokens.code_length: must be between 4 and 128";
    QTest::newRow("code_length 129") << QByteArray(R"({"tokens":{"code_length":129}})")
                                     << "tokens.code_length: must be between 4 and 128";
    QTest::newRow("max body 1023") << QByteArray(R"({"limits":{"max_body_bytes":1023}})")
                                   << "limits.max_body_bytes: must be between 1024 and 67108864";
    QTest::newRow("max body 64 MiB + 1") << QByteArray(R"({"limits":{"max_body_bytes":67108865}})")
                                         << "limits.max_body_bytes: must be between 1024 and 67108864";
    QTest::newRow("idle 0") << QByteArray(R"({"limits":{"session_idle_timeout":0}})")
                            << "limits.session_idle_timeout: must be at least 1";

    // clients.
    QTest::newRow("client_id missing") << QByteArray(R"({"clients":[{"client_secret":"s"}]})")
                                       << "clients[0].client_id: required key is missing";
    QTest::newRow("client_id empty") << QByteArray(R"({"clients":[{"client_id":"","client_secret":"s"}]})")
                                     << "clients[0].client_id: must not be empty";
    QTest::newRow("client_secret missing")
        << QByteArray(R"({"clients":[{"client_id":"c"}]})") << "clients[0].client_secret: required key is missing";
    QTest::newRow("client_id duplicate")
        << QByteArray(R"({"clients":[{"client_id":"x","client_secret":"a"},{"client_id":"x","client_secret":"b"}]})")
        << R"(clients[1].client_id: duplicate client_id "x")";
    QTest::newRow("redirect relative") << withClient(R"("redirect_uris":["localhost/cb"])")
                                       << "clients[0].redirect_uris[0]: not a valid absolute URI";
    QTest::newRow("redirect empty") << withClient(R"("redirect_uris":[""])")
                                    << "clients[0].redirect_uris[0]: not a valid absolute URI";
    QTest::newRow("redirect no host") << withClient(R"("redirect_uris":["http://localhost","https:///cb"])")
                                      << "clients[0].redirect_uris[1]: not a valid absolute URI";
    QTest::newRow("redirect fragment") << withClient(R"("redirect_uris":["http://localhost/cb#x"])")
                                       << "clients[0].redirect_uris[0]: not a valid absolute URI";
    QTest::newRow("redirect empty fragment") << withClient(R"("redirect_uris":["http://localhost/cb#"])")
                                             << "clients[0].redirect_uris[0]: not a valid absolute URI";
    QTest::newRow("redirect space") << withClient(R"("redirect_uris":["http://local host/cb"])")
                                    << "clients[0].redirect_uris[0]: not a valid absolute URI";
    QTest::newRow("redirect bad escape") << withClient(R"("redirect_uris":["http://localhost/%zz"])")
                                         << "clients[0].redirect_uris[0]: not a valid absolute URI";
    // RP-Initiated Logout §3: post-logout URIs follow the redirect URI rules.
    QTest::newRow("post-logout string") << withClient("\"post_logout_redirect_uris\":\"http://localhost\"")
                                        << "clients[0].post_logout_redirect_uris: expected an array";
    QTest::newRow("post-logout relative")
        << withClient("\"post_logout_redirect_uris\":[\"http://localhost/bye\",\"/bye\"]")
        << "clients[0].post_logout_redirect_uris[1]: not a valid absolute URI";
    QTest::newRow("post-logout fragment") << withClient("\"post_logout_redirect_uris\":[\"http://localhost/#bye\"]")
                                          << "clients[0].post_logout_redirect_uris[0]: not a valid absolute URI";
    QTest::newRow("post-logout not a string") << withClient(R"("post_logout_redirect_uris":[1])")
                                              << "clients[0].post_logout_redirect_uris[0]: expected a string";
    QTest::newRow("scope empty") << withClient(R"("scopes":["read",""])") << "clients[0].scopes[1]: must not be empty";
    QTest::newRow("scope space") << withClient(R"("scopes":["read write"])")
                                 << "clients[0].scopes[0]: must not contain whitespace";
    QTest::newRow("scope tab") << withClient(R"("scopes":["a\tb"])")
                               << "clients[0].scopes[0]: must not contain whitespace";
    QTest::newRow("grant_types empty") << withClient(R"("grant_types":[])")
                                       << "clients[0].grant_types: must not be empty";
    QTest::newRow("grant_types unknown") << withClient(R"("grant_types":["authorization_code","foo"])")
                                         << R"(clients[0].grant_types[1]: unknown grant type "foo")";
    QTest::newRow("grant_types case") << withClient(R"("grant_types":["Password"])")
                                      << R"(clients[0].grant_types[0]: unknown grant type "Password")";
    QTest::newRow("autoapprove outside scopes")
        << withClient(R"("scopes":["read"],"autoapprove":["read","admin"])")
        << R"(clients[0].autoapprove[1]: "admin" is not one of the client's scopes)";
    QTest::newRow("autoapprove without scopes")
        << withClient(R"("autoapprove":["read"])")
        << R"(clients[0].autoapprove[0]: "read" is not one of the client's scopes)";
    QTest::newRow("client access 0") << withClient(R"("access_token_lifetime":0)")
                                     << "clients[0].access_token_lifetime: must be at least 1";
    QTest::newRow("client refresh -1") << withClient(R"("refresh_token_lifetime":-1)")
                                       << "clients[0].refresh_token_lifetime: must be at least 1";

    QTest::newRow("auth method unknown") << withClient(R"("token_endpoint_auth_method":"x")")
                                         << R"(clients[0].token_endpoint_auth_method: unknown method "x")";
    QTest::newRow("auth method not served")
        << withClient(R"("token_endpoint_auth_method":"private_key_jwt")")
        << R"(clients[0].token_endpoint_auth_method: unknown method "private_key_jwt")";
    QTest::newRow("auth method is case-sensitive") << withClient(R"("token_endpoint_auth_method":"None")")
                                                   << R"(clients[0].token_endpoint_auth_method: unknown method "None")";
    QTest::newRow("auth method empty") << withClient(R"("token_endpoint_auth_method":"")")
                                       << R"(clients[0].token_endpoint_auth_method: unknown method "")";
    QTest::newRow("auth method null") << withClient(R"("token_endpoint_auth_method":null)")
                                      << "clients[0].token_endpoint_auth_method: expected a string";
    QTest::newRow("public client with a secret")
        << withClient(R"("token_endpoint_auth_method":"none")")
        << R"(clients[0].client_secret: must be empty for a public client (token_endpoint_auth_method "none"))";
    QTest::newRow("public client with a secret, method given last")
        << QByteArray(R"({"clients":[{"client_id":"c","token_endpoint_auth_method":"none","client_secret":"x"}]})")
        << R"(clients[0].client_secret: must be empty for a public client (token_endpoint_auth_method "none"))";
    QTest::newRow("confidential method still needs client_secret")
        << QByteArray(R"({"clients":[{"client_id":"c","token_endpoint_auth_method":"client_secret_post"}]})")
        << "clients[0].client_secret: required key is missing";
    QTest::newRow("require_pkce string") << withClient(R"("require_pkce":"true")")
                                         << "clients[0].require_pkce: expected a boolean";
    QTest::newRow("allow_refresh_for_public_client number")
        << withClient(R"("allow_refresh_for_public_client":1)")
        << "clients[0].allow_refresh_for_public_client: expected a boolean";
    QTest::newRow("refresh opt-in misspelt") << withClient(R"("allow_refresh_for_public_clients":true)")
                                             << "clients[0].allow_refresh_for_public_clients: unknown key";

    // users.
    QTest::newRow("claims not an object") << QByteArray(R"({"users":[{"username":"u","password":"p","claims":[1]}]})")
                                          << "users[0].claims: expected an object";
    QTest::newRow("username missing") << QByteArray(R"({"users":[{"password":"p"}]})")
                                      << "users[0].username: required key is missing";
    QTest::newRow("username empty") << QByteArray(R"({"users":[{"username":"","password":"p"}]})")
                                    << "users[0].username: must not be empty";
    QTest::newRow("password missing") << QByteArray(R"({"users":[{"username":"u"}]})")
                                      << "users[0].password: required key is missing";
    QTest::newRow("username duplicate")
        << QByteArray(R"({"users":[{"username":"u","password":"a"},{"username":"v","password":"b"},)"
                      R"({"username":"u","password":"c"}]})")
        << R"(users[2].username: duplicate username "u")";
}

void tst_ConfigRepository::rejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);

    ServerSettings settings = ConfigRepository::embeddedDefault();
    const QString before = describe(settings);
    ConfigError problem;
    QVERIFY(!ConfigRepository::applyOverlay(json, settings, &problem));
    QCOMPARE(problem.toString(), error);
    QCOMPARE(describe(settings), before);
}

void tst_ConfigRepository::failureLeavesSettingsUntouched()
{
    ServerSettings settings = ConfigRepository::embeddedDefault();
    settings.port = 1234;
    const QString before = describe(settings);
    ConfigError error;
    // Valid scalars and a valid user list come before the bad client; none of them may be applied.
    const QByteArray json = R"({"server":{"port":9999,"bind":"::1"},"tokens":{"code_length":10},
        "users":[{"username":"other","password":"x"}],
        "clients":[{"client_id":"ok","client_secret":""},{"client_id":"bad","client_secret":"","grant_types":["x"]}]})";
    QVERIFY(!ConfigRepository::applyOverlay(json, settings, &error));
    QCOMPARE(error.jsonPath, QStringLiteral("clients[1].grant_types[0]"));
    QCOMPARE(error.message, QStringLiteral("unknown grant type \"x\""));
    QCOMPARE(describe(settings), before);
}

void tst_ConfigRepository::errorPointerMayBeNull()
{
    ServerSettings settings = ConfigRepository::embeddedDefault();
    QVERIFY(!ConfigRepository::applyOverlay("{", settings, nullptr));
    QVERIFY(!ConfigRepository::applyFile(QStringLiteral("/nonexistent/oauthsim.json"), settings, nullptr));
    QVERIFY(ConfigRepository::applyOverlay(R"({"server":{"port":1}})", settings, nullptr));
    QCOMPARE(settings.port, 1);
}

void tst_ConfigRepository::applyFileReadsTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("world.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"server":{"port":9999},"users":[{"username":"carol","password":"pw"}]})");
    file.close();

    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY2(ConfigRepository::applyFile(path, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.port, 9999);
    QCOMPARE(settings.clients.size(), 1);
    QCOMPARE(settings.users.size(), 1);
    QCOMPARE(settings.users.first().username, QStringLiteral("carol"));
}

void tst_ConfigRepository::applyFileReportsContentErrors()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"server":{"port":"high"}})");
    file.close();

    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY(!ConfigRepository::applyFile(path, settings, &error));
    QCOMPARE(error.toString(), QStringLiteral("server.port: expected an integer"));
    QCOMPARE(settings.port, 8090);
}

void tst_ConfigRepository::applyFileNamesAMissingFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("missing.json"));
    ServerSettings settings = ConfigRepository::embeddedDefault();
    const QString before = describe(settings);
    ConfigError error;
    QVERIFY(!ConfigRepository::applyFile(path, settings, &error));
    QCOMPARE(error.jsonPath, QString());
    QCOMPARE(error.toString(),
             QStringLiteral("cannot read configuration file \"%1\": No such file or directory").arg(path));
    QCOMPARE(describe(settings), before);
}

void tst_ConfigRepository::applyFileNamesADirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    ServerSettings settings = ConfigRepository::embeddedDefault();
    ConfigError error;
    QVERIFY(!ConfigRepository::applyFile(dir.path(), settings, &error));
    QCOMPARE(error.jsonPath, QString());
    QVERIFY2(error.message.startsWith(QStringLiteral("cannot read configuration file \"%1\": ").arg(dir.path())),
             qPrintable(error.message));
}

void tst_ConfigRepository::bindAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // null = rejected

    QTest::newRow("ipv4 loopback") << "127.0.0.1"
                                   << "127.0.0.1";
    QTest::newRow("ipv4 any") << "0.0.0.0"
                              << "0.0.0.0";
    QTest::newRow("localhost") << "localhost"
                               << "127.0.0.1";
    QTest::newRow("LocalHost") << "LocalHost"
                               << "127.0.0.1";
    QTest::newRow("ipv6 loopback") << "::1"
                                   << "::1";
    QTest::newRow("ipv6 any") << "::"
                              << "::";
    QTest::newRow("ipv6 upper case") << "FE80::1"
                                     << "fe80::1";
    QTest::newRow("empty") << "" << QString();
    QTest::newRow("hostname") << "example.com" << QString();
    QTest::newRow("octet too big") << "256.0.0.1" << QString();
    QTest::newRow("with port") << "127.0.0.1:8090" << QString();
    QTest::newRow("inet_aton short form") << "127.1" << QString();
    QTest::newRow("single number") << "1" << QString();
    QTest::newRow("hex") << "0x7f.0.0.1" << QString();
    QTest::newRow("leading space") << " 127.0.0.1" << QString();
    QTest::newRow("trailing space") << "::1 " << QString();
    QTest::newRow("localhost.") << "localhost." << QString();
}

void tst_ConfigRepository::bindAddress()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);

    const std::optional<QString> address = ConfigRepository::parseBindAddress(text);
    QCOMPARE(address.has_value(), !expected.isNull());
    if (address)
        QCOMPARE(*address, expected);
}

void tst_ConfigRepository::errorToString()
{
    QCOMPARE((ConfigError{QStringLiteral("server.port"), QStringLiteral("expected an integer")}).toString(),
             QStringLiteral("server.port: expected an integer"));
    QCOMPARE((ConfigError{QString(), QStringLiteral("not valid JSON: x at offset 0")}).toString(),
             QStringLiteral("not valid JSON: x at offset 0"));
}

QTEST_GUILESS_MAIN(tst_ConfigRepository)
#include "tst_configrepository.moc"
