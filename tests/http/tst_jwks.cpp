// GET /oauth/jwks (RFC 7517 §5): the JWK Set of the signing keys, field by field (RFC 7517 §4, RFC 7518 §6.3.1,
// kid = RFC 7638 thumbprint), CORS for browser apps, the route at the profile's path, and the set over a key
// rotation: both keys while tokens of the old one may live, then only the new one.

#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "jose/Base64Url.h"
#include "jose/KeyRing.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QByteArray kApp = QByteArrayLiteral("http://localhost:3000");

// RFC 7638 §3, computed here independently of RsaKey::kid().
QString thumbprint(const QString &n, const QString &e)
{
    const QByteArray canonical = "{\"e\":\"" + e.toLatin1() + "\",\"kty\":\"RSA\",\"n\":\"" + n.toLatin1() + "\"}";
    return QString::fromLatin1(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray jwkOf(const RsaKey &key)
{
    return "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"use\":\"sig\",\"kid\":\"" + key.kid().toLatin1() +
           "\",\"alg\":\"RS256\",\"n\":\"" +
           key.modulus().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + "\"}";
}

QByteArray jwksOf(const QList<RsaKey> &keys)
{
    QByteArrayList jwks;
    for (const RsaKey &key : keys)
        jwks << jwkOf(key);
    return "{\"keys\":[" + jwks.join(',') + "]}";
}

void expectJwks(const TestResponse &r, const QByteArray &body)
{
    QCOMPARE(r.body, body);
    QCOMPARE(r.status, 200);
    const QList<QPair<QByteArray, QByteArray>> expected{{"Content-Type", kJsonType},
                                                        {"Content-Length", QByteArray::number(body.size())}};
    QCOMPARE(r.headers, expected);
}

} // namespace

class TstJwks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jwksShape();
    void eachFieldPerRfc();
    void corsForAllowedOrigin();
    void noCorsForOtherOrigin();
    void preflight();
    void otherMethodsAreRefused();
    void rotationKeepsTheOldKeyUntilItsTokensExpired();
    void profilePath();
};

void TstJwks::jwksShape()
{
    TestServer server;
    HttpTestClient http(server.port());
    CHECKED(expectJwks(http.get(QStringLiteral("/oauth/jwks")), jwksOf({TestServer::signingKey()})));
}

void TstJwks::eachFieldPerRfc()
{
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/jwks"));
    QCOMPARE(r.status, 200);
    const QJsonObject set = r.json();
    QCOMPARE(set.keys(), QStringList{QStringLiteral("keys")}); // RFC 7517 §5
    const QJsonArray keys = set.value(QLatin1String("keys")).toArray();
    QCOMPARE(keys.size(), 1);
    const QJsonObject jwk = keys.first().toObject();
    // RFC 7517 §4 / RFC 7518 §6.3.1: public members only (no d, p, q, dp, dq, qi, oth).
    QCOMPARE(jwk.keys(), (QStringList{QStringLiteral("alg"), QStringLiteral("e"), QStringLiteral("kid"),
                                      QStringLiteral("kty"), QStringLiteral("n"), QStringLiteral("use")}));
    QCOMPARE(jwk.value(QLatin1String("kty")).toString(), QStringLiteral("RSA"));
    QCOMPARE(jwk.value(QLatin1String("use")).toString(), QStringLiteral("sig"));
    QCOMPARE(jwk.value(QLatin1String("alg")).toString(), QStringLiteral("RS256"));
    const QString n = jwk.value(QLatin1String("n")).toString();
    const QString e = jwk.value(QLatin1String("e")).toString();
    // RFC 7518 §6.3.1.1/§6.3.1.2: base64url without padding, unsigned big-endian without a leading zero byte.
    const std::optional<QByteArray> modulus = base64UrlDecode(n.toLatin1());
    QVERIFY(modulus.has_value());
    QCOMPARE(modulus->size(), 256);
    QVERIFY(modulus->at(0) != 0);
    QCOMPARE(*modulus, TestServer::signingKey().modulus());
    QCOMPARE(e, QStringLiteral("AQAB"));
    // RFC 7638: kid is the thumbprint of exactly these n and e.
    QCOMPARE(jwk.value(QLatin1String("kid")).toString(), thumbprint(n, e));
    // What a client builds from the JWK verifies what the server signed.
    const RsaKey published = RsaKey::fromJwk(jwk);
    QVERIFY(published.verifyRs256("x", TestServer::signingKey().signRs256("x")));
}

void TstJwks::corsForAllowedOrigin()
{
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/jwks"), {{"Origin", kApp}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, jwksOf({TestServer::signingKey()}));
    QCOMPARE(r.header("Access-Control-Allow-Origin"), kApp);
    QCOMPARE(r.header("Vary"), QByteArray("Origin"));
}

void TstJwks::noCorsForOtherOrigin()
{
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/jwks"), {{"Origin", "https://evil.example"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("Access-Control-Allow-Origin"), QByteArray());
}

void TstJwks::preflight()
{
    TestServer server;
    const QByteArray answer = rawExchange(server.port(), "OPTIONS /oauth/jwks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                         "Origin: http://localhost:3000\r\n"
                                                         "Access-Control-Request-Method: GET\r\n\r\n");
    QCOMPARE(answer, QByteArray("HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: http://localhost:3000\r\n"
                                "Vary: Origin\r\nAccess-Control-Allow-Methods: GET, OPTIONS\r\n"
                                "Access-Control-Allow-Headers: Authorization, Content-Type\r\n"
                                "Access-Control-Max-Age: 600\r\n\r\n"));
}

void TstJwks::otherMethodsAreRefused()
{
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.postForm(QStringLiteral("/oauth/jwks"), "x=1");
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("Allow"), QByteArray("GET"));
}

void TstJwks::rotationKeepsTheOldKeyUntilItsTokensExpired()
{
    TestServer server;
    HttpTestClient http(server.port());
    QSignalSpy changed(&server->keys(), &KeyRing::keysChanged);
    server->rotateSigningKey();
    QVERIFY(changed.wait());
    const RsaKey first = TestServer::signingKey();
    const RsaKey second = TestServer::nextSigningKey();
    QCOMPARE(server->keys().activeKey().kid(), second.kid());
    CHECKED(expectJwks(http.get(QStringLiteral("/oauth/jwks")), jwksOf({second, first})));

    // The seed's longest-lived signed token: a 12-hour access token (id_tokens live 30 minutes).
    QCOMPARE(server->longestSignedLifetime(), 43200);
    server.clock().advanceSeconds(43199);
    CHECKED(expectJwks(http.get(QStringLiteral("/oauth/jwks")), jwksOf({second, first})));
    server.clock().advanceSeconds(1);
    CHECKED(expectJwks(http.get(QStringLiteral("/oauth/jwks")), jwksOf({second})));
    server->purgeExpired();
    QCOMPARE(changed.count(), 2);
    QCOMPARE(server->keys().entries().size(), 1);
}

void TstJwks::profilePath()
{
    ServerSettings settings = TestServer::defaultSettings();
    settings.profile = ProfileId::SpringAuthorizationServer;
    TestServer server(settings);
    HttpTestClient http(server.port());
    CHECKED(expectJwks(http.get(QStringLiteral("/oauth2/jwks")), jwksOf({TestServer::signingKey()})));
    QCOMPARE(http.get(QStringLiteral("/oauth/jwks")).status, 404);
}

QTEST_GUILESS_MAIN(TstJwks)
#include "tst_jwks.moc"
