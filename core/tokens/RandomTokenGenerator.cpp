#include "RandomTokenGenerator.h"

#include <QRandomGenerator>

namespace oauthsim {

QByteArray RandomTokenGenerator::randomBytes(int n)
{
    QByteArray out((n + 3) / 4 * 4, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(out.data()), out.size() / 4);
    out.truncate(n);
    return out;
}

} // namespace oauthsim
