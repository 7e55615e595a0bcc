#include "ConstantTime.h"

#include <QByteArray>

namespace oauthsim {

bool constantTimeEquals(const QString &a, const QString &b)
{
    const QByteArray x = a.toUtf8();
    const QByteArray y = b.toUtf8();
    // Length differences still take time proportional to the longer input.
    const qsizetype n = std::max(x.size(), y.size());
    unsigned diff = x.size() == y.size() ? 0u : 1u;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char cx = i < x.size() ? static_cast<unsigned char>(x[i]) : 0;
        const unsigned char cy = i < y.size() ? static_cast<unsigned char>(y[i]) : 0;
        diff |= static_cast<unsigned>(cx ^ cy);
    }
    return diff == 0;
}

} // namespace oauthsim
