#pragma once

#include <QHash>
#include <QString>

class QGridLayout;
class QLabel;
class QWidget;

namespace oauthsim {

// Shows the first problem of a form: the widget of the field it concerns is outlined (the "invalid" property
// the form's style sheet reads) and described for screen readers, and the error label moves under it. Each
// field takes two grid rows: the field, then the slot the error label moves into. Used through
// FieldErrorMarker<Field>, which finds the fields by the form's own enum.
class FieldErrorMarkerBase
{
public:
    // Styles `form` (the outline, the error label `errorLabelName` in red) and returns the grid its fields go
    // in, for the form's layout.
    QGridLayout *setUpForm(QWidget *form, const char *errorLabelName);
    // The error label, hidden while there is no problem; created when the form wants it among its children.
    QLabel *addErrorLabel(const QString &accessibleName);
    // The widget outlined now, or nullptr.
    QWidget *marked() const { return m_marked; }
    void clearError();

protected:
    // `label` and `widget` in the next free grid row; returns that row.
    int addGridRow(const QString &label, QWidget *widget);
    void showErrorAt(QWidget *widget, int row, const QString &text);

private:
    void unmark();

    QWidget *m_form = nullptr;
    QGridLayout *m_grid = nullptr;
    const char *m_errorLabelName = nullptr;
    QLabel *m_error = nullptr;
    QWidget *m_marked = nullptr;
    int m_fieldCount = 0;
};

template <typename Field> class FieldErrorMarker : public FieldErrorMarkerBase
{
public:
    // `marked` is the widget outlined when the field is wrong: `widget` itself unless that only holds it.
    // Returns the field's grid row.
    int addRow(Field field, const QString &label, QWidget *widget, QWidget *marked = nullptr)
    {
        const int row = addGridRow(label, widget);
        m_rowOf.insert(field, row);
        m_widgetOf.insert(field, marked ? marked : widget);
        return row;
    }
    // Outlines the field and shows `text` under it, instead of the problem shown before.
    void showError(Field field, const QString &text)
    {
        showErrorAt(m_widgetOf.value(field), m_rowOf.value(field), text);
    }

private:
    QHash<Field, int> m_rowOf;
    QHash<Field, QWidget *> m_widgetOf;
};

} // namespace oauthsim
