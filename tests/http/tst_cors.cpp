// CORS on the token, introspection and revocation endpoints, applied once by the pipeline: preflights from
// allowed and other origins, actual answers (successes and errors) from both, the default loopback rule and
// configured origins (also changed at run time), held replies, the server.cors_allowed_origins configuration key,
// and — byte for byte on the socket — answers to requests without Origin staying exactly what they were.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "http/Cors.h"
#include "http/Pipeline.h"
#include "store/ConfigRepository.h"
#include "store/TokenStore.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QByteArray kSeedBasic = "Basic " + QByteArray("messaging-client:secret").toBase64();
const QByteArray kWrongBasic = "Basic " + QByteArray("messaging-client:wrong").toBase64();
const QByteArray kApp = QByteArrayLiteral("http://localhost:3000");

// One request as bytes on the wire; Content-Length is added for a body.
QByteArray rawRequest(const QByteArray &method, const QByteArray &path, const QList<QByteArray> &headers,
                      const QByteArray &body = {})
{
    QByteArray out = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const QByteArray &header : headers)
        out += header + "\r\n";
    if (!body.isEmpty() || method == "POST")
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

QByteArray preflightRequest(const QByteArray &path, const QByteArray &origin)
{
    return rawRequest("OPTIONS", path,
                      {"Origin: " + origin, "Access-Control-Request-Method: POST",
                       "Access-Control-Request-Headers: authorization,content-type"});
}

// The whole 204 answer to an allowed preflight.
QByteArray preflightAnswer(const QByteArray &origin)
{
    return "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: " + origin +
           "\r\nVary: Origin\r\nAccess-Control-Allow-Methods: POST, OPTIONS\r\n"
           "Access-Control-Allow-Headers: Authorization, Content-Type\r\nAccess-Control-Max-Age: 600\r\n"
           "\r\n"; // RFC 9110 §8.6: a 204 has no Content-Length
}

const QByteArray kRejectedBody =
    QByteArrayLiteral("{\"error\":\"forbidden\",\"error_description\":\"Invalid CORS request\"}");
const QByteArray kRejectedPreflight = "HTTP/1.1 403 Forbidden\r\nCache-Control: no-store\r\nPragma: no-cache\r\n"
                                      "Content-Type: application/json;charset=UTF-8\r\nContent-Length: " +
                                      QByteArray::number(kRejectedBody.size()) + "\r\n\r\n" + kRejectedBody;

// The token endpoint's answer to wrong Basic credentials, exactly as it was before CORS existed; `cors` is inserted
// before Content-Length.
QByteArray badCredentialsAnswer(const QByteArray &cors = {})
{
    const QByteArray body = R"({"error":"invalid_client","error_description":"Bad client credentials"})";
    return "HTTP/1.1 401 Unauthorized\r\nCache-Control: no-store\r\nPragma: no-cache\r\n"
           "WWW-Authenticate: Basic realm=\"oauth2/client\"\r\nContent-Type: application/json;charset=UTF-8\r\n" +
           cors + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray corsLines(const QByteArray &origin)
{
    return "Access-Control-Allow-Origin: " + origin + "\r\nVary: Origin\r\n";
}

QByteArray badCredentialsRequest(const QByteArray &path, const QList<QByteArray> &extra = {})
{
    return rawRequest(
        "POST", path,
        QList<QByteArray>{"Authorization: " + kWrongBasic, "Content-Type: application/x-www-form-urlencoded"} + extra,
        "grant_type=authorization_code&code=abcdef&token=x");
}

// The seed's browser steps with an auto-approving client: a fresh code.
void obtainCode(HttpTestClient &http, QString *code)
{
    BrowserFlow flow(http);
    CHECKED(flow.obtainCode());
    *code = flow.code();
}

ServerSettings autoApproving(QStringList origins = {})
{
    ServerSettings s = TestServer::defaultSettings();
    for (Client &c : s.clients)
        c.autoApprove.mode = AutoApprove::Mode::All;
    s.corsAllowedOrigins = origins;
    return s;
}

QList<QByteArray> headerNames(const TestResponse &r)
{
    QList<QByteArray> names;
    for (const auto &[name, value] : r.headers)
        names << name;
    return names;
}

bool hasCorsHeaders(const TestResponse &r)
{
    for (const auto &[name, value] : r.headers) {
        if (name.toLower().startsWith("access-control-") || name.compare("Vary", Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

class TstCors : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void preflightFromAllowedOrigin_data();
    void preflightFromAllowedOrigin();
    void preflightFromOtherOrigin_data();
    void preflightFromOtherOrigin();
    void preflightOnSameOriginPaths_data();
    void preflightOnSameOriginPaths();
    void optionsWithoutPreflightHeaders();
    void tokenExchangeFromAllowedOrigin();
    void errorsCarryCorsHeaders_data();
    void errorsCarryCorsHeaders();
    void otherOriginGetsPlainAnswer();
    void withoutOriginByteIdentical_data();
    void withoutOriginByteIdentical();
    void configuredOrigins_data();
    void configuredOrigins();
    void originsChangeAtRunTime();
    void replacedHeldReplyKeepsCors();
    void preflightRecord();
    void configurationKey_data();
    void configurationKey();
    void configurationRejects_data();
    void configurationRejects();
    void configurationRoundTrip();
};

void TstCors::preflightFromAllowedOrigin_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("origin");
    for (const char *path : {"/oauth/token", "/oauth/introspect", "/oauth/revoke"}) {
        for (const char *origin :
             {"http://localhost:3000", "http://127.0.0.1:8080", "http://localhost", "http://127.0.0.1:65535"})
            QTest::addRow("%s from %s", path, origin) << QByteArray(path) << QByteArray(origin);
    }
}

void TstCors::preflightFromAllowedOrigin()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, origin);
    TestServer server(autoApproving());
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QCOMPARE(rawExchange(server.port(), preflightRequest(path, origin)), preflightAnswer(origin));
    QCOMPARE(issued.size(), 0);
}

void TstCors::preflightFromOtherOrigin_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::newRow("another host") << QByteArray("http://evil.test");
    QTest::newRow("https localhost (the default is http only)") << QByteArray("https://localhost:3000");
    QTest::newRow("localhost as a prefix of another host") << QByteArray("http://localhost.evil.test");
    QTest::newRow("127.0.0.1 as a prefix of another host") << QByteArray("http://127.0.0.1.evil.test:80");
    QTest::newRow("port not a number") << QByteArray("http://localhost:3000x");
    QTest::newRow("port too long") << QByteArray("http://localhost:123456");
    QTest::newRow("with a path") << QByteArray("http://localhost:3000/");
    QTest::newRow("null (sandboxed page)") << QByteArray("null");
    QTest::newRow("IPv6 loopback (not in the default)") << QByteArray("http://[::1]:3000");
}

void TstCors::preflightFromOtherOrigin()
{
    QFETCH(QByteArray, origin);
    TestServer server(autoApproving());
    // 403 like Spring's CorsFilter, and no CORS header: the browser blocks the actual request.
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/token", origin)), kRejectedPreflight);
}

void TstCors::preflightOnSameOriginPaths_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("allow");
    QTest::newRow("check_token") << QByteArray("/oauth/check_token") << QByteArray("POST");
    QTest::newRow("authorize") << QByteArray("/oauth/authorize") << QByteArray("GET, POST");
    QTest::newRow("login") << QByteArray("/login") << QByteArray("GET, POST");
    QTest::newRow("health") << QByteArray("/health") << QByteArray("GET");
}

void TstCors::preflightOnSameOriginPaths()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, allow);
    TestServer server(autoApproving());
    HttpTestClient http(server.port());
    // Same-origin paths know nothing of CORS: OPTIONS is a method they lack.
    const TestResponse r = http.send("OPTIONS", QString::fromLatin1(path), {},
                                     {{"Origin", kApp}, {"Access-Control-Request-Method", "POST"}});
    CHECKED(expectJsonError(r, 405,
                            jsonError("method_not_allowed", QStringLiteral("Request method 'OPTIONS' not supported"))));
    QCOMPARE(r.header("Allow"), allow);
    QVERIFY(!hasCorsHeaders(r));

    // Unknown paths stay 404.
    const TestResponse unknown = http.send("OPTIONS", QStringLiteral("/oauth/nothing"), {},
                                           {{"Origin", kApp}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(unknown.status, 404);
    QVERIFY(!hasCorsHeaders(unknown));
}

void TstCors::optionsWithoutPreflightHeaders()
{
    TestServer server(autoApproving());
    const QByteArray body =
        R"({"error":"method_not_allowed","error_description":"Request method 'OPTIONS' not supported"})";
    const QByteArray answer = "HTTP/1.1 405 Method Not Allowed\r\nCache-Control: no-store\r\nPragma: no-cache\r\n"
                              "Allow: POST\r\nContent-Type: application/json;charset=UTF-8\r\n";
    const QByteArray tail = "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    // No Origin: as before CORS.
    QCOMPARE(rawExchange(server.port(), rawRequest("OPTIONS", "/oauth/token", {})), answer + tail);
    // Origin without Access-Control-Request-Method is no preflight: an actual OPTIONS request, answered 405 and
    // readable by the allowed origin.
    QCOMPARE(rawExchange(server.port(), rawRequest("OPTIONS", "/oauth/token", {"Origin: " + kApp})),
             answer + corsLines(kApp) + tail);
    // Access-Control-Request-Method without Origin: no preflight either.
    QCOMPARE(rawExchange(server.port(), rawRequest("OPTIONS", "/oauth/token", {"Access-Control-Request-Method: POST"})),
             answer + tail);
}

void TstCors::tokenExchangeFromAllowedOrigin()
{
    TestServer server(autoApproving());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, &code));
    const TestResponse r =
        http.postForm(QStringLiteral("/oauth/token"),
                      "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=http%3A%2F%2Flocalhost",
                      {{"Authorization", kSeedBasic}, {"Origin", kApp}});
    Tokens t;
    CHECKED(expectToken(r, &t, 43199, QStringLiteral("read write")));
    // The usual headers first, the CORS ones after them.
    const QList<QByteArray> names{"Cache-Control", "Pragma",        "Content-Type", "Access-Control-Allow-Origin",
                                  "Vary",          "Content-Length"};
    QCOMPARE(headerNames(r), names);
    QCOMPARE(r.header("Access-Control-Allow-Origin"), kApp);
    QCOMPARE(r.header("Vary"), QByteArray("Origin"));

    // Introspection and revocation from the same page.
    const TestResponse introspected = http.postForm(QStringLiteral("/oauth/introspect"), "token=" + enc(t.access),
                                                    {{"Authorization", kSeedBasic}, {"Origin", kApp}});
    QCOMPARE(introspected.status, 200);
    QCOMPARE(introspected.header("Access-Control-Allow-Origin"), kApp);
    const TestResponse revoked = http.postForm(QStringLiteral("/oauth/revoke"), "token=" + enc(t.refresh),
                                               {{"Authorization", kSeedBasic}, {"Origin", kApp}});
    QCOMPARE(revoked.status, 200);
    const QList<QPair<QByteArray, QByteArray>> revokedHeaders{{"Cache-Control", "no-store"},
                                                              {"Pragma", "no-cache"},
                                                              {"Access-Control-Allow-Origin", kApp},
                                                              {"Vary", "Origin"},
                                                              {"Content-Length", "0"}};
    QCOMPARE(revoked.headers, revokedHeaders);
}

void TstCors::errorsCarryCorsHeaders_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("token") << QByteArray("/oauth/token");
    QTest::newRow("introspect") << QByteArray("/oauth/introspect");
    QTest::newRow("revoke") << QByteArray("/oauth/revoke");
}

void TstCors::errorsCarryCorsHeaders()
{
    QFETCH(QByteArray, path);
    TestServer server(autoApproving());
    // The page must be able to read the error: the same answer, plus the CORS lines.
    QCOMPARE(rawExchange(server.port(), badCredentialsRequest(path, {"Origin: " + kApp})),
             badCredentialsAnswer(corsLines(kApp)));
    // A wrong method on a cross-origin path, and a body over the limit, too.
    const QByteArray get = rawExchange(server.port(), rawRequest("GET", path, {"Origin: " + kApp}));
    QVERIFY2(get.startsWith("HTTP/1.1 405 "), get.constData());
    QVERIFY2(get.contains("\r\nAllow: POST\r\n"
                          "Content-Type: application/json;charset=UTF-8\r\n" +
                          corsLines(kApp)),
             get.constData());
    const QByteArray big =
        rawExchange(server.port(), rawRequest("POST", path, {"Origin: " + kApp}, QByteArray(64 * 1024 + 1, 'a')));
    QVERIFY2(big.startsWith("HTTP/1.1 413 "), big.constData());
    QVERIFY2(big.contains(corsLines(kApp)), big.constData());
}

void TstCors::otherOriginGetsPlainAnswer()
{
    TestServer server(autoApproving());
    // Answered as usual, without CORS headers: the browser keeps the answer from the page.
    QCOMPARE(rawExchange(server.port(), badCredentialsRequest("/oauth/token", {"Origin: http://evil.test"})),
             badCredentialsAnswer());
}

void TstCors::withoutOriginByteIdentical_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("expected");
    for (const char *path : {"/oauth/token", "/oauth/introspect", "/oauth/revoke"})
        QTest::newRow(path) << QByteArray(path) << badCredentialsAnswer();
}

void TstCors::withoutOriginByteIdentical()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, expected);
    TestServer server(autoApproving());
    QCOMPARE(rawExchange(server.port(), badCredentialsRequest(path)), expected);
    // An Origin on a same-origin path changes nothing either.
    const QByteArray health = "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
                              "Content-Length: 15\r\n\r\n{\"status\":\"UP\"}";
    QCOMPARE(rawExchange(server.port(), rawRequest("GET", "/health", {})), health);
    QCOMPARE(rawExchange(server.port(), rawRequest("GET", "/health", {"Origin: " + kApp})), health);
}

void TstCors::configuredOrigins_data()
{
    QTest::addColumn<QStringList>("configured");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<bool>("allowed");
    const QStringList apps{QStringLiteral("https://app.example.test"), QStringLiteral("http://Dev.Example.test:8080"),
                           QStringLiteral("http://plain.example.test:80")};
    QTest::newRow("listed") << apps << QByteArray("https://app.example.test") << true;
    QTest::newRow("listed, case differs") << apps << QByteArray("http://dev.example.test:8080") << true;
    QTest::newRow("listed with :80, sent without") << apps << QByteArray("http://plain.example.test") << true;
    QTest::newRow("listed host, other scheme") << apps << QByteArray("http://app.example.test") << false;
    QTest::newRow("listed host, other port") << apps << QByteArray("https://app.example.test:8443") << false;
    QTest::newRow("a list replaces the loopback default") << apps << QByteArray("http://localhost:3000") << false;
    QTest::newRow("star: any origin") << QStringList{QStringLiteral("*")} << QByteArray("https://anything.test")
                                      << true;
    QTest::newRow("star: even null") << QStringList{QStringLiteral("*")} << QByteArray("null") << true;
    QTest::newRow("empty list: loopback default") << QStringList() << QByteArray("http://127.0.0.1:5173") << true;
}

void TstCors::configuredOrigins()
{
    QFETCH(QStringList, configured);
    QFETCH(QByteArray, origin);
    QFETCH(bool, allowed);
    TestServer server(autoApproving(configured));
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/token", origin)),
             allowed ? preflightAnswer(origin) : kRejectedPreflight);
    // The answer echoes the origin as sent, never "*".
    QCOMPARE(rawExchange(server.port(), badCredentialsRequest("/oauth/token", {"Origin: " + origin})),
             badCredentialsAnswer(allowed ? corsLines(origin) : QByteArray()));
}

void TstCors::originsChangeAtRunTime()
{
    TestServer server(autoApproving());
    const QByteArray app = "https://app.example.test";
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/token", app)), kRejectedPreflight);
    ServerSettings changed = server->settings();
    changed.corsAllowedOrigins = {QString::fromLatin1(app)};
    server->applySettings(changed);
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/token", app)), preflightAnswer(app));
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/token", kApp)), kRejectedPreflight);
}

void TstCors::replacedHeldReplyKeepsCors()
{
    TestServer server(autoApproving());
    server->pipeline().setHoldPredicate(
        [](const ExchangeRecord &r) { return r.path == QLatin1String("/oauth/token"); });
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/oauth/token").arg(server.port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
    request.setRawHeader("Authorization", kSeedBasic);
    request.setRawHeader("Origin", kApp);
    const std::unique_ptr<QNetworkReply> reply(nam.post(request, QByteArray("grant_type=")));
    QVERIFY(held.wait(10000));
    const quint64 id = qvariant_cast<ExchangeRecord>(held.at(0).at(0)).id;

    // A fault injected in place of the real answer still reaches the page.
    HttpResponse replacement;
    replacement.status = 503;
    replacement.addHeader("Content-Type", "text/plain");
    replacement.body = "injected";
    QVERIFY(server->pipeline().release(id, replacement));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        QVERIFY(done.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    QCOMPARE(reply->rawHeader("Access-Control-Allow-Origin"), kApp);
    QCOMPARE(reply->rawHeader("Vary"), QByteArray("Origin"));
    QCOMPARE(reply->readAll(), QByteArray("injected"));
    const ExchangeRecord record = lastRecord(finished);
    const HeaderList expected{
        {"Content-Type", "text/plain"}, {"Access-Control-Allow-Origin", kApp}, {"Vary", "Origin"}};
    QCOMPARE(record.responseHeaders, expected);
}

void TstCors::preflightRecord()
{
    TestServer server(autoApproving());
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/revoke", kApp)), preflightAnswer(kApp));
    ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.method, QByteArray("OPTIONS"));
    QCOMPARE(record.status, 204);
    QCOMPARE(record.debugDetail, QString());
    QCOMPARE(rawExchange(server.port(), preflightRequest("/oauth/revoke", "http://evil.test")), kRejectedPreflight);
    record = lastRecord(finished);
    QCOMPARE(record.status, 403);
    QCOMPARE(record.debugDetail, QStringLiteral("CORS preflight from an origin not allowed: http://evil.test"));
}

void TstCors::configurationKey_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("one origin") << QByteArray(R"({"server":{"cors_allowed_origins":["https://app.example.test"]}})")
                                << QStringList{QStringLiteral("https://app.example.test")};
    QTest::newRow("port, IPv6, star")
        << QByteArray(R"({"server":{"cors_allowed_origins":["http://a.test:8080","http://[::1]:3000","*"]}})")
        << QStringList{QStringLiteral("http://a.test:8080"), QStringLiteral("http://[::1]:3000"), QStringLiteral("*")};
    QTest::newRow("empty: the default") << QByteArray(R"({"server":{"cors_allowed_origins":[]}})") << QStringList();
}

void TstCors::configurationKey()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, expected);
    ServerSettings settings;
    settings.corsAllowedOrigins = {QStringLiteral("http://before.test")};
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, settings, &error), qPrintable(error.toString()));
    QCOMPARE(settings.corsAllowedOrigins, expected);
}

void TstCors::configurationRejects_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    const QString notOrigin = QStringLiteral("not an origin: http or https, a host and an optional port, nothing "
                                             "after them (not even \"/\"), or \"*\"");
    const auto row = [&](const char *name, const char *origins, int index) {
        QTest::newRow(name) << QByteArray(R"({"server":{"cors_allowed_origins":[)") + origins + "]}}"
                            << QStringLiteral("server.cors_allowed_origins[%1]: ").arg(index) + notOrigin;
    };
    row("trailing slash", R"("http://localhost:3000/")", 0);
    row("path", R"("https://ok.test","https://app.test/cb")", 1);
    row("query", R"("https://app.test?x=1")", 0);
    row("empty query", R"("https://app.test?")", 0);
    row("fragment", R"("https://app.test#top")", 0);
    row("user info", R"("https://me@app.test")", 0);
    row("other scheme", R"("ftp://app.test")", 0);
    row("no scheme", R"("app.test")", 0);
    row("no host", R"("http://")", 0);
    row("bad port", R"("http://app.test:99999")", 0);
    row("empty", R"("")", 0);
    row("star inside", R"("http://*.app.test")", 0);
    QTest::newRow("not an array") << QByteArray(R"({"server":{"cors_allowed_origins":"*"}})")
                                  << QStringLiteral("server.cors_allowed_origins: expected an array");
    QTest::newRow("not a string") << QByteArray(R"({"server":{"cors_allowed_origins":[3000]}})")
                                  << QStringLiteral("server.cors_allowed_origins[0]: expected a string");
}

void TstCors::configurationRejects()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    ServerSettings settings;
    ConfigError error;
    QVERIFY(!ConfigRepository::applyOverlay(json, settings, &error));
    QCOMPARE(error.toString(), message);
    QCOMPARE(settings.corsAllowedOrigins, QStringList());
}

void TstCors::configurationRoundTrip()
{
    ServerSettings settings = TestServer::defaultSettings();
    // The default writes no key, so existing files and exports stay as they were.
    QVERIFY(!ConfigRepository::toJson(settings, ConfigRepository::Secrets::Required).contains("cors_allowed_origins"));
    settings.corsAllowedOrigins = {QStringLiteral("https://app.example.test"), QStringLiteral("*")};
    const QByteArray json = ConfigRepository::toJson(settings, ConfigRepository::Secrets::Required);
    ServerSettings read;
    ConfigError error;
    QVERIFY2(ConfigRepository::applyOverlay(json, read, &error), qPrintable(error.toString()));
    QCOMPARE(read.corsAllowedOrigins, settings.corsAllowedOrigins);
}

QTEST_GUILESS_MAIN(TstCors)
#include "tst_cors.moc"
