#include "PageRenderer.h"

#include <QDir>
#include <QFile>

namespace oauthsim {

PageRenderer::PageRenderer()
{
    const QDir dir(QStringLiteral(":/templates"));
    for (const QString &file : dir.entryList({QStringLiteral("*.html")}, QDir::Files)) {
        QFile f(dir.filePath(file));
        if (f.open(QIODevice::ReadOnly))
            m_templates.insert(file.chopped(5), QString::fromUtf8(f.readAll()).trimmed());
    }
}

QByteArray PageRenderer::render(const QString &name, const QHash<QString, Value> &values) const
{
    const QString tpl = m_templates.value(name);
    QString out;
    out.reserve(tpl.size() + 256);
    qsizetype pos = 0;
    while (true) {
        const qsizetype open = tpl.indexOf(QLatin1String("{{"), pos);
        const qsizetype close = open < 0 ? -1 : tpl.indexOf(QLatin1String("}}"), open + 2);
        if (close < 0) {
            out += QStringView(tpl).sliced(pos);
            break;
        }
        out += QStringView(tpl).sliced(pos, open - pos);
        const QString key = tpl.mid(open + 2, close - open - 2);
        const auto it = values.constFind(key);
        if (it != values.constEnd())
            out += it->raw ? it->text : it->text.toHtmlEscaped();
        pos = close + 2;
    }
    return out.toUtf8();
}

} // namespace oauthsim
