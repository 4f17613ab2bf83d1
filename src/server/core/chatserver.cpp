#include "chatserver.h"

#include "chatcommand.h"
#include "chatlistener.h"
#include "clientsession.h"
#include "clusterlink.h"
#include "commandhandler.h"
#include "eventfanout.h"
#include "hostport.h"
#include "irccodec.h"
#include "jsonprotocol.h"
#include "messagestore.h"
#include "nickrules.h"
#include "plainprotocol.h"
#include "refusal.h"
#include "roomname.h"
#include "serverlog.h"
#include "sessiontokens.h"
#include "textcut.h"
#include "textsanitizer.h"
#include "tlsbridge.h"
#include "tlslistener.h"
#include "writebatcher.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QSysInfo>

#include <limits>

#include <sys/socket.h>
#include <unistd.h>

namespace {

const QString shutdownReason = QStringLiteral("server shutting down");

} // namespace

using SessionTokens::identityHash;
using SessionTokens::newToken;

QString ChatServer::defaultServerName()
{
    return tr("groupchat on %1").arg(QSysInfo::machineHostName());
}

ChatServer::ChatServer(const ChatLimits &limits, QObject *parent)
    : QObject(parent),
      m_limits(limits),
      m_serverName(defaultServerName()),
      m_server(new ChatListener([this](qintptr descriptor) { accept(descriptor); }, this)),
      m_ircServer(new ChatListener(
              [this](qintptr descriptor) { accept(descriptor, ClientSession::Mode::Irc); }, this)),
      m_batcher(new WriteBatcher(this)),
      m_history(limits),
      m_admission(limits),
      m_roomKeeper(limits, m_batcher, m_history),
      m_rooms(m_roomKeeper.directory()),
      m_commands(std::make_unique<CommandHandler>(*this))
{
    m_batcher->setBeforeFlush([this] { m_history.commit(); });
    connect(&m_roomKeeper, &RoomKeeper::roomsChanged, this, &ChatServer::roomsChanged);
    m_server->setListenBacklogSize(ChatLimits::listenBacklog);
    m_ircServer->setListenBacklogSize(ChatLimits::listenBacklog);
    m_clock.start();
    m_checkTimer.setInterval(checkInterval(m_limits));
    connect(&m_checkTimer, &QTimer::timeout, this, &ChatServer::checkConnections);
    m_checkTimer.start();
    m_announceTimer.setSingleShot(true);
    connect(&m_announceTimer, &QTimer::timeout, this, &ChatServer::announceDue);
    m_shutdownTimer.setSingleShot(true);
    connect(&m_shutdownTimer, &QTimer::timeout, this, [this] {
        for (ClientSession *client : std::as_const(m_clients))
            client->abort(shutdownReason);
    });
}

ChatServer::~ChatServer()
{
    m_history.commit();
}

bool ChatServer::openHistory(const QString &path)
{
    if (m_history.isOpen() || lastMessageId() > 0 || !m_history.open(path, defaultRoom()))
        return false;
    MessageStore *store = m_history.store();
    // Every room kept, with its topic.
    for (const MessageStore::StoredRoom &stored : store->rooms()) {
        Room *room = m_rooms.find(stored.name);
        if (!room && RoomName::check(stored.name) == NickRules::Problem::None &&
            m_rooms.count() < m_limits.maxRooms)
            room = m_rooms.create(stored.name);
        if (room) {
            room->setTopic(stored.topic, stored.topicBy, stored.topicTime);
            room->setStored();
        }
    }
    for (const ChatMessage &message : m_history.loaded()) {
        if (Room *room = message.isPrivate() ? nullptr : m_rooms.find(message.room))
            room->countMessages();
    }
    m_nextMessageId = store->lastId() + 1;
    // What was sent with client ids within the window: a resend after this restart is known.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const ChatMessage &message :
         store->withClientIds(now.addMSecs(-ChatLimits::clientIdWindowMs), ChatLimits::clientIdLedgerSize))
        m_sendLedger.posted(message, message.time.toMSecsSinceEpoch());
    for (const auto &[address, since] : store->bans())
        m_admission.addBan(QHostAddress(address), since);
    if (m_admission.banCount() > 0)
        Q_EMIT bansChanged();
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("history in %1: %2 message(s), the last id %3; %4 address(es) banned")
                                  .arg(path, QString::number(store->messageCount()),
                                       QString::number(lastMessageId()),
                                       QString::number(m_admission.banCount()))));
    return true;
}

QString ChatServer::historyPath() const
{
    return m_history.path();
}

HistoryScope ChatServer::scopeOf(const ClientSession *client, const QString &room) const
{
    HistoryScope scope;
    if (!room.isEmpty()) {
        scope.rooms.append(room);
        return scope;
    }
    for (const Room *joined : client->rooms())
        scope.rooms.append(joined->name());
    // A version-1 client knows one room, and no private message in a history.
    if (!client->isJson() || client->jsonVersion() >= 2)
        scope.identity = client->identityHash();
    return scope;
}

bool ChatServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_stopping || m_server->isListening())
        return false;
    m_listenError.clear();
    if (!m_server->listen(address, port)) {
        qCCritical(lcServer, "%s",
                   qUtf8Printable(ServerLog::tr("cannot listen on %1 port %2: %3")
                                          .arg(describeAddress(address), QString::number(port),
                                               m_server->errorString())));
        return false;
    }
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("listening on %1 port %2")
                                  .arg(describeAddress(address), QString::number(m_server->serverPort()))));
    if (m_tls) {
        if (!m_tls->listen(address, m_tlsPortWanted)) {
            qCCritical(lcServer, "%s",
                       qUtf8Printable(ServerLog::tr("cannot listen on %1 port %2 (TLS): %3")
                                              .arg(describeAddress(address), QString::number(m_tlsPortWanted),
                                                   m_tls->errorString())));
            m_listenError = QStringLiteral("TLS port %1: %2").arg(m_tlsPortWanted).arg(m_tls->errorString());
            m_server->close();
            return false;
        }
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("TLS on port %1; certificate fingerprint (SHA-256) %2")
                                      .arg(QString::number(m_tls->serverPort()), m_tls->fingerprint())));
    }
    if (m_ircWanted) {
        if (!m_ircServer->listen(address, m_ircPortWanted) && !m_ircRequired) {
            // The default port taken (another IRC server on this machine, say): the chat goes
            // on without IRC rather than not at all.
            qCWarning(lcServer, "%s",
                      qUtf8Printable(
                              ServerLog::tr("no IRC: cannot listen on %1 port %2 (%3); --irc-port N picks "
                                            "another")
                                      .arg(describeAddress(address), QString::number(m_ircPortWanted),
                                           m_ircServer->errorString())));
        } else if (!m_ircServer->isListening()) {
            qCCritical(lcServer, "%s",
                       qUtf8Printable(ServerLog::tr("cannot listen on %1 port %2 (IRC): %3")
                                              .arg(describeAddress(address), QString::number(m_ircPortWanted),
                                                   m_ircServer->errorString())));
            m_listenError =
                    QStringLiteral("IRC port %1: %2").arg(m_ircPortWanted).arg(m_ircServer->errorString());
            if (m_tls)
                m_tls->close();
            m_server->close();
            return false;
        } else {
            qCInfo(lcServer, "%s",
                   qUtf8Printable(ServerLog::tr("IRC on port %1").arg(m_ircServer->serverPort())));
        }
    }
    m_listeningSince = QDateTime::currentDateTimeUtc();
    Q_EMIT listeningChanged(true);
    return true;
}

QString ChatServer::describeAddress(const QHostAddress &address)
{
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv6)
        return QStringLiteral("every IPv4 and IPv6 address");
    if (address == QHostAddress::AnyIPv4)
        return QStringLiteral("every IPv4 address");
    return address.toString();
}

bool ChatServer::setLimits(const ChatLimits &limits)
{
    if (m_stopping || m_server->isListening() || !m_clients.isEmpty())
        return false;
    m_limits = limits;
    m_admission.setLimits(limits);
    m_roomKeeper.setLimits(limits);
    m_history.setLimits(limits);
    m_checkTimer.setInterval(checkInterval(limits));
    return true;
}

void ChatServer::kick(ClientSession *client, const QString &reason, const QString &roomName)
{
    if (!m_clients.contains(client) || client->isClosing())
        return;
    const QString given = TextSanitizer::clean(reason).trimmed();
    const QString why = given.isEmpty() ? QStringLiteral("no reason given")
                                        : TextCut::left(given, ChatLimits::maxReasonLength);
    // The admin's words quoted as given; none is said in the admin's language.
    const QString loggedWhy = given.isEmpty() ? ServerLog::tr("no reason given")
                                              : TextSanitizer::quoted(why, ChatLimits::maxReasonLength);
    if (!roomName.isEmpty()) {
        Room *room = m_rooms.find(roomName);
        if (!room || !client->isIn(room))
            return;
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("%1 (%2) kicked from %3: %4")
                                      .arg(client->nick(), client->peer(), room->name(), loggedWhy)));
        m_roomKeeper.leave(client, room,
                           given.isEmpty() ? QStringLiteral("kicked by the admin")
                                           : u"kicked by the admin: " + why,
                           true, true);
        return;
    }
    qCInfo(lcServer, "%s",
           qUtf8Printable(
                   ServerLog::tr("%1 (%2) kicked: %3").arg(client->nick(), client->peer(), loggedWhy)));
    ServerEvent kicked = ServerEvent::now(ServerEvent::Type::Error);
    kicked.code = ErrorCode::Kicked;
    kicked.text = QStringLiteral("you were kicked by the admin: %1").arg(why);
    kicked.reason = why;
    client->send(kicked);
    client->close(u"kicked: " + why);
}

bool ChatServer::isBanned(const QHostAddress &address) const
{
    return m_admission.isBanned(address);
}

QDateTime ChatServer::bannedSince(const QHostAddress &address) const
{
    return m_admission.bannedSince(address);
}

QList<QHostAddress> ChatServer::bans() const
{
    return m_admission.bans();
}

QList<ClientSession *> ChatServer::clientsFrom(const QHostAddress &address) const
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    QList<ClientSession *> from;
    for (ClientSession *client : m_clients) {
        if (client->peerAddress() == plain && !client->isClosing())
            from.append(client);
    }
    return from;
}

void ChatServer::ban(const QHostAddress &address)
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    if (!m_admission.addBan(plain, QDateTime::currentDateTimeUtc()))
        return;
    if (m_history.store() && !m_history.store()->addBan(plain.toString()))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cannot store the ban in %1: %2")
                                         .arg(m_history.store()->path(), m_history.store()->errorString())));
    qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("banned %1").arg(plain.toString())));
    for (ClientSession *client : std::as_const(m_clients)) {
        if (client->peerAddress() != plain || client->isClosing())
            continue;
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("%1 (%2) disconnected for the ban")
                                      .arg(client->nick(), client->peer())));
        client->sendError(ErrorCode::Banned, Refusal::text(Refusal::Reason::Banned));
        client->close(QStringLiteral("banned"));
    }
    Q_EMIT bansChanged();
}

void ChatServer::unban(const QHostAddress &address)
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    if (!m_admission.removeBan(plain))
        return;
    qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("lifted the ban on %1").arg(plain.toString())));
    if (m_history.store() && !m_history.store()->removeBan(plain.toString()))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cannot remove the ban from %1: %2")
                                         .arg(m_history.store()->path(), m_history.store()->errorString())));
    Q_EMIT bansChanged();
}

void ChatServer::sendAdminNotice(const QString &text, const QString &roomName)
{
    const QString clean = TextCut::leftUtf8(TextSanitizer::clean(text).trimmed(), m_limits.maxLineBytes / 2);
    if (clean.isEmpty())
        return;
    ServerEvent notice = ServerEvent::now(ServerEvent::Type::Notice);
    notice.from = QStringLiteral("admin");
    notice.text = clean;
    if (roomName.isEmpty()) {
        qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("admin notice: %1").arg(clean)));
        broadcast(notice);
        return;
    }
    const Room *room = m_rooms.find(roomName);
    if (!room)
        return;
    qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("admin notice to %1: %2").arg(room->name(), clean)));
    notice.room = room->name();
    m_roomKeeper.sendTo(room, notice);
}

QList<RoomInfo> ChatServer::roomList(bool listUsers) const
{
    return m_roomKeeper.list(listUsers);
}

qint64 ChatServer::roomMessageCount(const QString &room) const
{
    return m_roomKeeper.messageCount(room);
}

QStringList ChatServer::roomsOf(const ClientSession *client) const
{
    return RoomKeeper::roomsOf(client);
}

bool ChatServer::closeRoom(const QString &room, const QString &reason)
{
    return m_roomKeeper.close(room, reason);
}

bool ChatServer::setDefaultRoom(const QString &name)
{
    if (m_history.isOpen() || !m_clients.isEmpty())
        return false;
    return m_rooms.setDefaultName(name);
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
    return m_listenError.isEmpty() ? m_server->errorString() : m_listenError;
}

ClientSession *ChatServer::findClient(const QString &nick) const
{
    return nickHolder(nick, nullptr);
}

ClientSession *ChatServer::nickHolder(const QString &nick, const ClientSession *except) const
{
    // Every key: the first may be except's own while another reads as someone else's.
    for (const QString &key : NickRules::keys(nick)) {
        ClientSession *client = m_byNickKey.value(key);
        if (client && client != except)
            return client;
    }
    return nullptr;
}

void ChatServer::holdNick(ClientSession *client, const QString &nick)
{
    for (const QString &key : NickRules::keys(nick))
        m_byNickKey.insert(key, client);
}

void ChatServer::releaseNick(ClientSession *client, const QString &nick)
{
    // A replaced session's nick already belongs to its successor.
    for (const QString &key : NickRules::keys(nick)) {
        if (m_byNickKey.value(key) == client)
            m_byNickKey.remove(key);
    }
}

void ChatServer::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_tls)
        m_tls->close();
    m_ircServer->close();
    if (m_server->isListening()) {
        m_server->close();
        m_listeningSince = QDateTime();
        Q_EMIT listeningChanged(false);
    }
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("stopping: telling %n client(s)", nullptr, clientCount())));
    if (m_clients.isEmpty()) {
        QMetaObject::invokeMethod(this, &ChatServer::finishStop, Qt::QueuedConnection);
        return;
    }
    ServerEvent shutdown = ServerEvent::now(ServerEvent::Type::Shutdown);
    shutdown.text = shutdownReason;
    broadcast(shutdown);
    for (ClientSession *client : std::as_const(m_clients))
        client->close(shutdownReason);
    m_shutdownTimer.start(ChatLimits::shutdownGraceMs);
}

void ChatServer::finishStop()
{
    m_shutdownTimer.stop();
    m_stopping = false;
    qCInfo(lcServer, "%s", qUtf8Printable(ServerLog::tr("stopped")));
    Q_EMIT stopped();
}

void ChatServer::setIrcPort(bool serve, quint16 port, bool required)
{
    m_ircWanted = serve;
    m_ircPortWanted = port;
    m_ircRequired = required;
}

quint16 ChatServer::ircPort() const
{
    return m_ircServer->isListening() ? m_ircServer->serverPort() : 0;
}

void ChatServer::accept(qintptr descriptor, ClientSession::Mode mode)
{
    if (m_stopping) {
        ::close(int(descriptor));
        return;
    }
    const auto [address, port] = ClientSession::peerOf(descriptor);
    if (address.isNull()) {
        dropUnknownPeer(descriptor);
        return;
    }
    const Refusal::Reason refusal = admit(address);
    if (refusal != Refusal::Reason::None) {
        refuse(descriptor, refusal, address, port);
        return;
    }
    addClient(new ClientSession(descriptor, m_nextClientId++, m_limits, m_batcher, this, mode));
}

Refusal::Reason ChatServer::admit(const QHostAddress &address)
{
    // Handshakes under way will be clients in a moment.
    return m_admission.admit(address, clientCount() + (m_tls ? m_tls->handshakesInProgress() : 0));
}

void ChatServer::releaseAdmission(const QHostAddress &address)
{
    m_admission.release(address);
}

bool ChatServer::setTlsCertificate(const QString &certificatePath, const QString &keyPath, QString *error)
{
    // The files are the listener's business; a pair that cannot be used changes nothing here.
    const std::optional<TlsListener::Credentials> credentials =
            TlsListener::loadCredentials(certificatePath, keyPath, error);
    if (!credentials)
        return false;
    if (!m_tls) {
        m_tls = new TlsListener(
                [this](qintptr descriptor, const QHostAddress &address, quint16 port) {
                    if (address.isNull()) {
                        dropUnknownPeer(descriptor);
                        return false;
                    }
                    const Refusal::Reason reason = m_stopping ? Refusal::Reason::None : admit(address);
                    if (!m_stopping && reason == Refusal::Reason::None)
                        return true;
                    // No plain-text line: the client expects a TLS handshake.
                    if (noteRefusal(addressKey(address)))
                        qCWarning(lcServer, "%s",
                                  qUtf8Printable(ServerLog::tr("refused %1 (TLS): %2")
                                                         .arg(HostPort{ address.toString(), port }.toString(),
                                                              ServerLog::reason(
                                                                      m_stopping ? shutdownReason
                                                                                 : Refusal::text(reason)))));
                    ::close(int(descriptor));
                    return false;
                },
                [this](const QHostAddress &address) { releaseAdmission(address); }, this);
        connect(m_tls, &TlsListener::handshakeDone, this, &ChatServer::acceptTls);
    }
    m_tls->setCredentials(*credentials);
    return true;
}

void ChatServer::clearTls()
{
    if (m_tls && !m_tls->isListening() && m_tls->handshakesInProgress() == 0) {
        m_tls->deleteLater();
        m_tls = nullptr;
    }
}

QString ChatServer::tlsFingerprint() const
{
    return m_tls ? m_tls->fingerprint() : QString();
}

quint16 ChatServer::tlsPort() const
{
    return m_tls && m_tls->isListening() ? m_tls->serverPort() : 0;
}

void ChatServer::acceptTls(QSslSocket *socket, const QHostAddress &address, quint16 port)
{
    if (m_stopping) {
        socket->abort();
        socket->deleteLater();
        releaseAdmission(address);
        return;
    }
    auto *bridge = new TlsBridge(socket, this);
    const int descriptor = bridge->takeSessionDescriptor();
    if (descriptor < 0) {
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cannot serve %1:%2 over TLS: no socket pair (%3)")
                                         .arg(address.toString(), QString::number(port), qt_error_string())));
        bridge->deleteLater();
        releaseAdmission(address);
        return;
    }
    auto *client = new ClientSession(descriptor, m_nextClientId++, m_limits, m_batcher, this);
    client->setTlsPeer(address, port);
    // IRC's TLS port is conventionally the one groupchat's TLS uses: it serves both.
    if (m_ircServer->isListening())
        client->allowIrc();
    addClient(client);
}

void ChatServer::setPassword(const QString &password)
{
    m_password = password;
}

bool ChatServer::checkPassword(ClientSession *client, const QString &password,
                               const std::function<void()> &retry)
{
    const Admission::PasswordVerdict verdict =
            m_admission.checkPassword(client->peerAddress(), password, m_password);
    switch (verdict.kind) {
    case Admission::PasswordVerdict::Kind::Right:
        client->setAuthenticated();
        return true;
    case Admission::PasswordVerdict::Kind::Wait:
        // The address's wait after a wrong password is not over: nothing is checked before.
        client->pauseInput();
        QTimer::singleShot(verdict.delayMs, Qt::PreciseTimer, client, [client, retry] {
            retry();
            client->resumeInput();
        });
        return false;
    case Admission::PasswordVerdict::Kind::Wrong:
        break;
    }
    qCWarning(lcServer, "%s",
              qUtf8Printable(ServerLog::tr("%1 (%2) gave a wrong password; answering in %3 ms")
                                     .arg(client->nick(), client->peer(), QString::number(verdict.delayMs))));
    client->holdInput();
    QTimer::singleShot(verdict.delayMs, client, [client] {
        client->sendError(ErrorCode::BadPassword, QStringLiteral("wrong password"));
        client->close(QStringLiteral("wrong password"));
    });
    return false;
}

int ChatServer::checkInterval(const ChatLimits &limits)
{
    // Often enough to keep every timeout to within a quarter of itself.
    return std::clamp(std::min({ limits.firstLineTimeoutMs, limits.ircRegistrationTimeoutMs,
                                 limits.ircBatchTimeoutMs, limits.pingIntervalMs, limits.pingTimeoutMs }) /
                              4,
                      20, 5000);
}

QString ChatServer::addressKey(const QHostAddress &address)
{
    return Admission::addressKey(address);
}

void ChatServer::checkConnections()
{
    const qint64 now = ClientSession::monotonicMs();
    for (ClientSession *client : std::as_const(m_clients)) {
        if (client->isClosing())
            continue;
        // An IRC client's multiline batches: at most ChatLimits::maxOpenBatches each, looked at
        // here and not with every line.
        if (client->irc() && !client->irc()->openBatches.isEmpty())
            m_commands->expireIrcBatches(client, now);
        const qint64 quiet = now - client->lastActivityMs();
        if (!client->hasReceivedLine() && now - client->connectedAtMs() >= m_limits.firstLineTimeoutMs) {
            client->sendError(ErrorCode::Timeout,
                              QStringLiteral("closing: nothing received within %1 s of connecting")
                                      .arg(m_limits.firstLineTimeoutMs / 1000.0));
            client->close(QStringLiteral("no first line"));
        } else if (client->irc() && !client->irc()->registered &&
                   now - client->connectedAtMs() >= m_limits.ircRegistrationTimeoutMs) {
            client->sendError(
                    ErrorCode::Timeout,
                    QStringLiteral("registration timed out: not registered within %1 s of connecting")
                            .arg(m_limits.ircRegistrationTimeoutMs / 1000.0));
            client->close(QStringLiteral("registration timed out"));
        } else if (client->isPlain()) {
            // Plain clients are watched by TCP keep-alive (see ClientSession).
            continue;
        } else if (client->pingSentMs() > 0 && now - client->pingSentMs() >= m_limits.pingTimeoutMs) {
            client->abort(QStringLiteral("ping timeout"));
        } else if (client->pingSentMs() == 0 && quiet >= m_limits.pingIntervalMs) {
            client->send(ServerEvent::now(ServerEvent::Type::Ping));
            client->setPingSent(now);
        }
    }
    // Forget failed passwords after a while, and addresses that have not connected for a minute.
    m_admission.expire();
    m_history.trimIfDue();
}

void ChatServer::refuse(qintptr descriptor, Refusal::Reason reason, const QHostAddress &address, quint16 port)
{
    const QString why = Refusal::text(reason);
    if (noteRefusal(addressKey(address)))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("refused %1: %2")
                                         .arg(HostPort{ address.toString(), port }.toString(),
                                              ServerLog::reason(why))));
    // A new connection's send buffer is empty: the line goes out whole, or not at all.
    const QByteArray line = PlainProtocol::errorLine(why);
    [[maybe_unused]] const auto sent =
            ::send(int(descriptor), line.constData(), size_t(line.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::close(int(descriptor));
}

void ChatServer::dropUnknownPeer(qintptr descriptor)
{
    // Reset before it was accepted: whose it was cannot be known, so neither a ban nor a limit
    // could apply to it. It is gone anyway.
    if (noteRefusal(QStringLiteral("unknown")))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("refused a connection whose address is unknown (it was reset "
                                               "before it was accepted)")));
    ::close(int(descriptor));
}

bool ChatServer::noteRefusal(const QString &key)
{
    return m_admission.noteRefusal(key);
}

void ChatServer::addClient(ClientSession *client)
{
    client->setNick(nextGuestNick());
    client->setLastIdAtConnect(lastMessageId());
    // Until a JSON hello gives one: a private identity of this connection only.
    client->setIdentityHash(identityHash(newToken() + newToken()));
    m_clients.append(client);
    if (m_password.isEmpty()) {
        client->setAuthenticated();
        // An IRC client comes into the default room with its registration (IrcHandler); one that
        // may be IRC (its greeting is held) once it is known not to be: an IRC client must not
        // hear the room's talk as plain lines before its first line says what it is.
        if (!client->isIrc() && !client->isGreetingHeld())
            m_roomKeeper.enter(client, m_rooms.defaultRoom());
    }
    m_byId.insert(client->id(), client);
    holdNick(client, client->nick());
    m_announceQueue.emplace_back(m_clock.elapsed() + ChatLimits::announceDelayMs, client->id());
    if (!m_announceTimer.isActive())
        m_announceTimer.start(ChatLimits::announceDelayMs);
    connect(client, &ClientSession::commandReceived, this,
            [this, client](const ChatCommand &command) { m_commands->handleCommand(client, command); });
    connect(client, &ClientSession::closed, this,
            [this, client](const QString &reason) { removeClient(client, reason); });
    connect(client, &ClientSession::caughtUp, this,
            [this, client](qint64 missed) { sendCaughtUp(client, missed); });
    connect(client, &ClientSession::dialectChosen, this, [this, client] {
        if (!client->isGreetingHeld())
            return;
        client->releaseGreeting();
        if (!client->isIrc()) {
            if (m_password.isEmpty())
                m_roomKeeper.enter(client, m_rooms.defaultRoom());
            greet(client);
            return;
        }
        // An IRC client after all: out of the rooms until its registration is done.
        const QList<Room *> rooms = client->rooms();
        for (Room *room : rooms)
            m_roomKeeper.leave(client, room, QString(), false);
    });

    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 connected as %2 (%n connected)", nullptr, clientCount())
                                  .arg(client->peer(), client->nick())));
    Q_EMIT clientConnected(client);
    // Where IRC is served too, the first line says whether to greet.
    if (!client->isGreetingHeld())
        greet(client);
}

void ChatServer::greet(ClientSession *client)
{
    // Plain clients are greeted at once; a JSON client skips these lines and waits for its
    // welcome.
    ServerEvent greeting = ServerEvent::now(ServerEvent::Type::Welcome);
    greeting.nick = client->nick();
    greeting.online = roomSize() + 1;
    // Behind a password the room's talk is for those who gave it.
    greeting.passwordRequired = !m_password.isEmpty();
    if (!greeting.passwordRequired)
        greeting.history = recentOfDefaultRoom();
    client->send(greeting);
    tellIfDegraded(client);
}

void ChatServer::tellIfDegraded(ClientSession *client)
{
    if (m_cluster && !m_cluster->isHealthy())
        client->send(clusterStatus(true));
}

QList<ChatMessage> ChatServer::recentOfDefaultRoom() const
{
    const QString room = defaultRoom();
    return m_history.recent(m_limits.historyLines,
                            [&room](const ChatMessage &message) { return message.room == room; });
}

void ChatServer::announce(ClientSession *client, const ClientSession *predecessor)
{
    if (client->isAnnounced() || client->isClosing() || !client->isAuthenticated())
        return;
    // An IRC client comes in when its registration is done (IrcHandler).
    if (client->irc() && !client->irc()->registered)
        return;
    client->setAnnounced();
    ++m_memberCount;
    for (Room *room : client->rooms()) {
        if (predecessor && predecessor->isIn(room))
            room->countAnnounced(1);
        else
            m_roomKeeper.arrived(client, room, false, true);
    }
    m_roomKeeper.noteChanged();
    Q_EMIT clientJoined(client);
}

void ChatServer::takeOver(ClientSession *owner, ClientSession *successor)
{
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 (%2) takes over its earlier connection from %3")
                                  .arg(owner->nick(), successor->peer(), owner->peer())));
    releaseNick(owner, owner->nick());
    owner->replace();
    // It stops counting now, not when its socket is done: the person is counted once.
    if (owner->isAnnounced()) {
        owner->setAnnounced(false);
        --m_memberCount;
        for (Room *room : owner->rooms())
            room->countAnnounced(-1);
    }
    if (successor->isAnnounced()) {
        // Too late to be quiet: the rooms know the new connection as a guest already.
        broadcast(ServerEvent::leave(owner->nick(), QStringLiteral("reconnected")), owner);
    }
}

void ChatServer::announceDue()
{
    const qint64 now = m_clock.elapsed();
    while (!m_announceQueue.empty() && m_announceQueue.front().first <= now) {
        // Gone already, or announced by its first line: nothing to do.
        if (ClientSession *client = m_byId.value(m_announceQueue.front().second)) {
            // Nothing said in time on a port that serves IRC too: a plain client.
            if (client->isGreetingHeld()) {
                client->releaseGreeting();
                if (m_password.isEmpty())
                    m_roomKeeper.enter(client, m_rooms.defaultRoom());
                greet(client);
            }
            announce(client);
        }
        m_announceQueue.pop_front();
    }
    if (!m_announceQueue.empty())
        m_announceTimer.start(int(m_announceQueue.front().first - now));
}

void ChatServer::removeClient(ClientSession *client, const QString &reason)
{
    m_clients.removeOne(client);
    m_byId.remove(client->id());
    releaseAdmission(client->peerAddress());
    releaseNick(client, client->nick());
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 (%2) disconnected: %3 (%n connected)", nullptr, clientCount())
                                  .arg(client->nick(), client->peer(), ServerLog::reason(reason))));
    const bool announced = client->isAnnounced();
    if (announced && !m_stopping && !client->isReplaced()) {
        // Nobody is told when the server is going, or when the same person is still here.
        const ServerEvent left = ServerEvent::leave(client->nick(), reason);
        m_roomKeeper.sendToPeers(client, left, false);
    }
    if (announced)
        --m_memberCount;
    const QList<Room *> rooms = client->rooms();
    for (Room *room : rooms) {
        room->remove(client);
        client->removeRoom(room);
        if (announced) {
            room->countAnnounced(-1);
            if (!m_stopping && m_roomKeeper.online(room) == m_limits.presenceLimit) {
                qCInfo(lcServer, "%s",
                       qUtf8Printable(ServerLog::tr("%n in %1: joins and leaves are announced again", nullptr,
                                                    m_roomKeeper.online(room))
                                              .arg(room->name())));
                m_roomKeeper.sendTo(room, m_roomKeeper.presenceEvent(room));
            }
        }
        m_roomKeeper.dropIfUnused(room);
    }
    m_roomKeeper.noteChanged();
    Q_EMIT clientDisconnected(client, reason);
    client->deleteLater();
    if (m_stopping && m_clients.isEmpty())
        finishStop();
}

void ChatServer::sendCaughtUp(ClientSession *client, qint64 missed)
{
    ServerEvent event = ServerEvent::now(ServerEvent::Type::CaughtUp);
    event.missed = int(qMin<qint64>(missed, std::numeric_limits<int>::max()));
    event.text =
            QStringLiteral("you have caught up; you missed %1 message(s) while you were behind; /who lists "
                           "who is here now")
                    .arg(missed);
    // Joins, leaves and nick changes were skipped too: here is the default room as it is now,
    // and every room of the client's.
    event.online = roomSize();
    event.presenceLive = presenceLive();
    if (event.presenceLive)
        event.users = onlineUsers();
    client->send(event);
    for (const Room *room : client->isJson() ? client->rooms() : QList<Room *>()) {
        const ServerEvent state = ServerEvent::roomState(m_roomKeeper.info(room, true));
        client->send(state);
    }
}

void ChatServer::postMessage(ClientSession *from, Room *room, ChatMessage::Kind kind, const QString &text,
                             const QString &clientId)
{
    ChatMessage message;
    message.time = QDateTime::currentDateTimeUtc();
    message.from = from->nick();
    message.text = text;
    message.kind = kind;
    message.room = room->name();
    message.clientId = clientId;
    if (!clientId.isEmpty())
        message.fromIdentity = from->identityHash();
    if (const IrcState *irc = from->irc()) {
        message.clientTags = irc->sendingTags;
        message.concatAt = irc->sendingConcatAt;
    }
    from->countMessageSent();
    publish(message);
}

bool ChatServer::answerResend(ClientSession *from, const QString &clientId)
{
    if (clientId.isEmpty())
        return false;
    const SendLedger::Entry *entry =
            m_sendLedger.find(from->identityHash(), clientId, QDateTime::currentMSecsSinceEpoch());
    if (!entry)
        return false;
    // Still on its way (waiting for the cluster): its echo will carry the client id.
    if (entry->id != 0) {
        ServerEvent sent = ServerEvent::now(ServerEvent::Type::Sent);
        sent.message.id = entry->id;
        sent.message.clientId = clientId;
        sent.message.room = entry->room;
        sent.message.to = entry->to;
        from->send(sent);
    }
    return true;
}

void ChatServer::tellSent(const ChatMessage &message, quint64 id)
{
    ClientSession *sender = findClient(message.from);
    if (!sender || sender->identityHash() != message.fromIdentity)
        return;
    ServerEvent sent = ServerEvent::now(ServerEvent::Type::Sent);
    sent.message = message;
    sent.message.id = id;
    sender->send(sent);
}

void ChatServer::publish(ChatMessage message)
{
    if (!message.clientId.isEmpty())
        m_sendLedger.begin(message.fromIdentity, message.clientId, QDateTime::currentMSecsSinceEpoch());
    if (m_cluster) {
        // Delivered here too when it comes back from the cluster's stream, with its id; while
        // Redis is away it waits, so that every message has the one id Redis gives it.
        m_cluster->publish(message, [this, self = QPointer<ChatServer>(this),
                                     message](const ClusterLink::PublishResult &result) {
            if (!self)
                return;
            switch (result.outcome) {
            case ClusterLink::PublishOutcome::Published:
                // Its id is known now, before it comes back through the stream (should it never,
                // a resend is still answered).
                if (result.id != 0 && !message.clientId.isEmpty()) {
                    ChatMessage published = message;
                    published.id = result.id;
                    m_sendLedger.posted(published, QDateTime::currentMSecsSinceEpoch(), false);
                }
                break;
            case ClusterLink::PublishOutcome::Duplicate: {
                // Resent through another server before this one heard of the first.
                ChatMessage earlier = message;
                earlier.id = result.id;
                m_sendLedger.posted(earlier, QDateTime::currentMSecsSinceEpoch(), false);
                tellSent(message, result.id);
                break;
            }
            case ClusterLink::PublishOutcome::Refused:
                m_sendLedger.forget(message.fromIdentity, message.clientId);
                if (ClientSession *sender = findClient(message.from)) {
                    ServerEvent refusal = ServerEvent::error(
                            ErrorCode::Unavailable,
                            QStringLiteral("the cluster is unavailable and %1 messages wait for it "
                                           "already; this one was not sent, send it again later")
                                    .arg(ChatLimits::clusterBacklog),
                            message.room);
                    refusal.message.clientId = message.clientId;
                    sender->send(refusal);
                }
                break;
            }
        });
        return;
    }
    message.id = m_nextMessageId++;
    deliverMessage(message);
}

void ChatServer::deliverMessage(const ChatMessage &message)
{
    m_sendLedger.posted(message, QDateTime::currentMSecsSinceEpoch());
    // Stored before anyone receives it: the batch is committed before this pass's output
    // leaves (WriteBatcher's hook), and a pass that has nobody to send to still ends in one.
    if (m_history.add(message))
        m_batcher->requestFlush();
    if (message.isPrivate()) {
        // To whoever holds either identity here: the two people, never a later holder of a nick.
        ServerEvent event = ServerEvent::now(ServerEvent::Type::Private);
        event.time = message.time;
        event.message = message;
        event.from = message.from;
        event.to = message.to;
        event.text = message.text;
        ClientSession *sender = findClient(message.from);
        ClientSession *target = findClient(message.to);
        // Resumed past this server's reading (a cluster): they have it already.
        if (sender && message.id <= sender->seenThrough())
            sender = nullptr;
        if (target && message.id <= target->seenThrough())
            target = nullptr;
        if (target && target->identityHash() == message.toIdentity)
            target->send(event);
        if (sender && sender != target && sender->identityHash() == message.fromIdentity)
            sender->send(event);
        // IRC with echo-message: a message to oneself comes back as the echo and as the
        // delivery (IRCv3 echo-message); the delivery is not part of a labeled reply.
        if (sender && sender == target && sender->isIrc() && sender->codec().echoesOwn())
            sender->sendUnlabeled(event);
    } else if (Room *room = m_rooms.find(message.room)) {
        // A room that is not here (made on another server of the cluster) only keeps history.
        ServerEvent event = ServerEvent::now(ServerEvent::Type::Message);
        event.time = message.time;
        event.message = message;
        if (!room->isStored())
            m_roomKeeper.store(room);
        room->countMessages();
        m_roomKeeper.sendTo(room, event);
    }
    Q_EMIT messagePosted(message);
}

ChatServer::NickRefusal ChatServer::nickRefusal(const ClientSession *client, const QString &nick) const
{
    char32_t culprit = 0;
    const NickRules::Problem problem = NickRules::check(nick, &culprit);
    if (problem != NickRules::Problem::None)
        return { ErrorCode::InvalidNick,
                 QStringLiteral("invalid nick: %1 %2; a nick is %3")
                         .arg(TextSanitizer::quoted(nick, ChatLimits::maxNickLength),
                              NickRules::protocolProblemText(problem, culprit),
                              NickRules::protocolRuleText()),
                 QString() };
    QString owner;
    if (const ClientSession *local = nickHolder(nick, client))
        owner = local->nick();
    else if (m_cluster)
        owner = m_cluster->remoteOwnerNick(nick);
    if (owner.isEmpty())
        return {};
    // Case alone is no disguise; anything else that reads the same is named, so that the one
    // who asked sees why.
    if (owner.toCaseFolded() == nick.toCaseFolded())
        return { ErrorCode::NickTaken,
                 QStringLiteral("nick %1 is already taken").arg(TextSanitizer::isolated(nick)), owner };
    return { ErrorCode::NickTaken,
             QStringLiteral("nick %1 is already taken: it looks like %2, who is online")
                     .arg(TextSanitizer::isolated(nick), TextSanitizer::isolated(owner)),
             owner };
}

void ChatServer::refuseNick(ClientSession *client, const NickRefusal &refusal)
{
    ServerEvent error = ServerEvent::now(ServerEvent::Type::Error);
    error.code = refusal.code;
    error.text = refusal.text;
    error.nick = refusal.holder;
    client->send(error);
}

void ChatServer::rename(ClientSession *client, const QString &nick)
{
    const QString oldNick = client->nick();
    releaseNick(client, oldNick);
    holdNick(client, nick);
    client->setNick(nick);
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 (%2) is now known as %3").arg(oldNick, client->peer(), nick)));
    const ServerEvent event = ServerEvent::nickChange(oldNick, nick);
    // Rooms too large to be told are not; the one renamed always is.
    if (client->isAnnounced())
        m_roomKeeper.sendToPeers(client, event, true);
    Q_EMIT nickChanged(client, oldNick);
}

QList<OnlineUser> ChatServer::localUsers() const
{
    QList<OnlineUser> users;
    users.reserve(m_clients.size());
    for (const ClientSession *client : m_clients) {
        // A replaced session is on its way out: its successor is the person now.
        if (client->isAnnounced() && !client->isReplaced())
            users.append({ client->nick(), client->connectedAt(), QString(), roomsOf(client) });
    }
    return users;
}

QList<OnlineUser> ChatServer::onlineUsers() const
{
    return m_roomKeeper.users(m_rooms.defaultRoom());
}

int ChatServer::roomSize() const
{
    return m_roomKeeper.online(m_rooms.defaultRoom());
}

void ChatServer::setServerName(const QString &name)
{
    m_serverName = name;
    if (m_cluster)
        m_cluster->setServerName(name);
}

void ChatServer::remoteUsersChanged(const QList<OnlineUser> &joined, const QList<OnlineUser> &left,
                                    bool quiet)
{
    // A nick given away here and on a server with a smaller id in the same moment: theirs.
    // Only someone new elsewhere can clash with a nick here (a taken one is refused).
    for (const OnlineUser &user : joined) {
        ClientSession *client = findClient(user.nick);
        if (!client)
            continue;
        const QString owner = m_cluster->remoteOwner(client->nick());
        if (!owner.isEmpty() && owner < m_cluster->serverId() && !client->isClosing()) {
            const QString taken = client->nick();
            rename(client, nextGuestNick());
            client->sendNotice(
                    QStringLiteral("the nick %1 was taken on another server at the same moment; you are %2")
                            .arg(taken, client->nick()));
        }
    }
    m_roomKeeper.noteChanged();
    if (quiet)
        return;
    // Someone gone from the cluster is told once to everyone here who shared a room with them.
    for (const OnlineUser &user : left) {
        ServerEvent event = ServerEvent::now(ServerEvent::Type::Leave);
        event.nick = user.nick;
        event.text = m_cluster->liveServerNames().contains(user.server)
                             ? QStringLiteral("left (on %1)").arg(user.server)
                             : QStringLiteral("%1 is gone").arg(user.server);
        EventFanout fanout(m_batcher, event);
        QSet<const ClientSession *> told;
        for (const QString &name : user.rooms) {
            const Room *room = m_rooms.find(name);
            if (!room || !m_roomKeeper.presenceLive(room))
                continue;
            for (ClientSession *member : room->members()) {
                if (!told.contains(member)) {
                    told.insert(member);
                    fanout.sendTo(member);
                }
            }
        }
    }
    for (const OnlineUser &user : joined) {
        for (const QString &name : user.rooms)
            m_roomKeeper.tellRemoteMove(user, name, true);
    }
}

void ChatServer::remoteRoomsChanged(const QList<ClusterLink::RoomChange> &changes)
{
    m_roomKeeper.noteChanged();
    for (const ClusterLink::RoomChange &change : changes)
        m_roomKeeper.tellRemoteMove(change.user, change.room, change.joined);
}

void ChatServer::broadcast(const ServerEvent &event, const ClientSession *except)
{
    EventFanout fanout(m_batcher, event);
    for (ClientSession *client : std::as_const(m_clients)) {
        if (client != except)
            fanout.sendTo(client);
    }
}

QString ChatServer::nextGuestNick()
{
    QString nick;
    do {
        nick = QStringLiteral("guest%1").arg(++m_guestCounter);
    } while (findClient(nick) || (m_cluster && !m_cluster->remoteOwner(nick).isEmpty()));
    return nick;
}

bool ChatServer::joinCluster(const ClusterAddress &address)
{
    if (m_cluster)
        return false;
    m_cluster = new ClusterLink(address, this);
    m_cluster->setServerName(m_serverName);
    m_cluster->setDefaultRoom(defaultRoom());
    m_roomKeeper.setCluster(m_cluster);
    m_cluster->setLocalUsers([this] { return localUsers(); });
    // What another server lacks after Redis came back empty, from this one's history (bounded
    // by the request and by ChatLimits::clusterRepairMaxBytes).
    m_cluster->setHistorySource([this](quint64 after, quint64 upTo, int maxCount) {
        HistoryKeeper::After found = m_history.after(after, maxCount, false, HistoryScope::all(),
                                                     ChatLimits::clusterRepairMaxBytes);
        // What memory or the database no longer has right after `after` is no answer.
        if (!found.complete)
            return QList<ChatMessage>();
        QList<ChatMessage> &messages = found.messages;
        messages.erase(std::remove_if(messages.begin(), messages.end(),
                                      [upTo](const ChatMessage &message) { return message.id > upTo; }),
                       messages.end());
        return messages;
    });
    // Guests are numbered per server: start each server's count somewhere else, so that two
    // servers rarely offer the same guest nick (and a clash is settled by the heartbeat).
    m_guestCounter = QRandomGenerator::global()->bounded(1000) * 100;
    connect(m_cluster, &ClusterLink::remoteUsersChanged, this, &ChatServer::remoteUsersChanged);
    connect(m_cluster, &ClusterLink::remoteRoomsChanged, this, &ChatServer::remoteRoomsChanged);
    connect(m_cluster, &ClusterLink::messagesArrived, this, &ChatServer::deliverClusterMessages);
    connect(m_cluster, &ClusterLink::healthChanged, this, &ChatServer::clusterHealthChanged);
    connect(m_cluster, &ClusterLink::healthChanged, this, &ChatServer::tellClusterHealth);
    // What Redis lost before this server read it: resumes from before it are told so.
    connect(m_cluster, &ClusterLink::messagesLost, this,
            [this](quint64 upTo) { m_history.markMissingUpTo(upTo); });
    connect(m_cluster, &ClusterLink::liveServersChanged, this, &ChatServer::clusterServersChanged);
    m_cluster->start(m_nextMessageId - 1);
    return true;
}

void ChatServer::deliverClusterMessages(const QList<ChatMessage> &messages)
{
    for (const ChatMessage &message : messages) {
        // One sequencer gives every id once; an id at or below one delivered here already
        // would be a second message under it, and is left out (and said).
        if (message.id < m_nextMessageId) {
            qCWarning(lcServer, "%s",
                      qUtf8Printable(ServerLog::tr("cluster: message %1 arrived after %2; left out")
                                             .arg(message.id)
                                             .arg(m_nextMessageId - 1)));
            continue;
        }
        m_nextMessageId = message.id + 1;
        // A message this server delivered under another id already: published a second time
        // after Redis came back empty and lost the first (by a server that had not read it
        // back). Its people have it; they do not get it twice.
        if (!message.clientId.isEmpty()) {
            const SendLedger::Entry *earlier = m_sendLedger.find(message.fromIdentity, message.clientId,
                                                                 QDateTime::currentMSecsSinceEpoch());
            // Only one delivered here: one the sequencer only answered for may be gone with Redis.
            if (earlier && earlier->delivered && earlier->id != message.id) {
                qCWarning(lcServer, "%s",
                          qUtf8Printable(ServerLog::tr("cluster: message %1 is message %2 again; left out")
                                                 .arg(message.id)
                                                 .arg(earlier->id)));
                continue;
            }
        }
        deliverMessage(message);
    }
}

void ChatServer::tellClusterHealth(bool healthy)
{
    broadcast(clusterStatus(!healthy));
}

ServerEvent ChatServer::clusterStatus(bool degraded) const
{
    ServerEvent status = ServerEvent::now(ServerEvent::Type::Status);
    status.degraded = degraded;
    status.text =
            degraded ? QStringLiteral("the server has lost its cluster (Redis): what you send waits and is "
                                      "delivered, in order, when it is back")
                     : QStringLiteral("the server is back in its cluster: messages flow again");
    return status;
}
