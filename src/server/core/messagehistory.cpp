#include "messagehistory.h"

#include <QStringList>

#include <algorithm>

void MessageHistory::dropped(const ChatMessage &message)
{
    m_lastDroppedId = message.id;
    m_droppedIn.insert(message.room, message.id);
}

void MessageHistory::dropFront()
{
    dropped(m_messages.front());
    m_messages.pop_front();
}

void MessageHistory::append(const ChatMessage &message)
{
    if (m_capacity == 0) {
        dropped(message);
        return;
    }
    if (int(m_messages.size()) == m_capacity)
        dropFront();
    m_messages.push_back(message);
}

void MessageHistory::setCapacity(int capacity)
{
    m_capacity = qMax(0, capacity);
    while (int(m_messages.size()) > m_capacity)
        dropFront();
}

QList<ChatMessage> MessageHistory::recent(int count, const Filter &filter) const
{
    if (!filter) {
        const auto n = qBound(0, count, size());
        return QList<ChatMessage>(m_messages.end() - n, m_messages.end());
    }
    QList<ChatMessage> found;
    for (auto it = m_messages.rbegin(); it != m_messages.rend() && found.size() < count; ++it) {
        if (filter(*it))
            found.append(*it);
    }
    std::reverse(found.begin(), found.end());
    return found;
}

QList<ChatMessage> MessageHistory::window(const HistoryWindow &window) const
{
    QList<ChatMessage> found;
    if (window.limit <= 0)
        return found;
    // From the end it starts at: the newest backwards, or the oldest forwards.
    if (window.newest) {
        for (auto it = m_messages.rbegin(); it != m_messages.rend() && found.size() < window.limit; ++it) {
            if (window.includes(*it))
                found.append(*it);
        }
        std::reverse(found.begin(), found.end());
    } else {
        for (auto it = m_messages.begin(); it != m_messages.end() && found.size() < window.limit; ++it) {
            if (window.includes(*it))
                found.append(*it);
        }
    }
    return found;
}

QList<ChatMessage> MessageHistory::after(quint64 id, const Filter &filter) const
{
    const auto first =
            std::upper_bound(m_messages.begin(), m_messages.end(), id,
                             [](quint64 value, const ChatMessage &message) { return value < message.id; });
    if (!filter)
        return QList<ChatMessage>(first, m_messages.end());
    QList<ChatMessage> found;
    for (auto it = first; it != m_messages.end(); ++it) {
        if (filter(*it))
            found.append(*it);
    }
    return found;
}

bool MessageHistory::holdsEverythingAfter(quint64 id) const
{
    return id >= m_floor && id >= m_lastDroppedId;
}

bool MessageHistory::holdsEverythingAfter(quint64 id, const QStringList &conversations) const
{
    if (id < m_floor)
        return false;
    return std::all_of(conversations.begin(), conversations.end(),
                       [&](const QString &conversation) { return id >= m_droppedIn.value(conversation); });
}

void MessageHistory::forget(const QString &room)
{
    m_messages.erase(std::remove_if(m_messages.begin(), m_messages.end(),
                                    [&room](const ChatMessage &message) { return message.room == room; }),
                     m_messages.end());
    m_droppedIn.remove(room);
}

void MessageHistory::dropOlderThan(const QDateTime &time)
{
    while (!m_messages.empty() && m_messages.front().time < time)
        dropFront();
}
