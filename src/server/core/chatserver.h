#pragma once

#include "admission.h"
#include "chatlimits.h"
#include "chatmessage.h"
#include "clientsession.h"
#include "clusterlink.h"
#include "historykeeper.h"
#include "refusal.h"
#include "roomkeeper.h"
#include "sendledger.h"
#include "serverevent.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <unordered_map>

struct ChatCommand;
class ClientSession;
class CommandHandler;

struct ClusterAddress;
class MessageStore;
class QSslSocket;
class QTcpServer;
class TlsListener;
class WriteBatcher;

// The server: accepts connections, gives each a ClientSession, carries out what clients ask
// and sends every message of a room to everyone in it, in the order the server received
// them, each client in its own dialect (plain text or JSON lines). Everyone is in the default
// room (#general) from the start; rooms are joined and left (docs/PROTOCOL.md, "Rooms").
class ChatServer : public QObject
{
    Q_OBJECT
    // Carries out the clients' commands with the server's rooms, history and nicks.
    friend class CommandHandler;
    // Carries out what IRC clients ask (registration, IRC's queries) with the same.
    friend class IrcHandler;
    // Carries out what IRC clients ask (registration, IRC's queries) with the same.
    friend class IrcHandler;

public:
    explicit ChatServer(const ChatLimits &limits = {}, QObject *parent = nullptr);
    ~ChatServer() override;

    // A password every client must give before anything else (empty: none).
    void setPassword(const QString &password);
    bool requiresPassword() const { return !m_password.isEmpty(); }

    // Keeps the history (and the bans) in the SQLite database at path from now on, and takes
    // up where it left off: the recent messages, the next id, the bans. Only before the first
    // message. False (logged, with the reason in historyError()) when the database cannot be
    // used; the server then keeps its history in memory only.
    bool openHistory(const QString &path);
    // The database in use; empty when the history is in memory only.
    QString historyPath() const;
    QString historyError() const { return m_history.error(); }

    // The room everyone is in from the start ("#general"); only before the first client, and
    // before openHistory() (whose messages from before rooms become this room's). False when
    // name is not a room name (RoomName).
    bool setDefaultRoom(const QString &name);
    QString defaultRoom() const { return m_rooms.defaultRoom()->name(); }
    // Every room: the default one first, then in the order they were made; with its people
    // on this server and the cluster's (online), and its topic. users only where listUsers.
    QList<RoomInfo> roomList(bool listUsers = false) const;
    // Messages said in the room (since it was made, or the server started); -1: no such room.
    qint64 roomMessageCount(const QString &room) const;
    // The names of the rooms client is in, in the order it joined them.
    QStringList roomsOf(const ClientSession *client) const;
    // Closes a room (not the default one): its members are told why and leave it, those in
    // no other room are put into the default room; its history goes. False when there is no
    // such room, or it is the default room.
    bool closeRoom(const QString &room, const QString &reason);

    // The name JSON clients are told in their welcome.
    void setServerName(const QString &name);
    QString serverName() const { return m_serverName; }
    // The name a server has when none is given (--name): "groupchat on <host name>", in the
    // language of the server's admin (the translator installed when it is asked for).
    static QString defaultServerName();

    // Serves TLS too, on tlsPort, with this certificate and key (PEM files, read by
    // TlsListener::loadCredentials), from the next listen() on. False, with the reason in
    // error, when they cannot be used; TLS is then as it was.
    bool setTlsCertificate(const QString &certificatePath, const QString &keyPath, QString *error);
    void setTlsPort(quint16 port) { m_tlsPortWanted = port; }
    // Plain only from the next listen() on.
    void clearTls();
    bool servesTls() const { return m_tls != nullptr; }
    // The TLS port listened on (0 while not listening, or without TLS).
    quint16 tlsPort() const;
    // The certificate's SHA-256 fingerprint, as clients show it ("AB:CD:...").
    QString tlsFingerprint() const;

    // Serves IRC (IrcHandler, docs/PROTOCOL.md "IRC") on port too, from the next listen() on;
    // serve false: no IRC. Port 0 picks a free port. Unless required, a port that cannot be
    // listened on leaves the server without IRC (a warning) instead of not listening at all.
    void setIrcPort(bool serve, quint16 port = ChatLimits::defaultIrcPort, bool required = true);
    // The IRC port listened on (0 while not listening, or without IRC).
    quint16 ircPort() const;

    // Shares the room with the other servers on the Redis at address (docs/ARCHITECTURE.md);
    // after openHistory(), before listen(). False when already in a cluster.
    bool joinCluster(const ClusterAddress &address);
    ClusterLink *cluster() const { return m_cluster; }

    // QHostAddress::Any listens on every IPv4 and IPv6 address. Port 0 picks a free port.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 6666);
    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QString errorString() const;
    // "every IPv4 and IPv6 address", "every IPv4 address" or the address, for people.
    static QString describeAddress(const QHostAddress &address);

    // Tells every client the server is shutting down, flushes what is queued for at most
    // ChatLimits::shutdownGraceMs, closes every connection and the listening socket, then
    // emits stopped(). listen() may be called again afterwards.
    void stop();
    bool isStopping() const { return m_stopping; }

    const ChatLimits &limits() const { return m_limits; }
    // New limits take effect when the server next listens; only while it is stopped.
    bool setLimits(const ChatLimits &limits);
    int clientCount() const { return int(m_clients.size()); }
    // Clients the room has been told about (joined).
    int memberCount() const { return m_memberCount; }
    // Whether joins, leaves and nick changes of the default room are announced
    // (ChatLimits::presenceLimit).
    bool presenceLive() const { return roomSize() <= m_limits.presenceLimit; }
    // Everyone in the default room: announced here, and on the cluster's other servers.
    int roomSize() const;
    // In the order they connected, including those not yet announced to the room.
    QList<ClientSession *> clients() const { return m_clients; }
    ClientSession *findClient(const QString &nick) const;
    // The client with this id (ClientSession::id()), or null when it is gone.
    ClientSession *clientById(quint64 id) const { return m_byId.value(id); }
    // Whoever holds a nick that is the same as nick (NickRules::keys), other than except; null
    // when nobody does.
    ClientSession *nickHolder(const QString &nick, const ClientSession *except) const;
    // The newest message id assigned (0 before the first message).
    quint64 lastMessageId() const { return m_nextMessageId - 1; }
    // When the server last started listening (invalid while stopped).
    QDateTime listeningSince() const { return m_listeningSince; }

    // The admin's tools. A kicked client is told why and disconnected; the room sees it leave
    // with "kicked: reason". With a room: it is only put out of that room (and may come back).
    void kick(ClientSession *client, const QString &reason, const QString &room = QString());
    // Disconnects every client from address and refuses it until unbanned (for good with a
    // history database, else until the process ends).
    void ban(const QHostAddress &address);
    void unban(const QHostAddress &address);
    QList<QHostAddress> bans() const;
    // When address was banned (UTC; invalid when it is not).
    QDateTime bannedSince(const QHostAddress &address) const;
    bool isBanned(const QHostAddress &address) const;
    // The clients connected from address now (its IPv4 form when it is IPv4-mapped).
    QList<ClientSession *> clientsFrom(const QHostAddress &address) const;
    // A notice from the admin to everyone, or to the people of one room.
    void sendAdminNotice(const QString &text, const QString &room = QString());

Q_SIGNALS:
    // A connection was accepted; the room does not know it yet.
    void clientConnected(ClientSession *client);
    // The room was told the client joined (its first line, its hello, or a short wait).
    void clientJoined(ClientSession *client);
    // The connection is gone; client is deleted once control returns to the event loop.
    void clientDisconnected(ClientSession *client, const QString &reason);
    void nickChanged(ClientSession *client, const QString &oldNick);
    // Its dialect became known (plain or JSON).
    void clientModeChanged(ClientSession *client);
    void messagePosted(const ChatMessage &message);
    void stopped();
    void listeningChanged(bool listening);
    // The cluster's Redis connection came or went (why: the error), or its servers changed.
    void clusterHealthChanged(bool healthy, const QString &why);
    void clusterServersChanged(const QStringList &servers);
    // An address was banned, or its ban lifted.
    void bansChanged();
    // A room was made or closed, or its people or topic changed (at most once per event-loop
    // pass).
    void roomsChanged();

private:
    void accept(qintptr descriptor, ClientSession::Mode mode = ClientSession::Mode::Undecided);
    // Bans and the connection limits for a new connection: empty when it may come in, and
    // then it is counted against its address; otherwise why not.
    Refusal::Reason admit(const QHostAddress &address);
    void releaseAdmission(const QHostAddress &address);
    void acceptTls(QSslSocket *socket, const QHostAddress &address, quint16 port);
    void refuse(qintptr descriptor, Refusal::Reason reason, const QHostAddress &address, quint16 port);
    // Whether a refusal from key (an addressKey) is logged (Admission::noteRefusal).
    bool noteRefusal(const QString &key);
    // Closes a descriptor whose peer could not be known (reset before it was accepted).
    void dropUnknownPeer(qintptr descriptor);
    void addClient(ClientSession *client);
    // The plain greeting: the nick given, who is here, the recent messages (JSON clients skip it).
    void greet(ClientSession *client);
    // Tells client's rooms it is here. With a predecessor (the earlier connection it takes
    // the place of), the rooms both are in only count it: they knew the person already.
    void announce(ClientSession *client, const ClientSession *predecessor = nullptr);
    // successor, presenting owner's token, takes its place: owner stops counting and holding
    // its nick now, and leaves without a word (but for a successor the rooms know already).
    void takeOver(ClientSession *owner, ClientSession *successor);
    // Announces the clients whose ChatLimits::announceDelayMs has passed without a first line.
    void announceDue();
    void removeClient(ClientSession *client, const QString &reason);
    // The last ChatLimits::historyLines messages of the default room.
    QList<ChatMessage> recentOfDefaultRoom() const;
    // clientId: the id the sender's client gave it (ChatMessage::clientId; empty: none).
    void postMessage(ClientSession *from, Room *room, ChatMessage::Kind kind, const QString &text,
                     const QString &clientId = QString());
    // Sending exactly once: true when from's clientId was posted already (within
    // ChatLimits::clientIdWindowMs), and then from is told its id (a "sent" event) when it is
    // known; the caller posts nothing. False for an empty or new client id.
    bool answerResend(ClientSession *from, const QString &clientId);
    // Puts a message on its way: through the cluster when there is one (which gives the id and
    // delivers it; it waits while Redis is away), else an id here and delivered at once.
    void publish(ChatMessage message);
    // Tells the sender of message, when it is still here under the identity it sent with, that
    // message was posted as id (ServerEvent::Type::Sent).
    void tellSent(const ChatMessage &message, quint64 id);
    // The cluster's Redis came or went: every client is told whether messages wait for it.
    void tellClusterHealth(bool healthy);
    ServerEvent clusterStatus(bool degraded) const;
    // A client just welcomed is told when messages wait for the cluster.
    void tellIfDegraded(ClientSession *client);
    // What client may read of the history: its rooms and its private messages.
    HistoryScope scopeOf(const ClientSession *client, const QString &room = QString()) const;
    // A message with its id: into the history (and the database), out to every client here.
    void deliverMessage(const ChatMessage &message);
    void deliverClusterMessages(const QList<ChatMessage> &messages);
    void rename(ClientSession *client, const QString &nick);
    // Why nick cannot be client's, or empty when it can.
    struct NickRefusal
    {
        ErrorCode code = ErrorCode::None; // None: the nick may be client's
        QString text;
        QString holder; // nick-taken: the nick in use that it is the same as
    };
    NickRefusal nickRefusal(const ClientSession *client, const QString &nick) const;
    void refuseNick(ClientSession *client, const NickRefusal &refusal);
    // Every key of nick (NickRules::keys) points at client, or no more.
    void holdNick(ClientSession *client, const QString &nick);
    void releaseNick(ClientSession *client, const QString &nick);
    // A client that fell behind has caught up: what it missed, and who is here now.
    void sendCaughtUp(ClientSession *client, qint64 missed);
    // The default room: this server's people, then the other servers' (a cluster).
    QList<OnlineUser> onlineUsers() const;
    // Everyone announced on this server (what the cluster's other servers are told).
    QList<OnlineUser> localUsers() const;
    void remoteUsersChanged(const QList<OnlineUser> &joined, const QList<OnlineUser> &left, bool quiet);
    void remoteRoomsChanged(const QList<ClusterLink::RoomChange> &changes);
    // Sends event to every client but except, rendering it once per dialect.
    void broadcast(const ServerEvent &event, const ClientSession *except = nullptr);
    QString nextGuestNick();
    // Closes connections that never said anything, pings quiet ones, drops those that do
    // not answer; forgets old per-address connection times. Runs every few seconds.
    void checkConnections();
    // What per-address limits count by: the address, or an IPv6 address's /64.
    static QString addressKey(const QHostAddress &address);
    static int checkInterval(const ChatLimits &limits);
    // True when password is the server's; otherwise answers the client (later) and closes it.
    // While the client's address must still wait after a wrong password, nothing is checked:
    // false, and retry runs (the command again) when the wait is over.
    bool checkPassword(ClientSession *client, const QString &password, const std::function<void()> &retry);
    void finishStop();

    ChatLimits m_limits;
    QString m_serverName;
    QTcpServer *m_server;
    TlsListener *m_tls = nullptr;
    QTcpServer *m_ircServer;
    bool m_ircWanted = false;
    bool m_ircRequired = true;
    quint16 m_ircPortWanted = ChatLimits::defaultIrcPort;
    QString m_listenError; // why the last listen() failed on the TLS or IRC port
    ClusterLink *m_cluster = nullptr;
    quint16 m_tlsPortWanted = ChatLimits::defaultTlsPort;
    WriteBatcher *m_batcher;
    HistoryKeeper m_history;
    SendLedger m_sendLedger;
    Admission m_admission;
    RoomKeeper m_roomKeeper;
    RoomDirectory &m_rooms; // m_roomKeeper's
    QList<ClientSession *> m_clients;
    QHash<quint64, ClientSession *> m_byId;
    // Connections waiting to be announced, oldest first: (deadline, client id). One timer for
    // all of them: a timer each costs a linear search of Qt's timer list per connection.
    std::deque<std::pair<qint64, quint64>> m_announceQueue;
    QTimer m_announceTimer;
    QTimer m_checkTimer;
    QString m_password;
    QElapsedTimer m_clock;
    QDateTime m_listeningSince;
    QHash<QString, ClientSession *> m_byNickKey; // each of NickRules::keys(nick) -> client
    QTimer m_shutdownTimer;
    quint64 m_nextClientId = 1;
    quint64 m_nextMessageId = 1;
    quint64 m_guestCounter = 0;
    int m_memberCount = 0;
    bool m_stopping = false;
    std::unique_ptr<CommandHandler> m_commands;
};
