#pragma once

#include "histogram.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

// Opens many client connections to a chat server over loopback and measures how the server
// fans their lines out: every line carries its sender, sequence number and scheduled send
// time; every client reads everything; latency is receive time minus scheduled time (no
// coordinated omission). Linux only: non-blocking sockets and one epoll loop.
class LoadGenerator
{
public:
    enum class Dialect { Plain, Irc };

    struct Options
    {
        std::string host = "127.0.0.1";
        uint16_t port = 6666;
        // Several servers of one cluster: client i connects to ports[i % size] (port unused).
        std::vector<uint16_t> ports;
        Dialect dialect = Dialect::Plain;
        int clients = 10;
        int senders = 10;
        int lines = 200; // per sender
        int window = 8; // unanswered lines per sender (window mode)
        double rate = 0; // lines per second over all senders; 0: window mode
        int payload = 64; // bytes of text per line
        double connectRate = 0; // new connections per second; 0: as fast as possible
        double connectTimeout = 0; // seconds to get everyone ready; 0: 30 s plus the connect time
        double drainSeconds = 10; // wait this long for the last deliveries
        double stuckFraction = 0; // share of clients that stop reading once connected
        bool registerNick = true; // plain: take a nick (the room then announces the client)
        std::string channel = "#bench";
        // A team-shaped server: client i is also in room "#r<i % rooms>" and sends there; its
        // lines reach that room's members only (0: everyone in one room). IRC: channels.
        int rooms = 0;
        // While the load runs, clients that do not send join and leave a room of their own,
        // this many times a second in all (joins and leaves must not stall delivery).
        double churnRate = 0;
        // Called about once a second while running, with a line of progress.
        std::function<void(const std::string &)> progress;
    };

    struct Result
    {
        // Connecting
        int connected = 0;
        int ready = 0; // greeted (plain) or registered and joined (irc)
        double connectSeconds = 0; // first connect to last client ready
        // Traffic
        uint64_t linesSent = 0;
        uint64_t expected = 0; // deliveries to clients that read
        uint64_t received = 0; // unique deliveries
        uint64_t missing = 0;
        uint64_t duplicated = 0;
        uint64_t reordered = 0;
        double seconds = 0; // first line sent to last delivery
        double deliveriesPerSecond = 0;
        Histogram latency; // receive time minus scheduled send time, per delivery
        Histogram fanOut; // first to last receiver of a line
        // Clients that stopped reading, and how many of them the server dropped
        int stuck = 0;
        int stuckDropped = 0;
        int droppedReaders = 0; // readers the server closed: should be 0
        uint64_t churns = 0; // room joins and leaves made while the load ran
        std::string error; // set when the run could not be done
    };

    explicit LoadGenerator(Options options);
    ~LoadGenerator();
    LoadGenerator(const LoadGenerator &) = delete;
    LoadGenerator &operator=(const LoadGenerator &) = delete;

    // Connects everyone; false (with result().error) when that fails.
    bool connectAll();
    // Sends the load and waits for the deliveries.
    void run();
    const Result &result() const { return m_result; }

private:
    struct Client;

    static int64_t nowMicros();
    void poll(int timeoutMs);
    void onReadable(Client &client);
    void onWritable(Client &client);
    void handleLine(Client &client, const char *line, size_t length, int64_t now);
    void handlePayload(Client &client, const char *token, int64_t now);
    void queue(Client &client, const std::string &bytes);
    void flush(Client &client);
    void closeClient(Client &client, bool byServer);
    void startConnect(int index);
    void sendLine(int sender, int64_t scheduled);
    void fillWindows();
    int observerFor(int sender) const;
    // The room client index is in besides the default one ("" without rooms).
    std::string roomOf(int index) const;
    void churn(int64_t now);
    bool receives(int reader, int sender) const;
    void reportProgress(int64_t now);

    Options m_options;
    Result m_result;
    int m_epoll = -1;
    std::vector<Client> m_clients;
    std::vector<int> m_nextSeq; // per sender
    std::vector<int> m_inflight; // per sender
    // Per sender: the client whose receipt answers a line (observerFor), found once: searching
    // per delivery past the clients that stopped reading, or those of other rooms, made the
    // generator's CPU, not the server, the limit in those scenarios.
    std::vector<int> m_observer;
    // Per (reader, sender): highest seq seen, and a bitmap of the seqs seen.
    std::vector<int32_t> m_lastSeq;
    std::vector<uint64_t> m_seen;
    size_t m_seenWords = 0;
    // Per line (sender * lines + seq): first and last receive time, receivers so far.
    std::vector<int64_t> m_firstReceive;
    std::vector<int64_t> m_lastReceive;
    std::vector<int32_t> m_receivers;
    int64_t m_start = 0;
    int64_t m_lastDelivery = 0;
    int64_t m_lastProgress = 0;
    std::string m_padding;
    int64_t m_runId = 0;
    uint64_t m_bytesRead = 0;
    int64_t m_lastChurn = 0;
    uint64_t m_churns = 0;
};
