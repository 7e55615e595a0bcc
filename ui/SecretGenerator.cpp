#include "SecretGenerator.h"

#include <QByteArray>
#include <QRandomGenerator>

#include <array>

namespace oauthsim {

QString SecretGenerator::generate()
{
    std::array<quint32, kBytes / sizeof(quint32)> words{};
    // system(): the OS CSPRNG, never the seeded global generator.
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), kBytes);
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace oauthsim
