#include "Pipeline.h"

#include "http/Cors.h"
#include "http/ResponseWriter.h"

#include <QDateTime>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <exception>

namespace oauthsim {

namespace {
qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const QByteArray kMask = QByteArrayLiteral("******");

bool isSecretParameter(const QString &name)
{
    return name == QLatin1String("client_secret") || name == QLatin1String("password") ||
           name == QLatin1String("code_verifier") || name == QLatin1String("_csrf");
}
} // namespace

struct Pipeline::Held
{
    std::unique_ptr<ReplyChannel> channel;
    HttpResponse response;
    QByteArray corsOrigin; // a replacement answer is opened to the same origin
    ExchangeRecord record;
    qint64 startedNs = 0;
    std::unique_ptr<QTimer> timer;
};

Pipeline::Pipeline(const ResponseWriter &writer, qsizetype maxBodyBytes, QObject *parent)
    : QObject(parent), m_writer(writer), m_maxBodyBytes(maxBodyBytes)
{}

Pipeline::~Pipeline() = default;

void Pipeline::addRoute(const QByteArray &method, const QString &path, Handler handler, CrossOrigin crossOrigin)
{
    // A profile without this endpoint gives it no path.
    if (path.isEmpty())
        return;
    PathRoutes &routes = m_routes[path];
    routes.entries.append({method, std::move(handler)});
    if (crossOrigin == CrossOrigin::Allowed)
        routes.corsMethods += (routes.corsMethods.isEmpty() ? "" : ", ") + method;
}

void Pipeline::setCors(std::unique_ptr<const Cors> cors)
{
    m_cors = std::move(cors);
}

HttpResponse Pipeline::answer(const HttpRequest &request, ExchangeContext &context, QByteArray *corsOrigin)
{
    // Requests without Origin (every non-browser client) take the plain path: their answers stay byte-identical.
    const QByteArray origin = m_cors ? request.header("origin") : QByteArray();
    if (origin.isEmpty())
        return route(request, context);
    const auto it = m_routes.constFind(request.path);
    if (it == m_routes.constEnd() || it->corsMethods.isEmpty())
        return route(request, context);
    const bool allowed = m_cors->allows(origin);
    // Fetch §3.2.2: a preflight asks before the actual request; it is answered here, never by the endpoint.
    if (Cors::isPreflight(request)) {
        if (allowed)
            return Cors::preflight(origin, it->corsMethods);
        context.debugDetail =
            QStringLiteral("CORS preflight from an origin not allowed: %1").arg(QString::fromUtf8(origin));
        return Cors::rejectedPreflight();
    }
    HttpResponse response = route(request, context);
    // A disallowed origin still gets its answer, without CORS headers: the browser then withholds it from the page.
    if (allowed) {
        Cors::addResponseHeaders(response, origin);
        *corsOrigin = origin;
    }
    return response;
}

HttpResponse Pipeline::route(const HttpRequest &request, ExchangeContext &context)
{
    if (request.body.size() > m_maxBodyBytes)
        return ResponseWriter::payloadTooLarge(m_maxBodyBytes);
    const auto it = m_routes.constFind(request.path);
    if (it == m_routes.constEnd())
        return m_writer.notFound(request.path);
    const QByteArray method = request.method == "HEAD" ? QByteArrayLiteral("GET") : request.method;
    QByteArray allow;
    for (const RouteEntry &entry : it->entries) {
        if (entry.method == method) {
            try {
                return entry.handler(request, context);
            } catch (const std::exception &e) {
                context.debugDetail = QString::fromUtf8(e.what());
            } catch (...) {
                context.debugDetail = QStringLiteral("unknown exception");
            }
            return ResponseWriter::jsonError(OAuthError::serverError(context.debugDetail));
        }
        allow += (allow.isEmpty() ? "" : ", ") + entry.method;
    }
    return ResponseWriter::methodNotAllowed(request.method, allow);
}

void Pipeline::dispatch(HttpRequest request, std::unique_ptr<ReplyChannel> channel)
{
    const qint64 startedNs = monotonicNs();
    const quint64 id = ++m_nextId;
    Q_EMIT exchangeStarted(id, request.method, request.path);

    ExchangeContext context;
    QByteArray corsOrigin;
    HttpResponse response = answer(request, context, &corsOrigin);
    if (request.method == "HEAD")
        response.body.clear();
    ExchangeRecord record = makeRecord(id, request, context, response, startedNs);

    if (m_holdPredicate && m_holdPredicate(record)) {
        auto held = std::make_shared<Held>();
        held->channel = std::move(channel);
        held->response = std::move(response);
        held->corsOrigin = corsOrigin;
        held->record = record;
        held->startedNs = startedNs;
        held->timer = std::make_unique<QTimer>();
        held->timer->setSingleShot(true);
        connect(held->timer.get(), &QTimer::timeout, this, [this, id] { release(id); });
        held->timer->start(m_holdTimeoutMs);
        held->channel->setClosedHandler([this, id] { onHeldClientGone(id); });
        m_held.insert(id, held);
        Q_EMIT exchangeHeld(record);
        return;
    }
    finish(std::move(record), *channel, response, startedNs);
}

bool Pipeline::release(quint64 id)
{
    const std::shared_ptr<Held> held = m_held.take(id);
    if (!held)
        return false;
    held->channel->setClosedHandler({});
    finish(std::move(held->record), *held->channel, held->response, held->startedNs);
    return true;
}

bool Pipeline::release(quint64 id, const HttpResponse &replacement)
{
    const auto it = m_held.constFind(id);
    if (it == m_held.constEnd())
        return false;
    (*it)->response = replacement;
    if (!(*it)->corsOrigin.isEmpty())
        Cors::addResponseHeaders((*it)->response, (*it)->corsOrigin);
    (*it)->record.status = replacement.status;
    (*it)->record.responseHeaders = redactHeaders((*it)->response.headers);
    (*it)->record.revealedResponseHeaders = (*it)->response.headers;
    (*it)->record.responseBody = replacement.body;
    return release(id);
}

void Pipeline::releaseAll()
{
    const QList<quint64> ids = m_held.keys();
    for (quint64 id : ids)
        release(id);
}

void Pipeline::onHeldClientGone(quint64 id)
{
    const std::shared_ptr<Held> held = m_held.take(id);
    if (!held)
        return;
    ExchangeRecord record = std::move(held->record);
    record.outcome = ExchangeRecord::Outcome::ClientGone;
    record.durationMs = double(monotonicNs() - held->startedNs) / 1e6;
    Q_EMIT exchangeFinished(record);
}

void Pipeline::finish(ExchangeRecord record, ReplyChannel &channel, const HttpResponse &response, qint64 startedNs)
{
    if (channel.isOpen())
        channel.send(response);
    else
        record.outcome = ExchangeRecord::Outcome::ClientGone;
    record.durationMs = double(monotonicNs() - startedNs) / 1e6;
    Q_EMIT exchangeFinished(record);
}

ExchangeRecord Pipeline::makeRecord(quint64 id, const HttpRequest &request, const ExchangeContext &context,
                                    const HttpResponse &response, qint64 startedNs) const
{
    ExchangeRecord r;
    r.id = id;
    r.flowId = context.flowId;
    r.startedAtMs = QDateTime::currentMSecsSinceEpoch() - (monotonicNs() - startedNs) / 1000000;
    r.method = request.method;
    r.path = request.path;
    r.query = redactForm(request.rawQuery);
    r.requestHeaders = redactHeaders(request.headers);
    r.requestBody = redactForm(request.body);
    r.remoteAddress = request.remoteAddress;
    r.status = response.status;
    r.responseHeaders = redactHeaders(response.headers);
    r.responseBody = response.body;
    r.clientId = context.clientId;
    r.username = context.username;
    r.steps = context.steps;
    r.debugDetail = context.debugDetail;
    // Implicitly shared: no copy is made unless redaction changed something.
    r.revealedQuery = request.rawQuery;
    r.revealedRequestHeaders = request.headers;
    r.revealedRequestBody = request.body;
    r.revealedResponseHeaders = response.headers;
    return r;
}

QByteArray Pipeline::redactForm(const QByteArray &urlencoded)
{
    // Cheap pre-check keeps the common case (no secret, no encoded name) allocation-free.
    if (!urlencoded.contains("secret") && !urlencoded.contains("password") && !urlencoded.contains("verifier") &&
        !urlencoded.contains("csrf") && !urlencoded.contains('%'))
        return urlencoded;
    // Masks values in place, so everything else stays byte for byte what the client sent.
    QList<QByteArray> pairs = urlencoded.split('&');
    for (QByteArray &pair : pairs) {
        const qsizetype eq = pair.indexOf('=');
        if (eq < 0)
            continue;
        QByteArray name = pair.left(eq);
        name.replace('+', ' ');
        if (isSecretParameter(QString::fromUtf8(QByteArray::fromPercentEncoding(name))))
            pair = pair.left(eq + 1) + kMask;
    }
    return pairs.join('&');
}

HeaderList Pipeline::redactHeaders(const HeaderList &headers)
{
    const auto sensitive = [](const QByteArray &name) {
        return name.compare("authorization", Qt::CaseInsensitive) == 0 ||
               name.compare("cookie", Qt::CaseInsensitive) == 0 || name.compare("set-cookie", Qt::CaseInsensitive) == 0;
    };
    // Most exchanges carry nothing to mask: share the list instead of copying it.
    if (std::none_of(headers.cbegin(), headers.cend(), [&](const auto &h) { return sensitive(h.first); }))
        return headers;
    HeaderList out = headers;
    for (auto &[name, value] : out) {
        const QByteArray lower = name.toLower();
        if (lower == "authorization") {
            const qsizetype space = value.indexOf(' ');
            value = (space > 0 ? value.left(space + 1) : QByteArray()) + kMask;
        } else if (lower == "cookie") {
            // Every cookie of the header: the session id need not come first.
            QList<QByteArray> pairs = value.split(';');
            for (QByteArray &pair : pairs) {
                const qsizetype eq = pair.indexOf('=');
                if (eq > 0)
                    pair = pair.left(eq + 1) + kMask;
            }
            value = pairs.join(';');
        } else if (lower == "set-cookie") {
            // Only the first pair is the cookie; the rest are attributes (Path, HttpOnly, ...).
            const qsizetype eq = value.indexOf('=');
            const qsizetype semi = value.indexOf(';');
            if (eq > 0)
                value = value.left(eq + 1) + kMask + (semi > eq ? value.mid(semi) : QByteArray());
        }
    }
    return out;
}

} // namespace oauthsim
