#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace oauthsim {

// Measures how late a periodic timer fires: the GUI thread's stalls. Used by the GUI benchmark
// (bench/gui.sh) through OAUTHSIM_EVENT_LOOP_REPORT=FILE, which gets a JSON summary when oauthsim exits.
class EventLoopMonitor : public QObject
{
    Q_OBJECT
public:
    explicit EventLoopMonitor(int intervalMs = 20, QObject *parent = nullptr);

    // Worst lateness seen, in milliseconds.
    double worstLatenessMs() const { return m_worstMs; }
    qint64 ticks() const { return m_ticks; }
    // {"interval_ms":20,"ticks":N,"worst_lateness_ms":X,"p99_lateness_ms":Y,"late_over_100ms":K}
    QByteArray reportJson() const;

private:
    void tick();

    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_ticks = 0;
    double m_worstMs = 0;
    qint64 m_over100 = 0;
    QList<quint32> m_histogram; // lateness in whole ms, capped at 10 s
};

} // namespace oauthsim
