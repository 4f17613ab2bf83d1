#pragma once

#include "serverevent.h"

#include <QAbstractListModel>

#include <memory>
#include <vector>

class MessageModel;
class UserListModel;

// One conversation of the desktop client: a room it is in, or a private conversation with
// one person. It owns what the window shows of it: the messages and, for a room, its people.
struct Conversation
{
    enum class Kind { Room, Private };

    Kind kind = Kind::Room;
    QString name; // "#dev", or the other person's nick
    QStringList keys; // what names are compared by (ConversationListModel::keysOf)
    MessageModel *messages = nullptr;
    UserListModel *users = nullptr; // a room's people
    QString topic;
    int online = 0;
    bool presenceLive = true;
    bool mentioned = false; // a message there mentioned the user since it was last read
    bool muted = false; // no notifications from it
    bool joined = true; // a room the user has left stays listed until closed, greyed
    // Scrolling back: a request for older messages is on its way (one at a time), or the
    // server said it holds none older than what is shown.
    bool loadingOlder = false;
    bool historyBegins = false;
};

// The side list of the desktop client (as Slack's sidebar or HexChat's tree): the rooms the
// user is in, then the private conversations, each with its unread count and whether it
// mentions the user. It owns the conversations and their models.
class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1, // QString: "#dev" or a nick
        KindRole, // Conversation::Kind as int
        UnreadRole, // int
        MentionedRole, // bool
        MutedRole, // bool
        TopicRole, // QString
    };

    explicit ConversationListModel(QObject *parent = nullptr);
    ~ConversationListModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The conversation called name (rooms by RoomName's rules, people by NickRules'); null
    // when there is none.
    Conversation *find(const QString &name) const;
    // The conversation, made (rooms before private conversations) when there is none; a
    // private conversation closed before comes back with what it held.
    Conversation *ensure(Conversation::Kind kind, const QString &name);
    // Takes a conversation off the list. A room's models go with it; a private conversation
    // is kept aside, read, for when it is opened again (the server cannot give back one
    // person's messages: docs/PROTOCOL.md has no such history request).
    void remove(const QString &name);
    Conversation *at(int row) const { return m_conversations.at(size_t(row)).get(); }
    int rowOf(const QString &name) const;
    QStringList rooms() const;
    // What a conversation called name is found by: a room's first RoomName key, marked as a
    // room's; a person's NickRules keys (two names are one when any keys are equal, as
    // NickRules::same). Computed once per name, not once per row searched.
    static QStringList keysOf(const QString &name);

    // Something about the conversation changed (topic, flags, unread count): its row repaints.
    void changed(const Conversation *conversation);
    // A private conversation follows the other person's new nick; a room takes the name the
    // server gives it (the default room's, known from the welcome).
    void rename(const QString &oldName, const QString &newName);

private:
    std::vector<std::unique_ptr<Conversation>> m_conversations; // rooms first, each kind by age
    std::vector<std::unique_ptr<Conversation>> m_closed; // private conversations closed
};
