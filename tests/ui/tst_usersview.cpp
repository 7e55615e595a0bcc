// The Users tab with a live server behind it: a password applied in the window is the one the login page
// accepts next; claims must be a JSON object, and the error says what is wrong with them.

#include "BrowserFlow.h"
#include "HttpTestClient.h"
#include "TestServer.h"

#include "UsersView.h"
#include "models/UserListModel.h"
#include "store/UserStore.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kAuthorize = QStringLiteral("/oauth/authorize?") + BrowserFlow::seedQuery();

// Where POST /login sends the browser: the saved authorize URL on success, /login?error on failure.
QByteArray loginRedirect(HttpTestClient &http, const QString &username, const QString &password)
{
    const TestResponse login = BrowserFlow(http).logInAnswer(username, password);
    return login.status == 302 ? login.header("Location") : QByteArray();
}

bool canLogIn(HttpTestClient &http, const QString &username, const QString &password)
{
    const QByteArray location = loginRedirect(http, username, password);
    return location.endsWith(kAuthorize.toUtf8());
}

template <typename T> T *child(QWidget &parent, const char *name)
{
    T *widget = parent.findChild<T *>(QLatin1String(name));
    if (!widget)
        qFatal("no %s named %s", T::staticMetaObject.className(), name);
    return widget;
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

class TestUsersView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral("QModelIndex|QAbstractItemModel"))); }
    void showsTheSeedUser();
    void appliedPasswordIsTheOneTheLoginPageAccepts();
    void claimsMustBeAJsonObject_data();
    void claimsMustBeAJsonObject();
    void validClaimsAreSaved();
    void emptyOrDuplicateUsernameIsRefused();
    void renameSelectsTheRenamedUser();
    void addAndDeleteAsksFirst();
};

void TestUsersView::showsTheSeedUser()
{
    TestServer ts;
    UsersView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(view.model()->rowCount(), 1);
    QCOMPARE(view.model()->index(0, UserListModel::UsernameColumn).data().toString(), QStringLiteral("user"));
    QCOMPARE(view.model()->index(0, UserListModel::PasswordColumn).data().toString(), QStringLiteral("set"));
    QCOMPARE(view.model()->index(0, UserListModel::AuthoritiesColumn).data().toString(), QStringLiteral("ROLE_USER"));
    QCOMPARE(view.model()->index(0, UserListModel::ClaimsColumn).data().toString(), QStringLiteral("{}"));
    QCOMPARE(view.selectedUsername(), QStringLiteral("user"));
    QCOMPARE(child<QLineEdit>(view, "usernameEdit")->text(), QStringLiteral("user"));
    auto *password = child<QLineEdit>(view, "passwordEdit");
    QCOMPARE(password->echoMode(), QLineEdit::Password);
    QTest::mouseClick(child<QToolButton>(view, "revealPassword"), Qt::LeftButton);
    QCOMPARE(password->echoMode(), QLineEdit::Normal);
    QCOMPARE(password->text(), QStringLiteral("password"));
    QCOMPARE(child<QLineEdit>(view, "authoritiesEdit")->text(), QStringLiteral("ROLE_USER"));
    QVERIFY(!child<QPushButton>(view, "applyUser")->isEnabled());
}

void TestUsersView::appliedPasswordIsTheOneTheLoginPageAccepts()
{
    TestServer ts;
    UsersView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    HttpTestClient http(ts.port());
    QVERIFY(canLogIn(http, QStringLiteral("user"), QStringLiteral("password")));

    retype(child<QLineEdit>(view, "passwordEdit"), QStringLiteral("n3w pass"));
    QVERIFY(canLogIn(http, QStringLiteral("user"), QStringLiteral("password"))); // not applied yet
    QTest::mouseClick(child<QPushButton>(view, "applyUser"), Qt::LeftButton);
    QCOMPARE(ts->users().find(QStringLiteral("user"))->password, QStringLiteral("n3w pass"));

    QVERIFY(canLogIn(http, QStringLiteral("user"), QStringLiteral("n3w pass")));
    QCOMPARE(loginRedirect(http, QStringLiteral("user"), QStringLiteral("password")), QByteArray("/login?error"));
    // The form still shows the user, unmodified.
    QCOMPARE(view.selectedUsername(), QStringLiteral("user"));
    QVERIFY(!child<QPushButton>(view, "applyUser")->isEnabled());
}

void TestUsersView::claimsMustBeAJsonObject_data()
{
    QTest::addColumn<QString>("claims");
    QTest::addColumn<QString>("error");

    QTest::newRow("an array") << "[\"a\"]"
                              << "Claims: expected a JSON object";
    QTest::newRow("a string") << "\"jane\""
                              << "Claims: expected a JSON object";
    QTest::newRow("a number") << "42"
                              << "Claims: expected a JSON object";
    QTest::newRow("an array with an object") << "[{\"a\": 1}]"
                                             << "Claims: expected a JSON object";
    // Qt 6.4's own wording of the parse error, with the offset of the problem.
    QTest::newRow("unterminated string") << "{\"name\": \"Jane"
                                         << "Claims: unterminated string at offset 15";
    QTest::newRow("missing value") << "{\"name\": }"
                                   << "Claims: object is missing after a comma at offset 10";
    QTest::newRow("single quotes") << "{'name': 1}"
                                   << "Claims: unterminated object at offset 2";
}

void TestUsersView::claimsMustBeAJsonObject()
{
    QFETCH(QString, claims);
    QFETCH(QString, error);

    TestServer ts;
    UsersView view(ts.server());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&ts->users(), &UserStore::usersReset);
    auto *edit = child<QPlainTextEdit>(view, "userClaims");
    auto *errorLabel = child<QLabel>(view, "userError");
    QVERIFY(errorLabel->isHidden());

    QTest::keyClicks(edit, claims);
    QCOMPARE(edit->toPlainText(), claims);
    QVERIFY(errorLabel->isVisible());
    QCOMPARE(errorLabel->text(), error);
    QCOMPARE(edit->property("invalid").toBool(), true);

    QTest::mouseClick(child<QPushButton>(view, "applyUser"), Qt::LeftButton);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(ts->users().find(QStringLiteral("user"))->claims, QJsonObject());
    QCOMPARE(errorLabel->text(), error);

    QTest::mouseClick(child<QPushButton>(view, "revertUser"), Qt::LeftButton);
    QCOMPARE(edit->toPlainText(), QString());
    QVERIFY(errorLabel->isHidden());
    QCOMPARE(edit->property("invalid").toBool(), false);
}

void TestUsersView::validClaimsAreSaved()
{
    TestServer ts;
    UsersView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto *edit = child<QPlainTextEdit>(view, "userClaims");
    QTest::keyClicks(edit, QStringLiteral("{\"name\": \"Jane Doe\", \"email_verified\": true}"));
    QVERIFY(child<QLabel>(view, "userError")->isHidden());
    retype(child<QLineEdit>(view, "authoritiesEdit"), QStringLiteral("ROLE_USER, ROLE_ADMIN"));
    QTest::mouseClick(child<QPushButton>(view, "applyUser"), Qt::LeftButton);

    const User *saved = ts->users().find(QStringLiteral("user"));
    QCOMPARE(saved->claims, QJsonObject({{"name", "Jane Doe"}, {"email_verified", true}}));
    QCOMPARE(saved->authorities, QStringList({"ROLE_USER", "ROLE_ADMIN"}));
    QCOMPARE(view.model()->index(0, UserListModel::ClaimsColumn).data().toString(),
             QStringLiteral("{\"email_verified\":true,\"name\":\"Jane Doe\"}"));
    // Shown back pretty-printed.
    QCOMPARE(QJsonDocument::fromJson(edit->toPlainText().toUtf8()).object(), saved->claims);
    QVERIFY(edit->toPlainText().contains(QLatin1Char('\n')));
}

void TestUsersView::emptyOrDuplicateUsernameIsRefused()
{
    TestServer ts;
    User bob;
    bob.username = QStringLiteral("bob");
    bob.password = QStringLiteral("pw");
    QVERIFY(!ts->saveUser(bob));
    UsersView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.selectUser(QStringLiteral("user"));
    QSignalSpy reset(&ts->users(), &UserStore::usersReset);
    auto *name = child<QLineEdit>(view, "usernameEdit");
    auto *errorLabel = child<QLabel>(view, "userError");

    retype(name, QString());
    QCOMPARE(errorLabel->text(), QStringLiteral("Username: must not be empty"));
    QVERIFY(!view.applyUser());
    retype(name, QStringLiteral("bob"));
    QCOMPARE(errorLabel->text(), QStringLiteral("Username: duplicate username \"bob\""));
    QCOMPARE(name->property("invalid").toBool(), true);
    QTest::mouseClick(child<QPushButton>(view, "applyUser"), Qt::LeftButton);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(ts->users().find(QStringLiteral("bob"))->password, QStringLiteral("pw"));
    QVERIFY(ts->users().find(QStringLiteral("user")));
}

void TestUsersView::renameSelectsTheRenamedUser()
{
    TestServer ts;
    UsersView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy selected(&view, &UsersView::selectedUserChanged);
    retype(child<QLineEdit>(view, "usernameEdit"), QStringLiteral("alice"));
    QTest::mouseClick(child<QPushButton>(view, "applyUser"), Qt::LeftButton);
    QVERIFY(!ts->users().find(QStringLiteral("user")));
    QCOMPARE(ts->users().find(QStringLiteral("alice"))->password, QStringLiteral("password"));
    QCOMPARE(view.selectedUsername(), QStringLiteral("alice"));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(child<QTableView>(view, "userTable")->currentIndex().row(), view.model()->rowOf(QStringLiteral("alice")));
    HttpTestClient http(ts.port());
    QVERIFY(canLogIn(http, QStringLiteral("alice"), QStringLiteral("password")));
    QVERIFY(!canLogIn(http, QStringLiteral("user"), QStringLiteral("password")));
}

void TestUsersView::addAndDeleteAsksFirst()
{
    TestServer ts;
    UsersView view(ts.server());
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QStringList questions;
    bool answer = false;
    view.confirm = [&](const QString &question) {
        questions << question;
        return answer;
    };

    QTest::mouseClick(child<QPushButton>(view, "addUser"), Qt::LeftButton);
    QCOMPARE(view.model()->rowCount(), 2);
    QCOMPARE(view.selectedUsername(), QStringLiteral("user2"));
    QVERIFY(ts->users().find(QStringLiteral("user2")));

    auto *remove = child<QPushButton>(view, "deleteUser");
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(questions.size(), 1);
    QVERIFY2(questions.at(0).contains(QStringLiteral("\"user2\"")), qPrintable(questions.at(0)));
    QVERIFY(ts->users().find(QStringLiteral("user2")));

    answer = true;
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(questions.size(), 2);
    QVERIFY(!ts->users().find(QStringLiteral("user2")));
    QCOMPARE(view.model()->rowCount(), 1);
    QCOMPARE(view.selectedUsername(), QStringLiteral("user"));
    HttpTestClient http(ts.port());
    QVERIFY(!canLogIn(http, QStringLiteral("user2"), QStringLiteral("password")));
    QVERIFY(canLogIn(http, QStringLiteral("user"), QStringLiteral("password")));
}

QTEST_MAIN(TestUsersView)
#include "tst_usersview.moc"
