#include "EventLoopMonitor.h"

#include <algorithm>

namespace oauthsim {

EventLoopMonitor::EventLoopMonitor(int intervalMs, QObject *parent)
    : QObject(parent), m_intervalMs(intervalMs), m_histogram(10001, 0)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopMonitor::tick);
    m_clock.start();
    m_lastNs = m_clock.nsecsElapsed();
    m_timer.start(m_intervalMs);
}

void EventLoopMonitor::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double lateMs = std::max(0.0, double(now - m_lastNs) / 1e6 - m_intervalMs);
    m_lastNs = now;
    ++m_ticks;
    m_worstMs = std::max(m_worstMs, lateMs);
    m_over100 += lateMs > 100 ? 1 : 0;
    ++m_histogram[std::min<qsizetype>(qsizetype(lateMs), m_histogram.size() - 1)];
}

QByteArray EventLoopMonitor::reportJson() const
{
    qint64 seen = 0;
    int p99 = 0;
    for (int ms = 0; ms < m_histogram.size(); ++ms) {
        seen += m_histogram[ms];
        if (seen * 100 >= m_ticks * 99) {
            p99 = ms;
            break;
        }
    }
    return "{\"interval_ms\":" + QByteArray::number(m_intervalMs) + ",\"ticks\":" + QByteArray::number(m_ticks) +
           ",\"worst_lateness_ms\":" + QByteArray::number(m_worstMs, 'f', 1) +
           ",\"p99_lateness_ms\":" + QByteArray::number(p99) + ",\"late_over_100ms\":" + QByteArray::number(m_over100) +
           "}\n";
}

} // namespace oauthsim
