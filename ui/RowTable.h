#pragma once

#include <QAbstractItemView>

class QAbstractItemModel;
class QModelIndex;
class QTableView;

namespace oauthsim {

// What the window's record tables (clients, users, codes, tokens; requests only select) share: whole rows,
// alternating colours, no row numbers.
class RowTable
{
public:
    // Shows `model` in `table` with whole-row selection in `mode`, alternating colours, no row numbers and the
    // last column stretched to the edge.
    static void setUp(QTableView *table, QAbstractItemModel *model, QAbstractItemView::SelectionMode mode);
    // Makes `index` the current and only selected row, and scrolls to it.
    static void select(QTableView *table, const QModelIndex &index,
                       QAbstractItemView::ScrollHint hint = QAbstractItemView::EnsureVisible);
};

} // namespace oauthsim
