#pragma once

#include "model/AuthorizationCode.h"
#include "protocol/Result.h"

#include <QString>

#include <optional>

namespace oauthsim {

// Proof Key for Code Exchange (RFC 7636): the authorize side reads and checks the code_challenge, the token side
// checks the code_verifier against the challenge kept with the code. Pure functions, no state.
class Pkce
{
public:
    // Whether the client must send a code_challenge (per-client "require_pkce", and every public client).
    enum class Requirement
    {
        Optional,
        Required
    };

    // RFC 7636 §4.3: "S256" or "plain", case-sensitive; nullopt for anything else.
    static std::optional<CodeChallengeMethod> methodFromName(QStringView name);
    static QString methodName(CodeChallengeMethod method);

    // RFC 7636 §4.1, §4.2: 43 to 128 characters, each of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
    // The same rule holds for a code_verifier and a code_challenge.
    static bool isWellFormed(QStringView value);

    // RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(verifier))), without '=' padding.
    static QString s256(const QString &verifier);

    // The challenge of an authorization request, from its code_challenge and code_challenge_method parameters
    // (null strings when absent; an empty value counts as absent; no method means "plain").
    // Returns nullopt when no challenge was sent and none is required. Errors are invalid_request, for the caller
    // to redirect: "PKCE is required for this client (code_challenge missing)", "Invalid code challenge method",
    // "Invalid code challenge". A method without a challenge is ignored, as Spring Authorization Server does.
    // A method outside `allowed` (the profile's; Spring Authorization Server accepts S256 only) is an invalid method.
    static Result<std::optional<CodeChallenge>> readChallenge(const QString &challenge, const QString &method,
                                                              Requirement requirement,
                                                              const QList<CodeChallengeMethod> &allowed);

    // Checks the token request's code_verifier (a null string when absent; empty counts as absent) against the
    // challenge kept with the code. Returns nullopt when they agree (or neither exists), else invalid_grant:
    // "code_verifier missing" (the PKCE downgrade), "Invalid code verifier", or "Unexpected code_verifier: the
    // authorization request had no code_challenge". The comparison takes the same time wherever the values differ.
    static std::optional<OAuthError> checkVerifier(const std::optional<CodeChallenge> &challenge,
                                                   const QString &verifier);
};

} // namespace oauthsim
