#pragma once

#include "clientrecord.h"

#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

class Timeline;

// An nc-style client: plain lines, no ids, no resume. A receiver only reads (its first line is
// a /nick, so that the server keeps it); a sender also sends numbered lines ("p1-4") without
// any cid, and counts one as acknowledged when it sees it come back. After a lost connection
// it connects again to a random server and starts afresh (the greeting replays the last
// lines, nothing more).
class PlainLoadClient : public QObject
{
    Q_OBJECT

public:
    PlainLoadClient(int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts, bool randomDrops,
                    Timeline *timeline, QObject *parent = nullptr);

    void start();
    void stopSending();
    void finish();
    const ClientRecord &record() const { return m_record; }

private:
    void connectTo(int server);
    void drop(const QString &why);
    void readLines();
    void sendNext();

    QString m_prefix; // "p1-"
    QRandomGenerator m_random;
    QList<quint16> m_proxyPorts;
    bool m_randomDrops;
    Timeline *m_timeline;
    ClientRecord m_record;
    QPointer<QTcpSocket> m_socket;
    int m_server = -1;
    bool m_sending = true;
    bool m_finished = false;
    int m_counter = 0;
    QTimer m_sendTimer;
    QTimer m_dropTimer;
    QTimer m_reconnectTimer;
};
