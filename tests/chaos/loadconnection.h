#pragma once

#include "clientrecord.h"

#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

class Timeline;

// What the harness's load clients do alike, whatever their dialect: one connection at a time
// to a server through its fault proxy, told in the timeline; a lost connection (closed, failed,
// or a random drop) aborted and followed by the dialect's reconnect; a send timer for the next
// numbered message ("c3-17"), and the record of what was sent and seen. The randomness
// (pauses, drops, which server) is the client's own generator's, seeded by the harness: a seed
// replays a run only while every draw comes in the same order, so each helper below that draws
// says how often (dropIn() not at all without random drops).
class LoadConnection : public QObject
{
    Q_OBJECT

public:
    // Connects to a random server's proxy (one draw).
    virtual void start();
    // No new messages from now on, and no random drops.
    void stopSending();
    const ClientRecord &record() const { return m_record; }
    // How many of the messages sent are not acknowledged yet (0 or more).
    int unacknowledged() const;

protected:
    // letter and index: the record's name ('c' and 3: "c3") and the keys' prefix ("c3-");
    // sends: whether it sends messages at all; seed: its generator's; proxyPorts: the proxy in
    // front of each server, on the dialect's port; randomDrops: whether it drops its
    // connection now and then (dropIn()).
    LoadConnection(QChar letter, int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts,
                   bool randomDrops, Timeline *timeline, QObject *parent);

    // The connection to server (an index into the proxy ports) through its proxy; nothing
    // once stopForGood() was called.
    void connectTo(int server);
    // The connection to port, which is server's (an index, for the timeline and the record);
    // the connection before, if any, is closed without counting as a drop.
    void openConnection(quint16 port, int server);
    // Loses the connection (why: for the timeline): aborted, no sending and no random drop
    // until the next one, then lost(why). Nothing without a connection.
    void drop(const QString &why);
    // Aborts the connection, if any, without a word to the dialect.
    void closeSocket();
    bool isConnected() const { return m_socket && m_socket->state() == QAbstractSocket::ConnectedState; }
    // sendNext() in minMs plus a random part below spreadMs (one draw).
    void sendIn(int minMs, int spreadMs);
    // A random drop in minMs plus a random part below spreadMs (one draw) if random drops are
    // on; else nothing, and no draw.
    void dropIn(int minMs, int spreadMs);
    // The next connection, to a random server's proxy, in minMs plus a random part below
    // spreadMs (one draw now, one for the server then).
    void reconnectIn(int minMs, int spreadMs);
    // The next key ("c3-17"), put in the record as first sent now with attempts (0 or 1); the key.
    QString addSend(int attempts);
    // Marks key acknowledged at atMs (the timeline's ms) by "echo", "sent" or "history", as id
    // (-1: none); false when it was already, or is no key this client sent.
    bool markAcknowledged(const QString &key, qint64 id, const QString &by, qint64 atMs);
    // The load is over: nothing more is sent, dropped or reconnected to a proxy. The
    // connection stays (the caller closes it, or replaces it with a last one).
    void stopForGood();

    // The dialect. Before a connection is counted: its own state reset.
    virtual void beginConnection() { }
    // The timeline's "(...)" after "connects to server N", as "connection 3".
    virtual QString connectionDetail() const = 0;
    // The connection is up: the dialect's first lines.
    virtual void greet() = 0;
    // One line as read, with its line end.
    virtual void handleLine(const QByteArray &line) = 0;
    // The send timer's turn.
    virtual void sendNext() = 0;
    // After drop(): what follows a lost connection (why, as the timeline has it).
    virtual void lost(const QString &why) = 0;

    QString m_prefix; // "c3-"
    QRandomGenerator m_random;
    QList<quint16> m_proxyPorts;
    Timeline *m_timeline;
    ClientRecord m_record;
    QPointer<QTcpSocket> m_socket;
    int m_server = -1;
    bool m_sending = true;
    bool m_finishing = false; // stopForGood() was called
    QTimer m_sendTimer;

private:
    void readLines();

    bool m_randomDrops;
    int m_counter = 0;
    QTimer m_dropTimer;
    QTimer m_reconnectTimer;
};
