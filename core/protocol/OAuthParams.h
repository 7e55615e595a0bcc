#pragma once

#include <QStringView>

// Wire names of parameters, in one place (RFC 6749 §11.2, RFC 7636 §6.1, plus the legacy Spring form fields).
namespace oauthsim::param {
inline constexpr QStringView ResponseType{u"response_type"};
inline constexpr QStringView ClientId{u"client_id"};
inline constexpr QStringView ClientSecret{u"client_secret"};
inline constexpr QStringView RedirectUri{u"redirect_uri"};
inline constexpr QStringView Scope{u"scope"};
inline constexpr QStringView State{u"state"};
inline constexpr QStringView GrantType{u"grant_type"};
inline constexpr QStringView Code{u"code"};
inline constexpr QStringView RefreshToken{u"refresh_token"};
inline constexpr QStringView Username{u"username"};
inline constexpr QStringView Password{u"password"};
inline constexpr QStringView CodeVerifier{u"code_verifier"};
// RFC 7636 §4.3 / §6.1.
inline constexpr QStringView CodeChallenge{u"code_challenge"};
inline constexpr QStringView CodeChallengeMethod{u"code_challenge_method"};
inline constexpr QStringView Nonce{u"nonce"}; // OpenID Connect Core §3.1.2.1
inline constexpr QStringView Csrf{u"_csrf"};
inline constexpr QStringView Token{u"token"};                   // RFC 7009 §2.1, RFC 7662 §2.1
inline constexpr QStringView TokenTypeHint{u"token_type_hint"}; // RFC 7009 §2.1
inline constexpr QStringView UserOAuthApproval{u"user_oauth_approval"};
inline constexpr QStringView ScopePrefix{u"scope."};
} // namespace oauthsim::param
