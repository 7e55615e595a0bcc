#pragma once

#include <QCoreApplication>
#include <QString>

namespace oauthsim {

// Text for times shown in the Codes and Tokens tables and the Settings hints. Pure functions of their
// arguments (the caller passes the server clock's "now"), so tests with a fake clock get exact strings.
class Countdown
{
    Q_DECLARE_TR_FUNCTIONS(Countdown)
public:
    // Time left until expiresAtMs: "4:59", "11:59:59", "29 d 23:59:59"; "expired" once nowMs reaches it;
    // "never" for 0. Partial seconds round up, so "0:00" is never shown for something still valid.
    static QString remaining(qint64 expiresAtMs, qint64 nowMs);
    // A duration in words for a settings hint: "12 h", "30 d", "1 h 30 min", "45 s", "0 s".
    static QString humanDuration(qint64 seconds);
    // Milliseconds since the epoch as local date and time, "2027-01-15 08:00:00".
    static QString localTime(qint64 ms);
};

} // namespace oauthsim
