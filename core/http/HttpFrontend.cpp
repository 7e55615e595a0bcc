#include "HttpFrontend.h"

#include <QAbstractHttpServer>

#include <algorithm>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMetaEnum>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace oauthsim {

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

// Holds the responder and watches its socket: Qt 6.4 segfaults when a responder writes to a client that
// already left, so every write checks the socket first.
class QtReplyChannel final : public ReplyChannel
{
public:
    QtReplyChannel(QHttpServerResponder &&responder, QTcpSocket *socket)
        : m_responder(std::move(responder)), m_socket(socket)
    {}
    ~QtReplyChannel() override { QObject::disconnect(m_closed); }

    bool isOpen() const override { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }

    void send(const HttpResponse &response) override
    {
        QObject::disconnect(m_closed);
        if (!isOpen())
            return;
        // One write of the whole response: the responder's per-header writes cost a third of a token request.
        // The 6.4 responder keeps no state that needs its own write calls (its destructor is trivial).
        QByteArray out;
        out.reserve(160 + response.body.size());
        out += "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
        for (const auto &[name, value] : response.headers)
            out += name + ": " + value + "\r\n";
        // RFC 9110 §8.6: no Content-Length in a 204 (or 1xx) answer.
        if (response.status != 204 && response.status >= 200)
            out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n";
        out += "\r\n";
        out += response.body;
        m_socket->write(out);
    }

    void setClosedHandler(std::function<void()> handler) override
    {
        QObject::disconnect(m_closed);
        if (handler && m_socket)
            m_closed = QObject::connect(m_socket, &QTcpSocket::disconnected, m_socket, std::move(handler));
    }

private:
    QHttpServerResponder m_responder;
    QPointer<QTcpSocket> m_socket;
    QMetaObject::Connection m_closed;
};

class Server final : public QAbstractHttpServer
{
public:
    explicit Server(HttpFrontend::Sink sink) : m_sink(std::move(sink)) {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        HttpRequest r;
        r.method = methodName(request.method());
        const QUrl url = request.url();
        r.path = url.path();
        r.rawQuery = url.query(QUrl::FullyEncoded).toLatin1();
        const auto headers = request.headers();
        r.headers.reserve(headers.size());
        for (const auto &[name, value] : headers) {
            const bool lower = std::none_of(name.cbegin(), name.cend(), [](char c) { return c >= 'A' && c <= 'Z'; });
            r.headers.append({lower ? name : name.toLower(), value});
        }
        r.body = request.body();
        r.remoteAddress = request.remoteAddress().toString();
        m_sink(std::move(r), std::make_unique<QtReplyChannel>(makeResponder(request, socket), socket));
        return true;
    }

    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        // Unreachable: handleRequest takes every request. Answer anyway rather than leave a client hanging.
        makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
    }

private:
    HttpFrontend::Sink m_sink;
};

} // namespace

struct HttpFrontend::Impl
{
    explicit Impl(Sink sink) : server(std::move(sink)) {}
    Server server;
    QPointer<QTcpServer> tcp;
};

HttpFrontend::HttpFrontend(Sink sink, QObject *parent) : QObject(parent), d(std::make_unique<Impl>(std::move(sink))) {}

HttpFrontend::~HttpFrontend() = default;

quint16 HttpFrontend::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto *tcp = new QTcpServer(&d->server);
    if (!tcp->listen(address, port)) {
        if (error)
            *error = tcp->errorString();
        delete tcp;
        return 0;
    }
    d->server.bind(tcp);
    d->tcp = tcp;
    return tcp->serverPort();
}

bool HttpFrontend::isListening() const
{
    return d->tcp && d->tcp->isListening();
}

quint16 HttpFrontend::port() const
{
    return d->tcp ? d->tcp->serverPort() : 0;
}

void HttpFrontend::stopListening()
{
    if (d->tcp)
        d->tcp->close();
}

qint64 HttpFrontend::bytesToWrite() const
{
    qint64 total = 0;
    for (const QTcpSocket *socket : d->server.findChildren<QTcpSocket *>())
        total += socket->bytesToWrite();
    return total;
}

} // namespace oauthsim
