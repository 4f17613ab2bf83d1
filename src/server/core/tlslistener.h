#pragma once

#include <QHash>
#include <QHostAddress>
#include <QSslServer>

#include <functional>

class QSslSocket;

// The TLS port. A connection is admitted (bans, per-address and server-wide limits) before
// its handshake starts, so a crowd of handshakes from one place cannot hold the port; the
// handshake has ChatLimits::tlsHandshakeTimeoutMs to finish. Handshakes under way do not
// count against QTcpServer's pending-connection limit here: each encrypted socket is taken at
// once (handshakeDone).
class TlsListener : public QSslServer
{
    Q_OBJECT

public:
    // admit: may this address connect? Counts it if so (false: it closed the descriptor).
    // release: an admitted connection whose handshake failed.
    TlsListener(std::function<bool(qintptr, const QHostAddress &, quint16)> admit,
                std::function<void(const QHostAddress &)> release, QObject *parent = nullptr);

    int handshakesInProgress() const { return int(m_handshaking.size()); }

Q_SIGNALS:
    // An encrypted connection from an admitted address; the receiver takes the socket.
    void handshakeDone(QSslSocket *socket, const QHostAddress &address, quint16 port);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void takeEncrypted();

    std::function<bool(qintptr, const QHostAddress &, quint16)> m_admit;
    std::function<void(const QHostAddress &)> m_release;
    QHash<QObject *, std::pair<QHostAddress, quint16>> m_handshaking;
    QHash<QObject *, QString> m_failures;
};
