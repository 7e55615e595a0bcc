// RFC 9068 JWT access tokens for a client configured with "access_token_format": "jwt": the header (typ at+jwt,
// kid of the JWKS), every claim, the legacy token response around it, and the token kept in the store like an
// opaque one, so introspection, check_token, revocation and refresh keep working, while a tampered JWT is unknown.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "jose/Base64Url.h"
#include "jose/Jwt.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const ClientCredentials kJwtClient{QStringLiteral("jwt-client"), QStringLiteral("jwt-secret")};
constexpr qint64 kStart = 1'800'000'000; // FakeClock's start, in seconds

ServerSettings jwtSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client client = s.clients.first();
    client.id = kJwtClient.id;
    client.secret = kJwtClient.secret;
    client.autoApprove.mode = AutoApprove::Mode::All;
    client.grantTypes |= GrantType::ClientCredentials;
    client.accessTokenFormat = AccessTokenFormat::Jwt;
    s.clients << client;
    return s;
}

QString jwtQuery()
{
    return QStringLiteral("response_type=code&client_id=jwt-client&redirect_uri=http://localhost");
}

// A 200 token answer in the legacy shape whose access_token is a compact JWS; the refresh token stays opaque.
void expectJwtTokens(const TestResponse &r, const QString &scope, QString *access, QString *refresh)
{
    QVERIFY2(r.status == 200, r.body.constData());
    CHECKED(expectJsonHeaders(r));
    *access = r.json().value(QLatin1String("access_token")).toString();
    *refresh = r.json().value(QLatin1String("refresh_token")).toString();
    QCOMPARE(access->count(QLatin1Char('.')), 2);
    QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{27}$")).match(*refresh).hasMatch());
    QCOMPARE(r.body, "{\"access_token\":\"" + access->toLatin1() + "\",\"token_type\":\"bearer\",\"refresh_token\":\"" +
                         refresh->toLatin1() + "\",\"expires_in\":43199,\"scope\":\"" + scope.toUtf8() + "\"}");
}

JwtVerification verifiedWithJwks(HttpTestClient &http, const QString &token)
{
    const QJsonArray keys = http.get(QStringLiteral("/oauth/jwks")).json().value(QLatin1String("keys")).toArray();
    return Jwt::verify(token, [&](const QString &kid) {
        for (const QJsonValue &key : keys) {
            if (key.toObject().value(QLatin1String("kid")).toString() == kid)
                return RsaKey::fromJwk(key.toObject());
        }
        return RsaKey();
    });
}

TestResponse introspect(HttpTestClient &http, const QString &token)
{
    return http.postForm(QStringLiteral("/oauth/introspect"), "token=" + enc(token),
                         HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
}

QByteArray activeJson(qint64 iat, qint64 exp)
{
    return "{\"active\":true,\"scope\":\"read write\",\"client_id\":\"jwt-client\",\"username\":\"user\","
           "\"token_type\":\"bearer\",\"exp\":" +
           QByteArray::number(exp) + ",\"iat\":" + QByteArray::number(iat) + ",\"sub\":\"user\"}";
}

// The code flow for the JWT client: *access and *refresh get its tokens.
void codeFlow(HttpTestClient &http, QString *access, QString *refresh)
{
    BrowserFlow flow(http, jwtQuery(), kJwtClient);
    CHECKED(flow.obtainCode());
    CHECKED(expectJwtTokens(flow.exchangeCode(flow.code()), QStringLiteral("read write"), access, refresh));
}

} // namespace

class TstJwtAccessToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headerAndClaims();
    void eachTokenHasItsOwnJti();
    void clientCredentialsSubjectIsTheClient();
    void introspectionOfTheJwt();
    void tamperedJwtIsUnknown_data();
    void tamperedJwtIsUnknown();
    void checkTokenAndRevocation();
    void refreshIssuesANewJwt();
    void opaqueClientsAreUnchanged();
    void liveTokenReuseReturnsTheSameJwt();
};

void TstJwtAccessToken::headerAndClaims()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    QString access, refresh;
    CHECKED(codeFlow(http, &access, &refresh));

    const JwtVerification v = verifiedWithJwks(http, access);
    QVERIFY2(v.ok(), qPrintable(Jwt::errorText(v.error)));
    // RFC 9068 §2.1: typ at+jwt.
    const QJsonObject expectedHeader{{QStringLiteral("alg"), QStringLiteral("RS256")},
                                     {QStringLiteral("typ"), QStringLiteral("at+jwt")},
                                     {QStringLiteral("kid"), TestServer::signingKey().kid()}};
    QCOMPARE(v.header, expectedHeader);
    // The header bytes in the order written: alg, typ, kid.
    QCOMPARE(*base64UrlDecode(access.section(QLatin1Char('.'), 0, 0).toLatin1()),
             "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + TestServer::signingKey().kid().toLatin1() + "\"}");

    const QString jti = v.claims.value(QLatin1String("jti")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                 .match(jti)
                 .hasMatch(),
             qPrintable(jti));
    // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; scope space-delimited (§2.2.3).
    const QJsonObject expectedClaims{{QStringLiteral("iss"), server->issuer()},
                                     {QStringLiteral("sub"), QStringLiteral("user")},
                                     {QStringLiteral("aud"), kJwtClient.id},
                                     {QStringLiteral("exp"), kStart + 43200},
                                     {QStringLiteral("iat"), kStart},
                                     {QStringLiteral("jti"), jti},
                                     {QStringLiteral("client_id"), kJwtClient.id},
                                     {QStringLiteral("scope"), QStringLiteral("read write")}};
    QCOMPARE(v.claims, expectedClaims);
}

void TstJwtAccessToken::eachTokenHasItsOwnJti()
{
    ServerSettings settings = jwtSettings();
    settings.reuseLiveTokens = false;
    TestServer server(settings);
    HttpTestClient http(server.port());
    QString first, second, refresh;
    CHECKED(codeFlow(http, &first, &refresh));
    CHECKED(codeFlow(http, &second, &refresh));
    QVERIFY(first != second);
    const QString jti1 = verifiedWithJwks(http, first).claims.value(QLatin1String("jti")).toString();
    const QString jti2 = verifiedWithJwks(http, second).claims.value(QLatin1String("jti")).toString();
    QVERIFY(!jti1.isEmpty());
    QVERIFY(jti1 != jti2);
}

void TstJwtAccessToken::clientCredentialsSubjectIsTheClient()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"), "grant_type=client_credentials&scope=read",
                                         HttpTestClient::basic(kJwtClient.id, kJwtClient.secret));
    QCOMPARE(r.status, 200);
    const QString access = r.json().value(QLatin1String("access_token")).toString();
    QCOMPARE(r.body, "{\"access_token\":\"" + access.toLatin1() +
                         "\",\"token_type\":\"bearer\",\"expires_in\":43199,\"scope\":\"read\"}");
    const JwtVerification v = verifiedWithJwks(http, access);
    QVERIFY(v.ok());
    QCOMPARE(v.claims.value(QLatin1String("sub")).toString(), kJwtClient.id);
    QCOMPARE(v.claims.value(QLatin1String("client_id")).toString(), kJwtClient.id);
    QCOMPARE(v.claims.value(QLatin1String("scope")).toString(), QStringLiteral("read"));
    QCOMPARE(introspect(http, access).body,
             QByteArray("{\"active\":true,\"scope\":\"read\",\"client_id\":\"jwt-client\",\"token_type\":\"bearer\","
                        "\"exp\":1800043200,\"iat\":1800000000}"));
}

void TstJwtAccessToken::introspectionOfTheJwt()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    QString access, refresh;
    CHECKED(codeFlow(http, &access, &refresh));
    const TestResponse r = introspect(http, access);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, activeJson(kStart, kStart + 43200));
    server.clock().advanceSeconds(43200);
    QCOMPARE(introspect(http, access).body, QByteArray("{\"active\":false}"));
}

void TstJwtAccessToken::tamperedJwtIsUnknown_data()
{
    QTest::addColumn<int>("part");
    QTest::newRow("header") << 0;
    QTest::newRow("payload") << 1;
    QTest::newRow("signature") << 2;
}

void TstJwtAccessToken::tamperedJwtIsUnknown()
{
    QFETCH(int, part);
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    QString access, refresh;
    CHECKED(codeFlow(http, &access, &refresh));
    QStringList parts = access.split(QLatin1Char('.'));
    QString &changed = parts[part];
    changed[5] = changed.at(5) == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    const QString tampered = parts.join(QLatin1Char('.'));
    QVERIFY(!verifiedWithJwks(http, tampered).ok());
    QCOMPARE(introspect(http, tampered).body, QByteArray("{\"active\":false}"));
    // A well-formed token with claims of our choosing, validly signed by another key, is no better.
    QJsonObject claims = verifiedWithJwks(http, access).claims;
    claims.insert(QStringLiteral("scope"), QStringLiteral("admin"));
    const QString forged = Jwt::sign(TestServer::nextSigningKey(), claims, QStringLiteral("at+jwt"));
    QCOMPARE(introspect(http, forged).body, QByteArray("{\"active\":false}"));
    QCOMPARE(introspect(http, access).body, activeJson(kStart, kStart + 43200)); // the real one still is
}

void TstJwtAccessToken::checkTokenAndRevocation()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    QString access, refresh;
    CHECKED(codeFlow(http, &access, &refresh));
    const TestResponse checked = http.postForm(QStringLiteral("/oauth/check_token"), "token=" + enc(access));
    QCOMPARE(checked.status, 200);
    QCOMPARE(checked.body,
             QByteArray("{\"aud\":[],\"user_name\":\"user\",\"scope\":[\"read\",\"write\"],\"active\":true,"
                        "\"exp\":1800043200,\"authorities\":[\"ROLE_USER\"],\"client_id\":\"jwt-client\"}"));

    const TestResponse revoked = http.postForm(QStringLiteral("/oauth/revoke"), "token=" + enc(access),
                                               HttpTestClient::basic(kJwtClient.id, kJwtClient.secret));
    QCOMPARE(revoked.status, 200);
    QCOMPARE(introspect(http, access).body, QByteArray("{\"active\":false}"));
    // The signature still verifies: revocation is the server's knowledge, not the token's.
    QVERIFY(verifiedWithJwks(http, access).ok());
}

void TstJwtAccessToken::refreshIssuesANewJwt()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    QString access, refresh;
    CHECKED(codeFlow(http, &access, &refresh));
    server.clock().advanceSeconds(100);
    BrowserFlow client(http, jwtQuery(), kJwtClient);
    QString access2, refresh2;
    CHECKED(expectJwtTokens(client.refresh(refresh), QStringLiteral("read write"), &access2, &refresh2));
    QVERIFY(access2 != access);
    QCOMPARE(refresh2, refresh);
    const JwtVerification v = verifiedWithJwks(http, access2);
    QVERIFY(v.ok());
    QCOMPARE(v.claims.value(QLatin1String("iat")).toInteger(), kStart + 100);
    QCOMPARE(v.claims.value(QLatin1String("exp")).toInteger(), kStart + 100 + 43200);
    QCOMPARE(introspect(http, access).body, QByteArray("{\"active\":false}")); // the old one was replaced
    QCOMPARE(introspect(http, access2).body, activeJson(kStart + 100, kStart + 100 + 43200));
}

void TstJwtAccessToken::opaqueClientsAreUnchanged()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http);
    CHECKED(flow.obtainCode());
    Tokens tokens;
    CHECKED(expectToken(flow.exchangeCode(flow.code()), &tokens, 43199, QStringLiteral("read write")));
}

void TstJwtAccessToken::liveTokenReuseReturnsTheSameJwt()
{
    TestServer server(jwtSettings());
    HttpTestClient http(server.port());
    QString first, second, refresh;
    CHECKED(codeFlow(http, &first, &refresh));
    server.clock().advanceSeconds(1);
    BrowserFlow flow(http, jwtQuery(), kJwtClient);
    CHECKED(flow.obtainCode());
    const TestResponse r = flow.exchangeCode(flow.code());
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QLatin1String("access_token")).toString(), first);
    QCOMPARE(r.json().value(QLatin1String("expires_in")).toInt(), 43198);
}

QTEST_GUILESS_MAIN(TstJwtAccessToken)
#include "tst_jwtaccesstoken.moc"
