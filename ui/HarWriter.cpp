#include "HarWriter.h"

#include "CurlCommand.h"
#include "HttpText.h"
#include "models/RequestLogModel.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace oauthsim {

namespace {

const QString kHttpVersion = QStringLiteral("HTTP/1.1");

QString text(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

// [{name, value}] of an urlencoded text, decoded the way the server's FormParser does ('+' is a space).
QJsonArray params(const QByteArray &urlencoded)
{
    QJsonArray out;
    for (const auto &[name, value] : HttpText::formPairs(urlencoded))
        out.append(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("value"), value}});
    return out;
}

QJsonArray headers(const HeaderList &list)
{
    QJsonArray out;
    for (const auto &[name, value] : list)
        out.append(QJsonObject{{QStringLiteral("name"), text(name)}, {QStringLiteral("value"), text(value)}});
    return out;
}

QJsonArray requestCookies(const HeaderList &list)
{
    QJsonArray out;
    for (const auto &[name, value] : list) {
        if (name.compare("Cookie", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &pair : value.split(';')) {
            const QByteArray trimmed = pair.trimmed();
            const qsizetype eq = trimmed.indexOf('=');
            if (eq > 0)
                out.append(QJsonObject{{QStringLiteral("name"), text(trimmed.left(eq))},
                                       {QStringLiteral("value"), text(trimmed.mid(eq + 1))}});
        }
    }
    return out;
}

QJsonObject setCookie(const QByteArray &line)
{
    const QList<QByteArray> parts = line.split(';');
    const QByteArray pair = parts.first().trimmed();
    const qsizetype eq = pair.indexOf('=');
    QJsonObject cookie{{QStringLiteral("name"), text(pair.left(eq))},
                       {QStringLiteral("value"), text(eq < 0 ? QByteArray() : pair.mid(eq + 1))},
                       {QStringLiteral("httpOnly"), false},
                       {QStringLiteral("secure"), false}};
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QByteArray attribute = parts.at(i).trimmed();
        const qsizetype aeq = attribute.indexOf('=');
        const QByteArray key = (aeq < 0 ? attribute : attribute.left(aeq)).toLower();
        if (key == "path" || key == "domain")
            cookie.insert(text(key), text(attribute.mid(aeq + 1)));
        else if (key == "httponly")
            cookie.insert(QStringLiteral("httpOnly"), true);
        else if (key == "secure")
            cookie.insert(QStringLiteral("secure"), true);
    }
    return cookie;
}

QJsonArray responseCookies(const HeaderList &list)
{
    QJsonArray out;
    for (const auto &[name, value] : list) {
        if (name.compare("Set-Cookie", Qt::CaseInsensitive) != 0)
            continue;
        // A folded header carries one cookie a line.
        for (const QByteArray &line : value.split('\n')) {
            if (line.contains('='))
                out.append(setCookie(line));
        }
    }
    return out;
}

QJsonObject postData(const ExchangeRecord &r)
{
    const QByteArray mimeType = HttpText::headerValue(r.requestHeaders, "Content-Type");
    const bool form = mimeType.toLower().startsWith("application/x-www-form-urlencoded");
    return {{QStringLiteral("mimeType"), text(mimeType)},
            {QStringLiteral("text"), text(r.requestBody)},
            {QStringLiteral("params"), form ? params(r.requestBody) : QJsonArray()}};
}

QJsonObject content(const ExchangeRecord &r)
{
    const QByteArray mimeType = HttpText::headerValue(r.responseHeaders, "Content-Type");
    QJsonObject out{{QStringLiteral("size"), r.responseBody.size()},
                    {QStringLiteral("mimeType"), mimeType.isEmpty() ? QStringLiteral("x-unknown") : text(mimeType)}};
    const QString decoded = text(r.responseBody);
    if (decoded.toUtf8() == r.responseBody) {
        out.insert(QStringLiteral("text"), decoded);
    } else {
        out.insert(QStringLiteral("text"), QString::fromLatin1(r.responseBody.toBase64()));
        out.insert(QStringLiteral("encoding"), QStringLiteral("base64"));
    }
    return out;
}

} // namespace

QJsonObject HarWriter::entry(const ExchangeRecord &record, const QString &baseUrl)
{
    const ExchangeRecord r = RequestLogModel::withTokensMasked(record);
    QJsonObject request{{QStringLiteral("method"), QString::fromLatin1(r.method)},
                        {QStringLiteral("url"), CurlCommand::requestUrl(baseUrl, r.path, r.query)},
                        {QStringLiteral("httpVersion"), kHttpVersion},
                        {QStringLiteral("cookies"), requestCookies(r.requestHeaders)},
                        {QStringLiteral("headers"), headers(r.requestHeaders)},
                        {QStringLiteral("queryString"), params(r.query)},
                        {QStringLiteral("headersSize"), -1},
                        {QStringLiteral("bodySize"), r.requestBody.size()}};
    if (!r.requestBody.isEmpty())
        request.insert(QStringLiteral("postData"), postData(r));
    const QJsonObject response{
        {QStringLiteral("status"), r.status},
        {QStringLiteral("statusText"), reasonPhrase(r.status)},
        {QStringLiteral("httpVersion"), kHttpVersion},
        {QStringLiteral("cookies"), responseCookies(r.responseHeaders)},
        {QStringLiteral("headers"), headers(r.responseHeaders)},
        {QStringLiteral("content"), content(r)},
        {QStringLiteral("redirectURL"), text(HttpText::headerValue(r.responseHeaders, "Location"))},
        {QStringLiteral("headersSize"), -1},
        {QStringLiteral("bodySize"), r.responseBody.size()}};
    // The server measures one span, from the request read to the reply written: that is the wait.
    const QJsonObject timings{
        {QStringLiteral("send"), 0}, {QStringLiteral("wait"), r.durationMs}, {QStringLiteral("receive"), 0}};
    QJsonObject out{{QStringLiteral("startedDateTime"),
                     QDateTime::fromMSecsSinceEpoch(r.startedAtMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                    {QStringLiteral("time"), r.durationMs},
                    {QStringLiteral("request"), request},
                    {QStringLiteral("response"), response},
                    {QStringLiteral("cache"), QJsonObject()},
                    {QStringLiteral("timings"), timings}};
    if (r.outcome == ExchangeRecord::Outcome::ClientGone)
        out.insert(QStringLiteral("comment"), tr("The client closed the connection before this response was sent."));
    return out;
}

QJsonObject HarWriter::document(const QList<ExchangeRecord> &records, const QString &baseUrl)
{
    QJsonArray entries;
    for (const ExchangeRecord &record : records)
        entries.append(entry(record, baseUrl));
    const QJsonObject creator{{QStringLiteral("name"), QStringLiteral("oauthsim")},
                              {QStringLiteral("version"), QStringLiteral(OAUTHSIM_VERSION)}};
    // Firefox's importer iterates log.pages, so the optional array is always there.
    const QJsonObject log{{QStringLiteral("version"), QStringLiteral("1.2")},
                          {QStringLiteral("creator"), creator},
                          {QStringLiteral("pages"), QJsonArray()},
                          {QStringLiteral("entries"), entries}};
    return {{QStringLiteral("log"), log}};
}

bool HarWriter::writeFile(const QString &path, const QList<ExchangeRecord> &records, const QString &baseUrl,
                          QString *error)
{
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write(QJsonDocument(document(records, baseUrl)).toJson(QJsonDocument::Indented));
        if (file.commit())
            return true;
    }
    if (error)
        *error = tr("%1: %2").arg(path, file.errorString());
    return false;
}

QString HarWriter::reasonPhrase(int status)
{
    // RFC 9110 §15 wording for the statuses this server can send, and a few neighbours.
    static const QHash<int, QString> phrases{
        {200, QStringLiteral("OK")},
        {201, QStringLiteral("Created")},
        {204, QStringLiteral("No Content")},
        {301, QStringLiteral("Moved Permanently")},
        {302, QStringLiteral("Found")},
        {303, QStringLiteral("See Other")},
        {304, QStringLiteral("Not Modified")},
        {307, QStringLiteral("Temporary Redirect")},
        {308, QStringLiteral("Permanent Redirect")},
        {400, QStringLiteral("Bad Request")},
        {401, QStringLiteral("Unauthorized")},
        {403, QStringLiteral("Forbidden")},
        {404, QStringLiteral("Not Found")},
        {405, QStringLiteral("Method Not Allowed")},
        {406, QStringLiteral("Not Acceptable")},
        {409, QStringLiteral("Conflict")},
        {413, QStringLiteral("Content Too Large")},
        {415, QStringLiteral("Unsupported Media Type")},
        {429, QStringLiteral("Too Many Requests")},
        {500, QStringLiteral("Internal Server Error")},
        {501, QStringLiteral("Not Implemented")},
        {502, QStringLiteral("Bad Gateway")},
        {503, QStringLiteral("Service Unavailable")},
        {504, QStringLiteral("Gateway Timeout")},
    };
    return phrases.value(status);
}

} // namespace oauthsim
