// POST /oauth/revoke (RFC 7009) against a live server: client authentication as at the token endpoint, the
// token parameter, revoking access and refresh tokens (with and without hints), unknown tokens, tokens of another
// client, and what revocation does to the refresh grant. Exact status, body, headers and store signals.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

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
const ClientCredentials kSeed{};
const ClientCredentials kOther{QStringLiteral("other-client"), QStringLiteral("other-secret")};

// The seed's world plus a second client with the same grants, approving everything by itself.
ServerSettings revocationSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client other = s.clients.first();
    other.id = kOther.id;
    other.secret = kOther.secret;
    other.autoApprove.mode = AutoApprove::Mode::All;
    s.clients << other;
    return s;
}

// Steps 1–7 for `client` and the seed user: *out gets the read-write tokens.
void issueTokens(HttpTestClient &http, const ClientCredentials &client, Tokens *out)
{
    BrowserFlow flow(
        http, QStringLiteral("response_type=code&client_id=%1&redirect_uri=http://localhost").arg(client.id), client);
    CHECKED(flow.obtainCode());
    CHECKED(expectToken(flow.exchangeCode(flow.code()), out, 43199, QStringLiteral("read write")));
}

TestResponse revoke(HttpTestClient &http, const QByteArray &body, const ClientCredentials &client = kSeed)
{
    return http.postForm(QStringLiteral("/oauth/revoke"), body, HttpTestClient::basic(client.id, client.secret));
}

TestResponse refresh(HttpTestClient &http, const QString &refreshToken, const ClientCredentials &client = kSeed)
{
    return http.postForm(QStringLiteral("/oauth/token"), "grant_type=refresh_token&refresh_token=" + enc(refreshToken),
                         HttpTestClient::basic(client.id, client.secret));
}

// RFC 7009 §2.2: 200, no content; no-store. Nothing else but the Content-Length of the empty body.
void expectRevoked(const TestResponse &r)
{
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, QByteArray());
    const QList<QPair<QByteArray, QByteArray>> expected{
        {"Cache-Control", "no-store"}, {"Pragma", "no-cache"}, {"Content-Length", "0"}};
    QCOMPARE(r.headers, expected);
}

QStringList revokedValues(const QSignalSpy &spy)
{
    QStringList out;
    for (const QList<QVariant> &args : spy)
        out << qvariant_cast<IssuedToken>(args.at(0)).value;
    out.sort();
    return out;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

class TstRevocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void errors_data();
    void errors();
    void getIsNotAllowed();
    void revokeAccessToken_data();
    void revokeAccessToken();
    void revokeRefreshToken_data();
    void revokeRefreshToken();
    void revokeRefreshedAccessToken();
    void unknownToken();
    void revokeTwice();
    void tokenOfAnotherClient();
    void credentialsInTheBody();
    void expiredTokenIsRemoved();
    void requestRecord();
};

void TstRevocation::errors_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("challenge");

    const QByteArray seed = HttpTestClient::basic(kSeedClient, kSeedSecret).first().second;
    const QByteArray badClient = jsonError("invalid_client", QStringLiteral("Bad client credentials"));
    const QByteArray basicChallenge = "Basic realm=\"oauth2/client\"";
    const QByteArray formChallenge =
        "Form realm=\"oauth2/client\", error=\"invalid_client\", error_description=\"Bad client credentials\"";

    // Client authentication exactly as at the token endpoint (PROTOCOL.md "Client authentication").
    QTest::newRow("no client authentication")
        << QByteArray("token=x") << QByteArray() << 401 << badClient << basicChallenge;
    QTest::newRow("wrong Basic secret") << QByteArray("token=x")
                                        << HttpTestClient::basic(kSeedClient, QStringLiteral("nope")).first().second
                                        << 401 << badClient << basicChallenge;
    QTest::newRow("unknown client by parameters") << QByteArray("token=x&client_id=ghost&client_secret=secret")
                                                  << QByteArray() << 401 << badClient << formChallenge;
    QTest::newRow("wrong secret by parameters") << QByteArray("token=x&client_id=messaging-client&client_secret=nope")
                                                << QByteArray() << 401 << badClient << formChallenge;
    const QString mismatch = QStringLiteral("Given client ID does not match authenticated client");
    QTest::newRow("client_id differs from Basic")
        << QByteArray("token=x&client_id=other-client") << seed << 401 << jsonError("invalid_client", mismatch)
        << bearerChallenge("invalid_client", mismatch);
    // RFC 7009 §2.1: token is required.
    const QByteArray noToken = jsonError("invalid_request", QStringLiteral("token parameter not provided"));
    QTest::newRow("missing token") << QByteArray("token_type_hint=access_token") << seed << 400 << noToken
                                   << QByteArray();
    QTest::newRow("empty token") << QByteArray("token=") << seed << 400 << noToken << QByteArray();
    QTest::newRow("no body") << QByteArray() << seed << 400 << noToken << QByteArray();
    QTest::newRow("repeated token") << QByteArray("token=a&token=b") << seed << 400
                                    << jsonError("invalid_request",
                                                 QStringLiteral("Parameter token must not be provided more than once"))
                                    << QByteArray();
}

void TstRevocation::errors()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, challenge);

    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    HttpTestClient::Headers headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    CHECKED(
        expectJsonError(http.postForm(QStringLiteral("/oauth/revoke"), body, headers), status, expected, challenge));
    QCOMPARE(revoked.size(), 0);
    QVERIFY(server->tokens().findAccess(t.access));
    QVERIFY(server->tokens().findRefresh(t.refresh));
}

void TstRevocation::getIsNotAllowed()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    const TestResponse r =
        http.get(QStringLiteral("/oauth/revoke?token=x"), HttpTestClient::basic(kSeedClient, kSeedSecret));
    CHECKED(
        expectJsonError(r, 405, jsonError("method_not_allowed", QStringLiteral("Request method 'GET' not supported"))));
    QCOMPARE(r.header("Allow"), QByteArray("POST"));
}

void TstRevocation::revokeAccessToken_data()
{
    QTest::addColumn<QByteArray>("hint");
    QTest::newRow("no hint") << QByteArray();
    QTest::newRow("access_token hint") << QByteArray("&token_type_hint=access_token");
    // RFC 7009 §2.1: a wrong or unknown hint only widens the search.
    QTest::newRow("wrong hint") << QByteArray("&token_type_hint=refresh_token");
    QTest::newRow("unknown hint") << QByteArray("&token_type_hint=id_token");
}

void TstRevocation::revokeAccessToken()
{
    QFETCH(QByteArray, hint);
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.access) + hint)));
    QCOMPARE(revokedValues(revoked), QStringList{t.access});
    QVERIFY(!server->tokens().findAccess(t.access));
    // The refresh token stays (RFC 7009 §2.1 leaves that to the server) and still gives a new access token.
    QVERIFY(server->tokens().findRefresh(t.refresh));
    Tokens after;
    CHECKED(expectToken(refresh(http, t.refresh), &after, 43199, QStringLiteral("read write")));
    QVERIFY(after.access != t.access);
    QCOMPARE(after.refresh, t.refresh);
}

void TstRevocation::revokeRefreshToken_data()
{
    QTest::addColumn<QByteArray>("hint");
    QTest::newRow("no hint") << QByteArray();
    QTest::newRow("refresh_token hint") << QByteArray("&token_type_hint=refresh_token");
    QTest::newRow("wrong hint") << QByteArray("&token_type_hint=access_token");
    QTest::newRow("unknown hint") << QByteArray("&token_type_hint=whatever");
}

void TstRevocation::revokeRefreshToken()
{
    QFETCH(QByteArray, hint);
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.refresh) + hint)));
    // RFC 7009 §2.1: the access token issued with the refresh token goes with it.
    QCOMPARE(revokedValues(revoked), sorted({t.access, t.refresh}));
    QVERIFY(!server->tokens().findAccess(t.access));
    QVERIFY(!server->tokens().findRefresh(t.refresh));
    CHECKED(expectJsonError(refresh(http, t.refresh), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid refresh token: ") + t.refresh)));
}

void TstRevocation::revokeRefreshedAccessToken()
{
    // After a refresh, the refresh token's access token is the new one: revoking the refresh token takes it along.
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    server.clock().advanceSeconds(10);
    Tokens refreshed;
    CHECKED(expectToken(refresh(http, t.refresh), &refreshed, 43199, QStringLiteral("read write")));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.refresh))));
    QCOMPARE(revokedValues(revoked), sorted({refreshed.access, t.refresh}));
    QCOMPARE(server->tokens().accessCount(), 0);
    QCOMPARE(server->tokens().refreshCount(), 0);
}

void TstRevocation::unknownToken()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    // RFC 7009 §2.2: an invalid token is answered 200.
    CHECKED(expectRevoked(revoke(http, "token=no-such-token")));
    CHECKED(expectRevoked(revoke(http, "token=no-such-token&token_type_hint=refresh_token")));
    QCOMPARE(revoked.size(), 0);
    QCOMPARE(server->tokens().accessCount(), 1);
    QCOMPARE(server->tokens().refreshCount(), 1);
}

void TstRevocation::revokeTwice()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.refresh))));
    QCOMPARE(revoked.size(), 2);
    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.refresh))));
    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.access))));
    QCOMPARE(revoked.size(), 2);
}

void TstRevocation::tokenOfAnotherClient()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens seed;
    CHECKED(issueTokens(http, kSeed, &seed));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);

    // RFC 7009 §2.1: only the client a token was issued to may revoke it. oauthsim answers 200 as for an unknown
    // token (documented deviation) and leaves the token alone.
    CHECKED(expectRevoked(revoke(http, "token=" + enc(seed.refresh), kOther)));
    CHECKED(expectRevoked(revoke(http, "token=" + enc(seed.access), kOther)));
    QCOMPARE(revoked.size(), 0);
    QVERIFY(server->tokens().findAccess(seed.access));
    Tokens after;
    CHECKED(expectToken(refresh(http, seed.refresh), &after, 43199, QStringLiteral("read write")));
    revoked.clear(); // the refresh replaced the seed client's access token

    // The other client's own token is its to revoke.
    Tokens other;
    CHECKED(issueTokens(http, kOther, &other));
    CHECKED(expectRevoked(revoke(http, "token=" + enc(other.refresh), kOther)));
    QCOMPARE(revokedValues(revoked), sorted({other.access, other.refresh}));
}

void TstRevocation::credentialsInTheBody()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    CHECKED(
        expectRevoked(http.postForm(QStringLiteral("/oauth/revoke"),
                                    "token=" + enc(t.access) + "&client_id=messaging-client&client_secret=secret")));
    QCOMPARE(revokedValues(revoked), QStringList{t.access});
}

void TstRevocation::expiredTokenIsRemoved()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    server.clock().advanceSeconds(2592000); // the refresh token's whole lifetime: both tokens have expired
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.refresh))));
    QCOMPARE(revokedValues(revoked), sorted({t.access, t.refresh}));
}

void TstRevocation::requestRecord()
{
    TestServer server(revocationSettings());
    HttpTestClient http(server.port());
    Tokens t;
    CHECKED(issueTokens(http, kSeed, &t));
    const quint64 flowId = server->tokens().findRefresh(t.refresh)->flowId;
    QVERIFY(flowId != 0);
    QSignalSpy finished(&server.server(), &OAuthServer::exchangeFinished);

    CHECKED(expectRevoked(revoke(http, "token=" + enc(t.refresh))));
    ExchangeRecord record = lastRecord(finished);
    QCOMPARE(record.path, QStringLiteral("/oauth/revoke"));
    QCOMPARE(record.status, 200);
    QCOMPARE(record.clientId, kSeedClient);
    QCOMPARE(record.username, QStringLiteral("user"));
    QCOMPARE(record.flowId, flowId);
    QCOMPARE(record.debugDetail, QStringLiteral("refresh token revoked, with the access token issued with it"));

    CHECKED(expectRevoked(revoke(http, "token=gone")));
    record = lastRecord(finished);
    QCOMPARE(record.flowId, quint64(0));
    QCOMPARE(record.debugDetail, QStringLiteral("unknown token: nothing revoked"));
}

QTEST_GUILESS_MAIN(TstRevocation)
#include "tst_revocation.moc"
