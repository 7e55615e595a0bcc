// The Clients tab driven like a user would (clicks and typing, widgets found by objectName), with a live
// server behind it: what the window changes, the next HTTP request sees; what the window refuses, the server
// never sees.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "ClientsView.h"
#include "models/ClientListModel.h"
#include "store/ClientStore.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kSeedClient = QStringLiteral("messaging-client");
const QString kAuthorize =
    QStringLiteral("/oauth/authorize?response_type=code&client_id=messaging-client&redirect_uri=http://localhost");
const QRegularExpression kCodeLocation(QStringLiteral("^http://localhost\\?code=[0-9A-Za-z_-]{6}$"));

// The redirect of an authorize request without code_challenge from a client that must use PKCE.
const QList<QPair<QString, QString>> kPkceMissing{
    {QStringLiteral("error"), QStringLiteral("invalid_request")},
    {QStringLiteral("error_description"), QStringLiteral("PKCE is required for this client (code_challenge missing)")}};
// kAuthorize with a valid S256 challenge (RFC 7636 appendix B).
const QString kAuthorizeWithChallenge =
    kAuthorize +
    QStringLiteral("&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");

// A refresh grant with a token that was never issued: 400 invalid_grant proves the client authenticated,
// 401 invalid_client that it did not. No state of the server is involved.
TestResponse authenticateAs(HttpTestClient &http, const QString &clientId, const QString &secret)
{
    return http.postForm(QStringLiteral("/oauth/token"), "grant_type=refresh_token&refresh_token=x",
                         HttpTestClient::basic(clientId, secret));
}

// Where the view's delegate draws the check indicator of `index`: a click there toggles it.
QPoint checkIndicatorCenter(QTableView *table, const QModelIndex &index)
{
    struct Probe : QStyledItemDelegate
    {
        using QStyledItemDelegate::initStyleOption;
    } probe;
    QStyleOptionViewItem option;
    option.initFrom(table->viewport());
    option.rect = table->visualRect(index);
    probe.initStyleOption(&option, index);
    option.widget = table;
    return table->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, table).center();
}

template <typename T> T *child(QWidget &parent, const char *name)
{
    T *widget = parent.findChild<T *>(QLatin1String(name));
    if (!widget)
        qFatal("no %s named %s", T::staticMetaObject.className(), name);
    return widget;
}

// The input widget of `form` that `label` covers, if any (a null pointer when the label sits on its own).
QWidget *fieldCoveredBy(QWidget *form, QLabel *label)
{
    const QRect area(label->mapTo(form, QPoint()), label->size());
    for (QWidget *w : form->findChildren<QWidget *>()) {
        const bool input = qobject_cast<QLineEdit *>(w) || qobject_cast<QAbstractSpinBox *>(w) ||
                           qobject_cast<QAbstractButton *>(w) || qobject_cast<QComboBox *>(w) ||
                           qobject_cast<QListWidget *>(w);
        if (input && w->isVisible() && area.intersects(QRect(w->mapTo(form, QPoint()), w->size())))
            return w;
    }
    return nullptr;
}

// Replaces a line edit's text by typing, as a user does.
void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestClientsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral("QModelIndex|QAbstractItemModel"))); }
    void clickingAutoApproveMakesTheNextAuthorizeRedirectToTheCode();
    void toolbarToggleFlipsTheSelectedClient();
    void editingTheSecretChangesWhatTheTokenEndpointAccepts();
    void invalidEditsAreRefusedWithTheFieldNamed_data();
    void invalidEditsAreRefusedWithTheFieldNamed();
    void renameInTheEditor();
    void externalChangeKeepsUnappliedEdits();
    void postLogoutRedirectUriAddedInTheEditorIsWhereSignOutGoes();
    void generateAndRevealSecret();
    void addAndDuplicate();
    void deleteAsksFirst();
    void choosingPublicClientMakesTheServerRequirePkce();
    void requirePkceCheckboxChangesWhatAuthorizeAccepts();
    void authenticationFieldsShowTheConfiguredValues();
    void deviceCodeCheckboxLetsTheClientRequestDeviceCodes();
    void tokenFormatAndRotationRoundTrip();
    void tokenFormatDefaultFollowsTheProfile();
};

void TestClientsView::clickingAutoApproveMakesTheNextAuthorizeRedirectToTheCode()
{
    TestServer ts;
    ClientsView view(ts.server());
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *table = child<QTableView>(view, "clientTable");
    QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    const QString session = BrowserFlow(http).logIn();
    QVERIFY(!session.isEmpty());

    // Autoapprove off: the approval page.
    const TestResponse asked = http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(asked.status, 200);
    QVERIFY(asked.body.contains("<h1>OAuth Approval</h1>"));

    const QModelIndex cell = table->model()->index(0, ClientListModel::AutoApproveColumn);
    QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, checkIndicatorCenter(table, cell));
    QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove.mode, AutoApprove::Mode::All);
    // The editor of the selected client shows it too.
    QCOMPARE(child<QComboBox>(view, "autoApproveMode")->currentData().toInt(), int(AutoApprove::Mode::All));

    const TestResponse approved = http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(approved.status, 303);
    QVERIFY2(kCodeLocation.match(QString::fromUtf8(approved.header("Location"))).hasMatch(),
             approved.header("Location").constData());

    // And a second click switches it off again for the next request.
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, checkIndicatorCenter(table, cell));
    QCOMPARE(cell.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(http.get(kAuthorize, HttpTestClient::cookie(session)).status, 200);
}

void TestClientsView::toolbarToggleFlipsTheSelectedClient()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view.selectedClientId(), kSeedClient);
    view.toggleAutoApprove();
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove, (AutoApprove{AutoApprove::Mode::All, {}}));
    view.toggleAutoApprove();
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove, AutoApprove{});
    // Chosen scopes count as "on": the toggle switches them off.
    QVERIFY(ts->setAutoApprove(kSeedClient, {AutoApprove::Mode::Scopes, ScopeSet({QStringLiteral("read")})}));
    view.toggleAutoApprove();
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove, AutoApprove{});
}

void TestClientsView::editingTheSecretChangesWhatTheTokenEndpointAccepts()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    QCOMPARE(authenticateAs(http, kSeedClient, QStringLiteral("secret")).status, 400);

    auto *secret = child<QLineEdit>(view, "clientSecretEdit");
    QCOMPARE(secret->text(), QStringLiteral("secret"));
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    auto *apply = child<QPushButton>(view, "applyClient");
    QVERIFY(!apply->isEnabled());
    retype(secret, QStringLiteral("n3w-s3cret"));
    QVERIFY(apply->isEnabled());
    // Typed but not applied: the server still has the old secret.
    QCOMPARE(ts->clients().find(kSeedClient)->secret, QStringLiteral("secret"));
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(ts->clients().find(kSeedClient)->secret, QStringLiteral("n3w-s3cret"));
    QVERIFY(!apply->isEnabled());

    const TestResponse accepted = authenticateAs(http, kSeedClient, QStringLiteral("n3w-s3cret"));
    QCOMPARE(accepted.status, 400);
    QCOMPARE(accepted.body,
             QByteArray("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh token: x\"}"));
    const TestResponse rejected = authenticateAs(http, kSeedClient, QStringLiteral("secret"));
    QCOMPARE(rejected.status, 401);
    QCOMPARE(rejected.body,
             QByteArray("{\"error\":\"invalid_client\",\"error_description\":\"Bad client credentials\"}"));
}

enum class Edit
{
    EmptyId,
    DuplicateId,
    MalformedRedirectUri,
    MalformedPostLogoutRedirectUri,
    NoGrantType,
    NegativeAccessLifetime,
    NegativeRefreshLifetime,
    AutoApproveOutsideScopes,
};

void TestClientsView::invalidEditsAreRefusedWithTheFieldNamed_data()
{
    QTest::addColumn<int>("edit");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("marked");

    QTest::newRow("empty id") << int(Edit::EmptyId) << "Client ID: must not be empty"
                              << "clientIdEdit";
    QTest::newRow("duplicate id") << int(Edit::DuplicateId) << "Client ID: duplicate client_id \"other-client\""
                                  << "clientIdEdit";
    QTest::newRow("malformed redirect URI")
        << int(Edit::MalformedRedirectUri) << "Redirect URI 2 \"http://\": not a valid absolute URI"
        << "redirectUriList";
    QTest::newRow("malformed post-logout redirect URI")
        << int(Edit::MalformedPostLogoutRedirectUri)
        << "Post-logout redirect URI 1 \"/signed-out\": not a valid absolute URI"
        << "postLogoutRedirectUriList";
    QTest::newRow("no grant type") << int(Edit::NoGrantType) << "Grant types: choose at least one grant type"
                                   << "grantTypes";
    QTest::newRow("negative access lifetime")
        << int(Edit::NegativeAccessLifetime) << "Access token lifetime: must be a positive number of seconds"
        << "accessLifetime";
    QTest::newRow("negative refresh lifetime")
        << int(Edit::NegativeRefreshLifetime) << "Refresh token lifetime: must be a positive number of seconds"
        << "refreshLifetime";
    QTest::newRow("autoapprove outside the scopes")
        << int(Edit::AutoApproveOutsideScopes) << "Autoapprove: \"admin\" is not one of the client's scopes"
        << "autoApproveScopes";
}

void TestClientsView::invalidEditsAreRefusedWithTheFieldNamed()
{
    QFETCH(int, edit);
    QFETCH(QString, error);
    QFETCH(QString, marked);

    TestServer ts;
    Client other = *ts->clients().find(kSeedClient);
    other.id = QStringLiteral("other-client");
    QVERIFY(!ts->saveClient(other));
    ClientsView view(ts.server());
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view.selectedClientId(), kSeedClient);
    const Client original = *ts->clients().find(kSeedClient);
    QSignalSpy changed(&ts->clients(), &ClientStore::clientChanged);
    QSignalSpy removed(&ts->clients(), &ClientStore::clientRemoved);
    auto *errorLabel = child<QLabel>(view, "clientError");
    QVERIFY(errorLabel->isHidden());

    switch (Edit(edit)) {
    case Edit::EmptyId:
        retype(child<QLineEdit>(view, "clientIdEdit"), QString());
        break;
    case Edit::DuplicateId:
        retype(child<QLineEdit>(view, "clientIdEdit"), QStringLiteral("other-client"));
        break;
    case Edit::MalformedPostLogoutRedirectUri: {
        auto *list = child<QListWidget>(view, "postLogoutRedirectUriList");
        QCOMPARE(list->count(), 0);
        QTest::mouseClick(child<QToolButton>(view, "addPostLogoutRedirectUri"), Qt::LeftButton);
        QCOMPARE(list->count(), 1);
        auto *editor = list->viewport()->findChild<QLineEdit *>();
        QVERIFY2(editor && editor->isVisible(), "the new post-logout redirect URI is not open for editing");
        QTest::keyClicks(editor, QStringLiteral("/signed-out"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(list->item(0)->text(), QStringLiteral("/signed-out"));
        break;
    }
    case Edit::MalformedRedirectUri: {
        auto *list = child<QListWidget>(view, "redirectUriList");
        QTest::mouseClick(child<QToolButton>(view, "addRedirectUri"), Qt::LeftButton);
        QCOMPARE(list->count(), 2);
        // The new, empty entry is open for typing: the list's only line edit is its item editor.
        auto *editor = list->viewport()->findChild<QLineEdit *>();
        QVERIFY2(editor && editor->isVisible(), "the new redirect URI is not open for editing");
        QTest::keyClicks(editor, QStringLiteral("http://"));
        QTest::keyClick(editor, Qt::Key_Return);
        // The delegate commits the editor's text from the event loop.
        QTRY_COMPARE(list->item(1)->text(), QStringLiteral("http://"));
        break;
    }
    case Edit::NoGrantType:
        child<QCheckBox>(view, "grant_authorization_code")->click();
        child<QCheckBox>(view, "grant_refresh_token")->click();
        break;
    case Edit::NegativeAccessLifetime:
    case Edit::NegativeRefreshLifetime: {
        auto *spin =
            child<QSpinBox>(view, Edit(edit) == Edit::NegativeAccessLifetime ? "accessLifetime" : "refreshLifetime");
        QCOMPARE(spin->text(), QStringLiteral("server default"));
        spin->selectAll();
        QTest::keyClicks(spin, QStringLiteral("-5"));
        QCOMPARE(spin->value(), -5);
        break;
    }
    case Edit::AutoApproveOutsideScopes: {
        auto *mode = child<QComboBox>(view, "autoApproveMode");
        mode->setCurrentIndex(mode->findData(int(AutoApprove::Mode::Scopes)));
        QTest::keyClicks(child<QLineEdit>(view, "autoApproveScopes"), QStringLiteral("admin"));
        break;
    }
    }

    // Shown inline as soon as it is typed, under the field, which is outlined.
    QVERIFY(errorLabel->isVisible());
    QCOMPARE(errorLabel->text(), error);
    auto *field = view.findChild<QWidget *>(marked);
    QVERIFY(field);
    QCOMPARE(field->property("invalid").toBool(), true);
    // Under its field once the layout has run.
    QTRY_VERIFY(errorLabel->geometry().top() >=
                field->mapTo(errorLabel->parentWidget(), QPoint(0, field->height())).y());
    QWidget *covered = fieldCoveredBy(child<QWidget>(view, "clientEditor"), errorLabel);
    QVERIFY2(!covered,
             qPrintable(QStringLiteral("the error covers %1").arg(covered ? covered->objectName() : QString())));

    // Apply refuses: the running server keeps the old client.
    auto *apply = child<QPushButton>(view, "applyClient");
    QVERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(errorLabel->text(), error);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(removed.size(), 0);
    QVERIFY(*ts->clients().find(kSeedClient) == original);
    QCOMPARE(ts->clients().all().size(), 2);
    HttpTestClient http(ts.port());
    QCOMPARE(authenticateAs(http, kSeedClient, QStringLiteral("secret")).status, 400);

    // Revert: the loaded client again, no error, nothing marked.
    QTest::mouseClick(child<QPushButton>(view, "revertClient"), Qt::LeftButton);
    QVERIFY(errorLabel->isHidden());
    QCOMPARE(field->property("invalid").toBool(), false);
    QCOMPARE(child<QLineEdit>(view, "clientIdEdit")->text(), kSeedClient);
    QVERIFY(!apply->isEnabled());
}

void TestClientsView::renameInTheEditor()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy selected(&view, &ClientsView::selectedClientChanged);
    retype(child<QLineEdit>(view, "clientIdEdit"), QStringLiteral("renamed-client"));
    QTest::mouseClick(child<QPushButton>(view, "applyClient"), Qt::LeftButton);

    QVERIFY(!ts->clients().find(kSeedClient));
    QVERIFY(ts->clients().find(QStringLiteral("renamed-client")));
    QCOMPARE(ts->clients().find(QStringLiteral("renamed-client"))->secret, QStringLiteral("secret"));
    QCOMPARE(view.selectedClientId(), QStringLiteral("renamed-client"));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).at(0).toString(), QStringLiteral("renamed-client"));
    auto *table = child<QTableView>(view, "clientTable");
    QCOMPARE(table->currentIndex().row(), view.model()->rowOf(QStringLiteral("renamed-client")));
    QCOMPARE(child<QLineEdit>(view, "clientIdEdit")->text(), QStringLiteral("renamed-client"));
    QVERIFY(child<QLabel>(view, "clientError")->isHidden());

    HttpTestClient http(ts.port());
    QCOMPARE(authenticateAs(http, kSeedClient, QStringLiteral("secret")).status, 401);
    QCOMPARE(authenticateAs(http, QStringLiteral("renamed-client"), QStringLiteral("secret")).status, 400);
}

void TestClientsView::externalChangeKeepsUnappliedEdits()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    retype(child<QLineEdit>(view, "scopesEdit"), QStringLiteral("read write admin"));
    // Meanwhile the toolbar switches autoapprove on.
    view.toggleAutoApprove();
    QCOMPARE(child<QComboBox>(view, "autoApproveMode")->currentData().toInt(), int(AutoApprove::Mode::All));
    QCOMPARE(child<QLineEdit>(view, "scopesEdit")->text(), QStringLiteral("read write admin"));
    QTest::mouseClick(child<QPushButton>(view, "applyClient"), Qt::LeftButton);
    const Client *saved = ts->clients().find(kSeedClient);
    QCOMPARE(saved->scopes, ScopeSet({QStringLiteral("admin"), QStringLiteral("read"), QStringLiteral("write")}));
    QCOMPARE(saved->autoApprove.mode, AutoApprove::Mode::All);
}

void TestClientsView::postLogoutRedirectUriAddedInTheEditorIsWhereSignOutGoes()
{
    TestServer ts;
    ClientsView view(ts.server());
    view.resize(1200, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    const QString logout = QStringLiteral(
        "/connect/logout?client_id=messaging-client&post_logout_redirect_uri=http://localhost/bye&state=s");
    // Not registered yet: refused, no redirect.
    QCOMPARE(http.get(logout).status, 400);

    auto *list = child<QListWidget>(view, "postLogoutRedirectUriList");
    QTest::mouseClick(child<QToolButton>(view, "addPostLogoutRedirectUri"), Qt::LeftButton);
    auto *editor = list->viewport()->findChild<QLineEdit *>();
    QVERIFY2(editor && editor->isVisible(), "the new post-logout redirect URI is not open for editing");
    QTest::keyClicks(editor, QStringLiteral("http://localhost/bye"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(list->item(0)->text(), QStringLiteral("http://localhost/bye"));
    QTest::mouseClick(child<QPushButton>(view, "applyClient"), Qt::LeftButton);
    QCOMPARE(ts->clients().find(kSeedClient)->postLogoutRedirectUris, QStringList{"http://localhost/bye"});
    const TestResponse r = http.get(logout);
    QCOMPARE(r.status, 302);
    QCOMPARE(r.header("Location"), QByteArray("http://localhost/bye?state=s"));

    // Removed again in the editor: refused again.
    list->setCurrentRow(0);
    QTest::mouseClick(child<QToolButton>(view, "removePostLogoutRedirectUri"), Qt::LeftButton);
    QCOMPARE(list->count(), 0);
    QTest::mouseClick(child<QPushButton>(view, "applyClient"), Qt::LeftButton);
    QVERIFY(ts->clients().find(kSeedClient)->postLogoutRedirectUris.isEmpty());
    QCOMPARE(http.get(logout).status, 400);
}

void TestClientsView::generateAndRevealSecret()
{
    TestServer ts;
    ClientsView view(ts.server());
    auto *secret = child<QLineEdit>(view, "clientSecretEdit");
    auto *generate = child<QToolButton>(view, "generateSecret");
    auto *reveal = child<QToolButton>(view, "revealSecret");
    static const QRegularExpression base64url(QStringLiteral("^[A-Za-z0-9_-]{43}$"));

    QTest::mouseClick(generate, Qt::LeftButton);
    const QString first = secret->text();
    QVERIFY2(base64url.match(first).hasMatch(), qPrintable(first));
    QTest::mouseClick(generate, Qt::LeftButton);
    QVERIFY(secret->text() != first);
    QVERIFY(base64url.match(secret->text()).hasMatch());
    QVERIFY(child<QPushButton>(view, "applyClient")->isEnabled());
    QCOMPARE(ts->clients().find(kSeedClient)->secret, QStringLiteral("secret"));

    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(secret->echoMode(), QLineEdit::Normal);
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
}

void TestClientsView::addAndDuplicate()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTest::mouseClick(child<QPushButton>(view, "addClient"), Qt::LeftButton);
    QCOMPARE(view.selectedClientId(), QStringLiteral("client"));
    const Client *added = ts->clients().find(QStringLiteral("client"));
    QVERIFY(added);
    QCOMPARE(added->secret.size(), 43);
    QCOMPARE(added->grantTypes, GrantType::AuthorizationCode | GrantType::RefreshToken);
    QCOMPARE(child<QLineEdit>(view, "clientIdEdit")->text(), QStringLiteral("client"));
    QTest::mouseClick(child<QPushButton>(view, "addClient"), Qt::LeftButton);
    QCOMPARE(view.selectedClientId(), QStringLiteral("client-2"));

    view.selectClient(kSeedClient);
    QTest::mouseClick(child<QPushButton>(view, "duplicateClient"), Qt::LeftButton);
    const QString copyId = kSeedClient + QStringLiteral("-copy");
    QCOMPARE(view.selectedClientId(), copyId);
    Client copy = *ts->clients().find(copyId);
    copy.id = kSeedClient;
    QVERIFY(copy == *ts->clients().find(kSeedClient));
    QCOMPARE(view.model()->rowCount(), 4);
}

void TestClientsView::deleteAsksFirst()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStringList questions;
    bool answer = false;
    view.confirm = [&](const QString &question) {
        questions << question;
        return answer;
    };
    auto *remove = child<QPushButton>(view, "deleteClient");

    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(questions.size(), 1);
    QVERIFY2(questions.at(0).contains(QStringLiteral("\"messaging-client\"")), qPrintable(questions.at(0)));
    QVERIFY(ts->clients().find(kSeedClient));
    QCOMPARE(view.model()->rowCount(), 1);

    answer = true;
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(questions.size(), 2);
    QVERIFY(!ts->clients().find(kSeedClient));
    QCOMPARE(view.model()->rowCount(), 0);
    QCOMPARE(view.selectedClientId(), QString());
    QVERIFY(!remove->isEnabled());
    QVERIFY(!child<QWidget>(view, "clientEditor")->isEnabled());
    HttpTestClient http(ts.port());
    QCOMPARE(authenticateAs(http, kSeedClient, QStringLiteral("secret")).status, 401);
}

void TestClientsView::choosingPublicClientMakesTheServerRequirePkce()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    const QString session = BrowserFlow(http).logIn();
    QVERIFY(!session.isEmpty());
    QCOMPARE(http.get(kAuthorize, HttpTestClient::cookie(session)).status, 200);

    auto *method = child<QComboBox>(view, "authMethod");
    auto *secret = child<QLineEdit>(view, "clientSecretEdit");
    auto *requirePkce = child<QCheckBox>(view, "requirePkce");
    auto *allowRefresh = child<QCheckBox>(view, "allowRefreshForPublicClient");
    auto *apply = child<QPushButton>(view, "applyClient");
    QCOMPARE(method->currentText(), QStringLiteral("Basic or parameters (legacy)"));
    QVERIFY(secret->isEnabled());
    QVERIFY(!requirePkce->isChecked());
    QVERIFY(requirePkce->isEnabled());
    QVERIFY(!allowRefresh->isEnabled());
    QCOMPARE(method->accessibleName(), QStringLiteral("Client authentication"));

    const int none = method->findText(QStringLiteral("None — public client (PKCE required)"));
    QVERIFY(none >= 0);
    method->setCurrentIndex(none);
    // The secret is cleared (a public client has none), PKCE shown as required, the refresh opt-in offered.
    QCOMPARE(secret->text(), QString());
    QVERIFY(!secret->isEnabled());
    QVERIFY(!child<QToolButton>(view, "generateSecret")->isEnabled());
    QVERIFY(requirePkce->isChecked());
    QVERIFY(!requirePkce->isEnabled());
    QVERIFY(allowRefresh->isEnabled());
    QVERIFY(child<QLabel>(view, "clientError")->isHidden());
    QVERIFY(apply->isEnabled());
    // Not applied yet: the server still asks for approval.
    QCOMPARE(http.get(kAuthorize, HttpTestClient::cookie(session)).status, 200);

    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY(!apply->isEnabled());
    const Client *saved = ts->clients().find(kSeedClient);
    QCOMPARE(saved->authMethod, ClientAuthMethod::None);
    QCOMPARE(saved->secret, QString());
    // Public clients need PKCE anyway: the client's own require_pkce is left as it was.
    QCOMPARE(saved->requirePkce, false);
    QCOMPARE(saved->allowRefreshForPublicClient, false);

    const TestResponse refused = http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(refused.status, 303);
    QVERIFY2(refused.header("Location").startsWith("http://localhost?"), refused.header("Location").constData());
    QCOMPARE(queryItems(refused.header("Location")), kPkceMissing);
    // With a challenge the request goes on to the approval page.
    QCOMPARE(http.get(kAuthorizeWithChallenge, HttpTestClient::cookie(session)).status, 200);

    // Back to a confidential client: the loaded secret returns with the field.
    method->setCurrentIndex(method->findData(int(ClientAuthMethod::Basic)));
    QVERIFY(secret->isEnabled());
    QVERIFY(!requirePkce->isChecked());
    QVERIFY(requirePkce->isEnabled());
    QVERIFY(!allowRefresh->isEnabled());
}

void TestClientsView::requirePkceCheckboxChangesWhatAuthorizeAccepts()
{
    TestServer ts;
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    const QString session = BrowserFlow(http).logIn();
    QVERIFY(!session.isEmpty());
    auto *requirePkce = child<QCheckBox>(view, "requirePkce");
    auto *apply = child<QPushButton>(view, "applyClient");
    QCOMPARE(requirePkce->accessibleName(), QStringLiteral("Require PKCE (code_challenge)"));

    QTest::mouseClick(requirePkce, Qt::LeftButton);
    QVERIFY(requirePkce->isChecked());
    QVERIFY(apply->isEnabled());
    QCOMPARE(ts->clients().find(kSeedClient)->requirePkce, false);
    QTest::mouseClick(apply, Qt::LeftButton);
    const Client *saved = ts->clients().find(kSeedClient);
    QCOMPARE(saved->requirePkce, true);
    QCOMPARE(saved->authMethod, ClientAuthMethod::Any);
    QCOMPARE(saved->secret, QStringLiteral("secret"));

    const TestResponse refused = http.get(kAuthorize, HttpTestClient::cookie(session));
    QCOMPARE(refused.status, 303);
    QCOMPARE(queryItems(refused.header("Location")), kPkceMissing);
    QCOMPARE(http.get(kAuthorizeWithChallenge, HttpTestClient::cookie(session)).status, 200);

    // Unticked and applied: the approval page again, and approving it gives a code.
    QTest::mouseClick(requirePkce, Qt::LeftButton);
    QVERIFY(!requirePkce->isChecked());
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(ts->clients().find(kSeedClient)->requirePkce, false);
    BrowserFlow flow(http);
    QCOMPARE(flow.logInAnswer().status, 302);
    const TestResponse asked = flow.authorize();
    QCOMPARE(asked.status, 200);
    QVERIFY(asked.body.contains("<h1>OAuth Approval</h1>"));
    const TestResponse approved = flow.approve();
    QCOMPARE(approved.status, 303);
    QVERIFY2(kCodeLocation.match(QString::fromUtf8(approved.header("Location"))).hasMatch(),
             approved.header("Location").constData());
}

void TestClientsView::authenticationFieldsShowTheConfiguredValues()
{
    ServerSettings settings = TestServer::defaultSettings();
    Client spa;
    spa.id = QStringLiteral("spa");
    spa.redirectUris = {QStringLiteral("http://127.0.0.1:5173/callback")};
    spa.scopes = ScopeSet({QStringLiteral("read")});
    spa.grantTypes = GrantType::AuthorizationCode | GrantType::RefreshToken;
    spa.authMethod = ClientAuthMethod::None;
    spa.allowRefreshForPublicClient = true;
    Client backend = *std::find_if(settings.clients.cbegin(), settings.clients.cend(),
                                   [](const Client &c) { return c.id == kSeedClient; });
    backend.id = QStringLiteral("web-backend");
    backend.secret = QStringLiteral("backend-secret");
    backend.authMethod = ClientAuthMethod::Basic;
    backend.requirePkce = true;
    Client post = backend;
    post.id = QStringLiteral("post-client");
    post.authMethod = ClientAuthMethod::Post;
    post.requirePkce = false;
    settings.clients << spa << backend << post;
    TestServer ts(settings);
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *method = child<QComboBox>(view, "authMethod");
    auto *secret = child<QLineEdit>(view, "clientSecretEdit");
    auto *requirePkce = child<QCheckBox>(view, "requirePkce");
    auto *allowRefresh = child<QCheckBox>(view, "allowRefreshForPublicClient");
    auto *apply = child<QPushButton>(view, "applyClient");

    view.selectClient(QStringLiteral("spa"));
    QCOMPARE(child<QLineEdit>(view, "clientIdEdit")->text(), QStringLiteral("spa"));
    QCOMPARE(method->currentData().toInt(), int(ClientAuthMethod::None));
    QCOMPARE(method->currentText(), QStringLiteral("None — public client (PKCE required)"));
    QCOMPARE(secret->text(), QString());
    QVERIFY(!secret->isEnabled());
    QVERIFY(requirePkce->isChecked());
    QVERIFY(!requirePkce->isEnabled());
    QVERIFY(allowRefresh->isChecked());
    QVERIFY(allowRefresh->isEnabled());
    QVERIFY(!apply->isEnabled());
    QVERIFY(child<QLabel>(view, "clientError")->isHidden());

    view.selectClient(QStringLiteral("web-backend"));
    QCOMPARE(method->currentText(), QStringLiteral("HTTP Basic only"));
    QCOMPARE(secret->text(), QStringLiteral("backend-secret"));
    QVERIFY(secret->isEnabled());
    QVERIFY(requirePkce->isChecked());
    QVERIFY(requirePkce->isEnabled());
    QVERIFY(!allowRefresh->isChecked());
    QVERIFY(!allowRefresh->isEnabled());
    QVERIFY(!apply->isEnabled());

    view.selectClient(QStringLiteral("post-client"));
    QCOMPARE(method->currentText(), QStringLiteral("Parameters only"));
    QVERIFY(!requirePkce->isChecked());
    QVERIFY(!apply->isEnabled());

    // A field left alone keeps its value through Apply: only the edited one changes.
    allowRefresh->setChecked(true);
    QVERIFY(apply->isEnabled());
    QTest::mouseClick(apply, Qt::LeftButton);
    Client expected = post;
    expected.allowRefreshForPublicClient = true;
    QCOMPARE(*ts->clients().find(QStringLiteral("post-client")), expected);
}

void TestClientsView::deviceCodeCheckboxLetsTheClientRequestDeviceCodes()
{
    TestServer ts;
    ClientsView view(ts.server());
    HttpTestClient http(ts.port());
    const auto requestDeviceCode = [&] {
        return http.postForm(QStringLiteral("/oauth/device_authorization"), {},
                             HttpTestClient::basic(kSeedClient, QStringLiteral("secret")));
    };
    QCOMPARE(requestDeviceCode().status, 400); // unauthorized_client: the seed client lacks the grant

    // RFC 8628's URN is labelled by its last segment; the tooltip and the accessible name give it in full.
    auto *box = child<QCheckBox>(view, "grant_device_code");
    QCOMPARE(box->text(), QStringLiteral("device_code"));
    QCOMPARE(box->toolTip(), QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
    QCOMPARE(box->accessibleName(), QStringLiteral("Grant type urn:ietf:params:oauth:grant-type:device_code"));
    QVERIFY(!box->isChecked());
    box->click();
    QTest::mouseClick(child<QPushButton>(view, "applyClient"), Qt::LeftButton);
    QVERIFY(ts->clients().find(kSeedClient)->allows(GrantType::DeviceCode));
    QCOMPARE(requestDeviceCode().status, 200);
}

void TestClientsView::tokenFormatAndRotationRoundTrip()
{
    ServerSettings settings = TestServer::defaultSettings();
    Client configured = settings.clients.first();
    configured.id = QStringLiteral("jwt-client");
    configured.accessTokenFormat = AccessTokenFormat::Opaque;
    configured.rotateRefreshTokens = true;
    settings.clients << configured;
    TestServer ts(settings);
    ClientsView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    auto *format = child<QComboBox>(view, "accessTokenFormat");
    auto *rotate = child<QCheckBox>(view, "rotateRefreshTokens");
    auto *apply = child<QPushButton>(view, "applyClient");
    QCOMPARE(format->accessibleName(), QStringLiteral("Access token format"));
    QCOMPARE(rotate->accessibleName(), QStringLiteral("Rotate refresh tokens"));
    QCOMPARE(format->count(), 3);

    // The seed client leaves both unset: the profile's default format, no rotation.
    QCOMPARE(view.selectedClientId(), kSeedClient);
    QCOMPARE(format->currentText(), QStringLiteral("Profile default: Opaque"));
    QVERIFY(!rotate->isChecked());
    // Configured values are shown.
    view.selectClient(QStringLiteral("jwt-client"));
    QCOMPARE(format->currentText(), QStringLiteral("Opaque"));
    QVERIFY(rotate->isChecked());
    QVERIFY(!apply->isEnabled());

    // JWT and rotation for the seed client, with client_credentials to ask for a token.
    view.selectClient(kSeedClient);
    format->setCurrentIndex(format->findText(QStringLiteral("JWT (RFC 9068)")));
    QTest::mouseClick(rotate, Qt::LeftButton);
    child<QCheckBox>(view, "grant_client_credentials")->click();
    QVERIFY(apply->isEnabled());
    QCOMPARE(ts->clients().find(kSeedClient)->accessTokenFormat, std::nullopt); // not before Apply
    QTest::mouseClick(apply, Qt::LeftButton);
    QVERIFY(!apply->isEnabled());
    const Client *saved = ts->clients().find(kSeedClient);
    QCOMPARE(saved->accessTokenFormat, std::optional(AccessTokenFormat::Jwt));
    QVERIFY(saved->rotateRefreshTokens);
    // The other client is untouched.
    QCOMPARE(*ts->clients().find(QStringLiteral("jwt-client")), configured);

    const TestResponse token = http.postForm(QStringLiteral("/oauth/token"), "grant_type=client_credentials&scope=read",
                                             HttpTestClient::basic(kSeedClient, QStringLiteral("secret")));
    QCOMPARE(token.status, 200);
    QCOMPARE(token.json().value(QLatin1String("access_token")).toString().count(QLatin1Char('.')), 2);

    // Back to the profile default and no rotation: both unset again.
    format->setCurrentIndex(format->findData(-1));
    QTest::mouseClick(rotate, Qt::LeftButton);
    QTest::mouseClick(apply, Qt::LeftButton);
    saved = ts->clients().find(kSeedClient);
    QCOMPARE(saved->accessTokenFormat, std::nullopt);
    QVERIFY(!saved->rotateRefreshTokens);
    // Another scope: a new token, not the live JWT that reuseLiveTokens would hand back.
    const TestResponse opaque =
        http.postForm(QStringLiteral("/oauth/token"), "grant_type=client_credentials&scope=write",
                      HttpTestClient::basic(kSeedClient, QStringLiteral("secret")));
    QCOMPARE(opaque.status, 200);
    QCOMPARE(opaque.json().value(QLatin1String("access_token")).toString().count(QLatin1Char('.')), 0);
}

void TestClientsView::tokenFormatDefaultFollowsTheProfile()
{
    TestServer ts;
    ClientsView view(ts.server());
    auto *format = child<QComboBox>(view, "accessTokenFormat");
    QCOMPARE(format->itemText(format->findData(-1)), QStringLiteral("Profile default: Opaque"));
    ServerSettings settings = ts->settings();
    settings.useProfile(ProfileId::SpringAuthorizationServer);
    ts->applySettings(settings);
    QCOMPARE(format->itemText(format->findData(-1)), QStringLiteral("Profile default: JWT (RFC 9068)"));
    QCOMPARE(format->currentData().toInt(), -1);
    QVERIFY(!child<QPushButton>(view, "applyClient")->isEnabled());
}

QTEST_MAIN(TestClientsView)
#include "tst_clientsview.moc"
