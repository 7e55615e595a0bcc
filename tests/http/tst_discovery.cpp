// GET /.well-known/openid-configuration (OpenID Connect Discovery 1.0) and /.well-known/oauth-authorization-server
// (RFC 8414) against a live server, for both profiles and for issuers configured with and without a trailing slash
// and with a path: every member exactly, the required ones present, every URL absolute and under the issuer, the
// issuer byte for byte as configured, scopes following the registered clients, CORS, and the methods served.

#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "store/ClientStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kOpenId = QStringLiteral("/.well-known/openid-configuration");
const QString kOAuth = QStringLiteral("/.well-known/oauth-authorization-server");

// A second client whose scopes (one shared with the seed client, one standard, one twice in no order) must show up
// in scopes_supported sorted and once each.
ServerSettings discoverySettings(ProfileId profile, const QString &issuer)
{
    ServerSettings s = TestServer::defaultSettings();
    s.profile = profile;
    s.issuer = issuer;
    Client app = s.clients.first();
    app.id = QStringLiteral("app");
    app.scopes = ScopeSet({QStringLiteral("zeta"), QStringLiteral("read"), QStringLiteral("email"),
                           QStringLiteral("openid"), QStringLiteral("zeta")});
    s.clients << app;
    return s;
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

const QJsonArray kAuthMethods = strings({"client_secret_basic", "client_secret_post", "none"});

// Every member of the expected document, in the order the server writes them. `base` is the issuer without a
// trailing slash; `prefix` the profile's token-endpoint family ("/oauth" or "/oauth2").
QList<QPair<QString, QJsonValue>> expectedMembers(bool openId, const QString &issuer, const QString &base,
                                                  const QString &prefix, const QStringList &pkce)
{
    QList<QPair<QString, QJsonValue>> m;
    m.append({"issuer", issuer});
    m.append({"authorization_endpoint", base + prefix + "/authorize"});
    m.append({"device_authorization_endpoint", base + prefix + "/device_authorization"});
    m.append({"token_endpoint", base + prefix + "/token"});
    m.append({"token_endpoint_auth_methods_supported", kAuthMethods});
    m.append({"jwks_uri", base + prefix + "/jwks"});
    if (openId) {
        m.append({"userinfo_endpoint", base + "/userinfo"});
        m.append({"end_session_endpoint", base + "/connect/logout"});
    }
    // The legacy profile has the implicit and password grants; Spring Authorization Server (OAuth 2.1) has neither.
    const bool legacy = prefix == QLatin1String("/oauth");
    m.append({"response_types_supported", legacy ? strings({"code", "token"}) : strings({"code"})});
    m.append({"response_modes_supported", strings({"query", "fragment"})});
    m.append({"grant_types_supported",
              legacy ? strings({"authorization_code", "refresh_token", "implicit", "password", "client_credentials",
                                "urn:ietf:params:oauth:grant-type:device_code"})
                     : strings({"authorization_code", "refresh_token", "client_credentials",
                                "urn:ietf:params:oauth:grant-type:device_code"})});
    m.append({"revocation_endpoint", base + prefix + "/revoke"});
    m.append({"revocation_endpoint_auth_methods_supported", kAuthMethods});
    m.append({"introspection_endpoint", base + prefix + "/introspect"});
    m.append({"introspection_endpoint_auth_methods_supported", kAuthMethods});
    m.append({"code_challenge_methods_supported", strings(pkce)});
    if (openId) {
        m.append({"subject_types_supported", strings({"public"})});
        m.append({"id_token_signing_alg_values_supported", strings({"RS256"})});
    }
    m.append(
        {"scopes_supported", strings({"address", "email", "openid", "phone", "profile", "read", "write", "zeta"})});
    if (openId)
        m.append({"claims_supported", strings({"sub",
                                               "name",
                                               "family_name",
                                               "given_name",
                                               "middle_name",
                                               "nickname",
                                               "preferred_username",
                                               "profile",
                                               "picture",
                                               "website",
                                               "gender",
                                               "birthdate",
                                               "zoneinfo",
                                               "locale",
                                               "updated_at",
                                               "email",
                                               "email_verified",
                                               "address",
                                               "phone_number",
                                               "phone_number_verified"})});
    return m;
}

// The keys of a JSON object text in the order written (QJsonObject would sort them).
QStringList keyOrder(const QByteArray &json)
{
    QStringList keys;
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    qsizetype from = 0;
    for (;;) {
        qsizetype best = -1;
        QString bestKey;
        for (const QString &key : object.keys()) {
            const qsizetype at = json.indexOf("\"" + key.toUtf8() + "\":", from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                bestKey = key;
            }
        }
        if (best < 0)
            return keys;
        keys << bestKey;
        from = best + bestKey.size() + 3;
    }
}

} // namespace

Q_DECLARE_METATYPE(oauthsim::ProfileId)

class TstDiscovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void documents_data();
    void documents();
    void defaultIssuerIsTheListeningAddress_data();
    void defaultIssuerIsTheListeningAddress();
    void scopesFollowTheClients();
    void cors_data();
    void cors();
    void onlyGet_data();
    void onlyGet();
};

void TstDiscovery::documents_data()
{
    QTest::addColumn<ProfileId>("profile");
    QTest::addColumn<QString>("issuer");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QStringList>("pkce");

    const struct
    {
        const char *name;
        ProfileId id;
        const char *prefix;
        QStringList pkce;
    } profiles[] = {
        {"spring-legacy", ProfileId::SpringLegacy, "/oauth", {"S256", "plain"}},
        {"spring-authorization-server", ProfileId::SpringAuthorizationServer, "/oauth2", {"S256"}},
    };
    const char *issuers[] = {"https://idp.example.test", "https://idp.example.test/", "http://127.0.0.1:9/realms/dev",
                             "http://127.0.0.1:9/realms/dev/"};
    for (const auto &p : profiles) {
        for (const char *issuer : issuers) {
            for (const QString &path : {kOpenId, kOAuth})
                QTest::addRow("%s %s %s", p.name, issuer, qPrintable(path))
                    << p.id << QString::fromLatin1(issuer) << path << QString::fromLatin1(p.prefix) << p.pkce;
        }
    }
}

void TstDiscovery::documents()
{
    QFETCH(ProfileId, profile);
    QFETCH(QString, issuer);
    QFETCH(QString, path);
    QFETCH(QString, prefix);
    QFETCH(QStringList, pkce);

    TestServer server(discoverySettings(profile, issuer));
    HttpTestClient http(server.port());
    const TestResponse r = http.get(path);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Content-Type"), kJsonType);
    QVERIFY(r.header("Access-Control-Allow-Origin").isNull()); // no Origin, no CORS headers

    const bool openId = path == kOpenId;
    QString base = issuer;
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const QList<QPair<QString, QJsonValue>> expected = expectedMembers(openId, issuer, base, prefix, pkce);
    const QJsonObject json = r.json();
    QStringList expectedKeys;
    for (const auto &[key, value] : expected) {
        expectedKeys << key;
        QVERIFY2(json.contains(key), qPrintable(key));
        QCOMPARE(json.value(key), value);
    }
    // Nothing else, in exactly this order (issuer first).
    QCOMPARE(keyOrder(r.body), expectedKeys);
    QCOMPARE(json.size(), expected.size());

    // OIDC Discovery §4.3 / RFC 8414 §3.3: the issuer is the configured identifier byte for byte.
    QVERIFY2(r.body.startsWith("{\"issuer\":\"" + issuer.toUtf8() + "\","), r.body.constData());
    // OIDC Discovery §3 REQUIRED members; RFC 8414 §2 REQUIRED ones (plus the endpoints a code flow needs).
    QStringList required{"issuer", "authorization_endpoint", "token_endpoint", "response_types_supported"};
    if (openId)
        required << QStringList{"jwks_uri", "subject_types_supported", "id_token_signing_alg_values_supported"};
    for (const QString &key : required)
        QVERIFY2(json.contains(key), qPrintable(key));
    // Every URL member is absolute, http(s), and under the issuer.
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!it.key().endsWith(QLatin1String("_endpoint")) && it.key() != QLatin1String("jwks_uri"))
            continue;
        const QString url = it.value().toString();
        const QUrl parsed(url, QUrl::StrictMode);
        QVERIFY2(parsed.isValid() && !parsed.isRelative() && !parsed.host().isEmpty(), qPrintable(url));
        QVERIFY2(parsed.scheme() == QLatin1String("http") || parsed.scheme() == QLatin1String("https"),
                 qPrintable(url));
        QVERIFY2(url.startsWith(base + QLatin1Char('/')), qPrintable(url));
        // No doubled slash where the issuer and the path meet.
        QVERIFY2(!url.mid(url.indexOf(QLatin1String("://")) + 3).contains(QLatin1String("//")), qPrintable(url));
    }
}

void TstDiscovery::defaultIssuerIsTheListeningAddress_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("openid-configuration") << kOpenId;
    QTest::newRow("oauth-authorization-server") << kOAuth;
}

void TstDiscovery::defaultIssuerIsTheListeningAddress()
{
    QFETCH(QString, path);
    TestServer server(discoverySettings(ProfileId::SpringLegacy, QString()));
    HttpTestClient http(server.port());
    const QJsonObject json = http.get(path).json();
    const QString base = QStringLiteral("http://127.0.0.1:%1").arg(server.port());
    QCOMPARE(json.value("issuer").toString(), base);
    QCOMPARE(json.value("authorization_endpoint").toString(), base + "/oauth/authorize");
    QCOMPARE(json.value("token_endpoint").toString(), base + "/oauth/token");

    // A configured issuer replaces it from the next request on (applySettings).
    ServerSettings changed = server->settings();
    changed.issuer = QStringLiteral("https://sso.example.test/");
    server->applySettings(changed);
    const QJsonObject after = http.get(path).json();
    QCOMPARE(after.value("issuer").toString(), QStringLiteral("https://sso.example.test/"));
    QCOMPARE(after.value("token_endpoint").toString(), QStringLiteral("https://sso.example.test/oauth/token"));
}

void TstDiscovery::scopesFollowTheClients()
{
    ServerSettings s = TestServer::defaultSettings();
    TestServer server(s);
    HttpTestClient http(server.port());
    // The seed client alone: read and write, plus the three OpenID scopes.
    QCOMPARE(http.get(kOpenId).json().value("scopes_supported"),
             QJsonValue(strings({"address", "email", "openid", "phone", "profile", "read", "write"})));
    QCOMPARE(http.get(kOAuth).json().value("scopes_supported"),
             QJsonValue(strings({"address", "email", "openid", "phone", "profile", "read", "write"})));

    Client added = s.clients.first();
    added.id = QStringLiteral("reports");
    added.scopes = ScopeSet({QStringLiteral("reports.read"), QStringLiteral("address")});
    QVERIFY(!server->saveClient(added, QString()).has_value());
    QCOMPARE(http.get(kOpenId).json().value("scopes_supported"),
             QJsonValue(strings({"address", "email", "openid", "phone", "profile", "read", "reports.read", "write"})));
    QVERIFY(server->removeClient(QStringLiteral("messaging-client")));
    QVERIFY(server->removeClient(QStringLiteral("reports")));
    QCOMPARE(http.get(kOAuth).json().value("scopes_supported"),
             QJsonValue(strings({"address", "email", "openid", "phone", "profile"})));
}

void TstDiscovery::cors_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("openid-configuration") << kOpenId;
    QTest::newRow("oauth-authorization-server") << kOAuth;
}

void TstDiscovery::cors()
{
    QFETCH(QString, path);
    TestServer server;
    HttpTestClient http(server.port());

    // A browser app on an allowed origin (the loopback default) may read the document.
    const TestResponse allowed = http.get(path, {{"Origin", "http://localhost:3000"}});
    QCOMPARE(allowed.status, 200);
    QCOMPARE(allowed.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(allowed.header("Vary"), QByteArray("Origin"));
    QCOMPARE(allowed.body, http.get(path).body);

    // Another origin gets the document without CORS headers (the browser withholds it from the page).
    const TestResponse other = http.get(path, {{"Origin", "https://evil.example.test"}});
    QCOMPARE(other.status, 200);
    QVERIFY(other.header("Access-Control-Allow-Origin").isNull());

    // Fetch §3.2.2 preflight: answered for GET.
    const TestResponse preflight =
        http.send("OPTIONS", path, {}, {{"Origin", "http://127.0.0.1:5173"}, {"Access-Control-Request-Method", "GET"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), QByteArray("http://127.0.0.1:5173"));
    QCOMPARE(preflight.header("Access-Control-Allow-Methods"), QByteArray("GET, OPTIONS"));
}

void TstDiscovery::onlyGet_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("openid-configuration") << kOpenId;
    QTest::newRow("oauth-authorization-server") << kOAuth;
}

void TstDiscovery::onlyGet()
{
    QFETCH(QString, path);
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.postForm(path, "x=1");
    CHECKED(expectJsonError(r, 405,
                            jsonError("method_not_allowed", QStringLiteral("Request method 'POST' not supported"))));
    QCOMPARE(r.header("Allow"), QByteArray("GET"));
    // The '.' of ".well-known" is a dot, not "any character".
    QCOMPARE(http.get(QString(path).replace(QStringLiteral("/.well"), QStringLiteral("/xwell"))).status, 404);
    // HEAD is served by the GET route, without a body.
    const TestResponse head = http.send("HEAD", path, {}, {});
    QCOMPARE(head.status, 200);
    QCOMPARE(head.body, QByteArray());
}

QTEST_GUILESS_MAIN(TstDiscovery)
#include "tst_discovery.moc"
