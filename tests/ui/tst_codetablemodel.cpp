// CodeTableModel against a live server: rows follow a real code flow (issue, redeem, replay), the countdown
// and the status follow the fake clock, the cap drops the oldest rows, and the Codes view's filter works.

#include "HttpTestClient.h"
#include "TestServer.h"

#include "CodesView.h"
#include "Countdown.h"
#include "models/CodeTableModel.h"
#include "store/CodeStore.h"

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorize = QStringLiteral(
    "/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost&state=xyz");

QString csrfOf(const QByteArray &html)
{
    static const QRegularExpression re(QStringLiteral("<input(?=[^>]*\\bname=\"_csrf\")[^>]*\\bvalue=\"([^\"]*)\""));
    return re.match(QString::fromUtf8(html)).captured(1);
}

QString codeOf(const TestResponse &redirect)
{
    static const QRegularExpression re(QStringLiteral("[?&]code=([^&]+)"));
    return re.match(QString::fromUtf8(redirect.header("Location"))).captured(1);
}

// Seed steps 1–3: the logged-in session id of "user".
QString logIn(HttpTestClient &http)
{
    const QString anonymous = http.get(kAuthorize).sessionCookie();
    const TestResponse form = http.get(QStringLiteral("/login"), HttpTestClient::cookie(anonymous));
    return http
        .postForm(QStringLiteral("/login"), "username=user&password=password&_csrf=" + csrfOf(form.body).toLatin1(),
                  HttpTestClient::cookie(anonymous))
        .sessionCookie();
}

// Seed steps 4–6 on a logged-in session (approving when asked): the code, or an empty string.
QString authorizeCode(HttpTestClient &http, const QString &session)
{
    const TestResponse page = http.get(kAuthorize, HttpTestClient::cookie(session));
    if (page.status == 303)
        return codeOf(page); // remembered approval
    const TestResponse approved = http.postForm(QStringLiteral("/oauth/authorize"),
                                                "user_oauth_approval=true&_csrf=" + csrfOf(page.body).toLatin1() +
                                                    "&scope.read=true&scope.write=true&authorize=Authorize",
                                                HttpTestClient::cookie(session));
    return approved.status == 303 ? codeOf(approved) : QString();
}

TestResponse exchangeCode(HttpTestClient &http, const QString &code)
{
    return http.postForm(QStringLiteral("/oauth/token"),
                         "grant_type=authorization_code&code=" + code.toLatin1() +
                             "&redirect_uri=http%3A%2F%2Flocalhost",
                         HttpTestClient::basic(QStringLiteral("messaging-client"), QStringLiteral("secret")));
}

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
    HttpTestClient http(ts.port());
    const QString session = logIn(http);
    QVERIFY(!session.isEmpty());
    // Issued before the model exists: seeded from CodeStore::all().
    const QString code = authorizeCode(http, session);
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
    const TestResponse token = exchangeCode(http, code);
    QCOMPARE(token.status, 200);
    QTRY_COMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("redeemed"));
    QCOMPARE(model.statusAt(0), AuthorizationCode::Status::Redeemed);
    QCOMPARE(cell(model, 0, CodeTableModel::ExpiresColumn), QStringLiteral("\u2013"));

    // The same code again: a replay, the code shows revoked.
    const TestResponse replay = exchangeCode(http, code);
    QCOMPARE(replay.status, 400);
    QTRY_COMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("revoked"));
    QCOMPARE(model.statusAt(0), AuthorizationCode::Status::Revoked);

    // A second authorization arrives as a new row, in a batch.
    const QString second = authorizeCode(http, session);
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
    HttpTestClient http(ts.port());
    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString code = authorizeCode(http, logIn(http));
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
    QCOMPARE(exchangeCode(http, code).status, 400);
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
    HttpTestClient http(ts.port());
    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!authorizeCode(http, logIn(http)).isEmpty());
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
    HttpTestClient http(ts.port());
    CodeTableModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxRows(2);
    const QString session = logIn(http);
    QStringList codes;
    for (int i = 0; i < 3; ++i) {
        codes << authorizeCode(http, session);
        QVERIFY(!codes.last().isEmpty());
        model.flushPending(); // one batch each: the cap removes committed rows
    }
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, CodeTableModel::CodeColumn), codes.at(1));
    QCOMPARE(cell(model, 1, CodeTableModel::CodeColumn), codes.at(2));

    // A burst larger than the cap within one batch keeps the newest.
    codes << authorizeCode(http, session) << authorizeCode(http, session) << authorizeCode(http, session);
    model.flushPending();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, CodeTableModel::CodeColumn), codes.at(4));
    QCOMPARE(cell(model, 1, CodeTableModel::CodeColumn), codes.at(5));

    // A dropped code's redemption changes nothing; a shown one's is seen.
    QCOMPARE(exchangeCode(http, codes.at(0)).status, 200);
    model.flushPending();
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(cell(model, 1, CodeTableModel::StatusColumn), QStringLiteral("pending"));
    QCOMPARE(exchangeCode(http, codes.at(5)).status, 200);
    model.flushPending();
    QCOMPARE(cell(model, 1, CodeTableModel::StatusColumn), QStringLiteral("redeemed"));
    QCOMPARE(cell(model, 0, CodeTableModel::StatusColumn), QStringLiteral("pending"));
}

void TestCodeTableModel::codesViewFilter()
{
    TestServer ts;
    HttpTestClient http(ts.port());
    CodesView view(ts.server());
    auto *table = view.findChild<QTableView *>(QStringLiteral("codeTable"));
    auto *filter = view.findChild<QLineEdit *>(QStringLiteral("codeFilter"));
    QVERIFY(table);
    QVERIFY(filter);
    QVERIFY(!table->accessibleName().isEmpty());
    QVERIFY(!filter->accessibleName().isEmpty());
    QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    const QString session = logIn(http);
    const QString first = authorizeCode(http, session);
    const QString second = authorizeCode(http, session);
    QVERIFY(!first.isEmpty() && !second.isEmpty());
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QCOMPARE(exchangeCode(http, first).status, 200);

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
