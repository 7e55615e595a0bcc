#include "Checks.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <QUrl>

namespace oauthsim::test {

QByteArray jsonError(const char *error, const QString &description)
{
    return "{\"error\":\"" + QByteArray(error) + "\",\"error_description\":\"" + description.toUtf8() + "\"}";
}

QByteArray wwwAuthenticate(const TestResponse &r)
{
    return r.headerValues("WWW-Authenticate").join('\n');
}

void expectJsonHeaders(const TestResponse &r)
{
    QCOMPARE(r.header("Content-Type"), kJsonType);
    QCOMPARE(r.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(r.header("Pragma"), QByteArray("no-cache"));
}

void expectJsonError(const TestResponse &r, int status, const QByteArray &body, const QByteArray &challenge)
{
    QCOMPARE(r.status, status);
    QCOMPARE(r.body, body);
    CHECKED(expectJsonHeaders(r));
    QCOMPARE(wwwAuthenticate(r), challenge);
}

namespace {
QByteArray tokenBody(const Tokens &t, qint64 expiresIn, const QString &scope)
{
    QByteArray out = "{\"access_token\":\"" + t.access.toUtf8() + "\",\"token_type\":\"bearer\"";
    if (!t.refresh.isEmpty())
        out += ",\"refresh_token\":\"" + t.refresh.toUtf8() + '"';
    out += ",\"expires_in\":" + QByteArray::number(expiresIn) + ",\"scope\":\"" + scope.toUtf8() + "\"}";
    return out;
}
} // namespace

void expectToken(const TestResponse &r, Tokens *out, qint64 expiresIn, const QString &scope, bool withRefresh)
{
    QVERIFY2(r.status == 200, r.body.constData());
    CHECKED(expectJsonHeaders(r));
    const QJsonObject json = r.json();
    Tokens t{json.value(QLatin1String("access_token")).toString(),
             json.value(QLatin1String("refresh_token")).toString(), json.value(QLatin1String("expires_in")).toInt()};
    static const QRegularExpression format(QStringLiteral("^[A-Za-z0-9_-]{27}$"));
    QVERIFY2(format.match(t.access).hasMatch(), qPrintable(t.access));
    QCOMPARE(json.contains(QLatin1String("refresh_token")), withRefresh);
    if (withRefresh)
        QVERIFY2(format.match(t.refresh).hasMatch(), qPrintable(t.refresh));
    QCOMPARE(r.body, tokenBody(t, expiresIn, scope));
    *out = t;
}

void expectHealthy(HttpTestClient &http)
{
    const TestResponse r = http.get(QStringLiteral("/health"));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray("{\"status\":\"UP\"}"));
}

void expectHealthy(quint16 port)
{
    HttpTestClient http(port);
    expectHealthy(http);
}

QString setCookieText(const TestResponse &r)
{
    return QString::fromLatin1(r.headerValues("Set-Cookie").join(" | "));
}

QString stepsText(const QList<SeedStep> &steps)
{
    QStringList parts;
    for (SeedStep s : steps)
        parts << QString::number(int(s));
    return parts.join(QLatin1Char('+'));
}

ExchangeRecord lastRecord(const QSignalSpy &records)
{
    return records.isEmpty() ? ExchangeRecord() : records.last().at(0).value<ExchangeRecord>();
}

QByteArray enc(const QString &value)
{
    return QUrl::toPercentEncoding(value);
}

QByteArray bearerChallenge(const char *error, const QString &description)
{
    return "Bearer error=\"" + QByteArray(error) + "\", error_description=\"" + description.toUtf8() + '"';
}

IssuedToken tokenAt(const QSignalSpy &spy, int i)
{
    return qvariant_cast<IssuedToken>(spy.at(i).at(0));
}

} // namespace oauthsim::test
