#include "tokens/RandomTokenGenerator.h"
#include "tokens/TokenGenerator.h"

#include "FixedTokenGenerator.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::FixedTokenGenerator;

namespace {

const QString kAlphabet = QStringLiteral("1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_");

// Hands out exactly the bytes it was given, then zeros.
class ScriptedGenerator final : public TokenGenerator
{
public:
    explicit ScriptedGenerator(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    QByteArray randomBytes(int n) override
    {
        requested << n;
        QByteArray out = m_bytes.left(n);
        m_bytes.remove(0, out.size());
        out.append(QByteArray(n - out.size(), '\0'));
        return out;
    }
    QList<int> requested;

private:
    QByteArray m_bytes;
};

QByteArray sequence(int from, int count)
{
    QByteArray out;
    for (int i = 0; i < count; ++i)
        out += char((from + i) & 0xff);
    return out;
}

bool matches(const char *pattern, const QString &value)
{
    return QRegularExpression(QString::fromLatin1(pattern)).match(value).hasMatch();
}

constexpr const char *kOpaque = "^[A-Za-z0-9_-]{27}$";
constexpr const char *kSessionId = "^[0-9A-F]{32}$";
constexpr const char *kCsrf = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";

} // namespace

class tst_TokenGenerator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alphabetIsSpringsAndComplete();
    void codeMapsBytesToAlphabet_data();
    void codeMapsBytesToAlphabet();
    void codeLength_data();
    void codeLength();
    void opaqueToken_data();
    void opaqueToken();
    void sessionId_data();
    void sessionId();
    void csrfToken_data();
    void csrfToken();
    void fixedGeneratorShapes();

    void randomBytesSizes_data();
    void randomBytesSizes();
    void randomCodesUniform();
    void randomValuesDiffer();
};

void tst_TokenGenerator::alphabetIsSpringsAndComplete()
{
    QCOMPARE(kAlphabet.size(), 64);
    QCOMPARE(QSet<QChar>(kAlphabet.begin(), kAlphabet.end()).size(), 64);
    // Bytes 0..63 spell the alphabet in order (Spring: DEFAULT_CODEC[(b & 0xFF) % 64]).
    ScriptedGenerator gen(sequence(0, 64));
    QCOMPARE(gen.code(64), kAlphabet);
    QCOMPARE(gen.requested, QList<int>{64});
}

void tst_TokenGenerator::codeMapsBytesToAlphabet_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");

    QTest::newRow("zeros") << QByteArray(6, '\0') << QStringLiteral("111111");
    QTest::newRow("0..5") << sequence(0, 6) << QStringLiteral("123456");
    QTest::newRow("63s") << QByteArray(6, char(63)) << QStringLiteral("______");
    QTest::newRow("64..69 wrap to 0..5") << sequence(64, 6) << QStringLiteral("123456");
    QTest::newRow("high bytes") << QByteArray("\xff\xfe\xc0\x80\x7f\x40", 6) << QStringLiteral("_-11_1");
    QTest::newRow("letters") << QByteArray("\x0a\x23\x24\x3d\x3e\x09", 6) << QStringLiteral("AZaz-0");
}

void tst_TokenGenerator::codeMapsBytesToAlphabet()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    ScriptedGenerator gen(bytes);
    QCOMPARE(gen.code(6), code);
}

void tst_TokenGenerator::codeLength_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("0") << 0;
    QTest::newRow("1") << 1;
    QTest::newRow("6 (Spring's default)") << 6;
    QTest::newRow("10") << 10;
    QTest::newRow("43") << 43;
}

void tst_TokenGenerator::codeLength()
{
    QFETCH(int, length);
    FixedTokenGenerator gen;
    for (int i = 0; i < 20; ++i) {
        const QString code = gen.code(length);
        QCOMPARE(code.size(), length);
        for (QChar c : code)
            QVERIFY2(kAlphabet.contains(c), qPrintable(code));
    }
}

void tst_TokenGenerator::opaqueToken_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("token");

    QTest::newRow("zeros") << QByteArray(20, '\0') << QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAA");
    QTest::newRow("0xff: url alphabet, no padding")
        << QByteArray(20, '\xff') << QString(26, QLatin1Char('_')) + QLatin1Char('8');
    QTest::newRow("0xfb 0xef 0xbe: - and _")
        << QByteArray("\xfb\xef\xbe\xfb\xef\xbe\xfb\xef\xbe\xfb\xef\xbe\xfb\xef\xbe\xfb\xef\xbe\xfb\xef", 20)
        << QString(26, QLatin1Char('-')) + QLatin1Char('8');
    QTest::newRow("0..19") << sequence(0, 20) << QStringLiteral("AAECAwQFBgcICQoLDA0ODxAREhM");
}

void tst_TokenGenerator::opaqueToken()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, token);
    ScriptedGenerator gen(bytes);
    const QString value = gen.opaqueToken();
    QCOMPARE(value, token);
    QCOMPARE(value.size(), 27);
    QVERIFY(!value.contains(QLatin1Char('=')));
    QVERIFY(!value.contains(QLatin1Char('+')));
    QVERIFY(!value.contains(QLatin1Char('/')));
    QCOMPARE(gen.requested, QList<int>{20}); // 20 random bytes, as DefaultTokenServices
    // Decodes back to the bytes.
    const auto decoded = QByteArray::fromBase64Encoding(value.toLatin1(), QByteArray::Base64UrlEncoding |
                                                                              QByteArray::AbortOnBase64DecodingErrors);
    QVERIFY(decoded);
    QCOMPARE(decoded.decoded, bytes);
}

void tst_TokenGenerator::sessionId_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("id");

    QTest::newRow("0..15") << sequence(0, 16) << QStringLiteral("000102030405060708090A0B0C0D0E0F");
    QTest::newRow("0xa0..0xaf") << sequence(0xa0, 16) << QStringLiteral("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF");
    QTest::newRow("0xff") << QByteArray(16, '\xff') << QStringLiteral("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");
}

void tst_TokenGenerator::sessionId()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, id);
    ScriptedGenerator gen(bytes);
    QCOMPARE(gen.sessionId(), id);
    QCOMPARE(gen.requested, QList<int>{16});
}

void tst_TokenGenerator::csrfToken_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("token");

    QTest::newRow("0..15") << sequence(0, 16) << QStringLiteral("00010203-0405-0607-0809-0a0b0c0d0e0f");
    QTest::newRow("0xa0..0xaf") << sequence(0xa0, 16) << QStringLiteral("a0a1a2a3-a4a5-a6a7-a8a9-aaabacadaeaf");
}

void tst_TokenGenerator::csrfToken()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, token);
    ScriptedGenerator gen(bytes);
    const QString value = gen.csrfToken();
    QCOMPARE(value, token);
    QVERIFY2(matches(kCsrf, value), qPrintable(value));
    QCOMPARE(gen.requested, QList<int>{16});
}

void tst_TokenGenerator::fixedGeneratorShapes()
{
    FixedTokenGenerator gen;
    QSet<QString> seen;
    for (int i = 0; i < 100; ++i) {
        const QString token = gen.opaqueToken();
        QVERIFY2(matches(kOpaque, token), qPrintable(token));
        const QString sid = gen.sessionId();
        QVERIFY2(matches(kSessionId, sid), qPrintable(sid));
        const QString csrf = gen.csrfToken();
        QVERIFY2(matches(kCsrf, csrf), qPrintable(csrf));
        seen << token << sid << csrf;
    }
    QCOMPARE(seen.size(), 300);
}

void tst_TokenGenerator::randomBytesSizes_data()
{
    QTest::addColumn<int>("n");
    for (int n : {0, 1, 2, 3, 4, 5, 6, 16, 20, 33})
        QTest::addRow("%d", n) << n;
}

void tst_TokenGenerator::randomBytesSizes()
{
    QFETCH(int, n);
    RandomTokenGenerator gen;
    QCOMPARE(gen.randomBytes(n).size(), qsizetype(n));
}

void tst_TokenGenerator::randomCodesUniform()
{
    RandomTokenGenerator gen;
    constexpr int kCodes = 10'000;
    constexpr int kLength = 6;
    QHash<QChar, int> counts;
    QSet<QString> codes;
    for (int i = 0; i < kCodes; ++i) {
        const QString code = gen.code(kLength);
        QCOMPARE(code.size(), kLength);
        for (QChar c : code) {
            if (!kAlphabet.contains(c))
                QFAIL(qPrintable(QStringLiteral("'%1' in %2 is outside the alphabet").arg(c).arg(code)));
            ++counts[c];
        }
        codes.insert(code);
    }
    // Every one of the 64 symbols appears.
    QCOMPARE(counts.size(), 64);
    // Smoke check of uniformity: 60,000 symbols, 937.5 expected each (standard deviation ~30).
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        QVERIFY2(it.value() > 700 && it.value() < 1200,
                 qPrintable(QStringLiteral("'%1' appeared %2 times").arg(it.key()).arg(it.value())));
    }
    // 64^6 possible codes: 10,000 draws collide only rarely (expected ~0.7 pairs).
    QVERIFY2(codes.size() >= kCodes - 10, qPrintable(QString::number(codes.size())));
}

void tst_TokenGenerator::randomValuesDiffer()
{
    RandomTokenGenerator gen;
    QSet<QString> tokens;
    QSet<QString> sessions;
    QSet<QString> csrfs;
    for (int i = 0; i < 1000; ++i) {
        const QString token = gen.opaqueToken();
        QVERIFY2(matches(kOpaque, token), qPrintable(token));
        tokens.insert(token);
        const QString sid = gen.sessionId();
        QVERIFY2(matches(kSessionId, sid), qPrintable(sid));
        sessions.insert(sid);
        const QString csrf = gen.csrfToken();
        QVERIFY2(matches(kCsrf, csrf), qPrintable(csrf));
        csrfs.insert(csrf);
    }
    QCOMPARE(tokens.size(), 1000);
    QCOMPARE(sessions.size(), 1000);
    QCOMPARE(csrfs.size(), 1000);
    QVERIFY(gen.randomBytes(32) != gen.randomBytes(32));
}

QTEST_GUILESS_MAIN(tst_TokenGenerator)
#include "tst_tokengenerator.moc"
