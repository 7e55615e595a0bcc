// RsaKey: RFC 7638 thumbprints, the public JWK, PEM import and export (PKCS#8 and SubjectPublicKeyInfo), RS256
// signatures checked against RFC 7515 Appendix A.2, and refusal of everything that is not a usable RSA key.

#include "jose/Base64Url.h"
#include "jose/RsaKey.h"

#include "TestServer.h"

#include <QJsonDocument>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::TestServer;

namespace {

QByteArray b64u(const char *text)
{
    return *base64UrlDecode(QByteArrayView(text));
}

// RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint. (The RFC's value; "NjVOuXgd-…" that is sometimes
// quoted for this key is not what SHA-256 of its canonical JSON gives.)
const char kRfc7638N[] =
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
    "BJECPebWKRXjBZCiFV4n3oknjhMst"
    "n64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
    "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajr"
    "n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
const char kRfc7638Thumbprint[] = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

// RFC 7515 Appendix A.2: an RS256 JWS, its public key and signing input.
const char kA2N[] =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-"
    "pCgNMs"
    "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-"
    "UTo7WTBEMa2R2CapHg665xsmtdV"
    "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const char kA2SigningInput[] = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcG"
                               "xlLmNvbS9pc19yb290Ijp0cnVlfQ";
const char kA2Signature[] =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZ"
    "cAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--"
    "xi12jzDwusC-e"
    "OkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

// A 1024-bit RSA public key (too small for RS256, RFC 7518 §3.3).
const char kSmallPublicPem[] = "-----BEGIN PUBLIC KEY-----\n"
                               "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDhfIm9sVu0Hs45deDxW3OJWkcI\n"
                               "lAR/sihwggFA0j6T9btFD878+b6o/+zENJy8jT/vgnneAmua/vvmHxR5Y02Vn/qk\n"
                               "ziAGifF6V3Um40DVuxE5gij5dzGZBrSl2tWGhlsmkuQKCv3k/hnHFf8BEt/1I8un\n"
                               "3DyJy7Vj3I6bdTDqVQIDAQAB\n"
                               "-----END PUBLIC KEY-----\n";

} // namespace

class TstRsaKey : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfc7638Thumbprint();
    void publicJwkShape();
    void jwkRoundTrip();
    void rfc7515A2SignatureVerifies();
    void privatePemRoundTrip();
    void publicPemRoundTrip();
    void publicDerIsTheSpkiOfThePem();
    void signAndVerify();
    void signaturesAreDeterministic();
    void publicKeyCannotSign();
    void badInput_data();
    void badInput();
    void badJwk_data();
    void badJwk();
    void smallKeyIsRefused();
    void invalidKeyIsInert();
};

void TstRsaKey::rfc7638Thumbprint()
{
    const RsaKey key = RsaKey::fromComponents(b64u(kRfc7638N), b64u("AQAB"));
    QVERIFY2(key.isValid(), qPrintable(key.error()));
    QVERIFY(key.error().isEmpty());
    QCOMPARE(key.kid(), QString::fromLatin1(kRfc7638Thumbprint));
    QCOMPARE(key.bits(), 2048);
    QCOMPARE(key.modulus(), b64u(kRfc7638N));
    QCOMPARE(key.exponent(), QByteArray("\x01\x00\x01", 3));
    QVERIFY(!key.hasPrivateKey());
}

void TstRsaKey::publicJwkShape()
{
    const RsaKey key = RsaKey::fromComponents(b64u(kRfc7638N), b64u("AQAB"));
    const QByteArray expected = QByteArray("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"use\":\"sig\",\"kid\":\"") +
                                kRfc7638Thumbprint + "\",\"alg\":\"RS256\",\"n\":\"" + kRfc7638N + "\"}";
    QCOMPARE(key.publicJwkJson(), expected);
    QCOMPARE(key.publicJwk(), QJsonDocument::fromJson(expected).object());
}

void TstRsaKey::jwkRoundTrip()
{
    const RsaKey key = TestServer::signingKey();
    const RsaKey fromJwk = RsaKey::fromJwk(key.publicJwk());
    QVERIFY2(fromJwk.isValid(), qPrintable(fromJwk.error()));
    QCOMPARE(fromJwk.kid(), key.kid());
    QVERIFY(fromJwk.samePublicKey(key));
    QVERIFY(!fromJwk.hasPrivateKey());
}

void TstRsaKey::rfc7515A2SignatureVerifies()
{
    const RsaKey key = RsaKey::fromComponents(b64u(kA2N), b64u("AQAB"));
    QVERIFY2(key.isValid(), qPrintable(key.error()));
    QVERIFY(key.verifyRs256(QByteArrayView(kA2SigningInput), b64u(kA2Signature)));
    QByteArray tampered = kA2SigningInput;
    tampered[tampered.size() - 1] = 'R';
    QVERIFY(!key.verifyRs256(tampered, b64u(kA2Signature)));
    QByteArray signature = b64u(kA2Signature);
    signature[10] = char(signature[10] ^ 1);
    QVERIFY(!key.verifyRs256(QByteArrayView(kA2SigningInput), signature));
    QVERIFY(!key.verifyRs256(QByteArrayView(kA2SigningInput), b64u(kA2Signature).chopped(1)));
    QVERIFY(!key.verifyRs256(QByteArrayView(kA2SigningInput), QByteArray()));
}

void TstRsaKey::privatePemRoundTrip()
{
    const RsaKey key = TestServer::signingKey();
    QVERIFY(key.hasPrivateKey());
    QCOMPARE(key.bits(), 2048);
    const QByteArray pem = key.privatePem();
    QVERIFY2(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.left(40).constData()); // PKCS#8
    QVERIFY(pem.endsWith("-----END PRIVATE KEY-----\n"));
    const RsaKey again = RsaKey::fromPrivatePem(pem);
    QVERIFY2(again.hasPrivateKey(), qPrintable(again.error()));
    QCOMPARE(again.kid(), key.kid());
    QCOMPARE(again.privatePem(), pem);
    // Each signs what the other verifies.
    QVERIFY(key.verifyRs256("payload", again.signRs256("payload")));
    QVERIFY(again.verifyRs256("payload", key.signRs256("payload")));
}

void TstRsaKey::publicPemRoundTrip()
{
    const RsaKey key = TestServer::signingKey();
    const QByteArray pem = key.publicPem();
    QVERIFY(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
    QVERIFY(pem.endsWith("\n-----END PUBLIC KEY-----\n"));
    const QList<QByteArray> lines = pem.trimmed().split('\n');
    for (qsizetype i = 1; i + 2 < lines.size(); ++i)
        QCOMPARE(lines.at(i).size(), 64);
    const RsaKey pub = RsaKey::fromPublicPem(pem);
    QVERIFY2(pub.isValid(), qPrintable(pub.error()));
    QVERIFY(!pub.hasPrivateKey());
    QCOMPARE(pub.kid(), key.kid());
    QCOMPARE(pub.publicPem(), pem);
    QVERIFY(pub.privatePem().isEmpty());
    QVERIFY(pub.verifyRs256("data", key.signRs256("data")));
}

void TstRsaKey::publicDerIsTheSpkiOfThePem()
{
    const RsaKey key = TestServer::signingKey();
    const QByteArray der = key.publicDer();
    // 2048-bit SubjectPublicKeyInfo: SEQUENCE of 290 bytes with rsaEncryption's OID.
    QCOMPARE(der.size(), 294);
    QVERIFY(der.startsWith(QByteArray::fromHex("30820122300d06092a864886f70d0101010500")));
    QByteArray body = key.publicPem();
    body.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replace("\n", "");
    QCOMPARE(der.toBase64(), body);
}

void TstRsaKey::signAndVerify()
{
    const RsaKey key = TestServer::signingKey();
    const QByteArray signature = key.signRs256("header.payload");
    QCOMPARE(signature.size(), 256);
    QVERIFY(key.verifyRs256("header.payload", signature));
    QVERIFY(!key.verifyRs256("header.payload2", signature));
    QVERIFY(!TestServer::nextSigningKey().verifyRs256("header.payload", signature));
}

void TstRsaKey::signaturesAreDeterministic()
{
    // RSASSA-PKCS1-v1_5 (RS256) has no randomness; PSS would differ each time.
    const RsaKey key = TestServer::signingKey();
    QCOMPARE(key.signRs256("same input"), key.signRs256("same input"));
}

void TstRsaKey::publicKeyCannotSign()
{
    const RsaKey pub = RsaKey::fromPublicPem(TestServer::signingKey().publicPem());
    QVERIFY(pub.signRs256("x").isEmpty());
}

void TstRsaKey::badInput_data()
{
    QTest::addColumn<QByteArray>("pem");
    const QByteArray good = TestServer::signingKey().privatePem();
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("garbage") << QByteArray("not a pem at all");
    QTest::newRow("truncated") << good.left(good.size() / 2);
    // A damaged modulus: the key would sign what its public half rejects, so it must not load. (Damage to d or
    // to one CRT value alone is harmless: OpenSSL checks each signature and falls back to the intact path.)
    QByteArray corrupt = good;
    corrupt[100] = corrupt[100] == 'A' ? 'B' : 'A';
    QTest::newRow("modulus changed") << corrupt;
    QTest::newRow("public key given as private") << TestServer::signingKey().publicPem();
    QTest::newRow("encrypted") << QByteArray("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq\n"
                                             "-----END ENCRYPTED PRIVATE KEY-----\n");
    QTest::newRow("binary") << QByteArray("\x00\x01\x02\xff-----BEGIN PRIVATE KEY-----", 32);
}

void TstRsaKey::badInput()
{
    QFETCH(QByteArray, pem);
    const RsaKey key = RsaKey::fromPrivatePem(pem);
    QVERIFY(!key.isValid());
    QVERIFY(!key.hasPrivateKey());
    QVERIFY(!key.error().isEmpty());
    QVERIFY(key.kid().isEmpty());
}

void TstRsaKey::badJwk_data()
{
    QTest::addColumn<QByteArray>("jwk");
    QTest::newRow("not RSA") << QByteArray("{\"kty\":\"EC\",\"n\":\"AQAB\",\"e\":\"AQAB\"}");
    QTest::newRow("no n") << QByteArray("{\"kty\":\"RSA\",\"e\":\"AQAB\"}");
    QTest::newRow("padded n") << (QByteArray("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"") + kA2N + "==\"}");
    QTest::newRow("standard base64 n") << (QByteArray("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"") +
                                           QByteArray(kA2N).replace('-', '+').replace('_', '/') + "\"}");
    QTest::newRow("even exponent") << (QByteArray("{\"kty\":\"RSA\",\"e\":\"AQAA\",\"n\":\"") + kA2N + "\"}");
    QTest::newRow("exponent 1") << (QByteArray("{\"kty\":\"RSA\",\"e\":\"AQ\",\"n\":\"") + kA2N + "\"}");
}

void TstRsaKey::badJwk()
{
    QFETCH(QByteArray, jwk);
    const RsaKey key = RsaKey::fromJwk(QJsonDocument::fromJson(jwk).object());
    QVERIFY(!key.isValid());
    QVERIFY(!key.error().isEmpty());
}

void TstRsaKey::smallKeyIsRefused()
{
    const RsaKey key = RsaKey::fromPublicPem(QByteArrayView(kSmallPublicPem));
    QVERIFY(!key.isValid());
    QVERIFY2(key.error().contains(QLatin1String("1024 bits")), qPrintable(key.error()));
    QVERIFY(!RsaKey::generate(1024).isValid());
}

void TstRsaKey::invalidKeyIsInert()
{
    const RsaKey key;
    QVERIFY(!key.isValid());
    QVERIFY(key.error().isEmpty());
    QVERIFY(key.privatePem().isEmpty());
    QVERIFY(key.publicPem().isEmpty());
    QVERIFY(key.publicDer().isEmpty());
    QVERIFY(key.publicJwkJson().isEmpty());
    QVERIFY(key.signRs256("x").isEmpty());
    QVERIFY(!key.verifyRs256("x", "y"));
    QVERIFY(!key.samePublicKey(key));
}

QTEST_GUILESS_MAIN(TstRsaKey)
#include "tst_rsakey.moc"
