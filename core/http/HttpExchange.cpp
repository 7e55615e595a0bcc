#include "HttpExchange.h"

namespace oauthsim {

QByteArray HttpRequest::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

QString HttpRequest::cookie(QByteArrayView wanted) const
{
    for (const auto &[name, value] : headers) {
        if (name != "cookie")
            continue;
        for (const QByteArray &piece : value.split(';')) {
            const QByteArray pair = piece.trimmed();
            const qsizetype eq = pair.indexOf('=');
            if (eq > 0 && pair.first(eq).trimmed() == wanted)
                return QString::fromLatin1(pair.sliced(eq + 1).trimmed());
        }
    }
    return {};
}

QByteArray HttpResponse::header(QByteArrayView wanted) const
{
    for (const auto &[name, value] : headers) {
        if (name.compare(wanted, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

} // namespace oauthsim
