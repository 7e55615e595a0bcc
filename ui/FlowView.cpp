#include "FlowView.h"

#include <QLabel>
#include <QListView>
#include <QScrollArea>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "FlowDiagram.h"
#include "SeedStepText.h"
#include "models/FlowModel.h"

namespace oauthsim {

FlowView::FlowView(OAuthServer &server, QWidget *parent) : QWidget(parent), m_model(new FlowModel(server, this))
{
    setObjectName(QStringLiteral("flowView"));
    buildUi();
    connect(m_model, &FlowModel::rowsInserted, this, &FlowView::onRowsInserted);
    connect(m_model, &FlowModel::flowChanged, this, &FlowView::onFlowChanged);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    connect(m_diagram, &FlowDiagram::exchangeActivated, this, &FlowView::exchangeActivated);
    connect(m_diagram, &FlowDiagram::currentStepChanged, this, [this](SeedStep step) { explain(step); });
    connect(m_diagram, &FlowDiagram::hoveredStepChanged, this,
            [this](SeedStep step) { explain(step == SeedStep::None ? m_diagram->currentStep() : step); });
    explain(m_diagram->currentStep());
}

void FlowView::buildUi()
{
    auto *listLabel = new QLabel(tr("&Recent flows"), this);
    m_list = new QListView(this);
    m_list->setObjectName(QStringLiteral("flowList"));
    m_list->setAccessibleName(tr("Recent flows"));
    m_list->setToolTip(tr("Every login → authorize → code → token → refresh chain the server has seen, newest first"));
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    // Rows wrap rather than elide: the step reached and the time are at the end.
    m_list->setWordWrap(true);
    listLabel->setBuddy(m_list);

    auto *listPane = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(listLabel);
    listLayout->addWidget(m_list);

    m_diagram = new FlowDiagram(this);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("flowDiagramScroll"));
    scroll->setAccessibleName(tr("Flow diagram area"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_diagram);

    m_explanation = new QTextBrowser(this);
    m_explanation->setObjectName(QStringLiteral("stepExplanation"));
    m_explanation->setAccessibleName(tr("Step explanation"));
    m_explanation->setOpenLinks(false);

    auto *detail = new QSplitter(Qt::Vertical, this);
    detail->setObjectName(QStringLiteral("flowDetailSplitter"));
    detail->setAccessibleName(tr("Diagram and explanation"));
    detail->addWidget(scroll);
    detail->addWidget(m_explanation);
    detail->setStretchFactor(0, 3);
    detail->setStretchFactor(1, 1);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("flowSplitter"));
    splitter->setAccessibleName(tr("Flows and diagram"));
    splitter->addWidget(listPane);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({300, 900});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void FlowView::showFlow(quint64 flowId)
{
    m_model->flush();
    const int row = m_model->rowOf(flowId);
    if (row < 0) {
        m_wantedFlow = flowId;
        return;
    }
    m_wantedFlow = 0;
    m_followNewest = row == 0;
    selectRow(row);
}

void FlowView::onRowsInserted()
{
    if (m_wantedFlow != 0 && m_model->rowOf(m_wantedFlow) >= 0) {
        showFlow(m_wantedFlow);
        return;
    }
    if (m_followNewest)
        selectRow(0);
}

void FlowView::selectRow(int row)
{
    // A programmatic selection must not count as the user picking a flow.
    m_selecting = true;
    m_list->setCurrentIndex(m_model->index(row));
    m_selecting = false;
}

void FlowView::onCurrentRowChanged(const QModelIndex &current)
{
    if (!current.isValid()) {
        m_shownFlow = 0;
        m_diagram->clear();
        explain(m_diagram->currentStep());
        return;
    }
    const quint64 id = m_model->flowAt(current.row()).id;
    // Rows inserted above the selection move it without the user doing anything.
    if (id == m_shownFlow)
        return;
    if (!m_selecting) {
        m_followNewest = current.row() == 0;
        m_wantedFlow = 0;
    }
    m_shownFlow = id;
    onFlowChanged(id);
}

void FlowView::onFlowChanged(quint64 flowId)
{
    if (flowId != m_shownFlow)
        return;
    if (const FlowModel::Flow *flow = m_model->flow(flowId))
        m_diagram->setFlow(*flow);
    explain(m_diagram->hoveredStep() == SeedStep::None ? m_diagram->currentStep() : m_diagram->hoveredStep());
}

void FlowView::explain(SeedStep step)
{
    if (int(step) < 1 || int(step) > SeedStepText::kStepCount)
        return;
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p><p><i>%3</i> %4</p>")
                       .arg(tr("Step %1 · %2").arg(int(step)).arg(SeedStepText::title(step)).toHtmlEscaped(),
                            SeedStepText::explanation(step).toHtmlEscaped(), tr("Why:").toHtmlEscaped(),
                            SeedStepText::reason(step).toHtmlEscaped());
    if (m_shownFlow != 0)
        html +=
            QStringLiteral("<p><b>%1</b> %2</p>")
                .arg(tr("In flow #%1:").arg(m_shownFlow).toHtmlEscaped(), m_diagram->stepSummary(step).toHtmlEscaped());
    m_explanation->setHtml(html);
}

} // namespace oauthsim
