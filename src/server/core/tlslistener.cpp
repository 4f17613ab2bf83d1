#include "tlslistener.h"

#include "chatlimits.h"
#include "clientsession.h"
#include "serverlog.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSslKey>
#include <QSslSocket>

#include <limits>

TlsListener::TlsListener(std::function<bool(qintptr, const QHostAddress &, quint16)> admit,
                         std::function<void(const QHostAddress &)> release, QObject *parent)
    : QSslServer(parent), m_admit(std::move(admit)), m_release(std::move(release))
{
    setHandshakeTimeout(ChatLimits::tlsHandshakeTimeoutMs);
    // QSslServer counts handshakes under way as pending connections and stops accepting at
    // 30 by default: 30 silent connections would lock everyone out. The admission limits
    // bound them instead.
    setMaxPendingConnections(std::numeric_limits<int>::max());
    setListenBacklogSize(ChatLimits::listenBacklog);
    // A handshake finishes long after newConnection (emitted per accept): QSslServer says so
    // with pendingConnectionAvailable.
    connect(this, &QTcpServer::pendingConnectionAvailable, this, &TlsListener::takeEncrypted);
    // Why handshakes fail, for the log line when their socket goes.
    connect(this, &QSslServer::errorOccurred, this,
            [this](QSslSocket *socket, QAbstractSocket::SocketError error) {
                if (m_handshaking.contains(socket))
                    m_failures.insert(socket, error == QAbstractSocket::SocketTimeoutError
                                                      ? QStringLiteral("no handshake within %1 s")
                                                                .arg(ChatLimits::tlsHandshakeTimeoutMs / 1000)
                                                      : socket->errorString());
            });
}

void TlsListener::incomingConnection(qintptr descriptor)
{
    const auto [address, port] = ClientSession::peerOf(descriptor);
    if (!m_admit(descriptor, address, port))
        return;
    const qsizetype before = children().size();
    QSslServer::incomingConnection(descriptor);
    // QSslServer made the socket our newest child. It deletes it when the handshake fails or
    // times out, or the first byte is not a TLS ClientHello (plain text on the TLS port).
    QObject *socket = children().size() > before ? children().constLast() : nullptr;
    if (!qobject_cast<QSslSocket *>(socket)) {
        m_release(address);
        return;
    }
    m_handshaking.insert(socket, { address, port });
    connect(socket, &QObject::destroyed, this, [this](QObject *gone) {
        const auto it = m_handshaking.constFind(gone);
        if (it == m_handshaking.constEnd())
            return;
        const auto [from, fromPort] = *it;
        m_handshaking.erase(it);
        const QString why = m_failures.take(gone);
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("%1:%2 (TLS) dropped before the handshake completed: %3")
                                      .arg(from.toString(), QString::number(fromPort),
                                           why.isEmpty()
                                                   ? ServerLog::tr("not a TLS client, or it said nothing")
                                                   : why)));
        m_release(from);
    });
}

void TlsListener::takeEncrypted()
{
    while (hasPendingConnections()) {
        auto *socket = qobject_cast<QSslSocket *>(nextPendingConnection());
        if (!socket)
            continue;
        const auto it = m_handshaking.constFind(socket);
        if (it == m_handshaking.constEnd()) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        const auto [address, port] = *it;
        m_handshaking.erase(it);
        Q_EMIT handshakeDone(socket, address, port);
    }
}

std::optional<TlsListener::Credentials> TlsListener::loadCredentials(const QString &certificatePath,
                                                                     const QString &keyPath, QString *error)
{
    QFile certificateFile(certificatePath);
    if (!certificateFile.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read the certificate %1: %2").arg(certificatePath, certificateFile.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateFile.readAll(), QSsl::Pem);
    if (chain.isEmpty()) {
        *error = tr("%1 holds no PEM certificate").arg(certificatePath);
        return std::nullopt;
    }
    QFile keyFile(keyPath);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = tr("cannot read the key %1: %2").arg(keyPath, keyFile.errorString());
        return std::nullopt;
    }
    const QByteArray keyBytes = keyFile.readAll();
    QSslKey key(keyBytes, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyBytes, QSsl::Rsa, QSsl::Pem);
    if (key.isNull()) {
        *error = tr("%1 holds no PEM private key (EC or RSA, unencrypted)").arg(keyPath);
        return std::nullopt;
    }
    if (!QSslSocket::supportsSsl()) {
        *error = tr("TLS is not available (Qt's OpenSSL backend did not load)");
        return std::nullopt;
    }
    Credentials credentials;
    credentials.configuration = QSslConfiguration::defaultConfiguration();
    credentials.configuration.setLocalCertificateChain(chain);
    credentials.configuration.setPrivateKey(key);
    credentials.configuration.setProtocol(QSsl::TlsV1_2OrLater);
    credentials.configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    credentials.fingerprint =
            QString::fromLatin1(chain.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    return credentials;
}

void TlsListener::setCredentials(const Credentials &credentials)
{
    setSslConfiguration(credentials.configuration);
    m_fingerprint = credentials.fingerprint;
}

bool TlsListener::loadCertificate(const QString &certificatePath, const QString &keyPath, QString *error)
{
    const std::optional<Credentials> credentials = loadCredentials(certificatePath, keyPath, error);
    if (!credentials)
        return false;
    setCredentials(*credentials);
    return true;
}
