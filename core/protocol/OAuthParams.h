#pragma once

#include <QStringView>

// Wire names of parameters, in one place (RFC 6749 §11.2, RFC 7636 §6.1, RFC 8628 §7.3, plus the legacy Spring form
// fields).
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
inline constexpr QStringView ResponseMode{u"response_mode"};    // OAuth 2.0 Multiple Response Types §2.1
inline constexpr QStringView Prompt{u"prompt"};                 // OIDC Core §3.1.2.1
inline constexpr QStringView UserOAuthApproval{u"user_oauth_approval"};
inline constexpr QStringView ScopePrefix{u"scope."};
inline constexpr QStringView DeviceCode{u"device_code"}; // RFC 8628 §3.4
inline constexpr QStringView UserCode{u"user_code"};     // RFC 8628 §3.3 (the verification page's field)
// The verification page's Approve/Deny buttons: decision=approve|deny.
inline constexpr QStringView Decision{u"decision"};
inline constexpr QStringView AccessToken{u"access_token"}; // RFC 6750 §2.2
// OpenID Connect RP-Initiated Logout 1.0 §2.
inline constexpr QStringView IdTokenHint{u"id_token_hint"};
inline constexpr QStringView PostLogoutRedirectUri{u"post_logout_redirect_uri"};
} // namespace oauthsim::param

namespace oauthsim::scope {
// OpenID Connect Core §3.1.2.1: the scope value that makes an authorization request an authentication request.
inline const QString OpenId = QStringLiteral("openid");
} // namespace oauthsim::scope
