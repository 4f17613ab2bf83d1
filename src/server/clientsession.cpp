#include "clientsession.h"

#include "jsonprotocol.h"
#include "plainprotocol.h"

#include "writebatcher.h"

#include <QTcpSocket>
#include <QTimerEvent>

#include <sys/socket.h>
#include <sys/uio.h>

ClientSession::ClientSession(QTcpSocket *socket, quint64 id, const ChatLimits &limits, WriteBatcher *batcher,
                             QObject *parent)
    : QObject(parent),
      m_socket(socket),
      m_batcher(batcher),
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
    m_pieces.push_back({ -1, 0, bytes.size(), bytes });
    m_bytesSent += bytes.size();
    schedule();
}

void ClientSession::sendShared(int batch, qsizetype from, qsizetype to)
{
    if (m_closing || to <= from)
        return;
    // Consecutive broadcasts are one stretch of the batch.
    if (!m_pieces.empty() && m_pieces.back().batch == batch && m_pieces.back().to == from)
        m_pieces.back().to = to;
    else
        m_pieces.push_back({ batch, from, to, QByteArray() });
    m_bytesSent += to - from;
    schedule();
}

void ClientSession::schedule()
{
    if (m_batchSlot < 0)
        m_batcher->schedule(this);
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

void ClientSession::flushPending()
{
    if (m_pieces.empty())
        return;
    if (m_closing) {
        m_pieces.clear();
        return;
    }
    const auto data = [this](const Piece &piece) {
        return piece.batch < 0 ? piece.own.constData()
                               : m_batcher->batch(piece.batch).constData() + piece.from;
    };
    qsizetype written = 0;
    if (m_socket->bytesToWrite() == 0) {
        // Nothing queued before these bytes: hand them all to the kernel in one call.
        constexpr size_t maxPieces = 64;
        iovec pieces[maxPieces];
        size_t count = 0;
        for (const Piece &piece : m_pieces) {
            if (count == maxPieces)
                break;
            pieces[count++] = { const_cast<char *>(data(piece)), size_t(piece.to - piece.from) };
        }
        msghdr message = {};
        message.msg_iov = pieces;
        message.msg_iovlen = count;
        const ssize_t n = ::sendmsg(int(m_socket->socketDescriptor()), &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        // EAGAIN and errors alike leave the bytes to QTcpSocket, which waits for room or
        // reports the error the usual way.
        written = n > 0 ? qsizetype(n) : 0;
    }
    // What the kernel did not take queues in QTcpSocket, in order.
    for (const Piece &piece : m_pieces) {
        const qsizetype size = piece.to - piece.from;
        if (written >= size) {
            written -= size;
            continue;
        }
        m_socket->write(data(piece) + written, size - written);
        written = 0;
    }
    m_pieces.clear();
    if (m_socket->bytesToWrite() > m_maxSendQueueBytes)
        abort(QStringLiteral("send queue exceeded"));
}

void ClientSession::close(const QString &reason)
{
    if (m_closing)
        return;
    // What was said last (a goodbye, a shutdown notice) goes out before the connection ends.
    flushPending();
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
    m_pieces.clear();
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
