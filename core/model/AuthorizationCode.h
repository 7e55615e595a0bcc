#pragma once

#include "model/ScopeSet.h"

#include <QMetaType>
#include <QString>

#include <optional>

namespace oauthsim {

// RFC 7636 §4.2: how the code_challenge was derived from the code_verifier.
enum class CodeChallengeMethod
{
    Plain, // code_challenge = code_verifier
    S256,  // code_challenge = BASE64URL(SHA256(ASCII(code_verifier))), no padding
};

// A PKCE code challenge as the authorization request sent it, kept with the code until the token request.
struct CodeChallenge
{
    QString value;
    CodeChallengeMethod method = CodeChallengeMethod::Plain;
    bool operator==(const CodeChallenge &) const = default;
};

// An authorization request as validated by the authorize endpoint, remembered in the session until approved.
struct AuthorizeRequest
{
    QString clientId;
    QString redirectUri;          // the resolved, registered URI the code goes to
    bool redirectUriSent = false; // whether the client named it (then the token request must repeat it)
    QStringList responseTypes;
    QString responseMode; // "query" or "fragment" when the client asked for one (validated), else empty
    ScopeSet scopes;
    std::optional<QString> state;
    std::optional<CodeChallenge> codeChallenge; // RFC 7636 §4.3; set once validated, after login
    QString originalUrl;                        // absolute URL of the authorize request, for the post-login redirect
    std::optional<QString> nonce;               // OpenID Connect Core §3.1.2.1, echoed in the id_token
    qint64 authTimeMs = 0;                      // when the user logged in (the session's authenticatedAtMs)
    bool operator==(const AuthorizeRequest &) const = default;
};

struct AuthorizationCode
{
    enum class Status
    {
        Pending,
        Redeemed,
        Expired,
        Revoked
    };
    QString code;
    QString clientId;
    QString username;
    ScopeSet scopes;
    QString redirectUri;
    bool redirectUriSent = false;
    std::optional<QString> state;
    std::optional<CodeChallenge> codeChallenge; // RFC 7636 §4.4: the token request must prove it
    std::optional<QString> nonce;               // the authorize request's nonce, for the id_token
    qint64 authTimeMs = 0;                      // when the user logged in, for the id_token's auth_time
    qint64 issuedAtMs = 0;
    qint64 expiresAtMs = 0; // 0 = never expires
    quint64 flowId = 0;
    Status status = Status::Pending;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::AuthorizationCode)
