#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QPair>
#include <QString>

namespace oauthsim::test {

struct TestResponse
{
    int status = 0; // 0 when no HTTP response arrived
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString networkError;

    QByteArray header(const QByteArray &name) const; // first value, case-insensitive
    QList<QByteArray> headerValues(const QByteArray &name) const;
    QJsonObject json() const;
    // The JSESSIONID value set by this response, or a null string.
    QString sessionCookie() const;
};

// Drives a live server with QNetworkAccessManager: never follows redirects, never stores cookies
// (tests pass the session cookie explicitly, so every Cookie header is visible in the test).
class HttpTestClient
{
public:
    explicit HttpTestClient(quint16 port) : m_port(port) {}

    // http://127.0.0.1:<port>, what the server's absolute redirects start with.
    QString base() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    TestResponse get(const QString &pathAndQuery, const Headers &headers = {});
    TestResponse postForm(const QString &pathAndQuery, const QByteArray &body, const Headers &headers = {});
    TestResponse send(const QByteArray &method, const QString &pathAndQuery, const QByteArray &body,
                      const Headers &headers);

    static Headers cookie(const QString &sessionId) { return {{"Cookie", "JSESSIONID=" + sessionId.toLatin1()}}; }
    static Headers basic(const QString &id, const QString &secret);

private:
    quint16 m_port;
    QNetworkAccessManager m_nam;
};

// Sends raw bytes on a fresh TCP connection and returns everything read until the server closes the
// connection or `timeoutMs` passes without data. For byte-exact checks and malformed input.
QByteArray rawExchange(quint16 port, const QByteArray &request, int timeoutMs = 3000);

} // namespace oauthsim::test
