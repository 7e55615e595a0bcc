// The server under wrong methods, unknown paths, oversized and malformed input, and what its request log keeps:
// it answers what it can, never crashes, keeps serving, and never writes a secret into an ExchangeRecord.

#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"
#include "http/Pipeline.h"

#include <QHostAddress>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <stdexcept>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QByteArray kHtmlType = QByteArrayLiteral("text/html;charset=UTF-8");

using Headers = HttpTestClient::Headers;

QByteArray manyParameters(int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += (i ? "&p" : "p") + QByteArray::number(i) + "=1";
    return out;
}

// Connects, writes `bytes` and waits until they left this side. The socket stays open.
void connectAndWrite(QTcpSocket &socket, quint16 port, const QByteArray &bytes)
{
    QSignalSpy connected(&socket, &QTcpSocket::connected);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), port);
    QVERIFY(connected.wait(5000));
    QSignalSpy written(&socket, &QTcpSocket::bytesWritten);
    socket.write(bytes);
    QVERIFY(written.wait(5000));
}

QByteArray headerValue(const HeaderList &headers, const QByteArray &name)
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

// Every place of a record a request secret could leak into.
QByteArray recordText(const ExchangeRecord &r)
{
    QByteArray out = r.query + '\n' + r.requestBody + '\n' + r.debugDetail.toUtf8() + '\n';
    for (const auto &[n, v] : r.requestHeaders)
        out += n + ": " + v + '\n';
    for (const auto &[n, v] : r.responseHeaders)
        out += n + ": " + v + '\n';
    return out;
}

} // namespace

class TstRobustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wrongMethod_data();
    void wrongMethod();
    void unknownPath_data();
    void unknownPath();
    void bodyTooLarge_data();
    void bodyTooLarge();
    void malformedInput_data();
    void malformedInput();
    void tooManyParameters_data();
    void tooManyParameters();
    void headHasNoBody();
    void requestLogRedactsSecrets_data();
    void requestLogRedactsSecrets();
    void requestLogRedactsSetCookie();
    void unexpectedFailureIsServerError();
};

void TstRobustness::wrongMethod_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("allow");
    QTest::newRow("GET /oauth/token") << QByteArray("GET") << QStringLiteral("/oauth/token") << QByteArray("POST");
    QTest::newRow("GET /oauth/token with the seed's query")
        << QByteArray("GET")
        << QStringLiteral("/oauth/token?grant_type=authorization_code&code=W636oE&client_id=messaging-client"
                          "&client_secret=secret&redirect_uri=http://localhost")
        << QByteArray("POST");
    QTest::newRow("PUT /oauth/token") << QByteArray("PUT") << QStringLiteral("/oauth/token") << QByteArray("POST");
    QTest::newRow("DELETE /oauth/token") << QByteArray("DELETE") << QStringLiteral("/oauth/token")
                                         << QByteArray("POST");
    QTest::newRow("PATCH /oauth/token") << QByteArray("PATCH") << QStringLiteral("/oauth/token") << QByteArray("POST");
    QTest::newRow("PUT /oauth/authorize")
        << QByteArray("PUT") << QStringLiteral("/oauth/authorize") << QByteArray("GET, POST");
    QTest::newRow("DELETE /login") << QByteArray("DELETE") << QStringLiteral("/login") << QByteArray("GET, POST");
}

void TstRobustness::wrongMethod()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, allow);
    TestServer server;
    HttpTestClient http(server.port());
    const QByteArray body = method == "GET" || method == "DELETE" ? QByteArray() : QByteArray("grant_type=x");
    const TestResponse r = http.send(method, path, body, {});
    CHECKED(expectJsonError(r, 405,
                            "{\"error\":\"method_not_allowed\",\"error_description\":\"Request method '" + method +
                                "' not supported\"}"));
    QCOMPARE(r.header("Allow"), allow);
}

void TstRobustness::unknownPath_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("json");
    QTest::addColumn<QString>("shownPath"); // as the body names it (decoded; HTML-escaped for pages)
    QTest::newRow("GET /oauth/nothing") << QByteArray("GET") << QStringLiteral("/oauth/nothing") << true
                                        << QStringLiteral("/oauth/nothing");
    QTest::newRow("POST /oauth/token/ (trailing slash)")
        << QByteArray("POST") << QStringLiteral("/oauth/token/") << true << QStringLiteral("/oauth/token/");
    QTest::newRow("POST /OAUTH/TOKEN (case)")
        << QByteArray("POST") << QStringLiteral("/OAUTH/TOKEN") << false << QStringLiteral("/OAUTH/TOKEN");
    QTest::newRow("GET /nothing") << QByteArray("GET") << QStringLiteral("/nothing") << false
                                  << QStringLiteral("/nothing");
    QTest::newRow("GET /login/extra") << QByteArray("GET") << QStringLiteral("/login/extra") << false
                                      << QStringLiteral("/login/extra");
    QTest::newRow("GET page with markup in the path")
        << QByteArray("GET") << QStringLiteral("/%3Cscript%3Ealert(1)%3C/script%3E") << false
        << QStringLiteral("/&lt;script&gt;alert(1)&lt;/script&gt;");
    QTest::newRow("unknown method on an unknown path")
        << QByteArray("BREW") << QStringLiteral("/coffee") << false << QStringLiteral("/coffee");
}

void TstRobustness::unknownPath()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(bool, json);
    QFETCH(QString, shownPath);
    TestServer server;
    HttpTestClient http(server.port());
    const TestResponse r = http.send(method, path, {}, {});
    QCOMPARE(r.status, 404);
    if (json) {
        CHECKED(expectJsonError(
            r, 404, "{\"error\":\"not_found\",\"error_description\":\"No endpoint at " + shownPath.toUtf8() + "\"}"));
    } else {
        QCOMPARE(r.header("Content-Type"), kHtmlType);
        QVERIFY2(r.body.contains("<h1>Not Found</h1>"), r.body.constData());
        QVERIFY2(r.body.contains(shownPath.toUtf8()), r.body.constData());
        QVERIFY(!r.body.contains("<script>"));
    }
    CHECKED(expectHealthy(server.port()));
}

void TstRobustness::bodyTooLarge_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("status");
    QTest::newRow("64 KiB exactly: not too large") << QStringLiteral("/oauth/token") << 64 * 1024 << 401;
    QTest::newRow("64 KiB + 1") << QStringLiteral("/oauth/token") << 64 * 1024 + 1 << 413;
    QTest::newRow("1 MiB") << QStringLiteral("/oauth/token") << 1024 * 1024 << 413;
    QTest::newRow("login form, 64 KiB + 1") << QStringLiteral("/login") << 64 * 1024 + 1 << 413;
}

void TstRobustness::bodyTooLarge()
{
    QFETCH(QString, path);
    QFETCH(int, size);
    QFETCH(int, status);
    TestServer server;
    HttpTestClient http(server.port());
    QByteArray body = "x=";
    body += QByteArray(size - body.size(), 'a');
    QCOMPARE(body.size(), size);
    const TestResponse r = http.postForm(path, body);
    if (status == 413) {
        CHECKED(expectJsonError(r, 413,
                                "{\"error\":\"request_too_large\",\"error_description\":\"Request body exceeds the "
                                "limit of 65536 bytes\"}"));
    } else {
        QCOMPARE(r.status, status); // no client authentication: the token endpoint's 401
    }
    // The connection state is sane: the next requests are answered.
    CHECKED(expectHealthy(server.port()));
    CHECKED(expectHealthy(server.port()));
}

void TstRobustness::malformedInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("mode"); // exchange: send, read until close/idle; abort: send and reset;
                                       // holdOpen: send, serve /health meanwhile, then reset
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage += char((i * 131 + 7) & 0xff);

    QTest::newRow("malformed request line") << QByteArray("GARBAGE\r\n\r\n") << QStringLiteral("exchange");
    QTest::newRow("request line without version") << QByteArray("GET /health\r\n\r\n") << QStringLiteral("exchange");
    QTest::newRow("bad version") << QByteArray("GET /health HTTP/9.9\r\nHost: x\r\n\r\n") << QStringLiteral("exchange");
    QTest::newRow("header line without colon")
        << QByteArray("GET /health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n") << QStringLiteral("exchange");
    QTest::newRow("NUL bytes in the request line")
        << QByteArray("GET /he\0alth HTTP/1.1\r\n\r\n", 25) << QStringLiteral("exchange");
    QTest::newRow("garbage bytes") << garbage << QStringLiteral("exchange");
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << QStringLiteral("exchange");
    QTest::newRow("TLS client hello on the plain port")
        << QByteArray::fromHex("16030100a5010000a10303") + QByteArray(160, '\x01') << QStringLiteral("exchange");
    QTest::newRow("negative Content-Length")
        << QByteArray("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nabc")
        << QStringLiteral("exchange");
    QTest::newRow("non-numeric Content-Length")
        << QByteArray("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\nabc")
        << QStringLiteral("exchange");
    QTest::newRow("100 KiB header") << "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(100 * 1024, 'h') +
                                           "\r\n\r\n"
                                    << QStringLiteral("exchange");
    QTest::newRow("truncated request line") << QByteArray("GET /hea") << QStringLiteral("abort");
    QTest::newRow("truncated headers") << QByteArray("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Ty")
                                       << QStringLiteral("abort");
    QTest::newRow("truncated body")
        << QByteArray("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      "Content-Length: 100\r\n\r\ngrant_type=")
        << QStringLiteral("abort");
    QTest::newRow("huge Content-Length, headers only, then close")
        << QByteArray("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n")
        << QStringLiteral("abort");
    QTest::newRow("huge Content-Length held open while others are served")
        << QByteArray("POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\nabc")
        << QStringLiteral("holdOpen");
    QTest::newRow("truncated request held open while others are served")
        << QByteArray("GET /health HTTP/1.1\r\nHo") << QStringLiteral("holdOpen");
}

void TstRobustness::malformedInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, mode);
    TestServer server;
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    if (mode == QLatin1String("exchange")) {
        const QByteArray reply = rawExchange(server.port(), bytes, 1000);
        // No answer at all (connection closed), or a well-formed HTTP answer that is not a server error (a lenient
        // parser may serve what it could read).
        QVERIFY2(reply.isEmpty() || (reply.startsWith("HTTP/1.1 ") && !reply.startsWith("HTTP/1.1 5")),
                 reply.left(200).constData());
    } else {
        QTcpSocket socket;
        CHECKED(connectAndWrite(socket, server.port(), bytes));
        if (mode == QLatin1String("holdOpen")) {
            CHECKED(expectHealthy(server.port()));
            QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        }
        socket.abort();
    }
    CHECKED(expectHealthy(server.port()));
    CHECKED(expectHealthy(server.port()));
    QVERIFY(server->isListening());
    // Only complete requests reach the pipeline; the /health checks are the last records.
    QVERIFY(finished.size() >= 2);
    QCOMPARE(qvariant_cast<ExchangeRecord>(finished.last().at(0)).path, QStringLiteral("/health"));
}

void TstRobustness::tooManyParameters_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("inQuery");
    QTest::addColumn<int>("inBody");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray tooMany = "{\"error\":\"invalid_request\",\"error_description\":\"More than 256 parameters\"}";
    QTest::newRow("257 in the body") << QStringLiteral("/oauth/token") << 0 << 257 << 400 << tooMany;
    QTest::newRow("257 in the query") << QStringLiteral("/oauth/token") << 257 << 0 << 400 << tooMany;
    QTest::newRow("5000 in the body") << QStringLiteral("/oauth/token") << 0 << 5000 << 400 << tooMany;
    QTest::newRow("256 in the body: within the limit")
        << QStringLiteral("/oauth/token") << 0 << 256 << 400
        << QByteArray("{\"error\":\"invalid_request\",\"error_description\":\"Missing grant type\"}");
}

void TstRobustness::tooManyParameters()
{
    QFETCH(QString, path);
    QFETCH(int, inQuery);
    QFETCH(int, inBody);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    TestServer server;
    HttpTestClient http(server.port());
    const QString query = inQuery ? QLatin1Char('?') + QString::fromLatin1(manyParameters(inQuery)) : QString();
    const TestResponse r =
        http.postForm(path + query, manyParameters(inBody),
                      HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
    CHECKED(expectJsonError(r, status, expected));
    CHECKED(expectHealthy(server.port()));
}

void TstRobustness::headHasNoBody()
{
    TestServer server;
    const QByteArray get = rawExchange(server.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY2(get.startsWith("HTTP/1.1 200"), get.constData());
    QVERIFY(get.endsWith("\r\n\r\n{\"status\":\"UP\"}"));

    const QByteArray head = rawExchange(server.port(), "HEAD /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 1000);
    QVERIFY2(head.startsWith("HTTP/1.1 200"), head.constData());
    const qsizetype end = head.indexOf("\r\n\r\n");
    QVERIFY(end > 0);
    QCOMPARE(head.mid(end + 4), QByteArray());

    HttpTestClient http(server.port());
    const TestResponse r = http.send("HEAD", QStringLiteral("/health"), {}, {});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray());
    CHECKED(expectHealthy(server.port()));
}

void TstRobustness::requestLogRedactsSecrets_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("query");           // expected record.query; null: not checked
    QTest::addColumn<QByteArray>("recordedBody");    // expected record.requestBody; null: not checked
    QTest::addColumn<HeaderList>("recordedHeaders"); // expected request header values (names case-insensitive)
    QTest::addColumn<QByteArrayList>("mustContain");
    QTest::addColumn<QByteArrayList>("secrets"); // must appear nowhere in the record

    const QByteArray secret = "s3cr3t-value";
    const QByteArray basic = "Basic " + QByteArray("messaging-client:s3cr3t-value").toBase64();

    QTest::newRow("client_secret in the query")
        << QStringLiteral("/oauth/token?grant_type=authorization_code&code=abc&client_id=messaging-client"
                          "&client_secret=s3cr3t-value&redirect_uri=http%3A%2F%2Flocalhost")
        << QByteArray() << HeaderList()
        << QByteArray("grant_type=authorization_code&code=abc&client_id=messaging-client&client_secret=******"
                      "&redirect_uri=http%3A%2F%2Flocalhost")
        << QByteArray() << HeaderList() << QByteArrayList() << QByteArrayList{secret};
    QTest::newRow("client_secret in the query, raw redirect URI (the seed's Postman line)")
        << QStringLiteral("/oauth/token?grant_type=authorization_code&code=abc&client_id=messaging-client"
                          "&client_secret=s3cr3t-value&redirect_uri=http://localhost")
        << QByteArray() << HeaderList() << QByteArray() << QByteArray() << HeaderList()
        << QByteArrayList{"client_secret=******", "client_id=messaging-client"} << QByteArrayList{secret};
    QTest::newRow("client_secret in the body")
        << QStringLiteral("/oauth/token")
        << QByteArray("grant_type=authorization_code&code=abc&client_id=messaging-client&client_secret=s3cr3t-value")
        << HeaderList() << QByteArray()
        << QByteArray("grant_type=authorization_code&code=abc&client_id=messaging-client&client_secret=******")
        << HeaderList() << QByteArrayList() << QByteArrayList{secret};
    QTest::newRow("Basic credentials") << QStringLiteral("/oauth/token")
                                       << QByteArray("grant_type=authorization_code&code=abc")
                                       << HeaderList{{"Authorization", basic}} << QByteArray()
                                       << QByteArray("grant_type=authorization_code&code=abc")
                                       << HeaderList{{"Authorization", "Basic ******"}} << QByteArrayList()
                                       << QByteArrayList{secret, basic.mid(6)};
    QTest::newRow("code_verifier in the body")
        << QStringLiteral("/oauth/token")
        << QByteArray("grant_type=authorization_code&code=abc&code_verifier=verifier-value-789") << HeaderList()
        << QByteArray() << QByteArray("grant_type=authorization_code&code=abc&code_verifier=******") << HeaderList()
        << QByteArrayList() << QByteArrayList{"verifier-value-789"};
    QTest::newRow("login form and session cookie")
        << QStringLiteral("/login") << QByteArray("username=user&password=hunter2-value&_csrf=csrf-value-123")
        << HeaderList{{"Cookie", "JSESSIONID=session-id-456"}} << QByteArray()
        << QByteArray("username=user&password=******&_csrf=******") << HeaderList{{"Cookie", "JSESSIONID=******"}}
        << QByteArrayList() << QByteArrayList{"hunter2-value", "csrf-value-123", "session-id-456"};
    QTest::newRow("approval form")
        << QStringLiteral("/oauth/authorize")
        << QByteArray("user_oauth_approval=true&scope.read=true&_csrf=csrf-value-123&authorize=Authorize")
        << HeaderList{{"Cookie", "JSESSIONID=session-id-456"}} << QByteArray()
        << QByteArray("user_oauth_approval=true&scope.read=true&_csrf=******&authorize=Authorize")
        << HeaderList{{"Cookie", "JSESSIONID=******"}} << QByteArrayList()
        << QByteArrayList{"csrf-value-123", "session-id-456"};
    QTest::newRow("session cookie after another cookie")
        << QStringLiteral("/login") << QByteArray("username=user&password=hunter2-value&_csrf=csrf-value-123")
        << HeaderList{{"Cookie", "theme=dark; JSESSIONID=session-id-456"}} << QByteArray() << QByteArray()
        << HeaderList() << QByteArrayList{"JSESSIONID=******"}
        << QByteArrayList{"hunter2-value", "csrf-value-123", "session-id-456"};
    // The server decodes parameter names ("pass%77ord" is password), so the log must too.
    QTest::newRow("percent-encoded parameter names")
        << QStringLiteral("/login") << QByteArray("username=user&pass%77ord=hunter2-value&%5Fcsrf=csrf-value-123")
        << HeaderList{{"Cookie", "JSESSIONID=session-id-456"}} << QByteArray() << QByteArray() << HeaderList()
        << QByteArrayList() << QByteArrayList{"hunter2-value", "csrf-value-123", "session-id-456"};
}

void TstRobustness::requestLogRedactsSecrets()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, recordedBody);
    QFETCH(HeaderList, recordedHeaders);
    QFETCH(QByteArrayList, mustContain);
    QFETCH(QByteArrayList, secrets);

    TestServer server;
    HttpTestClient http(server.port());
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    const TestResponse r = http.postForm(path, body, headers);
    QVERIFY(r.status != 0);
    QCOMPARE(finished.size(), 1);
    const auto record = qvariant_cast<ExchangeRecord>(finished.at(0).at(0));
    if (!query.isNull())
        QCOMPARE(record.query, query);
    if (!recordedBody.isNull())
        QCOMPARE(record.requestBody, recordedBody);
    for (const auto &[name, value] : recordedHeaders)
        QCOMPARE(headerValue(record.requestHeaders, name), value);
    const QByteArray text = recordText(record);
    for (const QByteArray &expected : mustContain)
        QVERIFY2(text.contains(expected), text.constData());
    for (const QByteArray &secret : secrets)
        QVERIFY2(!text.contains(secret), ("leaked " + secret + " in:\n" + text).constData());
}

void TstRobustness::requestLogRedactsSetCookie()
{
    TestServer server;
    HttpTestClient http(server.port());
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    const TestResponse r = http.get(QStringLiteral("/login"));
    QCOMPARE(r.status, 200);
    const QString session = r.sessionCookie();
    QVERIFY(!session.isEmpty());
    QCOMPARE(finished.size(), 1);
    const auto record = qvariant_cast<ExchangeRecord>(finished.at(0).at(0));
    const QByteArray setCookie = headerValue(record.responseHeaders, "Set-Cookie");
    QVERIFY2(setCookie.startsWith("JSESSIONID=******"), setCookie.constData());
    QVERIFY(!recordText(record).contains(session.toLatin1()));
    // The page itself carries the CSRF token (the response body is the page, not a request secret).
}

// PROTOCOL.md "Everywhere": anything unexpected is 500 server_error; the detail goes to the request log only.
void TstRobustness::unexpectedFailureIsServerError()
{
    TestServer server;
    server->pipeline().addRoute("GET", QStringLiteral("/boom"),
                                [](const HttpRequest &, ExchangeContext &) -> HttpResponse {
                                    throw std::runtime_error("database on fire at row 42");
                                });
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/boom"));
    CHECKED(expectJsonError(r, 500, R"({"error":"server_error","error_description":"Internal server error"})"));
    QVERIFY(!r.body.contains("database"));
    QCOMPARE(finished.size(), 1);
    const auto record = finished.first().first().value<ExchangeRecord>();
    QCOMPARE(record.status, 500);
    QCOMPARE(record.debugDetail, QStringLiteral("database on fire at row 42"));
    CHECKED(expectHealthy(server.port()));
}

QTEST_GUILESS_MAIN(TstRobustness)
#include "tst_robustness.moc"
