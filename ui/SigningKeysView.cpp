#include "SigningKeysView.h"

#include "Countdown.h"
#include "OAuthServer.h"
#include "endpoints/DiscoveryEndpoint.h"
#include "jose/KeyRing.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace oauthsim {

SigningKeysView::SigningKeysView(OAuthServer &server, QWidget *parent)
    : QGroupBox(tr("Signing keys"), parent), m_server(server)
{
    setObjectName(QStringLiteral("signingKeys"));
    setAccessibleName(tr("Signing keys"));

    m_keys = new QTreeWidget(this);
    m_keys->setObjectName(QStringLiteral("signingKeyList"));
    m_keys->setAccessibleName(tr("Signing keys"));
    m_keys->setRootIsDecorated(false);
    m_keys->setColumnCount(ColumnCount);
    m_keys->setHeaderLabels({tr("Key ID (kid)"), tr("State"), tr("Created"), tr("Verifies until")});
    m_keys->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_keys->setMaximumHeight(m_keys->fontMetrics().height() * 8);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("signingKeyStatus"));
    m_status->setAccessibleName(tr("Signing key status"));
    m_status->setWordWrap(true);

    m_rotate = new QPushButton(tr("Rotate signing key"), this);
    m_rotate->setObjectName(QStringLiteral("rotateSigningKey"));
    m_rotate->setAccessibleName(tr("Rotate signing key"));
    m_rotate->setToolTip(tr("Generate a new key that signs from now on; the current one keeps verifying what it "
                            "signed until the longest of those tokens has expired"));
    connect(m_rotate, &QPushButton::clicked, this, &SigningKeysView::rotate);

    m_jwksUrl = new QLineEdit(this);
    m_jwksUrl->setObjectName(QStringLiteral("jwksUrl"));
    m_jwksUrl->setAccessibleName(tr("JWKS URL"));
    m_jwksUrl->setReadOnly(true);
    m_copy = new QPushButton(tr("Copy JWKS URL"), this);
    m_copy->setObjectName(QStringLiteral("copyJwksUrl"));
    m_copy->setAccessibleName(tr("Copy JWKS URL"));
    connect(m_copy, &QPushButton::clicked, this, &SigningKeysView::copyJwksUrl);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_rotate);
    buttons->addWidget(m_jwksUrl, 1);
    buttons->addWidget(m_copy);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_keys);
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    KeyRing &keys = m_server.keys();
    connect(&keys, &KeyRing::keysChanged, this, [this] {
        reload();
        m_status->setText(tr("Signing keys updated."));
    });
    connect(&keys, &KeyRing::generationFailed, this, [this](const QString &reason) {
        reload();
        m_status->setText(tr("No new key could be generated: %1").arg(reason));
    });
    // The issuer follows the listening address and the settings; the JWKS path follows the profile.
    connect(&m_server, &OAuthServer::settingsChanged, this, &SigningKeysView::updateJwksUrl);
    connect(&m_server, &OAuthServer::listeningChanged, this, &SigningKeysView::updateJwksUrl);
    reload();
    updateJwksUrl();
}

QString SigningKeysView::jwksUrl() const
{
    return DiscoveryEndpoint::endpointUrl(m_server.issuer(), m_server.settings().profileDescription().paths.jwks);
}

void SigningKeysView::rotate()
{
    m_server.rotateSigningKey();
    showGenerating();
}

void SigningKeysView::copyJwksUrl()
{
    QApplication::clipboard()->setText(jwksUrl());
    m_status->setText(tr("Copied %1").arg(jwksUrl()));
}

void SigningKeysView::reload()
{
    m_keys->clear();
    for (const KeyRing::Entry &entry : m_server.keys().entries()) {
        auto *item = new QTreeWidgetItem(m_keys);
        item->setText(KidColumn, entry.key.kid());
        item->setText(StateColumn, entry.isActive() ? tr("active (signs)") : tr("retired (verifies only)"));
        item->setText(CreatedColumn, Countdown::localTime(entry.createdMs));
        item->setText(VerifiesUntilColumn,
                      entry.isActive() ? tr("while active") : Countdown::localTime(entry.retiredUntilMs));
    }
    if (m_keys->topLevelItemCount() == 0)
        m_status->setText(tr("No signing key yet."));
    showGenerating();
}

void SigningKeysView::showGenerating()
{
    const bool generating = m_server.keys().isGenerating();
    m_rotate->setEnabled(!generating);
    if (generating)
        m_status->setText(tr("Generating a new signing key…"));
}

void SigningKeysView::updateJwksUrl()
{
    m_jwksUrl->setText(jwksUrl());
}

} // namespace oauthsim
