#pragma once

#include <QByteArray>
#include <QEventLoop>
#include <QSocketNotifier>
#include <QTest>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

// The far end of a connected pair of local stream sockets, for unit tests of ClientSession and
// WriteBatcher: the other end is a descriptor to hand to a ClientSession (which takes it over),
// this one is read and written directly by the test. Nothing is read unless the test asks, so
// a test can leave bytes in the kernel and let a session's send queue grow. Waits run the event
// loop, reading as bytes arrive, until what they wait for has arrived, within a time limit; they
// never sleep.
class SocketPeer
{
public:
    // Makes the pair; sessionDescriptor() is the end for the session.
    SocketPeer()
    {
        int fds[2] = { -1, -1 };
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            qFatal("socketpair: %s", strerror(errno));
        m_sessionEnd = fds[0];
        m_fd = fds[1];
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    }
    ~SocketPeer()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    SocketPeer(const SocketPeer &) = delete;
    SocketPeer &operator=(const SocketPeer &) = delete;

    qintptr sessionDescriptor() const { return m_sessionEnd; }

    // Shrinks the kernel's buffer for what the session sends (its end's send buffer: a local
    // stream socket keeps what is in flight there), so that a few KiB fill it.
    static void shrinkSendBuffer(qintptr descriptor, int bytes = 4096)
    {
        ::setsockopt(int(descriptor), SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
    }

    // Writes all of bytes (small enough for the kernel's buffer); false when it did not take them.
    bool write(const QByteArray &bytes)
    {
        const ssize_t n = ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL);
        return n == bytes.size();
    }
    // Ends this side: the session reads the end of input after what was written.
    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }

    // Takes whatever the kernel has for us now.
    void readAvailable()
    {
        char buffer[64 * 1024];
        while (!m_atEnd) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) {
                m_received.append(buffer, n);
            } else if (n == 0) {
                m_atEnd = true;
            } else if (errno != EINTR) {
                if (errno != EAGAIN)
                    m_atEnd = true;
                return;
            }
        }
    }
    // Whether the kernel holds bytes for us that we have not taken (without taking them).
    bool hasPendingBytes() const
    {
        char byte;
        return ::recv(m_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
    }

    // Everything read so far, and whether the session's side has ended (closed).
    const QByteArray &received() const { return m_received; }
    bool atEnd() const { return m_atEnd; }
    // Forgets what was read so far.
    QByteArray take() { return std::exchange(m_received, QByteArray()); }

    // Reads (running the event loop) until at least size bytes have arrived; false when they
    // have not within the time limit or the session's side ended first.
    bool waitForBytes(qsizetype size, int timeoutMs = 5000)
    {
        return waitUntil([&] { return m_received.size() >= size; }, timeoutMs);
    }
    // Reads until text has arrived (anywhere in what was received).
    bool waitForText(const QByteArray &text, int timeoutMs = 5000)
    {
        return waitUntil([&] { return m_received.contains(text); }, timeoutMs);
    }
    // Reads until the session's side ends.
    bool waitForEnd(int timeoutMs = 5000)
    {
        return waitUntil([this] { return m_atEnd; }, timeoutMs);
    }

private:
    // Runs the event loop, reading whenever bytes arrive, until done() holds or the session's
    // side ends or timeoutMs pass; done().
    template<typename Done>
    bool waitUntil(Done done, int timeoutMs)
    {
        readAvailable();
        if (done() || m_atEnd)
            return done();
        QEventLoop loop;
        QSocketNotifier notifier(qintptr(m_fd), QSocketNotifier::Read);
        QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
            readAvailable();
            if (done() || m_atEnd)
                loop.quit();
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        return done();
    }

    int m_fd = -1;
    int m_sessionEnd = -1;
    QByteArray m_received;
    bool m_atEnd = false;
};
