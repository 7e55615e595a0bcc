// HarWriter: exact HAR 1.2 entries for known records, the structure and types devtools importers read, one entry
// per exchange of a real code flow, and no secret in the export.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "HarWriter.h"
#include "models/RequestLogModel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kBase = QStringLiteral("http://127.0.0.1:8090");
const QByteArray kSecret = "Cl1ent-S3cret-4711";
const QByteArray kPassword = "Us3r-Passw0rd-0815";

QJsonObject json(const char *text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad expected JSON: %s", qPrintable(error.errorString()));
    return doc.object();
}

ExchangeRecord refreshRecord()
{
    ExchangeRecord r;
    r.id = 5;
    r.startedAtMs = 1'700'000'000'123;
    r.durationMs = 1.5;
    r.method = "POST";
    r.path = QStringLiteral("/oauth/token");
    r.requestHeaders = {{"host", "127.0.0.1:8090"},
                        {"content-type", "application/x-www-form-urlencoded"},
                        {"authorization", "Basic ******"},
                        {"cookie", "JSESSIONID=******; theme=dark"}};
    r.requestBody = "grant_type=refresh_token&refresh_token=RT-1&scope=read+write";
    r.status = 200;
    r.responseHeaders = {{"Content-Type", "application/json;charset=UTF-8"}, {"Cache-Control", "no-store"}};
    r.responseBody = R"({"access_token":"AT-1","token_type":"bearer","refresh_token":"RT-1","expires_in":43199,)"
                     R"("scope":"read write"})";
    r.revealedRequestHeaders = {{"authorization", "Basic " + QByteArray("id:" + kSecret).toBase64()}};
    r.revealedRequestBody = "grant_type=refresh_token&refresh_token=RT-1&client_secret=" + kSecret;
    return r;
}

ExchangeRecord redirectRecord()
{
    ExchangeRecord r;
    r.id = 6;
    r.startedAtMs = 1'700'000'000'999;
    r.durationMs = 0.25;
    r.method = "GET";
    r.path = QStringLiteral("/oauth/authorize");
    r.query = "response_type=code&redirect_uri=http%3A%2F%2Flocalhost&state=a+b%26c";
    r.requestHeaders = {{"host", "127.0.0.1:8090"}};
    r.status = 302;
    r.responseHeaders = {{"Location", "/login"}, {"Set-Cookie", "JSESSIONID=******; Path=/; HttpOnly; SameSite=Lax"}};
    r.outcome = ExchangeRecord::Outcome::ClientGone;
    return r;
}

QStringList sortedKeys(const QJsonObject &o)
{
    QStringList keys = o.keys();
    keys.sort();
    return keys;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

struct FlowSecrets
{
    QList<QByteArray> values; // everything that must never reach an export
    QByteArray code;
};

// The seed's code flow with a client secret and a password nobody would type by chance; the code is exchanged
// with HTTP Basic, the refresh sends client_secret in the body.
void runCodeFlow(HttpTestClient &http, FlowSecrets *secrets)
{
    BrowserFlow flow(http, BrowserFlow::seedQuery(), {.secret = QString::fromLatin1(kSecret)});
    flow.startAuthorize();
    const QString anonymous = flow.session();
    flow.loginPage();
    const QString loginCsrf = flow.csrf();
    const TestResponse s3 = flow.submitLogin(QStringLiteral("user"), QString::fromLatin1(kPassword));
    QCOMPARE(s3.status, 302);
    const QString session = s3.sessionCookie();
    flow.authorize();
    const QString approvalCsrf = flow.csrf();
    QCOMPARE(flow.approve().status, 303);
    secrets->code = flow.code().toLatin1();
    const TestResponse s7 = flow.exchangeCode(flow.code());
    QCOMPARE(s7.status, 200);
    const QByteArray refresh = s7.json().value(QStringLiteral("refresh_token")).toString().toLatin1();
    const TestResponse s8 =
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=refresh_token&refresh_token=" + refresh +
                                                          "&client_id=messaging-client&client_secret=" + kSecret);
    QCOMPARE(s8.status, 200);
    secrets->values = {kSecret,
                       kPassword,
                       QByteArray("messaging-client:" + kSecret).toBase64(),
                       anonymous.toLatin1(),
                       session.toLatin1(),
                       loginCsrf.toLatin1(),
                       approvalCsrf.toLatin1(),
                       s7.json().value(QStringLiteral("access_token")).toString().toLatin1(),
                       refresh,
                       s8.json().value(QStringLiteral("access_token")).toString().toLatin1()};
}

ServerSettings distinctSecrets()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients.first().secret = QString::fromLatin1(kSecret);
    s.users.first().password = QString::fromLatin1(kPassword);
    return s;
}

} // namespace

class TestHarWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownTokenEntry();
    void knownRedirectEntry();
    void documentOfARealFlow();
    void writeFileRoundTrip();
    void writeFileFailureNamesThePath();
};

void TestHarWriter::knownTokenEntry()
{
    const QJsonObject expected = json(R"({
        "startedDateTime": "2023-11-14T22:13:20.123Z",
        "time": 1.5,
        "request": {
            "method": "POST",
            "url": "http://127.0.0.1:8090/oauth/token",
            "httpVersion": "HTTP/1.1",
            "cookies": [{"name": "JSESSIONID", "value": "******"}, {"name": "theme", "value": "dark"}],
            "headers": [
                {"name": "host", "value": "127.0.0.1:8090"},
                {"name": "content-type", "value": "application/x-www-form-urlencoded"},
                {"name": "authorization", "value": "Basic ******"},
                {"name": "cookie", "value": "JSESSIONID=******; theme=dark"}
            ],
            "queryString": [],
            "postData": {
                "mimeType": "application/x-www-form-urlencoded",
                "text": "grant_type=refresh_token&refresh_token=******&scope=read+write",
                "params": [
                    {"name": "grant_type", "value": "refresh_token"},
                    {"name": "refresh_token", "value": "******"},
                    {"name": "scope", "value": "read write"}
                ]
            },
            "headersSize": -1,
            "bodySize": 62
        },
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [
                {"name": "Content-Type", "value": "application/json;charset=UTF-8"},
                {"name": "Cache-Control", "value": "no-store"}
            ],
            "content": {
                "size": 112,
                "mimeType": "application/json;charset=UTF-8",
                "text": "{\"access_token\":\"******\",\"token_type\":\"bearer\",\"refresh_token\":\"******\",\"expires_in\":43199,\"scope\":\"read write\"}"
            },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": 112
        },
        "cache": {},
        "timings": {"send": 0, "wait": 1.5, "receive": 0}
    })");
    const QJsonObject actual = HarWriter::entry(refreshRecord(), kBase);
    QCOMPARE(QJsonDocument(actual).toJson(), QJsonDocument(expected).toJson());
}

void TestHarWriter::knownRedirectEntry()
{
    const QJsonObject expected = json(R"({
        "startedDateTime": "2023-11-14T22:13:20.999Z",
        "time": 0.25,
        "request": {
            "method": "GET",
            "url": "http://127.0.0.1:8090/oauth/authorize?response_type=code&redirect_uri=http%3A%2F%2Flocalhost&state=a+b%26c",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": "host", "value": "127.0.0.1:8090"}],
            "queryString": [
                {"name": "response_type", "value": "code"},
                {"name": "redirect_uri", "value": "http://localhost"},
                {"name": "state", "value": "a b&c"}
            ],
            "headersSize": -1,
            "bodySize": 0
        },
        "response": {
            "status": 302,
            "statusText": "Found",
            "httpVersion": "HTTP/1.1",
            "cookies": [{"name": "JSESSIONID", "value": "******", "path": "/", "httpOnly": true, "secure": false}],
            "headers": [
                {"name": "Location", "value": "/login"},
                {"name": "Set-Cookie", "value": "JSESSIONID=******; Path=/; HttpOnly; SameSite=Lax"}
            ],
            "content": {"size": 0, "mimeType": "x-unknown", "text": ""},
            "redirectURL": "/login",
            "headersSize": -1,
            "bodySize": 0
        },
        "cache": {},
        "timings": {"send": 0, "wait": 0.25, "receive": 0},
        "comment": "The client closed the connection before this response was sent."
    })");
    const QJsonObject actual = HarWriter::entry(redirectRecord(), kBase);
    QCOMPARE(QJsonDocument(actual).toJson(), QJsonDocument(expected).toJson());
}

void TestHarWriter::documentOfARealFlow()
{
    TestServer ts(distinctSecrets());
    QSignalSpy finished(&ts.server(), &OAuthServer::exchangeFinished);
    HttpTestClient http(ts.port());
    FlowSecrets secrets;
    CHECKED(runCodeFlow(http, &secrets));
    QList<ExchangeRecord> records;
    for (const QList<QVariant> &args : finished)
        records << args.at(0).value<ExchangeRecord>();
    QCOMPARE(records.size(), 7);

    const QByteArray bytes = QJsonDocument(HarWriter::document(records, ts.base())).toJson();
    QJsonParseError error;
    const QJsonObject root = QJsonDocument::fromJson(bytes, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(root.keys(), QStringList{QStringLiteral("log")});
    const QJsonObject log = root.value(QStringLiteral("log")).toObject();
    QCOMPARE(sortedKeys(log), sorted({"version", "creator", "pages", "entries"}));
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QCOMPARE(log.value(QStringLiteral("creator")).toObject(),
             QJsonObject({{"name", "oauthsim"}, {"version", QStringLiteral(OAUTHSIM_VERSION)}}));
    QVERIFY(log.value(QStringLiteral("pages")).isArray());
    const QJsonArray entries = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), records.size());

    for (qsizetype i = 0; i < entries.size(); ++i) {
        const ExchangeRecord &r = records.at(i);
        const QJsonObject e = entries.at(i).toObject();
        QCOMPARE(sortedKeys(e), sorted({"startedDateTime", "time", "request", "response", "cache", "timings"}));
        QVERIFY(
            QDateTime::fromString(e.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(e.value(QStringLiteral("time")).isDouble());
        const QJsonObject req = e.value(QStringLiteral("request")).toObject();
        QStringList requestKeys{"method",  "url",         "httpVersion", "cookies",
                                "headers", "queryString", "headersSize", "bodySize"};
        if (!r.requestBody.isEmpty())
            requestKeys << QStringLiteral("postData");
        QCOMPARE(sortedKeys(req), sorted(requestKeys));
        QCOMPARE(req.value(QStringLiteral("method")).toString(), QString::fromLatin1(r.method));
        QString url = ts.base() + r.path;
        if (!r.query.isEmpty())
            url += QLatin1Char('?') + QString::fromLatin1(r.query);
        QCOMPARE(req.value(QStringLiteral("url")).toString(), url);
        for (const char *array : {"cookies", "headers", "queryString"})
            QVERIFY2(req.value(QLatin1String(array)).isArray(), array);
        const QJsonObject res = e.value(QStringLiteral("response")).toObject();
        QCOMPARE(sortedKeys(res), sorted({"status", "statusText", "httpVersion", "cookies", "headers", "content",
                                          "redirectURL", "headersSize", "bodySize"}));
        QCOMPARE(res.value(QStringLiteral("status")).toInt(), r.status);
        QVERIFY(!res.value(QStringLiteral("statusText")).toString().isEmpty());
        const QJsonObject content = res.value(QStringLiteral("content")).toObject();
        QCOMPARE(sortedKeys(content), sorted({"size", "mimeType", "text"}));
        // Sizes are those of the exported (masked) text, so a mask never hints at a secret's length.
        const QByteArray exportedBody = RequestLogModel::withTokensMasked(r).responseBody;
        QCOMPARE(content.value(QStringLiteral("size")).toInt(), int(exportedBody.size()));
        QCOMPARE(content.value(QStringLiteral("text")).toString(), QString::fromUtf8(exportedBody));
        QCOMPARE(res.value(QStringLiteral("bodySize")).toInt(), int(exportedBody.size()));
        QCOMPARE(e.value(QStringLiteral("timings")).toObject().keys(), sorted({"send", "wait", "receive"}));
        QCOMPARE(e.value(QStringLiteral("cache")).toObject(), QJsonObject());
    }
    // Step 5+6: the code stays visible (teaching needs it); nothing secret is anywhere in the file.
    QVERIFY(!secrets.code.isEmpty());
    QVERIFY(entries.at(4)
                .toObject()
                .value(QStringLiteral("response"))
                .toObject()
                .value(QStringLiteral("redirectURL"))
                .toString()
                .contains(QString::fromLatin1("code=" + secrets.code)));
    QCOMPARE(secrets.values.size(), 10);
    for (const QByteArray &secret : std::as_const(secrets.values)) {
        QVERIFY(secret.size() >= 6);
        QVERIFY2(!bytes.contains(secret), secret.constData());
    }
}

void TestHarWriter::writeFileRoundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QList<ExchangeRecord> records{refreshRecord(), redirectRecord()};
    const QString path = dir.filePath(QStringLiteral("log.har"));
    QString error;
    QVERIFY2(HarWriter::writeFile(path, records, kBase, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(QJsonDocument::fromJson(bytes).object(), HarWriter::document(records, kBase));
    QVERIFY(!bytes.contains(kSecret));
    QVERIFY(!bytes.contains("RT-1"));
    QVERIFY(!bytes.contains("AT-1"));
}

void TestHarWriter::writeFileFailureNamesThePath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing/dir/log.har"));
    QString error;
    QVERIFY(!HarWriter::writeFile(path, {refreshRecord()}, kBase, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
}

QTEST_MAIN(TestHarWriter)
#include "tst_harwriter.moc"
