#include "chatclient.h"

#include "chatlimits.h"
#include "jsonprotocol.h"
#include "nickrules.h"
#include "roomname.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <cmath>

#include <QLocale>
#include <QRegularExpression>
#include <QSettings>
#include <QUuid>

#include <algorithm>

ChatClient::ChatClient(QObject *parent)
    : QObject(parent),
      m_connection(new ChatConnection(this)),
      m_messages(nullptr),
      m_users(nullptr),
      m_conversations(new ConversationListModel(this))
{
    // The default room's conversation is first and stays; the server's welcome names it.
    Conversation *home = m_conversations->ensure(Conversation::Kind::Room, QStringLiteral("#general"));
    m_messages = home->messages;
    m_users = home->users;
    // Every hello asks to be back in the rooms the user was in: those open now, or, on a
    // fresh start, those remembered for the server.
    m_connection->setHelloRooms([this] {
        const QStringList open = m_conversations->rooms().mid(1);
        if (!open.isEmpty())
            return open;
        return QSettings().value(settingsKey() + QStringLiteral("/rooms")).toStringList();
    });
    connect(m_connection, &ChatConnection::welcomed, this, &ChatClient::onWelcomed);
    connect(m_connection, &ChatConnection::eventReceived, this, &ChatClient::onEvent);
    connect(m_connection, &ChatConnection::nickChanged, m_users, &UserListModel::setSelf);
    connect(m_connection, &ChatConnection::connectionLost, this, [this](const QString &why) {
        m_users->clear();
        // What the new connection's server says about its cluster counts from now.
        if (std::exchange(m_degraded, false))
            Q_EMIT serverStatusChanged(false);
        addLocal(ChatEntry::Kind::Status, tr("Disconnected: %1").arg(why));
    });
    connect(m_connection, &ChatConnection::certificateTrusted, this,
            [this](const QString &fingerprint, bool firstUse) {
                if (firstUse)
                    addLocal(ChatEntry::Kind::Status,
                             tr("First secure connection to %1 port %2: its certificate is now trusted for "
                                "this "
                                "server. Fingerprint (SHA-256): %3. The server's admin can confirm it; a "
                                "different certificate later will be refused.")
                                     .arg(m_connection->host())
                                     .arg(m_connection->port())
                                     .arg(fingerprint));
            });
    // An attempt that never got a welcome failed for whoever asked for it (the connect dialog
    // shows why); only a conversation's reconnecting that gives up belongs in the conversation.
    connect(m_connection, &ChatConnection::connectFailed, this,
            [this](ChatConnection::Failure, const QString &why) {
                if (m_connection->welcomedInSeries())
                    addLocal(ChatEntry::Kind::Error, why);
            });
    connect(m_connection, &ChatConnection::closedByServer, this,
            [this](ChatConnection::Failure, const QString &why) {
                m_users->clear();
                addLocal(ChatEntry::Kind::Error, why);
            });
    connect(m_connection, &ChatConnection::missedMessagesFetched, this, [this](int, bool complete) {
        if (!complete)
            addLocal(ChatEntry::Kind::Status,
                     tr("Some of the messages from while you were behind are no longer on the server."));
    });
}

ChatClient::~ChatClient()
{
    Outbox::waitForWrites();
}

bool ChatClient::mentions(const QString &text, const QString &nick)
{
    if (nick.isEmpty())
        return false;
    // Every run of characters a nick can have is a candidate, compared as nicks are (so that
    // another normalisation form or case still counts); a sentence's full stop or a dash
    // after it is not part of it.
    const QString key = NickRules::key(nick);
    const qsizetype nickSize = nick.size();
    const auto matches = [&](QStringView run) {
        while (!run.isEmpty() && (run.back() == u'.' || run.back() == u'-')) {
            if (run.size() <= nickSize * 4 && NickRules::key(run) == key)
                return true;
            run.chop(1);
        }
        // Whatever the normalisation form, a run much shorter or longer cannot be the nick.
        return run.size() * 2 >= nickSize && run.size() <= nickSize * 4 && NickRules::key(run) == key;
    };
    qsizetype start = -1;
    const QList<uint> codePoints = text.toUcs4();
    qsizetype unit = 0;
    for (const uint c : codePoints) {
        const qsizetype width = c > 0xffff ? 2 : 1;
        if (NickRules::isNickCharacter(c)) {
            if (start < 0)
                start = unit;
        } else if (start >= 0) {
            if (matches(QStringView(text).sliced(start, unit - start)))
                return true;
            start = -1;
        }
        unit += width;
    }
    return start >= 0 && matches(QStringView(text).sliced(start));
}

QString ChatClient::roomNameProblem(const QString &typed)
{
    const QString name = RoomName::prepare(typed);
    char32_t culprit = 0;
    const NickRules::Problem problem = RoomName::check(name, &culprit);
    const QString quoted = TextSanitizer::quoted(name, ChatLimits::maxNickLength + 1);
    const QString character = NickRules::characterName(culprit);
    QString sentence;
    switch (problem) {
    case NickRules::Problem::None:
    case NickRules::Problem::Empty: // nothing typed yet: nothing wrong either
        return QString();
    case NickRules::Problem::TooLong:
        sentence = tr("%1 is too long: a room name has at most %2 characters after the #.")
                           .arg(quoted)
                           .arg(ChatLimits::maxNickLength);
        break;
    case NickRules::Problem::Character:
        sentence = tr("%1 has a character room names cannot have: %2.").arg(quoted, character);
        break;
    case NickRules::Problem::Invisible:
        sentence = culprit != 0 ? tr("%1 has an invisible character: %2.").arg(quoted, character)
                                : tr("%1 has an invisible character.").arg(quoted);
        break;
    case NickRules::Problem::MarkWithoutLetter:
        sentence = tr("%1 has an accent or vowel sign without its letter: %2.").arg(quoted, character);
        break;
    case NickRules::Problem::MixedScripts:
        sentence = tr("%1 mixes writing systems that look alike.").arg(quoted);
        break;
    case NickRules::Problem::NoLetter:
        sentence = tr("%1 has no letter or digit.").arg(quoted);
        break;
    }
    return sentence + u' ' +
           tr("A room name is # followed by 1 to %1 letters or digits of one writing system, with their "
              "accents and vowel signs, and _ - or .")
                   .arg(ChatLimits::maxNickLength);
}

qsizetype ChatClient::lineBytes(const QString &input) const
{
    ChatCommand command = ChatCommand::parse(input);
    if (command.type == ChatCommand::Type::Action && command.text.isEmpty())
        command.text = QStringLiteral(" ");
    // Every message goes with a client id: a UUID's 36 characters.
    if (command.type == ChatCommand::Type::Say || command.type == ChatCommand::Type::Action ||
        command.type == ChatCommand::Type::Private)
        command.clientId = QString(36, u'0');
    // The terminating newline does not count against the limit.
    return qMax<qsizetype>(0, JsonProtocol::encode(command).size() - 1);
}

ChatClient::InputSize ChatClient::inputSize(const QString &input) const
{
    InputSize size;
    size.characters = TextCut::characterCount(input);
    const qsizetype limit = maxLineBytes();
    if (limit <= 0)
        return size;
    const qsizetype used = lineBytes(input);
    size.fits = used <= limit;
    // The bytes a character of this text costs, its JSON escaping included; one byte for an
    // empty line.
    const qsizetype textBytes = qMax<qsizetype>(0, used - lineBytes(QString()));
    const double perCharacter =
            size.characters > 0 ? qMax(1.0, double(textBytes) / double(size.characters)) : 1.0;
    const qsizetype room = limit - used;
    size.maxCharacters = qMax(0, size.characters + int(std::floor(double(room) / perCharacter)));
    return size;
}

bool ChatClient::search(const QString &text)
{
    const QString words = TextSanitizer::clean(text).simplified();
    if (words.isEmpty() || m_connection->state() != ChatConnection::State::Connected)
        return false;
    ChatCommand request;
    request.type = ChatCommand::Type::Search;
    request.text = TextCut::left(words, ChatLimits::maxSearchCharacters);
    return m_connection->send(request);
}

QString ChatClient::conversationNameOf(const ChatMessage &message) const
{
    if (!message.room.isEmpty())
        return message.room;
    return NickRules::same(message.from, m_connection->nick()) ? message.to : message.from;
}

bool ChatClient::submit(const QString &input)
{
    const QString line = TextSanitizer::clean(input);
    if (line.trimmed().isEmpty())
        return false;
    ChatCommand command = ChatCommand::parse(line);
    using Type = ChatCommand::Type;
    switch (command.type) {
    case Type::Help:
        addLocal(ChatEntry::Kind::Status,
                 tr("Commands: /join #ROOM (join or make a room), /part [REASON] (leave this room), "
                    "/topic TEXT (set this room's topic), /rooms (list the rooms), /me ACTION (say what you "
                    "do), /msg NICK TEXT (private message), /nick NAME (change your nick), /who (who is "
                    "here), /quit [REASON] (leave). Start a line with // to send one that begins with /."));
        return true;
    case Type::Who: {
        // A room named, or the one shown.
        const Conversation *named =
                command.target.isEmpty() ? nullptr : m_conversations->find(RoomName::prepare(command.target));
        if (!command.target.isEmpty() && (!named || !named->joined)) {
            addLocal(ChatEntry::Kind::Error, tr("You are not in %1.").arg(command.target));
            return false;
        }
        const Conversation *here = named ? named : current();
        const QStringList nicks =
                here->users ? here->users->nicks() : QStringList{ m_connection->nick(), here->name };
        addLocal(ChatEntry::Kind::Status,
                 tr("%n here: %1", nullptr, int(nicks.size())).arg(QLocale().createSeparatedList(nicks)));
        return true;
    }
    case Type::Unknown:
        addLocal(ChatEntry::Kind::Error,
                 tr("Unknown command %1. Type /help for the list.").arg(command.target));
        return false;
    case Type::Nick:
        if (command.target.isEmpty()) {
            addLocal(ChatEntry::Kind::Status, tr("You are %1.").arg(m_connection->nick()));
            return true;
        }
        m_askedNick = command.target;
        break;
    case Type::Action:
        if (command.text.isEmpty()) {
            addLocal(ChatEntry::Kind::Error, tr("Usage: /me ACTION"));
            return false;
        }
        break;
    case Type::Private:
        if (command.target.isEmpty() || command.text.isEmpty()) {
            addLocal(ChatEntry::Kind::Error, tr("Usage: /msg NICK TEXT"));
            return false;
        }
        break;
    case Type::Quit:
        m_connection->disconnectFromServer(command.text);
        m_users->clear();
        addLocal(ChatEntry::Kind::Status, tr("You left the chat."));
        return true;
    case Type::Join:
        if (command.target.isEmpty()) {
            addLocal(ChatEntry::Kind::Error, tr("Usage: /join #ROOM"));
            return false;
        }
        // A name the server would refuse is explained here, in the user's words.
        if (RoomName::check(RoomName::prepare(command.target)) != NickRules::Problem::None) {
            const QString why = roomNameProblem(command.target);
            addLocal(ChatEntry::Kind::Error, why.isEmpty() ? tr("Usage: /join #ROOM") : why);
            return false;
        }
        if (Conversation *known = m_conversations->find(RoomName::prepare(command.target));
            known && known->joined) {
            setCurrent(known->name);
            return true;
        }
        command.target = RoomName::prepare(command.target);
        break;
    case Type::Part:
    case Type::Topic:
        // The current room, unless one is named.
        if (command.target.isEmpty()) {
            if (current()->kind != Conversation::Kind::Room) {
                if (command.type == Type::Part) {
                    closeConversation(current()->name);
                    return true;
                }
                addLocal(ChatEntry::Kind::Error, tr("A private conversation has no topic."));
                return false;
            }
            command.target = current()->name;
        }
        break;
    case Type::Rooms:
        m_showRoomList = true;
        break;
    case Type::Switch:
        if (!setCurrent(RoomName::looksLikeRoom(command.target) ? RoomName::prepare(command.target)
                                                                : command.target)) {
            addLocal(ChatEntry::Kind::Error, tr("You are not in %1.").arg(command.target));
            return false;
        }
        return true;
    case Type::Say:
    case Type::Hello:
    case Type::Ping:
    case Type::Pong:
    case Type::History:
    case Type::Search:
    case Type::TooLong:
    case Type::Dialect:
    case Type::Notice:
        break;
    case Type::Pass:
        addLocal(ChatEntry::Kind::Error,
                 tr("Here the password goes in the connect dialog (Chat › Connect)."));
        return false;
    case Type::Invalid:
        break;
    }
    // A message waits in the outbox while the connection is away; anything else needs it.
    const bool isMessage =
            command.type == Type::Say || command.type == Type::Action || command.type == Type::Private;
    const bool connected = m_connection->state() == ChatConnection::State::Connected;
    if (!connected && !(isMessage && !m_connection->host().isEmpty())) {
        addLocal(ChatEntry::Kind::Error, tr("Not connected: this was not sent."));
        return false;
    }
    // What is typed goes where the user is looking.
    if (command.type == Type::Say || command.type == Type::Action) {
        Conversation *here = current();
        if (here->kind == Conversation::Kind::Private) {
            if (command.type == Type::Action) {
                addLocal(ChatEntry::Kind::Error, tr("/me goes to rooms only; here, say it in words."));
                return false;
            }
            command.type = Type::Private;
            command.target = here->name;
        } else if (!here->joined) {
            addLocal(ChatEntry::Kind::Error,
                     tr("You left %1; /join %1 to talk there again.").arg(here->name));
            return false;
        } else if (here != m_conversations->at(0)) {
            command.target = here->name;
        }
    }
    if (const InputSize size = inputSize(line); !size.fits) {
        addLocal(ChatEntry::Kind::Error,
                 tr("Too long to send: %1 characters, and the server takes about %2 of text like this in one "
                    "line.")
                         .arg(size.characters)
                         .arg(size.maxCharacters));
        return false;
    }
    if (isMessage) {
        OutgoingMessage message;
        message.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        message.kind = command.type == Type::Private  ? OutgoingMessage::Kind::Private
                       : command.type == Type::Action ? OutgoingMessage::Kind::Action
                                                      : OutgoingMessage::Kind::Say;
        (message.kind == OutgoingMessage::Kind::Private ? message.to : message.room) = command.target;
        message.text = command.text;
        message.created = QDateTime::currentDateTimeUtc();
        openOutbox(m_connection->welcomedInSeries());
        m_outbox.add(message);
        conversationOf(message)->messages->append(pendingEntry(message));
        if (connected)
            sendOutgoing(message);
        return true;
    }
    return m_connection->send(command);
}

void ChatClient::openOutbox(bool carryOver)
{
    const HostPort home = m_connection->homeServer();
    const QString server = home.toString();
    if (home.host.isEmpty() || server == m_outboxServer)
        return;
    m_outboxServer = server;
    // Reconnecting to the next server of a cluster (ChatConnection::setAlternativeServers):
    // what waits goes with the conversation; another series is another server's business.
    Outbox left = m_outbox;
    m_outbox.open(home.host, home.port, ChatConnection::identityFor(home.host, home.port));
    if (const int dropped = m_outbox.load(ChatLimits::clientIdWindowMs); dropped > 0)
        addLocal(ChatEntry::Kind::Status,
                 tr("%n unsent message(s) from more than an hour ago were dropped: the server can no longer "
                    "tell whether they arrived, so sending them again could show them twice.",
                    nullptr, dropped));
    if (!carryOver)
        return;
    const QList<OutgoingMessage> carried = left.messages();
    for (const OutgoingMessage &message : carried) {
        if (!m_outbox.find(message.clientId))
            m_outbox.add(message);
        left.remove(message.clientId);
    }
}

void ChatClient::showOutbox()
{
    for (const OutgoingMessage &message : m_outbox.messages()) {
        int row = -1;
        if (!findOwn(message.clientId, &row))
            conversationOf(message)->messages->append(pendingEntry(message));
    }
}

void ChatClient::resendOutbox()
{
    const QDateTime expired = QDateTime::currentDateTimeUtc().addMSecs(-ChatLimits::clientIdWindowMs);
    const QList<OutgoingMessage> messages = m_outbox.messages();
    for (const OutgoingMessage &message : messages) {
        if (message.failed)
            continue;
        if (message.created < expired) {
            // The server has forgotten its client id: sent again it could be posted twice.
            markFailed(message.clientId,
                       tr("not confirmed within an hour; it may or may not have arrived. Retry sends it "
                          "again."));
            continue;
        }
        sendOutgoing(message);
    }
}

void ChatClient::sendOutgoing(const OutgoingMessage &message)
{
    ChatCommand command;
    command.type = message.kind == OutgoingMessage::Kind::Private  ? ChatCommand::Type::Private
                   : message.kind == OutgoingMessage::Kind::Action ? ChatCommand::Type::Action
                                                                   : ChatCommand::Type::Say;
    command.target = message.kind == OutgoingMessage::Kind::Private ? message.to : message.room;
    command.text = message.text;
    command.clientId = message.clientId;
    if (!m_connection->send(command))
        return;
    m_inFlight.append(message.clientId);
    // The server answers each private message with its echo or a refusal, in order; an older
    // server's refusal names nobody, so the client remembers whom it wrote to.
    if (command.type == ChatCommand::Type::Private) {
        if (m_privatesUnanswered.size() >= ChatLimits::maxUnansweredPrivates)
            m_privatesUnanswered.removeFirst();
        m_privatesUnanswered.append(command.target);
    }
}

ChatEntry ChatClient::pendingEntry(const OutgoingMessage &message) const
{
    ChatEntry entry;
    entry.kind = message.kind == OutgoingMessage::Kind::Private  ? ChatEntry::Kind::Private
                 : message.kind == OutgoingMessage::Kind::Action ? ChatEntry::Kind::Action
                                                                 : ChatEntry::Kind::Message;
    entry.time = message.created;
    entry.nick = m_connection->nick();
    entry.target = message.to;
    entry.text = message.text;
    entry.own = true;
    entry.clientId = message.clientId;
    entry.delivery = message.failed ? ChatEntry::Delivery::Failed : ChatEntry::Delivery::Pending;
    entry.failure = message.failure;
    return entry;
}

Conversation *ChatClient::conversationOf(const OutgoingMessage &message)
{
    if (message.kind == OutgoingMessage::Kind::Private)
        return m_conversations->ensure(Conversation::Kind::Private, message.to);
    return roomConversation(message.room);
}

Conversation *ChatClient::findOwn(const QString &clientId, int *row) const
{
    for (int index = 0; index < m_conversations->rowCount(); ++index) {
        Conversation *conversation = m_conversations->at(index);
        *row = conversation->messages->rowOfClientId(clientId);
        if (*row >= 0)
            return conversation;
    }
    return nullptr;
}

bool ChatClient::settle(const ChatEntry &real)
{
    // Only what waits in the outbox has a row to settle (a settled message leaves it).
    if (!real.own || real.clientId.isEmpty() || !m_outbox.find(real.clientId))
        return false;
    m_outbox.remove(real.clientId);
    m_inFlight.removeOne(real.clientId);
    // Looked for everywhere: a private conversation may have been opened under another
    // spelling of the nick than the server's.
    int row = -1;
    Conversation *conversation = findOwn(real.clientId, &row);
    if (!conversation)
        return false;
    conversation->messages->replace(row, real);
    return true;
}

void ChatClient::markFailed(const QString &clientId, const QString &reason)
{
    const OutgoingMessage *held = m_outbox.find(clientId);
    if (!held)
        return;
    OutgoingMessage message = *held;
    message.failed = true;
    message.failure = reason;
    m_outbox.update(message);
    m_inFlight.removeOne(clientId);
    int row = -1;
    if (Conversation *conversation = findOwn(clientId, &row))
        conversation->messages->replace(row, pendingEntry(message));
}

bool ChatClient::failInFlight(const ServerEvent &error, const QString &reason)
{
    // A server that names the message's client id says exactly which one it refused (any error
    // then: bad-field and usage too); an older one is guessed at below.
    if (!error.message.clientId.isEmpty()) {
        if (!m_inFlight.contains(error.message.clientId))
            return false;
        markFailed(error.message.clientId, reason);
        return true;
    }
    // Which message a refusal answers: the oldest in flight that it can be about (the server
    // answers in order; a private message's refusal names the nick, a room's the room).
    const auto answers = [&](const OutgoingMessage &message) {
        switch (error.code) {
        case ErrorCode::NoSuchNick:
        case ErrorCode::TargetLagging:
            return message.kind == OutgoingMessage::Kind::Private &&
                   (error.nick.isEmpty() || NickRules::same(error.nick, message.to));
        case ErrorCode::NotInRoom:
        case ErrorCode::NoSuchRoom:
        case ErrorCode::InvalidRoom:
        case ErrorCode::NoRoom:
            return message.kind != OutgoingMessage::Kind::Private &&
                   (error.room.isEmpty() || error.room == message.room);
        case ErrorCode::Unavailable:
        case ErrorCode::LineTooLong:
            return true;
        default:
            return false;
        }
    };
    const auto answered = std::find_if(m_inFlight.cbegin(), m_inFlight.cend(), [&](const QString &clientId) {
        const OutgoingMessage *message = m_outbox.find(clientId);
        return message && answers(*message);
    });
    if (answered == m_inFlight.cend())
        return false;
    markFailed(*answered, reason);
    return true;
}

bool ChatClient::retry(const QString &clientId)
{
    const OutgoingMessage *held = m_outbox.find(clientId);
    if (!held || !held->failed)
        return false;
    OutgoingMessage message = *held;
    // A refused message was not posted, so its client id is still the same message's; one the
    // server has forgotten (an hour) might have been, and goes as a new one.
    if (message.created < QDateTime::currentDateTimeUtc().addMSecs(-ChatLimits::clientIdWindowMs)) {
        message.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        message.created = QDateTime::currentDateTimeUtc();
        m_outbox.rename(clientId, message.clientId);
    }
    message.failed = false;
    message.failure.clear();
    m_outbox.update(message);
    int row = -1;
    if (Conversation *conversation = findOwn(clientId, &row))
        conversation->messages->replace(row, pendingEntry(message));
    if (m_connection->state() == ChatConnection::State::Connected)
        sendOutgoing(message);
    return true;
}

bool ChatClient::discard(const QString &clientId)
{
    const bool held = m_outbox.remove(clientId);
    m_inFlight.removeOne(clientId);
    int row = -1;
    Conversation *conversation = findOwn(clientId, &row);
    if (!conversation || conversation->messages->entry(row).delivery == ChatEntry::Delivery::Delivered)
        return held;
    conversation->messages->remove(row);
    return true;
}

void ChatClient::onWelcomed(const ServerEvent &welcome, bool resumed)
{
    // A new connection: nothing sent on the old one will be answered.
    m_privatesUnanswered.clear();
    m_inFlight.clear();
    // The history below is matched against it first: what was posted already settles there.
    openOutbox(resumed);
    for (int row = 0; row < m_conversations->rowCount(); ++row) {
        Conversation *conversation = m_conversations->at(row);
        if (conversation->loadingOlder)
            setOlderState(conversation, false, conversation->historyBegins);
    }
    // The first room of a welcome is the server's default room: the home conversation is it.
    Conversation *home = m_conversations->at(0);
    if (!welcome.rooms.isEmpty() && welcome.rooms.constFirst().name != home->name)
        m_conversations->rename(home->name, welcome.rooms.constFirst().name);
    for (const RoomInfo &room : welcome.rooms)
        applyRoom(room);
    const QStringList muted = QSettings().value(settingsKey() + QStringLiteral("/muted")).toStringList();
    for (const QString &name : muted) {
        if (Conversation *conversation = m_conversations->find(name)) {
            conversation->muted = true;
            m_conversations->changed(conversation);
        }
    }
    if (welcome.rooms.isEmpty()) {
        // A version-1 server: one room, its people in the welcome.
        m_users->reset(welcome.users, welcome.nick);
        home->online = welcome.online;
        home->presenceLive = welcome.presenceLive;
    }
    // Rooms the user was in that the server no longer has them in stay listed, greyed.
    for (int row = 0; row < m_conversations->rowCount(); ++row) {
        Conversation *conversation = m_conversations->at(row);
        if (conversation->kind != Conversation::Kind::Room || row == 0)
            continue;
        const bool in = std::any_of(welcome.rooms.begin(), welcome.rooms.end(),
                                    [&](const RoomInfo &room) { return room.name == conversation->name; });
        if (conversation->joined != in) {
            conversation->joined = in;
            m_conversations->changed(conversation);
        }
    }
    Q_EMIT presenceChanged();
    if (!home->presenceLive)
        addLocal(ChatEntry::Kind::Status, tooManyToList(home->online));
    // What was said before (a fresh start) or while away (a resume): history, not news. A
    // fresh start shows it above the line saying the client connected (it was said before);
    // a resume below "Reconnected." (it is what the user missed).
    if (resumed) {
        addLocal(ChatEntry::Kind::Status, tr("Reconnected."));
        if (!welcome.historyComplete)
            addLocal(ChatEntry::Kind::Status,
                     tr("Some messages from while you were away are no longer on the server."));
        addHistory(welcome.history);
    } else {
        addHistory(welcome.history);
        addLocal(ChatEntry::Kind::Status, tr("Connected to %1 (%2 port %3) as %4.")
                                                  .arg(welcome.serverName, m_connection->host())
                                                  .arg(m_connection->port())
                                                  .arg(welcome.nick));
    }
    // What the user sent that is not confirmed yet goes again, after the replay: below it.
    showOutbox();
    resendOutbox();
    rememberRooms();
    Q_EMIT currentUpdated();
}

void ChatClient::applyRoom(const RoomInfo &room)
{
    Conversation *conversation = m_conversations->ensure(Conversation::Kind::Room, room.name);
    conversation->joined = true;
    conversation->topic = room.topic;
    conversation->online = room.online;
    conversation->presenceLive = room.presenceLive;
    if (room.presenceLive)
        conversation->users->reset(room.users, m_connection->nick());
    else
        conversation->users->clear();
    m_conversations->changed(conversation);
    if (conversation == current())
        Q_EMIT currentUpdated();
}

Conversation *ChatClient::roomConversation(const QString &room)
{
    if (room.isEmpty())
        return m_conversations->at(0);
    return m_conversations->ensure(Conversation::Kind::Room, room);
}

Conversation *ChatClient::conversationOf(const ChatMessage &message)
{
    if (!message.isPrivate())
        return roomConversation(message.room);
    const QString me = m_connection->nick();
    const QString other = NickRules::same(message.from, me) ? message.to : message.from;
    return m_conversations->ensure(Conversation::Kind::Private, other);
}

int ChatClient::onlineCount() const
{
    const Conversation *here = current();
    if (!here->users)
        return 2; // a private conversation: the two of them
    return here->presenceLive ? here->users->rowCount() : here->online;
}

Conversation *ChatClient::current() const
{
    Conversation *conversation = m_conversations->find(m_current);
    return conversation ? conversation : m_conversations->at(0);
}

bool ChatClient::setCurrent(const QString &name)
{
    Conversation *conversation = m_conversations->find(name);
    if (!conversation)
        return false;
    if (conversation->name == current()->name && m_current == conversation->name)
        return true;
    m_current = conversation->name;
    conversation->mentioned = false;
    m_conversations->changed(conversation);
    Q_EMIT currentChanged(conversation);
    Q_EMIT presenceChanged();
    return true;
}

void ChatClient::openPrivate(const QString &nick)
{
    if (nick.isEmpty() || NickRules::same(nick, m_connection->nick()))
        return;
    m_conversations->ensure(Conversation::Kind::Private, nick);
    setCurrent(nick);
}

void ChatClient::closeConversation(const QString &name)
{
    Conversation *conversation = m_conversations->find(name);
    if (!conversation || conversation == m_conversations->at(0))
        return;
    if (conversation->kind == Conversation::Kind::Room && conversation->joined &&
        m_connection->state() == ChatConnection::State::Connected) {
        ChatCommand part;
        part.type = ChatCommand::Type::Part;
        part.target = conversation->name;
        m_connection->send(part);
    }
    // Away from it first: the row that takes its place in the list must not become current
    // (and be marked read) on the way.
    if (conversation == current())
        setCurrent(m_conversations->at(0)->name);
    m_conversations->remove(name);
    rememberRooms();
}

void ChatClient::setMuted(const QString &name, bool muted)
{
    Conversation *conversation = m_conversations->find(name);
    if (!conversation || conversation->muted == muted)
        return;
    conversation->muted = muted;
    m_conversations->changed(conversation);
    rememberRooms();
}

void ChatClient::requestRoomList()
{
    ChatCommand rooms;
    rooms.type = ChatCommand::Type::Rooms;
    m_connection->send(rooms);
}

void ChatClient::joinRoom(const QString &room)
{
    submit(u"/join " + room);
}

bool ChatClient::requestOlder(const QString &name)
{
    Conversation *conversation = m_conversations->find(name);
    if (!conversation || conversation->loadingOlder || conversation->historyBegins ||
        (conversation->kind == Conversation::Kind::Room && !conversation->joined) ||
        m_connection->state() != ChatConnection::State::Connected)
        return false;
    // Before the oldest message shown; with none shown, before anything there is.
    quint64 oldest = 0;
    const MessageModel *model = conversation->messages;
    for (int row = 0; row < model->rowCount(); ++row) {
        const quint64 id = model->entry(row).id;
        if (id != 0 && (oldest == 0 || id < oldest))
            oldest = id;
    }
    ChatCommand request;
    request.type = ChatCommand::Type::History;
    request.before = oldest != 0 ? oldest : m_connection->lastMessageId() + 1;
    request.limit = ChatLimits::clientOlderHistoryPage;
    if (conversation->kind == Conversation::Kind::Room)
        request.target = conversation->name;
    else
        request.with = conversation->name;
    if (!m_connection->send(request))
        return false;
    setOlderState(conversation, true, false);
    return true;
}

void ChatClient::setOlderState(Conversation *conversation, bool loading, bool begins)
{
    if (conversation->loadingOlder == loading && conversation->historyBegins == begins)
        return;
    conversation->loadingOlder = loading;
    conversation->historyBegins = begins;
    Q_EMIT olderHistoryChanged(conversation);
}

void ChatClient::addOlder(const ServerEvent &history)
{
    Conversation *conversation =
            history.room.isEmpty() ? m_conversations->find(history.to) : m_conversations->find(history.room);
    // Closed meanwhile: nothing to add to.
    if (!conversation)
        return;
    QList<ChatEntry> entries;
    entries.reserve(history.history.size());
    for (const ChatMessage &message : history.history)
        entries.append(messageEntry(message, conversation, false));
    conversation->messages->prependHistory(entries);
    setOlderState(conversation, false, !history.historyMore);
}

QString ChatClient::settingsKey() const
{
    return QStringLiteral("conversations/%1_%2").arg(m_connection->host()).arg(m_connection->port());
}

void ChatClient::rememberRooms() const
{
    if (m_connection->host().isEmpty())
        return;
    QStringList muted;
    for (int row = 0; row < m_conversations->rowCount(); ++row) {
        if (m_conversations->at(row)->muted)
            muted.append(m_conversations->at(row)->name);
    }
    // An empty list would be written as "@Invalid()": none is no key.
    QSettings settings;
    const auto store = [&settings](const QString &key, const QStringList &list) {
        if (list.isEmpty())
            settings.remove(key);
        else
            settings.setValue(key, list);
    };
    store(settingsKey() + QStringLiteral("/rooms"), m_conversations->rooms().mid(1));
    store(settingsKey() + QStringLiteral("/muted"), muted);
}

void ChatClient::onEvent(const ServerEvent &event)
{
    ChatEntry entry;
    entry.time = event.time.isValid() ? event.time : QDateTime::currentDateTimeUtc();
    const QString me = m_connection->nick();
    // Where the entry goes: the event's room, else what the user is looking at.
    Conversation *target = current();
    switch (event.type) {
    case ServerEvent::Type::SearchResults:
        Q_EMIT searchResultsReceived(event.text, event.history, event.historyMore);
        return;
    case ServerEvent::Type::Message: {
        Conversation *conversation = conversationOf(event.message);
        const ChatEntry message = messageEntry(event.message, conversation, true);
        // The echo of the user's own message takes the place of its pending row.
        if (!settle(message))
            conversation->messages->append(message);
        return;
    }
    case ServerEvent::Type::Private: {
        ChatMessage message = event.message;
        message.from = event.from;
        message.to = event.to;
        message.text = event.text;
        message.time = entry.time;
        target = conversationOf(message);
        entry.kind = ChatEntry::Kind::Private;
        entry.id = event.message.id;
        entry.nick = event.from;
        entry.target = event.to;
        entry.text = event.text;
        entry.own = event.from == me;
        if (entry.own) {
            // Delivered: answered.
            const auto answered =
                    std::find_if(m_privatesUnanswered.begin(), m_privatesUnanswered.end(),
                                 [&](const QString &to) { return NickRules::same(to, event.to); });
            if (answered != m_privatesUnanswered.end())
                m_privatesUnanswered.erase(answered);
        }
        if (!entry.own && !target->muted)
            Q_EMIT attentionWanted(target->name, tr("Private message from %1").arg(event.from), event.text);
        if (entry.own) {
            entry.clientId = event.message.clientId;
            if (settle(entry))
                return;
        }
        break;
    }
    case ServerEvent::Type::Join:
        target = roomConversation(event.room);
        if (NickRules::same(event.nick, me) && !event.room.isEmpty()) {
            // The room event that follows has its people; this one makes it the user's.
            target->joined = true;
            m_conversations->changed(target);
            setCurrent(target->name);
        } else {
            target->users->add({ event.nick, entry.time, event.text });
            ++target->online;
        }
        entry.kind = ChatEntry::Kind::Join;
        entry.nick = event.nick;
        break;
    case ServerEvent::Type::Part:
        // A room closed by the user is gone already.
        target = m_conversations->find(event.room.isEmpty() ? m_conversations->at(0)->name : event.room);
        if (!target)
            return;
        entry.kind = ChatEntry::Kind::Leave;
        entry.nick = event.nick;
        entry.text = event.text.isEmpty() ? tr("left %1").arg(event.room)
                                          : tr("left %1: %2").arg(event.room, event.text);
        if (NickRules::same(event.nick, me)) {
            target->joined = false;
            target->users->clear();
            m_conversations->changed(target);
            rememberRooms();
        } else {
            target->users->remove(event.nick);
            --target->online;
        }
        break;
    case ServerEvent::Type::Leave: {
        // Gone from the server: from every room it was in.
        entry.kind = ChatEntry::Kind::Leave;
        entry.nick = event.nick;
        entry.text = event.text;
        bool shown = false;
        for (int row = 0; row < m_conversations->rowCount(); ++row) {
            Conversation *conversation = m_conversations->at(row);
            if (conversation->kind != Conversation::Kind::Room || !conversation->users->contains(event.nick))
                continue;
            conversation->users->remove(event.nick);
            --conversation->online;
            conversation->messages->append(entry);
            shown = true;
        }
        if (!shown)
            m_messages->append(entry);
        return;
    }
    case ServerEvent::Type::Nick: {
        entry.kind = ChatEntry::Kind::NickChange;
        entry.nick = event.oldNick;
        entry.target = event.newNick;
        bool shown = false;
        for (int row = 0; row < m_conversations->rowCount(); ++row) {
            Conversation *conversation = m_conversations->at(row);
            if (conversation->kind != Conversation::Kind::Room ||
                !conversation->users->contains(event.oldNick))
                continue;
            conversation->users->rename(event.oldNick, event.newNick);
            conversation->messages->append(entry);
            shown = true;
        }
        m_conversations->rename(event.oldNick, event.newNick);
        if (!shown)
            current()->messages->append(entry);
        return;
    }
    case ServerEvent::Type::Topic:
        target = roomConversation(event.room);
        target->topic = event.text;
        m_conversations->changed(target);
        if (target == current())
            Q_EMIT currentUpdated();
        entry.kind = ChatEntry::Kind::Notice;
        entry.target = QStringLiteral("server");
        entry.text = event.text.isEmpty()
                             ? tr("%1 cleared the topic of %2.").arg(event.nick, event.room)
                             : tr("%1 set the topic of %2: %3").arg(event.nick, event.room, event.text);
        break;
    case ServerEvent::Type::RoomState:
        if (!event.rooms.isEmpty())
            applyRoom(event.rooms.constFirst());
        rememberRooms();
        return;
    case ServerEvent::Type::RoomList:
        Q_EMIT roomListReceived(event.rooms);
        if (!std::exchange(m_showRoomList, false))
            return;
        entry.kind = ChatEntry::Kind::Notice;
        entry.target = QStringLiteral("server");
        {
            QStringList lines;
            for (const RoomInfo &room : event.rooms)
                lines.append(room.topic.isEmpty()
                                     ? tr("%1 (%2)").arg(room.name).arg(room.online)
                                     : tr("%1 (%2): %3").arg(room.name).arg(room.online).arg(room.topic));
            entry.text = tr("Rooms: %1").arg(lines.join(QStringLiteral("; ")));
        }
        break;
    case ServerEvent::Type::History:
        if (event.before != 0)
            addOlder(event);
        else if (!event.room.isEmpty())
            addRecentLines(roomConversation(event.room), event.history);
        else
            addHistory(event.history);
        return;
    case ServerEvent::Type::Notice:
        if (!event.room.isEmpty())
            target = roomConversation(event.room);
        entry.kind = ChatEntry::Kind::Notice;
        entry.target = event.from;
        entry.text = event.text;
        break;
    case ServerEvent::Type::Error:
        // A kick or a ban is explained when the connection closes (closedByServer).
        if (ChatConnection::isClosingError(event))
            return;
        if (!event.room.isEmpty() && m_conversations->find(event.room)) {
            target = m_conversations->find(event.room);
            // A refused request for its older messages (the room is gone, say) is not awaited.
            if (target->loadingOlder)
                setOlderState(target, false, target->historyBegins);
        }
        entry.kind = ChatEntry::Kind::Error;
        entry.text = event.text;
        if ((event.code == ErrorCode::NickTaken || event.code == ErrorCode::InvalidNick) &&
            !m_askedNick.isEmpty()) {
            // A /nick refused: said in the user's language, as when connecting (the server's
            // text is English).
            const bool taken = event.code == ErrorCode::NickTaken;
            entry.text = ChatConnection::describe(taken ? ChatConnection::Failure::NickTaken
                                                        : ChatConnection::Failure::InvalidNick,
                                                  m_connection->host(), m_connection->port(),
                                                  taken ? m_askedNick + u'\n' + event.nick : m_askedNick);
            m_askedNick.clear();
        } else if (event.code == ErrorCode::NoSuchNick || event.code == ErrorCode::TargetLagging) {
            // A private message that was not delivered: said in the user's words, in the
            // conversation with that person when it is open.
            // The server names whom it was for; an older one does not, and then the oldest
            // message not yet answered is the one.
            QString to = event.nick;
            if (to.isEmpty())
                to = m_privatesUnanswered.isEmpty() ? QString() : m_privatesUnanswered.takeFirst();
            else
                m_privatesUnanswered.removeOne(to);
            if (Conversation *withThem = to.isEmpty() ? nullptr : m_conversations->find(to))
                target = withThem;
            if (event.code == ErrorCode::NoSuchNick)
                entry.text = to.isEmpty() ? tr("That person is not online, so the message was not delivered.")
                                          : tr("%1 is not online, so the message was not delivered.").arg(to);
            else
                entry.text = to.isEmpty()
                                     ? tr("That person is not keeping up with the chat right now, so the "
                                          "message was not delivered. Try again in a moment.")
                                     : tr("%1 is not keeping up with the chat right now, so the message "
                                          "was not delivered. Try again in a moment.")
                                               .arg(to);
        } else if (event.code == ErrorCode::Unavailable) {
            entry.text = tr("the server's cluster is away and too many messages are waiting for it already. "
                            "Try again later.");
        } else if (event.code == ErrorCode::LineTooLong) {
            entry.text = tr("too long for the server.");
        } else if (event.code == ErrorCode::NotInRoom || event.code == ErrorCode::NoSuchRoom ||
                   event.code == ErrorCode::NoRoom) {
            entry.text = event.room.isEmpty() ? tr("you are not in that room.")
                                              : tr("You are not in %1.").arg(event.room);
        }
        // A refused message stays where it was typed, marked, with the reason.
        if (failInFlight(event, entry.text))
            return;
        break;
    case ServerEvent::Type::Shutdown:
        entry.kind = ChatEntry::Kind::Status;
        entry.text = tr("The server is shutting down.");
        break;
    case ServerEvent::Type::Presence: {
        target = roomConversation(event.room);
        const bool wasLive = target->presenceLive;
        target->presenceLive = event.presenceLive;
        target->online = event.online;
        if (event.presenceLive)
            target->users->reset(event.users, me);
        else
            target->users->clear();
        if (target == current())
            Q_EMIT presenceChanged();
        if (wasLive == event.presenceLive)
            return;
        entry.kind = ChatEntry::Kind::Status;
        entry.text = event.presenceLive ? tr("Everyone here is listed again.") : tooManyToList(event.online);
        break;
    }
    case ServerEvent::Type::CaughtUp:
        // Joins, leaves and nick changes were skipped too: the list is the room as it is now
        // (and room events follow for every room).
        setPresence(event);
        entry.kind = ChatEntry::Kind::Status;
        entry.text = event.missed > 0 ? tr("You fell behind the conversation; the %n message(s) you missed "
                                           "follow.",
                                           nullptr, event.missed)
                                      : tr("You fell behind the conversation and have caught up.");
        break;
    case ServerEvent::Type::Status:
        // Shown as a banner for as long as it lasts (the window), not as a line.
        if (m_degraded != event.degraded) {
            m_degraded = event.degraded;
            Q_EMIT serverStatusChanged(m_degraded);
        }
        return;
    case ServerEvent::Type::Sent: {
        // A resend that was posted already: its first copy's id settles it. Without an id the
        // first copy is still on its way in a cluster, and its echo will settle it.
        m_inFlight.removeOne(event.message.clientId);
        int row = -1;
        Conversation *conversation = findOwn(event.message.clientId, &row);
        if (event.message.id == 0 || !conversation)
            return;
        m_outbox.remove(event.message.clientId);
        ChatEntry settled = conversation->messages->entry(row);
        settled.id = event.message.id;
        settled.delivery = ChatEntry::Delivery::Delivered;
        settled.failure.clear();
        conversation->messages->replace(row, settled);
        return;
    }
    case ServerEvent::Type::Welcome:
    case ServerEvent::Type::Pong:
    case ServerEvent::Type::Ping:
    case ServerEvent::Type::Invalid:
        return;
    }
    target->messages->append(entry);
}

void ChatClient::setPresence(const ServerEvent &event)
{
    Conversation *home = m_conversations->at(0);
    home->presenceLive = event.presenceLive;
    home->online = event.online;
    if (event.presenceLive)
        m_users->reset(event.users, m_connection->nick());
    else
        m_users->clear();
    Q_EMIT presenceChanged();
}

QString ChatClient::tooManyToList(int online)
{
    return tr("%n people are here: too many to follow who comes and goes, so the list of who is online is "
              "not shown.",
              nullptr, online);
}

void ChatClient::addHistory(const QList<ChatMessage> &messages)
{
    // Each conversation's share in one insertion, in the order the conversations come.
    QList<Conversation *> order;
    QHash<Conversation *, QList<ChatEntry>> entries;
    for (const ChatMessage &message : messages) {
        Conversation *conversation = conversationOf(message);
        const ChatEntry entry = messageEntry(message, conversation, false);
        // The user's own message that was waiting: it arrived after all, in its place.
        if (settle(entry))
            continue;
        if (!entries.contains(conversation))
            order.append(conversation);
        entries[conversation].append(entry);
    }
    for (Conversation *conversation : order)
        conversation->messages->appendHistory(entries.value(conversation));
}

void ChatClient::addRecentLines(Conversation *room, const QList<ChatMessage> &messages)
{
    // The server sends them after the join it answers with, but they were said before it: they
    // go before the line saying the user joined, as every chat shows them. A room rejoined
    // still holds some of them.
    MessageModel *model = room->messages;
    quint64 newestHeld = 0;
    int joinRow = -1;
    for (int row = model->rowCount() - 1; row >= 0; --row) {
        const ChatEntry &entry = model->entry(row);
        newestHeld = qMax(newestHeld, entry.id);
        if (joinRow < 0 && entry.kind == ChatEntry::Kind::Join &&
            NickRules::same(entry.nick, m_connection->nick()))
            joinRow = row;
    }
    QList<ChatEntry> entries;
    for (const ChatMessage &message : messages) {
        if (message.id > newestHeld)
            entries.append(messageEntry(message, room, false));
    }
    if (joinRow >= 0)
        model->insertHistory(joinRow, entries);
    else
        model->appendHistory(entries);
}

ChatEntry ChatClient::messageEntry(const ChatMessage &message, Conversation *conversation, bool live)
{
    ChatEntry entry;
    entry.kind = message.isPrivate()                         ? ChatEntry::Kind::Private
                 : message.kind == ChatMessage::Kind::Action ? ChatEntry::Kind::Action
                                                             : ChatEntry::Kind::Message;
    entry.id = message.id;
    entry.time = message.time;
    entry.nick = message.from;
    entry.target = message.to;
    entry.text = message.text;
    const QString me = m_connection->nick();
    entry.own = message.from == me;
    if (entry.own)
        entry.clientId = message.clientId;
    entry.mentionsMe = !entry.own && mentions(message.text, me);
    // A mention replayed from the history is highlighted, but it is old news: no badge, no
    // notification.
    if (!live)
        return entry;
    if (entry.mentionsMe && conversation != current()) {
        conversation->mentioned = true;
        m_conversations->changed(conversation);
    }
    if (entry.mentionsMe && !conversation->muted)
        Q_EMIT attentionWanted(conversation->name,
                               conversation->kind == Conversation::Kind::Room
                                       ? tr("%1 mentioned you in %2").arg(message.from, conversation->name)
                                       : tr("%1 mentioned you").arg(message.from),
                               message.text);
    return entry;
}

void ChatClient::addLocal(ChatEntry::Kind kind, const QString &text)
{
    ChatEntry entry;
    entry.kind = kind;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.text = text;
    current()->messages->append(entry);
}
