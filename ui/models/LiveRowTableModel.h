#pragma once

#include "CountdownTableModel.h"

#include <QHash>
#include <QList>

#include <algorithm>
#include <deque>
#include <utility>

namespace oauthsim {

// The rows of a CountdownTableModel, newest last: the shown ones, and the ones waiting for the next batch. Each
// row has a key (the code; the token's kind and value) that finds it while it is in the table. `Row` is an
// aggregate whose first member is the item it shows, with a `bool shownExpired` (as last painted).
template <typename Row> class LiveRowTableModel : public CountdownTableModel
{
public:
    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    void refreshCountdowns() override;
    void flushPending() override;

protected:
    using CountdownTableModel::CountdownTableModel;

    virtual QString keyOf(const Row &row) const = 0;
    // Whether the row counts as expired at nowMs (what refreshCountdowns() watches change).
    virtual bool isShownExpired(const Row &row, qint64 nowMs) const = 0;
    // Whether the Status cell shows that change (a revoked token stays revoked).
    virtual bool statusFollowsExpiry(const Row &) const { return true; }

    // The first rows, oldest first: the newest maxRows() of them are shown at once. Call from the derived
    // constructor (it uses the hooks above).
    template <typename Item> void seed(const QList<Item> &items);
    // A new row, shown with the next batch.
    template <typename Item> void append(const Item &item);
    // Every row goes (the store was cleared: "Reset all state").
    void removeAll();
    // The shown row `row`, or nullptr.
    const Row *rowAt(int row) const;
    // The row with that key, shown (*modelRow its row) or waiting for its batch (*modelRow -1); nullptr when
    // unknown or dropped by the cap.
    const Row *liveRow(const QString &key, int *modelRow) const;
    Row *liveRow(const QString &key, int *modelRow);

private:
    void dropOldest(qsizetype committed, qsizetype pending);
    void forget(const Row &row, quint64 seq);

    std::deque<Row> m_rows; // what the view sees
    QList<Row> m_pending;   // waiting for the next batch
    quint64 m_firstSeq = 0; // sequence number of m_rows.front(); rows after it are numbered on
    QHash<QString, quint64> m_seqByKey;
};

template <typename Row> template <typename Item> void LiveRowTableModel<Row>::seed(const QList<Item> &items)
{
    const qint64 now = nowMs();
    for (auto it = items.cend() - std::min<qsizetype>(items.size(), maxRows()); it != items.cend(); ++it) {
        Row row{*it};
        row.shownExpired = isShownExpired(row, now);
        m_seqByKey.insert(keyOf(row), m_firstSeq + m_rows.size());
        m_rows.push_back(std::move(row));
    }
}

template <typename Row> template <typename Item> void LiveRowTableModel<Row>::append(const Item &item)
{
    Row row{item};
    m_seqByKey.insert(keyOf(row), m_firstSeq + m_rows.size() + quint64(m_pending.size()));
    m_pending.append(std::move(row));
    scheduleBatch();
}

template <typename Row> const Row *LiveRowTableModel<Row>::rowAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? &m_rows[size_t(row)] : nullptr;
}

template <typename Row> const Row *LiveRowTableModel<Row>::liveRow(const QString &key, int *modelRow) const
{
    *modelRow = -1;
    const auto it = m_seqByKey.constFind(key);
    if (it == m_seqByKey.constEnd() || *it < m_firstSeq)
        return nullptr;
    const quint64 offset = *it - m_firstSeq;
    if (offset < m_rows.size()) {
        *modelRow = int(offset);
        return &m_rows[size_t(offset)];
    }
    const quint64 inPending = offset - m_rows.size();
    return inPending < quint64(m_pending.size()) ? &m_pending[qsizetype(inPending)] : nullptr;
}

template <typename Row> Row *LiveRowTableModel<Row>::liveRow(const QString &key, int *modelRow)
{
    return const_cast<Row *>(std::as_const(*this).liveRow(key, modelRow));
}

template <typename Row> void LiveRowTableModel<Row>::forget(const Row &row, quint64 seq)
{
    const auto it = m_seqByKey.find(keyOf(row));
    if (it != m_seqByKey.end() && *it == seq)
        m_seqByKey.erase(it);
}

template <typename Row> void LiveRowTableModel<Row>::dropOldest(qsizetype committed, qsizetype pending)
{
    if (committed > 0) {
        beginRemoveRows({}, 0, int(committed) - 1);
        for (qsizetype i = 0; i < committed; ++i) {
            forget(m_rows.front(), m_firstSeq++);
            m_rows.pop_front();
        }
        endRemoveRows();
    }
    // Only when every committed row is gone: the pending ones then start at m_firstSeq.
    for (qsizetype i = 0; i < pending; ++i)
        forget(m_pending.at(i), m_firstSeq++);
    m_pending.remove(0, pending);
}

template <typename Row> void LiveRowTableModel<Row>::removeAll()
{
    beginResetModel();
    m_firstSeq += quint64(m_rows.size() + m_pending.size());
    m_rows.clear();
    m_pending.clear();
    m_seqByKey.clear();
    endResetModel();
}

template <typename Row> void LiveRowTableModel<Row>::flushPending()
{
    reportDirtyRows();
    const qsizetype excess = qsizetype(m_rows.size()) + m_pending.size() - maxRows();
    if (excess > 0) {
        const qsizetype committed = std::min<qsizetype>(excess, qsizetype(m_rows.size()));
        dropOldest(committed, excess - committed);
    }
    if (m_pending.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(m_pending.size()) - 1);
    const qint64 now = nowMs();
    for (Row &row : m_pending) {
        row.shownExpired = isShownExpired(row, now);
        m_rows.push_back(std::move(row));
    }
    m_pending.clear();
    endInsertRows();
}

template <typename Row> void LiveRowTableModel<Row>::refreshCountdowns()
{
    if (m_rows.empty())
        return;
    const qint64 now = nowMs();
    int first = -1;
    int last = -1;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const bool expired = isShownExpired(row, now);
        if (expired != row.shownExpired) {
            row.shownExpired = expired;
            if (statusFollowsExpiry(row)) {
                first = first < 0 ? int(i) : first;
                last = int(i);
            }
        }
    }
    repaintCountdowns(first, last);
}

} // namespace oauthsim
