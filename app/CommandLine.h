#pragma once

#include "Profile.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace oauthsim {

enum class LogFormat
{
    Text,
    Json
};

// What the user asked for on the command line; unset optionals leave the configuration's value alone.
struct CommandLineOptions
{
    bool headless = false;
    std::optional<QString> bind; // canonical form: "localhost" is already "127.0.0.1"
    std::optional<int> port;
    std::optional<QString> issuer; // exactly as given (validated as server.issuer); overrides the configuration
    QString configFile;
    QString dataDir;
    bool resetState = false; // forget issued codes, tokens, sessions and approvals at start
    LogFormat logFormat = LogFormat::Text;
    std::optional<ProfileId> profile; // --profile: overrides the configuration's, with the profile's defaults
};

enum class CommandLineAction
{
    Run,
    ShowHelp,
    ShowVersion,
    Error
};

struct CommandLineResult
{
    CommandLineAction action = CommandLineAction::Run;
    CommandLineOptions options;
    // Error: one line naming the problem and the value; ShowHelp: the full help text; ShowVersion: "oauthsim 0.1.0".
    QString message;
};

// Parses `arguments` (arguments[0] is the program name). Pure: it never prints, exits or touches the filesystem,
// so main() decides what to do with the result and tests can check every case. Arguments are read left to right;
// the first problem is returned as Error, and --help or --version return at once.
CommandLineResult parseCommandLine(const QStringList &arguments);

} // namespace oauthsim
