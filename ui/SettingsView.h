#pragma once

#include "ServerSettings.h"

#include <QPair>
#include <QWidget>

#include <deque>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace oauthsim {

class OAuthServer;
class SigningKeysView;

// The Settings tab: the profile (choosing one shows its default lifetimes and code length in their fields, as
// ServerSettings::useProfile will set them), the issuer, token and code lifetimes, code length, live-token reuse,
// remembered approval, session idle timeout, body limit and allowed CORS origins (the server's, applied through
// OAuthServer::applySettings), and the request log size (the window's own, kept in QSettings under
// "requests/maxRows" and announced with logSizeChanged). Apply validates every field first and changes nothing
// when one is invalid; the error names the field. Below, the signing keys (SigningKeysView), which apply at once.
class SettingsView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kDefaultLogSize = 10000;
    static constexpr int kMinLogSize = 100;
    static constexpr int kMaxLogSize = 1000000;

    explicit SettingsView(OAuthServer &server, QWidget *parent = nullptr);

    // The applied request log size.
    int logSize() const { return m_logSize; }
    // The size saved in QSettings (the default when none or out of range), for the Requests model at start.
    static int savedLogSize();
    // Whether a field differs from what is applied.
    bool hasUnappliedChanges() const;

public Q_SLOTS:
    // Validates and applies. False (and nothing changed, the error shown) when a field is out of range.
    bool apply();
    // Shows the applied values again.
    void revert();

Q_SIGNALS:
    void logSizeChanged(int rows);
    // "Settings applied." or the validation error, as shown under the form.
    void statusMessage(const QString &message);

private:
    enum class Hint
    {
        None,
        Duration, // "12 h"
        Size,     // "64 KiB"
    };
    struct IntField
    {
        QSpinBox *spin = nullptr;
        QLabel *hint = nullptr;
        Hint hintKind = Hint::None;
        QString label;
        int min = 0;
        int max = 0;
        int ServerSettings::*member = nullptr; // nullptr: the log size, a window setting
    };
    IntField &addIntField(QFormLayout *form, const char *name, const QString &label, int min, int max,
                          int ServerSettings::*member, Hint hint);
    QCheckBox *addCheck(QFormLayout *form, const char *name, const QString &text, const QString &tip);
    QLineEdit *addLine(QFormLayout *form, const char *name, const QString &label, const QString &tip);
    void buildProfile(QFormLayout *form);
    QFormLayout *buildForm();
    QWidget *buildButtons();
    void load();
    void onEdited();
    void updateHint(const IntField &field) const;
    const IntField &logField() const { return m_fields.back(); }
    ProfileId chosenProfile() const;
    // The profile's default lifetimes and code length, shown in their fields (the applied values for the running
    // profile).
    void onProfileChosen();
    void updateProfileSummary();
    void updateIssuerPlaceholder();
    QStringList chosenOrigins() const;
    // The server's settings as the fields describe them (the fields this view does not show are kept).
    ServerSettings editedSettings() const;
    // The first invalid field, with the message naming it.
    std::optional<QPair<QWidget *, QString>> validate() const;
    void showError(QWidget *field, const QString &message);

    OAuthServer &m_server;
    std::deque<IntField> m_fields; // a deque: references stay valid as fields are added
    QCheckBox *m_reuseLiveTokens = nullptr;
    QCheckBox *m_rememberApprovals = nullptr;
    QCheckBox *m_persistIssuedState = nullptr;
    QComboBox *m_profile = nullptr;
    QLabel *m_profileSummary = nullptr;
    QLineEdit *m_issuer = nullptr;
    QLineEdit *m_corsOrigins = nullptr;
    SigningKeysView *m_keys = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
    int m_logSize = kDefaultLogSize;
    bool m_loading = false;
};

} // namespace oauthsim
