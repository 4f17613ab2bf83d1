#include "plainloadclient.h"

#include "timeline.h"

#include <QRegularExpression>

PlainLoadClient::PlainLoadClient(int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts,
                                 bool randomDrops, Timeline *timeline, QObject *parent)
    : QObject(parent),
      m_prefix(QStringLiteral("p%1-").arg(index)),
      m_random(seed),
      m_proxyPorts(proxyPorts),
      m_randomDrops(randomDrops),
      m_timeline(timeline)
{
    m_record.name = QStringLiteral("p%1").arg(index);
    m_record.json = false;
    m_record.sends = sends;
    m_sending = sends;
    m_sendTimer.setSingleShot(true);
    connect(&m_sendTimer, &QTimer::timeout, this, &PlainLoadClient::sendNext);
    m_dropTimer.setSingleShot(true);
    connect(&m_dropTimer, &QTimer::timeout, this, [this] { drop(QStringLiteral("a random drop")); });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this,
            [this] { connectTo(m_random.bounded(int(m_proxyPorts.size()))); });
}

void PlainLoadClient::start()
{
    connectTo(m_random.bounded(int(m_proxyPorts.size())));
}

void PlainLoadClient::stopSending()
{
    m_sending = false;
    m_sendTimer.stop();
    m_dropTimer.stop();
}

void PlainLoadClient::finish()
{
    m_finished = true;
    stopSending();
    m_reconnectTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
}

void PlainLoadClient::connectTo(int server)
{
    if (m_finished)
        return;
    m_server = server;
    ++m_record.connections;
    m_socket = new QTcpSocket(this);
    QTcpSocket *socket = m_socket;
    connect(socket, &QTcpSocket::connected, this, [this, socket] {
        // A first line, so that the server greets and keeps the connection; taken or not.
        socket->write("/nick " + m_record.name.toUtf8() + '\n');
        if (m_sending)
            m_sendTimer.start(300 + m_random.bounded(400));
        if (m_randomDrops)
            m_dropTimer.start(5000 + m_random.bounded(15000));
    });
    connect(socket, &QTcpSocket::readyRead, this, &PlainLoadClient::readLines);
    connect(socket, &QTcpSocket::disconnected, this, [this] { drop(QStringLiteral("connection closed")); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        if (socket->error() != QAbstractSocket::RemoteHostClosedError)
            drop(socket->errorString());
    });
    m_timeline->detail(QStringLiteral("%1 connects to server %2 (connection %3)")
                               .arg(m_record.name)
                               .arg(server + 1)
                               .arg(m_record.connections),
                       m_record.name);
    socket->connectToHost(QHostAddress::LocalHost, m_proxyPorts.at(server));
}

void PlainLoadClient::drop(const QString &why)
{
    if (m_finished || !m_socket)
        return;
    m_timeline->detail(QStringLiteral("%1 loses server %2: %3").arg(m_record.name).arg(m_server + 1).arg(why),
                       m_record.name);
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
    m_sendTimer.stop();
    m_dropTimer.stop();
    m_reconnectTimer.start(300 + m_random.bounded(1200));
}

void PlainLoadClient::readLines()
{
    // "[HH:MM:SS] nick: c3-17" (one room: no room marker).
    static const QRegularExpression message(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] \\S+: (.*)$"));
    QTcpSocket *socket = m_socket;
    while (socket && socket == m_socket && socket->canReadLine()) {
        const QString line = QString::fromUtf8(socket->readLine()).trimmed();
        const QRegularExpressionMatch match = message.match(line);
        if (!match.hasMatch())
            continue;
        ClientRecord::Seen seen;
        seen.key = ClientRecord::keyOf(match.captured(1));
        if (seen.key.isEmpty()) {
            ++m_record.foreign;
            continue;
        }
        seen.atMs = m_timeline->now();
        seen.connection = m_record.connections;
        seen.server = m_server;
        m_record.seen.append(seen);
        auto it = m_record.sent.find(seen.key);
        if (it != m_record.sent.end() && !it->acked) {
            it->acked = true;
            it->ackedBy = QStringLiteral("echo");
            it->ackedMs = seen.atMs;
        }
    }
}

void PlainLoadClient::sendNext()
{
    if (!m_sending || !m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    const QString key = m_prefix + QString::number(++m_counter);
    ClientRecord::Send send;
    send.key = key;
    send.firstSentMs = m_timeline->now();
    send.attempts = 1;
    m_record.sent.insert(key, send);
    m_record.sendOrder.append(key);
    m_socket->write(key.toUtf8() + " end\n");
    m_sendTimer.start(300 + m_random.bounded(400));
}
