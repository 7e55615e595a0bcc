#pragma once

#include <QDateTime>

namespace oauthsim {

// Injected time source: everything in core asks a Clock, never QDateTime::currentMSecsSinceEpoch() directly,
// so tests can move time forward (expiry) without sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    // Milliseconds since the Unix epoch, UTC.
    virtual qint64 nowMs() const = 0;
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

} // namespace oauthsim
