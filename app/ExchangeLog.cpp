#include "ExchangeLog.h"

#include "protocol/JsonText.h"

#include <QDateTime>

#include <cmath>

namespace oauthsim {

namespace {
QByteArray isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

int primaryStep(const ExchangeRecord &record)
{
    return record.steps.isEmpty() ? 0 : int(record.steps.first());
}

QByteArray statusText(const ExchangeRecord &record)
{
    return record.outcome == ExchangeRecord::Outcome::ClientGone ? QByteArrayLiteral("client-gone")
                                                                 : QByteArray::number(record.status);
}
} // namespace

QByteArray ExchangeLog::text(const ExchangeRecord &record)
{
    QByteArray line = isoTime(record.startedAtMs) + " #" + QByteArray::number(record.id) + ' ' + record.method + ' ' +
                      record.path.toUtf8() + ' ' + statusText(record) + ' ' +
                      QByteArray::number(record.durationMs, 'f', 2) + "ms";
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
