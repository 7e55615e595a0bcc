// TokensView against a live server: revoking the selected refresh token makes the next refresh fail with
// invalid_grant; copy puts the exact value on the clipboard; the token response JSON is byte-exact; forgetting
// approvals brings the approval page back; signing out all sessions sends the browser to log in again.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "TokensView.h"
#include "models/TokenTableModel.h"
#include "auth/Sessions.h"
#include "store/TokenStore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorizeQuery = BrowserFlow::seedQuery() + QStringLiteral("&state=xyz");
const QString kAuthorize = QStringLiteral("/oauth/authorize?") + kAuthorizeQuery;

// Selects exactly the table row of a token, as a click on it does.
void selectRow(QTableView *table, int row)
{
    QVERIFY(row >= 0);
    const QRect rect = table->visualRect(table->model()->index(row, TokenTableModel::KindColumn));
    QVERIFY(!rect.isEmpty());
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(table->selectionModel()->selectedRows().first().row(), row);
}

} // namespace

class TestTokensView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void widgetsHaveNames();
    void revokingARefreshTokenMakesTheNextRefreshFail();
    void revokeSeveralTokens();
    void copyPutsTheExactValueOnTheClipboard();
    void tokenResponseJsonIsByteExact();
    void revealToggleShowsValues();
    void forgetApprovalsShowsTheApprovalPageAgain();
    void signOutAllSendsTheBrowserToLogIn();
};

namespace {
struct Fixture
{
    TestServer ts;
    HttpTestClient http{ts.port()};
    BrowserFlow browser{http, kAuthorizeQuery};
    TokensView view{ts.server()};
    QTableView *table = view.findChild<QTableView *>(QStringLiteral("tokenTable"));
    QLabel *status = view.findChild<QLabel *>(QStringLiteral("tokensStatus"));
    QAbstractItemModelTester tester{table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest};

    Fixture()
    {
        view.resize(1000, 600);
        view.show();
    }
    QPushButton *button(const char *name) { return view.findChild<QPushButton *>(QLatin1String(name)); }
};
} // namespace

void TestTokensView::widgetsHaveNames()
{
    Fixture f;
    QVERIFY(f.table);
    QVERIFY(f.status);
    const QStringList names{QStringLiteral("tokenTable"),        QStringLiteral("revealTokens"),
                            QStringLiteral("revokeToken"),       QStringLiteral("copyToken"),
                            QStringLiteral("tokenResponseJson"), QStringLiteral("forgetApprovals"),
                            QStringLiteral("signOutAll")};
    for (const QString &name : names) {
        auto *w = f.view.findChild<QWidget *>(name);
        QVERIFY2(w, qPrintable(name));
        QVERIFY2(!w->accessibleName().isEmpty(), qPrintable(name));
    }
    // Nothing selected: nothing to revoke or copy.
    QVERIFY(!f.button("revokeToken")->isEnabled());
    QVERIFY(!f.button("copyToken")->isEnabled());
}

void TestTokensView::revokingARefreshTokenMakesTheNextRefreshFail()
{
    Fixture f;
    f.browser.logIn();
    const Tokens tokens = f.browser.codeFlow();
    QVERIFY(!tokens.refresh.isEmpty());
    QTRY_COMPARE(f.table->model()->rowCount(), 2);
    selectRow(f.table, f.view.model()->rowOf(IssuedToken::Kind::Refresh, tokens.refresh));
    QVERIFY(f.button("revokeToken")->isEnabled());
    QSignalSpy revoked(&f.ts->tokens(), &TokenStore::tokenRevoked);
    QTest::mouseClick(f.button("revokeToken"), Qt::LeftButton);
    QCOMPARE(revoked.size(), 2); // the refresh token and the access token issued with it
    QCOMPARE(f.status->text(), QStringLiteral("2 tokens revoked."));

    const TestResponse refresh = f.browser.refresh(tokens.refresh);
    QCOMPARE(refresh.status, 400);
    QCOMPARE(refresh.body, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh token: " +
                               tokens.refresh.toLatin1() + "\"}");
    QTRY_COMPARE(f.table->model()->index(0, TokenTableModel::StatusColumn).data().toString(),
                 QStringLiteral("revoked"));
    QCOMPARE(f.table->model()->index(1, TokenTableModel::StatusColumn).data().toString(), QStringLiteral("revoked"));
    QTRY_VERIFY(!f.button("revokeToken")->isEnabled());
}

void TestTokensView::revokeSeveralTokens()
{
    Fixture f;
    f.browser.logIn();
    const Tokens tokens = f.browser.codeFlow();
    QVERIFY(!tokens.access.isEmpty());
    QTRY_COMPARE(f.table->model()->rowCount(), 2);
    f.table->selectAll();
    QCOMPARE(f.table->selectionModel()->selectedRows().size(), 2);
    QTest::mouseClick(f.button("revokeToken"), Qt::LeftButton);
    QCOMPARE(f.status->text(), QStringLiteral("2 tokens revoked."));
    QVERIFY(!f.ts->tokens().findAccess(tokens.access));
    QVERIFY(!f.ts->tokens().findRefresh(tokens.refresh));
    // Again: nothing left to revoke.
    f.view.revokeSelected();
    QCOMPARE(f.status->text(),
             QStringLiteral("Nothing revoked: the selected tokens were already revoked or expired and purged."));

    // Revoking an access token alone leaves its refresh token working.
    const Tokens next = f.browser.codeFlow();
    QVERIFY(!next.access.isEmpty());
    QTRY_COMPARE(f.table->model()->rowCount(), 4);
    selectRow(f.table, f.view.model()->rowOf(IssuedToken::Kind::Access, next.access));
    QTest::mouseClick(f.button("revokeToken"), Qt::LeftButton);
    QCOMPARE(f.status->text(), QStringLiteral("1 token revoked."));
    QVERIFY(!f.ts->tokens().findAccess(next.access));
    QCOMPARE(f.browser.refresh(next.refresh).status, 200);
}

void TestTokensView::copyPutsTheExactValueOnTheClipboard()
{
    Fixture f;
    f.browser.logIn();
    const Tokens tokens = f.browser.codeFlow();
    QVERIFY(!tokens.access.isEmpty());
    QTRY_COMPARE(f.table->model()->rowCount(), 2);
    QGuiApplication::clipboard()->setText(QStringLiteral("before"));
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("before"));

    selectRow(f.table, f.view.model()->rowOf(IssuedToken::Kind::Access, tokens.access));
    QTest::mouseClick(f.button("copyToken"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), tokens.access);
    // The status line does not show a masked value in full.
    QCOMPARE(f.status->text(),
             QStringLiteral("Access token %1\u2026 copied to the clipboard.").arg(tokens.access.left(6)));

    selectRow(f.table, f.view.model()->rowOf(IssuedToken::Kind::Refresh, tokens.refresh));
    QTest::mouseClick(f.button("copyToken"), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), tokens.refresh);
}

void TestTokensView::tokenResponseJsonIsByteExact()
{
    Fixture f;
    auto *json = f.view.findChild<QPlainTextEdit *>(QStringLiteral("tokenResponseJson"));
    auto *reveal = f.view.findChild<QCheckBox *>(QStringLiteral("revealTokens"));
    QVERIFY(json && reveal);
    QVERIFY(json->isReadOnly());
    f.browser.logIn();
    const TestResponse response = f.browser.exchangeCode(f.browser.authorizeCode());
    QCOMPARE(response.status, 200);
    const QString access = response.json().value(QLatin1String("access_token")).toString();
    const QString refresh = response.json().value(QLatin1String("refresh_token")).toString();
    QTRY_COMPARE(f.table->model()->rowCount(), 2);
    QCOMPARE(json->toPlainText(), QString());

    // Revealed: exactly the bytes the token endpoint answered with (the clock has not moved).
    reveal->click();
    selectRow(f.table, f.view.model()->rowOf(IssuedToken::Kind::Access, access));
    QCOMPARE(json->toPlainText().toUtf8(), response.body);

    // expires_in follows the clock on the next countdown tick.
    f.ts.clock().advanceSeconds(100);
    f.view.model()->refreshCountdowns();
    QCOMPARE(json->toPlainText(), QStringLiteral("{\"access_token\":\"%1\",\"token_type\":\"bearer\",\"refresh_token\":"
                                                 "\"%2\",\"expires_in\":43099,\"scope\":\"read write\"}")
                                      .arg(access, refresh));

    // The refresh token's row shows the response that carried it.
    selectRow(f.table, f.view.model()->rowOf(IssuedToken::Kind::Refresh, refresh));
    QCOMPARE(json->toPlainText(), QStringLiteral("{\"access_token\":\"%1\",\"token_type\":\"bearer\",\"refresh_token\":"
                                                 "\"%2\",\"expires_in\":43099,\"scope\":\"read write\"}")
                                      .arg(access, refresh));

    // Masked with the table.
    reveal->click();
    QCOMPARE(json->toPlainText(), QStringLiteral("{\"access_token\":\"%1\u2026\",\"token_type\":\"bearer\","
                                                 "\"refresh_token\":\"%2\u2026\",\"expires_in\":43099,"
                                                 "\"scope\":\"read write\"}")
                                      .arg(access.left(6), refresh.left(6)));

    f.table->clearSelection();
    QCOMPARE(json->toPlainText(), QString());
}

void TestTokensView::revealToggleShowsValues()
{
    Fixture f;
    f.browser.logIn();
    const Tokens tokens = f.browser.codeFlow();
    QTRY_COMPARE(f.table->model()->rowCount(), 2);
    const int row = f.view.model()->rowOf(IssuedToken::Kind::Access, tokens.access);
    const QModelIndex value = f.table->model()->index(row, TokenTableModel::ValueColumn);
    QCOMPARE(value.data().toString(), tokens.access.left(6) + QChar(0x2026));
    auto *reveal = f.view.findChild<QCheckBox *>(QStringLiteral("revealTokens"));
    QTest::mouseClick(reveal, Qt::LeftButton, {}, QPoint(5, reveal->height() / 2));
    QVERIFY(reveal->isChecked());
    QCOMPARE(value.data().toString(), tokens.access);
    reveal->click();
    QCOMPARE(value.data().toString(), tokens.access.left(6) + QChar(0x2026));
}

void TestTokensView::forgetApprovalsShowsTheApprovalPageAgain()
{
    Fixture f;
    const QString session = f.browser.logIn();
    QVERIFY(!f.browser.codeFlow().access.isEmpty());
    // Remembered: a live token for the same client, user and scopes skips the approval page.
    const TestResponse remembered = f.http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(remembered.status, 303);

    QTest::mouseClick(f.button("forgetApprovals"), Qt::LeftButton);
    QCOMPARE(f.status->text(),
             QStringLiteral("Remembered approvals forgotten: the next authorization shows the approval page again."));
    const TestResponse asked = f.http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(asked.status, 200);
    QVERIFY2(asked.body.contains("<h1>OAuth Approval</h1>"), asked.body.constData());
}

void TestTokensView::signOutAllSendsTheBrowserToLogIn()
{
    Fixture f;
    const QString session = f.browser.logIn();
    QVERIFY(!session.isEmpty());
    QCOMPARE(f.http.get(kAuthorize, HttpTestClient::cookie(session)).status, 200); // logged in: approval page
    QCOMPARE(f.ts->sessions().size(), 1);

    QTest::mouseClick(f.button("signOutAll"), Qt::LeftButton);
    QCOMPARE(f.status->text(), QStringLiteral("1 session signed out."));
    QCOMPARE(f.ts->sessions().size(), 0);
    const TestResponse again = f.http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(again.status, 302);
    QCOMPARE(again.header("Location"), QByteArray("/login"));

    // Three browsers, three sessions.
    HttpTestClient other(f.ts.port());
    BrowserFlow(other, kAuthorizeQuery).logIn();
    BrowserFlow(other, kAuthorizeQuery).logIn();
    QCOMPARE(f.ts->sessions().size(), 3); // the one just started by the redirect above, and two more
    QSignalSpy messages(&f.view, &TokensView::statusMessage);
    f.view.signOutAll();
    QCOMPARE(f.status->text(), QStringLiteral("3 sessions signed out."));
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.at(0).at(0).toString(), QStringLiteral("3 sessions signed out."));
}

QTEST_MAIN(TestTokensView)
#include "tst_tokensview.moc"
