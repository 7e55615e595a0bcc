// GET and POST /userinfo (OpenID Connect Core 1.0 §5.3) against a live server: the bearer token from the
// Authorization header or a POST form body (RFC 6750 §2.1, §2.2), the claims each scope grants (OIDC Core §5.4)
// as exact JSON, and every refusal (RFC 6750 §3.1) with its exact status, body and WWW-Authenticate challenge.

#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "model/IssuedToken.h"
#include "store/TokenStore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kClient = QStringLiteral("oidc-app");
const QString kSecret = QStringLiteral("oidc-secret");
const QByteArray kForm = QByteArrayLiteral("application/x-www-form-urlencoded");

// Every standard claim the test user has, in OIDC Core §5.4 order, as the server must write them.
const QByteArray kProfileClaims =
    R"("name":"Ada Lovelace","family_name":"Lovelace","given_name":"Ada","preferred_username":"ada",)"
    R"("picture":"https://img.example.test/ada.png","locale":"en-GB","updated_at":1700000000)";
const QByteArray kEmailClaims = R"("email":"ada@example.test","email_verified":true)";
const QByteArray kAddressClaims = R"("address":{"country":"UK","locality":"London"})";
const QByteArray kPhoneClaims = R"("phone_number":"+44 20 7946 0000","phone_number_verified":false)";

// The seed world plus an OpenID client with every grant that issues access tokens, and claims on the seed user:
// standard ones of every scope, a custom one and a "sub" that must never be returned.
ServerSettings userInfoSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client c;
    c.id = kClient;
    c.secret = kSecret;
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet({"openid", "profile", "email", "address", "phone", "read"});
    c.grantTypes = GrantType::Password | GrantType::ClientCredentials | GrantType::RefreshToken;
    c.autoApprove.mode = AutoApprove::Mode::All;
    s.clients << c;
    QJsonObject claims{
        {"name", "Ada Lovelace"},
        {"given_name", "Ada"},
        {"family_name", "Lovelace"},
        {"preferred_username", "ada"},
        {"picture", "https://img.example.test/ada.png"},
        {"locale", "en-GB"},
        {"updated_at", 1700000000},
        {"email", "ada@example.test"},
        {"email_verified", true},
        {"address", QJsonObject{{"locality", "London"}, {"country", "UK"}}},
        {"phone_number", "+44 20 7946 0000"},
        {"phone_number_verified", false},
        {"sub", "someone-else"},
        {"employee_number", "42"},
    };
    s.users.first().claims = claims;
    return s;
}

// An access token for `scope` by the password grant (the seed user) or client_credentials (no user).
QString accessToken(HttpTestClient &http, const QByteArray &scope, bool forUser = true)
{
    const QByteArray body = (forUser ? QByteArray("grant_type=password&username=user&password=password")
                                     : QByteArray("grant_type=client_credentials")) +
                            "&scope=" + enc(QString::fromLatin1(scope));
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"), body, HttpTestClient::basic(kClient, kSecret));
    if (r.status != 200)
        qWarning("token request failed: %d %s", r.status, r.body.constData());
    return r.json().value(QLatin1String("access_token")).toString();
}

HttpTestClient::Headers bearer(const QString &token)
{
    return {{"Authorization", "Bearer " + token.toLatin1()}};
}

// 200 with exactly `body` and the headers of an answer about a credential.
void expectClaims(const TestResponse &r, const QByteArray &body)
{
    QCOMPARE(r.body, body);
    QCOMPARE(r.status, 200);
    const QList<QPair<QByteArray, QByteArray>> expected{{"Cache-Control", "no-store"},
                                                        {"Pragma", "no-cache"},
                                                        {"Content-Type", kJsonType},
                                                        {"Content-Length", QByteArray::number(body.size())}};
    QCOMPARE(r.headers, expected);
}

QByteArray invalidToken(const QString &description)
{
    return jsonError("invalid_token", description);
}

} // namespace

class TstUserInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void claimsByScope_data();
    void claimsByScope();
    void tokenTransport_data();
    void tokenTransport();
    void noToken_data();
    void noToken();
    void badRequests_data();
    void badRequests();
    void unknownToken();
    void revokedToken();
    void expiredToken();
    void refreshTokenIsNotAnAccessToken();
    void clientCredentialsToken();
    void withoutOpenIdScope();
    void jwtAccessToken();
    void userWithoutClaims();
    void cors();
    void otherMethods();
    void requestRecord();
};

void TstUserInfo::claimsByScope_data()
{
    QTest::addColumn<QByteArray>("scope");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("openid") << QByteArray("openid") << QByteArray(R"({"sub":"user"})");
    QTest::newRow("openid read") << QByteArray("openid read") << QByteArray(R"({"sub":"user"})");
    QTest::newRow("profile") << QByteArray("openid profile") << R"({"sub":"user",)" + kProfileClaims + '}';
    QTest::newRow("email") << QByteArray("openid email") << R"({"sub":"user",)" + kEmailClaims + '}';
    QTest::newRow("address") << QByteArray("openid address") << R"({"sub":"user",)" + kAddressClaims + '}';
    QTest::newRow("phone") << QByteArray("openid phone") << R"({"sub":"user",)" + kPhoneClaims + '}';
    // Always in §5.4 order, whatever order the scope lists them in.
    QTest::newRow("all") << QByteArray("phone read email openid address profile")
                         << R"({"sub":"user",)" + kProfileClaims + ',' + kEmailClaims + ',' + kAddressClaims + ',' +
                                kPhoneClaims + '}';
}

void TstUserInfo::claimsByScope()
{
    QFETCH(QByteArray, scope);
    QFETCH(QByteArray, body);
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, scope);
    QVERIFY(!token.isEmpty());
    CHECKED(expectClaims(http.get(QStringLiteral("/userinfo"), bearer(token)), body));
    CHECKED(expectClaims(http.postForm(QStringLiteral("/userinfo"), QByteArray(), bearer(token)), body));
}

void TstUserInfo::tokenTransport_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("scheme"); // empty: no Authorization header
    QTest::addColumn<QByteArray>("body");   // %T: the token
    QTest::addColumn<QByteArray>("contentType");

    QTest::newRow("GET Bearer") << QByteArray("GET") << QByteArray("Bearer") << QByteArray() << QByteArray();
    // RFC 7235 §2.1: the scheme is case-insensitive.
    QTest::newRow("GET bearer") << QByteArray("GET") << QByteArray("bearer") << QByteArray() << QByteArray();
    QTest::newRow("GET BEARER") << QByteArray("GET") << QByteArray("BEARER") << QByteArray() << QByteArray();
    QTest::newRow("POST Bearer") << QByteArray("POST") << QByteArray("Bearer") << QByteArray() << QByteArray();
    QTest::newRow("POST Bearer, form without a token")
        << QByteArray("POST") << QByteArray("Bearer") << QByteArray("x=1") << kForm;
    QTest::newRow("POST form access_token")
        << QByteArray("POST") << QByteArray() << QByteArray("access_token=%T") << kForm;
    QTest::newRow("POST form, media type in capitals")
        << QByteArray("POST") << QByteArray() << QByteArray("access_token=%T")
        << QByteArray("Application/X-WWW-Form-URLEncoded");
    QTest::newRow("POST form with charset")
        << QByteArray("POST") << QByteArray() << QByteArray("a=b&access_token=%T") << kForm + "; charset=UTF-8";
    // An empty access_token is no token: the header's is the only one.
    QTest::newRow("POST Bearer and empty access_token")
        << QByteArray("POST") << QByteArray("Bearer") << QByteArray("access_token=") << kForm;
}

void TstUserInfo::tokenTransport()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, scheme);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid email");
    HttpTestClient::Headers headers;
    if (!scheme.isEmpty())
        headers.append({"Authorization", scheme + ' ' + token.toLatin1()});
    if (!contentType.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), contentType));
    const TestResponse r = http.send(method, QStringLiteral("/userinfo"), body.replace("%T", enc(token)), headers);
    CHECKED(expectClaims(r, R"({"sub":"user",)" + kEmailClaims + '}'));
}

void TstUserInfo::noToken_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");

    QTest::newRow("GET, nothing") << QByteArray("GET") << "/userinfo" << QByteArray() << QByteArray() << QByteArray();
    QTest::newRow("POST, nothing") << QByteArray("POST") << "/userinfo" << QByteArray() << QByteArray() << kForm;
    QTest::newRow("Basic credentials") << QByteArray("GET") << "/userinfo"
                                       << HttpTestClient::basic(kClient, kSecret).first().second << QByteArray()
                                       << QByteArray();
    QTest::newRow("scheme without a value")
        << QByteArray("GET") << "/userinfo" << QByteArray("Bearer") << QByteArray() << QByteArray();
    // RFC 6750 §2.3 (URI query parameter) is not supported, as Spring's resource server by default.
    QTest::newRow("query access_token") << QByteArray("GET") << "/userinfo?access_token=%T" << QByteArray()
                                        << QByteArray() << QByteArray();
    // RFC 6750 §2.2: the body token needs a form body; GET has no body semantics.
    QTest::newRow("JSON body") << QByteArray("POST") << "/userinfo" << QByteArray()
                               << QByteArray(R"({"access_token":"%T"})") << QByteArray("application/json");
    QTest::newRow("GET with a form body")
        << QByteArray("GET") << "/userinfo" << QByteArray() << QByteArray("access_token=%T") << kForm;
    QTest::newRow("empty access_token") << QByteArray("POST") << "/userinfo" << QByteArray()
                                        << QByteArray("access_token=") << kForm;
}

void TstUserInfo::noToken()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid");
    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append(qMakePair(QByteArray("Authorization"), authorization));
    if (!contentType.isEmpty())
        headers.append(qMakePair(QByteArray("Content-Type"), contentType));
    const TestResponse r =
        http.send(method, path.replace(QLatin1String("%T"), token), body.replace("%T", token.toLatin1()), headers);
    // RFC 6750 §3.1: no error code and no error information when the request carries no token.
    QCOMPARE(r.status, 401);
    QCOMPARE(r.body, QByteArray());
    const QList<QPair<QByteArray, QByteArray>> expected{
        {"Cache-Control", "no-store"}, {"Pragma", "no-cache"}, {"WWW-Authenticate", "Bearer"}, {"Content-Length", "0"}};
    QCOMPARE(r.headers, expected);
}

void TstUserInfo::badRequests_data()
{
    QTest::addColumn<QByteArray>("authorization"); // %T: the token
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("description");

    QTest::newRow("header and body") << QByteArray("Bearer %T") << QByteArray("access_token=%T")
                                     << QStringLiteral("Found multiple bearer tokens in the request");
    QTest::newRow("header and another body token") << QByteArray("Bearer %T") << QByteArray("access_token=other")
                                                   << QStringLiteral("Found multiple bearer tokens in the request");
    QTest::newRow("repeated access_token")
        << QByteArray() << QByteArray("access_token=%T&access_token=%T")
        << QStringLiteral("Parameter access_token must not be provided more than once");
    QTest::newRow("space in the token") << QByteArray("Bearer %T extra") << QByteArray()
                                        << QStringLiteral("Malformed bearer token in the Authorization header");
    QTest::newRow("not b64token") << QByteArray("Bearer a,b") << QByteArray()
                                  << QStringLiteral("Malformed bearer token in the Authorization header");
    QTest::newRow("padding inside") << QByteArray("Bearer ab=c") << QByteArray()
                                    << QStringLiteral("Malformed bearer token in the Authorization header");
}

void TstUserInfo::badRequests()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, body);
    QFETCH(QString, description);
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QByteArray token = accessToken(http, "openid").toLatin1();
    HttpTestClient::Headers headers{{"Content-Type", kForm}};
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization.replace("%T", token)});
    const TestResponse r = http.send("POST", QStringLiteral("/userinfo"), body.replace("%T", token), headers);
    // RFC 6750 §3.1 invalid_request: 400, with the Bearer challenge naming the error.
    CHECKED(expectJsonError(r, 400, jsonError("invalid_request", description),
                            bearerChallenge("invalid_request", description)));
}

void TstUserInfo::unknownToken()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/userinfo"), bearer(QStringLiteral("not-a-token")));
    CHECKED(expectJsonError(r, 401, invalidToken(QStringLiteral("Invalid access token")),
                            bearerChallenge("invalid_token", QStringLiteral("Invalid access token"))));
}

void TstUserInfo::revokedToken()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid profile");
    QCOMPARE(http.get(QStringLiteral("/userinfo"), bearer(token)).status, 200);
    // RFC 7009 revocation by the client, then the same request.
    const TestResponse revoke =
        http.postForm(QStringLiteral("/oauth/revoke"), "token=" + enc(token), HttpTestClient::basic(kClient, kSecret));
    QCOMPARE(revoke.status, 200);
    CHECKED(expectJsonError(http.get(QStringLiteral("/userinfo"), bearer(token)), 401,
                            invalidToken(QStringLiteral("Invalid access token")),
                            bearerChallenge("invalid_token", QStringLiteral("Invalid access token"))));
}

void TstUserInfo::expiredToken()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid");
    server.clock().advanceSeconds(43199);
    CHECKED(expectClaims(http.get(QStringLiteral("/userinfo"), bearer(token)), R"({"sub":"user"})"));
    server.clock().advanceSeconds(1);
    CHECKED(expectJsonError(http.get(QStringLiteral("/userinfo"), bearer(token)), 401,
                            invalidToken(QStringLiteral("Access token expired")),
                            bearerChallenge("invalid_token", QStringLiteral("Access token expired"))));
}

void TstUserInfo::refreshTokenIsNotAnAccessToken()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const TestResponse t = http.postForm(QStringLiteral("/oauth/token"),
                                         "grant_type=password&username=user&password=password&scope=openid",
                                         HttpTestClient::basic(kClient, kSecret));
    const QString refresh = t.json().value(QLatin1String("refresh_token")).toString();
    QVERIFY(!refresh.isEmpty());
    QCOMPARE(http.get(QStringLiteral("/userinfo"), bearer(refresh)).status, 401);
    QCOMPARE(http.get(QStringLiteral("/userinfo"), bearer(refresh)).body,
             invalidToken(QStringLiteral("Invalid access token")));
}

void TstUserInfo::clientCredentialsToken()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid profile", false);
    QVERIFY(!token.isEmpty());
    const QString description = QStringLiteral("The access token was not issued to a user");
    CHECKED(expectJsonError(http.get(QStringLiteral("/userinfo"), bearer(token)), 401, invalidToken(description),
                            bearerChallenge("invalid_token", description)));
}

void TstUserInfo::withoutOpenIdScope()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "profile email read");
    QVERIFY(!token.isEmpty());
    const QString description = QStringLiteral("The access token lacks the openid scope");
    // RFC 6750 §3.1 insufficient_scope: 403, naming the scope needed.
    CHECKED(expectJsonError(
        http.get(QStringLiteral("/userinfo"), bearer(token)), 403,
        R"({"error":"insufficient_scope","error_description":"The access token lacks the openid scope","scope":"openid"})",
        bearerChallenge("insufficient_scope", description) + ", scope=\"openid\""));
}

void TstUserInfo::jwtAccessToken()
{
    // A JWT access token (RFC 9068) is stored under its whole value like an opaque one; userinfo looks it up the
    // same way, without reading it.
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    IssuedToken jwt;
    jwt.value = QStringLiteral("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl-_");
    jwt.clientId = kClient;
    jwt.username = QStringLiteral("user");
    jwt.scopes = ScopeSet({QStringLiteral("openid"), QStringLiteral("email")});
    jwt.issuedAtMs = server->clock().nowMs();
    jwt.expiresAtMs = jwt.issuedAtMs + 300 * 1000;
    server->tokens().storeAccess(jwt);
    CHECKED(expectClaims(http.get(QStringLiteral("/userinfo"), bearer(jwt.value)),
                         R"({"sub":"user",)" + kEmailClaims + '}'));
}

void TstUserInfo::userWithoutClaims()
{
    // The seed user without claims (and a user removed since the token was issued) still has a subject.
    ServerSettings s = userInfoSettings();
    s.users.first().claims = QJsonObject();
    TestServer server(s);
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid profile email address phone");
    CHECKED(expectClaims(http.get(QStringLiteral("/userinfo"), bearer(token)), R"({"sub":"user"})"));
    QVERIFY(server->removeUser(QStringLiteral("user")));
    CHECKED(expectClaims(http.get(QStringLiteral("/userinfo"), bearer(token)), R"({"sub":"user"})"));
}

void TstUserInfo::cors()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid");
    HttpTestClient::Headers headers = bearer(token);
    headers.append(qMakePair(QByteArray("Origin"), QByteArray("http://localhost:5173")));
    const TestResponse r = http.get(QStringLiteral("/userinfo"), headers);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
    // Errors too: the app must be able to read why.
    const TestResponse denied = http.get(QStringLiteral("/userinfo"), {{"Origin", "http://localhost:5173"}});
    QCOMPARE(denied.status, 401);
    QCOMPARE(denied.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:5173"));
    const TestResponse preflight =
        http.send("OPTIONS", QStringLiteral("/userinfo"), {},
                  {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "GET"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Methods"), QByteArray("GET, POST, OPTIONS"));
    QCOMPARE(preflight.header("Access-Control-Allow-Headers"), QByteArray("Authorization, Content-Type"));
}

void TstUserInfo::otherMethods()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.send("PUT", QStringLiteral("/userinfo"), "x", {});
    CHECKED(
        expectJsonError(r, 405, jsonError("method_not_allowed", QStringLiteral("Request method 'PUT' not supported"))));
    QCOMPARE(r.header("Allow"), QByteArray("GET, POST"));
}

void TstUserInfo::requestRecord()
{
    TestServer server(userInfoSettings());
    HttpTestClient http(server.port());
    const QString token = accessToken(http, "openid");
    QSignalSpy records(&server.server(), &OAuthServer::exchangeFinished);
    QCOMPARE(http.get(QStringLiteral("/userinfo"), bearer(token)).status, 200);
    const ExchangeRecord ok = lastRecord(records);
    QCOMPARE(ok.path, QStringLiteral("/userinfo"));
    QCOMPARE(ok.clientId, kClient);
    QCOMPARE(ok.username, QStringLiteral("user"));
    // The token is masked in the log like every Authorization header.
    QVERIFY(ok.requestHeaders.contains(qMakePair(QByteArray("authorization"), QByteArray("Bearer ******"))));

    QCOMPARE(http.get(QStringLiteral("/userinfo")).status, 401);
    QCOMPARE(lastRecord(records).debugDetail, QStringLiteral("no bearer token"));
    QCOMPARE(http.get(QStringLiteral("/userinfo"), bearer(QStringLiteral("nope"))).status, 401);
    QCOMPARE(lastRecord(records).debugDetail, QStringLiteral("unknown or revoked access token"));
}

QTEST_GUILESS_MAIN(TstUserInfo)
#include "tst_userinfo.moc"
