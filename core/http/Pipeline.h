#pragma once

#include "http/HttpExchange.h"
#include "http/ReplyChannel.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace oauthsim {

class Cors;
class ResponseWriter;

// Whether browser apps on other origins may call a route (answered by the pipeline's Cors policy).
enum class CrossOrigin
{
    SameOrigin, // no CORS headers, OPTIONS is 405 like any other method the route lacks
    Allowed,    // preflights answered, Access-Control-Allow-Origin on answers to allowed origins
};

// The one path every exchange takes: number it, route it, let an interceptor hold the reply, write it,
// and report it (with secrets redacted). Holds never block: a held reply waits in a table until release(),
// its own timeout, or its client's disconnect.
class Pipeline : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &, ExchangeContext &)>;
    // Decides after the endpoint ran whether to hold its reply (step-through, injected latency or faults).
    using HoldPredicate = std::function<bool(const ExchangeRecord &)>;

    Pipeline(const ResponseWriter &writer, qsizetype maxBodyBytes, QObject *parent = nullptr);
    ~Pipeline() override;

    // One route: exact method and path (an empty path adds nothing). HEAD is served by the GET route, without a body. A
    // path is cross-origin when any of its routes is CrossOrigin::Allowed: its preflight lists exactly those routes'
    // methods.
    void addRoute(const QByteArray &method, const QString &path, Handler handler,
                  CrossOrigin crossOrigin = CrossOrigin::SameOrigin);
    // Forgets every route (a profile change registers them anew).
    void clearRoutes() { m_routes.clear(); }
    // The policy for cross-origin paths. Without one, no path answers cross-origin requests.
    void setCors(std::unique_ptr<const Cors> cors);
    void setMaxBodyBytes(qsizetype bytes) { m_maxBodyBytes = bytes; }

    // Runs one exchange. The reply is sent before this returns unless the hold predicate holds it.
    void dispatch(HttpRequest request, std::unique_ptr<ReplyChannel> channel);

    void setHoldPredicate(HoldPredicate predicate) { m_holdPredicate = std::move(predicate); }
    // A held reply is released by itself after this long (default 10 minutes), so no client hangs forever.
    void setHoldTimeout(int ms) { m_holdTimeoutMs = ms; }
    QList<quint64> heldIds() const { return m_held.keys(); }
    // Sends a held reply (or a replacement). False if the id is not held (already answered, or client gone).
    bool release(quint64 id);
    bool release(quint64 id, const HttpResponse &replacement);
    void releaseAll();

    // Redacts secrets in an urlencoded text or a header value, for records and logs.
    static QByteArray redactForm(const QByteArray &urlencoded);
    static HeaderList redactHeaders(const HeaderList &headers);

Q_SIGNALS:
    void exchangeStarted(quint64 id, const QByteArray &method, const QString &path);
    void exchangeHeld(const oauthsim::ExchangeRecord &record);
    void exchangeFinished(const oauthsim::ExchangeRecord &record);

private:
    struct Held;
    HttpResponse route(const HttpRequest &request, ExchangeContext &context);
    // route(), with CORS applied on cross-origin paths; *corsOrigin gets the Origin the answer was opened to.
    HttpResponse answer(const HttpRequest &request, ExchangeContext &context, QByteArray *corsOrigin);
    ExchangeRecord makeRecord(quint64 id, const HttpRequest &request, const ExchangeContext &context,
                              const HttpResponse &response, qint64 startedNs) const;
    void finish(ExchangeRecord record, ReplyChannel &channel, const HttpResponse &response, qint64 startedNs);
    void onHeldClientGone(quint64 id);

    struct RouteEntry
    {
        QByteArray method;
        Handler handler;
    };
    struct PathRoutes
    {
        QList<RouteEntry> entries;
        QByteArray corsMethods; // "POST" or "GET, POST": the cross-origin routes' methods; empty = same-origin only
    };
    const ResponseWriter &m_writer;
    qsizetype m_maxBodyBytes;
    QHash<QString, PathRoutes> m_routes;
    std::unique_ptr<const Cors> m_cors;
    quint64 m_nextId = 0;
    HoldPredicate m_holdPredicate;
    int m_holdTimeoutMs = 10 * 60 * 1000;
    QHash<quint64, std::shared_ptr<Held>> m_held;
};

} // namespace oauthsim
