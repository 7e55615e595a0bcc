#include "CommandLine.h"

#include <QRegularExpression>
#include <QTest>

using namespace oauthsim;

namespace {

// Every option in one line, so that QCOMPARE shows exactly which one differs.
QString describe(const CommandLineOptions &o)
{
    return QStringLiteral("headless=%1 bind=%2 port=%3 config=%4 dataDir=%5 log=%6 reset=%7 issuer=%8 profile=%9")
        .arg(o.headless)
        .arg(o.bind ? *o.bind : QStringLiteral("<unset>"))
        .arg(o.port ? QString::number(*o.port) : QStringLiteral("<unset>"))
        .arg(o.configFile, o.dataDir)
        .arg(o.logFormat == LogFormat::Json ? QStringLiteral("json") : QStringLiteral("text"))
        .arg(o.resetState)
        .arg(o.issuer ? *o.issuer : QStringLiteral("<unset>"))
        .arg(o.profile ? Profile::get(*o.profile).name : QStringLiteral("<unset>"));
}

QStringList args(const QStringList &rest)
{
    return QStringList{QStringLiteral("oauthsim")} + rest;
}

} // namespace

Q_DECLARE_METATYPE(oauthsim::CommandLineOptions)

class tst_CommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void options_data();
    void options();
    void errors_data();
    void errors();
    void help_data();
    void help();
    void helpMentionsTheDefaultWorld_data();
    void helpMentionsTheDefaultWorld();
    void helpFitsATerminal();
    void version();
};

void tst_CommandLine::defaults()
{
    const CommandLineResult result = parseCommandLine(args({}));
    QCOMPARE(result.action, CommandLineAction::Run);
    QCOMPARE(result.message, QString());
    QCOMPARE(result.options.headless, false);
    QVERIFY(!result.options.bind.has_value());
    QVERIFY(!result.options.port.has_value());
    QVERIFY(!result.options.issuer.has_value());
    QCOMPARE(result.options.configFile, QString());
    QCOMPARE(result.options.dataDir, QString());
    QCOMPARE(result.options.logFormat, LogFormat::Text);

    // The program name is never read as an argument, whatever it looks like.
    QCOMPARE(parseCommandLine({QStringLiteral("--port")}).action, CommandLineAction::Run);
    QCOMPARE(parseCommandLine({}).action, CommandLineAction::Run);
}

void tst_CommandLine::options_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<CommandLineOptions>("expected");

    const CommandLineOptions none;
    CommandLineOptions o;

    o = none;
    o.headless = true;
    QTest::newRow("--headless") << QStringList{"--headless"} << o;

    o = none;
    o.resetState = true;
    QTest::newRow("--reset-state") << QStringList{"--reset-state"} << o;

    o = none;
    o.bind = QStringLiteral("0.0.0.0");
    QTest::newRow("--bind v") << QStringList{"--bind", "0.0.0.0"} << o;
    QTest::newRow("--bind=v") << QStringList{"--bind=0.0.0.0"} << o;
    o.bind = QStringLiteral("::1");
    QTest::newRow("--bind ::1") << QStringList{"--bind", "::1"} << o;
    QTest::newRow("--bind=::1") << QStringList{"--bind=::1"} << o;
    o.bind = QStringLiteral("127.0.0.1");
    QTest::newRow("--bind localhost") << QStringList{"--bind", "localhost"} << o;
    QTest::newRow("--bind=localhost") << QStringList{"--bind=localhost"} << o;

    o = none;
    o.port = 0;
    QTest::newRow("--port 0") << QStringList{"--port", "0"} << o;
    QTest::newRow("--port=0") << QStringList{"--port=0"} << o;
    o.port = 65535;
    QTest::newRow("--port 65535") << QStringList{"--port", "65535"} << o;
    QTest::newRow("--port=65535") << QStringList{"--port=65535"} << o;
    o.port = 8080;
    QTest::newRow("--port 08080") << QStringList{"--port", "08080"} << o;
    o.port = 2;
    QTest::newRow("last --port wins") << QStringList{"--port", "1", "--port=2"} << o;

    o = none;
    o.configFile = QStringLiteral("/tmp/world.json");
    QTest::newRow("--config v") << QStringList{"--config", "/tmp/world.json"} << o;
    QTest::newRow("--config=v") << QStringList{"--config=/tmp/world.json"} << o;
    o.configFile = QStringLiteral("a=b.json");
    QTest::newRow("--config=a=b.json") << QStringList{"--config=a=b.json"} << o;
    o.configFile = QStringLiteral("-dash.json");
    QTest::newRow("--config -dash.json") << QStringList{"--config", "-dash.json"} << o;
    o.configFile = QStringLiteral("my world.json");
    QTest::newRow("--config with space") << QStringList{"--config", "my world.json"} << o;

    o = none;
    o.dataDir = QStringLiteral("/var/tmp/oauthsim");
    QTest::newRow("--data-dir v") << QStringList{"--data-dir", "/var/tmp/oauthsim"} << o;
    QTest::newRow("--data-dir=v") << QStringList{"--data-dir=/var/tmp/oauthsim"} << o;

    o = none;
    o.logFormat = LogFormat::Json;
    QTest::newRow("--log-format json") << QStringList{"--log-format", "json"} << o;
    QTest::newRow("--log-format=json") << QStringList{"--log-format=json"} << o;
    o.logFormat = LogFormat::Text;
    QTest::newRow("--log-format text") << QStringList{"--log-format", "text"} << o;
    QTest::newRow("--log-format=text") << QStringList{"--log-format=json", "--log-format=text"} << o;

    // The issuer is kept exactly as written: a trailing slash, a path, a port, upper case are all part of it.
    const char *issuers[] = {"https://sso.example.test", "https://sso.example.test/", "http://127.0.0.1:8090",
                             "http://localhost:9000/realms/dev/", "HTTPS://SSO.Example.Test/Tenant"};
    for (const char *issuer : issuers) {
        o = none;
        o.issuer = QString::fromLatin1(issuer);
        QTest::addRow("--issuer %s", issuer) << QStringList{"--issuer", issuer} << o;
        QTest::addRow("--issuer=%s", issuer) << QStringList{QStringLiteral("--issuer=") + issuer} << o;
    }
    o = none;
    o.profile = ProfileId::SpringAuthorizationServer;
    QTest::newRow("--profile sas") << QStringList{"--profile", "spring-authorization-server"} << o;
    QTest::newRow("--profile=sas") << QStringList{"--profile=spring-authorization-server"} << o;
    o.profile = ProfileId::SpringLegacy;
    QTest::newRow("--profile legacy") << QStringList{"--profile", "spring-legacy"} << o;

    o = none;
    o.issuer = QStringLiteral("https://b.test");
    QTest::newRow("last --issuer wins") << QStringList{"--issuer=https://a.test/", "--issuer", "https://b.test"} << o;

    o = none;
    o.headless = true;
    o.bind = QStringLiteral("::1");
    o.port = 0;
    o.configFile = QStringLiteral("c.json");
    o.dataDir = QStringLiteral("d");
    o.logFormat = LogFormat::Json;
    QTest::newRow("everything") << QStringList{"--headless", "--bind",       "::1",          "--port=0", "--config",
                                               "c.json",     "--data-dir=d", "--log-format", "json"}
                                << o;
    QTest::newRow("everything, then --") << QStringList{"--log-format=json", "--data-dir", "d",
                                                        "--config=c.json",   "--port",     "0",
                                                        "--bind=::1",        "--headless", "--"}
                                         << o;
}

void tst_CommandLine::options()
{
    QFETCH(QStringList, arguments);
    QFETCH(CommandLineOptions, expected);

    const CommandLineResult result = parseCommandLine(args(arguments));
    QCOMPARE(result.message, QString());
    QCOMPARE(result.action, CommandLineAction::Run);
    QCOMPARE(describe(result.options), describe(expected));
}

void tst_CommandLine::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown option") << QStringList{"--prot", "80"} << R"(unknown option "--prot")";
    QTest::newRow("unknown option=") << QStringList{"--prot=80"} << R"(unknown option "--prot")";
    QTest::newRow("unknown short") << QStringList{"-p", "80"} << R"(unknown option "-p")";
    QTest::newRow("options are case-sensitive") << QStringList{"--Port", "80"} << R"(unknown option "--Port")";
    QTest::newRow("single dash long") << QStringList{"-port", "80"} << R"(unknown option "-port")";
    QTest::newRow("-h=x is not -h") << QStringList{"-h=x"} << R"(unknown option "-h=x")";

    QTest::newRow("positional") << QStringList{"world.json"} << R"(unexpected argument "world.json")";
    QTest::newRow("positional after flag") << QStringList{"--headless", "extra"} << R"(unexpected argument "extra")";
    QTest::newRow("lone dash") << QStringList{"-"} << R"(unexpected argument "-")";
    QTest::newRow("after --") << QStringList{"--", "--port"} << R"(unexpected argument "--port")";
    QTest::newRow("empty argument") << QStringList{""} << R"(unexpected argument "")";

    QTest::newRow("--port at end") << QStringList{"--port"} << "--port: missing value";
    QTest::newRow("--port=") << QStringList{"--port="} << "--port: missing value";
    QTest::newRow("--port before option") << QStringList{"--port", "--headless"} << "--port: missing value";
    QTest::newRow("--bind at end") << QStringList{"--headless", "--bind"} << "--bind: missing value";
    QTest::newRow("--config empty") << QStringList{"--config", ""} << "--config: missing value";
    QTest::newRow("--config=") << QStringList{"--config="} << "--config: missing value";
    QTest::newRow("--data-dir at end") << QStringList{"--data-dir"} << "--data-dir: missing value";
    QTest::newRow("--log-format at end") << QStringList{"--log-format"} << "--log-format: missing value";

    QTest::newRow("port word") << QStringList{"--port", "abc"} << R"(--port: "abc" is not a port number (0-65535))";
    QTest::newRow("port=word") << QStringList{"--port=abc"} << R"(--port: "abc" is not a port number (0-65535))";
    QTest::newRow("port 65536") << QStringList{"--port", "65536"}
                                << R"(--port: "65536" is not a port number (0-65535))";
    QTest::newRow("port 123456") << QStringList{"--port=123456"}
                                 << R"(--port: "123456" is not a port number (0-65535))";
    QTest::newRow("port -1") << QStringList{"--port", "-1"} << R"(--port: "-1" is not a port number (0-65535))";
    QTest::newRow("port +80") << QStringList{"--port", "+80"} << R"(--port: "+80" is not a port number (0-65535))";
    QTest::newRow("port 1.5") << QStringList{"--port", "1.5"} << R"(--port: "1.5" is not a port number (0-65535))";
    QTest::newRow("port space") << QStringList{"--port", " 80"} << R"(--port: " 80" is not a port number (0-65535))";
    QTest::newRow("port hex") << QStringList{"--port", "0x50"} << R"(--port: "0x50" is not a port number (0-65535))";

    QTest::newRow("bind hostname") << QStringList{"--bind", "example.com"}
                                   << R"(--bind: "example.com" is not an IP address or "localhost")";
    QTest::newRow("bind=octet") << QStringList{"--bind=300.1.1.1"}
                                << R"(--bind: "300.1.1.1" is not an IP address or "localhost")";
    QTest::newRow("bind with port") << QStringList{"--bind", "127.0.0.1:8090"}
                                    << R"(--bind: "127.0.0.1:8090" is not an IP address or "localhost")";
    QTest::newRow("bind short form") << QStringList{"--bind", "127.1"}
                                     << R"(--bind: "127.1" is not an IP address or "localhost")";

    QTest::newRow("--issuer at end") << QStringList{"--issuer"} << "--issuer: missing value";
    QTest::newRow("--issuer=") << QStringList{"--issuer="} << "--issuer: missing value";
    // The same rule and words as the configuration's server.issuer.
    QTest::newRow("unknown profile") << QStringList{"--profile", "keycloak"}
                                     << QStringLiteral("--profile: \"keycloak\" is not one of spring-legacy, "
                                                       "spring-authorization-server");
    QTest::newRow("profile missing value") << QStringList{"--profile"} << QStringLiteral("--profile: missing value");
    const QString notUrl = QStringLiteral("not an absolute http or https URL");
    QTest::newRow("issuer host only") << QStringList{"--issuer", "sso.example.test"}
                                      << "--issuer: \"sso.example.test\": " + notUrl;
    QTest::newRow("issuer relative") << QStringList{"--issuer", "/realms/dev"}
                                     << "--issuer: \"/realms/dev\": " + notUrl;
    QTest::newRow("issuer ftp") << QStringList{"--issuer=ftp://files.test/"}
                                << "--issuer: \"ftp://files.test/\": " + notUrl;
    QTest::newRow("issuer no host") << QStringList{"--issuer", "https:///x"} << "--issuer: \"https:///x\": " + notUrl;
    QTest::newRow("issuer space") << QStringList{"--issuer", "https://sso test/"}
                                  << "--issuer: \"https://sso test/\": " + notUrl;
    QTest::newRow("issuer query") << QStringList{"--issuer", "https://sso.test/?tenant=1"}
                                  << "--issuer: \"https://sso.test/?tenant=1\": must not have a query";
    QTest::newRow("issuer fragment") << QStringList{"--issuer", "https://sso.test/#x"}
                                     << "--issuer: \"https://sso.test/#x\": must not have a fragment";

    QTest::newRow("log-format xml") << QStringList{"--log-format", "xml"}
                                    << R"(--log-format: "xml" is not one of text, json)";
    QTest::newRow("log-format=JSON") << QStringList{"--log-format=JSON"}
                                     << R"(--log-format: "JSON" is not one of text, json)";

    QTest::newRow("flag with value") << QStringList{"--headless=yes"} << R"(--headless: takes no value (got "yes"))";
    QTest::newRow("help with value") << QStringList{"--help=1"} << R"(--help: takes no value (got "1"))";
    QTest::newRow("version with empty value") << QStringList{"--version="} << R"(--version: takes no value (got ""))";

    QTest::newRow("first problem wins") << QStringList{"--port", "abc", "--bind", "nowhere"}
                                        << R"(--port: "abc" is not a port number (0-65535))";
    QTest::newRow("error before --help") << QStringList{"--bogus", "--help"} << R"(unknown option "--bogus")";
}

void tst_CommandLine::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    const CommandLineResult result = parseCommandLine(args(arguments));
    QCOMPARE(result.action, CommandLineAction::Error);
    QCOMPARE(result.message, message);
    QVERIFY(!result.message.contains(QLatin1Char('\n')));
}

void tst_CommandLine::help_data()
{
    QTest::addColumn<QStringList>("arguments");

    QTest::newRow("--help") << QStringList{"--help"};
    QTest::newRow("-h") << QStringList{"-h"};
    QTest::newRow("after options") << QStringList{"--port", "80", "--headless", "--help"};
    QTest::newRow("before a bad option") << QStringList{"-h", "--bogus", "--port", "x"};
    QTest::newRow("before --version") << QStringList{"--help", "--version"};
}

void tst_CommandLine::help()
{
    QFETCH(QStringList, arguments);

    const CommandLineResult result = parseCommandLine(args(arguments));
    QCOMPARE(result.action, CommandLineAction::ShowHelp);
    QVERIFY2(result.message.startsWith(QStringLiteral("Usage: oauthsim [--headless] [--bind ADDR] [--port N] ")),
             qPrintable(result.message));
    QVERIFY(result.message.endsWith(QStringLiteral(" are valid 300 s"))); // no final newline: main prints one
}

void tst_CommandLine::helpMentionsTheDefaultWorld_data()
{
    QTest::addColumn<QString>("text");

    for (const char *option : {"--headless", "--bind ADDR", "--port N", "--issuer URL", "--config FILE",
                               "--data-dir DIR", "--reset-state", "--log-format text|json", "--version", "-h, --help"})
        QTest::newRow(option) << QString::fromLatin1(option);
    QTest::newRow("headless") << "Run without a window (for CI and servers).";
    QTest::newRow("bind default") << "or localhost\n                          (default: 127.0.0.1)";
    QTest::newRow("port default") << "0-65535 (default: 8090)";
    QTest::newRow("port 0") << "--port 0 picks a free port";
    QTest::newRow("issuer") << "The issuer identifier, exactly as clients and\n"
                               "                          tokens must show it, trailing slash included\n"
                               "                          (default: http://ADDR:PORT); overrides\n"
                               "                          server.issuer.";
    QTest::newRow("config overridden") << "--bind, --port and --issuer override it.";
    QTest::newRow("log default") << "(default: text)";
    QTest::newRow("data-dir default") << "creating it if needed (default: the user's\n"
                                         "                          application data directory).";
    QTest::newRow("config read-only") << "read-only: edits are\n                          not saved while it is given";
    QTest::newRow("client") << R"(client messaging-client, secret "secret")";
    QTest::newRow("redirect") << "redirect URIs: http://localhost\n";
    QTest::newRow("scopes") << "scopes: read write\n";
    QTest::newRow("grants") << "grant types: authorization_code refresh_token\n";
    QTest::newRow("autoapprove") << "autoapprove: off\n";
    QTest::newRow("user") << R"(user user, password "password", authorities ROLE_USER)";
    QTest::newRow("token lifetimes") << "access tokens live 43200 s, refresh tokens 2592000 s";
    QTest::newRow("codes") << "authorization codes have 6 characters and are valid 300 s";
}

void tst_CommandLine::helpMentionsTheDefaultWorld()
{
    QFETCH(QString, text);

    const QString help = parseCommandLine(args({QStringLiteral("--help")})).message;
    QVERIFY2(help.contains(text), qPrintable(help));
}

void tst_CommandLine::helpFitsATerminal()
{
    const QString help = parseCommandLine(args({QStringLiteral("--help")})).message;
    for (const QString &line : help.split(QLatin1Char('\n')))
        QVERIFY2(line.size() <= 80, qPrintable(line));
}

void tst_CommandLine::version()
{
    const CommandLineResult result = parseCommandLine(args({QStringLiteral("--version")}));
    QCOMPARE(result.action, CommandLineAction::ShowVersion);
    QCOMPARE(result.message, QStringLiteral("oauthsim " OAUTHSIM_VERSION));
    QVERIFY2(QRegularExpression(QStringLiteral("^oauthsim \\d+\\.\\d+\\.\\d+$")).match(result.message).hasMatch(),
             qPrintable(result.message));

    const CommandLineResult late =
        parseCommandLine(args({QStringLiteral("--headless"), QStringLiteral("--version"), QStringLiteral("--bogus")}));
    QCOMPARE(late.action, CommandLineAction::ShowVersion);
    QCOMPARE(late.message, result.message);
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
