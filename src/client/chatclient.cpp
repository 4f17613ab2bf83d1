#include "chatclient.h"

#include "jsonprotocol.h"
#include "nickrules.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <cmath>

#include <QLocale>
#include <QRegularExpression>

ChatClient::ChatClient(QObject *parent)
    : QObject(parent),
      m_connection(new ChatConnection(this)),
      m_messages(new MessageModel(this)),
      m_users(new UserListModel(this))
{
    connect(m_connection, &ChatConnection::welcomed, this, &ChatClient::onWelcomed);
    connect(m_connection, &ChatConnection::eventReceived, this, &ChatClient::onEvent);
    connect(m_connection, &ChatConnection::nickChanged, m_users, &UserListModel::setSelf);
    connect(m_connection, &ChatConnection::connectionLost, this, [this](const QString &why) {
        m_users->clear();
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
    connect(m_connection, &ChatConnection::connectFailed, this,
            [this](ChatConnection::Failure, const QString &why) { addLocal(ChatEntry::Kind::Error, why); });
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

qsizetype ChatClient::lineBytes(const QString &input) const
{
    ChatCommand command = ChatCommand::parse(input);
    if (command.type == ChatCommand::Type::Action && command.text.isEmpty())
        command.text = QStringLiteral(" ");
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

bool ChatClient::submit(const QString &input)
{
    const QString line = TextSanitizer::clean(input);
    if (line.trimmed().isEmpty())
        return false;
    const ChatCommand command = ChatCommand::parse(line);
    using Type = ChatCommand::Type;
    switch (command.type) {
    case Type::Help:
        addLocal(ChatEntry::Kind::Status,
                 tr("Commands: /me ACTION (say what you do), /msg NICK TEXT (private message), "
                    "/nick NAME (change your nick), /who (who is here), /quit [REASON] (leave). "
                    "Start a line with // to send one that begins with /."));
        return true;
    case Type::Who: {
        const QStringList nicks = m_users->nicks();
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
    case Type::Part:
    case Type::Topic:
    case Type::Rooms:
    case Type::Switch:
        addLocal(ChatEntry::Kind::Error,
                 tr("This window shows one room; it cannot join or leave rooms yet."));
        return false;
    case Type::Say:
    case Type::Hello:
    case Type::Ping:
    case Type::Pong:
    case Type::History:
    case Type::TooLong:
        break;
    case Type::Pass:
        addLocal(ChatEntry::Kind::Error,
                 tr("Here the password goes in the connect dialog (Chat › Connect)."));
        return false;
    case Type::Invalid:
        break;
    }
    if (m_connection->state() != ChatConnection::State::Connected) {
        addLocal(ChatEntry::Kind::Error, tr("Not connected: this was not sent."));
        return false;
    }
    if (const InputSize size = inputSize(line); !size.fits) {
        addLocal(ChatEntry::Kind::Error,
                 tr("Too long to send: %1 characters, and the server takes about %2 of text like this in one "
                    "line.")
                         .arg(size.characters)
                         .arg(size.maxCharacters));
        return false;
    }
    return m_connection->send(command);
}

void ChatClient::onWelcomed(const ServerEvent &welcome, bool resumed)
{
    m_users->reset(welcome.users, welcome.nick);
    m_online = welcome.online;
    m_presenceLive = welcome.presenceLive;
    Q_EMIT presenceChanged();
    if (!welcome.presenceLive)
        addLocal(ChatEntry::Kind::Status, tooManyToList(welcome.online));
    if (resumed) {
        addLocal(ChatEntry::Kind::Status, tr("Reconnected."));
        if (!welcome.historyComplete)
            addLocal(ChatEntry::Kind::Status,
                     tr("Some messages from while you were away are no longer on the server."));
    } else {
        addLocal(ChatEntry::Kind::Status, tr("Connected to %1 (%2 port %3) as %4.")
                                                  .arg(welcome.serverName, m_connection->host())
                                                  .arg(m_connection->port())
                                                  .arg(welcome.nick));
    }
    QList<ChatEntry> history;
    history.reserve(welcome.history.size());
    for (const ChatMessage &message : welcome.history)
        history.append(messageEntry(message));
    m_messages->append(history);
}

void ChatClient::onEvent(const ServerEvent &event)
{
    ChatEntry entry;
    entry.time = event.time.isValid() ? event.time : QDateTime::currentDateTimeUtc();
    const QString me = m_connection->nick();
    switch (event.type) {
    case ServerEvent::Type::Message:
        m_messages->append(messageEntry(event.message));
        return;
    case ServerEvent::Type::Private:
        entry.kind = ChatEntry::Kind::Private;
        entry.nick = event.from;
        entry.target = event.to;
        entry.text = event.text;
        entry.own = event.from == me;
        if (!entry.own)
            Q_EMIT attentionWanted(tr("Private message from %1").arg(event.from), event.text);
        break;
    case ServerEvent::Type::Join:
        m_users->add({ event.nick, entry.time, event.text });
        entry.kind = ChatEntry::Kind::Join;
        entry.nick = event.nick;
        break;
    case ServerEvent::Type::Leave:
        m_users->remove(event.nick);
        entry.kind = ChatEntry::Kind::Leave;
        entry.nick = event.nick;
        entry.text = event.text;
        break;
    case ServerEvent::Type::Nick:
        m_users->rename(event.oldNick, event.newNick);
        entry.kind = ChatEntry::Kind::NickChange;
        entry.nick = event.oldNick;
        entry.target = event.newNick;
        break;
    case ServerEvent::Type::Notice:
        entry.kind = ChatEntry::Kind::Notice;
        entry.target = event.from;
        entry.text = event.text;
        break;
    case ServerEvent::Type::Error:
        // A kick or a ban is explained when the connection closes (closedByServer).
        if (ChatConnection::isClosingError(event))
            return;
        entry.kind = ChatEntry::Kind::Error;
        entry.text = event.text;
        break;
    case ServerEvent::Type::Shutdown:
        entry.kind = ChatEntry::Kind::Status;
        entry.text = tr("The server is shutting down.");
        break;
    case ServerEvent::Type::Presence: {
        const bool wasLive = m_presenceLive;
        setPresence(event);
        if (wasLive == event.presenceLive)
            return;
        entry.kind = ChatEntry::Kind::Status;
        entry.text = event.presenceLive ? tr("Everyone here is listed again.") : tooManyToList(event.online);
        break;
    }
    case ServerEvent::Type::CaughtUp:
        // Joins, leaves and nick changes were skipped too: the list is the room as it is now.
        setPresence(event);
        entry.kind = ChatEntry::Kind::Status;
        entry.text = event.missed > 0 ? tr("You fell behind the conversation; the %n message(s) you missed "
                                           "follow.",
                                           nullptr, event.missed)
                                      : tr("You fell behind the conversation and have caught up.");
        break;
    case ServerEvent::Type::Welcome:
    case ServerEvent::Type::Pong:
    case ServerEvent::Type::Ping:
    case ServerEvent::Type::History:
    case ServerEvent::Type::Part:
    case ServerEvent::Type::Topic:
    case ServerEvent::Type::RoomList:
    case ServerEvent::Type::RoomState:
    case ServerEvent::Type::Invalid:
        return;
    }
    m_messages->append(entry);
}

void ChatClient::setPresence(const ServerEvent &event)
{
    m_presenceLive = event.presenceLive;
    m_online = event.online;
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

ChatEntry ChatClient::messageEntry(const ChatMessage &message)
{
    ChatEntry entry;
    entry.kind =
            message.kind == ChatMessage::Kind::Action ? ChatEntry::Kind::Action : ChatEntry::Kind::Message;
    entry.id = message.id;
    entry.time = message.time;
    entry.nick = message.from;
    entry.text = message.text;
    const QString me = m_connection->nick();
    entry.own = message.from == me;
    entry.mentionsMe = !entry.own && mentions(message.text, me);
    if (entry.mentionsMe)
        Q_EMIT attentionWanted(tr("%1 mentioned you").arg(message.from), message.text);
    return entry;
}

void ChatClient::addLocal(ChatEntry::Kind kind, const QString &text)
{
    ChatEntry entry;
    entry.kind = kind;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.text = text;
    m_messages->append(entry);
}
