#include "HttpText.h"

namespace oauthsim {

namespace {
QString formDecode(QByteArray raw)
{
    raw.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}
} // namespace

QByteArray HttpText::headerValue(const HeaderList &headers, QByteArrayView name)
{
    for (const auto &[n, v] : headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QList<std::pair<QString, QString>> HttpText::formPairs(const QByteArray &urlencoded)
{
    QList<std::pair<QString, QString>> pairs;
    for (const QByteArray &pair : urlencoded.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        pairs.append({formDecode(eq < 0 ? pair : pair.left(eq)), eq < 0 ? QString() : formDecode(pair.mid(eq + 1))});
    }
    return pairs;
}

} // namespace oauthsim
