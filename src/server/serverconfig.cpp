#include "serverconfig.h"

#include "chatserver.h"

#include <QCommandLineParser>
#include <QNetworkInterface>
#include <QSettings>
#include <QSysInfo>

namespace {

struct NumberOption
{
    const char *name;
    qint64 minimum;
    qint64 maximum;
};

constexpr NumberOption numberOptions[] = {
    { "port", 0, 65535 },
    { "history", 0, 100000 },
    { "history-keep", 0, 10000000 },
    { "max-line", 16, 1 << 20 },
    { "max-sendq", 4096, qint64(1) << 32 },
    { "max-clients", 1, 1000000 },
    { "presence-limit", 0, 1000000 },
};

QString hostPort(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? u'[' + address.toString() + u']'
                                 : address.toString();
    return host + u':' + QString::number(port);
}

} // namespace

ServerConfig ServerConfig::load(const QSettings &settings)
{
    ServerConfig config;
    const ChatLimits defaults;
    config.port = quint16(settings.value(QStringLiteral("server/port"), config.port).toUInt());
    const QString bind = settings.value(QStringLiteral("server/bind")).toString();
    if (!bind.isEmpty() && !config.address.setAddress(bind))
        config.address = QHostAddress::Any;
    config.name = settings.value(QStringLiteral("server/name")).toString();
    config.limits.maxClients =
            settings.value(QStringLiteral("limits/maxClients"), defaults.maxClients).toInt();
    config.limits.historyLines =
            settings.value(QStringLiteral("limits/historyLines"), defaults.historyLines).toInt();
    config.limits.historyKeep =
            settings.value(QStringLiteral("limits/historyKeep"), defaults.historyKeep).toInt();
    config.limits.maxLineBytes =
            settings.value(QStringLiteral("limits/maxLineBytes"), qlonglong(defaults.maxLineBytes))
                    .toLongLong();
    config.limits.presenceLimit =
            settings.value(QStringLiteral("limits/presenceLimit"), defaults.presenceLimit).toInt();
    config.limits.maxSendQueueBytes =
            settings.value(QStringLiteral("limits/maxSendQueueBytes"), defaults.maxSendQueueBytes)
                    .toLongLong();
    return config;
}

void ServerConfig::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("server/port"), port);
    settings.setValue(QStringLiteral("server/bind"),
                      address == QHostAddress::Any ? QString() : address.toString());
    settings.setValue(QStringLiteral("server/name"), name);
    settings.setValue(QStringLiteral("limits/maxClients"), limits.maxClients);
    settings.setValue(QStringLiteral("limits/historyLines"), limits.historyLines);
    settings.setValue(QStringLiteral("limits/historyKeep"), limits.historyKeep);
    settings.setValue(QStringLiteral("limits/maxLineBytes"), qlonglong(limits.maxLineBytes));
    settings.setValue(QStringLiteral("limits/maxSendQueueBytes"), limits.maxSendQueueBytes);
    settings.setValue(QStringLiteral("limits/presenceLimit"), limits.presenceLimit);
}

void ServerConfig::addOptions(QCommandLineParser &parser)
{
    const ChatLimits defaults;
    parser.addOptions({
            { { QStringLiteral("p"), QStringLiteral("port") },
              QStringLiteral("Listen on <port> (default 6666; 0 picks a free one)."),
              QStringLiteral("port") },
            { { QStringLiteral("b"), QStringLiteral("bind") },
              QStringLiteral("Listen on <address> only (default: every IPv4 and IPv6 address)."),
              QStringLiteral("address") },
            { QStringLiteral("name"),
              QStringLiteral(
                      "The server name shown in the desktop client (default: groupchat on <host name>)."),
              QStringLiteral("name") },
            { QStringLiteral("history"),
              QStringLiteral("Replay the last <n> messages to a client that connects (default %1).")
                      .arg(defaults.historyLines),
              QStringLiteral("n") },
            { QStringLiteral("history-keep"),
              QStringLiteral("Hold the last <n> messages for clients that come back and ask for what they "
                             "missed (default %1).")
                      .arg(defaults.historyKeep),
              QStringLiteral("n") },
            { QStringLiteral("max-line"),
              QStringLiteral("Refuse lines longer than <bytes> (default %1).").arg(defaults.maxLineBytes),
              QStringLiteral("bytes") },
            { QStringLiteral("max-sendq"),
              QStringLiteral(
                      "Disconnect a client with more than <bytes> waiting to be sent to it (default %1).")
                      .arg(defaults.maxSendQueueBytes),
              QStringLiteral("bytes") },
            { QStringLiteral("presence-limit"),
              QStringLiteral(
                      "Announce joins, leaves and nick changes only while at most <n> people are in the "
                      "room (default %1).")
                      .arg(defaults.presenceLimit),
              QStringLiteral("n") },
            { QStringLiteral("max-clients"),
              QStringLiteral("Serve at most <n> clients at once (default %1).").arg(defaults.maxClients),
              QStringLiteral("n") },
    });
}

bool ServerConfig::applyOptions(const QCommandLineParser &parser, QStringList *overridden, QString *error)
{
    ServerConfig result = *this;
    QStringList given;
    for (const NumberOption &option : numberOptions) {
        const QString optionName = QLatin1String(option.name);
        if (!parser.isSet(optionName))
            continue;
        bool ok = false;
        const qint64 value = parser.value(optionName).toLongLong(&ok);
        if (!ok || value < option.minimum || value > option.maximum) {
            *error = QStringLiteral("--%1 must be a number from %2 to %3")
                             .arg(optionName)
                             .arg(option.minimum)
                             .arg(option.maximum);
            return false;
        }
        given.append(optionName);
        if (optionName == u"port")
            result.port = quint16(value);
        else if (optionName == u"history")
            result.limits.historyLines = int(value);
        else if (optionName == u"history-keep")
            result.limits.historyKeep = int(value);
        else if (optionName == u"max-line")
            result.limits.maxLineBytes = value;
        else if (optionName == u"max-sendq")
            result.limits.maxSendQueueBytes = value;
        else if (optionName == u"max-clients")
            result.limits.maxClients = int(value);
        else if (optionName == u"presence-limit")
            result.limits.presenceLimit = int(value);
    }
    if (parser.isSet(QStringLiteral("bind"))) {
        if (!result.address.setAddress(parser.value(QStringLiteral("bind")))) {
            *error = QStringLiteral("--bind needs an IP address, not %1")
                             .arg(parser.value(QStringLiteral("bind")));
            return false;
        }
        given.append(QStringLiteral("bind"));
    }
    if (parser.isSet(QStringLiteral("name"))) {
        result.name = parser.value(QStringLiteral("name")).left(100);
        given.append(QStringLiteral("name"));
    }
    *this = result;
    if (overridden)
        *overridden = given;
    return true;
}

QString ServerConfig::effectiveName() const
{
    return name.isEmpty() ? u"groupchat on " + QSysInfo::machineHostName() : name;
}

QString ServerConfig::describeAddress() const
{
    return ChatServer::describeAddress(address);
}

QStringList ServerConfig::reachableAt(quint16 actualPort) const
{
    const bool any = address == QHostAddress::Any || address == QHostAddress::AnyIPv6 ||
                     address == QHostAddress::AnyIPv4;
    if (!any)
        return { hostPort(address, actualPort) };
    QStringList network;
    QStringList local;
    for (const QHostAddress &a : QNetworkInterface::allAddresses()) {
        // Link-local IPv6 addresses need an interface name to be of any use.
        if (a.isLinkLocal() ||
            (address == QHostAddress::AnyIPv4 && a.protocol() != QAbstractSocket::IPv4Protocol))
            continue;
        (a.isLoopback() ? local : network)
                .append(hostPort(QHostAddress(a.toString().section(u'%', 0, 0)), actualPort));
    }
    return network + local;
}
