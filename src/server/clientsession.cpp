#include "clientsession.h"

#include "jsonprotocol.h"
#include "plainprotocol.h"

#include <QTcpSocket>
#include <QTimerEvent>

ClientSession::ClientSession(QTcpSocket *socket, quint64 id, const ChatLimits &limits, QObject *parent)
    : QObject(parent),
      m_socket(socket),
      m_framer(limits.maxLineBytes),
      m_maxSendQueueBytes(limits.maxSendQueueBytes),
      m_id(id),
      m_peerAddress(plainAddress(socket->peerAddress())),
      m_peerPort(socket->peerPort()),
      m_connectedAt(QDateTime::currentDateTimeUtc())
{
    m_socket->setParent(this);
    // Small chat lines must not wait for the peer's delayed ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    // Qt would otherwise read everything the peer sends into memory before we see it.
    m_socket->setReadBufferSize(ChatLimits::socketReadBufferBytes);

    connect(m_socket, &QTcpSocket::readyRead, this, &ClientSession::readFromSocket);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &ClientSession::onErrorOccurred);
    connect(m_socket, &QTcpSocket::disconnected, this, &ClientSession::onDisconnected);
    // A timer of the object itself, not a QTimer: thousands of idle sessions should not
    // each carry one.
    m_announceTimer = startTimer(ChatLimits::announceDelayMs);
}

QHostAddress ClientSession::plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

QString ClientSession::peer() const
{
    if (m_peerAddress.protocol() == QAbstractSocket::IPv6Protocol)
        return u'[' + m_peerAddress.toString() + u"]:" + QString::number(m_peerPort);
    return m_peerAddress.toString() + u':' + QString::number(m_peerPort);
}

qint64 ClientSession::sendQueueBytes() const
{
    return m_socket->bytesToWrite();
}

void ClientSession::sendBytes(const QByteArray &bytes)
{
    if (m_closing || bytes.isEmpty())
        return;
    m_socket->write(bytes);
    m_bytesSent += bytes.size();
    // Everything sent while the event loop handles one batch of input goes out together;
    // only what the kernel then refuses counts against the client's send queue.
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &ClientSession::flushOutput, Qt::QueuedConnection);
    }
}

void ClientSession::send(const ServerEvent &event)
{
    sendBytes(isJson() ? JsonProtocol::encode(event) : PlainProtocol::encode(event));
}

void ClientSession::sendNotice(const QString &text)
{
    ServerEvent event;
    event.type = ServerEvent::Type::Notice;
    event.from = QStringLiteral("server");
    event.text = text;
    send(event);
}

void ClientSession::sendError(const QString &code, const QString &text)
{
    ServerEvent event;
    event.type = ServerEvent::Type::Error;
    event.code = code;
    event.text = text;
    send(event);
}

void ClientSession::flushOutput()
{
    m_flushScheduled = false;
    if (m_closing)
        return;
    m_socket->flush();
    if (m_socket->bytesToWrite() > m_maxSendQueueBytes)
        abort(QStringLiteral("send queue exceeded"));
}

void ClientSession::close(const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_closeReason = reason;
    // Deferred: the caller may be walking the client list, and a socket with nothing queued
    // reports its disconnection at once.
    QMetaObject::invokeMethod(m_socket, &QTcpSocket::disconnectFromHost, Qt::QueuedConnection);
}

void ClientSession::abort(const QString &reason)
{
    if (m_closing && m_closeReason == reason)
        return;
    m_closing = true;
    m_closeReason = reason;
    QMetaObject::invokeMethod(m_socket, &QTcpSocket::abort, Qt::QueuedConnection);
}

void ClientSession::replace()
{
    m_replaced = true;
    abort(QStringLiteral("replaced by a new connection"));
}

void ClientSession::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_announceTimer)
        return QObject::timerEvent(event);
    killTimer(m_announceTimer);
    m_announceTimer = 0;
    if (!m_closing)
        Q_EMIT announceDue();
}

void ClientSession::readFromSocket()
{
    char buffer[16 * 1024];
    while (!m_closing) {
        const qint64 n = m_socket->read(buffer, sizeof buffer);
        if (n <= 0)
            break;
        m_bytesReceived += n;
        m_framer.feed(
                QByteArrayView(buffer, n), [this](QByteArrayView line) { handleLine(line); },
                [this] { Q_EMIT lineTooLong(); });
    }
}

void ClientSession::handleLine(QByteArrayView line)
{
    if (m_closing || line.trimmed().isEmpty())
        return;
    if (m_mode == Mode::Undecided) {
        m_mode = JsonProtocol::isHello(line) ? Mode::Json : Mode::Plain;
    }
    if (m_mode == Mode::Json) {
        Q_EMIT commandReceived(JsonProtocol::decodeCommand(line));
        return;
    }
    const QString text = PlainProtocol::sanitize(line);
    if (text.trimmed().isEmpty())
        return;
    Q_EMIT commandReceived(ChatCommand::parse(text));
}

void ClientSession::onErrorOccurred(QAbstractSocket::SocketError error)
{
    if (!m_closeReason.isEmpty())
        return;
    m_closeReason = error == QAbstractSocket::RemoteHostClosedError ? QStringLiteral("connection closed")
                                                                    : m_socket->errorString();
}

void ClientSession::onDisconnected()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_closing = true;
    Q_EMIT closed(m_closeReason.isEmpty() ? QStringLiteral("connection closed") : m_closeReason);
}
