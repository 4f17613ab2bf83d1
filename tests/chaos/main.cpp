// groupchat-chaos: the fault harness (docs/ARCHITECTURE.md, "The fault harness").
#include "chaosoptions.h"
#include "chaosrun.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("groupchat-chaos"));
    // A write to a connection the harness just cut must not end the harness.
    std::signal(SIGPIPE, SIG_IGN);
    ChaosOptions options;
    QString message;
    int exitCode = 0;
    if (!options.parse(application, &message, &exitCode)) {
        std::fprintf(exitCode == 0 ? stdout : stderr, "%s\n", qUtf8Printable(message));
        return exitCode;
    }
    ChaosRun run(options);
    QObject::connect(&run, &ChaosRun::finished, &application, &QCoreApplication::exit, Qt::QueuedConnection);
    QTimer::singleShot(0, &run, &ChaosRun::start);
    return application.exec();
}
