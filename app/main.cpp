#include "CommandLine.h"
#include "GuiRunner.h"
#include "HeadlessRunner.h"
#include "Startup.h"
#include "store/ConfigRepository.h"

#include <QApplication>
#include <QCoreApplication>

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

    // A bad --config is bad input: one line and exit 2 before any application object (or window) exists.
    if (!options.configFile.isEmpty()) {
        ServerSettings probe = ConfigRepository::embeddedDefault();
        if (const auto problem = Startup::applyConfigFile(options.configFile, probe))
            return fail(*problem);
    }

    if (options.headless) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setOrganizationName(QStringLiteral("oauthsim"));
        QCoreApplication::setApplicationName(QStringLiteral("oauthsim"));
        QCoreApplication::setApplicationVersion(QStringLiteral(OAUTHSIM_VERSION));
        HeadlessRunner runner(options);
        return runner.run();
    }
    if (!displayAvailable())
        return fail(QStringLiteral("no display to open the window on (DISPLAY is not set); use --headless"));
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("oauthsim"));
    QCoreApplication::setApplicationName(QStringLiteral("oauthsim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OAUTHSIM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("oauthsim"));
    GuiRunner runner(options);
    return runner.run();
}
