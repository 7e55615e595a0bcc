#pragma once

#include "model/AuthorizationCode.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

#include <deque>

namespace oauthsim {

class OAuthServer;

// One row per authorization code the server issued, newest last, observed through CodeStore's signals:
// codeIssued adds a row, codeConsumed/codeExpired/codeReplayed change its status. Rows are inserted in
// batches (a burst of codes costs one insert) and capped (oldest dropped). The Expires column counts down
// on the server's clock: a 1 s timer calls refreshCountdowns(), which tests call directly after moving a
// fake clock.
class CodeTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        CodeColumn,
        ClientColumn,
        UserColumn,
        ScopesColumn,
        RedirectUriColumn,
        StateColumn,
        IssuedColumn,
        ExpiresColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role
    {
        CodeValueRole = Qt::UserRole + 1, // the code itself, whatever the column
    };
    static constexpr int kDefaultMaxRows = 10000;
    static constexpr int kBatchMs = 100;

    // Seeds the rows from CodeStore::all() (oldest first) and starts observing the store.
    explicit CodeTableModel(OAuthServer &server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The code of a row, its status as shown (a pending code past its expiry shows Expired).
    AuthorizationCode codeAt(int row) const;
    AuthorizationCode::Status statusAt(int row) const;
    static QString statusText(AuthorizationCode::Status status);

    int maxRows() const { return m_maxRows; }
    // Takes effect at the next batch.
    void setMaxRows(int rows);

public Q_SLOTS:
    // Repaints the Expires column (and Status where a pending code has just run out) at the clock's now.
    void refreshCountdowns();
    // Inserts the rows waiting for their batch now, and reports status changes.
    void flushPending();

private:
    struct Row
    {
        AuthorizationCode code;
        bool shownExpired = false; // a pending code whose expiry passed, as last painted
    };
    void onIssued(const AuthorizationCode &code);
    void onStatus(const AuthorizationCode &code, AuthorizationCode::Status status);
    Row *rowForSeq(quint64 seq, int *modelRow);
    void dropOldest(qsizetype committed, qsizetype pending);
    void forget(const Row &row, quint64 seq);
    AuthorizationCode::Status shownStatus(const Row &row, qint64 nowMs) const;
    QVariant displayText(const Row &row, int column) const;

    OAuthServer &m_server;
    std::deque<Row> m_rows; // what the view sees
    QList<Row> m_pending;   // issued, waiting for the next batch
    quint64 m_firstSeq = 0; // sequence number of m_rows.front(); rows after it are numbered on
    QHash<QString, quint64> m_seqByCode;
    int m_maxRows = kDefaultMaxRows;
    int m_dirtyFirst = -1; // rows whose status changed since the last batch
    int m_dirtyLast = -1;
    QTimer m_batchTimer;
    QTimer m_countdownTimer;
};

} // namespace oauthsim
