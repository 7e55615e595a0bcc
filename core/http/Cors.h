#pragma once

#include "http/HttpExchange.h"

#include <QByteArray>
#include <QByteArrayView>

namespace oauthsim {

struct ServerSettings;

// Cross-origin resource sharing (the Fetch standard's CORS protocol) for the routes the pipeline marks as
// cross-origin: which Origin may read their answers, and what a preflight and an actual answer carry. Reads the
// allowed origins from the live settings on every call, so a settings change applies from the next request.
class Cors
{
public:
    explicit Cors(const ServerSettings &settings) : m_settings(settings) {}

    // Whether a browser app at `origin` (an Origin header's value) may read the answers: one of
    // settings.corsAllowedOrigins (compared without regard to ASCII case; "*" lets every origin in), or, when that
    // list is empty, http://localhost or http://127.0.0.1 with or without a port. False for an empty origin.
    bool allows(QByteArrayView origin) const;
    // The default rule alone: http://localhost[:PORT] or http://127.0.0.1[:PORT].
    static bool isLoopbackOrigin(QByteArrayView origin);
    // Whether `text` is an origin as configured: "*", or an http/https scheme://host[:port] without path, query,
    // fragment or user info (a trailing '/' is a path). Shared with the configuration reader.
    static bool isValidOriginSetting(const QString &text);

    // A CORS preflight: OPTIONS carrying a non-empty Origin and Access-Control-Request-Method (Fetch,
    // "CORS-preflight request").
    static bool isPreflight(const HttpRequest &request);
    // 204 to a preflight from an allowed origin: Access-Control-Allow-Origin: <origin>, Vary: Origin,
    // Access-Control-Allow-Methods: <methods>, OPTIONS, Access-Control-Allow-Headers: Authorization, Content-Type,
    // Access-Control-Max-Age: 600, no body.
    static HttpResponse preflight(const QByteArray &origin, const QByteArray &methods);
    // 403 {"error":"forbidden","error_description":"Invalid CORS request"} to a preflight from any other origin
    // (Spring's CorsFilter answers such a preflight 403 "Invalid CORS request" too).
    static HttpResponse rejectedPreflight();
    // Appends Access-Control-Allow-Origin: <origin> and Vary: Origin to an actual answer.
    static void addResponseHeaders(HttpResponse &response, const QByteArray &origin);

private:
    const ServerSettings &m_settings;
};

} // namespace oauthsim
