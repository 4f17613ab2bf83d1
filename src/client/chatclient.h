#pragma once

#include "chatconnection.h"
#include "messagemodel.h"
#include "userlistmodel.h"

#include <QObject>

// What the desktop window needs from the chat, without any widget: the connection, the
// conversation and the user list kept up to date from it, and the input line understood
// (slash commands as in plain mode).
class ChatClient : public QObject
{
    Q_OBJECT

public:
    explicit ChatClient(QObject *parent = nullptr);

    ChatConnection *connection() const { return m_connection; }
    MessageModel *messages() const { return m_messages; }
    UserListModel *users() const { return m_users; }

    // Handles what the user typed: a message, or a command such as /me, /msg, /nick, /who,
    // /help, /quit. Returns false when nothing could be sent (the conversation says why).
    bool submit(const QString &input);

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

    // Whether the server announces who comes and goes (it does not in very large rooms), and
    // how many were in the room when it last said.
    bool presenceLive() const { return m_presenceLive; }
    int onlineCount() const { return m_presenceLive ? m_users->rowCount() : m_online; }

    // Whether text mentions nick: a run of characters nicks can have (NickRules) that is the
    // same nick under the nick rules, so case, normalisation form and look-alikes count.
    static bool mentions(const QString &text, const QString &nick);

Q_SIGNALS:
    // Something the user should hear about even with the window in the background: a
    // private message, or a message that mentions them.
    void attentionWanted(const QString &title, const QString &text);
    // presenceLive() or onlineCount() changed.
    void presenceChanged();

private:
    void onWelcomed(const ServerEvent &welcome, bool resumed);
    void onEvent(const ServerEvent &event);
    static QString tooManyToList(int online);
    // The room's people and whether they are listed, as a Presence or CaughtUp event says.
    void setPresence(const ServerEvent &event);
    // The entry for a message, asking for attention when it mentions the user.
    ChatEntry messageEntry(const ChatMessage &message);
    // The client's own news (Status) or a refusal it decided itself (Error).
    void addLocal(ChatEntry::Kind kind, const QString &text);

    ChatConnection *m_connection;
    MessageModel *m_messages;
    UserListModel *m_users;
    int m_online = 0;
    bool m_presenceLive = true;
};
