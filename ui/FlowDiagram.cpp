#include "FlowDiagram.h"

#include <QAccessible>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include "SeedStepText.h"

namespace oauthsim {

namespace {

constexpr int kMargin = 8;
constexpr int kHopHeight = 16;
constexpr int kRowPadding = 5;
constexpr int kMaxRowStretch = 18;
constexpr std::array<double, 3> kLaneFraction{0.10, 0.52, 0.92};

std::size_t indexOf(SeedStep step)
{
    return std::size_t(step) - 1;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

FlowDiagram::FlowDiagram(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("flowDiagram"));
    setAccessibleName(tr("Flow diagram"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    updateAccessibleDescription();
}

void FlowDiagram::setFlow(const FlowModel::Flow &flow)
{
    m_flow = flow;
    updateAccessibleDescription();
    update();
}

void FlowDiagram::clear()
{
    setFlow(FlowModel::Flow{});
}

FlowModel::StepState FlowDiagram::stepState(SeedStep step) const
{
    if (int(step) < 1 || int(step) > SeedStepText::kStepCount)
        return FlowModel::StepState::Pending;
    return m_flow.state(step);
}

QList<FlowDiagram::Hop> FlowDiagram::hopsOf(SeedStep step)
{
    switch (step) {
    case SeedStep::LoginPage:
    case SeedStep::AuthorizeAgain:
        return {{Server, Browser, true}, {Browser, Server, false}};
    case SeedStep::CodeRedirect:
        return {{Server, Browser, true}, {Browser, ClientApp, false}};
    case SeedStep::TokenExchange:
    case SeedStep::Refresh:
        return {{ClientApp, Server, false}};
    default:
        return {{Browser, Server, false}};
    }
}

int FlowDiagram::rowHeight(SeedStep step) const
{
    return 2 * kRowPadding + 2 * fontMetrics().height() + int(hopsOf(step).size()) * kHopHeight;
}

int FlowDiagram::laneAreaLeft() const
{
    // The gutter holds the step's numbered badge.
    return kMargin + fontMetrics().height() + 18;
}

FlowDiagram::Layout FlowDiagram::layout() const
{
    Layout l;
    l.headerBottom = kMargin + fontMetrics().height() + 14;
    const int left = laneAreaLeft();
    const int laneWidth = width() - kMargin - left;
    for (std::size_t i = 0; i < l.laneX.size(); ++i)
        l.laneX[i] = left + int(kLaneFraction[i] * laneWidth);
    int needed = 0;
    for (SeedStep s : SeedStepText::steps())
        needed += rowHeight(s);
    // Spare height loosens the rows a little; beyond that the diagram stays at the top.
    const int stretch =
        qBound(0, (height() - l.headerBottom - kMargin - needed) / SeedStepText::kStepCount, kMaxRowStretch);
    int y = l.headerBottom;
    for (SeedStep s : SeedStepText::steps()) {
        const int h = rowHeight(s) + stretch;
        l.rows[indexOf(s)] = QRect(kMargin, y, width() - 2 * kMargin, h);
        y += h;
    }
    return l;
}

QRect FlowDiagram::arrowRect(SeedStep step) const
{
    if (int(step) < 1 || int(step) > SeedStepText::kStepCount)
        return {};
    return layout().rows[indexOf(step)];
}

SeedStep FlowDiagram::stepAt(const QPoint &pos) const
{
    const Layout l = layout();
    for (SeedStep s : SeedStepText::steps()) {
        if (l.rows[indexOf(s)].contains(pos))
            return s;
    }
    return SeedStep::None;
}

QSize FlowDiagram::minimumSizeHint() const
{
    int height = 2 * kMargin + fontMetrics().height() + 14;
    for (SeedStep s : SeedStepText::steps())
        height += rowHeight(s);
    return {laneAreaLeft() + fontMetrics().averageCharWidth() * 48 + kMargin, height};
}

QSize FlowDiagram::sizeHint() const
{
    const QSize min = minimumSizeHint();
    return {qMax(min.width(), fontMetrics().averageCharWidth() * 96), min.height() + 4 * SeedStepText::kStepCount};
}

QColor FlowDiagram::stateColor(FlowModel::StepState state) const
{
    // Semantic colours, shifted by the palette's brightness so they keep their contrast on light and dark bases.
    const bool dark = isDark(palette());
    switch (state) {
    case FlowModel::StepState::Done:
        return dark ? QColor(0x5c, 0xc9, 0x7b) : QColor(0x1e, 0x7e, 0x3e);
    case FlowModel::StepState::Failed:
        return dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xc0, 0x2b, 0x1e);
    case FlowModel::StepState::Skipped:
        return palette().color(QPalette::PlaceholderText);
    case FlowModel::StepState::Pending:
        break;
    }
    QColor dim = palette().color(QPalette::Text);
    dim.setAlphaF(0.38f);
    return dim;
}

QString FlowDiagram::urlOf(SeedStep step) const
{
    const FlowModel::Step &s = m_flow.step(step);
    if (s.exchangeId == 0)
        return SeedStepText::request(step);
    // Step 6 is the browser following the code redirect: its URL is where the server sent it.
    if (step == SeedStep::CodeRedirect && !s.location.isEmpty())
        return tr("GET %1").arg(s.location);
    QString url = QString::fromLatin1(s.method) + QLatin1Char(' ') + s.target;
    if (!s.form.isEmpty())
        url += QStringLiteral("  ") + s.form;
    return url;
}

QString FlowDiagram::resultOf(SeedStep step) const
{
    const FlowModel::Step &s = m_flow.step(step);
    switch (stepState(step)) {
    case FlowModel::StepState::Pending:
        return tr("not reached yet");
    case FlowModel::StepState::Skipped:
        return SeedStepText::skippedNote(step, m_flow.approval);
    case FlowModel::StepState::Failed:
        return s.count > 1 ? tr("error: %1 (×%2)").arg(s.result).arg(s.count) : tr("error: %1").arg(s.result);
    case FlowModel::StepState::Done:
        break;
    }
    if (step == SeedStep::CodeRedirect)
        return tr("%1 redirect: the code reaches the client application").arg(s.status);
    return s.count > 1 ? tr("%1 (×%2)").arg(s.result).arg(s.count) : s.result;
}

QString FlowDiagram::stepSummary(SeedStep step) const
{
    QString state;
    switch (stepState(step)) {
    case FlowModel::StepState::Pending:
        state = tr("pending");
        break;
    case FlowModel::StepState::Done:
        state = tr("done");
        break;
    case FlowModel::StepState::Failed:
        state = tr("failed");
        break;
    case FlowModel::StepState::Skipped:
        state = tr("skipped");
        break;
    }
    return tr("Step %1, %2: %3. %4. %5.")
        .arg(int(step))
        .arg(SeedStepText::title(step), state, urlOf(step), resultOf(step));
}

void FlowDiagram::updateAccessibleDescription()
{
    QStringList parts;
    parts << (m_flow.id == 0 ? tr("No flow selected.") : tr("Flow #%1.").arg(m_flow.id));
    for (SeedStep s : SeedStepText::steps())
        parts << stepSummary(s);
    setAccessibleDescription(parts.join(QLatin1Char(' ')));
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::DescriptionChanged);
        QAccessible::updateAccessibility(&event);
    }
}

void FlowDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const Layout l = layout();
    paintLanes(p, l);
    for (SeedStep s : SeedStepText::steps())
        paintStep(p, l, s);
}

void FlowDiagram::paintLanes(QPainter &p, const Layout &l) const
{
    const QStringList names{tr("Browser"), tr("Authorization server"), tr("Client application")};
    const int spacing = qMin(l.laneX[1] - l.laneX[0], l.laneX[2] - l.laneX[1]);
    QPen lifeline(palette().color(QPalette::Mid), 1, Qt::DashLine);
    for (std::size_t i = 0; i < l.laneX.size(); ++i) {
        p.setPen(lifeline);
        p.drawLine(l.laneX[i], l.headerBottom, l.laneX[i], height() - kMargin);
        const QString name = fontMetrics().elidedText(names[int(i)], Qt::ElideRight, spacing - 12);
        const int w = fontMetrics().horizontalAdvance(name) + 12;
        const QRect head(l.laneX[i] - w / 2, kMargin, w, l.headerBottom - kMargin - 6);
        p.setPen(palette().color(QPalette::Mid));
        p.setBrush(palette().color(QPalette::Button));
        p.drawRoundedRect(head, 4, 4);
        p.setPen(palette().color(QPalette::ButtonText));
        p.drawText(head, Qt::AlignCenter, name);
    }
}

void FlowDiagram::paintStep(QPainter &p, const Layout &l, SeedStep step) const
{
    const QRect row = l.rows[indexOf(step)];
    const FlowModel::StepState state = stepState(step);
    const QColor color = stateColor(state);
    const bool lit = state == FlowModel::StepState::Done || state == FlowModel::StepState::Failed;
    const QColor background = paintBand(p, row, step);
    paintBadge(p, row, step, color, lit);

    const QList<Hop> hops = hopsOf(step);
    int spanLeft = l.laneX[ClientApp];
    for (const Hop &h : hops)
        spanLeft = qMin(spanLeft, l.laneX[qMin(h.from, h.to)]);
    const int textLeft = spanLeft + 6;
    const int lineHeight = fontMetrics().height();
    const QRect labelRect(textLeft, row.top() + kRowPadding, row.right() - textLeft, lineHeight);
    paintText(p, labelRect, SeedStepText::title(step) + QStringLiteral("  "), urlOf(step),
              lit ? palette().color(QPalette::Text) : color, background);

    int y = labelRect.bottom() + kHopHeight / 2 + 1;
    for (const Hop &h : hops) {
        Qt::PenStyle style = h.redirect ? Qt::DashLine : Qt::SolidLine;
        if (state == FlowModel::StepState::Skipped)
            style = Qt::DotLine;
        paintArrow(p, QPoint(l.laneX[h.from], y), QPoint(l.laneX[h.to], y), QPen(color, lit ? 2 : 1, style));
        y += kHopHeight;
    }
    paintText(p, QRect(textLeft, y - kHopHeight / 2, labelRect.width(), lineHeight), {}, resultOf(step), color,
              background);
}

QColor FlowDiagram::paintBand(QPainter &p, const QRect &row, SeedStep step) const
{
    // Opaque, so the strips behind the text blend in with the band.
    const QColor base = palette().color(QPalette::Base);
    QColor background = base;
    if (step == m_current || step == m_hovered) {
        const QColor h = palette().color(QPalette::Highlight);
        const float a = step == m_current ? 0.16f : 0.08f;
        background = QColor::fromRgbF(base.redF() + (h.redF() - base.redF()) * a,
                                      base.greenF() + (h.greenF() - base.greenF()) * a,
                                      base.blueF() + (h.blueF() - base.blueF()) * a);
        p.fillRect(row, background);
    }
    if (step == m_current && hasFocus()) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(row.adjusted(0, 0, -1, -1));
    }
    return background;
}

void FlowDiagram::paintBadge(QPainter &p, const QRect &row, SeedStep step, const QColor &color, bool lit) const
{
    // The numbered badge: filled once the step happened.
    const int d = fontMetrics().height() + 4;
    const QRect badge(kMargin + 2, row.top() + kRowPadding, d, d);
    p.setPen(QPen(color, 1.5));
    p.setBrush(lit ? QBrush(color) : Qt::NoBrush);
    p.drawEllipse(badge);
    p.setPen(lit ? palette().color(QPalette::Base) : color);
    p.drawText(badge, Qt::AlignCenter, QString::number(int(step)));
}

void FlowDiagram::paintText(QPainter &p, const QRect &rect, const QString &boldPart, const QString &text,
                            const QColor &color, const QColor &background) const
{
    QFont bold = font();
    bold.setBold(true);
    const int boldWidth = boldPart.isEmpty() ? 0 : QFontMetrics(bold).horizontalAdvance(boldPart);
    const QString elided = fontMetrics().elidedText(text, Qt::ElideRight, qMax(0, rect.width() - boldWidth));
    // A strip of the background behind the text, so lifelines do not cross it.
    p.fillRect(
        QRect(rect.left() - 2, rect.top(), boldWidth + fontMetrics().horizontalAdvance(elided) + 4, rect.height()),
        background);
    p.setPen(color);
    if (boldWidth > 0) {
        p.setFont(bold);
        p.drawText(rect, Qt::AlignLeft | Qt::AlignVCenter, boldPart);
        p.setFont(font());
    }
    p.drawText(rect.adjusted(boldWidth, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, elided);
}

void FlowDiagram::paintArrow(QPainter &p, QPoint from, QPoint to, const QPen &pen) const
{
    p.setPen(pen);
    p.drawLine(from, to);
    const int dir = to.x() > from.x() ? -1 : 1;
    QPainterPath head;
    head.moveTo(to);
    head.lineTo(to.x() + dir * 8, to.y() - 4);
    head.lineTo(to.x() + dir * 8, to.y() + 4);
    head.closeSubpath();
    p.fillPath(head, pen.color());
}

bool FlowDiagram::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const SeedStep step = stepAt(help->pos());
        if (step == SeedStep::None) {
            QToolTip::hideText();
            event->ignore();
            return true;
        }
        // The full URL: the diagram elides it.
        QToolTip::showText(
            help->globalPos(),
            tr("%1. %2\n%3\n%4").arg(int(step)).arg(SeedStepText::title(step), urlOf(step), resultOf(step)), this,
            arrowRect(step));
        return true;
    }
    return QWidget::event(event);
}

void FlowDiagram::mousePressEvent(QMouseEvent *event)
{
    const SeedStep step = stepAt(event->position().toPoint());
    if (event->button() != Qt::LeftButton || step == SeedStep::None) {
        QWidget::mousePressEvent(event);
        return;
    }
    setCurrentStep(step);
    activate(step);
}

void FlowDiagram::mouseMoveEvent(QMouseEvent *event)
{
    setHovered(stepAt(event->position().toPoint()));
    QWidget::mouseMoveEvent(event);
}

void FlowDiagram::leaveEvent(QEvent *event)
{
    setHovered(SeedStep::None);
    QWidget::leaveEvent(event);
}

void FlowDiagram::keyPressEvent(QKeyEvent *event)
{
    const int current = int(m_current);
    switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Left:
        setCurrentStep(SeedStep(qMax(1, current - 1)));
        break;
    case Qt::Key_Down:
    case Qt::Key_Right:
        setCurrentStep(SeedStep(qMin(SeedStepText::kStepCount, current + 1)));
        break;
    case Qt::Key_Home:
        setCurrentStep(SeedStep::Authorize);
        break;
    case Qt::Key_End:
        setCurrentStep(SeedStep::Refresh);
        break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        activate(m_current);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void FlowDiagram::setCurrentStep(SeedStep step)
{
    if (int(step) < 1 || int(step) > SeedStepText::kStepCount || step == m_current)
        return;
    m_current = step;
    update();
    Q_EMIT currentStepChanged(step);
}

void FlowDiagram::setHovered(SeedStep step)
{
    if (step == m_hovered)
        return;
    m_hovered = step;
    update();
    Q_EMIT hoveredStepChanged(step);
}

void FlowDiagram::activate(SeedStep step)
{
    const quint64 id = m_flow.step(step).exchangeId;
    if (id != 0)
        Q_EMIT exchangeActivated(id);
}

} // namespace oauthsim
