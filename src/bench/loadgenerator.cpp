#include "loadgenerator.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// Every payload starts with gcb<run>. where run is random per process: lines from an earlier
// run (a server's history replay) are not this run's.
constexpr char marker[] = "gcb";

// Reads one decimal number at p, moving p past it; -1 when there is none.
int64_t readNumber(const char *&p, const char *end)
{
    int64_t value = 0;
    const char *start = p;
    while (p < end && *p >= '0' && *p <= '9')
        value = value * 10 + (*p++ - '0');
    return p == start ? -1 : value;
}

// Acknowledge what arrives at once instead of delaying the ACK (up to 40 ms on Linux). A
// server that leaves Nagle's algorithm on (ngircd, InspIRCd) holds its next small write
// until the previous one is acknowledged: with delayed ACKs the generator, not the server,
// sets the pace. Linux clears the flag again on its own, so it is set after every read.
void quickAck(int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
}

} // namespace

struct LoadGenerator::Client
{
    enum class State { Idle, Connecting, Registering, Ready, Closed };

    int fd = -1;
    int index = 0;
    State state = State::Idle;
    bool stuck = false; // stops reading once ready
    bool reading() const { return !(stuck && state == State::Ready); }
    bool wantWrite = false;
    std::string in; // an unfinished line
    std::string out; // bytes the kernel has not taken yet
};

LoadGenerator::LoadGenerator(Options options) : m_options(std::move(options))
{
    m_options.clients = std::max(1, m_options.clients);
    m_options.senders = std::clamp(m_options.senders, 0, m_options.clients);
    m_options.lines = std::max(0, m_options.lines);
    m_options.window = std::max(1, m_options.window);
    m_clients.resize(size_t(m_options.clients));
    const int stuck = int(m_options.stuckFraction * m_options.clients + 0.5);
    for (int i = 0; i < m_options.clients; ++i) {
        m_clients[size_t(i)].index = i;
        // The last clients stop reading: senders and the observer (client 0 or the last
        // non-stuck one) keep reading.
        m_clients[size_t(i)].stuck = i >= m_options.clients - stuck && i >= m_options.senders;
    }
    m_nextSeq.assign(size_t(m_options.senders), 0);
    m_inflight.assign(size_t(m_options.senders), 0);
    m_observer.resize(size_t(m_options.senders));
    for (int s = 0; s < m_options.senders; ++s)
        m_observer[size_t(s)] = observerFor(s);
    const size_t pairs = size_t(m_options.clients) * size_t(m_options.senders);
    m_lastSeq.assign(pairs, -1);
    m_seenWords = (size_t(m_options.lines) + 63) / 64;
    m_seen.assign(pairs * m_seenWords, 0);
    const size_t lines = size_t(m_options.senders) * size_t(m_options.lines);
    m_firstReceive.assign(lines, 0);
    m_lastReceive.assign(lines, 0);
    m_receivers.assign(lines, 0);
    m_padding.assign(size_t(std::max(0, m_options.payload)), 'x');
    m_runId = int64_t(getpid()) * 1000 + (nowMicros() % 1000);
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
}

LoadGenerator::~LoadGenerator()
{
    for (Client &client : m_clients) {
        if (client.fd >= 0)
            ::close(client.fd);
    }
    if (m_epoll >= 0)
        ::close(m_epoll);
}

int64_t LoadGenerator::nowMicros()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

std::string LoadGenerator::roomOf(int index) const
{
    return m_options.rooms > 0 ? "#r" + std::to_string(index % m_options.rooms) : std::string();
}

int LoadGenerator::observerFor(int sender) const
{
    // The last client that reads the sender's lines acknowledges them; an IRC server does not
    // echo a line to its sender, so for that one sender another reader acknowledges.
    for (int observer = m_options.clients - 1; observer >= 0; --observer) {
        if (receives(observer, sender))
            return observer;
    }
    return sender;
}

bool LoadGenerator::receives(int reader, int sender) const
{
    const Client &client = m_clients[size_t(reader)];
    if (client.stuck)
        return false;
    if (m_options.rooms > 0 && reader % m_options.rooms != sender % m_options.rooms)
        return false;
    return m_options.dialect == Dialect::Plain || reader != sender;
}

void LoadGenerator::churn(int64_t now)
{
    if (m_options.churnRate <= 0 || m_options.clients <= m_options.senders)
        return;
    // Joins and leaves due by now, one client after another among those that do not send.
    const uint64_t due = uint64_t(double(now - m_start) * m_options.churnRate / 1e6);
    const int movers = m_options.clients - m_options.senders;
    while (m_churns < due) {
        const int index = m_options.senders + int((m_churns / 2) % uint64_t(movers));
        Client &client = m_clients[size_t(index)];
        const std::string room = "#c" + std::to_string(index);
        const bool join = m_churns % 2 == 0;
        if (client.fd >= 0) {
            if (m_options.dialect == Dialect::Plain)
                queue(client, (join ? "/join " : "/part ") + room + "\n");
            else
                queue(client, (join ? "JOIN " : "PART ") + room + "\r\n");
        }
        ++m_churns;
    }
    m_result.churns = m_churns;
}

void LoadGenerator::startConnect(int index)
{
    Client &client = m_clients[size_t(index)];
    sockaddr_storage address = {};
    socklen_t length = 0;
    auto *v4 = reinterpret_cast<sockaddr_in *>(&address);
    auto *v6 = reinterpret_cast<sockaddr_in6 *>(&address);
    int family = AF_INET;
    const uint16_t port = m_options.ports.empty() ? m_options.port
                                                  : m_options.ports[size_t(index) % m_options.ports.size()];
    if (inet_pton(AF_INET, m_options.host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, m_options.host.c_str(), &v6->sin6_addr) == 1) {
        family = AF_INET6;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        length = sizeof *v6;
    } else {
        m_result.error = "not an IP address: " + m_options.host;
        return;
    }
    client.fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (client.fd < 0) {
        m_result.error = std::string("socket: ") + std::strerror(errno);
        return;
    }
    const int one = 1;
    ::setsockopt(client.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    quickAck(client.fd);
    if (client.stuck) {
        // A reader that stops reading: make its kernel buffer small so it fills quickly.
        const int small = 4096;
        ::setsockopt(client.fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    }
    if (::connect(client.fd, reinterpret_cast<sockaddr *>(&address), length) != 0 && errno != EINPROGRESS) {
        m_result.error = std::string("connect: ") + std::strerror(errno);
        ::close(client.fd);
        client.fd = -1;
        return;
    }
    client.state = Client::State::Connecting;
    epoll_event event = {};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u32 = uint32_t(index);
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, client.fd, &event);
    client.wantWrite = true;
}

bool LoadGenerator::connectAll()
{
    if (m_epoll < 0) {
        m_result.error = "epoll_create1 failed";
        return false;
    }
    const int64_t start = nowMicros();
    int started = 0;
    const double allowed =
            m_options.connectTimeout > 0
                    ? m_options.connectTimeout
                    : 30.0 + (m_options.connectRate > 0 ? m_options.clients / m_options.connectRate : 0);
    const int64_t limit = start + int64_t(allowed * 1e6);
    while (m_result.ready < m_options.clients && m_result.error.empty()) {
        const int64_t now = nowMicros();
        if (now > limit) {
            m_result.error = "timed out connecting: " + std::to_string(m_result.ready) + " of " +
                             std::to_string(m_options.clients) + " ready";
            break;
        }
        const int due = m_options.connectRate > 0
                                ? std::min(m_options.clients,
                                           int(double(now - start) / 1e6 * m_options.connectRate) + 1)
                                : m_options.clients;
        while (started < due && m_result.error.empty())
            startConnect(started++);
        if (m_result.ready == m_options.clients)
            break;
        poll(started < m_options.clients ? 1 : 50);
        reportProgress(nowMicros());
    }
    m_result.connectSeconds = double(nowMicros() - start) / 1e6;
    // Every join was announced to everyone (O(N^2) lines on both kinds of server): let that
    // die down before measuring, until nobody has received anything for 300 ms.
    const int64_t settleLimit = nowMicros() + 60 * 1000000;
    while (m_result.error.empty() && m_result.ready == m_options.clients) {
        const uint64_t before = m_bytesRead;
        poll(300);
        if (m_bytesRead == before || nowMicros() > settleLimit)
            break;
    }
    if (m_result.error.empty() && m_result.ready < m_options.clients)
        m_result.error = "only " + std::to_string(m_result.ready) + " of " +
                         std::to_string(m_options.clients) + " clients got ready";
    for (const Client &client : m_clients)
        m_result.connected +=
                client.state == Client::State::Ready || client.state == Client::State::Registering ? 1 : 0;
    return m_result.error.empty() && m_result.ready == m_options.clients;
}

void LoadGenerator::queue(Client &client, const std::string &bytes)
{
    if (client.fd < 0)
        return;
    if (client.out.empty()) {
        const ssize_t n = ::send(client.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == ssize_t(bytes.size()))
            return;
        client.out.assign(bytes, n > 0 ? size_t(n) : 0, std::string::npos);
    } else {
        client.out += bytes;
    }
    if (!client.wantWrite) {
        client.wantWrite = true;
        epoll_event event = {};
        event.events = (client.reading() ? uint32_t(EPOLLIN) : 0u) | EPOLLOUT;
        event.data.u32 = uint32_t(client.index);
        epoll_ctl(m_epoll, EPOLL_CTL_MOD, client.fd, &event);
    }
}

void LoadGenerator::flush(Client &client)
{
    while (!client.out.empty()) {
        const ssize_t n =
                ::send(client.fd, client.out.data(), client.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0)
            return;
        client.out.erase(0, size_t(n));
    }
    client.wantWrite = false;
    epoll_event event = {};
    event.events = client.reading() ? uint32_t(EPOLLIN) : 0u;
    event.data.u32 = uint32_t(client.index);
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, client.fd, &event);
}

void LoadGenerator::closeClient(Client &client, bool byServer)
{
    if (client.fd < 0)
        return;
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, client.fd, nullptr);
    ::close(client.fd);
    client.fd = -1;
    const bool wasReady = client.state == Client::State::Ready;
    client.state = Client::State::Closed;
    if (byServer && wasReady && !client.stuck)
        ++m_result.droppedReaders;
}

void LoadGenerator::onWritable(Client &client)
{
    if (client.state == Client::State::Connecting) {
        int error = 0;
        socklen_t size = sizeof error;
        ::getsockopt(client.fd, SOL_SOCKET, SO_ERROR, &error, &size);
        if (error != 0) {
            m_result.error = std::string("connect: ") + std::strerror(error);
            closeClient(client, false);
            return;
        }
        client.state = Client::State::Registering;
        if (m_options.dialect == Dialect::Irc) {
            const std::string nick = "b" + std::to_string(client.index);
            queue(client, "NICK " + nick + "\r\nUSER " + nick + " 0 * :groupchat-bench\r\n");
        }
    }
    flush(client);
}

void LoadGenerator::onReadable(Client &client)
{
    static char buffer[256 * 1024];
    const int64_t now = nowMicros();
    for (;;) {
        const ssize_t n = ::recv(client.fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            closeClient(client, true);
            return;
        }
        if (n < 0)
            return;
        m_bytesRead += uint64_t(n);
        quickAck(client.fd);
        const char *p = buffer;
        const char *end = buffer + n;
        while (p < end) {
            const auto *newline = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
            if (!newline) {
                client.in.append(p, size_t(end - p));
                break;
            }
            if (client.in.empty()) {
                handleLine(client, p, size_t(newline - p), now);
            } else {
                client.in.append(p, size_t(newline - p));
                handleLine(client, client.in.data(), client.in.size(), now);
                client.in.clear();
            }
            if (client.fd < 0)
                return;
            p = newline + 1;
        }
        if (size_t(n) < sizeof buffer)
            return;
    }
}

void LoadGenerator::handleLine(Client &client, const char *line, size_t length, int64_t now)
{
    if (length > 0 && line[length - 1] == '\r')
        --length;
    if (client.state == Client::State::Ready) {
        // Payload lines are most of the traffic: look for them first.
        if (const void *at = memmem(line, length, marker, sizeof marker - 1)) {
            handlePayload(client, static_cast<const char *>(at), now);
            return;
        }
    }
    const std::string text(line, length);
    if (m_options.dialect == Dialect::Irc && text.compare(0, 5, "PING ") == 0) {
        queue(client, "PONG " + text.substr(5) + "\r\n");
        return;
    }
    if (client.state != Client::State::Registering)
        return;
    bool ready = false;
    if (m_options.dialect == Dialect::Plain) {
        // Like IRC's NICK: a name, and the room knows the client from then on.
        const std::string nick = "b" + std::to_string(client.index);
        const std::string room = roomOf(client.index);
        if (text.compare(0, 9, "* welcome") == 0 && !m_options.registerNick)
            ready = true;
        else if (text.compare(0, 9, "* welcome") == 0)
            queue(client, "/nick " + nick + "\n");
        else if (text.size() > nick.size() + 17 &&
                 text.compare(text.size() - nick.size() - 17, std::string::npos,
                              " is now known as " + nick) == 0) {
            // With rooms: into its own, which what it types then goes to.
            if (room.empty())
                ready = true;
            else
                queue(client, "/join " + room + "\n");
        } else if (!room.empty() && text.compare(0, 13 + room.size(), "* you are in " + room) == 0)
            ready = true;
        else if (text.compare(0, 2, "! ") == 0)
            m_result.error = "the server refused a connection: " + text;
    } else {
        // ":prefix COMMAND params": the command (or numeric reply) is the second word.
        const auto space = text.find(' ');
        const std::string command =
                text[0] == ':' && space != std::string::npos ? text.substr(space + 1, 3) : text.substr(0, 5);
        const std::string room = roomOf(client.index);
        if (command == "001")
            queue(client, "JOIN " + m_options.channel + (room.empty() ? "" : "," + room) + "\r\n");
        else if (command == "366" && (room.empty() || text.find(" " + room + " :") != std::string::npos))
            ready = true;
        else if (command == "433" || command == "ERROR" || command == "465")
            m_result.error = "the server refused a client: " + text;
    }
    if (ready) {
        client.state = Client::State::Ready;
        ++m_result.ready;
        if (client.stuck) {
            // From now on this client never reads.
            epoll_event event = {};
            event.events = client.wantWrite ? uint32_t(EPOLLOUT) : 0u;
            event.data.u32 = uint32_t(client.index);
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, client.fd, &event);
            ++m_result.stuck;
        }
    }
}

void LoadGenerator::handlePayload(Client &client, const char *token, int64_t now)
{
    const char *p = token + sizeof marker - 1;
    const char *end = p + 96;
    if (readNumber(p, end) != m_runId || *p++ != '.')
        return;
    const int64_t sender = readNumber(p, end);
    if (sender < 0 || sender >= m_options.senders || *p++ != '.')
        return;
    const int64_t seq = readNumber(p, end);
    if (seq < 0 || seq >= m_options.lines || *p++ != '.')
        return;
    const int64_t scheduled = readNumber(p, end);
    if (scheduled < 0)
        return;
    const size_t pair = size_t(client.index) * size_t(m_options.senders) + size_t(sender);
    uint64_t &word = m_seen[pair * m_seenWords + size_t(seq) / 64];
    const uint64_t bit = uint64_t(1) << (seq % 64);
    if (word & bit) {
        ++m_result.duplicated;
        return;
    }
    word |= bit;
    ++m_result.received;
    if (seq < m_lastSeq[pair])
        ++m_result.reordered;
    else
        m_lastSeq[pair] = int32_t(seq);
    m_result.latency.add(now - (m_start + scheduled));
    const size_t line = size_t(sender) * size_t(m_options.lines) + size_t(seq);
    if (m_receivers[line]++ == 0)
        m_firstReceive[line] = now;
    m_lastReceive[line] = now;
    m_lastDelivery = now;
    if (client.index == m_observer[size_t(sender)])
        --m_inflight[size_t(sender)];
}

void LoadGenerator::sendLine(int sender, int64_t scheduled)
{
    const int seq = m_nextSeq[size_t(sender)]++;
    std::string token = marker + std::to_string(m_runId) + '.' + std::to_string(sender) + '.' +
                        std::to_string(seq) + '.' + std::to_string(scheduled - m_start) + '.';
    if (token.size() < m_padding.size())
        token.append(m_padding, 0, m_padding.size() - token.size());
    if (m_options.dialect == Dialect::Plain)
        queue(m_clients[size_t(sender)], token + '\n');
    else
        queue(m_clients[size_t(sender)], "PRIVMSG " +
                                                 (m_options.rooms > 0 ? roomOf(sender) : m_options.channel) +
                                                 " :" + token + "\r\n");
    ++m_inflight[size_t(sender)];
    ++m_result.linesSent;
}

void LoadGenerator::fillWindows()
{
    const int64_t now = nowMicros();
    for (int s = 0; s < m_options.senders; ++s) {
        if (m_clients[size_t(s)].fd < 0)
            continue;
        if (m_options.rate > 0) {
            // Sender s sends lines s, s + S, s + 2S, ... of one evenly spaced schedule.
            while (m_nextSeq[size_t(s)] < m_options.lines) {
                const double slot = double(m_nextSeq[size_t(s)]) * m_options.senders + s;
                const int64_t scheduled = m_start + int64_t(slot * 1e6 / m_options.rate);
                if (scheduled > now)
                    break;
                sendLine(s, scheduled);
            }
        } else {
            while (m_nextSeq[size_t(s)] < m_options.lines && m_inflight[size_t(s)] < m_options.window)
                sendLine(s, now);
        }
    }
}

void LoadGenerator::poll(int timeoutMs)
{
    epoll_event events[1024];
    const int n = epoll_wait(m_epoll, events, 1024, timeoutMs);
    for (int i = 0; i < n; ++i) {
        Client &client = m_clients[events[i].data.u32];
        if (client.fd < 0)
            continue;
        if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
            onWritable(client);
        if (client.fd >= 0 && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && client.reading())
            onReadable(client);
    }
}

void LoadGenerator::reportProgress(int64_t now)
{
    if (!m_options.progress || now - m_lastProgress < 1000000)
        return;
    m_lastProgress = now;
    std::string line;
    if (m_start == 0) {
        line = "connecting: " + std::to_string(m_result.ready) + "/" + std::to_string(m_options.clients) +
               " ready";
    } else {
        const uint64_t total = uint64_t(m_options.senders) * uint64_t(m_options.lines);
        line = "sent " + std::to_string(m_result.linesSent) + "/" + std::to_string(total) + " lines, " +
               std::to_string(m_result.received) + " deliveries, p99 " +
               std::to_string(m_result.latency.percentile(0.99) / 1000.0).substr(0, 6) + " ms";
    }
    m_options.progress(line);
}

void LoadGenerator::run()
{
    // Who reads each sender's lines does not change during the run.
    std::vector<uint64_t> readers(size_t(m_options.senders), 0);
    for (int s = 0; s < m_options.senders; ++s) {
        for (int r = 0; r < m_options.clients; ++r)
            readers[size_t(s)] += receives(r, s) ? 1 : 0;
    }
    m_start = nowMicros();
    m_lastDelivery = m_start;
    const uint64_t total = uint64_t(m_options.senders) * uint64_t(m_options.lines);
    int64_t lastSend = m_start;
    for (;;) {
        const uint64_t before = m_result.linesSent;
        fillWindows();
        const int64_t now = nowMicros();
        churn(now);
        if (m_result.linesSent != before)
            lastSend = now;
        const bool allSent = m_result.linesSent >= total;
        uint64_t expected = 0;
        for (int s = 0; s < m_options.senders; ++s)
            expected += readers[size_t(s)] * uint64_t(m_nextSeq[size_t(s)]);
        m_result.expected = expected;
        if (allSent && m_result.received >= expected)
            break;
        if (now - std::max(lastSend, m_lastDelivery) > int64_t(m_options.drainSeconds * 1e6))
            break;
        int timeout = 100;
        if (m_options.rate > 0 && !allSent) {
            // Wake for the next scheduled line.
            int64_t next = INT64_MAX;
            for (int s = 0; s < m_options.senders; ++s) {
                if (m_nextSeq[size_t(s)] < m_options.lines) {
                    const double slot = double(m_nextSeq[size_t(s)]) * m_options.senders + s;
                    next = std::min(next, m_start + int64_t(slot * 1e6 / m_options.rate));
                }
            }
            timeout = int(std::clamp<int64_t>((next - now) / 1000, 0, 100));
        }
        poll(timeout);
        reportProgress(nowMicros());
    }
    m_result.missing = m_result.expected > m_result.received ? m_result.expected - m_result.received : 0;
    m_result.seconds = double(m_lastDelivery - m_start) / 1e6;
    m_result.deliveriesPerSecond = m_result.seconds > 0 ? double(m_result.received) / m_result.seconds : 0;
    for (size_t line = 0; line < m_receivers.size(); ++line) {
        if (m_receivers[line] > 0)
            m_result.fanOut.add(m_lastReceive[line] - m_firstReceive[line]);
    }
    // Did the server drop the clients that stopped reading? A socket says so once what the
    // kernel still holds for it is read; that takes a little while at a small window.
    std::vector<Client *> stuck;
    for (Client &client : m_clients) {
        if (client.stuck && client.fd >= 0) {
            stuck.push_back(&client);
            epoll_event event = {};
            event.events = EPOLLIN;
            event.data.u32 = uint32_t(client.index);
            epoll_ctl(m_epoll, EPOLL_CTL_MOD, client.fd, &event);
        }
    }
    const int64_t deadline = nowMicros() + 3000000;
    size_t open = stuck.size();
    while (open > 0 && nowMicros() < deadline) {
        epoll_event events[1024];
        const int n = epoll_wait(m_epoll, events, 1024, 100);
        for (int i = 0; i < n; ++i) {
            Client &client = m_clients[events[i].data.u32];
            if (!client.stuck || client.fd < 0)
                continue;
            char buffer[65536];
            for (;;) {
                const ssize_t got = ::recv(client.fd, buffer, sizeof buffer, MSG_DONTWAIT);
                if (got > 0)
                    continue;
                if (got < 0 && (errno == EAGAIN || errno == EINTR))
                    break;
                ++m_result.stuckDropped;
                epoll_ctl(m_epoll, EPOLL_CTL_DEL, client.fd, nullptr);
                ::close(client.fd);
                client.fd = -1;
                --open;
                break;
            }
        }
    }
}
