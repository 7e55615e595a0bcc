#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace oauthsim {

class OAuthServer;

// The top bar: running/stopped, start and stop, bind address and port (editable while stopped), the base URL
// as a link, and "Open authorize URL" for the selected client. A busy port is reported here, not on a console.
class ServerBar : public QWidget
{
    Q_OBJECT
public:
    explicit ServerBar(OAuthServer &server, QWidget *parent = nullptr);

    // The authorize URL a browser would open for this client (empty when stopped or unknown).
    QString authorizeUrl(const QString &clientId) const;
    // Replaces QDesktopServices::openUrl (tests).
    void setUrlOpener(std::function<bool(const QUrl &)> opener) { m_openUrl = std::move(opener); }

public Q_SLOTS:
    void start();
    void stop();
    void toggleRunning();
    void setSelectedClient(const QString &clientId);
    void openAuthorizeUrl();

Q_SIGNALS:
    void startFailed(const QString &message);

private:
    void updateState();

    OAuthServer &m_server;
    QLabel *m_state;
    QLineEdit *m_bind;
    QSpinBox *m_port;
    QPushButton *m_startStop;
    QLabel *m_url;
    QPushButton *m_openAuthorize;
    QLabel *m_error;
    QString m_clientId;
    std::function<bool(const QUrl &)> m_openUrl;
};

} // namespace oauthsim
