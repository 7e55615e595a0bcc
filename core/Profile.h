#pragma once

#include "model/AuthorizationCode.h"
#include "model/Client.h"
#include "protocol/ErrorCode.h"
#include "protocol/TokenResponse.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace oauthsim {

class OAuthError;
class TokenGenerator;

// The server products oauthsim can imitate. The default is the seed's legacy Spring Security OAuth2 server.
enum class ProfileId
{
    SpringLegacy,              // ../shared/PROTOCOL.md
    SpringAuthorizationServer, // Spring Authorization Server 1.x defaults
};

// Where each endpoint lives. An empty path means the profile has no such endpoint.
struct EndpointPaths
{
    QString authorize;
    QString token;
    QString checkToken; // legacy only
    QString tokenKey;   // legacy only: GET the verification key
    QString introspect;
    QString revoke;
    QString jwks;
    QString userinfo;
    QString endSession;
    QString deviceAuthorization;
    QString deviceVerification;
    QString login;
    QString logout;
    QString openidConfiguration = QStringLiteral("/.well-known/openid-configuration");
    QString authorizationServerMetadata = QStringLiteral("/.well-known/oauth-authorization-server");
};

// Where the token-family endpoints read their parameters from.
enum class ParameterSource
{
    QueryAndBody, // Spring's request.getParameter(): the seed's Postman form puts them in the query
    BodyOnly,     // Spring Authorization Server: the form body alone (RFC 6749 §3.2)
};

// How much of an error a JSON error body carries.
enum class ErrorDetail
{
    Full,     // error, error_description and extras (legacy serializer), challenges as PROTOCOL.md
    CodeOnly, // {"error":"invalid_grant"}; 401 invalid_client without WWW-Authenticate (Spring Authorization Server)
};

// Everything that differs between the imitated products, as data (ARCHITECTURE.md "Profiles"): endpoints read
// these values instead of testing which profile runs.
struct Profile
{
    ProfileId id = ProfileId::SpringLegacy;
    QString name;        // "spring-legacy", as --profile and the configuration spell it
    QString displayName; // for the window, in English: translate with QCoreApplication::translate("Profile", …)
    EndpointPaths paths;

    // Value formats.
    enum class CodeFormat
    {
        Alphabet64, // RandomValueStringGenerator: `codeLength` symbols of a 64-symbol alphabet
        Base64Url,  // Base64StringKeyGenerator: `codeBytes` random bytes, base64url without padding
    };
    CodeFormat codeFormat = CodeFormat::Alphabet64;
    int codeBytes = 0;                    // Base64Url codes
    int opaqueTokenBytes = 20;            // access and refresh token values
    QString tokenType;                    // "bearer" (legacy) or "Bearer"
    QList<TokenField> tokenResponseOrder; // the serializer's member order

    // Defaults the configuration can override.
    int defaultCodeLength = 6;
    int defaultCodeLifetime = 300;
    int defaultAccessTokenLifetime = 43200;
    int defaultRefreshTokenLifetime = 2592000;
    AccessTokenFormat defaultAccessTokenFormat = AccessTokenFormat::Opaque;

    // Protocol rules.
    GrantTypes grantTypes; // the grants the token and authorize endpoints know
    int authorizationRedirectStatus = 303;
    // A client using a grant it is not registered for: legacy invalid_client, Spring Authorization Server
    // unauthorized_client (RFC 6749 §5.2).
    ErrorCode grantNotAllowed = ErrorCode::InvalidClient;
    // An expired refresh token: legacy invalid_token (401), Spring Authorization Server invalid_grant (400).
    ErrorCode expiredRefreshToken =
        ErrorCode::InvalidToken;            // of the redirect to the client's redirect_uri (code, token or error)
    QList<CodeChallengeMethod> pkceMethods; // the code_challenge_method values accepted
    ParameterSource tokenParameters = ParameterSource::QueryAndBody;
    ErrorDetail errorDetail = ErrorDetail::Full;
    QString consentTemplate; // the approval page's template
    // How the approval form answers: legacy radios scope.<name>=true|false plus user_oauth_approval, or Spring
    // Authorization Server's checkboxes, one `scope` field per approved scope.
    enum class ConsentForm
    {
        ApprovalRadios,
        ScopeCheckboxes,
    };
    ConsentForm consentForm = ConsentForm::ApprovalRadios;
    // How an approval is remembered (ApprovalStore): by a live access token for the same scopes (legacy), or as a
    // stored consent per client and user that later requests within it skip, and that the page shows as granted.
    enum class ApprovalMemory
    {
        LiveToken,
        StoredConsent,
    };
    ApprovalMemory approvalMemory = ApprovalMemory::LiveToken;

    // The profile named `name`, or nullopt.
    static std::optional<ProfileId> idFromName(QStringView name);
    static QStringList names();
    static const Profile &get(ProfileId id);
    static const Profile &springLegacy() { return get(ProfileId::SpringLegacy); }

    // A new authorization code value in this profile's format (`configuredLength` applies to Alphabet64).
    QString newCode(TokenGenerator &random, int configuredLength) const;
    // A new opaque access or refresh token value.
    QString newOpaqueToken(TokenGenerator &random) const;
    // The error as this profile's JSON error body reports it (ErrorDetail).
    OAuthError shape(const OAuthError &error) const;
};

} // namespace oauthsim
