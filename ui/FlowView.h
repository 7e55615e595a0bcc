#pragma once

#include <QWidget>

#include "model/SeedStep.h"

class QListView;
class QModelIndex;
class QTextBrowser;

namespace oauthsim {

class FlowDiagram;
class FlowModel;
class OAuthServer;

// The Flow tab, the teaching view: recent flows on the left, the selected one drawn as a sequence diagram, and a
// panel explaining the step under the pointer (or the current one). The newest flow is shown automatically until
// the user picks an older one; picking the newest again resumes following.
class FlowView : public QWidget
{
    Q_OBJECT
public:
    explicit FlowView(OAuthServer &server, QWidget *parent = nullptr);

    FlowModel *model() const { return m_model; }
    FlowDiagram *diagram() const { return m_diagram; }
    // 0 when no flow is shown.
    quint64 shownFlowId() const { return m_shownFlow; }

public Q_SLOTS:
    // Selects a flow; if it has not reached the model yet (batched), it is selected when it arrives.
    void showFlow(quint64 flowId);

Q_SIGNALS:
    // The user clicked a step (or pressed Enter on it): the window selects that exchange in Requests.
    void exchangeActivated(quint64 exchangeId);

private:
    void buildUi();
    void onRowsInserted();
    void onCurrentRowChanged(const QModelIndex &current);
    void onFlowChanged(quint64 flowId);
    void selectRow(int row);
    void explain(SeedStep step);

    FlowModel *m_model = nullptr;
    QListView *m_list = nullptr;
    FlowDiagram *m_diagram = nullptr;
    QTextBrowser *m_explanation = nullptr;
    quint64 m_shownFlow = 0;
    quint64 m_wantedFlow = 0;
    bool m_followNewest = true;
    bool m_selecting = false;
};

} // namespace oauthsim
