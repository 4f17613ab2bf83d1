#pragma once

#include "chatconnection.h"
#include "conversationlistmodel.h"
#include "messagemodel.h"
#include "outbox.h"
#include "userlistmodel.h"

#include <QObject>

// What the desktop window needs from the chat, without any widget: the connection, the
// conversations (rooms and private ones, ConversationListModel) kept up to date from it, and
// the input line understood (slash commands as in plain mode), sent to the current
// conversation.
class ChatClient : public QObject
{
    Q_OBJECT

public:
    explicit ChatClient(QObject *parent = nullptr);
    // Waits until the outbox is written: what has not been sent is on disk when the client ends.
    ~ChatClient() override;

    ChatConnection *connection() const { return m_connection; }
    // The default room's conversation (the first of the list), where the client starts.
    MessageModel *messages() const { return m_messages; }
    UserListModel *users() const { return m_users; }
    ConversationListModel *conversations() const { return m_conversations; }

    // Where what the user types goes, and what the window shows.
    Conversation *current() const;
    // Makes the conversation called name current (false when there is none).
    bool setCurrent(const QString &name);
    // Opens the private conversation with nick (made when there is none) and makes it current.
    void openPrivate(const QString &nick);
    // Leaves a room (the server is told) or closes a private conversation.
    void closeConversation(const QString &name);
    // Notifications from a conversation on or off; remembered per server.
    void setMuted(const QString &name, bool muted);
    // Asks the server for its list of rooms (roomListReceived answers).
    void requestRoomList();
    // Asks the server for the newest messages, of every room one is in and one's private
    // conversations, whose text holds every word of text (at most ChatLimits::maxSearchCharacters
    // of it); searchResultsReceived() answers. False when not connected or text is blank.
    bool search(const QString &text);
    // The conversation a message belongs to as the side list names it: its room, or the other
    // person of a private message.
    QString conversationNameOf(const ChatMessage &message) const;
    void joinRoom(const QString &room);
    // Asks the server for the messages of the conversation called name that came before the
    // oldest one it shows (ChatLimits::clientOlderHistoryPage of them), to go above it. Does
    // nothing (false) while such a request is on its way, once the server said there are no
    // older ones, when not connected, or for a room the user left. olderHistoryChanged tells
    // when it is asked and answered.
    bool requestOlder(const QString &name);

    // Handles what the user typed: a message, or a command such as /me, /msg, /nick, /who,
    // /help, /quit. Returns false when nothing could be sent (the conversation says why).
    // A message shows at once as pending (ChatEntry::Delivery) and goes to the outbox: sent now
    // when connected, else as soon as the connection is back (also after a restart of the
    // client); the server's echo settles it in place.
    bool submit(const QString &input);

    // Sends the user's message that the server refused (ChatEntry::Delivery::Failed) again;
    // false when there is no such message.
    bool retry(const QString &clientId);
    // Deletes the user's message that is not settled yet, from its conversation and the
    // outbox; false when there is no such message.
    bool discard(const QString &clientId);
    // The messages not settled yet, oldest first.
    const Outbox &outbox() const { return m_outbox; }
    // The server said it lost its cluster (a "status" event): what is sent waits.
    bool serverDegraded() const { return m_degraded; }

    // The bytes that input takes on the wire as a request line, to compare with
    // maxLineBytes() while the user types.
    qsizetype lineBytes(const QString &input) const;
    // The server's announced limit, 0 before a welcome.
    qsizetype maxLineBytes() const { return m_connection->limits().maxLineBytes; }

    // What the user has typed, counted as a person counts (user-perceived characters, TextCut),
    // against what the server will take of it.
    struct InputSize
    {
        int characters = 0;
        // About how many characters in all the line may have, if the rest is like what was
        // typed so far (ASCII when nothing is): the server's limit is in bytes of the whole
        // request, so a line of Chinese takes a third of a line of Latin. 0: no limit known.
        int maxCharacters = 0;
        bool fits = true; // the request it becomes is within the server's limit
    };
    InputSize inputSize(const QString &input) const;

    // Whether the server announces who comes and goes in the current room (it does not in
    // very large rooms), and how many were in it when it last said.
    bool presenceLive() const { return current()->presenceLive; }
    int onlineCount() const;

    // Whether text mentions nick: a run of characters nicks can have (NickRules) that is the
    // same nick under the nick rules, so case, normalisation form and look-alikes count.
    static bool mentions(const QString &text, const QString &nick);
    // Why typed (with or without its "#") cannot be a room's name, by the server's rules
    // (RoomName), in the user's language; empty when it can be one, or when nothing follows
    // the "#" yet.
    static QString roomNameProblem(const QString &typed);

Q_SIGNALS:
    // Something the user should hear about even with the window in the background: a
    // private message, or a message that mentions them, live (not from the history), in a
    // conversation that is not muted. conversation is its name (as setCurrent takes it), title
    // says who and where ("bob mentioned you in #dev"), text is the whole message.
    void attentionWanted(const QString &conversation, const QString &title, const QString &text);
    // presenceLive() or onlineCount() changed.
    void presenceChanged();
    // current() is another conversation now.
    void currentChanged(Conversation *conversation);
    // The current conversation's topic, people or state changed.
    void currentUpdated();
    // The server's answer to requestRoomList().
    void roomListReceived(const QList<RoomInfo> &rooms);
    // The answer to search(): the search as the server read it, the messages found, newest
    // first, and whether more matched than were sent.
    void searchResultsReceived(const QString &text, const QList<ChatMessage> &messages, bool more);
    // A conversation's loadingOlder or historyBegins changed.
    void olderHistoryChanged(Conversation *conversation);
    // serverDegraded() changed.
    void serverStatusChanged(bool degraded);

private:
    void onWelcomed(const ServerEvent &welcome, bool resumed);
    void onEvent(const ServerEvent &event);
    static QString tooManyToList(int online);
    // The room's people and whether they are listed, as a Presence or CaughtUp event says.
    void setPresence(const ServerEvent &event);
    // The entry for a message; one arriving live asks for attention when it mentions the user
    // (unless its conversation is muted) and marks the conversation.
    ChatEntry messageEntry(const ChatMessage &message, Conversation *conversation, bool live);
    // Messages replayed by the server (a welcome's history, a room's recent lines), each in
    // its conversation, shown without counting as unread.
    void addHistory(const QList<ChatMessage> &messages);
    // A room's recent lines, sent as it is joined: before the line saying the user joined.
    void addRecentLines(Conversation *room, const QList<ChatMessage> &messages);
    // The answer to requestOlder: above what the conversation shows.
    void addOlder(const ServerEvent &history);
    void setOlderState(Conversation *conversation, bool loading, bool begins);
    // Where a message belongs: its room, or the private conversation with the other person.
    Conversation *conversationOf(const ChatMessage &message);
    // The room's conversation (the default room's for an empty name).
    Conversation *roomConversation(const QString &room);
    // The client's own news (Status) or a refusal it decided itself (Error), in the current
    // conversation.
    void addLocal(ChatEntry::Kind kind, const QString &text);
    void applyRoom(const RoomInfo &room);
    // What this server's rooms and mutes were when the user last used it (QSettings).
    QString settingsKey() const;
    void rememberRooms() const;

    // Sending exactly once (docs/PROTOCOL.md): the outbox of the server connected to, read
    // from its file the first time (a restart's unsent messages). carryOver: the connection
    // moved on to another server of its cluster, and what waits goes along.
    void openOutbox(bool carryOver);
    // A row for every outbox message that is not shown yet (restored after a restart).
    void showOutbox();
    // Every outbox message not refused goes on the wire again, in order, with its client id.
    void resendOutbox();
    void sendOutgoing(const OutgoingMessage &message);
    ChatEntry pendingEntry(const OutgoingMessage &message) const;
    Conversation *conversationOf(const OutgoingMessage &message);
    // The conversation showing the row with this client id (and the row), or nullptr.
    Conversation *findOwn(const QString &clientId, int *row) const;
    // The user's own message from the server (an echo, a replay) settles the pending row with
    // its client id: replaced in place, never shown twice. False when there is none.
    bool settle(const ChatEntry &real);
    // A refusal that answers a message in flight marks it failed, with reason; false when the
    // error is about something else.
    bool failInFlight(const ServerEvent &error, const QString &reason);
    void markFailed(const QString &clientId, const QString &reason);

    ChatConnection *m_connection;
    MessageModel *m_messages;
    UserListModel *m_users;
    ConversationListModel *m_conversations;
    QString m_current;
    // Whom the private messages not yet answered (echoed or refused) went to, oldest first.
    QStringList m_privatesUnanswered;
    // The nick the last /nick asked for, to explain a refusal in the user's language.
    QString m_askedNick;
    bool m_showRoomList = false; // the user typed /rooms: the answer is shown
    Outbox m_outbox;
    QString m_outboxServer; // host:port whose outbox m_outbox holds
    // Client ids sent on this connection and not yet answered, oldest first: the server
    // answers requests in order, and its refusals carry no client id.
    QStringList m_inFlight;
    bool m_degraded = false;
};
