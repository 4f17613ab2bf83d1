#pragma once

#include "chatcommand.h"
#include "chatlimits.h"
#include "lineframer.h"

#include <QAbstractSocket>
#include <QDateTime>
#include <QHostAddress>
#include <QObject>

class QTcpSocket;

// One connected client as the server sees it: its socket, the bytes it owes us (framed into
// lines and commands) and the bytes we owe it (bounded by the send-queue limit).
class ClientSession : public QObject
{
    Q_OBJECT

public:
    // Takes ownership of socket, which must be connected.
    ClientSession(QTcpSocket *socket, quint64 id, const ChatLimits &limits, QObject *parent = nullptr);

    quint64 id() const { return m_id; }
    QString nick() const { return m_nick; }
    void setNick(const QString &nick) { m_nick = nick; }

    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    // "192.0.2.1:5000" or "[2001:db8::1]:5000", for logs and the admin window.
    QString peer() const;
    QDateTime connectedAt() const { return m_connectedAt; }

    qint64 bytesReceived() const { return m_bytesReceived; }
    qint64 bytesSent() const { return m_bytesSent; }
    qint64 messagesSent() const { return m_messagesSent; }
    void countMessageSent() { ++m_messagesSent; }
    // Bytes waiting to be taken by the client's TCP connection.
    qint64 sendQueueBytes() const;

    // Queues bytes for the client; one whose queue passes the limit is dropped.
    void send(const QByteArray &bytes);
    void sendNotice(const QString &text);
    void sendError(const QString &text);

    // Sends what is queued, then disconnects. reason is what the log and the others see.
    void close(const QString &reason);
    // Disconnects at once, dropping what is queued.
    void abort(const QString &reason);
    bool isClosing() const { return m_closing; }

Q_SIGNALS:
    void commandReceived(const ChatCommand &command);
    void lineTooLong();
    // Emitted once, when the connection is gone; the session may be deleted afterwards.
    void closed(const QString &reason);

private:
    void readFromSocket();
    void flushOutput();
    void handleLine(QByteArrayView line);
    void onErrorOccurred(QAbstractSocket::SocketError error);
    void onDisconnected();

    QTcpSocket *m_socket;
    LineFramer m_framer;
    const qint64 m_maxSendQueueBytes;
    const quint64 m_id;
    QString m_nick;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QDateTime m_connectedAt;
    qint64 m_bytesReceived = 0;
    qint64 m_bytesSent = 0;
    qint64 m_messagesSent = 0;
    QString m_closeReason;
    bool m_closing = false;
    bool m_flushScheduled = false;
    bool m_closedEmitted = false;
};
