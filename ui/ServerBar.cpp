#include "ServerBar.h"

#include "OAuthServer.h"
#include "store/ClientStore.h"

#include <QColor>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>
#include <QUrlQuery>

namespace oauthsim {

ServerBar::ServerBar(OAuthServer &server, QWidget *parent)
    : QWidget(parent), m_server(server), m_state(new QLabel(this)), m_bind(new QLineEdit(this)),
      m_port(new QSpinBox(this)), m_startStop(new QPushButton(this)), m_url(new QLabel(this)),
      m_openAuthorize(new QPushButton(tr("Open authorize URL in browser"), this)), m_error(new QLabel(this)),
      m_openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    setObjectName(QStringLiteral("serverBar"));
    m_state->setObjectName(QStringLiteral("serverState"));
    m_bind->setObjectName(QStringLiteral("bindAddress"));
    m_bind->setAccessibleName(tr("Bind address"));
    m_bind->setToolTip(tr("Address to listen on. 127.0.0.1 keeps the server private to this machine."));
    m_bind->setMaximumWidth(160);
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setAccessibleName(tr("Port"));
    m_port->setRange(0, 65535);
    m_port->setSpecialValueText(tr("any free"));
    m_startStop->setObjectName(QStringLiteral("startStop"));
    m_startStop->setAccessibleName(tr("Start or stop the server"));
    m_url->setObjectName(QStringLiteral("baseUrl"));
    m_url->setOpenExternalLinks(true);
    m_url->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_openAuthorize->setObjectName(QStringLiteral("openAuthorize"));
    m_openAuthorize->setAccessibleName(tr("Open the authorize URL of the selected client in a browser"));
    m_error->setObjectName(QStringLiteral("serverError"));
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xd3, 0x2f, 0x2f));
    m_error->setPalette(errorPalette);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_state);
    layout->addWidget(new QLabel(tr("Bind:"), this));
    layout->addWidget(m_bind);
    layout->addWidget(new QLabel(tr("Port:"), this));
    layout->addWidget(m_port);
    layout->addWidget(m_startStop);
    layout->addWidget(m_url, 1);
    layout->addWidget(m_error, 1);
    layout->addWidget(m_openAuthorize);

    m_bind->setText(m_server.settings().bindAddress);
    m_port->setValue(m_server.settings().port);
    connect(m_startStop, &QPushButton::clicked, this, &ServerBar::toggleRunning);
    connect(m_openAuthorize, &QPushButton::clicked, this, &ServerBar::openAuthorizeUrl);
    connect(&m_server, &OAuthServer::listeningChanged, this, &ServerBar::updateState);
    updateState();
}

void ServerBar::start()
{
    QString error;
    m_error->clear();
    if (!m_server.restart(m_bind->text().trimmed(), m_port->value(), &error)) {
        m_error->setText(tr("Cannot listen on %1").arg(error));
        Q_EMIT startFailed(error);
    }
    updateState();
}

void ServerBar::stop()
{
    m_server.stopListening();
    updateState();
}

void ServerBar::toggleRunning()
{
    if (m_server.isListening())
        stop();
    else
        start();
}

void ServerBar::setSelectedClient(const QString &clientId)
{
    m_clientId = clientId;
    updateState();
}

QString ServerBar::authorizeUrl(const QString &clientId) const
{
    const Client *client = m_server.clients().find(clientId);
    if (!client || !m_server.isListening())
        return {};
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    query.addQueryItem(QStringLiteral("client_id"), client->id);
    if (!client->redirectUris.isEmpty())
        query.addQueryItem(QStringLiteral("redirect_uri"), client->redirectUris.first());
    return m_server.baseUrl() + QStringLiteral("/oauth/authorize?") + query.toString(QUrl::FullyEncoded);
}

void ServerBar::openAuthorizeUrl()
{
    const QString url = authorizeUrl(m_clientId);
    if (!url.isEmpty() && !m_openUrl(QUrl(url, QUrl::StrictMode)))
        m_error->setText(tr("No browser could be opened for %1").arg(url));
}

void ServerBar::updateState()
{
    const bool running = m_server.isListening();
    m_state->setText(running ? tr("● Running") : tr("○ Stopped"));
    m_state->setAccessibleName(running ? tr("Server running") : tr("Server stopped"));
    m_startStop->setText(running ? tr("Stop") : tr("Start"));
    m_bind->setEnabled(!running);
    m_port->setEnabled(!running);
    if (running) {
        m_port->setValue(m_server.port());
        const QString base = m_server.baseUrl();
        m_url->setText(QStringLiteral("<a href=\"%1/\">%1</a>").arg(base.toHtmlEscaped()));
        m_error->clear();
    } else {
        m_url->setText(tr("not listening"));
    }
    m_openAuthorize->setEnabled(running && m_server.clients().find(m_clientId));
}

} // namespace oauthsim
