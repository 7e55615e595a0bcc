#include "CodesView.h"

#include "RowTable.h"
#include "models/CodeTableModel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace oauthsim {

CodesView::CodesView(OAuthServer &server, QWidget *parent)
    : QWidget(parent), m_model(new CodeTableModel(server, this)), m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit(this)), m_table(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setObjectName(QStringLiteral("codeFilter"));
    m_filter->setAccessibleName(tr("Filter codes"));
    m_filter->setPlaceholderText(tr("Filter by code, client, user, scope, state or status"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &CodesView::setFilterText);

    m_table->setObjectName(QStringLiteral("codeTable"));
    m_table->setAccessibleName(tr("Authorization codes"));
    RowTable::setUp(m_table, m_proxy, QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
}

void CodesView::setFilterText(const QString &text)
{
    if (m_filter->text() != text)
        m_filter->setText(text); // re-enters through textChanged
    else
        m_proxy->setFilterFixedString(text);
}

} // namespace oauthsim
