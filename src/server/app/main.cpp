// groupchat-server: the admin window, or with --headless (or without a display) the same
// server with no window at all. Chooses QApplication or QCoreApplication before either
// exists, so the headless server never loads a widget or platform plugin.
#include "adminwindow.h"
#include "certificategenerator.h"
#include "consoleinput.h"
#include "logcollector.h"
#include "serverconfig.h"
#include "serverlog.h"
#include "serverservice.h"
#include "tlslistener.h"
#include "translations.h"
#include "unixsignalwatcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>
#include <QSettings>

#include <csignal>
#include <cstdio>
#include <cstring>

namespace {

void setApplicationNames()
{
    QCoreApplication::setApplicationName(QStringLiteral("groupchat-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GROUPCHAT_VERSION));
}

// The saved settings with this run's options on top. Prints why and exits 2 when an option
// is not acceptable.
struct Startup
{
    QCommandLineParser parser;
    QStringList overridden;

    explicit Startup(const QCoreApplication &app)
    {
        parser.setApplicationDescription(
                QStringLiteral("A group chat server. Anyone can join with the desktop client, or with\n"
                               "nc HOST PORT, telnet or any program that sends lines of text.\n"
                               "Without --headless it opens its admin window (with a display, or with\n"
                               "-platform offscreen); options override the window's saved settings."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOption({ QStringLiteral("headless"),
                           QStringLiteral("Run without any window, logging to the terminal.") });
        parser.addOption(
                { QStringLiteral("generate-cert"),
                  QStringLiteral("Make a self-signed certificate and key for TLS (at --tls-cert and "
                                 "--tls-key, or the default place), print its fingerprint and exit.") });
        ServerConfig::addOptions(parser);
        parser.process(app);
        if (!parser.positionalArguments().isEmpty())
            exitWith(QStringLiteral("unexpected argument %1 (see --help)")
                             .arg(parser.positionalArguments().constFirst()));
        QString error;
        ServerConfig probe;
        if (!probe.applyOptions(parser, &overridden, &error))
            exitWith(error);
    }

    ServerConfig config() const
    {
        QSettings settings;
        ServerConfig config = ServerConfig::load(settings);
        QString error;
        config.applyOptions(parser, nullptr, &error);
        return config;
    }

    [[noreturn]] static void exitWith(const QString &error)
    {
        std::fprintf(stderr, "groupchat-server: %s\n", qPrintable(error));
        std::exit(2);
    }
};

// Named as the admin sent it: strsignal()'s words ("Terminated") are English whatever the
// language of the line around them.
QString receivedSignal(int number)
{
    const QString name = number == SIGINT    ? QStringLiteral("SIGINT")
                         : number == SIGTERM ? QStringLiteral("SIGTERM")
                                             : QString::number(number);
    return ServerLog::tr("received %1, shutting down").arg(name);
}

bool argumentGiven(int argc, char **argv, const char *name)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0)
            return true;
    }
    return false;
}

// Without a display QApplication cannot start; the server still can.
bool hasDisplay(int argc, char **argv)
{
    return argumentGiven(argc, argv, "-platform") || argumentGiven(argc, argv, "--platform") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// --generate-cert: never overwrites a certificate, which clients have pinned.
int generateCertificate(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    setApplicationNames();
    const Startup startup(app);
    const ServerConfig config = startup.config();
    const QString certificate =
            config.tlsCertificate.isEmpty() ? ServerConfig::defaultCertificatePath() : config.tlsCertificate;
    const QString key = config.tlsKey.isEmpty() ? ServerConfig::defaultKeyPath() : config.tlsKey;
    for (const QString &path : { certificate, key }) {
        if (QFileInfo::exists(path))
            Startup::exitWith(
                    QStringLiteral("%1 exists already; clients that trusted it would refuse a new one. "
                                   "Remove it first to make a new pair.")
                            .arg(path));
    }
    QString error;
    if (!CertificateGenerator::generate(certificate, key, &error))
        Startup::exitWith(error);
    // Read back as the TLS port will read it: what is printed is what clients are shown.
    const std::optional<TlsListener::Credentials> credentials =
            TlsListener::loadCredentials(certificate, key, &error);
    if (!credentials)
        Startup::exitWith(error);
    std::printf("certificate: %s\nprivate key: %s\nfingerprint (SHA-256): %s\n", qPrintable(certificate),
                qPrintable(key), qPrintable(credentials->fingerprint));
    std::printf("Clients show this fingerprint the first time they connect with TLS.\n");
    return 0;
}

int runHeadless(int argc, char **argv, bool noDisplay)
{
    // Qt's own poll() dispatcher costs less per event-loop pass than glib's with thousands of
    // sockets: 10 000 connections greeted in 0.34 s instead of 1.4 s (docs/BENCHMARKS.md).
    // Nothing headless needs glib's main loop. An explicit QT_NO_GLIB still decides.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    setApplicationNames();
    // The log is written in the admin's language, from its first line (ServerLog): the
    // terminal and the journal are what a headless server's admin reads.
    Translations::install(app, QStringLiteral("groupchat-server"));
    const Startup startup(app);
    const ServerConfig config = startup.config();
    if (noDisplay)
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("no display: running without a window (--headless says so)")));

    ServerService service;
    // The service logs why it cannot start.
    if (!service.start(config))
        return 1;

    QObject::connect(&service, &ServerService::stopped, &app, &QCoreApplication::quit);
    UnixSignalWatcher signalWatcher({ SIGINT, SIGTERM });
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &service, [&service](int number) {
        qCInfo(lcServer, "%s", qUtf8Printable(receivedSignal(number)));
        service.stop();
    });
    if (ConsoleInput::isInteractive()) {
        auto *console = new ConsoleInput(&app);
        QObject::connect(console, &ConsoleInput::lineEntered, &service, [&service](const QString &line) {
            if (line == QLatin1String("quit"))
                service.stop();
            else if (!line.isEmpty())
                qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("type quit to stop the server")));
        });
        qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("type quit here or press Ctrl+C to stop")));
    }
    return app.exec();
}

int runAdminWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    setApplicationNames();
    QApplication::setDesktopFileName(QStringLiteral("groupchat-server"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/groupchat-server.png")));
    Translations::install(app, QStringLiteral("groupchat-server"));
    // The suffix of every window title, in the admin's language: after the translator.
    QApplication::setApplicationDisplayName(QApplication::translate("main", "groupchat server"));
    const Startup startup(app);

    LogCollector log;
    // The window starts it (and opens the history, joins the cluster) as configured.
    ServerService service;
    AdminWindow window(
            &service, &log, [&startup] { return startup.config(); }, startup.overridden);
    window.show();
    window.startService();

    // Closing the window ends the program, once the service has stopped.
    UnixSignalWatcher signalWatcher({ SIGINT, SIGTERM });
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &window, [&window](int number) {
        qCInfo(lcServer, "%s", qUtf8Printable(receivedSignal(number)));
        window.stopAndClose();
    });
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // Timestamps on every log line; QT_MESSAGE_PATTERN still overrides this.
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-dd hh:mm:ss.zzz} %{if-warning}warning: %{endif}"
                                      "%{if-critical}error: %{endif}%{message}"));
    // Whatever a peer puts into a log line stays inside that line.
    ServerLog::install();
    // A peer that vanishes must cost an error code, not the process.
    std::signal(SIGPIPE, SIG_IGN);
    // A file size limit reached must be a write error the history database reports, not the
    // end of the process.
    std::signal(SIGXFSZ, SIG_IGN);

    if (argumentGiven(argc, argv, "--generate-cert"))
        return generateCertificate(argc, argv);
    const bool noDisplay = !hasDisplay(argc, argv);
    if (argumentGiven(argc, argv, "--headless") || noDisplay)
        return runHeadless(argc, argv, noDisplay && !argumentGiven(argc, argv, "--headless"));
    return runAdminWindow(argc, argv);
}
