#include "Countdown.h"

#include <QDateTime>
#include <QStringList>

namespace oauthsim {

QString Countdown::remaining(qint64 expiresAtMs, qint64 nowMs)
{
    if (expiresAtMs == 0)
        return tr("never");
    const qint64 leftMs = expiresAtMs - nowMs;
    if (leftMs <= 0)
        return tr("expired");
    const qint64 total = (leftMs + 999) / 1000;
    const qint64 days = total / 86400;
    const qint64 hours = (total / 3600) % 24;
    const qint64 minutes = (total / 60) % 60;
    const qint64 seconds = total % 60;
    const auto two = [](qint64 n) { return QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0')); };
    if (days > 0)
        return tr("%1 d %2:%3:%4").arg(days).arg(two(hours), two(minutes), two(seconds));
    if (hours > 0)
        return QStringLiteral("%1:%2:%3").arg(hours).arg(two(minutes), two(seconds));
    return QStringLiteral("%1:%2").arg(minutes).arg(two(seconds));
}

QString Countdown::humanDuration(qint64 seconds)
{
    if (seconds <= 0)
        return tr("%1 s").arg(0);
    // The two largest non-zero units are precise enough for a hint ("1 d 2 h", not "1 d 2 h 3 min 4 s").
    const qint64 units[] = {86400, 3600, 60, 1};
    const QString names[] = {tr("%1 d"), tr("%1 h"), tr("%1 min"), tr("%1 s")};
    QStringList parts;
    qint64 rest = seconds;
    for (int i = 0; i < 4 && parts.size() < 2; ++i) {
        const qint64 n = rest / units[i];
        rest %= units[i];
        if (n > 0)
            parts << names[i].arg(n);
        else if (!parts.isEmpty())
            break; // "1 d 0 h 5 min" would read worse than "1 d"
    }
    return parts.join(QLatin1Char(' '));
}

QString Countdown::localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace oauthsim
