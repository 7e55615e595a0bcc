#pragma once

#include "http/HttpExchange.h"
#include "http/ReplyChannel.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

namespace oauthsim {

// The only user of QtHttpServer (its API changed incompatibly in 6.8; ../shared/QT64-NOTES.md). Copies each
// request into an HttpRequest and hands it, with a ReplyChannel, to the sink. Nothing else.
class HttpFrontend : public QObject
{
    Q_OBJECT
public:
    using Sink = std::function<void(HttpRequest, std::unique_ptr<ReplyChannel>)>;

    explicit HttpFrontend(Sink sink, QObject *parent = nullptr);
    ~HttpFrontend() override;

    // Starts listening. Returns the bound port, or 0 with *error set (e.g. "The bound address is already in use").
    quint16 listen(const QHostAddress &address, quint16 port, QString *error);
    bool isListening() const;
    quint16 port() const;
    // Stops accepting connections; connections already open keep being served.
    void stopListening();
    // Bytes accepted for sending but not yet written to any client socket (for a clean shutdown).
    qint64 bytesToWrite() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace oauthsim
