#pragma once

#include "model/IssuedToken.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QTimer>

#include <deque>
#include <optional>

namespace oauthsim {

class OAuthServer;

// One row per access or refresh token the server issued, newest last, observed through TokenStore's
// signals: tokenIssued adds a row, tokenRevoked marks it revoked, tokenRefreshed marks an access token as
// issued by the refresh grant. A live token re-returned by live-token reuse is the same row. Rows are
// inserted in batches (a benchmark issuing thousands a second costs ten inserts a second) and capped
// (oldest dropped). Values are masked unless setRevealed(true). The Expires column counts down on the
// server's clock: a 1 s timer calls refreshCountdowns(), which tests call directly after moving a fake clock.
class TokenTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        KindColumn,
        ValueColumn,
        ClientColumn,
        UserColumn,
        ScopesColumn,
        IssuedColumn,
        ExpiresColumn,
        StatusColumn,
        FlowColumn,
        ColumnCount
    };
    enum Role
    {
        TokenValueRole = Qt::UserRole + 1, // the unmasked value, whatever the column and reveal state
    };
    enum class Status
    {
        Active,
        Expired,
        Revoked
    };
    static constexpr int kDefaultMaxRows = 10000;
    static constexpr int kBatchMs = 100;

    // Seeds the rows from TokenStore::all() (oldest first) and starts observing the store.
    explicit TokenTableModel(OAuthServer &server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    IssuedToken tokenAt(int row) const;
    // As shown: an active token past its expiry is Expired (the store purges it silently later).
    Status statusAt(int row) const;
    static QString statusText(Status status);
    // The row of a token still in the table, or -1 (unknown, dropped by the cap, or not inserted yet).
    int rowOf(IssuedToken::Kind kind, const QString &value) const;
    // A token the table knows (inserted or waiting for its batch).
    std::optional<IssuedToken> find(IssuedToken::Kind kind, const QString &value) const;
    // "abcdef…": enough to tell tokens apart on screen or a projector without giving them away.
    static QString masked(const QString &value);

    bool isRevealed() const { return m_revealed; }
    int maxRows() const { return m_maxRows; }
    // Takes effect at the next batch.
    void setMaxRows(int rows);

public Q_SLOTS:
    // Shows full values (true) or masked ones. Emits dataChanged for the Value column.
    void setRevealed(bool revealed);
    // Repaints the Expires column (and Status where a token has just run out) at the clock's now.
    void refreshCountdowns();
    // Inserts the rows waiting for their batch now, and reports status changes.
    void flushPending();

private:
    struct Row
    {
        IssuedToken token;
        bool revoked = false;
        bool refreshed = false;    // issued by the refresh grant
        bool shownExpired = false; // as last painted
    };
    void onIssued(const IssuedToken &token);
    void onRevoked(const IssuedToken &token);
    void onRefreshed(const IssuedToken &access);
    Row *rowFor(const IssuedToken &token, int *modelRow);
    const Row *rowForSeq(quint64 seq, int *modelRow) const;
    void markDirty(int modelRow);
    void dropOldest(qsizetype committed, qsizetype pending);
    void forget(const Row &row, quint64 seq);
    Status shownStatus(const Row &row, qint64 nowMs) const;
    QVariant displayText(const Row &row, int column) const;
    static QString key(IssuedToken::Kind kind, const QString &value);

    OAuthServer &m_server;
    std::deque<Row> m_rows; // what the view sees
    QList<Row> m_pending;   // issued, waiting for the next batch
    quint64 m_firstSeq = 0; // sequence number of m_rows.front(); rows after it are numbered on
    QHash<QString, quint64> m_seqByKey;
    int m_maxRows = kDefaultMaxRows;
    bool m_revealed = false;
    int m_dirtyFirst = -1; // rows whose status changed since the last batch
    int m_dirtyLast = -1;
    QTimer m_batchTimer;
    QTimer m_countdownTimer;
};

} // namespace oauthsim
