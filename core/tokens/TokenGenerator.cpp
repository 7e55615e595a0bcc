#include "TokenGenerator.h"

namespace oauthsim {

namespace {
// common/util/RandomValueStringGenerator.java: 64 symbols, so one byte & 63 is uniform.
constexpr char kCodeAlphabet[] = "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
static_assert(sizeof(kCodeAlphabet) - 1 == 64);
} // namespace

QString TokenGenerator::code(int length)
{
    const QByteArray bytes = randomBytes(length);
    QString out(length, Qt::Uninitialized);
    for (int i = 0; i < length; ++i)
        out[i] = QLatin1Char(kCodeAlphabet[static_cast<unsigned char>(bytes[i]) & 63]);
    return out;
}

QString TokenGenerator::opaqueToken()
{
    return QString::fromLatin1(
        randomBytes(20).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString TokenGenerator::sessionId()
{
    return QString::fromLatin1(randomBytes(16).toHex().toUpper());
}

QString TokenGenerator::csrfToken()
{
    const QByteArray hex = randomBytes(16).toHex();
    return QString::fromLatin1(hex.left(8) + '-' + hex.mid(8, 4) + '-' + hex.mid(12, 4) + '-' + hex.mid(16, 4) + '-' +
                               hex.mid(20));
}

} // namespace oauthsim
