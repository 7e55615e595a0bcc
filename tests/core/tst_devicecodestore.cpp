// DeviceCodeStore (RFC 8628): user code shape and normalisation, lookups, approve/deny/redeem transitions and
// their signals, poll pacing with the growing interval, expiry and purging, all on a FakeClock.

#include "store/DeviceCodeStore.h"

#include "FakeClock.h"
#include "tokens/RandomTokenGenerator.h"

#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <deque>

using namespace oauthsim;
using oauthsim::test::FakeClock;

Q_DECLARE_METATYPE(oauthsim::DeviceCodeStore::Pace)

namespace {

constexpr qint64 kLifetimeMs = 300'000; // Spring Authorization Server's device code lifetime, 300 s
const QString kDeviceCode = QStringLiteral("dev-code-1");
const QString kUserCode = QStringLiteral("WDJB-MJHT");

DeviceAuthorization makeAuthorization(const FakeClock &clock, const QString &deviceCode = kDeviceCode,
                                      const QString &userCode = kUserCode)
{
    DeviceAuthorization a;
    a.deviceCode = deviceCode;
    a.userCode = userCode;
    a.clientId = QStringLiteral("tv-client");
    a.scopes = ScopeSet::parse(u"read write");
    a.issuedAtMs = clock.nowMs();
    a.expiresAtMs = clock.nowMs() + kLifetimeMs;
    a.flowId = 9;
    return a;
}

DeviceAuthorization at(const QSignalSpy &spy, int i = 0)
{
    return spy.at(i).at(0).value<DeviceAuthorization>();
}

// Hands out the given bytes in order, then zeros: the test decides every draw.
class ScriptedRandom final : public TokenGenerator
{
public:
    explicit ScriptedRandom(const QList<int> &bytes) : m_bytes(bytes.cbegin(), bytes.cend()) {}
    QByteArray randomBytes(int n) override
    {
        QByteArray out(n, '\0');
        for (int i = 0; i < n && !m_bytes.empty(); ++i) {
            out[i] = char(m_bytes.front());
            m_bytes.pop_front();
        }
        ++draws;
        return out;
    }
    int draws = 0;

private:
    std::deque<int> m_bytes;
};

const char *paceName(DeviceCodeStore::Pace pace)
{
    return pace == DeviceCodeStore::Pace::InTime ? "InTime" : "TooFast";
}

} // namespace

class tst_DeviceCodeStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void userCodeShape();
    void userCodeDraws_data();
    void userCodeDraws();
    void normalize_data();
    void normalize();
    void issueAndFind();
    void findByUserCodeNormalised_data();
    void findByUserCodeNormalised();
    void approve();
    void deny();
    void decisionsNeedAPendingLiveAuthorization_data();
    void decisionsNeedAPendingLiveAuthorization();
    void redeem();
    void pacing_data();
    void pacing();
    void pacingIsPerDeviceCode();
    void expiry();
    void purge();
    void clear();
};

void tst_DeviceCodeStore::initTestCase()
{
    qRegisterMetaType<DeviceAuthorization>();
}

void tst_DeviceCodeStore::userCodeShape()
{
    RandomTokenGenerator random;
    const QRegularExpression shape(QStringLiteral("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$"));
    QSet<QChar> seen;
    for (int i = 0; i < 500; ++i) {
        const QString code = DeviceCodeStore::newUserCode(random);
        QVERIFY2(shape.match(code).hasMatch(), qPrintable(code));
        for (QChar c : code)
            seen.insert(c);
    }
    // 4000 draws: every letter of the alphabet (and the dash) shows up.
    QCOMPARE(seen.size(), 21);
}

void tst_DeviceCodeStore::userCodeDraws_data()
{
    QTest::addColumn<QList<int>>("bytes");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("draws");

    QTest::newRow("first letters") << QList<int>{0, 1, 2, 3, 4, 5, 6, 7} << QStringLiteral("BCDF-GHJK") << 1;
    // byte % 20: 19 is the last letter, 20 wraps to the first, 239 is the last byte that is kept.
    QTest::newRow("wrap around") << QList<int>{19, 20, 39, 40, 219, 220, 238, 239} << QStringLiteral("ZBZB-ZBXZ") << 1;
    // 240..255 would favour B..Z over the rest: they are dropped and more bytes drawn.
    QTest::newRow("biased bytes dropped")
        << QList<int>{240, 0, 255, 1, 250, 2, 3, 4, 5, 6, 7, 8} << QStringLiteral("BCDF-GHJK") << 2;
}

void tst_DeviceCodeStore::userCodeDraws()
{
    QFETCH(QList<int>, bytes);
    QFETCH(QString, expected);
    QFETCH(int, draws);
    ScriptedRandom random(bytes);
    QCOMPARE(DeviceCodeStore::newUserCode(random), expected);
    QCOMPARE(random.draws, draws);
}

void tst_DeviceCodeStore::normalize_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("normalized");
    QTest::newRow("as shown") << QStringLiteral("WDJB-MJHT") << QStringLiteral("WDJBMJHT");
    QTest::newRow("lower case") << QStringLiteral("wdjb-mjht") << QStringLiteral("WDJBMJHT");
    QTest::newRow("no dash") << QStringLiteral("wdjbmjht") << QStringLiteral("WDJBMJHT");
    QTest::newRow("spaces") << QStringLiteral(" WDJB MJHT ") << QStringLiteral("WDJBMJHT");
    QTest::newRow("dashes everywhere") << QStringLiteral("W-D-J-B--M-J-H-T") << QStringLiteral("WDJBMJHT");
    QTest::newRow("tab and newline") << QStringLiteral("wdjb\tmjht\n") << QStringLiteral("WDJBMJHT");
    QTest::newRow("other characters kept") << QStringLiteral("wdjb_mjht") << QStringLiteral("WDJB_MJHT");
    QTest::newRow("empty") << QString() << QString();
}

void tst_DeviceCodeStore::normalize()
{
    QFETCH(QString, typed);
    QFETCH(QString, normalized);
    QCOMPARE(DeviceCodeStore::normalizeUserCode(typed), normalized);
}

void tst_DeviceCodeStore::issueAndFind()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    QSignalSpy issued(&store, &DeviceCodeStore::deviceAuthorizationIssued);
    store.issue(makeAuthorization(clock));

    QCOMPARE(issued.count(), 1);
    QCOMPARE(at(issued).deviceCode, kDeviceCode);
    QCOMPARE(at(issued).userCode, kUserCode);
    QCOMPARE(at(issued).status, DeviceAuthorization::Status::Pending);
    QCOMPARE(store.size(), 1);
    QVERIFY(store.containsDeviceCode(kDeviceCode));
    QVERIFY(!store.containsDeviceCode(QStringLiteral("DEV-CODE-1")));
    QVERIFY(store.containsUserCode(u"wdjbmjht"));
    QVERIFY(!store.containsUserCode(u"WDJB-MJHB"));

    const DeviceAuthorization *found = store.findByDeviceCode(kDeviceCode);
    QVERIFY(found);
    QCOMPARE(found->clientId, QStringLiteral("tv-client"));
    QCOMPARE(found->scopes.joined(), QStringLiteral("read write"));
    QCOMPARE(found->intervalSeconds, 5);
    QCOMPARE(found->lastPollMs, qint64(0));
    QCOMPARE(found->flowId, quint64(9));
    QCOMPARE(store.findByUserCode(kUserCode), found);
    QVERIFY(!store.findByDeviceCode(QStringLiteral("nope")));
    QCOMPARE(store.all().size(), 1);
}

void tst_DeviceCodeStore::findByUserCodeNormalised_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<bool>("found");
    QTest::newRow("exact") << QStringLiteral("WDJB-MJHT") << true;
    QTest::newRow("lower case without dash") << QStringLiteral("wdjbmjht") << true;
    QTest::newRow("mixed case, spaces") << QStringLiteral("  wDjB mJhT") << true;
    QTest::newRow("one letter off") << QStringLiteral("WDJB-MJHV") << false;
    QTest::newRow("too short") << QStringLiteral("WDJB-MJH") << false;
    QTest::newRow("too long") << QStringLiteral("WDJB-MJHTT") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("only dashes") << QStringLiteral("----") << false;
    QTest::newRow("the device code") << kDeviceCode << false;
}

void tst_DeviceCodeStore::findByUserCodeNormalised()
{
    QFETCH(QString, typed);
    QFETCH(bool, found);
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    const DeviceAuthorization *a = store.findByUserCode(typed);
    QCOMPARE(a != nullptr, found);
    if (found)
        QCOMPARE(a->deviceCode, kDeviceCode);
}

void tst_DeviceCodeStore::approve()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    QSignalSpy approved(&store, &DeviceCodeStore::deviceAuthorizationApproved);
    QSignalSpy denied(&store, &DeviceCodeStore::deviceAuthorizationDenied);

    clock.advanceSeconds(299);
    QVERIFY(store.approve(kDeviceCode, QStringLiteral("user")));
    QCOMPARE(approved.count(), 1);
    QCOMPARE(at(approved).deviceCode, kDeviceCode);
    QCOMPARE(at(approved).status, DeviceAuthorization::Status::Approved);
    QCOMPARE(at(approved).username, QStringLiteral("user"));
    QCOMPARE(store.findByDeviceCode(kDeviceCode)->status, DeviceAuthorization::Status::Approved);
    QCOMPARE(store.findByDeviceCode(kDeviceCode)->username, QStringLiteral("user"));

    // Decided once: neither a second approval nor a denial changes it.
    QVERIFY(!store.approve(kDeviceCode, QStringLiteral("other")));
    QVERIFY(!store.deny(kDeviceCode, QStringLiteral("other")));
    QCOMPARE(store.findByDeviceCode(kDeviceCode)->username, QStringLiteral("user"));
    QCOMPARE(approved.count(), 1);
    QCOMPARE(denied.count(), 0);
}

void tst_DeviceCodeStore::deny()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    QSignalSpy approved(&store, &DeviceCodeStore::deviceAuthorizationApproved);
    QSignalSpy denied(&store, &DeviceCodeStore::deviceAuthorizationDenied);
    QSignalSpy redeemed(&store, &DeviceCodeStore::deviceAuthorizationRedeemed);

    QVERIFY(store.deny(kDeviceCode, QStringLiteral("user")));
    QCOMPARE(denied.count(), 1);
    QCOMPARE(at(denied).status, DeviceAuthorization::Status::Denied);
    QCOMPARE(at(denied).username, QStringLiteral("user"));
    QVERIFY(!store.approve(kDeviceCode, QStringLiteral("user")));
    QVERIFY(!store.redeem(kDeviceCode));
    QCOMPARE(store.findByDeviceCode(kDeviceCode)->status, DeviceAuthorization::Status::Denied);
    QCOMPARE(approved.count(), 0);
    QCOMPARE(redeemed.count(), 0);
}

void tst_DeviceCodeStore::decisionsNeedAPendingLiveAuthorization_data()
{
    QTest::addColumn<QString>("deviceCode");
    QTest::addColumn<qint64>("elapsedMs");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("1 ms before expiry") << kDeviceCode << kLifetimeMs - 1 << true;
    QTest::newRow("at expiry") << kDeviceCode << kLifetimeMs << false;
    QTest::newRow("long after expiry") << kDeviceCode << kLifetimeMs * 10 << false;
    QTest::newRow("unknown device code") << QStringLiteral("nope") << qint64(0) << false;
    QTest::newRow("the user code is no device code") << kUserCode << qint64(0) << false;
}

void tst_DeviceCodeStore::decisionsNeedAPendingLiveAuthorization()
{
    QFETCH(QString, deviceCode);
    QFETCH(qint64, elapsedMs);
    QFETCH(bool, accepted);
    for (const bool approving : {true, false}) {
        FakeClock clock;
        DeviceCodeStore store(clock);
        store.issue(makeAuthorization(clock));
        QSignalSpy approved(&store, &DeviceCodeStore::deviceAuthorizationApproved);
        QSignalSpy denied(&store, &DeviceCodeStore::deviceAuthorizationDenied);
        clock.advanceMs(elapsedMs);
        const bool result = approving ? store.approve(deviceCode, QStringLiteral("user"))
                                      : store.deny(deviceCode, QStringLiteral("user"));
        QCOMPARE(result, accepted);
        QCOMPARE(approved.count(), approving && accepted ? 1 : 0);
        QCOMPARE(denied.count(), !approving && accepted ? 1 : 0);
        if (!accepted)
            QCOMPARE(store.findByDeviceCode(kDeviceCode)->status, DeviceAuthorization::Status::Pending);
    }
}

void tst_DeviceCodeStore::redeem()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    QSignalSpy redeemed(&store, &DeviceCodeStore::deviceAuthorizationRedeemed);

    QVERIFY(!store.redeem(kDeviceCode)); // pending: nothing to redeem yet
    QVERIFY(store.approve(kDeviceCode, QStringLiteral("user")));
    QVERIFY(store.redeem(kDeviceCode));
    QCOMPARE(redeemed.count(), 1);
    QCOMPARE(at(redeemed).status, DeviceAuthorization::Status::Redeemed);
    QCOMPARE(at(redeemed).username, QStringLiteral("user"));
    // Used up: once only.
    QVERIFY(!store.redeem(kDeviceCode));
    QVERIFY(!store.approve(kDeviceCode, QStringLiteral("user")));
    QCOMPARE(redeemed.count(), 1);
    QVERIFY(!store.redeem(QStringLiteral("nope")));
}

void tst_DeviceCodeStore::pacing_data()
{
    // Seconds since the previous poll (the first is from issue), and the pace and interval after each poll.
    QTest::addColumn<QList<int>>("gaps");
    QTest::addColumn<QStringList>("paces");
    QTest::addColumn<QList<int>>("intervals");

    QTest::newRow("first poll at once is in time") << QList<int>{0} << QStringList{"InTime"} << QList<int>{5};
    QTest::newRow("every 5 s") << QList<int>{0, 5, 5, 5} << QStringList{"InTime", "InTime", "InTime", "InTime"}
                               << QList<int>{5, 5, 5, 5};
    QTest::newRow("4 s is too fast") << QList<int>{0, 4} << QStringList{"InTime", "TooFast"} << QList<int>{5, 10};
    // After slow_down the interval is 10 s, counted from the poll that was too fast: 9 s later is too fast again
    // (15 s), and from then on 15 s is in time.
    QTest::newRow("then the grown interval")
        << QList<int>{0, 4, 9, 15, 15} << QStringList{"InTime", "TooFast", "TooFast", "InTime", "InTime"}
        << QList<int>{5, 10, 15, 15, 15};
    QTest::newRow("the old interval is too fast after slow_down")
        << QList<int>{0, 4, 5, 10} << QStringList{"InTime", "TooFast", "TooFast", "TooFast"}
        << QList<int>{5, 10, 15, 20};
    QTest::newRow("too fast twice in a row")
        << QList<int>{0, 0, 0, 20} << QStringList{"InTime", "TooFast", "TooFast", "InTime"}
        << QList<int>{5, 10, 15, 15};
}

void tst_DeviceCodeStore::pacing()
{
    QFETCH(QList<int>, gaps);
    QFETCH(QStringList, paces);
    QFETCH(QList<int>, intervals);
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    for (int i = 0; i < gaps.size(); ++i) {
        clock.advanceSeconds(gaps.at(i));
        QCOMPARE(paceName(store.recordPoll(kDeviceCode)), qPrintable(paces.at(i)));
        QCOMPARE(store.findByDeviceCode(kDeviceCode)->intervalSeconds, intervals.at(i));
        QCOMPARE(store.findByDeviceCode(kDeviceCode)->lastPollMs, clock.nowMs());
    }
}

void tst_DeviceCodeStore::pacingIsPerDeviceCode()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    store.issue(makeAuthorization(clock, QStringLiteral("dev-code-2"), QStringLiteral("BBBB-CCCC")));
    QCOMPARE(paceName(store.recordPoll(kDeviceCode)), "InTime");
    QCOMPARE(paceName(store.recordPoll(kDeviceCode)), "TooFast");
    QCOMPARE(paceName(store.recordPoll(QStringLiteral("dev-code-2"))), "InTime");
    QCOMPARE(store.findByDeviceCode(QStringLiteral("dev-code-2"))->intervalSeconds, 5);
    QCOMPARE(store.findByDeviceCode(kDeviceCode)->intervalSeconds, 10);
    // An unknown code is in time and records nothing.
    QCOMPARE(paceName(store.recordPoll(QStringLiteral("nope"))), "InTime");
    QCOMPARE(store.size(), 2);
}

void tst_DeviceCodeStore::expiry()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    const DeviceAuthorization *a = store.findByDeviceCode(kDeviceCode);
    clock.advanceMs(kLifetimeMs - 1);
    QVERIFY(!a->isExpired(clock.nowMs()));
    clock.advanceMs(1);
    QVERIFY(a->isExpired(clock.nowMs()));
    // Expired, yet still found (a late poll learns expired_token) until purged.
    QCOMPARE(store.findByDeviceCode(kDeviceCode), a);
    QCOMPARE(store.findByUserCode(kUserCode), a);
    QCOMPARE(store.purgeExpired(), 0);
}

void tst_DeviceCodeStore::purge()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    clock.advanceSeconds(60);
    store.issue(makeAuthorization(clock, QStringLiteral("dev-code-2"), QStringLiteral("BBBB-CCCC")));
    QSignalSpy expired(&store, &DeviceCodeStore::deviceAuthorizationExpired);

    // The first one expired 10 minutes ago less 1 ms: kept.
    clock.advanceMs(kLifetimeMs - 60'000 + DeviceCodeStore::kRetentionMs - 1);
    QCOMPARE(store.purgeExpired(), 0);
    QCOMPARE(expired.count(), 0);
    clock.advanceMs(1);
    QCOMPARE(store.purgeExpired(), 1);
    QCOMPARE(expired.count(), 1);
    QCOMPARE(at(expired).deviceCode, kDeviceCode);
    QVERIFY(!store.findByDeviceCode(kDeviceCode));
    QVERIFY(!store.findByUserCode(kUserCode));
    QVERIFY(!store.containsUserCode(kUserCode));
    QVERIFY(store.findByDeviceCode(QStringLiteral("dev-code-2")));
    clock.advanceSeconds(60);
    QCOMPARE(store.purgeExpired(), 1);
    QCOMPARE(store.size(), 0);
    QCOMPARE(expired.count(), 2);
}

void tst_DeviceCodeStore::clear()
{
    FakeClock clock;
    DeviceCodeStore store(clock);
    store.issue(makeAuthorization(clock));
    QSignalSpy cleared(&store, &DeviceCodeStore::cleared);
    store.clear();
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(store.size(), 0);
    QVERIFY(!store.findByUserCode(kUserCode));
    QVERIFY(!store.containsUserCode(kUserCode));
}

QTEST_GUILESS_MAIN(tst_DeviceCodeStore)
#include "tst_devicecodestore.moc"
