// RequestsView with a live server behind it: exchanges appear within a second and filter, the detail masks
// secrets until the row is revealed, copy as curl, selectExchange, clear, HAR export and auto-scroll.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "CurlCommand.h"
#include "ExchangeDetailView.h"
#include "RequestsView.h"
#include "models/RequestLogModel.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QByteArray kSecret = "Cl1ent-S3cret-4711";
const QByteArray kPassword = "Us3r-Passw0rd-0815";
const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");

ServerSettings distinctSecrets()
{
    ServerSettings s = TestServer::defaultSettings();
    s.clients.first().secret = QString::fromLatin1(kSecret);
    s.users.first().password = QString::fromLatin1(kPassword);
    return s;
}

struct Flow
{
    QByteArray code;
    QByteArray access;
    QByteArray refresh;
};

// Steps 1–7 of the seed's flow (BrowserFlow::runToToken); the token request sends client_secret in the body.
void runCodeFlow(HttpTestClient &http, Flow *out)
{
    BrowserFlow flow(http, BrowserFlow::seedQuery(), {.secret = QString::fromLatin1(kSecret), .inBody = true});
    CHECKED(flow.runToToken(QString::fromLatin1(kPassword)));
    out->code = flow.code().toLatin1();
    out->access = flow.tokens().access.toLatin1();
    out->refresh = flow.tokens().refresh.toLatin1();
    QVERIFY(!out->code.isEmpty() && !out->access.isEmpty() && !out->refresh.isEmpty());
}

ExchangeRecord fakeRecord(quint64 id)
{
    ExchangeRecord r;
    r.id = id;
    r.method = "GET";
    r.path = QStringLiteral("/health");
    r.status = 200;
    return r;
}

// The id of the first finished exchange with that seed step.
quint64 idOfStep(const QSignalSpy &finished, SeedStep step)
{
    for (const QList<QVariant> &args : finished) {
        const auto r = args.at(0).value<ExchangeRecord>();
        if (r.steps.contains(step))
            return r.id;
    }
    return 0;
}

ExchangeRecord recordOf(const QSignalSpy &finished, quint64 id)
{
    for (const QList<QVariant> &args : finished) {
        const auto r = args.at(0).value<ExchangeRecord>();
        if (r.id == id)
            return r;
    }
    return {};
}

QString cell(const QAbstractItemModel *model, int row, int column)
{
    return model->data(model->index(row, column)).toString();
}

// A view with a real server, sized and shown like in the window.
struct Fixture
{
    explicit Fixture(ServerSettings settings = TestServer::defaultSettings())
        : ts(std::move(settings)), view(ts.server()), sourceTester(view.model(), Mode::QtTest),
          proxyTester(view.filteredModel(), Mode::QtTest)
    {
        view.resize(1000, 700);
        view.show();
    }
    using Mode = QAbstractItemModelTester::FailureReportingMode;
    TestServer ts;
    RequestsView view;
    QAbstractItemModelTester sourceTester;
    QAbstractItemModelTester proxyTester;
    QTableView *table() { return view.findChild<QTableView *>(QStringLiteral("requestTable")); }
    ExchangeDetailView *detail() { return view.findChild<ExchangeDetailView *>(QStringLiteral("exchangeDetail")); }
    QToolButton *reveal() { return view.findChild<QToolButton *>(QStringLiteral("revealSecrets")); }
};

} // namespace

class TestRequestsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void exchangeAppearsWithinOneSecondAndFilters();
    void detailMasksSecretsUntilTheRowIsRevealed();
    void copyAsCurlFollowsTheRevealToggle();
    void curlCommandOfAKnownRecord();
    void curlQuotesForTheShell();
    void jsonIsPrettyPrintedInItsOwnOrder();
    void selectExchangeClearsFiltersThatHideIt();
    void clearEmptiesLogAndDetail();
    void exportHarWritesEveryRowWithoutSecrets();
    void autoScrollPausesWhileScrolledAway();
    void droppedRowsDoNotMoveTheRowsBeingRead();
};

void TestRequestsView::initTestCase()
{
    qputenv("XDG_RUNTIME_DIR", QDir::tempPath().toLocal8Bit());
}

void TestRequestsView::exchangeAppearsWithinOneSecondAndFilters()
{
    Fixture f;
    QTableView *table = f.table();
    QVERIFY(table);
    const QAbstractItemModel *shown = table->model();
    HttpTestClient http(f.ts.port());
    QCOMPARE(http.get(kAuthorize).status, 302);

    QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 1, 1000);
    QCOMPARE(cell(shown, 0, RequestLogModel::Method), QStringLiteral("GET"));
    QCOMPARE(cell(shown, 0, RequestLogModel::Path), QStringLiteral("/oauth/authorize"));
    QCOMPARE(cell(shown, 0, RequestLogModel::Status), QStringLiteral("302"));
    QCOMPARE(cell(shown, 0, RequestLogModel::Steps), QStringLiteral("1"));
    QCOMPARE(cell(shown, 0, RequestLogModel::Client), QStringLiteral("messaging-client"));

    auto *text = f.view.findChild<QLineEdit *>(QStringLiteral("requestFilter"));
    auto *status = f.view.findChild<QComboBox *>(QStringLiteral("statusFilter"));
    auto *client = f.view.findChild<QComboBox *>(QStringLiteral("clientFilter"));
    QVERIFY(text && status && client);
    QTest::keyClicks(text, QStringLiteral("token"));
    QCOMPARE(shown->rowCount(), 0);
    text->setText(QStringLiteral("AUTHORIZE")); // case does not matter
    QCOMPARE(shown->rowCount(), 1);
    text->setText(QStringLiteral("302"));
    QCOMPARE(shown->rowCount(), 1);
    text->clear();

    QCOMPARE(status->count(), 5);
    status->setCurrentIndex(status->findText(QStringLiteral("4xx")));
    QCOMPARE(shown->rowCount(), 0);
    status->setCurrentIndex(status->findText(QStringLiteral("3xx")));
    QCOMPARE(shown->rowCount(), 1);
    status->setCurrentIndex(0);

    QCOMPARE(client->count(), 2);
    QCOMPARE(client->itemText(1), QStringLiteral("messaging-client"));
    // An exchange without a client: the client filter hides it, "All clients" shows it.
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), 2, 1000);
    client->setCurrentIndex(1);
    QCOMPARE(shown->rowCount(), 1);
    QCOMPARE(cell(shown, 0, RequestLogModel::Path), QStringLiteral("/oauth/authorize"));
    client->setCurrentIndex(0);
    QCOMPARE(shown->rowCount(), 2);
}

void TestRequestsView::detailMasksSecretsUntilTheRowIsRevealed()
{
    Fixture f(distinctSecrets());
    QSignalSpy finished(&f.ts.server(), &OAuthServer::exchangeFinished);
    HttpTestClient http(f.ts.port());
    Flow flow;
    CHECKED(runCodeFlow(http, &flow));
    ExchangeDetailView *detail = f.detail();
    QToolButton *reveal = f.reveal();
    QVERIFY(detail && reveal);
    QVERIFY(!reveal->isEnabled()); // nothing selected yet

    const quint64 token = idOfStep(finished, SeedStep::TokenExchange);
    QVERIFY(f.view.selectExchange(token));
    QCOMPARE(detail->exchangeId(), token);
    QVERIFY(reveal->isEnabled());
    QVERIFY(!reveal->isChecked());
    QVERIFY(detail->requestText().startsWith(QStringLiteral("POST /oauth/token HTTP/1.1")));
    QVERIFY2(detail->requestText().contains(QStringLiteral("  client_secret = ******")),
             qPrintable(detail->requestText()));
    QVERIFY(!detail->requestText().contains(QString::fromLatin1(kSecret)));
    // The code is not a secret here: teaching needs it.
    QVERIFY(detail->requestText().contains(QStringLiteral("  code = ") + QString::fromLatin1(flow.code)));
    QVERIFY2(detail->responseText().contains(QStringLiteral("\"access_token\": \"******\"")),
             qPrintable(detail->responseText()));
    QVERIFY(detail->responseText().startsWith(QStringLiteral("HTTP/1.1 200 OK")));
    QVERIFY(!detail->responseText().contains(QString::fromLatin1(flow.access)));
    QVERIFY(!detail->responseText().contains(QString::fromLatin1(flow.refresh)));

    reveal->click();
    QVERIFY(detail->isRevealed());
    QVERIFY(detail->requestText().contains(QStringLiteral("  client_secret = ") + QString::fromLatin1(kSecret)));
    QVERIFY(detail->responseText().contains(QStringLiteral("\"access_token\": \"") + QString::fromLatin1(flow.access)));
    QVERIFY(detail->responseText().contains(QString::fromLatin1(flow.refresh)));

    // Another row: masked again, and its own reveal.
    const quint64 login = idOfStep(finished, SeedStep::LoginSubmit);
    QVERIFY(f.view.selectExchange(login));
    QVERIFY(!reveal->isChecked());
    QVERIFY(!detail->isRevealed());
    QVERIFY(detail->requestText().contains(QStringLiteral("  password = ******")));
    QVERIFY(!detail->requestText().contains(QString::fromLatin1(kPassword)));
    reveal->click();
    QVERIFY(detail->requestText().contains(QStringLiteral("  password = ") + QString::fromLatin1(kPassword)));

    QVERIFY(f.view.selectExchange(token));
    QVERIFY(!detail->isRevealed());
    QVERIFY(!detail->requestText().contains(QString::fromLatin1(kSecret)));
}

void TestRequestsView::copyAsCurlFollowsTheRevealToggle()
{
    Fixture f(distinctSecrets());
    QSignalSpy finished(&f.ts.server(), &OAuthServer::exchangeFinished);
    HttpTestClient http(f.ts.port());
    Flow flow;
    CHECKED(runCodeFlow(http, &flow));
    const quint64 token = idOfStep(finished, SeedStep::TokenExchange);
    QVERIFY(f.view.selectExchange(token));
    auto *copy = f.view.findChild<QPushButton *>(QStringLiteral("copyAsCurl"));
    QVERIFY(copy);
    QVERIFY(copy->toolTip().contains(QLatin1String("masked")));
    const ExchangeRecord record = recordOf(finished, token);

    copy->click();
    const QString masked = QApplication::clipboard()->text();
    QCOMPARE(masked, CurlCommand::build(record, f.ts.base(), SecretView::Masked));
    QVERIFY(masked.startsWith(QStringLiteral("curl '") + f.ts.base() + QStringLiteral("/oauth/token'")));
    QVERIFY(masked.contains(QStringLiteral("client_secret=******")));
    QVERIFY(!masked.contains(QString::fromLatin1(kSecret)));

    f.reveal()->click();
    copy->click();
    const QString revealed = QApplication::clipboard()->text();
    QCOMPARE(revealed, CurlCommand::build(record, f.ts.base(), SecretView::Revealed));
    QVERIFY(revealed.contains(QStringLiteral("client_secret=") + QString::fromLatin1(kSecret)));
    QVERIFY(!revealed.contains(QLatin1String("Host:"), Qt::CaseInsensitive));
    QVERIFY(!revealed.contains(QLatin1String("Content-Length:"), Qt::CaseInsensitive));
}

void TestRequestsView::curlCommandOfAKnownRecord()
{
    ExchangeRecord r;
    r.method = "POST";
    r.path = QStringLiteral("/oauth/token");
    r.query = "client_id=messaging-client&client_secret=******";
    r.requestHeaders = {{"host", "127.0.0.1:8090"},
                        {"content-type", "application/x-www-form-urlencoded"},
                        {"content-length", "70"},
                        {"authorization", "Basic ******"},
                        {"cookie", "JSESSIONID=******"}};
    r.requestBody = "grant_type=refresh_token&refresh_token=RT-1&scope=read+write";
    r.revealedQuery = "client_id=messaging-client&client_secret=s3cret";
    r.revealedRequestHeaders = {{"host", "127.0.0.1:8090"},
                                {"content-type", "application/x-www-form-urlencoded"},
                                {"authorization", "Basic bWM6czNjcmV0"},
                                {"cookie", "JSESSIONID=ABC"}};
    r.revealedRequestBody = r.requestBody;

    QCOMPARE(
        CurlCommand::build(r, QStringLiteral("http://127.0.0.1:8090"), SecretView::Masked),
        QStringLiteral("curl 'http://127.0.0.1:8090/oauth/token?client_id=messaging-client&client_secret=******' \\\n"
                       "  -H 'content-type: application/x-www-form-urlencoded' \\\n"
                       "  -H 'authorization: Basic ******' \\\n"
                       "  -H 'cookie: JSESSIONID=******' \\\n"
                       "  --data-binary 'grant_type=refresh_token&refresh_token=******&scope=read+write'"));
    QCOMPARE(
        CurlCommand::build(r, QStringLiteral("http://127.0.0.1:8090"), SecretView::Revealed),
        QStringLiteral("curl 'http://127.0.0.1:8090/oauth/token?client_id=messaging-client&client_secret=s3cret' \\\n"
                       "  -H 'content-type: application/x-www-form-urlencoded' \\\n"
                       "  -H 'authorization: Basic bWM6czNjcmV0' \\\n"
                       "  -H 'cookie: JSESSIONID=ABC' \\\n"
                       "  --data-binary 'grant_type=refresh_token&refresh_token=RT-1&scope=read+write'"));

    // A POST without a body (the seed's Postman form) needs -X; a GET needs nothing; HEAD is --head.
    ExchangeRecord empty;
    empty.method = "POST";
    empty.path = QStringLiteral("/oauth/token");
    QCOMPARE(CurlCommand::build(empty, QStringLiteral("http://h:1"), SecretView::Masked),
             QStringLiteral("curl -X POST 'http://h:1/oauth/token'"));
    empty.method = "GET";
    empty.path = QStringLiteral("/a b/[x]");
    QCOMPARE(CurlCommand::build(empty, QStringLiteral("http://h:1"), SecretView::Masked),
             QStringLiteral("curl 'http://h:1/a%20b/%5Bx%5D'"));
    empty.method = "HEAD";
    QCOMPARE(CurlCommand::build(empty, QStringLiteral("http://h:1"), SecretView::Masked),
             QStringLiteral("curl --head 'http://h:1/a%20b/%5Bx%5D'"));
}

void TestRequestsView::curlQuotesForTheShell()
{
    QCOMPARE(CurlCommand::shellQuote("plain"), QStringLiteral("'plain'"));
    QCOMPARE(CurlCommand::shellQuote("it's $HOME `x`"), QStringLiteral("'it'\\''s $HOME `x`'"));
    QCOMPARE(CurlCommand::shellQuote("a\nb\\c'd"), QStringLiteral("$'a\\x0ab\\\\c\\'d'"));
    QCOMPARE(CurlCommand::shellQuote("\xff"), QStringLiteral("$'\\xff'"));
    QCOMPARE(CurlCommand::shellQuote("\u00fc"), QStringLiteral("'\u00fc'"));
    // A body starting with '@' must not be read as a file name.
    ExchangeRecord r;
    r.method = "POST";
    r.path = QStringLiteral("/x");
    r.requestBody = "@/etc/passwd";
    QCOMPARE(CurlCommand::build(r, QStringLiteral("http://h:1"), SecretView::Masked),
             QStringLiteral("curl 'http://h:1/x' \\\n  --data-raw '@/etc/passwd'"));
}

void TestRequestsView::jsonIsPrettyPrintedInItsOwnOrder()
{
    // Commas, colons and braces inside strings are content; members keep their order.
    const QByteArray kJson = "{\"b\":1, \"a\":[],\"c\":{\"d\":\"x,\\\"y:{\"},\"e\":[true,null]}";
    QCOMPARE(ExchangeDetailView::prettyJson(kJson),
             QStringLiteral("{\n  \"b\": 1,\n  \"a\": [],\n  \"c\": {\n    \"d\": \"x,\\\"y:{\"\n  },\n"
                            "  \"e\": [\n    true,\n    null\n  ]\n}"));
    QCOMPARE(ExchangeDetailView::prettyJson("{not json"), QStringLiteral("{not json"));
}

void TestRequestsView::selectExchangeClearsFiltersThatHideIt()
{
    Fixture f;
    QSignalSpy finished(&f.ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy selected(&f.view, &RequestsView::exchangeSelected);
    HttpTestClient http(f.ts.port());
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    QCOMPARE(http.get(kAuthorize).status, 302);
    const quint64 health = finished.at(0).at(0).value<ExchangeRecord>().id;
    auto *text = f.view.findChild<QLineEdit *>(QStringLiteral("requestFilter"));
    auto *status = f.view.findChild<QComboBox *>(QStringLiteral("statusFilter"));
    text->setText(QStringLiteral("authorize"));
    status->setCurrentIndex(status->findText(QStringLiteral("3xx")));
    QTRY_COMPARE_WITH_TIMEOUT(f.table()->model()->rowCount(), 1, 1000);

    // Not flushed yet does not matter: selectExchange flushes.
    QVERIFY(f.view.selectExchange(health));
    QVERIFY(text->text().isEmpty());
    QCOMPARE(status->currentIndex(), 0);
    QCOMPARE(f.table()->model()->rowCount(), 2);
    const QModelIndex current = f.table()->currentIndex();
    QCOMPARE(current.data(RequestLogModel::ExchangeIdRole).toULongLong(), health);
    QVERIFY(f.table()->selectionModel()->isRowSelected(current.row(), {}));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).at(0).toULongLong(), health);
    QCOMPARE(f.detail()->exchangeId(), health);
    // Selecting the same exchange again is not a change.
    QVERIFY(f.view.selectExchange(health));
    QCOMPARE(selected.size(), 1);
    QVERIFY(!f.view.selectExchange(999999));
}

void TestRequestsView::clearEmptiesLogAndDetail()
{
    Fixture f;
    HttpTestClient http(f.ts.port());
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(f.table()->model()->rowCount(), 1, 1000);
    f.table()->selectRow(0);
    QVERIFY(f.detail()->hasRecord());
    auto *clear = f.view.findChild<QPushButton *>(QStringLiteral("clearRequests"));
    QVERIFY(clear);
    clear->click();
    QCOMPARE(f.table()->model()->rowCount(), 0);
    QCOMPARE(f.view.model()->rowCount(), 0);
    QVERIFY(!f.detail()->hasRecord());
    QVERIFY(f.detail()->requestText().isEmpty());
    // The log goes on after a clear.
    QCOMPARE(http.get(QStringLiteral("/health")).status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(f.table()->model()->rowCount(), 1, 1000);
}

void TestRequestsView::exportHarWritesEveryRowWithoutSecrets()
{
    Fixture f(distinctSecrets());
    HttpTestClient http(f.ts.port());
    Flow flow;
    CHECKED(runCodeFlow(http, &flow));
    QVERIFY(f.view.findChild<QPushButton *>(QStringLiteral("exportHar")));
    auto *text = f.view.findChild<QLineEdit *>(QStringLiteral("requestFilter"));
    text->setText(QStringLiteral("token")); // the filter does not limit the export
    QTRY_COMPARE_WITH_TIMEOUT(f.view.model()->rowCount(), 6, 1000);
    QCOMPARE(f.table()->model()->rowCount(), 1);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("requests.har"));
    QSignalSpy exported(&f.view, &RequestsView::harExported);
    QString error;
    QVERIFY2(f.view.exportHarTo(path, &error), qPrintable(error));
    QCOMPARE(exported.size(), 1);
    QCOMPARE(exported.at(0).at(1).toInt(), 6);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    const QJsonArray entries =
        QJsonDocument::fromJson(bytes).object().value("log").toObject().value("entries").toArray();
    QCOMPARE(entries.size(), 6);
    QCOMPARE(entries.at(0).toObject().value("request").toObject().value("url").toString(), f.ts.base() + kAuthorize);
    QCOMPARE(entries.at(5).toObject().value("response").toObject().value("status").toInt(), 200);
    for (const QByteArray &secret : {kSecret, kPassword, flow.access, flow.refresh})
        QVERIFY2(!bytes.contains(secret), secret.constData());
    QVERIFY(!f.view.exportHarTo(dir.filePath(QStringLiteral("no/such/dir.har")), &error));
    QVERIFY(!error.isEmpty());
}

void TestRequestsView::autoScrollPausesWhileScrolledAway()
{
    Fixture f;
    f.view.resize(800, 400);
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    RequestLogModel *model = f.view.model();
    QScrollBar *bar = f.table()->verticalScrollBar();
    quint64 id = 0;
    const auto add = [&](int count) {
        for (int i = 0; i < count; ++i)
            model->append(fakeRecord(++id));
        model->flush();
    };

    add(100);
    QTRY_VERIFY(bar->maximum() > 50);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(f.view.isFollowingNewest());

    // The user scrolls up: new rows do not move the view.
    bar->setValue(10);
    QVERIFY(!f.view.isFollowingNewest());
    const int maximumBefore = bar->maximum();
    add(50);
    QTRY_COMPARE(bar->maximum(), maximumBefore + 50);
    QCOMPARE(bar->value(), 10);
    QVERIFY(!f.view.isFollowingNewest());

    // Back at the bottom: it follows again.
    bar->setValue(bar->maximum());
    QVERIFY(f.view.isFollowingNewest());
    add(50);
    QTRY_COMPARE(bar->maximum(), maximumBefore + 100);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(f.table()->rowAt(f.table()->viewport()->height() - 2) >= 195);
}

void TestRequestsView::droppedRowsDoNotMoveTheRowsBeingRead()
{
    Fixture f;
    f.view.resize(800, 400);
    QVERIFY(QTest::qWaitForWindowExposed(&f.view));
    f.view.setMaxRows(100);
    RequestLogModel *model = f.view.model();
    QScrollBar *bar = f.table()->verticalScrollBar();
    for (quint64 id = 1; id <= 100; ++id)
        model->append(fakeRecord(id));
    model->flush();
    QTRY_VERIFY(bar->maximum() > 40);
    QTRY_COMPARE(bar->value(), bar->maximum());
    bar->setValue(30);
    const quint64 topId = f.table()->indexAt(QPoint(2, 2)).data(RequestLogModel::ExchangeIdRole).toULongLong();
    QCOMPARE(topId, quint64(31));
    for (quint64 id = 101; id <= 110; ++id)
        model->append(fakeRecord(id));
    model->flush();
    QCOMPARE(model->record(0).id, quint64(11));
    QTRY_COMPARE(bar->value(), 20);
    QCOMPARE(f.table()->indexAt(QPoint(2, 2)).data(RequestLogModel::ExchangeIdRole).toULongLong(), topId);
    QVERIFY(!f.view.isFollowingNewest());
}

QTEST_MAIN(TestRequestsView)
#include "tst_requestsview.moc"
