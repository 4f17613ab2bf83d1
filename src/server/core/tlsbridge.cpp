#include "tlsbridge.h"

#include "chatlimits.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

TlsBridge::TlsBridge(QSslSocket *socket, QObject *parent) : QObject(parent), m_socket(socket)
{
    m_socket->setParent(this);
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        m_socket->abort();
        return;
    }
    m_fd = pair[0];
    m_sessionFd = pair[1];
    // Bounds what the pair itself holds; beyond it the session queues, and counts.
    const int pairBuffer = ChatLimits::tlsBridgeBufferBytes;
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDBUF, &pairBuffer, sizeof pairBuffer);
    ::setsockopt(m_sessionFd, SOL_SOCKET, SO_SNDBUF, &pairBuffer, sizeof pairBuffer);
    m_socket->setReadBufferSize(ChatLimits::tlsBridgeBufferBytes);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_readNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &TlsBridge::fromSession);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &TlsBridge::toSession);
    connect(m_socket, &QSslSocket::readyRead, this, &TlsBridge::fromClient);
    // Room again in the TLS socket: take more of what the session sent.
    connect(m_socket, &QSslSocket::encryptedBytesWritten, this, [this] {
        if (!m_finished && clientHasRoom())
            m_readNotifier->setEnabled(true);
    });
    connect(m_socket, &QSslSocket::disconnected, this, &TlsBridge::clientGone);
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            clientGone();
        else
            finish();
    });
    // Bytes that came with the handshake.
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &TlsBridge::fromClient, Qt::QueuedConnection);
}

TlsBridge::~TlsBridge()
{
    if (m_fd >= 0)
        ::close(m_fd);
    if (m_sessionFd >= 0)
        ::close(m_sessionFd);
}

bool TlsBridge::clientHasRoom() const
{
    return m_socket->encryptedBytesToWrite() + m_socket->bytesToWrite() < ChatLimits::tlsBridgeBufferBytes;
}

int TlsBridge::takeSessionDescriptor()
{
    return std::exchange(m_sessionFd, -1);
}

void TlsBridge::fromClient()
{
    if (m_finished)
        return;
    // One buffer's worth at a time: more waits in the TLS socket (bounded by its read buffer)
    // and in the kernel, which slows the client down.
    if (m_toSession.size() < ChatLimits::tlsBridgeBufferBytes)
        m_toSession += m_socket->read(ChatLimits::tlsBridgeBufferBytes - m_toSession.size());
    toSession();
}

void TlsBridge::toSession()
{
    while (!m_toSession.isEmpty()) {
        const ssize_t n = ::send(m_fd, m_toSession.constData(), size_t(m_toSession.size()), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                m_writeNotifier->setEnabled(true);
                return;
            }
            finish();
            return;
        }
        m_toSession.remove(0, qsizetype(n));
    }
    m_writeNotifier->setEnabled(false);
    if (m_clientGone) {
        // Everything the client sent is with the session: now it may see the end.
        ::shutdown(m_fd, SHUT_WR);
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &TlsBridge::fromClient, Qt::QueuedConnection);
}

void TlsBridge::fromSession()
{
    char buffer[16 * 1024];
    while (clientHasRoom()) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            // A client that is gone cannot be sent anything; what the session says is dropped.
            if (!m_clientGone)
                m_socket->write(buffer, qint64(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        // The session closed its end: send what it said, then hang up, waiting no longer
        // than a closing session would for a client that does not read.
        m_readNotifier->setEnabled(false);
        if (m_clientGone) {
            finish();
            return;
        }
        m_socket->disconnectFromHost();
        QTimer::singleShot(ChatLimits::shutdownGraceMs, this, &TlsBridge::finish);
        return;
    }
    // The client is not reading: stop taking from the session until it does.
    m_readNotifier->setEnabled(false);
}

void TlsBridge::clientGone()
{
    if (m_finished || m_clientGone)
        return;
    m_clientGone = true;
    // The socket's read buffer is bounded (setReadBufferSize), so this is too.
    if (m_socket->bytesAvailable() > 0)
        m_toSession += m_socket->readAll();
    toSession();
    // A session that holds lines back (flood control) releases them at the flood rate: give it
    // that long, and the usual grace for what it says last.
    QTimer::singleShot(ChatLimits::inputDrainMs + ChatLimits::shutdownGraceMs, this, &TlsBridge::finish);
}

void TlsBridge::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_readNotifier) {
        m_readNotifier->setEnabled(false);
        m_writeNotifier->setEnabled(false);
    }
    // The session sees the end of its descriptor and goes as for any lost connection.
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_socket->abort();
    deleteLater();
}
