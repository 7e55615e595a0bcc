#include "Profile.h"

#include "protocol/OAuthError.h"
#include "tokens/TokenGenerator.h"

namespace oauthsim {

namespace {

Profile makeSpringLegacy()
{
    Profile p;
    p.id = ProfileId::SpringLegacy;
    p.name = QStringLiteral("spring-legacy");
    p.displayName = QStringLiteral(QT_TRANSLATE_NOOP("Profile", "Spring Security OAuth2 (legacy)"));
    EndpointPaths &e = p.paths;
    e.authorize = QStringLiteral("/oauth/authorize");
    e.token = QStringLiteral("/oauth/token");
    e.checkToken = QStringLiteral("/oauth/check_token");
    e.tokenKey = QStringLiteral("/oauth/token_key");
    e.introspect = QStringLiteral("/oauth/introspect");
    e.revoke = QStringLiteral("/oauth/revoke");
    e.jwks = QStringLiteral("/oauth/jwks");
    e.userinfo = QStringLiteral("/userinfo");
    e.endSession = QStringLiteral("/connect/logout");
    e.deviceAuthorization = QStringLiteral("/oauth/device_authorization");
    e.deviceVerification = QStringLiteral("/oauth/device_verification");
    e.login = QStringLiteral("/login");
    e.logout = QStringLiteral("/logout");
    p.codeFormat = Profile::CodeFormat::Alphabet64;
    p.opaqueTokenBytes = 20; // DefaultTokenServices: UUID-sized randomness, 27 characters base64url
    p.tokenType = QStringLiteral("bearer");
    // OAuth2AccessTokenJackson2Serializer's order (PROTOCOL.md step 7); id_token is not legacy, placed before expiry.
    p.tokenResponseOrder = {TokenField::AccessToken, TokenField::TokenType, TokenField::RefreshToken,
                            TokenField::IdToken,     TokenField::ExpiresIn, TokenField::Scope};
    // The device grant (RFC 8628) was never legacy Spring's; oauthsim offers it in every profile.
    p.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken | GrantType::Implicit | GrantType::Password |
                   GrantType::ClientCredentials | GrantType::DeviceCode;
    p.authorizationRedirectStatus = 303; // PROTOCOL.md step 6
    p.pkceMethods = {CodeChallengeMethod::S256, CodeChallengeMethod::Plain};
    p.tokenParameters = ParameterSource::QueryAndBody;
    p.errorDetail = ErrorDetail::Full;
    p.consentTemplate = QStringLiteral("approval");
    return p;
}

Profile makeSpringAuthorizationServer()
{
    Profile p;
    p.id = ProfileId::SpringAuthorizationServer;
    p.name = QStringLiteral("spring-authorization-server");
    p.displayName = QStringLiteral(QT_TRANSLATE_NOOP("Profile", "Spring Authorization Server"));
    EndpointPaths &e = p.paths;
    e.authorize = QStringLiteral("/oauth2/authorize");
    e.token = QStringLiteral("/oauth2/token");
    e.introspect = QStringLiteral("/oauth2/introspect");
    e.revoke = QStringLiteral("/oauth2/revoke");
    e.jwks = QStringLiteral("/oauth2/jwks");
    e.userinfo = QStringLiteral("/userinfo");
    e.endSession = QStringLiteral("/connect/logout");
    e.deviceAuthorization = QStringLiteral("/oauth2/device_authorization");
    e.deviceVerification = QStringLiteral("/oauth2/device_verification");
    e.login = QStringLiteral("/login");
    e.logout = QStringLiteral("/logout");
    // Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(), 96): 128 characters.
    p.codeFormat = Profile::CodeFormat::Base64Url;
    p.codeBytes = 96;
    p.opaqueTokenBytes = 96;
    p.tokenType = QStringLiteral("Bearer");
    // OAuth2AccessTokenResponseHttpMessageConverter writes a HashMap: this is the order its keys come out in.
    p.tokenResponseOrder = {TokenField::AccessToken, TokenField::RefreshToken, TokenField::Scope,
                            TokenField::IdToken,     TokenField::TokenType,    TokenField::ExpiresIn};
    p.defaultCodeLength = 128;
    p.defaultCodeLifetime = 300;
    p.defaultAccessTokenLifetime = 300;
    p.defaultRefreshTokenLifetime = 3600;
    p.defaultAccessTokenFormat = AccessTokenFormat::Jwt;
    // OAuth 2.1: no implicit and no password grant.
    p.grantTypes =
        GrantType::AuthorizationCode | GrantType::RefreshToken | GrantType::ClientCredentials | GrantType::DeviceCode;
    p.authorizationRedirectStatus = 302; // DefaultRedirectStrategy's sendRedirect
    p.grantNotAllowed = ErrorCode::UnauthorizedClient;
    p.expiredRefreshToken = ErrorCode::InvalidGrant;
    p.pkceMethods = {CodeChallengeMethod::S256};
    p.tokenParameters = ParameterSource::BodyOnly;
    p.errorDetail = ErrorDetail::CodeOnly;
    p.consentTemplate = QStringLiteral("consent");
    p.consentForm = Profile::ConsentForm::ScopeCheckboxes;
    p.approvalMemory = Profile::ApprovalMemory::StoredConsent;
    return p;
}

} // namespace

std::optional<ProfileId> Profile::idFromName(QStringView name)
{
    for (ProfileId id : {ProfileId::SpringLegacy, ProfileId::SpringAuthorizationServer}) {
        if (get(id).name == name)
            return id;
    }
    return std::nullopt;
}

QStringList Profile::names()
{
    return {get(ProfileId::SpringLegacy).name, get(ProfileId::SpringAuthorizationServer).name};
}

const Profile &Profile::get(ProfileId id)
{
    // Immutable descriptions built once; not state, so not a hidden global in ARCHITECTURE.md's sense.
    static const Profile legacy = makeSpringLegacy();
    static const Profile authorizationServer = makeSpringAuthorizationServer();
    return id == ProfileId::SpringAuthorizationServer ? authorizationServer : legacy;
}

QString Profile::newCode(TokenGenerator &random, int configuredLength) const
{
    if (codeFormat == CodeFormat::Base64Url)
        return QString::fromLatin1(
            random.randomBytes(codeBytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    return random.code(configuredLength);
}

QString Profile::newOpaqueToken(TokenGenerator &random) const
{
    return QString::fromLatin1(
        random.randomBytes(opaqueTokenBytes).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

OAuthError Profile::shape(const OAuthError &error) const
{
    if (errorDetail == ErrorDetail::Full)
        return error;
    // Spring Authorization Server's OAuth2Error carries a description only where it names the faulty parameter
    // (invalid_request) or explains a bearer token's rejection; the rest go out as the bare code.
    const bool keepsDescription = error.code() == ErrorCode::InvalidRequest || error.code() == ErrorCode::InvalidToken;
    OAuthError shaped = OAuthError(error.code(), keepsDescription ? error.description() : QString())
                            .withStatus(error.httpStatus())
                            .withChallenge(error.challenge())
                            .withDebugDetail(error.debugDetail().isEmpty() ? error.description() : error.debugDetail());
    // Its client authentication failures are a plain 401 without WWW-Authenticate.
    if (error.code() == ErrorCode::InvalidClient)
        shaped = shaped.withChallenge(AuthChallenge::None);
    return shaped;
}

} // namespace oauthsim
