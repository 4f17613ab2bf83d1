#include "room.h"

void Room::setTopic(const QString &text, const QString &by, const QDateTime &time)
{
    m_topic = text;
    m_topicBy = text.isEmpty() ? QString() : by;
    m_topicTime = text.isEmpty() ? QDateTime() : time;
}

bool Room::remove(ClientSession *client)
{
    return m_members.removeOne(client);
}
