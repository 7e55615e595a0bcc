// The real binary as a user runs it: the listening line, exit codes and one-line errors, signals, logs.
#include "BrowserFlow.h"
#include "HttpTestClient.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace oauthsim::test;

namespace {
const QString kBinary = QStringLiteral(OAUTHSIM_BINARY);

// Starts oauthsim and waits for its listening line; returns the port (0 on failure).
quint16 startServer(QProcess &process, const QStringList &args)
{
    // Headless unless the test asks for the window with the (test-only) marker --gui.
    QStringList effective = args;
    if (effective.removeAll(QStringLiteral("--gui")) == 0)
        effective.prepend(QStringLiteral("--headless"));
    // Each server its own data directory: one directory admits one instance.
    if (!effective.contains(QStringLiteral("--data-dir"))) {
        auto *dir = new QTemporaryDir;
        QObject::connect(&process, &QObject::destroyed, [dir] { delete dir; });
        effective << QStringLiteral("--data-dir") << dir->path();
    }
    process.start(kBinary, effective);
    if (!process.waitForStarted(5000))
        return 0;
    QByteArray out = process.readAllStandardOutput();
    while (!out.contains('\n') && process.waitForReadyRead(5000))
        out += process.readAllStandardOutput();
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("^oauthsim listening on http://127\\.0\\.0\\.1:(\\d+)\\n$"))
            .match(QString::fromLatin1(out));
    return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
}

struct Finished
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Finished runToEnd(const QStringList &args)
{
    QTemporaryDir data;
    QProcess p;
    p.start(kBinary, args.contains(QStringLiteral("--data-dir"))
                         ? args
                         : args + QStringList{QStringLiteral("--data-dir"), data.path()});
    p.waitForFinished(10000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// One line on stderr, naming the problem.
bool isOneLine(const QByteArray &err)
{
    return err.endsWith('\n') && err.count('\n') == 1;
}
} // namespace

class TestProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listeningLineAndServes()
    {
        QProcess p;
        const quint16 port =
            startServer(p, {QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(port != 0);
        HttpTestClient client(port);
        const TestResponse r = client.get(QStringLiteral("/health"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("{\"status\":\"UP\"}"));
        // Exactly one line on stdout in text mode: the log goes to stderr.
        QVERIFY(p.readAllStandardOutput().isEmpty());
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains(" GET /health 200 "), err.constData());
    }

    void sigintExitsZero()
    {
        QProcess p;
        QVERIFY(startServer(p, {QStringLiteral("--port"), QStringLiteral("0")}) != 0);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
    }

    void portInUseIsExitTwo()
    {
        QProcess first;
        const quint16 port = startServer(first, {QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(port != 0);
        const Finished second =
            runToEnd({QStringLiteral("--headless"), QStringLiteral("--port"), QString::number(port)});
        QCOMPARE(second.exitCode, 2);
        QVERIFY2(isOneLine(second.err), second.err.constData());
        QVERIFY2(second.err.startsWith("oauthsim: cannot listen on 127.0.0.1:" + QByteArray::number(port) + ": "),
                 second.err.constData());
        QVERIFY(second.out.isEmpty());
        first.terminate();
        QVERIFY(first.waitForFinished(5000));
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("port not a number") << QStringList{QStringLiteral("--port"), QStringLiteral("abc")} << "abc";
        QTest::newRow("port too big") << QStringList{QStringLiteral("--port"), QStringLiteral("70000")} << "70000";
        QTest::newRow("bad bind") << QStringList{QStringLiteral("--bind"), QStringLiteral("300.1.1.1")} << "300.1.1.1";
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")} << "--frobnicate";
        QTest::newRow("bad log format") << QStringList{QStringLiteral("--log-format"), QStringLiteral("xml")} << "xml";
        QTest::newRow("bad issuer") << QStringList{QStringLiteral("--issuer"), QStringLiteral("https://sso.test/?a=1")}
                                    << "--issuer: \"https://sso.test/?a=1\": must not have a query";
        QTest::newRow("missing config") << QStringList{QStringLiteral("--config"),
                                                       QStringLiteral("/nonexistent/oauthsim.json")}
                                        << "/nonexistent/oauthsim.json";
    }
    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Finished f = runToEnd(args);
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(isOneLine(f.err), f.err.constData());
        QVERIFY2(f.err.startsWith("oauthsim: "), f.err.constData());
        QVERIFY2(f.err.contains(mentions.toUtf8()), f.err.constData());
        QVERIFY(f.out.isEmpty());
    }

    void invalidConfigNamesJsonPath()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"clients":[{"client_id":"a","client_secret":"s","redirect_uris":["http://ok","not a uri"],)"
                   R"("scopes":["read"],"grant_types":["authorization_code"]}]})");
        file.close();
        const Finished f = runToEnd({QStringLiteral("--config"), path});
        QCOMPARE(f.exitCode, 2);
        QVERIFY2(isOneLine(f.err), f.err.constData());
        QVERIFY2(f.err.contains("clients[0].redirect_uris[1]: not a valid absolute URI"), f.err.constData());
        QVERIFY2(f.err.contains(path.toUtf8()), f.err.constData());
    }

    void configOverridesDefault()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"tokens":{"access_token_lifetime":600}})");
        file.close();
        QProcess p;
        const quint16 port =
            startServer(p, {QStringLiteral("--config"), path, QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(port != 0);
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 0);
    }

    // --issuer wins over the configuration's server.issuer, exactly as written, and is not saved.
    void issuerOverridesTheConfiguration()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("c.json"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"server\":{\"issuer\":\"https://from-config.example.test\"}}");
        file.close();
        const QString data = dir.filePath(QStringLiteral("data"));
        for (const QStringList &extra : {QStringList{QStringLiteral("--config"), config}, QStringList{}}) {
            QProcess p;
            const quint16 port = startServer(
                p, extra + QStringList{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                                       data, QStringLiteral("--issuer"), QStringLiteral("https://sso.example.test/")});
            QVERIFY(port != 0);
            HttpTestClient client(port);
            const QJsonObject metadata = client.get(QStringLiteral("/.well-known/openid-configuration")).json();
            QCOMPARE(metadata.value(QLatin1String("issuer")).toString(), QStringLiteral("https://sso.example.test/"));
            QCOMPARE(metadata.value(QLatin1String("token_endpoint")).toString(),
                     QStringLiteral("https://sso.example.test/oauth/token"));
            p.terminate();
            QVERIFY(p.waitForFinished(5000));
            QCOMPARE(p.exitCode(), 0);
        }
        // The saved configuration (written by the run without --config) keeps the issuer it had: none.
        QFile saved(QDir(data).filePath(QStringLiteral("config.json")));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QJsonObject server =
            QJsonDocument::fromJson(saved.readAll()).object().value(QLatin1String("server")).toObject();
        QVERIFY(!server.isEmpty());
        QVERIFY2(!server.contains(QLatin1String("issuer")), QJsonDocument(server).toJson().constData());
    }

    void helpAndVersion()
    {
        const Finished help = runToEnd({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("messaging-client"));
        QVERIFY(help.out.contains("--log-format"));
        const Finished version = runToEnd({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out, QByteArray("oauthsim " OAUTHSIM_VERSION "\n"));
    }

    void windowWithoutDisplayIsExitTwo()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        p.setProcessEnvironment(env);
        p.start(kBinary, {QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(isOneLine(err), err.constData());
        QVERIFY2(err.contains("--headless"), err.constData());
    }

    // Without --headless the window opens (offscreen here), serves, and a SIGTERM closes it with exit 0.
    void windowServesAndQuitsOnSigterm()
    {
        QTemporaryDir home;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        p.setProcessEnvironment(env);
        const quint16 port = startServer(p, {QStringLiteral("--gui"), QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(port != 0);
        HttpTestClient client(port);
        QCOMPARE(client.get(QStringLiteral("/health")).status, 200);
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        // Closing the window saved its state where QSettings keeps it for this user.
        QVERIFY(QFileInfo::exists(home.filePath(QStringLiteral("config/oauthsim/oauthsim.conf"))));
    }

    // One data directory admits one instance; the second names the first.
    void secondInstanceOnTheSameDataDirIsRefused()
    {
        QTemporaryDir data;
        QProcess first;
        QVERIFY(startServer(first, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                                    data.path()}) != 0);
        const Finished second = runToEnd({QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("0"),
                                          QStringLiteral("--data-dir"), data.path()});
        QCOMPARE(second.exitCode, 2);
        QVERIFY2(isOneLine(second.err), second.err.constData());
        QVERIFY2(second.err.contains("another oauthsim (pid " + QByteArray::number(first.processId())),
                 second.err.constData());
        QVERIFY2(second.err.contains(data.path().toUtf8()), second.err.constData());
        first.terminate();
        QVERIFY(first.waitForFinished(5000));
        QCOMPARE(first.exitCode(), 0);
    }

    // No Secret Service (no session bus): the warning appears once, the secrets land in an owner-only file and
    // survive a restart, and a refresh token issued before the restart still refreshes after it.
    void keychainFallbackAndStateSurviveARestart()
    {
        QTemporaryDir data;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.remove(QStringLiteral("DISPLAY"));
        const QStringList args{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                               data.path()};

        QProcess first;
        first.setProcessEnvironment(env);
        const quint16 port = startServer(first, args);
        QVERIFY(port != 0);
        BrowserFlow flow(port);
        flow.logIn();
        const Tokens tokens = flow.codeFlow();
        QVERIFY(!tokens.refresh.isEmpty());
        first.terminate();
        QVERIFY(first.waitForFinished(5000));
        QCOMPARE(first.exitCode(), 0);
        const QByteArray err = first.readAllStandardError();
        QCOMPARE(err.count("no system keychain is available"), 1);
        const QString secretsPath = QDir(data.path()).filePath(QStringLiteral("secrets.json"));
        QVERIFY2(err.contains(secretsPath.toUtf8()), err.constData());
        QCOMPARE(QFileInfo(secretsPath).permissions() & 0x7777,
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser);
        for (const QString &file : {QStringLiteral("config.json"), QStringLiteral("state.json")}) {
            QFile json(QDir(data.path()).filePath(file));
            QVERIFY2(json.open(QIODevice::ReadOnly), qPrintable(file));
            const QByteArray bytes = json.readAll();
            QVERIFY2(!bytes.contains("\"secret\"") && !bytes.contains("\"password\""), qPrintable(file));
        }

        QProcess second;
        second.setProcessEnvironment(env);
        const quint16 port2 = startServer(second, args);
        QVERIFY(port2 != 0);
        BrowserFlow client(port2);
        const TestResponse refreshed = client.refresh(tokens.refresh);
        QCOMPARE(refreshed.status, 200);
        QCOMPARE(client.tokens().refresh, tokens.refresh);
        // --reset-state forgets it.
        second.terminate();
        QVERIFY(second.waitForFinished(5000));
        QProcess third;
        third.setProcessEnvironment(env);
        const quint16 port3 = startServer(third, args + QStringList{QStringLiteral("--reset-state")});
        QVERIFY(port3 != 0);
        BrowserFlow after(port3);
        const TestResponse refused = after.refresh(tokens.refresh);
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.json().value(QLatin1String("error")).toString(), QStringLiteral("invalid_grant"));
        third.terminate();
        QVERIFY(third.waitForFinished(5000));
    }

    // The signing key is made once and kept with the secrets: a restart publishes the same JWKS, so tokens signed
    // before it still verify. The server listened only once the key existed (the JWKS is never empty).
    void signingKeySurvivesARestart()
    {
        QTemporaryDir data;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        env.remove(QStringLiteral("DISPLAY"));
        const QStringList args{QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"),
                               data.path()};
        QByteArray jwks;
        QString kid;
        {
            QProcess first;
            first.setProcessEnvironment(env);
            const quint16 port = startServer(first, args);
            QVERIFY(port != 0);
            HttpTestClient http(port);
            const TestResponse r = http.get(QStringLiteral("/oauth/jwks"));
            QCOMPARE(r.status, 200);
            jwks = r.body;
            const QJsonArray keys = r.json().value(QLatin1String("keys")).toArray();
            QCOMPARE(keys.size(), 1);
            kid = keys.first().toObject().value(QLatin1String("kid")).toString();
            QVERIFY(!kid.isEmpty());
            first.terminate();
            QVERIFY(first.waitForFinished(5000));
            QCOMPARE(first.exitCode(), 0);
        }
        QFile secrets(QDir(data.path()).filePath(QStringLiteral("secrets.json")));
        QVERIFY(secrets.open(QIODevice::ReadOnly));
        const QJsonObject stored = QJsonDocument::fromJson(secrets.readAll()).object();
        QVERIFY(stored.value(QStringLiteral("signing-key/") + kid)
                    .toString()
                    .startsWith(QLatin1String("-----BEGIN PRIVATE KEY-----\n")));
        QVERIFY(stored.value(QLatin1String("signing-keys")).toString().contains(kid));

        QProcess second;
        second.setProcessEnvironment(env);
        const quint16 port = startServer(second, args);
        QVERIFY(port != 0);
        HttpTestClient http(port);
        QCOMPARE(http.get(QStringLiteral("/oauth/jwks")).body, jwks);
        second.terminate();
        QVERIFY(second.waitForFinished(5000));
    }

    void dataDirIsCreated()
    {
        QTemporaryDir dir;
        const QString dataDir = dir.filePath(QStringLiteral("a/b/c"));
        QProcess p;
        QVERIFY(startServer(
                    p, {QStringLiteral("--data-dir"), dataDir, QStringLiteral("--port"), QStringLiteral("0")}) != 0);
        QVERIFY(QFileInfo(dataDir).isDir());
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
    }

    void jsonLogHasNoSecrets()
    {
        QProcess p;
        const quint16 port = startServer(
            p, {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--log-format"), QStringLiteral("json")});
        QVERIFY(port != 0);
        HttpTestClient client(port);
        const TestResponse r =
            client.postForm(QStringLiteral("/oauth/token?client_secret=s3cr3t-value"),
                            "grant_type=refresh_token&refresh_token=nope&client_id=messaging-client&password=hunter2");
        QCOMPARE(r.status, 401);
        // The event loop that waited for the reply may already have buffered the line.
        QByteArray out = p.readAllStandardOutput();
        while (!out.contains('\n') && p.waitForReadyRead(5000))
            out += p.readAllStandardOutput();
        QCOMPARE(out.count('\n'), 1);
        QVERIFY(!out.contains("s3cr3t-value"));
        QVERIFY(!out.contains("hunter2"));
        const QJsonObject line = QJsonDocument::fromJson(out).object();
        QCOMPARE(line.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(line.value(QLatin1String("path")).toString(), QStringLiteral("/oauth/token"));
        QCOMPARE(line.value(QLatin1String("status")).toInt(), 401);
        QVERIFY(line.contains(QLatin1String("time")));
        QVERIFY(line.value(QLatin1String("duration_ms")).isDouble());
        QCOMPARE(line.value(QLatin1String("client_id")).toString(), QStringLiteral("messaging-client"));
        QVERIFY(line.contains(QLatin1String("step")));
        p.terminate();
        QVERIFY(p.waitForFinished(5000));
        QCOMPARE(p.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProcess)
#include "tst_process.moc"
