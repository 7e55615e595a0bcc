// Held replies (Pipeline::setHoldPredicate): a held /oauth/token reply waits while other requests are served, is
// sent on release() (original or replacement), is dropped safely when its client leaves, and is released by its
// own timeout. Waits are QSignalSpy waits on the events themselves, never fixed sleeps.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "http/Pipeline.h"
#include "store/TokenStore.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>

#include <memory>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QByteArray kSeedBasic = "Basic " + QByteArray("messaging-client:secret").toBase64();
const QByteArray kMissingGrantType =
    QByteArrayLiteral("{\"error\":\"invalid_request\",\"error_description\":\"Missing grant type\"}");

ServerSettings holdSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    // The seed client, auto-approving, so a code takes no approval page.
    for (Client &c : s.clients)
        c.autoApprove.mode = AutoApprove::Mode::All;
    return s;
}

void holdTokenRequests(TestServer &server)
{
    server->pipeline().setHoldPredicate(
        [](const ExchangeRecord &r) { return r.path == QLatin1String("/oauth/token"); });
}

// Steps 1–6 of the seed with an auto-approving client: authorize, login form, login, authorize → 303 with a code.
void obtainCode(HttpTestClient &http, QString *code)
{
    BrowserFlow flow(http);
    CHECKED(flow.signIn());
    QCOMPARE(flow.authorize().status, 303);
    *code = flow.code();
    QCOMPARE(code->size(), 6);
}

std::unique_ptr<QNetworkReply> postTokenAsync(QNetworkAccessManager &nam, quint16 port, const QByteArray &body)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/oauth/token").arg(port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
    request.setRawHeader("Authorization", kSeedBasic);
    return std::unique_ptr<QNetworkReply>(nam.post(request, body));
}

QByteArray rawTokenRequest(const QByteArray &body)
{
    return "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + kSeedBasic +
           "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\n\r\n" + body;
}

ExchangeRecord recordAt(const QSignalSpy &spy, int i)
{
    return qvariant_cast<ExchangeRecord>(spy.at(i).at(0));
}

// Records in `spy` with this exchange id.
QList<ExchangeRecord> recordsFor(const QSignalSpy &spy, quint64 id)
{
    QList<ExchangeRecord> out;
    for (int i = 0; i < spy.size(); ++i) {
        if (recordAt(spy, i).id == id)
            out << recordAt(spy, i);
    }
    return out;
}

int status(const QNetworkReply &reply)
{
    return reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

class TstHold : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void heldWhileOthersAreServed();
    void releaseWithReplacement();
    void severalHeldRepliesGoToTheirClients();
    void clientGoneWhileHeld();
    void holdTimeoutReleasesByItself();
    void stopListeningReleasesHeldReplies();
};

void TstHold::heldWhileOthersAreServed()
{
    TestServer server(holdSettings());
    HttpTestClient http(server.port());
    QString code;
    CHECKED(obtainCode(http, &code));
    holdTokenRequests(server);
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);

    QNetworkAccessManager nam;
    const auto reply = postTokenAsync(
        nam, server.port(), "grant_type=authorization_code&code=" + code.toUtf8() + "&redirect_uri=http://localhost");
    QSignalSpy replied(reply.get(), &QNetworkReply::finished);
    QVERIFY(held.wait(5000));
    QCOMPARE(held.size(), 1);
    const ExchangeRecord heldRecord = recordAt(held, 0);
    const quint64 id = heldRecord.id;
    QCOMPARE(heldRecord.path, QStringLiteral("/oauth/token"));
    QCOMPARE(heldRecord.status, 200); // the endpoint already ran: tokens exist, the reply waits
    QCOMPARE(issued.size(), 2);
    QCOMPARE(server->pipeline().heldIds(), QList<quint64>{id});
    QVERIFY(recordsFor(finished, id).isEmpty());

    for (int i = 0; i < 3; ++i)
        CHECKED(expectHealthy(http));
    QCOMPARE(finished.size(), 3);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(recordAt(finished, i).path, QStringLiteral("/health"));
    QVERIFY(!reply->isFinished());
    QCOMPARE(replied.size(), 0);
    QCOMPARE(held.size(), 1); // /health is never held

    QVERIFY(server->pipeline().release(id));
    QVERIFY(replied.wait(5000));
    QCOMPARE(status(*reply), 200);
    QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(reply->rawHeader("Pragma"), QByteArray("no-cache"));
    QCOMPARE(reply->rawHeader("Content-Type"), QByteArray("application/json;charset=UTF-8"));
    const QByteArray body = reply->readAll();
    QCOMPARE(body, heldRecord.responseBody);
    QVERIFY(body.startsWith("{\"access_token\":\""));

    const QList<ExchangeRecord> records = recordsFor(finished, id);
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().status, 200);
    QCOMPARE(records.first().outcome, ExchangeRecord::Outcome::Answered);
    QVERIFY(server->pipeline().heldIds().isEmpty());
    QVERIFY(!server->pipeline().release(id));
    QCOMPARE(recordsFor(finished, id).size(), 1);
}

void TstHold::releaseWithReplacement()
{
    TestServer server(holdSettings());
    holdTokenRequests(server);
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    QNetworkAccessManager nam;
    const auto reply = postTokenAsync(nam, server.port(), "code=abc");
    QSignalSpy replied(reply.get(), &QNetworkReply::finished);
    QVERIFY(held.wait(5000));
    const ExchangeRecord heldRecord = recordAt(held, 0);
    QCOMPARE(heldRecord.status, 400);
    QCOMPARE(heldRecord.responseBody, kMissingGrantType);

    HttpResponse fault;
    fault.status = 503;
    fault.addHeader("Content-Type", "text/plain;charset=UTF-8").addHeader("Retry-After", "2");
    fault.body = "injected fault";
    QVERIFY(server->pipeline().release(heldRecord.id, fault));
    QVERIFY(replied.wait(5000));
    QCOMPARE(status(*reply), 503);
    QCOMPARE(reply->rawHeader("Retry-After"), QByteArray("2"));
    QCOMPARE(reply->rawHeader("Content-Type"), QByteArray("text/plain;charset=UTF-8"));
    QCOMPARE(reply->readAll(), QByteArray("injected fault"));

    const QList<ExchangeRecord> records = recordsFor(finished, heldRecord.id);
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().status, 503);
    QCOMPARE(records.first().responseBody, QByteArray("injected fault"));
    QCOMPARE(records.first().outcome, ExchangeRecord::Outcome::Answered);
    QVERIFY(!server->pipeline().release(heldRecord.id, fault));
}

void TstHold::severalHeldRepliesGoToTheirClients()
{
    TestServer server(holdSettings());
    holdTokenRequests(server);
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);

    QNetworkAccessManager nam;
    const auto first = postTokenAsync(nam, server.port(), "grant_type=authorization_code&code=AAAAAA");
    QVERIFY(held.wait(5000));
    const auto second = postTokenAsync(nam, server.port(), "grant_type=authorization_code&code=BBBBBB");
    QVERIFY(held.wait(5000));
    QCOMPARE(held.size(), 2);
    const quint64 firstId = recordAt(held, 0).id;
    const quint64 secondId = recordAt(held, 1).id;
    QList<quint64> ids = server->pipeline().heldIds();
    std::sort(ids.begin(), ids.end());
    QCOMPARE(ids, (QList<quint64>{firstId, secondId}));

    // Released in reverse order: each client still gets its own reply.
    QSignalSpy secondDone(second.get(), &QNetworkReply::finished);
    QVERIFY(server->pipeline().release(secondId));
    QVERIFY(secondDone.wait(5000));
    QVERIFY(!first->isFinished());
    QCOMPARE(status(*second), 400);
    QCOMPARE(second->readAll(),
             QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code: BBBBBB\"}"));

    QSignalSpy firstDone(first.get(), &QNetworkReply::finished);
    server->pipeline().releaseAll();
    QVERIFY(firstDone.wait(5000));
    QCOMPARE(status(*first), 400);
    QCOMPARE(first->readAll(),
             QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code: AAAAAA\"}"));
    QVERIFY(server->pipeline().heldIds().isEmpty());
}

void TstHold::clientGoneWhileHeld()
{
    TestServer server(holdSettings());
    holdTokenRequests(server);
    // Longer than the disconnect takes to notice, shorter than the later hold below.
    server->pipeline().setHoldTimeout(200);
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    QTcpSocket socket;
    QSignalSpy connected(&socket, &QTcpSocket::connected);
    socket.connectToHost(QHostAddress(QHostAddress::LocalHost), server.port());
    QVERIFY(connected.wait(5000));
    socket.write(rawTokenRequest("code=abc"));
    QVERIFY(held.wait(5000));
    const quint64 id = recordAt(held, 0).id;
    QCOMPARE(finished.size(), 0);

    socket.abort();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    const ExchangeRecord record = recordAt(finished, 0);
    QCOMPARE(record.id, id);
    QCOMPARE(record.outcome, ExchangeRecord::Outcome::ClientGone);
    QCOMPARE(record.status, 400);
    QVERIFY(server->pipeline().heldIds().isEmpty());
    QVERIFY(!server->pipeline().release(id));
    HttpResponse replacement;
    replacement.status = 500;
    QVERIFY(!server->pipeline().release(id, replacement));

    // The server keeps serving, and a later hold still works end to end (its 400 ms timeout runs the event loop
    // long enough for a stale 200 ms timer of the dropped hold to fire, which must not produce a second record).
    HttpTestClient http(server.port());
    CHECKED(expectHealthy(http));
    server->pipeline().setHoldTimeout(400);
    QNetworkAccessManager nam;
    const auto reply = postTokenAsync(nam, server.port(), "code=abc");
    QSignalSpy replied(reply.get(), &QNetworkReply::finished);
    QVERIFY(replied.wait(5000));
    QCOMPARE(status(*reply), 400);
    QCOMPARE(reply->readAll(), kMissingGrantType);
    QCOMPARE(recordsFor(finished, id).size(), 1);
    CHECKED(expectHealthy(http));
}

void TstHold::holdTimeoutReleasesByItself()
{
    TestServer server(holdSettings());
    holdTokenRequests(server);
    server->pipeline().setHoldTimeout(50);
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    QNetworkAccessManager nam;
    const auto reply = postTokenAsync(nam, server.port(), "code=abc");
    QSignalSpy replied(reply.get(), &QNetworkReply::finished);
    QVERIFY(replied.wait(5000));
    QCOMPARE(held.size(), 1);
    const quint64 id = recordAt(held, 0).id;
    QCOMPARE(status(*reply), 400);
    QCOMPARE(reply->rawHeader("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(reply->readAll(), kMissingGrantType);

    const QList<ExchangeRecord> records = recordsFor(finished, id);
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.first().outcome, ExchangeRecord::Outcome::Answered);
    QVERIFY(records.first().durationMs >= 40.0);
    QVERIFY(server->pipeline().heldIds().isEmpty());
    QVERIFY(!server->pipeline().release(id));
}

void TstHold::stopListeningReleasesHeldReplies()
{
    TestServer server(holdSettings());
    holdTokenRequests(server);
    QSignalSpy held(&server->pipeline(), &Pipeline::exchangeHeld);
    QNetworkAccessManager nam;
    const auto reply = postTokenAsync(nam, server.port(), "code=abc");
    QSignalSpy replied(reply.get(), &QNetworkReply::finished);
    QVERIFY(held.wait(5000));
    server->stopListening();
    QVERIFY(!server->isListening());
    QVERIFY(replied.wait(5000));
    QCOMPARE(status(*reply), 400);
    QCOMPARE(reply->readAll(), kMissingGrantType);
    QVERIFY(server->pipeline().heldIds().isEmpty());
}

QTEST_GUILESS_MAIN(TstHold)
#include "tst_hold.moc"
