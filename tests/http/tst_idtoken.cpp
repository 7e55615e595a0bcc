// OpenID Connect id_tokens (Core §2, §3.1.3.3, §3.1.3.6, §12.2) from the code flow and the refresh grant: signed
// RS256 with a key of the JWKS, every claim exactly (iss, sub, aud, azp, iat, exp, auth_time, nonce, at_hash), the
// token response's key order, and no id_token without the openid scope.

#include "BrowserFlow.h"
#include "Checks.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "jose/Base64Url.h"
#include "jose/Jwt.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kClient = QStringLiteral("messaging-client");

// The seed with "openid" among the client's scopes, approved without asking.
ServerSettings openIdSettings()
{
    ServerSettings s = TestServer::defaultSettings();
    Client &client = s.clients.first();
    client.scopes = ScopeSet({QStringLiteral("openid"), QStringLiteral("read"), QStringLiteral("write")});
    client.autoApprove.mode = AutoApprove::Mode::All;
    client.grantTypes |= GrantType::Password;
    return s;
}

QString authorizeQuery(const QString &scope, const std::optional<QString> &nonce)
{
    QString query = BrowserFlow::seedQuery() + QStringLiteral("&scope=") + QString::fromLatin1(enc(scope));
    if (nonce)
        query += QStringLiteral("&nonce=") + QString::fromLatin1(enc(*nonce));
    return query;
}

// The id_token's header and claims after verifying it with the key the JWKS publishes under its kid.
JwtVerification verifiedWithJwks(HttpTestClient &http, const QString &idToken)
{
    const QJsonArray keys = http.get(QStringLiteral("/oauth/jwks")).json().value(QLatin1String("keys")).toArray();
    return Jwt::verify(idToken, [&](const QString &kid) {
        for (const QJsonValue &key : keys) {
            if (key.toObject().value(QLatin1String("kid")).toString() == kid)
                return RsaKey::fromJwk(key.toObject());
        }
        return RsaKey();
    });
}

// OpenID Connect Core §3.1.3.6, computed here: base64url(left half of SHA-256(ASCII(access_token))).
QString atHash(const QString &accessToken)
{
    const QByteArray digest = QCryptographicHash::hash(accessToken.toLatin1(), QCryptographicHash::Sha256);
    return QString::fromLatin1(
        digest.left(16).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// A 200 token answer carrying an id_token, in the legacy key order with id_token before expires_in.
void expectTokensWithIdToken(const TestResponse &r, qint64 expiresIn, const QString &scope, QString *access,
                             QString *refresh, QString *idToken)
{
    QVERIFY2(r.status == 200, r.body.constData());
    CHECKED(expectJsonHeaders(r));
    const QJsonObject json = r.json();
    *access = json.value(QLatin1String("access_token")).toString();
    *refresh = json.value(QLatin1String("refresh_token")).toString();
    *idToken = json.value(QLatin1String("id_token")).toString();
    QVERIFY(!access->isEmpty() && !refresh->isEmpty() && !idToken->isEmpty());
    QCOMPARE(r.body, "{\"access_token\":\"" + access->toLatin1() + "\",\"token_type\":\"bearer\",\"refresh_token\":\"" +
                         refresh->toLatin1() + "\",\"id_token\":\"" + idToken->toLatin1() + "\",\"expires_in\":" +
                         QByteArray::number(expiresIn) + ",\"scope\":\"" + scope.toUtf8() + "\"}");
}

} // namespace

class TstIdToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void codeFlowIdToken_data();
    void codeFlowIdToken();
    void noNonceNoNonceClaim();
    void noIdTokenWithoutOpenId();
    void refreshYieldsANewIdToken();
    void narrowedRefreshWithoutOpenId();
    void passwordGrantHasNoIdToken();
    void issuerIsTheConfiguredOne();
};

void TstIdToken::codeFlowIdToken_data()
{
    QTest::addColumn<QString>("nonce");
    QTest::newRow("plain") << QStringLiteral("n-0S6_WzA2Mj");
    QTest::newRow("spaces, plus, unicode, quotes") << QStringLiteral("a b+c/ü\"\\&=");
}

void TstIdToken::codeFlowIdToken()
{
    QFETCH(QString, nonce);
    TestServer server(openIdSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("openid read"), nonce));
    CHECKED(flow.signIn());
    const qint64 loginS = server.clock().nowMs() / 1000;
    server.clock().advanceSeconds(7); // auth_time is the login, not the authorize request nor the token request
    QCOMPARE(flow.authorize().status, 303);
    QVERIFY(!flow.code().isEmpty());
    server.clock().advanceSeconds(5);
    const qint64 nowS = server.clock().nowMs() / 1000;

    QString access, refresh, idToken;
    CHECKED(expectTokensWithIdToken(flow.exchangeCode(flow.code()), 43199, QStringLiteral("openid read"), &access,
                                    &refresh, &idToken));

    const JwtVerification v = verifiedWithJwks(http, idToken);
    QVERIFY2(v.ok(), qPrintable(Jwt::errorText(v.error)));
    const QJsonObject expectedHeader{{QStringLiteral("alg"), QStringLiteral("RS256")},
                                     {QStringLiteral("typ"), QStringLiteral("JWT")},
                                     {QStringLiteral("kid"), TestServer::signingKey().kid()}};
    QCOMPARE(v.header, expectedHeader);
    const QJsonObject expectedClaims{{QStringLiteral("iss"), server->issuer()},
                                     {QStringLiteral("sub"), QStringLiteral("user")},
                                     {QStringLiteral("aud"), kClient},
                                     {QStringLiteral("azp"), kClient},
                                     {QStringLiteral("iat"), nowS},
                                     {QStringLiteral("exp"), nowS + 1800},
                                     {QStringLiteral("auth_time"), loginS},
                                     {QStringLiteral("nonce"), nonce},
                                     {QStringLiteral("at_hash"), atHash(access)}};
    QCOMPARE(v.claims, expectedClaims);
    QCOMPARE(server->issuer(), QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
}

void TstIdToken::noNonceNoNonceClaim()
{
    TestServer server(openIdSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("openid"), std::nullopt));
    CHECKED(flow.obtainCode());
    QString access, refresh, idToken;
    CHECKED(expectTokensWithIdToken(flow.exchangeCode(flow.code()), 43199, QStringLiteral("openid"), &access, &refresh,
                                    &idToken));
    const JwtVerification v = verifiedWithJwks(http, idToken);
    QVERIFY(v.ok());
    QVERIFY(!v.claims.contains(QLatin1String("nonce")));
    QCOMPARE(v.claims.value(QLatin1String("at_hash")).toString(), atHash(access));
}

void TstIdToken::noIdTokenWithoutOpenId()
{
    TestServer server(openIdSettings());
    HttpTestClient http(server.port());
    // A nonce alone asks for nothing: without openid the legacy answer, byte for byte.
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("read write"), QStringLiteral("abc")));
    CHECKED(flow.obtainCode());
    Tokens tokens;
    CHECKED(expectToken(flow.exchangeCode(flow.code()), &tokens, 43199, QStringLiteral("read write")));
    // The seed itself (no openid scope registered) is unchanged as well.
    TestServer seed;
    HttpTestClient seedHttp(seed.port());
    BrowserFlow seedFlow(seedHttp);
    CHECKED(seedFlow.obtainCode());
    CHECKED(expectToken(seedFlow.exchangeCode(seedFlow.code()), &tokens, 43199, QStringLiteral("read write")));
}

void TstIdToken::refreshYieldsANewIdToken()
{
    TestServer server(openIdSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("openid read"), QStringLiteral("first-nonce")));
    CHECKED(flow.obtainCode());
    const qint64 loginS = server.clock().nowMs() / 1000;
    QString access, refresh, idToken;
    CHECKED(expectTokensWithIdToken(flow.exchangeCode(flow.code()), 43199, QStringLiteral("openid read"), &access,
                                    &refresh, &idToken));

    server.clock().advanceSeconds(600);
    const qint64 nowS = server.clock().nowMs() / 1000;
    QString access2, refresh2, idToken2;
    CHECKED(expectTokensWithIdToken(flow.refresh(refresh), 43199, QStringLiteral("openid read"), &access2, &refresh2,
                                    &idToken2));
    QVERIFY(access2 != access);
    QCOMPARE(refresh2, refresh); // legacy reuse of the refresh token
    QVERIFY(idToken2 != idToken);
    const JwtVerification v = verifiedWithJwks(http, idToken2);
    QVERIFY2(v.ok(), qPrintable(Jwt::errorText(v.error)));
    // OpenID Connect Core §12.2: same iss, sub, aud; iat now; auth_time of the original login; no nonce.
    const QJsonObject expectedClaims{{QStringLiteral("iss"), server->issuer()},
                                     {QStringLiteral("sub"), QStringLiteral("user")},
                                     {QStringLiteral("aud"), kClient},
                                     {QStringLiteral("azp"), kClient},
                                     {QStringLiteral("iat"), nowS},
                                     {QStringLiteral("exp"), nowS + 1800},
                                     {QStringLiteral("auth_time"), loginS},
                                     {QStringLiteral("at_hash"), atHash(access2)}};
    QCOMPARE(v.claims, expectedClaims);
}

void TstIdToken::narrowedRefreshWithoutOpenId()
{
    TestServer server(openIdSettings());
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("openid read"), std::nullopt));
    CHECKED(flow.obtainCode());
    QString access, refresh, idToken;
    CHECKED(expectTokensWithIdToken(flow.exchangeCode(flow.code()), 43199, QStringLiteral("openid read"), &access,
                                    &refresh, &idToken));
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"),
                                         "grant_type=refresh_token&scope=read&refresh_token=" + enc(refresh),
                                         HttpTestClient::basic(kClient, QStringLiteral("secret")));
    Tokens tokens;
    CHECKED(expectToken(r, &tokens, 43199, QStringLiteral("read")));
}

void TstIdToken::passwordGrantHasNoIdToken()
{
    TestServer server(openIdSettings());
    HttpTestClient http(server.port());
    const TestResponse r = http.postForm(QStringLiteral("/oauth/token"),
                                         "grant_type=password&username=user&password=password&scope=openid%20read",
                                         HttpTestClient::basic(kClient, QStringLiteral("secret")));
    Tokens tokens;
    CHECKED(expectToken(r, &tokens, 43199, QStringLiteral("openid read")));
}

void TstIdToken::issuerIsTheConfiguredOne()
{
    ServerSettings settings = openIdSettings();
    settings.issuer = QStringLiteral("https://login.example.test/realms/demo/"); // trailing slash kept
    TestServer server(settings);
    HttpTestClient http(server.port());
    BrowserFlow flow(http, authorizeQuery(QStringLiteral("openid"), QStringLiteral("n")));
    CHECKED(flow.obtainCode());
    QString access, refresh, idToken;
    CHECKED(expectTokensWithIdToken(flow.exchangeCode(flow.code()), 43199, QStringLiteral("openid"), &access, &refresh,
                                    &idToken));
    const JwtVerification v = verifiedWithJwks(http, idToken);
    QVERIFY(v.ok());
    QCOMPARE(v.claims.value(QLatin1String("iss")).toString(),
             QStringLiteral("https://login.example.test/realms/demo/"));
}

QTEST_GUILESS_MAIN(TstIdToken)
#include "tst_idtoken.moc"
