#pragma once

#include "chatcommand.h"
#include "chatlimits.h"
#include "ircstate.h"
#include "lineframer.h"
#include "serverevent.h"
#include "wirecodec.h"
#include "writebatcher.h"

#include <QByteArray>
#include <QDateTime>
#include <QHostAddress>
#include <QList>
#include <QObject>

#include <memory>
#include <vector>

class QSocketNotifier;
class QTimer;
class Room;

// One connected client as the server sees it: its socket, the bytes it owes us (framed into
// lines and commands), the bytes we owe it (bounded by the send-queue limit) and the dialect
// it speaks.
//
// The socket is a plain descriptor with one read notifier, not a QTcpSocket: an idle
// QTcpSocket costs about 2.4 KB and three notifiers, more than the whole session may
// (docs/BENCHMARKS.md). Output goes out through the WriteBatcher once per event-loop pass; a
// write notifier exists only while bytes wait for a slow reader.
class ClientSession : public QObject, private WriteTarget
{
    Q_OBJECT

public:
    // Plain until the first line says otherwise; a JSON hello as the first line switches to
    // Json for the rest of the connection. Irc from the start on the IRC port.
    enum class Mode { Undecided, Plain, Json, Irc };

    // Takes ownership of descriptor, an accepted TCP connection. mode: Undecided, or Irc for
    // a connection to the IRC port (its lines may be as long as IRC's, tags included).
    ClientSession(qintptr descriptor, quint64 id, const ChatLimits &limits, WriteBatcher *batcher,
                  QObject *parent = nullptr, Mode mode = Mode::Undecided);
    ~ClientSession() override;

    quint64 id() const { return m_id; }
    QString nick() const { return m_nick; }
    void setNick(const QString &nick) { m_nick = nick; }
    Mode mode() const { return m_mode; }
    bool isJson() const { return m_mode == Mode::Json; }
    bool isIrc() const { return m_mode == Mode::Irc; }
    // Plain lines, or nothing said yet (which is read as plain).
    bool isPlain() const { return m_mode == Mode::Plain || m_mode == Mode::Undecided; }
    // An IRC client's registration and capabilities (IrcHandler's); null for other dialects.
    IrcState *irc() const { return m_irc.get(); }
    // A connection to a port that serves IRC too (TLS): a first line that starts an IRC
    // registration (CAP, NICK, PASS or USER) makes it an IRC client. The server holds its
    // plain greeting until the first line or the announcement delay says which it is.
    void allowIrc()
    {
        m_mayBeIrc = true;
        m_greetingHeld = true;
    }
    bool isGreetingHeld() const { return m_greetingHeld; }
    // The greeting is going out (or will not): IRC is no longer detected.
    void releaseGreeting()
    {
        m_greetingHeld = false;
        m_mayBeIrc = false;
    }
    // The IRCv3 capabilities an IRC client has negotiated now (IrcState::caps): its codec
    // follows those that change what it is sent.
    void setIrcCaps(unsigned caps);
    // The protocol version its hello asked for (JsonProtocol::oldestVersion..version); 0
    // before a hello.
    int jsonVersion() const { return m_jsonVersion; }
    void setJsonVersion(int version);
    // How it is written to, and how its lines are read (WireCodec): follows its dialect, its
    // protocol version and the number of rooms it is in.
    const WireCodec &codec() const { return *m_codec; }

    // The rooms it is in, in the order it joined them (the server keeps Room's side).
    const QList<Room *> &rooms() const { return m_rooms; }
    bool isIn(const Room *room) const;
    void addRoom(Room *room);
    void removeRoom(Room *room);
    // Where a plain client's typed lines go: the room it joined or switched to last (null
    // when it is in none).
    Room *currentRoom() const { return m_currentRoom; }
    void setCurrentRoom(Room *room) { m_currentRoom = room; }
    // Whether events it is sent name their room (plain mode marks lines when it is in more
    // than one).
    bool marksRooms() const { return m_rooms.size() > 1; }

    // The SHA-256 of the identity it keeps its private history under (ChatMessage).
    QByteArray identityHash() const { return m_identityHash; }
    void setIdentityHash(const QByteArray &hash) { m_identityHash = hash; }

    // Whether the room has been told this client joined. Until then it is not listed.
    bool isAnnounced() const { return m_announced; }
    void setAnnounced(bool announced = true) { m_announced = announced; }
    // Whether the server's password has been given (or none is needed).
    bool isAuthenticated() const { return m_authenticated; }
    void setAuthenticated() { m_authenticated = true; }
    // Stops taking input (a wrong password's answer is on its way).
    void holdInput();
    // Commands wait (as flood control holds them, and as bounded) until resumeInput(): the
    // one being answered must be answered first. Pauses nest: each needs its resume.
    void pauseInput();
    void resumeInput();

    // Whether the JSON handshake is done.
    bool hasWelcome() const { return !m_token.isEmpty(); }
    // The secret a JSON client presents to take its nick back after a dropped connection.
    QString token() const { return m_token; }
    void setToken(const QString &token) { m_token = token; }
    // The newest message id when this client connected.
    quint64 lastIdAtConnect() const { return m_lastIdAtConnect; }
    void setLastIdAtConnect(quint64 id) { m_lastIdAtConnect = id; }
    // A client that resumed (JSON "since") on a cluster server that had not read that far yet:
    // the messages up to this id reached it elsewhere, and are not sent to it again here.
    quint64 seenThrough() const { return m_seenThrough; }
    // The client id of the message request being carried out (empty: none): an error sent
    // meanwhile carries it (JSON "cid" on the error).
    void setRequestClientId(const QString &clientId) { m_requestClientId = clientId; }
    void setSeenThrough(quint64 id) { m_seenThrough = id; }
    // A session replaced by its own owner's new connection leaves without a word to the room.
    bool isReplaced() const { return m_replaced; }

    // Dual-stack listening reports IPv4 peers as ::ffff:a.b.c.d; people know them as a.b.c.d.
    static QHostAddress plainAddress(const QHostAddress &address);
    // The peer of a connected descriptor, as people know it.
    static std::pair<QHostAddress, quint16> peerOf(qintptr descriptor);

    qintptr socketDescriptor() const { return m_fd; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    // A TLS connection: the descriptor is the local end of a TlsBridge, the peer is the
    // bridge's client.
    void setTlsPeer(const QHostAddress &address, quint16 port);
    bool isSecure() const { return m_secure; }
    // "192.0.2.1:5000" or "[2001:db8::1]:5000", for logs and the admin window.
    QString peer() const;
    QDateTime connectedAt() const { return m_connectedAt; }
    qint64 connectedAtMs() const { return m_connectedAtMs; }

    qint64 bytesReceived() const { return m_bytesReceived; }
    qint64 bytesSent() const { return m_bytesSent; }
    qint64 messagesSent() const { return m_messagesSent; }
    void countMessageSent() { ++m_messagesSent; }
    // Bytes the kernel has not taken yet: the client's send queue.
    qint64 sendQueueBytes() const { return m_queuedBytes; }
    // Past the soft send-queue limit: broadcasts skip this client until it catches up.
    bool isLagging() const { return m_lagging; }
    void countMissed() { ++m_missed; }

    // Whether any line has arrived yet, when anything last arrived, and whether a ping is
    // out (milliseconds of monotonicMs()).
    bool hasReceivedLine() const { return m_receivedLine; }
    qint64 lastActivityMs() const { return m_lastActivityMs; }
    qint64 pingSentMs() const { return m_pingSentMs; }
    void setPingSent(qint64 ms) { m_pingSentMs = ms; }
    static qint64 monotonicMs();

    // Queues bytes already in this client's dialect; they go out at the end of the event
    // loop's pass, and a client whose queue then passes the limit is dropped.
    void sendBytes(const QByteArray &bytes);
    // Queues a stretch of this pass's broadcast batch (WriteBatcher), shared with others.
    void sendShared(int batch, qsizetype from, qsizetype to);
    // Between these two, what the client is sent is held instead (a copy of shared stretches
    // too), and takeCapture() gives it: IRCv3 labeled-response labels the reply to a command
    // as a whole.
    void startCapture();
    QByteArray takeCapture();
    // Sends event even while a reply is captured: what is not part of the reply.
    void sendUnlabeled(const ServerEvent &event);
    // Queues an event, written in this client's dialect.
    void send(const ServerEvent &event);
    void sendNotice(const QString &text);
    void sendError(ErrorCode code, const QString &text);
    // Drops what this pass gathered for it, unsent, and takes it off the batcher's list; what
    // it is given later goes out with a later pass. The session does this itself when its
    // connection ends, so that the batcher never holds a session that may be deleted.
    void dropPendingWrites();

    // Sends what is queued, then disconnects. reason is what the log and the others see.
    void close(const QString &reason);
    // Disconnects at once, dropping what is queued.
    void abort(const QString &reason);
    // Disconnects at once because the same person connected again.
    void replace();
    bool isClosing() const { return m_closing; }

Q_SIGNALS:
    // A command, or ChatCommand::Type::TooLong for a line over the limit (discarded).
    void commandReceived(const ChatCommand &command);
    // The first line decided the dialect (mode()), before it is handled.
    void dialectChosen();
    // The client was behind (isLagging()) and has read everything queued for it; missed
    // broadcast messages were skipped meanwhile. The room's state is for the server to tell.
    void caughtUp(qint64 missed);
    // Emitted once, when the connection is gone; the session may be deleted afterwards.
    void closed(const QString &reason);

private:
    // This pass's output, in order: stretches of the shared batches and bytes of our own.
    struct Piece
    {
        int batch; // WriteBatcher::Batch, or -1 for own
        qsizetype from;
        qsizetype to;
        QByteArray own;
    };

    void schedule();
    // From now on an IRC client (its first line on a port that serves IRC too said so).
    void becomeIrc();
    // Whom the replies it is sent name: its nick, or empty for an IRC client not registered.
    QString recipientName() const;
    // WriteTarget: the batcher's pass is over.
    void flushWrites() override;
    const char *pieceData(const Piece &piece) const;
    // Writes what this pass gathered: straight to the socket when nothing waits before it,
    // the rest (or everything, behind older bytes) into the queue.
    void flushPending();
    // Hands queued bytes to the kernel while it takes them.
    void drainQueue();
    void enqueue(const char *data, qsizetype size);
    void setWriteNotifierEnabled(bool enabled);
    void readFromSocket();
    // Bytes as they arrived: the first ones are held until it is clear whether they start a
    // TLS handshake (TlsDetector); false when the connection ended over them.
    bool takeInput(QByteArrayView data);
    void frame(QByteArrayView data);
    // The peer ended its side (why: "connection closed", or the error): what it sent is still
    // handled, at the flood rate where flood control holds lines back, and then the session
    // closes, sending what it owes first when the peer can still read.
    void endInput(const QString &why, bool canStillSend);
    // Closes once the input has ended and nothing it sent waits any more.
    void closeIfInputDone();
    // Sending failed (error: errno): the peer cannot be sent anything more; its input is still
    // read to the end and handled.
    void outputBroken(int error);
    void handleLine(QByteArrayView line);
    void lineTooLong();
    // Passes a command on through the flood-control bucket: now, later, or not at all.
    void deliver(const ChatCommand &command);
    void releaseDelayed();
    // More lines wait than flood control holds: the client is told, the waiting lines dropped,
    // the connection closed.
    void excessFlood();
    // Starts the timer that releases the first waiting command when the bucket affords it.
    void scheduleRelease();
    void refillTokens();
    // What a command weighs in flood control (most: one line), and how long until the bucket
    // holds that much.
    static double floodCost(const ChatCommand &command);
    int msUntilAffordable(double cost) const;
    // Whether command would be one too many waiting (floodQueue): every waiting command counts
    // as a line, but a line of an IRC client batch as what it costs (batchLineCost), so that a
    // pasted draft/multiline batch can wait behind a burst without ending the connection.
    bool queueFull(const ChatCommand &command) const;
    // After output changed the queue: warn and skip a client past the soft limit, tell it
    // what it missed once it caught up, drop it past the hard one.
    void checkQueue();
    // The connection is over for reason: stop watching the descriptor, close it, and report
    // (from the event loop, never from inside a caller's loop).
    void finish(const QString &reason);

    int m_fd;
    QSocketNotifier *m_readNotifier;
    QSocketNotifier *m_writeNotifier = nullptr; // while the queue is not empty
    WriteBatcher *m_batcher;
    std::vector<Piece> m_pieces;
    qsizetype m_batchSlot = -1; // where m_batcher holds us (WriteBatcher::schedule), or -1
    // What the kernel has not taken, oldest first, m_queueHead bytes of the first chunk sent
    // already. Chunks of at most queueChunkBytes, so that a full queue holds about its size
    // and no more; an empty QList allocates nothing, and most clients never queue anything.
    static constexpr qsizetype queueChunkBytes = 16 * 1024;
    QList<QByteArray> m_queue;
    qsizetype m_queueHead = 0;
    qint64 m_queuedBytes = 0;
    LineFramer m_framer;
    const ChatLimits m_limits;
    const quint64 m_id;
    QString m_nick;
    QString m_token;
    QList<Room *> m_rooms;
    Room *m_currentRoom = nullptr;
    QByteArray m_identityHash;
    int m_jsonVersion = 0;
    const WireCodec *m_codec = &PlainCodec::oneRoom(); // until a JSON hello
    std::unique_ptr<IrcState> m_irc; // IRC only
    bool m_capturing = false;
    bool m_mayBeIrc = false;
    bool m_greetingHeld = false;
    QByteArray m_captured;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    bool m_secure = false;
    QDateTime m_connectedAt;
    quint64 m_lastIdAtConnect = 0;
    quint64 m_seenThrough = 0;
    QString m_requestClientId;
    qint64 m_bytesReceived = 0;
    qint64 m_bytesSent = 0;
    qint64 m_messagesSent = 0;
    QString m_closeReason;
    Mode m_mode = Mode::Undecided;
    bool m_announced = false;
    bool m_replaced = false;
    bool m_closing = false; // no more input is taken, no more output accepted
    bool m_finished = false; // the descriptor is closed
    // Flood control: tokens in the bucket (refilled to m_tokensAtMs) and lines waiting.
    double m_tokens;
    qint64 m_tokensAtMs;
    QList<ChatCommand> m_delayed;
    QTimer *m_releaseTimer = nullptr; // while lines wait
    qint64 m_lastActivityMs;
    qint64 m_connectedAtMs;
    qint64 m_pingSentMs = 0;
    qint64 m_missed = 0;
    bool m_receivedLine = false;
    int m_pauses = 0; // pauseInput() calls not yet resumed
    // The first bytes, until TlsDetector has a verdict on them.
    QByteArray m_firstBytes;
    bool m_detected = false;
    // The peer ended its input; what it sent is still being handled.
    bool m_inputEnded = false;
    bool m_canStillSend = true;
    QString m_endReason;
    bool m_lagging = false;
    bool m_authenticated = false;
};
