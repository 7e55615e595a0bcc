#include "ClientEditor.h"

#include "OAuthServer.h"
#include "SecretGenerator.h"
#include "store/ClientStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace oauthsim {

namespace {

// A lifetime in seconds where 0 reads "server default". Negative values can be typed on purpose: the
// validator names them, rather than the spin box silently clamping what the user meant.
class LifetimeSpinBox : public QSpinBox
{
public:
    explicit LifetimeSpinBox(QWidget *parent) : QSpinBox(parent)
    {
        setRange(-99999999, 999999999);
        setAccelerated(true);
    }

protected:
    QString textFromValue(int value) const override
    {
        return value == 0 ? defaultText() : QSpinBox::textFromValue(value);
    }
    int valueFromText(const QString &text) const override
    {
        return text == defaultText() ? 0 : QSpinBox::valueFromText(text);
    }
    QValidator::State validate(QString &text, int &pos) const override
    {
        if (text == defaultText())
            return QValidator::Acceptable;
        if (!text.isEmpty() && defaultText().startsWith(text))
            return QValidator::Intermediate;
        return QSpinBox::validate(text, pos);
    }

private:
    static QString defaultText() { return ClientEditor::tr("server default"); }
};

template <typename W> W *named(W *widget, const char *objectName, const QString &accessibleName)
{
    widget->setObjectName(QLatin1String(objectName));
    widget->setAccessibleName(accessibleName);
    return widget;
}

QToolButton *toolButton(QWidget *parent, const char *objectName, const QString &text, const QString &accessibleName)
{
    auto *button = named(new QToolButton(parent), objectName, accessibleName);
    button->setText(text);
    return button;
}

} // namespace

ClientEditor::ClientEditor(OAuthServer &server, QWidget *parent) : QWidget(parent), m_server(server)
{
    auto *outer = new QVBoxLayout(this);
    outer->addLayout(m_fields.setUpForm(this, "clientError"));
    buildFields();
    outer->addStretch(1);
    buildButtons();
    outer->addWidget(m_apply->parentWidget());
    clearClient();
}

void ClientEditor::buildFields()
{
    m_id = named(new QLineEdit(this), "clientIdEdit", tr("Client ID"));
    connect(m_id, &QLineEdit::textChanged, this, &ClientEditor::onEdited);
    m_fields.addRow(Field::Id, tr("Client ID"), m_id);
    buildSecret();
    buildAuthMethod();
    m_redirectUris = buildUriList(Field::RedirectUris, tr("Redirect URIs"),
                                  {"redirectUriList", "addRedirectUri", "removeRedirectUri"}, tr("Add a redirect URI"),
                                  tr("Remove the selected redirect URI"));
    m_postLogoutUris =
        buildUriList(Field::PostLogoutRedirectUris, tr("Post-logout redirect URIs"),
                     {"postLogoutRedirectUriList", "addPostLogoutRedirectUri", "removePostLogoutRedirectUri"},
                     tr("Add a post-logout redirect URI"), tr("Remove the selected post-logout redirect URI"));
    m_postLogoutUris.list->setToolTip(
        tr("Where the end-session endpoint may send the browser after signing out (post_logout_redirect_uri)"));
    m_scopes = named(new QLineEdit(this), "scopesEdit", tr("Scopes"));
    m_scopes->setPlaceholderText(tr("space-separated, e.g. read write"));
    connect(m_scopes, &QLineEdit::textChanged, this, &ClientEditor::onEdited);
    m_fields.addRow(Field::Scopes, tr("Scopes"), m_scopes);
    buildGrantTypes();
    buildAutoApprove();

    m_accessLifetime =
        named<QSpinBox>(new LifetimeSpinBox(this), "accessLifetime", tr("Access token lifetime in seconds"));
    m_refreshLifetime =
        named<QSpinBox>(new LifetimeSpinBox(this), "refreshLifetime", tr("Refresh token lifetime in seconds"));
    for (QSpinBox *box : {m_accessLifetime, m_refreshLifetime}) {
        box->setToolTip(tr("Seconds; 0 uses the server's default"));
        connect(box, &QSpinBox::valueChanged, this, &ClientEditor::onEdited);
    }
    m_fields.addRow(Field::AccessLifetime, tr("Access token lifetime (s)"), m_accessLifetime);
    m_fields.addRow(Field::RefreshLifetime, tr("Refresh token lifetime (s)"), m_refreshLifetime);
    buildTokenFormat();

    m_fields.addErrorLabel(tr("Validation error"));
}

void ClientEditor::buildSecret()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_secret = named(new QLineEdit(box), "clientSecretEdit", tr("Client secret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_reveal = toolButton(box, "revealSecret", tr("Show"), tr("Show the client secret"));
    m_reveal->setCheckable(true);
    m_generate = toolButton(box, "generateSecret", tr("Generate"), tr("Generate a random client secret"));
    m_generate->setToolTip(tr("32 random bytes, base64url"));
    row->addWidget(m_secret, 1);
    row->addWidget(m_reveal);
    row->addWidget(m_generate);
    m_fields.addRow(Field::Secret, tr("Secret"), box, m_secret);
    connect(m_secret, &QLineEdit::textChanged, this, &ClientEditor::onEdited);
    connect(m_reveal, &QToolButton::toggled, this, [this](bool shown) {
        m_secret->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_reveal->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_generate, &QToolButton::clicked, this, [this] { m_secret->setText(SecretGenerator::generate()); });
}

void ClientEditor::buildAuthMethod()
{
    m_authMethod = named(new QComboBox(this), "authMethod", tr("Client authentication"));
    m_authMethod->addItem(tr("Basic or parameters (legacy)"), int(ClientAuthMethod::Any));
    m_authMethod->addItem(tr("HTTP Basic only"), int(ClientAuthMethod::Basic));
    m_authMethod->addItem(tr("Parameters only"), int(ClientAuthMethod::Post));
    m_authMethod->addItem(tr("None — public client (PKCE required)"), int(ClientAuthMethod::None));
    m_authMethod->setToolTip(tr("How the client authenticates at the token endpoint (token_endpoint_auth_method)"));
    m_fields.addRow(Field::AuthMethod, tr("Client authentication"), m_authMethod);
    connect(m_authMethod, &QComboBox::currentIndexChanged, this, &ClientEditor::onAuthMethodChosen);

    m_requirePkce = named(new QCheckBox(tr("Require PKCE (code_challenge)"), this), "requirePkce",
                          tr("Require PKCE (code_challenge)"));
    m_fields.addRow(Field::RequirePkce, tr("PKCE"), m_requirePkce);
    connect(m_requirePkce, &QCheckBox::toggled, this, [this](bool required) {
        m_requirePkceValue = required;
        onEdited();
    });

    m_allowPublicRefresh = named(new QCheckBox(tr("Issue refresh tokens to this public client"), this),
                                 "allowRefreshForPublicClient", tr("Issue refresh tokens to this public client"));
    m_allowPublicRefresh->setToolTip(tr("Only for a public client with the refresh_token grant"));
    m_fields.addRow(Field::AllowPublicRefresh, tr("Public refresh tokens"), m_allowPublicRefresh);
    connect(m_allowPublicRefresh, &QCheckBox::toggled, this, &ClientEditor::onEdited);
}

void ClientEditor::onAuthMethodChosen()
{
    if (m_loading)
        return;
    // A public client has no secret (ClientValidator); leaving "none" again brings the loaded one back.
    if (chosenAuthMethod() == ClientAuthMethod::None)
        m_secret->clear();
    else if (!m_secret->isEnabledTo(this) && m_secret->text().isEmpty())
        m_secret->setText(m_original.secret);
    onEdited();
}

ClientAuthMethod ClientEditor::chosenAuthMethod() const
{
    return ClientAuthMethod(m_authMethod->currentData().toInt());
}

void ClientEditor::syncAuthMethodFields()
{
    const bool isPublic = chosenAuthMethod() == ClientAuthMethod::None;
    for (QWidget *w : std::initializer_list<QWidget *>{m_secret, m_reveal, m_generate})
        w->setEnabled(!isPublic);
    {
        const QSignalBlocker blocker(m_requirePkce);
        m_requirePkce->setChecked(isPublic || m_requirePkceValue);
    }
    m_requirePkce->setEnabled(!isPublic);
    m_requirePkce->setToolTip(isPublic ? tr("Public clients always need PKCE")
                                       : tr("Authorization requests without a code_challenge are refused"));
    m_allowPublicRefresh->setEnabled(isPublic);
}

ClientEditor::UriList ClientEditor::buildUriList(Field field, const QString &title, const UriListNames &names,
                                                 const QString &addText, const QString &removeText)
{
    auto *box = new QWidget(this);
    auto *layout = new QGridLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    UriList uris;
    uris.list = named(new QListWidget(box), names.list, title);
    uris.list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                               QAbstractItemView::SelectedClicked);
    uris.list->setMaximumHeight(uris.list->fontMetrics().height() * 7);
    uris.add = toolButton(box, names.add, tr("Add"), addText);
    uris.remove = toolButton(box, names.remove, tr("Remove"), removeText);
    layout->addWidget(uris.list, 0, 0, 3, 1);
    layout->addWidget(uris.add, 0, 1);
    layout->addWidget(uris.remove, 1, 1);
    m_fields.addRow(field, title, box, uris.list);

    connect(uris.add, &QToolButton::clicked, this, [uris] { addUri(uris); });
    connect(uris.remove, &QToolButton::clicked, this, [uris] { delete uris.list->takeItem(uris.list->currentRow()); });
    connect(uris.list, &QListWidget::itemChanged, this, &ClientEditor::onEdited);
    connect(uris.list->model(), &QAbstractItemModel::rowsInserted, this, &ClientEditor::onEdited);
    connect(uris.list->model(), &QAbstractItemModel::rowsRemoved, this, &ClientEditor::onEdited);
    connect(uris.list, &QListWidget::currentRowChanged, this, [uris](int row) { uris.remove->setEnabled(row >= 0); });
    return uris;
}

void ClientEditor::loadUris(const UriList &uris, const QStringList &values)
{
    if (urisOf(uris) != values) {
        uris.list->clear();
        for (const QString &uri : values) {
            auto *item = new QListWidgetItem(uri, uris.list);
            item->setFlags(item->flags() | Qt::ItemIsEditable);
        }
    }
    uris.remove->setEnabled(uris.list->currentRow() >= 0);
}

QStringList ClientEditor::urisOf(const UriList &uris)
{
    QStringList values;
    for (int i = 0; i < uris.list->count(); ++i)
        values << uris.list->item(i)->text().trimmed();
    return values;
}

void ClientEditor::addUri(const UriList &uris)
{
    auto *item = new QListWidgetItem(QString(), uris.list);
    item->setFlags(item->flags() | Qt::ItemIsEditable);
    uris.list->setCurrentItem(item);
    uris.list->editItem(item);
}

void ClientEditor::buildGrantTypes()
{
    m_grantBox = new QFrame(this);
    named(m_grantBox, "grantTypes", tr("Grant types"));
    auto *layout = new QVBoxLayout(m_grantBox);
    layout->setContentsMargins(2, 2, 2, 2);
    for (GrantType type : allGrantTypes()) {
        const QString name = grantTypeName(type);
        // A URN grant (RFC 8628's device_code) is labelled by its last segment; the tooltip gives it in full.
        const QString label = name.section(QLatin1Char(':'), -1);
        auto *box = new QCheckBox(label, m_grantBox);
        box->setObjectName(QStringLiteral("grant_") + label);
        box->setAccessibleName(tr("Grant type %1").arg(name));
        if (label != name)
            box->setToolTip(name);
        layout->addWidget(box);
        m_grants.insert(type, box);
        connect(box, &QCheckBox::toggled, this, &ClientEditor::onEdited);
    }
    m_fields.addRow(Field::GrantTypes, tr("Grant types"), m_grantBox);
}

void ClientEditor::buildAutoApprove()
{
    m_autoApproveBox = new QFrame(this);
    auto *layout = new QHBoxLayout(m_autoApproveBox);
    layout->setContentsMargins(0, 0, 0, 0);
    m_autoApproveMode = named(new QComboBox(m_autoApproveBox), "autoApproveMode", tr("Autoapprove"));
    m_autoApproveMode->addItem(tr("Off"), int(AutoApprove::Mode::Off));
    m_autoApproveMode->addItem(tr("All scopes"), int(AutoApprove::Mode::All));
    m_autoApproveMode->addItem(tr("Chosen scopes"), int(AutoApprove::Mode::Scopes));
    m_autoApproveMode->setToolTip(tr("Scopes the user is not asked to approve"));
    m_autoApproveScopes =
        named(new QLineEdit(m_autoApproveBox), "autoApproveScopes", tr("Scopes approved automatically"));
    m_autoApproveScopes->setPlaceholderText(tr("space-separated, e.g. read"));
    layout->addWidget(m_autoApproveMode);
    layout->addWidget(m_autoApproveScopes, 1);
    // Its problems are always about the chosen scopes.
    m_fields.addRow(Field::AutoApprove, tr("Autoapprove"), m_autoApproveBox, m_autoApproveScopes);
    connect(m_autoApproveMode, &QComboBox::currentIndexChanged, this, &ClientEditor::onEdited);
    connect(m_autoApproveScopes, &QLineEdit::textChanged, this, &ClientEditor::onEdited);
}

void ClientEditor::buildTokenFormat()
{
    m_tokenFormat = named(new QComboBox(this), "accessTokenFormat", tr("Access token format"));
    // -1: unset, the profile's default.
    m_tokenFormat->addItem(QString(), -1);
    m_tokenFormat->addItem(tr("Opaque"), int(AccessTokenFormat::Opaque));
    m_tokenFormat->addItem(tr("JWT (RFC 9068)"), int(AccessTokenFormat::Jwt));
    m_tokenFormat->setToolTip(tr("Random reference tokens the resource server introspects, or signed JWTs it "
                                 "verifies with the JWKS"));
    updateDefaultFormatText();
    connect(&m_server, &OAuthServer::settingsChanged, this, &ClientEditor::updateDefaultFormatText);
    m_fields.addRow(Field::AccessTokenFormat, tr("Access token format"), m_tokenFormat);
    connect(m_tokenFormat, &QComboBox::currentIndexChanged, this, &ClientEditor::onEdited);

    m_rotateRefreshTokens =
        named(new QCheckBox(tr("Rotate refresh tokens"), this), "rotateRefreshTokens", tr("Rotate refresh tokens"));
    m_rotateRefreshTokens->setToolTip(
        tr("A refresh grant returns a new refresh token and revokes the old one; off, the same one is reused"));
    m_fields.addRow(Field::RotateRefreshTokens, tr("Refresh token rotation"), m_rotateRefreshTokens);
    connect(m_rotateRefreshTokens, &QCheckBox::toggled, this, &ClientEditor::onEdited);
}

void ClientEditor::updateDefaultFormatText()
{
    const AccessTokenFormat format = m_server.settings().profileDescription().defaultAccessTokenFormat;
    const QString name = m_tokenFormat->itemText(m_tokenFormat->findData(int(format)));
    m_tokenFormat->setItemText(m_tokenFormat->findData(-1), tr("Profile default: %1").arg(name));
}

std::optional<AccessTokenFormat> ClientEditor::chosenTokenFormat() const
{
    const int data = m_tokenFormat->currentData().toInt();
    if (data < 0)
        return std::nullopt;
    return AccessTokenFormat(data);
}

void ClientEditor::buildButtons()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_apply =
        named(new QPushButton(tr("Apply"), box), "applyClient", tr("Apply the client's changes to the running server"));
    m_revert = named(new QPushButton(tr("Revert"), box), "revertClient", tr("Revert the client's changes"));
    row->addStretch(1);
    row->addWidget(m_revert);
    row->addWidget(m_apply);
    connect(m_apply, &QPushButton::clicked, this, &ClientEditor::apply);
    connect(m_revert, &QPushButton::clicked, this, &ClientEditor::revert);
}

void ClientEditor::setClient(const Client &client)
{
    m_original = client;
    m_loaded = true;
    setEnabled(true);
    load(client);
}

void ClientEditor::clearClient()
{
    m_original = Client{};
    m_loaded = false;
    load(Client{});
    setEnabled(false);
}

void ClientEditor::mergeExternalChange(const Client &incoming)
{
    if (!m_loaded || m_applying)
        return;
    const Client edited = editedClient();
    Client merged = incoming;
    const auto keepEdited = [&](auto member) {
        if (edited.*member != m_original.*member)
            merged.*member = edited.*member;
    };
    keepEdited(&Client::id);
    keepEdited(&Client::secret);
    keepEdited(&Client::authMethod);
    keepEdited(&Client::requirePkce);
    keepEdited(&Client::allowRefreshForPublicClient);
    keepEdited(&Client::redirectUris);
    keepEdited(&Client::postLogoutRedirectUris);
    keepEdited(&Client::scopes);
    keepEdited(&Client::grantTypes);
    keepEdited(&Client::autoApprove);
    keepEdited(&Client::accessTokenLifetime);
    keepEdited(&Client::refreshTokenLifetime);
    keepEdited(&Client::accessTokenFormat);
    keepEdited(&Client::rotateRefreshTokens);
    // The secret field is disabled for a public client, so a secret there could not be corrected.
    if (merged.isPublic())
        merged.secret.clear();
    m_original = incoming;
    load(merged);
}

void ClientEditor::load(const Client &client)
{
    // Only what differs is rewritten, so a merge leaves the user's own spelling (and cursor) of a field alone.
    m_loading = true;
    if (m_id->text().trimmed() != client.id)
        m_id->setText(client.id);
    if (m_secret->text() != client.secret)
        m_secret->setText(client.secret);
    m_authMethod->setCurrentIndex(m_authMethod->findData(int(client.authMethod)));
    m_requirePkceValue = client.requirePkce;
    m_allowPublicRefresh->setChecked(client.allowRefreshForPublicClient);
    loadUris(m_redirectUris, client.redirectUris);
    loadUris(m_postLogoutUris, client.postLogoutRedirectUris);
    if (ScopeSet::parse(m_scopes->text()) != client.scopes)
        m_scopes->setText(client.scopes.joined());
    for (auto it = m_grants.cbegin(); it != m_grants.cend(); ++it)
        it.value()->setChecked(client.allows(it.key()));
    m_autoApproveMode->setCurrentIndex(m_autoApproveMode->findData(int(client.autoApprove.mode)));
    if (ScopeSet::parse(m_autoApproveScopes->text()) != client.autoApprove.scopes)
        m_autoApproveScopes->setText(client.autoApprove.scopes.joined());
    m_accessLifetime->setValue(client.accessTokenLifetime);
    m_refreshLifetime->setValue(client.refreshTokenLifetime);
    m_tokenFormat->setCurrentIndex(
        m_tokenFormat->findData(client.accessTokenFormat ? int(*client.accessTokenFormat) : -1));
    m_rotateRefreshTokens->setChecked(client.rotateRefreshTokens);
    m_loading = false;
    onEdited();
}

Client ClientEditor::editedClient() const
{
    // Start from the loaded client: fields this editor does not show are kept.
    Client c = m_original;
    c.autoApprove = AutoApprove{};
    c.id = m_id->text().trimmed();
    c.secret = m_secret->text();
    c.authMethod = chosenAuthMethod();
    c.requirePkce = m_requirePkceValue;
    c.allowRefreshForPublicClient = m_allowPublicRefresh->isChecked();
    c.redirectUris = urisOf(m_redirectUris);
    c.postLogoutRedirectUris = urisOf(m_postLogoutUris);
    c.scopes = ScopeSet::parse(m_scopes->text());
    for (auto it = m_grants.cbegin(); it != m_grants.cend(); ++it)
        c.grantTypes.setFlag(it.key(), it.value()->isChecked());
    c.autoApprove.mode = AutoApprove::Mode(m_autoApproveMode->currentData().toInt());
    if (c.autoApprove.mode == AutoApprove::Mode::Scopes)
        c.autoApprove.scopes = ScopeSet::parse(m_autoApproveScopes->text());
    c.accessTokenLifetime = m_accessLifetime->value();
    c.refreshTokenLifetime = m_refreshLifetime->value();
    c.accessTokenFormat = chosenTokenFormat();
    c.rotateRefreshTokens = m_rotateRefreshTokens->isChecked();
    return c;
}

bool ClientEditor::isModified() const
{
    return m_loaded && editedClient() != m_original;
}

std::optional<FieldError> ClientEditor::validationError() const
{
    if (!m_loaded)
        return std::nullopt;
    const Client c = editedClient();
    if (auto error = ClientValidator::validate(c, m_server.clients().all(), m_original.id))
        return error;
    // "Chosen scopes" with none chosen would silently mean "off".
    if (c.autoApprove.mode == AutoApprove::Mode::Scopes && c.autoApprove.scopes.isEmpty())
        return FieldError{QStringLiteral("autoapprove"), tr("choose at least one scope, or switch autoapprove off")};
    return std::nullopt;
}

void ClientEditor::onEdited()
{
    if (m_loading)
        return;
    m_autoApproveScopes->setEnabled(m_autoApproveMode->currentData().toInt() == int(AutoApprove::Mode::Scopes));
    syncAuthMethodFields();
    const bool modified = isModified();
    m_apply->setEnabled(modified);
    m_revert->setEnabled(modified);
    showError(validationError());
    if (modified != m_wasModified) {
        m_wasModified = modified;
        Q_EMIT modifiedChanged(modified);
    }
}

bool ClientEditor::apply()
{
    if (!m_loaded)
        return false;
    const Client edited = editedClient();
    std::optional<FieldError> refused = validationError();
    if (!refused) {
        const QString previousId = m_original.id;
        m_applying = true;
        refused = m_server.saveClient(edited, previousId);
        m_applying = false;
        if (!refused) {
            setClient(edited);
            Q_EMIT clientApplied(previousId, edited.id);
            return true;
        }
    }
    showError(refused);
    if (QWidget *marked = m_fields.marked())
        marked->setFocus(Qt::OtherFocusReason);
    return false;
}

void ClientEditor::revert()
{
    if (m_loaded)
        load(m_original);
}

void ClientEditor::showError(const std::optional<FieldError> &error)
{
    if (error)
        m_fields.showError(fieldOf(error->field), tr("%1: %2").arg(fieldTitle(*error), error->message));
    else
        m_fields.clearError();
}

ClientEditor::Field ClientEditor::fieldOf(const QString &key)
{
    if (key.startsWith(QLatin1String("redirect_uris")))
        return Field::RedirectUris;
    if (key.startsWith(QLatin1String("post_logout_redirect_uris")))
        return Field::PostLogoutRedirectUris;
    if (key.startsWith(QLatin1String("scopes")))
        return Field::Scopes;
    static const QHash<QString, Field> fields{
        {QStringLiteral("client_secret"), Field::Secret},
        {QStringLiteral("token_endpoint_auth_method"), Field::AuthMethod},
        {QStringLiteral("require_pkce"), Field::RequirePkce},
        {QStringLiteral("allow_refresh_for_public_client"), Field::AllowPublicRefresh},
        {QStringLiteral("grant_types"), Field::GrantTypes},
        {QStringLiteral("autoapprove"), Field::AutoApprove},
        {QStringLiteral("access_token_lifetime"), Field::AccessLifetime},
        {QStringLiteral("refresh_token_lifetime"), Field::RefreshLifetime},
        {QStringLiteral("access_token_format"), Field::AccessTokenFormat},
        {QStringLiteral("rotate_refresh_tokens"), Field::RotateRefreshTokens},
    };
    return fields.value(key, Field::Id);
}

QString ClientEditor::fieldTitle(const FieldError &error) const
{
    switch (fieldOf(error.field)) {
    case Field::Id:
        return tr("Client ID");
    case Field::Secret:
        return tr("Secret");
    case Field::AuthMethod:
        return tr("Client authentication");
    case Field::RequirePkce:
        return tr("PKCE");
    case Field::AllowPublicRefresh:
        return tr("Public refresh tokens");
    case Field::RedirectUris:
    case Field::PostLogoutRedirectUris: {
        const bool logout = fieldOf(error.field) == Field::PostLogoutRedirectUris;
        static const QRegularExpression indexed(QStringLiteral("\\[(\\d+)\\]$"));
        const QRegularExpressionMatch m = indexed.match(error.field);
        if (!m.hasMatch())
            return logout ? tr("Post-logout redirect URIs") : tr("Redirect URIs");
        const int i = m.captured(1).toInt();
        const QListWidget *list = logout ? m_postLogoutUris.list : m_redirectUris.list;
        const QString uri = i < list->count() ? list->item(i)->text() : QString();
        return (logout ? tr("Post-logout redirect URI %1 \"%2\"") : tr("Redirect URI %1 \"%2\"")).arg(i + 1).arg(uri);
    }
    case Field::Scopes:
        return tr("Scopes");
    case Field::GrantTypes:
        return tr("Grant types");
    case Field::AutoApprove:
        return tr("Autoapprove");
    case Field::AccessLifetime:
        return tr("Access token lifetime");
    case Field::RefreshLifetime:
        return tr("Refresh token lifetime");
    case Field::AccessTokenFormat:
        return tr("Access token format");
    case Field::RotateRefreshTokens:
        return tr("Refresh token rotation");
    }
    return error.field;
}

} // namespace oauthsim
