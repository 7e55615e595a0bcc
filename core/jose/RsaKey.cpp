#include "jose/RsaKey.h"

#include "jose/Base64Url.h"

#include <QCryptographicHash>
#include <QJsonDocument>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace oauthsim {

namespace {

struct PkeyFree
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
struct BioFree
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
struct BnFree
{
    void operator()(BIGNUM *bn) const { BN_free(bn); }
};
struct MdCtxFree
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree
{
    void operator()(EVP_PKEY_CTX *ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct ParamBldFree
{
    void operator()(OSSL_PARAM_BLD *bld) const { OSSL_PARAM_BLD_free(bld); }
};
struct ParamFree
{
    void operator()(OSSL_PARAM *params) const { OSSL_PARAM_free(params); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;

// The first error OpenSSL queued (the queue is emptied, so the next operation starts clean).
QString takeOpenSslError(const char *what)
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QString::fromLatin1(what);
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return QStringLiteral("%1: %2").arg(QLatin1StringView(what), QString::fromLatin1(text));
}

// Passphrase callback that supplies none: OpenSSL's default would prompt on the terminal for an encrypted PEM.
int noPassphrase(char *, int, int, void *)
{
    return 0;
}

BioPtr memoryBio(QByteArrayView bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.data(), int(bytes.size())));
}

QByteArray bioContents(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return size > 0 ? QByteArray(data, qsizetype(size)) : QByteArray();
}

QByteArray bnParam(const EVP_PKEY *key, const char *name)
{
    BIGNUM *raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
        return {};
    const BnPtr bn(raw);
    QByteArray out(BN_num_bytes(bn.get()), Qt::Uninitialized);
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

} // namespace

struct RsaKey::Data
{
    PkeyPtr pkey; // shared by every copy of the RsaKey through the shared_ptr<const Data>
    bool isPrivate = false;
    int bits = 0;
    QByteArray n;
    QByteArray e;
    QString kid;
    QString error;
};

namespace {

// Wraps an OpenSSL key after checking it is an RSA key RS256 may use.
std::shared_ptr<RsaKey::Data> wrap(PkeyPtr key, bool isPrivate, QString *error)
{
    if (!key) {
        *error = takeOpenSslError("not a key");
        return nullptr;
    }
    // EVP_PKEY_is_a("RSA") is false for RSA-PSS keys, which RS256 cannot use.
    if (EVP_PKEY_is_a(key.get(), "RSA") != 1) {
        *error = QStringLiteral("not an RSA key");
        return nullptr;
    }
    const int bits = EVP_PKEY_get_bits(key.get());
    // RFC 7518 §3.3: RS256 keys are 2048 bits or larger.
    if (bits < RsaKey::kMinimumBits) {
        *error = QStringLiteral("RSA key of %1 bits; RS256 needs at least %2").arg(bits).arg(RsaKey::kMinimumBits);
        return nullptr;
    }
    auto data = std::make_shared<RsaKey::Data>();
    data->n = bnParam(key.get(), OSSL_PKEY_PARAM_RSA_N);
    data->e = bnParam(key.get(), OSSL_PKEY_PARAM_RSA_E);
    if (data->n.isEmpty() || data->e.isEmpty()) {
        *error = takeOpenSslError("cannot read the RSA modulus and exponent");
        return nullptr;
    }
    data->pkey = std::move(key);
    data->isPrivate = isPrivate;
    data->bits = bits;
    // A damaged private key can still parse and then sign garbage. A test signature proves it signs what its own
    // public half accepts (OpenSSL's pairwise check would too, but runs primality tests: ~50 ms against ~0.3 ms).
    if (isPrivate) {
        const RsaKey probe(data);
        static const QByteArray kProbe = QByteArrayLiteral("oauthsim key check");
        if (!probe.verifyRs256(kProbe, probe.signRs256(kProbe))) {
            *error = QStringLiteral("inconsistent RSA private key (it cannot make a signature its public key accepts)");
            return nullptr;
        }
    }
    // RFC 7638 §3.2/§3.3: the required members only, in lexicographic order, no whitespace.
    const QByteArray canonical =
        "{\"e\":\"" + base64UrlEncode(data->e) + "\",\"kty\":\"RSA\",\"n\":\"" + base64UrlEncode(data->n) + "\"}";
    data->kid = QString::fromLatin1(base64UrlEncode(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256)));
    return data;
}

} // namespace

RsaKey::RsaKey() = default;

RsaKey::RsaKey(std::shared_ptr<const Data> data) : d(std::move(data)) {}

RsaKey RsaKey::failure(const QString &error)
{
    auto data = std::make_shared<Data>();
    data->error = error;
    return RsaKey(std::move(data));
}

RsaKey RsaKey::generate(int bits)
{
    if (bits < kMinimumBits)
        return failure(QStringLiteral("RSA key of %1 bits; RS256 needs at least %2").arg(bits).arg(kMinimumBits));
    PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(bits)));
    if (!key)
        return failure(takeOpenSslError("RSA key generation failed"));
    QString error;
    auto data = wrap(std::move(key), true, &error);
    return data ? RsaKey(std::move(data)) : failure(error);
}

RsaKey RsaKey::fromPrivatePem(QByteArrayView pem)
{
    if (pem.isEmpty())
        return failure(QStringLiteral("empty PEM"));
    if (pem.contains(QByteArrayView("ENCRYPTED")))
        return failure(QStringLiteral("encrypted private keys are not supported"));
    const BioPtr bio = memoryBio(pem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
    QString error;
    auto data = wrap(std::move(key), true, &error);
    return data ? RsaKey(std::move(data)) : failure(QStringLiteral("invalid private key PEM (%1)").arg(error));
}

RsaKey RsaKey::fromPublicPem(QByteArrayView pem)
{
    if (pem.isEmpty())
        return failure(QStringLiteral("empty PEM"));
    const BioPtr bio = memoryBio(pem);
    PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, noPassphrase, nullptr));
    QString error;
    auto data = wrap(std::move(key), false, &error);
    return data ? RsaKey(std::move(data)) : failure(QStringLiteral("invalid public key PEM (%1)").arg(error));
}

RsaKey RsaKey::fromComponents(QByteArrayView modulus, QByteArrayView exponent)
{
    if (modulus.isEmpty() || exponent.isEmpty())
        return failure(QStringLiteral("empty RSA modulus or exponent"));
    const auto *nBytes = reinterpret_cast<const unsigned char *>(modulus.data());
    const auto *eBytes = reinterpret_cast<const unsigned char *>(exponent.data());
    const BnPtr n(BN_bin2bn(nBytes, int(modulus.size()), nullptr));
    const BnPtr e(BN_bin2bn(eBytes, int(exponent.size()), nullptr));
    const std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> builder(OSSL_PARAM_BLD_new());
    if (!n || !e || !builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        return failure(takeOpenSslError("cannot build the RSA parameters"));
    const std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(builder.get()));
    const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY *raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        return failure(takeOpenSslError("invalid RSA public key"));
    PkeyPtr key(raw);
    // An even modulus or an exponent below 3 is no RSA public key (OpenSSL's public key check).
    const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1)
        return failure(takeOpenSslError("invalid RSA public key"));
    QString error;
    auto data = wrap(std::move(key), false, &error);
    return data ? RsaKey(std::move(data)) : failure(error);
}

RsaKey RsaKey::fromJwk(const QJsonObject &jwk)
{
    // RFC 7518 §6.3.1: an RSA public key is kty "RSA" with base64url n and e.
    if (jwk.value(QLatin1StringView("kty")).toString() != QLatin1StringView("RSA"))
        return failure(QStringLiteral("JWK kty is not \"RSA\""));
    const std::optional<QByteArray> n = base64UrlDecode(jwk.value(QLatin1StringView("n")).toString().toLatin1());
    const std::optional<QByteArray> e = base64UrlDecode(jwk.value(QLatin1StringView("e")).toString().toLatin1());
    if (!n || !e)
        return failure(QStringLiteral("JWK n or e is not base64url"));
    return fromComponents(*n, *e);
}

bool RsaKey::isValid() const
{
    return d && d->pkey;
}

bool RsaKey::hasPrivateKey() const
{
    return isValid() && d->isPrivate;
}

QString RsaKey::error() const
{
    return d ? d->error : QString();
}

int RsaKey::bits() const
{
    return isValid() ? d->bits : 0;
}

QByteArray RsaKey::privatePem() const
{
    if (!hasPrivateKey())
        return {};
    const BioPtr bio(BIO_new(BIO_s_mem()));
    // PEM_write_bio_PrivateKey writes PKCS#8 ("BEGIN PRIVATE KEY"), unencrypted with these arguments.
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), d->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        ERR_clear_error();
        return {};
    }
    return bioContents(bio.get());
}

QByteArray RsaKey::publicPem() const
{
    if (!isValid())
        return {};
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), d->pkey.get()) != 1) {
        ERR_clear_error();
        return {};
    }
    return bioContents(bio.get());
}

QByteArray RsaKey::publicDer() const
{
    if (!isValid())
        return {};
    const int size = i2d_PUBKEY(d->pkey.get(), nullptr);
    if (size <= 0) {
        ERR_clear_error();
        return {};
    }
    QByteArray out(size, Qt::Uninitialized);
    auto *cursor = reinterpret_cast<unsigned char *>(out.data());
    if (i2d_PUBKEY(d->pkey.get(), &cursor) != size) {
        ERR_clear_error();
        return {};
    }
    return out;
}

QByteArray RsaKey::modulus() const
{
    return isValid() ? d->n : QByteArray();
}

QByteArray RsaKey::exponent() const
{
    return isValid() ? d->e : QByteArray();
}

QString RsaKey::kid() const
{
    return isValid() ? d->kid : QString();
}

QByteArray RsaKey::publicJwkJson() const
{
    if (!isValid())
        return {};
    // RFC 7517 §4 / RFC 7518 §6.3.1: kty, e and n; use "sig" and alg "RS256" say what the key is for.
    return "{\"kty\":\"RSA\",\"e\":\"" + base64UrlEncode(d->e) + "\",\"use\":\"sig\",\"kid\":\"" + d->kid.toLatin1() +
           "\",\"alg\":\"RS256\",\"n\":\"" + base64UrlEncode(d->n) + "\"}";
}

QJsonObject RsaKey::publicJwk() const
{
    return QJsonDocument::fromJson(publicJwkJson()).object();
}

QByteArray RsaKey::signRs256(QByteArrayView data) const
{
    if (!hasPrivateKey())
        return {};
    const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    size_t size = 0;
    const auto *bytes = reinterpret_cast<const unsigned char *>(data.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, d->pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &size, bytes, size_t(data.size())) != 1) {
        ERR_clear_error();
        return {};
    }
    QByteArray signature(qsizetype(size), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &size, bytes,
                       size_t(data.size())) != 1) {
        ERR_clear_error();
        return {};
    }
    signature.resize(qsizetype(size));
    return signature;
}

bool RsaKey::verifyRs256(QByteArrayView data, QByteArrayView signature) const
{
    if (!isValid() || signature.isEmpty())
        return false;
    const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    const bool ok =
        ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, d->pkey.get()) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()), size_t(signature.size()),
                         reinterpret_cast<const unsigned char *>(data.data()), size_t(data.size())) == 1;
    ERR_clear_error(); // a refused signature leaves errors queued
    return ok;
}

bool RsaKey::samePublicKey(const RsaKey &other) const
{
    return isValid() && other.isValid() && d->n == other.d->n && d->e == other.d->e;
}

} // namespace oauthsim
