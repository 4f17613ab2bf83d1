#include "clusterlink.h"

#include "hostport.h"

#include "chatlimits.h"
#include "irccodec.h"
#include "nickrules.h"
#include "redisclient.h"
#include "roomname.h"
#include "serverlog.h"
#include "textsanitizer.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QUrl>

namespace {

// Gives each message of a batch the cluster's next id and appends it to the one stream of every
// room, in one step: ids and stream order cannot disagree, whichever server publishes. KEYS:
// the id counter, the stream, this server's publish sequence, the prefix of client-id keys.
// ARGV: the stream's length, how long a client id is remembered (ms), then per message: how
// many values its fields take, and those values (streamFields: field, value, ...), which
// the entry gets as they are; the script reads seq, fid and cid among them.
// Returns one number per message: its new id; 0 when seq is not above the last this server
// published (a batch sent again after its reply was lost); minus the id of the message that
// carried the same sender and client id before (a client's resend). A batch that would leave
// out some of this server's messages is refused ("GAP last"). An entry that stands above the
// counter (written by hand under an id of its own) moves the counter above it.
const QByteArray publishScript = QByteArrayLiteral(R"(
-- The message whose count is at ARGV[i]: that count, and its fields by name.
local function message(i)
  local n = tonumber(ARGV[i])
  local fields = {}
  for j = i + 1, i + n - 1, 2 do
    fields[ARGV[j]] = ARGV[j + 1]
  end
  return n, fields
end
-- Appends the message whose count is at ARGV[i] under id; a reply with err when Redis refuses.
local function append(id, i, n)
  return redis.pcall('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', unpack(ARGV, i + 1, i + n))
end
local known = redis.call('GET', KEYS[3])
local last = tonumber(known or '0')
-- One server's messages are taken in its order, none skipped: a batch that starts past the
-- next one is refused whole (its server sends everything unanswered again). A server whose
-- sequence Redis no longer has (it came back empty, or the server was quiet for the window)
-- starts anew.
if #ARGV >= 3 and known then
  local _, first = message(3)
  if tonumber(first.seq) > last + 1 then
    return redis.error_reply('GAP ' .. last)
  end
end
local result = {}
local i = 3
while i <= #ARGV do
  local n, fields = message(i)
  local seq = tonumber(fields.seq)
  if seq <= last then
    table.insert(result, 0)
  else
    last = seq
    local key = KEYS[4] .. fields.fid .. ':' .. fields.cid
    local earlier = false
    if fields.cid ~= '' then
      earlier = redis.call('GET', key)
    end
    if earlier then
      table.insert(result, -tonumber(earlier))
    else
      local id = redis.call('INCR', KEYS[1])
      local added = append(id, i, n)
      if type(added) == 'table' and added.err then
        -- An entry above the counter, which no server added (one written by hand with an id
        -- of its own, as XADD * gives): the ids go on above it, or no message could be added
        -- again.
        local top = nil
        local info = redis.call('XINFO', 'STREAM', KEYS[2])
        for k = 1, #info - 1, 2 do
          if info[k] == 'last-generated-id' then
            top = tonumber(string.match(info[k + 1], '^%d+'))
          end
        end
        if not top or top < id or top >= 2 ^ 53 then
          return redis.error_reply(added.err)
        end
        redis.call('SET', KEYS[1], string.format('%d', top))
        id = redis.call('INCR', KEYS[1])
        added = append(id, i, n)
        if type(added) == 'table' and added.err then
          return redis.error_reply(added.err)
        end
      end
      if fields.cid ~= '' then
        redis.call('SET', key, id, 'PX', ARGV[2])
      end
      table.insert(result, id)
    end
  end
  i = i + 1 + n
end
redis.call('SET', KEYS[3], last, 'PX', ARGV[2])
return result)");
const QByteArray publishSha = QCryptographicHash::hash(publishScript, QCryptographicHash::Sha1).toHex();

// Messages per publish call: a pass's messages go together, up to this many.
constexpr int publishBatch = 256;

// The id counter never goes back. KEYS: the counter, the epoch's first id, the highest id of
// the epoch before that a server of the cluster had delivered. ARGV[1]: the highest id this
// server has delivered; ARGV[2]: where a new epoch starts for it
// (ChatLimits::clusterIdEpochStride). A counter that is gone while this server has delivered
// ids means Redis came back empty: some server may have delivered ids that this one never
// read, so the new epoch starts above all of them; each server that comes back with only ids
// of the epoch before raises the "reached" mark, which tells the others what they lack.
// Returns the epoch's first id (0: none yet).
const QByteArray prepareScript = QByteArrayLiteral(R"(
local current = redis.call('GET', KEYS[1])
if not current then
  if tonumber(ARGV[1]) > 0 then
    redis.call('SET', KEYS[1], ARGV[2])
    redis.call('SET', KEYS[2], ARGV[2])
    redis.call('SET', KEYS[3], ARGV[1])
  end
elseif tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
local epoch = tonumber(redis.call('GET', KEYS[2]) or '0')
if tonumber(ARGV[1]) < epoch and tonumber(ARGV[1]) > tonumber(redis.call('GET', KEYS[3]) or '0') then
  redis.call('SET', KEYS[3], ARGV[1])
end
return epoch)");

// A server that lacks messages of the epoch before asks for them: KEYS[1], a set of the
// servers that ask; KEYS[2], the prefix of their requests ("after upTo", expiring). Returns
// {server, request} for each current one and forgets the expired.
const QByteArray wantsScript = QByteArrayLiteral(R"(
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local want = redis.call('GET', KEYS[2] .. id)
  if want then
    table.insert(out, {id, want})
  else
    redis.call('SREM', KEYS[1], id)
  end
end
return out)");

// Answers such a request with messages this server has, with their ids. KEYS[1]: the asking
// server's repair stream; KEYS[2]: how far it is covered. ARGV[1]: how far this answer covers;
// ARGV[2]: how long both are kept (ms); then per message: its id, how many values its fields
// take, and those values (streamFields), which the entry gets as they are. Another server's
// answer may have covered some of it already: only ids above that are added, so the stream
// stays in id order.
const QByteArray repairScript = QByteArrayLiteral(R"(
local top = tonumber(redis.call('GET', KEYS[2]) or '0')
local i = 3
while i <= #ARGV do
  local n = tonumber(ARGV[i + 1])
  if tonumber(ARGV[i]) > top then
    redis.call('XADD', KEYS[1], ARGV[i] .. '-0', unpack(ARGV, i + 2, i + 1 + n))
  end
  i = i + 2 + n
end
if tonumber(ARGV[1]) > top then
  redis.call('SET', KEYS[2], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1)");

// How often a holding server looks whether its repair is there; how long requests and answers
// live in Redis (longer than any hold).
constexpr int repairPollMs = 250;
constexpr int repairKeepMs = 4 * ChatLimits::clusterRepairWaitMs;

// Refreshes this server's heartbeat (its name) and its people (nick, since: ARGV[4...]),
// both expiring unless refreshed; returns every live server as {id, name, nick, since, ...}
// and forgets the others and their people.
const QByteArray heartbeatScript = QByteArrayLiteral(R"(
local alive, servers, users = KEYS[1], KEYS[2], KEYS[3]
redis.call('SET', alive .. ARGV[1], ARGV[3], 'PX', ARGV[2])
redis.call('SADD', servers, ARGV[1])
redis.call('DEL', users .. ARGV[1])
for i = 4, #ARGV, 2 do
  redis.call('HSET', users .. ARGV[1], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', users .. ARGV[1], ARGV[2])
local live = {}
for _, id in ipairs(redis.call('SMEMBERS', servers)) do
  local name = redis.call('GET', alive .. id)
  if name then
    local entry = {id, name}
    for _, v in ipairs(redis.call('HGETALL', users .. id)) do
      table.insert(entry, v)
    end
    table.insert(live, entry)
  else
    redis.call('SREM', servers, id)
    redis.call('DEL', users .. id)
  end
end
return live)");

constexpr int readBlockMs = 2000;
constexpr int readBatch = 1000;

quint64 streamNumber(const QByteArray &streamId)
{
    return streamId.left(streamId.indexOf('-')).toULongLong();
}

// A message as the room's stream and the repair streams hold it: field, value, ... for
// XADD, which entriesOf reads back by name. origin and seq: the server that published it and
// its number for it (empty and 0: not known). The order is the one the room's stream always
// had, so that the entries of old and new servers are alike during an upgrade; every field is
// there, empty or not.
QList<QByteArray> streamFields(const ChatMessage &message, const QString &origin, quint64 seq)
{
    return { "time",   QByteArray::number(message.time.toMSecsSinceEpoch()),
             "from",   message.from.toUtf8(),
             "text",   message.text.toUtf8(),
             "kind",   QByteArray::number(ChatMessage::kindNumber(message.kind)),
             "origin", origin.toUtf8(),
             "seq",    QByteArray::number(seq),
             "room",   message.room.toUtf8(),
             "to",     message.to.toUtf8(),
             "fid",    message.fromIdentity.toHex(),
             "tid",    message.toIdentity.toHex(),
             "cid",    message.clientId.toLatin1(),
             "tags",   message.clientTags.toUtf8() };
}

// Whether field is an identity hash as the stream carries one: empty, or a SHA-256 in
// lower-case hex (QByteArray::toHex).
bool isIdentityHex(const QByteArray &field)
{
    return field.isEmpty() ||
           (field.size() == 2 * QCryptographicHash::hashLength(QCryptographicHash::Sha256) &&
            QByteArray::fromHex(field).toHex() == field);
}

// Why message, read from a stream entry whose time, cid, fid, tid and text fields were as
// given (bytes, as Redis has them), is not one that a server of the cluster could have
// published (empty: it is), in words for the log, quoting at most
// ChatLimits::maxQuotedCharacters characters of a field (TextSanitizer::quoted). The rules are
// those the servers apply to what their clients send: a time in milliseconds of the years 1
// to 9999, nicks and rooms of the identifier profile (NickRules, RoomName), a text as the
// sanitiser leaves it (TextSanitizer::cleanLines), not blank and no longer than any server's
// line can become (ChatLimits::maxTextBytesCeiling), a client id of
// ChatMessage::isValidClientId, identity hashes of SHA-256, an IRC client's tags as the IRC
// wire carries them. Deterministic: every server decides the same for the same entry.
QString refusalOf(const ChatMessage &message, const QByteArray &time, const QByteArray &cid,
                  const QByteArray &fid, const QByteArray &tid, const QByteArray &textUtf8)
{
    // A time that ISO 8601 cannot write (before year 1 or after 9999) is sent on by every
    // dialect as an empty one ("time":"", IRC's "@time="); one that is no number would pass
    // for 1970.
    bool isNumber = false;
    time.toLongLong(&isNumber);
    const int year = message.time.date().year();
    if (!isNumber || !message.time.isValid() || year < 1 || year > 9999)
        return ServerLog::tr("its time %1 is not one").arg(TextSanitizer::quoted(QString::fromLatin1(time)));
    if (NickRules::check(message.from) != NickRules::Problem::None)
        return ServerLog::tr("its sender %1 is not a nick").arg(TextSanitizer::quoted(message.from));
    if (!message.room.isEmpty() && !message.to.isEmpty())
        return ServerLog::tr("it names both a room and a recipient");
    if (!message.room.isEmpty() && RoomName::check(message.room) != NickRules::Problem::None)
        return ServerLog::tr("its room %1 is not a room name").arg(TextSanitizer::quoted(message.room));
    if (!message.to.isEmpty() && NickRules::check(message.to) != NickRules::Problem::None)
        return ServerLog::tr("its recipient %1 is not a nick").arg(TextSanitizer::quoted(message.to));
    if (textUtf8.size() > ChatLimits::maxTextBytesCeiling)
        return ServerLog::tr("its text has %1 bytes, more than any server takes").arg(textUtf8.size());
    if (TextSanitizer::isBlank(message.text))
        return ServerLog::tr("its text is blank");
    if (TextSanitizer::cleanLines(message.text) != message.text)
        return ServerLog::tr("its text %1 has what the sanitiser removes")
                .arg(TextSanitizer::quoted(message.text));
    if (!cid.isEmpty() && !ChatMessage::isValidClientId(QString::fromLatin1(cid)))
        return ServerLog::tr("its client id %1 is not one")
                .arg(TextSanitizer::quoted(QString::fromLatin1(cid)));
    if (!isIdentityHex(fid) || !isIdentityHex(tid))
        return ServerLog::tr("an identity hash of it is not a SHA-256 in hex");
    const QByteArray tags = message.clientTags.toUtf8();
    if (tags.size() > IrcCodec::maxClientTagBytes || tags.contains(' ') || tags.contains('\r') ||
        tags.contains('\n') || tags.contains('\0'))
        return ServerLog::tr("its IRC tags %1 are not as the IRC wire carries them")
                .arg(TextSanitizer::quoted(message.clientTags));
    return QString();
}

} // namespace

std::optional<ClusterAddress> ClusterAddress::parse(const QString &url, QString *error)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.scheme() != u"redis" || parsed.host().isEmpty()) {
        *error = QCoreApplication::translate("ClusterAddress",
                                             "--redis takes redis://HOST:PORT[/ROOM], not %1")
                         .arg(url);
        return std::nullopt;
    }
    ClusterAddress address;
    address.host = parsed.host();
    address.port = quint16(parsed.port(6379));
    const QString room = parsed.path().mid(1);
    if (!room.isEmpty()) {
        if (room.size() > 64 || room.contains(u'/') || room.contains(u':')) {
            *error = QCoreApplication::translate("ClusterAddress",
                                                 "a room name has at most 64 characters, without / or :");
            return std::nullopt;
        }
        address.room = room;
    }
    return address;
}

QString ClusterAddress::toString() const
{
    return u"redis://" + HostPort{ host, port }.toString() + u'/' + room;
}

ClusterLink::ClusterLink(const ClusterAddress &address, QObject *parent)
    : QObject(parent),
      m_address(address),
      m_serverId(QString::number(QRandomGenerator::system()->generate64(), 36)),
      m_commands(new RedisClient(address.host, address.port, this)),
      m_reader(new RedisClient(address.host, address.port, this))
{
    m_repairTimer.setInterval(repairPollMs);
    connect(&m_repairTimer, &QTimer::timeout, this, &ClusterLink::repairStep);
    connect(m_commands, &RedisClient::connected, this, &ClusterLink::prepare);
    connect(m_commands, &RedisClient::disconnected, this, [this] {
        m_prepared = false;
        updateHealth();
    });
    connect(m_reader, &RedisClient::connected, this, [this] {
        updateHealth();
        readNext();
    });
    connect(m_reader, &RedisClient::disconnected, this, [this] {
        m_reading = false;
        updateHealth();
    });
    m_heartbeatTimer.setInterval(ChatLimits::clusterHeartbeatMs);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ClusterLink::heartbeat);
}

ClusterLink::~ClusterLink() = default;

QByteArray ClusterLink::key(const char *name) const
{
    return "groupchat:" + m_address.room.toUtf8() + ':' + name;
}

void ClusterLink::start(quint64 lastDeliveredId)
{
    m_lastDeliveredId = lastDeliveredId;
    m_lastStreamId = lastDeliveredId;
    m_emittedId = lastDeliveredId;
    qCInfo(lcServer, "%s",
           qUtf8Printable(
                   ServerLog::tr("cluster: joining %1 as server %2").arg(m_address.toString(), m_serverId)));
    m_commands->open();
    m_reader->open();
    m_heartbeatTimer.start();
}

void ClusterLink::updateHealth()
{
    const bool healthy = m_commands->isConnected() && m_reader->isConnected() && m_prepared && !m_stalled;
    if (healthy == m_healthy)
        return;
    m_healthy = healthy;
    const QString why = healthy     ? QString()
                        : m_stalled ? ServerLog::tr("it has not answered for %n second(s)", nullptr,
                                                    ChatLimits::clusterServerTimeoutMs / 1000)
                        : !m_commands->lastError().isEmpty() ? m_commands->lastError()
                                                             : m_reader->lastError();
    if (healthy)
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("cluster: connected to Redis at %1").arg(m_commands->address())));
    else
        qCWarning(lcServer, "%s",
                  qUtf8Printable(
                          ServerLog::tr("cluster degraded: Redis at %1 is unreachable (%2); what clients "
                                        "say waits and is delivered when it is back")
                                  .arg(m_commands->address(), why)));
    Q_EMIT healthChanged(healthy, why);
    if (healthy) {
        scheduleSend();
        askCatchUpHeads();
    }
}

void ClusterLink::prepare()
{
    // EVALSHA from now on; the cache is empty after Redis restarts, hence on every connect.
    m_commands->command({ "SCRIPT", "LOAD", publishScript });
    const quint64 stride = ChatLimits::clusterIdEpochStride;
    const quint64 epoch = (m_lastDeliveredId / stride + 1) * stride;
    m_commands->command({ "EVAL", prepareScript, "3", key("nextid"), key("epoch"), key("reached"),
                          QByteArray::number(m_lastDeliveredId), QByteArray::number(epoch) },
                        [this](const RedisReply &reply) {
                            if (reply.isError()) {
                                qCWarning(lcServer, "%s",
                                          qUtf8Printable(ServerLog::tr("cluster: cannot prepare the room: %1")
                                                                 .arg(QString::fromUtf8(reply.string))));
                                return;
                            }
                            m_prepared = true;
                            // The first time, the view of the others is built quietly (nobody
                            // came: this server did). After Redis was away, the servers come back
                            // one by one: for a heartbeat timeout, the people of those not back
                            // yet are kept, so that nobody is said to leave and join again.
                            if (m_everPrepared)
                                m_regatherClock.start();
                            else
                                m_viewFresh = true;
                            m_everPrepared = true;
                            // A new epoch that this server had not reached: Redis came back
                            // empty, maybe before this server had read everything of the
                            // epoch before. A fresh server has nothing to lack.
                            const quint64 firstOfEpoch = quint64(qMax<qint64>(0, reply.integer));
                            if (m_lastDeliveredId > 0 && firstOfEpoch > m_lastDeliveredId) {
                                // Again, while holding for the one before: what came of that one
                                // is delivered, and the repair starts over from there.
                                QStringList peers = m_liveServers;
                                if (m_holding) {
                                    peers += m_holdPeers;
                                    releaseHold({}, m_holdHad);
                                }
                                startHold(peers);
                            }
                            heartbeat();
                            updateHealth();
                            readNext();
                            if (!m_pending.empty())
                                qCInfo(lcServer, "%s",
                                       qUtf8Printable(ServerLog::tr("cluster: publishing %n message(s) that "
                                                                    "waited for Redis",
                                                                    nullptr, int(m_pending.size()))));
                            scheduleSend();
                        });
}

void ClusterLink::publish(const ChatMessage &message, std::function<void(const PublishResult &)> done)
{
    if (int(m_pending.size()) >= ChatLimits::clusterBacklog) {
        if (done)
            done({ PublishOutcome::Refused, 0 });
        return;
    }
    m_pending.push_back({ message, ++m_publishSeq, std::move(done) });
    scheduleSend();
}

void ClusterLink::scheduleSend()
{
    if (m_sendScheduled || !m_healthy)
        return;
    m_sendScheduled = true;
    // Once the event loop has handled the input it had: one call for the pass.
    QMetaObject::invokeMethod(this, &ClusterLink::sendOutgoing, Qt::QueuedConnection);
}

void ClusterLink::settleFront(qsizetype count, const RedisReply *results)
{
    for (qsizetype i = 0; i < count && !m_pending.empty(); ++i) {
        Pending pending = std::move(m_pending.front());
        m_pending.pop_front();
        --m_inFlight;
        const qint64 result = results ? results->elements.value(i).integer : 0;
        if (pending.done)
            pending.done(result < 0 ? PublishResult{ PublishOutcome::Duplicate, quint64(-result) }
                                    : PublishResult{ PublishOutcome::Published, quint64(result) });
    }
}

void ClusterLink::sendOutgoing()
{
    m_sendScheduled = false;
    // While it holds a new epoch back, this server's waiting messages wait too: the repair
    // may show that Redis had some of them before it lost them (they are not sent again).
    if (!m_healthy || m_holding)
        return;
    // What this server has read back from the stream is there, whatever became of its reply
    // (a Redis that came back empty would otherwise be given it a second time).
    while (m_inFlight == 0 && !m_pending.empty() && m_pending.front().seq <= m_readSeq) {
        ++m_inFlight;
        settleFront(1, nullptr);
    }
    while (m_inFlight < qsizetype(m_pending.size())) {
        QList<QByteArray> command{ "EVALSHA",
                                   publishSha,
                                   "4",
                                   key("nextid"),
                                   key("messages"),
                                   key("seq:") + m_serverId.toUtf8(),
                                   key("cid:"),
                                   QByteArray::number(ChatLimits::clusterStreamLength),
                                   QByteArray::number(ChatLimits::clientIdWindowMs) };
        const qsizetype first = m_inFlight;
        const qsizetype count = qMin<qsizetype>(publishBatch, qsizetype(m_pending.size()) - first);
        for (qsizetype i = first; i < first + count; ++i) {
            const Pending &pending = m_pending[size_t(i)];
            const QList<QByteArray> fields = streamFields(pending.message, m_serverId, pending.seq);
            command << QByteArray::number(fields.size()) << fields;
        }
        m_inFlight += count;
        m_commands->command(command, [this, count, generation = m_sendGeneration](const RedisReply &reply) {
            if (generation != m_sendGeneration)
                return; // sent again already, after an earlier batch failed
            if (reply.type == RedisReply::Type::Array) {
                settleFront(count, &reply);
                return;
            }
            // Lost with the connection, refused for a gap, or the script is gone (SCRIPT FLUSH):
            // everything unanswered goes again, in order, once Redis is there; the sequence
            // numbers keep what did arrive from arriving twice.
            ++m_sendGeneration;
            m_inFlight = 0;
            if (reply.type == RedisReply::Type::Error && reply.string.startsWith("GAP") &&
                !m_pending.empty()) {
                // Redis has fewer of this server's messages than it answered for (it came back
                // from an older snapshot, say): go on from what is unanswered here.
                m_commands->command({ "SET", key("seq:") + m_serverId.toUtf8(),
                                      QByteArray::number(m_pending.front().seq - 1), "PX",
                                      QByteArray::number(ChatLimits::clientIdWindowMs) });
                scheduleSend();
            } else if (reply.type == RedisReply::Type::Error) {
                qCWarning(lcServer, "%s",
                          qUtf8Printable(ServerLog::tr("cluster: publishing failed, trying again: %1")
                                                 .arg(QString::fromUtf8(reply.string))));
                m_commands->command({ "SCRIPT", "LOAD", publishScript });
                QTimer::singleShot(ChatLimits::clusterHeartbeatMs, this, &ClusterLink::scheduleSend);
            }
        });
    }
}

void ClusterLink::readNext()
{
    // Not before the room is prepared: a Redis that came back empty is noticed there first,
    // before any message of its new epoch is delivered here (startHold).
    if (m_reading || !m_reader->isConnected() || !m_prepared)
        return;
    // Held back (a repair first): the stream keeps the rest.
    if (m_holding && m_held.size() >= readBatch)
        return;
    m_reading = true;
    m_reader->command({ "XREAD", "COUNT", QByteArray::number(readBatch), "BLOCK",
                        QByteArray::number(readBlockMs), "STREAMS", key("messages"),
                        QByteArray::number(m_lastStreamId) + "-0" },
                      [this](const RedisReply &reply) { handleRead(reply); });
}

void ClusterLink::handleRead(const RedisReply &reply)
{
    m_reading = false;
    if (reply.type == RedisReply::Type::Disconnected)
        return; // reading starts again when the reader reconnects
    if (reply.type == RedisReply::Type::Error) {
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cluster: reading the room failed: %1")
                                         .arg(QString::fromUtf8(reply.string))));
        QTimer::singleShot(ChatLimits::clusterHeartbeatMs, this, &ClusterLink::readNext);
        return;
    }
    QList<StreamEntry> arrived;
    // [[stream, [[id, [field, value, ...]], ...]]]
    for (const RedisReply &stream : reply.elements) {
        const QList<StreamEntry> entries = entriesOf(stream.elements.value(1).elements, m_lastStreamId);
        for (const StreamEntry &entry : entries) {
            // The first id of a new epoch: what this server had of the one before ends here.
            const quint64 id = entry.message.id;
            const quint64 stride = ChatLimits::clusterIdEpochStride;
            if (id / stride > m_lastDeliveredId / stride)
                m_lastBeforeEpoch.insert(id / stride, m_lastDeliveredId);
            m_lastStreamId = id;
            m_lastDeliveredId = qMax(m_lastDeliveredId, id);
            if (entry.origin == m_serverId)
                m_readSeq = qMax(m_readSeq, entry.seq);
        }
        arrived += entries;
    }
    if (m_holding)
        m_held += arrived;
    else
        deliver(arrived);
    readNext();
}

void ClusterLink::deliver(const QList<StreamEntry> &entries)
{
    QList<ChatMessage> messages;
    messages.reserve(entries.size());
    quint64 refusedUpTo = 0;
    for (const StreamEntry &entry : entries) {
        if (!entry.refusal.isEmpty()) {
            // Lost, as if Redis had lost it: a resume from before it is told so.
            qCWarning(lcServer, "%s",
                      qUtf8Printable(ServerLog::tr("cluster: entry %1 of the room's stream is not a message "
                                                   "(%2); left out, and a resume from before it is told "
                                                   "that history is not complete")
                                             .arg(QString::number(entry.message.id), entry.refusal)));
            refusedUpTo = entry.message.id;
            continue;
        }
        if (entry.seq != 0 && !entry.origin.isEmpty()) {
            // Each server's numbers enter the stream once and in order, as long as Redis keeps
            // them: one at or below a number delivered here is a message published again
            // after Redis came back empty (its reply had been lost), delivered here already
            // under its first id.
            quint64 &last = m_originSeq[entry.origin];
            if (entry.seq <= last) {
                qCWarning(lcServer, "%s",
                          qUtf8Printable(ServerLog::tr("cluster: message %1 was published before (server %2, "
                                                       "number %3); left out")
                                                 .arg(entry.message.id)
                                                 .arg(entry.origin)
                                                 .arg(entry.seq)));
                continue;
            }
            last = entry.seq;
            m_recentOrigins.push_back({ entry.message.id, entry.origin, entry.seq });
            if (m_recentOrigins.size() > size_t(ChatLimits::clusterStreamLength))
                m_recentOrigins.pop_front();
        }
        messages.append(entry.message);
    }
    if (!entries.isEmpty())
        m_emittedId = qMax(m_emittedId, entries.constLast().message.id);
    // One entry per server that ever published (a restarted server has a new id): those
    // no longer among the recent messages are forgotten now and then.
    if (m_originSeq.size() > 1024) {
        QSet<QString> recent;
        for (const Origin &origin : m_recentOrigins)
            recent.insert(origin.origin);
        m_originSeq.removeIf([&recent](const auto &it) { return !recent.contains(it.key()); });
    }
    if (!messages.isEmpty())
        Q_EMIT messagesArrived(messages);
    if (refusedUpTo > m_missingUpTo) {
        m_missingUpTo = refusedUpTo;
        Q_EMIT messagesLost(refusedUpTo);
    }
    if (!m_catchUps.empty())
        settleCatchUps();
}

void ClusterLink::afterCatchingUp(std::function<void()> done)
{
    CatchUp catchUp;
    catchUp.done = std::move(done);
    catchUp.clock.start();
    m_catchUps.push_back(std::move(catchUp));
    askCatchUpHeads();
}

void ClusterLink::askCatchUpHeads()
{
    // The stream's head is asked for when Redis is there and this server is not holding a new
    // epoch back (its head then says nothing of what this server still lacks).
    if (!m_healthy || m_holding || m_catchUpAsked)
        return;
    bool unknown = false;
    for (CatchUp &catchUp : m_catchUps) {
        if (!catchUp.known && !catchUp.asked) {
            catchUp.asked = true;
            unknown = true;
        }
    }
    if (!unknown)
        return;
    m_catchUpAsked = true;
    m_commands->command(
            { "XREVRANGE", key("messages"), "+", "-", "COUNT", "1" }, [this](const RedisReply &reply) {
                m_catchUpAsked = false;
                const bool answered = reply.type == RedisReply::Type::Array;
                // An empty stream: nothing to wait for (the head is "0", reached by everyone).
                const quint64 head =
                        answered && !reply.elements.isEmpty()
                                ? streamNumber(reply.elements.constFirst().elements.value(0).string)
                                : 0;
                for (CatchUp &catchUp : m_catchUps) {
                    if (!catchUp.asked || catchUp.known)
                        continue;
                    catchUp.asked = answered;
                    catchUp.known = answered;
                    catchUp.head = head;
                }
                settleCatchUps();
                askCatchUpHeads();
            });
}

void ClusterLink::settleCatchUps()
{
    // Those whose head is delivered, or that waited as long as they may (Redis away, a hold
    // that does not end); done may ask again, so the list is taken first.
    std::deque<CatchUp> waiting;
    std::vector<std::function<void()>> ready;
    for (CatchUp &catchUp : m_catchUps) {
        if ((catchUp.known && !m_holding && catchUp.head <= m_emittedId) ||
            catchUp.clock.hasExpired(ChatLimits::clusterCatchUpWaitMs))
            ready.push_back(std::move(catchUp.done));
        else
            waiting.push_back(std::move(catchUp));
    }
    m_catchUps = std::move(waiting);
    for (const std::function<void()> &done : ready)
        done();
}

QList<ClusterLink::StreamEntry> ClusterLink::entriesOf(const QList<RedisReply> &entries, quint64 after) const
{
    QList<StreamEntry> messages;
    for (const RedisReply &entry : entries) {
        const quint64 id = streamNumber(entry.elements.value(0).string);
        if (id <= after)
            continue;
        after = id;
        QHash<QByteArray, QByteArray> fields;
        const QList<RedisReply> &values = entry.elements.value(1).elements;
        for (qsizetype i = 0; i + 1 < values.size(); i += 2)
            fields.insert(values.at(i).string, values.at(i + 1).string);
        StreamEntry streamEntry;
        ChatMessage &message = streamEntry.message;
        message.id = id;
        message.time = QDateTime::fromMSecsSinceEpoch(fields.value("time").toLongLong(), Qt::UTC);
        message.from = QString::fromUtf8(fields.value("from"));
        message.text = QString::fromUtf8(fields.value("text"));
        message.kind = ChatMessage::kindFromNumber(fields.value("kind").toLongLong());
        message.room = QString::fromUtf8(fields.value("room"));
        message.to = QString::fromUtf8(fields.value("to"));
        message.fromIdentity = QByteArray::fromHex(fields.value("fid"));
        message.toIdentity = QByteArray::fromHex(fields.value("tid"));
        if (const QString cid = QString::fromLatin1(fields.value("cid")); ChatMessage::isValidClientId(cid))
            message.clientId = cid;
        // An IRC client's client-only tags, for the IRC clients of every server.
        message.clientTags = QString::fromUtf8(fields.value("tags"));
        // A server of the one-room version: its messages are the default room's.
        if (message.room.isEmpty() && message.to.isEmpty())
            message.room = m_defaultRoom;
        // Redis is trusted, but what was written into it by hand is not delivered: the id
        // stays taken (every server skips it alike), and who published it is not believed.
        streamEntry.refusal = refusalOf(message, fields.value("time"), fields.value("cid"),
                                        fields.value("fid"), fields.value("tid"), fields.value("text"));
        if (streamEntry.refusal.isEmpty()) {
            streamEntry.origin = QString::fromUtf8(fields.value("origin"));
            streamEntry.seq = fields.value("seq").toULongLong();
        }
        messages.append(streamEntry);
    }
    return messages;
}

QStringList ClusterLink::liveServerNames() const
{
    QStringList names;
    for (const QString &id : m_liveServers)
        names.append(m_serverNames.value(id, id));
    return names;
}

void ClusterLink::heartbeat()
{
    if (!m_catchUps.empty()) {
        settleCatchUps();
        askCatchUpHeads();
    }
    if (!m_commands->isConnected() || !m_prepared)
        return;
    // While it repairs, what it lacks is being asked for, not lost (yet).
    if (!m_holding)
        checkEpoch();
    answerRepairs();
    // A Redis that is there but does not answer (frozen, swapping) is as good as away: the
    // clients are told, and what they say waits. One heartbeat at a time meanwhile; its
    // answer ends it.
    if (m_heartbeatClock.isValid()) {
        if (!m_stalled && m_heartbeatClock.hasExpired(ChatLimits::clusterServerTimeoutMs)) {
            m_stalled = true;
            updateHealth();
        }
        return;
    }
    m_heartbeatClock.start();
    QList<QByteArray> command{ "EVAL",
                               heartbeatScript,
                               "3",
                               key("alive:"),
                               key("servers"),
                               key("users:"),
                               m_serverId.toUtf8(),
                               QByteArray::number(ChatLimits::clusterServerTimeoutMs),
                               (m_serverName.isEmpty() ? m_serverId : m_serverName).toUtf8() };
    if (m_localUsers) {
        for (const OnlineUser &user : m_localUsers()) {
            // "since<TAB>room<TAB>room...": a one-room server sends only the time.
            command.append(user.nick.toUtf8());
            QByteArray value = QByteArray::number(user.since.toMSecsSinceEpoch());
            for (const QString &room : user.rooms)
                value += '\t' + room.toUtf8();
            command.append(value);
        }
    }
    m_commands->command(command, [this](const RedisReply &reply) {
        m_heartbeatClock.invalidate();
        if (m_stalled) {
            m_stalled = false;
            updateHealth();
        }
        if (reply.type != RedisReply::Type::Array)
            return;
        QStringList live;
        QHash<QString, OnlineUser> remote;
        QHash<QString, QString> owners;
        QHash<QString, QString> keys;
        for (const RedisReply &server : reply.elements) {
            const QString id = QString::fromUtf8(server.elements.value(0).string);
            const QString name = QString::fromUtf8(server.elements.value(1).string);
            live.append(id);
            m_serverNames.insert(id, name);
            if (id == m_serverId)
                continue;
            for (qsizetype i = 2; i + 1 < server.elements.size(); i += 2) {
                OnlineUser user;
                user.nick = QString::fromUtf8(server.elements.at(i).string);
                const QList<QByteArray> fields = server.elements.at(i + 1).string.split('\t');
                user.since = QDateTime::fromMSecsSinceEpoch(fields.constFirst().toLongLong(), Qt::UTC);
                for (qsizetype field = 1; field < fields.size(); ++field)
                    user.rooms.append(QString::fromUtf8(fields.at(field)));
                if (user.rooms.isEmpty())
                    user.rooms.append(m_defaultRoom);
                user.server = name;
                const QStringList nickKeys = NickRules::keys(user.nick);
                const QString &nickKey = nickKeys.constFirst();
                // Two servers that gave one nick away in the same moment: the smaller id keeps
                // it (ChatServer renames its own), and everyone sees that one.
                if (owners.contains(nickKey) && owners.value(nickKey) < id)
                    continue;
                owners.insert(nickKey, id);
                remote.insert(nickKey, user);
                for (const QString &key : nickKeys)
                    keys.insert(key, nickKey);
            }
        }
        if (m_regatherClock.isValid() && !m_regatherClock.hasExpired(ChatLimits::clusterServerTimeoutMs)) {
            for (auto it = m_remoteUsers.cbegin(); it != m_remoteUsers.cend(); ++it) {
                const QString server = m_remoteOwners.value(it.key());
                if (live.contains(server) || remote.contains(it.key()))
                    continue;
                remote.insert(it.key(), *it);
                owners.insert(it.key(), server);
                for (const QString &key : NickRules::keys(it->nick))
                    keys.insert(key, it.key());
            }
        } else {
            m_regatherClock.invalidate();
        }
        live.sort();
        if (live != m_liveServers) {
            m_liveServers = live;
            Q_EMIT liveServersChanged(live);
        }
        if (m_holding)
            m_holdHeard = true;
        QList<OnlineUser> joined, left;
        QList<RoomChange> moves;
        for (auto it = remote.cbegin(); it != remote.cend(); ++it) {
            const auto before = m_remoteUsers.constFind(it.key());
            if (before == m_remoteUsers.cend() || before->server != it->server) {
                joined.append(*it);
                continue;
            }
            // The same person on the same server: which rooms they joined or left since.
            for (const QString &room : it->rooms) {
                if (!before->rooms.contains(room))
                    moves.append({ *it, room, true });
            }
            for (const QString &room : before->rooms) {
                if (!it->rooms.contains(room))
                    moves.append({ *it, room, false });
            }
        }
        for (auto it = m_remoteUsers.cbegin(); it != m_remoteUsers.cend(); ++it) {
            const auto now = remote.constFind(it.key());
            if (now == remote.cend() || now->server != it->server)
                left.append(*it);
        }
        const bool quiet = m_viewFresh;
        m_viewFresh = false;
        m_remoteUsers = remote;
        m_remoteOwners = owners;
        m_remoteKeys = keys;
        m_remoteInRoom.clear();
        for (const OnlineUser &user : std::as_const(m_remoteUsers)) {
            for (const QString &room : user.rooms)
                ++m_remoteInRoom[room];
        }
        if (!joined.isEmpty() || !left.isEmpty() || quiet)
            Q_EMIT remoteUsersChanged(joined, left, quiet);
        if (!moves.isEmpty() && !quiet)
            Q_EMIT remoteRoomsChanged(moves);
    });
}

void ClusterLink::checkEpoch()
{
    m_commands->command({ "MGET", key("epoch"), key("reached") }, [this](const RedisReply &reply) {
        if (reply.type != RedisReply::Type::Array || reply.elements.size() != 2)
            return;
        const quint64 epoch = reply.elements.at(0).string.toULongLong();
        const quint64 reached = reply.elements.at(1).string.toULongLong();
        const quint64 stride = ChatLimits::clusterIdEpochStride;
        if (epoch == 0 || epoch % stride != 0)
            return;
        // What this server had of the epoch before: up to its last id below the new one.
        const quint64 had = m_lastBeforeEpoch.value(epoch / stride,
                                                    m_lastDeliveredId < epoch ? m_lastDeliveredId : reached);
        if (reached > had && reached > m_missingUpTo) {
            m_missingUpTo = reached;
            // A server that joined with no history of its own lost nothing; its history just
            // begins with this epoch.
            if (had == 0)
                qCInfo(lcServer, "%s",
                       qUtf8Printable(ServerLog::tr("cluster: this server's history begins with the "
                                                    "cluster's epoch at %1; a resume from before it is "
                                                    "told that history is not complete")
                                              .arg(epoch)));
            else
                qCWarning(
                        lcServer, "%s",
                        qUtf8Printable(ServerLog::tr("cluster: Redis came back empty before this server had "
                                                     "read messages %1 to %2; they are lost here, and a "
                                                     "resume from before them is told so")
                                               .arg(had + 1)
                                               .arg(reached)));
            Q_EMIT messagesLost(reached);
        }
    });
}

void ClusterLink::startHold(const QStringList &peers)
{
    m_holding = true;
    m_holdHeard = false;
    m_holdClock.start();
    m_holdPeers = peers;
    m_holdPeers.removeAll(m_serverId);
    m_holdHad = m_lastDeliveredId;
    m_held.clear();
    m_wantedUpTo = 0;
    m_repairQueryOut = false;
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("cluster: Redis came back empty; holding the room's new messages "
                                        "back until this server has everything up to %1 and what the "
                                        "other servers had read")
                                  .arg(m_holdHad)));
    m_repairTimer.start();
}

void ClusterLink::repairStep()
{
    if (!m_holding || m_repairQueryOut || !m_commands->isConnected() || !m_prepared)
        return;
    const bool late = m_holdClock.hasExpired(ChatLimits::clusterRepairWaitMs);
    if (m_wantedUpTo == 0) {
        // First the servers that were there before come back (each raises "reached" as it
        // does), for at most a heartbeat timeout: then what the cluster had is known.
        // Back means in a heartbeat answer of the new Redis: before the first one, the live
        // servers are still those of the old one, and "reached" does not have their part yet.
        const bool peersBack =
                m_holdHeard && std::all_of(m_holdPeers.cbegin(), m_holdPeers.cend(),
                                           [this](const QString &id) { return m_liveServers.contains(id); });
        if (!peersBack && !m_holdClock.hasExpired(ChatLimits::clusterServerTimeoutMs) && !late)
            return;
        m_repairQueryOut = true;
        m_commands->command({ "GET", key("reached") }, [this](const RedisReply &reply) {
            m_repairQueryOut = false;
            if (!m_holding || reply.isError() || reply.type == RedisReply::Type::Disconnected)
                return;
            const quint64 reached = reply.string.toULongLong();
            const quint64 stride = ChatLimits::clusterIdEpochStride;
            // Only ids of the epoch this server was in; one it never reached is not asked for.
            if (reached <= m_holdHad || reached / stride != m_holdHad / stride) {
                releaseHold({}, m_holdHad);
                return;
            }
            m_wantedUpTo = qMin(reached, m_holdHad + quint64(ChatLimits::clusterRepairMax));
            const QByteArray me = m_serverId.toUtf8();
            m_commands->command({ "DEL", key("repair:") + me, key("repaired:") + me });
            m_commands->command({ "SET", key("want:") + me,
                                  QByteArray::number(m_holdHad) + ' ' + QByteArray::number(m_wantedUpTo),
                                  "PX", QByteArray::number(repairKeepMs) });
            m_commands->command({ "SADD", key("wants"), me });
            qCInfo(lcServer, "%s",
                   qUtf8Printable(ServerLog::tr("cluster: asking the other servers for messages %1 to %2, "
                                                "which Redis lost before this server had read them")
                                          .arg(m_holdHad + 1)
                                          .arg(m_wantedUpTo)));
            Q_EMIT repairStarted(m_holdHad, m_wantedUpTo);
        });
        return;
    }
    m_repairQueryOut = true;
    m_commands->command(
            { "GET", key("repaired:") + m_serverId.toUtf8() }, [this, late](const RedisReply &reply) {
                m_repairQueryOut = false;
                if (!m_holding || reply.isError() || reply.type == RedisReply::Type::Disconnected)
                    return;
                const quint64 covered = qMin(reply.string.toULongLong(), m_wantedUpTo);
                if (covered < m_wantedUpTo && !late)
                    return;
                m_repairQueryOut = true;
                m_commands->command({ "XRANGE", key("repair:") + m_serverId.toUtf8(), "-", "+", "COUNT",
                                      QByteArray::number(ChatLimits::clusterRepairMax) },
                                    [this, covered](const RedisReply &range) {
                                        m_repairQueryOut = false;
                                        if (!m_holding || range.type != RedisReply::Type::Array)
                                            return;
                                        QList<StreamEntry> repaired = entriesOf(range.elements, m_holdHad);
                                        repaired.erase(std::remove_if(repaired.begin(), repaired.end(),
                                                                      [covered](const StreamEntry &entry) {
                                                                          return entry.message.id > covered;
                                                                      }),
                                                       repaired.end());
                                        releaseHold(repaired, covered);
                                    });
            });
}

void ClusterLink::releaseHold(const QList<StreamEntry> &repaired, quint64 coveredUpTo)
{
    m_holding = false;
    m_repairTimer.stop();
    const quint64 after = m_holdHad;
    const quint64 wanted = m_wantedUpTo;
    if (wanted != 0) {
        const QByteArray me = m_serverId.toUtf8();
        m_commands->command({ "DEL", key("want:") + me, key("repair:") + me, key("repaired:") + me });
        m_commands->command({ "SREM", key("wants"), me });
    }
    // What this server has of the epoch before now ends at coveredUpTo; checkEpoch says if
    // the cluster had more.
    const quint64 stride = ChatLimits::clusterIdEpochStride;
    const quint64 epochIndex = after / stride + 1;
    m_lastBeforeEpoch.insert(epochIndex, qMax(m_lastBeforeEpoch.value(epochIndex, after), coveredUpTo));
    QList<StreamEntry> entries = repaired;
    for (const StreamEntry &entry : repaired) {
        m_lastDeliveredId = qMax(m_lastDeliveredId, entry.message.id);
        // This server's own, published before Redis lost them: not published again.
        if (entry.origin == m_serverId)
            m_readSeq = qMax(m_readSeq, entry.seq);
    }
    entries += m_held;
    m_held.clear();
    m_holdPeers.clear();
    if (wanted != 0) {
        const QString text = ServerLog::tr("cluster: %n message(s) of those Redis lost came from the other "
                                           "servers (%1 to %2 asked for)",
                                           nullptr, int(repaired.size()))
                                     .arg(after + 1)
                                     .arg(wanted);
        if (coveredUpTo < wanted)
            qCWarning(lcServer, "%s", qUtf8Printable(text));
        else
            qCInfo(lcServer, "%s", qUtf8Printable(text));
        Q_EMIT repairFinished(after, wanted, int(repaired.size()));
        // What did not come is missing here (said now: Redis may have lost the marks of that
        // epoch too by the next heartbeat).
        if (coveredUpTo < wanted && wanted > m_missingUpTo) {
            m_missingUpTo = wanted;
            Q_EMIT messagesLost(wanted);
        }
    }
    // The repaired ones first, in id order; then the new epoch's, less what its servers
    // published again of the repaired ones.
    deliver(entries);
    checkEpoch();
    readNext();
    scheduleSend();
    askCatchUpHeads();
}

void ClusterLink::answerRepairs()
{
    if (!m_historySource)
        return;
    const auto answer = [this](const RedisReply &reply) {
        if (reply.type != RedisReply::Type::Array)
            return;
        // Each request is answered once; those gone are forgotten. Only live servers ask
        // (a holding server goes on with its heartbeat), and at most one new answer per
        // live server goes out per heartbeat.
        QHash<QString, QByteArray> answered;
        int newAnswers = 0;
        for (const RedisReply &want : reply.elements) {
            const QString id = QString::fromUtf8(want.elements.value(0).string);
            const QByteArray request = want.elements.value(1).string;
            if (id == m_serverId || !m_liveServers.contains(id))
                continue;
            if (m_answered.value(id) == request) {
                answered.insert(id, request);
                continue;
            }
            const QList<QByteArray> bounds = request.split(' ');
            const quint64 after = bounds.value(0).toULongLong();
            const quint64 upTo = bounds.value(1).toULongLong();
            const quint64 stride = ChatLimits::clusterIdEpochStride;
            if (bounds.size() != 2 || upTo <= after || upTo - after > quint64(ChatLimits::clusterRepairMax) ||
                after / stride != upTo / stride)
                continue;
            // What this server had of that epoch: it read up to here before the next began.
            const quint64 epochIndex = upTo / stride + 1;
            const quint64 had = m_lastBeforeEpoch.value(
                    epochIndex, m_lastDeliveredId / stride < epochIndex ? m_lastDeliveredId : 0);
            const quint64 covered = qMin(had, upTo);
            if (covered <= after || newAnswers >= m_liveServers.size())
                continue;
            ++newAnswers;
            answered.insert(id, request);
            const QList<ChatMessage> messages = m_historySource(after, covered, int(covered - after));
            if (messages.isEmpty())
                continue;
            // In calls of publishBatch messages each, each saying how far it covers: up to its
            // last message (the asking server waits for the whole range, or takes what came).
            const QByteArray target = id.toUtf8();
            qsizetype sent = 0;
            do {
                const qsizetype count = qMin<qsizetype>(publishBatch, messages.size() - sent);
                QList<QByteArray> command{ "EVAL",
                                           repairScript,
                                           "2",
                                           key("repair:") + target,
                                           key("repaired:") + target,
                                           QByteArray::number(messages.at(sent + count - 1).id),
                                           QByteArray::number(repairKeepMs) };
                for (qsizetype i = sent; i < sent + count; ++i) {
                    const ChatMessage &message = messages.at(i);
                    // Who published it, while this server still knows (the recent ones).
                    const auto origin = std::lower_bound(
                            m_recentOrigins.cbegin(), m_recentOrigins.cend(), message.id,
                            [](const Origin &known, quint64 wanted) { return known.id < wanted; });
                    const bool known = origin != m_recentOrigins.cend() && origin->id == message.id;
                    const QList<QByteArray> fields = streamFields(message, known ? origin->origin : QString(),
                                                                  known ? origin->seq : 0);
                    command << QByteArray::number(message.id) << QByteArray::number(fields.size()) << fields;
                }
                m_commands->command(command);
                sent += count;
            } while (sent < messages.size());
            qCInfo(lcServer, "%s",
                   qUtf8Printable(
                           ServerLog::tr("cluster: gave server %1 %n message(s) that Redis lost before it "
                                         "had read them",
                                         nullptr, int(messages.size()))
                                   .arg(id)));
        }
        m_answered = answered;
    };
    m_commands->command({ "EVAL", wantsScript, "2", key("wants"), key("want:") }, answer);
}

const OnlineUser *ClusterLink::remoteHolder(const QString &nick) const
{
    for (const QString &key : NickRules::keys(nick)) {
        const auto primary = m_remoteKeys.constFind(key);
        if (primary == m_remoteKeys.cend())
            continue;
        const auto user = m_remoteUsers.constFind(*primary);
        if (user != m_remoteUsers.cend())
            return &*user;
    }
    return nullptr;
}

QString ClusterLink::remoteOwner(const QString &nick) const
{
    const OnlineUser *holder = remoteHolder(nick);
    return holder ? m_remoteOwners.value(NickRules::key(holder->nick)) : QString();
}

QString ClusterLink::remoteOwnerNick(const QString &nick) const
{
    const OnlineUser *holder = remoteHolder(nick);
    return holder ? holder->nick : QString();
}
