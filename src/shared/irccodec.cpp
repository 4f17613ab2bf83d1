#include "irccodec.h"

#include "textcut.h"
#include "textsanitizer.h"

#include <array>
#include <memory>

namespace {

// The numerics this codec writes (RFC 2812 section 5, the Modern document's names).
enum Numeric {
    RPL_LIST = 322,
    RPL_LISTEND = 323,
    RPL_TOPIC = 332,
    RPL_TOPICWHOTIME = 333,
    RPL_NAMREPLY = 353,
    RPL_ENDOFNAMES = 366,
    ERR_NOSUCHNICK = 401,
    ERR_NOSUCHCHANNEL = 403,
    ERR_CANNOTSENDTOCHAN = 404,
    ERR_TOOMANYCHANNELS = 405,
    ERR_INPUTTOOLONG = 417,
    ERR_ERRONEUSNICKNAME = 432,
    ERR_NICKNAMEINUSE = 433,
    ERR_NOTONCHANNEL = 442,
    ERR_PASSWDMISMATCH = 464,
    ERR_CHANNELISFULL = 471,
};

// serverName(): written before serving (setServerName), read by every codec afterwards.
QString &configuredServerName()
{
    static QString name = IrcCodec::defaultServerName();
    return name;
}

} // namespace

QString IrcCodec::serverName()
{
    return configuredServerName();
}

bool IrcCodec::setServerName(const QString &name)
{
    if (!isServerName(name))
        return false;
    configuredServerName() = name;
    return true;
}

bool IrcCodec::isServerName(const QString &name)
{
    if (name.isEmpty() || name.size() > 63)
        return false;
    for (const QString &label : name.split(u'.')) {
        if (label.isEmpty() || label.startsWith(u'-') || label.endsWith(u'-'))
            return false;
        for (const QChar c : label) {
            if (c.unicode() > 127 || !(c.isLetterOrNumber() || c == u'-'))
                return false;
        }
    }
    return true;
}

QString IrcCodec::userNameFor(const QString &given)
{
    QString kept;
    for (const QChar c : given) {
        if (kept.size() == maxUserLength)
            break;
        if (c.unicode() < 128 && (c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_'))
            kept.append(c);
    }
    return kept.isEmpty() ? userName() : u'~' + kept;
}

IrcCodec::IrcCodec(int slot, unsigned caps)
    : WireCodec(slot, 2, nullptr, (caps & EchoMessage) != 0), m_caps(caps)
{ }

const IrcCodec &IrcCodec::forCaps(unsigned caps)
{
    // Slots 4-11: what a broadcast looks like depends on server-time, message-tags and
    // draft/multiline (with batch) only.
    static const std::array<std::unique_ptr<const IrcCodec>, AllCaps + 1> codecs = [] {
        std::array<std::unique_ptr<const IrcCodec>, AllCaps + 1> made;
        for (unsigned i = 0; i <= AllCaps; ++i) {
            const bool multiline = (i & Multiline) && (i & Batch);
            made[i].reset(new IrcCodec(4 + int(i & (ServerTime | MessageTags)) + (multiline ? 4 : 0), i));
        }
        return made;
    }();
    return *codecs[caps & AllCaps];
}

std::optional<ChatCommand> IrcCodec::decode(QByteArrayView line) const
{
    if (line.trimmed().isEmpty())
        return std::nullopt;
    // The limits of message-tags: a client's tags (with '@' and their space) at most
    // maxClientTagBytes, the rest at most maxLineBytes with its CR LF.
    const qsizetype tagBytes = line.startsWith('@') ? line.indexOf(' ') + 1 : 0;
    // Tags and nothing after them: no command (as the parser says), not a long line.
    if (tagBytes == 0 && line.startsWith('@') && line.size() <= maxClientTagBytes)
        return ChatCommand::invalid(ErrorCode::Malformed, QStringLiteral("no command"));
    if (tagBytes > maxClientTagBytes || (tagBytes == 0 && line.startsWith('@')) ||
        line.size() - tagBytes > maxLineBytes - 2) {
        ChatCommand tooLong;
        tooLong.type = ChatCommand::Type::TooLong;
        // A line of a client batch that is too long ends that batch (the handler says so):
        // its tags, when they are within their limit, say which batch it was.
        if (tagBytes > 0 && tagBytes <= maxClientTagBytes) {
            QByteArray tagsOnly = line.first(tagBytes).toByteArray();
            tagsOnly += 'X'; // a command for the parser; only the tags are read
            if (const std::optional<IrcMessage> tags = IrcMessage::parse(tagsOnly))
                tooLong.batch = tags->tag(u"batch").value_or(QString());
        }
        return tooLong;
    }
    QString error;
    std::optional<IrcMessage> message = IrcMessage::parse(line, &error);
    if (!message)
        return ChatCommand::invalid(ErrorCode::Malformed, error);
    ChatCommand command;
    if (message->validUtf8) {
        command.type = ChatCommand::Type::Dialect;
        command.params = std::move(message->params);
    } else {
        // Nothing of it goes anywhere (IRCv3 UTF8ONLY, which RPL_ISUPPORT announces).
        command = ChatCommand::invalid(ErrorCode::BadField, QStringLiteral("not UTF-8"));
    }
    command.target = std::move(message->command);
    if (const std::optional<QString> label = message->tag(u"label"))
        command.label = *label;
    if (const std::optional<QString> batch = message->tag(u"batch"))
        command.batch = batch->isEmpty() ? QStringLiteral("-") : *batch; // a tag without a name: no batch's
    if (const std::optional<QString> concat = message->tag(multilineConcatTag())) {
        command.concat = true;
        command.concatHasValue = !concat->isEmpty();
    }
    // Client-only tags ('+' keys) are passed on, escaped again as they came; the others are
    // the server's to set and are not (IRCv3 message-tags, "Client-only tags").
    for (const auto &[key, value] : std::as_const(message->tags)) {
        if (!key.startsWith(u'+') || key.size() < 2)
            continue;
        if (!command.clientTags.isEmpty())
            command.clientTags += u';';
        command.clientTags += key;
        if (!value.isEmpty())
            command.clientTags += u'=' + IrcMessage::escapeTagValue(value);
    }
    return command;
}

bool IrcCodec::startsRegistration(QByteArrayView line)
{
    const std::optional<IrcMessage> message = IrcMessage::parse(line);
    // The command first and in capitals, as IRC clients send it: "user error again" or "Pass me
    // the logs" is a person's first line of chat.
    if (!message || !line.trimmed().startsWith(message->command.toLatin1()))
        return false;
    const QString &command = message->command;
    const QStringList &params = message->params;
    if (command == u"CAP")
        return !params.isEmpty() &&
               (params.at(0) == u"LS" || params.at(0) == u"REQ" || params.at(0) == u"END");
    if (command == u"NICK" || command == u"PASS")
        return params.size() == 1;
    return command == u"USER" && params.size() == 4;
}

QString IrcCodec::source(const QString &nick)
{
    return nick + u'!' + userName() + u'@' + hostName();
}

QByteArray IrcCodec::line(const QString &source, const QString &command, const QStringList &params)
{
    IrcMessage message;
    message.source = source;
    message.command = command;
    message.params = params;
    return message.toLine();
}

QByteArray IrcCodec::numeric(int code, const QString &recipient, const QStringList &params)
{
    return line(serverName(), QStringLiteral("%1").arg(code, 3, 10, QLatin1Char('0')),
                QStringList{ recipient } + params);
}

QString IrcCodec::timeTag(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QByteArray IrcCodec::eventTags(const QDateTime &time) const
{
    if (!(m_caps & ServerTime) || !time.isValid())
        return QByteArray();
    return "@time=" + timeTag(time).toLatin1() + ' ';
}

QByteArray IrcCodec::messageLines(const ChatMessage &message, const QString &target, unsigned caps,
                                  const QString &batch)
{
    const bool action = message.kind == ChatMessage::Kind::Action;
    const QByteArray sender = ':' + source(message.from).toUtf8();
    const QByteArray head = sender + (message.kind == ChatMessage::Kind::Notice ? " NOTICE " : " PRIVMSG ") +
                            target.toUtf8() + " :";
    // What one line leaves for the text: the line limit without CR LF, the head and a CTCP
    // ACTION's "\1ACTION " and "\1".
    const qsizetype room = qMax<qsizetype>(maxLineBytes - 2 - head.size() - (action ? 9 : 0), 4);

    // The lines, each with whether it continues the one before without a line break.
    struct Part
    {
        QString text;
        bool concat;
    };
    QList<Part> parts;
    const QString &text = message.text;
    qsizetype nextConcat = 0; // index into concatAt
    for (qsizetype start = 0; start <= text.size();) {
        qsizetype end = text.indexOf(u'\n', start);
        if (end < 0)
            end = text.size();
        // Within a line, where the sender began a line with draft/multiline-concat.
        bool concat = false;
        for (qsizetype at = start; at <= end;) {
            while (nextConcat < message.concatAt.size() && message.concatAt.at(nextConcat) <= at)
                ++nextConcat;
            const qsizetype stop =
                    nextConcat < message.concatAt.size() && message.concatAt.at(nextConcat) < end
                            ? message.concatAt.at(nextConcat)
                            : end;
            QString rest = text.mid(at, stop - at);
            // Every pass takes at least one character, so this ends within the line.
            bool first = true;
            while (first || !rest.isEmpty()) {
                QString part = TextCut::leftUtf8(rest, room);
                if (part.isEmpty() && !rest.isEmpty())
                    part = TextCut::left(rest, 1); // one character larger than a line: sent whole
                rest.remove(0, part.size());
                parts.append({ part, concat || !first });
                first = false;
            }
            concat = true;
            if (stop == end)
                break;
            at = stop;
        }
        start = end + 1;
    }

    const QByteArray batchTag =
            batch.isEmpty() ? QByteArray() : "batch=" + IrcMessage::escapeTagValue(batch).toUtf8();
    const QByteArray time = (caps & ServerTime) && message.time.isValid()
                                    ? "time=" + timeTag(message.time).toLatin1()
                                    : QByteArray();
    const QByteArray msgidTag = (caps & MessageTags) && message.id != 0
                                        ? "msgid=" + QByteArray::number(message.id)
                                        : QByteArray();
    // Its sender's client-only tags, to those who negotiated message-tags only.
    const QByteArray clientTags = (caps & MessageTags) ? message.clientTags.toUtf8() : QByteArray();
    const auto tagged = [](std::initializer_list<QByteArray> tags) {
        QByteArray out;
        for (const QByteArray &tag : tags) {
            if (tag.isEmpty())
                continue;
            out += out.isEmpty() ? '@' : ';';
            out += tag;
        }
        return out.isEmpty() ? out : out + ' ';
    };
    // A line of the message; an action's opens with "\1ACTION " and closes with "\1" where
    // opens and closes say.
    const auto body = [&](const QString &part, bool opens = true, bool closes = true) -> QByteArray {
        return head +
               (action && opens ? QByteArrayLiteral("\x01"
                                                    "ACTION ")
                                : QByteArray()) +
               part.toUtf8() + (action && closes ? QByteArrayLiteral("\x01") : QByteArray()) + "\r\n";
    };

    QByteArray out;
    if ((caps & Multiline) && (caps & Batch) && parts.size() > 1) {
        const QByteArray reference = "ml" + QByteArray::number(message.id);
        out += tagged({ batchTag, time, msgidTag, clientTags }) + sender + " BATCH +" + reference + ' ' +
               multilineName().toLatin1() + ' ' + target.toUtf8() + "\r\n";
        // The batch is one message, so an action is one CTCP ACTION over its lines: the
        // first opens it, the last closes it (what a client joining the lines reads).
        for (qsizetype i = 0; i < parts.size(); ++i)
            out += tagged({ "batch=" + reference,
                            parts.at(i).concat ? multilineConcatTag().toLatin1() : QByteArray() }) +
                   body(parts.at(i).text, i == 0, i == parts.size() - 1);
        out += tagged({ batchTag }) + sender + " BATCH -" + reference + "\r\n";
        return out;
    }
    bool first = true;
    for (const Part &part : std::as_const(parts)) {
        // IRC clients without draft/multiline get no blank lines (the specification's
        // fallback); a message is never blank as a whole.
        if (parts.size() > 1 && TextSanitizer::isBlank(part.text))
            continue;
        out += tagged({ batchTag, time, first ? msgidTag : QByteArray(), clientTags }) + body(part.text);
        first = false;
    }
    return out;
}

QByteArray IrcCodec::encode(const ServerEvent &event) const
{
    using Type = ServerEvent::Type;
    switch (event.type) {
    case Type::Message:
        return messageLines(event.message, event.message.room, m_caps);
    case Type::Private:
        return messageLines(event.message, event.to, m_caps);
    case Type::Join:
        return eventTags(event.time) + line(source(event.nick), QStringLiteral("JOIN"), { event.room });
    case Type::Leave:
        return eventTags(event.time) + line(source(event.nick), QStringLiteral("QUIT"), { event.text });
    case Type::Part: {
        // The admin's kick out of one room: IRC's KICK, by the server.
        if (event.from == u"admin")
            return eventTags(event.time) +
                   line(serverName(), QStringLiteral("KICK"), { event.room, event.nick, event.text });
        QStringList params{ event.room };
        if (!event.text.isEmpty())
            params.append(event.text);
        return eventTags(event.time) + line(source(event.nick), QStringLiteral("PART"), params);
    }
    case Type::Nick:
        return eventTags(event.time) + line(source(event.oldNick), QStringLiteral("NICK"), { event.newNick });
    case Type::Topic:
        return eventTags(event.time) +
               line(source(event.nick), QStringLiteral("TOPIC"), { event.room, event.text });
    case Type::Notice: {
        // From the admin, said so: a server's notice is the server's own otherwise.
        const QString text = event.from == u"admin" ? u"admin: " + event.text : event.text;
        return eventTags(event.time) +
               line(serverName(), QStringLiteral("NOTICE"),
                    { event.room.isEmpty() ? QStringLiteral("*") : event.room, text });
    }
    case Type::Shutdown:
        return line(QString(), QStringLiteral("ERROR"), { u"Closing Link: " + event.text });
    case Type::Ping:
        return line(QString(), QStringLiteral("PING"), { serverName() });
    case Type::Invalid:
    case Type::Welcome:
    case Type::Error:
    case Type::Pong:
    case Type::Presence:
    case Type::History:
    case Type::SearchResults:
    case Type::CaughtUp:
    case Type::Sent:
    case Type::Status: // to each client by its nick (encodeFor)
    case Type::RoomList:
    case Type::RoomState:
        break;
    }
    return QByteArray();
}

QByteArray IrcCodec::encodeFor(const ServerEvent &event, const QString &recipient) const
{
    using Type = ServerEvent::Type;
    const QString me = recipient.isEmpty() ? QStringLiteral("*") : recipient;
    switch (event.type) {
    case Type::Message:
        if (!(m_caps & EchoMessage) && event.message.from == recipient)
            return QByteArray();
        return encode(event);
    case Type::Private:
        if (!(m_caps & EchoMessage) && event.from == recipient && event.to != recipient)
            return QByteArray();
        return encode(event);
    case Type::Notice:
        if (event.room.isEmpty()) {
            const QString text = event.from == u"admin" ? u"admin: " + event.text : event.text;
            return eventTags(event.time) + line(serverName(), QStringLiteral("NOTICE"), { me, text });
        }
        return encode(event);
    case Type::Error:
        return errorLines(event, me);
    case Type::RoomState:
        return roomState(event, me);
    case Type::History:
        return replay(event, me);
    case Type::RoomList: {
        QByteArray out;
        for (const RoomInfo &room : event.rooms)
            out += numeric(RPL_LIST, me, { room.name, QString::number(room.online), room.topic });
        return out + numeric(RPL_LISTEND, me, { QStringLiteral("End of /LIST") });
    }
    case Type::CaughtUp:
        return line(
                serverName(), QStringLiteral("NOTICE"),
                { me,
                  QStringLiteral("you fell behind the chat: %1 messages were skipped").arg(event.missed) });
    case Type::Status:
        return eventTags(event.time) + line(serverName(), QStringLiteral("NOTICE"), { me, event.text });
    case Type::Welcome:
    case Type::Pong:
    case Type::Presence:
    case Type::SearchResults: // JSON's alone
    case Type::Sent:
        return QByteArray();
    case Type::Invalid:
    case Type::Join:
    case Type::Leave:
    case Type::Part:
    case Type::Nick:
    case Type::Topic:
    case Type::Shutdown:
    case Type::Ping:
        break;
    }
    return encode(event);
}

QByteArray IrcCodec::errorLines(const ServerEvent &event, const QString &me) const
{
    const QString room = event.room;
    switch (event.code) {
    case ErrorCode::NoSuchNick:
        return numeric(ERR_NOSUCHNICK, me, { event.nick, QStringLiteral("No such nick/channel") });
    case ErrorCode::InvalidRoom:
    case ErrorCode::NoSuchRoom:
        return numeric(ERR_NOSUCHCHANNEL, me, { room, event.text });
    case ErrorCode::NotInRoom:
        return numeric(ERR_NOTONCHANNEL, me, { room, QStringLiteral("You're not on that channel") });
    case ErrorCode::NoRoom:
        return numeric(ERR_CANNOTSENDTOCHAN, me, { QStringLiteral("*"), event.text });
    case ErrorCode::TooManyRooms:
        return numeric(ERR_TOOMANYCHANNELS, me, { room, event.text });
    case ErrorCode::RoomFull:
        return numeric(ERR_CHANNELISFULL, me, { room, event.text });
    case ErrorCode::InvalidNick:
        return numeric(ERR_ERRONEUSNICKNAME, me, { event.nick.isEmpty() ? me : event.nick, event.text });
    case ErrorCode::NickTaken:
        return numeric(ERR_NICKNAMEINUSE, me, { event.nick, QStringLiteral("Nickname is already in use") });
    case ErrorCode::LineTooLong:
        return numeric(ERR_INPUTTOOLONG, me, { QStringLiteral("Input line was too long") });
    case ErrorCode::PasswordRequired:
        return numeric(ERR_PASSWDMISMATCH, me, { QStringLiteral("Password required") });
    case ErrorCode::BadPassword:
        return numeric(ERR_PASSWDMISMATCH, me, { QStringLiteral("Password incorrect") }) +
               line(QString(), QStringLiteral("ERROR"), { QStringLiteral("Closing Link: wrong password") });
    case ErrorCode::Kicked:
    case ErrorCode::Banned:
    case ErrorCode::ExcessFlood:
    case ErrorCode::Timeout:
        // The connection ends after this: IRC's last word.
        return line(QString(), QStringLiteral("ERROR"), { u"Closing Link: " + event.text });
    case ErrorCode::None:
    case ErrorCode::Unknown:
    case ErrorCode::Malformed:
    case ErrorCode::UnknownType:
    case ErrorCode::BadField:
    case ErrorCode::UnexpectedHello:
    case ErrorCode::UnsupportedVersion:
    case ErrorCode::Usage:
    case ErrorCode::UnknownCommand:
    case ErrorCode::TargetLagging:
    case ErrorCode::TopicTooLong:
    case ErrorCode::RoomRefused:
    case ErrorCode::Unavailable:
    case ErrorCode::Lagging:
        break;
    }
    // No numeric says it better: the server's words, as a notice.
    return line(serverName(), QStringLiteral("NOTICE"), { me, event.text });
}

QByteArray IrcCodec::roomState(const ServerEvent &event, const QString &me) const
{
    if (event.rooms.isEmpty())
        return QByteArray();
    const RoomInfo &room = event.rooms.constFirst();
    QByteArray out;
    if (!room.topic.isEmpty()) {
        out += numeric(RPL_TOPIC, me, { room.name, room.topic });
        out += numeric(RPL_TOPICWHOTIME, me,
                       { room.name, room.topicBy.isEmpty() ? serverName() : room.topicBy,
                         QString::number(room.topicTime.isValid() ? room.topicTime.toSecsSinceEpoch() : 0) });
    }
    // RPL_NAMREPLY lines of as many names as fit a line; "=" for a public channel.
    const QByteArray head =
            numeric(RPL_NAMREPLY, me, { QStringLiteral("="), room.name, QStringLiteral("x y") });
    const qsizetype budget = maxLineBytes - (head.size() - 3); // the head without "x y" (CR LF kept)
    QString names;
    qsizetype namesBytes = 0; // names as UTF-8, counted as they are added (a room may be large)
    for (const OnlineUser &user : room.users) {
        const qsizetype nickBytes = user.nick.toUtf8().size();
        if (!names.isEmpty() && namesBytes + 1 + nickBytes > budget) {
            out += numeric(RPL_NAMREPLY, me, { QStringLiteral("="), room.name, names });
            names.clear();
            namesBytes = 0;
        }
        namesBytes += (names.isEmpty() ? 0 : 1) + nickBytes;
        names += names.isEmpty() ? user.nick : u' ' + user.nick;
    }
    if (!names.isEmpty())
        out += numeric(RPL_NAMREPLY, me, { QStringLiteral("="), room.name, names });
    return out + numeric(RPL_ENDOFNAMES, me, { room.name, QStringLiteral("End of /NAMES list") });
}

QByteArray IrcCodec::replay(const ServerEvent &event, const QString &me) const
{
    Q_UNUSED(me);
    // Without server-time a replayed message would read as said now; with chathistory the
    // client asks for what it wants itself.
    if (!(m_caps & ServerTime) || (m_caps & ChatHistory) || event.history.isEmpty())
        return QByteArray();
    const QString batch =
            (m_caps & Batch) ? u"replay" + QString::number(event.history.constFirst().id) : QString();
    QByteArray out;
    if (!batch.isEmpty())
        out += line(serverName(), QStringLiteral("BATCH"),
                    { u'+' + batch, QStringLiteral("chathistory"), event.room.isEmpty() ? me : event.room });
    for (const ChatMessage &message : event.history)
        out += messageLines(message, message.isPrivate() ? message.to : message.room, m_caps, batch);
    if (!batch.isEmpty())
        out += line(serverName(), QStringLiteral("BATCH"), { u'-' + batch });
    return out;
}
