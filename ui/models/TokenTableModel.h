#pragma once

#include "LiveRowTableModel.h"
#include "model/IssuedToken.h"

#include <optional>

namespace oauthsim {

class OAuthServer;

struct TokenTableRow
{
    IssuedToken token;
    bool revoked = false;
    bool refreshed = false;    // issued by the refresh grant
    bool shownExpired = false; // as last painted
};

// One row per access or refresh token the server issued, newest last, observed through TokenStore's
// signals: tokenIssued adds a row, tokenRevoked marks it revoked, tokenRefreshed marks an access token as
// issued by the refresh grant. A live token re-returned by live-token reuse is the same row. Values are
// masked unless setRevealed(true). Batches (a benchmark issuing thousands a second costs ten inserts a
// second), the cap and the countdown: CountdownTableModel.
class TokenTableModel : public LiveRowTableModel<TokenTableRow>
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
    // Seeds the rows from TokenStore::all() (oldest first) and starts observing the store.
    explicit TokenTableModel(OAuthServer &server, QObject *parent = nullptr);

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

public Q_SLOTS:
    // Shows full values (true) or masked ones. Emits dataChanged for the Value column.
    void setRevealed(bool revealed);

private:
    using Row = TokenTableRow;
    QString keyOf(const Row &row) const override { return key(row.token.kind, row.token.value); }
    bool isShownExpired(const Row &row, qint64 nowMs) const override { return row.token.isExpired(nowMs); }
    // A revoked token stays revoked.
    bool statusFollowsExpiry(const Row &row) const override { return !row.revoked; }
    // Sets a flag of a known row (revoked, refreshed) and repaints it with the next batch.
    void mark(const IssuedToken &token, bool Row::*flag);
    Status shownStatus(const Row &row, qint64 nowMs) const;
    QVariant displayText(const Row &row, int column) const;
    static QString key(IssuedToken::Kind kind, const QString &value);

    OAuthServer &m_server;
    bool m_revealed = false;
};

} // namespace oauthsim
