#pragma once

#include "chatmessage.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <deque>
#include <functional>

// What one client may read of the history: the messages of some rooms and its own private
// messages (by the SHA-256 of its identity); everything for the server's own use.
struct HistoryScope
{
    QStringList rooms; // room names, as the rooms were created
    QByteArray identity; // private messages from or to it; empty: none
    bool everything = false;

    static HistoryScope all()
    {
        HistoryScope scope;
        scope.everything = true;
        return scope;
    }
    bool includes(const ChatMessage &message) const
    {
        if (everything)
            return true;
        if (message.isPrivate())
            return !identity.isEmpty() &&
                   (message.fromIdentity == identity || message.toIdentity == identity);
        return rooms.contains(message.room);
    }
    // The conversations it covers, as MessageHistory::holdsEverythingAfter takes them: its
    // rooms, and "" for private messages.
    QStringList conversations() const
    {
        return identity.isEmpty() ? rooms : rooms + QStringList{ QString() };
    }
};

// Part of one conversation, as IRCv3 chathistory asks for it: a room's messages, or the private
// messages between identity and the person called with; strictly between two bounds, each an
// id or a time or neither (open); the oldest or the newest limit of them.
struct HistoryWindow
{
    QString room; // a room's messages; empty: private ones
    QByteArray identity; // private: the asking person's identity (ChatMessage::fromIdentity)
    QString with; // private: the other person's nick (compared case-insensitively); empty: anyone
    quint64 afterId = 0; // 0: no lower id bound
    quint64 beforeId = 0; // 0: no upper id bound
    qint64 afterMs = -1; // ms since the epoch; -1: no lower time bound
    qint64 beforeMs = -1; // -1: no upper time bound
    int limit = 0;
    bool newest = false; // the newest limit of them, not the oldest
    // A search: only messages whose text holds every one of these, case-insensitively (none:
    // every message). The database finds them through its full-text index.
    QStringList words;

    bool includes(const ChatMessage &message) const
    {
        if (afterId != 0 && message.id <= afterId)
            return false;
        if (beforeId != 0 && message.id >= beforeId)
            return false;
        const qint64 ms = message.time.toMSecsSinceEpoch();
        if ((afterMs >= 0 && ms <= afterMs) || (beforeMs >= 0 && ms >= beforeMs))
            return false;
        for (const QString &word : words) {
            if (!message.text.contains(word, Qt::CaseInsensitive))
                return false;
        }
        if (!room.isEmpty())
            return message.room == room;
        if (!message.isPrivate() || identity.isEmpty())
            return false;
        if (with.isEmpty())
            return message.fromIdentity == identity || message.toIdentity == identity;
        return (message.fromIdentity == identity && message.to.compare(with, Qt::CaseInsensitive) == 0) ||
               (message.toIdentity == identity && message.from.compare(with, Qt::CaseInsensitive) == 0);
    }
};

// The most recent messages of every conversation (rooms and private ones), oldest first,
// never more than its capacity in all. Ids are strictly increasing, so "everything after id
// N" is a binary search; what one client may see of it is a filter (its rooms, its private
// messages). It remembers, per room, the newest message it let go, so it can tell whether it
// still holds everything of a room after an id.
class MessageHistory
{
public:
    using Filter = std::function<bool(const ChatMessage &)>;

    explicit MessageHistory(int capacity) : m_capacity(qMax(0, capacity)) { }

    void append(const ChatMessage &message);
    // The last count messages that pass filter (every message without one), oldest first.
    QList<ChatMessage> recent(int count, const Filter &filter = {}) const;
    // Every held message with an id greater than id that passes filter, oldest first.
    QList<ChatMessage> after(quint64 id, const Filter &filter = {}) const;
    // The held messages of a window (HistoryWindow), oldest first.
    QList<ChatMessage> window(const HistoryWindow &window) const;

    // Whether every message after id is still held (none has been dropped for capacity or
    // age); of the conversations given (room names, "" for private messages) or of all.
    bool holdsEverythingAfter(quint64 id) const;
    bool holdsEverythingAfter(quint64 id, const QStringList &conversations) const;

    // Messages up to id exist but are not held here (they are in the database, say).
    void setDroppedUpTo(quint64 id) { m_floor = qMax(m_floor, id); }
    // Drops the messages older than time.
    void dropOlderThan(const QDateTime &time);

    // Forgets every message of a room (it was closed).
    void forget(const QString &room);

    // Drops the oldest messages beyond a smaller capacity.
    void setCapacity(int capacity);

    int size() const { return int(m_messages.size()); }
    int capacity() const { return m_capacity; }

private:
    void dropped(const ChatMessage &message);
    void dropFront();

    std::deque<ChatMessage> m_messages;
    quint64 m_floor = 0; // setDroppedUpTo
    quint64 m_lastDroppedId = 0; // of any conversation
    QHash<QString, quint64> m_droppedIn; // conversation -> the newest id let go
    int m_capacity;
};
