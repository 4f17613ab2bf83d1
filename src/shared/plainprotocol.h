#pragma once

#include "chatmessage.h"
#include "serverevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>

// The plain-text dialect spoken to nc, telnet and scripts (docs/PROTOCOL.md): what the server
// sends, byte for byte. Every text of an event passes TextSanitizer::clean on its way into a
// line, so whatever a peer managed to put into one, a line stays one line.
class PlainProtocol
{
public:
    // An event as plain-mode lines (a welcome is the greeting followed by the history);
    // empty for events plain mode does not show. markRoom: the client is in more than one
    // room, so messages and presence name theirs.
    static QByteArray encode(const ServerEvent &event, bool markRoom = false);

    // "[HH:MM:SS] nick: text" or, for an action, "[HH:MM:SS] * nick text"; local time. With
    // markRoom the room follows the time: "[HH:MM:SS] [#dev] nick: text". A private message
    // is a privateLine().
    static QByteArray messageLine(const ChatMessage &message, bool markRoom = false);
    // "[HH:MM:SS] (private) from -> to: text"; an action "[HH:MM:SS] (private) * from -> to text".
    static QByteArray privateLine(const QDateTime &time, const QString &from, const QString &to,
                                  const QString &text, ChatMessage::Kind kind = ChatMessage::Kind::Say);
    // "* text": anything the server says.
    static QByteArray noticeLine(const QString &text);
    // "! text": a request was refused.
    static QByteArray errorLine(const QString &text);

    // "HH:MM:SS" in the server's local time.
    static QString clockTime(const QDateTime &time);
};
