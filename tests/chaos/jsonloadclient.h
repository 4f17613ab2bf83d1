#pragma once

#include "clientrecord.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

class HistoryFetcher;
class Timeline;

// A client in the desktop client's dialect (JSON lines, protocol version 2, an identity kept
// across reconnects): sends numbered messages ("c3-17") each with that text as its cid, at
// most two unacknowledged at a time; an echo (a message with its cid or text) or a `sent`
// acknowledges one. After a lost connection it resumes with since and token on a random
// server and sends again, with the same cid, what the resumed history does not show. A
// server that refuses the cid field (bad-field) gets the rest without it. Its randomness
// (pauses, drops, which server) is its own generator's, seeded by the harness.
class JsonLoadClient : public QObject
{
    Q_OBJECT

public:
    // proxyPorts: the proxy in front of each server.
    JsonLoadClient(int index, quint32 seed, const QList<quint16> &proxyPorts, bool randomDrops,
                   Timeline *timeline, QObject *parent = nullptr);
    ~JsonLoadClient() override;

    void start();
    // No new messages from now on (what is unacknowledged is still sent after a reconnect).
    void stopSending();
    // The last connection, straight to a random server (directPorts): resume after the last
    // id, then read the whole history; finished() follows.
    void finish(const QList<quint16> &directPorts);
    const ClientRecord &record() const { return m_record; }
    int unacknowledged() const;

Q_SIGNALS:
    void finished();

private:
    void connectTo(int server);
    void reconnectSoon();
    void drop(const QString &why);
    void readLines();
    void handle(const QJsonObject &object);
    void handleMessage(const QJsonObject &message, bool replay);
    void acknowledge(const QString &key, qint64 id, const QString &by);
    void sendNext();
    void sendKey(const QString &key);
    void keepAlive();
    void write(const QByteArray &line);

    int m_index;
    QString m_prefix; // "c3-"
    QRandomGenerator m_random;
    QList<quint16> m_proxyPorts;
    bool m_randomDrops;
    Timeline *m_timeline;
    ClientRecord m_record;
    QString m_identity;
    QString m_token;
    QPointer<QTcpSocket> m_socket;
    int m_server = -1;
    bool m_welcomed = false;
    bool m_sending = true;
    bool m_finishing = false;
    bool m_useCid = true;
    bool m_useNick = true;
    qint64 m_lastId = 0;
    qint64 m_lastHeard = 0;
    qint64 m_connectedAt = 0;
    int m_counter = 0;
    int m_pingCounter = 0;
    QTimer m_sendTimer;
    QTimer m_keepAliveTimer;
    QTimer m_dropTimer;
    QTimer m_reconnectTimer;
    QTimer m_resendTimer; // after an `unavailable` refusal
    HistoryFetcher *m_final = nullptr;
};
