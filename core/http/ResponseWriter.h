#pragma once

#include "http/HttpExchange.h"
#include "protocol/OAuthError.h"

#include <optional>

namespace oauthsim {

class PageRenderer;
struct ServerSettings;

// The only code that turns results and OAuthErrors into HTTP: JSON bodies, HTML pages, redirects, headers.
class ResponseWriter
{
public:
    // `settings` (may be null: no profile, the legacy shapes) gives the running profile to apiError().
    explicit ResponseWriter(const PageRenderer &pages, const ServerSettings *settings = nullptr)
        : m_pages(pages), m_settings(settings)
    {}

    static constexpr QByteArrayView kJsonType = "application/json;charset=UTF-8";
    static constexpr QByteArrayView kHtmlType = "text/html;charset=UTF-8";

    // 200 JSON with Cache-Control: no-store and Pragma: no-cache (RFC 6749 §5.1), e.g. a token response.
    static HttpResponse tokenJson(QByteArray body);
    static HttpResponse json(int status, QByteArray body);
    // {"error":…,"error_description":…[,extra…]} with no-store, WWW-Authenticate per the error's challenge,
    // Allow for 405.
    static HttpResponse jsonError(const OAuthError &error, QByteArrayView allow = {});
    // jsonError() of an API endpoint's error as the running profile shapes it (Profile::shape: Spring Authorization
    // Server sends {"error":"invalid_grant"} and no WWW-Authenticate on 401 invalid_client).
    HttpResponse apiError(const OAuthError &error) const;
    // The HTML error page: <h1>OAuth Error</h1><p>error="…", error_description="…"</p>, values escaped.
    HttpResponse htmlError(const OAuthError &error) const;
    // 303 to redirectUri with error, error_description, state and extra fields in the query (RFC 6749 §4.1.2.1).
    static HttpResponse redirectError(const OAuthError &error, const QString &redirectUri,
                                      const std::optional<QString> &state, int status = 303);
    // Appends name=value pairs to a URI's query, percent-encoding the values.
    static QString appendQuery(const QString &uri, const QList<QPair<QString, QString>> &pairs);
    static HttpResponse redirect(int status, const QString &location);
    static HttpResponse html(int status, QByteArray body);
    // 404 for an unknown path: JSON under /oauth/ (API clients), an HTML page elsewhere.
    HttpResponse notFound(const QString &path) const;
    // RFC 6750 §3.1: 401 to a request without any access token, with `WWW-Authenticate: Bearer` alone (no error
    // code, no body), Cache-Control: no-store and Pragma: no-cache.
    static HttpResponse bearerTokenMissing();
    static HttpResponse methodNotAllowed(const QByteArray &method, QByteArrayView allow);
    static HttpResponse payloadTooLarge(qsizetype limit);
    HttpResponse forbidden(const QString &message) const;

    const PageRenderer &pages() const { return m_pages; }

private:
    const PageRenderer &m_pages;
    const ServerSettings *m_settings;
};

} // namespace oauthsim
