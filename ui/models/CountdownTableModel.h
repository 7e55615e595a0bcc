#pragma once

#include <QAbstractTableModel>
#include <QTimer>

namespace oauthsim {

class Clock;

// What the Codes and Tokens tables share besides their rows (LiveRowTableModel<Row> holds those): rows are
// inserted in batches (a burst costs one insert) and capped (oldest dropped), status changes are reported with
// the next batch, and the Expires column counts down on the server's clock: a 1 s timer calls
// refreshCountdowns(), which tests call directly after moving a fake clock.
class CountdownTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kDefaultMaxRows = 10000;
    static constexpr int kBatchMs = 100;

    int maxRows() const { return m_maxRows; }
    // Takes effect at the next batch.
    void setMaxRows(int rows);

public Q_SLOTS:
    // Repaints the Expires column (and Status where a row has just run out) at the clock's now.
    virtual void refreshCountdowns() = 0;
    // Inserts the rows waiting for their batch now, and reports status changes.
    virtual void flushPending() = 0;

protected:
    struct Columns
    {
        int expires;
        int status;
    };
    // Starts the countdown timer.
    CountdownTableModel(const Clock &clock, Columns columns, QObject *parent);

    qint64 nowMs() const;
    // A row is waiting for the batch timer.
    void scheduleBatch();
    // A shown row changed: repainted with the next batch, so a burst of changes costs one repaint. A row still
    // waiting for its batch (modelRow -1) needs nothing: the batch inserts it as it is now.
    void markDirty(int modelRow);
    // The start of a batch: stops the timer and repaints the rows marked dirty since the last one.
    void reportDirtyRows();
    // The end of a countdown tick: the Expires column of every row, and the Status cells of [first, last] (none
    // when first is -1).
    void repaintCountdowns(int firstStatus, int lastStatus);

private:
    const Clock &m_clock;
    const Columns m_columns;
    int m_maxRows = kDefaultMaxRows;
    int m_dirtyFirst = -1; // rows whose status changed since the last batch
    int m_dirtyLast = -1;
    QTimer m_batchTimer;
    QTimer m_countdownTimer;
};

} // namespace oauthsim
