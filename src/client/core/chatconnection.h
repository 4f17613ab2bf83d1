#pragma once

#include "hostport.h"

#include "chatcommand.h"
#include "lineframer.h"
#include "serverevent.h"

#include <QAbstractSocket>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class QTcpSocket;

// The desktop client's link to one server in JSON mode: connects, says hello, keeps the
// connection alive, and when it drops after a welcome, reconnects with backoff and resumes
// with "since" so that nothing is missed and nothing arrives twice.
class ChatConnection : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Disconnected, // nothing going on; connectToServer() starts
        Connecting, // TCP connection being made
        Handshaking, // hello sent, waiting for the welcome
        Connected, // welcomed; requests can be sent
        WaitingToReconnect, // lost; the next attempt is scheduled
    };
    Q_ENUM(State)

    // Why an attempt failed, so that the user can be told what to try.
    enum class Failure {
        Refused, // nothing listening on that port, or a firewall said no
        HostNotFound,
        TimedOut,
        NickTaken,
        InvalidNick,
        ServerFull,
        TooManyConnections, // from this address, for now
        Kicked, // the server's admin disconnected us: no reconnecting on our own
        Banned, // the server's admin banned our address: final
        WrongProtocol, // not a groupchat server, or another protocol version
        PasswordRequired,
        BadPassword,
        TlsFailed, // no TLS handshake: probably not a TLS port
        CertificateChanged, // the server's certificate is not the one pinned for it
        Lost, // the connection broke
        Other,
    };
    Q_ENUM(Failure)

    explicit ChatConnection(QObject *parent = nullptr);
    ~ChatConnection() override;

    // Starts a new series of attempts to host:port as nick. Until the first welcome a
    // failure ends the series (connectFailed); after it, losses are retried.
    void connectToServer(const QString &host, quint16 port, const QString &nick,
                         const QString &password = QString());
    // The servers of a cluster besides host:port (docs/ARCHITECTURE.md): when the connection
    // is lost, or cannot be made, the next one is tried, and resuming there works as on the
    // same server. For the next connectToServer().
    void setAlternativeServers(const QList<HostPort> &servers) { m_alternatives = servers; }

    // Leaves on purpose (sends quit); no reconnecting.
    void disconnectFromServer(const QString &reason = QString());
    // Skips the rest of a reconnect wait.
    void reconnectNow();
    // After the server ended the connection on purpose (a kick): connects again to the same
    // server as the same nick, resuming where the conversation stopped. Only when
    // canReconnect().
    void reconnect();
    bool canReconnect() const;
    // Whether the current series of attempts (since connectToServer()) had a welcome: its
    // failures are then a lost conversation's; before, an attempt someone just asked for.
    bool welcomedInSeries() const { return m_welcomedBefore; }
    // Whether event announces that the server is about to end the connection on purpose (an
    // error "kicked" or "banned"): no loss, and nothing to show before it closes.
    static bool isClosingError(const ServerEvent &event);
    // Sends a request; false when not connected.
    bool send(const ChatCommand &command);

    // TLS for the next connectToServer(). The server's certificate is trusted on first use:
    // its SHA-256 fingerprint is pinned for host:port in QSettings (group "tls-pins"), and a
    // different certificate later is refused (Failure::CertificateChanged).
    void setTls(bool on) { m_tls = on; }
    bool usesTls() const { return m_tls; }
    // The fingerprint of the certificate of the current TLS connection ("AB:CD:...").
    QString certificateFingerprint() const { return m_fingerprint; }
    static QString pinnedFingerprint(const QString &host, quint16 port);
    // The secret this client keeps for a server (made and saved on first use): the server
    // keeps the user's private messages under it (docs/PROTOCOL.md, version 2).
    static QString identityFor(const QString &host, quint16 port);
    // The rooms to be back in, asked for in every hello (besides the default room).
    void setHelloRooms(std::function<QStringList()> rooms) { m_helloRooms = std::move(rooms); }
    static void forgetPin(const QString &host, quint16 port);
    // Pins fingerprint ("AB:CD:...") for host:port when nothing is pinned for it yet: the
    // certificate a server announced on the LAN (docs/PROTOCOL.md, "Discovery") is the one its
    // first TLS connection must show. False when another fingerprint is pinned already.
    static bool pinIfUnpinned(const QString &host, quint16 port, const QString &fingerprint);

    State state() const { return m_state; }
    // The first server of the series (connectTo's host and port): the identity, and the
    // messages waiting to be sent, belong to the series, since its servers are one cluster and
    // know a message by its sender's identity (docs/PROTOCOL.md, "Sending exactly once").
    HostPort homeServer() const
    {
        return m_servers.isEmpty() ? HostPort{ m_host, m_port } : m_servers.constFirst();
    }
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    QString nick() const { return m_nick; }
    QString serverName() const { return m_serverName; }
    ServerLimits limits() const { return m_limits; }
    quint64 lastMessageId() const { return m_lastId; }
    // Whole seconds until the next attempt while WaitingToReconnect.
    int secondsUntilReconnect() const;
    // What went wrong last, in words for the user: in full (what happened and what to try),
    // and in a few words for a status bar.
    QString lastError() const { return m_lastError; }
    QString lastErrorBrief() const { return m_lastErrorBrief; }

    // Timings, for tests (defaults: 1 s doubling to 30 s; 10 s; 10 s; ping every 30 s and
    // give up after 75 s of silence).
    void setReconnectDelays(int firstMs, int maxMs);
    void setConnectTimeout(int ms) { m_connectTimeoutMs = ms; }
    void setHandshakeTimeout(int ms) { m_handshakeTimeoutMs = ms; }
    void setKeepAlive(int pingIntervalMs, int silenceLimitMs);

    static QString describe(Failure failure, const QString &host, quint16 port,
                            const QString &detail = QString());
    static QString brief(Failure failure, const QString &host, quint16 port);

Q_SIGNALS:
    void stateChanged(ChatConnection::State state);
    // resumed: this series was welcomed before; history holds only what was missed.
    void welcomed(const ServerEvent &welcome, bool resumed);
    // Everything after the welcome: messages (each once, in order), private messages,
    // joins, leaves, nick changes, notices, errors, the shutdown notice.
    void eventReceived(const ServerEvent &event);
    // The series ended before any welcome; explanation says why and what to try.
    void connectFailed(ChatConnection::Failure failure, const QString &explanation);
    // A welcomed connection broke; a reconnect follows.
    void connectionLost(const QString &explanation);
    // The server ended a welcomed connection on purpose (Failure::Kicked or Failure::Banned):
    // no reconnect follows; explanation says why and what can be done.
    void closedByServer(ChatConnection::Failure failure, const QString &explanation);
    // After falling behind (a CaughtUp event), the messages missed meanwhile came through
    // eventReceived, in order, before anything that arrived later; complete is false when some
    // are no longer on the server.
    void missedMessagesFetched(int count, bool complete);
    // An attempt will be made in seconds (emitted when scheduled and every second after).
    void reconnectCountdown(int seconds);
    void nickChanged(const QString &nick);
    // A TLS server's certificate was accepted; firstUse: it was pinned just now.
    void certificateTrusted(const QString &fingerprint, bool firstUse);

private:
    void setState(State state);
    void openSocket();
    void closeSocket();
    void onConnected();
    // False (and the attempt failed) when the certificate is not the pinned one.
    bool checkCertificate();
    void onReadyRead();
    void onSocketError(QAbstractSocket::SocketError error);
    void onDisconnected();
    void handleLine(QByteArrayView line);
    void handleWelcome(const ServerEvent &welcome);
    void handleEvent(const ServerEvent &event);
    // An event in order: it updates what the connection tracks and goes to eventReceived.
    void deliver(const ServerEvent &event);
    // Fetching what a caught-up client missed: asks for the messages after the last one it
    // has, page by page, holding back other events meanwhile.
    void startFetch();
    // Asks for the messages after the last one this connection has; false when not connected.
    bool requestHistory();
    void handleHistory(const ServerEvent &history);
    void finishFetch(bool complete);
    void endByServer();
    // Remembers failure as the last one (lastError(), lastErrorBrief(), canReconnect()) and
    // returns its explanation.
    QString noteFailure(Failure failure, const QString &detail);
    void fail(Failure failure, const QString &detail);
    // A welcomed connection is gone: say so and try again.
    void loseConnection(const QString &why, const QString &brief);
    void scheduleReconnect();
    // The next server of the list becomes host:port; false when there is no other.
    bool rotateServer();
    void checkAlive();

    QTcpSocket *m_socket = nullptr;
    LineFramer m_framer;
    QTimer m_attemptTimer; // connect and handshake timeouts
    QTimer m_retryTimer;
    QDeadlineTimer m_retryDeadline; // for the countdown: a coarse timer's remainingTime() runs over
    QTimer m_countdownTimer;
    QTimer m_keepAliveTimer;
    QElapsedTimer m_sinceLastLine;
    QString m_host;
    quint16 m_port = 0;
    QString m_nick;
    QString m_password;
    std::function<QStringList()> m_helloRooms;
    QList<HostPort> m_servers; // host:port first, then the alternatives
    QList<HostPort> m_alternatives;
    qsizetype m_serverIndex = 0;
    int m_untriedInSeries = 0; // servers not yet tried since the last welcome or series start
    bool m_tls = false;
    bool m_certificateChecked = false;
    QString m_fingerprint;
    QString m_serverName;
    QString m_token;
    QString m_lastError;
    QString m_lastErrorBrief;
    ServerLimits m_limits;
    quint64 m_lastId = 0;
    State m_state = State::Disconnected;
    std::optional<Failure> m_lastFailure; // since the last connectToServer(), if any
    // The server said it is about to close the connection on purpose (kicked, banned).
    bool m_closingByServer = false;
    Failure m_closeFailure = Failure::Other;
    QString m_closeDetail;
    // Fetching missed messages after a catch-up; other events wait in m_held meanwhile.
    bool m_fetching = false;
    bool m_fetchComplete = true;
    int m_fetched = 0;
    QList<ServerEvent> m_held;
    int m_firstRetryMs = 1000;
    int m_maxRetryMs = 30000;
    int m_nextRetryMs = 1000;
    int m_connectTimeoutMs = 10000;
    int m_handshakeTimeoutMs = 10000;
    int m_pingIntervalMs = 30000;
    int m_silenceLimitMs = 75000;
    bool m_welcomedBefore = false;
    bool m_shutdownSeen = false;
    bool m_leaving = false;
    // Set while a failure is being handled, so the socket's own signals do not add theirs.
    bool m_failing = false;
};
