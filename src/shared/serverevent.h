#pragma once

#include "chatmessage.h"
#include "errorcode.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

// Someone in a room, as the server lists them.
struct OnlineUser
{
    QString nick;
    QDateTime since; // connected at (UTC)
    QString server = {}; // in a cluster: the name of the server they are on; empty: this one
    // In a cluster, between servers only (never on a client's wire): the rooms they are in.
    QStringList rooms = {};

    friend bool operator==(const OnlineUser &a, const OnlineUser &b)
    {
        return a.nick == b.nick && a.since == b.since && a.server == b.server;
    }
};

// A room as a client is told about it: in a welcome and when it joins one (its people, when
// the room is small enough to list them), or in the list of every room (only name, online
// and topic).
struct RoomInfo
{
    QString name; // "#general"
    QString topic; // empty: none
    QString topicBy; // who set it
    QDateTime topicTime; // when (UTC); invalid when there is no topic
    int online = 0;
    bool presenceLive = true; // joins and leaves of this room are announced
    QList<OnlineUser> users; // when presenceLive, and not in a list of every room

    friend bool operator==(const RoomInfo &a, const RoomInfo &b)
    {
        return a.name == b.name && a.topic == b.topic && a.topicBy == b.topicBy &&
               a.topicTime == b.topicTime && a.online == b.online && a.presenceLive == b.presenceLive &&
               a.users == b.users;
    }
};

// The limits a server announces in its welcome, so that a client can keep to them as the
// user types instead of waiting for a refusal.
struct ServerLimits
{
    qsizetype maxLineBytes = 0; // a whole request line, JSON envelope included
    int historyLines = 0; // replayed to a new client
    int historyKeep = 0; // newest messages held for clients that resume with "since" (0: any number)
    int historyKeepDays = 0; // and no older than this (0: any age)
    int maxNickLength = 0;
    int presenceLimit = 0; // beyond this many people in a room, its joins and leaves are not announced
    int maxRoomsPerClient = 0; // rooms one client may be in at once
    int maxTopicLength = 0; // characters

    friend bool operator==(const ServerLimits &a, const ServerLimits &b)
    {
        return a.maxLineBytes == b.maxLineBytes && a.historyLines == b.historyLines &&
               a.historyKeep == b.historyKeep && a.historyKeepDays == b.historyKeepDays &&
               a.maxNickLength == b.maxNickLength && a.presenceLimit == b.presenceLimit &&
               a.maxRoomsPerClient == b.maxRoomsPerClient && a.maxTopicLength == b.maxTopicLength;
    }
};

// Anything the server tells a client, independent of how it is written on the wire
// (PlainProtocol and JsonProtocol each render it).
struct ServerEvent
{
    enum class Type {
        Invalid,
        Welcome,
        Message,
        Private,
        Join,
        Leave,
        Nick,
        Notice,
        Error,
        Shutdown,
        Pong,
        Presence,
        Ping,
        History, // the answer to a history request
        SearchResults, // the answer to a search: text the search, history the hits (newest first)
        CaughtUp, // a client that fell behind has caught up: what it missed, and the room now
        Part, // nick left room (text: the reason); to the room's people, the one leaving included
        Topic, // room's topic is now text, set by nick
        RoomList, // the answer to a rooms request: rooms (without their people)
        RoomState, // the client is in room now: rooms holds it, with its people and topic
        // Sending exactly once: a message the client sent again (message.clientId) was posted
        // already, as message.id (message.room or message.to says where); to the sender only.
        Sent,
        // The server's state that clients are told about: degraded (in a cluster whose Redis is
        // away: messages wait and are delivered once it is back) or not; text says so in words.
        Status,
    };

    Type type = Type::Invalid;
    QDateTime time; // Private, Join, Leave, Nick (UTC)
    ChatMessage message; // Message
    QString nick; // Welcome (the nick granted), Join, Leave; Error "nick-taken": the nick in use
    QString oldNick; // Nick
    QString newNick; // Nick
    QString from; // Private; Notice: "server" or "admin"; Part: "admin" when the admin put nick out
    QString to; // Private; History with before: the private conversation's other person
    QString text; // Private, Notice, Error, Shutdown; Leave: the reason; Invalid: why
    ErrorCode code = ErrorCode::None; // Error: what kind (a stable word on the wire, docs/PROTOCOL.md)
    QString reason; // Error "kicked": the admin's reason, in their words
    QString token; // Welcome: proves it is us when we resume; Pong: echoes the ping's
    // The room an event is about: Join, Part, Topic, Presence, RoomState, and Notice or Error
    // when they concern one room (Message: message.room). Empty: the whole server.
    QString room;
    // Welcome: the rooms the client is in; RoomList: every room; RoomState: the one joined.
    QList<RoomInfo> rooms;
    QString identity; // Welcome: the secret to keep (given by the client, or made for it)

    // Welcome (version 1), Presence and CaughtUp: how many are in the room, and whether joins, leaves and
    // nick changes are announced (not in rooms larger than ServerLimits::presenceLimit); users
    // is the list of them when they are.
    int online = 0;
    bool presenceLive = true;
    QList<OnlineUser> users;

    // Welcome only.
    bool passwordRequired = false; // the plain greeting asks for /pass
    int version = 0;
    QString serverName;
    QList<ChatMessage> history; // oldest first (History too)
    bool historyComplete = true; // false: some messages after "since" are no longer held (History too)
    quint64 lastId = 0; // the newest message id the server has assigned
    ServerLimits limits;

    // History only: the id the messages follow, and whether more follow the last of them
    // (ask again after it).
    quint64 after = 0;
    bool historyMore = false;
    // History answering a request for older messages: the id they come before (after is then
    // unused), and historyMore says whether older ones exist still.
    quint64 before = 0;

    // CaughtUp only: broadcast messages skipped while the client was behind.
    int missed = 0;

    // Status only: messages wait for the cluster (true) or flow again (false).
    bool degraded = false;

    // An event of type, stamped with the current time (UTC).
    static ServerEvent now(Type type)
    {
        ServerEvent event;
        event.type = type;
        event.time = QDateTime::currentDateTimeUtc();
        return event;
    }

    // Named constructors: each fills the fields its type uses (above), stamped now. Producers
    // use these rather than filling fields by hand, so that what a field means for a type is
    // decided here once.
    static ServerEvent join(const QString &nick, const QString &room)
    {
        ServerEvent event = now(Type::Join);
        event.nick = nick;
        event.room = room;
        return event;
    }
    static ServerEvent leave(const QString &nick, const QString &reason)
    {
        ServerEvent event = now(Type::Leave);
        event.nick = nick;
        event.text = reason;
        return event;
    }
    static ServerEvent part(const QString &nick, const QString &room, const QString &reason)
    {
        ServerEvent event = now(Type::Part);
        event.nick = nick;
        event.room = room;
        event.text = reason;
        return event;
    }
    static ServerEvent topicChange(const QString &nick, const QString &room, const QString &topic)
    {
        ServerEvent event = now(Type::Topic);
        event.nick = nick;
        event.room = room;
        event.text = topic;
        return event;
    }
    static ServerEvent nickChange(const QString &oldNick, const QString &newNick)
    {
        ServerEvent event = now(Type::Nick);
        event.oldNick = oldNick;
        event.newNick = newNick;
        return event;
    }
    // room: the room it is about (empty: none in particular).
    static ServerEvent error(ErrorCode code, const QString &text, const QString &room = QString())
    {
        ServerEvent event = now(Type::Error);
        event.code = code;
        event.text = text;
        event.room = room;
        return event;
    }
    // from: "server" or "admin".
    static ServerEvent notice(const QString &from, const QString &text, const QString &room = QString())
    {
        ServerEvent event = now(Type::Notice);
        event.from = from;
        event.text = text;
        event.room = room;
        return event;
    }
    // The client is in room now (with its people and topic).
    static ServerEvent roomState(const RoomInfo &room)
    {
        ServerEvent event = now(Type::RoomState);
        event.room = room.name;
        event.rooms = { room };
        return event;
    }

    static ServerEvent invalid(const QString &why)
    {
        ServerEvent event;
        event.text = why;
        return event;
    }
};
