#include "store/CodeStore.h"

#include "FakeClock.h"

#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::FakeClock;

Q_DECLARE_METATYPE(oauthsim::CodeStore::Outcome)

namespace {

constexpr qint64 kLifetimeMs = 300'000; // the default code lifetime, 300 s

AuthorizationCode makeCode(const QString &value, const FakeClock &clock, qint64 lifetimeMs = kLifetimeMs)
{
    AuthorizationCode code;
    code.code = value;
    code.clientId = QStringLiteral("messaging-client");
    code.username = QStringLiteral("user");
    code.scopes = ScopeSet::parse(u"read write");
    code.redirectUri = QStringLiteral("http://localhost");
    code.redirectUriSent = true;
    code.state = QStringLiteral("xyz");
    code.issuedAtMs = clock.nowMs();
    code.expiresAtMs = lifetimeMs == 0 ? 0 : clock.nowMs() + lifetimeMs;
    code.flowId = 7;
    return code;
}

// The code carried by a signal's first argument.
QString codeIn(const QSignalSpy &spy, int index = 0)
{
    return spy.at(index).at(0).value<AuthorizationCode>().code;
}

const char *outcomeName(CodeStore::Outcome o)
{
    switch (o) {
    case CodeStore::Outcome::Consumed:
        return "Consumed";
    case CodeStore::Outcome::Unknown:
        return "Unknown";
    case CodeStore::Outcome::Expired:
        return "Expired";
    case CodeStore::Outcome::Replayed:
        return "Replayed";
    }
    return "?";
}

} // namespace

class tst_CodeStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void issueEmits();
    void consumeThenReplay();
    void unknown();
    void expiry_data();
    void expiry();
    void zeroNeverExpires();
    void purgeExpiredPending();
    void purgeKeepsFreshTombstone();
    void purgeRemovesOldTombstone();
    void contains();
};

void tst_CodeStore::initTestCase()
{
    qRegisterMetaType<AuthorizationCode>();
}

void tst_CodeStore::issueEmits()
{
    FakeClock clock;
    CodeStore store(clock);
    QSignalSpy issued(&store, &CodeStore::codeIssued);

    store.issue(makeCode(QStringLiteral("AbC-_1"), clock));
    QCOMPARE(issued.count(), 1);
    const auto code = issued.at(0).at(0).value<AuthorizationCode>();
    QCOMPARE(code.code, QStringLiteral("AbC-_1"));
    QCOMPARE(code.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(code.status, AuthorizationCode::Status::Pending);
    QCOMPARE(store.size(), 1);
    QCOMPARE(store.all().size(), 1);
    QCOMPARE(store.all().first().code, QStringLiteral("AbC-_1"));
}

void tst_CodeStore::consumeThenReplay()
{
    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("AbC123"), clock));
    QSignalSpy consumed(&store, &CodeStore::codeConsumed);
    QSignalSpy replayed(&store, &CodeStore::codeReplayed);
    QSignalSpy expired(&store, &CodeStore::codeExpired);

    clock.advanceSeconds(10);
    const CodeStore::Consumption first = store.consume(QStringLiteral("AbC123"));
    QCOMPARE(outcomeName(first.outcome), "Consumed");
    QCOMPARE(first.code.code, QStringLiteral("AbC123"));
    QCOMPARE(first.code.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(first.code.username, QStringLiteral("user"));
    QCOMPARE(first.code.scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(first.code.redirectUri, QStringLiteral("http://localhost"));
    QCOMPARE(first.code.state, std::optional<QString>(QStringLiteral("xyz")));
    QCOMPARE(first.code.flowId, quint64(7));
    QCOMPARE(first.code.status, AuthorizationCode::Status::Redeemed);
    QCOMPARE(consumed.count(), 1);
    QCOMPARE(codeIn(consumed), QStringLiteral("AbC123"));
    QCOMPARE(consumed.at(0).at(0).value<AuthorizationCode>().status, AuthorizationCode::Status::Redeemed);
    QCOMPARE(replayed.count(), 0);

    const CodeStore::Consumption second = store.consume(QStringLiteral("AbC123"));
    QCOMPARE(outcomeName(second.outcome), "Replayed");
    QCOMPARE(second.code.code, QStringLiteral("AbC123"));
    QCOMPARE(second.code.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(second.code.flowId, quint64(7));
    QCOMPARE(replayed.count(), 1);
    QCOMPARE(codeIn(replayed), QStringLiteral("AbC123"));
    QCOMPARE(consumed.count(), 1);

    // A third attempt is still a replay, not a fresh consumption.
    const CodeStore::Consumption third = store.consume(QStringLiteral("AbC123"));
    QCOMPARE(outcomeName(third.outcome), "Replayed");
    QCOMPARE(replayed.count(), 2);
    QCOMPARE(consumed.count(), 1);
    QCOMPARE(expired.count(), 0);
}

void tst_CodeStore::unknown()
{
    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("AbC123"), clock));
    QSignalSpy consumed(&store, &CodeStore::codeConsumed);
    QSignalSpy replayed(&store, &CodeStore::codeReplayed);
    QSignalSpy expired(&store, &CodeStore::codeExpired);

    for (const QString &value : {QStringLiteral("nope"), QStringLiteral("abc123"), QStringLiteral("AbC12"), QString(),
                                 QStringLiteral("AbC123 ")}) {
        const CodeStore::Consumption c = store.consume(value);
        QCOMPARE(outcomeName(c.outcome), "Unknown");
        QVERIFY(c.code.code.isEmpty());
    }
    QCOMPARE(consumed.count() + replayed.count() + expired.count(), 0);
    // The real code is untouched by the misses.
    QCOMPARE(outcomeName(store.consume(QStringLiteral("AbC123")).outcome), "Consumed");
}

void tst_CodeStore::expiry_data()
{
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<CodeStore::Outcome>("outcome");

    QTest::newRow("fresh") << qint64(0) << CodeStore::Outcome::Consumed;
    QTest::newRow("1 ms before expiresAtMs") << kLifetimeMs - 1 << CodeStore::Outcome::Consumed;
    QTest::newRow("exactly at expiresAtMs") << kLifetimeMs << CodeStore::Outcome::Expired;
    QTest::newRow("1 ms after") << kLifetimeMs + 1 << CodeStore::Outcome::Expired;
    QTest::newRow("a day after") << qint64(86'400'000) << CodeStore::Outcome::Expired;
}

void tst_CodeStore::expiry()
{
    QFETCH(qint64, elapsedMs);
    QFETCH(CodeStore::Outcome, outcome);

    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("Exp001"), clock));
    QSignalSpy consumed(&store, &CodeStore::codeConsumed);
    QSignalSpy expired(&store, &CodeStore::codeExpired);

    clock.advanceMs(elapsedMs);
    const CodeStore::Consumption c = store.consume(QStringLiteral("Exp001"));
    QCOMPARE(outcomeName(c.outcome), outcomeName(outcome));
    QCOMPARE(c.code.code, QStringLiteral("Exp001"));
    if (outcome == CodeStore::Outcome::Expired) {
        QCOMPARE(expired.count(), 1);
        QCOMPARE(codeIn(expired), QStringLiteral("Exp001"));
        QCOMPARE(expired.at(0).at(0).value<AuthorizationCode>().status, AuthorizationCode::Status::Expired);
        QCOMPARE(c.code.status, AuthorizationCode::Status::Expired);
        QCOMPARE(consumed.count(), 0);
        // Expired: forgotten.
        QVERIFY(!store.contains(QStringLiteral("Exp001")));
        QCOMPARE(outcomeName(store.consume(QStringLiteral("Exp001")).outcome), "Unknown");
        QCOMPARE(expired.count(), 1);
    } else {
        QCOMPARE(consumed.count(), 1);
        QCOMPARE(expired.count(), 0);
    }
}

void tst_CodeStore::zeroNeverExpires()
{
    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("Never1"), clock, 0));
    QSignalSpy expired(&store, &CodeStore::codeExpired);

    clock.advanceSeconds(10LL * 365 * 24 * 3600);
    QCOMPARE(store.purgeExpired(), 0);
    QVERIFY(store.contains(QStringLiteral("Never1")));
    QCOMPARE(outcomeName(store.consume(QStringLiteral("Never1")).outcome), "Consumed");
    QCOMPARE(expired.count(), 0);
}

void tst_CodeStore::purgeExpiredPending()
{
    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("Early1"), clock, 300'000));
    store.issue(makeCode(QStringLiteral("Later1"), clock, 600'000));
    store.issue(makeCode(QStringLiteral("Never1"), clock, 0));
    QSignalSpy expired(&store, &CodeStore::codeExpired);

    clock.advanceMs(299'999);
    QCOMPARE(store.purgeExpired(), 0);
    QCOMPARE(expired.count(), 0);
    QCOMPARE(store.size(), 3);

    clock.advanceMs(1); // exactly Early1's expiresAtMs
    QCOMPARE(store.purgeExpired(), 1);
    QCOMPARE(expired.count(), 1);
    QCOMPARE(codeIn(expired), QStringLiteral("Early1"));
    QCOMPARE(expired.at(0).at(0).value<AuthorizationCode>().status, AuthorizationCode::Status::Expired);
    QVERIFY(!store.contains(QStringLiteral("Early1")));
    QVERIFY(store.contains(QStringLiteral("Later1")));
    QVERIFY(store.contains(QStringLiteral("Never1")));
    QCOMPARE(store.size(), 2);

    // Purging again finds nothing new.
    QCOMPARE(store.purgeExpired(), 0);
    QCOMPARE(expired.count(), 1);

    clock.advanceSeconds(300);
    QCOMPARE(store.purgeExpired(), 1);
    QCOMPARE(expired.count(), 2);
    QCOMPARE(codeIn(expired, 1), QStringLiteral("Later1"));
    QCOMPARE(store.size(), 1);
}

void tst_CodeStore::purgeKeepsFreshTombstone()
{
    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("Used01"), clock));
    QCOMPARE(outcomeName(store.consume(QStringLiteral("Used01")).outcome), "Consumed");
    QSignalSpy expired(&store, &CodeStore::codeExpired);
    QSignalSpy replayed(&store, &CodeStore::codeReplayed);

    // Past the code's own expiry, but the tombstone is fresh: the replay is still recognised.
    clock.advanceMs(kLifetimeMs + 1);
    QCOMPARE(store.purgeExpired(), 0);
    QVERIFY(store.contains(QStringLiteral("Used01")));
    QCOMPARE(expired.count(), 0); // a consumed code is not "expired"

    const CodeStore::Consumption c = store.consume(QStringLiteral("Used01"));
    QCOMPARE(outcomeName(c.outcome), "Replayed");
    QCOMPARE(replayed.count(), 1);
    QCOMPARE(codeIn(replayed), QStringLiteral("Used01"));
    QCOMPARE(expired.count(), 0);
}

void tst_CodeStore::purgeRemovesOldTombstone()
{
    FakeClock clock;
    CodeStore store(clock);
    store.issue(makeCode(QStringLiteral("Used01"), clock));
    store.issue(makeCode(QStringLiteral("Used02"), clock, 0)); // never-expiring code, consumed
    QCOMPARE(outcomeName(store.consume(QStringLiteral("Used01")).outcome), "Consumed");
    QCOMPARE(outcomeName(store.consume(QStringLiteral("Used02")).outcome), "Consumed");
    QSignalSpy expired(&store, &CodeStore::codeExpired);
    QSignalSpy replayed(&store, &CodeStore::codeReplayed);

    // Long after any retention: tombstones go, silently.
    clock.advanceSeconds(24 * 3600);
    QCOMPARE(store.purgeExpired(), 2);
    QCOMPARE(store.size(), 0);
    QVERIFY(!store.contains(QStringLiteral("Used01")));
    QVERIFY(!store.contains(QStringLiteral("Used02")));
    QCOMPARE(expired.count(), 0);
    QCOMPARE(outcomeName(store.consume(QStringLiteral("Used01")).outcome), "Unknown");
    QCOMPARE(replayed.count(), 0);
}

void tst_CodeStore::contains()
{
    FakeClock clock;
    CodeStore store(clock);
    QVERIFY(!store.contains(QStringLiteral("Pend01")));
    store.issue(makeCode(QStringLiteral("Pend01"), clock));
    store.issue(makeCode(QStringLiteral("Used01"), clock));
    store.consume(QStringLiteral("Used01"));
    QVERIFY(store.contains(QStringLiteral("Pend01")));
    QVERIFY(store.contains(QStringLiteral("Used01"))); // a tombstone still takes the value
    QVERIFY(!store.contains(QStringLiteral("pend01")));
    QVERIFY(!store.contains(QString()));
    QCOMPARE(store.size(), 2);

    clock.advanceMs(kLifetimeMs);
    QCOMPARE(outcomeName(store.consume(QStringLiteral("Pend01")).outcome), "Expired");
    QVERIFY(!store.contains(QStringLiteral("Pend01")));
    QVERIFY(store.contains(QStringLiteral("Used01")));
}

QTEST_GUILESS_MAIN(tst_CodeStore)
#include "tst_codestore.moc"
