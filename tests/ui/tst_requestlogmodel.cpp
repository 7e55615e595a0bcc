// RequestLogModel against a live server: one row per exchange with the right columns, inserts batched, the row
// cap keeping the newest, held exchanges completing in place, and the token masking of the display form.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "SeedStepText.h"
#include "http/Pipeline.h"
#include "models/RequestLogModel.h"

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

// Sends `count` GET requests at once (no waiting in between) and returns their replies.
QList<QNetworkReply *> fire(QNetworkAccessManager &nam, quint16 port, int count, const QString &path)
{
    QList<QNetworkReply *> replies;
    for (int i = 0; i < count; ++i)
        replies << nam.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path))));
    return replies;
}

bool allFinished(const QList<QNetworkReply *> &replies)
{
    return std::all_of(replies.cbegin(), replies.cend(), [](QNetworkReply *r) { return r->isFinished(); });
}

ExchangeRecord fakeRecord(quint64 id, int status = 200)
{
    ExchangeRecord r;
    r.id = id;
    r.startedAtMs = 1'700'000'000'000 + qint64(id);
    r.method = "GET";
    r.path = QStringLiteral("/health");
    r.status = status;
    return r;
}

QString cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role).toString();
}

int insertedRows(const QSignalSpy &spy)
{
    int total = 0;
    for (const QList<QVariant> &args : spy)
        total += args.at(2).toInt() - args.at(1).toInt() + 1;
    return total;
}

} // namespace

class TestRequestLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void codeFlowRows();
    void quickExchangesAreInsertedInFewBatches();
    void rowCapKeepsTheNewest();
    void loweringTheCapDropsAtOnce();
    void oneFlushNeverInsertsMoreThanTheCap();
    void heldExchangeCompletesInPlace();
    void clientGoneIsShown();
    void clearDropsRowsAndQueue();
    void tokensMaskedCodesKept();
};

void TestRequestLogModel::codeFlowRows()
{
    TestServer ts;
    RequestLogModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy clientsChanged(&model, &RequestLogModel::clientIdsChanged);
    HttpTestClient http(ts.port());
    // The seed's eight steps (5 and 6 are one exchange): seven exchanges.
    BrowserFlow flow(http, BrowserFlow::seedQuery(), {.inBody = true});
    CHECKED(flow.runAll());
    QVERIFY(!flow.code().isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 7, 1000);
    QCOMPARE(model.columnCount(), 7);
    struct Expected
    {
        QString method, path, status, steps, client;
        int statusClass;
    };
    const QString client = QStringLiteral("messaging-client");
    const QList<Expected> expected{
        {"GET", "/oauth/authorize", "302", "1", client, 3},    {"GET", "/login", "200", "2", QString(), 2},
        {"POST", "/login", "302", "3", QString(), 3},          {"GET", "/oauth/authorize", "200", "4", client, 2},
        {"POST", "/oauth/authorize", "303", "5→6", client, 3}, {"POST", "/oauth/token", "200", "7", client, 2},
        {"POST", "/oauth/token", "200", "8", client, 2},
    };
    static const QRegularExpression time(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$"));
    for (int row = 0; row < 7; ++row) {
        const Expected &e = expected[row];
        QCOMPARE(cell(model, row, RequestLogModel::Method), e.method);
        QCOMPARE(cell(model, row, RequestLogModel::Path), e.path);
        QCOMPARE(cell(model, row, RequestLogModel::Status), e.status);
        QCOMPARE(cell(model, row, RequestLogModel::Steps), e.steps);
        if (!e.client.isNull())
            QCOMPARE(cell(model, row, RequestLogModel::Client), e.client);
        QVERIFY2(time.match(cell(model, row, RequestLogModel::Time)).hasMatch(),
                 qPrintable(cell(model, row, RequestLogModel::Time)));
        bool ok = false;
        const double ms = QLocale().toDouble(cell(model, row, RequestLogModel::Duration), &ok);
        QVERIFY(ok && ms >= 0);
        QCOMPARE(model.data(model.index(row, 0), RequestLogModel::StatusClassRole).toInt(), e.statusClass);
        const quint64 id = model.data(model.index(row, 0), RequestLogModel::ExchangeIdRole).toULongLong();
        QCOMPARE(id, model.record(row).id);
        QCOMPARE(model.rowForExchange(id), row);
        QVERIFY(model.data(model.index(row, RequestLogModel::Status), Qt::ForegroundRole).isValid());
    }
    QVERIFY(!SeedStepText::title(SeedStep::Approve).isEmpty());
    QCOMPARE(cell(model, 4, RequestLogModel::Steps, Qt::ToolTipRole),
             QStringLiteral("Step 5: %1\nStep 6: %2")
                 .arg(SeedStepText::title(SeedStep::Approve), SeedStepText::title(SeedStep::CodeRedirect)));
    QCOMPARE(model.headerData(RequestLogModel::Steps, Qt::Horizontal).toString(), QStringLiteral("Step"));
    QCOMPARE(model.clientIds(), QStringList{client});
    QCOMPARE(clientsChanged.size(), 1);
    // The redacted fields, never the raw ones, are what record() callers show by default.
    QVERIFY(!model.record(5).requestBody.contains("client_secret=secret"));
}

void TestRequestLogModel::quickExchangesAreInsertedInFewBatches()
{
    TestServer ts;
    RequestLogModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QNetworkAccessManager nam;
    const QList<QNetworkReply *> replies = fire(nam, ts.port(), 200, QStringLiteral("/health"));
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(replies), 20000);
    QTRY_COMPARE(model.rowCount(), 200);
    QCOMPARE(insertedRows(inserted), 200);
    // One insert per ~75 ms, however many exchanges finished in it: far fewer than one per exchange.
    QVERIFY2(inserted.size() <= 25, qPrintable(QString::number(inserted.size())));
    for (int row = 1; row < 200; ++row)
        QCOMPARE(model.record(row).id, model.record(row - 1).id + 1);
    qDeleteAll(replies);
}

void TestRequestLogModel::rowCapKeepsTheNewest()
{
    TestServer ts;
    RequestLogModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setMaxRows(50);
    QSignalSpy finished(&ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QNetworkAccessManager nam;
    const QList<QNetworkReply *> replies = fire(nam, ts.port(), 120, QStringLiteral("/health"));
    QTRY_VERIFY_WITH_TIMEOUT(allFinished(replies), 20000);
    QTRY_COMPARE(finished.size(), 120);
    quint64 newest = 0;
    for (const QList<QVariant> &args : finished)
        newest = std::max(newest, args.at(0).value<ExchangeRecord>().id);
    QTRY_COMPARE(model.rowForExchange(newest), 49);
    QCOMPARE(model.rowCount(), 50);
    for (int row = 0; row < 50; ++row)
        QCOMPARE(model.record(row).id, newest - 49 + quint64(row));
    QCOMPARE(model.rowForExchange(newest - 50), -1);
    QVERIFY(!removed.isEmpty());
    qDeleteAll(replies);
}

void TestRequestLogModel::loweringTheCapDropsAtOnce()
{
    RequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (quint64 id = 1; id <= 30; ++id)
        model.append(fakeRecord(id));
    model.flush();
    QCOMPARE(model.rowCount(), 30);
    model.setMaxRows(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.record(0).id, quint64(21));
    QCOMPARE(model.rowForExchange(30), 9);
    QCOMPARE(model.rowForExchange(20), -1);
    model.setMaxRows(0); // at least one row stays
    QCOMPARE(model.maxRows(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.record(0).id, quint64(30));
}

void TestRequestLogModel::oneFlushNeverInsertsMoreThanTheCap()
{
    RequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (quint64 id = 1; id <= 3; ++id)
        model.append(fakeRecord(id));
    model.flush();
    model.setMaxRows(5);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    for (quint64 id = 4; id <= 15; ++id)
        model.append(fakeRecord(id));
    model.flush();
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(insertedRows(inserted), 5);
    QCOMPARE(removed.size(), 1); // the three old rows, in the same flush
    QCOMPARE(removed.at(0).at(2).toInt(), 2);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.record(0).id, quint64(11));
    QCOMPARE(model.record(4).id, quint64(15));
}

void TestRequestLogModel::heldExchangeCompletesInPlace()
{
    TestServer ts;
    RequestLogModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ts->pipeline().setHoldPredicate([](const ExchangeRecord &r) { return r.path == QLatin1String("/health"); });
    QNetworkAccessManager nam;
    const QList<QNetworkReply *> replies = fire(nam, ts.port(), 1, QStringLiteral("/health"));
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 1000);
    QVERIFY(model.isHeld(0));
    QCOMPARE(cell(model, 0, RequestLogModel::Status), QStringLiteral("held"));
    QCOMPARE(model.data(model.index(0, 0), RequestLogModel::StatusClassRole).toInt(), 0);
    QVERIFY(!replies.first()->isFinished());

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(ts->pipeline().release(model.record(0).id));
    QTRY_VERIFY(replies.first()->isFinished());
    QCOMPARE(replies.first()->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(inserted.size(), 0);
    QVERIFY(!model.isHeld(0));
    QCOMPARE(cell(model, 0, RequestLogModel::Status), QStringLiteral("200"));
    QCOMPARE(model.data(model.index(0, 0), RequestLogModel::StatusClassRole).toInt(), 2);
    qDeleteAll(replies);
}

void TestRequestLogModel::clientGoneIsShown()
{
    RequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ExchangeRecord gone = fakeRecord(7);
    gone.outcome = ExchangeRecord::Outcome::ClientGone;
    model.append(gone);
    model.flush();
    QCOMPARE(cell(model, 0, RequestLogModel::Status), QStringLiteral("client gone"));
    QCOMPARE(model.data(model.index(0, 0), RequestLogModel::StatusClassRole).toInt(), 0);
    QVERIFY(cell(model, 0, RequestLogModel::Status, Qt::ToolTipRole).contains(QLatin1String("200")));
}

void TestRequestLogModel::clearDropsRowsAndQueue()
{
    RequestLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ExchangeRecord withClient = fakeRecord(1);
    withClient.clientId = QStringLiteral("c1");
    model.append(withClient);
    model.append(fakeRecord(2));
    model.flush();
    model.append(fakeRecord(3)); // still queued
    QCOMPARE(model.clientIds(), QStringList{QStringLiteral("c1")});
    QSignalSpy clientsChanged(&model, &RequestLogModel::clientIdsChanged);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.rowForExchange(1), -1);
    QCOMPARE(clientsChanged.size(), 1);
    QVERIFY(model.clientIds().isEmpty());
    model.flush();
    QCOMPARE(model.rowCount(), 0);
    model.append(fakeRecord(4));
    model.flush();
    QCOMPARE(model.rowForExchange(4), 0);
}

void TestRequestLogModel::tokensMaskedCodesKept()
{
    ExchangeRecord r = fakeRecord(1);
    r.query = "grant_type=refresh_token&refresh_token=RT-1&client_secret=******";
    r.requestBody = "token=TK&access%5Ftoken=AT-0&code=abc";
    r.responseHeaders = {{"Location", "http://localhost?code=XyZ123&state=s#access_token=AT-2&token_type=bearer"}};
    r.responseBody = R"({"access_token":"AT-1","token_type":"bearer","refresh_token" : "RT-\"2","id_token":"ID",)"
                     R"("expires_in":43199})";
    r.revealedQuery = "refresh_token=RT-1";
    const ExchangeRecord m = RequestLogModel::withTokensMasked(r);
    QCOMPARE(m.query, QByteArray("grant_type=refresh_token&refresh_token=******&client_secret=******"));
    QCOMPARE(m.requestBody, QByteArray("token=******&access%5Ftoken=******&code=abc"));
    QCOMPARE(m.responseHeaders.first().second,
             QByteArray("http://localhost?code=XyZ123&state=s#access_token=******&token_type=bearer"));
    QCOMPARE(m.responseBody, QByteArray(R"({"access_token":"******","token_type":"bearer","refresh_token" : )"
                                        R"("******","id_token":"******","expires_in":43199})"));
    QCOMPARE(m.revealedQuery, r.revealedQuery);

    ExchangeRecord page = fakeRecord(2);
    page.responseBody = R"(<form><input name="_csrf" type="hidden" value="c-1" /><input type="hidden" name="_csrf" )"
                        R"(value="c-2"/><input name="x" value="kept"/></form>)";
    QCOMPARE(RequestLogModel::withTokensMasked(page).responseBody,
             QByteArray(R"(<form><input name="_csrf" type="hidden" value="******" /><input type="hidden" )"
                        R"(name="_csrf" value="******"/><input name="x" value="kept"/></form>)"));
}

QTEST_MAIN(TestRequestLogModel)
#include "tst_requestlogmodel.moc"
