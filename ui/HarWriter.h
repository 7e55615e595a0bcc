#pragma once

#include "model/ExchangeRecord.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace oauthsim {

// The request log as an HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/), which Chrome's
// and Firefox's devtools import. Built from the records' redacted fields with token values masked as well
// (RequestLogModel::withTokensMasked): an export never carries a secret, whatever the view reveals.
class HarWriter
{
    Q_DECLARE_TR_FUNCTIONS(HarWriter)
public:
    // {"log": {version "1.2", creator, pages [], entries}} with one entry per record, in the given order.
    // `baseUrl` ("http://HOST:PORT") makes the request URLs absolute.
    static QJsonObject document(const QList<ExchangeRecord> &records, const QString &baseUrl);
    // One log.entries element.
    static QJsonObject entry(const ExchangeRecord &record, const QString &baseUrl);
    // Writes document() to `path` atomically (QSaveFile). False with *error (the file and the reason) on failure;
    // an existing file is then left as it was.
    static bool writeFile(const QString &path, const QList<ExchangeRecord> &records, const QString &baseUrl,
                          QString *error);
    // The reason phrase of a status ("Found" for 302), empty when unknown.
    static QString reasonPhrase(int status);
};

} // namespace oauthsim
