#include "grants/TokenServices.h"

#include "FakeClock.h"
#include "FixedTokenGenerator.h"
#include "TestServer.h"
#include "ServerSettings.h"
#include "jose/KeyRing.h"
#include "store/TokenStore.h"

#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::FakeClock;
using oauthsim::test::FixedTokenGenerator;

namespace {

constexpr qint64 kAccessS = 43200;
constexpr qint64 kRefreshS = 2592000;

Client makeClient(const QString &id = QStringLiteral("messaging-client"), bool refreshGrant = true)
{
    Client c;
    c.id = id;
    c.secret = QStringLiteral("secret");
    c.redirectUris = {QStringLiteral("http://localhost")};
    c.scopes = ScopeSet::parse(u"read write");
    c.grantTypes = GrantType::AuthorizationCode;
    if (refreshGrant)
        c.grantTypes |= GrantType::RefreshToken;
    return c;
}

Authorization makeAuthorization(const QString &clientId = QStringLiteral("messaging-client"),
                                const QString &scopes = QStringLiteral("read write"))
{
    return Authorization{.clientId = clientId,
                         .username = QStringLiteral("user"),
                         .scopes = ScopeSet::parse(scopes),
                         .grantCode = QStringLiteral("CODE01"),
                         .flowId = 5};
}

bool isOpaqueToken(const QString &value)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{27}$"));
    return re.match(value).hasMatch();
}

// Everything the services need, wired the way OAuthServer does.
struct Fixture
{
    FakeClock clock;
    FixedTokenGenerator random;
    FixedTokenGenerator predictor; // the same sequence, to know the values the services will draw
    ServerSettings settings;
    TokenStore store{clock};
    KeyRing keys{clock};
    QString issuer = QStringLiteral("http://issuer.test");
    TokenServices services{settings, store, random, clock, keys, issuer};

    QSet<QString> nextValues(int n)
    {
        QSet<QString> out;
        for (int i = 0; i < n; ++i)
            out.insert(predictor.opaqueToken());
        return out;
    }
};

QByteArray expectedJson(const QString &access, const QString &refresh, qint64 expiresIn, const QString &scope)
{
    QByteArray out = "{\"access_token\":\"" + access.toLatin1() + "\",\"token_type\":\"bearer\"";
    if (!refresh.isEmpty())
        out += ",\"refresh_token\":\"" + refresh.toLatin1() + '"';
    out += ",\"expires_in\":" + QByteArray::number(expiresIn);
    if (!scope.isEmpty())
        out += ",\"scope\":\"" + scope.toUtf8() + '"';
    return out + '}';
}

} // namespace

class tst_TokenServices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void createIssuesAccessAndRefresh();
    void createWithoutRefreshGrant();
    void tokenResponseJson_data();
    void tokenResponseJson();
    void tokenResponseJsonWithIdToken();
    void idTokenNeedsASigningKey();
    void profileFormats();
    void liveReuse_data();
    void liveReuse();
    void liveReuseIsPerAuthorization();
    void noReuseWhenDisabled();
    void expiredAccessKeepsLiveRefresh();
    void expiredAccessAndRefreshIssuesBoth();
    void refresh();
    void refreshErrors_data();
    void refreshErrors();
    void refreshExpiredRemovesRefreshToken();
    void wrongClientLeavesTokensAlone();
    void refreshNarrowing();
    void perClientLifetime();
};

void tst_TokenServices::initTestCase()
{
    qRegisterMetaType<IssuedToken>();
}

void tst_TokenServices::createIssuesAccessAndRefresh()
{
    Fixture f;
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);
    const qint64 now = f.clock.nowMs();
    const QSet<QString> expectedValues = f.nextValues(2);

    const TokenResponse r = f.services.createAccessToken(makeClient(), makeAuthorization()).value();
    QVERIFY(r.refresh.has_value());
    QVERIFY2(isOpaqueToken(r.access.value), qPrintable(r.access.value));
    QVERIFY2(isOpaqueToken(r.refresh->value), qPrintable(r.refresh->value));
    QVERIFY(r.access.value != r.refresh->value);
    QCOMPARE((QSet<QString>{r.access.value, r.refresh->value}), expectedValues);

    QCOMPARE(r.access.kind, IssuedToken::Kind::Access);
    QCOMPARE(r.access.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(r.access.username, QStringLiteral("user"));
    QCOMPARE(r.access.scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(r.access.issuedAtMs, now);
    QCOMPARE(r.access.expiresAtMs, now + kAccessS * 1000);
    QCOMPARE(r.access.refreshToken, r.refresh->value);
    QCOMPARE(r.access.grantCode, QStringLiteral("CODE01"));
    QCOMPARE(r.access.flowId, quint64(5));

    QCOMPARE(r.refresh->kind, IssuedToken::Kind::Refresh);
    QCOMPARE(r.refresh->clientId, QStringLiteral("messaging-client"));
    QCOMPARE(r.refresh->username, QStringLiteral("user"));
    QCOMPARE(r.refresh->scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(r.refresh->expiresAtMs, now + kRefreshS * 1000);
    QCOMPARE(r.refresh->grantCode, QStringLiteral("CODE01"));

    // Both stored, both announced.
    QCOMPARE(issued.count(), 2);
    QCOMPARE(
        (QSet<QString>{issued.at(0).at(0).value<IssuedToken>().value, issued.at(1).at(0).value<IssuedToken>().value}),
        expectedValues);
    QVERIFY(f.store.findAccess(r.access.value));
    QVERIFY(f.store.findRefresh(r.refresh->value));
    QCOMPARE(f.store.accessForRefresh(r.refresh->value)->value, r.access.value);
    QCOMPARE(f.store.accessCount(), 1);
    QCOMPARE(f.store.refreshCount(), 1);

    QCOMPARE(r.toJson(now), expectedJson(r.access.value, r.refresh->value, 43199, QStringLiteral("read write")));
}

void tst_TokenServices::createWithoutRefreshGrant()
{
    Fixture f;
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);
    const qint64 now = f.clock.nowMs();
    const QString expected = f.predictor.opaqueToken();

    const TokenResponse r =
        f.services.createAccessToken(makeClient(QStringLiteral("messaging-client"), false), makeAuthorization())
            .value();
    QVERIFY(!r.refresh.has_value());
    QCOMPARE(r.access.value, expected);
    QVERIFY(r.access.refreshToken.isEmpty());
    QCOMPARE(issued.count(), 1);
    QCOMPARE(f.store.refreshCount(), 0);
    QCOMPARE(f.store.accessCount(), 1);
    QCOMPARE(r.toJson(now), expectedJson(expected, {}, 43199, QStringLiteral("read write")));
    QVERIFY(!r.toJson(now).contains("refresh_token"));
}

void tst_TokenServices::tokenResponseJson_data()
{
    QTest::addColumn<bool>("withRefresh");
    QTest::addColumn<QString>("scopes");
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("seed shape") << true << QStringLiteral("write read") << qint64(0)
                                << QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                                              R"("refresh_token":"Rrrrrrrrrrrrrrrrrrrrrrrrrr_","expires_in":43199,)"
                                              R"("scope":"read write"})");
    QTest::newRow("no refresh") << false << QStringLiteral("read") << qint64(0)
                                << QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                                              R"("expires_in":43199,"scope":"read"})");
    QTest::newRow("no scope") << true << QString() << qint64(0)
                              << QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                                            R"("refresh_token":"Rrrrrrrrrrrrrrrrrrrrrrrrrr_","expires_in":43199})");
    QTest::newRow("1 ms later") << false << QStringLiteral("read") << qint64(1)
                                << QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                                              R"("expires_in":43199,"scope":"read"})");
    QTest::newRow("1 s later") << false << QStringLiteral("read") << qint64(1000)
                               << QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                                             R"("expires_in":43198,"scope":"read"})");
    QTest::newRow("expired") << false << QStringLiteral("read") << kAccessS * 1000
                             << QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                                           R"("expires_in":0,"scope":"read"})");
}

void tst_TokenServices::tokenResponseJson()
{
    QFETCH(bool, withRefresh);
    QFETCH(QString, scopes);
    QFETCH(qint64, elapsedMs);
    QFETCH(QByteArray, expected);

    const qint64 now = 1'800'000'000'000;
    TokenResponse r;
    r.access.value = QStringLiteral("a2o1msDxQlL1Ej7YRJF5zmYsL_A");
    r.access.scopes = ScopeSet::parse(scopes);
    r.access.issuedAtMs = now;
    r.access.expiresAtMs = now + kAccessS * 1000;
    if (withRefresh) {
        IssuedToken refresh;
        refresh.kind = IssuedToken::Kind::Refresh;
        refresh.value = QStringLiteral("Rrrrrrrrrrrrrrrrrrrrrrrrrr_");
        refresh.expiresAtMs = now + kRefreshS * 1000;
        r.refresh = refresh;
    }
    QCOMPARE(r.toJson(now + elapsedMs), expected);
}

void tst_TokenServices::tokenResponseJsonWithIdToken()
{
    // The id_token goes just before expires_in; every other byte stays the legacy serializer's.
    const qint64 now = 1'800'000'000'000;
    TokenResponse r;
    r.access.value = QStringLiteral("a2o1msDxQlL1Ej7YRJF5zmYsL_A");
    r.access.scopes = ScopeSet::parse(u"openid read");
    r.access.expiresAtMs = now + kAccessS * 1000;
    IssuedToken refresh;
    refresh.value = QStringLiteral("Rrrrrrrrrrrrrrrrrrrrrrrrrr_");
    r.refresh = refresh;
    r.idToken = QStringLiteral("aGVhZGVy.cGF5bG9hZA.c2ln");
    QCOMPARE(r.toJson(now),
             QByteArray(R"({"access_token":"a2o1msDxQlL1Ej7YRJF5zmYsL_A","token_type":"bearer",)"
                        R"("refresh_token":"Rrrrrrrrrrrrrrrrrrrrrrrrrr_","id_token":"aGVhZGVy.cGF5bG9hZA.c2ln",)"
                        R"("expires_in":43199,"scope":"openid read"})"));
}

void tst_TokenServices::idTokenNeedsASigningKey()
{
    Fixture f; // no signing key
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);
    const Authorization openid = makeAuthorization(QStringLiteral("messaging-client"), QStringLiteral("openid read"));
    const Result<TokenResponse> refused =
        f.services.createAccessToken(makeClient(), openid, RefreshTokens::IfClientAllows, IdTokens::IfOpenIdScope);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code(), ErrorCode::ServerError);
    QCOMPARE(refused.error().debugDetail(), QStringLiteral("no signing key for the id_token"));
    QCOMPARE(issued.count(), 0); // checked before anything was issued
    QCOMPARE(f.store.accessCount(), 0);

    // Without an id_token to sign no key is needed.
    const Result<TokenResponse> opaque = f.services.createAccessToken(makeClient(), openid);
    QVERIFY(opaque);
    QVERIFY(!opaque->idToken);

    // With a key: the id_token, also for the live token reused.
    f.keys.adopt(oauthsim::test::TestServer::signingKey(), 0);
    const Result<TokenResponse> signedIn =
        f.services.createAccessToken(makeClient(), openid, RefreshTokens::IfClientAllows, IdTokens::IfOpenIdScope);
    QVERIFY(signedIn);
    QCOMPARE(signedIn->access.value, opaque->access.value);
    QVERIFY(signedIn->idToken.has_value());
    QCOMPARE(signedIn->idToken->count(QLatin1Char('.')), 2);
}

void tst_TokenServices::profileFormats()
{
    // Spring Authorization Server: JWT access tokens by default and 96-byte opaque refresh tokens (128 characters).
    Fixture f;
    f.settings.profile = ProfileId::SpringAuthorizationServer;
    const Result<TokenResponse> noKey = f.services.createAccessToken(makeClient(), makeAuthorization());
    QVERIFY(!noKey);
    QCOMPARE(noKey.error().debugDetail(), QStringLiteral("no signing key for the JWT access token"));
    QCOMPARE(f.store.refreshCount(), 0);

    f.keys.adopt(oauthsim::test::TestServer::signingKey(), 0);
    const Result<TokenResponse> r = f.services.createAccessToken(makeClient(), makeAuthorization());
    QVERIFY(r);
    QCOMPARE(r->access.value.count(QLatin1Char('.')), 2);
    QCOMPARE(r->refresh->value.size(), 128);
    QVERIFY(f.store.findAccess(r->access.value));

    // A client may ask for opaque tokens there: the profile's 128-character values.
    Client opaque = makeClient(QStringLiteral("opaque-client"));
    opaque.accessTokenFormat = AccessTokenFormat::Opaque;
    const Result<TokenResponse> o =
        f.services.createAccessToken(opaque, makeAuthorization(QStringLiteral("opaque-client")));
    QVERIFY(o);
    QCOMPARE(o->access.value.size(), 128);
    QVERIFY(!o->access.value.contains(QLatin1Char('.')));
}

void tst_TokenServices::liveReuse_data()
{
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<qint64>("expiresIn");

    QTest::newRow("same instant") << qint64(0) << qint64(43199);
    QTest::newRow("1 s later") << qint64(1000) << qint64(43198);
    QTest::newRow("100 s later") << qint64(100'000) << qint64(43099);
    QTest::newRow("100.5 s later") << qint64(100'500) << qint64(43099);
    QTest::newRow("1 ms before expiry") << kAccessS * 1000 - 1 << qint64(0);
}

void tst_TokenServices::liveReuse()
{
    QFETCH(qint64, elapsedMs);
    QFETCH(qint64, expiresIn);

    Fixture f;
    const Client client = makeClient();
    const TokenResponse first = f.services.createAccessToken(client, makeAuthorization()).value();
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);
    QSignalSpy revoked(&f.store, &TokenStore::tokenRevoked);

    f.clock.advanceMs(elapsedMs);
    // Same user, client and scopes (requested in another order).
    const TokenResponse second =
        f.services.createAccessToken(client, makeAuthorization(client.id, QStringLiteral("write read"))).value();
    QCOMPARE(second.access.value, first.access.value);
    QVERIFY(second.refresh.has_value());
    QCOMPARE(second.refresh->value, first.refresh->value);
    QCOMPARE(second.access.expiresAtMs, first.access.expiresAtMs);
    QCOMPARE(issued.count(), 0);
    QCOMPARE(revoked.count(), 0);
    QCOMPARE(f.store.accessCount(), 1);
    QCOMPARE(f.store.refreshCount(), 1);
    QCOMPARE(second.toJson(f.clock.nowMs()),
             expectedJson(first.access.value, first.refresh->value, expiresIn, QStringLiteral("read write")));
}

void tst_TokenServices::liveReuseIsPerAuthorization()
{
    Fixture f;
    const Client client = makeClient();
    const TokenResponse first = f.services.createAccessToken(client, makeAuthorization()).value();
    // Other scopes: another authorization, new tokens.
    const TokenResponse narrower =
        f.services.createAccessToken(client, makeAuthorization(client.id, QStringLiteral("read"))).value();
    QVERIFY(narrower.access.value != first.access.value);
    // Other user.
    Authorization admin = makeAuthorization();
    admin.username = QStringLiteral("admin");
    const TokenResponse other = f.services.createAccessToken(client, admin).value();
    QVERIFY(other.access.value != first.access.value);
    QVERIFY(other.access.value != narrower.access.value);
    QCOMPARE(f.store.accessCount(), 3);
    // The first is still the live token for its authorization.
    QCOMPARE(f.services.createAccessToken(client, makeAuthorization()).value().access.value, first.access.value);
}

void tst_TokenServices::noReuseWhenDisabled()
{
    Fixture f;
    f.settings.reuseLiveTokens = false;
    const Client client = makeClient();
    const TokenResponse first = f.services.createAccessToken(client, makeAuthorization()).value();
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);

    f.clock.advanceSeconds(10);
    const TokenResponse second = f.services.createAccessToken(client, makeAuthorization()).value();
    QVERIFY2(isOpaqueToken(second.access.value), qPrintable(second.access.value));
    QVERIFY(second.access.value != first.access.value);
    QVERIFY(second.refresh.has_value());
    QVERIFY(second.refresh->value != first.refresh->value);
    QCOMPARE(issued.count(), 2);
    QCOMPARE(second.toJson(f.clock.nowMs()),
             expectedJson(second.access.value, second.refresh->value, 43199, QStringLiteral("read write")));
    QCOMPARE(
        f.store
            .accessFor(TokenStore::authorizationKey(client.id, QStringLiteral("user"), ScopeSet::parse(u"read write")))
            ->value,
        second.access.value);
}

void tst_TokenServices::expiredAccessKeepsLiveRefresh()
{
    Fixture f;
    const Client client = makeClient();
    const TokenResponse first = f.services.createAccessToken(client, makeAuthorization()).value();
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);
    QSignalSpy revoked(&f.store, &TokenStore::tokenRevoked);

    f.clock.advanceSeconds(kAccessS); // exactly at the access token's expiry
    const TokenResponse second = f.services.createAccessToken(client, makeAuthorization()).value();
    QVERIFY(second.access.value != first.access.value);
    QVERIFY2(isOpaqueToken(second.access.value), qPrintable(second.access.value));
    QVERIFY(second.refresh.has_value());
    QCOMPARE(second.refresh->value, first.refresh->value);
    QCOMPARE(second.refresh->expiresAtMs, first.refresh->expiresAtMs); // original expiry kept
    QCOMPARE(second.access.refreshToken, first.refresh->value);
    QCOMPARE(second.access.expiresAtMs, f.clock.nowMs() + kAccessS * 1000);

    QCOMPARE(issued.count(), 1);
    QCOMPARE(issued.at(0).at(0).value<IssuedToken>().value, second.access.value);
    QCOMPARE(revoked.count(), 1);
    QCOMPARE(revoked.at(0).at(0).value<IssuedToken>().value, first.access.value);
    QCOMPARE(f.store.findAccess(first.access.value), nullptr);
    QCOMPARE(f.store.accessForRefresh(first.refresh->value)->value, second.access.value);
    QCOMPARE(second.toJson(f.clock.nowMs()),
             expectedJson(second.access.value, first.refresh->value, 43199, QStringLiteral("read write")));
}

void tst_TokenServices::expiredAccessAndRefreshIssuesBoth()
{
    Fixture f;
    Client client = makeClient();
    client.accessTokenLifetime = 100;
    client.refreshTokenLifetime = 50; // the refresh token dies first
    const TokenResponse first = f.services.createAccessToken(client, makeAuthorization()).value();

    f.clock.advanceSeconds(100);
    QSignalSpy revoked(&f.store, &TokenStore::tokenRevoked);
    const TokenResponse second = f.services.createAccessToken(client, makeAuthorization()).value();
    QVERIFY(second.access.value != first.access.value);
    QVERIFY(second.refresh.has_value());
    QVERIFY(second.refresh->value != first.refresh->value);
    QCOMPARE(f.store.findAccess(first.access.value), nullptr);
    QCOMPARE(f.store.findRefresh(first.refresh->value), nullptr);
    QCOMPARE(revoked.count(), 2);
    QCOMPARE(f.store.accessCount(), 1);
    QCOMPARE(f.store.refreshCount(), 1);
}

void tst_TokenServices::refresh()
{
    Fixture f;
    const Client client = makeClient();
    const TokenResponse first = f.services.createAccessToken(client, makeAuthorization()).value();
    QSignalSpy issued(&f.store, &TokenStore::tokenIssued);
    QSignalSpy revoked(&f.store, &TokenStore::tokenRevoked);

    f.clock.advanceSeconds(600);
    const QString expectedAccess = [&] {
        f.nextValues(2); // the two values createAccessToken drew
        return f.predictor.opaqueToken();
    }();
    const Result<TokenResponse> r = f.services.refreshAccessToken(client, first.refresh->value, std::nullopt);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().description()));
    QCOMPARE(r->access.value, expectedAccess);
    QVERIFY(r->access.value != first.access.value);
    QVERIFY(r->refresh.has_value());
    QCOMPARE(r->refresh->value, first.refresh->value);
    QCOMPARE(r->refresh->expiresAtMs, first.refresh->expiresAtMs); // reuseRefreshToken: original expiry
    QCOMPARE(r->access.refreshToken, first.refresh->value);
    QCOMPARE(r->access.scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(r->access.username, QStringLiteral("user"));
    QCOMPARE(r->access.expiresAtMs, f.clock.nowMs() + kAccessS * 1000);

    QCOMPARE(revoked.count(), 1);
    QCOMPARE(revoked.at(0).at(0).value<IssuedToken>().value, first.access.value);
    QCOMPARE(issued.count(), 1);
    QCOMPARE(issued.at(0).at(0).value<IssuedToken>().value, r->access.value);
    QCOMPARE(f.store.findAccess(first.access.value), nullptr);
    QVERIFY(f.store.findAccess(r->access.value));
    QCOMPARE(f.store.accessForRefresh(first.refresh->value)->value, r->access.value);
    QCOMPARE(f.store.accessCount(), 1);
    QCOMPARE(f.store.refreshCount(), 1);
    QCOMPARE(r->toJson(f.clock.nowMs()),
             expectedJson(r->access.value, first.refresh->value, 43199, QStringLiteral("read write")));

    // And again: the same refresh token keeps working.
    f.clock.advanceSeconds(600);
    const Result<TokenResponse> again = f.services.refreshAccessToken(client, first.refresh->value, std::nullopt);
    QVERIFY(again.ok());
    QCOMPARE(again->refresh->value, first.refresh->value);
    QVERIFY(again->access.value != r->access.value);
    QCOMPARE(f.store.findAccess(r->access.value), nullptr);
}

void tst_TokenServices::refreshErrors_data()
{
    QTest::addColumn<QString>("which"); // "known" = the issued refresh token, else this literal value
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<qint64>("elapsedS");
    QTest::addColumn<QString>("scope"); // "<none>" = no scope parameter
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("description"); // %1 = the refresh token value
    QTest::addColumn<QString>("extraScope");  // expected "scope" extra, or empty

    const QString mc = QStringLiteral("messaging-client");
    QTest::newRow("unknown") << QStringLiteral("nope") << mc << qint64(0) << QStringLiteral("<none>")
                             << QByteArray("invalid_grant") << 400 << QStringLiteral("Invalid refresh token: %1")
                             << QString();
    QTest::newRow("an access token is not a refresh token")
        << QStringLiteral("access") << mc << qint64(0) << QStringLiteral("<none>") << QByteArray("invalid_grant") << 400
        << QStringLiteral("Invalid refresh token: %1") << QString();
    QTest::newRow("other client") << QStringLiteral("known") << QStringLiteral("other-client") << qint64(0)
                                  << QStringLiteral("<none>") << QByteArray("invalid_grant") << 400
                                  << QStringLiteral("Wrong client for this refresh token: %1") << QString();
    QTest::newRow("expired exactly at expiry")
        << QStringLiteral("known") << mc << kRefreshS << QStringLiteral("<none>") << QByteArray("invalid_token") << 401
        << QStringLiteral("Invalid refresh token (expired): %1") << QString();
    QTest::newRow("expired later") << QStringLiteral("known") << mc << kRefreshS + 3600 << QStringLiteral("<none>")
                                   << QByteArray("invalid_token") << 401
                                   << QStringLiteral("Invalid refresh token (expired): %1") << QString();
    QTest::newRow("widening") << QStringLiteral("known") << mc << qint64(0) << QStringLiteral("read write admin")
                              << QByteArray("invalid_scope") << 400
                              << QStringLiteral(
                                     "Unable to narrow the scope of the client authentication to [admin, read, write].")
                              << QStringLiteral("read write");
    QTest::newRow("disjoint scope") << QStringLiteral("known") << mc << qint64(0) << QStringLiteral("admin")
                                    << QByteArray("invalid_scope") << 400
                                    << QStringLiteral(
                                           "Unable to narrow the scope of the client authentication to [admin].")
                                    << QStringLiteral("read write");
}

void tst_TokenServices::refreshErrors()
{
    QFETCH(QString, which);
    QFETCH(QString, clientId);
    QFETCH(qint64, elapsedS);
    QFETCH(QString, scope);
    QFETCH(QByteArray, code);
    QFETCH(int, status);
    QFETCH(QString, description);
    QFETCH(QString, extraScope);

    Fixture f;
    const TokenResponse issued = f.services.createAccessToken(makeClient(), makeAuthorization()).value();
    const QString value = which == QLatin1String("known")    ? issued.refresh->value
                          : which == QLatin1String("access") ? issued.access.value
                                                             : which;
    f.clock.advanceSeconds(elapsedS);
    const std::optional<ScopeSet> scopeParam =
        scope == QLatin1String("<none>") ? std::nullopt : std::optional<ScopeSet>(ScopeSet::parse(scope));
    QSignalSpy issuedSpy(&f.store, &TokenStore::tokenIssued);

    const Result<TokenResponse> r = f.services.refreshAccessToken(makeClient(clientId), value, scopeParam);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().codeName(), code);
    QCOMPARE(r.error().httpStatus(), status);
    QCOMPARE(r.error().description(), description.contains(QLatin1String("%1")) ? description.arg(value) : description);
    QStringList extras;
    for (const auto &[k, v] : r.error().extra())
        extras << k + QLatin1Char('=') + v;
    QCOMPARE(extras.join(u'|'), extraScope.isEmpty() ? QString() : QStringLiteral("scope=") + extraScope);
    if (status == 401) // Spring's translator: every 401 carries a Bearer challenge
        QCOMPARE(r.error().challenge(), AuthChallenge::Bearer);
    QCOMPARE(issuedSpy.count(), 0);
}

void tst_TokenServices::refreshExpiredRemovesRefreshToken()
{
    Fixture f;
    const Client client = makeClient();
    const TokenResponse issued = f.services.createAccessToken(client, makeAuthorization()).value();
    f.clock.advanceSeconds(kRefreshS);
    QSignalSpy revoked(&f.store, &TokenStore::tokenRevoked);

    const Result<TokenResponse> r = f.services.refreshAccessToken(client, issued.refresh->value, std::nullopt);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().description(), QStringLiteral("Invalid refresh token (expired): ") + issued.refresh->value);
    QCOMPARE(f.store.findRefresh(issued.refresh->value), nullptr);
    QCOMPARE(f.store.findAccess(issued.access.value), nullptr);
    QCOMPARE(revoked.count(), 2);

    // Now it is simply unknown.
    const Result<TokenResponse> again = f.services.refreshAccessToken(client, issued.refresh->value, std::nullopt);
    QVERIFY(!again.ok());
    QCOMPARE(again.error().codeName(), QByteArray("invalid_grant"));
    QCOMPARE(again.error().description(), QStringLiteral("Invalid refresh token: ") + issued.refresh->value);
}

void tst_TokenServices::wrongClientLeavesTokensAlone()
{
    Fixture f;
    const TokenResponse issued = f.services.createAccessToken(makeClient(), makeAuthorization()).value();
    QSignalSpy revoked(&f.store, &TokenStore::tokenRevoked);
    const Result<TokenResponse> r =
        f.services.refreshAccessToken(makeClient(QStringLiteral("other-client")), issued.refresh->value, std::nullopt);
    QVERIFY(!r.ok());
    QCOMPARE(revoked.count(), 0);
    QVERIFY(f.store.findAccess(issued.access.value));
    QVERIFY(f.store.findRefresh(issued.refresh->value));
}

void tst_TokenServices::refreshNarrowing()
{
    Fixture f;
    const Client client = makeClient();
    const TokenResponse issued = f.services.createAccessToken(client, makeAuthorization()).value();

    const Result<TokenResponse> narrowed =
        f.services.refreshAccessToken(client, issued.refresh->value, ScopeSet::parse(u"read"));
    QVERIFY2(narrowed.ok(), narrowed.ok() ? "" : qPrintable(narrowed.error().description()));
    QCOMPARE(narrowed->access.scopes.joined(), QStringLiteral("read"));
    QCOMPARE(narrowed->refresh->value, issued.refresh->value);
    QCOMPARE(narrowed->refresh->scopes.joined(), QStringLiteral("read write")); // the refresh token keeps its scope
    QCOMPARE(narrowed->toJson(f.clock.nowMs()),
             expectedJson(narrowed->access.value, issued.refresh->value, 43199, QStringLiteral("read")));

    // The same scopes are not a widening.
    const Result<TokenResponse> same =
        f.services.refreshAccessToken(client, issued.refresh->value, ScopeSet::parse(u"write read"));
    QVERIFY(same.ok());
    QCOMPARE(same->access.scopes.joined(), QStringLiteral("read write"));

    // An empty scope parameter means "as before".
    const Result<TokenResponse> empty = f.services.refreshAccessToken(client, issued.refresh->value, ScopeSet());
    QVERIFY(empty.ok());
    QCOMPARE(empty->access.scopes.joined(), QStringLiteral("read write"));

    // Without a scope parameter, the refresh token's full scope again.
    const Result<TokenResponse> full = f.services.refreshAccessToken(client, issued.refresh->value, std::nullopt);
    QVERIFY(full.ok());
    QCOMPARE(full->access.scopes.joined(), QStringLiteral("read write"));
}

void tst_TokenServices::perClientLifetime()
{
    Fixture f;
    Client client = makeClient();
    client.accessTokenLifetime = 60;
    client.refreshTokenLifetime = 120;
    const qint64 now = f.clock.nowMs();

    const TokenResponse r = f.services.createAccessToken(client, makeAuthorization()).value();
    QCOMPARE(r.access.expiresAtMs, now + 60'000);
    QCOMPARE(r.refresh->expiresAtMs, now + 120'000);
    QCOMPARE(r.toJson(now), expectedJson(r.access.value, r.refresh->value, 59, QStringLiteral("read write")));

    // Another client on the same server keeps the defaults.
    const TokenResponse other = f.services
                                    .createAccessToken(makeClient(QStringLiteral("other-client")),
                                                       makeAuthorization(QStringLiteral("other-client")))
                                    .value();
    QCOMPARE(other.access.expiresAtMs, now + kAccessS * 1000);
    QCOMPARE(other.refresh->expiresAtMs, now + kRefreshS * 1000);

    // A refreshed access token gets the client's lifetime too; the refresh token keeps its original expiry.
    f.clock.advanceSeconds(30);
    const Result<TokenResponse> refreshed = f.services.refreshAccessToken(client, r.refresh->value, std::nullopt);
    QVERIFY(refreshed.ok());
    QCOMPARE(refreshed->access.expiresAtMs, f.clock.nowMs() + 60'000);
    QCOMPARE(refreshed->refresh->expiresAtMs, now + 120'000);
    QCOMPARE(refreshed->toJson(f.clock.nowMs()),
             expectedJson(refreshed->access.value, r.refresh->value, 59, QStringLiteral("read write")));

    // Server-wide settings apply when the client has no override.
    f.settings.accessTokenLifetime = 10;
    const TokenResponse fromSettings = f.services
                                           .createAccessToken(makeClient(QStringLiteral("third-client"), false),
                                                              makeAuthorization(QStringLiteral("third-client")))
                                           .value();
    QCOMPARE(fromSettings.toJson(f.clock.nowMs()),
             expectedJson(fromSettings.access.value, {}, 9, QStringLiteral("read write")));
}

QTEST_GUILESS_MAIN(tst_TokenServices)
#include "tst_tokenservices.moc"
