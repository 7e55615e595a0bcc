#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace oauthsim {

class CodeTableModel;
class OAuthServer;

// The Codes tab: every authorization code the server issued, with a live countdown and its status, and a
// filter box matching any column.
class CodesView : public QWidget
{
    Q_OBJECT
public:
    explicit CodesView(OAuthServer &server, QWidget *parent = nullptr);

    CodeTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

public Q_SLOTS:
    // Shows only the rows with `text` in some column (case-insensitive); empty shows all.
    void setFilterText(const QString &text);

private:
    CodeTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_table;
};

} // namespace oauthsim
