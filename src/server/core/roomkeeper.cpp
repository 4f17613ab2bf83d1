#include "roomkeeper.h"

#include "clientsession.h"
#include "eventfanout.h"
#include "historykeeper.h"
#include "messagestore.h"
#include "roomname.h"
#include "serverlog.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <QSet>

#include <algorithm>

namespace { } // namespace

RoomKeeper::RoomKeeper(const ChatLimits &limits, WriteBatcher *batcher, HistoryKeeper &history,
                       QObject *parent)
    : QObject(parent), m_limits(limits), m_batcher(batcher), m_history(history)
{ }

QList<RoomInfo> RoomKeeper::list(bool listUsers) const
{
    QList<RoomInfo> list;
    for (const Room *room : m_rooms.rooms())
        list.append(info(room, listUsers));
    return list;
}

qint64 RoomKeeper::messageCount(const QString &name) const
{
    const Room *room = m_rooms.find(name);
    return room ? room->messageCount() : -1;
}

QStringList RoomKeeper::roomsOf(const ClientSession *client)
{
    QStringList names;
    for (const Room *room : client->rooms())
        names.append(room->name());
    return names;
}

bool RoomKeeper::close(const QString &name, const QString &reason)
{
    Room *room = m_rooms.find(name);
    if (!room || room == m_rooms.defaultRoom())
        return false;
    const QString given = TextSanitizer::clean(reason).trimmed();
    const QString why =
            given.isEmpty() ? QStringLiteral("closed by the admin")
                            : u"closed by the admin: " + TextCut::left(given, ChatLimits::maxReasonLength);
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("closing %1 (%n here): %2", nullptr, int(room->members().size()))
                                  .arg(room->name(), ServerLog::reason(why))));
    const QString closed = room->name();
    const QList<ClientSession *> members = room->members();
    // The last to leave may make it unused, and forgotten: its name is what is left of it.
    for (ClientSession *client : members) {
        if (Room *open = m_rooms.find(closed))
            leave(client, open, why, true);
        // Nobody is left in no room by the admin: the default room takes them in.
        if (client->rooms().isEmpty() && !client->isClosing()) {
            enter(client, m_rooms.defaultRoom());
            if (client->isAnnounced())
                arrived(client, m_rooms.defaultRoom(), false, false);
            const ServerEvent state = ServerEvent::roomState(info(m_rooms.defaultRoom(), true));
            client->send(state);
        }
    }
    if (Room *left = m_rooms.find(closed))
        m_rooms.remove(left);
    m_history.forgetRoom(closed);
    if (m_history.store() && !m_history.store()->removeRoom(closed))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(
                          ServerLog::tr("cannot remove %1 from %2: %3")
                                  .arg(closed, m_history.store()->path(), m_history.store()->errorString())));
    noteChanged();
    return true;
}

ServerEvent RoomKeeper::presenceEvent(const Room *room) const
{
    ServerEvent presence = ServerEvent::now(ServerEvent::Type::Presence);
    presence.room = room->name();
    presence.presenceLive = presenceLive(room);
    presence.online = online(room);
    if (presence.presenceLive)
        presence.users = users(room);
    return presence;
}

void RoomKeeper::tellRemoteMove(const OnlineUser &user, const QString &roomName, bool joined)
{
    const Room *room = m_rooms.find(roomName);
    if (!room || !presenceLive(room))
        return;
    ServerEvent event = ServerEvent::now(joined ? ServerEvent::Type::Join : ServerEvent::Type::Part);
    event.nick = user.nick;
    event.room = room->name();
    // Join: the server they are on; Part: why (a reason is not carried between servers).
    event.text = joined ? user.server : QString();
    sendTo(room, event);
}

void RoomKeeper::sendTo(const Room *room, const ServerEvent &event, const ClientSession *except)
{
    EventFanout fanout(m_batcher, event);
    for (ClientSession *client : room->members()) {
        if (client != except)
            fanout.sendTo(client);
    }
}

void RoomKeeper::sendToPeers(ClientSession *client, const ServerEvent &event, bool includeSelf)
{
    EventFanout fanout(m_batcher, event);
    const QList<Room *> &rooms = client->rooms();
    QSet<const ClientSession *> told;
    if (includeSelf) {
        fanout.sendTo(client);
        told.insert(client);
    }
    // Someone in several of the rooms hears it once.
    const bool several = rooms.size() > 1;
    for (const Room *room : rooms) {
        if (!presenceLive(room))
            continue;
        for (ClientSession *member : room->members()) {
            if (member == client || (several && told.contains(member)))
                continue;
            if (several)
                told.insert(member);
            fanout.sendTo(member);
        }
    }
}

RoomKeeper::Refusal RoomKeeper::refusal(const ClientSession *client, const Room *room,
                                        const QString &name) const
{
    if (!room) {
        const QString problem = RoomName::protocolProblem(name);
        if (!problem.isEmpty())
            return { ErrorCode::InvalidRoom, problem };
        if (m_rooms.count() >= m_limits.maxRooms)
            return { ErrorCode::TooManyRooms,
                     QStringLiteral(
                             "this server has %1 rooms, as many as it keeps; join one of them (/rooms)")
                             .arg(m_rooms.count()) };
    }
    if (client->rooms().size() >= m_limits.maxRoomsPerClient)
        return { ErrorCode::TooManyRooms,
                 QStringLiteral("you are in %1 rooms, as many as one may be; /part one first")
                         .arg(client->rooms().size()) };
    if (room && m_limits.maxRoomMembers > 0 && online(room) >= m_limits.maxRoomMembers)
        return { ErrorCode::RoomFull, QStringLiteral("%1 is full (%2 people)")
                                              .arg(TextSanitizer::isolated(room->name()))
                                              .arg(online(room)) };
    return {};
}

void RoomKeeper::enter(ClientSession *client, Room *room)
{
    if (client->isIn(room))
        return;
    room->add(client);
    client->addRoom(room);
    if (!client->currentRoom())
        client->setCurrentRoom(room);
}

void RoomKeeper::arrived(ClientSession *client, Room *room, bool quiet, bool presenceToSelf)
{
    room->countAnnounced(1);
    if (presenceLive(room)) {
        if (!quiet)
            sendTo(room, ServerEvent::join(client->nick(), room->name()), client);
    } else if (online(room) == m_limits.presenceLimit + 1) {
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("more than %n in %1: joins and leaves are no longer announced",
                                            nullptr, m_limits.presenceLimit)
                                      .arg(room->name())));
        sendTo(room, presenceEvent(room), presenceToSelf ? nullptr : client);
    }
}

void RoomKeeper::leave(ClientSession *client, Room *room, const QString &reason, bool tell, bool byAdmin)
{
    if (!client->isIn(room))
        return;
    if (tell && client->isAnnounced()) {
        ServerEvent parted = ServerEvent::part(client->nick(), room->name(), reason);
        if (byAdmin)
            parted.from = QStringLiteral("admin");
        if (presenceLive(room))
            sendTo(room, parted, client);
        client->send(parted);
    }
    room->remove(client);
    client->removeRoom(room);
    if (client->isAnnounced()) {
        room->countAnnounced(-1);
        if (online(room) == m_limits.presenceLimit)
            sendTo(room, presenceEvent(room));
    }
    if (client->isPlain() && tell) {
        client->sendNotice(client->currentRoom()
                                   ? QStringLiteral("what you type goes to %1 now")
                                             .arg(TextSanitizer::isolated(client->currentRoom()->name()))
                                   : QStringLiteral("you are in no room now; /join #ROOM"));
    }
    dropIfUnused(room);
    noteChanged();
}

void RoomKeeper::store(Room *room)
{
    if (!m_history.store())
        return;
    room->setStored();
    if (m_history.store() &&
        !m_history.store()->saveRoom({ room->name(), room->topic(), room->topicBy(), room->topicTime() }))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cannot store %1 in %2: %3")
                                         .arg(room->name(), m_history.store()->path(),
                                              m_history.store()->errorString())));
}

void RoomKeeper::makeWay(const QString &name)
{
    if (m_rooms.count() < m_limits.maxRooms || !RoomName::protocolProblem(name).isEmpty())
        return;
    // Rooms are kept for their topic and history, not to lock others out: at the limit, the
    // room made longest ago that nobody is in makes way (its history stays in the database).
    for (Room *room : m_rooms.rooms()) {
        if (room == m_rooms.defaultRoom() || !room->isEmpty())
            continue;
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("%n rooms: %1, where nobody is, makes way for a new one", nullptr,
                                            int(m_rooms.count()))
                                      .arg(room->name())));
        m_rooms.remove(room);
        noteChanged();
        return;
    }
}

Room *RoomKeeper::make(const ClientSession *client, const QString &name)
{
    Room *room = m_rooms.create(name);
    qCInfo(lcServer, "%s",
           qUtf8Printable(
                   ServerLog::tr("%1 (%2) made %3").arg(client->nick(), client->peer(), room->name())));
    // Kept in the database once it has a message or a topic (until then it goes when its
    // people do): joins and leaves of rooms nobody talks in cost no writes.
    return room;
}

void RoomKeeper::dropIfUnused(Room *room)
{
    if (room == m_rooms.defaultRoom() || !room->isEmpty() || room->isStored() || !room->topic().isEmpty() ||
        room->messageCount() > 0)
        return;
    // Never stored (no message, no topic): nothing to remove from the database either.
    m_rooms.remove(room);
}

RoomInfo RoomKeeper::info(const Room *room, bool listUsers) const
{
    RoomInfo info;
    info.name = room->name();
    info.topic = room->topic();
    info.topicBy = room->topicBy();
    info.topicTime = room->topicTime();
    info.online = online(room);
    info.presenceLive = info.online <= m_limits.presenceLimit;
    if (listUsers && info.presenceLive)
        info.users = users(room);
    return info;
}

int RoomKeeper::online(const Room *room) const
{
    return room->announcedCount() + (m_cluster ? m_cluster->remoteCountIn(room->name()) : 0);
}

QList<OnlineUser> RoomKeeper::users(const Room *room) const
{
    QList<OnlineUser> users;
    users.reserve(room->members().size());
    for (const ClientSession *client : room->members()) {
        // A replaced session is on its way out: its successor is the person now.
        if (client->isAnnounced() && !client->isReplaced())
            users.append({ client->nick(), client->connectedAt(), QString() });
    }
    if (m_cluster) {
        QList<OnlineUser> remote;
        for (const OnlineUser &user : m_cluster->remoteUsers()) {
            if (user.rooms.contains(room->name()))
                remote.append(user);
        }
        std::sort(remote.begin(), remote.end(),
                  [](const OnlineUser &a, const OnlineUser &b) { return a.since < b.since; });
        users += remote;
    }
    return users;
}

void RoomKeeper::noteChanged()
{
    if (m_changedPosted)
        return;
    m_changedPosted = true;
    QMetaObject::invokeMethod(
            this,
            [this] {
                m_changedPosted = false;
                Q_EMIT roomsChanged();
            },
            Qt::QueuedConnection);
}
