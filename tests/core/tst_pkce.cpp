// Pkce (RFC 7636): the S256 transform against the RFC's test vector, the verifier/challenge syntax, the
// authorize-side reading of code_challenge/code_challenge_method and the token-side verifier check.

#include "Profile.h"
#include "auth/Pkce.h"

#include <QTest>

using namespace oauthsim;

Q_DECLARE_METATYPE(oauthsim::Pkce::Requirement)
Q_DECLARE_METATYPE(std::optional<oauthsim::CodeChallenge>)

namespace {

// RFC 7636 Appendix B.
const QString kRfcVerifier = QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
const QString kRfcChallenge = QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

const QString kRequired = QStringLiteral("PKCE is required for this client (code_challenge missing)");
const QString kBadMethod = QStringLiteral("Invalid code challenge method");
const QString kBadChallenge = QStringLiteral("Invalid code challenge");
const QList<CodeChallengeMethod> kBoth{CodeChallengeMethod::S256, CodeChallengeMethod::Plain};
const QString kMissingVerifier = QStringLiteral("code_verifier missing");
const QString kBadVerifier = QStringLiteral("Invalid code verifier");
const QString kUnexpectedVerifier =
    QStringLiteral("Unexpected code_verifier: the authorization request had no code_challenge");

QString repeat(const char *unit, int times)
{
    return QString::fromLatin1(unit).repeated(times);
}

std::optional<CodeChallenge> challengeOf(const QString &value, CodeChallengeMethod method)
{
    return CodeChallenge{value, method};
}

QString describe(const std::optional<CodeChallenge> &c)
{
    return c ? Pkce::methodName(c->method) + QLatin1Char(':') + c->value : QStringLiteral("none");
}

} // namespace

class tst_Pkce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void s256_data();
    void s256();
    void wellFormed_data();
    void wellFormed();
    void methodNames_data();
    void methodNames();
    void readChallenge_data();
    void readChallenge();
    void readChallengeS256Only_data();
    void readChallengeS256Only();
    void checkVerifier_data();
    void checkVerifier();
};

void tst_Pkce::s256_data()
{
    QTest::addColumn<QString>("verifier");
    QTest::addColumn<QString>("challenge");
    QTest::newRow("RFC 7636 Appendix B") << kRfcVerifier << kRfcChallenge;
    // Cross-checked with Python: base64.urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b'=').
    QTest::newRow("128 x 'a'") << repeat("a", 128) << QStringLiteral("aDbPE7rEAOkQUHHNavRwhN-srU5eMCyUv-0k4BOvtz4");
    QTest::newRow("only the four marks") << repeat("~._-", 11)
                                         << QStringLiteral("ZHtaO-KA74WhL5hJNtgQ9QkQS3K3KHP0s3Jdpam_CdI");
}

void tst_Pkce::s256()
{
    QFETCH(QString, verifier);
    QFETCH(QString, challenge);
    const QString derived = Pkce::s256(verifier);
    QCOMPARE(derived, challenge);
    // 32 bytes of SHA-256 are 43 base64url characters without padding.
    QCOMPARE(derived.size(), 43);
    QVERIFY(!derived.contains(QLatin1Char('=')));
    QVERIFY(Pkce::isWellFormed(derived));
}

void tst_Pkce::wellFormed_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("wellFormed");
    QTest::newRow("RFC verifier") << kRfcVerifier << true;
    QTest::newRow("42 characters") << repeat("a", 42) << false;
    QTest::newRow("43 characters") << repeat("a", 43) << true;
    QTest::newRow("128 characters") << repeat("Z", 128) << true;
    QTest::newRow("129 characters") << repeat("9", 129) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("every unreserved kind") << repeat("aZ09-._~", 6) << true;
    QTest::newRow("a '+' (base64, not base64url)") << repeat("a", 42) + QLatin1Char('+') << false;
    QTest::newRow("a '/'") << QLatin1Char('/') + repeat("a", 42) << false;
    QTest::newRow("padding '='") << kRfcChallenge + QLatin1Char('=') << false;
    QTest::newRow("a space") << repeat("a", 21) + QLatin1Char(' ') + repeat("a", 21) << false;
    QTest::newRow("a percent sign") << repeat("a", 40) + QStringLiteral("%41") << false;
    QTest::newRow("non-ASCII letter") << repeat("a", 42) + QStringLiteral("\u00e9") << false;
    QTest::newRow("NUL") << repeat("a", 42) + QChar(u'\0') << false;
}

void tst_Pkce::wellFormed()
{
    QFETCH(QString, value);
    QFETCH(bool, wellFormed);
    QCOMPARE(Pkce::isWellFormed(value), wellFormed);
}

void tst_Pkce::methodNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("method"); // -1: not a method
    QTest::newRow("S256") << QStringLiteral("S256") << int(CodeChallengeMethod::S256);
    QTest::newRow("plain") << QStringLiteral("plain") << int(CodeChallengeMethod::Plain);
    QTest::newRow("s256 (case-sensitive)") << QStringLiteral("s256") << -1;
    QTest::newRow("PLAIN (case-sensitive)") << QStringLiteral("PLAIN") << -1;
    QTest::newRow("S512") << QStringLiteral("S512") << -1;
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("trailing space") << QStringLiteral("S256 ") << -1;
}

void tst_Pkce::methodNames()
{
    QFETCH(QString, name);
    QFETCH(int, method);
    const std::optional<CodeChallengeMethod> parsed = Pkce::methodFromName(name);
    QCOMPARE(parsed ? int(*parsed) : -1, method);
    if (parsed)
        QCOMPARE(Pkce::methodName(*parsed), name);
}

void tst_Pkce::readChallenge_data()
{
    QTest::addColumn<QString>("challenge"); // null: parameter absent
    QTest::addColumn<QString>("method");    // null: parameter absent
    QTest::addColumn<Pkce::Requirement>("requirement");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::addColumn<std::optional<CodeChallenge>>("expected");

    const auto optional = Pkce::Requirement::Optional;
    const auto required = Pkce::Requirement::Required;
    const std::optional<CodeChallenge> none;
    const QString absent;

    QTest::newRow("nothing sent, optional") << absent << absent << optional << QString() << none;
    QTest::newRow("nothing sent, required") << absent << absent << required << kRequired << none;
    QTest::newRow("empty challenge, required") << QStringLiteral("") << absent << required << kRequired << none;
    QTest::newRow("empty challenge, optional") << QStringLiteral("") << absent << optional << QString() << none;
    QTest::newRow("method without challenge, optional (ignored)")
        << absent << QStringLiteral("S256") << optional << QString() << none;
    QTest::newRow("unknown method without challenge, optional (ignored)")
        << absent << QStringLiteral("S512") << optional << QString() << none;
    QTest::newRow("method without challenge, required")
        << absent << QStringLiteral("S256") << required << kRequired << none;
    QTest::newRow("S256") << kRfcChallenge << QStringLiteral("S256") << optional << QString()
                          << challengeOf(kRfcChallenge, CodeChallengeMethod::S256);
    QTest::newRow("S256, required") << kRfcChallenge << QStringLiteral("S256") << required << QString()
                                    << challengeOf(kRfcChallenge, CodeChallengeMethod::S256);
    QTest::newRow("plain") << kRfcVerifier << QStringLiteral("plain") << optional << QString()
                           << challengeOf(kRfcVerifier, CodeChallengeMethod::Plain);
    // RFC 7636 §4.3: defaults to plain.
    QTest::newRow("no method means plain")
        << kRfcVerifier << absent << required << QString() << challengeOf(kRfcVerifier, CodeChallengeMethod::Plain);
    QTest::newRow("empty method means plain") << kRfcVerifier << QStringLiteral("") << optional << QString()
                                              << challengeOf(kRfcVerifier, CodeChallengeMethod::Plain);
    QTest::newRow("unknown method") << kRfcChallenge << QStringLiteral("S512") << optional << kBadMethod << none;
    QTest::newRow("method is case-sensitive")
        << kRfcChallenge << QStringLiteral("s256") << optional << kBadMethod << none;
    QTest::newRow("method checked before the challenge")
        << QStringLiteral("short") << QStringLiteral("md5") << optional << kBadMethod << none;
    QTest::newRow("42 characters") << repeat("a", 42) << QStringLiteral("plain") << optional << kBadChallenge << none;
    QTest::newRow("43 characters") << repeat("a", 43) << QStringLiteral("plain") << optional << QString()
                                   << challengeOf(repeat("a", 43), CodeChallengeMethod::Plain);
    QTest::newRow("128 characters") << repeat("b", 128) << QStringLiteral("plain") << optional << QString()
                                    << challengeOf(repeat("b", 128), CodeChallengeMethod::Plain);
    QTest::newRow("129 characters") << repeat("b", 129) << QStringLiteral("plain") << optional << kBadChallenge << none;
    QTest::newRow("padded base64url") << kRfcChallenge + QLatin1Char('=') << QStringLiteral("S256") << optional
                                      << kBadChallenge << none;
    QTest::newRow("standard base64 '+'") << QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")
                                         << QStringLiteral("S256") << required << kBadChallenge << none;
}

void tst_Pkce::readChallenge()
{
    QFETCH(QString, challenge);
    QFETCH(QString, method);
    QFETCH(Pkce::Requirement, requirement);
    QFETCH(QString, error);
    QFETCH(std::optional<CodeChallenge>, expected);

    const Result<std::optional<CodeChallenge>> r = Pkce::readChallenge(challenge, method, requirement, kBoth);
    if (error.isEmpty()) {
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().description()));
        QCOMPARE(describe(r.value()), describe(expected));
        return;
    }
    QVERIFY2(!r.ok(), qPrintable(describe(r.ok() ? r.value() : std::nullopt)));
    QCOMPARE(r.error().codeName(), QByteArray("invalid_request"));
    QCOMPARE(r.error().httpStatus(), 400);
    QCOMPARE(r.error().description(), error);
    QVERIFY(r.error().extra().isEmpty());
}

// Spring Authorization Server's profile accepts S256 only: plain, and the absent method that means plain, are refused.
void tst_Pkce::readChallengeS256Only_data()
{
    QTest::addColumn<QString>("method"); // null: parameter absent
    QTest::addColumn<QString>("error");  // empty: accepted
    QTest::newRow("S256") << QStringLiteral("S256") << QString();
    QTest::newRow("plain") << QStringLiteral("plain") << kBadMethod;
    QTest::newRow("no method (plain)") << QString() << kBadMethod;
    QTest::newRow("empty method (plain)") << QStringLiteral("") << kBadMethod;
}

void tst_Pkce::readChallengeS256Only()
{
    QFETCH(QString, method);
    QFETCH(QString, error);
    const Result<std::optional<CodeChallenge>> r =
        Pkce::readChallenge(kRfcChallenge, method, Pkce::Requirement::Optional,
                            Profile::get(ProfileId::SpringAuthorizationServer).pkceMethods);
    if (error.isEmpty()) {
        QVERIFY(r.ok());
        QCOMPARE(describe(r.value()), describe(challengeOf(kRfcChallenge, CodeChallengeMethod::S256)));
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.error().codeName(), QByteArray("invalid_request"));
    QCOMPARE(r.error().description(), error);
}

void tst_Pkce::checkVerifier_data()
{
    QTest::addColumn<std::optional<CodeChallenge>>("challenge");
    QTest::addColumn<QString>("verifier"); // null: parameter absent
    QTest::addColumn<QString>("error");    // empty: accepted

    const std::optional<CodeChallenge> none;
    const auto s256 = challengeOf(kRfcChallenge, CodeChallengeMethod::S256);
    const auto plain = challengeOf(kRfcVerifier, CodeChallengeMethod::Plain);
    QString wrongLast = kRfcVerifier;
    wrongLast[wrongLast.size() - 1] = QLatin1Char('j');

    QTest::newRow("no challenge, no verifier") << none << QString() << QString();
    QTest::newRow("no challenge, empty verifier") << none << QStringLiteral("") << QString();
    // RFC 9700 §2.1.1.
    QTest::newRow("no challenge, a verifier") << none << kRfcVerifier << kUnexpectedVerifier;
    QTest::newRow("S256, RFC vector") << s256 << kRfcVerifier << QString();
    QTest::newRow("S256, verifier missing (downgrade)") << s256 << QString() << kMissingVerifier;
    QTest::newRow("S256, verifier empty") << s256 << QStringLiteral("") << kMissingVerifier;
    QTest::newRow("S256, last character wrong") << s256 << wrongLast << kBadVerifier;
    QTest::newRow("S256, verifier in other case") << s256 << kRfcVerifier.toLower() << kBadVerifier;
    QTest::newRow("plain, equal") << plain << kRfcVerifier << QString();
    QTest::newRow("plain, verifier missing (downgrade)") << plain << QString() << kMissingVerifier;
    QTest::newRow("plain, a well-formed prefix")
        << challengeOf(kRfcVerifier + QStringLiteral("abc"), CodeChallengeMethod::Plain) << kRfcVerifier
        << kBadVerifier;
    QTest::newRow("plain, one character longer") << plain << kRfcVerifier + QLatin1Char('a') << kBadVerifier;
    QTest::newRow("plain, S256 of the verifier sent") << plain << kRfcChallenge << kBadVerifier;
    // The method is the one stored with the code, not re-guessed from the verifier.
    QTest::newRow("S256 challenge, verifier equal to it") << s256 << kRfcChallenge << kBadVerifier;
    // A verifier outside the syntax never passes, even when it would match.
    QTest::newRow("plain, equal but 129 characters")
        << challengeOf(repeat("c", 129), CodeChallengeMethod::Plain) << repeat("c", 129) << kBadVerifier;
    QTest::newRow("S256, matching hash of a verifier with a space")
        << challengeOf(Pkce::s256(repeat("d", 42) + QLatin1Char(' ')), CodeChallengeMethod::S256)
        << repeat("d", 42) + QLatin1Char(' ') << kBadVerifier;
}

void tst_Pkce::checkVerifier()
{
    QFETCH(std::optional<CodeChallenge>, challenge);
    QFETCH(QString, verifier);
    QFETCH(QString, error);

    const std::optional<OAuthError> r = Pkce::checkVerifier(challenge, verifier);
    if (error.isEmpty()) {
        QVERIFY2(!r, r ? qPrintable(r->description()) : "");
        return;
    }
    QVERIFY(r.has_value());
    QCOMPARE(r->codeName(), QByteArray("invalid_grant"));
    QCOMPARE(r->httpStatus(), 400);
    QCOMPARE(r->description(), error);
    QVERIFY(r->extra().isEmpty());
    // The verifier is a secret: it never reaches the request log through the debug detail.
    if (!verifier.isEmpty())
        QVERIFY2(!r->debugDetail().contains(verifier), qPrintable(r->debugDetail()));
}

QTEST_GUILESS_MAIN(tst_Pkce)
#include "tst_pkce.moc"
