#pragma once

#include "model/ExchangeRecord.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <deque>

namespace oauthsim {

class OAuthServer;

// The Requests tab's rows: one per finished exchange, oldest first (and one per held exchange, until its reply
// goes out). Records from the server are queued and appended every ~75 ms with one beginInsertRows, and the
// oldest rows beyond maxRows() are dropped in the same flush, so any request rate costs the view a handful of
// model signals a second and a bounded amount of memory.
class RequestLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Time,
        Method,
        Path,
        Status,
        Duration,
        Client,
        Steps,
        ColumnCount
    };
    enum Role
    {
        ExchangeIdRole = Qt::UserRole + 1, // quint64
        StatusClassRole,                   // 2..5 for 2xx..5xx; 0 for a held exchange or a client gone
        ClientIdRole,                      // QString
    };
    static constexpr int kDefaultMaxRows = 10000;
    static constexpr int kFlushIntervalMs = 75;

    // Rows follow server.exchangeFinished, and the pipeline's held exchanges.
    explicit RequestLogModel(OAuthServer &server, QObject *parent = nullptr);
    // Rows come only from append() (replays, tests).
    explicit RequestLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int maxRows() const { return m_maxRows; }
    // At least 1. Lowering it below rowCount() drops the oldest rows at once.
    void setMaxRows(int rows);

    // The record of a row (0 <= row < rowCount()). The reference lives until the next flush or clear.
    const ExchangeRecord &record(int row) const;
    // True while the row's reply is held by the pipeline (its status is not final).
    bool isHeld(int row) const;
    // The row showing that exchange, or -1 (not flushed yet, dropped, or cleared).
    int rowForExchange(quint64 id) const;
    // Distinct client ids seen since the last clear, sorted.
    QStringList clientIds() const { return m_clientIds; }

    // 2..5 for 2xx..5xx; 0 when the client went away before the reply, or for other statuses.
    static int statusClass(const ExchangeRecord &record);
    // "302", or "client gone".
    static QString statusText(const ExchangeRecord &record);
    // Milliseconds for display: "0.42", "12.3" (in the user's locale).
    static QString durationText(double ms);
    // "1", "5→6"; empty for an exchange outside the seed's flow.
    static QString stepsText(const QList<SeedStep> &steps);
    // The record as shown and exported by default: its redacted fields with token values (access_token,
    // refresh_token, id_token, token) masked too, in form parameters, JSON bodies and Location headers, and the
    // _csrf value of HTML forms. Authorization codes stay visible (teaching needs them). The revealed* fields are
    // left as they are.
    static ExchangeRecord withTokensMasked(const ExchangeRecord &record);

public Q_SLOTS:
    // Queues a finished exchange; it appears at the next flush. A held row with the same id is updated instead.
    void append(const oauthsim::ExchangeRecord &record);
    // Queues an exchange whose reply the pipeline holds; append() of the same id later completes it.
    void appendHeld(const oauthsim::ExchangeRecord &record);
    // Appends what is queued now (the timer does it by itself).
    void flush();
    // Removes every row and everything queued.
    void clear();

Q_SIGNALS:
    void clientIdsChanged();

private:
    struct Row
    {
        ExchangeRecord record;
        bool held = false;
    };
    void enqueue(Row row);
    bool completeHeld(const ExchangeRecord &record);
    void dropOldest(int count);
    void noteClient(const QString &clientId, bool *changed);
    QVariant displayData(const Row &row, int column) const;
    QVariant toolTipData(const Row &row, int column) const;

    std::deque<Row> m_rows;
    QList<Row> m_pending;
    // Exchange id -> absolute position (position of row 0 is m_firstPosition), so lookups survive drops.
    QHash<quint64, qint64> m_positions;
    qint64 m_firstPosition = 0;
    QSet<quint64> m_heldIds;
    QSet<QString> m_clientSet;
    QStringList m_clientIds;
    int m_maxRows = kDefaultMaxRows;
    QTimer m_flushTimer;
};

} // namespace oauthsim
