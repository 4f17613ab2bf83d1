#include "serverconfig.h"

#include "hostport.h"

#include "chatserver.h"
#include "clusterlink.h"
#include "roomname.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QNetworkInterface>
#include <QSettings>
#include <QStandardPaths>
#include <QSysInfo>

namespace {

// One whole-number setting: its option, its key in the saved settings, its range, where it
// lives in ServerConfig (scaled: seconds on the command line, milliseconds inside), its help.
struct NumberSetting
{
    const char *option;
    const char *key;
    const char *valueName;
    qint64 minimum;
    qint64 maximum;
    qint64 (*get)(const ServerConfig &);
    void (*set)(ServerConfig &, qint64);
    const char *help; // %1: the default
};

const NumberSetting numberSettings[] = {
    { "port", "server/port", "port", 0, 65535, [](const ServerConfig &c) { return qint64(c.port); },
      [](ServerConfig &c, qint64 v) { c.port = quint16(v); },
      "Listen on <port> (default %1; 0 picks a free one)." },
    { "history", "limits/historyLines", "n", 0, 100000,
      [](const ServerConfig &c) { return qint64(c.limits.historyLines); },
      [](ServerConfig &c, qint64 v) { c.limits.historyLines = int(v); },
      "Replay the last <n> messages to a client that connects (default %1)." },
    { "max-line", "limits/maxLineBytes", "bytes", 16, ChatLimits::maxLineBytesCeiling,
      [](const ServerConfig &c) { return qint64(c.limits.maxLineBytes); },
      [](ServerConfig &c, qint64 v) { c.limits.maxLineBytes = v; },
      "Refuse lines longer than <bytes> (default %1)." },
    { "max-sendq", "limits/maxSendQueueBytes", "bytes", 4096, qint64(1) << 32,
      [](const ServerConfig &c) { return c.limits.maxSendQueueBytes; },
      [](ServerConfig &c, qint64 v) { c.limits.maxSendQueueBytes = v; },
      "Disconnect a client with more than <bytes> waiting to be sent to it (default %1)." },
    { "soft-sendq", "limits/softSendQueueBytes", "bytes", 1024, qint64(1) << 32,
      [](const ServerConfig &c) { return c.limits.softSendQueueBytes; },
      [](ServerConfig &c, qint64 v) { c.limits.softSendQueueBytes = v; },
      "Past <bytes> waiting, warn a client and skip it for messages until it catches up (default %1)." },
    { "max-clients", "limits/maxClients", "n", 1, 1000000,
      [](const ServerConfig &c) { return qint64(c.limits.maxClients); },
      [](ServerConfig &c, qint64 v) { c.limits.maxClients = int(v); },
      "Serve at most <n> clients at once (default %1)." },
    { "max-per-address", "limits/maxPerAddress", "n", 0, 1000000,
      [](const ServerConfig &c) { return qint64(c.limits.maxPerAddress); },
      [](ServerConfig &c, qint64 v) { c.limits.maxPerAddress = int(v); },
      "Serve at most <n> connections from one address, or one IPv6 /64 (default %1; 0: no limit)." },
    { "max-connects-per-minute", "limits/maxConnectsPerMinute", "n", 0, 1000000,
      [](const ServerConfig &c) { return qint64(c.limits.maxConnectsPerMinute); },
      [](ServerConfig &c, qint64 v) { c.limits.maxConnectsPerMinute = int(v); },
      "Refuse an address's new connections beyond <n> a minute (default %1; 0: no limit)." },
    { "ping-interval", "limits/pingIntervalSeconds", "seconds", 1, 86400,
      [](const ServerConfig &c) { return qint64(c.limits.pingIntervalMs / 1000); },
      [](ServerConfig &c, qint64 v) { c.limits.pingIntervalMs = int(v * 1000); },
      "Check on a client silent this long (a ping, or TCP keep-alive for plain-text clients); drop it when "
      "it does not answer within 30 s (default %1)." },
    { "presence-limit", "limits/presenceLimit", "n", 0, 1000000,
      [](const ServerConfig &c) { return qint64(c.limits.presenceLimit); },
      [](ServerConfig &c, qint64 v) { c.limits.presenceLimit = int(v); },
      "Announce a room's joins, leaves and nick changes only while at most <n> people are in it (default "
      "%1)." },
    { "max-rooms", "limits/maxRooms", "n", 1, 1000000,
      [](const ServerConfig &c) { return qint64(c.limits.maxRooms); },
      [](ServerConfig &c, qint64 v) { c.limits.maxRooms = int(v); },
      "Keep at most <n> rooms, the default room included (default %1)." },
    { "max-rooms-per-client", "limits/maxRoomsPerClient", "n", 1, 1000,
      [](const ServerConfig &c) { return qint64(c.limits.maxRoomsPerClient); },
      [](ServerConfig &c, qint64 v) { c.limits.maxRoomsPerClient = int(v); },
      "Let one client be in at most <n> rooms at once (default %1)." },
    { "max-room-members", "limits/maxRoomMembers", "n", 0, 1000000,
      [](const ServerConfig &c) { return qint64(c.limits.maxRoomMembers); },
      [](ServerConfig &c, qint64 v) { c.limits.maxRoomMembers = int(v); },
      "Let at most <n> people join one room (default %1; 0: no limit; the default room takes everyone)." },
    { "max-topic", "limits/maxTopicLength", "characters", 1, 10000,
      [](const ServerConfig &c) { return qint64(c.limits.maxTopicLength); },
      [](ServerConfig &c, qint64 v) { c.limits.maxTopicLength = int(v); },
      "Refuse room topics longer than <characters> (default %1)." },
    { "discovery-port", "discovery/port", "port", 0, 65535,
      [](const ServerConfig &c) { return qint64(c.discoveryPort); },
      [](ServerConfig &c, qint64 v) { c.discoveryPort = quint16(v); },
      "Answer LAN discovery probes on UDP <port> (default %1; 0 picks a free one)." },
};

QString hostPort(const QHostAddress &address, quint16 port)
{
    return HostPort{ address.toString(), port }.toString();
}

} // namespace

ServerConfig ServerConfig::load(const QSettings &settings)
{
    ServerConfig config;
    for (const NumberSetting &setting : numberSettings) {
        const QString key = QLatin1String(setting.key);
        if (!settings.contains(key))
            continue;
        bool ok = false;
        const qint64 value = settings.value(key).toLongLong(&ok);
        if (ok && value >= setting.minimum && value <= setting.maximum)
            setting.set(config, value);
    }
    const QString bind = settings.value(QStringLiteral("server/bind")).toString();
    if (!bind.isEmpty() && !config.address.setAddress(bind))
        config.address = QHostAddress::Any;
    config.name = settings.value(QStringLiteral("server/name")).toString();
    const QString room = settings.value(QStringLiteral("server/defaultRoom")).toString();
    if (RoomName::isValid(room))
        config.defaultRoom = RoomName::prepare(room);
    config.passwordFile = settings.value(QStringLiteral("server/passwordFile")).toString();
    config.database = settings.value(QStringLiteral("server/database")).toString();
    config.tlsCertificate = settings.value(QStringLiteral("tls/certificate")).toString();
    config.tlsKey = settings.value(QStringLiteral("tls/key")).toString();
    bool tlsPortOk = false;
    const int tlsPort =
            settings.value(QStringLiteral("tls/port"), int(ChatLimits::defaultTlsPort)).toInt(&tlsPortOk);
    if (tlsPortOk && tlsPort >= 0 && tlsPort <= 65535)
        config.tlsPort = quint16(tlsPort);
    bool ircPortOk = false;
    const int ircPort =
            settings.value(QStringLiteral("irc/port"), int(ChatLimits::defaultIrcPort)).toInt(&ircPortOk);
    if (ircPortOk && ircPort >= 0 && ircPort <= 65535)
        config.ircPort = ircPort;
    const QString ircName = settings.value(QStringLiteral("irc/name")).toString();
    if (IrcCodec::isServerName(ircName))
        config.ircName = ircName;
    int count = 0;
    int days = 0;
    if (parseHistoryKeep(settings.value(QStringLiteral("limits/historyKeep")).toString(), &count, &days)) {
        config.limits.historyKeep = count;
        config.limits.historyKeepDays = days;
    }
    config.limits.floodControl = settings.value(QStringLiteral("limits/floodControl"), true).toBool();
    config.announce = settings.value(QStringLiteral("discovery/announce"), true).toBool();
    return config;
}

void ServerConfig::save(QSettings &settings) const
{
    for (const NumberSetting &setting : numberSettings)
        settings.setValue(QLatin1String(setting.key), setting.get(*this));
    settings.setValue(QStringLiteral("server/bind"),
                      address == QHostAddress::Any ? QString() : address.toString());
    settings.setValue(QStringLiteral("server/name"), name);
    settings.setValue(QStringLiteral("server/defaultRoom"), defaultRoom);
    settings.setValue(QStringLiteral("server/passwordFile"), passwordFile);
    settings.setValue(QStringLiteral("server/database"), database);
    settings.setValue(QStringLiteral("tls/certificate"), tlsCertificate);
    settings.setValue(QStringLiteral("tls/key"), tlsKey);
    settings.setValue(QStringLiteral("tls/port"), tlsPort);
    if (ircPort != ircFreePort)
        settings.setValue(QStringLiteral("irc/port"), ircPort);
    settings.setValue(QStringLiteral("irc/name"), ircName);
    settings.setValue(QStringLiteral("limits/historyKeep"), historyKeepText());
    settings.setValue(QStringLiteral("limits/floodControl"), limits.floodControl);
    settings.setValue(QStringLiteral("discovery/announce"), announce);
}

void ServerConfig::addOptions(QCommandLineParser &parser)
{
    const ServerConfig defaults;
    parser.addOptions({
            { { QStringLiteral("b"), QStringLiteral("bind") },
              QStringLiteral("Listen on <address> only (default: every IPv4 and IPv6 address)."),
              QStringLiteral("address") },
            { QStringLiteral("name"),
              QStringLiteral(
                      "The server name shown in the desktop client (default: groupchat on <host name>)."),
              QStringLiteral("name") },
            { QStringLiteral("default-room"),
              QStringLiteral("The room everyone is in from the start (default: #general)."),
              QStringLiteral("room") },
            { QStringLiteral("password-file"),
              QStringLiteral("Every client must give the password in <file> before anything else."),
              QStringLiteral("file") },
            { QStringLiteral("db"),
              QStringLiteral(
                      "Keep the history in the SQLite database <file> (default: %1; :memory: keeps it in "
                      "memory only).")
                      .arg(defaultDatabasePath()),
              QStringLiteral("file") },
            { QStringLiteral("history-keep"),
              QStringLiteral("Keep the newest <n> messages (0: all), or with a d those of the last <n> days "
                             "(30d), for clients that come back and ask for what they missed (default %1).")
                      .arg(defaults.historyKeepText()),
              QStringLiteral("n|nd") },
            { QStringLiteral("tls-cert"),
              QStringLiteral(
                      "Serve TLS with the certificate in <file> (PEM; default: the one --generate-cert "
                      "made, %1, if it exists).")
                      .arg(defaultCertificatePath()),
              QStringLiteral("file") },
            { QStringLiteral("tls-key"), QStringLiteral("The private key of --tls-cert (PEM, unencrypted)."),
              QStringLiteral("file") },
            { QStringLiteral("tls-port"),
              QStringLiteral("Port for TLS connections (default %1; 0 picks a free one).")
                      .arg(ChatLimits::defaultTlsPort),
              QStringLiteral("n") },
            { QStringLiteral("irc-port"),
              QStringLiteral("Port for IRC clients (default %1; 0 serves no IRC; \"free\" picks a free one).")
                      .arg(ChatLimits::defaultIrcPort),
              QStringLiteral("n") },
            { QStringLiteral("irc-name"),
              QStringLiteral("The server's name in IRC, a host name such as chat.example.org (default: %1).")
                      .arg(IrcCodec::defaultServerName()),
              QStringLiteral("name") },
            { QStringLiteral("redis"),
              QStringLiteral("Share one room with the other servers using the Redis at <url>, "
                             "redis://HOST:PORT[/ROOM] (default: none, this server alone)."),
              QStringLiteral("url") },
            { QStringLiteral("flood"),
              QStringLiteral("Flood control: on (default; bursts of %1 lines, then %2 a second) or off.")
                      .arg(defaults.limits.floodBurst)
                      .arg(defaults.limits.floodRate),
              QStringLiteral("on|off") },
            { QStringLiteral("announce"),
              QStringLiteral("Announce the server on the LAN (DNS-SD through Avahi, and answers to UDP "
                             "discovery probes): on (default) or off."),
              QStringLiteral("on|off") },
    });
    for (const NumberSetting &setting : numberSettings) {
        QStringList names{ QLatin1String(setting.option) };
        if (qstrcmp(setting.option, "port") == 0)
            names.prepend(QStringLiteral("p"));
        parser.addOption(QCommandLineOption(names,
                                            QString::fromLatin1(setting.help).arg(setting.get(defaults)),
                                            QLatin1String(setting.valueName)));
    }
}

bool ServerConfig::applyOptions(const QCommandLineParser &parser, QStringList *overridden, QString *error)
{
    ServerConfig result = *this;
    QStringList given;
    for (const NumberSetting &setting : numberSettings) {
        const QString option = QLatin1String(setting.option);
        if (!parser.isSet(option))
            continue;
        bool ok = false;
        const qint64 value = parser.value(option).toLongLong(&ok);
        if (!ok || value < setting.minimum || value > setting.maximum) {
            *error = QStringLiteral("--%1 must be a number from %2 to %3")
                             .arg(option)
                             .arg(setting.minimum)
                             .arg(setting.maximum);
            return false;
        }
        setting.set(result, value);
        given.append(option);
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
        // Cut between user-perceived characters, never inside one.
        result.name = TextCut::left(parser.value(QStringLiteral("name")), 100);
        given.append(QStringLiteral("name"));
    }
    if (parser.isSet(QStringLiteral("default-room"))) {
        const QString room = RoomName::prepare(parser.value(QStringLiteral("default-room")));
        const QString problem = RoomName::protocolProblem(room);
        if (!problem.isEmpty()) {
            *error = QStringLiteral("--default-room: %1").arg(problem);
            return false;
        }
        result.defaultRoom = room;
        given.append(QStringLiteral("default-room"));
    }
    if (parser.isSet(QStringLiteral("password-file"))) {
        result.passwordFile = parser.value(QStringLiteral("password-file"));
        given.append(QStringLiteral("password-file"));
    }
    if (parser.isSet(QStringLiteral("db"))) {
        result.database = parser.value(QStringLiteral("db"));
        if (result.database.isEmpty()) {
            *error = QStringLiteral("--db needs a file name, or :memory:");
            return false;
        }
        given.append(QStringLiteral("db"));
    }
    if (parser.isSet(QStringLiteral("history-keep"))) {
        if (!parseHistoryKeep(parser.value(QStringLiteral("history-keep")), &result.limits.historyKeep,
                              &result.limits.historyKeepDays)) {
            *error = QStringLiteral(
                             "--history-keep takes a number of messages (5000) or of days (30d), not %1")
                             .arg(parser.value(QStringLiteral("history-keep")));
            return false;
        }
        given.append(QStringLiteral("history-keep"));
    }
    if (parser.isSet(QStringLiteral("flood"))) {
        const QString flood = parser.value(QStringLiteral("flood"));
        if (flood != u"on" && flood != u"off") {
            *error = QStringLiteral("--flood takes on or off, not %1").arg(flood);
            return false;
        }
        result.limits.floodControl = flood == u"on";
        given.append(QStringLiteral("flood"));
    }
    if (parser.isSet(QStringLiteral("announce"))) {
        const QString value = parser.value(QStringLiteral("announce"));
        if (value != u"on" && value != u"off") {
            *error = QStringLiteral("--announce takes on or off, not %1").arg(value);
            return false;
        }
        result.announce = value == u"on";
        given.append(QStringLiteral("announce"));
    }
    for (const char *optionName : { "tls-cert", "tls-key" }) {
        const QString option = QLatin1String(optionName);
        if (!parser.isSet(option))
            continue;
        (option == u"tls-cert" ? result.tlsCertificate : result.tlsKey) = parser.value(option);
        given.append(option);
    }
    if (result.tlsCertificate.isEmpty() != result.tlsKey.isEmpty()) {
        *error = QStringLiteral("--tls-cert and --tls-key go together");
        return false;
    }
    if (parser.isSet(QStringLiteral("redis"))) {
        result.redis = parser.value(QStringLiteral("redis"));
        if (!ClusterAddress::parse(result.redis, error))
            return false;
        given.append(QStringLiteral("redis"));
    }
    if (parser.isSet(QStringLiteral("tls-port"))) {
        bool ok = false;
        const uint wanted = parser.value(QStringLiteral("tls-port")).toUInt(&ok);
        if (!ok || wanted > 65535) {
            *error = QStringLiteral("--tls-port must be a number from 0 to 65535");
            return false;
        }
        result.tlsPort = quint16(wanted);
        given.append(QStringLiteral("tls-port"));
    }
    if (parser.isSet(QStringLiteral("irc-port"))) {
        const QString value = parser.value(QStringLiteral("irc-port"));
        bool ok = false;
        const uint wanted = value.toUInt(&ok);
        if (value == u"free") {
            result.ircPort = ircFreePort;
        } else if (!ok || wanted > 65535) {
            *error = QStringLiteral("--irc-port must be a number from 0 to 65535, or \"free\"");
            return false;
        } else {
            result.ircPort = int(wanted);
        }
        result.ircPortRequired = true;
        given.append(QStringLiteral("irc-port"));
    }
    if (parser.isSet(QStringLiteral("irc-name"))) {
        const QString wanted = parser.value(QStringLiteral("irc-name"));
        if (!IrcCodec::isServerName(wanted)) {
            *error = QStringLiteral("--irc-name must be a host name: letters, digits and '-' in labels "
                                    "joined by '.', at most 63 characters");
            return false;
        }
        result.ircName = wanted;
        given.append(QStringLiteral("irc-name"));
    }
    if (!result.passwordFile.isEmpty()) {
        QString password;
        if (!result.readPassword(&password, error))
            return false;
    }
    *this = result;
    if (overridden)
        *overridden = given;
    return true;
}

bool ServerConfig::readPassword(QString *password, QString *error) const
{
    password->clear();
    if (passwordFile.isEmpty())
        return true;
    QFile file(passwordFile);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QCoreApplication::translate("ServerConfig", "cannot read the password file %1: %2")
                         .arg(passwordFile, file.errorString());
        return false;
    }
    // The first line; a trailing newline from an editor is not part of it.
    *password = QString::fromUtf8(file.readLine(4096)).trimmed();
    // Compared as a line can carry it (ChatServer::checkPassword): one that is nothing then is
    // no password at all.
    if (TextSanitizer::isBlank(TextSanitizer::clean(*password))) {
        *error = QCoreApplication::translate("ServerConfig", "the password file %1 is empty")
                         .arg(passwordFile);
        return false;
    }
    return true;
}

QString ServerConfig::effectiveName() const
{
    return name.isEmpty() ? ChatServer::defaultServerName() : name;
}

QString ServerConfig::databasePath() const
{
    if (database == QLatin1String(":memory:"))
        return QString();
    return database.isEmpty() ? defaultDatabasePath() : database;
}

QString ServerConfig::defaultDatabasePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite";
}

bool ServerConfig::parseHistoryKeep(const QString &text, int *count, int *days)
{
    const QString trimmed = text.trimmed();
    const bool inDays = trimmed.endsWith(u'd');
    bool ok = false;
    const qint64 value = (inDays ? trimmed.chopped(1) : trimmed).toLongLong(&ok);
    if (!ok || value < (inDays ? 1 : 0) || value > (inDays ? 100000 : 1000000000))
        return false;
    *count = inDays ? 0 : int(value);
    *days = inDays ? int(value) : 0;
    return true;
}

QString ServerConfig::historyKeepText() const
{
    return limits.historyKeepDays > 0 ? QStringLiteral("%1d").arg(limits.historyKeepDays)
                                      : QString::number(limits.historyKeep);
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

QString ServerConfig::defaultCertificatePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/tls-cert.pem";
}

QString ServerConfig::defaultKeyPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/tls-key.pem";
}

std::pair<QString, QString> ServerConfig::tlsFiles() const
{
    if (!tlsCertificate.isEmpty())
        return { tlsCertificate, tlsKey };
    if (QFileInfo::exists(defaultCertificatePath()) && QFileInfo::exists(defaultKeyPath()))
        return { defaultCertificatePath(), defaultKeyPath() };
    return {};
}
