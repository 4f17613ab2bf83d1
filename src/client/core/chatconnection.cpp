#include "chatconnection.h"

#include "chatlimits.h"
#include "jsonprotocol.h"
#include "nickrules.h"
#include "refusal.h"
#include "textsanitizer.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSettings>
#include <QSslSocket>
#include <QTcpSocket>

namespace {

Q_LOGGING_CATEGORY(lcConnection, "groupchat.client.connection")

bool isFinal(ChatConnection::Failure failure)
{
    // Trying again cannot help these; the user must change something.
    using F = ChatConnection::Failure;
    return failure == F::NickTaken || failure == F::InvalidNick || failure == F::WrongProtocol ||
           failure == F::PasswordRequired || failure == F::BadPassword || failure == F::CertificateChanged ||
           failure == F::Banned || failure == F::Kicked;
}

QString pinKey(const QString &host, quint16 port)
{
    // QSettings keys treat / and \ specially; host names and addresses have neither.
    return u"tls-pins/" + host.toLower() + u':' + QString::number(port);
}

QString identityKey(const QString &host, quint16 port)
{
    return u"identities/" + host.toLower() + u':' + QString::number(port);
}

} // namespace

QString ChatConnection::identityFor(const QString &host, quint16 port)
{
    QSettings settings;
    QString identity = settings.value(identityKey(host, port)).toString();
    if (identity.size() < 16) {
        // 256 random bits: the server keeps private messages under it, nobody guesses it.
        quint64 words[4];
        QRandomGenerator::system()->fillRange(words);
        identity =
                QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
        settings.setValue(identityKey(host, port), identity);
    }
    return identity;
}

ChatConnection::ChatConnection(QObject *parent) : QObject(parent), m_framer(ChatLimits::clientMaxLineBytes)
{
    m_attemptTimer.setSingleShot(true);
    connect(&m_attemptTimer, &QTimer::timeout, this, [this] {
        if (m_state == State::Connecting)
            fail(Failure::TimedOut, QString());
        else if (m_state == State::Handshaking)
            fail(Failure::WrongProtocol, tr("It accepted the connection but sent no welcome."));
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, [this] {
        // Round the cluster's servers again, starting with the next one.
        if (rotateServer())
            m_untriedInSeries = int(m_servers.size()) - 2;
        openSocket();
    });
    m_countdownTimer.setInterval(1000);
    connect(&m_countdownTimer, &QTimer::timeout, this,
            [this] { Q_EMIT reconnectCountdown(secondsUntilReconnect()); });
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &ChatConnection::checkAlive);
}

ChatConnection::~ChatConnection()
{
    // Not a "lost connection" for anyone listening.
    m_leaving = true;
}

void ChatConnection::setReconnectDelays(int firstMs, int maxMs)
{
    m_firstRetryMs = firstMs;
    m_maxRetryMs = maxMs;
    m_nextRetryMs = firstMs;
}

void ChatConnection::setKeepAlive(int pingIntervalMs, int silenceLimitMs)
{
    m_pingIntervalMs = pingIntervalMs;
    m_silenceLimitMs = silenceLimitMs;
}

int ChatConnection::secondsUntilReconnect() const
{
    if (m_state != State::WaitingToReconnect)
        return 0;
    return int((qMax<qint64>(0, m_retryDeadline.remainingTime()) + 999) / 1000);
}

void ChatConnection::connectToServer(const QString &host, quint16 port, const QString &nick,
                                     const QString &password)
{
    closeSocket();
    m_retryTimer.stop();
    m_countdownTimer.stop();
    if (host != m_host || port != m_port) {
        // Ids and tokens belong to one server.
        m_lastId = 0;
        m_token.clear();
    }
    m_host = host;
    m_port = port;
    m_servers = { HostPort{ host, port } };
    for (const auto &server : std::as_const(m_alternatives)) {
        if (!m_servers.contains(server))
            m_servers.append(server);
    }
    m_serverIndex = 0;
    m_untriedInSeries = int(m_servers.size()) - 1;
    m_nick = nick;
    m_password = password;
    m_welcomedBefore = false;
    m_leaving = false;
    m_lastFailure.reset();
    m_lastError.clear();
    m_lastErrorBrief.clear();
    m_nextRetryMs = m_firstRetryMs;
    openSocket();
}

void ChatConnection::disconnectFromServer(const QString &reason)
{
    m_leaving = true;
    m_retryTimer.stop();
    m_countdownTimer.stop();
    m_attemptTimer.stop();
    m_keepAliveTimer.stop();
    if (m_socket) {
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        if (m_state == State::Connected) {
            ChatCommand quit;
            quit.type = ChatCommand::Type::Quit;
            quit.text = reason;
            socket->write(JsonProtocol::encode(quit));
        }
        // Let the quit go out, but do not wait on a server that does not close.
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(2000, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        socket->disconnectFromHost();
    }
    setState(State::Disconnected);
}

void ChatConnection::reconnectNow()
{
    if (m_state != State::WaitingToReconnect)
        return;
    m_retryTimer.stop();
    openSocket();
}

bool ChatConnection::canReconnect() const
{
    return m_state == State::Disconnected && !m_host.isEmpty() && m_lastFailure == Failure::Kicked;
}

void ChatConnection::reconnect()
{
    if (!canReconnect())
        return;
    // The same server, nick, password and place in the conversation: the welcome resumes.
    connectToServer(m_host, m_port, m_nick, m_password);
}

bool ChatConnection::send(const ChatCommand &command)
{
    if (m_state != State::Connected || !m_socket)
        return false;
    const QByteArray line = JsonProtocol::encode(command);
    if (line.isEmpty())
        return false;
    m_socket->write(line);
    return true;
}

void ChatConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ChatConnection::openSocket()
{
    closeSocket();
    m_countdownTimer.stop();
    m_shutdownSeen = false;
    m_framer = LineFramer(ChatLimits::clientMaxLineBytes);
    m_certificateChecked = false;
    if (m_tls) {
        auto *socket = new QSslSocket(this);
        m_socket = socket;
        socket->setPeerVerifyMode(QSslSocket::VerifyPeer);
        // Self-signed certificates are the rule here: whatever the errors, the pin decides.
        connect(socket, &QSslSocket::sslErrors, this, [this, socket] {
            if (checkCertificate())
                socket->ignoreSslErrors();
        });
        connect(socket, &QSslSocket::encrypted, this, [this] {
            if (m_certificateChecked || checkCertificate())
                onConnected();
        });
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QTcpSocket::connected, this, &ChatConnection::onConnected);
    }
    connect(m_socket, &QTcpSocket::readyRead, this, &ChatConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &ChatConnection::onSocketError);
    connect(m_socket, &QTcpSocket::disconnected, this, &ChatConnection::onDisconnected);
    setState(State::Connecting);
    qCDebug(lcConnection) << "connecting to" << m_host << m_port;
    m_attemptTimer.start(m_connectTimeoutMs);
    if (auto *socket = qobject_cast<QSslSocket *>(m_socket))
        socket->connectToHostEncrypted(m_host, m_port);
    else
        m_socket->connectToHost(m_host, m_port);
}

QString ChatConnection::pinnedFingerprint(const QString &host, quint16 port)
{
    return QSettings().value(pinKey(host, port)).toString();
}

bool ChatConnection::pinIfUnpinned(const QString &host, quint16 port, const QString &fingerprint)
{
    const QString pinned = pinnedFingerprint(host, port);
    if (pinned.isEmpty()) {
        QSettings().setValue(pinKey(host, port), fingerprint);
        return true;
    }
    return pinned == fingerprint;
}

void ChatConnection::forgetPin(const QString &host, quint16 port)
{
    QSettings().remove(pinKey(host, port));
}

bool ChatConnection::checkCertificate()
{
    auto *socket = qobject_cast<QSslSocket *>(m_socket);
    if (!socket)
        return false;
    const QSslCertificate certificate = socket->peerCertificate();
    if (certificate.isNull()) {
        fail(Failure::TlsFailed, tr("the server showed no certificate"));
        return false;
    }
    m_fingerprint = QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    const QString pinned = pinnedFingerprint(m_host, m_port);
    if (!pinned.isEmpty() && pinned != m_fingerprint) {
        fail(Failure::CertificateChanged, m_fingerprint + u'\n' + pinned);
        return false;
    }
    m_certificateChecked = true;
    if (pinned.isEmpty()) {
        QSettings().setValue(pinKey(m_host, m_port), m_fingerprint);
        qCInfo(lcConnection) << "trusting on first use" << m_host << m_port << m_fingerprint;
    }
    Q_EMIT certificateTrusted(m_fingerprint, pinned.isEmpty());
    return true;
}

void ChatConnection::closeSocket()
{
    m_keepAliveTimer.stop();
    m_attemptTimer.stop();
    // A resume fetches whatever was being fetched, and what was held back, again.
    m_fetching = false;
    m_held.clear();
    m_closingByServer = false;
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void ChatConnection::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    setState(State::Handshaking);
    ChatCommand hello;
    hello.type = ChatCommand::Type::Hello;
    hello.version = JsonProtocol::version;
    hello.target = m_nick;
    hello.hasSince = m_lastId > 0;
    hello.since = m_lastId;
    hello.token = m_token;
    hello.hasPassword = !m_password.isEmpty();
    hello.password = m_password;
    hello.identity = identityFor(homeServer().host, homeServer().port);
    if (m_helloRooms)
        hello.rooms = m_helloRooms().mid(0, ChatLimits::maxHelloRooms);
    m_socket->write(JsonProtocol::encode(hello));
    m_attemptTimer.start(m_handshakeTimeoutMs);
}

void ChatConnection::onReadyRead()
{
    // A server that floods us is still bounded: the framer drops lines over the client limit.
    const QByteArray data = m_socket->readAll();
    m_sinceLastLine.restart();
    m_framer.feed(
            data, [this](QByteArrayView line) { handleLine(line); },
            [] {
                qCWarning(lcConnection, "dropped a line over %lld bytes",
                          qlonglong(ChatLimits::clientMaxLineBytes));
            });
}

void ChatConnection::handleLine(QByteArrayView line)
{
    // A failure while handling an earlier line of the same read closes the socket.
    if (!m_socket)
        return;
    if (m_state == State::Handshaking) {
        if (!line.startsWith('{')) {
            // The plain greeting the server sends before it knows our dialect, except for a
            // refusal ("! server full", "! you are banned from this server").
            switch (Refusal::fromLine(line)) {
            case Refusal::Reason::ServerFull:
                fail(Failure::ServerFull, QString());
                break;
            case Refusal::Reason::Banned:
                fail(Failure::Banned, QString());
                break;
            case Refusal::Reason::TooManyConnections:
            case Refusal::Reason::TooManyNewConnections:
                fail(Failure::TooManyConnections, QString());
                break;
            case Refusal::Reason::None:
                if (line.startsWith("! "))
                    fail(Failure::Other, TextSanitizer::fromUtf8(line.sliced(2)).trimmed());
                break;
            }
            return;
        }
        const ServerEvent event = JsonProtocol::decodeEvent(line);
        if (event.type == ServerEvent::Type::Welcome) {
            handleWelcome(event);
        } else if (event.type == ServerEvent::Type::Error) {
            if (event.code == ErrorCode::NickTaken)
                fail(Failure::NickTaken, m_nick + u'\n' + event.nick);
            else if (event.code == ErrorCode::InvalidNick)
                fail(Failure::InvalidNick, m_nick);
            else if (event.code == ErrorCode::PasswordRequired)
                fail(Failure::PasswordRequired, QString());
            else if (event.code == ErrorCode::BadPassword)
                fail(Failure::BadPassword, QString());
            else if (event.code == ErrorCode::UnsupportedVersion)
                fail(Failure::WrongProtocol, event.text);
            else
                fail(Failure::Other, event.text);
        }
        return;
    }
    if (m_state != State::Connected)
        return;
    const ServerEvent event = JsonProtocol::decodeEvent(line);
    if (event.type == ServerEvent::Type::Invalid) {
        qCWarning(lcConnection) << "ignored a line from the server:" << event.text;
        return;
    }
    handleEvent(event);
}

void ChatConnection::handleWelcome(const ServerEvent &welcome)
{
    m_attemptTimer.stop();
    m_untriedInSeries = int(m_servers.size()) - 1;
    ServerEvent event = welcome;
    // The server started afresh and its ids with it: ours mean nothing there.
    if (welcome.lastId < m_lastId)
        m_lastId = 0;
    event.history.removeIf([this](const ChatMessage &message) { return message.id <= m_lastId; });
    if (!event.history.isEmpty())
        m_lastId = event.history.constLast().id;
    m_lastId = qMax(m_lastId, welcome.lastId);
    m_token = welcome.token;
    m_serverName = welcome.serverName;
    m_limits = welcome.limits;
    const bool resumed = m_welcomedBefore;
    m_welcomedBefore = true;
    m_nextRetryMs = m_firstRetryMs;
    m_lastError.clear();
    m_lastErrorBrief.clear();
    const bool renamed = welcome.nick != m_nick;
    m_nick = welcome.nick;
    m_sinceLastLine.start();
    m_keepAliveTimer.start(m_pingIntervalMs);
    setState(State::Connected);
    if (renamed)
        Q_EMIT nickChanged(m_nick);
    Q_EMIT welcomed(event, resumed);
}

void ChatConnection::handleEvent(const ServerEvent &event)
{
    switch (event.type) {
    case ServerEvent::Type::Pong:
        return;
    case ServerEvent::Type::Ping: {
        // The server wants to know we are alive.
        ChatCommand pong;
        pong.type = ChatCommand::Type::Pong;
        send(pong);
        return;
    }
    case ServerEvent::Type::History:
        handleHistory(event);
        return;
    case ServerEvent::Type::Error:
        // The connection is about to close, on purpose: it must not be taken for a loss.
        if (isClosingError(event)) {
            m_closingByServer = true;
            m_closeFailure = event.code == ErrorCode::Kicked ? Failure::Kicked : Failure::Banned;
            m_closeDetail = event.reason;
        }
        break;
    default:
        break;
    }
    if (m_fetching) {
        if (m_held.size() < ChatLimits::clientCatchUpBuffer) {
            m_held.append(event);
            return;
        }
        // Too much arrives meanwhile: show it rather than hold on to it for ever.
        finishFetch(false);
    }
    deliver(event);
}

void ChatConnection::deliver(const ServerEvent &event)
{
    switch (event.type) {
    case ServerEvent::Type::Message:
        if (event.message.id <= m_lastId)
            return; // already have it
        m_lastId = event.message.id;
        break;
    case ServerEvent::Type::Private:
        // Kept in the history with an id like any message (version 2): never shown twice.
        if (event.message.id != 0) {
            if (event.message.id <= m_lastId)
                return;
            m_lastId = event.message.id;
        }
        break;
    case ServerEvent::Type::Nick:
        if (event.oldNick == m_nick) {
            m_nick = event.newNick;
            Q_EMIT nickChanged(m_nick);
        }
        break;
    case ServerEvent::Type::Shutdown:
        m_shutdownSeen = true;
        break;
    case ServerEvent::Type::CaughtUp:
        // The room as it is now comes with it; the messages skipped meanwhile we fetch.
        Q_EMIT eventReceived(event);
        if (event.missed > 0)
            startFetch();
        return;
    default:
        break;
    }
    Q_EMIT eventReceived(event);
}

bool ChatConnection::isClosingError(const ServerEvent &event)
{
    return event.type == ServerEvent::Type::Error &&
           (event.code == ErrorCode::Kicked || event.code == ErrorCode::Banned);
}

bool ChatConnection::requestHistory()
{
    ChatCommand request;
    request.type = ChatCommand::Type::History;
    request.hasSince = true;
    request.since = m_lastId;
    return send(request);
}

void ChatConnection::startFetch()
{
    if (!requestHistory())
        return;
    m_fetching = true;
    m_fetchComplete = true;
    m_fetched = 0;
}

void ChatConnection::handleHistory(const ServerEvent &history)
{
    // Older messages the user scrolled back to: shown where they belong, at once; they do not
    // move the last id, and a catch-up under way has nothing to do with them.
    if (history.before != 0) {
        Q_EMIT eventReceived(history);
        return;
    }
    if (!m_fetching) {
        // Not an answer to our own fetch: a room's recent lines as it is joined, to show.
        if (!history.room.isEmpty())
            Q_EMIT eventReceived(history);
        return;
    }
    if (!history.historyComplete)
        m_fetchComplete = false;
    for (const ChatMessage &message : history.history) {
        if (message.id <= m_lastId)
            continue;
        m_lastId = message.id;
        ++m_fetched;
        ServerEvent event;
        event.type = ServerEvent::Type::Message;
        event.time = message.time;
        event.message = message;
        Q_EMIT eventReceived(event);
    }
    if (history.historyMore && !history.history.isEmpty() && requestHistory())
        return;
    finishFetch(m_fetchComplete);
}

void ChatConnection::finishFetch(bool complete)
{
    m_fetching = false;
    Q_EMIT missedMessagesFetched(m_fetched, complete);
    // What arrived meanwhile, in the order it came (messages fetched already are skipped).
    const QList<ServerEvent> held = std::exchange(m_held, {});
    for (const ServerEvent &event : held) {
        if (m_fetching) {
            m_held.append(event); // a second catch-up among them started another fetch
            continue;
        }
        deliver(event);
    }
}

QString ChatConnection::noteFailure(Failure failure, const QString &detail)
{
    const QString explanation = describe(failure, m_host, m_port, detail);
    m_lastError = explanation;
    m_lastErrorBrief = brief(failure, m_host, m_port);
    m_lastFailure = failure;
    return explanation;
}

void ChatConnection::endByServer()
{
    const Failure failure = m_closeFailure;
    const QString explanation = noteFailure(failure, m_closeDetail);
    qCInfo(lcConnection) << "the server ended the connection:" << explanation;
    closeSocket();
    setState(State::Disconnected);
    Q_EMIT closedByServer(failure, explanation);
}

void ChatConnection::onSocketError(QAbstractSocket::SocketError error)
{
    if (m_failing || m_leaving || m_state != State::Connecting)
        return; // a broken connection is handled when it reports its disconnection
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        fail(Failure::Refused, QString());
        break;
    case QAbstractSocket::HostNotFoundError:
        fail(Failure::HostNotFound, QString());
        break;
    case QAbstractSocket::SocketTimeoutError:
        fail(Failure::TimedOut, QString());
        break;
    case QAbstractSocket::RemoteHostClosedError:
        // A plain server hangs up on a TLS hello.
        fail(m_tls ? Failure::TlsFailed : Failure::Other, m_socket->errorString());
        break;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        fail(Failure::TlsFailed, m_socket->errorString());
        break;
    default:
        fail(Failure::Other, m_socket->errorString());
        break;
    }
}

void ChatConnection::onDisconnected()
{
    if (m_failing || m_leaving)
        return;
    if (m_state == State::Handshaking) {
        fail(Failure::Other, tr("The server closed the connection before welcoming us."));
        return;
    }
    if (m_state != State::Connected)
        return;
    if (m_closingByServer) {
        endByServer();
        return;
    }
    if (m_shutdownSeen)
        loseConnection(tr("The server shut down."), tr("the server shut down"));
    else
        loseConnection(describe(Failure::Lost, m_host, m_port, m_socket->errorString()),
                       brief(Failure::Lost, m_host, m_port));
}

void ChatConnection::loseConnection(const QString &why, const QString &brief)
{
    closeSocket();
    // The next attempt goes to the next server of a cluster at once; the backoff applies
    // once every server has been tried.
    if (rotateServer()) {
        m_lastError = why;
        m_lastErrorBrief = brief;
        Q_EMIT connectionLost(why);
        m_untriedInSeries = int(m_servers.size()) - 2;
        openSocket();
        return;
    }
    m_lastError = why;
    m_lastErrorBrief = brief;
    Q_EMIT connectionLost(why);
    scheduleReconnect();
}

void ChatConnection::fail(Failure failure, const QString &detail)
{
    m_failing = true;
    const QString explanation = noteFailure(failure, detail);
    qCInfo(lcConnection) << "attempt failed:" << explanation;
    closeSocket();
    m_failing = false;
    // Another server of the cluster may be up: try it before giving up. After a loss, the
    // nick may still look taken for a few seconds (the old server's presence expiring).
    const bool serverTrouble = failure == Failure::Refused || failure == Failure::HostNotFound ||
                               failure == Failure::TimedOut || failure == Failure::Lost ||
                               failure == Failure::Other || failure == Failure::TlsFailed ||
                               failure == Failure::ServerFull || failure == Failure::TooManyConnections;
    if (serverTrouble && m_untriedInSeries > 0 && rotateServer()) {
        --m_untriedInSeries;
        openSocket();
        return;
    }
    if (m_welcomedBefore && (!isFinal(failure) || (failure == Failure::NickTaken && m_servers.size() > 1))) {
        scheduleReconnect();
        return;
    }
    setState(State::Disconnected);
    Q_EMIT connectFailed(failure, explanation);
}

bool ChatConnection::rotateServer()
{
    if (m_servers.size() < 2)
        return false;
    m_serverIndex = (m_serverIndex + 1) % m_servers.size();
    m_host = m_servers.at(m_serverIndex).host;
    m_port = m_servers.at(m_serverIndex).port;
    qCInfo(lcConnection) << "trying the next server" << m_host << m_port;
    return true;
}

void ChatConnection::scheduleReconnect()
{
    m_retryTimer.start(m_nextRetryMs);
    m_retryDeadline.setRemainingTime(m_nextRetryMs);
    m_nextRetryMs = qMin(m_nextRetryMs * 2, m_maxRetryMs);
    setState(State::WaitingToReconnect);
    m_countdownTimer.start();
    Q_EMIT reconnectCountdown(secondsUntilReconnect());
}

void ChatConnection::checkAlive()
{
    if (m_state != State::Connected || !m_socket)
        return;
    if (m_sinceLastLine.elapsed() > m_silenceLimitMs) {
        loseConnection(tr("The server stopped answering."), tr("the server stopped answering"));
        return;
    }
    ChatCommand ping;
    ping.type = ChatCommand::Type::Ping;
    m_socket->write(JsonProtocol::encode(ping));
}

QString ChatConnection::describe(Failure failure, const QString &host, quint16 port, const QString &detail)
{
    switch (failure) {
    case Failure::Refused:
        return tr("Nothing is accepting connections on %1 port %2. Check that the server is running and that "
                  "the port is right; a firewall may also be refusing the connection.")
                .arg(host)
                .arg(port);
    case Failure::HostNotFound:
        return tr("The host %1 could not be found. Check the spelling, or use its IP address.").arg(host);
    case Failure::TimedOut:
        return tr("%1 did not answer in time. The host may be off or unreachable, or a firewall may be "
                  "dropping the connection.")
                .arg(host);
    case Failure::NickTaken: {
        // detail: the nick asked for, and the one in use it is the same as (if the server said).
        const QString wanted = detail.section(u'\n', 0, 0);
        const QString holder = detail.section(u'\n', 1, 1);
        if (holder.isEmpty() || holder.toCaseFolded() == wanted.toCaseFolded())
            return tr("Someone on this server already uses the nick %1. Choose another one.").arg(wanted);
        return tr("The nick %1 looks like %2, which someone on this server uses, so it could be taken for "
                  "them. Choose another one.")
                .arg(wanted, holder);
    }
    case Failure::InvalidNick: {
        // The same rules as the server's: say what is wrong in the user's language.
        const QString problem = NickRules::problemSentence(NickRules::prepare(detail));
        if (problem.isEmpty())
            return tr("The nick %1 is not allowed. A nick is %2.").arg(detail, NickRules::ruleText());
        return problem + u' ' + tr("A nick is %1.").arg(NickRules::ruleText());
    }
    case Failure::ServerFull:
        return tr("The server is full. Try again later.");
    case Failure::TooManyConnections:
        return tr("%1 takes no more connections from your address for now. Close other connections to it, or "
                  "try again in a minute.")
                .arg(host);
    case Failure::Kicked:
        return tr("The server's admin disconnected you (%1). Use Chat › Reconnect Now to join again.")
                .arg(detail.isEmpty() ? tr("no reason given") : detail);
    case Failure::Banned:
        return tr("The admin of %1 has banned the address you connect from. You cannot join that server "
                  "again unless the admin lifts the ban.")
                .arg(host);
    case Failure::PasswordRequired:
        return tr("This server needs a password. Ask whoever runs it, and enter it below the nick.");
    case Failure::BadPassword:
        return tr("The server did not accept the password.");
    case Failure::WrongProtocol:
        return tr("%1 port %2 does not answer like a groupchat server this client understands. Check the "
                  "port, and whether client and server need updating. (%3)")
                .arg(host)
                .arg(port)
                .arg(detail);
    case Failure::Lost:
        return tr("The connection to %1 was lost (%2).").arg(host, detail);
    case Failure::TlsFailed:
        return tr("No secure (TLS) connection could be made with %1 port %2 (%3). Check that the server "
                  "serves TLS on this port (usually 6697; 6666 is plain), or turn TLS off.")
                .arg(host)
                .arg(port)
                .arg(detail);
    case Failure::CertificateChanged: {
        // The warning is the first line; the fingerprints follow on lines of their own, which
        // the connect dialog shows apart, whole and aligned (ConnectDialog::showFailure).
        const QStringList fingerprints = detail.split(u'\n');
        return tr("Warning: the certificate of %1 port %2 has changed since you first connected. Someone may "
                  "be intercepting the connection, so it was refused. If the server's admin made a new "
                  "certificate, compare its fingerprint with the one below and use \"Forget the "
                  "certificate\" "
                  "in the connect dialog.")
                       .arg(host)
                       .arg(port) +
               u'\n' + tr("Now: %1").arg(fingerprints.value(0)) + u'\n' +
               tr("Trusted: %1").arg(fingerprints.value(1));
    }
    case Failure::Other:
        break;
    }
    return tr("Could not connect to %1 port %2: %3").arg(host).arg(port).arg(detail);
}

QString ChatConnection::brief(Failure failure, const QString &host, quint16 port)
{
    switch (failure) {
    case Failure::Refused:
        return tr("nothing listens on %1 port %2").arg(host).arg(port);
    case Failure::HostNotFound:
        return tr("host %1 not found").arg(host);
    case Failure::TimedOut:
        return tr("%1 does not answer").arg(host);
    case Failure::NickTaken:
        return tr("nick taken");
    case Failure::InvalidNick:
        return tr("nick not allowed");
    case Failure::ServerFull:
        return tr("server full");
    case Failure::TooManyConnections:
        return tr("too many connections from your address");
    case Failure::Kicked:
        return tr("kicked by the admin");
    case Failure::Banned:
        return tr("banned from this server");
    case Failure::PasswordRequired:
        return tr("password needed");
    case Failure::BadPassword:
        return tr("wrong password");
    case Failure::WrongProtocol:
        return tr("not a groupchat server");
    case Failure::Lost:
        return tr("connection lost");
    case Failure::TlsFailed:
        return tr("no TLS on %1 port %2").arg(host).arg(port);
    case Failure::CertificateChanged:
        return tr("certificate changed: refused");
    case Failure::Other:
        break;
    }
    return tr("could not connect");
}
