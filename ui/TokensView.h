#pragma once

#include "model/IssuedToken.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace oauthsim {

class OAuthServer;
class TokenTableModel;

// The Tokens tab: every access and refresh token with its countdown and status; revoke and copy the selected
// ones, the token response JSON of the selected access token, and the two "start over" actions (forget
// remembered approvals, sign out all sessions). Every change goes through OAuthServer; the outcome is told in
// the status line under the table.
class TokensView : public QWidget
{
    Q_OBJECT
public:
    explicit TokensView(OAuthServer &server, QWidget *parent = nullptr);

    TokenTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }

public Q_SLOTS:
    // Revokes every selected token that is still known (a refresh token takes its access token with it).
    void revokeSelected();
    // Puts the value of the current (or first selected) token on the clipboard.
    void copySelected();
    void forgetApprovals();
    void signOutAll();
    void setRevealed(bool revealed);

Q_SIGNALS:
    // What an action did, as shown in the status line (the window may mirror it in its status bar).
    void statusMessage(const QString &message);

private:
    QWidget *buildActions();
    QWidget *buildPanes(); // the table over the token response JSON
    void showStatus(const QString &message);
    void updateActions();
    void updateResponseJson();
    QList<IssuedToken> selectedTokens() const;
    std::optional<IssuedToken> responseAccessFor(const IssuedToken &token) const;

    OAuthServer &m_server;
    TokenTableModel *m_model;
    QTableView *m_table;
    QCheckBox *m_reveal = nullptr;
    QPushButton *m_revoke = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_forget = nullptr;
    QPushButton *m_signOut = nullptr;
    QPlainTextEdit *m_json;
    QLabel *m_status;
};

} // namespace oauthsim
