#pragma once

#include "chatmessage.h"

#include <QList>

#include <deque>

// The most recent messages of the room, oldest first, never more than its capacity. Ids are
// strictly increasing, so "everything after id N" is a binary search.
class MessageHistory
{
public:
    explicit MessageHistory(int capacity) : m_capacity(qMax(0, capacity)) { }

    void append(const ChatMessage &message);
    // The last count messages (fewer if fewer are held), oldest first.
    QList<ChatMessage> recent(int count) const;
    // Every held message with an id greater than id, oldest first.
    QList<ChatMessage> after(quint64 id) const;

    // Whether every message after id is still held (none has been dropped for capacity).
    bool holdsEverythingAfter(quint64 id) const;

    // Messages up to id exist but are not held here (they are in the database, say).
    void setDroppedUpTo(quint64 id) { m_lastDroppedId = qMax(m_lastDroppedId, id); }
    // Drops the messages older than time.
    void dropOlderThan(const QDateTime &time);

    // Drops the oldest messages beyond a smaller capacity.
    void setCapacity(int capacity);

    int size() const { return int(m_messages.size()); }
    int capacity() const { return m_capacity; }

private:
    std::deque<ChatMessage> m_messages;
    quint64 m_lastDroppedId = 0;
    int m_capacity;
};
