// ClientListModel against a live server: its rows follow ClientStore's signals (insert, change, remove,
// reset), the autoapprove checkbox goes through OAuthServer::setAutoApprove, all under QAbstractItemModelTester.

#include "TestServer.h"

#include "models/ClientListModel.h"
#include "store/ClientStore.h"

#include <QAbstractItemModelTester>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {

const QString kSeedClient = QStringLiteral("messaging-client");

Client makeClient(const QString &id)
{
    Client c;
    c.id = id;
    c.secret = QStringLiteral("s3cret");
    c.redirectUris = {QStringLiteral("http://localhost/a"), QStringLiteral("com.example.app:/cb")};
    c.scopes = ScopeSet({QStringLiteral("read")});
    c.grantTypes = GrantType::AuthorizationCode;
    return c;
}

QVariant cell(const ClientListModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.data(model.index(row, column), role);
}

} // namespace

class TestClientListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral("QModelIndex|QAbstractItemModel"))); }
    void showsTheSeedClient();
    void autoApproveCheckboxGoesThroughTheServer();
    void chosenScopesArePartiallyChecked();
    void followsClientStoreSignals();
    void renameMovesTheRow();
    void resetsOnApplySettings();
};

void TestClientListModel::showsTheSeedClient()
{
    TestServer ts;
    ClientListModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.columnCount(), int(ClientListModel::ColumnCount));
    QCOMPARE(cell(model, 0, ClientListModel::IdColumn).toString(), kSeedClient);
    QCOMPARE(cell(model, 0, ClientListModel::RedirectUrisColumn).toString(), QStringLiteral("http://localhost"));
    QCOMPARE(cell(model, 0, ClientListModel::ScopesColumn).toString(), QStringLiteral("read write"));
    QCOMPARE(cell(model, 0, ClientListModel::GrantTypesColumn).toString(),
             QStringLiteral("authorization_code, refresh_token"));
    QCOMPARE(cell(model, 0, ClientListModel::AutoApproveColumn).toString(), QStringLiteral("off"));
    QCOMPARE(cell(model, 0, ClientListModel::AutoApproveColumn, Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(cell(model, 0, ClientListModel::AccessLifetimeColumn).toString(),
             QStringLiteral("server default (43200 s)"));
    QCOMPARE(cell(model, 0, ClientListModel::RefreshLifetimeColumn).toString(),
             QStringLiteral("server default (2592000 s)"));
    QCOMPARE(cell(model, 0, ClientListModel::IdColumn, ClientListModel::ClientIdRole).toString(), kSeedClient);
    // Only the autoapprove cell is checkable; no other cell carries a check state.
    for (int column = 0; column < model.columnCount(); ++column) {
        const bool checkable = model.flags(model.index(0, column)).testFlag(Qt::ItemIsUserCheckable);
        QCOMPARE(checkable, column == ClientListModel::AutoApproveColumn);
        QCOMPARE(cell(model, 0, column, Qt::CheckStateRole).isValid(), checkable);
    }
    QVERIFY(model.client(0) == *ts->clients().find(kSeedClient));
    QCOMPARE(model.rowOf(kSeedClient), 0);
    QCOMPARE(model.rowOf(QStringLiteral("nobody")), -1);
    QCOMPARE(model.client(5).id, QString());
    QCOMPARE(model.headerData(ClientListModel::AutoApproveColumn, Qt::Horizontal).toString(),
             QStringLiteral("Autoapprove"));
}

void TestClientListModel::autoApproveCheckboxGoesThroughTheServer()
{
    TestServer ts;
    ClientListModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex autoApprove = model.index(0, ClientListModel::AutoApproveColumn);

    QVERIFY(model.setData(autoApprove, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove.mode, AutoApprove::Mode::All);
    QCOMPARE(autoApprove.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    QCOMPARE(autoApprove.data().toString(), QStringLiteral("all scopes"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);

    QVERIFY(model.setData(autoApprove, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove.mode, AutoApprove::Mode::Off);
    QCOMPARE(autoApprove.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(changed.size(), 2);

    // Not the checkbox, or not a check state: refused, nothing changes.
    QVERIFY(!model.setData(model.index(0, ClientListModel::IdColumn), Qt::Checked, Qt::CheckStateRole));
    QVERIFY(!model.setData(autoApprove, Qt::Checked, Qt::EditRole));
    QVERIFY(!model.setData(autoApprove, Qt::PartiallyChecked, Qt::CheckStateRole));
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove.mode, AutoApprove::Mode::Off);
    QCOMPARE(changed.size(), 2);
}

void TestClientListModel::chosenScopesArePartiallyChecked()
{
    TestServer ts;
    ClientListModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(ts->setAutoApprove(kSeedClient, AutoApprove{AutoApprove::Mode::Scopes, ScopeSet({"read"})}));

    const QModelIndex autoApprove = model.index(0, ClientListModel::AutoApproveColumn);
    QCOMPARE(autoApprove.data(Qt::CheckStateRole).toInt(), int(Qt::PartiallyChecked));
    QCOMPARE(autoApprove.data().toString(), QStringLiteral("read"));
    // A click on a partially checked box (the delegate asks for Checked) means all scopes.
    QVERIFY(model.setData(autoApprove, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(ts->clients().find(kSeedClient)->autoApprove, (AutoApprove{AutoApprove::Mode::All, {}}));
}

void TestClientListModel::followsClientStoreSignals()
{
    TestServer ts;
    ClientListModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    Client added = makeClient(QStringLiteral("second"));
    QVERIFY(!ts->saveClient(added));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("second")), 1);
    QCOMPARE(cell(model, 1, ClientListModel::RedirectUrisColumn).toString(),
             QStringLiteral("http://localhost/a, com.example.app:/cb"));
    QCOMPARE(cell(model, 1, ClientListModel::GrantTypesColumn).toString(), QStringLiteral("authorization_code"));

    added.accessTokenLifetime = 600;
    added.refreshTokenLifetime = 7200;
    QVERIFY(!ts->saveClient(added, added.id));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(1, 0));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(1, ClientListModel::ColumnCount - 1));
    QCOMPARE(cell(model, 1, ClientListModel::AccessLifetimeColumn).toString(), QStringLiteral("600 s"));
    QCOMPARE(cell(model, 1, ClientListModel::RefreshLifetimeColumn).toString(), QStringLiteral("7200 s"));
    QCOMPARE(inserted.size(), 1);

    QVERIFY(ts->removeClient(kSeedClient));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.client(0).id, QStringLiteral("second"));

    // A refused edit changes no row.
    Client invalid = added;
    invalid.grantTypes = {};
    QVERIFY(ts->saveClient(invalid, invalid.id).has_value());
    QCOMPARE(changed.size(), 1);
    QVERIFY(model.client(0) == added);
}

void TestClientListModel::renameMovesTheRow()
{
    TestServer ts;
    ClientListModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!ts->saveClient(makeClient(QStringLiteral("second"))));

    Client renamed = model.client(0);
    renamed.id = QStringLiteral("renamed");
    QVERIFY(!ts->saveClient(renamed, kSeedClient));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(kSeedClient), -1);
    QVERIFY(model.rowOf(QStringLiteral("renamed")) >= 0);
    QVERIFY(model.client(model.rowOf(QStringLiteral("renamed"))) == renamed);
    QCOMPARE(model.rowOf(QStringLiteral("second")) >= 0, true);
}

void TestClientListModel::resetsOnApplySettings()
{
    TestServer ts;
    ClientListModel model(ts.server());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    ServerSettings settings = ts->settings();
    settings.accessTokenLifetime = 600;
    settings.clients = {makeClient(QStringLiteral("a")), makeClient(QStringLiteral("b")),
                        makeClient(QStringLiteral("c"))};
    ts->applySettings(settings);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.client(0).id, QStringLiteral("a"));
    QCOMPARE(model.client(2).id, QStringLiteral("c"));
    // The server default shown follows the new settings.
    QCOMPARE(cell(model, 1, ClientListModel::AccessLifetimeColumn).toString(),
             QStringLiteral("server default (600 s)"));

    // Only a lifetime changes: the list is not reset (views keep their selection), the shown default follows.
    settings = ts->settings();
    settings.accessTokenLifetime = 900;
    ts->applySettings(settings);
    QCOMPARE(reset.size(), 1);
    QCOMPARE(cell(model, 1, ClientListModel::AccessLifetimeColumn).toString(),
             QStringLiteral("server default (900 s)"));
}

QTEST_MAIN(TestClientListModel)
#include "tst_clientlistmodel.moc"
