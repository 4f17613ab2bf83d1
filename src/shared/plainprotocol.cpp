#include "plainprotocol.h"

#include "textsanitizer.h"

#include <limits>

namespace {

// A line that holds right-to-left letters starts with U+200E LEFT-TO-RIGHT MARK: a terminal that
// lays out bidirectional text (UAX #9) then takes the line as left-to-right, whatever the
// first letter of a nick, and keeps the time where it is.
QByteArray line(const QString &text)
{
    QByteArray bytes;
    if (TextSanitizer::hasRightToLeft(text))
        bytes = "\xe2\x80\x8e";
    bytes += text.toUtf8();
    bytes.append('\n');
    return bytes;
}

// Every text of an event, whoever gave it, on its way into a line: clean, and isolated when
// it holds right-to-left letters, so that it cannot reorder the rest of the line.
QString safe(const QString &text)
{
    return TextSanitizer::isolated(TextSanitizer::clean(text));
}

// A message's text as lines: its first line after head, each further one (a multi-line
// message, docs/PROTOCOL.md "Multi-line messages") after more, which is head with '|' for its
// last separator, so that a reader and a script both see the message go on. At most
// ChatLimits::maxMessageLines lines, as every dialect takes them; breaks beyond are spaces.
QByteArray textLines(const QString &head, const QString &more, const QString &text)
{
    if (!text.contains(u'\n'))
        return line(head + safe(text));
    QStringList lines = text.split(u'\n');
    if (lines.size() > ChatLimits::maxMessageLines)
        lines[ChatLimits::maxMessageLines - 1] =
                lines.mid(ChatLimits::maxMessageLines - 1).join(u'\n'); // safe() makes them spaces
    QByteArray out;
    for (qsizetype i = 0; i < lines.size() && i < ChatLimits::maxMessageLines; ++i)
        out += line((i == 0 ? head : more) + safe(lines.at(i)));
    return out;
}

} // namespace

QString PlainProtocol::clockTime(const QDateTime &time)
{
    // Converting to local time makes glibc stat /etc/localtime each time: a sixth of the
    // server's time under load went there. Messages of one second share the answer.
    thread_local qint64 cachedSecond = std::numeric_limits<qint64>::min();
    thread_local QString cachedText;
    const qint64 second = time.toSecsSinceEpoch();
    if (second != cachedSecond) {
        cachedText = time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
        cachedSecond = second;
    }
    return cachedText;
}

namespace {

// " #dev" when the room is to be named, else nothing.
QString inRoom(const QString &room, bool markRoom)
{
    return markRoom && !room.isEmpty() ? u' ' + safe(room) : QString();
}

// "alice, bob and 3 more": at most this many names in one line.
constexpr int listedNames = 20;

QString nameList(const QList<OnlineUser> &users)
{
    QStringList names;
    for (qsizetype i = 0; i < users.size() && i < listedNames; ++i)
        names.append(safe(users.at(i).nick));
    QString list = names.join(QStringLiteral(", "));
    if (users.size() > listedNames)
        list += QStringLiteral(" and %1 more").arg(users.size() - listedNames);
    return list;
}

} // namespace

QByteArray PlainProtocol::messageLine(const ChatMessage &message, bool markRoom)
{
    if (message.isPrivate())
        return privateLine(message.time, message.from, message.to, message.text, message.kind);
    const QString stamp = u'[' + clockTime(message.time) + u"] " +
                          (markRoom ? u'[' + safe(message.room) + u"] " : QString());
    if (message.kind == ChatMessage::Kind::Action)
        return textLines(stamp + u"* " + safe(message.from) + u' ',
                         stamp + u"* " + safe(message.from) + u"| ", message.text);
    if (message.kind == ChatMessage::Kind::Notice)
        return textLines(stamp + u'-' + safe(message.from) + u"- ",
                         stamp + u'-' + safe(message.from) + u"-| ", message.text);
    return textLines(stamp + safe(message.from) + u": ", stamp + safe(message.from) + u"| ", message.text);
}

QByteArray PlainProtocol::privateLine(const QDateTime &time, const QString &from, const QString &to,
                                      const QString &text, ChatMessage::Kind kind)
{
    const QString stamp = u'[' + clockTime(time) + u"] (private) ";
    if (kind == ChatMessage::Kind::Action) {
        const QString who = stamp + u"* " + safe(from) + u" -> " + safe(to);
        return textLines(who + u' ', who + u"| ", text);
    }
    const QString who = kind == ChatMessage::Kind::Notice
                                ? QString(stamp + u'-' + safe(from) + u"- -> " + safe(to))
                                : QString(stamp + safe(from) + u" -> " + safe(to));
    return textLines(who + u": ", who + u"| ", text);
}

QByteArray PlainProtocol::encode(const ServerEvent &event, bool markRoom)
{
    using Type = ServerEvent::Type;
    switch (event.type) {
    case Type::Welcome: {
        if (event.passwordRequired) {
            return noticeLine(
                    QStringLiteral("welcome to groupchat, you are %1; this server needs a password: "
                                   "/pass SECRET")
                            .arg(safe(event.nick)));
        }
        QByteArray lines =
                noticeLine(QStringLiteral("welcome to groupchat, you are %1; %2 online; /help lists commands")
                                   .arg(safe(event.nick))
                                   .arg(event.online));
        for (const ChatMessage &message : event.history)
            lines += messageLine(message);
        return lines;
    }
    case Type::Message:
        return messageLine(event.message, markRoom);
    case Type::Private:
        return privateLine(event.time, event.from, event.to, event.text, event.message.kind);
    case Type::Join:
        if (event.text.isEmpty())
            return noticeLine(safe(event.nick) + u" joined" + inRoom(event.room, markRoom));
        return noticeLine(safe(event.nick) + u" joined" + inRoom(event.room, markRoom) + u" (on " +
                          safe(event.text) + u')');
    case Type::Part:
        return noticeLine(safe(event.nick) + u" left " + safe(event.room) +
                          (event.text.isEmpty() ? QString() : u" (" + safe(event.text) + u')'));
    case Type::Topic:
        if (event.text.isEmpty())
            return noticeLine(safe(event.nick) + u" cleared the topic of " + safe(event.room));
        return noticeLine(safe(event.nick) + u" set the topic of " + safe(event.room) + u": " +
                          safe(event.text));
    case Type::RoomList: {
        QByteArray lines = noticeLine(QStringLiteral("%1 room(s):").arg(event.rooms.size()));
        for (const RoomInfo &room : event.rooms)
            lines += noticeLine(u"  " + safe(room.name) + QStringLiteral(", %1 here").arg(room.online) +
                                (room.topic.isEmpty() ? QString() : u": " + safe(room.topic)));
        if (!event.text.isEmpty())
            lines += noticeLine(u"  " + event.text);
        return lines;
    }
    case Type::RoomState: {
        if (event.rooms.isEmpty())
            break;
        const RoomInfo &room = event.rooms.constFirst();
        QString text = QStringLiteral("you are in %1 now, %2 here").arg(safe(room.name)).arg(room.online);
        if (room.presenceLive && !room.users.isEmpty())
            text += u": " + nameList(room.users);
        QByteArray lines = noticeLine(text);
        if (!room.topic.isEmpty())
            lines += noticeLine(u"topic of " + safe(room.name) + u": " + safe(room.topic));
        return lines;
    }
    case Type::Leave:
        return noticeLine(safe(event.nick) + u" left (" + safe(event.text) + u')');
    case Type::Nick:
        return noticeLine(safe(event.oldNick) + u" is now known as " + safe(event.newNick));
    case Type::Notice:
        if (event.from == u"admin") {
            // A client in several rooms is told which one a room's notice is for.
            if (markRoom && !event.room.isEmpty())
                return noticeLine(u"notice from the admin to " + safe(event.room) + u": " + safe(event.text));
            return noticeLine(u"notice from the admin: " + safe(event.text));
        }
        return noticeLine(event.text);
    case Type::Error:
        return errorLine(event.text);
    case Type::Shutdown:
        return noticeLine(event.text);
    case Type::Presence:
        if (event.presenceLive)
            return noticeLine(
                    QStringLiteral("joins, leaves and nick changes are announced again (%1 online%2)")
                            .arg(event.online)
                            .arg(markRoom && !event.room.isEmpty() ? u" in " + safe(event.room) : QString()));
        return noticeLine(
                QStringLiteral(
                        "%1 online%2: joins, leaves and nick changes are no longer announced; /who lists "
                        "everyone")
                        .arg(event.online)
                        .arg(markRoom && !event.room.isEmpty() ? u" in " + safe(event.room) : QString()));
    case Type::CaughtUp:
    case Type::Status:
        return noticeLine(event.text);
    case Type::History: {
        QByteArray lines;
        for (const ChatMessage &message : event.history)
            lines += messageLine(message, markRoom);
        return lines;
    }
    case Type::Ping:
        // Any line answers it.
        return noticeLine(QStringLiteral("ping"));
    case Type::Pong:
    case Type::Invalid:
    case Type::SearchResults: // JSON's alone
    case Type::Sent:
        break;
    }
    return QByteArray();
}

QByteArray PlainProtocol::noticeLine(const QString &text)
{
    // Composed already (its nicks and reasons isolated where they were put in).
    return line(u"* " + TextSanitizer::clean(text));
}

QByteArray PlainProtocol::errorLine(const QString &text)
{
    return line(u"! " + TextSanitizer::clean(text));
}
