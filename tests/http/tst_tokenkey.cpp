// GET /oauth/token_key: legacy Spring's TokenKeyEndpoint with an RSA key (permitAll): the verification key as
// {"alg":"SHA256withRSA","value":"-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----"}, the base64 of the
// SubjectPublicKeyInfo on one line as Spring's Base64.encode prints it; only where the profile has the endpoint.

#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "jose/KeyRing.h"

#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

// The expected body, from the key's PEM (an OpenSSL rendering independent of the endpoint's DER path).
QByteArray tokenKeyBody(const RsaKey &key)
{
    QByteArray base64 = key.publicPem();
    base64.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replace("\n", "");
    return "{\"alg\":\"SHA256withRSA\",\"value\":\"-----BEGIN PUBLIC KEY-----\\n" + base64 +
           "\\n-----END PUBLIC KEY-----\"}";
}

void expectTokenKey(const TestResponse &r, const RsaKey &key)
{
    const QByteArray body = tokenKeyBody(key);
    QCOMPARE(r.body, body);
    QCOMPARE(r.status, 200);
    const QList<QPair<QByteArray, QByteArray>> expected{{"Content-Type", kJsonType},
                                                        {"Content-Length", QByteArray::number(body.size())}};
    QCOMPARE(r.headers, expected);
}

} // namespace

class TstTokenKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void publicKeyForAnyone();
    void valueIsThePublicKey();
    void noCors();
    void otherMethodsAreRefused();
    void followsRotation();
    void absentFromProfilesWithoutIt();
};

void TstTokenKey::publicKeyForAnyone()
{
    TestServer server;
    HttpTestClient http(server.port());
    // No client authentication: with an RSA key Spring answers anonymous callers.
    CHECKED(expectTokenKey(http.get(QStringLiteral("/oauth/token_key")), TestServer::signingKey()));
}

void TstTokenKey::valueIsThePublicKey()
{
    TestServer server;
    HttpTestClient http(server.port());
    const QString value = http.get(QStringLiteral("/oauth/token_key")).json().value(QLatin1String("value")).toString();
    QVERIFY(
        value.startsWith(QLatin1String("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")));
    QVERIFY(value.endsWith(QLatin1String("IDAQAB\n-----END PUBLIC KEY-----")));
    QCOMPARE(value.count(QLatin1Char('\n')), 2); // one base64 line, as Spring's codec writes it
    // A resource server reading it (PEM with a long line) gets the signing key's public half.
    const RsaKey key = RsaKey::fromPublicPem((value + QLatin1Char('\n')).toLatin1());
    QVERIFY2(key.isValid(), qPrintable(key.error()));
    QVERIFY(key.samePublicKey(TestServer::signingKey()));
}

void TstTokenKey::noCors()
{
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/token_key"), {{"Origin", "http://localhost:3000"}});
    CHECKED(expectTokenKey(r, TestServer::signingKey()));
}

void TstTokenKey::otherMethodsAreRefused()
{
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token_key"), "x=1");
    QCOMPARE(r.status, 405);
    QCOMPARE(r.header("Allow"), QByteArray("GET"));
}

void TstTokenKey::followsRotation()
{
    TestServer server;
    HttpTestClient http(server.port());
    QSignalSpy changed(&server->keys(), &KeyRing::keysChanged);
    server->rotateSigningKey();
    QVERIFY(changed.wait());
    // Only the key that signs now: Spring's converter knows one key.
    CHECKED(expectTokenKey(http.get(QStringLiteral("/oauth/token_key")), TestServer::nextSigningKey()));
}

void TstTokenKey::absentFromProfilesWithoutIt()
{
    ServerSettings settings = TestServer::defaultSettings();
    settings.profile = ProfileId::SpringAuthorizationServer;
    TestServer server(settings);
    HttpTestClient http(server.port());
    QCOMPARE(http.get(QStringLiteral("/oauth/token_key")).status, 404);
}

QTEST_GUILESS_MAIN(TstTokenKey)
#include "tst_tokenkey.moc"
