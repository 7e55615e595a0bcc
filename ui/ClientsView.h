#pragma once

#include <QWidget>

#include <functional>

class QItemSelection;
class QModelIndex;
class QPushButton;
class QTableView;

namespace oauthsim {

class ClientEditor;
class ClientListModel;
class OAuthServer;
struct Client;

// The Clients tab: the table of registered clients (autoapprove is a checkbox column), the editor of the
// selected one, and add / duplicate / delete. Every change goes through OAuthServer and applies to the running
// server at once; the table follows the client store's signals.
class ClientsView : public QWidget
{
    Q_OBJECT
public:
    explicit ClientsView(OAuthServer &server, QWidget *parent = nullptr);

    // The selected client's id, or an empty string.
    QString selectedClientId() const { return m_selectedId; }
    ClientListModel *model() const { return m_model; }

    // Asks the user a yes/no question (deleting). A QMessageBox by default; tests answer it themselves.
    std::function<bool(const QString &question)> confirm;

public Q_SLOTS:
    // For the window's toolbar: the selected client's autoapprove goes from off to all scopes, or back to off.
    void toggleAutoApprove();
    // Registers a new client with a unique id and a generated secret, and selects it for editing.
    void addClient();
    // Registers a copy of the selected client under a new id.
    void duplicateClient();
    // Removes the selected client after confirmation.
    void deleteClient();
    // Selects a client by id (nothing when unknown).
    void selectClient(const QString &clientId);

Q_SIGNALS:
    void selectedClientChanged(const QString &clientId);

private:
    QWidget *buildTablePane();
    void onCurrentRowChanged(const QModelIndex &current);
    void onRowsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void onModelReset();
    void setSelectedId(const QString &id);
    void updateButtons();
    QString uniqueId(const QString &base) const;
    bool addAndSelect(const Client &client);

    OAuthServer &m_server;
    ClientListModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    ClientEditor *m_editor = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_delete = nullptr;
    QString m_selectedId;
};

} // namespace oauthsim
