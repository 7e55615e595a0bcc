#include "store/TokenStore.h"

#include "FakeClock.h"

#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::FakeClock;

namespace {

constexpr qint64 kAccessMs = 43'200'000;
constexpr qint64 kRefreshMs = 2'592'000'000;

IssuedToken makeAccess(const FakeClock &clock, const QString &value, const QString &refresh = {},
                       const QString &code = {}, const QString &user = QStringLiteral("user"),
                       const QString &scopes = QStringLiteral("read write"))
{
    IssuedToken t;
    t.value = value;
    t.kind = IssuedToken::Kind::Access;
    t.clientId = QStringLiteral("messaging-client");
    t.username = user;
    t.scopes = ScopeSet::parse(scopes);
    t.issuedAtMs = clock.nowMs();
    t.expiresAtMs = clock.nowMs() + kAccessMs;
    t.refreshToken = refresh;
    t.grantCode = code;
    t.flowId = 3;
    return t;
}

IssuedToken makeRefresh(const FakeClock &clock, const QString &value, const QString &code = {},
                        const QString &user = QStringLiteral("user"))
{
    IssuedToken t = makeAccess(clock, value, {}, code, user);
    t.kind = IssuedToken::Kind::Refresh;
    t.expiresAtMs = clock.nowMs() + kRefreshMs;
    return t;
}

QString valueIn(const QSignalSpy &spy, int index)
{
    return spy.at(index).at(0).value<IssuedToken>().value;
}

QSet<QString> valuesIn(const QSignalSpy &spy)
{
    QSet<QString> out;
    for (int i = 0; i < spy.count(); ++i)
        out.insert(valueIn(spy, i));
    return out;
}

QString keyFor(const QString &user = QStringLiteral("user"), const QString &scopes = QStringLiteral("read write"))
{
    return TokenStore::authorizationKey(QStringLiteral("messaging-client"), user, ScopeSet::parse(scopes));
}

QString valueOf(const IssuedToken *t)
{
    return t ? t->value : QStringLiteral("<nullptr>");
}

} // namespace

class tst_TokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void authorizationKey();
    void storeEmitsTokenIssued();
    void find();
    void accessForKeyAndRefresh();
    void newerAccessForSameKeyWins();
    void revokeAccess();
    void revokeRefreshRevokesItsAccess();
    void revokeIssuedFromCode();
    void revokeIssuedFromCodeCount_data();
    void revokeIssuedFromCodeCount();
    void purgeExpired_data();
    void purgeExpired();
    void clear();
    void refreshReplacementsDoNotGrowIndexes();
};

void tst_TokenStore::initTestCase()
{
    qRegisterMetaType<IssuedToken>();
}

void tst_TokenStore::authorizationKey()
{
    // Sorted scopes: request order does not matter.
    QCOMPARE(keyFor(QStringLiteral("user"), QStringLiteral("write read")),
             keyFor(QStringLiteral("user"), QStringLiteral("read write")));
    QVERIFY(keyFor(QStringLiteral("user")) != keyFor(QStringLiteral("admin")));
    QVERIFY(keyFor(QStringLiteral("user"), QStringLiteral("read")) != keyFor(QStringLiteral("user")));
    QVERIFY(TokenStore::authorizationKey(QStringLiteral("a"), QStringLiteral("u"), ScopeSet::parse(u"read")) !=
            TokenStore::authorizationKey(QStringLiteral("b"), QStringLiteral("u"), ScopeSet::parse(u"read")));
    // Client-only tokens (no user) have their own key.
    QVERIFY(keyFor(QString()) != keyFor(QStringLiteral("user")));
}

void tst_TokenStore::storeEmitsTokenIssued()
{
    FakeClock clock;
    TokenStore store(clock);
    QSignalSpy issued(&store, &TokenStore::tokenIssued);
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);

    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1")));
    QCOMPARE(issued.count(), 1);
    const auto refresh = issued.at(0).at(0).value<IssuedToken>();
    QCOMPARE(refresh.value, QStringLiteral("R1"));
    QCOMPARE(refresh.kind, IssuedToken::Kind::Refresh);
    QCOMPARE(refresh.expiresAtMs, clock.nowMs() + kRefreshMs);

    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1")));
    QCOMPARE(issued.count(), 2);
    const auto access = issued.at(1).at(0).value<IssuedToken>();
    QCOMPARE(access.value, QStringLiteral("A1"));
    QCOMPARE(access.kind, IssuedToken::Kind::Access);
    QCOMPARE(access.refreshToken, QStringLiteral("R1"));
    QCOMPARE(access.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(access.username, QStringLiteral("user"));
    QCOMPARE(access.scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(access.flowId, quint64(3));

    QCOMPARE(revoked.count(), 0);
    QCOMPARE(store.accessCount(), 1);
    QCOMPARE(store.refreshCount(), 1);
    QCOMPARE(store.all().size(), 2);
}

void tst_TokenStore::find()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1")));

    QCOMPARE(valueOf(store.findAccess(QStringLiteral("A1"))), QStringLiteral("A1"));
    QCOMPARE(store.findAccess(QStringLiteral("A1"))->kind, IssuedToken::Kind::Access);
    QCOMPARE(valueOf(store.findRefresh(QStringLiteral("R1"))), QStringLiteral("R1"));
    QCOMPARE(store.findRefresh(QStringLiteral("R1"))->kind, IssuedToken::Kind::Refresh);
    // Access and refresh tokens are separate namespaces.
    QCOMPARE(store.findAccess(QStringLiteral("R1")), nullptr);
    QCOMPARE(store.findRefresh(QStringLiteral("A1")), nullptr);
    QCOMPARE(store.findAccess(QStringLiteral("a1")), nullptr);
    QCOMPARE(store.findAccess(QString()), nullptr);
    QCOMPARE(store.findRefresh(QString()), nullptr);

    // Expired tokens are still found (callers decide).
    clock.advanceMs(kAccessMs);
    QCOMPARE(valueOf(store.findAccess(QStringLiteral("A1"))), QStringLiteral("A1"));
    QVERIFY(store.findAccess(QStringLiteral("A1"))->isExpired(clock.nowMs()));
}

void tst_TokenStore::accessForKeyAndRefresh()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A2"), {}, {}, QStringLiteral("admin"), QStringLiteral("read")));

    QCOMPARE(valueOf(store.accessFor(keyFor())), QStringLiteral("A1"));
    QCOMPARE(valueOf(store.accessFor(keyFor(QStringLiteral("user"), QStringLiteral("write read")))),
             QStringLiteral("A1"));
    QCOMPARE(valueOf(store.accessFor(keyFor(QStringLiteral("admin"), QStringLiteral("read")))), QStringLiteral("A2"));
    QCOMPARE(store.accessFor(keyFor(QStringLiteral("user"), QStringLiteral("read"))), nullptr);
    QCOMPARE(store.accessFor(keyFor(QStringLiteral("nobody"))), nullptr);

    QCOMPARE(valueOf(store.accessForRefresh(QStringLiteral("R1"))), QStringLiteral("A1"));
    QCOMPARE(store.accessForRefresh(QStringLiteral("A1")), nullptr);
    QCOMPARE(store.accessForRefresh(QStringLiteral("nope")), nullptr);
    QCOMPARE(store.accessForRefresh(QString()), nullptr);
}

void tst_TokenStore::newerAccessForSameKeyWins()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A2"), QStringLiteral("R1")));
    QCOMPARE(valueOf(store.accessFor(keyFor())), QStringLiteral("A2"));
    QCOMPARE(valueOf(store.accessForRefresh(QStringLiteral("R1"))), QStringLiteral("A2"));

    // Revoking the superseded token must not drop the current one from the indexes.
    QVERIFY(store.revokeAccess(QStringLiteral("A1")));
    QCOMPARE(valueOf(store.accessFor(keyFor())), QStringLiteral("A2"));
    QCOMPARE(valueOf(store.accessForRefresh(QStringLiteral("R1"))), QStringLiteral("A2"));
}

void tst_TokenStore::revokeAccess()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1")));
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);

    QVERIFY(!store.revokeAccess(QStringLiteral("nope")));
    QVERIFY(!store.revokeAccess(QStringLiteral("R1"))); // a refresh token is not an access token
    QCOMPARE(revoked.count(), 0);

    QVERIFY(store.revokeAccess(QStringLiteral("A1")));
    QCOMPARE(revoked.count(), 1);
    QCOMPARE(valueIn(revoked, 0), QStringLiteral("A1"));
    QCOMPARE(revoked.at(0).at(0).value<IssuedToken>().kind, IssuedToken::Kind::Access);
    QCOMPARE(store.findAccess(QStringLiteral("A1")), nullptr);
    QCOMPARE(store.accessFor(keyFor()), nullptr);
    QCOMPARE(store.accessForRefresh(QStringLiteral("R1")), nullptr);
    // The refresh token lives on.
    QCOMPARE(valueOf(store.findRefresh(QStringLiteral("R1"))), QStringLiteral("R1"));

    QVERIFY(!store.revokeAccess(QStringLiteral("A1")));
    QCOMPARE(revoked.count(), 1);
}

void tst_TokenStore::revokeRefreshRevokesItsAccess()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1")));
    // Another user's pair is untouched.
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R2"), {}, QStringLiteral("admin")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A2"), QStringLiteral("R2"), {}, QStringLiteral("admin")));
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);

    QVERIFY(!store.revokeRefresh(QStringLiteral("A1"))); // an access token is not a refresh token
    QVERIFY(!store.revokeRefresh(QStringLiteral("nope")));
    QCOMPARE(revoked.count(), 0);

    QVERIFY(store.revokeRefresh(QStringLiteral("R1")));
    QCOMPARE(revoked.count(), 2);
    QCOMPARE(valuesIn(revoked), (QSet<QString>{QStringLiteral("A1"), QStringLiteral("R1")}));
    QCOMPARE(store.findRefresh(QStringLiteral("R1")), nullptr);
    QCOMPARE(store.findAccess(QStringLiteral("A1")), nullptr);
    QCOMPARE(store.accessFor(keyFor()), nullptr);
    QCOMPARE(store.accessForRefresh(QStringLiteral("R1")), nullptr);

    QCOMPARE(valueOf(store.findAccess(QStringLiteral("A2"))), QStringLiteral("A2"));
    QCOMPARE(valueOf(store.findRefresh(QStringLiteral("R2"))), QStringLiteral("R2"));
    QCOMPARE(valueOf(store.accessForRefresh(QStringLiteral("R2"))), QStringLiteral("A2"));
    QCOMPARE(store.accessCount(), 1);
    QCOMPARE(store.refreshCount(), 1);

    // A refresh token without a current access token: one signal.
    store.revokeAccess(QStringLiteral("A2"));
    revoked.clear();
    QVERIFY(store.revokeRefresh(QStringLiteral("R2")));
    QCOMPARE(revoked.count(), 1);
    QCOMPARE(valueIn(revoked, 0), QStringLiteral("R2"));
    QCOMPARE(store.all().size(), 0);
}

void tst_TokenStore::revokeIssuedFromCode()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1"), QStringLiteral("CODE01")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1"), QStringLiteral("CODE01")));
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R2"), QStringLiteral("CODE02"), QStringLiteral("admin")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A2"), QStringLiteral("R2"), QStringLiteral("CODE02"),
                                 QStringLiteral("admin")));
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);

    QCOMPARE(store.revokeIssuedFromCode(QStringLiteral("NOCODE")), 0);
    QCOMPARE(store.revokeIssuedFromCode(QString()), 0);
    QCOMPARE(revoked.count(), 0);

    const int first = store.revokeIssuedFromCode(QStringLiteral("CODE01"));
    QCOMPARE(revoked.count(), 2);
    QCOMPARE(valuesIn(revoked), (QSet<QString>{QStringLiteral("A1"), QStringLiteral("R1")}));
    QCOMPARE(store.findAccess(QStringLiteral("A1")), nullptr);
    QCOMPARE(store.findRefresh(QStringLiteral("R1")), nullptr);
    QCOMPARE(store.accessFor(keyFor()), nullptr);
    QCOMPARE(valueOf(store.findAccess(QStringLiteral("A2"))), QStringLiteral("A2"));
    QCOMPARE(valueOf(store.findRefresh(QStringLiteral("R2"))), QStringLiteral("R2"));

    // Again: nothing left for that code.
    QCOMPARE(store.revokeIssuedFromCode(QStringLiteral("CODE01")), 0);
    QCOMPARE(revoked.count(), 2);

    // An access token refreshed later from the same grant is revoked too.
    store.revokeAccess(QStringLiteral("A2"));
    store.storeAccess(makeAccess(clock, QStringLiteral("A3"), QStringLiteral("R2"), QStringLiteral("CODE02"),
                                 QStringLiteral("admin")));
    revoked.clear();
    store.revokeIssuedFromCode(QStringLiteral("CODE02"));
    QCOMPARE(valuesIn(revoked), (QSet<QString>{QStringLiteral("A3"), QStringLiteral("R2")}));
    QCOMPARE(store.all().size(), 0);

    // The count is the number of tokens removed (one tokenRevoked each).
    QCOMPARE(first, 2);
}

void tst_TokenStore::revokeIssuedFromCodeCount_data()
{
    QTest::addColumn<bool>("refreshStoredFirst");
    // TokenServices stores the refresh token first, then the access token.
    QTest::newRow("refresh stored first") << true;
    QTest::newRow("access stored first") << false;
}

void tst_TokenStore::revokeIssuedFromCodeCount()
{
    QFETCH(bool, refreshStoredFirst);
    FakeClock clock;
    TokenStore store(clock);
    const IssuedToken refresh = makeRefresh(clock, QStringLiteral("R1"), QStringLiteral("CODE01"));
    const IssuedToken access = makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1"), QStringLiteral("CODE01"));
    if (refreshStoredFirst) {
        store.storeRefresh(refresh);
        store.storeAccess(access);
    } else {
        store.storeAccess(access);
        store.storeRefresh(refresh);
    }
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);
    const int count = store.revokeIssuedFromCode(QStringLiteral("CODE01"));
    QCOMPARE(revoked.count(), 2);
    // Same two tokens removed whatever the storage order, so the same count.
    QCOMPARE(count, revoked.count());
}

void tst_TokenStore::purgeExpired_data()
{
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<int>("removed");
    QTest::addColumn<bool>("accessLeft");
    QTest::addColumn<bool>("refreshLeft");

    QTest::newRow("fresh") << qint64(0) << 0 << true << true;
    QTest::newRow("1 ms before access expiry") << kAccessMs - 1 << 0 << true << true;
    QTest::newRow("at access expiry") << kAccessMs << 1 << false << true;
    QTest::newRow("1 ms before refresh expiry") << kRefreshMs - 1 << 1 << false << true;
    QTest::newRow("at refresh expiry") << kRefreshMs << 2 << false << false;
}

void tst_TokenStore::purgeExpired()
{
    QFETCH(qint64, elapsedMs);
    QFETCH(int, removed);
    QFETCH(bool, accessLeft);
    QFETCH(bool, refreshLeft);

    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1"), QStringLiteral("CODE01")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1"), QStringLiteral("CODE01")));
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);

    clock.advanceMs(elapsedMs);
    QCOMPARE(store.purgeExpired(), removed);
    QCOMPARE(revoked.count(), 0); // silently
    QCOMPARE(store.findAccess(QStringLiteral("A1")) != nullptr, accessLeft);
    QCOMPARE(store.findRefresh(QStringLiteral("R1")) != nullptr, refreshLeft);
    QCOMPARE(store.accessFor(keyFor()) != nullptr, accessLeft);
    QCOMPARE(store.accessForRefresh(QStringLiteral("R1")) != nullptr, accessLeft);
    QCOMPARE(store.accessCount(), accessLeft ? 1 : 0);
    QCOMPARE(store.refreshCount(), refreshLeft ? 1 : 0);
    QCOMPARE(store.purgeExpired(), 0);
    // The purged tokens are gone from the code index too: revoking by code finds only what is left.
    store.revokeIssuedFromCode(QStringLiteral("CODE01"));
    QCOMPARE(revoked.count(), int(accessLeft) + int(refreshLeft));
    QCOMPARE(store.all().size(), 0);
}

void tst_TokenStore::clear()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1"), QStringLiteral("CODE01")));
    store.storeAccess(makeAccess(clock, QStringLiteral("A1"), QStringLiteral("R1"), QStringLiteral("CODE01")));
    store.clear();
    QCOMPARE(store.accessCount(), 0);
    QCOMPARE(store.refreshCount(), 0);
    QCOMPARE(store.accessFor(keyFor()), nullptr);
    QCOMPARE(store.accessForRefresh(QStringLiteral("R1")), nullptr);
    QCOMPARE(store.revokeIssuedFromCode(QStringLiteral("CODE01")), 0);
}

void tst_TokenStore::refreshReplacementsDoNotGrowIndexes()
{
    FakeClock clock;
    TokenStore store(clock);
    store.storeRefresh(makeRefresh(clock, QStringLiteral("R1"), QStringLiteral("CODE01")));
    QString current = QStringLiteral("A0");
    store.storeAccess(makeAccess(clock, current, QStringLiteral("R1"), QStringLiteral("CODE01")));
    QSignalSpy issued(&store, &TokenStore::tokenIssued);
    QSignalSpy revoked(&store, &TokenStore::tokenRevoked);

    constexpr int kRounds = 10'000;
    for (int i = 1; i <= kRounds; ++i) {
        // What a refresh does: the old access token goes, a new one is issued with the same refresh token.
        clock.advanceSeconds(1);
        QVERIFY(store.revokeAccess(current));
        current = QStringLiteral("A%1").arg(i);
        store.storeAccess(makeAccess(clock, current, QStringLiteral("R1"), QStringLiteral("CODE01")));
        if (store.accessCount() != 1)
            QFAIL(qPrintable(QStringLiteral("accessCount %1 after round %2").arg(store.accessCount()).arg(i)));
    }
    QCOMPARE(issued.count(), kRounds);
    QCOMPARE(revoked.count(), kRounds);
    QCOMPARE(store.accessCount(), 1);
    QCOMPARE(store.refreshCount(), 1);
    QCOMPARE(store.all().size(), 2);
    QCOMPARE(valueOf(store.accessFor(keyFor())), QStringLiteral("A10000"));
    QCOMPARE(valueOf(store.accessForRefresh(QStringLiteral("R1"))), QStringLiteral("A10000"));

    // The code index holds only the live pair: revoking by code finds exactly two tokens.
    revoked.clear();
    store.revokeIssuedFromCode(QStringLiteral("CODE01"));
    QCOMPARE(revoked.count(), 2);
    QCOMPARE(valuesIn(revoked), (QSet<QString>{QStringLiteral("A10000"), QStringLiteral("R1")}));
    QCOMPARE(store.all().size(), 0);
}

QTEST_GUILESS_MAIN(tst_TokenStore)
#include "tst_tokenstore.moc"
