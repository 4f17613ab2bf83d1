#pragma once

#include "chatmessage.h"
#include "serverevent.h"

#include <QElapsedTimer>
#include <QHash>

#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <functional>
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
// While Redis is away the link is unhealthy and what this server's clients say waits for it:
// one sequencer, so one id space and one order, whatever fails (docs/ARCHITECTURE.md).
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
    // Where this server's history answers another server that lacks messages (Redis came
    // back empty before it had read them): the messages with ids above after and at most upTo,
    // oldest first, at most maxCount of them (of every room and the private ones).
    using HistorySource = std::function<QList<ChatMessage>(quint64 after, quint64 upTo, int maxCount)>;
    void setHistorySource(HistorySource source) { m_historySource = std::move(source); }
    // True while this server holds the stream back to repair its history first (a new epoch).
    bool isRepairing() const { return m_holding; }
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

    // What became of a published message: given its id (which comes back through
    // messagesArrived like everyone's); Duplicate: the same sender's same client id was
    // published before, as id; Refused: more than ChatLimits::clusterBacklog messages wait.
    enum class PublishOutcome { Published, Duplicate, Refused };
    struct PublishResult
    {
        PublishOutcome outcome = PublishOutcome::Published;
        quint64 id = 0; // Duplicate: the earlier message's id; Published: its id (0: not known)
    };
    // Appends a message (its id is ignored) to its room, exactly once: while Redis is away it
    // waits (in order, at most ChatLimits::clusterBacklog of them), and a batch whose reply was
    // lost is sent again without being added twice (each server numbers what it publishes, and
    // the publish script takes each number once). done runs once with the outcome. Delivery is
    // not here: the message arrives, with its id, through messagesArrived on every server.
    void publish(const ChatMessage &message, std::function<void(const PublishResult &)> done);
    // Messages waiting for Redis or for its answer.
    int backlogSize() const { return int(m_pending.size()); }
    // Runs done once this server has delivered every message the stream holds now (asked as
    // soon as Redis is there and no new epoch is held back), or after
    // ChatLimits::clusterCatchUpWaitMs at the latest: for a newcomer that must not get older
    // messages as new ones.
    void afterCatchingUp(std::function<void()> done);

Q_SIGNALS:
    // In stream order; ids strictly increasing.
    void messagesArrived(const QList<ChatMessage> &messages);
    void healthChanged(bool healthy, const QString &why);
    void liveServersChanged(const QStringList &servers);
    // Who came and went on the other servers since the last heartbeat; quiet: the view was
    // (re)built after connecting, nothing to announce.
    void remoteUsersChanged(const QList<OnlineUser> &joined, const QList<OnlineUser> &left, bool quiet);
    // Redis came back empty before this server had read the messages of the old stream up to
    // id (which another server had): they are lost here (docs/ARCHITECTURE.md).
    void messagesLost(quint64 upTo);
    // Redis came back empty before this server had read messages after and up to upTo, which
    // it asks the other servers for (repaired: how many it got; messagesArrived brings them).
    void repairStarted(quint64 after, quint64 upTo);
    void repairFinished(quint64 after, quint64 upTo, int repaired);
    // People who stayed on their server joined or left rooms there (as of the last heartbeat).
    void remoteRoomsChanged(const QList<ClusterLink::RoomChange> &changes);

private:
    QByteArray key(const char *name) const;
    void updateHealth();
    void prepare();
    void readNext();
    void handleRead(const RedisReply &reply);
    void heartbeat();
    // Asks Redis whether, in a new epoch, another server had read further in the old stream
    // than this one (messagesLost).
    void checkEpoch();
    // A message as the stream (or a repair) holds it: with the server that published it and
    // that server's number for it (the publish script takes each number once); or an entry
    // that is not a message a server could have published (refusal: why, for the log; its
    // origin and seq are then not believed: empty and 0).
    struct StreamEntry
    {
        ChatMessage message;
        QString origin;
        quint64 seq = 0;
        QString refusal;
    };
    // The entries of a stream reply ([[id, [field, value, ...]], ...]) with ids above after,
    // each checked against the rules the servers apply to what their clients send (refusal).
    QList<StreamEntry> entriesOf(const QList<RedisReply> &entries, quint64 after) const;
    // Delivers entries (messagesArrived), leaving out a message that its server published
    // again after Redis came back empty (its number is not above one delivered here), and an
    // entry with a refusal, which is logged and lost (messagesLost up to its id).
    void deliver(const QList<StreamEntry> &entries);
    // In a new epoch that this server had not read up to: holds the stream back and repairs
    // what it lacks of the epoch before (repairStep, every clusterRepairPollMs), then lets go.
    void startHold(const QStringList &peers);
    void repairStep();
    void releaseHold(const QList<StreamEntry> &repaired, quint64 coveredUpTo);
    // Answers other servers' requests for messages that this server has (each heartbeat).
    void answerRepairs();
    // Sends what waits, once this pass's input is handled (sendOutgoing), when Redis is there.
    void scheduleSend();
    // Sends every waiting message not sent yet, in batches of one script call each.
    void sendOutgoing();
    // The first count waiting messages are answered (results: the script's reply; null: they
    // were read back from the stream): done for each, and they stop waiting.
    void settleFront(qsizetype count, const RedisReply *results);

    ClusterAddress m_address;
    QString m_serverId;
    RedisClient *m_commands;
    RedisClient *m_reader;
    bool m_prepared = false; // the id counter is past everything delivered here
    bool m_reading = false;
    bool m_healthy = false;
    // The heartbeat waiting for its answer, since when (invalid: none); Redis has not
    // answered it for ChatLimits::clusterServerTimeoutMs.
    QElapsedTimer m_heartbeatClock;
    bool m_stalled = false;
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
    bool m_everPrepared = false;
    QElapsedTimer m_regatherClock; // since this server came back to Redis (invalid: settled)
    struct Pending
    {
        ChatMessage message;
        quint64 seq = 0; // this server's number for it (the publish script takes each once)
        std::function<void(const PublishResult &)> done;
    };
    std::deque<Pending> m_pending; // not yet answered by Redis, in order
    qsizetype m_inFlight = 0; // the first ones of m_pending, sent and not answered yet
    quint64 m_publishSeq = 0;
    quint64 m_readSeq = 0; // the highest of this server's numbers read back from the stream
    int m_sendGeneration = 0; // answers to an older generation were sent again since
    bool m_sendScheduled = false;
    // Epoch number (id / ChatLimits::clusterIdEpochStride) -> the last id this server had
    // delivered before that epoch's first one.
    QHash<quint64, quint64> m_lastBeforeEpoch;
    quint64 m_missingUpTo = 0; // messagesLost was said up to here
    HistorySource m_historySource;
    // The hold of a new epoch: since when; the servers it waits for (those live before);
    // the last id this server had before it; what the stream brought meanwhile; the range it
    // asked the others for (0: not asked yet).
    bool m_holding = false;
    // A heartbeat has been answered since the hold began: until then the live servers are
    // those from before Redis went, not those back in it.
    bool m_holdHeard = false;
    QElapsedTimer m_holdClock;
    QStringList m_holdPeers;
    quint64 m_holdHad = 0;
    QList<StreamEntry> m_held;
    quint64 m_wantedUpTo = 0;
    bool m_repairQueryOut = false;
    QTimer m_repairTimer;
    QHash<QString, QByteArray> m_answered; // server id -> the request answered for it
    // The highest number delivered here of each server that published (origin -> seq), and
    // (id, origin, seq) of the last ChatLimits::clusterStreamLength messages delivered, in id
    // order, for repairs.
    QHash<QString, quint64> m_originSeq;
    struct Origin
    {
        quint64 id = 0;
        QString origin;
        quint64 seq = 0;
    };
    std::deque<Origin> m_recentOrigins;
    quint64 m_emittedId = 0; // the last id delivered through messagesArrived
    struct CatchUp
    {
        bool asked = false; // the head is being asked for
        bool known = false;
        quint64 head = 0; // the stream's last id when it was asked for
        std::function<void()> done;
        QElapsedTimer clock;
    };
    std::deque<CatchUp> m_catchUps;
    bool m_catchUpAsked = false;
    // Asks Redis for the stream's head for the catch-ups that have none yet.
    void askCatchUpHeads();
    // Runs the catch-ups that are done (or waited long enough).
    void settleCatchUps();
};
