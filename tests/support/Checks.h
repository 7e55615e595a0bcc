#pragma once

// Expectations shared by the HTTP-level tests. The expect* functions assert with QCOMPARE/QVERIFY, so a failure
// returns from them only: call them through CHECKED to stop the calling test too.

#include "HttpTestClient.h"

#include "model/ExchangeRecord.h"
#include "model/IssuedToken.h"
#include "model/SeedStep.h"

#include <QByteArray>
#include <QList>
#include <QSignalSpy>
#include <QString>
#include <QTest>

// Runs a helper that asserts with QCOMPARE/QVERIFY and returns from the calling test when the helper failed.
#define CHECKED(call)                                                                                                  \
    do {                                                                                                               \
        call;                                                                                                          \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

namespace oauthsim::test {

// The Content-Type of every JSON answer of the server.
inline const QByteArray kJsonType = QByteArrayLiteral("application/json;charset=UTF-8");

// The body of an OAuth error answer: {"error":"<error>","error_description":"<description>"}, in that order.
QByteArray jsonError(const char *error, const QString &description);

// Every WWW-Authenticate value of `r`, joined by '\n'; empty when there is none.
QByteArray wwwAuthenticate(const TestResponse &r);

// The headers of every token endpoint answer: JSON Content-Type, Cache-Control: no-store, Pragma: no-cache.
void expectJsonHeaders(const TestResponse &r);

// An OAuth error answer: exactly `status` and `body`, the JSON headers, and exactly `challenge` as
// WWW-Authenticate (empty: no such header).
void expectJsonError(const TestResponse &r, int status, const QByteArray &body, const QByteArray &challenge = {});

struct Tokens
{
    QString access;
    QString refresh; // empty when none was issued
    int expiresIn = 0;
};

// A 200 token answer with the JSON headers and exactly the body Spring writes for these values: 27-character
// tokens, a refresh token if and only if `withRefresh`, `expiresIn` and `scope`. *out gets the tokens read.
void expectToken(const TestResponse &r, Tokens *out, qint64 expiresIn, const QString &scope, bool withRefresh = true);

// GET /health answers 200 {"status":"UP"}: the server still serves.
void expectHealthy(HttpTestClient &http);
void expectHealthy(quint16 port);

// Every Set-Cookie value of `r`, joined by " | ", for failure messages.
QString setCookieText(const TestResponse &r);

// Seed steps as "5+6", for comparisons.
QString stepsText(const QList<SeedStep> &steps);

// The record of the last OAuthServer::exchangeFinished in `records`, or an empty record.
ExchangeRecord lastRecord(const QSignalSpy &records);

// A form value percent-encoded for a hand-written urlencoded body.
QByteArray enc(const QString &value);
// The WWW-Authenticate value Spring's exception translator gives a 401 raised inside an endpoint.
QByteArray bearerChallenge(const char *error, const QString &description);
// The IssuedToken carried by the i-th emission of a TokenStore signal.
IssuedToken tokenAt(const QSignalSpy &spy, int i);

} // namespace oauthsim::test
