#pragma once

#include "chatmessage.h"
#include "serverevent.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>

// The plain-text dialect spoken to nc, telnet and scripts (docs/PROTOCOL.md): what the server
// sends, byte for byte, and how text from the wire is made safe to show.
class PlainProtocol
{
public:
    // Decodes UTF-8 (invalid sequences become U+FFFD) and removes NUL and every other
    // control character but tab, so that no peer can drive another's terminal.
    static QString sanitize(QByteArrayView utf8);
    // The same for text that is already decoded.
    static QString removeControls(const QString &text);

    // An event as plain-mode lines (a welcome is the greeting followed by the history);
    // empty for events plain mode does not show.
    static QByteArray encode(const ServerEvent &event);

    // "[HH:MM:SS] nick: text" or, for an action, "[HH:MM:SS] * nick text"; local time.
    static QByteArray messageLine(const ChatMessage &message);
    // "[HH:MM:SS] (private) from -> to: text"
    static QByteArray privateLine(const QDateTime &time, const QString &from, const QString &to,
                                  const QString &text);
    // "* text": anything the server says.
    static QByteArray noticeLine(const QString &text);
    // "! text": a request was refused.
    static QByteArray errorLine(const QString &text);

    // "HH:MM:SS" in the server's local time.
    static QString clockTime(const QDateTime &time);
};
