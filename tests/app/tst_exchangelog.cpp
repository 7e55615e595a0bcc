#include "ExchangeLog.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace oauthsim;

namespace {

qint64 at(int y, int mo, int d, int h, int mi, int s, int ms)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

// The seed's token exchange, with secrets everywhere a careless logger might look.
ExchangeRecord tokenExchange()
{
    ExchangeRecord r;
    r.id = 12;
    r.flowId = 3;
    r.startedAtMs = at(2026, 11, 28, 21, 52, 1, 123);
    r.durationMs = 0.412;
    r.method = "POST";
    r.path = QStringLiteral("/oauth/token");
    r.query = "grant_type=authorization_code&code=CODE-LEAK&client_secret=QUERY-LEAK";
    r.requestHeaders = {{"authorization", "Basic HEADER-LEAK"},
                        {"cookie", "JSESSIONID=COOKIE-LEAK"},
                        {"content-type", "application/x-www-form-urlencoded"}};
    r.requestBody = "grant_type=authorization_code&code=CODE-LEAK&client_secret=BODY-LEAK&password=PASSWORD-LEAK";
    r.remoteAddress = QStringLiteral("127.0.0.1");
    r.status = 200;
    r.responseHeaders = {{"Cache-Control", "no-store"}, {"X-Secret", "RESPONSE-HEADER-LEAK"}};
    r.responseBody = R"({"access_token":"ACCESS-LEAK","token_type":"bearer","refresh_token":"REFRESH-LEAK"})";
    r.clientId = QStringLiteral("messaging-client");
    r.username = QStringLiteral("user");
    r.steps = {SeedStep::TokenExchange};
    return r;
}

const char *const kLeaks[] = {"LEAK",         "grant_type", "authorization_code",
                              "Basic",        "JSESSIONID", "application/x-www",
                              "access_token", "127.0.0.1",  "no-store"};

} // namespace

class tst_ExchangeLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void text_data();
    void text();
    void json_data();
    void json();
    void jsonParses();
    void jsonMatchesDocumentedExample();
    void neverLeaks();
    void clientGone();
};

void tst_ExchangeLog::text_data()
{
    QTest::addColumn<ExchangeRecord>("record");
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("token exchange") << tokenExchange()
                                    << QByteArray("2026-11-28T21:52:01.123Z #12 POST /oauth/token 200 0.41ms "
                                                  "client=messaging-client step=7 flow=3\n");
    {
        ExchangeRecord r = tokenExchange();
        r.durationMs = 0.41;
        QTest::newRow("documented example")
            << r
            << QByteArray("2026-11-28T21:52:01.123Z #12 POST /oauth/token 200 0.41ms client=messaging-client "
                          "step=7 flow=3\n");
    }
    {
        ExchangeRecord r;
        r.id = 1;
        r.startedAtMs = at(2026, 1, 2, 3, 4, 5, 6);
        r.method = "GET";
        r.path = QStringLiteral("/login");
        r.status = 200;
        r.durationMs = 1.25;
        QTest::newRow("anonymous page, no flow")
            << r << QByteArray("2026-01-02T03:04:05.006Z #1 GET /login 200 1.25ms\n");
    }
    {
        ExchangeRecord r = tokenExchange();
        r.steps = {SeedStep::Approve, SeedStep::CodeRedirect};
        r.status = 303;
        r.method = "POST";
        r.path = QStringLiteral("/oauth/authorize");
        r.clientId.clear();
        QTest::newRow("two steps")
            << r << QByteArray("2026-11-28T21:52:01.123Z #12 POST /oauth/authorize 303 0.41ms step=5,6 flow=3\n");
    }
    {
        ExchangeRecord r = tokenExchange();
        r.status = 400;
        r.durationMs = 12.3456;
        r.debugDetail = QStringLiteral("code replayed; 2 token(s) issued from it revoked");
        QTest::newRow("with detail")
            << r
            << QByteArray("2026-11-28T21:52:01.123Z #12 POST /oauth/token 400 12.35ms client=messaging-client "
                          "step=7 flow=3 detail=\"code replayed; 2 token(s) issued from it revoked\"\n");
    }
}

void tst_ExchangeLog::text()
{
    QFETCH(ExchangeRecord, record);
    QFETCH(QByteArray, line);
    QCOMPARE(ExchangeLog::text(record), line);
}

void tst_ExchangeLog::json_data()
{
    QTest::addColumn<ExchangeRecord>("record");
    QTest::addColumn<QByteArray>("line");

    QTest::newRow("token exchange")
        << tokenExchange()
        << QByteArray(R"({"time":"2026-11-28T21:52:01.123Z","id":12,"method":"POST","path":"/oauth/token",)"
                      R"("status":200,"duration_ms":0.412,"client_id":"messaging-client","flow":3,"step":7,)"
                      R"("steps":[7]})"
                      "\n");
    {
        ExchangeRecord r;
        r.id = 1;
        r.startedAtMs = at(2026, 1, 2, 3, 4, 5, 6);
        r.method = "GET";
        r.path = QStringLiteral("/login");
        r.status = 200;
        r.durationMs = 1.125;
        QTest::newRow("anonymous page, no flow")
            << r
            << QByteArray(R"({"time":"2026-01-02T03:04:05.006Z","id":1,"method":"GET","path":"/login",)"
                          R"("status":200,"duration_ms":1.125,"client_id":null,"flow":null,"step":null,"steps":[]})"
                          "\n");
    }
    {
        ExchangeRecord r = tokenExchange();
        r.steps = {SeedStep::Approve, SeedStep::CodeRedirect};
        r.status = 303;
        r.path = QStringLiteral("/oauth/authorize");
        r.debugDetail = QStringLiteral("quote \" here");
        QTest::newRow("two steps and a detail")
            << r
            << QByteArray(R"({"time":"2026-11-28T21:52:01.123Z","id":12,"method":"POST","path":"/oauth/authorize",)"
                          R"("status":303,"duration_ms":0.412,"client_id":"messaging-client","flow":3,"step":5,)"
                          R"("steps":[5,6],"detail":"quote \" here"})"
                          "\n");
    }
}

void tst_ExchangeLog::json()
{
    QFETCH(ExchangeRecord, record);
    QFETCH(QByteArray, line);
    QCOMPARE(ExchangeLog::json(record), line);
}

void tst_ExchangeLog::jsonParses()
{
    ExchangeRecord r = tokenExchange();
    r.path = QStringLiteral("/odd \"path\"\\\u4e2d");
    const QByteArray line = ExchangeLog::json(r);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QVERIFY(doc.isObject());
    const QJsonObject o = doc.object();
    QCOMPARE(o.value(QLatin1String("time")).toString(), QStringLiteral("2026-11-28T21:52:01.123Z"));
    QCOMPARE(o.value(QLatin1String("id")).toInteger(), 12);
    QCOMPARE(o.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(o.value(QLatin1String("path")).toString(), QStringLiteral("/odd \"path\"\\\u4e2d"));
    QCOMPARE(o.value(QLatin1String("status")).toInteger(), 200);
    QCOMPARE(o.value(QLatin1String("duration_ms")).toDouble(), 0.412);
    QCOMPARE(o.value(QLatin1String("client_id")).toString(), QStringLiteral("messaging-client"));
    QCOMPARE(o.value(QLatin1String("flow")).toInteger(), 3);
    QCOMPARE(o.value(QLatin1String("step")).toInteger(), 7);
    QCOMPARE(o.value(QLatin1String("steps")).toVariant().toList(), (QVariantList{7}));
    // Nothing else than the documented keys.
    QStringList keys = o.keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{QStringLiteral("client_id"), QStringLiteral("duration_ms"), QStringLiteral("flow"),
                                QStringLiteral("id"), QStringLiteral("method"), QStringLiteral("path"),
                                QStringLiteral("status"), QStringLiteral("step"), QStringLiteral("steps"),
                                QStringLiteral("time")}));
}

void tst_ExchangeLog::jsonMatchesDocumentedExample()
{
    // ExchangeLog.h documents this exact record as
    // {"time":…,"id":12,"method":"POST","path":"/oauth/token","status":200,"duration_ms":0.41,
    //  "client_id":"messaging-client","flow":3,"step":7,"steps":[7]}
    ExchangeRecord r = tokenExchange();
    r.durationMs = 0.41;
    QCOMPARE(ExchangeLog::json(r),
             QByteArray(R"({"time":"2026-11-28T21:52:01.123Z","id":12,"method":"POST","path":"/oauth/token",)"
                        R"("status":200,"duration_ms":0.41,"client_id":"messaging-client","flow":3,"step":7,)"
                        R"("steps":[7]})"
                        "\n"));
}

void tst_ExchangeLog::neverLeaks()
{
    for (ExchangeRecord r : {tokenExchange(), [] {
                                 ExchangeRecord gone = tokenExchange();
                                 gone.outcome = ExchangeRecord::Outcome::ClientGone;
                                 return gone;
                             }()}) {
        const QByteArray text = ExchangeLog::text(r);
        const QByteArray json = ExchangeLog::json(r);
        for (const char *leak : kLeaks) {
            QVERIFY2(!text.contains(leak),
                     qPrintable(QStringLiteral("%1 in %2").arg(QLatin1String(leak), QString::fromUtf8(text))));
            QVERIFY2(!json.contains(leak),
                     qPrintable(QStringLiteral("%1 in %2").arg(QLatin1String(leak), QString::fromUtf8(json))));
        }
        // The username is not a secret, but the log line does not carry it either.
        QVERIFY(!text.contains("user "));
    }
}

void tst_ExchangeLog::clientGone()
{
    ExchangeRecord r = tokenExchange();
    r.outcome = ExchangeRecord::Outcome::ClientGone;
    r.status = 0;
    QCOMPARE(ExchangeLog::text(r), QByteArray("2026-11-28T21:52:01.123Z #12 POST /oauth/token client-gone 0.41ms "
                                              "client=messaging-client step=7 flow=3\n"));
    const QByteArray line = ExchangeLog::json(r);
    QCOMPARE(line, QByteArray(R"({"time":"2026-11-28T21:52:01.123Z","id":12,"method":"POST","path":"/oauth/token",)"
                              R"("status":null,"duration_ms":0.412,"client_id":"messaging-client","flow":3,"step":7,)"
                              R"("steps":[7]})"
                              "\n"));
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    QVERIFY(doc.isObject());
    QVERIFY(doc.object().value(QLatin1String("status")).isNull());

    // Even with a status recorded before the client left, the line says the client was gone.
    r.status = 200;
    QVERIFY(ExchangeLog::text(r).contains(" client-gone "));
    QVERIFY(!ExchangeLog::text(r).contains(" 200 "));
    QVERIFY(ExchangeLog::json(r).contains(R"("status":null)"));
}

QTEST_GUILESS_MAIN(tst_ExchangeLog)
#include "tst_exchangelog.moc"
