#include "FormParser.h"

#include <QByteArray>
#include <QSet>
#include <QUrl>

namespace oauthsim {

QString FormParameters::value(QStringView name) const
{
    for (const auto &[n, v] : m_items) {
        if (n == name)
            return v.isNull() ? QString(QLatin1String("")) : v;
    }
    return {};
}

qsizetype FormParameters::count(QStringView name) const
{
    qsizetype n = 0;
    for (const auto &item : m_items)
        n += item.first == name ? 1 : 0;
    return n;
}

QString FormParameters::firstRepeated() const
{
    // A token request has a handful of parameters: comparing pairs beats building a hash set.
    if (m_items.size() <= 16) {
        for (qsizetype i = 1; i < m_items.size(); ++i) {
            for (qsizetype j = 0; j < i; ++j) {
                if (m_items[j].first == m_items[i].first)
                    return m_items[i].first;
            }
        }
        return {};
    }
    QSet<QString> seen;
    for (const auto &item : m_items) {
        if (seen.contains(item.first))
            return item.first;
        seen.insert(item.first);
    }
    return {};
}

FormParameters FormParameters::merged(const FormParameters &first, const FormParameters &second)
{
    FormParameters out = first;
    out.m_items += second.m_items;
    return out;
}

namespace {
QString decode(QByteArrayView raw)
{
    if (!raw.contains('%') && !raw.contains('+'))
        return raw.isEmpty() ? QString(QLatin1String("")) : QString::fromUtf8(raw);
    QByteArray bytes = raw.toByteArray();
    bytes.replace('+', ' ');
    QString out = QString::fromUtf8(QByteArray::fromPercentEncoding(bytes));
    return out.isNull() ? QString(QLatin1String("")) : out;
}
} // namespace

std::optional<FormParameters> FormParser::parse(QByteArrayView text, QString *error)
{
    FormParameters params;
    int count = 0;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf('&', start);
        if (end < 0)
            end = text.size();
        const QByteArrayView pair = text.sliced(start, end - start);
        start = end + 1;
        if (pair.isEmpty())
            continue;
        if (++count > kMaxParameters) {
            if (error)
                *error = QStringLiteral("More than %1 parameters").arg(kMaxParameters);
            return std::nullopt;
        }
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            params.append(decode(pair), QLatin1String(""));
        else
            params.append(decode(pair.first(eq)), decode(pair.sliced(eq + 1)));
    }
    return params;
}

QByteArray FormParser::encodeComponent(const QString &value)
{
    // Spring's UriComponentsBuilder leaves pchar, '/' and '?' as they are, except '&' and '='. '+' is escaped
    // too (deviation): form-decoding clients would read a bare '+' as a space.
    return QUrl::toPercentEncoding(value, ":@/?!$'()*,;");
}

QByteArray FormParser::encode(const FormParameters &params)
{
    QByteArray out;
    for (const auto &[name, value] : params.items()) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

} // namespace oauthsim
