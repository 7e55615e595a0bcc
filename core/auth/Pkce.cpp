#include "Pkce.h"

#include "auth/ConstantTime.h"

#include <QCryptographicHash>

#include <algorithm>

namespace oauthsim {

namespace {
constexpr qsizetype kMinLength = 43;
constexpr qsizetype kMaxLength = 128;

bool isUnreserved(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'.' ||
           u == u'_' || u == u'~';
}
} // namespace

std::optional<CodeChallengeMethod> Pkce::methodFromName(QStringView name)
{
    if (name == u"S256")
        return CodeChallengeMethod::S256;
    if (name == u"plain")
        return CodeChallengeMethod::Plain;
    return std::nullopt;
}

QString Pkce::methodName(CodeChallengeMethod method)
{
    return method == CodeChallengeMethod::S256 ? QStringLiteral("S256") : QStringLiteral("plain");
}

bool Pkce::isWellFormed(QStringView value)
{
    return value.size() >= kMinLength && value.size() <= kMaxLength &&
           std::all_of(value.begin(), value.end(), isUnreserved);
}

QString Pkce::s256(const QString &verifier)
{
    // ASCII(verifier): a well-formed verifier is ASCII; anything else is hashed as UTF-8 and simply cannot match.
    const QByteArray digest = QCryptographicHash::hash(verifier.toUtf8(), QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<std::optional<CodeChallenge>> Pkce::readChallenge(const QString &challenge, const QString &method,
                                                         Requirement requirement,
                                                         const QList<CodeChallengeMethod> &allowed)
{
    // An empty code_challenge counts as absent (Spring Authorization Server's hasText).
    if (challenge.isEmpty()) {
        // RFC 7636 §4.4.1: a server that requires PKCE answers a request without a challenge with invalid_request.
        if (requirement == Requirement::Required)
            return OAuthError::invalidRequest(
                QStringLiteral("PKCE is required for this client (code_challenge missing)"));
        return std::optional<CodeChallenge>();
    }
    // RFC 7636 §4.3: the method defaults to "plain" when absent (or empty, like the challenge).
    const std::optional<CodeChallengeMethod> parsed =
        method.isEmpty() ? CodeChallengeMethod::Plain : methodFromName(method);
    if (!parsed || !allowed.contains(*parsed))
        return OAuthError::invalidRequest(QStringLiteral("Invalid code challenge method"))
            .withDebugDetail(QStringLiteral("code_challenge_method \"%1\"").arg(method));
    // RFC 7636 §4.2: the challenge has the verifier's syntax (43–128 unreserved characters).
    if (!isWellFormed(challenge))
        return OAuthError::invalidRequest(QStringLiteral("Invalid code challenge"))
            .withDebugDetail(QStringLiteral("code_challenge of %1 characters").arg(challenge.size()));
    return std::optional<CodeChallenge>(CodeChallenge{challenge, *parsed});
}

std::optional<OAuthError> Pkce::checkVerifier(const std::optional<CodeChallenge> &challenge, const QString &verifier)
{
    if (!challenge) {
        // RFC 9700 §2.1.1: a code_verifier for a code issued without a challenge is rejected, so an attacker
        // cannot inject a code obtained without PKCE into a session that uses it.
        if (!verifier.isEmpty())
            return OAuthError::invalidGrant(
                QStringLiteral("Unexpected code_verifier: the authorization request had no code_challenge"));
        return std::nullopt;
    }
    // RFC 7636 §4.5 / RFC 9700 §2.1.1: a code issued with a challenge needs a verifier (no PKCE downgrade).
    if (verifier.isEmpty())
        return OAuthError::invalidGrant(QStringLiteral("code_verifier missing"));
    // RFC 7636 §4.6: transform the verifier with the code's method and compare with the stored challenge.
    const QString derived = challenge->method == CodeChallengeMethod::S256 ? s256(verifier) : verifier;
    if (!isWellFormed(verifier) || !constantTimeEquals(derived, challenge->value))
        return OAuthError::invalidGrant(QStringLiteral("Invalid code verifier"))
            .withDebugDetail(isWellFormed(verifier)
                                 ? QStringLiteral("code_verifier does not match the %1 code_challenge")
                                       .arg(methodName(challenge->method))
                                 : QStringLiteral("code_verifier is not 43-128 unreserved characters"));
    return std::nullopt;
}

} // namespace oauthsim
