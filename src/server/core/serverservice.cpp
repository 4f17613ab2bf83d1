#include "serverservice.h"

#include "chatserver.h"
#include "clientsession.h"
#include "clusterlink.h"
#include "discoveryresponder.h"
#include "dnssdpublisher.h"
#include "irccodec.h"
#include "jsonprotocol.h"
#include "serverlog.h"

ServerService::ServerService(QObject *parent)
    : QObject(parent),
      m_server(new ChatServer(ChatLimits(), this)),
      m_responder(new DiscoveryResponder(this)),
      m_publisher(new DnsSdPublisher(this))
{
    connect(m_publisher, &DnsSdPublisher::publishedChanged, this, &ServerService::stateChanged);
    m_responder->setAnnouncementSource([this] { return announcement(); });
    connect(m_server, &ChatServer::listeningChanged, this, &ServerService::stateChanged);
    connect(m_server, &ChatServer::clientConnected, this, &ServerService::stateChanged);
    connect(m_server, &ChatServer::clientDisconnected, this, &ServerService::stateChanged);
    connect(m_server, &ChatServer::clusterHealthChanged, this, &ServerService::stateChanged);
    connect(m_server, &ChatServer::clusterServersChanged, this, &ServerService::stateChanged);
    connect(m_server, &ChatServer::stopped, this, [this] {
        Q_EMIT stateChanged();
        Q_EMIT stopped();
        if (m_restartPending) {
            m_restartPending = false;
            start(m_restartConfig);
        }
    });
}

ServerService::~ServerService() = default;

bool ServerService::fail(const QString &why, QString *error)
{
    if (error)
        *error = why;
    Q_EMIT startFailed(why);
    Q_EMIT stateChanged();
    return false;
}

bool ServerService::start(const ServerConfig &config, QString *error)
{
    if (m_server->isStopping())
        return fail(QStringLiteral("the server is still stopping"), error);
    if (m_server->isListening())
        return fail(QStringLiteral("the server is running already"), error);
    // Only takes while nobody is connected, which is so after a stop.
    m_server->setLimits(config.limits);
    m_server->setServerName(config.effectiveName());
    // Only takes before the history opens and anyone connects: a restart keeps the room it
    // began with.
    m_server->setDefaultRoom(config.defaultRoom);
    QString why;
    QString password;
    if (!config.readPassword(&password, &why)) {
        qCCritical(lcServer, "%s", qPrintable(why));
        return fail(why, error);
    }
    m_server->setPassword(password);
    const auto [certificate, key] = config.tlsFiles();
    if (certificate.isEmpty()) {
        m_server->clearTls();
    } else {
        m_server->setTlsPort(config.tlsPort);
        if (!m_server->setTlsCertificate(certificate, key, &why)) {
            qCCritical(lcServer, "%s", qPrintable(why));
            return fail(why, error);
        }
    }
    IrcCodec::setServerName(config.ircName);
    m_server->setIrcPort(config.ircPort != 0, quint16(qMax(0, config.ircPort)), config.ircPortRequired);
    if (!m_historyOpened) {
        m_historyOpened = true;
        // Not fatal: the server logs why and keeps its history in memory.
        if (!config.databasePath().isEmpty())
            m_server->openHistory(config.databasePath());
    }
    if (!m_clusterJoined && !config.redis.isEmpty()) {
        const std::optional<ClusterAddress> address = ClusterAddress::parse(config.redis, &why);
        if (!address) {
            why = QStringLiteral("--redis: %1").arg(why);
            qCCritical(lcServer, "%s", qPrintable(why));
            return fail(why, error);
        }
        m_clusterJoined = m_server->joinCluster(*address);
    }
    // The server logs whether it could listen, and why not.
    if (!m_server->listen(config.address, config.port)) {
        return fail(QStringLiteral("cannot listen on %1 port %2: %3")
                            .arg(ChatServer::describeAddress(config.address))
                            .arg(config.port)
                            .arg(m_server->errorString()),
                    error);
    }
    m_config = config;
    const bool everywhere = ChatServer::describeAddress(config.address) != config.address.toString();
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("clients connect to %1 (try: nc %2 %3)")
                                  .arg(reachableAt().join(QStringLiteral("  ")),
                                       everywhere ? QStringLiteral("127.0.0.1") : config.address.toString(),
                                       QString::number(m_server->serverPort()))));
    startAnnouncing();
    Q_EMIT started();
    Q_EMIT stateChanged();
    return true;
}

void ServerService::stop()
{
    stopAnnouncing();
    if (m_server->isListening() || m_server->clientCount() > 0)
        m_server->stop();
    Q_EMIT stateChanged();
}

void ServerService::restart(const ServerConfig &config)
{
    if (!isRunning()) {
        start(config);
        return;
    }
    m_restartConfig = config;
    m_restartPending = true;
    stop();
}

bool ServerService::isListening() const
{
    return m_server->isListening();
}

bool ServerService::isStopping() const
{
    return m_server->isStopping();
}

bool ServerService::isRunning() const
{
    return m_server->isListening() || m_server->isStopping() || m_server->clientCount() > 0;
}

quint16 ServerService::port() const
{
    return m_server->isListening() ? m_server->serverPort() : 0;
}

quint16 ServerService::tlsPort() const
{
    return m_server->tlsPort();
}

quint16 ServerService::ircPort() const
{
    return m_server->ircPort();
}

QString ServerService::tlsFingerprint() const
{
    return m_server->tlsFingerprint();
}

QStringList ServerService::reachableAt() const
{
    return m_server->isListening() ? m_config.reachableAt(m_server->serverPort()) : QStringList();
}

void ServerService::startAnnouncing()
{
    stopAnnouncing();
    if (!m_config.announce) {
        qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("not announced on the LAN (--announce off)")));
        return;
    }
    m_responder->setLimits(m_config.limits);
    // Others could not reach a server listening on loopback only.
    m_responder->setLoopbackOnly(m_config.address.isLoopback());
    QString why;
    if (m_responder->start(m_config.discoveryPort, &why))
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("answering LAN discovery probes on UDP port %1")
                                      .arg(QString::number(m_responder->port()))));
    else
        qCWarning(lcServer, "%s",
                  qUtf8Printable(
                          ServerLog::tr("cannot answer LAN discovery probes on UDP port %1 (%2); clients "
                                        "find the server by DNS-SD or by its address")
                                  .arg(QString::number(m_config.discoveryPort), why)));
    m_publisher->publish(announcement(), m_config.address.isLoopback());
}

void ServerService::stopAnnouncing()
{
    m_responder->stop();
    m_publisher->withdraw();
}

ServerAnnouncement ServerService::announcement() const
{
    ServerAnnouncement a;
    a.name = m_server->serverName();
    a.protocolVersion = JsonProtocol::version;
    a.port = port();
    a.tlsPort = isListening() ? tlsPort() : 0;
    a.fingerprint = a.tlsPort ? tlsFingerprint() : QString();
    a.passwordNeeded = m_server->requiresPassword();
    a.ircPort = isListening() ? ircPort() : 0;
    a.online = clientCount();
    return a;
}

quint16 ServerService::discoveryPort() const
{
    return m_responder->port();
}

bool ServerService::isAnnounced() const
{
    return m_responder->isActive() || m_publisher->isPublished();
}

bool ServerService::isAnnouncedByDnsSd() const
{
    return m_publisher->isPublished();
}

QDateTime ServerService::listeningSince() const
{
    return m_server->listeningSince();
}

QString ServerService::historyPath() const
{
    return m_server->historyPath();
}

QString ServerService::historyError() const
{
    return m_server->historyError();
}

ServerService::ClusterStatus ServerService::clusterStatus() const
{
    ClusterStatus status;
    if (const ClusterLink *cluster = m_server->cluster()) {
        status.joined = true;
        status.healthy = cluster->isHealthy();
        status.address = cluster->address().toString();
        status.servers = cluster->liveServerNames();
    }
    return status;
}

int ServerService::clientCount() const
{
    return m_server->clientCount();
}

quint64 ServerService::lastMessageId() const
{
    return m_server->lastMessageId();
}

QString ServerService::defaultRoom() const
{
    return m_server->defaultRoom();
}

QStringList ServerService::roomNames() const
{
    QStringList names;
    for (const RoomInfo &info : m_server->roomList())
        names.append(info.name);
    return names;
}

bool ServerService::kick(quint64 clientId, const QString &reason, const QString &room)
{
    ClientSession *client = m_server->clientById(clientId);
    if (!client || client->isClosing())
        return false;
    m_server->kick(client, reason, room);
    return true;
}

QHostAddress ServerService::addressOf(quint64 clientId) const
{
    const ClientSession *client = m_server->clientById(clientId);
    return client ? client->peerAddress() : QHostAddress();
}

QStringList ServerService::nicksFrom(const QHostAddress &address) const
{
    QStringList nicks;
    for (const ClientSession *client : m_server->clientsFrom(address))
        nicks.append(client->nick());
    return nicks;
}

void ServerService::ban(const QHostAddress &address)
{
    m_server->ban(address);
}

void ServerService::unban(const QHostAddress &address)
{
    m_server->unban(address);
}

QList<QHostAddress> ServerService::bans() const
{
    return m_server->bans();
}

bool ServerService::isBanned(const QHostAddress &address) const
{
    return m_server->isBanned(address);
}

void ServerService::sendNotice(const QString &text, const QString &room)
{
    m_server->sendAdminNotice(text, room);
}

bool ServerService::closeRoom(const QString &room, const QString &reason)
{
    return m_server->closeRoom(room, reason);
}
