#include "CommandLine.h"
#include "GuiRunner.h"
#include "HeadlessRunner.h"
#include "store/ConfigRepository.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>

#include <cstdio>
#include <memory>

using namespace oauthsim;

namespace {
int fail(const QString &message)
{
    std::fprintf(stderr, "oauthsim: %s\n", qPrintable(message));
    return 2;
}

QStringList arguments(int argc, char *argv[])
{
    QStringList out;
    for (int i = 0; i < argc; ++i)
        out << QString::fromLocal8Bit(argv[i]);
    return out;
}

// A window needs a display; without one, say so instead of letting the platform plugin abort.
bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}
} // namespace

int main(int argc, char *argv[])
{
    // Parsed before any QApplication exists: the mode decides which application object to create.
    const CommandLineResult cl = parseCommandLine(arguments(argc, argv));
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

    if (options.headless) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("oauthsim"));
        QCoreApplication::setApplicationVersion(QStringLiteral(OAUTHSIM_VERSION));
        HeadlessRunner runner(settings, options.logFormat);
        return runner.run();
    }
    if (!displayAvailable())
        return fail(QStringLiteral("no display to open the window on (DISPLAY is not set); use --headless"));
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("oauthsim"));
    QCoreApplication::setApplicationName(QStringLiteral("oauthsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OAUTHSIM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("oauthsim"));
    GuiRunner runner(settings);
    return runner.run();
}
