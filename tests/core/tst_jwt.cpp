// Jwt: compact JWS RS256 encoding (header fields and order, compact claims) and decoding with verification against
// a key lookup; every malformed or untrusted token is refused with its typed error, never a crash.

#include "jose/Base64Url.h"
#include "jose/Jwt.h"

#include "TestServer.h"

#include <QJsonDocument>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::TestServer;

Q_DECLARE_METATYPE(oauthsim::JwtError)

namespace {

RsaKey lookup(const QString &kid)
{
    for (const RsaKey &key : {TestServer::signingKey(), TestServer::nextSigningKey()}) {
        if (key.kid() == kid)
            return key;
    }
    return {};
}

QJsonObject sampleClaims()
{
    return QJsonObject{{QStringLiteral("sub"), QStringLiteral("user")},
                       {QStringLiteral("iss"), QStringLiteral("http://127.0.0.1:8090")},
                       {QStringLiteral("exp"), 1800000000},
                       {QStringLiteral("name"), QStringLiteral("Zoë \"quoted\"")}};
}

QByteArray part(const QString &token, int i)
{
    return token.toLatin1().split('.').at(i);
}

// A token with `header` and the sample claims, signed by the signing key over exactly what it carries.
QString forged(const QByteArray &header, const RsaKey &key = TestServer::signingKey())
{
    const QByteArray input =
        base64UrlEncode(header) + '.' + base64UrlEncode(QJsonDocument(sampleClaims()).toJson(QJsonDocument::Compact));
    return QString::fromLatin1(input + '.' + base64UrlEncode(key.signRs256(input)));
}

} // namespace

class TstJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signProducesCompactJws();
    void typeMayBeLeftOut();
    void roundTrip();
    void rfc7515A2IsAccepted();
    void refused_data();
    void refused();
    void publicKeyCannotSign();
    void errorTexts();
};

void TstJwt::signProducesCompactJws()
{
    const RsaKey key = TestServer::signingKey();
    const QString token = Jwt::sign(key, sampleClaims(), QStringLiteral("at+jwt"));
    QCOMPARE(token.count(QLatin1Char('.')), 2);
    QCOMPARE(*base64UrlDecode(part(token, 0)),
             "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid().toLatin1() + "\"}");
    QCOMPARE(*base64UrlDecode(part(token, 1)),
             QByteArray("{\"exp\":1800000000,\"iss\":\"http://127.0.0.1:8090\",\"name\":\"Zoë \\\"quoted\\\"\","
                        "\"sub\":\"user\"}"));
    QVERIFY(!part(token, 0).contains('=') && !part(token, 1).contains('=') && !part(token, 2).contains('='));
    QVERIFY(key.verifyRs256(part(token, 0) + '.' + part(token, 1), *base64UrlDecode(part(token, 2))));
}

void TstJwt::typeMayBeLeftOut()
{
    const RsaKey key = TestServer::signingKey();
    QCOMPARE(*base64UrlDecode(part(Jwt::sign(key, sampleClaims(), QString()), 0)),
             "{\"alg\":\"RS256\",\"kid\":\"" + key.kid().toLatin1() + "\"}");
    QCOMPARE(*base64UrlDecode(part(Jwt::sign(key, sampleClaims()), 0)),
             "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + key.kid().toLatin1() + "\"}");
}

void TstJwt::roundTrip()
{
    for (const RsaKey &key : {TestServer::signingKey(), TestServer::nextSigningKey()}) {
        const JwtVerification v = Jwt::verify(Jwt::sign(key, sampleClaims()), lookup);
        QVERIFY2(v.ok(), qPrintable(Jwt::errorText(v.error)));
        QCOMPARE(v.claims, sampleClaims());
        QCOMPARE(v.header.value(QLatin1String("kid")).toString(), key.kid());
        QCOMPARE(v.header.value(QLatin1String("typ")).toString(), QStringLiteral("JWT"));
    }
}

void TstJwt::rfc7515A2IsAccepted()
{
    // RFC 7515 Appendix A.2, made by another implementation: no kid, payload with CRLF whitespace.
    const QString token = QStringLiteral(
        "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0"
        "cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJd"
        "bF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_"
        "eSN9383LcOLn6"
        "_dO--xi12jzDwusC-"
        "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igc"
        "N_IoypGlUPQGe77Rw");
    const RsaKey a2 = RsaKey::fromJwk(
        QJsonDocument::fromJson("{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_"
                                "wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-"
                                "pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMd"
                                "bBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5"
                                "IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpo"
                                "Q\"}")
            .object());
    QVERIFY2(a2.isValid(), qPrintable(a2.error()));
    const JwtVerification v = Jwt::verify(token, [&](const QString &kid) { return kid.isEmpty() ? a2 : RsaKey(); });
    QVERIFY2(v.ok(), qPrintable(Jwt::errorText(v.error)));
    QCOMPARE(v.claims.value(QLatin1String("iss")).toString(), QStringLiteral("joe"));
    QCOMPARE(v.claims.value(QLatin1String("exp")).toInteger(), 1300819380);
    QCOMPARE(v.claims.value(QLatin1String("http://example.com/is_root")).toBool(), true);
}

void TstJwt::refused_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<JwtError>("error");

    const RsaKey key = TestServer::signingKey();
    const QString good = Jwt::sign(key, sampleClaims());
    const QByteArray h = part(good, 0), p = part(good, 1), s = part(good, 2);
    const auto join = [](const QByteArray &a, const QByteArray &b, const QByteArray &c) {
        return QString::fromLatin1(a + '.' + b + '.' + c);
    };
    const QByteArray kid = key.kid().toLatin1();

    QTest::newRow("empty") << QString() << JwtError::Malformed;
    QTest::newRow("one part") << QString::fromLatin1(h) << JwtError::Malformed;
    QTest::newRow("two parts") << QString::fromLatin1(h + '.' + p) << JwtError::Malformed;
    QTest::newRow("four parts") << (good + QStringLiteral(".x")) << JwtError::Malformed;
    QTest::newRow("non-ASCII") << (good + QStringLiteral("é")) << JwtError::BadEncoding;
    QTest::newRow("padding in the header") << join(h + "==", p, s) << JwtError::BadEncoding;
    QTest::newRow("standard base64 signature") << join(h, p, base64UrlDecode(s)->toBase64()) << JwtError::BadEncoding;
    QTest::newRow("space") << join(h, p + ' ', s) << JwtError::BadEncoding;
    QTest::newRow("impossible length") << join(h, "A", s) << JwtError::BadEncoding;
    QTest::newRow("header not JSON") << join(base64UrlEncode("not json"), p, s) << JwtError::NotJson;
    QTest::newRow("header a JSON array") << join(base64UrlEncode("[1]"), p, s) << JwtError::NotJson;
    QTest::newRow("payload a JSON string") << join(h, base64UrlEncode("\"x\""), s) << JwtError::NotJson;
    QTest::newRow("empty payload") << join(h, QByteArray(), s) << JwtError::NotJson;
    QTest::newRow("alg none, no signature")
        << join(base64UrlEncode("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}"), p, QByteArray())
        << JwtError::UnsupportedAlgorithm;
    QTest::newRow("alg none, signed anyway")
        << forged("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") << JwtError::UnsupportedAlgorithm;
    QTest::newRow("alg HS256") << forged("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}")
                               << JwtError::UnsupportedAlgorithm;
    QTest::newRow("alg rs256 (case)") << forged("{\"alg\":\"rs256\",\"kid\":\"" + kid + "\"}")
                                      << JwtError::UnsupportedAlgorithm;
    QTest::newRow("no alg") << forged("{\"kid\":\"" + kid + "\"}") << JwtError::UnsupportedAlgorithm;
    QTest::newRow("crit") << forged("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"crit\":[\"exp\"]}")
                          << JwtError::UnsupportedAlgorithm;
    QTest::newRow("unknown kid") << forged("{\"alg\":\"RS256\",\"kid\":\"nobody\"}") << JwtError::UnknownKey;
    QTest::newRow("no kid") << forged("{\"alg\":\"RS256\"}") << JwtError::UnknownKey;
    QTest::newRow("kid a number") << forged("{\"alg\":\"RS256\",\"kid\":7}") << JwtError::UnknownKey;
    QTest::newRow("tampered payload") << join(h,
                                              base64UrlEncode(QByteArray(*base64UrlDecode(p)).replace("user", "root")),
                                              s)
                                      << JwtError::BadSignature;
    QByteArray flipped = *base64UrlDecode(s);
    flipped[0] = char(flipped[0] ^ 0x80);
    QTest::newRow("tampered signature") << join(h, p, base64UrlEncode(flipped)) << JwtError::BadSignature;
    QTest::newRow("empty signature") << join(h, p, QByteArray()) << JwtError::BadSignature;
    QTest::newRow("signed by another key under this kid")
        << forged("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", TestServer::nextSigningKey())
        << JwtError::BadSignature;
}

void TstJwt::refused()
{
    QFETCH(QString, token);
    QFETCH(JwtError, error);
    const JwtVerification v = Jwt::verify(token, lookup);
    QCOMPARE(v.error, error);
    QVERIFY(!v.ok());
    QVERIFY(v.claims.isEmpty());
    QVERIFY(v.header.isEmpty());
}

void TstJwt::publicKeyCannotSign()
{
    const RsaKey pub = RsaKey::fromPublicPem(TestServer::signingKey().publicPem());
    QVERIFY(Jwt::sign(pub, sampleClaims()).isEmpty());
    QVERIFY(Jwt::sign(RsaKey(), sampleClaims()).isEmpty());
}

void TstJwt::errorTexts()
{
    for (JwtError e : {JwtError::Malformed, JwtError::BadEncoding, JwtError::NotJson, JwtError::UnsupportedAlgorithm,
                       JwtError::UnknownKey, JwtError::BadSignature})
        QVERIFY(!Jwt::errorText(e).isEmpty());
}

QTEST_GUILESS_MAIN(TstJwt)
#include "tst_jwt.moc"
