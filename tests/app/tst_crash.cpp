// A crash or kill -9 at any moment leaves either the old or the new state file, never a torn one: a helper
// process writes the whole state in a tight loop and is killed with SIGKILL at random moments, 100 times.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>

class TestCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killedWriterNeverLeavesATornFile()
    {
        QTemporaryDir dir;
        const QString statePath = dir.filePath(QStringLiteral("state.json"));
        int sawFile = 0;
        for (int round = 0; round < 100; ++round) {
            QProcess writer;
            writer.start(QStringLiteral(OAUTHSIM_STATEWRITER), {dir.path()});
            QVERIFY(writer.waitForStarted(5000));
            // Wait for the first complete write of this process (blocking on the child is fine: no server here).
            QVERIFY(writer.waitForReadyRead(5000));
            QThread::usleep(QRandomGenerator::global()->bounded(30000)); // then kill it mid-loop, somewhere
            ::kill(pid_t(writer.processId()), SIGKILL);
            QVERIFY(writer.waitForFinished(5000));
            QCOMPARE(writer.exitStatus(), QProcess::CrashExit);

            QFile file(statePath);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(QStringLiteral("round %1: no state file").arg(round)));
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
            QVERIFY2(error.error == QJsonParseError::NoError,
                     qPrintable(QStringLiteral("round %1: torn file: %2").arg(round).arg(error.errorString())));
            const QJsonObject root = document.object();
            QCOMPARE(root.value(QLatin1String("schema_version")).toInt(), 1);
            const QJsonArray tokens = root.value(QLatin1String("tokens")).toArray();
            QVERIFY(!tokens.isEmpty());
            // Complete: every access token's refresh token is in the same file.
            QSet<QString> refresh;
            for (const QJsonValue &t : tokens) {
                if (t.toObject().value(QLatin1String("kind")).toString() == QLatin1String("refresh"))
                    refresh.insert(t.toObject().value(QLatin1String("value")).toString());
            }
            for (const QJsonValue &t : tokens) {
                const QJsonObject o = t.toObject();
                QVERIFY(!o.value(QLatin1String("value")).toString().isEmpty());
                QVERIFY(o.value(QLatin1String("expires_at")).toDouble() > 0);
                if (o.value(QLatin1String("kind")).toString() == QLatin1String("access"))
                    QVERIFY(refresh.contains(o.value(QLatin1String("refresh_token")).toString()));
            }
            ++sawFile;
        }
        QCOMPARE(sawFile, 100);
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
