#pragma once

#include <QByteArray>
#include <QObject>

class QSocketNotifier;
class QSslSocket;

// Carries one TLS connection's plain text to and from a ClientSession. The session works on a
// raw descriptor (one sendmsg per pass, its own send queue and limits); for a TLS client that
// descriptor is one end of a local socket pair and this bridge owns the other end and the
// QSslSocket. Both directions are bounded: the bridge reads from one side only while the
// other has room, so a client that stops reading fills the session's send queue, where the
// usual soft and hard limits apply.
class TlsBridge : public QObject
{
    Q_OBJECT

public:
    // Takes the socket. sessionDescriptor() is -1 when no socket pair could be made.
    explicit TlsBridge(QSslSocket *socket, QObject *parent = nullptr);
    ~TlsBridge() override;

    // The session's end of the pair; the session owns it from now on.
    int takeSessionDescriptor();

private:
    void fromClient();
    void toSession();
    void fromSession();
    // The client ended the connection: what it sent still reaches the session, which sees the
    // end after it and closes its side when it has handled it.
    void clientGone();
    void finish();
    // The TLS socket holds less than a buffer's worth still to send.
    bool clientHasRoom() const;

    QSslSocket *m_socket;
    int m_fd = -1;
    int m_sessionFd = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    QByteArray m_toSession; // read from the client, not yet taken by the pair
    bool m_clientGone = false;
    bool m_finished = false;
};
