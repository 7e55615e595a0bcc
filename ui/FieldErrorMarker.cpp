#include "FieldErrorMarker.h"

#include <QGridLayout>
#include <QLabel>
#include <QStyle>
#include <QWidget>

namespace oauthsim {

namespace {
void setInvalid(QWidget *widget, bool invalid)
{
    widget->setProperty("invalid", invalid);
    // Dynamic properties are read by the style sheet only when the widget is polished again.
    widget->style()->unpolish(widget);
    widget->style()->polish(widget);
    widget->update();
}
} // namespace

QGridLayout *FieldErrorMarkerBase::setUpForm(QWidget *form, const char *errorLabelName)
{
    m_form = form;
    m_errorLabelName = errorLabelName;
    // A semantic red readable on light and dark palettes; everything else keeps the palette's colours.
    form->setStyleSheet(QStringLiteral("*[invalid=\"true\"] { border: 2px solid #e5484d; border-radius: 3px; }"
                                       "QLabel#%1 { color: #e5484d; font-weight: bold; }")
                            .arg(QLatin1String(errorLabelName)));
    m_grid = new QGridLayout;
    m_grid->setColumnStretch(1, 1);
    return m_grid;
}

QLabel *FieldErrorMarkerBase::addErrorLabel(const QString &accessibleName)
{
    m_error = new QLabel(m_form);
    m_error->setObjectName(QLatin1String(m_errorLabelName));
    m_error->setAccessibleName(accessibleName);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    return m_error;
}

int FieldErrorMarkerBase::addGridRow(const QString &label, QWidget *widget)
{
    const int row = m_fieldCount++ * 2;
    auto *title = new QLabel(label, m_form);
    title->setBuddy(widget);
    m_grid->addWidget(title, row, 0, Qt::AlignTop);
    m_grid->addWidget(widget, row, 1);
    return row;
}

void FieldErrorMarkerBase::unmark()
{
    if (m_marked) {
        setInvalid(m_marked, false);
        m_marked->setAccessibleDescription(QString());
        m_marked = nullptr;
    }
}

void FieldErrorMarkerBase::clearError()
{
    unmark();
    m_error->clear();
    m_error->hide();
}

void FieldErrorMarkerBase::showErrorAt(QWidget *widget, int row, const QString &text)
{
    unmark();
    m_marked = widget;
    setInvalid(m_marked, true);
    m_marked->setAccessibleDescription(text);
    m_grid->removeWidget(m_error);
    m_grid->addWidget(m_error, row + 1, 1);
    m_error->setText(text);
    m_error->show();
}

} // namespace oauthsim
