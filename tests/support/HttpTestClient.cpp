#include "HttpTestClient.h"

#include <QJsonDocument>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QUrl>
#include <QEventLoop>
#include <QTimer>

namespace oauthsim::test {

QByteArray TestResponse::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QList<QByteArray> TestResponse::headerValues(const QByteArray &name) const
{
    QList<QByteArray> out;
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            out += v.split('\n');
    }
    return out;
}

QJsonObject TestResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString TestResponse::sessionCookie() const
{
    for (const QByteArray &value : headerValues("Set-Cookie")) {
        if (value.startsWith("JSESSIONID=")) {
            const qsizetype end = value.indexOf(';');
            return QString::fromLatin1(value.mid(11, end < 0 ? -1 : end - 11));
        }
    }
    return {};
}

HttpTestClient::Headers HttpTestClient::basic(const QString &id, const QString &secret)
{
    return {{"Authorization", "Basic " + (id + QLatin1Char(':') + secret).toUtf8().toBase64()}};
}

TestResponse HttpTestClient::get(const QString &pathAndQuery, const Headers &headers)
{
    return send("GET", pathAndQuery, {}, headers);
}

TestResponse HttpTestClient::postForm(const QString &pathAndQuery, const QByteArray &body, const Headers &headers)
{
    Headers all = headers;
    all.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")));
    return send("POST", pathAndQuery, body, all);
}

TestResponse HttpTestClient::send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                                  const Headers &headers)
{
    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(pathAndQuery), QUrl::TolerantMode));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(10000);
    TestResponse r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.headers = reply->rawHeaderPairs();
    r.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError && r.status == 0)
        r.networkError = reply->errorString();
    reply->deleteLater();
    return r;
}

namespace {
// True once `data` holds a complete response: headers plus Content-Length bytes of body.
bool responseComplete(const QByteArray &data)
{
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return false;
    qsizetype length = 0;
    for (const QByteArray &line : data.left(headerEnd).split('\n')) {
        if (line.toLower().startsWith("content-length:"))
            length = line.mid(15).trimmed().toLongLong();
    }
    return data.size() >= headerEnd + 4 + length;
}
} // namespace

QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs)
{
    // The server runs on this thread: wait with an event loop, never with blocking socket calls.
    QTcpSocket socket;
    QByteArray out;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        out += socket.readAll();
        if (responseComplete(out))
            loop.quit();
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    timeout.start(timeoutMs);
    loop.exec();
    out += socket.readAll();
    return out;
}

} // namespace oauthsim::test
