#include "ScopeSet.h"

#include <algorithm>

namespace oauthsim {

ScopeSet::ScopeSet(QStringList names) : m_names(std::move(names))
{
    m_names.removeAll(QString());
    std::sort(m_names.begin(), m_names.end());
    m_names.erase(std::unique(m_names.begin(), m_names.end()), m_names.end());
    m_joined = m_names.join(QLatin1Char(' '));
}

ScopeSet ScopeSet::parse(QStringView text)
{
    // OAuth2Utils.parseParameterList splits on the character class [\s+]: whitespace or a literal '+'.
    QStringList names;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i].isSpace() || text[i] == QLatin1Char('+')) {
            if (i > start)
                names << text.sliced(start, i - start).toString();
            start = i + 1;
        }
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
