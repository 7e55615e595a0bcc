#pragma once

#include "LiveRowTableModel.h"
#include "model/AuthorizationCode.h"

namespace oauthsim {

class OAuthServer;

struct CodeTableRow
{
    AuthorizationCode code;
    bool shownExpired = false; // a pending code whose expiry passed, as last painted
};

// One row per authorization code the server issued, newest last, observed through CodeStore's signals:
// codeIssued adds a row, codeConsumed/codeExpired/codeReplayed change its status. Batches, the cap and the
// countdown: CountdownTableModel.
class CodeTableModel : public LiveRowTableModel<CodeTableRow>
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
    // Seeds the rows from CodeStore::all() (oldest first) and starts observing the store.
    explicit CodeTableModel(OAuthServer &server, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The code of a row, its status as shown (a pending code past its expiry shows Expired).
    AuthorizationCode codeAt(int row) const;
    AuthorizationCode::Status statusAt(int row) const;
    static QString statusText(AuthorizationCode::Status status);

private:
    using Row = CodeTableRow;
    QString keyOf(const Row &row) const override { return row.code.code; }
    bool isShownExpired(const Row &row, qint64 nowMs) const override;
    void onStatus(const AuthorizationCode &code, AuthorizationCode::Status status);
    AuthorizationCode::Status shownStatus(const Row &row, qint64 nowMs) const;
    QVariant displayText(const Row &row, int column) const;

    OAuthServer &m_server;
};

} // namespace oauthsim
