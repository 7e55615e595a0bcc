#pragma once

#include "model/SeedStep.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

namespace oauthsim {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One finished exchange, as the request log and the GUI see it. The plain fields are redacted
// (client_secret, password, code_verifier, _csrf values; Authorization and Cookie header values): logs, exports
// and default views use only those. The revealed* fields keep what was really sent, in memory only, for a GUI
// row the user explicitly asks to reveal; nothing writes them anywhere.
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

    QByteArray revealedQuery;
    HeaderList revealedRequestHeaders;
    QByteArray revealedRequestBody;
    HeaderList revealedResponseHeaders;
};

} // namespace oauthsim

Q_DECLARE_METATYPE(oauthsim::ExchangeRecord)
