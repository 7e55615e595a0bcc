#include "RequestsView.h"

#include "ExchangeDetailView.h"
#include "HarWriter.h"
#include "OAuthServer.h"
#include "RowTable.h"
#include "models/RequestLogModel.h"

#include <QComboBox>
#include <QDataStream>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

namespace oauthsim {

namespace {
QPushButton *makeButton(const QString &text, const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *button = new QPushButton(text, parent);
    button->setObjectName(objectName);
    button->setAccessibleName(accessibleName);
    return button;
}
} // namespace

// The table's filter: text (path, method, client, status), status class and client, all at once.
class RequestsView::FilterProxy : public QSortFilterProxyModel
{
public:
    FilterProxy(RequestLogModel *log, QObject *parent) : QSortFilterProxyModel(parent), m_log(log)
    {
        setSourceModel(log);
    }

    void setCriteria(const QString &text, int statusClass, const QString &clientId)
    {
        m_text = text.trimmed();
        m_statusClass = statusClass;
        m_clientId = clientId;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &) const override
    {
        const ExchangeRecord &r = m_log->record(sourceRow);
        if (m_statusClass != 0 && (m_log->isHeld(sourceRow) || RequestLogModel::statusClass(r) != m_statusClass))
            return false;
        if (!m_clientId.isEmpty() && r.clientId != m_clientId)
            return false;
        if (m_text.isEmpty())
            return true;
        return r.path.contains(m_text, Qt::CaseInsensitive) ||
               QLatin1String(r.method).contains(m_text, Qt::CaseInsensitive) ||
               r.clientId.contains(m_text, Qt::CaseInsensitive) ||
               RequestLogModel::statusText(r).contains(m_text, Qt::CaseInsensitive);
    }

private:
    RequestLogModel *m_log;
    QString m_text;
    int m_statusClass = 0;
    QString m_clientId;
};

RequestsView::RequestsView(OAuthServer &server, QWidget *parent)
    : QWidget(parent), m_server(server), m_model(new RequestLogModel(server, this)),
      m_proxy(new FilterProxy(m_model, this))
{
    QLayout *filterBar = buildFilterBar();
    buildTable();
    m_detail = new ExchangeDetailView(this);
    m_detail->setObjectName(QStringLiteral("exchangeDetail"));
    m_detail->setAccessibleName(tr("Selected request"));
    m_detail->setBaseUrl(baseUrl());

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("requestsSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filterBar);
    layout->addWidget(m_splitter, 1);

    connectSignals();
    updateCount();
}

RequestsView::~RequestsView() = default;

void RequestsView::connectSignals()
{
    const auto updateBaseUrl = [this] { m_detail->setBaseUrl(baseUrl()); };
    connect(&m_server, &OAuthServer::listeningChanged, this, updateBaseUrl);
    connect(&m_server, &OAuthServer::settingsChanged, this, updateBaseUrl);
    connect(m_model, &RequestLogModel::clientIdsChanged, this, &RequestsView::updateClientChoices);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &RequestsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &RequestsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &RequestsView::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &RequestsView::updateCount);
    // A held exchange completing changes the row in place: refresh the detail if it is the one shown.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex &from, const QModelIndex &to) {
        const int row = m_model->rowForExchange(m_detail->exchangeId());
        if (row >= from.row() && row <= to.row())
            m_detail->showRecord(m_model->record(row));
    });
    auto *find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        m_filterText->setFocus();
        m_filterText->selectAll();
    });
}

QLayout *RequestsView::buildFilterBar()
{
    m_filterText = new QLineEdit(this);
    m_filterText->setObjectName(QStringLiteral("requestFilter"));
    m_filterText->setAccessibleName(tr("Filter requests"));
    m_filterText->setPlaceholderText(tr("Filter by path, method, client or status"));
    m_filterText->setClearButtonEnabled(true);
    connect(m_filterText, &QLineEdit::textChanged, this, &RequestsView::applyFilter);

    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->setAccessibleName(tr("Filter by status class"));
    m_statusFilter->addItem(tr("All statuses"), 0);
    for (int cls = 2; cls <= 5; ++cls)
        m_statusFilter->addItem(tr("%1xx").arg(cls), cls);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &RequestsView::applyFilter);

    m_clientFilter = new QComboBox(this);
    m_clientFilter->setObjectName(QStringLiteral("clientFilter"));
    m_clientFilter->setAccessibleName(tr("Filter by client"));
    m_clientFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clientFilter->addItem(tr("All clients"), QString());
    connect(m_clientFilter, &QComboBox::currentIndexChanged, this, &RequestsView::applyFilter);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("requestCount"));

    m_exportHar = makeButton(tr("Export HAR…"), QStringLiteral("exportHar"), tr("Export the request log as HAR"), this);
    m_exportHar->setToolTip(tr("Save every request in the log as an HTTP Archive (HAR 1.2) that browser devtools "
                               "can open. Secrets are always masked in the file."));
    connect(m_exportHar, &QPushButton::clicked, this, &RequestsView::exportHar);
    m_clear = makeButton(tr("Clear"), QStringLiteral("clearRequests"), tr("Clear the request log"), this);
    connect(m_clear, &QPushButton::clicked, this, &RequestsView::clear);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filterText, 1);
    bar->addWidget(m_statusFilter);
    bar->addWidget(m_clientFilter);
    bar->addWidget(m_count);
    bar->addWidget(m_exportHar);
    bar->addWidget(m_clear);
    return bar;
}

void RequestsView::buildTable()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("requestTable"));
    m_table->setAccessibleName(tr("Requests"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->setCornerButtonEnabled(false);
    // Whole rows per scroll step: the follow logic and the drop compensation count in rows.
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    QHeaderView *rows = m_table->verticalHeader();
    rows->hide();
    // Fixed heights keep layout O(1) per row at 10,000 rows.
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    const auto width = [this](const QString &sample) { return fontMetrics().horizontalAdvance(sample) + 24; };
    columns->resizeSection(RequestLogModel::Time, width(QStringLiteral("00:00:00.000")));
    columns->resizeSection(RequestLogModel::Method, width(QStringLiteral("DELETE")));
    columns->resizeSection(RequestLogModel::Status, width(tr("client gone")));
    columns->resizeSection(RequestLogModel::Duration, width(tr("Duration (ms)")));
    columns->resizeSection(RequestLogModel::Client, width(QStringLiteral("messaging-client")));
    columns->resizeSection(RequestLogModel::Steps, width(QStringLiteral("5→6")));
    columns->setSectionResizeMode(RequestLogModel::Path, QHeaderView::Stretch);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RequestsView::onCurrentRowChanged);
    followNewestRows();
}

// Auto-scroll: at the bottom the view follows new rows; scrolled away it stays put until the user returns.
void RequestsView::followNewestRows()
{
    QScrollBar *bar = m_table->verticalScrollBar();
    connect(bar, &QScrollBar::valueChanged, this, [this, bar](int value) { m_following = value >= bar->maximum(); });
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
    // Rows dropped at the top by the cap would slide the rows being read upwards: keep them where they are.
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this, bar](const QModelIndex &, int first, int last) {
        if (!m_following && first == 0)
            bar->setValue(std::max(0, bar->value() - (last - first + 1)));
    });
}

QSortFilterProxyModel *RequestsView::filteredModel() const
{
    return m_proxy;
}

QString RequestsView::baseUrl() const
{
    if (m_server.isListening())
        return m_server.baseUrl();
    QString host = m_server.settings().bindAddress;
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2").arg(host).arg(m_server.settings().port);
}

void RequestsView::applyFilter()
{
    m_proxy->setCriteria(m_filterText->text(), m_statusFilter->currentData().toInt(),
                         m_clientFilter->currentData().toString());
    updateCount();
}

void RequestsView::clearFilters()
{
    {
        const QSignalBlocker text(m_filterText);
        const QSignalBlocker status(m_statusFilter);
        const QSignalBlocker client(m_clientFilter);
        m_filterText->clear();
        m_statusFilter->setCurrentIndex(0);
        m_clientFilter->setCurrentIndex(0);
    }
    applyFilter();
}

void RequestsView::updateClientChoices()
{
    const QString current = m_clientFilter->currentData().toString();
    QStringList ids = m_model->clientIds();
    // Clearing the log must not silently widen a filter the user chose.
    if (!current.isEmpty() && !ids.contains(current)) {
        ids << current;
        ids.sort();
    }
    const QSignalBlocker blocker(m_clientFilter);
    m_clientFilter->clear();
    m_clientFilter->addItem(tr("All clients"), QString());
    for (const QString &id : std::as_const(ids))
        m_clientFilter->addItem(id, id);
    m_clientFilter->setCurrentIndex(current.isEmpty() ? 0 : m_clientFilter->findData(current));
}

void RequestsView::updateCount()
{
    const int all = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    m_count->setText(shown == all ? tr("Requests: %1").arg(all) : tr("Requests: %1 of %2").arg(shown).arg(all));
}

void RequestsView::onCurrentRowChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_detail->clearRecord();
        return;
    }
    const int row = m_proxy->mapToSource(current).row();
    const ExchangeRecord &record = m_model->record(row);
    m_detail->showRecord(record);
    if (record.id != m_selectedId) {
        m_selectedId = record.id;
        Q_EMIT exchangeSelected(record.id);
    }
}

bool RequestsView::selectExchange(quint64 id)
{
    m_model->flush(); // it may still be queued
    const int row = m_model->rowForExchange(id);
    if (row < 0)
        return false;
    const QModelIndex source = m_model->index(row, 0);
    QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid()) {
        clearFilters();
        index = m_proxy->mapFromSource(source);
    }
    RowTable::select(m_table, index, QAbstractItemView::PositionAtCenter);
    return true;
}

void RequestsView::clear()
{
    m_model->clear();
    m_detail->clearRecord();
    m_selectedId = 0;
    m_following = true;
}

void RequestsView::setMaxRows(int rows)
{
    m_model->setMaxRows(rows);
}

bool RequestsView::exportHarTo(const QString &path, QString *error)
{
    m_model->flush();
    QList<ExchangeRecord> records;
    records.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row)
        records.append(m_model->record(row));
    if (!HarWriter::writeFile(path, records, baseUrl(), error))
        return false;
    Q_EMIT harExported(path, int(records.size()));
    return true;
}

void RequestsView::exportHar()
{
    const QString name =
        QStringLiteral("oauthsim-%1.har").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    auto *dialog = new QFileDialog(this, tr("Export requests as HAR"), QDir::home().filePath(name),
                                   tr("HTTP Archive (*.har);;All files (*)"));
    dialog->setObjectName(QStringLiteral("exportHarDialog"));
    dialog->setOption(QFileDialog::DontUseNativeDialog);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("har"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (exportHarTo(path, &error))
            return;
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Export HAR"),
                                    tr("The request log could not be saved.\n%1").arg(error), QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("exportHarError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
    dialog->open();
}

QByteArray RequestsView::saveState() const
{
    QByteArray state;
    QDataStream out(&state, QIODevice::WriteOnly);
    out << quint32(1) << m_splitter->saveState() << m_detail->findChild<QSplitter *>()->saveState()
        << m_table->horizontalHeader()->saveState();
    return state;
}

bool RequestsView::restoreState(const QByteArray &state)
{
    QDataStream in(state);
    quint32 version = 0;
    QByteArray splitter, detail, header;
    in >> version >> splitter >> detail >> header;
    if (in.status() != QDataStream::Ok || version != 1)
        return false;
    return m_splitter->restoreState(splitter) && m_detail->findChild<QSplitter *>()->restoreState(detail) &&
           m_table->horizontalHeader()->restoreState(header);
}

} // namespace oauthsim
