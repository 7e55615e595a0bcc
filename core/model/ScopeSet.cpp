#include "ScopeSet.h"

#include <QRegularExpression>

#include <algorithm>

namespace oauthsim {

ScopeSet::ScopeSet(QStringList names) : m_names(std::move(names))
{
    m_names.removeAll(QString());
    std::sort(m_names.begin(), m_names.end());
    m_names.erase(std::unique(m_names.begin(), m_names.end()), m_names.end());
}

ScopeSet ScopeSet::parse(QStringView text)
{
    QStringList names;
    for (QStringView piece : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        for (QStringView part : piece.split(QLatin1Char(','), Qt::SkipEmptyParts))
            names << part.trimmed().toString();
    }
    return ScopeSet(names);
}

bool ScopeSet::contains(const QString &name) const
{
    return std::binary_search(m_names.begin(), m_names.end(), name);
}

bool ScopeSet::containsAll(const ScopeSet &other) const
{
    return other.firstOutside(*this).isNull();
}

QString ScopeSet::firstOutside(const ScopeSet &allowed) const
{
    for (const QString &name : m_names) {
        if (!allowed.contains(name))
            return name;
    }
    return {};
}

ScopeSet ScopeSet::intersected(const ScopeSet &other) const
{
    QStringList out;
    for (const QString &name : m_names) {
        if (other.contains(name))
            out << name;
    }
    return ScopeSet(out);
}

QString ScopeSet::bracketed() const
{
    return QLatin1Char('[') + m_names.join(QLatin1String(", ")) + QLatin1Char(']');
}

} // namespace oauthsim
