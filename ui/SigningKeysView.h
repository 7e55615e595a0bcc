#pragma once

#include <QGroupBox>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace oauthsim {

class OAuthServer;

// The "Signing keys" group of the Settings tab: every key of the server's KeyRing (the active one that signs,
// then the retired ones that still verify until their time), the JWKS URL that publishes them, and a button that
// rotates the key through OAuthServer::rotateSigningKey. Generation runs off the GUI thread; the list follows
// KeyRing::keysChanged and the button is disabled while a key is being generated.
class SigningKeysView : public QGroupBox
{
    Q_OBJECT
public:
    enum Column
    {
        KidColumn,
        StateColumn,
        CreatedColumn,
        VerifiesUntilColumn,
        ColumnCount
    };

    explicit SigningKeysView(OAuthServer &server, QWidget *parent = nullptr);

    // The JWKS document's absolute URL under the issuer, for the running profile.
    QString jwksUrl() const;

public Q_SLOTS:
    void rotate();
    void copyJwksUrl();

private:
    void reload();
    void updateJwksUrl();
    void showGenerating();

    OAuthServer &m_server;
    QTreeWidget *m_keys = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_jwksUrl = nullptr;
    QPushButton *m_rotate = nullptr;
    QPushButton *m_copy = nullptr;
};

} // namespace oauthsim
