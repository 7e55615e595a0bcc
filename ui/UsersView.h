#pragma once

#include "FieldErrorMarker.h"
#include "model/Client.h"
#include "model/ClientValidator.h"

#include <QWidget>

#include <functional>
#include <optional>

class QLineEdit;
class QModelIndex;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QToolButton;

namespace oauthsim {

class OAuthServer;
class UserListModel;

// The Users tab: who can log in on the login page, with their password, authorities and free-form claims (a
// JSON object, validated as it is typed). Apply, add and delete go through OAuthServer and apply to the
// running server's next login.
class UsersView : public QWidget
{
    Q_OBJECT
public:
    explicit UsersView(OAuthServer &server, QWidget *parent = nullptr);

    QString selectedUsername() const { return m_selected; }
    UserListModel *model() const { return m_model; }
    // The first problem of the form (username, claims), or nullopt.
    std::optional<FieldError> validationError() const;

    // Asks the user a yes/no question (deleting). A QMessageBox by default; tests answer it themselves.
    std::function<bool(const QString &question)> confirm;

public Q_SLOTS:
    // Registers a new user with a unique name and selects it for editing.
    void addUser();
    // Removes the selected user after confirmation.
    void deleteUser();
    // Validates and saves the form; false (and the error shown) when refused.
    bool applyUser();
    void revertUser();
    void selectUser(const QString &username);

Q_SIGNALS:
    void selectedUserChanged(const QString &username);

private:
    enum class Field
    {
        Username,
        Password,
        Authorities,
        Claims
    };

    QWidget *buildTablePane();
    QWidget *buildForm();
    void onCurrentRowChanged(const QModelIndex &current);
    void onModelReset();
    void setSelected(const QString &username);
    void load(const User &user);
    void onEdited();
    void showError(const std::optional<FieldError> &error);
    // The user the form describes; nullopt when the claims are not a JSON object (*claimsError says why).
    std::optional<User> editedUser(QString *claimsError = nullptr) const;
    bool isModified() const;

    OAuthServer &m_server;
    UserListModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_delete = nullptr;
    QWidget *m_form = nullptr;
    FieldErrorMarker<Field> m_fields;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_password = nullptr;
    QToolButton *m_reveal = nullptr;
    QLineEdit *m_authorities = nullptr;
    QPlainTextEdit *m_claims = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;

    QString m_selected;
    User m_original;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_applying = false;
};

} // namespace oauthsim
