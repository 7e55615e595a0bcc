#pragma once

#include <QMetaType>
#include <QStringList>

namespace oauthsim {

// A set of scope names, kept sorted and unique as Spring's OAuth2Utils.parseParameterList (a TreeSet) does;
// that order is what the token JSON's space-joined "scope" shows.
class ScopeSet
{
public:
    ScopeSet() = default;
    explicit ScopeSet(QStringList names);
    // Splits on whitespace and '+', as Spring's OAuth2Utils.parseParameterList; empty pieces dropped.
    static ScopeSet parse(QStringView text);

    bool isEmpty() const { return m_names.isEmpty(); }
    qsizetype size() const { return m_names.size(); }
    const QStringList &names() const { return m_names; }
    bool contains(const QString &name) const;
    bool containsAll(const ScopeSet &other) const;
    // First name of *this not in `allowed`, or an empty string.
    QString firstOutside(const ScopeSet &allowed) const;
    ScopeSet intersected(const ScopeSet &other) const;
    // Space-joined, computed once (it keys the token store's indexes).
    const QString &joined() const { return m_joined; }
    // Java's Set.toString(): "[read, write]".
    QString bracketed() const;

    bool operator==(const ScopeSet &other) const = default;

private:
    QStringList m_names;
    QString m_joined;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::ScopeSet)
