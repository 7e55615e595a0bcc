#include "auth/Sessions.h"

#include "FakeClock.h"
#include "FixedTokenGenerator.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace oauthsim;
using oauthsim::test::FakeClock;
using oauthsim::test::FixedTokenGenerator;

namespace {

constexpr int kIdleS = 1800;

bool isSessionId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[0-9A-F]{32}$"));
    return re.match(id).hasMatch();
}

bool isCsrfToken(const QString &token)
{
    static const QRegularExpression re(
        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"));
    return re.match(token).hasMatch();
}

AuthorizeRequest makeRequest()
{
    AuthorizeRequest r;
    r.clientId = QStringLiteral("messaging-client");
    r.redirectUri = QStringLiteral("http://localhost");
    r.redirectUriSent = true;
    r.responseTypes = {QStringLiteral("code")};
    r.scopes = ScopeSet::parse(u"read write");
    r.state = QStringLiteral("xyz");
    r.originalUrl =
        QStringLiteral("http://127.0.0.1:8090/oauth/authorize?response_type=code&client_id=messaging-client");
    return r;
}

} // namespace

class tst_Sessions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void create();
    void findTouchesLastAccess();
    void idleExpiry_data();
    void idleExpiry();
    void findUnknown();
    void rotate();
    void remove();
    void purgeExpired();
    void setIdleTimeout();
    void cookieHeader();
};

void tst_Sessions::create()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);

    Session &s = sessions.create();
    QVERIFY2(isSessionId(s.id), qPrintable(s.id));
    QVERIFY2(isCsrfToken(s.csrfToken), qPrintable(s.csrfToken));
    QVERIFY(!s.isAuthenticated());
    QVERIFY(s.username.isEmpty());
    QCOMPARE(s.lastAccessMs, clock.nowMs());
    QVERIFY(s.savedRequestUrl.isEmpty());
    QVERIFY(!s.pendingApproval.has_value());
    QCOMPARE(sessions.size(), 1);
    const QString firstId = s.id;
    const QString firstCsrf = s.csrfToken;

    // Ids and tokens differ session to session.
    QSet<QString> ids{firstId};
    QSet<QString> csrfs{firstCsrf};
    for (int i = 0; i < 50; ++i) {
        Session &next = sessions.create();
        QVERIFY2(isSessionId(next.id), qPrintable(next.id));
        QVERIFY2(isCsrfToken(next.csrfToken), qPrintable(next.csrfToken));
        ids.insert(next.id);
        csrfs.insert(next.csrfToken);
    }
    QCOMPARE(ids.size(), 51);
    QCOMPARE(csrfs.size(), 51);
    QCOMPARE(sessions.size(), 51);

    Session *found = sessions.find(firstId);
    QVERIFY(found);
    QCOMPARE(found->id, firstId);
    QCOMPARE(found->csrfToken, firstCsrf);
}

void tst_Sessions::findTouchesLastAccess()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    const QString id = sessions.create().id;
    const qint64 created = clock.nowMs();

    clock.advanceSeconds(100);
    Session *s = sessions.find(id);
    QVERIFY(s);
    QCOMPARE(s->lastAccessMs, created + 100'000);

    // Because find() touched it, the idle clock restarts: 1799 s later it is still alive.
    clock.advanceSeconds(kIdleS - 1);
    s = sessions.find(id);
    QVERIFY(s);
    QCOMPARE(s->lastAccessMs, created + 100'000 + (kIdleS - 1) * 1000LL);
    clock.advanceSeconds(kIdleS - 1);
    QVERIFY(sessions.find(id));
}

void tst_Sessions::idleExpiry_data()
{
    QTest::addColumn<qint64>("idleMs");
    QTest::addColumn<bool>("alive");

    QTest::newRow("immediately") << qint64(0) << true;
    QTest::newRow("1 ms before the timeout") << qint64(kIdleS) * 1000 - 1 << true;
    QTest::newRow("exactly at the timeout") << qint64(kIdleS) * 1000 << false;
    QTest::newRow("1 ms after") << qint64(kIdleS) * 1000 + 1 << false;
    QTest::newRow("a day later") << qint64(86'400'000) << false;
}

void tst_Sessions::idleExpiry()
{
    QFETCH(qint64, idleMs);
    QFETCH(bool, alive);

    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    Session &s = sessions.create();
    s.username = QStringLiteral("user");
    const QString id = s.id;

    clock.advanceMs(idleMs);
    Session *found = sessions.find(id);
    QCOMPARE(found != nullptr, alive);
    if (alive) {
        QCOMPARE(found->username, QStringLiteral("user"));
        QCOMPARE(sessions.size(), 1);
    } else {
        // An expired session is gone for good, even if time were to stand still.
        QCOMPARE(sessions.size(), 0);
        QCOMPARE(sessions.find(id), nullptr);
    }
}

void tst_Sessions::findUnknown()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    const QString id = sessions.create().id;
    QCOMPARE(sessions.find(QString()), nullptr);
    QCOMPARE(sessions.find(QStringLiteral("")), nullptr);
    QCOMPARE(sessions.find(id.toLower()), nullptr);
    QCOMPARE(sessions.find(QStringLiteral("0123456789ABCDEF0123456789ABCDEF")), nullptr);
    QCOMPARE(sessions.size(), 1);
}

void tst_Sessions::rotate()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    Session &s = sessions.create();
    const QString oldId = s.id;
    const QString oldCsrf = s.csrfToken;
    s.username = QStringLiteral("user");
    s.authenticatedAtMs = clock.nowMs();
    s.savedRequestUrl = QStringLiteral("http://127.0.0.1:8090/oauth/authorize?client_id=messaging-client");
    s.pendingApproval = makeRequest();
    s.flowId = 9;
    Session &other = sessions.create();
    const QString otherId = other.id;

    clock.advanceSeconds(5);
    Session &rotated = sessions.rotate(oldId);
    QVERIFY2(isSessionId(rotated.id), qPrintable(rotated.id));
    QVERIFY2(isCsrfToken(rotated.csrfToken), qPrintable(rotated.csrfToken));
    QVERIFY(rotated.id != oldId);
    QVERIFY(rotated.csrfToken != oldCsrf);
    QVERIFY(rotated.id != otherId);
    QCOMPARE(rotated.username, QStringLiteral("user"));
    QCOMPARE(rotated.savedRequestUrl,
             QStringLiteral("http://127.0.0.1:8090/oauth/authorize?client_id=messaging-client"));
    QVERIFY(rotated.pendingApproval.has_value());
    QVERIFY(*rotated.pendingApproval == makeRequest());
    QCOMPARE(rotated.flowId, quint64(9));
    const QString newId = rotated.id;
    const QString newCsrf = rotated.csrfToken;

    QCOMPARE(sessions.find(oldId), nullptr);
    Session *found = sessions.find(newId);
    QVERIFY(found);
    QCOMPARE(found->username, QStringLiteral("user"));
    QCOMPARE(found->csrfToken, newCsrf);
    QCOMPARE(sessions.size(), 2);
    QVERIFY(sessions.find(otherId));
}

void tst_Sessions::remove()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    const QString a = sessions.create().id;
    const QString b = sessions.create().id;
    sessions.remove(a);
    QCOMPARE(sessions.find(a), nullptr);
    QVERIFY(sessions.find(b));
    QCOMPARE(sessions.size(), 1);
    sessions.remove(QStringLiteral("unknown"));
    QCOMPARE(sessions.size(), 1);
}

void tst_Sessions::purgeExpired()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    const QString idle = sessions.create().id;
    const QString busy = sessions.create().id;

    clock.advanceSeconds(1000);
    QVERIFY(sessions.find(busy)); // touched at +1000 s
    QCOMPARE(sessions.purgeExpired(), 0);

    clock.advanceSeconds(kIdleS - 1000 - 1); // idle: 1799 s
    QCOMPARE(sessions.purgeExpired(), 0);
    QCOMPARE(sessions.size(), 2);

    clock.advanceSeconds(1); // idle: exactly 1800 s; busy: 800 s
    QCOMPARE(sessions.purgeExpired(), 1);
    QCOMPARE(sessions.size(), 1);
    QCOMPARE(sessions.find(idle), nullptr);

    // purgeExpired does not touch: busy still dies 1800 s after its last find().
    clock.advanceSeconds(999);
    QCOMPARE(sessions.purgeExpired(), 0);
    clock.advanceSeconds(1);
    QCOMPARE(sessions.purgeExpired(), 1);
    QCOMPARE(sessions.size(), 0);
    QCOMPARE(sessions.find(busy), nullptr);
}

void tst_Sessions::setIdleTimeout()
{
    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    const QString id = sessions.create().id;
    sessions.setIdleTimeout(60);
    clock.advanceSeconds(59);
    QVERIFY(sessions.find(id));
    clock.advanceSeconds(60);
    QCOMPARE(sessions.find(id), nullptr);
}

void tst_Sessions::cookieHeader()
{
    Session s;
    s.id = QStringLiteral("0A1B2C3D4E5F60718293A4B5C6D7E8F9");
    QCOMPARE(Sessions::cookieHeader(s), QByteArray("JSESSIONID=0A1B2C3D4E5F60718293A4B5C6D7E8F9; Path=/; HttpOnly; "
                                                   "SameSite=Lax"));

    FakeClock clock;
    FixedTokenGenerator random;
    Sessions sessions(clock, random, kIdleS);
    const Session &created = sessions.create();
    QCOMPARE(Sessions::cookieHeader(created),
             "JSESSIONID=" + created.id.toLatin1() + "; Path=/; HttpOnly; SameSite=Lax");
}

QTEST_GUILESS_MAIN(tst_Sessions)
#include "tst_sessions.moc"
