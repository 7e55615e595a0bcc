#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

#include <memory>

namespace oauthsim {

// An RSA key for RS256 (RFC 7518 §3.3): a private key (signs and verifies) or a public one (verifies). A value:
// copies share one immutable OpenSSL key, so copying is cheap and a copy may cross threads. No OpenSSL type shows
// here. A key that could not be made is invalid and says why in error(); nothing ever throws or aborts.
class RsaKey
{
public:
    static constexpr int kDefaultBits = 2048;
    // RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used" with RS256; smaller keys are refused.
    static constexpr int kMinimumBits = 2048;

    // An invalid key (no error text).
    RsaKey();

    // A new private key. Costs 70–350 ms for 2048 bits: call it off the GUI/core thread (KeyRing does).
    static RsaKey generate(int bits = kDefaultBits);
    // A private key from PEM: PKCS#8 "PRIVATE KEY" (what privatePem() writes) or traditional "RSA PRIVATE KEY".
    // Encrypted PEM is refused (no passphrase is ever asked for). Invalid with an error for anything else.
    static RsaKey fromPrivatePem(QByteArrayView pem);
    // A public key from a SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
    static RsaKey fromPublicPem(QByteArrayView pem);
    // A public key from its modulus and public exponent, unsigned big-endian (a JWK's decoded n and e).
    static RsaKey fromComponents(QByteArrayView modulus, QByteArrayView exponent);
    // A public key from an RSA JWK (RFC 7517/7518 §6.3.1: kty "RSA", base64url n and e); other members ignored.
    static RsaKey fromJwk(const QJsonObject &jwk);

    bool isValid() const;
    bool hasPrivateKey() const;
    // Why the key is invalid; empty for a valid key.
    QString error() const;
    int bits() const;

    // PKCS#8 PEM of the private key; empty for a public or invalid key. Secret material: never log it.
    QByteArray privatePem() const;
    // SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----", 64-character lines, final newline).
    QByteArray publicPem() const;
    // SubjectPublicKeyInfo DER (what Java's PublicKey.getEncoded() returns).
    QByteArray publicDer() const;
    // Unsigned big-endian modulus and public exponent, without leading zero bytes (RFC 7518 §6.3.1.1, §6.3.1.2).
    QByteArray modulus() const;
    QByteArray exponent() const;

    // RFC 7638 JWK thumbprint, used as the key id: base64url(SHA-256({"e":…,"kty":"RSA","n":…})), no padding.
    // Empty for an invalid key.
    QString kid() const;
    // The public JWK in this member order: {"kty":"RSA","e":…,"use":"sig","kid":…,"alg":"RS256","n":…}.
    QByteArray publicJwkJson() const;
    QJsonObject publicJwk() const;

    // RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signature of `data`; empty without a private key.
    QByteArray signRs256(QByteArrayView data) const;
    // Whether `signature` is a valid RS256 signature of `data` under this key's public half.
    bool verifyRs256(QByteArrayView data, QByteArrayView signature) const;

    // Same public key (the same modulus and exponent).
    bool samePublicKey(const RsaKey &other) const;

    // Opaque (defined in RsaKey.cpp): the OpenSSL key and what was read from it; only RsaKey.cpp makes one.
    struct Data;
    explicit RsaKey(std::shared_ptr<const Data> data);

private:
    static RsaKey failure(const QString &error);

    std::shared_ptr<const Data> d;
};

} // namespace oauthsim
