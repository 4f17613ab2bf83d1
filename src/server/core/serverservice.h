#pragma once

#include "discoverymessage.h"
#include "serverconfig.h"

#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QStringList>

class ChatServer;
class DiscoveryResponder;
class DnsSdPublisher;

// The running server as a whole, started from a ServerConfig: the one place that applies a
// configuration (limits, name, password, TLS), opens the history database, joins the cluster,
// listens and says where clients connect; and that stops and restarts. The headless program
// and the admin window both drive it, so both start the server the same way.
//
// It also carries the admin's tools by client id (ClientListModel::IdRole) and address, and
// what a window shows of the state, so that a window needs no session, cluster or Redis type.
// Every error is returned as a sentence for people and logged (category groupchat.server).
class ServerService : public QObject
{
    Q_OBJECT

public:
    // Makes the server; nothing listens before start().
    explicit ServerService(QObject *parent = nullptr);
    ~ServerService() override;

    // The server, owned by the service, for the item models (ClientListModel, RoomListModel,
    // BanListModel) and for tests. It lives as long as the service.
    ChatServer *server() const { return m_server; }

    // Serves as config says. Each start applies the limits (while nobody is connected, as after
    // a stop), the name, the default room (until the history is open or anyone has connected),
    // the password (config.passwordFile) and TLS (config.tlsFiles(), on config.tlsPort; none
    // when both are empty). The first start also opens the history database
    // (config.databasePath(); ":memory:" none) and joins the cluster (config.redis); later starts
    // keep them. Then it listens on config.address, config.port (0: a free port) and logs where
    // clients connect. False, with why in *error (and in the log), when the service runs or is
    // still stopping, the password file or the certificate and key cannot be used, the Redis
    // address is not one, or it cannot listen; then nothing listens. A history database that
    // cannot be opened is not a failure: the history is kept in memory (historyError() says why).
    bool start(const ServerConfig &config, QString *error = nullptr);
    // Tells every client the server is shutting down, closes the connections (at most
    // ChatLimits::shutdownGraceMs for what is queued) and stops listening; stopped() follows.
    // Nothing when it is neither listening nor has clients.
    void stop();
    // Stops (when running) and starts again with config once stopped; started() or
    // startFailed() says how it went.
    void restart(const ServerConfig &config);

    bool isListening() const;
    bool isStopping() const;
    // Listening, stopping, or still holding connections.
    bool isRunning() const;
    // The configuration of the last successful start().
    const ServerConfig &config() const { return m_config; }
    // The port listened on (0 while stopped), the TLS port (0 without TLS or while stopped).
    quint16 port() const;
    quint16 tlsPort() const;
    // The IRC port (0 without IRC or while stopped).
    quint16 ircPort() const;
    // The TLS certificate's SHA-256 fingerprint as clients show it ("AB:CD:..."); empty
    // without TLS.
    QString tlsFingerprint() const;
    // Every host:port clients can use to reach the server (ServerConfig::reachableAt); empty
    // while it does not listen.
    QStringList reachableAt() const;
    // What LAN discovery tells about the server (name, ports, fingerprint, password, people).
    ServerAnnouncement announcement() const;
    // The UDP port discovery probes are answered on; 0 while they are not (stopped,
    // --announce off, or the port was taken).
    quint16 discoveryPort() const;
    // Whether the server is announced on the LAN now: by DNS-SD or by answering probes.
    bool isAnnounced() const;
    // Whether DNS-SD (Avahi) has the server's services registered now.
    bool isAnnouncedByDnsSd() const;

    // When it last started listening (UTC; invalid while stopped).
    QDateTime listeningSince() const;
    // The history database in use (empty: history in memory only), and why it could not be
    // opened (empty when it could, or none was asked for).
    QString historyPath() const;
    QString historyError() const;

    // The cluster (--redis) as people are told about it.
    struct ClusterStatus
    {
        bool joined = false; // false: this server alone; the rest is empty
        bool healthy = false; // Redis reachable
        QString address; // redis://HOST:PORT/ROOM
        QStringList servers; // the live servers' names
    };
    ClusterStatus clusterStatus() const;

    int clientCount() const;
    // The newest message id (0 before the first message).
    quint64 lastMessageId() const;
    QString defaultRoom() const;
    // Every room's name, the default room first.
    QStringList roomNames() const;

    // The admin's tools.
    // Kicks the client with this id (ClientListModel::IdRole): it is told the reason and
    // disconnected, or with room only put out of that room (nothing when it is not in it). False
    // when there is no such client (it left meanwhile).
    bool kick(quint64 clientId, const QString &reason, const QString &room = QString());
    // The address the client with this id connects from (null when there is no such client).
    QHostAddress addressOf(quint64 clientId) const;
    // The nicks of the clients connected from address now (whom a ban would disconnect).
    QStringList nicksFrom(const QHostAddress &address) const;
    // Disconnects every client from address and refuses it until unban() (kept in the history
    // database when there is one).
    void ban(const QHostAddress &address);
    void unban(const QHostAddress &address);
    QList<QHostAddress> bans() const;
    bool isBanned(const QHostAddress &address) const;
    // A notice from the admin to everyone, or to the people of room.
    void sendNotice(const QString &text, const QString &room = QString());
    // Closes a room other than the default one (ChatServer::closeRoom); false when there is no
    // such room.
    bool closeRoom(const QString &room, const QString &reason);

Q_SIGNALS:
    // start() succeeded, or failed with error (also returned and logged).
    void started();
    void startFailed(const QString &error);
    // Listening began or ended, a client connected or left, the cluster's health or its
    // servers changed: whatever shows the state should look again.
    void stateChanged();
    // stop() is done: no connection is left.
    void stopped();

private:
    bool fail(const QString &why, QString *error);
    void startAnnouncing();
    void stopAnnouncing();

    ChatServer *m_server;
    DiscoveryResponder *m_responder;
    DnsSdPublisher *m_publisher;
    ServerConfig m_config;
    bool m_historyOpened = false; // the first start tried the database
    bool m_clusterJoined = false;
    bool m_restartPending = false;
    ServerConfig m_restartConfig;
};
