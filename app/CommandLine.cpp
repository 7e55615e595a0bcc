#include "CommandLine.h"

#include "store/ConfigRepository.h"

#include <QCoreApplication>

#include <array>

namespace oauthsim {

namespace {

// Gives the free functions below a translation context ("CommandLine") that lupdate understands.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
};

enum class Option
{
    Headless,
    Bind,
    Port,
    Issuer,
    Config,
    DataDir,
    ResetState,
    LogFormat,
    Profile,
    Version,
    Help
};

struct OptionSpec
{
    const char *name;
    Option option;
    bool takesValue;
};

constexpr std::array<OptionSpec, 12> kOptions{{
    {"--headless", Option::Headless, false},
    {"--bind", Option::Bind, true},
    {"--port", Option::Port, true},
    {"--issuer", Option::Issuer, true},
    {"--config", Option::Config, true},
    {"--data-dir", Option::DataDir, true},
    {"--reset-state", Option::ResetState, false},
    {"--log-format", Option::LogFormat, true},
    {"--profile", Option::Profile, true},
    {"--version", Option::Version, false},
    {"--help", Option::Help, false},
    {"-h", Option::Help, false},
}};

const OptionSpec *findOption(QStringView name)
{
    for (const OptionSpec &spec : kOptions) {
        if (name == QLatin1StringView(spec.name))
            return &spec;
    }
    return nullptr;
}

CommandLineResult failure(const QString &message)
{
    CommandLineResult result;
    result.action = CommandLineAction::Error;
    result.message = message;
    return result;
}

// Strict digits only: QString::toInt would also take "+80" and " 80".
std::optional<int> parsePort(const QString &text)
{
    if (text.isEmpty() || text.size() > 5)
        return std::nullopt;
    int port = 0;
    for (QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
        port = port * 10 + (c.unicode() - '0');
    }
    return port <= 65535 ? std::optional<int>(port) : std::nullopt;
}

QString autoApproveText(const AutoApprove &autoApprove)
{
    switch (autoApprove.mode) {
    case AutoApprove::Mode::Off:
        return Text::tr("off");
    case AutoApprove::Mode::All:
        return Text::tr("all scopes");
    case AutoApprove::Mode::Scopes:
        return autoApprove.scopes.joined();
    }
    return {};
}

// The seed world is described from the embedded default itself so that the help can never disagree with it.
QString defaultWorldText(const ServerSettings &settings)
{
    QString text = Text::tr("Embedded default world (a --config file is applied over it):\n");
    for (const Client &client : settings.clients) {
        text += Text::tr("  client %1, secret \"%2\"\n").arg(client.id, client.secret);
        text += Text::tr("    redirect URIs: %1\n").arg(client.redirectUris.join(QLatin1Char(' ')));
        text += Text::tr("    scopes: %1\n").arg(client.scopes.joined());
        text += Text::tr("    grant types: %1\n").arg(grantTypeNames(client.grantTypes).join(QLatin1Char(' ')));
        text += Text::tr("    autoapprove: %1\n").arg(autoApproveText(client.autoApprove));
    }
    for (const User &user : settings.users) {
        text += Text::tr("  user %1, password \"%2\", authorities %3\n")
                    .arg(user.username, user.password, user.authorities.join(QLatin1Char(' ')));
    }
    text += Text::tr("  access tokens live %1 s, refresh tokens %2 s\n")
                .arg(settings.accessTokenLifetime)
                .arg(settings.refreshTokenLifetime);
    text += settings.codeLifetime > 0
                ? Text::tr("  authorization codes have %1 characters and are valid %2 s\n")
                      .arg(settings.codeLength)
                      .arg(settings.codeLifetime)
                : Text::tr("  authorization codes have %1 characters and never expire\n").arg(settings.codeLength);
    return text;
}

QString helpText()
{
    const ServerSettings defaults = ConfigRepository::embeddedDefault();
    return Text::tr("Usage: oauthsim [--headless] [--bind ADDR] [--port N] [--config FILE]\n"
                    "                [--data-dir DIR] [--reset-state] [--log-format text|json]\n"
                    "                [--profile NAME] [--issuer URL] [--version] [--help]\n"
                    "\n"
                    "Simulates a legacy Spring Security OAuth2 authorization server on your machine.\n"
                    "\n"
                    "Options:\n"
                    "  --headless              Run without a window (for CI and servers).\n"
                    "  --bind ADDR             Listen on this IP address, or localhost\n"
                    "                          (default: %1).\n"
                    "  --port N                Listen on this port, 0-65535 (default: %2);\n"
                    "                          --port 0 picks a free port.\n"
                    "  --issuer URL            The issuer identifier, exactly as clients and\n"
                    "                          tokens must show it, trailing slash included\n"
                    "                          (default: http://ADDR:PORT); overrides\n"
                    "                          server.issuer.\n"
                    "  --config FILE           Apply this JSON configuration over the embedded\n"
                    "                          default and the saved one, read-only: edits are\n"
                    "                          not saved while it is given (default: none);\n"
                    "                          --bind, --port and --issuer override it.\n"
                    "  --data-dir DIR          Keep configuration and issued state in DIR,\n"
                    "                          creating it if needed (default: the user's\n"
                    "                          application data directory).\n"
                    "  --reset-state           Forget issued codes, tokens, sessions and\n"
                    "                          remembered approvals at start.\n"
                    "  --log-format text|json  Format of the log lines (default: text).\n"
                    "  --profile NAME          The server to imitate: spring-legacy (the\n"
                    "                          default) or spring-authorization-server; its\n"
                    "                          paths, formats and lifetimes apply.\n"
                    "  --version               Print the version and exit.\n"
                    "  -h, --help              Print this help and exit.\n"
                    "\n")
               .arg(defaults.bindAddress)
               .arg(defaults.port) +
           defaultWorldText(defaults).chopped(1); // like the version, no final newline: the caller prints one
}

} // namespace

CommandLineResult parseCommandLine(const QStringList &arguments)
{
    CommandLineResult result;
    CommandLineOptions &options = result.options;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1StringView("--")) {
            // Everything after "--" is positional, and oauthsim takes no positional arguments.
            if (i + 1 < arguments.size())
                return failure(Text::tr("unexpected argument \"%1\"").arg(arguments.at(i + 1)));
            break;
        }
        if (!argument.startsWith(QLatin1Char('-')) || argument == QLatin1StringView("-"))
            return failure(Text::tr("unexpected argument \"%1\"").arg(argument));

        QString name = argument;
        std::optional<QString> inlineValue;
        const qsizetype equals = argument.startsWith(QLatin1StringView("--")) ? argument.indexOf(QLatin1Char('=')) : -1;
        if (equals > 0) {
            name = argument.left(equals);
            inlineValue = argument.mid(equals + 1);
        }
        const OptionSpec *spec = findOption(name);
        if (!spec)
            return failure(Text::tr("unknown option \"%1\"").arg(name));

        QString value;
        if (spec->takesValue) {
            // A following "--option" is taken as a forgotten value rather than as a value that looks like an option.
            if (inlineValue)
                value = *inlineValue;
            else if (i + 1 < arguments.size() && !arguments.at(i + 1).startsWith(QLatin1StringView("--")))
                value = arguments.at(++i);
            if (value.isEmpty())
                return failure(Text::tr("%1: missing value").arg(name));
        } else if (inlineValue) {
            return failure(Text::tr("%1: takes no value (got \"%2\")").arg(name, *inlineValue));
        }

        switch (spec->option) {
        case Option::Headless:
            options.headless = true;
            break;
        case Option::Bind:
            options.bind = ConfigRepository::parseBindAddress(value);
            if (!options.bind)
                return failure(Text::tr("--bind: \"%1\" is not an IP address or \"localhost\"").arg(value));
            break;
        case Option::Port:
            options.port = parsePort(value);
            if (!options.port)
                return failure(Text::tr("--port: \"%1\" is not a port number (0-65535)").arg(value));
            break;
        case Option::Issuer:
            if (const std::optional<QString> problem = ConfigRepository::issuerProblem(value))
                return failure(Text::tr("--issuer: \"%1\": %2").arg(value, *problem));
            options.issuer = value;
            break;
        case Option::Config:
            options.configFile = value;
            break;
        case Option::DataDir:
            options.dataDir = value;
            break;
        case Option::ResetState:
            options.resetState = true;
            break;
        case Option::LogFormat:
            if (value == QLatin1StringView("text"))
                options.logFormat = LogFormat::Text;
            else if (value == QLatin1StringView("json"))
                options.logFormat = LogFormat::Json;
            else
                return failure(Text::tr("--log-format: \"%1\" is not one of text, json").arg(value));
            break;
        case Option::Profile:
            options.profile = oauthsim::Profile::idFromName(value);
            if (!options.profile)
                return failure(Text::tr("--profile: \"%1\" is not one of %2")
                                   .arg(value, oauthsim::Profile::names().join(QLatin1String(", "))));
            break;
        case Option::Version:
            result.action = CommandLineAction::ShowVersion;
            result.message = QStringLiteral("oauthsim " OAUTHSIM_VERSION);
            return result;
        case Option::Help:
            result.action = CommandLineAction::ShowHelp;
            result.message = helpText();
            return result;
        }
    }
    return result;
}

} // namespace oauthsim
