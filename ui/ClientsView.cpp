#include "ClientsView.h"

#include "ClientEditor.h"
#include "Confirmation.h"
#include "OAuthServer.h"
#include "RowTable.h"
#include "SecretGenerator.h"
#include "models/ClientListModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace oauthsim {

ClientsView::ClientsView(OAuthServer &server, QWidget *parent) : QWidget(parent), m_server(server)
{
    confirm = Confirmation::messageBox(this, tr("Delete client"));
    m_model = new ClientListModel(server, this);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("clientsSplitter"));
    splitter->addWidget(buildTablePane());
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_editor = new ClientEditor(server, scroll);
    m_editor->setObjectName(QStringLiteral("clientEditor"));
    m_editor->setAccessibleName(tr("Client editor"));
    scroll->setWidget(m_editor);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    // Proportions: QSplitter scales these to its width.
    splitter->setSizes({3000, 2000});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    // Connected after setModel(), so the selection model has already reacted when these run.
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ClientsView::onRowsChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ClientsView::onModelReset);
    connect(m_editor, &ClientEditor::clientApplied, this,
            [this](const QString &, const QString &clientId) { selectClient(clientId); });
    onModelReset();
}

QWidget *ClientsView::buildTablePane()
{
    auto *pane = new QWidget(this);
    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableView(pane);
    m_table->setObjectName(QStringLiteral("clientTable"));
    m_table->setAccessibleName(tr("Registered clients"));
    RowTable::setUp(m_table, m_model, QAbstractItemView::SingleSelection);
    // Nothing is edited in place except the autoapprove checkbox, which the delegate toggles on a click.
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_table);

    auto *deleteAction = new QAction(tr("Delete client"), m_table);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteAction, &QAction::triggered, this, &ClientsView::deleteClient);
    m_table->addAction(deleteAction);

    auto *buttons = new QHBoxLayout;
    const auto button = [&](const char *name, const QString &text, const QString &accessible) {
        auto *b = new QPushButton(text, pane);
        b->setObjectName(QLatin1String(name));
        b->setAccessibleName(accessible);
        buttons->addWidget(b);
        return b;
    };
    m_add = button("addClient", tr("Add"), tr("Add a client"));
    m_duplicate = button("duplicateClient", tr("Duplicate"), tr("Duplicate the selected client"));
    m_delete = button("deleteClient", tr("Delete"), tr("Delete the selected client"));
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_add, &QPushButton::clicked, this, &ClientsView::addClient);
    connect(m_duplicate, &QPushButton::clicked, this, &ClientsView::duplicateClient);
    connect(m_delete, &QPushButton::clicked, this, &ClientsView::deleteClient);
    return pane;
}

void ClientsView::onCurrentRowChanged(const QModelIndex &current)
{
    // A rename removes the row and adds it back under its new id; clientApplied then selects it.
    if (m_editor->isApplying())
        return;
    const QString id = current.isValid() ? m_model->client(current.row()).id : QString();
    if (id != m_selectedId)
        setSelectedId(id);
}

void ClientsView::onRowsChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    const int row = m_model->rowOf(m_selectedId);
    if (row >= topLeft.row() && row <= bottomRight.row())
        m_editor->mergeExternalChange(m_model->client(row));
}

void ClientsView::onModelReset()
{
    int row = m_model->rowOf(m_selectedId);
    if (row < 0 && m_model->rowCount() > 0)
        row = 0;
    if (row < 0) {
        setSelectedId(QString());
        return;
    }
    const QString previous = m_selectedId;
    selectClient(m_model->client(row).id);
    // Still the same client: it may have changed under the reset.
    if (m_selectedId == previous)
        m_editor->mergeExternalChange(m_model->client(row));
}

void ClientsView::setSelectedId(const QString &id)
{
    m_selectedId = id;
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_editor->setClient(m_model->client(row));
    else
        m_editor->clearClient();
    updateButtons();
    Q_EMIT selectedClientChanged(id);
}

void ClientsView::updateButtons()
{
    const bool selected = !m_selectedId.isEmpty();
    m_duplicate->setEnabled(selected);
    m_delete->setEnabled(selected);
}

void ClientsView::selectClient(const QString &clientId)
{
    const int row = m_model->rowOf(clientId);
    if (row < 0)
        return;
    RowTable::select(m_table, m_model->index(row, 0));
    // The current row may already have been this one (e.g. after a rename was ignored above).
    if (m_selectedId != clientId)
        setSelectedId(clientId);
}

void ClientsView::toggleAutoApprove()
{
    const int row = m_model->rowOf(m_selectedId);
    if (row < 0)
        return;
    const bool off = m_model->client(row).autoApprove.mode == AutoApprove::Mode::Off;
    m_server.setAutoApprove(m_selectedId, off ? AutoApprove{AutoApprove::Mode::All, {}} : AutoApprove{});
}

void ClientsView::addClient()
{
    Client c;
    c.id = uniqueId(QStringLiteral("client"));
    c.secret = SecretGenerator::generate();
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet({QStringLiteral("read"), QStringLiteral("write")});
    c.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
    if (!addAndSelect(c))
        return;
    // The generated id is a placeholder: invite the user to type the real one.
    if (auto *idEdit = m_editor->findChild<QLineEdit *>(QStringLiteral("clientIdEdit"))) {
        idEdit->setFocus(Qt::OtherFocusReason);
        idEdit->selectAll();
    }
}

void ClientsView::duplicateClient()
{
    const int row = m_model->rowOf(m_selectedId);
    if (row < 0)
        return;
    Client copy = m_model->client(row);
    copy.id = uniqueId(copy.id + QStringLiteral("-copy"));
    addAndSelect(copy);
}

void ClientsView::deleteClient()
{
    const int row = m_model->rowOf(m_selectedId);
    if (row < 0 || !confirm)
        return;
    const QString id = m_selectedId;
    if (!confirm(tr("Delete the client \"%1\"? Applications using it will get invalid_client from the next "
                    "request.")
                     .arg(id)))
        return;
    m_server.removeClient(id);
    // Select the neighbour, so the keyboard can keep deleting.
    const int next = qMin(row, m_model->rowCount() - 1);
    if (next >= 0)
        selectClient(m_model->client(next).id);
    else if (!m_selectedId.isEmpty())
        setSelectedId(QString());
}

bool ClientsView::addAndSelect(const Client &client)
{
    // The template is valid and uniqueId() avoids the only other refusal; nothing changes if it happens anyway.
    if (m_server.saveClient(client).has_value())
        return false;
    selectClient(client.id);
    return true;
}

QString ClientsView::uniqueId(const QString &base) const
{
    QString id = base;
    for (int n = 2; m_model->rowOf(id) >= 0; ++n)
        id = QStringLiteral("%1-%2").arg(base).arg(n);
    return id;
}

} // namespace oauthsim
