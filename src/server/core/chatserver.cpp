#include "chatserver.h"

#include "chatcommand.h"
#include "chatlistener.h"
#include "clientsession.h"
#include "clusterlink.h"
#include "eventfanout.h"
#include "jsonprotocol.h"
#include "messagestore.h"
#include "nickrules.h"
#include "plainprotocol.h"
#include "refusal.h"
#include "roomname.h"
#include "serverlog.h"
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

QString connectionTime(const QDateTime &utc)
{
    const QDateTime local = utc.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

ServerEvent makeEvent(ServerEvent::Type type)
{
    ServerEvent event;
    event.type = type;
    event.time = QDateTime::currentDateTimeUtc();
    return event;
}

QByteArray identityHash(const QString &identity)
{
    return QCryptographicHash::hash(identity.toUtf8(), QCryptographicHash::Sha256);
}

// A client's identity is a secret of its own: printable ASCII, long enough not to be guessed.
bool acceptableIdentity(const QString &identity)
{
    if (identity.size() < 16 || identity.size() > 128)
        return false;
    if (!std::all_of(identity.begin(), identity.end(),
                     [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; }))
        return false;
    // Not one anybody would guess: at least 8 different characters (16 times "a" is refused).
    return QSet<QChar>(identity.begin(), identity.end()).size() >= 8;
}

QString newToken()
{
    quint64 words[2];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

} // namespace

ChatServer::ChatServer(const ChatLimits &limits, QObject *parent)
    : QObject(parent),
      m_limits(limits),
      m_serverName(u"groupchat on " + QSysInfo::machineHostName()),
      m_server(new ChatListener([this](qintptr descriptor) { accept(descriptor); }, this)),
      m_batcher(new WriteBatcher(this)),
      m_history(limits),
      m_admission(limits),
      m_roomKeeper(limits, m_batcher, m_history),
      m_rooms(m_roomKeeper.directory())
{
    m_batcher->setBeforeFlush([this] { m_history.commit(); });
    connect(&m_roomKeeper, &RoomKeeper::roomsChanged, this, &ChatServer::roomsChanged);
    m_server->setListenBacklogSize(ChatLimits::listenBacklog);
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
    for (const auto &[address, since] : store->bans())
        m_admission.addBan(QHostAddress(address), since);
    if (m_admission.banCount() > 0)
        Q_EMIT bansChanged();
    qCInfo(lcServer, "history in %s: %lld message(s), the last id %llu; %d address(es) banned",
           qPrintable(path), store->messageCount(), lastMessageId(), m_admission.banCount());
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
    if (!m_server->listen(address, port)) {
        qCCritical(lcServer, "cannot listen on %s port %u: %s", qPrintable(describeAddress(address)), port,
                   qPrintable(m_server->errorString()));
        return false;
    }
    qCInfo(lcServer, "listening on %s port %u", qPrintable(describeAddress(address)), m_server->serverPort());
    if (m_tls) {
        if (!m_tls->listen(address, m_tlsPortWanted)) {
            qCCritical(lcServer, "cannot listen on %s port %u (TLS): %s",
                       qPrintable(describeAddress(address)), m_tlsPortWanted,
                       qPrintable(m_tls->errorString()));
            m_server->close();
            return false;
        }
        qCInfo(lcServer, "TLS on port %u; certificate fingerprint (SHA-256) %s", m_tls->serverPort(),
               qPrintable(m_tls->fingerprint()));
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
    if (!roomName.isEmpty()) {
        Room *room = m_rooms.find(roomName);
        if (!room || !client->isIn(room))
            return;
        qCInfo(lcServer, "%s (%s) kicked from %s: %s", qPrintable(client->nick()), qPrintable(client->peer()),
               qPrintable(room->name()), qPrintable(TextSanitizer::quoted(why, ChatLimits::maxReasonLength)));
        m_roomKeeper.leave(client, room, u"kicked by the admin: " + why, true);
        return;
    }
    qCInfo(lcServer, "%s (%s) kicked: %s", qPrintable(client->nick()), qPrintable(client->peer()),
           qPrintable(TextSanitizer::quoted(why, ChatLimits::maxReasonLength)));
    ServerEvent kicked = makeEvent(ServerEvent::Type::Error);
    kicked.code = QStringLiteral("kicked");
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
        qCWarning(lcServer, "cannot store the ban in %s: %s", qPrintable(m_history.store()->path()),
                  qPrintable(m_history.store()->errorString()));
    qCInfo(lcServer, "banned %s", qPrintable(plain.toString()));
    for (ClientSession *client : std::as_const(m_clients)) {
        if (client->peerAddress() != plain || client->isClosing())
            continue;
        qCInfo(lcServer, "%s (%s) disconnected for the ban", qPrintable(client->nick()),
               qPrintable(client->peer()));
        client->sendError(Refusal::code(Refusal::Reason::Banned), Refusal::text(Refusal::Reason::Banned));
        client->close(QStringLiteral("banned"));
    }
    Q_EMIT bansChanged();
}

void ChatServer::unban(const QHostAddress &address)
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    if (!m_admission.removeBan(plain))
        return;
    qCInfo(lcServer, "lifted the ban on %s", qPrintable(plain.toString()));
    if (m_history.store() && !m_history.store()->removeBan(plain.toString()))
        qCWarning(lcServer, "cannot remove the ban from %s: %s", qPrintable(m_history.store()->path()),
                  qPrintable(m_history.store()->errorString()));
    Q_EMIT bansChanged();
}

void ChatServer::sendAdminNotice(const QString &text, const QString &roomName)
{
    const QString clean = TextCut::leftUtf8(TextSanitizer::clean(text).trimmed(), m_limits.maxLineBytes / 2);
    if (clean.isEmpty())
        return;
    ServerEvent notice = makeEvent(ServerEvent::Type::Notice);
    notice.from = QStringLiteral("admin");
    notice.text = clean;
    if (roomName.isEmpty()) {
        qCInfo(lcServer, "admin notice: %s", qPrintable(clean));
        broadcast(notice);
        return;
    }
    const Room *room = m_rooms.find(roomName);
    if (!room)
        return;
    qCInfo(lcServer, "admin notice to %s: %s", qPrintable(room->name()), qPrintable(clean));
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
    return m_server->errorString();
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
    if (m_server->isListening()) {
        m_server->close();
        m_listeningSince = QDateTime();
        Q_EMIT listeningChanged(false);
    }
    qCInfo(lcServer, "stopping: telling %d client(s)", clientCount());
    if (m_clients.isEmpty()) {
        QMetaObject::invokeMethod(this, &ChatServer::finishStop, Qt::QueuedConnection);
        return;
    }
    ServerEvent shutdown = makeEvent(ServerEvent::Type::Shutdown);
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
    qCInfo(lcServer, "stopped");
    Q_EMIT stopped();
}

void ChatServer::accept(qintptr descriptor)
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
    addClient(new ClientSession(descriptor, m_nextClientId++, m_limits, m_batcher, this));
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
                        qCWarning(lcServer, "refused %s:%u (TLS): %s", qPrintable(address.toString()), port,
                                  qPrintable(m_stopping ? shutdownReason : Refusal::text(reason)));
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
        qCWarning(lcServer, "cannot serve %s:%u over TLS: no socket pair (%s)",
                  qPrintable(address.toString()), port, qPrintable(qt_error_string()));
        bridge->deleteLater();
        releaseAdmission(address);
        return;
    }
    auto *client = new ClientSession(descriptor, m_nextClientId++, m_limits, m_batcher, this);
    client->setTlsPeer(address, port);
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
    qCWarning(lcServer, "%s (%s) gave a wrong password; answering in %d ms", qPrintable(client->nick()),
              qPrintable(client->peer()), verdict.delayMs);
    client->holdInput();
    QTimer::singleShot(verdict.delayMs, client, [client] {
        client->sendError(QStringLiteral("bad-password"), QStringLiteral("wrong password"));
        client->close(QStringLiteral("wrong password"));
    });
    return false;
}

int ChatServer::checkInterval(const ChatLimits &limits)
{
    // Often enough to keep every timeout to within a quarter of itself.
    return std::clamp(std::min({ limits.firstLineTimeoutMs, limits.pingIntervalMs, limits.pingTimeoutMs }) /
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
        const qint64 quiet = now - client->lastActivityMs();
        if (!client->hasReceivedLine() && now - client->connectedAtMs() >= m_limits.firstLineTimeoutMs) {
            client->sendError(QStringLiteral("timeout"),
                              QStringLiteral("closing: nothing received within %1 s of connecting")
                                      .arg(m_limits.firstLineTimeoutMs / 1000.0));
            client->close(QStringLiteral("no first line"));
        } else if (!client->isJson()) {
            // Plain clients are watched by TCP keep-alive (see ClientSession).
            continue;
        } else if (client->pingSentMs() > 0 && now - client->pingSentMs() >= m_limits.pingTimeoutMs) {
            client->abort(QStringLiteral("ping timeout"));
        } else if (client->pingSentMs() == 0 && quiet >= m_limits.pingIntervalMs) {
            client->send(makeEvent(ServerEvent::Type::Ping));
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
        qCWarning(lcServer, "refused %s:%u: %s", qPrintable(address.toString()), port, qPrintable(why));
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
        qCWarning(lcServer,
                  "refused a connection whose address is unknown (it was reset before it was accepted)");
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
        m_roomKeeper.enter(client, m_rooms.defaultRoom());
    }
    m_byId.insert(client->id(), client);
    holdNick(client, client->nick());
    m_announceQueue.emplace_back(m_clock.elapsed() + ChatLimits::announceDelayMs, client->id());
    if (!m_announceTimer.isActive())
        m_announceTimer.start(ChatLimits::announceDelayMs);
    connect(client, &ClientSession::commandReceived, this,
            [this, client](const ChatCommand &command) { handleCommand(client, command); });
    connect(client, &ClientSession::closed, this,
            [this, client](const QString &reason) { removeClient(client, reason); });
    connect(client, &ClientSession::caughtUp, this,
            [this, client](qint64 missed) { sendCaughtUp(client, missed); });

    qCInfo(lcServer, "%s connected as %s (%d connected)", qPrintable(client->peer()),
           qPrintable(client->nick()), clientCount());
    Q_EMIT clientConnected(client);
    // Plain clients are greeted at once; a JSON client skips these lines and waits for its
    // welcome.
    ServerEvent greeting = makeEvent(ServerEvent::Type::Welcome);
    greeting.nick = client->nick();
    greeting.online = roomSize() + 1;
    // Behind a password the room's talk is for those who gave it.
    greeting.passwordRequired = !m_password.isEmpty();
    if (!greeting.passwordRequired)
        greeting.history = recentOfDefaultRoom();
    client->send(greeting);
}

QList<ChatMessage> ChatServer::recentOfDefaultRoom() const
{
    const QString room = defaultRoom();
    return m_history.recent(m_limits.historyLines,
                            [&room](const ChatMessage &message) { return message.room == room; });
}

void ChatServer::announce(ClientSession *client)
{
    if (client->isAnnounced() || client->isClosing() || !client->isAuthenticated())
        return;
    client->setAnnounced();
    ++m_memberCount;
    for (Room *room : client->rooms()) {
        room->countAnnounced(1);
        if (m_roomKeeper.presenceLive(room)) {
            ServerEvent joined = makeEvent(ServerEvent::Type::Join);
            joined.nick = client->nick();
            joined.room = room->name();
            m_roomKeeper.sendTo(room, joined, client);
        } else if (m_roomKeeper.online(room) == m_limits.presenceLimit + 1) {
            qCInfo(lcServer, "more than %d in %s: joins and leaves are no longer announced",
                   m_limits.presenceLimit, qPrintable(room->name()));
            m_roomKeeper.sendTo(room, m_roomKeeper.presenceEvent(room));
        }
    }
    m_roomKeeper.noteChanged();
    Q_EMIT clientJoined(client);
}

void ChatServer::announceDue()
{
    const qint64 now = m_clock.elapsed();
    while (!m_announceQueue.empty() && m_announceQueue.front().first <= now) {
        // Gone already, or announced by its first line: nothing to do.
        if (ClientSession *client = m_byId.value(m_announceQueue.front().second))
            announce(client);
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
    qCInfo(lcServer, "%s (%s) disconnected: %s (%d connected)", qPrintable(client->nick()),
           qPrintable(client->peer()), qPrintable(reason), clientCount());
    const bool announced = client->isAnnounced();
    if (announced && !m_stopping && !client->isReplaced()) {
        // Nobody is told when the server is going, or when the same person is still here.
        ServerEvent left = makeEvent(ServerEvent::Type::Leave);
        left.nick = client->nick();
        left.text = reason;
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
                qCInfo(lcServer, "%d in %s: joins and leaves are announced again", m_roomKeeper.online(room),
                       qPrintable(room->name()));
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

void ChatServer::handleCommand(ClientSession *client, const ChatCommand &command)
{
    using Type = ChatCommand::Type;
    if (command.type == Type::Hello) {
        handleHello(client, command);
        return;
    }
    if (command.type == Type::TooLong) {
        qCWarning(lcServer, "%s (%s) sent a line over %lld bytes", qPrintable(client->nick()),
                  qPrintable(client->peer()), qlonglong(m_limits.maxLineBytes));
        client->sendError(QStringLiteral("line-too-long"),
                          QStringLiteral("line too long (limit %1 bytes)").arg(m_limits.maxLineBytes));
        return;
    }
    if (client->isJson() && !client->hasWelcome()) {
        // The hello itself was malformed: the handshake failed.
        client->sendError(command.target, command.text);
        client->close(QStringLiteral("bad hello: ") + command.text);
        return;
    }
    if (!client->isAuthenticated()) {
        // A password comes before anything else.
        if (!client->isAnnounced())
            Q_EMIT clientModeChanged(client);
        if (command.type == Type::Pass) {
            if (!checkPassword(client, command.text,
                               [this, client, command] { handleCommand(client, command); }))
                return;
            client->sendNotice(QStringLiteral("password accepted"));
            m_roomKeeper.enter(client, m_rooms.defaultRoom());
            for (const ChatMessage &message : recentOfDefaultRoom())
                client->sendBytes(PlainProtocol::messageLine(message));
        } else if (command.type != Type::Quit) {
            client->sendError(QStringLiteral("password-required"),
                              QStringLiteral("this server needs a password first: /pass SECRET"));
            return;
        }
    } else if (command.type == Type::Pass) {
        client->sendNotice(m_password.isEmpty() ? QStringLiteral("this server needs no password")
                                                : QStringLiteral("your password was accepted already"));
        return;
    }
    // A version-1 client is in the default room only: rooms are version 2's.
    if (client->isJson() && client->jsonVersion() < 2 &&
        (command.type == Type::Join || command.type == Type::Part || command.type == Type::Topic ||
         command.type == Type::Rooms)) {
        client->sendError(
                QStringLiteral("unknown-type"),
                QStringLiteral("rooms need protocol version 2; this connection said hello with version %1")
                        .arg(client->jsonVersion()));
        return;
    }
    // A plain client's first line makes it a member of the room before the line counts.
    if (!client->isAnnounced())
        Q_EMIT clientModeChanged(client);
    announce(client);
    switch (command.type) {
    case Type::Say:
        if (Room *room = commandRoom(client, command.target))
            postMessage(client, room, ChatMessage::Kind::Say, command.text);
        break;
    case Type::Action:
        if (command.text.isEmpty())
            client->sendError(QStringLiteral("usage"), QStringLiteral("usage: /me ACTION"));
        else if (Room *room = commandRoom(client, command.target))
            postMessage(client, room, ChatMessage::Kind::Action, command.text);
        break;
    case Type::Join:
        joinRoom(client, command.target);
        break;
    case Type::Part:
        partRoom(client, command);
        break;
    case Type::Topic:
        setTopic(client, command);
        break;
    case Type::Rooms:
        sendRoomList(client);
        break;
    case Type::Switch:
        switchRoom(client, command.target);
        break;
    case Type::Private:
        sendPrivate(client, command.target, command.text);
        break;
    case Type::Nick:
        changeNick(client, command.target);
        break;
    case Type::Who:
        sendWho(client, command.target);
        break;
    case Type::Help:
        sendHelp(client);
        break;
    case Type::Quit: {
        // A reason of the user's own is marked as theirs ("quit: kicked" is no kick).
        const QString reason =
                command.text.trimmed().isEmpty()
                        ? QStringLiteral("quit")
                        : u"quit: " + TextCut::left(command.text.trimmed(), ChatLimits::maxReasonLength);
        if (!client->isJson())
            client->sendNotice(QStringLiteral("goodbye"));
        client->close(reason);
        break;
    }
    case Type::Ping: {
        ServerEvent pong = makeEvent(ServerEvent::Type::Pong);
        pong.token = command.token;
        client->send(pong);
        break;
    }
    case Type::Pong:
    case Type::Pass:
        break; // being alive was the point, and the session noted that; passwords are above
    case Type::Unknown:
        client->sendError(
                QStringLiteral("unknown-command"),
                QStringLiteral("unknown command %1, try /help").arg(TextSanitizer::quoted(command.target)));
        break;
    case Type::Invalid:
        qCWarning(lcServer, "%s (%s) sent a bad request: %s", qPrintable(client->nick()),
                  qPrintable(client->peer()), qPrintable(command.text));
        client->sendError(command.target, command.text);
        break;
    case Type::History:
        sendHistory(client, command);
        break;
    case Type::Hello:
    case Type::TooLong:
        break;
    }
}

void ChatServer::handleHello(ClientSession *client, const ChatCommand &hello)
{
    if (client->hasWelcome()) {
        client->sendError(QStringLiteral("unexpected-hello"),
                          QStringLiteral("this connection has already said hello"));
        return;
    }
    if (hello.version < JsonProtocol::oldestVersion || hello.version > JsonProtocol::version) {
        client->sendError(QStringLiteral("unsupported-version"),
                          QStringLiteral("this server speaks protocol versions %1 to %2, not %3")
                                  .arg(JsonProtocol::oldestVersion)
                                  .arg(JsonProtocol::version)
                                  .arg(hello.version));
        client->close(QStringLiteral("unsupported protocol version %1").arg(hello.version));
        return;
    }
    if (!hello.identity.isEmpty() && !acceptableIdentity(hello.identity)) {
        client->sendError(QStringLiteral("bad-field"),
                          QStringLiteral("\"identity\" must be 16 to 128 printable ASCII characters"));
        client->close(QStringLiteral("bad hello: bad identity"));
        return;
    }
    if (!client->isAuthenticated()) {
        if (!hello.hasPassword) {
            client->sendError(QStringLiteral("password-required"),
                              QStringLiteral("this server needs a password"));
            client->close(QStringLiteral("no password"));
            return;
        }
        if (!checkPassword(client, hello.password, [this, client, hello] { handleHello(client, hello); }))
            return;
        m_roomKeeper.enter(client, m_rooms.defaultRoom());
    }
    client->setJsonVersion(hello.version);
    const QString nick = NickRules::prepare(hello.target);
    const ClientSession *previous = nullptr; // the connection this one takes over
    if (!nick.isEmpty() && nick != client->nick()) {
        ClientSession *owner = findClient(nick);
        const bool takeover =
                owner && owner != client && !hello.token.isEmpty() && owner->token() == hello.token;
        if (takeover) {
            // The same person, back on a new connection before the old one was noticed gone.
            qCInfo(lcServer, "%s (%s) takes over its earlier connection from %s", qPrintable(owner->nick()),
                   qPrintable(client->peer()), qPrintable(owner->peer()));
            releaseNick(owner, owner->nick());
            owner->replace();
            // It stops counting now, not when its socket is done: the person is counted once.
            if (owner->isAnnounced()) {
                owner->setAnnounced(false);
                --m_memberCount;
                for (Room *room : owner->rooms())
                    room->countAnnounced(-1);
            }
            previous = owner;
            if (client->isAnnounced()) {
                // Too late to be quiet: the room knows this connection as a guest already.
                ServerEvent left = makeEvent(ServerEvent::Type::Leave);
                left.nick = owner->nick();
                left.text = QStringLiteral("reconnected");
                broadcast(left, owner);
            }
        }
        const NickRefusal refusal = nickRefusal(client, nick);
        if (!refusal.code.isEmpty()) {
            refuseNick(client, refusal);
            client->close(refusal.text);
            return;
        }
        rename(client, nick);
        if (takeover && !client->isAnnounced()) {
            // Nobody saw the old connection go, so nobody sees this one come; it counts in the
            // old one's place (which no longer counts once it is gone).
            client->setAnnounced();
            ++m_memberCount;
            for (Room *room : client->rooms())
                room->countAnnounced(1);
            Q_EMIT clientJoined(client);
        }
    }
    qCInfo(lcServer, "%s (%s) speaks JSON", qPrintable(client->nick()), qPrintable(client->peer()));
    Q_EMIT clientModeChanged(client);
    client->setToken(newToken());
    // Version 2 keeps private messages under an identity: the client's own, or one made for
    // it now (the welcome gives it, to keep for next time).
    QString identity;
    if (hello.version >= 2) {
        identity = hello.identity.isEmpty() ? newToken() + newToken() : hello.identity;
        client->setIdentityHash(identityHash(identity));
    }
    // Back in the rooms it was in (a resume covers them all): quietly now, announced with it.
    QStringList refused;
    for (const QString &name : hello.rooms) {
        Room *room = m_rooms.find(RoomName::prepare(name));
        if (room && client->isIn(room))
            continue;
        if (hello.version < 2)
            continue;
        if (!room)
            m_roomKeeper.makeWay(RoomName::prepare(name));
        const RoomKeeper::Refusal refusal = m_roomKeeper.refusal(client, room, RoomName::prepare(name));
        if (!refusal.code.isEmpty()) {
            refused.append(refusal.text);
            continue;
        }
        if (!room)
            room = m_roomKeeper.make(client, RoomName::prepare(name));
        m_roomKeeper.enter(client, room);
        if (!client->isAnnounced())
            continue; // the room is told when the client is announced
        // Taking over a connection: the room knows the person already if it was in it.
        room->countAnnounced(1);
        if (!(previous && previous->isIn(room)) && m_roomKeeper.presenceLive(room)) {
            ServerEvent joined = makeEvent(ServerEvent::Type::Join);
            joined.nick = client->nick();
            joined.room = room->name();
            m_roomKeeper.sendTo(room, joined, client);
        }
    }
    sendWelcome(client, hello, identity);
    for (const QString &why : std::as_const(refused))
        client->sendError(QStringLiteral("room-refused"), why);
    announce(client);
}

void ChatServer::sendWelcome(ClientSession *client, const ChatCommand &hello, const QString &identity)
{
    ServerEvent welcome = makeEvent(ServerEvent::Type::Welcome);
    welcome.version = client->jsonVersion();
    welcome.identity = identity;
    welcome.serverName = m_serverName;
    welcome.nick = client->nick();
    welcome.token = client->token();
    welcome.lastId = lastMessageId();
    welcome.online = roomSize() + (client->isAnnounced() ? 0 : 1);
    welcome.presenceLive = welcome.online <= m_limits.presenceLimit;
    // In a room too large to follow, the list is left out too: a thousand desktop clients
    // each getting a thousand names is the same O(N^2) the limit avoids.
    if (welcome.presenceLive) {
        welcome.users = onlineUsers();
        if (!client->isAnnounced())
            welcome.users.append({ client->nick(), client->connectedAt(), QString() });
    }
    welcome.limits = { m_limits.maxLineBytes,      m_limits.historyLines,     m_limits.historyKeep,
                       m_limits.historyKeepDays,   ChatLimits::maxNickLength, m_limits.presenceLimit,
                       m_limits.maxRoomsPerClient, m_limits.maxTopicLength };
    for (const Room *room : client->rooms()) {
        RoomInfo info = m_roomKeeper.info(room, true);
        if (!client->isAnnounced() && info.presenceLive) {
            ++info.online;
            info.users.append({ client->nick(), client->connectedAt(), QString() });
        }
        welcome.rooms.append(info);
    }

    // "since" from another life of this server (its ids started again) cannot be honoured.
    const bool resumes = hello.hasSince && hello.since <= lastMessageId();
    quint64 after = 0;
    if (resumes) {
        after = hello.since;
    } else {
        // The recent history, and anything posted since this connection opened.
        const QList<ChatMessage> recent = recentOfDefaultRoom();
        after = recent.isEmpty() ? lastMessageId() : recent.constFirst().id - 1;
        after = qMin(after, client->lastIdAtConnect());
    }
    // At most what half the send queue can hold (every message takes at least wireSize of an
    // empty one), and the newest of it.
    const int cap = int(qMin<qint64>(ChatLimits::maxResumeMessages,
                                     m_limits.maxSendQueueBytes / 2 / ChatMessage().wireSize() + 1));
    HistoryKeeper::After replay =
            m_history.after(after, cap, true, scopeOf(client), m_limits.maxSendQueueBytes / 2);
    welcome.history = std::move(replay.messages);
    welcome.historyComplete = !hello.hasSince || (resumes && replay.complete);
    // The replay must fit in the client's send queue with room to spare: the newest of it.
    const qsizetype fit = fittingMessages(welcome.history.crbegin(), welcome.history.crend());
    if (fit < welcome.history.size()) {
        welcome.history.remove(0, welcome.history.size() - fit);
        welcome.historyComplete = false;
    }
    client->send(welcome);
}

template<typename Iterator>
qsizetype ChatServer::fittingMessages(Iterator first, Iterator last) const
{
    qint64 bytes = 0;
    qsizetype count = 0;
    for (; first != last && bytes + first->wireSize() <= m_limits.maxSendQueueBytes / 2; ++first, ++count)
        bytes += first->wireSize();
    return count;
}

void ChatServer::sendHistory(ClientSession *client, const ChatCommand &command)
{
    ServerEvent reply = makeEvent(ServerEvent::Type::History);
    reply.after = command.since;
    // One room's (it must be in it), or every conversation of the client's.
    const Room *room = nullptr;
    if (!command.target.isEmpty()) {
        room = m_rooms.find(RoomName::prepare(command.target));
        if (!room || !client->isIn(room)) {
            ServerEvent error = makeEvent(ServerEvent::Type::Error);
            error.code = QStringLiteral("not-in-room");
            error.text = QStringLiteral("you are not in %1")
                                 .arg(TextSanitizer::quoted(command.target, ChatLimits::maxNickLength + 1));
            error.room = room ? room->name() : command.target;
            client->send(error);
            return;
        }
        reply.room = room->name();
    }
    const int limit = command.limit > 0 ? qMin(command.limit, ChatLimits::maxHistoryReply)
                                        : ChatLimits::maxHistoryReply;
    // The oldest first: whoever asked goes on after the last one it got.
    HistoryKeeper::After page =
            m_history.after(command.since, limit, false, scopeOf(client, room ? room->name() : QString()),
                            m_limits.maxSendQueueBytes / 2);
    reply.historyComplete = command.since <= lastMessageId() && page.complete;
    const qsizetype fit = fittingMessages(page.messages.cbegin(), page.messages.cend());
    reply.historyMore = page.more || fit < page.messages.size();
    page.messages.resize(fit);
    reply.history = std::move(page.messages);
    client->send(reply);
}

void ChatServer::sendCaughtUp(ClientSession *client, qint64 missed)
{
    ServerEvent event = makeEvent(ServerEvent::Type::CaughtUp);
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
        ServerEvent state = makeEvent(ServerEvent::Type::RoomState);
        state.room = room->name();
        state.rooms = { m_roomKeeper.info(room, true) };
        client->send(state);
    }
}

void ChatServer::postMessage(ClientSession *from, Room *room, ChatMessage::Kind kind, const QString &text)
{
    ChatMessage message;
    message.time = QDateTime::currentDateTimeUtc();
    message.from = from->nick();
    message.text = text;
    message.kind = kind;
    message.room = room->name();
    from->countMessageSent();
    publish(message);
}

void ChatServer::publish(ChatMessage message)
{
    if (m_cluster && m_cluster->isHealthy()) {
        // Delivered here too when it comes back from the cluster's stream, with its id.
        m_cluster->publish(message, [this, self = QPointer<ChatServer>(this), message]() mutable {
            if (!self)
                return;
            message.id = m_nextMessageId++;
            deliverMessage(message);
            m_cluster->publishLater(message);
        });
        return;
    }
    message.id = m_nextMessageId++;
    deliverMessage(message);
    if (m_cluster)
        m_cluster->publishLater(message);
}

void ChatServer::deliverMessage(const ChatMessage &message)
{
    // Stored before anyone receives it: the batch is committed before this pass's output
    // leaves (WriteBatcher's hook), and a pass that has nobody to send to still ends in one.
    if (m_history.add(message))
        m_batcher->requestFlush();
    if (message.isPrivate()) {
        // To whoever holds either identity here: the two people, never a later holder of a nick.
        ServerEvent event = makeEvent(ServerEvent::Type::Private);
        event.time = message.time;
        event.message = message;
        event.from = message.from;
        event.to = message.to;
        event.text = message.text;
        ClientSession *sender = findClient(message.from);
        ClientSession *target = findClient(message.to);
        if (target && target->identityHash() == message.toIdentity)
            target->send(event);
        if (sender && sender != target && sender->identityHash() == message.fromIdentity)
            sender->send(event);
    } else if (Room *room = m_rooms.find(message.room)) {
        // A room that is not here (made on another server of the cluster) only keeps history.
        ServerEvent event = makeEvent(ServerEvent::Type::Message);
        event.time = message.time;
        event.message = message;
        if (!room->isStored())
            m_roomKeeper.store(room);
        room->countMessages();
        m_roomKeeper.sendTo(room, event);
    }
    Q_EMIT messagePosted(message);
}

void ChatServer::sendPrivate(ClientSession *from, const QString &to, const QString &text)
{
    if (to.isEmpty() || text.isEmpty()) {
        from->sendError(QStringLiteral("usage"), QStringLiteral("usage: /msg NICK TEXT"));
        return;
    }
    ClientSession *target = findClient(to);
    if (!target || !target->isAnnounced()) {
        from->sendError(
                QStringLiteral("no-such-nick"),
                QStringLiteral("no such nick: %1").arg(TextSanitizer::quoted(to, ChatLimits::maxNickLength)));
        return;
    }
    if (target->isLagging() && target != from) {
        // It is far behind already; private messages are not skipped like the room's, so a
        // stream of them could push it off: it gets none until it has caught up.
        from->sendError(
                QStringLiteral("target-lagging"),
                QStringLiteral("%1 is not keeping up with the chat; the message was not delivered, try "
                               "again in a moment")
                        .arg(TextSanitizer::isolated(target->nick())));
        return;
    }
    // A conversation of its own, kept in the history for the two identities only.
    ChatMessage message;
    message.time = QDateTime::currentDateTimeUtc();
    message.from = from->nick();
    message.to = target->nick();
    message.text = text;
    message.fromIdentity = from->identityHash();
    message.toIdentity = target->identityHash();
    from->countMessageSent();
    publish(message);
}

ChatServer::NickRefusal ChatServer::nickRefusal(const ClientSession *client, const QString &nick) const
{
    char32_t culprit = 0;
    const NickRules::Problem problem = NickRules::check(nick, &culprit);
    if (problem != NickRules::Problem::None)
        return { QStringLiteral("invalid-nick"),
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
        return { QStringLiteral("nick-taken"),
                 QStringLiteral("nick %1 is already taken").arg(TextSanitizer::isolated(nick)), owner };
    return { QStringLiteral("nick-taken"),
             QStringLiteral("nick %1 is already taken: it looks like %2, who is online")
                     .arg(TextSanitizer::isolated(nick), TextSanitizer::isolated(owner)),
             owner };
}

void ChatServer::refuseNick(ClientSession *client, const NickRefusal &refusal)
{
    ServerEvent error = makeEvent(ServerEvent::Type::Error);
    error.code = refusal.code;
    error.text = refusal.text;
    error.nick = refusal.holder;
    client->send(error);
}

void ChatServer::changeNick(ClientSession *client, const QString &requested)
{
    const QString nick = NickRules::prepare(requested);
    if (nick.isEmpty()) {
        client->sendNotice(QStringLiteral("you are %1; /nick NAME changes it").arg(client->nick()));
        return;
    }
    if (nick == client->nick()) {
        client->sendNotice(QStringLiteral("you are already %1").arg(nick));
        return;
    }
    const NickRefusal refusal = nickRefusal(client, nick);
    if (!refusal.code.isEmpty()) {
        refuseNick(client, refusal);
        return;
    }
    rename(client, nick);
}

void ChatServer::rename(ClientSession *client, const QString &nick)
{
    const QString oldNick = client->nick();
    releaseNick(client, oldNick);
    holdNick(client, nick);
    client->setNick(nick);
    qCInfo(lcServer, "%s (%s) is now known as %s", qPrintable(oldNick), qPrintable(client->peer()),
           qPrintable(nick));
    ServerEvent event = makeEvent(ServerEvent::Type::Nick);
    event.oldNick = oldNick;
    event.newNick = nick;
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
        ServerEvent event = makeEvent(ServerEvent::Type::Leave);
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

void ChatServer::sendWho(ClientSession *client, const QString &target)
{
    const Room *room = commandRoom(client, target);
    if (!room)
        return;
    const QList<OnlineUser> users = m_roomKeeper.users(room);
    // A client in one room, asking about it, sees the list as before rooms.
    if (target.isEmpty() && !client->marksRooms())
        client->sendNotice(QStringLiteral("%1 online:").arg(users.size()));
    else
        client->sendNotice(QStringLiteral("%1 online in %2:")
                                   .arg(users.size())
                                   .arg(TextSanitizer::isolated(room->name())));
    for (const OnlineUser &user : users) {
        const QString where = !user.server.isEmpty() ? QStringLiteral(" (on %1)").arg(user.server)
                              : m_cluster            ? QStringLiteral(" (on %1)").arg(m_serverName)
                                                     : QString();
        client->sendNotice(QStringLiteral("  %1, connected %2%3%4")
                                   .arg(TextSanitizer::isolated(user.nick), connectionTime(user.since), where,
                                        user.nick == client->nick() && user.server.isEmpty()
                                                ? QStringLiteral(" (you)")
                                                : QString()));
    }
}

void ChatServer::sendHelp(ClientSession *client) const
{
    static const char *const lines[] = {
        "commands:",
        "  /nick NAME             change your nick (%1)",
        "  /join #ROOM            join a room, making it if there is none",
        "  /part [#ROOM] [REASON] leave a room (this one without #ROOM)",
        "  /switch #ROOM          send what you type to another room you are in",
        "  /rooms                 list the rooms",
        "  /topic [#ROOM] [TEXT]  show or set a room's topic",
        "  /who [#ROOM]           list who is in a room",
        "  /me ACTION             tell the room what you are doing",
        "  /msg NICK TEXT         send TEXT to NICK only",
        "  /help                  show this list",
        "  /quit [REASON]         leave (a line that says quit does too)",
        "anything else is sent to your current room (%2); start a line with // to send one that begins with "
        "/",
    };
    for (const char *line : lines) {
        QString text = QString::fromLatin1(line);
        if (text.contains(QLatin1String("%1")))
            text = text.arg(NickRules::ruleText());
        if (text.contains(QLatin1String("%2")))
            text = text.arg(client->currentRoom() ? client->currentRoom()->name() : QStringLiteral("none"));
        client->sendNotice(text);
    }
}

void ChatServer::broadcast(const ServerEvent &event, const ClientSession *except)
{
    EventFanout fanout(m_batcher, event);
    for (ClientSession *client : std::as_const(m_clients)) {
        if (client != except)
            fanout.sendTo(client);
    }
}

Room *ChatServer::commandRoom(ClientSession *client, const QString &target)
{
    if (target.isEmpty()) {
        // Plain: where it typed its lines; JSON: the default room, as in version 1.
        Room *room = client->isJson() ? m_rooms.defaultRoom() : client->currentRoom();
        if (room && client->isIn(room))
            return room;
        client->sendError(
                QStringLiteral("no-room"),
                client->isJson()
                        ? QStringLiteral("you are not in %1; name a room you are in").arg(defaultRoom())
                        : QStringLiteral("you are in no room; /join #ROOM first"));
        return nullptr;
    }
    const QString name = RoomName::prepare(target);
    Room *room = m_rooms.find(name);
    if (!room || !client->isIn(room)) {
        ServerEvent error = makeEvent(ServerEvent::Type::Error);
        error.code = room ? QStringLiteral("not-in-room") : QStringLiteral("no-such-room");
        error.text = room ? QStringLiteral("you are not in %1; /join it first")
                                     .arg(TextSanitizer::isolated(room->name()))
                          : QStringLiteral("no such room: %1; /rooms lists them")
                                     .arg(TextSanitizer::quoted(target, ChatLimits::maxNickLength + 1));
        error.room = room ? room->name() : name;
        client->send(error);
        return nullptr;
    }
    return room;
}

void ChatServer::joinRoom(ClientSession *client, const QString &target)
{
    const QString name = RoomName::prepare(target);
    const auto refuse = [&](const QString &code, const QString &text) {
        ServerEvent error = makeEvent(ServerEvent::Type::Error);
        error.code = code;
        error.text = text;
        error.room = name;
        client->send(error);
    };
    if (name.isEmpty()) {
        client->sendError(QStringLiteral("usage"), QStringLiteral("usage: /join #ROOM"));
        return;
    }
    Room *room = m_rooms.find(name);
    if (!room)
        m_roomKeeper.makeWay(name);
    if (room && client->isIn(room)) {
        // Plain: joining again makes it current; JSON: the room as it is, once more.
        if (!client->isJson()) {
            switchRoom(client, room->name());
        } else {
            ServerEvent state = makeEvent(ServerEvent::Type::RoomState);
            state.room = room->name();
            state.rooms = { m_roomKeeper.info(room, true) };
            client->send(state);
        }
        return;
    }
    const RoomKeeper::Refusal refusal = m_roomKeeper.refusal(client, room, name);
    if (!refusal.code.isEmpty()) {
        refuse(refusal.code, refusal.text);
        return;
    }
    if (!room)
        room = m_roomKeeper.make(client, name);
    m_roomKeeper.enter(client, room);
    room->countAnnounced(1);
    client->setCurrentRoom(room);
    ServerEvent joined = makeEvent(ServerEvent::Type::Join);
    joined.nick = client->nick();
    joined.room = room->name();
    if (m_roomKeeper.presenceLive(room))
        m_roomKeeper.sendTo(room, joined, client);
    else if (m_roomKeeper.online(room) == m_limits.presenceLimit + 1)
        m_roomKeeper.sendTo(room, m_roomKeeper.presenceEvent(room), client);
    client->send(joined);
    ServerEvent state = makeEvent(ServerEvent::Type::RoomState);
    state.room = room->name();
    state.rooms = { m_roomKeeper.info(room, true) };
    client->send(state);
    if (!client->isJson())
        client->sendNotice(QStringLiteral("what you type goes to %1 now; /switch #ROOM changes that")
                                   .arg(TextSanitizer::isolated(room->name())));
    // What was said there lately, as a new connection gets its default room's (a room
    // without messages has nothing to look for: the search would walk the whole memory).
    const QString roomName = room->messageCount() > 0 ? room->name() : QString();
    ServerEvent recent = makeEvent(ServerEvent::Type::History);
    recent.room = roomName;
    if (!roomName.isEmpty())
        recent.history = m_history.recent(m_limits.historyLines, [&roomName](const ChatMessage &message) {
            return message.room == roomName;
        });
    recent.after = recent.history.isEmpty() ? lastMessageId() : recent.history.constFirst().id - 1;
    recent.historyComplete = true;
    if (!recent.history.isEmpty())
        client->send(recent);
    m_roomKeeper.noteChanged();
}

void ChatServer::partRoom(ClientSession *client, const ChatCommand &command)
{
    Room *room = commandRoom(client, command.target);
    if (!room)
        return;
    const QString reason = TextCut::left(command.text.trimmed(), ChatLimits::maxReasonLength);
    m_roomKeeper.leave(client, room, reason, true);
}

void ChatServer::setTopic(ClientSession *client, const ChatCommand &command)
{
    Room *room = commandRoom(client, command.target);
    if (!room)
        return;
    if (!command.hasText) {
        ServerEvent state = makeEvent(ServerEvent::Type::Notice);
        state.from = QStringLiteral("server");
        state.room = room->name();
        state.text = room->topic().isEmpty() ? QStringLiteral("%1 has no topic; /topic TEXT sets one")
                                                       .arg(TextSanitizer::isolated(room->name()))
                                             : QStringLiteral("topic of %1: %2 (set by %3)")
                                                       .arg(TextSanitizer::isolated(room->name()),
                                                            TextSanitizer::isolated(room->topic()),
                                                            TextSanitizer::isolated(room->topicBy()));
        client->send(state);
        return;
    }
    const QString topic = command.text.trimmed();
    // Characters as people count them, and bytes: one "character" may be a long sequence
    // (a family emoji), and every list of rooms carries the topic.
    if (TextCut::characterCount(topic) > m_limits.maxTopicLength ||
        topic.toUtf8().size() > 4 * qsizetype(m_limits.maxTopicLength)) {
        ServerEvent error = makeEvent(ServerEvent::Type::Error);
        error.code = QStringLiteral("topic-too-long");
        error.text = QStringLiteral("a topic is at most %1 characters (%2 bytes)")
                             .arg(m_limits.maxTopicLength)
                             .arg(4 * m_limits.maxTopicLength);
        error.room = room->name();
        client->send(error);
        return;
    }
    room->setTopic(topic, client->nick(), QDateTime::currentDateTimeUtc());
    m_roomKeeper.store(room);
    qCInfo(lcServer, "%s (%s) set the topic of %s: %s", qPrintable(client->nick()),
           qPrintable(client->peer()), qPrintable(room->name()),
           qPrintable(TextSanitizer::quoted(topic, m_limits.maxTopicLength)));
    ServerEvent event = makeEvent(ServerEvent::Type::Topic);
    event.room = room->name();
    event.nick = client->nick();
    event.text = topic;
    m_roomKeeper.sendTo(room, event);
    m_roomKeeper.noteChanged();
}

void ChatServer::switchRoom(ClientSession *client, const QString &target)
{
    if (target.isEmpty()) {
        client->sendError(QStringLiteral("usage"), QStringLiteral("usage: /switch #ROOM"));
        return;
    }
    Room *room = commandRoom(client, target);
    if (!room)
        return;
    client->setCurrentRoom(room);
    client->sendNotice(
            QStringLiteral("what you type goes to %1 now").arg(TextSanitizer::isolated(room->name())));
}

void ChatServer::sendRoomList(ClientSession *client) const
{
    // The fullest first, as many as fit in a quarter of the send queue: a thousand rooms with
    // long topics must not make one small request a flood of output.
    QList<RoomInfo> rooms = roomList(false);
    std::stable_sort(rooms.begin(), rooms.end(),
                     [](const RoomInfo &a, const RoomInfo &b) { return a.online > b.online; });
    qint64 bytes = 0;
    qsizetype fit = 0;
    for (; fit < rooms.size(); ++fit) {
        bytes += 64 + 3 * (rooms.at(fit).name.size() + rooms.at(fit).topic.size());
        if (bytes > m_limits.maxSendQueueBytes / 4)
            break;
    }
    ServerEvent list = makeEvent(ServerEvent::Type::RoomList);
    if (fit < rooms.size())
        list.text = QStringLiteral("%1 more room(s) not listed").arg(rooms.size() - fit);
    rooms.resize(fit);
    list.rooms = std::move(rooms);
    client->send(list);
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
    // Guests are numbered per server: start each server's count somewhere else, so that two
    // servers rarely offer the same guest nick (and a clash is settled by the heartbeat).
    m_guestCounter = QRandomGenerator::global()->bounded(1000) * 100;
    connect(m_cluster, &ClusterLink::remoteUsersChanged, this, &ChatServer::remoteUsersChanged);
    connect(m_cluster, &ClusterLink::remoteRoomsChanged, this, &ChatServer::remoteRoomsChanged);
    connect(m_cluster, &ClusterLink::messagesArrived, this, &ChatServer::deliverClusterMessages);
    connect(m_cluster, &ClusterLink::healthChanged, this, &ChatServer::clusterHealthChanged);
    connect(m_cluster, &ClusterLink::liveServersChanged, this, &ChatServer::clusterServersChanged);
    m_cluster->start(m_nextMessageId - 1);
    return true;
}

void ChatServer::deliverClusterMessages(const QList<ChatMessage> &messages)
{
    int renumbered = 0;
    for (ChatMessage message : messages) {
        // Ids this server handed out alone while Redis was away can meet the room's again
        // for a moment after it returns; the message still reaches everyone here, with the
        // next id of this server's.
        if (message.id < m_nextMessageId) {
            message.id = m_nextMessageId;
            ++renumbered;
        }
        m_nextMessageId = message.id + 1;
        deliverMessage(message);
    }
    if (renumbered > 0)
        qCWarning(lcServer, "cluster: %d message(s) from other servers got new ids here after Redis was away",
                  renumbered);
}
