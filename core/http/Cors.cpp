#include "Cors.h"

#include "ServerSettings.h"
#include "http/ResponseWriter.h"

#include <QUrl>

namespace oauthsim {

namespace {

// Lower case, without the scheme's default port: browsers serialise an origin that way (RFC 6454 §6.2), so a
// configured "http://App.test:80" still matches the "http://app.test" a browser sends.
QByteArray normalizedOrigin(QByteArrayView origin)
{
    QByteArray out = origin.toByteArray().toLower();
    if (out.startsWith("http://") && out.endsWith(":80"))
        out.chop(3);
    else if (out.startsWith("https://") && out.endsWith(":443"))
        out.chop(4);
    return out;
}

// "" or ":" followed by 1–5 digits.
bool isOptionalPort(QByteArrayView rest)
{
    if (rest.isEmpty())
        return true;
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6)
        return false;
    for (char c : rest.sliced(1)) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

} // namespace

bool Cors::isLoopbackOrigin(QByteArrayView origin)
{
    for (QByteArrayView prefix : {QByteArrayView("http://localhost"), QByteArrayView("http://127.0.0.1")}) {
        if (origin.startsWith(prefix) && isOptionalPort(origin.sliced(prefix.size())))
            return true;
    }
    return false;
}

bool Cors::allows(QByteArrayView origin) const
{
    if (origin.isEmpty())
        return false;
    const QStringList &configured = m_settings.corsAllowedOrigins;
    if (configured.isEmpty())
        return isLoopbackOrigin(origin);
    const QByteArray wanted = normalizedOrigin(origin);
    for (const QString &entry : configured) {
        if (entry == QLatin1String("*") || normalizedOrigin(entry.toUtf8()) == wanted)
            return true;
    }
    return false;
}

bool Cors::isValidOriginSetting(const QString &text)
{
    if (text == QLatin1String("*"))
        return true;
    // A '*' inside would read as a wildcard, which origins do not have: it would silently never match.
    if (text.contains(QLatin1Char('*')))
        return false;
    const QUrl url(text, QUrl::StrictMode);
    // An origin is scheme, host and port only (RFC 6454 §4): anything after the authority, even "/", is not one.
    return url.isValid() && (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) &&
           !url.host().isEmpty() && url.path().isEmpty() && !url.hasQuery() && !url.hasFragment() &&
           url.userInfo().isEmpty();
}

bool Cors::isPreflight(const HttpRequest &request)
{
    return request.method == "OPTIONS" && !request.header("origin").isEmpty() &&
           !request.header("access-control-request-method").isNull();
}

HttpResponse Cors::preflight(const QByteArray &origin, const QByteArray &methods)
{
    HttpResponse r;
    r.status = 204;
    addResponseHeaders(r, origin);
    // The answer does not depend on the requested method or headers: the browser checks them against these lists.
    r.addHeader("Access-Control-Allow-Methods", methods + ", OPTIONS")
        .addHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
        .addHeader("Access-Control-Max-Age", "600");
    return r;
}

HttpResponse Cors::rejectedPreflight()
{
    return ResponseWriter::jsonError(OAuthError(ErrorCode::Forbidden, QStringLiteral("Invalid CORS request")));
}

void Cors::addResponseHeaders(HttpResponse &response, const QByteArray &origin)
{
    // The origin itself, never "*": the answer differs per origin, hence Vary (Fetch §3.2.5 "CORS protocol and
    // HTTP caches").
    response.addHeader("Access-Control-Allow-Origin", origin).addHeader("Vary", "Origin");
}

} // namespace oauthsim
