#include "TokensView.h"

#include "OAuthServer.h"
#include "RowTable.h"
#include "models/TokenTableModel.h"
#include "protocol/TokenResponse.h"
#include "store/TokenStore.h"
#include "Clock.h"

#include <QCheckBox>
#include <QClipboard>
#include <QFontDatabase>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace oauthsim {

TokensView::TokensView(OAuthServer &server, QWidget *parent)
    : QWidget(parent), m_server(server), m_model(new TokenTableModel(server, this)), m_table(new QTableView(this)),
      m_json(new QPlainTextEdit(this)), m_status(new QLabel(this))
{
    m_status->setObjectName(QStringLiteral("tokensStatus"));
    m_status->setAccessibleName(tr("Tokens status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildActions());
    layout->addWidget(buildPanes(), 1);
    layout->addWidget(m_status);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateActions();
        updateResponseJson();
    });
    // Status changes (revocation) and the countdown tick: expires_in follows the clock.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        updateActions();
        updateResponseJson();
    });
    updateActions();
}

QWidget *TokensView::buildPanes()
{
    m_table->setObjectName(QStringLiteral("tokenTable"));
    m_table->setAccessibleName(tr("Access and refresh tokens"));
    RowTable::setUp(m_table, m_model, QAbstractItemView::ExtendedSelection);
    m_table->setWordWrap(false);
    // Delete acts on the table only while it has focus, so it cannot clash with other tabs' Delete.
    auto *revokeKey = new QShortcut(QKeySequence::Delete, m_table);
    revokeKey->setContext(Qt::WidgetShortcut);
    connect(revokeKey, &QShortcut::activated, this, &TokensView::revokeSelected);

    m_json->setObjectName(QStringLiteral("tokenResponseJson"));
    m_json->setAccessibleName(tr("Token response JSON"));
    m_json->setReadOnly(true);
    m_json->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_json->setPlaceholderText(tr("Select an access token to see the JSON the token endpoint answered with."));
    auto *jsonBox = new QGroupBox(tr("Token response"), this);
    auto *jsonLayout = new QVBoxLayout(jsonBox);
    jsonLayout->addWidget(m_json);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("tokensSplitter"));
    splitter->addWidget(m_table);
    splitter->addWidget(jsonBox);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    return splitter;
}

QWidget *TokensView::buildActions()
{
    auto *bar = new QWidget(this);
    const auto button = [bar](const char *name, const QString &text, const QString &accessible, const QString &tip) {
        auto *b = new QPushButton(text, bar);
        b->setObjectName(QLatin1String(name));
        b->setAccessibleName(accessible);
        b->setToolTip(tip);
        return b;
    };
    m_reveal = new QCheckBox(tr("&Reveal values"), bar);
    m_reveal->setObjectName(QStringLiteral("revealTokens"));
    m_reveal->setAccessibleName(tr("Reveal token values"));
    m_revoke = button("revokeToken", tr("Re&voke"), tr("Revoke the selected tokens"),
                      tr("Revoke the selected tokens: the next request using them fails (Delete)"));
    m_copy = button("copyToken", tr("&Copy"), tr("Copy the selected token value"),
                    tr("Copy the selected token's value to the clipboard"));
    m_forget = button("forgetApprovals", tr("Forget remembered approvals"), tr("Forget remembered approvals"),
                      tr("The next authorization of every user shows the approval page again; tokens stay valid"));
    m_signOut = button("signOutAll", tr("Sign out all sessions"), tr("Sign out all sessions"),
                       tr("Every browser session ends: the next authorization asks to log in again"));
    connect(m_reveal, &QCheckBox::toggled, this, &TokensView::setRevealed);
    connect(m_revoke, &QPushButton::clicked, this, &TokensView::revokeSelected);
    connect(m_copy, &QPushButton::clicked, this, &TokensView::copySelected);
    connect(m_forget, &QPushButton::clicked, this, &TokensView::forgetApprovals);
    connect(m_signOut, &QPushButton::clicked, this, &TokensView::signOutAll);

    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    for (QWidget *w :
         {static_cast<QWidget *>(m_reveal), static_cast<QWidget *>(m_revoke), static_cast<QWidget *>(m_copy)})
        row->addWidget(w);
    row->addStretch(1);
    row->addWidget(m_forget);
    row->addWidget(m_signOut);
    return bar;
}

QList<IssuedToken> TokensView::selectedTokens() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QList<IssuedToken> out;
    for (const QModelIndex &index : std::as_const(rows))
        out << m_model->tokenAt(index.row());
    return out;
}

void TokensView::showStatus(const QString &message)
{
    m_status->setText(message);
    Q_EMIT statusMessage(message);
}

void TokensView::updateActions()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const bool anyLive = std::any_of(rows.begin(), rows.end(), [this](const QModelIndex &index) {
        return m_model->statusAt(index.row()) != TokenTableModel::Status::Revoked;
    });
    m_revoke->setEnabled(anyLive);
    m_copy->setEnabled(!rows.isEmpty());
}

void TokensView::setRevealed(bool revealed)
{
    if (m_reveal->isChecked() != revealed)
        m_reveal->setChecked(revealed); // re-enters through toggled
    m_model->setRevealed(revealed);
    updateResponseJson();
}

void TokensView::revokeSelected()
{
    const QList<IssuedToken> tokens = selectedTokens();
    if (tokens.isEmpty())
        return;
    // Counted from the store's own signal: a refresh token takes its access token with it.
    int revoked = 0;
    const auto counter = connect(&m_server.tokens(), &TokenStore::tokenRevoked, this, [&revoked] { ++revoked; });
    for (const IssuedToken &token : tokens)
        m_server.revokeToken(token.value);
    disconnect(counter);
    updateActions(); // the model reports the new statuses with its next batch; the buttons follow now
    if (revoked == 0)
        showStatus(tr("Nothing revoked: the selected tokens were already revoked or expired and purged."));
    else if (revoked == 1)
        showStatus(tr("1 token revoked."));
    else
        showStatus(tr("%1 tokens revoked.").arg(revoked));
}

void TokensView::copySelected()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const bool currentSelected = current.isValid() && m_table->selectionModel()->isRowSelected(current.row());
    const QList<IssuedToken> selected = selectedTokens();
    if (!currentSelected && selected.isEmpty())
        return;
    const IssuedToken token = currentSelected ? m_model->tokenAt(current.row()) : selected.first();
    QGuiApplication::clipboard()->setText(token.value);
    const QString shown = m_model->isRevealed() ? token.value : TokenTableModel::masked(token.value);
    showStatus(token.kind == IssuedToken::Kind::Access ? tr("Access token %1 copied to the clipboard.").arg(shown)
                                                       : tr("Refresh token %1 copied to the clipboard.").arg(shown));
}

void TokensView::forgetApprovals()
{
    m_server.forgetApprovals();
    showStatus(tr("Remembered approvals forgotten: the next authorization shows the approval page again."));
}

void TokensView::signOutAll()
{
    const int ended = m_server.signOutAllSessions();
    if (ended == 1)
        showStatus(tr("1 session signed out."));
    else
        showStatus(tr("%1 sessions signed out.").arg(ended));
}

std::optional<IssuedToken> TokensView::responseAccessFor(const IssuedToken &token) const
{
    if (token.kind == IssuedToken::Kind::Access)
        return token;
    // For a refresh token: the access token currently issued with it (the response that carried them both).
    if (const IssuedToken *access = m_server.tokens().accessForRefresh(token.value))
        return *access;
    return std::nullopt;
}

void TokensView::updateResponseJson()
{
    const QList<IssuedToken> selected = selectedTokens();
    std::optional<IssuedToken> access;
    if (selected.size() == 1)
        access = responseAccessFor(selected.first());
    if (!access) {
        m_json->clear();
        return;
    }
    TokenResponse response{.access = *access, .refresh = std::nullopt};
    if (!access->refreshToken.isEmpty()) {
        if (auto known = m_model->find(IssuedToken::Kind::Refresh, access->refreshToken))
            response.refresh = *known;
        else if (const IssuedToken *stored = m_server.tokens().findRefresh(access->refreshToken))
            response.refresh = *stored;
    }
    // Masked like the table unless values are revealed: the JSON is on screen too.
    if (!m_model->isRevealed()) {
        response.access.value = TokenTableModel::masked(response.access.value);
        if (response.refresh)
            response.refresh->value = TokenTableModel::masked(response.refresh->value);
    }
    const QString text = QString::fromUtf8(response.toJson(m_server.clock().nowMs()));
    if (m_json->toPlainText() != text)
        m_json->setPlainText(text);
}

} // namespace oauthsim
