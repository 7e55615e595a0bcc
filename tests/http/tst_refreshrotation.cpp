// Refresh-token rotation per client ("rotate_refresh_tokens": true, RFC 9700 §4.14.2): each refresh returns a new
// refresh token with a full lifetime and the original scope and revokes the old one, which is then invalid_grant;
// the store's signals say so. Clients without the setting keep the legacy reuse (PROTOCOL.md step 8).

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "store/TokenStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const ClientCredentials kRotating{QStringLiteral("rotating-client"), QStringLiteral("rotating-secret")};
constexpr qint64 kStart = 1'800'000'000; // FakeClock's start, in seconds
constexpr qint64 kRefreshLifetime = 2592000;

ServerSettings rotationSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client client = s.clients.first();
    client.id = kRotating.id;
    client.secret = kRotating.secret;
    client.autoApprove.mode = AutoApprove::Mode::All;
    client.rotateRefreshTokens = true;
    s.clients << client;
    return s;
}

void issueTokens(HttpTestClient &http, const ClientCredentials &client, Tokens *out)
{
    BrowserFlow flow(
        http, QStringLiteral("response_type=code&client_id=%1&redirect_uri=http://localhost").arg(client.id), client);
    CHECKED(flow.obtainCode());
    CHECKED(expectToken(flow.exchangeCode(flow.code()), out, 43199, QStringLiteral("read write")));
}

TestResponse refresh(HttpTestClient &http, const QString &refreshToken, const ClientCredentials &client,
                     const QByteArray &extra = {})
{
    return http.postForm(QStringLiteral("/oauth/token"),
                         "grant_type=refresh_token&refresh_token=" + enc(refreshToken) + extra,
                         HttpTestClient::basic(client.id, client.secret));
}

QByteArray introspect(HttpTestClient &http, const QString &token)
{
    return http
        .postForm(QStringLiteral("/oauth/introspect"), "token=" + enc(token),
                  HttpTestClient::basic(kRotating.id, kRotating.secret))
        .body;
}

QByteArray refreshIntrospection(const QString &clientId, qint64 iat, qint64 exp)
{
    return "{\"active\":true,\"scope\":\"read write\",\"client_id\":\"" + clientId.toUtf8() +
           "\",\"username\":\"user\",\"exp\":" + QByteArray::number(exp) + ",\"iat\":" + QByteArray::number(iat) +
           ",\"sub\":\"user\"}";
}

QStringList values(const QSignalSpy &spy)
{
    QStringList out;
    for (int i = 0; i < spy.count(); ++i)
        out << tokenAt(spy, i).value;
    return out;
}

} // namespace

class TstRefreshRotation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rotationIssuesANewRefreshToken();
    void oldRefreshTokenIsInvalidGrant();
    void rotatedTokenRotatesAgain();
    void narrowedRefreshKeepsTheOriginalScope();
    void storeSignals();
    void legacyClientsReuseTheRefreshToken();
};

void TstRefreshRotation::rotationIssuesANewRefreshToken()
{
    TestServer server(rotationSettings());
    HttpTestClient http(server.port());
    Tokens first;
    CHECKED(issueTokens(http, kRotating, &first));
    server.clock().advanceSeconds(100);
    Tokens second;
    CHECKED(expectToken(refresh(http, first.refresh, kRotating), &second, 43199, QStringLiteral("read write")));
    QVERIFY(second.refresh != first.refresh);
    QVERIFY(second.access != first.access);
    // A full lifetime from the refresh, not the original expiry.
    QCOMPARE(introspect(http, second.refresh),
             refreshIntrospection(kRotating.id, kStart + 100, kStart + 100 + kRefreshLifetime));
    QCOMPARE(introspect(http, first.refresh), QByteArray("{\"active\":false}"));
    QCOMPARE(introspect(http, first.access), QByteArray("{\"active\":false}"));
}

void TstRefreshRotation::oldRefreshTokenIsInvalidGrant()
{
    TestServer server(rotationSettings());
    HttpTestClient http(server.port());
    Tokens first;
    CHECKED(issueTokens(http, kRotating, &first));
    Tokens second;
    CHECKED(expectToken(refresh(http, first.refresh, kRotating), &second, 43199, QStringLiteral("read write")));
    CHECKED(expectJsonError(refresh(http, first.refresh, kRotating), 400,
                            jsonError("invalid_grant", QStringLiteral("Invalid refresh token: ") + first.refresh)));
    // The reuse attempt leaves the current pair alone.
    QCOMPARE(introspect(http, second.refresh).left(15), QByteArray("{\"active\":true,"));
    QCOMPARE(introspect(http, second.access).left(15), QByteArray("{\"active\":true,"));
}

void TstRefreshRotation::rotatedTokenRotatesAgain()
{
    TestServer server(rotationSettings());
    HttpTestClient http(server.port());
    Tokens t1, t2, t3;
    CHECKED(issueTokens(http, kRotating, &t1));
    CHECKED(expectToken(refresh(http, t1.refresh, kRotating), &t2, 43199, QStringLiteral("read write")));
    server.clock().advanceSeconds(10);
    CHECKED(expectToken(refresh(http, t2.refresh, kRotating), &t3, 43199, QStringLiteral("read write")));
    QCOMPARE((QSet<QString>{t1.refresh, t2.refresh, t3.refresh}).size(), 3);
    QCOMPARE(server->tokens().refreshCount(), 1);
    QCOMPARE(server->tokens().accessCount(), 1);
}

void TstRefreshRotation::narrowedRefreshKeepsTheOriginalScope()
{
    TestServer server(rotationSettings());
    HttpTestClient http(server.port());
    Tokens first, narrowed, widenedBack;
    CHECKED(issueTokens(http, kRotating, &first));
    CHECKED(
        expectToken(refresh(http, first.refresh, kRotating, "&scope=read"), &narrowed, 43199, QStringLiteral("read")));
    // RFC 6749 §6: the new refresh token has the scope of the one it replaces, so it can still ask for both.
    QCOMPARE(introspect(http, narrowed.refresh), refreshIntrospection(kRotating.id, kStart, kStart + kRefreshLifetime));
    CHECKED(expectToken(refresh(http, narrowed.refresh, kRotating), &widenedBack, 43199, QStringLiteral("read write")));
}

void TstRefreshRotation::storeSignals()
{
    TestServer server(rotationSettings());
    HttpTestClient http(server.port());
    Tokens first;
    CHECKED(issueTokens(http, kRotating, &first));
    QSignalSpy issued(&server->tokens(), &TokenStore::tokenIssued);
    QSignalSpy revoked(&server->tokens(), &TokenStore::tokenRevoked);
    QSignalSpy refreshed(&server->tokens(), &TokenStore::tokenRefreshed);
    Tokens second;
    CHECKED(expectToken(refresh(http, first.refresh, kRotating), &second, 43199, QStringLiteral("read write")));
    QCOMPARE(values(revoked), (QStringList{first.access, first.refresh}));
    QCOMPARE(values(issued), (QStringList{second.refresh, second.access}));
    QCOMPARE(tokenAt(issued, 0).kind, IssuedToken::Kind::Refresh);
    QCOMPARE(refreshed.count(), 1);
    QCOMPARE(tokenAt(refreshed, 0).value, second.access);
    QCOMPARE(tokenAt(refreshed, 0).refreshToken, second.refresh);
}

void TstRefreshRotation::legacyClientsReuseTheRefreshToken()
{
    TestServer server(rotationSettings());
    HttpTestClient http(server.port());
    const ClientCredentials seed;
    Tokens first, second, third;
    CHECKED(issueTokens(http, seed, &first));
    server.clock().advanceSeconds(100);
    CHECKED(expectToken(refresh(http, first.refresh, seed), &second, 43199, QStringLiteral("read write")));
    QCOMPARE(second.refresh, first.refresh);
    // The original expiry is kept, and the same refresh token works again.
    QCOMPARE(introspect(http, first.refresh),
             refreshIntrospection(QStringLiteral("messaging-client"), kStart, kStart + kRefreshLifetime));
    CHECKED(expectToken(refresh(http, first.refresh, seed), &third, 43199, QStringLiteral("read write")));
    QCOMPARE(third.refresh, first.refresh);
}

QTEST_GUILESS_MAIN(TstRefreshRotation)
#include "tst_refreshrotation.moc"
