#pragma once

#include "model/SeedStep.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace oauthsim {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One finished exchange, as the request log and the GUI see it. Secrets are already redacted
// (client_secret, password, code_verifier values; Authorization and Cookie header values).
struct ExchangeRecord
{
    enum class Outcome
    {
        Answered,
        ClientGone
    };
    quint64 id = 0;
    quint64 flowId = 0;
    qint64 startedAtMs = 0;
    double durationMs = 0;
    QByteArray method;
    QString path;
    QByteArray query;
    HeaderList requestHeaders;
    QByteArray requestBody;
    QString remoteAddress;
    int status = 0;
    HeaderList responseHeaders;
    QByteArray responseBody;
    QString clientId;
    QString username;
    QList<SeedStep> steps;
    QString debugDetail;
    Outcome outcome = Outcome::Answered;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::ExchangeRecord)
