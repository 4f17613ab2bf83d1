#include "commandhandler.h"

#include <QScopeGuard>

#include "irchandler.h"

#include "chatserver.h"
#include "clientsession.h"
#include "historykeeper.h"
#include "jsonprotocol.h"
#include "nickrules.h"
#include "plainprotocol.h"
#include "room.h"
#include "roomdirectory.h"
#include "roomkeeper.h"
#include "roomname.h"
#include "serverlog.h"
#include "sessiontokens.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <algorithm>
#include <limits>

using SessionTokens::acceptableIdentity;
using SessionTokens::identityHash;
using SessionTokens::newToken;

namespace {

// When someone connected, for /who: the time today, else the date too (local time).
QString connectionTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

CommandHandler::~CommandHandler() = default;

CommandHandler::CommandHandler(ChatServer &server)
    : m_server(server),
      m_limits(server.m_limits),
      m_roomKeeper(server.m_roomKeeper),
      m_rooms(server.m_rooms),
      m_history(server.m_history),
      m_irc(std::make_unique<IrcHandler>(server, *this))
{ }

void CommandHandler::handleCommand(ClientSession *client, const ChatCommand &command)
{
    using Type = ChatCommand::Type;
    if (client->isIrc()) {
        // IRC has its own registration and password; what it asks of the chat comes back here.
        m_irc->handle(client, command);
        return;
    }
    if (command.type == Type::Hello) {
        handleHello(client, command);
        return;
    }
    if (command.type == Type::TooLong) {
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("%1 (%2) sent a line over %3 bytes")
                                         .arg(client->nick(), client->peer(),
                                              QString::number(qlonglong(m_limits.maxLineBytes)))));
        client->sendError(ErrorCode::LineTooLong,
                          QStringLiteral("line too long (limit %1 bytes)").arg(m_limits.maxLineBytes));
        return;
    }
    if (client->isJson() && !client->hasWelcome()) {
        // The hello itself was malformed: the handshake failed.
        client->sendError(command.error, command.text);
        client->close(QStringLiteral("bad hello: ") + command.text);
        return;
    }
    if (!client->isAuthenticated()) {
        // A password comes before anything else.
        if (!client->isAnnounced())
            Q_EMIT m_server.clientModeChanged(client);
        if (command.type == Type::Pass) {
            if (!m_server.checkPassword(client, command.text,
                                        [this, client, command] { handleCommand(client, command); }))
                return;
            client->sendNotice(QStringLiteral("password accepted"));
            m_roomKeeper.enter(client, m_rooms.defaultRoom());
            for (const ChatMessage &message : m_server.recentOfDefaultRoom())
                client->sendBytes(PlainProtocol::messageLine(message));
        } else if (command.type != Type::Quit) {
            client->sendError(ErrorCode::PasswordRequired,
                              QStringLiteral("this server needs a password first: /pass SECRET"));
            return;
        }
    } else if (command.type == Type::Pass) {
        client->sendNotice(m_server.m_password.isEmpty()
                                   ? QStringLiteral("this server needs no password")
                                   : QStringLiteral("your password was accepted already"));
        return;
    }
    // A version-1 client is in the default room only: rooms are version 2's.
    if (client->isJson() && client->jsonVersion() < 2 &&
        (command.type == Type::Join || command.type == Type::Part || command.type == Type::Topic ||
         command.type == Type::Rooms)) {
        client->sendError(
                ErrorCode::UnknownType,
                QStringLiteral("rooms need protocol version 2; this connection said hello with version %1")
                        .arg(client->jsonVersion()));
        return;
    }
    // A plain client's first line makes it a member of the room before the line counts.
    if (!client->isAnnounced())
        Q_EMIT m_server.clientModeChanged(client);
    carryOut(client, command);
}

void CommandHandler::carryOut(ClientSession *client, const ChatCommand &command)
{
    using Type = ChatCommand::Type;
    m_server.announce(client);
    // Sent again by a client that could not know whether it went through: posted once.
    if (m_server.answerResend(client, command.clientId))
        return;
    client->setRequestClientId(command.clientId);
    const auto done = qScopeGuard([client] { client->setRequestClientId(QString()); });
    switch (command.type) {
    case Type::Say:
        if (Room *room = commandRoom(client, command.target))
            m_server.postMessage(client, room, ChatMessage::Kind::Say, command.text, command.clientId);
        break;
    case Type::Action:
        // Blank, not only empty: a plain client's "/me " with only a zero-width space after it
        // (ChatCommand::parse takes the rest of a line that was not blank as a whole) would be a
        // blank line under someone's name, which every server of a cluster leaves out.
        if (TextSanitizer::isBlank(command.text))
            client->sendError(ErrorCode::Usage, QStringLiteral("usage: /me ACTION"));
        else if (!command.target.isEmpty() && !RoomName::looksLikeRoom(command.target))
            sendPrivate(client, command.target, command.text, ChatMessage::Kind::Action, command.clientId);
        else if (Room *room = commandRoom(client, command.target))
            m_server.postMessage(client, room, ChatMessage::Kind::Action, command.text, command.clientId);
        break;
    case Type::Notice:
        if (TextSanitizer::isBlank(command.text))
            break;
        if (!RoomName::looksLikeRoom(command.target))
            sendPrivate(client, command.target, command.text, ChatMessage::Kind::Notice);
        else if (Room *room = commandRoom(client, command.target))
            m_server.postMessage(client, room, ChatMessage::Kind::Notice, command.text);
        break;
    case Type::Join:
        joinRoom(client, command.target);
        break;
    case Type::Part:
        partRoom(client, command);
        break;
    case Type::Topic:
        setTopic(client, command);
        break;
    case Type::Rooms:
        sendRoomList(client);
        break;
    case Type::Switch:
        switchRoom(client, command.target);
        break;
    case Type::Private:
        sendPrivate(client, command.target, command.text, ChatMessage::Kind::Say, command.clientId);
        break;
    case Type::Nick:
        changeNick(client, command.target);
        break;
    case Type::Who:
        sendWho(client, command.target);
        break;
    case Type::Help:
        sendHelp(client);
        break;
    case Type::Quit: {
        // A reason of the user's own is marked as theirs ("quit: kicked" is no kick).
        const QString reason =
                command.text.trimmed().isEmpty()
                        ? QStringLiteral("quit")
                        : u"quit: " + TextCut::left(command.text.trimmed(), ChatLimits::maxReasonLength);
        if (client->isPlain())
            client->sendNotice(QStringLiteral("goodbye"));
        client->close(reason);
        break;
    }
    case Type::Ping: {
        ServerEvent pong = ServerEvent::now(ServerEvent::Type::Pong);
        pong.token = command.token;
        client->send(pong);
        break;
    }
    case Type::Pong:
    case Type::Pass:
        break; // being alive was the point, and the session noted that; passwords are above
    case Type::Unknown:
        client->sendError(
                ErrorCode::UnknownCommand,
                QStringLiteral("unknown command %1, try /help").arg(TextSanitizer::quoted(command.target)));
        break;
    case Type::Invalid:
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("%1 (%2) sent a bad request: %3")
                                         .arg(client->nick(), client->peer(), command.text)));
        client->sendError(command.error, command.text);
        break;
    case Type::History:
        sendHistory(client, command);
        break;
    case Type::Search:
        sendSearchResults(client, command);
        break;
    case Type::Hello:
    case Type::TooLong:
    case Type::Dialect:
        break;
    }
}

void CommandHandler::handleHello(ClientSession *client, const ChatCommand &hello)
{
    if (client->hasWelcome()) {
        client->sendError(ErrorCode::UnexpectedHello,
                          QStringLiteral("this connection has already said hello"));
        return;
    }
    if (hello.version < JsonProtocol::oldestVersion || hello.version > JsonProtocol::version) {
        client->sendError(ErrorCode::UnsupportedVersion,
                          QStringLiteral("this server speaks protocol versions %1 to %2, not %3")
                                  .arg(JsonProtocol::oldestVersion)
                                  .arg(JsonProtocol::version)
                                  .arg(hello.version));
        client->close(QStringLiteral("unsupported protocol version %1").arg(hello.version));
        return;
    }
    if (!hello.identity.isEmpty() && !acceptableIdentity(hello.identity)) {
        client->sendError(ErrorCode::BadField,
                          QStringLiteral("\"identity\" must be 16 to 128 printable ASCII characters"));
        client->close(QStringLiteral("bad hello: bad identity"));
        return;
    }
    if (!client->isAuthenticated()) {
        if (!hello.hasPassword) {
            client->sendError(ErrorCode::PasswordRequired, QStringLiteral("this server needs a password"));
            client->close(QStringLiteral("no password"));
            return;
        }
        if (!m_server.checkPassword(client, hello.password,
                                    [this, client, hello] { handleHello(client, hello); }))
            return;
        m_roomKeeper.enter(client, m_rooms.defaultRoom());
    }
    client->setJsonVersion(hello.version);
    const QString nick = NickRules::prepare(hello.target);
    const ClientSession *previous = nullptr; // the connection this one takes over
    if (!nick.isEmpty() && nick != client->nick()) {
        ClientSession *owner = m_server.findClient(nick);
        const bool takeover =
                owner && owner != client && !hello.token.isEmpty() && owner->token() == hello.token;
        if (takeover) {
            // The same person, back on a new connection before the old one was noticed gone.
            m_server.takeOver(owner, client);
            previous = owner;
        }
        const ChatServer::NickRefusal refusal = m_server.nickRefusal(client, nick);
        if (refusal.code != ErrorCode::None) {
            m_server.refuseNick(client, refusal);
            client->close(refusal.text);
            return;
        }
        m_server.rename(client, nick);
        if (takeover && !client->isAnnounced()) {
            // Nobody saw the old connection go, so nobody sees this one come where it was.
            m_server.announce(client, owner);
        }
    }
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 (%2) speaks JSON").arg(client->nick(), client->peer())));
    Q_EMIT m_server.clientModeChanged(client);
    client->setToken(newToken());
    // Version 2 keeps private messages under an identity: the client's own, or one made for
    // it now (the welcome gives it, to keep for next time).
    QString identity;
    if (hello.version >= 2) {
        identity = hello.identity.isEmpty() ? newToken() + newToken() : hello.identity;
        client->setIdentityHash(identityHash(identity));
    }
    // Back in the rooms it was in (a resume covers them all): quietly now, announced with it.
    QList<std::pair<QString, QString>> refused; // room, why
    for (const QString &name : hello.rooms) {
        Room *room = m_rooms.find(RoomName::prepare(name));
        if (room && client->isIn(room))
            continue;
        if (hello.version < 2)
            continue;
        if (!room)
            m_roomKeeper.makeWay(RoomName::prepare(name));
        const RoomKeeper::Refusal refusal = m_roomKeeper.refusal(client, room, RoomName::prepare(name));
        if (refusal.code != ErrorCode::None) {
            refused.append({ RoomName::prepare(name), refusal.text });
            continue;
        }
        if (!room)
            room = m_roomKeeper.make(client, RoomName::prepare(name));
        m_roomKeeper.enter(client, room);
        if (!client->isAnnounced())
            continue; // the room is told when the client is announced
        // Taking over a connection: the room knows the person already if it was in it.
        m_roomKeeper.arrived(client, room, previous && previous->isIn(room), false);
    }
    if (previous) {
        // Rooms the earlier connection was in and this one is not: the person left them.
        for (Room *room : previous->rooms()) {
            if (!client->isIn(room) && m_roomKeeper.presenceLive(room))
                m_roomKeeper.sendTo(
                        room, ServerEvent::part(client->nick(), room->name(), QStringLiteral("reconnected")),
                        previous);
        }
    }
    sendWelcome(client, hello, identity);
    for (const auto &[room, why] : std::as_const(refused))
        client->send(ServerEvent::error(ErrorCode::RoomRefused, why, room));
    m_server.tellIfDegraded(client);
    m_server.announce(client);
}

void CommandHandler::sendWelcome(ClientSession *client, const ChatCommand &hello, const QString &identity)
{
    ServerEvent welcome = ServerEvent::now(ServerEvent::Type::Welcome);
    welcome.version = client->jsonVersion();
    welcome.identity = identity;
    welcome.serverName = m_server.m_serverName;
    welcome.nick = client->nick();
    welcome.token = client->token();
    welcome.lastId = m_server.lastMessageId();
    welcome.online = m_server.roomSize() + (client->isAnnounced() ? 0 : 1);
    welcome.presenceLive = welcome.online <= m_limits.presenceLimit;
    // In a room too large to follow, the list is left out too: a thousand desktop clients
    // each getting a thousand names is the same O(N^2) the limit avoids.
    if (welcome.presenceLive) {
        welcome.users = m_server.onlineUsers();
        if (!client->isAnnounced())
            welcome.users.append({ client->nick(), client->connectedAt(), QString() });
    }
    welcome.limits = { m_limits.maxLineBytes,      m_limits.historyLines,     m_limits.historyKeep,
                       m_limits.historyKeepDays,   ChatLimits::maxNickLength, m_limits.presenceLimit,
                       m_limits.maxRoomsPerClient, m_limits.maxTopicLength };
    for (const Room *room : client->rooms()) {
        RoomInfo info = m_roomKeeper.info(room, true);
        if (!client->isAnnounced() && info.presenceLive) {
            ++info.online;
            info.users.append({ client->nick(), client->connectedAt(), QString() });
        }
        welcome.rooms.append(info);
    }

    // "since" from another life of this server (its ids started again) cannot be honoured. In
    // a cluster every id comes from Redis: one above what this server has read comes from a
    // server that has read further, and what follows it will come here too.
    const bool ahead = hello.hasSince && hello.since > m_server.lastMessageId() && m_server.cluster();
    const bool resumes = hello.hasSince && (hello.since <= m_server.lastMessageId() || ahead);
    if (ahead)
        client->setSeenThrough(hello.since);
    // At most what half the send queue can hold (every message takes at least wireSize of an
    // empty one), and the newest of it.
    const int cap = int(qMin<qint64>(ChatLimits::maxResumeMessages,
                                     m_limits.maxSendQueueBytes / 2 / ChatMessage().wireSize() + 1));
    const HistoryScope scope = m_server.scopeOf(client);
    // A resume: everything after since. A fresh start: anything posted since this connection
    // opened, and before it the recent lines of each conversation.
    HistoryKeeper::After replay = m_history.after(resumes ? hello.since : client->lastIdAtConnect(), cap,
                                                  true, scope, m_limits.maxSendQueueBytes / 2);
    if (!resumes) {
        const QList<ChatMessage> recent = recentPerConversation(scope);
        QList<ChatMessage> merged;
        merged.reserve(recent.size() + replay.messages.size());
        const auto byId = [](const ChatMessage &a, const ChatMessage &b) { return a.id < b.id; };
        std::merge(recent.cbegin(), recent.cend(), replay.messages.cbegin(), replay.messages.cend(),
                   std::back_inserter(merged), byId);
        const auto sameId = [](const ChatMessage &a, const ChatMessage &b) { return a.id == b.id; };
        merged.erase(std::unique(merged.begin(), merged.end(), sameId), merged.end());
        replay.messages = std::move(merged);
    }
    welcome.history = std::move(replay.messages);
    welcome.historyComplete = !hello.hasSince || (resumes && replay.complete);
    // The replay must fit in the client's send queue with room to spare: the newest of it.
    const qsizetype fit = fittingMessages(welcome.history.crbegin(), welcome.history.crend());
    if (fit < welcome.history.size()) {
        welcome.history.remove(0, welcome.history.size() - fit);
        welcome.historyComplete = false;
    }
    client->send(welcome);
}

QList<ChatMessage> CommandHandler::recentPerConversation(const HistoryScope &scope) const
{
    const int each = m_limits.historyLines;
    if (each <= 0)
        return {};
    // One walk of the history, newest first: a conversation takes what it still may.
    QHash<QByteArray, int> taken; // "r" + room, or "p" + the other person's identity hash
    const qsizetype conversations =
            scope.rooms.size() + (scope.identity.isEmpty() ? 0 : ChatLimits::maxReplayedPrivateConversations);
    return m_history.recent(int(qMin<qsizetype>(each * conversations, ChatLimits::maxResumeMessages)),
                            [&](const ChatMessage &message) {
                                if (!scope.includes(message))
                                    return false;
                                const QByteArray key = message.isPrivate()
                                                               ? 'p' + (message.fromIdentity == scope.identity
                                                                                ? message.toIdentity
                                                                                : message.fromIdentity)
                                                               : 'r' + message.room.toUtf8();
                                int &count = taken[key];
                                if (count >= each)
                                    return false;
                                ++count;
                                return true;
                            });
}

template<typename Iterator>
qsizetype CommandHandler::fittingMessages(Iterator first, Iterator last) const
{
    qint64 bytes = 0;
    qsizetype count = 0;
    for (; first != last && bytes + first->wireSize() <= m_limits.maxSendQueueBytes / 2; ++first, ++count)
        bytes += first->wireSize();
    return count;
}

void CommandHandler::sendHistory(ClientSession *client, const ChatCommand &command)
{
    if (command.before != 0) {
        sendOlderHistory(client, command);
        return;
    }
    ServerEvent reply = ServerEvent::now(ServerEvent::Type::History);
    reply.after = command.since;
    // One room's (it must be in it), or every conversation of the client's.
    const Room *room = nullptr;
    if (!command.target.isEmpty()) {
        // The same refusals as for saying something there.
        room = commandRoom(client, command.target);
        if (!room)
            return;
        reply.room = room->name();
    }
    const int limit = command.limit > 0 ? qMin(command.limit, ChatLimits::maxHistoryReply)
                                        : ChatLimits::maxHistoryReply;
    // The oldest first: whoever asked goes on after the last one it got.
    HistoryKeeper::After page = m_history.after(command.since, limit, false,
                                                m_server.scopeOf(client, room ? room->name() : QString()),
                                                m_limits.maxSendQueueBytes / 2);
    reply.historyComplete = command.since <= m_server.lastMessageId() && page.complete;
    const qsizetype fit = fittingMessages(page.messages.cbegin(), page.messages.cend());
    reply.historyMore = page.more || fit < page.messages.size();
    page.messages.resize(fit);
    reply.history = std::move(page.messages);
    client->send(reply);
}

void CommandHandler::sendOlderHistory(ClientSession *client, const ChatCommand &command)
{
    ServerEvent reply = ServerEvent::now(ServerEvent::Type::History);
    reply.before = command.before;
    // The same window IRC's CHATHISTORY BEFORE reads: a room's messages, or the private ones
    // between the client's identity and the other person's nick.
    HistoryWindow window;
    if (!command.target.isEmpty()) {
        const Room *room = commandRoom(client, command.target);
        if (!room)
            return;
        window.room = room->name();
        reply.room = room->name();
    } else {
        if (!NickRules::isValid(command.with)) {
            qCWarning(lcServer, "%s",
                      qUtf8Printable(
                              ServerLog::tr("%1 (%2) asked for the history with %3, which cannot be a nick")
                                      .arg(client->nick(), client->peer(),
                                           TextSanitizer::quoted(command.with, ChatLimits::maxNickLength))));
            ServerEvent error = ServerEvent::error(
                    ErrorCode::InvalidNick,
                    QStringLiteral("no private conversation can be with %1")
                            .arg(TextSanitizer::quoted(command.with, ChatLimits::maxNickLength)));
            client->send(error);
            return;
        }
        reply.to = NickRules::prepare(command.with);
        window.identity = client->identityHash();
        window.with = reply.to;
    }
    const int limit = command.limit > 0 ? qMin(command.limit, ChatLimits::maxHistoryReply)
                                        : ChatLimits::historyBeforePage;
    window.beforeId = command.before;
    window.newest = true;
    // One more than asked for: whether older ones exist, without a second query.
    window.limit = limit + 1;
    // Without an identity (a version-1 client) there is no private conversation to read.
    QList<ChatMessage> messages = window.room.isEmpty() && window.identity.isEmpty()
                                          ? QList<ChatMessage>()
                                          : m_history.window(window);
    bool more = messages.size() > limit;
    if (more)
        messages.remove(0, messages.size() - limit);
    // The newest of them that fit half the send queue; the client asks again before them.
    const qsizetype fit = fittingMessages(messages.crbegin(), messages.crend());
    if (fit < messages.size()) {
        messages.remove(0, messages.size() - fit);
        more = true;
    }
    reply.historyMore = more;
    reply.history = std::move(messages);
    client->send(reply);
}

void CommandHandler::sendSearchResults(ClientSession *client, const ChatCommand &command)
{
    const QStringList words = command.text.simplified().split(u' ', Qt::SkipEmptyParts);
    if (words.isEmpty() || TextCut::characterCount(command.text) > ChatLimits::maxSearchCharacters ||
        words.size() > ChatLimits::maxSearchWords) {
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("%1 (%2) sent a search that is empty or too long")
                                         .arg(client->nick(), client->peer())));
        client->sendError(ErrorCode::BadField,
                          QStringLiteral("a search has 1 to %1 words and at most %2 characters")
                                  .arg(ChatLimits::maxSearchWords)
                                  .arg(ChatLimits::maxSearchCharacters));
        return;
    }
    const int limit = command.limit > 0 ? qMin(command.limit, ChatLimits::maxSearchResults)
                                        : ChatLimits::searchResultsPage;
    // Each conversation the client may read, newest first, one more than asked for (to know
    // whether there were more): its rooms (at most maxRoomsPerClient), its private messages.
    HistoryWindow window;
    window.words = words;
    window.newest = true;
    window.limit = limit + 1;
    QList<ChatMessage> found;
    for (const Room *room : client->rooms()) {
        window.room = room->name();
        found += m_history.window(window);
    }
    if (!client->identityHash().isEmpty()) {
        window.room.clear();
        window.identity = client->identityHash();
        found += m_history.window(window);
    }
    std::sort(found.begin(), found.end(),
              [](const ChatMessage &a, const ChatMessage &b) { return a.id > b.id; });
    ServerEvent reply = ServerEvent::now(ServerEvent::Type::SearchResults);
    reply.text = command.text.simplified();
    reply.historyMore = found.size() > limit;
    found.resize(qMin<qsizetype>(found.size(), limit));
    // As many as fit half the send queue, newest first.
    const qsizetype fit = fittingMessages(found.cbegin(), found.cend());
    reply.historyMore = reply.historyMore || fit < found.size();
    found.resize(fit);
    reply.history = std::move(found);
    client->send(reply);
}

void CommandHandler::sendPrivate(ClientSession *from, const QString &to, const QString &text,
                                 ChatMessage::Kind kind, const QString &clientId)
{
    // Blank, not only empty, as for a /me (carryOut).
    if (to.isEmpty() || TextSanitizer::isBlank(text)) {
        from->sendError(ErrorCode::Usage, QStringLiteral("usage: /msg NICK TEXT"));
        return;
    }
    ClientSession *target = m_server.findClient(to);
    if (!target || !target->isAnnounced()) {
        // The error names whom it was for (cut to a nick's length), so a client can say so.
        ServerEvent error = ServerEvent::error(
                ErrorCode::NoSuchNick,
                QStringLiteral("no such nick: %1").arg(TextSanitizer::quoted(to, ChatLimits::maxNickLength)));
        error.nick = TextCut::left(to, ChatLimits::maxNickLength);
        from->send(error);
        return;
    }
    if (target->isLagging() && target != from) {
        // It is far behind already; private messages are not skipped like the room's, so a
        // stream of them could push it off: it gets none until it has caught up.
        ServerEvent error = ServerEvent::error(
                ErrorCode::TargetLagging,
                QStringLiteral("%1 is not keeping up with the chat; the message was not delivered, try "
                               "again in a moment")
                        .arg(TextSanitizer::isolated(target->nick())));
        error.nick = target->nick();
        from->send(error);
        return;
    }
    // A conversation of its own, kept in the history for the two identities only.
    ChatMessage message;
    message.time = QDateTime::currentDateTimeUtc();
    message.from = from->nick();
    message.to = target->nick();
    message.text = text;
    message.kind = kind;
    message.fromIdentity = from->identityHash();
    message.toIdentity = target->identityHash();
    message.clientId = clientId;
    if (const IrcState *irc = from->irc()) {
        message.clientTags = irc->sendingTags;
        message.concatAt = irc->sendingConcatAt;
    }
    from->countMessageSent();
    m_server.publish(message);
}

void CommandHandler::changeNick(ClientSession *client, const QString &requested)
{
    const QString nick = NickRules::prepare(requested);
    if (nick.isEmpty()) {
        client->sendNotice(QStringLiteral("you are %1; /nick NAME changes it").arg(client->nick()));
        return;
    }
    if (nick == client->nick()) {
        client->sendNotice(QStringLiteral("you are already %1").arg(nick));
        return;
    }
    const ChatServer::NickRefusal refusal = m_server.nickRefusal(client, nick);
    if (refusal.code != ErrorCode::None) {
        m_server.refuseNick(client, refusal);
        return;
    }
    m_server.rename(client, nick);
}

void CommandHandler::sendWho(ClientSession *client, const QString &target)
{
    const Room *room = commandRoom(client, target);
    if (!room)
        return;
    const QList<OnlineUser> users = m_roomKeeper.users(room);
    // A client in one room, asking about it, sees the list as before rooms.
    if (target.isEmpty() && !client->marksRooms())
        client->sendNotice(QStringLiteral("%1 online:").arg(users.size()));
    else
        client->sendNotice(QStringLiteral("%1 online in %2:")
                                   .arg(users.size())
                                   .arg(TextSanitizer::isolated(room->name())));
    for (const OnlineUser &user : users) {
        const QString where = !user.server.isEmpty() ? QStringLiteral(" (on %1)").arg(user.server)
                              : m_server.m_cluster   ? QStringLiteral(" (on %1)").arg(m_server.m_serverName)
                                                     : QString();
        // IRC clients are named as such: they see the room through IRC's eyes (no JSON extras).
        const ClientSession *local = user.server.isEmpty() ? m_server.findClient(user.nick) : nullptr;
        const QString irc = local && local->isIrc() ? QStringLiteral(" (IRC)") : QString();
        client->sendNotice(
                QStringLiteral("  %1, connected %2%3%4%5")
                        .arg(TextSanitizer::isolated(user.nick), connectionTime(user.since), where, irc,
                             user.nick == client->nick() && user.server.isEmpty() ? QStringLiteral(" (you)")
                                                                                  : QString()));
    }
}

void CommandHandler::sendHelp(ClientSession *client) const
{
    static const char *const lines[] = {
        "commands:",
        "  /nick NAME             change your nick (%1)",
        "  /join #ROOM            join a room, making it if there is none",
        "  /part [#ROOM] [REASON] leave a room (this one without #ROOM)",
        "  /switch #ROOM          send what you type to another room you are in",
        "  /rooms                 list the rooms",
        "  /topic [#ROOM] [TEXT]  show or set a room's topic",
        "  /who [#ROOM]           list who is in a room",
        "  /me ACTION             tell the room what you are doing",
        "  /msg NICK TEXT         send TEXT to NICK only",
        "  /help                  show this list",
        "  /quit [REASON]         leave (a line that says quit does too)",
        "anything else is sent to your current room (%2); start a line with // to send one that begins with "
        "/",
    };
    for (const char *line : lines) {
        QString text = QString::fromLatin1(line);
        if (text.contains(QLatin1String("%1")))
            text = text.arg(NickRules::ruleText());
        if (text.contains(QLatin1String("%2")))
            text = text.arg(client->currentRoom() ? client->currentRoom()->name() : QStringLiteral("none"));
        client->sendNotice(text);
    }
}

Room *CommandHandler::commandRoom(ClientSession *client, const QString &target)
{
    if (target.isEmpty()) {
        // Plain: where it typed its lines; JSON: the default room, as in version 1.
        Room *room = client->isJson() ? m_rooms.defaultRoom() : client->currentRoom();
        if (room && client->isIn(room))
            return room;
        client->sendError(ErrorCode::NoRoom,
                          client->isJson() ? QStringLiteral("you are not in %1; name a room you are in")
                                                     .arg(m_server.defaultRoom())
                                           : QStringLiteral("you are in no room; /join #ROOM first"));
        return nullptr;
    }
    const QString name = RoomName::prepare(target);
    Room *room = m_rooms.find(name);
    if (!room) {
        // A name no room can have says why, rather than that there is no such room.
        const QString problem = RoomName::protocolProblem(name);
        if (!problem.isEmpty()) {
            client->send(ServerEvent::error(ErrorCode::InvalidRoom, problem, name));
            return nullptr;
        }
    }
    if (!room || !client->isIn(room)) {
        client->send(ServerEvent::error(
                room ? ErrorCode::NotInRoom : ErrorCode::NoSuchRoom,
                room ? QStringLiteral("you are not in %1; /join it first")
                                .arg(TextSanitizer::isolated(room->name()))
                     : QStringLiteral("no such room: %1; /rooms lists them")
                                .arg(TextSanitizer::quoted(target, ChatLimits::maxNickLength + 1)),
                room ? room->name() : name));
        return nullptr;
    }
    return room;
}

void CommandHandler::joinRoom(ClientSession *client, const QString &target)
{
    const QString name = RoomName::prepare(target);
    const auto refuse = [&](ErrorCode code, const QString &text) {
        client->send(ServerEvent::error(code, text, name));
    };
    if (name.isEmpty()) {
        client->sendError(ErrorCode::Usage, QStringLiteral("usage: /join #ROOM"));
        return;
    }
    Room *room = m_rooms.find(name);
    if (!room)
        m_roomKeeper.makeWay(name);
    if (room && client->isIn(room)) {
        // Plain: joining again makes it current; JSON: the room as it is, once more.
        if (client->isPlain()) {
            switchRoom(client, room->name());
        } else {
            const ServerEvent state = ServerEvent::roomState(m_roomKeeper.info(room, true));
            client->send(state);
        }
        return;
    }
    const RoomKeeper::Refusal refusal = m_roomKeeper.refusal(client, room, name);
    if (refusal.code != ErrorCode::None) {
        refuse(refusal.code, refusal.text);
        return;
    }
    if (!room)
        room = m_roomKeeper.make(client, name);
    m_roomKeeper.enter(client, room);
    client->setCurrentRoom(room);
    m_roomKeeper.arrived(client, room, false, false);
    client->send(ServerEvent::join(client->nick(), room->name()));
    const ServerEvent state = ServerEvent::roomState(m_roomKeeper.info(room, true));
    client->send(state);
    if (client->isPlain())
        client->sendNotice(QStringLiteral("what you type goes to %1 now; /switch #ROOM changes that")
                                   .arg(TextSanitizer::isolated(room->name())));
    // What was said there lately, as a new connection gets its default room's (a room
    // without messages has nothing to look for: the search would walk the whole memory).
    const ServerEvent recent = recentOf(room);
    if (!recent.history.isEmpty())
        client->send(recent);
    m_roomKeeper.noteChanged();
}

void CommandHandler::expireIrcBatches(ClientSession *client, qint64 nowMs)
{
    m_irc->expireBatches(client, nowMs);
}

ServerEvent CommandHandler::recentOf(const Room *room) const
{
    const QString roomName = room->messageCount() > 0 ? room->name() : QString();
    ServerEvent recent = ServerEvent::now(ServerEvent::Type::History);
    recent.room = roomName;
    if (!roomName.isEmpty())
        recent.history = m_history.recent(m_limits.historyLines, [&roomName](const ChatMessage &message) {
            return message.room == roomName;
        });
    recent.after = recent.history.isEmpty() ? m_server.lastMessageId() : recent.history.constFirst().id - 1;
    recent.historyComplete = true;
    return recent;
}

void CommandHandler::partRoom(ClientSession *client, const ChatCommand &command)
{
    Room *room = commandRoom(client, command.target);
    if (!room)
        return;
    const QString reason = TextCut::left(command.text.trimmed(), ChatLimits::maxReasonLength);
    m_roomKeeper.leave(client, room, reason, true);
}

void CommandHandler::setTopic(ClientSession *client, const ChatCommand &command)
{
    Room *room = commandRoom(client, command.target);
    if (!room)
        return;
    if (!command.hasText) {
        client->send(ServerEvent::notice(QStringLiteral("server"),
                                         room->topic().isEmpty()
                                                 ? QStringLiteral("%1 has no topic; /topic TEXT sets one")
                                                           .arg(TextSanitizer::isolated(room->name()))
                                                 : QStringLiteral("topic of %1: %2 (set by %3)")
                                                           .arg(TextSanitizer::isolated(room->name()),
                                                                TextSanitizer::isolated(room->topic()),
                                                                TextSanitizer::isolated(room->topicBy())),
                                         room->name()));
        return;
    }
    // A topic that shows nothing (only invisible characters) clears it, as an empty one does.
    QString topic = command.text.trimmed();
    if (TextSanitizer::isBlank(topic))
        topic.clear();
    // Characters as people count them, and bytes: one "character" may be a long sequence
    // (a family emoji), and every list of rooms carries the topic.
    if (TextCut::characterCount(topic) > m_limits.maxTopicLength ||
        topic.toUtf8().size() > 4 * qsizetype(m_limits.maxTopicLength)) {
        client->send(ServerEvent::error(ErrorCode::TopicTooLong,
                                        QStringLiteral("a topic is at most %1 characters (%2 bytes)")
                                                .arg(m_limits.maxTopicLength)
                                                .arg(4 * m_limits.maxTopicLength),
                                        room->name()));
        return;
    }
    room->setTopic(topic, client->nick(), QDateTime::currentDateTimeUtc());
    m_roomKeeper.store(room);
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 (%2) set the topic of %3: %4")
                                  .arg(client->nick(), client->peer(), room->name(),
                                       TextSanitizer::quoted(topic, m_limits.maxTopicLength))));
    const ServerEvent event = ServerEvent::topicChange(client->nick(), room->name(), topic);
    m_roomKeeper.sendTo(room, event);
    m_roomKeeper.noteChanged();
}

void CommandHandler::switchRoom(ClientSession *client, const QString &target)
{
    if (target.isEmpty()) {
        client->sendError(ErrorCode::Usage, QStringLiteral("usage: /switch #ROOM"));
        return;
    }
    Room *room = commandRoom(client, target);
    if (!room)
        return;
    client->setCurrentRoom(room);
    client->sendNotice(
            QStringLiteral("what you type goes to %1 now").arg(TextSanitizer::isolated(room->name())));
}

void CommandHandler::sendRoomList(ClientSession *client) const
{
    // The fullest first, as many as fit in a quarter of the send queue: a thousand rooms with
    // long topics must not make one small request a flood of output.
    QList<RoomInfo> rooms = m_server.roomList(false);
    std::stable_sort(rooms.begin(), rooms.end(),
                     [](const RoomInfo &a, const RoomInfo &b) { return a.online > b.online; });
    qint64 bytes = 0;
    qsizetype fit = 0;
    for (; fit < rooms.size(); ++fit) {
        bytes += 64 + 3 * (rooms.at(fit).name.size() + rooms.at(fit).topic.size());
        if (bytes > m_limits.maxSendQueueBytes / 4)
            break;
    }
    ServerEvent list = ServerEvent::now(ServerEvent::Type::RoomList);
    if (fit < rooms.size())
        list.text = QStringLiteral("%1 more room(s) not listed").arg(rooms.size() - fit);
    rooms.resize(fit);
    list.rooms = std::move(rooms);
    client->send(list);
}
