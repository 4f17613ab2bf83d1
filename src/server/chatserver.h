#pragma once

#include "chatlimits.h"
#include "chatmessage.h"
#include "messagehistory.h"

#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTimer>

struct ChatCommand;
class ClientSession;
class QTcpServer;
class QTcpSocket;

// The room: accepts connections, gives each a ClientSession, carries out what clients ask
// and sends every message to everyone, in the order the server received them.
class ChatServer : public QObject
{
    Q_OBJECT

public:
    explicit ChatServer(const ChatLimits &limits = {}, QObject *parent = nullptr);
    ~ChatServer() override;

    // QHostAddress::Any listens on every IPv4 and IPv6 address. Port 0 picks a free port.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 6666);
    bool isListening() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    QString errorString() const;

    // Tells every client the server is shutting down, flushes what is queued for at most
    // ChatLimits::shutdownGraceMs, closes every connection and the listening socket, then
    // emits stopped(). listen() may be called again afterwards.
    void stop();
    bool isStopping() const { return m_stopping; }

    const ChatLimits &limits() const { return m_limits; }
    int clientCount() const { return int(m_clients.size()); }
    // In the order they connected.
    QList<ClientSession *> clients() const { return m_clients; }
    ClientSession *findClient(const QString &nick) const;

Q_SIGNALS:
    void clientJoined(ClientSession *client);
    void clientLeft(ClientSession *client, const QString &reason);
    void nickChanged(ClientSession *client, const QString &oldNick);
    void messagePosted(const ChatMessage &message);
    void stopped();

private:
    void acceptConnections();
    void refuse(QTcpSocket *socket, const QString &why);
    void addClient(ClientSession *client);
    void removeClient(ClientSession *client, const QString &reason);
    void handleCommand(ClientSession *client, const ChatCommand &command);
    void postMessage(ClientSession *from, ChatMessage::Kind kind, const QString &text);
    void sendPrivate(ClientSession *from, const QString &to, const QString &text);
    void changeNick(ClientSession *client, const QString &requested);
    void sendWho(ClientSession *client) const;
    void sendHelp(ClientSession *client) const;
    void broadcast(const QByteArray &bytes, const ClientSession *except = nullptr);
    QString nextGuestNick();
    void finishStop();

    ChatLimits m_limits;
    QTcpServer *m_server;
    MessageHistory m_history;
    QList<ClientSession *> m_clients;
    QHash<QString, ClientSession *> m_byNickKey; // NickRules::key(nick) -> client
    QTimer m_shutdownTimer;
    quint64 m_nextClientId = 1;
    quint64 m_nextMessageId = 1;
    quint64 m_guestCounter = 0;
    bool m_stopping = false;
};
