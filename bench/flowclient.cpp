// oauthsim_flowclient: drives complete authorization-code flows against oauthsim, one after the other, on one
// keep-alive connection, and reports flows per second and per-flow / per-step latency as JSON on stdout.
//
// Each flow starts with a fresh session (no cookie) and makes the six requests of PROTOCOL.md's code flow:
//   1 GET  /oauth/authorize?...        -> 302 Location /login, Set-Cookie JSESSIONID
//   2 GET  /login                      -> 200 HTML form with hidden _csrf
//   3 POST /login                      -> 302 back to the authorize URL, a NEW JSESSIONID
//   4 GET  /oauth/authorize?...        -> 200 approval page with hidden _csrf
//   5 POST /oauth/authorize            -> 303 Location {redirect_uri}?code=XXXXXX
//   6 POST /oauth/token (Basic auth)   -> 200 JSON with access_token
// Any other answer stops the run: the request and the response are printed on stderr, exit status 3.
//
// The client is deliberately light: a blocking QTcpSocket (TCP_NODELAY), hand-written HTTP/1.1, no event loop,
// no QNetworkAccessManager. Usage: oauthsim_flowclient --url http://127.0.0.1:PORT [--duration 5] [--max-flows N]

#include <QByteArray>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QTcpSocket>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace {

struct Response
{
    int status = 0;
    QByteArray head; // status line and headers as received
    QList<QPair<QByteArray, QByteArray>> headers; // lower-cased names
    QByteArray body;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers)
            if (h.first == name)
                return h.second;
        return {};
    }
    QList<QByteArray> all(const QByteArray &name) const
    {
        QList<QByteArray> out;
        for (const auto &h : headers)
            if (h.first == name)
                out.append(h.second);
        return out;
    }
};

class Connection
{
public:
    Connection(const QString &host, quint16 port, int timeoutMs)
        : m_host(host), m_port(port), m_timeoutMs(timeoutMs)
    {
    }

    int connects() const { return m_connects; }

    // Sends one request and reads one response. A request on a reused connection that the server closed in
    // the meantime is retried once on a new connection (before any response byte arrived).
    bool roundTrip(const QByteArray &request, Response &out, QString &error)
    {
        for (int attempt = 0; attempt < 2; ++attempt) {
            const bool reused = m_socket.state() == QAbstractSocket::ConnectedState;
            if (!ensureConnected(error))
                return false;
            m_buf.clear();
            if (m_socket.write(request) != request.size()) {
                error = QStringLiteral("write failed: ") + m_socket.errorString();
                m_socket.abort();
                if (reused)
                    continue;
                return false;
            }
            m_socket.flush();
            bool gotBytes = false;
            if (readResponse(out, error, gotBytes))
                return true;
            m_socket.abort();
            if (!(reused && !gotBytes))
                return false;
        }
        return false;
    }

private:
    bool ensureConnected(QString &error)
    {
        if (m_socket.state() == QAbstractSocket::ConnectedState)
            return true;
        m_socket.abort();
        m_socket.connectToHost(m_host, m_port);
        if (!m_socket.waitForConnected(m_timeoutMs)) {
            error = QStringLiteral("connect failed: ") + m_socket.errorString();
            return false;
        }
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
        ++m_connects;
        return true;
    }

    bool fill(QString &error)
    {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(m_timeoutMs)) {
            error = QStringLiteral("read failed: ") + m_socket.errorString();
            return false;
        }
        m_buf += m_socket.readAll();
        return true;
    }

    bool readResponse(Response &out, QString &error, bool &gotBytes)
    {
        out = Response();
        for (;;) {
            qsizetype end;
            while ((end = m_buf.indexOf("\r\n\r\n")) < 0) {
                if (!fill(error))
                    return false;
                gotBytes = true;
            }
            out.head = m_buf.left(end);
            m_buf.remove(0, end + 4);
            const QList<QByteArray> lines = out.head.split('\n');
            const QList<QByteArray> statusParts = lines.value(0).trimmed().split(' ');
            bool ok = false;
            out.status = statusParts.value(1).toInt(&ok);
            if (!lines.value(0).startsWith("HTTP/1.") || !ok) {
                error = QStringLiteral("malformed status line: ") + QString::fromLatin1(lines.value(0));
                return false;
            }
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines.at(i).trimmed();
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                out.headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
            }
            if (out.status >= 100 && out.status < 200) { // interim response: read the next one
                out = Response();
                continue;
            }
            break;
        }

        const bool close = out.header("connection").toLower().contains("close");
        if (out.header("transfer-encoding").toLower().contains("chunked")) {
            for (;;) {
                qsizetype eol;
                while ((eol = m_buf.indexOf("\r\n")) < 0)
                    if (!fill(error))
                        return false;
                bool ok = false;
                const qsizetype size = m_buf.left(eol).split(';').value(0).trimmed().toLongLong(&ok, 16);
                if (!ok) {
                    error = QStringLiteral("malformed chunk size");
                    return false;
                }
                m_buf.remove(0, eol + 2);
                if (size == 0) { // trailers end with an empty line
                    qsizetype tEnd;
                    while ((tEnd = m_buf.indexOf("\r\n")) < 0)
                        if (!fill(error))
                            return false;
                    while (tEnd != 0) {
                        m_buf.remove(0, tEnd + 2);
                        while ((tEnd = m_buf.indexOf("\r\n")) < 0)
                            if (!fill(error))
                                return false;
                    }
                    m_buf.remove(0, 2);
                    break;
                }
                while (m_buf.size() < size + 2)
                    if (!fill(error))
                        return false;
                out.body += m_buf.left(size);
                m_buf.remove(0, size + 2);
            }
        } else if (!out.header("content-length").isEmpty()) {
            bool ok = false;
            const qsizetype length = out.header("content-length").toLongLong(&ok);
            if (!ok || length < 0) {
                error = QStringLiteral("malformed Content-Length");
                return false;
            }
            while (m_buf.size() < length)
                if (!fill(error))
                    return false;
            out.body = m_buf.left(length);
            m_buf.remove(0, length);
        } else if (out.status != 204 && out.status != 304) { // body runs to the end of the connection
            while (m_socket.state() == QAbstractSocket::ConnectedState && m_socket.waitForReadyRead(m_timeoutMs))
                m_buf += m_socket.readAll();
            m_buf += m_socket.readAll();
            out.body = m_buf;
            m_buf.clear();
            m_socket.abort();
            return true;
        }
        if (close)
            m_socket.abort();
        return true;
    }

    QString m_host;
    quint16 m_port;
    int m_timeoutMs;
    QTcpSocket m_socket;
    QByteArray m_buf;
    int m_connects = 0;
};

QByteArray formEncode(const QByteArray &value)
{
    return value.toPercentEncoding();
}

QByteArray htmlUnescape(QByteArray s)
{
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<")
        .replace("&gt;", ">").replace("&#x2F;", "/").replace("&#x3D;", "=").replace("&#43;", "+")
        .replace("&amp;", "&");
    return s;
}

// The value of the <input ... name="_csrf" ... value="..."> element, whatever the attribute order.
QByteArray csrfToken(const QByteArray &html)
{
    qsizetype at = html.indexOf("name=\"_csrf\"");
    if (at < 0)
        at = html.indexOf("name='_csrf'");
    if (at < 0)
        return {};
    const qsizetype start = html.lastIndexOf('<', at);
    const qsizetype end = html.indexOf('>', at);
    if (start < 0 || end < 0)
        return {};
    const QByteArray tag = html.mid(start, end - start);
    for (const char quote : {'"', '\''}) {
        const QByteArray key = QByteArray("value=") + quote;
        const qsizetype v = tag.indexOf(key);
        if (v < 0)
            continue;
        const qsizetype close = tag.indexOf(quote, v + key.size());
        if (close < 0)
            return {};
        return htmlUnescape(tag.mid(v + key.size(), close - v - key.size()));
    }
    return {};
}

// JSESSIONID from the Set-Cookie headers (the last one that sets a value; deletions are skipped).
QByteArray sessionCookie(const Response &r)
{
    QByteArray found;
    for (const QByteArray &sc : r.all("set-cookie")) {
        const QList<QByteArray> parts = sc.split(';');
        const QByteArray first = parts.value(0).trimmed();
        const qsizetype eq = first.indexOf('=');
        if (eq <= 0 || first.left(eq) != "JSESSIONID")
            continue;
        const QByteArray value = first.mid(eq + 1);
        bool deletion = value.isEmpty();
        for (const QByteArray &attr : parts)
            if (attr.trimmed().toLower() == "max-age=0")
                deletion = true;
        if (!deletion)
            found = value;
    }
    return found;
}

// Request target (path and query) of a Location header, absolute or relative, exactly as sent.
QByteArray targetOf(const QByteArray &location)
{
    const qsizetype scheme = location.indexOf("://");
    if (scheme < 0)
        return location.startsWith('/') ? location : QByteArray("/") + location;
    const qsizetype slash = location.indexOf('/', scheme + 3);
    const qsizetype query = location.indexOf('?', scheme + 3);
    if (slash < 0 && query < 0)
        return "/";
    if (slash < 0 || (query >= 0 && query < slash))
        return QByteArray("/") + location.mid(query);
    return location.mid(slash);
}

QByteArray queryParam(const QByteArray &url, const QByteArray &name)
{
    qsizetype q = url.indexOf('?');
    if (q < 0)
        return {};
    const qsizetype hash = url.indexOf('#', q);
    const QByteArray query = url.mid(q + 1, hash < 0 ? -1 : hash - q - 1);
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        const QByteArray key = eq < 0 ? pair : pair.left(eq);
        if (key == name) {
            QByteArray v = eq < 0 ? QByteArray() : pair.mid(eq + 1);
            v.replace('+', ' ');
            return QByteArray::fromPercentEncoding(v);
        }
    }
    return {};
}

struct Stats
{
    qint64 min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
    double mean = 0;
};

Stats statsOf(std::vector<qint64> v) // nanoseconds in, nanoseconds out; nearest-rank percentiles
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    auto pct = [&](double p) {
        size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
        rank = std::clamp<size_t>(rank, 1, v.size());
        return v[rank - 1];
    };
    s.min = v.front();
    s.max = v.back();
    s.p50 = pct(50);
    s.p90 = pct(90);
    s.p99 = pct(99);
    double sum = 0;
    for (qint64 x : v)
        sum += static_cast<double>(x);
    s.mean = sum / static_cast<double>(v.size());
    return s;
}

QJsonObject statsJson(const Stats &s) // microseconds, one decimal
{
    auto us = [](double ns) { return std::round(ns / 100.0) / 10.0; };
    return QJsonObject{{QStringLiteral("min"), us(s.min)}, {QStringLiteral("mean"), us(s.mean)},
                       {QStringLiteral("p50"), us(s.p50)}, {QStringLiteral("p90"), us(s.p90)},
                       {QStringLiteral("p99"), us(s.p99)}, {QStringLiteral("max"), us(s.max)}};
}

constexpr int kSteps = 6;
const char *const kStepNames[kSteps] = {"authorize_start", "login_page", "login_post",
                                        "authorize_approval_page", "approve", "token"};

struct Options
{
    QByteArray hostHeader;
    QByteArray clientId, clientSecret, redirectUri, username, password;
    QList<QByteArray> approveScopes;
    bool allowAutoapprove = false;
};

class FlowRunner
{
public:
    FlowRunner(Connection &conn, const Options &o) : m_conn(conn), m_o(o)
    {
        m_authorizeTarget = "/oauth/authorize?response_type=code&client_id=" + formEncode(o.clientId)
            + "&redirect_uri=" + formEncode(o.redirectUri);
        m_basic = "Basic " + (o.clientId + ':' + o.clientSecret).toBase64();
    }

    int autoapproved() const { return m_autoapproved; }
    QString failure() const { return m_failure; }

    // One complete flow. stepNs receives the duration of each step (0 for a skipped approval page).
    bool run(qint64 stepNs[kSteps])
    {
        Response r;
        QByteArray cookie;
        std::fill(stepNs, stepNs + kSteps, 0);

        // 1: no session yet.
        if (!exchange(0, request("GET", m_authorizeTarget, {}, {}), r, stepNs))
            return false;
        cookie = sessionCookie(r);
        if (r.status != 302 || targetOf(r.header("location")).split('?').value(0) != "/login" || cookie.isEmpty())
            return fail(0, "expected 302 Location /login with Set-Cookie JSESSIONID", r);
        const QByteArray loginTarget = targetOf(r.header("location"));

        // 2: the login form.
        if (!exchange(1, request("GET", loginTarget, cookie, {}), r, stepNs))
            return false;
        QByteArray csrf = csrfToken(r.body);
        if (r.status != 200 || csrf.isEmpty())
            return fail(1, "expected 200 with a hidden _csrf input", r);

        // 3: log in; the session id must change.
        const QByteArray loginBody = "username=" + formEncode(m_o.username) + "&password=" + formEncode(m_o.password)
            + "&_csrf=" + formEncode(csrf);
        if (!exchange(2, request("POST", "/login", cookie, loginBody), r, stepNs))
            return false;
        const QByteArray newCookie = sessionCookie(r);
        const QByteArray back = targetOf(r.header("location"));
        if (r.status != 302 || !back.startsWith("/oauth/authorize?") || newCookie.isEmpty() || newCookie == cookie)
            return fail(2, "expected 302 to the authorize URL with a new JSESSIONID", r);
        cookie = newCookie;

        // 4: the approval page (or, if allowed, an autoapproved 303).
        if (!exchange(3, request("GET", back, cookie, {}), r, stepNs))
            return false;
        if (const QByteArray c = sessionCookie(r); !c.isEmpty())
            cookie = c;
        QByteArray code;
        if (r.status == 303 && m_o.allowAutoapprove) {
            ++m_autoapproved;
            code = codeFrom(r);
            if (code.isEmpty())
                return fail(3, "303 without ?code= on the registered redirect_uri", r);
            stepNs[4] = 0;
        } else {
            csrf = csrfToken(r.body);
            if (r.status != 200 || csrf.isEmpty() || !r.body.contains("user_oauth_approval"))
                return fail(3, "expected 200 approval page with user_oauth_approval and a hidden _csrf", r);

            // 5: approve.
            QByteArray approve = "user_oauth_approval=true";
            for (const QByteArray &s : m_o.approveScopes)
                approve += "&scope." + formEncode(s) + "=true";
            approve += "&_csrf=" + formEncode(csrf) + "&authorize=Authorize";
            if (!exchange(4, request("POST", "/oauth/authorize", cookie, approve), r, stepNs))
                return false;
            code = codeFrom(r);
            if (r.status != 303 || code.isEmpty())
                return fail(4, "expected 303 Location {redirect_uri}?code=XXXXXX", r);
        }

        // 6: exchange the code.
        const QByteArray tokenBody = "grant_type=authorization_code&code=" + formEncode(code)
            + "&redirect_uri=" + formEncode(m_o.redirectUri);
        if (!exchange(5, request("POST", "/oauth/token", {}, tokenBody, m_basic), r, stepNs))
            return false;
        const QJsonObject token = QJsonDocument::fromJson(r.body).object();
        if (r.status != 200 || token.value(QStringLiteral("access_token")).toString().isEmpty()
            || token.value(QStringLiteral("token_type")).toString() != QStringLiteral("bearer"))
            return fail(5, "expected 200 JSON with access_token and token_type bearer", r);
        return true;
    }

private:
    QByteArray codeFrom(const Response &r) const
    {
        const QByteArray loc = r.header("location");
        if (!loc.startsWith(m_o.redirectUri + '?'))
            return {};
        return queryParam(loc, "code");
    }

    QByteArray request(const QByteArray &method, const QByteArray &target, const QByteArray &cookie,
                       const QByteArray &body, const QByteArray &authorization = {})
    {
        QByteArray req;
        req.reserve(512 + body.size());
        req += method + ' ' + target + " HTTP/1.1\r\nHost: " + m_o.hostHeader
            + "\r\nUser-Agent: oauthsim-flowclient\r\nAccept: */*\r\n";
        if (!cookie.isEmpty())
            req += "Cookie: JSESSIONID=" + cookie + "\r\n";
        if (!authorization.isEmpty())
            req += "Authorization: " + authorization + "\r\n";
        if (method == "POST")
            req += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + QByteArray::number(body.size()) + "\r\n";
        req += "\r\n" + body;
        m_lastRequest = req;
        return req;
    }

    bool exchange(int step, const QByteArray &req, Response &r, qint64 stepNs[kSteps])
    {
        QString error;
        QElapsedTimer t;
        t.start();
        const bool ok = m_conn.roundTrip(req, r, error);
        stepNs[step] = t.nsecsElapsed();
        if (!ok) {
            m_failure = QStringLiteral("step %1 (%2): %3").arg(step + 1).arg(QLatin1String(kStepNames[step]), error);
            std::fprintf(stderr, "flowclient: %s\n--- request ---\n%s\n", qPrintable(m_failure), m_lastRequest.constData());
            return false;
        }
        return true;
    }

    bool fail(int step, const char *expected, const Response &r)
    {
        m_failure = QStringLiteral("step %1 (%2): %3, got %4")
                        .arg(step + 1)
                        .arg(QLatin1String(kStepNames[step]), QLatin1String(expected))
                        .arg(r.status);
        std::fprintf(stderr, "flowclient: %s\n--- request ---\n%s\n--- response ---\n%s\r\n\r\n%s\n---\n",
                     qPrintable(m_failure), m_lastRequest.constData(), r.head.constData(),
                     r.body.left(4000).constData());
        return false;
    }

    Connection &m_conn;
    const Options &m_o;
    QByteArray m_authorizeTarget, m_basic, m_lastRequest;
    QString m_failure;
    int m_autoapproved = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("oauthsim_flowclient"));

    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Sequential authorization-code flows against oauthsim; JSON on stdout."));
    p.addHelpOption();
    const QCommandLineOption urlOpt(QStringLiteral("url"), QStringLiteral("Server base URL."), QStringLiteral("url"),
                                    QStringLiteral("http://127.0.0.1:8090"));
    const QCommandLineOption durationOpt(QStringLiteral("duration"), QStringLiteral("Seconds to run (after warm-up)."),
                                         QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption maxOpt(QStringLiteral("max-flows"), QStringLiteral("Stop after this many measured flows."),
                                    QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption warmOpt(QStringLiteral("warmup-flows"), QStringLiteral("Unmeasured flows first."),
                                     QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout-ms"), QStringLiteral("Per-request timeout."),
                                        QStringLiteral("ms"), QStringLiteral("5000"));
    const QCommandLineOption clientOpt(QStringLiteral("client-id"), QStringLiteral("Client id."), QStringLiteral("id"),
                                       QStringLiteral("messaging-client"));
    const QCommandLineOption secretOpt(QStringLiteral("client-secret"), QStringLiteral("Client secret."),
                                       QStringLiteral("secret"), QStringLiteral("secret"));
    const QCommandLineOption redirectOpt(QStringLiteral("redirect-uri"), QStringLiteral("Registered redirect URI."),
                                         QStringLiteral("uri"), QStringLiteral("http://localhost"));
    const QCommandLineOption userOpt(QStringLiteral("username"), QStringLiteral("User name."), QStringLiteral("name"),
                                     QStringLiteral("user"));
    const QCommandLineOption passOpt(QStringLiteral("password"), QStringLiteral("Password."), QStringLiteral("pw"),
                                     QStringLiteral("password"));
    const QCommandLineOption scopesOpt(QStringLiteral("approve-scopes"), QStringLiteral("Scopes to approve."),
                                       QStringLiteral("list"), QStringLiteral("read write"));
    const QCommandLineOption autoOpt(QStringLiteral("allow-autoapprove"),
                                     QStringLiteral("Accept a 303 with a code instead of the approval page."));
    for (const auto &o : {urlOpt, durationOpt, maxOpt, warmOpt, timeoutOpt, clientOpt, secretOpt, redirectOpt, userOpt,
                          passOpt, scopesOpt, autoOpt})
        p.addOption(o);
    p.process(app);

    const QUrl base(p.value(urlOpt));
    if (!base.isValid() || base.scheme() != QStringLiteral("http") || base.port() <= 0) {
        std::fprintf(stderr, "flowclient: --url must be http://HOST:PORT\n");
        return 2;
    }
    Options o;
    o.hostHeader = base.host().toUtf8() + ':' + QByteArray::number(base.port());
    o.clientId = p.value(clientOpt).toUtf8();
    o.clientSecret = p.value(secretOpt).toUtf8();
    o.redirectUri = p.value(redirectOpt).toUtf8();
    o.username = p.value(userOpt).toUtf8();
    o.password = p.value(passOpt).toUtf8();
    for (const QString &s : p.value(scopesOpt).split(QLatin1Char(' '), Qt::SkipEmptyParts))
        o.approveScopes.append(s.toUtf8());
    o.allowAutoapprove = p.isSet(autoOpt);
    const double duration = p.value(durationOpt).toDouble();
    const qint64 maxFlows = p.value(maxOpt).toLongLong();
    const int warmup = p.value(warmOpt).toInt();

    Connection conn(base.host(), static_cast<quint16>(base.port()), p.value(timeoutOpt).toInt());
    FlowRunner runner(conn, o);
    qint64 steps[kSteps];

    auto failJson = [&](qint64 done) {
        const QJsonObject out{{QStringLiteral("error"), runner.failure()}, {QStringLiteral("flows_completed"), done}};
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        return 3;
    };

    for (int i = 0; i < warmup; ++i)
        if (!runner.run(steps))
            return failJson(0);
    const int autoapprovedInWarmup = runner.autoapproved();

    std::vector<qint64> flowNs;
    std::vector<qint64> stepNs[kSteps];
    flowNs.reserve(static_cast<size_t>(std::min<qint64>(maxFlows, 1'000'000)));
    const qint64 deadline = static_cast<qint64>(duration * 1e9);
    QElapsedTimer total;
    total.start();
    while (static_cast<qint64>(flowNs.size()) < maxFlows && total.nsecsElapsed() < deadline) {
        QElapsedTimer t;
        t.start();
        if (!runner.run(steps))
            return failJson(static_cast<qint64>(flowNs.size()));
        flowNs.push_back(t.nsecsElapsed());
        for (int s = 0; s < kSteps; ++s)
            if (steps[s] > 0)
                stepNs[s].push_back(steps[s]);
    }
    const double elapsed = static_cast<double>(total.nsecsElapsed()) / 1e9;

    QJsonArray stepArray;
    for (int s = 0; s < kSteps; ++s) {
        QJsonObject st = statsJson(statsOf(stepNs[s]));
        st.insert(QStringLiteral("name"), QLatin1String(kStepNames[s]));
        st.insert(QStringLiteral("count"), static_cast<qint64>(stepNs[s].size()));
        stepArray.append(st);
    }
    const auto flows = static_cast<qint64>(flowNs.size());
    const QJsonObject out{
        {QStringLiteral("flows"), flows},
        {QStringLiteral("warmup_flows"), warmup},
        {QStringLiteral("duration_s"), std::round(elapsed * 1000.0) / 1000.0},
        {QStringLiteral("flows_per_s"), elapsed > 0 ? std::round(static_cast<double>(flows) / elapsed * 10.0) / 10.0 : 0.0},
        {QStringLiteral("requests_per_flow"), kSteps},
        {QStringLiteral("autoapproved_flows"), runner.autoapproved() - autoapprovedInWarmup},
        {QStringLiteral("tcp_connections"), conn.connects()},
        {QStringLiteral("flow_latency_us"), statsJson(statsOf(flowNs))},
        {QStringLiteral("steps_latency_us"), stepArray},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return flows > 0 ? 0 : 3;
}
