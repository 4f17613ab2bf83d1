#pragma once

#include <QtGlobal>

// Every buffer, queue and size limit of groupchat lives here, so that what a peer can make
// the server hold is decided in one place. The first group can be changed per server with
// command-line options; the constants below them are part of the protocol.
struct ChatLimits
{
    // Longest line a peer may send, in bytes, line terminator excluded. A longer line is
    // refused with an error and discarded up to its newline; it is never buffered whole.
    qsizetype maxLineBytes = 4096;
    // The most maxLineBytes may be set to (--max-line). A message's text came in one line, or
    // in one IRC draft/multiline batch of at most maxLineBytes bytes of text and its line
    // feeds, so it is at most maxTextBytesCeiling bytes, whatever the server's own setting
    // (ClusterLink refuses a longer one from Redis).
    static constexpr qsizetype maxLineBytesCeiling = qsizetype(1) << 20;
    // Bidirectional embeddings, overrides and isolates nested deeper than this in one line of
    // a text are dropped by the sanitiser (TextSanitizer::clean); UAX #9 itself stops at 125,
    // and no honest text nests at all.
    static constexpr int maxBidiDepth = 16;

    // Bytes the server may hold for one client that is slow to read. Passing it disconnects
    // that client ("send queue exceeded") so one stuck reader cannot cost memory or other
    // clients their messages.
    qint64 maxSendQueueBytes = 1024 * 1024;

    // Connections served at once; the next one is told "server full" and closed.
    int maxClients = 10000;

    // Recent messages replayed to a client when it connects.
    int historyLines = 20;

    // Messages kept, in the history database and for clients that come back and ask for what
    // they missed ("since" in the JSON hello): the newest historyKeep (0: no count limit) of
    // those at most historyKeepDays days old (0: no age limit). The newest historyInMemory of
    // them are also held in memory; a resume from further back reads the database.
    int historyKeep = 10000;
    int historyKeepDays = 0;
    int historyInMemory = 10000;
    // How many messages, at most, one resume reads from the database (the send queue cuts it
    // shorter still).
    static constexpr int maxResumeMessages = 20000;
    // How many messages one history request (JSON "history") gets at most; the client asks
    // again after the last one for more. Half the send queue cuts it shorter still.
    static constexpr int maxHistoryReply = 1000;
    // How many older messages a "history" request with "before" gets when it names no limit,
    // and how many the desktop client asks for each time its view reaches the top.
    static constexpr int historyBeforePage = 100;
    static constexpr int clientOlderHistoryPage = 100;
    // A history request may read that many messages from the database on the event loop, so
    // flood control counts it as this many lines: at 5 lines a second, one a second.
    static constexpr double historyRequestCost = 5.0;
    // Searching the history (JSON "search"): a search is at most maxSearchCharacters long and
    // maxSearchWords words, answers at most maxSearchResults messages (searchResultsPage when
    // the client names no limit), and costs searchRequestCost lines of flood control, as it
    // reads every conversation of the client.
    static constexpr int maxSearchCharacters = 100;
    static constexpr int maxSearchWords = 8;
    static constexpr int maxSearchResults = 100;
    static constexpr int searchResultsPage = 50;
    static constexpr double searchRequestCost = 10.0;
    // A history database that could not be written is tried again after this long; old
    // messages are removed from it this often.
    static constexpr int historyRetryMs = 30 * 1000;
    static constexpr int historyTrimIntervalMs = 60 * 1000;

    // Flood control, per client: a token bucket of floodBurst lines refilled at floodRate lines
    // a second (IRC servers use about the same). Lines beyond it wait; a client with more than
    // floodQueue lines waiting is disconnected ("excess flood"). Off for benchmarks.
    bool floodControl = true;
    int floodBurst = 10;
    double floodRate = 5.0;
    int floodQueue = 20;

    // Per address (IPv6: per /64): connections at once and new connections a minute; 0 means
    // no limit. A whole office behind one NAT address needs more than one person's share.
    int maxPerAddress = 20;
    int maxConnectsPerMinute = 60;

    // A connection that has not sent its first line this long after connecting is closed.
    int firstLineTimeoutMs = 30 * 1000;
    // An IRC client that has not finished its registration (NICK, USER, CAP END) this long
    // after connecting is disconnected, as IRC servers do: until then it holds a nick without
    // having given the password.
    int ircRegistrationTimeoutMs = 60 * 1000;
    // An IRC client's draft/multiline batch still open this long after its BATCH + is dropped
    // with FAIL BATCH TIMEOUT (IRCv3 client-batch), its lines unposted: a client that never
    // closes one does not hold its state for as long as it stays connected. UnrealIRCd (15 s
    // by default) and Solanum drop theirs the same way; 30 s leaves a slow link ample time, as
    // a batch pasted at once closes within a round trip, one held back by flood control
    // (batchLineCost) within a few seconds.
    int ircBatchTimeoutMs = 30 * 1000;
    // A client silent this long is pinged; one still silent pingTimeoutMs later is gone.
    int pingIntervalMs = 90 * 1000;
    int pingTimeoutMs = 30 * 1000;
    // Each wrong password from an address doubles the wait for the answer to the next one
    // (1 s, 2 s, 4 s ... at most maxPasswordDelayMs); an address is forgiven after this long.
    static constexpr int maxPasswordDelayMs = 30 * 1000;
    static constexpr qint64 passwordFailureMemoryMs = 10 * 60 * 1000;

    // Past this many bytes waiting, a client is warned and skipped for broadcasts until it has
    // caught up (then told how many it missed); past maxSendQueueBytes it is disconnected.
    qint64 softSendQueueBytes = 256 * 1024;

    // Beyond this many people in the room, joins, leaves and nick changes are no longer
    // announced to everyone: every one of N arrivals told to N others is O(N^2) lines, which
    // in a room of thousands nobody reads and a connection storm turns into gigabytes.
    int presenceLimit = 500;

    // LAN discovery's UDP fallback (docs/PROTOCOL.md, "Discovery"): the server answers a source
    // (an IPv4 address, or an IPv6 /64) at most discoveryAnswersPerSource times in
    // discoveryWindowMs, and everyone together at most discoveryAnswersPerSecond times a
    // second; what is beyond is dropped unanswered. A probing client asks every 3 s, so 10 in
    // 30 s leaves it room for retries, and a flood with forged sources costs at most 20
    // answers a second, each no larger than its probe.
    int discoveryAnswersPerSource = 10;
    int discoveryWindowMs = 30 * 1000;
    int discoveryAnswersPerSecond = 20;
    // The sources it remembers for the per-source limit; a new source beyond them (a flood of
    // forged ones) is not answered until old ones have served their window.
    static constexpr int discoveryMaxSources = 1024;
    // The UDP port servers answer probes on and clients probe (a fixed one: a client cannot
    // know a server's port before it has found it); the plain port's number, on UDP.
    static constexpr quint16 defaultDiscoveryPort = 6666;
    // The client probes every discoveryProbeIntervalMs and forgets a server that has not
    // answered discoveryMissedRounds probes in a row.
    static constexpr int discoveryProbeIntervalMs = 3000;
    static constexpr int discoveryMissedRounds = 3;
    // The client lists at most this many servers found (a LAN flooded with forged answers
    // cannot grow the list without bound).
    static constexpr int discoveryMaxServers = 256;

    // Rooms (docs/PROTOCOL.md, "Rooms"): at most maxRooms on the server (the default room
    // included), at most maxRoomsPerClient for one client at once, at most maxRoomMembers
    // people in one room (0: no limit); a topic is at most maxTopicLength user-perceived
    // characters. presenceLimit above counts per room.
    int maxRooms = 1000;
    int maxRoomsPerClient = 20;
    int maxRoomMembers = 0;
    int maxTopicLength = 300;
    // A hello names at most this many rooms to be back in (more is refused as malformed).
    static constexpr int maxHelloRooms = 100;
    // The desktop client remembers whom this many of its private messages not yet echoed went
    // to, for a refusal from a server that does not name them (more means answers were lost:
    // a server cuts a client off with 20 lines waiting).
    static constexpr int maxUnansweredPrivates = 100;
    // A fresh start's welcome replays the recent lines of each room the client is in and of
    // this many of its private conversations (the most recent ones).
    static constexpr int maxReplayedPrivateConversations = 20;

    // No request nests objects or arrays; anything deeper than this is refused before it is
    // parsed.
    static constexpr int maxRequestDepth = 4;

    // Nicks are 1..maxNickLength user-perceived characters (NickRules), and at most
    // maxNickCodePoints code points: a letter with its marks is one character, but not an
    // unbounded one.
    static constexpr int maxNickLength = 32;
    static constexpr int maxNickCodePoints = 64;

    // A message of several lines (IRCv3 draft/multiline on the IRC port, a text with line
    // feeds from a JSON client) holds at most maxMessageLines lines; beyond them, a JSON
    // client's line breaks become spaces and an IRC batch is refused (FAIL BATCH
    // MULTILINE_MAX_LINES). Each line is a line of its own for plain clients, so this bounds
    // how many lines one message makes them scroll. 32 is what Ergo offers and irctest expects.
    static constexpr int maxMessageLines = 32;
    // The longest text, in bytes of UTF-8, that a line (or IRC batch) of maxLineBytesCeiling bytes can become
    // once decoded and sanitised: each byte of invalid UTF-8 is U+FFFD, three bytes (a plain
    // client's Latin-1 line is up to three times as long as it came), and each line of a
    // message may end in maxBidiDepth closing bidirectional controls of three bytes, which the
    // sanitiser adds to what was left open.
    static constexpr qsizetype maxTextBytesCeiling =
            3 * maxLineBytesCeiling + qsizetype(maxMessageLines) * 3 * maxBidiDepth;

    // An IRC client may hold this many draft/multiline batches open at once (each at most the
    // line limit, maxLineBytes, of text: max-bytes); another is refused with FAIL BATCH
    // MULTILINE_INVALID. What one client can make the server hold for its batches is so at
    // most maxOpenBatches * (maxLineBytes + maxMessageLines) bytes of text.
    static constexpr int maxOpenBatches = 2;
    // Flood control counts a line inside a draft/multiline batch as this much of a line: a
    // batch of maxMessageLines lines with its BATCH + and - costs 10 lines, a whole burst, so
    // pasting one does not wait, and two in a row wait as ten lines would.
    static constexpr double batchLineCost = 0.25;

    // Quit, kick and ban reasons are cut to this many user-perceived characters (TextCut)
    // before others see them.
    static constexpr int maxReasonLength = 200;
    // An error message or a log line quotes at most this many characters of what a peer sent
    // (TextSanitizer::quoted).
    static constexpr int maxQuotedCharacters = 64;

    // Bytes Qt may buffer from one socket before the server takes them; with the line limit
    // this bounds what a client that never sends a newline can cost.
    static constexpr qint64 socketReadBufferBytes = 64 * 1024;

    // A new connection is announced to the room ("joined") with its first line, or after this
    // long if it sends none: a desktop client's JSON hello arrives well within it and joins
    // under its own nick instead of as a guest that renames itself at once.
    static constexpr int announceDelayMs = 500;

    // Connections the kernel may hold for us before we accept them; connection storms
    // (a whole office reconnecting after a network blip) need more than Qt's default 50.
    static constexpr int listenBacklog = 4096;

    // Longest line the desktop client accepts from a server: a welcome carries the history
    // and the user list in one line.
    static constexpr qsizetype clientMaxLineBytes = 16 * 1024 * 1024;
    // A desktop notification shows at most this many characters of a message.
    static constexpr int notificationPreviewCharacters = 200;

    // While the desktop client fetches what it missed after falling behind, what else arrives
    // waits (so that the conversation stays in order), at most this many events; beyond that
    // it stops fetching and says some messages are missing.
    static constexpr int clientCatchUpBuffer = 10000;

    // How long a stopping server keeps flushing queued output before it closes the sockets;
    // the same for a connection that ends (quit, kick, its peer's end of input).
    static constexpr int shutdownGraceMs = 2000;
    // A peer that ended its input still has the lines flood control holds back handled, at
    // the flood rate: at most floodQueue of them, 20 at 5 a second by default, so 4 s. The TLS
    // bridge waits this long for its session to be done with them.
    static constexpr int inputDrainMs = 5000;

    // TLS: the port, and how long a handshake may stall (from connecting, and again from the
    // client's hello) before the connection is dropped.
    static constexpr quint16 defaultTlsPort = 6697;
    // IRC's conventional plain port (docs/PROTOCOL.md, "IRC").
    static constexpr quint16 defaultIrcPort = 6667;
    // An IRC WHO answers about at most this many people (a room or a mask of thousands would
    // fill the asker's send queue); the rest are left out.
    static constexpr int maxWhoReplies = 1000;
    static constexpr int tlsHandshakeTimeoutMs = 3000;
    // What a TLS connection's bridge holds in each direction on top of the session's own send
    // queue: the local socket pair's buffer, the TLS socket's read and write buffers.
    static constexpr int tlsBridgeBufferBytes = 64 * 1024;

    // A cluster (--redis): heartbeats every second; a server silent for 5 s is gone. The room's
    // stream keeps about this many messages; messages said while Redis is away wait for it,
    // at most this many.
    static constexpr int clusterHeartbeatMs = 1000;
    static constexpr int clusterServerTimeoutMs = 5000;
    static constexpr int clusterStreamLength = 100000;
    static constexpr int clusterBacklog = 10000;
    // A Redis that comes back empty starts the ids of a new epoch at the next multiple of this
    // above every id the returning server knows, so that no id of the old epoch (which some
    // server may have delivered and the returning one not) is handed out again. 2^32 leaves
    // room for 2^21 such epochs below the 2^53 a JSON number carries exactly.
    static constexpr quint64 clusterIdEpochStride = quint64(1) << 32;
    // A server that lacks messages of the epoch before (it had not read them when Redis lost
    // them) asks the other servers for them and holds the new epoch's messages back meanwhile,
    // so that its clients get everything in one order: at most clusterRepairWaitMs (first for
    // the servers it knew to come back, then for their answers), at most clusterRepairMax
    // messages and clusterRepairMaxBytes (ChatMessage::wireSize) of them; the rest is marked
    // as missing.
    static constexpr int clusterRepairWaitMs = 10000;
    static constexpr int clusterRepairMax = 10000;
    static constexpr qint64 clusterRepairMaxBytes = 16 * 1024 * 1024;
    // An IRC client's welcome waits until its server has read as far as the cluster's stream
    // went (while Redis is away or a repair holds the stream back: until they end), at most
    // this long.
    static constexpr int clusterCatchUpWaitMs = clusterRepairWaitMs + clusterServerTimeoutMs;

    // Sending exactly once (docs/PROTOCOL.md, "Sending exactly once"): a client id ("cid") is
    // 1 to maxClientIdLength characters of [A-Za-z0-9_-]. The server posts one (identity,
    // client id) at most once within clientIdWindowMs, remembering at most clientIdLedgerSize
    // of them (the oldest are forgotten first); a cluster keeps each in Redis as long.
    static constexpr int maxClientIdLength = 64;
    static constexpr qint64 clientIdWindowMs = 60 * 60 * 1000;
    static constexpr int clientIdLedgerSize = 100000;
};
