#include "SettingsView.h"

#include "Countdown.h"
#include "OAuthServer.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <climits>

namespace oauthsim {

namespace {
const QString kLogSizeKey = QStringLiteral("requests/maxRows");
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

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buildForm());
    layout->addWidget(m_error);
    layout->addWidget(buildButtons());
    layout->addWidget(m_status);
    layout->addStretch(1);

    load();
    // Another part of the window (or a reload) changed the settings: show them, unless the user is editing.
    connect(&m_server, &OAuthServer::settingsChanged, this, [this] {
        if (!hasUnappliedChanges())
            load();
    });
}

QFormLayout *SettingsView::buildForm()
{
    auto *form = new QFormLayout;
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
    m_loading = false;
    for (const IntField &field : m_fields)
        updateHint(field);
    m_error->clear();
    m_error->hide();
    m_apply->setEnabled(false);
    m_revert->setEnabled(false);
}

bool SettingsView::hasUnappliedChanges() const
{
    const ServerSettings &s = m_server.settings();
    for (const IntField &field : m_fields) {
        if (field.spin->value() != (field.member ? s.*field.member : m_logSize))
            return true;
    }
    return m_reuseLiveTokens->isChecked() != s.reuseLiveTokens ||
           m_rememberApprovals->isChecked() != s.rememberApprovals ||
           m_persistIssuedState->isChecked() != s.persistIssuedState;
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

std::optional<QPair<const SettingsView::IntField *, QString>> SettingsView::validate() const
{
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
        return qMakePair(&field, message);
    }
    return std::nullopt;
}

void SettingsView::showError(const IntField *field, const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    // Which field, for assistive technology and tests: its objectName.
    m_error->setProperty("field", field ? field->spin->objectName() : QString());
    m_error->setAccessibleDescription(message);
}

bool SettingsView::apply()
{
    if (const auto problem = validate()) {
        showError(problem->first, problem->second);
        problem->first->spin->setFocus();
        problem->first->spin->selectAll();
        Q_EMIT statusMessage(problem->second);
        return false;
    }
    bool serverChanged = m_reuseLiveTokens->isChecked() != m_server.settings().reuseLiveTokens ||
                         m_rememberApprovals->isChecked() != m_server.settings().rememberApprovals ||
                         m_persistIssuedState->isChecked() != m_server.settings().persistIssuedState;
    ServerSettings settings = m_server.settings();
    for (const IntField &field : m_fields) {
        if (field.member && settings.*field.member != field.spin->value()) {
            settings.*field.member = field.spin->value();
            serverChanged = true;
        }
    }
    settings.reuseLiveTokens = m_reuseLiveTokens->isChecked();
    settings.rememberApprovals = m_rememberApprovals->isChecked();
    settings.persistIssuedState = m_persistIssuedState->isChecked();
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
