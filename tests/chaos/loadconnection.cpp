#include "loadconnection.h"

#include "timeline.h"

LoadConnection::LoadConnection(QChar letter, int index, bool sends, quint32 seed,
                               const QList<quint16> &proxyPorts, bool randomDrops, Timeline *timeline,
                               QObject *parent)
    : QObject(parent),
      m_prefix(QStringLiteral("%1%2-").arg(letter).arg(index)),
      m_random(seed),
      m_proxyPorts(proxyPorts),
      m_timeline(timeline),
      m_sending(sends),
      m_randomDrops(randomDrops)
{
    m_record.name = QStringLiteral("%1%2").arg(letter).arg(index);
    m_record.sends = sends;
    m_sendTimer.setSingleShot(true);
    connect(&m_sendTimer, &QTimer::timeout, this, [this] { sendNext(); });
    m_dropTimer.setSingleShot(true);
    connect(&m_dropTimer, &QTimer::timeout, this, [this] { drop(QStringLiteral("a random drop")); });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this,
            [this] { connectTo(m_random.bounded(int(m_proxyPorts.size()))); });
}

void LoadConnection::start()
{
    connectTo(m_random.bounded(int(m_proxyPorts.size())));
}

void LoadConnection::stopSending()
{
    m_sending = false;
    m_sendTimer.stop();
    m_dropTimer.stop();
}

int LoadConnection::unacknowledged() const
{
    int count = 0;
    for (const ClientRecord::Send &send : m_record.sent)
        count += send.acked ? 0 : 1;
    return count;
}

void LoadConnection::connectTo(int server)
{
    if (!m_finishing)
        openConnection(m_proxyPorts.at(server), server);
}

void LoadConnection::openConnection(quint16 port, int server)
{
    closeSocket();
    m_server = server;
    beginConnection();
    ++m_record.connections;
    m_socket = new QTcpSocket(this);
    QTcpSocket *socket = m_socket;
    connect(socket, &QTcpSocket::connected, this, [this] { greet(); });
    connect(socket, &QTcpSocket::readyRead, this, &LoadConnection::readLines);
    connect(socket, &QTcpSocket::disconnected, this, [this] { drop(QStringLiteral("connection closed")); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        if (socket->error() != QAbstractSocket::RemoteHostClosedError)
            drop(socket->errorString());
    });
    m_timeline->detail(QStringLiteral("%1 connects to server %2 (%3)")
                               .arg(m_record.name, QString::number(server + 1), connectionDetail()),
                       m_record.name);
    socket->connectToHost(QHostAddress::LocalHost, port);
}

void LoadConnection::drop(const QString &why)
{
    // None: lost already, or finished (and the last connection of a finished client is lost
    // as any other, for the dialect to tell).
    if (!m_socket)
        return;
    m_timeline->detail(QStringLiteral("%1 loses server %2: %3").arg(m_record.name).arg(m_server + 1).arg(why),
                       m_record.name);
    closeSocket();
    m_sendTimer.stop();
    m_dropTimer.stop();
    lost(why);
}

void LoadConnection::closeSocket()
{
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void LoadConnection::readLines()
{
    // A line's handling may drop the connection (or replace it): the rest is not for it.
    QTcpSocket *socket = m_socket;
    while (socket && socket == m_socket && socket->canReadLine())
        handleLine(socket->readLine());
}

void LoadConnection::sendIn(int minMs, int spreadMs)
{
    m_sendTimer.start(minMs + m_random.bounded(spreadMs));
}

void LoadConnection::dropIn(int minMs, int spreadMs)
{
    if (m_randomDrops)
        m_dropTimer.start(minMs + m_random.bounded(spreadMs));
}

void LoadConnection::reconnectIn(int minMs, int spreadMs)
{
    m_reconnectTimer.start(minMs + m_random.bounded(spreadMs));
}

QString LoadConnection::addSend(int attempts)
{
    ClientRecord::Send send;
    send.key = m_prefix + QString::number(++m_counter);
    send.firstSentMs = m_timeline->now();
    send.attempts = attempts;
    m_record.sent.insert(send.key, send);
    m_record.sendOrder.append(send.key);
    return send.key;
}

bool LoadConnection::markAcknowledged(const QString &key, qint64 id, const QString &by, qint64 atMs)
{
    auto it = m_record.sent.find(key);
    if (it == m_record.sent.end() || it->acked)
        return false;
    it->acked = true;
    it->ackedBy = by;
    it->ackedId = id;
    it->ackedMs = atMs;
    return true;
}

void LoadConnection::stopForGood()
{
    m_finishing = true;
    stopSending();
    m_reconnectTimer.stop();
}
