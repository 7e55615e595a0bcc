#include "endpoints/TokenKeyEndpoint.h"

#include "http/ResponseWriter.h"
#include "jose/KeyRing.h"
#include "protocol/JsonText.h"

namespace oauthsim {

QByteArray TokenKeyEndpoint::toJson(const RsaKey &key)
{
    // Legacy JwtAccessTokenConverter.getKey(): a LinkedHashMap {"alg": signer.algorithm(), "value": verifierKey},
    // where RsaSigner's algorithm is "SHA256withRSA" and setKeyPair() builds the verifier key as
    //   "-----BEGIN PUBLIC KEY-----\n" + new String(Base64.encode(publicKey.getEncoded())) + "\n-----END PUBLIC
    //   KEY-----"
    // with spring-security-crypto's codec Base64.encode(bytes) = encodeBytesToBytes(..., NO_OPTIONS): no line
    // breaks, so the base64 of the SubjectPublicKeyInfo DER is a single line (spring-security-oauth2
    // provider/token/store/JwtAccessTokenConverter.java; crypto/codec/Base64.java).
    const QString value = QStringLiteral("-----BEGIN PUBLIC KEY-----\n") +
                          QString::fromLatin1(key.publicDer().toBase64()) +
                          QStringLiteral("\n-----END PUBLIC KEY-----");
    return "{\"alg\":\"SHA256withRSA\",\"value\":" + jsonQuote(value) + '}';
}

HttpResponse TokenKeyEndpoint::handle(const HttpRequest &, ExchangeContext &context) const
{
    const RsaKey key = m_ctx.keys.activeKey();
    if (!key.isValid()) {
        context.debugDetail = QStringLiteral("no signing key yet");
        return m_ctx.writer.apiError(OAuthError::serverError(context.debugDetail));
    }
    return ResponseWriter::json(200, toJson(key));
}

} // namespace oauthsim
