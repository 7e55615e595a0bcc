#include "ExchangeLog.h"

#include "protocol/JsonText.h"

#include <QDateTime>

#include <cmath>
#include <limits>

namespace oauthsim {

namespace {
QByteArray isoTime(qint64 ms)
{
    // QDateTime::toString costs more than the rest of a log line: format each second once.
    static qint64 cachedSecond = std::numeric_limits<qint64>::min();
    static QByteArray cachedPrefix;
    const qint64 second = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    if (second != cachedSecond) {
        cachedSecond = second;
        cachedPrefix = QDateTime::fromSecsSinceEpoch(second, Qt::UTC).toString(Qt::ISODate).toLatin1();
        cachedPrefix.chop(1); // "Z"
    }
    const int millis = int(ms - second * 1000);
    char tail[6] = {'.', char('0' + millis / 100), char('0' + millis / 10 % 10), char('0' + millis % 10), 'Z', 0};
    return cachedPrefix + tail;
}

int primaryStep(const ExchangeRecord &record)
{
    return record.steps.isEmpty() ? 0 : int(record.steps.first());
}

// "0.41" without QByteArray::number(double), which goes through locale-aware formatting on every line.
QByteArray fixed2(double value)
{
    const qint64 hundredths = qint64(std::llround(value * 100));
    const qint64 cents = hundredths % 100;
    return QByteArray::number(hundredths / 100) + (cents < 10 ? ".0" : ".") + QByteArray::number(cents);
}

QByteArray statusText(const ExchangeRecord &record)
{
    return record.outcome == ExchangeRecord::Outcome::ClientGone ? QByteArrayLiteral("client-gone")
                                                                 : QByteArray::number(record.status);
}
} // namespace

QByteArray ExchangeLog::text(const ExchangeRecord &record)
{
    QByteArray line;
    line.reserve(160);
    line += isoTime(record.startedAtMs);
    line += " #" + QByteArray::number(record.id) + ' ' + record.method + ' ' + record.path.toUtf8() + ' ' +
            statusText(record) + ' ' + fixed2(record.durationMs) + "ms";
    if (!record.clientId.isEmpty())
        line += " client=" + record.clientId.toUtf8();
    if (!record.steps.isEmpty()) {
        line += " step=";
        for (int i = 0; i < record.steps.size(); ++i)
            line += (i ? "," : "") + QByteArray::number(int(record.steps[i]));
    }
    if (record.flowId)
        line += " flow=" + QByteArray::number(record.flowId);
    if (!record.debugDetail.isEmpty())
        line += " detail=" + jsonQuote(record.debugDetail);
    return line + '\n';
}

QByteArray ExchangeLog::json(const ExchangeRecord &record)
{
    QByteArray steps = "[";
    for (int i = 0; i < record.steps.size(); ++i)
        steps += (i ? "," : "") + QByteArray::number(int(record.steps[i]));
    steps += ']';
    QByteArray line =
        "{\"time\":\"" + isoTime(record.startedAtMs) + "\",\"id\":" + QByteArray::number(record.id) +
        ",\"method\":" + jsonQuote(QString::fromLatin1(record.method)) + ",\"path\":" + jsonQuote(record.path) +
        ",\"status\":" +
        (record.outcome == ExchangeRecord::Outcome::ClientGone ? QByteArray("null")
                                                               : QByteArray::number(record.status)) +
        ",\"duration_ms\":" + QByteArray::number(std::round(record.durationMs * 1000) / 1000, 'g', 12) +
        ",\"client_id\":" + (record.clientId.isEmpty() ? QByteArray("null") : jsonQuote(record.clientId)) +
        ",\"flow\":" + (record.flowId ? QByteArray::number(record.flowId) : QByteArray("null")) +
        ",\"step\":" + (record.steps.isEmpty() ? QByteArray("null") : QByteArray::number(primaryStep(record))) +
        ",\"steps\":" + steps;
    if (!record.debugDetail.isEmpty())
        line += ",\"detail\":" + jsonQuote(record.debugDetail);
    return line + "}\n";
}

} // namespace oauthsim
