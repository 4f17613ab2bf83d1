// groupchat-server: parses the command line and runs ChatServer until it is told to stop.
#include "chatserver.h"
#include "consoleinput.h"
#include "serverlog.h"
#include "unixsignalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <optional>

namespace {

struct ServerOptions
{
    ChatLimits limits;
    QString name;
    QHostAddress address = QHostAddress::Any;
    quint16 port = 6666;
};

// Reads a whole number option within [minimum, maximum]; prints why and returns nothing when
// it is not one.
template<typename T>
std::optional<T> numberOption(const QCommandLineParser &parser, const QString &name, qint64 minimum,
                              qint64 maximum, T fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum || value > maximum) {
        std::fprintf(stderr, "groupchat-server: --%s must be a number from %lld to %lld\n", qPrintable(name),
                     qlonglong(minimum), qlonglong(maximum));
        return std::nullopt;
    }
    return T(value);
}

std::optional<ServerOptions> parseOptions(const QCoreApplication &app)
{
    const ChatLimits defaults;
    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("A group chat server. Anyone can join with the desktop client, or with\n"
                           "nc HOST PORT, telnet or any program that sends lines of text."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
            { QStringLiteral("headless"),
              QStringLiteral("Run without any window, logging to the terminal.") },
            { { QStringLiteral("p"), QStringLiteral("port") },
              QStringLiteral("Listen on <port> (default 6666; 0 picks a free one)."),
              QStringLiteral("port") },
            { { QStringLiteral("b"), QStringLiteral("bind") },
              QStringLiteral("Listen on <address> only (default: every IPv4 and IPv6 address)."),
              QStringLiteral("address") },
            { QStringLiteral("history"),
              QStringLiteral("Replay the last <n> messages to a client that connects (default %1).")
                      .arg(defaults.historyLines),
              QStringLiteral("n") },
            { QStringLiteral("history-keep"),
              QStringLiteral("Hold the last <n> messages for clients that come back and ask for what they "
                             "missed (default %1).")
                      .arg(defaults.historyKeep),
              QStringLiteral("n") },
            { QStringLiteral("name"),
              QStringLiteral(
                      "The server name shown in the desktop client (default: groupchat on <host name>)."),
              QStringLiteral("name") },
            { QStringLiteral("max-line"),
              QStringLiteral("Refuse lines longer than <bytes> (default %1).").arg(defaults.maxLineBytes),
              QStringLiteral("bytes") },
            { QStringLiteral("max-sendq"),
              QStringLiteral("Disconnect a client with more than <bytes> waiting to be sent to it "
                             "(default %1).")
                      .arg(defaults.maxSendQueueBytes),
              QStringLiteral("bytes") },
            { QStringLiteral("max-clients"),
              QStringLiteral("Serve at most <n> clients at once (default %1).").arg(defaults.maxClients),
              QStringLiteral("n") },
    });
    parser.process(app);
    if (!parser.positionalArguments().isEmpty()) {
        std::fprintf(stderr, "groupchat-server: unexpected argument %s (see --help)\n",
                     qPrintable(parser.positionalArguments().constFirst()));
        return std::nullopt;
    }

    ServerOptions options;
    if (parser.isSet(QStringLiteral("bind"))) {
        if (!options.address.setAddress(parser.value(QStringLiteral("bind")))) {
            std::fprintf(stderr, "groupchat-server: --bind needs an IP address, not %s\n",
                         qPrintable(parser.value(QStringLiteral("bind"))));
            return std::nullopt;
        }
    }
    const auto port = numberOption<quint16>(parser, QStringLiteral("port"), 0, 65535, options.port);
    const auto history =
            numberOption<int>(parser, QStringLiteral("history"), 0, 100000, defaults.historyLines);
    const auto historyKeep =
            numberOption<int>(parser, QStringLiteral("history-keep"), 0, 10000000, defaults.historyKeep);
    const auto maxLine =
            numberOption<qsizetype>(parser, QStringLiteral("max-line"), 16, 1 << 20, defaults.maxLineBytes);
    const auto maxSendq = numberOption<qint64>(parser, QStringLiteral("max-sendq"), 4096, qint64(1) << 32,
                                               defaults.maxSendQueueBytes);
    const auto maxClients =
            numberOption<int>(parser, QStringLiteral("max-clients"), 1, 1000000, defaults.maxClients);
    if (!port || !history || !historyKeep || !maxLine || !maxSendq || !maxClients)
        return std::nullopt;
    options.port = *port;
    options.limits.historyLines = *history;
    options.limits.historyKeep = *historyKeep;
    options.name = parser.value(QStringLiteral("name")).left(100);
    options.limits.maxLineBytes = *maxLine;
    options.limits.maxSendQueueBytes = *maxSendq;
    options.limits.maxClients = *maxClients;
    return options;
}

QString describeListening(const ChatServer &server)
{
    const QHostAddress address = server.serverAddress();
    const QString port = QString::number(server.serverPort());
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv6)
        return u"listening on port " + port + u" of every IPv4 and IPv6 address; try: nc 127.0.0.1 " + port;
    if (address == QHostAddress::AnyIPv4)
        return u"listening on port " + port + u" of every IPv4 address; try: nc 127.0.0.1 " + port;
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? u'[' + address.toString() + u']'
                                 : address.toString();
    return u"listening on " + host + u':' + port + u"; try: nc " + address.toString() + u' ' + port;
}

} // namespace

int main(int argc, char *argv[])
{
    // Timestamps on every log line; QT_MESSAGE_PATTERN still overrides this.
    qSetMessagePattern(QStringLiteral("%{time yyyy-MM-dd hh:mm:ss.zzz} %{if-warning}warning: %{endif}"
                                      "%{if-critical}error: %{endif}%{message}"));
    // A peer that vanishes must cost an error code, not the process.
    std::signal(SIGPIPE, SIG_IGN);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("groupchat-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GROUPCHAT_VERSION));

    const std::optional<ServerOptions> options = parseOptions(app);
    if (!options)
        return 2;

    ChatServer server(options->limits);
    if (!options->name.isEmpty())
        server.setServerName(options->name);
    if (!server.listen(options->address, options->port)) {
        qCCritical(lcServer, "cannot listen on port %u: %s", options->port, qPrintable(server.errorString()));
        return 1;
    }
    qCInfo(lcServer).noquote() << describeListening(server);

    QObject::connect(&server, &ChatServer::stopped, &app, &QCoreApplication::quit);

    UnixSignalWatcher signalWatcher({ SIGINT, SIGTERM });
    QObject::connect(&signalWatcher, &UnixSignalWatcher::signalReceived, &server, [&server](int number) {
        qCInfo(lcServer, "received %s, shutting down", strsignal(number));
        server.stop();
    });

    if (ConsoleInput::isInteractive()) {
        auto *console = new ConsoleInput(&app);
        QObject::connect(console, &ConsoleInput::lineEntered, &server, [&server](const QString &line) {
            if (line == QLatin1String("quit"))
                server.stop();
            else if (!line.isEmpty())
                qCInfo(lcServer, "type quit to stop the server");
        });
        qCInfo(lcServer, "type quit here or press Ctrl+C to stop");
    }

    return app.exec();
}
