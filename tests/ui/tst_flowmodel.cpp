// FlowModel against a live server: the seed's code flow scripted over HTTP, one request at a time, with the model
// under QAbstractItemModelTester the whole time.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "SeedStepText.h"
#include "model/Client.h"
#include "models/FlowModel.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QUrl>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
const QByteArray kClientAuth = "&client_id=messaging-client&client_secret=secret";

// The client application of the scripted flows sends its credentials in the body, as the seed's curl lines do.
const ClientCredentials kClientInBody{.inBody = true};

// A flow's eight states as one string, e.g. "DDDDSDPP" (Pending, Done, Failed, Skipped): a failed comparison
// shows every step at once.
QString states(const FlowModel &model, int row)
{
    QString out;
    for (SeedStep s : SeedStepText::steps()) {
        switch (model.stepState(row, s)) {
        case FlowModel::StepState::Pending:
            out += QLatin1Char('P');
            break;
        case FlowModel::StepState::Done:
            out += QLatin1Char('D');
            break;
        case FlowModel::StepState::Failed:
            out += QLatin1Char('F');
            break;
        case FlowModel::StepState::Skipped:
            out += QLatin1Char('S');
            break;
        }
    }
    return out;
}

// The id of the last finished exchange tagged with `step`.
quint64 lastExchangeWith(const QSignalSpy &records, SeedStep step)
{
    for (qsizetype i = records.size() - 1; i >= 0; --i) {
        const auto record = records.at(i).at(0).value<ExchangeRecord>();
        if (record.steps.contains(step))
            return record.id;
    }
    return 0;
}

} // namespace

class TestFlowModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void marksTheStepsInOrder();
    void autoapprovedFlowSkipsStep5();
    void twoFlowsAreSeparateRows();
    void refreshKeepsTheLatestAndCounts();
    void failedStepsAreMarked();
    void exchangesWithoutFlowAreIgnored();
    void capacityDropsTheOldest();
    void deviceFlowIsOneRow();
};

void TestFlowModel::marksTheStepsInOrder()
{
    TestServer ts;
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    BrowserFlow flow(ts.port(), BrowserFlow::seedQuery(), kClientInBody);

    QCOMPARE(flow.startAuthorize().status, 302);
    QTRY_COMPARE(model.rowCount(), 1);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DPPPPPPP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::Authorize).result, QStringLiteral("302 → /login"));
    QCOMPARE(model.flowAt(0).step(SeedStep::Authorize).target, kAuthorize);
    QCOMPARE(model.flowAt(0).step(SeedStep::Authorize).method, QByteArray("GET"));
    QCOMPARE(flow.loginPage().status, 200);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDPPPPPP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::LoginPage).result, QStringLiteral("200 login page"));
    QCOMPARE(flow.submitLogin().status, 302);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDPPPPP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::LoginSubmit).location, ts.base() + kAuthorize);
    // The form as sent, with the password and the CSRF token masked.
    QVERIFY2(QRegularExpression(QStringLiteral("^username=user&password=\\*+&_csrf=\\*+$"))
                 .match(model.flowAt(0).step(SeedStep::LoginSubmit).form)
                 .hasMatch(),
             qPrintable(model.flowAt(0).step(SeedStep::LoginSubmit).form));
    QCOMPARE(flow.authorize().status, 200);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDPPPP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::AuthorizeAgain).result, QStringLiteral("200 approval page"));
    // Approval and the code redirect are one exchange: 5 and 6 light up together.
    QCOMPARE(flow.approve().status, 303);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDDDPP"));
    const FlowModel::Step &code = model.flowAt(0).step(SeedStep::CodeRedirect);
    QCOMPARE(code.location, QStringLiteral("http://localhost?code=") + flow.code());
    QCOMPARE(code.exchangeId, lastExchangeWith(records, SeedStep::Approve));
    QCOMPARE(flow.exchangeCode(flow.code()).status, 200);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDDDDP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::TokenExchange).result, QStringLiteral("200 token"));
    QCOMPARE(model.flowAt(0).step(SeedStep::TokenExchange).target, QStringLiteral("/oauth/token"));
    QCOMPARE(
        model.flowAt(0).step(SeedStep::TokenExchange).form,
        QStringLiteral("grant_type=authorization_code&code=") + flow.code() +
            QStringLiteral("&redirect_uri=http%3A%2F%2Flocalhost&client_id=messaging-client&client_secret=******"));
    QCOMPARE(model.flowAt(0).step(SeedStep::TokenExchange).exchangeId,
             lastExchangeWith(records, SeedStep::TokenExchange));
    QCOMPARE(flow.refresh(flow.tokens().refresh).status, 200);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDDDDD"));

    // One flow; every step realised by a different exchange, in order (5 and 6 share one).
    QCOMPARE(model.rowCount(), 1);
    const FlowModel::Flow &f = model.flowAt(0);
    QCOMPARE(f.id, records.first().at(0).value<ExchangeRecord>().flowId);
    QCOMPARE(f.clientId, QStringLiteral("messaging-client"));
    QCOMPARE(f.username, QStringLiteral("user"));
    QCOMPARE(f.lastStep(), SeedStep::Refresh);
    QCOMPARE(f.approval, std::optional<ApprovalKind>(ApprovalKind::UserApproved));
    const QList<quint64> ids{1, 2, 3, 4, 5, 5, 6, 7};
    for (SeedStep s : SeedStepText::steps()) {
        QCOMPARE(f.step(s).exchangeId, records.at(qsizetype(ids[int(s) - 1]) - 1).at(0).value<ExchangeRecord>().id);
        QCOMPARE(f.step(s).count, 1);
    }
    QCOMPARE(model.data(model.index(0), FlowModel::FlowIdRole).toULongLong(), f.id);
    QCOMPARE(model.data(model.index(0), FlowModel::LastStepRole).toInt(), 8);
    QVERIFY2(model.data(model.index(0))
                 .toString()
                 .startsWith(QStringLiteral("Flow #%1 — messaging-client — user — step 8 Refresh token — ").arg(f.id)),
             qPrintable(model.data(model.index(0)).toString()));
}

void TestFlowModel::autoapprovedFlowSkipsStep5()
{
    TestServer ts;
    QVERIFY(ts->setAutoApprove(QStringLiteral("messaging-client"), AutoApprove{AutoApprove::Mode::All, {}}));
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    BrowserFlow flow(ts.port(), BrowserFlow::seedQuery(), kClientInBody);

    QCOMPARE(flow.startAuthorize().status, 302);
    QCOMPARE(flow.loginPage().status, 200);
    QCOMPARE(flow.submitLogin().status, 302);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDPPPPP"));
    // Step 4 goes straight to the code: 5 never happens.
    QCOMPARE(flow.authorize().status, 303);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDSDPP"));
    QCOMPARE(model.flowAt(0).approval, std::optional<ApprovalKind>(ApprovalKind::AutoApproved));
    QCOMPARE(model.flowAt(0).step(SeedStep::Approve).exchangeId, quint64(0));
    QCOMPARE(flow.exchangeCode(flow.code()).status, 200);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDSDDP"));
}

void TestFlowModel::twoFlowsAreSeparateRows()
{
    TestServer ts;
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    BrowserFlow first(ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    BrowserFlow second(ts.port(), BrowserFlow::seedQuery(), kClientInBody);

    // Interleaved: the first browser signs in while the second one has only started.
    QCOMPARE(first.startAuthorize().status, 302);
    QCOMPARE(second.startAuthorize().status, 302);
    QCOMPARE(first.loginPage().status, 200);
    QCOMPARE(first.submitLogin().status, 302);
    QTRY_COMPARE(model.rowCount(), 2);
    const quint64 firstId = records.at(0).at(0).value<ExchangeRecord>().flowId;
    const quint64 secondId = records.at(1).at(0).value<ExchangeRecord>().flowId;
    QVERIFY(firstId != secondId);
    // Newest first.
    QCOMPARE(model.rowOf(secondId), 0);
    QCOMPARE(model.rowOf(firstId), 1);
    QTRY_COMPARE(states(model, 1), QStringLiteral("DDDPPPPP"));
    QCOMPARE(states(model, 0), QStringLiteral("DPPPPPPP"));

    first.runAll();
    QTRY_COMPARE(model.rowCount(), 3); // runAll starts its own, third flow
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDDDDD"));
    QCOMPARE(states(model, 1), QStringLiteral("DPPPPPPP"));
    QCOMPARE(states(model, 2), QStringLiteral("DDDPPPPP"));
    QCOMPARE(model.flowAt(1).id, secondId);
    QCOMPARE(model.flowAt(1).username, QString());
    QVERIFY(model.flowAt(0).step(SeedStep::Authorize).exchangeId !=
            model.flowAt(2).step(SeedStep::Authorize).exchangeId);
}

void TestFlowModel::refreshKeepsTheLatestAndCounts()
{
    TestServer ts;
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    BrowserFlow flow(ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    flow.runAll();
    QTRY_COMPARE(model.rowCount(), 1);
    QTRY_COMPARE(model.flowAt(0).step(SeedStep::Refresh).count, 1);
    QCOMPARE(flow.refresh(flow.tokens().refresh).status, 200);
    QCOMPARE(flow.refresh(flow.tokens().refresh).status, 200);
    QTRY_COMPARE(model.flowAt(0).step(SeedStep::Refresh).count, 3);
    QCOMPARE(model.flowAt(0).step(SeedStep::Refresh).exchangeId, lastExchangeWith(records, SeedStep::Refresh));
    QCOMPARE(model.flowAt(0).step(SeedStep::Refresh).exchangeId, records.last().at(0).value<ExchangeRecord>().id);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY2(model.data(model.index(0)).toString().contains(QStringLiteral("step 8 Refresh token ×3")),
             qPrintable(model.data(model.index(0)).toString()));
}

void TestFlowModel::failedStepsAreMarked()
{
    TestServer ts;
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    BrowserFlow flow(ts.port(), BrowserFlow::seedQuery(), kClientInBody);

    QCOMPARE(flow.startAuthorize().status, 302);
    QCOMPARE(flow.loginPage().status, 200);
    QCOMPARE(flow.submitLogin(QStringLiteral("user"), QStringLiteral("wrong")).status, 302); // to /login?error
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDFPPPPP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::LoginSubmit).result, QStringLiteral("302 → /login?error"));
    QVERIFY(model.data(model.index(0), FlowModel::FailedRole).toBool());
    // The browser shows the form again and the user gets it right: the latest exchange wins.
    QCOMPARE(flow.loginPage().status, 200);
    QCOMPARE(flow.submitLogin().status, 302);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDPPPPP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::LoginSubmit).count, 2);
    QCOMPARE(model.flowAt(0).step(SeedStep::LoginPage).count, 2);
    QVERIFY(!model.data(model.index(0), FlowModel::FailedRole).toBool());

    QCOMPARE(flow.authorize().status, 200);
    QCOMPARE(flow.approve().status, 303);
    QCOMPARE(flow.exchangeCode(flow.code()).status, 200);
    // The code replayed: invalid_grant, on the same flow.
    QCOMPARE(flow.exchangeCode(flow.code()).status, 400);
    QTRY_COMPARE(states(model, 0), QStringLiteral("DDDDDDFP"));
    QCOMPARE(model.flowAt(0).step(SeedStep::TokenExchange).result, QStringLiteral("400 invalid_grant"));
    QCOMPARE(model.flowAt(0).step(SeedStep::TokenExchange).count, 2);
}

void TestFlowModel::exchangesWithoutFlowAreIgnored()
{
    TestServer ts;
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    HttpTestClient http(ts.port());
    // A login page without a session, and a token request with a code nobody issued: no flow.
    QCOMPARE(http.get(QStringLiteral("/login")).status, 200);
    QCOMPARE(
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=authorization_code&code=nope" + kClientAuth).status,
        400);
    QCOMPARE(records.size(), 2);
    QCOMPARE(records.at(0).at(0).value<ExchangeRecord>().flowId, quint64(0));
    QCOMPARE(records.at(1).at(0).value<ExchangeRecord>().flowId, quint64(0));
    model.flush();
    QCOMPARE(model.rowCount(), 0);
}

void TestFlowModel::capacityDropsTheOldest()
{
    TestServer ts;
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(3);
    QSignalSpy records(&ts.server(), &OAuthServer::exchangeFinished);
    HttpTestClient http(ts.port());
    // Each authorize without a cookie starts a new session and so a new flow.
    for (int i = 0; i < 5; ++i)
        QCOMPARE(http.get(kAuthorize).status, 302);
    QTRY_COMPARE(records.size(), 5);
    QTRY_COMPARE(model.rowCount(), 3);
    QList<quint64> expected;
    for (int i = 4; i >= 2; --i)
        expected << records.at(i).at(0).value<ExchangeRecord>().flowId;
    QList<quint64> shown;
    for (int row = 0; row < model.rowCount(); ++row)
        shown << model.flowAt(row).id;
    QCOMPARE(shown, expected);
    QCOMPARE(model.rowOf(records.at(0).at(0).value<ExchangeRecord>().flowId), -1);
    QCOMPARE(model.flow(records.at(0).at(0).value<ExchangeRecord>().flowId), nullptr);

    model.setCapacity(1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.flowAt(0).id, expected.first());
}

void TestFlowModel::deviceFlowIsOneRow()
{
    // RFC 8628: the device's request, the browser on the verification page (with its login) and the device's polls
    // are one flow. It has none of the code flow's steps but signing in, and it shows who approved what.
    ServerSettings settings = TestServer::defaultSettings();
    Client tv;
    tv.id = QStringLiteral("tv-client");
    tv.secret = QStringLiteral("tv-secret");
    tv.scopes = ScopeSet({QStringLiteral("read")});
    tv.grantTypes = GrantType::DeviceCode;
    settings.clients << tv;
    TestServer ts(settings);
    FlowModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    const HttpTestClient::Headers basic = HttpTestClient::basic(tv.id, tv.secret);

    const TestResponse issued = http.postForm(QStringLiteral("/oauth/device_authorization"), {}, basic);
    QCOMPARE(issued.status, 200);
    const QString deviceCode = issued.json().value(QLatin1String("device_code")).toString();
    const QString userCode = issued.json().value(QLatin1String("user_code")).toString();
    const QByteArray poll = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=" +
                            QUrl::toPercentEncoding(deviceCode);
    QCOMPARE(http.postForm(QStringLiteral("/oauth/token"), poll, basic).status, 400); // authorization_pending
    QTRY_COMPARE(model.rowCount(), 1);
    QCOMPARE(model.flowAt(0).clientId, tv.id);
    QCOMPARE(states(model, 0), QStringLiteral("PPPPPPPP"));

    const QString verification = QStringLiteral("/oauth/device_verification?user_code=") + userCode;
    QString session = http.get(verification).sessionCookie();
    const TestResponse loginPage = http.get(QStringLiteral("/login"), HttpTestClient::cookie(session));
    const TestResponse login = http.postForm(
        QStringLiteral("/login"), "username=user&password=password&_csrf=" + csrfOf(loginPage.body).toLatin1(),
        HttpTestClient::cookie(session));
    QCOMPARE(login.status, 302);
    session = login.sessionCookie();
    const QString csrf = csrfOf(http.get(verification, HttpTestClient::cookie(session)).body);
    const TestResponse approved =
        http.postForm(QStringLiteral("/oauth/device_verification"),
                      "user_code=" + userCode.toLatin1() + "&decision=approve&_csrf=" + csrf.toLatin1(),
                      HttpTestClient::cookie(session));
    QCOMPARE(approved.status, 200);
    ts.clock().advanceSeconds(5);
    QCOMPARE(http.postForm(QStringLiteral("/oauth/token"), poll, basic).status, 200);

    model.flush();
    QCOMPARE(model.rowCount(), 1);
    const FlowModel::Flow &flow = model.flowAt(0);
    QCOMPARE(flow.clientId, tv.id);
    QCOMPARE(flow.username, QStringLiteral("user"));
    QCOMPARE(flow.approval, std::optional<ApprovalKind>(ApprovalKind::UserApproved));
    QCOMPARE(states(model, 0), QStringLiteral("SDDPPPPP"));
}

QTEST_MAIN(TestFlowModel)
#include "tst_flowmodel.moc"
