#pragma once

#include "chatcommand.h"
#include "serverevent.h"

#include <QByteArray>
#include <QByteArrayView>

// The structured dialect (docs/PROTOCOL.md): one compact JSON object per line, UTF-8, in both
// directions. The server is strict about what it accepts; the client is lenient (it ignores
// fields it does not know) so that servers can grow.
class JsonProtocol
{
public:
    // The version this code speaks; a server also serves clients of every version from
    // oldestVersion on (version 1 knows one room, docs/PROTOCOL.md).
    static constexpr int version = 2;
    static constexpr int oldestVersion = 1;

    // A request as a client sends it, newline included. Say, Action, Private, Nick, Quit,
    // Hello, Ping, History, Join, Part, Topic and Rooms have JSON forms; the others are handled
    // by the client itself.
    static QByteArray encode(const ChatCommand &command);
    // What the server makes of a request line. Anything it cannot accept comes back as
    // ChatCommand::Type::Invalid with an error code and the reason.
    static ChatCommand decodeCommand(QByteArrayView line);
    // True when line looks like the hello that switches a connection to this dialect.
    static bool isHello(QByteArrayView line);

    // An event as the server sends it, newline included.
    static QByteArray encode(const ServerEvent &event);
    // Whether a client that said hello with version 1 is sent events of this type (the types
    // version 2 added are not: a version-1 client is in the default room only).
    static bool knownToVersion1(ServerEvent::Type type);
    // What the client makes of a line from the server; ServerEvent::Type::Invalid (with the
    // reason in text) for anything else.
    static ServerEvent decodeEvent(QByteArrayView line);

    // ISO 8601 in UTC with milliseconds: 2026-11-25T13:14:15.123Z
    static QString timeText(const QDateTime &time);
    static QDateTime parseTime(const QString &text);
};
