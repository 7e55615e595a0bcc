#include "CountdownTableModel.h"

#include "Clock.h"

#include <algorithm>

namespace oauthsim {

CountdownTableModel::CountdownTableModel(const Clock &clock, Columns columns, QObject *parent)
    : QAbstractTableModel(parent), m_clock(clock), m_columns(columns)
{
    m_batchTimer.setSingleShot(true);
    m_batchTimer.setInterval(kBatchMs);
    connect(&m_batchTimer, &QTimer::timeout, this, &CountdownTableModel::flushPending);
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this, &CountdownTableModel::refreshCountdowns);
    m_countdownTimer.start();
}

void CountdownTableModel::setMaxRows(int rows)
{
    m_maxRows = std::max(1, rows);
}

qint64 CountdownTableModel::nowMs() const
{
    return m_clock.nowMs();
}

void CountdownTableModel::scheduleBatch()
{
    if (!m_batchTimer.isActive())
        m_batchTimer.start();
}

void CountdownTableModel::markDirty(int modelRow)
{
    if (modelRow < 0)
        return;
    m_dirtyFirst = m_dirtyFirst < 0 ? modelRow : std::min(m_dirtyFirst, modelRow);
    m_dirtyLast = std::max(m_dirtyLast, modelRow);
    scheduleBatch();
}

void CountdownTableModel::reportDirtyRows()
{
    m_batchTimer.stop();
    if (m_dirtyFirst >= 0) {
        Q_EMIT dataChanged(index(m_dirtyFirst, 0), index(m_dirtyLast, columnCount() - 1));
        m_dirtyFirst = m_dirtyLast = -1;
    }
}

void CountdownTableModel::repaintCountdowns(int firstStatus, int lastStatus)
{
    const int lastRow = rowCount() - 1;
    Q_EMIT dataChanged(index(0, m_columns.expires), index(lastRow, m_columns.expires), {Qt::DisplayRole});
    if (firstStatus >= 0)
        Q_EMIT dataChanged(index(firstStatus, m_columns.status), index(lastStatus, m_columns.status));
}

} // namespace oauthsim
