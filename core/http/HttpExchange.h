#pragma once

#include "model/ExchangeRecord.h"
#include "model/SeedStep.h"

#include <QByteArray>
#include <QString>

namespace oauthsim {

// One HTTP request as core sees it: copied out of QtHttpServer's types at the frontend, so nothing past
// HttpFrontend depends on QtHttpServer.
struct HttpRequest
{
    QByteArray method;   // upper case, e.g. "GET"
    QString path;        // percent-decoded path, e.g. "/oauth/authorize"
    QByteArray rawQuery; // as sent, without '?'
    HeaderList headers;  // names lower-cased
    QByteArray body;
    QString remoteAddress;

    // First value of a header (name lower case), or a null QByteArray.
    QByteArray header(QByteArrayView lowerName) const;
    // Value of a cookie from the Cookie header(s), or a null QString.
    QString cookie(QByteArrayView name) const;
};

struct HttpResponse
{
    int status = 200;
    HeaderList headers; // in wire order
    QByteArray body;

    HttpResponse &addHeader(QByteArray name, QByteArray value)
    {
        headers.append({std::move(name), std::move(value)});
        return *this;
    }
    QByteArray header(QByteArrayView name) const;
};

// What an endpoint learnt while handling an exchange, for the request log and flow correlation.
struct ExchangeContext
{
    QString clientId;
    QString username;
    quint64 flowId = 0;
    QList<SeedStep> steps;
    QString debugDetail;
};

} // namespace oauthsim
