#include "AuthorizationCodeGrant.h"

#include "auth/Pkce.h"
#include "grants/TokenServices.h"
#include "model/Client.h"
#include "protocol/OAuthParams.h"
#include "store/CodeStore.h"
#include "store/TokenStore.h"

namespace oauthsim {

Result<TokenResponse> AuthorizationCodeGrant::handle(const TokenRequest &request, ExchangeContext &context)
{
    context.steps = {SeedStep::TokenExchange};
    const QString code = request.params.value(param::Code);
    if (code.isEmpty())
        return OAuthError::invalidRequest(QStringLiteral("An authorization code must be supplied."));

    // The code is consumed before any other check, so a failed exchange still burns it (PROTOCOL.md step 7).
    const CodeStore::Consumption consumption = m_codes.consume(code);
    const QString invalid = QStringLiteral("Invalid authorization code: %1").arg(code);
    switch (consumption.outcome) {
    case CodeStore::Outcome::Unknown:
        return OAuthError::invalidGrant(invalid);
    case CodeStore::Outcome::Expired:
        context.flowId = consumption.code.flowId;
        return OAuthError::invalidGrant(invalid).withDebugDetail(QStringLiteral("code expired"));
    case CodeStore::Outcome::Replayed: {
        // RFC 6749 §4.1.2: a code used twice revokes the tokens issued from it.
        context.flowId = consumption.code.flowId;
        const int revoked = m_tokens.revokeIssuedFromCode(code);
        return OAuthError::invalidGrant(invalid).withDebugDetail(
            QStringLiteral("code replayed; %1 token(s) issued from it revoked").arg(revoked));
    }
    case CodeStore::Outcome::Consumed:
        break;
    }

    const AuthorizationCode &granted = consumption.code;
    context.flowId = granted.flowId;
    context.username = granted.username;
    // RFC 6749 §4.1.3: redirect_uri must be repeated, identically, when the authorize request carried it.
    const QString redirectUri = request.params.value(param::RedirectUri);
    if ((!redirectUri.isNull() || granted.redirectUriSent) && redirectUri != granted.redirectUri)
        return OAuthError::invalidGrant(QStringLiteral("Redirect URI mismatch."));
    if (request.client->id != granted.clientId)
        return OAuthError::invalidClient(QStringLiteral("Client ID mismatch"));
    // RFC 7636 §4.6: the code_verifier must prove the code_challenge sent at authorize (after the client check, so
    // another client learns nothing about the verifier).
    if (const std::optional<OAuthError> pkce =
            Pkce::checkVerifier(granted.codeChallenge, request.params.value(param::CodeVerifier)))
        return *pkce;

    // TokenServices issues a refresh token when the client has the refresh_token grant. A public client may hold
    // that grant yet get no refresh token unless it opted in (Client::mayReceiveRefreshToken), so it sees a copy
    // without the grant; the copy lives only for this call, the registered client is unchanged.
    Client issuedTo = *request.client;
    issuedTo.grantTypes.setFlag(GrantType::RefreshToken, request.client->mayReceiveRefreshToken());
    // Any scope parameter is ignored: the scope is what the user approved.
    // OpenID Connect Core §3.1.3.3: with scope openid the answer carries an id_token (auth_time, nonce from the code).
    return m_services.createAccessToken(issuedTo,
                                        Authorization{.clientId = granted.clientId,
                                                      .username = granted.username,
                                                      .scopes = granted.scopes,
                                                      .grantCode = granted.code,
                                                      .flowId = granted.flowId,
                                                      .authTimeMs = granted.authTimeMs,
                                                      .nonce = granted.nonce},
                                        RefreshTokens::IfClientAllows, IdTokens::IfOpenIdScope);
}

} // namespace oauthsim
