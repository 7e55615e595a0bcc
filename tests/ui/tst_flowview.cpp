// The Flow tab against a live server: "the Flow view marks the eight steps of a scripted code flow in order"
// (issue 3), clicking and keyboard on the diagram, the explanation panel, following the newest flow.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "FlowDiagram.h"
#include "FlowView.h"
#include "SeedStepText.h"
#include "model/Client.h"
#include "models/FlowModel.h"
#include "trace/FlowTracker.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QHelpEvent>
#include <QListView>
#include <QSignalSpy>
#include <QTest>
#include <QTextBrowser>
#include <QToolTip>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
const QByteArray kClientAuth = "&client_id=messaging-client&client_secret=secret";

// The client application of the scripted flows sends its credentials in the body, as the seed's curl lines do.
const ClientCredentials kClientInBody{.inBody = true};

// The diagram's eight states as one string (Pending, Done, Failed, Skipped), e.g. "DDDDSDPP".
QString states(const FlowDiagram &diagram)
{
    QString out;
    for (SeedStep s : SeedStepText::steps()) {
        switch (diagram.stepState(s)) {
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

// Which steps the diagram reports done, e.g. "1 2 3".
QString doneSteps(const FlowDiagram &diagram)
{
    QStringList out;
    for (SeedStep s : SeedStepText::steps()) {
        if (diagram.isStepDone(s))
            out << QString::number(int(s));
    }
    return out.join(QLatin1Char(' '));
}

quint64 lastExchangeWith(const QSignalSpy &records, SeedStep step)
{
    for (qsizetype i = records.size() - 1; i >= 0; --i) {
        const auto record = records.at(i).at(0).value<ExchangeRecord>();
        if (record.steps.contains(step))
            return record.id;
    }
    return 0;
}

// A shown, exposed Flow view on a live server, its model under the tester.
struct Fixture
{
    TestServer ts;
    FlowView view{ts.server()};
    QAbstractItemModelTester tester{view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest};
    FlowDiagram *diagram = view.findChild<FlowDiagram *>(QStringLiteral("flowDiagram"));
    QListView *list = view.findChild<QListView *>(QStringLiteral("flowList"));
    QTextBrowser *explanation = view.findChild<QTextBrowser *>(QStringLiteral("stepExplanation"));

    bool show()
    {
        view.resize(1100, 800);
        view.show();
        return diagram && list && explanation && QTest::qWaitForWindowExposed(&view);
    }
};

} // namespace

class TestFlowView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void marksTheEightStepsOfAScriptedCodeFlowInOrder();
    void autoapprovedFlowMarksStep5Skipped();
    void clickingAStepActivatesItsExchange();
    void keyboardMovesBetweenSteps();
    void hoverExplainsAndTooltipShowsTheFullUrl();
    void followsTheNewestFlowUntilTheUserPicksAnother();
    void showFlowSelectsAFlowThatArrivesLater();
    void rendersInLightAndDarkPalettes();
};

void TestFlowView::initTestCase()
{
    qputenv("XDG_RUNTIME_DIR", QDir::tempPath().toUtf8());
}

void TestFlowView::marksTheEightStepsOfAScriptedCodeFlowInOrder()
{
    Fixture f;
    QVERIFY(f.show());
    QSignalSpy records(&f.ts.server(), &OAuthServer::exchangeFinished);
    BrowserFlow flow(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(states(*f.diagram), QStringLiteral("PPPPPPPP"));

    QCOMPARE(flow.startAuthorize().status, 302);
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1"));
    QCOMPARE(states(*f.diagram), QStringLiteral("DPPPPPPP"));
    // The newest flow is selected without the user doing anything.
    QCOMPARE(f.list->currentIndex().row(), 0);
    QCOMPARE(f.view.shownFlowId(), records.first().at(0).value<ExchangeRecord>().flowId);

    QCOMPARE(flow.loginPage().status, 200);
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1 2"));
    QCOMPARE(flow.submitLogin().status, 302);
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1 2 3"));
    QCOMPARE(flow.authorize().status, 200);
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1 2 3 4"));
    QCOMPARE(flow.approve().status, 303); // the approval answers with the code redirect: steps 5 and 6 together
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1 2 3 4 5 6"));
    QCOMPARE(flow.exchangeCode(flow.code()).status, 200);
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1 2 3 4 5 6 7"));
    QCOMPARE(flow.refresh(flow.tokens().refresh).status, 200);
    QTRY_COMPARE(doneSteps(*f.diagram), QStringLiteral("1 2 3 4 5 6 7 8"));
    QCOMPARE(states(*f.diagram), QStringLiteral("DDDDDDDD"));

    // Each step shows its real exchange, and the accessible description says so.
    QCOMPARE(f.diagram->flow().step(SeedStep::TokenExchange).exchangeId,
             lastExchangeWith(records, SeedStep::TokenExchange));
    QVERIFY2(f.diagram->stepSummary(SeedStep::Authorize).contains(QStringLiteral("done. GET ") + kAuthorize),
             qPrintable(f.diagram->stepSummary(SeedStep::Authorize)));
    QVERIFY2(f.diagram->accessibleDescription().contains(QStringLiteral("Step 7, Code for token: done.")),
             qPrintable(f.diagram->accessibleDescription()));
    QVERIFY(f.diagram->accessibleDescription().contains(QStringLiteral("200 token")));
    QCOMPARE(f.list->model()->rowCount(), 1);
}

void TestFlowView::autoapprovedFlowMarksStep5Skipped()
{
    Fixture f;
    QVERIFY(f.ts->setAutoApprove(QStringLiteral("messaging-client"), AutoApprove{AutoApprove::Mode::All, {}}));
    QVERIFY(f.show());
    BrowserFlow flow(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(flow.startAuthorize().status, 302);
    QCOMPARE(flow.loginPage().status, 200);
    QCOMPARE(flow.submitLogin().status, 302);
    QTRY_COMPARE(states(*f.diagram), QStringLiteral("DDDPPPPP"));
    QCOMPARE(flow.authorize().status, 303);
    QTRY_COMPARE(states(*f.diagram), QStringLiteral("DDDDSDPP"));
    QCOMPARE(doneSteps(*f.diagram), QStringLiteral("1 2 3 4 6"));
    const QString note = SeedStepText::skippedNote(SeedStep::Approve, ApprovalKind::AutoApproved);
    QVERIFY2(f.diagram->stepSummary(SeedStep::Approve).contains(note),
             qPrintable(f.diagram->stepSummary(SeedStep::Approve)));
    QVERIFY(f.diagram->accessibleDescription().contains(QStringLiteral("Step 5, Approval: skipped.")));

    // The panel explains the skipped step with its note.
    QTest::mouseClick(f.diagram, Qt::LeftButton, {}, f.diagram->arrowRect(SeedStep::Approve).center());
    QCOMPARE(f.diagram->currentStep(), SeedStep::Approve);
    QVERIFY2(f.explanation->toPlainText().contains(note), qPrintable(f.explanation->toPlainText()));
}

void TestFlowView::clickingAStepActivatesItsExchange()
{
    Fixture f;
    QVERIFY(f.show());
    QSignalSpy records(&f.ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy activated(&f.view, &FlowView::exchangeActivated);
    BrowserFlow flow(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    CHECKED(flow.runToToken());
    QTRY_VERIFY(f.diagram->isStepDone(SeedStep::TokenExchange));
    const quint64 tokenExchange = lastExchangeWith(records, SeedStep::TokenExchange);
    QVERIFY(tokenExchange != 0);

    QTest::mouseClick(f.diagram, Qt::LeftButton, {}, f.diagram->arrowRect(SeedStep::TokenExchange).center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toULongLong(), tokenExchange);
    QCOMPARE(f.diagram->currentStep(), SeedStep::TokenExchange);
    QVERIFY2(f.explanation->toPlainText().contains(SeedStepText::explanation(SeedStep::TokenExchange)),
             qPrintable(f.explanation->toPlainText()));
    QVERIFY(f.explanation->toPlainText().contains(SeedStepText::reason(SeedStep::TokenExchange)));
    QVERIFY(f.explanation->toPlainText().contains(QStringLiteral("200 token")));

    // The first arrow is the first exchange; a step not reached yet activates nothing.
    QTest::mouseClick(f.diagram, Qt::LeftButton, {}, f.diagram->arrowRect(SeedStep::Authorize).center());
    QCOMPARE(activated.size(), 2);
    QCOMPARE(activated.at(1).at(0).toULongLong(), records.first().at(0).value<ExchangeRecord>().id);
    QTest::mouseClick(f.diagram, Qt::LeftButton, {}, f.diagram->arrowRect(SeedStep::Refresh).center());
    QCOMPARE(activated.size(), 2);
    QCOMPARE(f.diagram->currentStep(), SeedStep::Refresh);
    QVERIFY(f.explanation->toPlainText().contains(SeedStepText::explanation(SeedStep::Refresh)));
}

void TestFlowView::keyboardMovesBetweenSteps()
{
    Fixture f;
    QVERIFY(f.show());
    QSignalSpy records(&f.ts.server(), &OAuthServer::exchangeFinished);
    QSignalSpy activated(&f.view, &FlowView::exchangeActivated);
    BrowserFlow flow(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(flow.startAuthorize().status, 302);
    QCOMPARE(flow.loginPage().status, 200);
    QTRY_VERIFY(f.diagram->isStepDone(SeedStep::LoginPage));

    f.diagram->setFocus();
    QCOMPARE(f.diagram->currentStep(), SeedStep::Authorize);
    QTest::keyClick(f.diagram, Qt::Key_Down);
    QCOMPARE(f.diagram->currentStep(), SeedStep::LoginPage);
    QVERIFY(f.explanation->toPlainText().contains(SeedStepText::explanation(SeedStep::LoginPage)));
    QTest::keyClick(f.diagram, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toULongLong(), lastExchangeWith(records, SeedStep::LoginPage));
    QTest::keyClick(f.diagram, Qt::Key_Up);
    QTest::keyClick(f.diagram, Qt::Key_Up); // stays on the first step
    QCOMPARE(f.diagram->currentStep(), SeedStep::Authorize);
    QTest::keyClick(f.diagram, Qt::Key_End);
    QCOMPARE(f.diagram->currentStep(), SeedStep::Refresh);
    QTest::keyClick(f.diagram, Qt::Key_Right);
    QCOMPARE(f.diagram->currentStep(), SeedStep::Refresh);
    QTest::keyClick(f.diagram, Qt::Key_Enter); // not reached: nothing to select
    QCOMPARE(activated.size(), 1);
}

void TestFlowView::hoverExplainsAndTooltipShowsTheFullUrl()
{
    Fixture f;
    QVERIFY(f.show());
    BrowserFlow flow(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(flow.startAuthorize().status, 302);
    QTRY_VERIFY(f.diagram->isStepDone(SeedStep::Authorize));

    QTest::mouseMove(f.diagram, f.diagram->arrowRect(SeedStep::Approve).center());
    QTRY_COMPARE(f.diagram->hoveredStep(), SeedStep::Approve);
    QVERIFY2(f.explanation->toPlainText().contains(SeedStepText::explanation(SeedStep::Approve)),
             qPrintable(f.explanation->toPlainText()));

    const QPoint pos = f.diagram->arrowRect(SeedStep::Authorize).center();
    QHelpEvent help(QEvent::ToolTip, pos, f.diagram->mapToGlobal(pos));
    QApplication::sendEvent(f.diagram, &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(QToolTip::text().contains(QStringLiteral("GET ") + kAuthorize), qPrintable(QToolTip::text()));
    QVERIFY(QToolTip::text().contains(QStringLiteral("302 → /login")));
    QToolTip::hideText();
}

void TestFlowView::followsTheNewestFlowUntilTheUserPicksAnother()
{
    Fixture f;
    QVERIFY(f.show());
    QSignalSpy started(&f.ts->flows(), &FlowTracker::flowStarted);
    BrowserFlow first(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    BrowserFlow second(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    BrowserFlow third(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);

    QCOMPARE(first.startAuthorize().status, 302);
    QCOMPARE(first.loginPage().status, 200);
    QCOMPARE(first.submitLogin().status, 302);
    QCOMPARE(second.startAuthorize().status, 302);
    QCOMPARE(started.size(), 2);
    const quint64 firstId = started.at(0).at(0).toULongLong();
    const quint64 secondId = started.at(1).at(0).toULongLong();
    QTRY_COMPARE(f.view.shownFlowId(), secondId);
    QTRY_COMPARE(states(*f.diagram), QStringLiteral("DPPPPPPP"));
    QCOMPARE(f.list->model()->rowCount(), 2);

    // The user picks the older flow: it stays shown while newer ones arrive, and keeps updating.
    const QModelIndex older = f.list->model()->index(1, 0);
    QTest::mouseClick(f.list->viewport(), Qt::LeftButton, {}, f.list->visualRect(older).center());
    QCOMPARE(f.view.shownFlowId(), firstId);
    QCOMPARE(states(*f.diagram), QStringLiteral("DDDPPPPP"));
    QCOMPARE(third.startAuthorize().status, 302);
    QTRY_COMPARE(f.list->model()->rowCount(), 3);
    QCOMPARE(f.view.shownFlowId(), firstId);
    QCOMPARE(f.list->currentIndex().row(), 2);
    QCOMPARE(first.authorize().status, 200);
    QTRY_COMPARE(states(*f.diagram), QStringLiteral("DDDDPPPP"));
    QCOMPARE(f.view.shownFlowId(), firstId);

    // Picking the newest again resumes following.
    QTest::mouseClick(f.list->viewport(), Qt::LeftButton, {},
                      f.list->visualRect(f.list->model()->index(0, 0)).center());
    const quint64 thirdId = started.at(2).at(0).toULongLong();
    QCOMPARE(f.view.shownFlowId(), thirdId);
    BrowserFlow fourth(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(fourth.startAuthorize().status, 302);
    QTRY_COMPARE(f.view.shownFlowId(), started.at(3).at(0).toULongLong());
}

void TestFlowView::showFlowSelectsAFlowThatArrivesLater()
{
    Fixture f;
    QVERIFY(f.show());
    QSignalSpy started(&f.ts->flows(), &FlowTracker::flowStarted);
    BrowserFlow first(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    BrowserFlow second(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(first.startAuthorize().status, 302);
    QCOMPARE(second.startAuthorize().status, 302);
    const quint64 firstId = started.at(0).at(0).toULongLong();
    // Asked for before its batch was applied: showFlow applies it first, so the older flow is selected at once, and
    // the view stops following the newest.
    f.view.showFlow(firstId);
    QCOMPARE(f.view.shownFlowId(), firstId);
    QCOMPARE(f.list->currentIndex().row(), 1);
    // An id not seen yet: selected when it arrives, although the view was not following.
    f.view.showFlow(firstId + 2);
    QCOMPARE(f.view.shownFlowId(), firstId);
    BrowserFlow third(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(third.startAuthorize().status, 302);
    QTRY_COMPARE(f.view.shownFlowId(), firstId + 2);
    QCOMPARE(f.list->currentIndex().row(), 0);
    // It was the newest, as if the user had picked the newest: following resumes.
    BrowserFlow fourth(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    QCOMPARE(fourth.startAuthorize().status, 302);
    QTRY_COMPARE(f.view.shownFlowId(), firstId + 3);
    QCOMPARE(f.list->model()->rowCount(), 4);
}

void TestFlowView::rendersInLightAndDarkPalettes()
{
    Fixture f;
    QVERIFY(f.show());
    // Every state on screen at once: done, failed (a replayed code), skipped is covered above, pending.
    BrowserFlow flow(f.ts.port(), BrowserFlow::seedQuery(), kClientInBody);
    CHECKED(flow.runToToken());
    QCOMPARE(flow.exchangeCode(flow.code()).status, 400);
    QTRY_COMPARE(states(*f.diagram), QStringLiteral("DDDDDDFP"));
    QVERIFY(f.diagram->stepSummary(SeedStep::TokenExchange).contains(QStringLiteral("error: 400 invalid_grant")));

    const QImage light = f.diagram->grab().toImage();
    QVERIFY(!light.isNull());
    QCOMPARE(light.size(), f.diagram->size() * light.devicePixelRatio());
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
    dark.setColor(QPalette::Base, QColor(0x1a, 0x1a, 0x1a));
    dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    f.diagram->setPalette(dark);
    const QImage darkImage = f.diagram->grab().toImage();
    QVERIFY(!darkImage.isNull());
    QVERIFY(darkImage != light);
    QVERIFY(f.diagram->minimumSizeHint().isValid());
    QVERIFY(f.diagram->height() >= f.diagram->minimumSizeHint().height());
    // A small widget still lays the steps out top to bottom without overlap.
    f.diagram->clear();
    QCOMPARE(states(*f.diagram), QStringLiteral("PPPPPPPP"));
    for (int i = 2; i <= SeedStepText::kStepCount; ++i)
        QVERIFY(f.diagram->arrowRect(SeedStep(i)).top() > f.diagram->arrowRect(SeedStep(i - 1)).bottom());
}

QTEST_MAIN(TestFlowView)
#include "tst_flowview.moc"
