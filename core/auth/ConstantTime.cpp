#include "ConstantTime.h"

#include <algorithm>

namespace oauthsim {

bool constantTimeEquals(const QString &a, const QString &b)
{
    // Compares UTF-16 code units directly (no conversion, no allocation). Length differences still take time
    // proportional to the longer input.
    const qsizetype n = std::max(a.size(), b.size());
    const QChar *x = a.constData();
    const QChar *y = b.constData();
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned cx = i < a.size() ? x[i].unicode() : 0u;
        const unsigned cy = i < b.size() ? y[i].unicode() : 0u;
        diff |= cx ^ cy;
    }
    return diff == 0;
}

} // namespace oauthsim
