#pragma once

#include "chatmessage.h"
#include "serverevent.h"

#include <QHash>

#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

class RedisClient;
struct RedisReply;

// Where a cluster lives: redis://HOST:PORT[/ROOM].
struct ClusterAddress
{
    QString host;
    quint16 port = 6379;
    QString room = QStringLiteral("main");

    // Nullopt, with why in error, when url is not of that form.
    static std::optional<ClusterAddress> parse(const QString &url, QString *error);
    QString toString() const;
};

// This server's membership in a cluster of groupchat servers that share one room through
// Redis (docs/ARCHITECTURE.md, "Several servers, one room"). Every message of the room is
// appended to one Redis stream by a small script that also gives it the next id, so every
// server sees the same messages in the same order with the same ids; each server reads the
// stream with one blocking XREAD per batch on a connection of its own and fans the batch out
// to its own clients as before. Heartbeat keys with an expiry say which servers are alive.
// While Redis is away the link is unhealthy and the server chats on alone; what its clients
// said meanwhile is published when Redis is back.
class ClusterLink : public QObject
{
    Q_OBJECT

public:
    ClusterLink(const ClusterAddress &address, QObject *parent = nullptr);
    ~ClusterLink() override;

    // Connects; the stream is read from after lastDeliveredId (0: from its start).
    void start(quint64 lastDeliveredId);
    bool isHealthy() const { return m_healthy; }
    QString serverId() const { return m_serverId; }
    ClusterAddress address() const { return m_address; }
    // Servers whose heartbeat is current, this one included (refreshed every heartbeat).
    QStringList liveServers() const { return m_liveServers; }
    // The names of the live servers, this one included, for people.
    QStringList liveServerNames() const;

    // Presence: this server's people, sent with every heartbeat (users(): who is here now),
    // and the name this server goes by.
    void setLocalUsers(std::function<QList<OnlineUser>()> users) { m_localUsers = std::move(users); }
    void setServerName(const QString &name) { m_serverName = name; }
    // The room whose messages a server of the one-room version sends.
    void setDefaultRoom(const QString &name) { m_defaultRoom = name; }
    // The people on the other live servers, by NickRules::key, as of the last heartbeat.
    const QHash<QString, OnlineUser> &remoteUsers() const { return m_remoteUsers; }
    // How many of them are in room (by its name as made).
    int remoteCountIn(const QString &room) const { return m_remoteInRoom.value(room); }
    // Someone elsewhere joined (or left) a room.
    struct RoomChange
    {
        OnlineUser user;
        QString room;
        bool joined = true;
    };
    // Someone on another live server whose nick is the same as nick (NickRules::same), or
    // null; and the id of their server.
    const OnlineUser *remoteHolder(const QString &nick) const;
    QString remoteOwner(const QString &nick) const;
    QString remoteOwnerNick(const QString &nick) const;

    // Appends a message (its id is ignored) to the room. It comes back, with its id, through
    // messagesArrived like everyone's. onFailed runs when it could not be published.
    void publish(const ChatMessage &message, std::function<void()> onFailed);
    // A message this server delivered to its own clients while Redis was away: published when
    // it is back, and not delivered here a second time.
    void publishLater(const ChatMessage &message);
    int backlogSize() const { return int(m_backlog.size()); }

Q_SIGNALS:
    // In stream order; ids strictly increasing.
    void messagesArrived(const QList<ChatMessage> &messages);
    void healthChanged(bool healthy, const QString &why);
    void liveServersChanged(const QStringList &servers);
    // Who came and went on the other servers since the last heartbeat; quiet: the view was
    // (re)built after connecting, nothing to announce.
    void remoteUsersChanged(const QList<OnlineUser> &joined, const QList<OnlineUser> &left, bool quiet);
    // People who stayed on their server joined or left rooms there (as of the last heartbeat).
    void remoteRoomsChanged(const QList<ClusterLink::RoomChange> &changes);

private:
    QByteArray key(const char *name) const;
    void updateHealth();
    void prepare();
    void readNext();
    void handleRead(const RedisReply &reply);
    void heartbeat();
    void flushBacklog();
    // Adds a message to the pass's publish call; sendOutgoing() sends it.
    void queue(const ChatMessage &message, bool replay, std::function<void()> onFailed);
    void sendOutgoing();

    ClusterAddress m_address;
    QString m_serverId;
    RedisClient *m_commands;
    RedisClient *m_reader;
    bool m_prepared = false; // the id counter is past everything delivered here
    bool m_reading = false;
    bool m_healthy = false;
    quint64 m_lastStreamId = 0;
    quint64 m_lastDeliveredId = 0;
    QTimer m_heartbeatTimer;
    QStringList m_liveServers;
    QHash<QString, QString> m_serverNames; // id -> name
    QString m_serverName;
    QString m_defaultRoom = QStringLiteral("#general");
    QHash<QString, int> m_remoteInRoom; // room -> people there on the other servers
    std::function<QList<OnlineUser>()> m_localUsers;
    QHash<QString, OnlineUser> m_remoteUsers; // NickRules::key -> user
    QHash<QString, QString> m_remoteOwners; // NickRules::key -> server id
    QHash<QString, QString> m_remoteKeys; // each of NickRules::keys -> the NickRules::key
    bool m_viewFresh = false; // the next heartbeat rebuilds the remote view quietly
    std::vector<ChatMessage> m_backlog;
    QList<QByteArray> m_outgoing; // the publish call being filled this pass
    std::vector<std::function<void()>> m_outgoingFailed;
};
