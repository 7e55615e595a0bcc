#include "CommandLine.h"
#include "HeadlessRunner.h"
#include "store/ConfigRepository.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>

using namespace oauthsim;

namespace {
int fail(const QString &message)
{
    std::fprintf(stderr, "oauthsim: %s\n", qPrintable(message));
    return 2;
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("oauthsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OAUTHSIM_VERSION));

    const CommandLineResult cl = parseCommandLine(QCoreApplication::arguments());
    switch (cl.action) {
    case CommandLineAction::ShowHelp:
    case CommandLineAction::ShowVersion:
        std::printf("%s\n", qPrintable(cl.message));
        return 0;
    case CommandLineAction::Error:
        return fail(cl.message);
    case CommandLineAction::Run:
        break;
    }
    const CommandLineOptions &options = cl.options;

    ServerSettings settings = ConfigRepository::embeddedDefault();
    if (!options.configFile.isEmpty()) {
        ConfigError error;
        if (!ConfigRepository::applyFile(options.configFile, settings, &error))
            return fail(error.toString().contains(options.configFile)
                            ? error.toString() // already names the file (unreadable)
                            : QStringLiteral("invalid config %1: %2").arg(options.configFile, error.toString()));
    }
    if (options.bind)
        settings.bindAddress = *options.bind;
    if (options.port)
        settings.port = *options.port;
    if (!options.dataDir.isEmpty() && !QDir().mkpath(options.dataDir))
        return fail(QStringLiteral("--data-dir: cannot create directory \"%1\"").arg(options.dataDir));

    // The operator's window arrives with its own issue; until then every run is headless.
    HeadlessRunner runner(settings, options.logFormat);
    return runner.run();
}
