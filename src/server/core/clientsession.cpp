#include "clientsession.h"

#include "hostport.h"
#include "irccodec.h"

#include "jsonprotocol.h"
#include "plainprotocol.h"
#include "textsanitizer.h"
#include "tlsdetector.h"
#include "writebatcher.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace {

// What the others are told when a connection breaks.
QString reasonFor(int error)
{
    switch (error) {
    case EPIPE:
    case ENOTCONN:
        return QStringLiteral("connection closed");
    case ECONNRESET:
        return QStringLiteral("connection reset by peer");
    case ETIMEDOUT:
        return QStringLiteral("connection timed out");
    default:
        return QString::fromLocal8Bit(std::strerror(error));
    }
}

constexpr size_t maxIovecs = 64;

} // namespace

ClientSession::ClientSession(qintptr descriptor, quint64 id, const ChatLimits &limits, WriteBatcher *batcher,
                             QObject *parent, Mode mode)
    : QObject(parent),
      m_fd(int(descriptor)),
      m_readNotifier(new QSocketNotifier(descriptor, QSocketNotifier::Read, this)),
      m_batcher(batcher),
      // IRC's own limit: a line and its tags (IRCv3 message-tags), without CR LF.
      m_framer(mode == Mode::Irc ? IrcCodec::maxLineBytes - 2 + IrcCodec::maxTagBytes : limits.maxLineBytes),
      m_limits(limits),
      m_id(id),
      m_connectedAt(QDateTime::currentDateTimeUtc()),
      m_tokens(limits.floodBurst),
      m_tokensAtMs(monotonicMs()),
      m_lastActivityMs(m_tokensAtMs),
      m_connectedAtMs(m_tokensAtMs)
{
    if (mode == Mode::Irc)
        becomeIrc();
    const auto [address, port] = peerOf(descriptor);
    m_peerAddress = address;
    m_peerPort = port;
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    // Small chat lines must not wait for the peer's delayed ACK.
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // People on nc cannot answer pings, and an idle one is no reason to hang up: for them the
    // kernel's keep-alive probes find a host that went away, on the same schedule as pings.
    const int idleSeconds = std::max(1, limits.pingIntervalMs / 1000);
    const int probes = 3;
    const int probeSeconds = std::max(1, limits.pingTimeoutMs / 1000 / probes);
    ::setsockopt(m_fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_KEEPIDLE, &idleSeconds, sizeof idleSeconds);
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_KEEPINTVL, &probeSeconds, sizeof probeSeconds);
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
    // Data we sent that is never acknowledged means the same.
    const unsigned userTimeoutMs = unsigned(limits.pingIntervalMs + limits.pingTimeoutMs);
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeoutMs, sizeof userTimeoutMs);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &ClientSession::readFromSocket);
}

ClientSession::~ClientSession()
{
    if (!m_finished) {
        m_readNotifier->setEnabled(false);
        ::close(m_fd);
    }
}

QHostAddress ClientSession::plainAddress(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

std::pair<QHostAddress, quint16> ClientSession::peerOf(qintptr descriptor)
{
    sockaddr_storage storage = {};
    socklen_t length = sizeof storage;
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return { QHostAddress(), 0 };
    const auto *address = reinterpret_cast<const sockaddr *>(&storage);
    quint16 port = 0;
    if (storage.ss_family == AF_INET)
        port = ntohs(reinterpret_cast<const sockaddr_in *>(&storage)->sin_port);
    else if (storage.ss_family == AF_INET6)
        port = ntohs(reinterpret_cast<const sockaddr_in6 *>(&storage)->sin6_port);
    return { plainAddress(QHostAddress(address)), port };
}

void ClientSession::setTlsPeer(const QHostAddress &address, quint16 port)
{
    m_peerAddress = plainAddress(address);
    m_peerPort = port;
    m_secure = true;
}

QString ClientSession::peer() const
{
    return HostPort{ m_peerAddress.toString(), m_peerPort }.toString();
}

void ClientSession::sendBytes(const QByteArray &bytes)
{
    // After a broken connection only its last lines are being handled: nothing can reach it.
    if (m_closing || !m_canStillSend || bytes.isEmpty())
        return;
    if (m_capturing) {
        m_captured += bytes;
        return;
    }
    m_pieces.push_back({ -1, 0, bytes.size(), bytes });
    m_bytesSent += bytes.size();
    schedule();
}

void ClientSession::sendShared(int batch, qsizetype from, qsizetype to)
{
    if (m_closing || !m_canStillSend || to <= from)
        return;
    if (m_capturing) {
        m_captured.append(m_batcher->batch(batch).constData() + from, to - from);
        return;
    }
    // Consecutive broadcasts are one stretch of the batch.
    if (!m_pieces.empty() && m_pieces.back().batch == batch && m_pieces.back().to == from)
        m_pieces.back().to = to;
    else
        m_pieces.push_back({ batch, from, to, QByteArray() });
    m_bytesSent += to - from;
    schedule();
}

void ClientSession::startCapture()
{
    m_capturing = true;
    m_captured.clear();
}

void ClientSession::sendUnlabeled(const ServerEvent &event)
{
    const bool capturing = std::exchange(m_capturing, false);
    send(event);
    m_capturing = capturing;
}

QByteArray ClientSession::takeCapture()
{
    m_capturing = false;
    return std::exchange(m_captured, QByteArray());
}

void ClientSession::schedule()
{
    if (m_batchSlot < 0)
        m_batchSlot = m_batcher->schedule(this);
}

void ClientSession::flushWrites()
{
    m_batchSlot = -1;
    flushPending();
}

void ClientSession::dropPendingWrites()
{
    if (m_batchSlot >= 0)
        m_batcher->forget(this, m_batchSlot);
    m_batchSlot = -1;
    m_pieces.clear();
}

const char *ClientSession::pieceData(const Piece &piece) const
{
    return piece.batch < 0 ? piece.own.constData() : m_batcher->batch(piece.batch).constData() + piece.from;
}

void ClientSession::send(const ServerEvent &event)
{
    // A refusal of a message request names the message's client id, so that the client knows
    // which of its messages was not posted.
    if (event.type == ServerEvent::Type::Error && !m_requestClientId.isEmpty() &&
        event.message.clientId.isEmpty()) {
        ServerEvent refusal = event;
        refusal.message.clientId = m_requestClientId;
        const QByteArray bytes = m_codec->encodeFor(refusal, recipientName());
        if (!bytes.isEmpty())
            sendBytes(bytes);
        return;
    }
    const QByteArray bytes = m_codec->encodeFor(event, recipientName());
    if (!bytes.isEmpty())
        sendBytes(bytes);
}

bool ClientSession::isIn(const Room *room) const
{
    return m_rooms.contains(room);
}

void ClientSession::addRoom(Room *room)
{
    if (!isIn(room))
        m_rooms.append(room);
    m_codec = &m_codec->forRoomCount(m_rooms.size());
}

void ClientSession::becomeIrc()
{
    m_mode = Mode::Irc;
    m_irc = std::make_unique<IrcState>();
    m_codec = &IrcCodec::forCaps(0);
    m_framer.setMaxLineBytes(IrcCodec::maxLineBytes - 2 + IrcCodec::maxTagBytes);
}

void ClientSession::setIrcCaps(unsigned caps)
{
    if (!m_irc)
        return;
    m_irc->caps = caps;
    m_codec = &IrcCodec::forCaps(caps);
}

QString ClientSession::recipientName() const
{
    // An IRC client is "*" in replies until its registration is done.
    return m_irc && !m_irc->registered ? QString() : m_nick;
}

void ClientSession::setJsonVersion(int version)
{
    m_jsonVersion = version;
    m_codec = &JsonCodec::forVersion(version).forRoomCount(m_rooms.size());
}

void ClientSession::removeRoom(Room *room)
{
    m_rooms.removeOne(room);
    if (m_currentRoom == room)
        m_currentRoom = m_rooms.isEmpty() ? nullptr : m_rooms.constLast();
    m_codec = &m_codec->forRoomCount(m_rooms.size());
}

void ClientSession::sendNotice(const QString &text)
{
    ServerEvent event;
    event.type = ServerEvent::Type::Notice;
    event.from = QStringLiteral("server");
    event.text = text;
    send(event);
}

void ClientSession::sendError(ErrorCode code, const QString &text)
{
    ServerEvent event;
    event.type = ServerEvent::Type::Error;
    event.code = code;
    event.text = text;
    send(event);
}

void ClientSession::flushPending()
{
    if (m_pieces.empty())
        return;
    if (m_finished) {
        m_pieces.clear();
        return;
    }
    qsizetype written = 0;
    if (m_queuedBytes == 0) {
        // Nothing waits before these bytes: hand them all to the kernel in one call.
        iovec pieces[maxIovecs];
        size_t count = 0;
        for (const Piece &piece : m_pieces) {
            if (count == maxIovecs)
                break;
            pieces[count++] = { const_cast<char *>(pieceData(piece)), size_t(piece.to - piece.from) };
        }
        msghdr message = {};
        message.msg_iov = pieces;
        message.msg_iovlen = count;
        const ssize_t n = ::sendmsg(m_fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            outputBroken(errno);
            return;
        }
        written = n > 0 ? qsizetype(n) : 0;
    }
    // What the kernel did not take waits in the queue, in order.
    for (const Piece &piece : m_pieces) {
        const qsizetype size = piece.to - piece.from;
        if (written >= size) {
            written -= size;
            continue;
        }
        enqueue(pieceData(piece) + written, size - written);
        written = 0;
    }
    m_pieces.clear();
    if (m_queuedBytes > 0)
        setWriteNotifierEnabled(true);
    checkQueue();
}

void ClientSession::checkQueue()
{
    if (m_closing)
        return;
    if (m_queuedBytes > m_limits.maxSendQueueBytes) {
        abort(QStringLiteral("send queue exceeded"));
        return;
    }
    if (!m_lagging && m_queuedBytes > m_limits.softSendQueueBytes) {
        m_lagging = true;
        // Behind everything else queued: the client reads it when it gets this far.
        ServerEvent warning;
        warning.type = ServerEvent::Type::Error;
        warning.code = ErrorCode::Lagging;
        warning.text =
                QStringLiteral("you are falling behind: messages to everyone are skipped until you catch up");
        const QByteArray bytes = m_codec->encodeFor(warning, recipientName());
        enqueue(bytes.constData(), bytes.size());
    } else if (m_lagging && m_queuedBytes == 0) {
        m_lagging = false;
        Q_EMIT caughtUp(std::exchange(m_missed, 0));
    }
}

void ClientSession::enqueue(const char *data, qsizetype size)
{
    m_queuedBytes += size;
    while (size > 0) {
        if (m_queue.isEmpty() || m_queue.constLast().size() >= queueChunkBytes) {
            m_queue.append(QByteArray());
            m_queue.last().reserve(queueChunkBytes);
        }
        QByteArray &chunk = m_queue.last();
        const qsizetype take = qMin(size, queueChunkBytes - chunk.size());
        chunk.append(data, take);
        data += take;
        size -= take;
    }
}

void ClientSession::setWriteNotifierEnabled(bool enabled)
{
    if (enabled && !m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &ClientSession::drainQueue);
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(enabled);
}

void ClientSession::drainQueue()
{
    while (!m_queue.isEmpty()) {
        iovec pieces[maxIovecs];
        size_t count = 0;
        for (const QByteArray &chunk : std::as_const(m_queue)) {
            if (count == maxIovecs)
                break;
            const qsizetype skip = count == 0 ? m_queueHead : 0;
            pieces[count++] = { const_cast<char *>(chunk.constData() + skip), size_t(chunk.size() - skip) };
        }
        msghdr message = {};
        message.msg_iov = pieces;
        message.msg_iovlen = count;
        ssize_t n = ::sendmsg(m_fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            outputBroken(errno);
            return;
        }
        m_queuedBytes -= n;
        while (n > 0) {
            const qsizetype left = m_queue.constFirst().size() - m_queueHead;
            if (n < left) {
                m_queueHead += n;
                break;
            }
            n -= left;
            m_queue.removeFirst();
            m_queueHead = 0;
        }
    }
    m_queue = QList<QByteArray>();
    setWriteNotifierEnabled(false);
    // A closing session waited for exactly this.
    if (m_closing)
        finish(m_closeReason);
    else
        checkQueue();
}

void ClientSession::outputBroken(int error)
{
    // The peer is gone or going (reset, or its side closed): nothing more can reach it. What it
    // sent before still counts, so input is read to its end (the kernel keeps it after a reset)
    // and handled as for any end of input; no longer than a drain takes.
    m_canStillSend = false;
    m_pieces.clear();
    m_queue = QList<QByteArray>();
    m_queueHead = 0;
    m_queuedBytes = 0;
    setWriteNotifierEnabled(false);
    if (m_closing) {
        finish(m_closeReason.isEmpty() ? reasonFor(error) : m_closeReason);
        return;
    }
    if (m_endReason.isEmpty())
        m_endReason = reasonFor(error);
    if (m_inputEnded) {
        closeIfInputDone();
        return;
    }
    QTimer::singleShot(ChatLimits::inputDrainMs, this, [this] {
        if (!m_finished)
            endInput(m_endReason, false);
    });
    // The rest of the input, from the event loop (this may be inside a broadcast).
    QMetaObject::invokeMethod(this, &ClientSession::readFromSocket, Qt::QueuedConnection);
}

void ClientSession::close(const QString &reason)
{
    if (m_closing)
        return;
    // What was said last (a goodbye, a shutdown notice) goes out before the connection ends.
    m_batcher->beforeFlush();
    flushPending();
    if (m_closing)
        return; // the flush found the connection broken or over its limit
    m_closing = true;
    m_closeReason = reason;
    m_readNotifier->setEnabled(false);
    if (m_queuedBytes == 0) {
        // Deferred: the caller may be walking the client list.
        QMetaObject::invokeMethod(
                this, [this] { finish(m_closeReason); }, Qt::QueuedConnection);
    } else {
        // The queue drains first (drainQueue() then finishes), but not for ever.
        QTimer::singleShot(ChatLimits::shutdownGraceMs, this, [this] { finish(m_closeReason); });
    }
}

void ClientSession::abort(const QString &reason)
{
    if (m_finished)
        return;
    m_pieces.clear();
    m_queue = QList<QByteArray>();
    m_queueHead = 0;
    m_queuedBytes = 0;
    m_closing = true;
    m_closeReason = reason;
    m_readNotifier->setEnabled(false);
    setWriteNotifierEnabled(false);
    QMetaObject::invokeMethod(
            this, [this] { finish(m_closeReason); }, Qt::QueuedConnection);
}

void ClientSession::holdInput()
{
    m_readNotifier->setEnabled(false);
    m_delayed.clear();
}

void ClientSession::pauseInput()
{
    ++m_pauses;
}

void ClientSession::resumeInput()
{
    // Paused again meanwhile (the answer must wait longer still): stays paused.
    if (m_pauses > 0 && --m_pauses > 0)
        return;
    if (!m_delayed.isEmpty())
        releaseDelayed();
    else
        closeIfInputDone();
}

void ClientSession::replace()
{
    m_replaced = true;
    abort(QStringLiteral("replaced by a new connection"));
}

void ClientSession::finish(const QString &reason)
{
    if (m_finished)
        return;
    m_finished = true;
    m_closing = true;
    if (m_closeReason.isEmpty())
        m_closeReason = reason;
    m_readNotifier->setEnabled(false);
    setWriteNotifierEnabled(false);
    dropPendingWrites();
    m_queue = QList<QByteArray>();
    m_queueHead = 0;
    m_queuedBytes = 0;
    // Unread input makes close() reset the connection, which can cost the peer the last
    // lines we sent; take it first (a little: a flood is not worth waiting for).
    char discard[4096];
    for (int i = 0; i < 16 && ::recv(m_fd, discard, sizeof discard, MSG_DONTWAIT) > 0; ++i) { }
    ::close(m_fd);
    Q_EMIT closed(m_closeReason);
}

void ClientSession::readFromSocket()
{
    // At most one read buffer's worth per turn, so that one busy client cannot starve the
    // others; the notifier fires again for the rest.
    char buffer[16 * 1024];
    qint64 budget = ChatLimits::socketReadBufferBytes;
    while (!m_closing && !m_inputEnded && budget > 0) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n == 0) {
            endInput(QStringLiteral("connection closed"), true);
            return;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                endInput(reasonFor(errno), false);
            return;
        }
        m_bytesReceived += n;
        m_lastActivityMs = monotonicMs();
        m_pingSentMs = 0;
        budget -= n;
        if (!takeInput(QByteArrayView(buffer, n)))
            return;
    }
}

bool ClientSession::takeInput(QByteArrayView data)
{
    if (m_detected || m_secure) {
        frame(data);
        return true;
    }
    // A TLS ClientHello as the very first bytes: a client set to TLS that came to the plain
    // port. Text would only confuse it; hang up. Decided on whole record headers only.
    const qsizetype take = qMin(data.size(), TlsDetector::bytesNeeded - m_firstBytes.size());
    m_firstBytes.append(data.first(take));
    switch (TlsDetector::classify(m_firstBytes)) {
    case TlsDetector::Verdict::NeedMore:
        return true;
    case TlsDetector::Verdict::Tls:
        finish(QStringLiteral("a TLS handshake on the plain port"));
        return false;
    case TlsDetector::Verdict::NotTls:
        break;
    }
    m_detected = true;
    frame(std::exchange(m_firstBytes, QByteArray()));
    frame(data.sliced(take));
    return true;
}

void ClientSession::frame(QByteArrayView data)
{
    if (data.isEmpty())
        return;
    m_framer.feed(
            data, [this](QByteArrayView line) { handleLine(line); }, [this] { lineTooLong(); });
}

void ClientSession::endInput(const QString &why, bool canStillSend)
{
    if (m_inputEnded)
        return;
    m_inputEnded = true;
    // Output that broke first says best why the connection ended.
    if (m_canStillSend || m_endReason.isEmpty())
        m_endReason = why;
    m_canStillSend = m_canStillSend && canStillSend;
    m_readNotifier->setEnabled(false);
    // Whatever arrived is text after all: too short for a TLS header, or a last line without
    // its newline.
    if (!m_detected && !m_secure) {
        m_detected = true;
        frame(std::exchange(m_firstBytes, QByteArray()));
    }
    m_framer.finish([this](QByteArrayView line) { handleLine(line); }, [this] { lineTooLong(); });
    closeIfInputDone();
}

void ClientSession::closeIfInputDone()
{
    if (!m_inputEnded || m_closing || m_pauses > 0 || !m_delayed.isEmpty())
        return;
    if (m_canStillSend)
        close(m_endReason);
    else
        finish(m_endReason);
}

void ClientSession::lineTooLong()
{
    if (m_closing)
        return;
    // Answered like any line, through flood control: a stream of them costs what as many
    // lines would, and cannot fill the log faster.
    ChatCommand command;
    command.type = ChatCommand::Type::TooLong;
    deliver(command);
}

void ClientSession::handleLine(QByteArrayView line)
{
    if (m_closing || line.trimmed().isEmpty())
        return;
    m_receivedLine = true;
    if (m_mode == Mode::Undecided) {
        // The first line decides the dialect: a JSON hello, an IRC registration where IRC is
        // served too, or plain lines.
        if (m_mayBeIrc && IrcCodec::startsRegistration(line)) {
            becomeIrc();
        } else {
            m_mode = JsonProtocol::isHello(line) ? Mode::Json : Mode::Plain;
            if (m_mode == Mode::Json)
                m_codec = &JsonCodec::forVersion(JsonProtocol::oldestVersion).forRoomCount(m_rooms.size());
        }
        Q_EMIT dialectChosen();
        if (m_closing)
            return;
    }
    if (const std::optional<ChatCommand> command = m_codec->decode(line))
        deliver(*command);
}

qint64 ClientSession::monotonicMs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void ClientSession::refillTokens()
{
    const qint64 now = monotonicMs();
    m_tokens = qMin(double(m_limits.floodBurst),
                    m_tokens + double(now - m_tokensAtMs) * m_limits.floodRate / 1000.0);
    m_tokensAtMs = now;
}

void ClientSession::deliver(const ChatCommand &command)
{
    if (m_pauses > 0) {
        if (queueFull(command)) {
            excessFlood();
            return;
        }
        m_delayed.append(command);
        return;
    }
    if (!m_limits.floodControl) {
        Q_EMIT commandReceived(command);
        return;
    }
    refillTokens();
    if (m_delayed.isEmpty() && m_tokens >= floodCost(command)) {
        m_tokens -= floodCost(command);
        Q_EMIT commandReceived(command);
        return;
    }
    if (queueFull(command)) {
        excessFlood();
        return;
    }
    m_delayed.append(command);
    if (!m_releaseTimer || !m_releaseTimer->isActive())
        scheduleRelease();
}

void ClientSession::excessFlood()
{
    // The lines held back are the flood itself: dropped, and the client told why it goes.
    m_delayed.clear();
    sendError(ErrorCode::ExcessFlood,
              QStringLiteral("excess flood: more than %1 lines waiting").arg(m_limits.floodQueue));
    close(QStringLiteral("excess flood"));
}

void ClientSession::scheduleRelease()
{
    if (!m_releaseTimer) {
        m_releaseTimer = new QTimer(this);
        m_releaseTimer->setSingleShot(true);
        connect(m_releaseTimer, &QTimer::timeout, this, &ClientSession::releaseDelayed);
    }
    m_releaseTimer->start(msUntilAffordable(floodCost(m_delayed.constFirst())));
}

bool ClientSession::queueFull(const ChatCommand &command) const
{
    const auto weight = [](const ChatCommand &c) {
        return c.batch.isEmpty() ? 1.0 : ChatLimits::batchLineCost;
    };
    double waiting = weight(command);
    for (const ChatCommand &c : m_delayed)
        waiting += weight(c);
    return waiting > m_limits.floodQueue;
}

double ClientSession::floodCost(const ChatCommand &command)
{
    // A line of a client batch (IRCv3 draft/multiline) is part of one message: its BATCH lines
    // cost a line each, its lines a fraction (docs/PROTOCOL.md, "Protection").
    if (!command.batch.isEmpty())
        return ChatLimits::batchLineCost;
    if (command.type == ChatCommand::Type::Search)
        return ChatLimits::searchRequestCost;
    return command.type == ChatCommand::Type::History ? ChatLimits::historyRequestCost : 1.0;
}

int ClientSession::msUntilAffordable(double cost) const
{
    return int(std::ceil(qMax(0.0, cost - m_tokens) * 1000.0 / m_limits.floodRate));
}

void ClientSession::releaseDelayed()
{
    if (m_pauses > 0)
        return;
    if (!m_limits.floodControl) {
        while (!m_delayed.isEmpty() && !m_closing && m_pauses == 0)
            Q_EMIT commandReceived(m_delayed.takeFirst());
        closeIfInputDone();
        return;
    }
    refillTokens();
    while (!m_delayed.isEmpty() && m_tokens >= floodCost(m_delayed.constFirst()) && !m_closing &&
           m_pauses == 0) {
        m_tokens -= floodCost(m_delayed.constFirst());
        Q_EMIT commandReceived(m_delayed.takeFirst());
    }
    if (m_closing) {
        m_delayed.clear();
        return;
    }
    if (!m_delayed.isEmpty())
        scheduleRelease();
    else
        closeIfInputDone();
}
