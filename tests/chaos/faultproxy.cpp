#include "faultproxy.h"

#include "proxyconnection.h"

#include <QTcpSocket>

FaultProxy::FaultProxy(const QString &name, quint32 seed, QObject *parent)
    : QObject(parent), m_name(name), m_random(seed)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::accept);
    m_refuseTimer.setSingleShot(true);
    connect(&m_refuseTimer, &QTimer::timeout, this, &FaultProxy::allow);
}

bool FaultProxy::listen()
{
    if (!m_server.listen(QHostAddress::LocalHost, m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void FaultProxy::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        if (m_refusing || m_targetPort == 0) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new ProxyConnection(socket, m_targetPort, this);
        connect(connection, &ProxyConnection::finished, this, [this, connection] {
            m_connections.removeOne(connection);
            connection->deleteLater();
        });
        m_connections.append(connection);
    }
}

int FaultProxy::cutAll()
{
    const QList<ProxyConnection *> connections = m_connections;
    for (ProxyConnection *connection : connections)
        connection->cut(); // finished() takes it off the list
    return int(connections.size());
}

void FaultProxy::refuseFor(int ms)
{
    m_refusing = true;
    m_server.close();
    if (ms > 0)
        m_refuseTimer.start(ms);
}

void FaultProxy::allow()
{
    m_refuseTimer.stop();
    m_refusing = false;
    m_relistenTries = 0;
    listenAgain();
}

void FaultProxy::listenAgain()
{
    if (m_refusing || m_server.isListening())
        return;
    // The same port again; it is ours (SO_REUSEADDR), but retry briefly in case.
    if (!m_server.listen(QHostAddress::LocalHost, m_port) && ++m_relistenTries < 50)
        QTimer::singleShot(100, this, &FaultProxy::listenAgain);
}

bool FaultProxy::dropOne()
{
    if (m_connections.isEmpty())
        return false;
    m_connections.at(m_random.bounded(int(m_connections.size())))->cutMidStream();
    return true;
}

int FaultProxy::connectionCount() const
{
    return int(m_connections.size());
}
