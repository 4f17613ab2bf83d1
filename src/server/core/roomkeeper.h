#pragma once

#include "chatlimits.h"
#include "clusterlink.h"
#include "roomdirectory.h"
#include "serverevent.h"

#include <QObject>

class ClientSession;
class HistoryKeeper;
class WriteBatcher;

// The server's rooms and who is in them: making, keeping and forgetting rooms (RoomDirectory,
// the database's rooms through HistoryKeeper), putting clients in and taking them out, each
// room's people here and on the cluster's other servers, and sending an event to a room or to
// everyone who shares a room with someone, each rendering once (EventFanout). The commands that
// lead here are ChatServer's; the rules a room follows are here.
class RoomKeeper : public QObject
{
    Q_OBJECT

public:
    RoomKeeper(const ChatLimits &limits, WriteBatcher *batcher, HistoryKeeper &history,
               QObject *parent = nullptr);

    void setLimits(const ChatLimits &limits) { m_limits = limits; }
    // The cluster whose other servers' people count in rooms (null: none).
    void setCluster(ClusterLink *cluster) { m_cluster = cluster; }
    RoomDirectory &directory() { return m_rooms; }
    const RoomDirectory &directory() const { return m_rooms; }

    // Every room (the default one first), with its people when listUsers.
    QList<RoomInfo> list(bool listUsers) const;
    // Messages said in a room (since it was made or the server started); -1: no such room.
    qint64 messageCount(const QString &name) const;
    // The names of the rooms client is in, in the order it joined them.
    static QStringList roomsOf(const ClientSession *client);
    // Closes a room (not the default one): its people are told and leave it; those then in no
    // room go into the default room; its history goes. False: no such room, or the default.
    bool close(const QString &name, const QString &reason);

    RoomInfo info(const Room *room, bool listUsers) const;
    // People in the room, here and on the cluster's other servers; whether its joins and
    // leaves are announced (ChatLimits::presenceLimit).
    int online(const Room *room) const;
    bool presenceLive(const Room *room) const { return online(room) <= m_limits.presenceLimit; }
    QList<OnlineUser> users(const Room *room) const;
    ServerEvent presenceEvent(const Room *room) const;

    void sendTo(const Room *room, const ServerEvent &event, const ClientSession *except = nullptr);
    // Everyone who shares a room with client where presence is announced, each once (and
    // client too when includeSelf).
    void sendToPeers(ClientSession *client, const ServerEvent &event, bool includeSelf);
    // Tells a room here that someone on another server joined or left it.
    void tellRemoteMove(const OnlineUser &user, const QString &room, bool joined);

    // Why client cannot join room (null: a new one called name), or no code when it can.
    struct Refusal
    {
        ErrorCode code = ErrorCode::None; // None: it may
        QString text;
    };
    Refusal refusal(const ClientSession *client, const Room *room, const QString &name) const;
    // Puts client in room (it is not in it yet); the room is told when client is announced.
    void enter(ClientSession *client, Room *room);
    // client, announced, is in room now (entered, or announced while in it): it counts there,
    // and the room hears of it: a join while the room's joins are announced (unless quiet:
    // the room knew the person already), or once, when the room has just grown past the
    // presence limit, that they no longer are (client too when presenceToSelf).
    void arrived(ClientSession *client, Room *room, bool quiet, bool presenceToSelf);
    // Takes client out of room, telling the room's people (and client) as a Part with reason
    // when tell is set.
    // byAdmin: the admin put it out (IRC clients see a KICK).
    void leave(ClientSession *client, Room *room, const QString &reason, bool tell, bool byAdmin = false);
    // At ChatLimits::maxRooms, before a new room called name (a valid one) is made: forgets the
    // oldest room nobody is in, if there is one.
    void makeWay(const QString &name);
    // A new room, made by client's join.
    Room *make(const ClientSession *client, const QString &name);
    // Keeps a room (its name and topic) in the database.
    void store(Room *room);
    // A room nobody is in, never stored (no topic, no messages), is forgotten.
    void dropIfUnused(Room *room);
    // Something about the rooms changed: roomsChanged() follows, once per event-loop pass.
    void noteChanged();

Q_SIGNALS:
    void roomsChanged();

private:
    ChatLimits m_limits;
    WriteBatcher *m_batcher;
    HistoryKeeper &m_history;
    ClusterLink *m_cluster = nullptr;
    RoomDirectory m_rooms{ QStringLiteral("#general") };
    bool m_changedPosted = false;
};
