#pragma once

#include <array>

#include <QWidget>

#include "models/FlowModel.h"

namespace oauthsim {

// The seed's eight steps as a sequence diagram: lanes Browser, Authorization server and Client application, one
// band per step, top to bottom. A step's arrows stay dim until its exchange happens, then light up with the real
// URL and the result; failed steps are drawn as errors, skipped ones (autoapprove) greyed with a note. Clicking a
// step, or Enter on the current one, emits exchangeActivated with the exchange that realised it. Arrow keys move
// between steps.
class FlowDiagram : public QWidget
{
    Q_OBJECT
public:
    explicit FlowDiagram(QWidget *parent = nullptr);

    // Shows a flow (a copy: the diagram never reaches back into the model).
    void setFlow(const FlowModel::Flow &flow);
    // Back to the empty diagram: every step pending.
    void clear();
    const FlowModel::Flow &flow() const { return m_flow; }

    FlowModel::StepState stepState(SeedStep step) const;
    bool isStepDone(SeedStep step) const { return stepState(step) == FlowModel::StepState::Done; }
    // The clickable band of a step, in widget coordinates.
    QRect arrowRect(SeedStep step) const;
    SeedStep stepAt(const QPoint &pos) const;

    SeedStep currentStep() const { return m_current; }
    void setCurrentStep(SeedStep step);
    SeedStep hoveredStep() const { return m_hovered; }

    // One line per step, as the tooltip and the accessible description say it.
    QString stepSummary(SeedStep step) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void exchangeActivated(quint64 exchangeId);
    void currentStepChanged(oauthsim::SeedStep step);
    // SeedStep::None when the pointer leaves the steps.
    void hoveredStepChanged(oauthsim::SeedStep step);

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum Lane
    {
        Browser,
        Server,
        ClientApp
    };
    struct Hop
    {
        Lane from;
        Lane to;
        bool redirect; // drawn dashed: the server answers, the browser follows
    };
    static QList<Hop> hopsOf(SeedStep step);

    struct Layout
    {
        int headerBottom = 0;
        std::array<int, 3> laneX{};
        std::array<QRect, 8> rows;
    };
    Layout layout() const;
    int rowHeight(SeedStep step) const;
    int laneAreaLeft() const;

    void paintLanes(QPainter &p, const Layout &l) const;
    void paintStep(QPainter &p, const Layout &l, SeedStep step) const;
    // The current/hovered band; returns the row's background colour.
    QColor paintBand(QPainter &p, const QRect &row, SeedStep step) const;
    void paintBadge(QPainter &p, const QRect &row, SeedStep step, const QColor &color, bool lit) const;
    void paintText(QPainter &p, const QRect &rect, const QString &boldPart, const QString &text, const QColor &color,
                   const QColor &background) const;
    void paintArrow(QPainter &p, QPoint from, QPoint to, const QPen &pen) const;
    QColor stateColor(FlowModel::StepState state) const;
    QString urlOf(SeedStep step) const;
    QString resultOf(SeedStep step) const;
    void setHovered(SeedStep step);
    void activate(SeedStep step);
    void updateAccessibleDescription();

    FlowModel::Flow m_flow;
    SeedStep m_current = SeedStep::Authorize;
    SeedStep m_hovered = SeedStep::None;
};

} // namespace oauthsim
