#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace oauthsim {

// HTML pages from resources/templates/*.html. Placeholders are {{name}}; every value is HTML-escaped
// unless passed through raw() (used only for fragments this class rendered itself).
class PageRenderer
{
public:
    PageRenderer(); // loads every template once, at start-up

    struct Value
    {
        QString text;
        bool raw = false;
    };
    static Value raw(QString html) { return {std::move(html), true}; }

    // Renders a template by base name ("login", "approval", ...). An unknown name renders an empty page.
    QByteArray render(const QString &name, const QHash<QString, Value> &values) const;

private:
    QHash<QString, QString> m_templates;
};

} // namespace oauthsim
