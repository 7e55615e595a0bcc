#pragma once

#include "FieldErrorMarker.h"
#include "model/Client.h"
#include "model/ClientValidator.h"

#include <QHash>
#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace oauthsim {

class OAuthServer;

// Edits one client. Every change is validated as it is typed (ClientValidator, the same rules as the
// configuration reader, plus the editor's own); the first problem is shown under the field it concerns, which
// is outlined. Apply hands the client to OAuthServer::saveClient, so an invalid edit changes nothing in the
// running server and a valid one applies from its very next request. Changing client_id renames the client.
class ClientEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ClientEditor(OAuthServer &server, QWidget *parent = nullptr);

    // Loads a client for editing; Apply will replace it (by its id, even if the id is edited).
    void setClient(const Client &client);
    // Nothing to edit: the fields are emptied and disabled.
    void clearClient();
    // The client being edited changed elsewhere (e.g. the autoapprove checkbox): fields the user has not
    // touched take the new values, edited ones are kept.
    void mergeExternalChange(const Client &client);

    // The id the client had when loaded (what Apply replaces); empty when nothing is loaded.
    QString clientId() const { return m_loaded ? m_original.id : QString(); }
    // The client as the fields describe it now.
    Client editedClient() const;
    bool isModified() const;
    // True while apply() is inside OAuthServer::saveClient (the stores' signals arrive then).
    bool isApplying() const { return m_applying; }
    // The first problem of the edited client, or nullopt.
    std::optional<FieldError> validationError() const;

public Q_SLOTS:
    // Validates and saves. False (and the error shown) when the server refused it or nothing is loaded.
    bool apply();
    // Back to the client as loaded.
    void revert();

Q_SIGNALS:
    // A successful apply; `clientId` differs from `previousId` after a rename.
    void clientApplied(const QString &previousId, const QString &clientId);
    void modifiedChanged(bool modified);

private:
    enum class Field
    {
        Id,
        Secret,
        AuthMethod,
        RequirePkce,
        AllowPublicRefresh,
        RedirectUris,
        PostLogoutRedirectUris,
        Scopes,
        GrantTypes,
        AutoApprove,
        AccessLifetime,
        RefreshLifetime,
        AccessTokenFormat,
        RotateRefreshTokens
    };

    void buildFields();
    void buildSecret();
    void buildAuthMethod();
    void onAuthMethodChosen();
    // Enables and fills the fields that depend on the authentication method (secret, PKCE, public refresh).
    void syncAuthMethodFields();
    ClientAuthMethod chosenAuthMethod() const;
    // An editable list of URIs with Add and Remove buttons, as the form row `field`.
    struct UriList
    {
        QListWidget *list = nullptr;
        QToolButton *add = nullptr;
        QToolButton *remove = nullptr;
    };
    struct UriListNames
    {
        const char *list;
        const char *add;
        const char *remove;
    };
    UriList buildUriList(Field field, const QString &title, const UriListNames &names, const QString &addText,
                         const QString &removeText);
    static void loadUris(const UriList &uris, const QStringList &values);
    static QStringList urisOf(const UriList &uris);
    static void addUri(const UriList &uris);
    void buildGrantTypes();
    void buildAutoApprove();
    void buildTokenFormat();
    // The "profile default" entry names the running profile's format, which a profile switch changes.
    void updateDefaultFormatText();
    std::optional<oauthsim::AccessTokenFormat> chosenTokenFormat() const;
    void buildButtons();
    void load(const Client &client);
    void onEdited();
    void showError(const std::optional<FieldError> &error);
    static Field fieldOf(const QString &key);
    QString fieldTitle(const FieldError &error) const;

    OAuthServer &m_server;
    Client m_original;
    bool m_loaded = false;
    bool m_loading = false;
    bool m_applying = false;
    bool m_wasModified = false;

    FieldErrorMarker<Field> m_fields;
    QLineEdit *m_id = nullptr;
    QLineEdit *m_secret = nullptr;
    QToolButton *m_reveal = nullptr;
    QToolButton *m_generate = nullptr;
    QComboBox *m_authMethod = nullptr;
    QCheckBox *m_requirePkce = nullptr;
    // The client's require_pkce: the checkbox shows it, except for a public client, which always needs PKCE
    // (the box is then checked and disabled, and this value is kept as it was).
    bool m_requirePkceValue = false;
    QCheckBox *m_allowPublicRefresh = nullptr;
    UriList m_redirectUris;
    UriList m_postLogoutUris;
    QLineEdit *m_scopes = nullptr;
    QHash<GrantType, QCheckBox *> m_grants;
    QWidget *m_grantBox = nullptr;
    QComboBox *m_autoApproveMode = nullptr;
    QLineEdit *m_autoApproveScopes = nullptr;
    QWidget *m_autoApproveBox = nullptr;
    QSpinBox *m_accessLifetime = nullptr;
    QSpinBox *m_refreshLifetime = nullptr;
    QComboBox *m_tokenFormat = nullptr;
    QCheckBox *m_rotateRefreshTokens = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
};

} // namespace oauthsim
