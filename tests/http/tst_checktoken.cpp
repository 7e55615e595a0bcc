// Legacy POST /oauth/check_token (PROTOCOL.md "Other legacy endpoints") against a live server: Spring's JSON with
// its key order, the user's authorities in Java's HashSet order, client-only tokens, and the 400 invalid_token
// answers. Exact status, body and headers.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "endpoints/CheckTokenEndpoint.h"
#include "model/IssuedToken.h"
#include "store/TokenStore.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kSeedSecret = QStringLiteral("secret");
constexpr qint64 kStart = 1'800'000'000; // FakeClock's start, in seconds

// The seed's world plus an administrator with two authorities and a user without any.
ServerSettings checkTokenSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    User admin;
    admin.username = QStringLiteral("admin");
    admin.password = QStringLiteral("admin");
    admin.authorities = {QStringLiteral("ROLE_ADMIN"), QStringLiteral("ROLE_USER")};
    User plain;
    plain.username = QStringLiteral("plain");
    plain.password = QStringLiteral("plain");
    plain.authorities = {};
    s.users << admin << plain;
    return s;
}

// Steps 1–7 for the seed client and user: *out gets the read-write tokens.
void issueTokens(HttpTestClient &http, Tokens *out)
{
    BrowserFlow flow(http);
    CHECKED(flow.obtainCode());
    CHECKED(expectToken(flow.exchangeCode(flow.code()), out, 43199, QStringLiteral("read write")));
}

TestResponse checkToken(HttpTestClient &http, const QByteArray &body, const HttpTestClient::Headers &headers = {})
{
    return http.postForm(QStringLiteral("/oauth/check_token"), body, headers);
}

// 200 with exactly `body`: a plain @ResponseBody answer, so no cache headers (Spring's CheckTokenEndpoint).
void expectChecked(const TestResponse &r, const QByteArray &body)
{
    QCOMPARE(r.body, body);
    QCOMPARE(r.status, 200);
    const QList<QPair<QByteArray, QByteArray>> expected{{"Content-Type", kJsonType},
                                                        {"Content-Length", QByteArray::number(body.size())}};
    QCOMPARE(r.headers, expected);
}

QByteArray seedJson(qint64 exp)
{
    return "{\"aud\":[],\"user_name\":\"user\",\"scope\":[\"read\",\"write\"],\"active\":true,\"exp\":" +
           QByteArray::number(exp) + ",\"authorities\":[\"ROLE_USER\"],\"client_id\":\"messaging-client\"}";
}

IssuedToken storedToken(const QString &username, const ScopeSet &scopes, qint64 expiresAtMs)
{
    IssuedToken t;
    t.value = QStringLiteral("stored-token");
    t.clientId = kSeedClient;
    t.username = username;
    t.scopes = scopes;
    t.issuedAtMs = kStart * 1000;
    t.expiresAtMs = expiresAtMs;
    return t;
}

} // namespace

class TstCheckToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedToken();
    void tokenInTheQuery();
    void noClientAuthenticationNeeded_data();
    void noClientAuthenticationNeeded();
    void storedTokens_data();
    void storedTokens();
    void invalidToken_data();
    void invalidToken();
    void expiredToken();
    void revokedToken();
    void badRequests_data();
    void badRequests();
    void getIsNotAllowed();
    void javaHashSetOrder_data();
    void javaHashSetOrder();
};

void TstCheckToken::seedToken()
{
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    const quint64 flowId = server->tokens().findAccess(t.access)->flowId;
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);
    server.clock().advanceSeconds(43199);
    CHECKED(expectChecked(checkToken(http, "token=" + enc(t.access)), seedJson(kStart + 43200)));
    const ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.username, QStringLiteral("user"));
    QCOMPARE(record.flowId, flowId);
}

void TstCheckToken::tokenInTheQuery()
{
    // Spring's @RequestParam reads the query string as well as the body.
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    CHECKED(expectChecked(
        http.postForm(QStringLiteral("/oauth/check_token?token=") + QString::fromLatin1(enc(t.access)), QByteArray()),
        seedJson(kStart + 43200)));
}

void TstCheckToken::noClientAuthenticationNeeded_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("the seed client") << HttpTestClient::basic(kSeedClient, kSeedSecret).first().second;
    // Deviation (documented): credentials are not checked, so wrong ones are ignored too.
    QTest::newRow("wrong secret") << HttpTestClient::basic(kSeedClient, QStringLiteral("nope")).first().second;
}

void TstCheckToken::noClientAuthenticationNeeded()
{
    QFETCH(QByteArray, authorization);
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    CHECKED(expectChecked(checkToken(http, "token=" + enc(t.access), headers), seedJson(kStart + 43200)));
}

void TstCheckToken::storedTokens_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<QStringList>("scopes");
    QTest::addColumn<qint64>("expiresAtMs");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray exp = QByteArray::number(kStart + 600);
    const qint64 expMs = (kStart + 600) * 1000 + 999; // exp truncates to whole seconds

    // Java's HashSet puts ROLE_USER (bucket 6) before ROLE_ADMIN (bucket 10), whatever the configured order.
    QTest::newRow("admin: authorities in HashSet order")
        << QStringLiteral("admin") << QStringList{QStringLiteral("read")} << expMs
        << "{\"aud\":[],\"user_name\":\"admin\",\"scope\":[\"read\"],\"active\":true,\"exp\":" + exp +
               ",\"authorities\":[\"ROLE_USER\",\"ROLE_ADMIN\"],\"client_id\":\"messaging-client\"}";
    QTest::newRow("user without authorities: none listed")
        << QStringLiteral("plain") << QStringList{QStringLiteral("read"), QStringLiteral("write")} << expMs
        << "{\"aud\":[],\"user_name\":\"plain\",\"scope\":[\"read\",\"write\"],\"active\":true,\"exp\":" + exp +
               ",\"client_id\":\"messaging-client\"}";
    QTest::newRow("user no longer configured: no authorities")
        << QStringLiteral("gone") << QStringList{QStringLiteral("read")} << expMs
        << "{\"aud\":[],\"user_name\":\"gone\",\"scope\":[\"read\"],\"active\":true,\"exp\":" + exp +
               ",\"client_id\":\"messaging-client\"}";
    QTest::newRow("client-only: no user_name, no authorities")
        << QString() << QStringList{QStringLiteral("write"), QStringLiteral("read")} << expMs
        << "{\"aud\":[],\"scope\":[\"read\",\"write\"],\"active\":true,\"exp\":" + exp +
               ",\"client_id\":\"messaging-client\"}";
    QTest::newRow("never expires: no exp")
        << QString() << QStringList{QStringLiteral("read")} << qint64(0)
        << QByteArray("{\"aud\":[],\"scope\":[\"read\"],\"active\":true,\"client_id\":\"messaging-client\"}");
    QTest::newRow("JSON-escaped user name")
        << QStringLiteral("a\"b") << QStringList{QStringLiteral("read")} << expMs
        << "{\"aud\":[],\"user_name\":\"a\\\"b\",\"scope\":[\"read\"],\"active\":true,\"exp\":" + exp +
               ",\"client_id\":\"messaging-client\"}";
}

void TstCheckToken::storedTokens()
{
    QFETCH(QString, username);
    QFETCH(QStringList, scopes);
    QFETCH(qint64, expiresAtMs);
    QFETCH(QByteArray, expected);
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    server->tokens().storeAccess(storedToken(username, ScopeSet(scopes), expiresAtMs));
    CHECKED(expectChecked(checkToken(http, "token=stored-token"), expected));
}

void TstCheckToken::invalidToken_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("useRefreshToken");
    QTest::newRow("unknown") << QByteArray("token=no-such-token") << false;
    QTest::newRow("empty") << QByteArray("token=") << false;
    // Spring's readAccessToken knows access tokens only.
    QTest::newRow("a refresh token") << QByteArray() << true;
}

void TstCheckToken::invalidToken()
{
    QFETCH(QByteArray, body);
    QFETCH(bool, useRefreshToken);
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    if (useRefreshToken)
        body = "token=" + enc(t.refresh);
    // 400, not 401, and so no WWW-Authenticate (CheckTokenEndpoint's own exception handler).
    CHECKED(expectJsonError(checkToken(http, body), 400,
                            jsonError("invalid_token", QStringLiteral("Token was not recognised"))));
}

void TstCheckToken::expiredToken()
{
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    server.clock().advanceSeconds(43200);
    CHECKED(expectJsonError(checkToken(http, "token=" + enc(t.access)), 400,
                            jsonError("invalid_token", QStringLiteral("Token has expired"))));
}

void TstCheckToken::revokedToken()
{
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, &t));
    QVERIFY(server->revokeToken(t.refresh));
    CHECKED(expectJsonError(checkToken(http, "token=" + enc(t.access)), 400,
                            jsonError("invalid_token", QStringLiteral("Token was not recognised"))));
}

void TstCheckToken::badRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("missing token") << QByteArray("tokn=x")
                                   << jsonError("invalid_request",
                                                QStringLiteral("Required String parameter 'token' is not present"));
    QTest::newRow("no body") << QByteArray()
                             << jsonError("invalid_request",
                                          QStringLiteral("Required String parameter 'token' is not present"));
    QTest::newRow("repeated token") << QByteArray("token=a&token=b")
                                    << jsonError("invalid_request",
                                                 QStringLiteral("Parameter token must not be provided more than once"));
}

void TstCheckToken::badRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    CHECKED(expectJsonError(checkToken(http, body), 400, expected));
}

void TstCheckToken::getIsNotAllowed()
{
    // POST only (Spring 2.4 removed GET: a token in the query string ends up in logs).
    TestServer server(checkTokenSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.get(QStringLiteral("/oauth/check_token?token=x"));
    CHECKED(
        expectJsonError(r, 405, jsonError("method_not_allowed", QStringLiteral("Request method 'GET' not supported"))));
    QCOMPARE(r.header("Allow"), QByteArray("POST"));
}

void TstCheckToken::javaHashSetOrder_data()
{
    QTest::addColumn<QStringList>("values");
    QTest::addColumn<QStringList>("expected");
    // Expected orders printed by OpenJDK 17: new TreeSet<>(values).stream().collect(Collectors.toSet()).
    QTest::newRow("one") << QStringList{QStringLiteral("ROLE_USER")} << QStringList{QStringLiteral("ROLE_USER")};
    QTest::newRow("user and admin") << QStringList{QStringLiteral("ROLE_ADMIN"), QStringLiteral("ROLE_USER")}
                                    << QStringList{QStringLiteral("ROLE_USER"), QStringLiteral("ROLE_ADMIN")};
    QTest::newRow("duplicates dropped") << QStringList{QStringLiteral("ROLE_USER"), QStringLiteral("ROLE_USER")}
                                        << QStringList{QStringLiteral("ROLE_USER")};
    QTest::newRow("eight, one outside Latin-1")
        << QStringList{QStringLiteral("ROLE_B"),     QStringLiteral("ROLE_A"),   QStringLiteral("ROLE_C"),
                       QStringLiteral("SCOPE_read"), QStringLiteral("z"),        QString(QChar(0x03A9)),
                       QStringLiteral("ROLE_ADMIN"), QStringLiteral("ROLE_USER")}
        << QStringList{QStringLiteral("ROLE_C"),     QStringLiteral("ROLE_A"),     QStringLiteral("ROLE_B"),
                       QStringLiteral("ROLE_USER"),  QStringLiteral("SCOPE_read"), QString(QChar(0x03A9)),
                       QStringLiteral("ROLE_ADMIN"), QStringLiteral("z")};
    QStringList many;
    for (int i = 0; i < 14; ++i)
        many << QStringLiteral("ROLE_%1%2").arg(QChar(u'A' + i)).arg(i);
    // Nine of them share a bucket of 16, then of 32: each time the table grows instead of making a tree.
    QTest::newRow("fourteen: a crowded bucket grows the table to 64")
        << many << QStringList{QStringLiteral("ROLE_B1"),  QStringLiteral("ROLE_D3"),  QStringLiteral("ROLE_F5"),
                               QStringLiteral("ROLE_H7"),  QStringLiteral("ROLE_J9"),  QStringLiteral("ROLE_A0"),
                               QStringLiteral("ROLE_C2"),  QStringLiteral("ROLE_E4"),  QStringLiteral("ROLE_G6"),
                               QStringLiteral("ROLE_I8"),  QStringLiteral("ROLE_M12"), QStringLiteral("ROLE_N13"),
                               QStringLiteral("ROLE_K10"), QStringLiteral("ROLE_L11")};
    QStringList thirteen;
    for (int i = 0; i < 13; ++i)
        thirteen << QStringLiteral("ROLE_%1").arg(i);
    // Thirteen is more than 3/4 of 16: the table has grown to 32 buckets.
    QTest::newRow("thirteen: more than 3/4 of 16")
        << thirteen << QStringList{QStringLiteral("ROLE_3"),  QStringLiteral("ROLE_4"),  QStringLiteral("ROLE_1"),
                                   QStringLiteral("ROLE_2"),  QStringLiteral("ROLE_7"),  QStringLiteral("ROLE_8"),
                                   QStringLiteral("ROLE_5"),  QStringLiteral("ROLE_6"),  QStringLiteral("ROLE_0"),
                                   QStringLiteral("ROLE_11"), QStringLiteral("ROLE_10"), QStringLiteral("ROLE_12"),
                                   QStringLiteral("ROLE_9")};
}

void TstCheckToken::javaHashSetOrder()
{
    QFETCH(QStringList, values);
    QFETCH(QStringList, expected);
    QCOMPARE(CheckTokenEndpoint::javaHashSetOrder(values), expected);
}

QTEST_GUILESS_MAIN(TstCheckToken)
#include "tst_checktoken.moc"
