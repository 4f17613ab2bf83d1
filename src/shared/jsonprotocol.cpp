#include "jsonprotocol.h"

#include "chatlimits.h"
#include "jsonstructure.h"
#include "textsanitizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <initializer_list>

namespace {

// A message's text without the blank lines before its first line and after its last that show
// something: a script's "hello\n" is the one line "hello" for everyone (a plain client would
// get an empty line, an IRC client a batch), and blank lines inside are kept.
QString withoutBlankEnds(const QString &text)
{
    if (!text.contains(u'\n'))
        return text;
    QStringList lines = text.split(u'\n');
    while (lines.size() > 1 && TextSanitizer::isBlank(lines.constLast()))
        lines.removeLast();
    while (lines.size() > 1 && TextSanitizer::isBlank(lines.constFirst()))
        lines.removeFirst();
    return lines.join(u'\n');
}

// Writes one JSON object with its keys in the order given: "type" first reads better in a
// log or a terminal than QJsonObject's alphabetical order, and skipping QJsonObject saves
// the server an allocation per key on its hottest path.
class JsonWriter
{
public:
    JsonWriter() { m_out.append('{'); }

    // Every text passes the sanitiser: whatever a peer put into it, no control, line break or
    // unbalanced bidirectional control leaves in a line of ours.
    JsonWriter &add(const char *key, const QString &value)
    {
        appendKey(key);
        appendString(TextSanitizer::clean(value));
        return *this;
    }
    // A message's text, which may hold line feeds: each of its lines sanitised
    // (TextSanitizer::cleanLines); a JSON string keeps them escaped, in one line of ours.
    JsonWriter &addLines(const char *key, const QString &value)
    {
        appendKey(key);
        appendString(TextSanitizer::cleanLines(value));
        return *this;
    }
    // A secret (a token, a password) exactly as it is: it is compared, never shown.
    JsonWriter &addVerbatim(const char *key, const QString &value)
    {
        appendKey(key);
        appendString(value);
        return *this;
    }
    JsonWriter &add(const char *key, quint64 value)
    {
        appendKey(key);
        m_out.append(QByteArray::number(value));
        return *this;
    }
    JsonWriter &add(const char *key, int value)
    {
        appendKey(key);
        m_out.append(QByteArray::number(value));
        return *this;
    }
    JsonWriter &add(const char *key, bool value)
    {
        appendKey(key);
        m_out.append(value ? "true" : "false");
        return *this;
    }
    // value is already JSON (a nested object or array).
    JsonWriter &addJson(const char *key, const QByteArray &value)
    {
        appendKey(key);
        m_out.append(value);
        return *this;
    }

    // A JSON string, sanitised, on its own (for arrays of strings).
    static QByteArray stringValue(const QString &value)
    {
        JsonWriter writer;
        writer.appendString(TextSanitizer::clean(value));
        return writer.m_out.mid(1);
    }

    QByteArray object()
    {
        m_out.append('}');
        return m_out;
    }
    QByteArray line()
    {
        m_out.append("}\n");
        return m_out;
    }

private:
    void appendKey(const char *key)
    {
        if (!m_first)
            m_out.append(',');
        m_first = false;
        m_out.append('"').append(key).append("\":");
    }

    void appendString(const QString &value)
    {
        static const char hex[] = "0123456789abcdef";
        const QByteArray utf8 = value.toUtf8();
        m_out.reserve(m_out.size() + utf8.size() + 2);
        m_out.append('"');
        for (const char c : utf8) {
            const auto byte = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
                m_out.append('\\').append(c);
            } else if (byte < 0x20) {
                switch (c) {
                case '\n':
                    m_out.append("\\n");
                    break;
                case '\r':
                    m_out.append("\\r");
                    break;
                case '\t':
                    m_out.append("\\t");
                    break;
                default:
                    m_out.append("\\u00").append(hex[byte >> 4]).append(hex[byte & 0xf]);
                }
            } else {
                m_out.append(c);
            }
        }
        m_out.append('"');
    }

    QByteArray m_out;
    bool m_first = true;
};

QByteArray messageObject(const ChatMessage &message)
{
    JsonWriter writer;
    writer.add("type", QStringLiteral("message"))
            .add("id", message.id)
            .add("time", JsonProtocol::timeText(message.time))
            .add("from", message.from)
            .addLines("text", message.text)
            .add("kind", ChatMessage::kindWord(message.kind));
    // A room's message names the room; a private one (only in a history) whom it was for.
    if (message.isPrivate())
        writer.add("to", message.to);
    else
        writer.add("room", message.room);
    if (!message.clientId.isEmpty())
        writer.add("cid", message.clientId);
    return writer.object();
}

// A room with its topic; with its people when listed is true (a welcome, a join), else only
// how many (the list of every room).
QByteArray roomObject(const RoomInfo &room, bool listed);

QByteArray usersArray(const QList<OnlineUser> &list)
{
    QByteArray users("[");
    for (const OnlineUser &user : list) {
        if (users.size() > 1)
            users.append(',');
        JsonWriter writer;
        writer.add("nick", user.nick).add("since", JsonProtocol::timeText(user.since));
        if (!user.server.isEmpty())
            writer.add("server", user.server);
        users.append(writer.object());
    }
    users.append(']');
    return users;
}

QByteArray roomObject(const RoomInfo &room, bool listed)
{
    JsonWriter writer;
    writer.add("name", room.name).add("online", room.online).add("topic", room.topic);
    if (!room.topic.isEmpty()) {
        writer.add("topicBy", room.topicBy);
        if (room.topicTime.isValid())
            writer.add("topicTime", JsonProtocol::timeText(room.topicTime));
    }
    if (listed) {
        writer.add("live", room.presenceLive);
        if (room.presenceLive)
            writer.addJson("users", usersArray(room.users));
    }
    return writer.object();
}

QByteArray roomsArray(const QList<RoomInfo> &rooms, bool listed)
{
    QByteArray array("[");
    for (const RoomInfo &room : rooms) {
        if (array.size() > 1)
            array.append(',');
        array.append(roomObject(room, listed));
    }
    array.append(']');
    return array;
}

QList<OnlineUser> decodeUsers(const QJsonArray &array)
{
    QList<OnlineUser> users;
    for (const QJsonValue &user : array) {
        const QJsonObject o = user.toObject();
        users.append({ TextSanitizer::clean(o.value(u"nick").toString()),
                       JsonProtocol::parseTime(o.value(u"since").toString()),
                       TextSanitizer::clean(o.value(u"server").toString()) });
    }
    return users;
}

QList<RoomInfo> decodeRooms(const QJsonArray &array)
{
    QList<RoomInfo> rooms;
    for (const QJsonValue &value : array) {
        const QJsonObject o = value.toObject();
        RoomInfo room;
        room.name = TextSanitizer::clean(o.value(u"name").toString());
        room.topic = TextSanitizer::clean(o.value(u"topic").toString());
        room.topicBy = TextSanitizer::clean(o.value(u"topicBy").toString());
        room.topicTime = JsonProtocol::parseTime(o.value(u"topicTime").toString());
        room.online = o.value(u"online").toInt();
        room.presenceLive = o.value(u"live").toBool(true);
        room.users = decodeUsers(o.value(u"users").toArray());
        rooms.append(room);
    }
    return rooms;
}

QByteArray messagesArray(const QList<ChatMessage> &messages)
{
    QByteArray array("[");
    for (const ChatMessage &message : messages) {
        if (array.size() > 1)
            array.append(',');
        array.append(messageObject(message));
    }
    array.append(']');
    return array;
}

QByteArray welcomeLine(const ServerEvent &event)
{
    const QByteArray users = usersArray(event.users);
    const QByteArray history = messagesArray(event.history);
    const QByteArray limits = JsonWriter()
                                      .add("maxLineBytes", quint64(event.limits.maxLineBytes))
                                      .add("historyLines", event.limits.historyLines)
                                      .add("historyKeep", event.limits.historyKeep)
                                      .add("historyKeepDays", event.limits.historyKeepDays)
                                      .add("maxNickLength", event.limits.maxNickLength)
                                      .add("presenceLimit", event.limits.presenceLimit)
                                      .add("maxRoomsPerClient", event.limits.maxRoomsPerClient)
                                      .add("maxTopicLength", event.limits.maxTopicLength)
                                      .object();
    JsonWriter writer;
    writer.add("type", QStringLiteral("welcome"))
            .add("version", event.version)
            .add("server", event.serverName)
            .add("nick", event.nick)
            .add("token", event.token)
            .add("lastId", event.lastId)
            .add("historyComplete", event.historyComplete)
            .add("online", event.online)
            .add("presenceLive", event.presenceLive)
            .addJson("limits", limits)
            .addJson("users", users);
    if (event.version >= 2) {
        writer.addJson("rooms", roomsArray(event.rooms, true));
        writer.addVerbatim("identity", event.identity);
    }
    return writer.addJson("history", history).line();
}

// Reads the fields of one request strictly: every field must be expected and of its type.
class RequestReader
{
public:
    explicit RequestReader(const QJsonObject &object) : m_object(object) { }

    bool onlyFields(std::initializer_list<const char *> allowed)
    {
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            bool known = false;
            for (const char *name : allowed)
                known = known || it.key() == QLatin1String(name);
            if (!known)
                return fail(QStringLiteral("unknown field %1").arg(TextSanitizer::quoted(it.key())));
        }
        return true;
    }

    // Text fields are sanitised like plain-mode lines (TextSanitizer::clean); secrets are
    // taken as they are.
    // lines: a message's text, whose line feeds are kept (TextSanitizer::cleanLines).
    bool text(const char *name, QString *out, bool required, bool secret = false, bool lines = false)
    {
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (value.isUndefined())
            return !required || fail(QStringLiteral("\"%1\" is missing").arg(QLatin1String(name)));
        if (!value.isString())
            return fail(QStringLiteral("\"%1\" must be a string").arg(QLatin1String(name)));
        // A secret is compared, never shown: taken as it is, but as text a line can carry (an
        // unpaired surrogate, which no UTF-8 line holds, is U+FFFD, as it would be once sent).
        *out = secret  ? QString::fromUtf8(value.toString().toUtf8())
               : lines ? withoutBlankEnds(TextSanitizer::cleanLines(value.toString()))
                       : TextSanitizer::clean(value.toString());
        return true;
    }

    // A name (a room, a nick) that may be left out (unless required), but not given empty.
    bool name(const char *field, QString *out, bool required)
    {
        if (!text(field, out, required))
            return false;
        return !m_object.contains(QLatin1String(field)) || !TextSanitizer::isBlank(*out) ||
               fail(QStringLiteral("\"%1\" must not be empty").arg(QLatin1String(field)));
    }

    bool nonEmptyText(const char *name, QString *out, bool lines = false)
    {
        if (!text(name, out, true, false, lines))
            return false;
        return !TextSanitizer::isBlank(*out) ||
               fail(QStringLiteral("\"%1\" must not be empty").arg(QLatin1String(name)));
    }

    // The optional "cid" of a message (ChatMessage::isValidClientId): taken as it is, since it
    // is compared and echoed, never shown.
    bool clientId(QString *out)
    {
        const QJsonValue value = m_object.value(QLatin1String("cid"));
        if (value.isUndefined())
            return true;
        if (!value.isString() || !ChatMessage::isValidClientId(value.toString()))
            return fail(QStringLiteral("\"cid\" must be 1 to %1 characters of A-Z, a-z, 0-9, - and _")
                                .arg(ChatLimits::maxClientIdLength));
        *out = value.toString();
        return true;
    }

    bool number(const char *name, quint64 *out, bool *present)
    {
        const QJsonValue value = m_object.value(QLatin1String(name));
        *present = !value.isUndefined();
        if (!*present)
            return true;
        // Doubles hold integers exactly up to 2^53; larger "ids" are not ours.
        const double d = value.toDouble(-1);
        if (!value.isDouble() || d < 0 || d > 9007199254740992.0 || d != double(quint64(d)))
            return fail(
                    QStringLiteral("\"%1\" must be a whole number from 0 to 2^53").arg(QLatin1String(name)));
        *out = quint64(d);
        return true;
    }

    // An array of strings, each sanitised; at most maxCount of them.
    bool texts(const char *name, QStringList *out, int maxCount)
    {
        const QJsonValue value = m_object.value(QLatin1String(name));
        if (value.isUndefined())
            return true;
        const QJsonArray array = value.toArray();
        if (!value.isArray() ||
            !std::all_of(array.begin(), array.end(), [](const QJsonValue &v) { return v.isString(); }))
            return fail(QStringLiteral("\"%1\" must be an array of strings").arg(QLatin1String(name)));
        if (array.size() > maxCount)
            return fail(
                    QStringLiteral("\"%1\" has more than %2 entries").arg(QLatin1String(name)).arg(maxCount));
        for (const QJsonValue &v : array)
            out->append(TextSanitizer::clean(v.toString()));
        return true;
    }

    ChatCommand error() const { return ChatCommand::invalid(ErrorCode::BadField, m_error); }

private:
    bool fail(const QString &why)
    {
        m_error = why;
        return false;
    }

    const QJsonObject &m_object;
    QString m_error;
};

bool parseObject(QByteArrayView line, QJsonObject *object, QString *why)
{
    QJsonParseError error;
    const QJsonDocument document =
            QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), line.size()), &error);
    if (error.error != QJsonParseError::NoError) {
        *why = QStringLiteral("not valid JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset);
        return false;
    }
    if (!document.isObject()) {
        *why = QStringLiteral("expected a JSON object");
        return false;
    }
    *object = document.object();
    return true;
}

// An id from a server: a whole number JSON can carry exactly, else 0. Casting any double to
// an integer is undefined behaviour outside its range (found by fuzz_jsonprotocol).
quint64 idFrom(const QJsonValue &value)
{
    const double d = value.toDouble(0);
    if (!(d >= 0 && d <= 9007199254740992.0))
        return 0;
    return quint64(d);
}

ChatMessage decodeMessage(const QJsonObject &object)
{
    ChatMessage message;
    message.id = idFrom(object.value(u"id"));
    message.time = JsonProtocol::parseTime(object.value(u"time").toString());
    message.from = TextSanitizer::clean(object.value(u"from").toString());
    message.text = TextSanitizer::clean(object.value(u"text").toString());
    message.kind = ChatMessage::kindFromWord(object.value(u"kind").toString());
    message.to = TextSanitizer::clean(object.value(u"to").toString());
    message.room = TextSanitizer::clean(object.value(u"room").toString());
    if (const QString cid = object.value(u"cid").toString(); ChatMessage::isValidClientId(cid))
        message.clientId = cid;
    // A version-1 server's messages are its one room's.
    if (message.room.isEmpty() && message.to.isEmpty())
        message.room = QStringLiteral("#general");
    return message;
}

} // namespace

QString JsonProtocol::timeText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime JsonProtocol::parseTime(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    return time.isValid() ? time.toUTC() : QDateTime();
}

QByteArray JsonProtocol::encode(const ChatCommand &command)
{
    using Type = ChatCommand::Type;
    switch (command.type) {
    case Type::Say:
    case Type::Action: {
        JsonWriter writer;
        writer.add("type", command.type == Type::Say ? QStringLiteral("say") : QStringLiteral("action"));
        if (!command.target.isEmpty())
            writer.add("room", command.target);
        // A message may hold line feeds (docs/PROTOCOL.md, "Multi-line messages"), as a
        // server takes them.
        writer.addLines("text", command.text);
        if (!command.clientId.isEmpty())
            writer.add("cid", command.clientId);
        return writer.line();
    }
    case Type::Join:
        return JsonWriter().add("type", QStringLiteral("join")).add("room", command.target).line();
    case Type::Part: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("part")).add("room", command.target);
        if (!command.text.isEmpty())
            writer.add("reason", command.text);
        return writer.line();
    }
    case Type::Topic: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("topic")).add("room", command.target);
        if (command.hasText)
            writer.add("topic", command.text);
        return writer.line();
    }
    case Type::Rooms:
        return JsonWriter().add("type", QStringLiteral("rooms")).line();
    case Type::Private: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("private"))
                .add("to", command.target)
                .addLines("text", command.text);
        if (!command.clientId.isEmpty())
            writer.add("cid", command.clientId);
        return writer.line();
    }
    case Type::Nick:
        return JsonWriter().add("type", QStringLiteral("nick")).add("nick", command.target).line();
    case Type::Quit: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("quit"));
        if (!command.text.isEmpty())
            writer.add("reason", command.text);
        return writer.line();
    }
    case Type::Hello: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("hello"))
                .add("version", command.version)
                .add("nick", command.target);
        if (command.hasSince)
            writer.add("since", command.since);
        if (!command.token.isEmpty())
            writer.addVerbatim("token", command.token);
        if (command.hasPassword)
            writer.addVerbatim("password", command.password);
        if (!command.identity.isEmpty())
            writer.addVerbatim("identity", command.identity);
        if (!command.rooms.isEmpty()) {
            QByteArray rooms("[");
            for (const QString &room : command.rooms) {
                if (rooms.size() > 1)
                    rooms.append(',');
                rooms.append(JsonWriter::stringValue(room));
            }
            writer.addJson("rooms", rooms + ']');
        }
        return writer.line();
    }
    case Type::Ping: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("ping"));
        if (!command.token.isEmpty())
            writer.add("token", command.token);
        return writer.line();
    }
    case Type::Pong:
        return JsonWriter().add("type", QStringLiteral("pong")).line();
    case Type::History: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("history"));
        if (command.before != 0)
            writer.add("before", command.before);
        else
            writer.add("after", command.since);
        if (!command.target.isEmpty())
            writer.add("room", command.target);
        if (!command.with.isEmpty())
            writer.add("to", command.with);
        if (command.limit > 0)
            writer.add("limit", command.limit);
        return writer.line();
    }
    case Type::Search: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("search")).add("text", command.text);
        if (command.limit > 0)
            writer.add("limit", command.limit);
        return writer.line();
    }
    case Type::Who:
    case Type::Switch:
    case Type::Pass:
    case Type::Help:
    case Type::Unknown:
    case Type::TooLong:
    case Type::Invalid:
    case Type::Dialect:
    case Type::Notice:
        break;
    }
    return QByteArray();
}

bool JsonProtocol::isHello(QByteArrayView line)
{
    QJsonObject object;
    QString why;
    return line.trimmed().startsWith('{') && parseObject(line, &object, &why) &&
           object.value(u"type") == QLatin1String("hello");
}

ChatCommand JsonProtocol::decodeCommand(QByteArrayView line)
{
    QJsonObject object;
    QString why;
    if (!JsonStructure::check(line, ChatLimits::maxRequestDepth, &why))
        return ChatCommand::invalid(
                why.contains(QLatin1String("twice")) ? ErrorCode::BadField : ErrorCode::Malformed, why);
    if (!parseObject(line, &object, &why))
        return ChatCommand::invalid(ErrorCode::Malformed, why);
    const QJsonValue typeValue = object.value(u"type");
    if (!typeValue.isString())
        return ChatCommand::invalid(ErrorCode::BadField, QStringLiteral("\"type\" must be a string"));
    const QString type = typeValue.toString();

    RequestReader reader(object);
    ChatCommand command;
    bool ok = false;
    if (type == u"say" || type == u"action") {
        command.type = type == u"say" ? ChatCommand::Type::Say : ChatCommand::Type::Action;
        ok = reader.onlyFields({ "type", "room", "text", "cid" }) &&
             reader.name("room", &command.target, false) &&
             reader.nonEmptyText("text", &command.text, true) && reader.clientId(&command.clientId);
    } else if (type == u"join") {
        command.type = ChatCommand::Type::Join;
        ok = reader.onlyFields({ "type", "room" }) && reader.name("room", &command.target, true);
    } else if (type == u"part") {
        command.type = ChatCommand::Type::Part;
        ok = reader.onlyFields({ "type", "room", "reason" }) && reader.name("room", &command.target, true) &&
             reader.text("reason", &command.text, false);
    } else if (type == u"topic") {
        command.type = ChatCommand::Type::Topic;
        ok = reader.onlyFields({ "type", "room", "topic" }) && reader.name("room", &command.target, true) &&
             reader.text("topic", &command.text, false);
        command.hasText = object.contains(QLatin1String("topic"));
    } else if (type == u"rooms") {
        command.type = ChatCommand::Type::Rooms;
        ok = reader.onlyFields({ "type" });
    } else if (type == u"private") {
        command.type = ChatCommand::Type::Private;
        ok = reader.onlyFields({ "type", "to", "text", "cid" }) && reader.name("to", &command.target, true) &&
             reader.nonEmptyText("text", &command.text, true) && reader.clientId(&command.clientId);
    } else if (type == u"nick") {
        command.type = ChatCommand::Type::Nick;
        ok = reader.onlyFields({ "type", "nick" }) && reader.text("nick", &command.target, true);
    } else if (type == u"quit") {
        command.type = ChatCommand::Type::Quit;
        ok = reader.onlyFields({ "type", "reason" }) && reader.text("reason", &command.text, false);
    } else if (type == u"pong") {
        command.type = ChatCommand::Type::Pong;
        ok = reader.onlyFields({ "type" });
    } else if (type == u"ping") {
        command.type = ChatCommand::Type::Ping;
        ok = reader.onlyFields({ "type", "token" }) && reader.text("token", &command.token, false);
    } else if (type == u"history") {
        command.type = ChatCommand::Type::History;
        quint64 limit = 0;
        bool hasLimit = false;
        bool hasBefore = false;
        ok = reader.onlyFields({ "type", "after", "before", "limit", "room", "to" }) &&
             reader.name("room", &command.target, false) && reader.name("to", &command.with, false) &&
             reader.number("after", &command.since, &command.hasSince) &&
             reader.number("before", &command.before, &hasBefore) &&
             reader.number("limit", &limit, &hasLimit);
        // Newer messages of everything readable ("after"), or older ones of one conversation
        // ("before" with "room" or "to"): never both, never half of one.
        const auto bad = [](const char *reason) {
            return ChatCommand::invalid(ErrorCode::BadField, QString::fromLatin1(reason));
        };
        if (ok && hasBefore && command.hasSince)
            return bad("\"after\" and \"before\" cannot both be given");
        if (ok && hasBefore && command.before == 0)
            return bad("\"before\" must be an id of 1 or more");
        if (ok && hasBefore && command.target.isEmpty() == command.with.isEmpty())
            return bad("\"before\" needs one of \"room\" and \"to\"");
        if (ok && !hasBefore && !command.with.isEmpty())
            return bad("\"to\" goes with \"before\" only");
        if (ok && !hasBefore && !command.hasSince)
            return ChatCommand::invalid(ErrorCode::BadField, QStringLiteral("\"after\" is missing"));
        command.limit = int(qMin<quint64>(limit, 1 << 30));
    } else if (type == u"search") {
        command.type = ChatCommand::Type::Search;
        quint64 limit = 0;
        bool hasLimit = false;
        ok = reader.onlyFields({ "type", "text", "limit" }) && reader.text("text", &command.text, true) &&
             reader.number("limit", &limit, &hasLimit);
        command.limit = int(qMin<quint64>(limit, 1 << 30));
    } else if (type == u"hello") {
        command.type = ChatCommand::Type::Hello;
        quint64 requested = 0;
        bool hasVersion = false;
        ok = reader.onlyFields(
                     { "type", "version", "nick", "since", "token", "password", "identity", "rooms" }) &&
             reader.text("identity", &command.identity, false, true) &&
             reader.texts("rooms", &command.rooms, ChatLimits::maxHelloRooms) &&
             reader.number("version", &requested, &hasVersion) &&
             reader.text("nick", &command.target, false) &&
             reader.number("since", &command.since, &command.hasSince) &&
             reader.text("token", &command.token, false, true) &&
             reader.text("password", &command.password, false, true);
        command.hasPassword = ok && object.contains(QLatin1String("password"));
        if (ok && !hasVersion)
            return ChatCommand::invalid(ErrorCode::BadField, QStringLiteral("\"version\" is missing"));
        command.version = int(qMin<quint64>(requested, 1 << 30));
    } else {
        return ChatCommand::invalid(
                ErrorCode::UnknownType,
                QStringLiteral("unknown request type %1").arg(TextSanitizer::quoted(type)));
    }
    return ok ? command : reader.error();
}

QByteArray JsonProtocol::encode(const ServerEvent &event)
{
    using Type = ServerEvent::Type;
    switch (event.type) {
    case Type::Welcome:
        return welcomeLine(event);
    case Type::Message:
        return messageObject(event.message) + '\n';
    case Type::Private: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("private"));
        // Version 2 keeps private messages in the history: its id, as a message's.
        if (event.message.id != 0)
            writer.add("id", event.message.id);
        writer.add("time", timeText(event.time))
                .add("from", event.from)
                .add("to", event.to)
                .addLines("text", event.text);
        // A /me (an IRC client's CTCP ACTION, say): as a message's "kind"; a plain one says nothing.
        if (event.message.kind != ChatMessage::Kind::Say)
            writer.add("kind", ChatMessage::kindWord(event.message.kind));
        if (!event.message.clientId.isEmpty())
            writer.add("cid", event.message.clientId);
        return writer.line();
    }
    case Type::Join: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("join")).add("time", timeText(event.time)).add("nick", event.nick);
        if (!event.room.isEmpty())
            writer.add("room", event.room);
        // In a cluster: the server they joined on, when it is another one.
        if (!event.text.isEmpty())
            writer.add("server", event.text);
        return writer.line();
    }
    case Type::Part:
        return JsonWriter()
                .add("type", QStringLiteral("part"))
                .add("time", timeText(event.time))
                .add("room", event.room)
                .add("nick", event.nick)
                .add("reason", event.text)
                .line();
    case Type::Topic:
        return JsonWriter()
                .add("type", QStringLiteral("topic"))
                .add("time", timeText(event.time))
                .add("room", event.room)
                .add("nick", event.nick)
                .add("topic", event.text)
                .line();
    case Type::RoomList: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("rooms")).addJson("rooms", roomsArray(event.rooms, false));
        // Not every room fitted: how many were left out.
        if (!event.text.isEmpty())
            writer.add("text", event.text);
        return writer.line();
    }
    case Type::RoomState:
        return JsonWriter()
                .add("type", QStringLiteral("room"))
                .addJson("room", event.rooms.isEmpty() ? QByteArray("{}")
                                                       : roomObject(event.rooms.constFirst(), true))
                .line();
    case Type::Leave:
        return JsonWriter()
                .add("type", QStringLiteral("leave"))
                .add("time", timeText(event.time))
                .add("nick", event.nick)
                .add("reason", event.text)
                .line();
    case Type::Nick:
        return JsonWriter()
                .add("type", QStringLiteral("nick"))
                .add("time", timeText(event.time))
                .add("old", event.oldNick)
                .add("new", event.newNick)
                .line();
    case Type::Notice: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("notice")).add("from", event.from).add("text", event.text);
        if (!event.room.isEmpty())
            writer.add("room", event.room);
        return writer.line();
    }
    case Type::Error: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("error"))
                .add("code", ErrorCodes::name(event.code))
                .add("text", event.text);
        if (!event.room.isEmpty())
            writer.add("room", event.room);
        if (!event.reason.isEmpty())
            writer.add("reason", event.reason);
        // nick-taken: the nick in use that the one asked for is the same as.
        if (!event.nick.isEmpty())
            writer.add("nick", event.nick);
        // The refusal of a message that carried a client id: that message was not posted.
        if (!event.message.clientId.isEmpty())
            writer.add("cid", event.message.clientId);
        return writer.line();
    }
    case Type::Shutdown:
        return JsonWriter().add("type", QStringLiteral("shutdown")).add("text", event.text).line();
    case Type::Sent: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("sent"))
                .add("cid", event.message.clientId)
                .add("id", event.message.id);
        if (event.message.isPrivate())
            writer.add("to", event.message.to);
        else
            writer.add("room", event.message.room);
        return writer.line();
    }
    case Type::Status:
        return JsonWriter()
                .add("type", QStringLiteral("status"))
                .add("degraded", event.degraded)
                .add("text", event.text)
                .line();
    case Type::Pong: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("pong"));
        if (!event.token.isEmpty())
            writer.add("token", event.token);
        return writer.line();
    }
    case Type::Ping:
        return JsonWriter().add("type", QStringLiteral("ping")).line();
    case Type::Presence: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("presence"))
                .add("live", event.presenceLive)
                .add("online", event.online);
        if (!event.room.isEmpty())
            writer.add("room", event.room);
        if (event.presenceLive)
            writer.addJson("users", usersArray(event.users));
        return writer.line();
    }
    case Type::History: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("history"));
        if (event.before != 0) {
            // Older messages of one conversation: nothing can be missing right before them.
            writer.add("before", event.before);
            if (!event.room.isEmpty())
                writer.add("room", event.room);
            else
                writer.add("to", event.to);
            return writer.add("more", event.historyMore)
                    .addJson("messages", messagesArray(event.history))
                    .line();
        }
        writer.add("after", event.after);
        if (!event.room.isEmpty())
            writer.add("room", event.room);
        return writer.add("complete", event.historyComplete)
                .add("more", event.historyMore)
                .addJson("messages", messagesArray(event.history))
                .line();
    }
    case Type::SearchResults:
        return JsonWriter()
                .add("type", QStringLiteral("search"))
                .add("text", event.text)
                .add("more", event.historyMore)
                .addJson("messages", messagesArray(event.history))
                .line();
    case Type::CaughtUp: {
        JsonWriter writer;
        writer.add("type", QStringLiteral("caught-up"))
                .add("missed", event.missed)
                .add("text", event.text)
                .add("live", event.presenceLive)
                .add("online", event.online);
        if (event.presenceLive)
            writer.addJson("users", usersArray(event.users));
        return writer.line();
    }
    case Type::Invalid:
        break;
    }
    return QByteArray();
}

bool JsonProtocol::knownToVersion1(ServerEvent::Type type)
{
    using Type = ServerEvent::Type;
    return type != Type::Part && type != Type::Topic && type != Type::RoomList && type != Type::RoomState;
}

ServerEvent JsonProtocol::decodeEvent(QByteArrayView line)
{
    QJsonObject object;
    QString why;
    if (!parseObject(line, &object, &why))
        return ServerEvent::invalid(why);
    const QString type = object.value(u"type").toString();
    // Whatever a server sends, the client shows none of it raw (a server of a cluster may be
    // older than this client, or not ours).
    const auto text = [&](const char16_t *name) {
        return TextSanitizer::clean(object.value(QStringView(name)).toString());
    };
    const auto messages = [&](const char16_t *name) {
        QList<ChatMessage> list;
        const QJsonArray array = object.value(QStringView(name)).toArray();
        list.reserve(array.size());
        for (const QJsonValue &message : array)
            list.append(decodeMessage(message.toObject()));
        return list;
    };

    ServerEvent event;
    event.time = parseTime(text(u"time"));
    if (type == u"message") {
        event.type = ServerEvent::Type::Message;
        event.message = decodeMessage(object);
    } else if (type == u"private") {
        event.type = ServerEvent::Type::Private;
        event.message.id = idFrom(object.value(u"id"));
        event.from = text(u"from");
        event.to = text(u"to");
        event.text = text(u"text");
        event.message.kind = ChatMessage::kindFromWord(text(u"kind"));
        if (const QString cid = object.value(u"cid").toString(); ChatMessage::isValidClientId(cid))
            event.message.clientId = cid;
    } else if (type == u"sent") {
        event.type = ServerEvent::Type::Sent;
        event.message.id = idFrom(object.value(u"id"));
        if (const QString cid = object.value(u"cid").toString(); ChatMessage::isValidClientId(cid))
            event.message.clientId = cid;
        event.message.room = text(u"room");
        event.message.to = text(u"to");
    } else if (type == u"status") {
        event.type = ServerEvent::Type::Status;
        event.degraded = object.value(u"degraded").toBool(false);
        event.text = text(u"text");
    } else if (type == u"join") {
        event.type = ServerEvent::Type::Join;
        event.nick = text(u"nick");
        event.text = text(u"server");
        event.room = text(u"room");
    } else if (type == u"part") {
        event.type = ServerEvent::Type::Part;
        event.nick = text(u"nick");
        event.text = text(u"reason");
        event.room = text(u"room");
    } else if (type == u"topic") {
        event.type = ServerEvent::Type::Topic;
        event.nick = text(u"nick");
        event.text = text(u"topic");
        event.room = text(u"room");
    } else if (type == u"rooms") {
        event.type = ServerEvent::Type::RoomList;
        event.rooms = decodeRooms(object.value(u"rooms").toArray());
    } else if (type == u"room") {
        event.type = ServerEvent::Type::RoomState;
        event.rooms = decodeRooms(QJsonArray{ object.value(u"room") });
        event.room = event.rooms.constFirst().name;
    } else if (type == u"leave") {
        event.type = ServerEvent::Type::Leave;
        event.nick = text(u"nick");
        event.text = text(u"reason");
    } else if (type == u"nick") {
        event.type = ServerEvent::Type::Nick;
        event.oldNick = text(u"old");
        event.newNick = text(u"new");
    } else if (type == u"notice") {
        event.type = ServerEvent::Type::Notice;
        event.from = text(u"from");
        event.text = text(u"text");
        event.room = text(u"room");
    } else if (type == u"error") {
        event.type = ServerEvent::Type::Error;
        event.code = ErrorCodes::fromName(text(u"code"));
        if (const QString cid = object.value(u"cid").toString(); ChatMessage::isValidClientId(cid))
            event.message.clientId = cid;
        event.text = text(u"text");
        event.reason = text(u"reason");
        event.nick = text(u"nick");
        event.room = text(u"room");
    } else if (type == u"shutdown") {
        event.type = ServerEvent::Type::Shutdown;
        event.text = text(u"text");
    } else if (type == u"pong") {
        event.type = ServerEvent::Type::Pong;
        event.token = text(u"token");
    } else if (type == u"ping") {
        event.type = ServerEvent::Type::Ping;
    } else if (type == u"presence") {
        event.type = ServerEvent::Type::Presence;
        event.room = text(u"room");
        event.presenceLive = object.value(u"live").toBool(true);
        event.online = object.value(u"online").toInt();
        event.users = decodeUsers(object.value(u"users").toArray());
    } else if (type == u"welcome") {
        event.type = ServerEvent::Type::Welcome;
        event.version = object.value(u"version").toInt();
        event.serverName = text(u"server");
        event.nick = text(u"nick");
        event.token = object.value(u"token").toString();
        event.lastId = idFrom(object.value(u"lastId"));
        event.historyComplete = object.value(u"historyComplete").toBool(true);
        const QJsonObject limits = object.value(u"limits").toObject();
        event.limits.maxLineBytes = limits.value(u"maxLineBytes").toInteger();
        event.limits.historyLines = limits.value(u"historyLines").toInt();
        event.limits.historyKeep = limits.value(u"historyKeep").toInt();
        event.limits.historyKeepDays = limits.value(u"historyKeepDays").toInt();
        event.limits.maxNickLength = limits.value(u"maxNickLength").toInt();
        event.limits.presenceLimit = limits.value(u"presenceLimit").toInt();
        event.limits.maxRoomsPerClient = limits.value(u"maxRoomsPerClient").toInt();
        event.limits.maxTopicLength = limits.value(u"maxTopicLength").toInt();
        event.rooms = decodeRooms(object.value(u"rooms").toArray());
        event.identity = object.value(u"identity").toString();
        event.online = object.value(u"online").toInt();
        event.presenceLive = object.value(u"presenceLive").toBool(true);
        event.users = decodeUsers(object.value(u"users").toArray());
        event.history = messages(u"history");
    } else if (type == u"history") {
        event.type = ServerEvent::Type::History;
        event.room = text(u"room");
        event.after = idFrom(object.value(u"after"));
        event.before = idFrom(object.value(u"before"));
        event.to = text(u"to");
        event.historyComplete = object.value(u"complete").toBool(true);
        event.historyMore = object.value(u"more").toBool(false);
        event.history = messages(u"messages");
    } else if (type == u"search") {
        event.type = ServerEvent::Type::SearchResults;
        event.text = text(u"text");
        event.historyMore = object.value(u"more").toBool(false);
        event.history = messages(u"messages");
    } else if (type == u"caught-up") {
        event.type = ServerEvent::Type::CaughtUp;
        event.missed = object.value(u"missed").toInt();
        event.text = text(u"text");
        event.presenceLive = object.value(u"live").toBool(true);
        event.online = object.value(u"online").toInt();
        event.users = decodeUsers(object.value(u"users").toArray());
    } else {
        return ServerEvent::invalid(QStringLiteral("unknown event type %1").arg(TextSanitizer::quoted(type)));
    }
    return event;
}
