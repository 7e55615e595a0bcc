#include "UsersView.h"

#include "Confirmation.h"
#include "OAuthServer.h"
#include "RowTable.h"
#include "models/UserListModel.h"
#include "store/UserStore.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace oauthsim {

UsersView::UsersView(OAuthServer &server, QWidget *parent) : QWidget(parent), m_server(server)
{
    confirm = Confirmation::messageBox(this, tr("Delete user"));
    m_model = new UserListModel(server, this);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("usersSplitter"));
    splitter->addWidget(buildTablePane());
    splitter->addWidget(buildForm());
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    // Connected after setModel(), so the selection model has already reacted when these run.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersView::onModelReset);
    onModelReset();
}

QWidget *UsersView::buildTablePane()
{
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView(pane);
    m_table->setObjectName(QStringLiteral("userTable"));
    m_table->setAccessibleName(tr("Users"));
    RowTable::setUp(m_table, m_model, QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_table);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add"), pane);
    m_add->setObjectName(QStringLiteral("addUser"));
    m_add->setAccessibleName(tr("Add a user"));
    m_delete = new QPushButton(tr("Delete"), pane);
    m_delete->setObjectName(QStringLiteral("deleteUser"));
    m_delete->setAccessibleName(tr("Delete the selected user"));
    buttons->addWidget(m_add);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_add, &QPushButton::clicked, this, &UsersView::addUser);
    connect(m_delete, &QPushButton::clicked, this, &UsersView::deleteUser);
    return pane;
}

QWidget *UsersView::buildForm()
{
    m_form = new QWidget(this);
    m_form->setObjectName(QStringLiteral("userEditor"));
    auto *outer = new QVBoxLayout(m_form);
    QGridLayout *grid = m_fields.setUpForm(m_form, "userError");
    outer->addLayout(grid, 1);

    m_username = new QLineEdit(m_form);
    m_username->setObjectName(QStringLiteral("usernameEdit"));
    m_username->setAccessibleName(tr("Username"));
    m_fields.addRow(Field::Username, tr("Username"), m_username);

    auto *passwordBox = new QWidget(m_form);
    auto *passwordRow = new QHBoxLayout(passwordBox);
    passwordRow->setContentsMargins(0, 0, 0, 0);
    m_password = new QLineEdit(passwordBox);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setAccessibleName(tr("Password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_reveal = new QToolButton(passwordBox);
    m_reveal->setObjectName(QStringLiteral("revealPassword"));
    m_reveal->setText(tr("Show"));
    m_reveal->setAccessibleName(tr("Show the password"));
    m_reveal->setCheckable(true);
    passwordRow->addWidget(m_password, 1);
    passwordRow->addWidget(m_reveal);
    m_fields.addRow(Field::Password, tr("Password"), passwordBox, m_password);
    connect(m_reveal, &QToolButton::toggled, this, [this](bool shown) {
        m_password->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
    });

    m_authorities = new QLineEdit(m_form);
    m_authorities->setObjectName(QStringLiteral("authoritiesEdit"));
    m_authorities->setAccessibleName(tr("Authorities"));
    m_authorities->setPlaceholderText(tr("e.g. ROLE_USER, ROLE_ADMIN"));
    m_fields.addRow(Field::Authorities, tr("Authorities"), m_authorities);

    m_claims = new QPlainTextEdit(m_form);
    m_claims->setObjectName(QStringLiteral("userClaims"));
    m_claims->setAccessibleName(tr("Claims as a JSON object"));
    m_claims->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_claims->setPlaceholderText(QStringLiteral("{\"name\": \"Jane Doe\", \"email\": \"jane@example.com\"}"));
    grid->setRowStretch(m_fields.addRow(Field::Claims, tr("Claims (JSON)"), m_claims), 1);

    m_fields.addErrorLabel(tr("Validation error"));

    auto *buttons = new QHBoxLayout;
    m_revert = new QPushButton(tr("Revert"), m_form);
    m_revert->setObjectName(QStringLiteral("revertUser"));
    m_revert->setAccessibleName(tr("Revert the user's changes"));
    m_apply = new QPushButton(tr("Apply"), m_form);
    m_apply->setObjectName(QStringLiteral("applyUser"));
    m_apply->setAccessibleName(tr("Apply the user's changes to the running server"));
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);
    outer->addLayout(buttons);
    connect(m_apply, &QPushButton::clicked, this, &UsersView::applyUser);
    connect(m_revert, &QPushButton::clicked, this, &UsersView::revertUser);
    for (QLineEdit *edit : {m_username, m_password, m_authorities})
        connect(edit, &QLineEdit::textChanged, this, &UsersView::onEdited);
    connect(m_claims, &QPlainTextEdit::textChanged, this, &UsersView::onEdited);
    return m_form;
}

void UsersView::onCurrentRowChanged(const QModelIndex &current)
{
    if (m_applying)
        return;
    const QString username = current.isValid() ? m_model->user(current.row()).username : QString();
    if (username != m_selected)
        setSelected(username);
}

void UsersView::onModelReset()
{
    // UserStore announces every edit as a reset; applyUser() reselects after its own.
    if (m_applying)
        return;
    int row = m_model->rowOf(m_selected);
    if (row < 0 && m_model->rowCount() > 0)
        row = 0;
    if (row < 0) {
        setSelected(QString());
        return;
    }
    const User current = m_model->user(row);
    const bool same = current.username == m_selected;
    const bool keepEdits = same && isModified();
    selectUser(current.username);
    if (same && keepEdits)
        m_original = current;
    else if (same)
        load(current);
}

void UsersView::setSelected(const QString &username)
{
    m_selected = username;
    const int row = m_model->rowOf(username);
    m_loaded = row >= 0;
    m_original = m_loaded ? m_model->user(row) : User{};
    load(m_original);
    m_form->setEnabled(m_loaded);
    m_delete->setEnabled(m_loaded);
    Q_EMIT selectedUserChanged(username);
}

void UsersView::selectUser(const QString &username)
{
    const int row = m_model->rowOf(username);
    if (row < 0)
        return;
    RowTable::select(m_table, m_model->index(row, 0));
    if (m_selected != username)
        setSelected(username);
}

void UsersView::load(const User &user)
{
    m_loading = true;
    m_username->setText(user.username);
    m_password->setText(user.password);
    m_authorities->setText(user.authorities.join(QLatin1String(", ")));
    m_claims->setPlainText(user.claims.isEmpty()
                               ? QString()
                               : QString::fromUtf8(QJsonDocument(user.claims).toJson(QJsonDocument::Indented)));
    m_loading = false;
    onEdited();
}

std::optional<User> UsersView::editedUser(QString *claimsError) const
{
    User u;
    u.username = m_username->text().trimmed();
    u.password = m_password->text();
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    u.authorities = m_authorities->text().split(separators, Qt::SkipEmptyParts);
    const QString text = m_claims->toPlainText();
    if (text.trimmed().isEmpty())
        return u;
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parse);
    QString problem;
    // Qt reads a lone string or number as "illegal value at offset 1": say what is expected instead.
    if (!text.trimmed().startsWith(QLatin1Char('{')) || (parse.error == QJsonParseError::NoError && !doc.isObject()))
        problem = tr("expected a JSON object");
    else if (parse.error != QJsonParseError::NoError)
        problem = tr("%1 at offset %2").arg(parse.errorString()).arg(parse.offset);
    if (!problem.isEmpty()) {
        if (claimsError)
            *claimsError = problem;
        return std::nullopt;
    }
    u.claims = doc.object();
    return u;
}

bool UsersView::isModified() const
{
    const std::optional<User> edited = editedUser();
    return m_loaded && (!edited || *edited != m_original);
}

std::optional<FieldError> UsersView::validationError() const
{
    if (!m_loaded)
        return std::nullopt;
    QString claimsError;
    const std::optional<User> edited = editedUser(&claimsError);
    User forNames = edited.value_or(User{});
    forNames.username = m_username->text().trimmed();
    if (auto error = ClientValidator::validate(forNames, m_server.users().all(), m_original.username))
        return error;
    if (!edited)
        return FieldError{QStringLiteral("claims"), claimsError};
    return std::nullopt;
}

void UsersView::onEdited()
{
    if (m_loading)
        return;
    const bool modified = isModified();
    m_apply->setEnabled(modified);
    m_revert->setEnabled(modified);
    showError(validationError());
}

bool UsersView::applyUser()
{
    if (!m_loaded)
        return false;
    std::optional<FieldError> refused = validationError();
    const std::optional<User> edited = editedUser();
    if (!refused && edited) {
        m_applying = true;
        refused = m_server.saveUser(*edited, m_original.username);
        m_applying = false;
        if (!refused) {
            m_selected = QString(); // the reset above was ignored: select afresh
            selectUser(edited->username);
            return true;
        }
    }
    showError(refused);
    return false;
}

void UsersView::revertUser()
{
    if (m_loaded)
        load(m_original);
}

void UsersView::showError(const std::optional<FieldError> &error)
{
    if (!error) {
        m_fields.clearError();
        return;
    }
    const Field field = error->field == QLatin1String("claims")     ? Field::Claims
                        : error->field == QLatin1String("password") ? Field::Password
                                                                    : Field::Username;
    const QString title = field == Field::Claims     ? tr("Claims")
                          : field == Field::Password ? tr("Password")
                                                     : tr("Username");
    m_fields.showError(field, tr("%1: %2").arg(title, error->message));
}

void UsersView::addUser()
{
    QString name = QStringLiteral("user");
    for (int n = 2; m_model->rowOf(name) >= 0; ++n)
        name = QStringLiteral("user%1").arg(n);
    User u;
    u.username = name;
    // Typed by hand on the login page: readable on purpose, like the seed's user.
    u.password = QStringLiteral("password");
    if (m_server.saveUser(u).has_value())
        return;
    selectUser(name);
    m_username->setFocus(Qt::OtherFocusReason);
    m_username->selectAll();
}

void UsersView::deleteUser()
{
    if (!m_loaded || !confirm)
        return;
    const QString username = m_selected;
    if (!confirm(tr("Delete the user \"%1\"? They can no longer log in.").arg(username)))
        return;
    m_server.removeUser(username);
}

} // namespace oauthsim
