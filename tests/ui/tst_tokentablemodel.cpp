// TokenTableModel against a live server: rows follow a real code flow, a refresh and a code replay; values are
// masked until revealed; the countdown and the status follow the fake clock; live-token reuse adds no row; the
// cap drops the oldest rows.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "Countdown.h"
#include "models/TokenTableModel.h"
#include "store/TokenStore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorizeQuery = BrowserFlow::seedQuery() + QStringLiteral("&state=xyz");

QString cell(const QAbstractItemModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

} // namespace

class TestTokenTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsFlowRefreshAndReplay();
    void revealShowsFullValues();
    void countdownAndExpiryFollowTheClock();
    void seedsFromTheStore();
    void liveTokenReuseAddsNoRow();
    void capDropsTheOldestRows();
};

void TestTokenTableModel::followsFlowRefreshAndReplay()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    TokenTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.columnCount(), 9);

    browser.logIn();
    const QString code = browser.authorizeCode();
    const TestResponse response = browser.exchangeCode(code);
    QCOMPARE(response.status, 200);
    const QString access = response.json().value(QLatin1String("access_token")).toString();
    const QString refresh = response.json().value(QLatin1String("refresh_token")).toString();
    QCOMPARE(access.size(), 27);
    const QString issued = Countdown::localTime(ts.clock().nowMs());
    const quint64 flowId = ts->tokens().findAccess(access)->flowId;
    QVERIFY(flowId != 0);

    // The grant stores the refresh token first, then the access token issued with it.
    QTRY_COMPARE(model.rowCount(), 2);
    const QStringList refreshRow{
        QStringLiteral("refresh"),       refresh.left(6) + QChar(0x2026), QStringLiteral("messaging-client"),
        QStringLiteral("user"),          QStringLiteral("read write"),    issued,
        QStringLiteral("30 d 00:00:00"), QStringLiteral("active"),        QString::number(flowId)};
    const QStringList accessRow{
        QStringLiteral("access"),   access.left(6) + QChar(0x2026), QStringLiteral("messaging-client"),
        QStringLiteral("user"),     QStringLiteral("read write"),   issued,
        QStringLiteral("12:00:00"), QStringLiteral("active"),       QString::number(flowId)};
    for (int column = 0; column < 9; ++column) {
        QCOMPARE(cell(model, 0, column), refreshRow.at(column));
        QCOMPARE(cell(model, 1, column), accessRow.at(column));
    }
    QCOMPARE(model.index(1, TokenTableModel::ValueColumn).data(TokenTableModel::TokenValueRole).toString(), access);
    QCOMPARE(model.rowOf(IssuedToken::Kind::Access, access), 1);
    QCOMPARE(model.rowOf(IssuedToken::Kind::Refresh, refresh), 0);

    // Refresh: a new access row (marked as refreshed), the old one revoked.
    ts.clock().advanceSeconds(60);
    const TestResponse refreshed = browser.refresh(refresh);
    QCOMPARE(refreshed.status, 200);
    const QString newAccess = refreshed.json().value(QLatin1String("access_token")).toString();
    QVERIFY(newAccess != access);
    QTRY_COMPARE(model.rowCount(), 3);
    QTRY_COMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(model.statusAt(1), TokenTableModel::Status::Revoked);
    QCOMPARE(cell(model, 1, TokenTableModel::ExpiresColumn), QStringLiteral("\u2013"));
    QCOMPARE(model.tokenAt(2).value, newAccess);
    QCOMPARE(cell(model, 2, TokenTableModel::KindColumn), QStringLiteral("access"));
    QCOMPARE(cell(model, 2, TokenTableModel::StatusColumn), QStringLiteral("active"));
    QCOMPARE(cell(model, 2, TokenTableModel::ExpiresColumn), QStringLiteral("12:00:00"));
    QCOMPARE(model.index(2, TokenTableModel::KindColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Issued by the refresh_token grant"));
    QCOMPARE(cell(model, 0, TokenTableModel::StatusColumn), QStringLiteral("active"));

    // Replaying the code revokes what it produced: every row the store no longer knows shows revoked.
    QCOMPARE(browser.exchangeCode(code).status, 400);
    QTRY_COMPARE(cell(model, 0, TokenTableModel::StatusColumn), QStringLiteral("revoked"));
    for (int row = 0; row < model.rowCount(); ++row) {
        const IssuedToken t = model.tokenAt(row);
        const bool known = t.kind == IssuedToken::Kind::Access ? ts->tokens().findAccess(t.value) != nullptr
                                                               : ts->tokens().findRefresh(t.value) != nullptr;
        QCOMPARE(cell(model, row, TokenTableModel::StatusColumn),
                 known ? QStringLiteral("active") : QStringLiteral("revoked"));
    }
    QCOMPARE(model.statusAt(2), TokenTableModel::Status::Revoked); // the refresh token took its access token along
}

void TestTokenTableModel::revealShowsFullValues()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    TokenTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.logIn();
    const Tokens tokens = browser.codeFlow();
    QVERIFY(!tokens.access.isEmpty());
    QTRY_COMPARE(model.rowCount(), 2);
    QVERIFY(!model.isRevealed());
    QCOMPARE(cell(model, 1, TokenTableModel::ValueColumn), tokens.access.left(6) + QChar(0x2026));

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setRevealed(true);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(0, TokenTableModel::ValueColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(1, TokenTableModel::ValueColumn));
    QCOMPARE(cell(model, 0, TokenTableModel::ValueColumn), tokens.refresh);
    QCOMPARE(cell(model, 1, TokenTableModel::ValueColumn), tokens.access);
    model.setRevealed(true); // no change, no signal
    QCOMPARE(changed.size(), 1);
    model.setRevealed(false);
    QCOMPARE(cell(model, 0, TokenTableModel::ValueColumn), tokens.refresh.left(6) + QChar(0x2026));
}

void TestTokenTableModel::countdownAndExpiryFollowTheClock()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    TokenTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.logIn();
    QVERIFY(!browser.codeFlow().access.isEmpty());
    QTRY_COMPARE(model.rowCount(), 2);
    model.flushPending();

    ts.clock().advanceSeconds(43199);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refreshCountdowns();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(0, TokenTableModel::ExpiresColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(1, TokenTableModel::ExpiresColumn));
    QCOMPARE(cell(model, 1, TokenTableModel::ExpiresColumn), QStringLiteral("0:01"));
    QCOMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("active"));
    QCOMPARE(cell(model, 0, TokenTableModel::ExpiresColumn), QStringLiteral("29 d 12:00:01"));

    ts.clock().advanceSeconds(1);
    changed.clear();
    model.refreshCountdowns();
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(1, TokenTableModel::StatusColumn));
    QCOMPARE(changed.at(1).at(1).toModelIndex(), model.index(1, TokenTableModel::StatusColumn));
    QCOMPARE(cell(model, 1, TokenTableModel::ExpiresColumn), QStringLiteral("expired"));
    QCOMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("expired"));
    QCOMPARE(model.statusAt(1), TokenTableModel::Status::Expired);
    QCOMPARE(cell(model, 0, TokenTableModel::StatusColumn), QStringLiteral("active"));

    // The store purges it silently; the row stays, expired.
    ts->purgeExpired();
    model.refreshCountdowns();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("expired"));
}

void TestTokenTableModel::seedsFromTheStore()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    browser.logIn();
    const Tokens tokens = browser.codeFlow();
    QVERIFY(!tokens.access.isEmpty());
    TokenTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.tokenAt(0).value, tokens.refresh);
    QCOMPARE(model.tokenAt(1).value, tokens.access);
    QCOMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("active"));
    // Revoking through the server is observed on a seeded row too.
    QVERIFY(ts->revokeToken(tokens.access));
    model.flushPending();
    QCOMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(cell(model, 0, TokenTableModel::StatusColumn), QStringLiteral("active"));
}

void TestTokenTableModel::liveTokenReuseAddsNoRow()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    TokenTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.logIn();
    const Tokens first = browser.codeFlow();
    const Tokens second = browser.codeFlow();
    QVERIFY(!first.access.isEmpty());
    QCOMPARE(second.access, first.access);
    QCOMPARE(second.refresh, first.refresh);
    model.flushPending();
    QCOMPARE(model.rowCount(), 2);
}

void TestTokenTableModel::capDropsTheOldestRows()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    TokenTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxRows(3);
    browser.logIn();
    const Tokens tokens = browser.codeFlow();
    QVERIFY(!tokens.refresh.isEmpty());
    QStringList accesses{tokens.access};
    for (int i = 0; i < 3; ++i) {
        ts.clock().advanceSeconds(1);
        const TestResponse r = browser.refresh(tokens.refresh);
        QCOMPARE(r.status, 200);
        accesses << r.json().value(QLatin1String("access_token")).toString();
    }
    model.flushPending();
    // refresh, a0, a1, a2, a3 issued: the newest three stay.
    QCOMPARE(model.rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(model.tokenAt(row).value, accesses.at(row + 1));
    QCOMPARE(model.rowOf(IssuedToken::Kind::Refresh, tokens.refresh), -1);
    QCOMPARE(model.rowOf(IssuedToken::Kind::Access, accesses.at(0)), -1);
    QCOMPARE(cell(model, 0, TokenTableModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(cell(model, 1, TokenTableModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(cell(model, 2, TokenTableModel::StatusColumn), QStringLiteral("active"));

    // Revoking the dropped refresh token: only its live access token (still shown) changes.
    QVERIFY(ts->revokeToken(tokens.refresh));
    model.flushPending();
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(cell(model, 2, TokenTableModel::StatusColumn), QStringLiteral("revoked"));
}

QTEST_MAIN(TestTokenTableModel)
#include "tst_tokentablemodel.moc"
