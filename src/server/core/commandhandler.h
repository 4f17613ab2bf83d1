#pragma once

#include "chatcommand.h"
#include "chatmessage.h"
#include "serverevent.h"

#include <QList>

#include <memory>

class ChatServer;
class ClientSession;
class IrcHandler;
class HistoryKeeper;
class Room;
struct HistoryScope;
class RoomDirectory;
class RoomKeeper;
struct ChatLimits;

// Carries out what one client asks (a ChatCommand, decoded from any dialect): the hello and
// welcome, messages to a room or a person, joining and leaving rooms, topics, nicks, who,
// history, help, quit. As Quassel's CoreUserInputHandler, it decides what a request means;
// ChatServer keeps the sessions, their nicks and the routing it asks for. Every refusal is an
// error event to the client that asked (docs/PROTOCOL.md lists the codes), never a
// disconnect, but for a failed hello.
class CommandHandler
{
public:
    // server must outlive the handler; the handler reads its rooms, history and limits.
    explicit CommandHandler(ChatServer &server);
    ~CommandHandler();

    // The one entry point: every command of client's, in the order it sent them.
    void handleCommand(ClientSession *client, const ChatCommand &command);
    // Carries out a command of the vocabulary for a client that may (it gave the password,
    // its handshake is done): what a dialect's own handler (IrcHandler) asks of the chat.
    void carryOut(ClientSession *client, const ChatCommand &command);
    // The last ChatLimits::historyLines messages of room, as a History event (empty history:
    // none; room then empty too).
    ServerEvent recentOf(const Room *room) const;
    // An IRC client's draft/multiline batches left open too long are dropped
    // (IrcHandler::expireBatches).
    void expireIrcBatches(ClientSession *client, qint64 nowMs);

private:
    void handleHello(ClientSession *client, const ChatCommand &hello);
    void sendWelcome(ClientSession *client, const ChatCommand &hello, const QString &identity);
    // Answers a history request: the messages after command.since, at most command.limit
    // (ChatLimits::maxHistoryReply), as many as fit half the send queue.
    void sendHistory(ClientSession *client, const ChatCommand &command);
    // Answers a history request with "before": the newest command.limit messages (at most
    // ChatLimits::maxHistoryReply, ChatLimits::historyBeforePage when 0) of one conversation
    // with ids below command.before, oldest first, as many as fit half the send queue; "more"
    // when older ones are held. A room must be one the client is in (else the refusals of
    // saying something there); a private conversation is the client's own with command.with,
    // by its identity, so nobody else's can be named (none without an identity).
    void sendOlderHistory(ClientSession *client, const ChatCommand &command);
    // A search (JSON "search"): the newest messages of the client's rooms and of its private
    // conversations (by its identity) whose text holds every word; never another's.
    void sendSearchResults(ClientSession *client, const ChatCommand &command);
    // clientId: the id the sender's client gave it (ChatMessage::clientId; empty: none).
    void sendPrivate(ClientSession *from, const QString &to, const QString &text,
                     ChatMessage::Kind kind = ChatMessage::Kind::Say, const QString &clientId = QString());
    void changeNick(ClientSession *client, const QString &requested);
    void sendWho(ClientSession *client, const QString &target);
    void sendHelp(ClientSession *client) const;
    // The room a command is about: target, or (empty) the client's current one; null, with
    // the client told why, when there is none it is in.
    Room *commandRoom(ClientSession *client, const QString &target);
    void joinRoom(ClientSession *client, const QString &target);
    void partRoom(ClientSession *client, const ChatCommand &command);
    void setTopic(ClientSession *client, const ChatCommand &command);
    void switchRoom(ClientSession *client, const QString &target);
    void sendRoomList(ClientSession *client) const;
    // A fresh start's history: the last ChatLimits::historyLines messages of each conversation
    // in scope (each room; each private conversation, the most recent maxReplayedPrivate-
    // Conversations of them), oldest first. From the memory's history only.
    QList<ChatMessage> recentPerConversation(const HistoryScope &scope) const;
    // How many of the messages from first on fit in half a client's send queue.
    template<typename Iterator>
    qsizetype fittingMessages(Iterator first, Iterator last) const;

    ChatServer &m_server;
    const ChatLimits &m_limits;
    RoomKeeper &m_roomKeeper;
    RoomDirectory &m_rooms;
    HistoryKeeper &m_history;
    std::unique_ptr<IrcHandler> m_irc;
};
