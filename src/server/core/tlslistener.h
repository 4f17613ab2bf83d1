#pragma once

#include <QHash>
#include <QHostAddress>
#include <QSslConfiguration>
#include <QSslServer>

#include <functional>
#include <optional>

class QSslSocket;

// The TLS port: its certificate and key (read from PEM files here), and its connections. A connection is
// admitted (bans, per-address and server-wide limits) before its handshake starts, so a crowd of handshakes
// from one place cannot hold the port; the handshake has ChatLimits::tlsHandshakeTimeoutMs to finish.
// Handshakes under way do not count against QTcpServer's pending-connection limit here: each encrypted socket
// is taken at once (handshakeDone).
class TlsListener : public QSslServer
{
    Q_OBJECT

public:
    // admit: may this address connect? Counts it if so (false: it closed the descriptor).
    // release: an admitted connection whose handshake failed.
    TlsListener(std::function<bool(qintptr, const QHostAddress &, quint16)> admit,
                std::function<void(const QHostAddress &)> release, QObject *parent = nullptr);

    int handshakesInProgress() const { return int(m_handshaking.size()); }

    // What a certificate and key make: the server side's TLS configuration (TLS 1.2 or later, no
    // client certificates) and the certificate's SHA-256 fingerprint as clients show it
    // ("AB:CD:...", 95 characters).
    struct Credentials
    {
        QSslConfiguration configuration;
        QString fingerprint;
    };
    // Reads a certificate chain and its private key from PEM files (the key EC or RSA,
    // unencrypted). Nothing, with why in *error ("cannot read the certificate PATH: ...", "PATH
    // holds no PEM private key ...", "TLS is not available ..."), when they cannot be used.
    static std::optional<Credentials> loadCredentials(const QString &certificatePath, const QString &keyPath,
                                                      QString *error);
    // Serves with credentials from the next handshake on.
    void setCredentials(const Credentials &credentials);
    // loadCredentials() then setCredentials(); false (the listener unchanged) when they fail.
    bool loadCertificate(const QString &certificatePath, const QString &keyPath, QString *error);
    // The fingerprint of the certificate in use; empty before one is set.
    QString fingerprint() const { return m_fingerprint; }

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
    QString m_fingerprint;
};
