#include "chatserver.h"

#include "chatcommand.h"
#include "clientsession.h"
#include "nickrules.h"
#include "plainprotocol.h"
#include "serverlog.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace {

const QString shutdownReason = QStringLiteral("server shutting down");

QString connectionTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

ChatServer::ChatServer(const ChatLimits &limits, QObject *parent)
    : QObject(parent), m_limits(limits), m_server(new QTcpServer(this)), m_history(limits.historyLines)
{
    m_server->setListenBacklogSize(ChatLimits::listenBacklog);
    connect(m_server, &QTcpServer::newConnection, this, &ChatServer::acceptConnections);
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, [this] {
        for (ClientSession *client : std::as_const(m_clients))
            client->abort(shutdownReason);
    });
}

ChatServer::~ChatServer() = default;

bool ChatServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_stopping || m_server->isListening())
        return false;
    return m_server->listen(address, port);
}

bool ChatServer::isListening() const
{
    return m_server->isListening();
}

QHostAddress ChatServer::serverAddress() const
{
    return m_server->serverAddress();
}

quint16 ChatServer::serverPort() const
{
    return m_server->serverPort();
}

QString ChatServer::errorString() const
{
    return m_server->errorString();
}

ClientSession *ChatServer::findClient(const QString &nick) const
{
    return m_byNickKey.value(NickRules::key(nick));
}

void ChatServer::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_server->close();
    qCInfo(lcServer, "stopping: telling %d client(s)", clientCount());
    if (m_clients.isEmpty()) {
        QMetaObject::invokeMethod(this, &ChatServer::finishStop, Qt::QueuedConnection);
        return;
    }
    for (ClientSession *client : std::as_const(m_clients)) {
        client->sendNotice(shutdownReason);
        client->close(shutdownReason);
    }
    m_shutdownTimer.start(ChatLimits::shutdownGraceMs);
}

void ChatServer::finishStop()
{
    m_shutdownTimer.stop();
    m_stopping = false;
    qCInfo(lcServer, "stopped");
    Q_EMIT stopped();
}

void ChatServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        if (m_stopping) {
            socket->abort();
            socket->deleteLater();
        } else if (clientCount() >= m_limits.maxClients) {
            refuse(socket, QStringLiteral("server full"));
        } else {
            addClient(new ClientSession(socket, m_nextClientId++, m_limits, this));
        }
    }
}

void ChatServer::refuse(QTcpSocket *socket, const QString &why)
{
    qCWarning(lcServer, "refused %s:%u: %s", qPrintable(socket->peerAddress().toString()), socket->peerPort(),
              qPrintable(why));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->write(PlainProtocol::errorLine(why));
    socket->disconnectFromHost();
}

void ChatServer::addClient(ClientSession *client)
{
    client->setNick(nextGuestNick());
    m_clients.append(client);
    m_byNickKey.insert(NickRules::key(client->nick()), client);
    connect(client, &ClientSession::commandReceived, this,
            [this, client](const ChatCommand &command) { handleCommand(client, command); });
    connect(client, &ClientSession::lineTooLong, client, [this, client] {
        qCWarning(lcServer, "%s (%s) sent a line over %lld bytes", qPrintable(client->nick()),
                  qPrintable(client->peer()), qlonglong(m_limits.maxLineBytes));
        client->sendError(QStringLiteral("line too long (limit %1 bytes)").arg(m_limits.maxLineBytes));
    });
    connect(client, &ClientSession::closed, this,
            [this, client](const QString &reason) { removeClient(client, reason); });

    qCInfo(lcServer, "%s connected as %s (%d online)", qPrintable(client->peer()), qPrintable(client->nick()),
           clientCount());
    client->sendNotice(QStringLiteral("welcome to groupchat, you are %1; %2 online; /help lists commands")
                               .arg(client->nick())
                               .arg(clientCount()));
    for (const ChatMessage &message : m_history.recent(m_limits.historyLines))
        client->send(PlainProtocol::messageLine(message));
    broadcast(PlainProtocol::noticeLine(client->nick() + u" joined"), client);
    Q_EMIT clientJoined(client);
}

void ChatServer::removeClient(ClientSession *client, const QString &reason)
{
    m_clients.removeOne(client);
    m_byNickKey.remove(NickRules::key(client->nick()));
    qCInfo(lcServer, "%s (%s) disconnected: %s (%d online)", qPrintable(client->nick()),
           qPrintable(client->peer()), qPrintable(reason), clientCount());
    if (!m_stopping)
        broadcast(PlainProtocol::noticeLine(client->nick() + u" left (" + reason + u')'));
    Q_EMIT clientLeft(client, reason);
    client->deleteLater();
    if (m_stopping && m_clients.isEmpty())
        finishStop();
}

void ChatServer::handleCommand(ClientSession *client, const ChatCommand &command)
{
    using Type = ChatCommand::Type;
    switch (command.type) {
    case Type::Say:
        postMessage(client, ChatMessage::Kind::Say, command.text);
        break;
    case Type::Action:
        if (command.text.isEmpty())
            client->sendError(QStringLiteral("usage: /me ACTION"));
        else
            postMessage(client, ChatMessage::Kind::Action, command.text);
        break;
    case Type::Private:
        sendPrivate(client, command.target, command.text);
        break;
    case Type::Nick:
        changeNick(client, command.target);
        break;
    case Type::Who:
        sendWho(client);
        break;
    case Type::Help:
        sendHelp(client);
        break;
    case Type::Quit: {
        const QString reason = command.text.isEmpty() ? QStringLiteral("quit")
                                                      : command.text.left(ChatLimits::maxReasonLength);
        client->sendNotice(QStringLiteral("goodbye"));
        client->close(reason);
        break;
    }
    case Type::Unknown:
        client->sendError(QStringLiteral("unknown command %1, try /help")
                                  .arg(command.target.left(ChatLimits::maxNickLength)));
        break;
    }
}

void ChatServer::postMessage(ClientSession *from, ChatMessage::Kind kind, const QString &text)
{
    ChatMessage message;
    message.id = m_nextMessageId++;
    message.time = QDateTime::currentDateTimeUtc();
    message.from = from->nick();
    message.text = text;
    message.kind = kind;
    from->countMessageSent();
    m_history.append(message);
    broadcast(PlainProtocol::messageLine(message));
    Q_EMIT messagePosted(message);
}

void ChatServer::sendPrivate(ClientSession *from, const QString &to, const QString &text)
{
    if (to.isEmpty() || text.isEmpty()) {
        from->sendError(QStringLiteral("usage: /msg NICK TEXT"));
        return;
    }
    ClientSession *target = findClient(to);
    if (!target) {
        from->sendError(QStringLiteral("no such nick: %1").arg(to.left(ChatLimits::maxNickLength)));
        return;
    }
    const QByteArray line =
            PlainProtocol::privateLine(QDateTime::currentDateTimeUtc(), from->nick(), target->nick(), text);
    target->send(line);
    if (target != from)
        from->send(line);
}

void ChatServer::changeNick(ClientSession *client, const QString &requested)
{
    const QString nick = requested.normalized(QString::NormalizationForm_C);
    if (nick.isEmpty()) {
        client->sendNotice(QStringLiteral("you are %1; /nick NAME changes it").arg(client->nick()));
        return;
    }
    if (!NickRules::isValid(nick)) {
        client->sendError(QStringLiteral("invalid nick: use %1").arg(NickRules::ruleText()));
        return;
    }
    if (nick == client->nick()) {
        client->sendNotice(QStringLiteral("you are already %1").arg(nick));
        return;
    }
    const QString key = NickRules::key(nick);
    ClientSession *owner = m_byNickKey.value(key);
    if (owner && owner != client) {
        client->sendError(QStringLiteral("nick %1 is already taken").arg(nick));
        return;
    }
    const QString oldNick = client->nick();
    m_byNickKey.remove(NickRules::key(oldNick));
    m_byNickKey.insert(key, client);
    client->setNick(nick);
    qCInfo(lcServer, "%s (%s) is now known as %s", qPrintable(oldNick), qPrintable(client->peer()),
           qPrintable(nick));
    broadcast(PlainProtocol::noticeLine(oldNick + u" is now known as " + nick));
    Q_EMIT nickChanged(client, oldNick);
}

void ChatServer::sendWho(ClientSession *client) const
{
    client->sendNotice(QStringLiteral("%1 online:").arg(clientCount()));
    for (const ClientSession *other : m_clients) {
        client->sendNotice(QStringLiteral("  %1, connected %2%3")
                                   .arg(other->nick(), connectionTime(other->connectedAt()),
                                        other == client ? QStringLiteral(" (you)") : QString()));
    }
}

void ChatServer::sendHelp(ClientSession *client) const
{
    static const char *const lines[] = {
        "commands:",
        "  /nick NAME       change your nick (%1)",
        "  /who             list who is online",
        "  /me ACTION       tell everyone what you are doing",
        "  /msg NICK TEXT   send TEXT to NICK only",
        "  /help            show this list",
        "  /quit [REASON]   leave (a line that says quit does too)",
        "anything else is sent to everyone; start a line with // to send one that begins with /",
    };
    for (const char *line : lines) {
        QString text = QString::fromLatin1(line);
        if (text.contains(QLatin1String("%1")))
            text = text.arg(NickRules::ruleText());
        client->sendNotice(text);
    }
}

void ChatServer::broadcast(const QByteArray &bytes, const ClientSession *except)
{
    for (ClientSession *client : std::as_const(m_clients)) {
        if (client != except)
            client->send(bytes);
    }
}

QString ChatServer::nextGuestNick()
{
    QString nick;
    do {
        nick = QStringLiteral("guest%1").arg(++m_guestCounter);
    } while (m_byNickKey.contains(NickRules::key(nick)));
    return nick;
}
