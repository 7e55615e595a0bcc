#include "ResponseWriter.h"

#include "ServerSettings.h"
#include "endpoints/PageRenderer.h"
#include "http/FormParser.h"
#include "protocol/JsonText.h"

namespace oauthsim {

HttpResponse ResponseWriter::tokenJson(QByteArray body)
{
    HttpResponse r;
    r.status = 200;
    r.addHeader("Cache-Control", "no-store")
        .addHeader("Pragma", "no-cache")
        .addHeader("Content-Type", kJsonType.toByteArray());
    r.body = std::move(body);
    return r;
}

HttpResponse ResponseWriter::json(int status, QByteArray body)
{
    HttpResponse r;
    r.status = status;
    r.addHeader("Content-Type", kJsonType.toByteArray());
    r.body = std::move(body);
    return r;
}

HttpResponse ResponseWriter::jsonError(const OAuthError &error, QByteArrayView allow)
{
    QByteArray body = "{\"error\":" + jsonQuote(QString::fromLatin1(error.codeName()));
    // RFC 6749 §5.2: error_description is optional; a profile that sends none leaves it empty.
    if (!error.description().isEmpty())
        body += ",\"error_description\":" + jsonQuote(error.description());
    for (const auto &[key, value] : error.extra())
        body += ',' + jsonQuote(key) + ':' + jsonQuote(value);
    body += '}';

    HttpResponse r;
    r.status = error.httpStatus();
    r.addHeader("Cache-Control", "no-store").addHeader("Pragma", "no-cache");
    switch (error.challenge()) {
    case AuthChallenge::None:
        break;
    case AuthChallenge::Basic:
        r.addHeader("WWW-Authenticate", "Basic realm=\"oauth2/client\"");
        break;
    case AuthChallenge::Form:
        r.addHeader("WWW-Authenticate", "Form realm=\"oauth2/client\", " + error.summary());
        break;
    case AuthChallenge::Bearer:
        r.addHeader("WWW-Authenticate", "Bearer " + error.summary());
        break;
    }
    if (!allow.isEmpty())
        r.addHeader("Allow", allow.toByteArray());
    r.addHeader("Content-Type", kJsonType.toByteArray());
    r.body = std::move(body);
    return r;
}

HttpResponse ResponseWriter::apiError(const OAuthError &error) const
{
    return jsonError(m_settings ? m_settings->profileDescription().shape(error) : error);
}

HttpResponse ResponseWriter::htmlError(const OAuthError &error) const
{
    return html(error.httpStatus(), m_pages.render(QStringLiteral("error"), {{QStringLiteral("summary"),
                                                                              {QString::fromUtf8(error.summary())}}}));
}

QString ResponseWriter::appendQuery(const QString &uri, const QList<QPair<QString, QString>> &pairs)
{
    QString out = uri;
    bool hasQuery = uri.contains(QLatin1Char('?'));
    for (const auto &[name, value] : pairs) {
        out += QLatin1Char(hasQuery ? '&' : '?');
        hasQuery = true;
        out += name + QLatin1Char('=') + QString::fromLatin1(FormParser::encodeComponent(value));
    }
    return out;
}

HttpResponse ResponseWriter::redirectError(const OAuthError &error, const QString &redirectUri,
                                           const std::optional<QString> &state, int status)
{
    // Spring's getUnsuccessfulRedirect: error, error_description, state, then the extra fields.
    QList<QPair<QString, QString>> pairs{{QStringLiteral("error"), QString::fromLatin1(error.codeName())},
                                         {QStringLiteral("error_description"), error.description()}};
    if (state)
        pairs.append({QStringLiteral("state"), *state});
    pairs += error.extra();
    return redirect(status, appendQuery(redirectUri, pairs));
}

HttpResponse ResponseWriter::redirect(int status, const QString &location)
{
    HttpResponse r;
    r.status = status;
    r.addHeader("Location", location.toUtf8());
    return r;
}

HttpResponse ResponseWriter::html(int status, QByteArray body)
{
    HttpResponse r;
    r.status = status;
    r.addHeader("Content-Type", kHtmlType.toByteArray());
    r.body = std::move(body);
    return r;
}

HttpResponse ResponseWriter::notFound(const QString &path) const
{
    if (path.startsWith(QLatin1String("/oauth/")))
        return jsonError(
            OAuthError(ErrorCode::NotFound, QStringLiteral("No endpoint at %1").arg(path)).withStatus(404));
    return html(404, m_pages.render(QStringLiteral("not-found"), {{QStringLiteral("path"), {path}}}));
}

HttpResponse ResponseWriter::bearerTokenMissing()
{
    HttpResponse r;
    r.status = 401;
    r.addHeader("Cache-Control", "no-store").addHeader("Pragma", "no-cache").addHeader("WWW-Authenticate", "Bearer");
    return r;
}

HttpResponse ResponseWriter::methodNotAllowed(const QByteArray &method, QByteArrayView allow)
{
    return jsonError(OAuthError(ErrorCode::MethodNotAllowed,
                                QStringLiteral("Request method '%1' not supported").arg(QString::fromLatin1(method))),
                     allow);
}

HttpResponse ResponseWriter::payloadTooLarge(qsizetype limit)
{
    return jsonError(OAuthError(ErrorCode::PayloadTooLarge,
                                QStringLiteral("Request body exceeds the limit of %1 bytes").arg(limit)));
}

HttpResponse ResponseWriter::forbidden(const QString &message) const
{
    return html(403, m_pages.render(QStringLiteral("forbidden"), {{QStringLiteral("message"), {message}}}));
}

} // namespace oauthsim
