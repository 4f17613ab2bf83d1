#pragma once

#include "chatmessage.h"

#include <QList>

#include <deque>

// The most recent messages of the room, oldest first, never more than its capacity.
class MessageHistory
{
public:
    explicit MessageHistory(int capacity) : m_capacity(qMax(0, capacity)) { }

    void append(const ChatMessage &message);
    // The last count messages (fewer if fewer are held), oldest first.
    QList<ChatMessage> recent(int count) const;

    int size() const { return int(m_messages.size()); }
    int capacity() const { return m_capacity; }

private:
    std::deque<ChatMessage> m_messages;
    int m_capacity;
};
