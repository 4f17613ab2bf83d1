#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

class ClientSession;

// One room of the server: its name, its topic and the clients on this server that are in it,
// in the order they joined. Whether the others have been told about a member is the
// member's own (ClientSession::isAnnounced); announcedCount() counts those. Sending to the
// members is the server's (ChatServer::sendToRoom), so that every room shares one fast path.
class Room
{
public:
    explicit Room(const QString &name) : m_name(name), m_created(QDateTime::currentDateTimeUtc()) { }

    // "#general", as it was created (RoomName::prepare).
    QString name() const { return m_name; }
    QDateTime created() const { return m_created; }

    QString topic() const { return m_topic; }
    QString topicBy() const { return m_topicBy; }
    QDateTime topicTime() const { return m_topicTime; }
    // An empty text clears the topic.
    void setTopic(const QString &text, const QString &by, const QDateTime &time);

    const QList<ClientSession *> &members() const { return m_members; }
    bool isEmpty() const { return m_members.isEmpty(); }
    // client is not a member yet (its ClientSession::isIn says so in constant time; this
    // list would take linear time to search).
    void add(ClientSession *client) { m_members.append(client); }
    // False when client was not a member.
    bool remove(ClientSession *client);

    // Members the room has been told about (joined and announced), on this server.
    int announcedCount() const { return m_announced; }
    void countAnnounced(int delta) { m_announced += delta; }

    // Whether the database keeps it (it had a message or a topic): then it stays when empty,
    // until the admin closes it or it makes way for a new room at the limit.
    bool isStored() const { return m_stored; }
    void setStored() { m_stored = true; }

    // Messages said in the room since the server started (and those in its history before).
    qint64 messageCount() const { return m_messages; }
    void countMessages(qint64 count = 1) { m_messages += count; }

private:
    QString m_name;
    QDateTime m_created;
    QString m_topic;
    QString m_topicBy;
    QDateTime m_topicTime;
    QList<ClientSession *> m_members;
    int m_announced = 0;
    qint64 m_messages = 0;
    bool m_stored = false;
};
