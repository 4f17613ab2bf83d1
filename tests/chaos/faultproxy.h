#pragma once

#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTimer>

class ProxyConnection;

// A TCP proxy on 127.0.0.1 in front of one target port (a server, or Redis for one server),
// with faults on demand: every connection cut at once, new connections refused for a while
// (the listening socket is closed, so connecting is refused by the kernel), one connection
// dropped in the middle of what it sends. Which connection is dropped comes from its own
// generator, seeded by the harness.
class FaultProxy : public QObject
{
    Q_OBJECT

public:
    FaultProxy(const QString &name, quint32 seed, QObject *parent = nullptr);

    // Listens on a free loopback port; false when none could be had.
    bool listen();
    quint16 port() const { return m_port; }
    void setTargetPort(quint16 port) { m_targetPort = port; }
    QString name() const { return m_name; }

    // Resets every connection; returns how many there were.
    int cutAll();
    // Refuses new connections for ms (0: until allow()).
    void refuseFor(int ms);
    void allow();
    bool isRefusing() const { return m_refusing; }
    // Drops one random connection mid-stream; false when there is none.
    bool dropOne();
    int connectionCount() const;

private:
    void accept();
    void listenAgain();

    QString m_name;
    QRandomGenerator m_random;
    QTcpServer m_server;
    quint16 m_port = 0;
    quint16 m_targetPort = 0;
    bool m_refusing = false;
    int m_relistenTries = 0;
    QTimer m_refuseTimer;
    QList<ProxyConnection *> m_connections; // the live ones; each is removed as it finishes
};
