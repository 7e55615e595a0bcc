#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace oauthsim {

class ExchangeDetailView;
class OAuthServer;
class RequestLogModel;

// The Requests tab: every exchange live in a table (filter by text, status class and client), following the
// newest row until the user scrolls away from the bottom, with the selected exchange in detail below, and the
// whole log exportable as HAR.
class RequestsView : public QWidget
{
    Q_OBJECT
public:
    explicit RequestsView(OAuthServer &server, QWidget *parent = nullptr);
    ~RequestsView() override;

    RequestLogModel *model() const { return m_model; }
    // The model the table shows (the log filtered).
    QSortFilterProxyModel *filteredModel() const;
    ExchangeDetailView *detail() const { return m_detail; }
    // True while the table follows new rows (the user is at the bottom).
    bool isFollowingNewest() const { return m_following; }
    // The address the server listens on (or will, once started), for curl commands and HAR URLs.
    QString baseUrl() const;
    // Writes every row (the filter does not apply) as HAR 1.2. False with *error on failure.
    bool exportHarTo(const QString &path, QString *error = nullptr);
    // Splitter and column layout, for QSettings.
    QByteArray saveState() const;
    bool restoreState(const QByteArray &state);

public Q_SLOTS:
    // Selects and scrolls to that exchange, clearing filters that hide it. False if the log no longer has it.
    bool selectExchange(quint64 id);
    void clear();
    // Asks for a file (non-native dialog, window-modal, not blocking) and exports to it.
    void exportHar();
    // The row cap (the "log size" setting).
    void setMaxRows(int rows);

Q_SIGNALS:
    // The user (or selectExchange) made another exchange current.
    void exchangeSelected(quint64 id);
    void harExported(const QString &path, int entries);

private:
    QLayout *buildFilterBar();
    void buildTable();
    void connectSignals();
    void followNewestRows();
    void applyFilter();
    void clearFilters();
    void updateClientChoices();
    void updateCount();
    void onCurrentRowChanged();

    OAuthServer &m_server;
    RequestLogModel *m_model = nullptr;
    class FilterProxy;
    FilterProxy *m_proxy = nullptr;
    QLineEdit *m_filterText = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_clientFilter = nullptr;
    QLabel *m_count = nullptr;
    QPushButton *m_exportHar = nullptr;
    QPushButton *m_clear = nullptr;
    QTableView *m_table = nullptr;
    QSplitter *m_splitter = nullptr;
    ExchangeDetailView *m_detail = nullptr;
    bool m_following = true;
    quint64 m_selectedId = 0;
};

} // namespace oauthsim
