#include "messagehistory.h"

void MessageHistory::append(const ChatMessage &message)
{
    if (m_capacity == 0)
        return;
    if (int(m_messages.size()) == m_capacity)
        m_messages.pop_front();
    m_messages.push_back(message);
}

QList<ChatMessage> MessageHistory::recent(int count) const
{
    const auto n = qBound(0, count, size());
    return QList<ChatMessage>(m_messages.end() - n, m_messages.end());
}
