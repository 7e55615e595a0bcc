#pragma once

#include "Clock.h"

namespace oauthsim::test {

// A clock that moves only when told to.
class FakeClock final : public Clock
{
public:
    explicit FakeClock(qint64 startMs = 1'800'000'000'000) : m_now(startMs) {}
    qint64 nowMs() const override { return m_now; }
    void advanceSeconds(qint64 s) { m_now += s * 1000; }
    void advanceMs(qint64 ms) { m_now += ms; }

private:
    qint64 m_now;
};

} // namespace oauthsim::test
