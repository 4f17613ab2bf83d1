#pragma once

#include <QByteArray>
#include <QTest>

#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

// A blocking loopback connection made outside the event loop: the test decides when the server
// (often in this process) gets to accept it, what is written and whether anything is read.
// Nothing is read unless waitForClose() skips it, so the server's queue for it can fill; a small
// receiveBufferBytes makes that happen sooner. Unlike TestClient, it can be written to from
// another thread and ended with a reset.
class RawConnection
{
public:
    explicit RawConnection(quint16 port, int receiveBufferBytes = 0)
        : m_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0))
    {
        if (receiveBufferBytes > 0)
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, sizeof receiveBufferBytes);
        sockaddr_in address = {};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        m_connected = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    }
    ~RawConnection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool isConnected() const { return m_connected; }

    // Writes everything, or stops at the first error (the server hung up); what was written.
    qint64 write(const char *data, qint64 size)
    {
        qint64 done = 0;
        while (done < size) {
            const ssize_t n = ::send(m_fd, data + done, size_t(size - done), MSG_NOSIGNAL);
            if (n <= 0)
                break;
            done += n;
        }
        return done;
    }
    // Whether all of bytes was written.
    bool send(const QByteArray &bytes) { return write(bytes.constData(), bytes.size()) == bytes.size(); }

    // True when the server hangs up within ms (anything it sends first is skipped).
    bool waitForClose(int ms)
    {
        // The server may be in this process: qWaitFor runs its event loop meanwhile.
        return QTest::qWaitFor(
                [this] {
                    char buffer[4096];
                    ssize_t n;
                    while ((n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) { }
                    return n == 0 || (errno != EAGAIN && errno != EINTR);
                },
                ms);
    }

    // Closes with SO_LINGER 0: a reset instead of a FIN.
    void reset()
    {
        const linger now = { 1, 0 };
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &now, sizeof now);
        ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd;
    bool m_connected = false;
};
