#include "messagehistory.h"

#include <algorithm>

void MessageHistory::append(const ChatMessage &message)
{
    if (m_capacity == 0) {
        m_lastDroppedId = message.id;
        return;
    }
    if (int(m_messages.size()) == m_capacity) {
        m_lastDroppedId = m_messages.front().id;
        m_messages.pop_front();
    }
    m_messages.push_back(message);
}

void MessageHistory::setCapacity(int capacity)
{
    m_capacity = qMax(0, capacity);
    while (int(m_messages.size()) > m_capacity) {
        m_lastDroppedId = m_messages.front().id;
        m_messages.pop_front();
    }
}

QList<ChatMessage> MessageHistory::recent(int count) const
{
    const auto n = qBound(0, count, size());
    return QList<ChatMessage>(m_messages.end() - n, m_messages.end());
}

QList<ChatMessage> MessageHistory::after(quint64 id) const
{
    const auto first =
            std::upper_bound(m_messages.begin(), m_messages.end(), id,
                             [](quint64 value, const ChatMessage &message) { return value < message.id; });
    return QList<ChatMessage>(first, m_messages.end());
}

bool MessageHistory::holdsEverythingAfter(quint64 id) const
{
    return id >= m_lastDroppedId;
}

void MessageHistory::dropOlderThan(const QDateTime &time)
{
    while (!m_messages.empty() && m_messages.front().time < time) {
        m_lastDroppedId = m_messages.front().id;
        m_messages.pop_front();
    }
}
