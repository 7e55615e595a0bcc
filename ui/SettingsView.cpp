#include "SettingsView.h"

#include "Countdown.h"
#include "OAuthServer.h"
#include "SigningKeysView.h"
#include "http/Cors.h"
#include "store/ConfigRepository.h"

#include <QCoreApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollArea>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>

namespace oauthsim {

namespace {
const QString kLogSizeKey = QStringLiteral("requests/maxRows");

// What ServerSettings::useProfile resets to the profile's defaults.
bool isProfileDefault(int ServerSettings::*member)
{
    for (const ServerSettings::ProfileDefault &d : ServerSettings::profileDefaults()) {
        if (d.setting == member)
            return true;
    }
    return false;
}

// The fields this view edits, compared.
bool sameEditable(const ServerSettings &a, const ServerSettings &b)
{
    return a.profile == b.profile && a.issuer == b.issuer && a.accessTokenLifetime == b.accessTokenLifetime &&
           a.refreshTokenLifetime == b.refreshTokenLifetime && a.codeLength == b.codeLength &&
           a.codeLifetime == b.codeLifetime && a.reuseLiveTokens == b.reuseLiveTokens &&
           a.rememberApprovals == b.rememberApprovals && a.persistIssuedState == b.persistIssuedState &&
           a.sessionIdleTimeout == b.sessionIdleTimeout && a.maxBodyBytes == b.maxBodyBytes &&
           a.corsAllowedOrigins == b.corsAllowedOrigins;
}
} // namespace

SettingsView::SettingsView(OAuthServer &server, QWidget *parent)
    : QWidget(parent), m_server(server), m_logSize(savedLogSize())
{
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setAccessibleName(tr("Settings error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #e53935;")); // semantic red, readable on light and dark
    m_error->hide();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("settingsStatus"));
    m_status->setAccessibleName(tr("Settings status"));

    // A long form: it scrolls rather than forcing its height on the window.
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("settingsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    layout->addLayout(buildForm());
    layout->addWidget(m_error);
    layout->addWidget(buildButtons());
    layout->addWidget(m_status);
    m_keys = new SigningKeysView(m_server, this);
    layout->addWidget(m_keys);
    layout->addStretch(1);
    scroll->setWidget(content);

    load();
    // Another part of the window (or a reload) changed the settings: show them, unless the user is editing.
    connect(&m_server, &OAuthServer::settingsChanged, this, [this] {
        if (!hasUnappliedChanges())
            load();
    });
    connect(&m_server, &OAuthServer::listeningChanged, this, &SettingsView::updateIssuerPlaceholder);
}

void SettingsView::buildProfile(QFormLayout *form)
{
    m_profile = new QComboBox(this);
    m_profile->setObjectName(QStringLiteral("profile"));
    m_profile->setAccessibleName(tr("Profile"));
    m_profile->setToolTip(tr("The server product imitated: endpoint paths, token formats, error bodies, default "
                             "lifetimes. Choosing one resets the lifetimes and code length below to its defaults."));
    for (const QString &name : Profile::names()) {
        const ProfileId id = *Profile::idFromName(name);
        m_profile->addItem(QCoreApplication::translate("Profile", qPrintable(Profile::get(id).displayName)), name);
    }
    connect(m_profile, &QComboBox::currentIndexChanged, this, &SettingsView::onProfileChosen);
    auto *label = new QLabel(tr("Profile:"), this);
    label->setBuddy(m_profile);
    form->addRow(label, m_profile);
    m_profileSummary = new QLabel(this);
    m_profileSummary->setObjectName(QStringLiteral("profileSummary"));
    m_profileSummary->setAccessibleName(tr("What the profile changes"));
    m_profileSummary->setWordWrap(true);
    form->addRow(QString(), m_profileSummary);
}

QLineEdit *SettingsView::addLine(QFormLayout *form, const char *name, const QString &label, const QString &tip)
{
    auto *edit = new QLineEdit(this);
    edit->setObjectName(QLatin1String(name));
    edit->setAccessibleName(label);
    edit->setToolTip(tip);
    connect(edit, &QLineEdit::textChanged, this, &SettingsView::onEdited);
    auto *labelWidget = new QLabel(label + QLatin1Char(':'), this);
    labelWidget->setBuddy(edit);
    form->addRow(labelWidget, edit);
    return edit;
}

QFormLayout *SettingsView::buildForm()
{
    auto *form = new QFormLayout;
    buildProfile(form);
    m_issuer = addLine(form, "issuer", tr("Issuer"),
                       tr("The issuer identifier of discovery, iss claims and absolute URLs; empty derives it from "
                          "the listening address"));
    // The spin boxes accept more than is valid on purpose: an out-of-range value is named by the validation
    // instead of being silently clamped. The valid ranges are the configuration file's (ConfigRepository).
    addIntField(form, "accessTokenLifetime", tr("Access token lifetime"), 1, INT_MAX,
                &ServerSettings::accessTokenLifetime, Hint::Duration);
    addIntField(form, "refreshTokenLifetime", tr("Refresh token lifetime"), 1, INT_MAX,
                &ServerSettings::refreshTokenLifetime, Hint::Duration);
    addIntField(form, "codeLength", tr("Code length"), 4, 128, &ServerSettings::codeLength, Hint::None);
    addIntField(form, "codeLifetime", tr("Code lifetime"), 0, INT_MAX, &ServerSettings::codeLifetime, Hint::Duration);
    m_reuseLiveTokens = addCheck(form, "reuseLiveTokens", tr("Reuse live tokens"),
                                 tr("A second token request for the same client, user and scopes returns the "
                                    "access token still alive instead of a new one (Spring's default)"));
    m_rememberApprovals = addCheck(form, "rememberApprovals", tr("Remember approvals"),
                                   tr("A user holding a live access token for the client and scopes is not asked "
                                      "to approve again"));
    m_persistIssuedState = addCheck(form, "persistIssuedState", tr("Keep issued state across restarts"),
                                    tr("Codes, tokens, sessions and remembered approvals are saved in the data "
                                       "directory, so a refresh token still works after oauthsim restarts"));
    addIntField(form, "sessionIdleTimeout", tr("Session idle timeout"), 1, INT_MAX, &ServerSettings::sessionIdleTimeout,
                Hint::Duration);
    addIntField(form, "maxBodyBytes", tr("Maximum request body"), 1024, 64 * 1024 * 1024, &ServerSettings::maxBodyBytes,
                Hint::Size);
    m_corsOrigins = addLine(form, "corsAllowedOrigins", tr("Allowed CORS origins"),
                            tr("Space-separated origins (scheme://host[:port]) whose browser apps may call the "
                               "cross-origin endpoints; * lets every origin in"));
    m_corsOrigins->setPlaceholderText(tr("empty: any http://localhost or http://127.0.0.1 origin"));
    addIntField(form, "logSize", tr("Request log size"), kMinLogSize, kMaxLogSize, nullptr, Hint::None);
    return form;
}

SettingsView::IntField &SettingsView::addIntField(QFormLayout *form, const char *name, const QString &label, int min,
                                                  int max, int ServerSettings::*member, Hint hint)
{
    IntField field;
    field.label = label;
    field.min = min;
    field.max = max;
    field.member = member;
    field.hintKind = hint;
    field.spin = new QSpinBox(this);
    field.spin->setObjectName(QLatin1String(name));
    field.spin->setAccessibleName(label);
    field.spin->setRange(0, max == INT_MAX ? INT_MAX : max * 10);
    field.spin->setGroupSeparatorShown(false);
    if (hint == Hint::Duration)
        field.spin->setSuffix(tr(" s"));
    else if (hint == Hint::Size)
        field.spin->setSuffix(tr(" bytes"));
    connect(field.spin, &QSpinBox::valueChanged, this, &SettingsView::onEdited);

    auto *row = new QWidget(this);
    auto *rowLayout = new QHBoxLayout(row);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    rowLayout->addWidget(field.spin);
    if (hint != Hint::None) {
        field.hint = new QLabel(row);
        field.hint->setObjectName(QLatin1String(name) + QLatin1String("Hint"));
        rowLayout->addWidget(field.hint);
    }
    rowLayout->addStretch(1);
    auto *labelWidget = new QLabel(label + QLatin1Char(':'), this);
    labelWidget->setBuddy(field.spin);
    form->addRow(labelWidget, row);
    m_fields.push_back(field);
    return m_fields.back();
}

QCheckBox *SettingsView::addCheck(QFormLayout *form, const char *name, const QString &text, const QString &tip)
{
    auto *check = new QCheckBox(text, this);
    check->setObjectName(QLatin1String(name));
    check->setAccessibleName(text);
    check->setToolTip(tip);
    connect(check, &QCheckBox::toggled, this, &SettingsView::onEdited);
    form->addRow(QString(), check);
    return check;
}

QWidget *SettingsView::buildButtons()
{
    auto *bar = new QWidget(this);
    m_apply = new QPushButton(tr("&Apply"), bar);
    m_apply->setObjectName(QStringLiteral("applySettings"));
    m_apply->setAccessibleName(tr("Apply settings"));
    m_apply->setToolTip(tr("Check the values and use them from the server's next request"));
    m_revert = new QPushButton(tr("Re&vert"), bar);
    m_revert->setObjectName(QStringLiteral("revertSettings"));
    m_revert->setAccessibleName(tr("Revert settings"));
    m_revert->setToolTip(tr("Show the values in use again"));
    connect(m_apply, &QPushButton::clicked, this, &SettingsView::apply);
    connect(m_revert, &QPushButton::clicked, this, &SettingsView::revert);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_apply);
    row->addWidget(m_revert);
    row->addStretch(1);
    return bar;
}

int SettingsView::savedLogSize()
{
    bool ok = false;
    const int rows = QSettings().value(kLogSizeKey, kDefaultLogSize).toInt(&ok);
    return ok && rows >= kMinLogSize && rows <= kMaxLogSize ? rows : kDefaultLogSize;
}

void SettingsView::load()
{
    m_loading = true;
    const ServerSettings &s = m_server.settings();
    for (const IntField &field : m_fields)
        field.spin->setValue(field.member ? s.*field.member : m_logSize);
    m_reuseLiveTokens->setChecked(s.reuseLiveTokens);
    m_rememberApprovals->setChecked(s.rememberApprovals);
    m_persistIssuedState->setChecked(s.persistIssuedState);
    m_profile->setCurrentIndex(m_profile->findData(s.profileDescription().name));
    m_issuer->setText(s.issuer);
    m_corsOrigins->setText(s.corsAllowedOrigins.join(QLatin1Char(' ')));
    m_loading = false;
    updateProfileSummary();
    updateIssuerPlaceholder();
    for (const IntField &field : m_fields)
        updateHint(field);
    m_error->clear();
    m_error->hide();
    m_apply->setEnabled(false);
    m_revert->setEnabled(false);
}

bool SettingsView::hasUnappliedChanges() const
{
    return logField().spin->value() != m_logSize || !sameEditable(editedSettings(), m_server.settings());
}

ProfileId SettingsView::chosenProfile() const
{
    return Profile::idFromName(m_profile->currentData().toString()).value_or(m_server.settings().profile);
}

void SettingsView::onProfileChosen()
{
    if (m_loading)
        return;
    ServerSettings preview = m_server.settings();
    preview.useProfile(chosenProfile());
    m_loading = true;
    for (const IntField &field : m_fields) {
        if (field.member && isProfileDefault(field.member))
            field.spin->setValue(preview.*field.member);
    }
    m_loading = false;
    updateProfileSummary();
    onEdited();
}

void SettingsView::updateProfileSummary()
{
    const Profile &p = Profile::get(chosenProfile());
    const QString format = p.defaultAccessTokenFormat == AccessTokenFormat::Jwt ? tr("JWT (RFC 9068)") : tr("opaque");
    m_profileSummary->setText(tr("Endpoints %1, %2, %3…; %4 access tokens by default; lifetimes %5 s (access) and "
                                 "%6 s (refresh); codes of %7 characters.")
                                  .arg(p.paths.authorize, p.paths.token, p.paths.jwks, format)
                                  .arg(p.defaultAccessTokenLifetime)
                                  .arg(p.defaultRefreshTokenLifetime)
                                  .arg(p.defaultCodeLength));
}

void SettingsView::updateIssuerPlaceholder()
{
    m_issuer->setPlaceholderText(m_server.isListening() ? tr("derived: %1").arg(m_server.baseUrl())
                                                        : tr("derived from the listening address"));
}

QStringList SettingsView::chosenOrigins() const
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    return m_corsOrigins->text().split(separators, Qt::SkipEmptyParts);
}

ServerSettings SettingsView::editedSettings() const
{
    ServerSettings s = m_server.settings();
    s.useProfile(chosenProfile());
    for (const IntField &field : m_fields) {
        if (field.member)
            s.*field.member = field.spin->value();
    }
    s.reuseLiveTokens = m_reuseLiveTokens->isChecked();
    s.rememberApprovals = m_rememberApprovals->isChecked();
    s.persistIssuedState = m_persistIssuedState->isChecked();
    s.issuer = m_issuer->text().trimmed();
    s.corsAllowedOrigins = chosenOrigins();
    return s;
}

void SettingsView::updateHint(const IntField &field) const
{
    if (!field.hint)
        return;
    const int value = field.spin->value();
    if (field.hintKind == Hint::Size)
        field.hint->setText(QLocale().formattedDataSize(value, 0, QLocale::DataSizeIecFormat));
    else if (field.member == &ServerSettings::codeLifetime && value == 0)
        field.hint->setText(tr("never expires (single use only)"));
    else
        field.hint->setText(Countdown::humanDuration(value));
}

void SettingsView::onEdited()
{
    if (m_loading)
        return;
    for (const IntField &field : m_fields)
        updateHint(field);
    // Inline: the problem shows while typing; Apply refuses it too.
    if (const auto problem = validate())
        showError(problem->first, problem->second);
    else
        showError(nullptr, QString());
    m_status->clear();
    const bool dirty = hasUnappliedChanges();
    m_apply->setEnabled(dirty);
    m_revert->setEnabled(dirty);
}

std::optional<QPair<QWidget *, QString>> SettingsView::validate() const
{
    if (const std::optional<QString> problem = ConfigRepository::issuerProblem(m_issuer->text().trimmed()))
        return qMakePair(static_cast<QWidget *>(m_issuer), tr("%1: %2.").arg(tr("Issuer"), *problem));
    for (const IntField &field : m_fields) {
        const int value = field.spin->value();
        if (value >= field.min && value <= field.max)
            continue;
        const QString message = field.max == INT_MAX
                                    ? tr("%1 must be at least %2; it is %3.").arg(field.label).arg(field.min).arg(value)
                                    : tr("%1 must be between %2 and %3; it is %4.")
                                          .arg(field.label)
                                          .arg(field.min)
                                          .arg(field.max)
                                          .arg(value);
        return qMakePair(static_cast<QWidget *>(field.spin), message);
    }
    for (const QString &origin : chosenOrigins()) {
        if (!Cors::isValidOriginSetting(origin))
            return qMakePair(static_cast<QWidget *>(m_corsOrigins),
                             tr("Allowed CORS origins: \"%1\" is not an origin (scheme://host[:port] without a "
                                "path, or *).")
                                 .arg(origin));
    }
    return std::nullopt;
}

void SettingsView::showError(QWidget *field, const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    // Which field, for assistive technology and tests: its objectName.
    m_error->setProperty("field", field ? field->objectName() : QString());
    m_error->setAccessibleDescription(message);
}

bool SettingsView::apply()
{
    if (const auto problem = validate()) {
        showError(problem->first, problem->second);
        problem->first->setFocus();
        if (auto *spin = qobject_cast<QSpinBox *>(problem->first))
            spin->selectAll();
        Q_EMIT statusMessage(problem->second);
        return false;
    }
    // A profile switch resets the lifetimes and code length (useProfile); the fields already show those
    // defaults, or what the user typed over them. The server rebuilds its routes itself.
    const ServerSettings settings = editedSettings();
    const bool serverChanged = !sameEditable(settings, m_server.settings());
    const int logSize = logField().spin->value();
    const bool logChanged = logSize != m_logSize;
    // applySettings replaces clients and users too (settings() holds the ones in use): only call it when a
    // server field changed, so a log size change does not reset the Clients tab.
    if (serverChanged)
        m_server.applySettings(settings);
    if (logChanged) {
        m_logSize = logSize;
        QSettings().setValue(kLogSizeKey, logSize);
        Q_EMIT logSizeChanged(logSize);
    }
    load();
    const QString message = serverChanged || logChanged ? tr("Settings applied.") : tr("Nothing to apply.");
    m_status->setText(message);
    Q_EMIT statusMessage(message);
    return true;
}

void SettingsView::revert()
{
    load();
    m_status->setText(tr("Settings reverted."));
}

} // namespace oauthsim
