// File → Export / Import configuration: secrets only when asked for, and an invalid import changes nothing
// and names the JSON path.
#include "ConfigTransfer.h"
#include "TestServer.h"
#include "store/ClientStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace oauthsim;
using namespace oauthsim::test;

namespace {
QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}
} // namespace

class TestConfigTransfer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exportLeavesSecretsOutUnlessAsked()
    {
        TestServer ts;
        QTemporaryDir dir;
        const QString without = dir.filePath(QStringLiteral("without.json"));
        const QString with = dir.filePath(QStringLiteral("with.json"));
        QVERIFY(!ConfigTransfer::exportTo(ts.server(), without, ConfigTransfer::Secrets::LeaveOut));
        QVERIFY(!ConfigTransfer::exportTo(ts.server(), with, ConfigTransfer::Secrets::Include));
        const QByteArray plain = readAll(without);
        QVERIFY(plain.contains("messaging-client"));
        QVERIFY(!plain.contains("client_secret") && !plain.contains("\"password\""));
        const QJsonObject full = QJsonDocument::fromJson(readAll(with)).object();
        const QJsonObject client = full.value(QLatin1String("clients")).toArray().first().toObject();
        QCOMPARE(client.value(QLatin1String("client_secret")).toString(), QStringLiteral("secret"));
        QCOMPARE(full.value(QLatin1String("users")).toArray().first().toObject().value(QLatin1String("password")),
                 QJsonValue(QStringLiteral("password")));
        QCOMPARE(QFile::permissions(with) & 0x0077, QFileDevice::Permissions()); // nobody else may read it
    }

    void roundTripKeepsSecretsOfListedClients()
    {
        TestServer ts;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config.json"));
        QVERIFY(!ConfigTransfer::exportTo(ts.server(), path, ConfigTransfer::Secrets::LeaveOut));
        // Edit the exported file: autoapprove on, a second redirect URI.
        QJsonObject root = QJsonDocument::fromJson(readAll(path)).object();
        QJsonArray clients = root.value(QLatin1String("clients")).toArray();
        QJsonObject client = clients.first().toObject();
        client.insert(QStringLiteral("autoapprove"), true);
        client.insert(QStringLiteral("redirect_uris"),
                      QJsonArray{QStringLiteral("http://localhost"), QStringLiteral("http://127.0.0.1:7000/cb")});
        clients.replace(0, client);
        root.insert(QStringLiteral("clients"), clients);
        writeFile(path, QJsonDocument(root).toJson());

        QVERIFY(!ConfigTransfer::importFrom(ts.server(), path));
        const Client *imported = ts->clients().find(QStringLiteral("messaging-client"));
        QVERIFY(imported);
        QCOMPARE(imported->autoApprove.mode, AutoApprove::Mode::All);
        QCOMPARE(imported->redirectUris.size(), 2);
        QCOMPARE(imported->secret, QStringLiteral("secret")); // kept: the file had none
        QCOMPARE(ts->settings().users.first().password, QStringLiteral("password"));
    }

    void invalidImportChangesNothingAndNamesThePath_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bad redirect")
            << QByteArray("{\"clients\":[{\"client_id\":\"a\",\"redirect_uris\":[\"http://ok\",\"not a uri\"]}]}")
            << QStringLiteral("clients[0].redirect_uris[1]: not a valid absolute URI");
        QTest::newRow("unknown key") << QByteArray("{\"tokens\":{\"lifetime\":5}}")
                                     << QStringLiteral("tokens.lifetime: unknown key");
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not valid JSON");
    }
    void invalidImportChangesNothingAndNamesThePath()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        TestServer ts;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        writeFile(path, json);
        const QList<Client> before = ts->clients().all();
        QSignalSpy changed(&ts.server(), &OAuthServer::settingsChanged);
        const auto error = ConfigTransfer::importFrom(ts.server(), path);
        QVERIFY(error);
        QVERIFY2(error->contains(path) && error->contains(expected), qPrintable(*error));
        QCOMPARE(changed.size(), 0);
        QVERIFY(ts->clients().all() == before);
    }
};

QTEST_MAIN(TestConfigTransfer)
#include "tst_configtransfer.moc"
