#pragma once

#include "chatlimits.h"
#include "irccodec.h"

#include <QHostAddress>
#include <QStringList>

class QCommandLineParser;
class QSettings;

// Everything that decides how the server starts: where it listens, its name and its limits.
// Saved settings (the admin window's settings dialog) give the defaults; command-line options
// override them for one run. ServerService starts the server from it.
struct ServerConfig
{
    ChatLimits limits;
    QHostAddress address = QHostAddress::Any;
    quint16 port = 6666;
    QString name; // empty: "groupchat on <host name>"
    QString defaultRoom = QStringLiteral("#general"); // everyone is in it from the start
    QString passwordFile; // holds the password every client must give; empty: none
    // The history database; empty: defaultDatabasePath(); ":memory:": none, history is kept in
    // memory only.
    QString database;
    // TLS: certificate and key (PEM); empty: the pair --generate-cert made, if there is one.
    QString tlsCertificate;
    QString tlsKey;
    quint16 tlsPort = ChatLimits::defaultTlsPort;
    // IRC (docs/PROTOCOL.md, "IRC") on this port; 0: no IRC; ircFreePort: any free port
    // (for tests and scripts: the log says which).
    int ircPort = ChatLimits::defaultIrcPort;
    // --irc-port was given: a port that cannot be had stops the start. Otherwise (the default,
    // or the saved setting) the server starts without IRC and says why.
    bool ircPortRequired = false;
    static constexpr int ircFreePort = -1;
    // The name the server goes by in IRC (IrcCodec::serverName(); a host name, checked by
    // IrcCodec::isServerName()).
    QString ircName = IrcCodec::defaultServerName();
    // redis://HOST:PORT[/ROOM]: share the room with the other servers there; empty: alone.
    QString redis;
    // LAN discovery (docs/PROTOCOL.md, "Discovery"): announce the server by DNS-SD (Avahi) and
    // answer UDP probes on discoveryPort (0: a free port, for tests); --announce off does
    // neither.
    bool announce = true;
    quint16 discoveryPort = ChatLimits::defaultDiscoveryPort;

    static ServerConfig load(const QSettings &settings);
    void save(QSettings &settings) const;

    // The options groupchat-server understands besides --help, --version and --headless.
    static void addOptions(QCommandLineParser &parser);
    // Applies the options that were given; names them in overridden. False (with why) when
    // one is not acceptable.
    bool applyOptions(const QCommandLineParser &parser, QStringList *overridden, QString *error);

    // The password in passwordFile (empty without one); false (with why) when it cannot be read
    // or is empty.
    bool readPassword(QString *password, QString *error) const;

    // The certificate and key the TLS port uses: the configured pair, or else the generated
    // one when it exists; both empty: no TLS.
    std::pair<QString, QString> tlsFiles() const;
    static QString defaultCertificatePath();
    static QString defaultKeyPath();

    // The name to announce: name, or "groupchat on <host name>".
    QString effectiveName() const;

    // Where the history lives: database or the default; empty for none (":memory:").
    QString databasePath() const;
    static QString defaultDatabasePath();
    // "--history-keep" as given: "5000" (messages, 0: all) or "30d" (days). False when text is
    // neither.
    static bool parseHistoryKeep(const QString &text, int *count, int *days);
    QString historyKeepText() const;

    // "every IPv4 and IPv6 address" or the address itself, for people.
    QString describeAddress() const;
    // Every host:port clients can use to reach this server, the local machine's own last.
    QStringList reachableAt(quint16 actualPort) const;
};
