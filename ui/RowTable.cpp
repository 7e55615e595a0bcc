#include "RowTable.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QTableView>

namespace oauthsim {

void RowTable::setUp(QTableView *table, QAbstractItemModel *model, QAbstractItemView::SelectionMode mode)
{
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(mode);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
}

void RowTable::select(QTableView *table, const QModelIndex &index, QAbstractItemView::ScrollHint hint)
{
    table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table->scrollTo(index, hint);
}

} // namespace oauthsim
