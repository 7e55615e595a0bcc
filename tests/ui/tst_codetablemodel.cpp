// CodeTableModel against a live server: rows follow a real code flow (issue, redeem, replay), the countdown
// and the status follow the fake clock, the cap drops the oldest rows, and the Codes view's filter works.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "CodesView.h"
#include "Countdown.h"
#include "models/CodeTableModel.h"
#include "store/CodeStore.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
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

class TestCodeTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsARealCodeFlow();
    void countdownAndExpiryFollowTheClock();
    void codeThatNeverExpires();
    void capDropsTheOldestRows();
    void codesViewFilter();
};

void TestCodeTableModel::followsARealCodeFlow()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    const QString session = browser.logIn();
    QVERIFY(!session.isEmpty());
    // Issued before the model exists: seeded from CodeStore::all().
    const QString code = browser.authorizeCode();
    QCOMPARE(code.size(), 6);
    const QString issued = Countdown::localTime(ts.clock().nowMs());

    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), 9);
    const QStringList expected{code,
                               QStringLiteral("messaging-client"),
                               QStringLiteral("user"),
                               QStringLiteral("read write"),
                               QStringLiteral("http://localhost"),
                               QStringLiteral("xyz"),
                               issued,
                               QStringLiteral("5:00"),
                               QStringLiteral("pending")};
    for (int column = 0; column < expected.size(); ++column)
        QCOMPARE(cell(model, 0, column), expected.at(column));
    QCOMPARE(model.index(0, CodeTableModel::StatusColumn).data(CodeTableModel::CodeValueRole).toString(), code);
    QCOMPARE(model.headerData(CodeTableModel::RedirectUriColumn, Qt::Horizontal).toString(),
             QStringLiteral("Redirect URI"));

    // Step 7: redeemed.
    const TestResponse token = browser.exchangeCode(code);
    QCOMPARE(token.status, 200);
    QTRY_COMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("redeemed"));
    QCOMPARE(model.statusAt(0), AuthorizationCode::Status::Redeemed);
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("\u2013"));

    // The same code again: a replay, the code shows revoked.
    const TestResponse replay = browser.exchangeCode(code);
    QCOMPARE(replay.status, 400);
    QTRY_COMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(model.statusAt(0), AuthorizationCode::Status::Revoked);

    // A second authorization arrives as a new row, in a batch.
    const QString second = browser.authorizeCode();
    QVERIFY(!second.isEmpty());
    QVERIFY(second != code);
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 1, CodeTableModel::CodeColumn), second);
    QCOMPARE(cell(model, 1, CodeTableModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("revoked"));
}

void TestCodeTableModel::countdownAndExpiryFollowTheClock()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.logIn();
    const QString code = browser.authorizeCode();
    QVERIFY(!code.isEmpty());
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("5:00"));

    ts.clock().advanceSeconds(1);
    model.refreshCountdowns();
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("4:59"));

    // One tick repaints the Expires column only while nothing changes status.
    ts.clock().advanceSeconds(298);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.refreshCountdowns();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(0, CodeTableModel::ExpiresColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(0, CodeTableModel::ExpiresColumn));
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("0:01"));
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("pending"));

    // 300 s: expired before the store purges it, and the Status cell is repainted too.
    ts.clock().advanceSeconds(1);
    changed.clear();
    model.refreshCountdowns();
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(0, CodeTableModel::StatusColumn));
    QCOMPARE(changed.at(1).at(1).toModelIndex(), model.index(0, CodeTableModel::StatusColumn));
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("expired"));
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("expired"));
    QCOMPARE(model.statusAt(0), AuthorizationCode::Status::Expired);
    QCOMPARE(ts->codes().size(), 1); // not purged yet

    // Redeeming it now fails; the store reports it expired and the row stays so.
    QSignalSpy expired(&ts->codes(), &CodeStore::codeExpired);
    QCOMPARE(browser.exchangeCode(code).status, 400);
    QCOMPARE(expired.size(), 1);
    model.flushPending();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("expired"));
    QCOMPARE(model.codeAt(0).status, AuthorizationCode::Status::Expired);
}

void TestCodeTableModel::codeThatNeverExpires()
{
    ServerSettings settings = TestServer::defaultSettings();
    settings.codeLifetime = 0;
    TestServer ts(settings);
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    browser.logIn();
    QVERIFY(!browser.authorizeCode().isEmpty());
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("never"));
    ts.clock().advanceSeconds(30 * 86400);
    model.refreshCountdowns();
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("never"));
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("pending"));
}

void TestCodeTableModel::capDropsTheOldestRows()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxRows(2);
    browser.logIn();
    QStringList codes;
    for (int i = 0; i < 3; ++i) {
        codes << browser.authorizeCode();
        QVERIFY(!codes.last().isEmpty());
        model.flushPending(); // one batch each: the cap removes committed rows
    }
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, CodeTableModel::CodeColumn), codes.at(1));
    QCOMPARE(cell(model, 1, CodeTableModel::CodeColumn), codes.at(2));

    // A burst larger than the cap within one batch keeps the newest.
    codes << browser.authorizeCode() << browser.authorizeCode() << browser.authorizeCode();
    model.flushPending();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, CodeTableModel::CodeColumn), codes.at(4));
    QCOMPARE(cell(model, 1, CodeTableModel::CodeColumn), codes.at(5));

    // A dropped code's redemption changes nothing; a shown one's is seen.
    QCOMPARE(browser.exchangeCode(codes.at(0)).status, 200);
    model.flushPending();
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(cell(model, 1, CodeTableModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(browser.exchangeCode(codes.at(5)).status, 200);
    model.flushPending();
    QCOMPARE(cell(model, 1, CodeTableModel::StatusColumn), QStringLiteral("redeemed"));
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("pending"));
}

void TestCodeTableModel::codesViewFilter()
{
    TestServer ts;
    BrowserFlow browser(ts.port(), kAuthorizeQuery);
    CodesView view(ts.server());
    auto *table = view.findChild<QTableView *>(QStringLiteral("codeTable"));
    auto *filter = view.findChild<QLineEdit *>(QStringLiteral("codeFilter"));
    QVERIFY(table);
    QVERIFY(filter);
    QVERIFY(!table->accessibleName().isEmpty());
    QVERIFY(!filter->accessibleName().isEmpty());
    QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    browser.logIn();
    const QString first = browser.authorizeCode();
    const QString second = browser.authorizeCode();
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QCOMPARE(browser.exchangeCode(first).status, 200);

    QTest::keyClicks(filter, QStringLiteral("REDEEMED"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, CodeTableModel::CodeColumn).data().toString(), first);
    filter->clear();
    QCOMPARE(table->model()->rowCount(), 2);
    view.setFilterText(second);
    QCOMPARE(filter->text(), second);
    QCOMPARE(table->model()->rowCount(), 1);
    QCOMPARE(table->model()->index(0, CodeTableModel::CodeColumn).data().toString(), second);
    view.setFilterText(QStringLiteral("no such code"));
    QCOMPARE(table->model()->rowCount(), 0);
}

QTEST_MAIN(TestCodeTableModel)
#include "tst_codetablemodel.moc"
