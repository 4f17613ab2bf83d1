#include "conversationlistmodel.h"

#include "messagemodel.h"
#include "nickrules.h"
#include "roomname.h"
#include "userlistmodel.h"

#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

ConversationListModel::ConversationListModel(QObject *parent) : QAbstractListModel(parent) { }

ConversationListModel::~ConversationListModel() = default;

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_conversations.size());
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(KindRole, "kind");
    names.insert(UnreadRole, "unread");
    names.insert(MentionedRole, "mentioned");
    names.insert(MutedRole, "muted");
    names.insert(TopicRole, "topic");
    return names;
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Conversation &c = *m_conversations.at(size_t(index.row()));
    const int unread = c.messages->unreadCount();
    switch (role) {
    case Qt::DisplayRole: {
        // A badge as Slack and Element show it: the count after the name, "@" when it is for you.
        QString text = c.kind == Conversation::Kind::Private ? u"\u2022 " + c.name : c.name;
        if (unread > 0)
            text += c.mentioned ? QStringLiteral("  @%1").arg(unread) : QStringLiteral("  %1").arg(unread);
        return text;
    }
    case Qt::ToolTipRole:
        if (c.kind == Conversation::Kind::Private)
            return tr("Private conversation with %1").arg(c.name);
        return c.topic.isEmpty() ? c.name : c.name + u'\n' + c.topic;
    case Qt::FontRole: {
        QFont font = QGuiApplication::font();
        font.setBold(unread > 0 && !c.muted);
        font.setItalic(!c.joined);
        return font;
    }
    case Qt::ForegroundRole:
        if (c.mentioned && unread > 0)
            return QGuiApplication::palette().color(QPalette::Highlight);
        if (c.muted || !c.joined)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return QVariant();
    case Qt::AccessibleTextRole:
        return unread > 0 ? tr("%1, %n unread", nullptr, unread).arg(c.name) : c.name;
    case NameRole:
        return c.name;
    case KindRole:
        return int(c.kind);
    case UnreadRole:
        return unread;
    case MentionedRole:
        return c.mentioned;
    case MutedRole:
        return c.muted;
    case TopicRole:
        return c.topic;
    default:
        return QVariant();
    }
}

QStringList ConversationListModel::keysOf(const QString &name)
{
    if (RoomName::looksLikeRoom(name))
        return { u'#' + RoomName::keys(name).constFirst() };
    return NickRules::keys(name);
}

Conversation *ConversationListModel::find(const QString &name) const
{
    const int row = rowOf(name);
    return row < 0 ? nullptr : m_conversations[size_t(row)].get();
}

int ConversationListModel::rowOf(const QString &name) const
{
    const QStringList keys = keysOf(name);
    for (size_t i = 0; i < m_conversations.size(); ++i) {
        const QStringList &theirs = m_conversations[i]->keys;
        if (std::any_of(keys.cbegin(), keys.cend(),
                        [&theirs](const QString &key) { return theirs.contains(key); }))
            return int(i);
    }
    return -1;
}

Conversation *ConversationListModel::ensure(Conversation::Kind kind, const QString &name)
{
    if (Conversation *existing = find(name))
        return existing;
    std::unique_ptr<Conversation> conversation;
    const QStringList keys = keysOf(name);
    const auto closed = std::find_if(m_closed.begin(), m_closed.end(), [&keys](const auto &c) {
        return std::any_of(keys.cbegin(), keys.cend(),
                           [&c](const QString &key) { return c->keys.contains(key); });
    });
    if (kind == Conversation::Kind::Private && closed != m_closed.end()) {
        conversation = std::move(*closed);
        m_closed.erase(closed);
        conversation->name = name;
        conversation->keys = keys;
    } else {
        conversation = std::make_unique<Conversation>();
        conversation->kind = kind;
        conversation->name = name;
        conversation->keys = keys;
        conversation->messages = new MessageModel(this);
        if (kind == Conversation::Kind::Room)
            conversation->users = new UserListModel(this);
        Conversation *fresh = conversation.get();
        connect(fresh->messages, &MessageModel::unreadCountChanged, this, [this, fresh] { changed(fresh); });
    }
    Conversation *made = conversation.get();
    // Rooms first, then the private conversations, each in the order they came.
    size_t row = m_conversations.size();
    if (kind == Conversation::Kind::Room) {
        row = 0;
        while (row < m_conversations.size() && m_conversations[row]->kind == Conversation::Kind::Room)
            ++row;
    }
    beginInsertRows(QModelIndex(), int(row), int(row));
    m_conversations.insert(m_conversations.begin() + qsizetype(row), std::move(conversation));
    endInsertRows();
    return made;
}

void ConversationListModel::remove(const QString &name)
{
    const int row = rowOf(name);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    std::unique_ptr<Conversation> gone = std::move(m_conversations[size_t(row)]);
    m_conversations.erase(m_conversations.begin() + row);
    endRemoveRows();
    if (gone->kind == Conversation::Kind::Private) {
        gone->messages->markRead();
        gone->mentioned = false;
        m_closed.push_back(std::move(gone));
        return;
    }
    gone->messages->deleteLater();
    if (gone->users)
        gone->users->deleteLater();
}

QStringList ConversationListModel::rooms() const
{
    QStringList names;
    for (const auto &conversation : m_conversations) {
        if (conversation->kind == Conversation::Kind::Room && conversation->joined)
            names.append(conversation->name);
    }
    return names;
}

void ConversationListModel::changed(const Conversation *conversation)
{
    const int row = rowOf(conversation->name);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

void ConversationListModel::rename(const QString &oldName, const QString &newName)
{
    // A person's new nick, or the default room under the name the server gives it: a room
    // stays a room, a person a person.
    const bool room = RoomName::looksLikeRoom(newName);
    // A closed conversation follows the nick too, to be found under it when opened again.
    if (!room) {
        const QStringList oldKeys = keysOf(oldName);
        for (const auto &closed : m_closed) {
            if (std::any_of(oldKeys.cbegin(), oldKeys.cend(),
                            [&closed](const QString &key) { return closed->keys.contains(key); })) {
                closed->name = newName;
                closed->keys = keysOf(newName);
            }
        }
    }
    Conversation *conversation = find(oldName);
    if (!conversation || room != (conversation->kind == Conversation::Kind::Room) || find(newName))
        return;
    conversation->name = newName;
    conversation->keys = keysOf(newName);
    changed(conversation);
}
