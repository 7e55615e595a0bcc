#include "CurlCommand.h"

#include "models/RequestLogModel.h"

#include <QStringList>
#include <QUrl>

#include <algorithm>

namespace oauthsim {

namespace {

bool isShellSafeWord(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.';
        if (!safe)
            return false;
    }
    return true;
}

bool isValidUtf8(const QByteArray &text)
{
    return QString::fromUtf8(text).toUtf8() == text;
}

// $'...': the only POSIX-shell quoting (bash, zsh, ksh; dash since 0.5.12) that can carry control bytes.
QString ansiCQuote(const QByteArray &text, bool escapeHighBytes)
{
    QByteArray out = "$'";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\\' || c == '\'') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && escapeHighBytes)) {
            out += "\\x" + QByteArray::number(c, 16).rightJustified(2, '0');
        } else {
            out += ch;
        }
    }
    out += '\'';
    return QString::fromUtf8(out);
}

} // namespace

QString CurlCommand::shellQuote(const QByteArray &text)
{
    const bool valid = isValidUtf8(text);
    const bool control = std::any_of(text.cbegin(), text.cend(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (control || !valid)
        return ansiCQuote(text, !valid);
    QByteArray quoted = text;
    quoted.replace('\'', "'\\''");
    return QLatin1Char('\'') + QString::fromUtf8(quoted) + QLatin1Char('\'');
}

QString CurlCommand::requestUrl(const QString &baseUrl, const QString &path, const QByteArray &query)
{
    // RFC 3986 §3.3: sub-delims, ':' and '@' may stay as they are in a path.
    const QByteArray encodedPath = QUrl::toPercentEncoding(path, "/!$&'()*+,;=:@~");
    QString url = baseUrl + QString::fromLatin1(encodedPath);
    if (!query.isEmpty())
        url += QLatin1Char('?') + QString::fromUtf8(query);
    return url;
}

QString CurlCommand::build(const ExchangeRecord &record, const QString &baseUrl, SecretView view)
{
    const bool reveal = view == SecretView::Revealed;
    const ExchangeRecord masked = reveal ? ExchangeRecord() : RequestLogModel::withTokensMasked(record);
    const QByteArray &query = reveal ? record.revealedQuery : masked.query;
    const HeaderList &headers = reveal ? record.revealedRequestHeaders : masked.requestHeaders;
    const QByteArray &body = reveal ? record.revealedRequestBody : masked.requestBody;

    QString first = QStringLiteral("curl");
    // curl infers GET without a body and POST with one; anything else is spelled out.
    if (record.method == "HEAD")
        first += QStringLiteral(" --head");
    else if (!(record.method == "GET" && body.isEmpty()) && !(record.method == "POST" && !body.isEmpty()))
        first += QStringLiteral(" -X ") +
                 (isShellSafeWord(record.method) ? QString::fromLatin1(record.method) : shellQuote(record.method));
    const QString url = requestUrl(baseUrl, record.path, query);
    // Brackets and braces would be taken for curl's URL globbing.
    if (url.contains(QLatin1Char('[')) || url.contains(QLatin1Char('{')))
        first += QStringLiteral(" --globoff");
    first += QLatin1Char(' ') + shellQuote(url.toUtf8());

    QStringList lines{first};
    for (const auto &[name, value] : headers) {
        if (name.compare("Host", Qt::CaseInsensitive) == 0 || name.compare("Content-Length", Qt::CaseInsensitive) == 0)
            continue;
        lines << QStringLiteral("-H ") + shellQuote(name + ": " + value);
    }
    // A leading '@' would make --data-binary read a file; --data-raw sends it as it is.
    if (!body.isEmpty())
        lines << (body.startsWith('@') ? QStringLiteral("--data-raw ") : QStringLiteral("--data-binary ")) +
                     shellQuote(body);
    return lines.join(QStringLiteral(" \\\n  "));
}

} // namespace oauthsim
