#include "jsonloadclient.h"

#include "historyfetcher.h"
#include "timeline.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

constexpr int maxUnacknowledged = 2;
constexpr int silenceLimitMs = 5000; // no pong this long: the server is gone, go elsewhere

} // namespace

JsonLoadClient::JsonLoadClient(int index, quint32 seed, const QList<quint16> &proxyPorts, bool randomDrops,
                               Timeline *timeline, QObject *parent)
    : LoadConnection(u'c', index, true, seed, proxyPorts, randomDrops, timeline, parent), m_index(index)
{
    m_record.json = true;
    for (int i = 0; i < 4; ++i)
        m_identity += QString::number(m_random.generate64(), 16).rightJustified(16, u'0');
    m_keepAliveTimer.setInterval(1000);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &JsonLoadClient::keepAlive);
    m_resendTimer.setSingleShot(true);
    connect(&m_resendTimer, &QTimer::timeout, this, [this] {
        for (const QString &key : std::as_const(m_record.sendOrder)) {
            if (!m_record.sent.value(key).acked)
                sendKey(key);
        }
    });
}

JsonLoadClient::~JsonLoadClient() = default;

void JsonLoadClient::start()
{
    connectTo(m_index % int(m_proxyPorts.size()));
    m_keepAliveTimer.start();
}

void JsonLoadClient::beginConnection()
{
    m_welcomed = false;
    m_lastHeard = m_timeline->now();
}

QString JsonLoadClient::connectionDetail() const
{
    return QStringLiteral("connection %1, since %2").arg(m_record.connections).arg(m_lastId);
}

void JsonLoadClient::greet()
{
    QJsonObject hello{ { QStringLiteral("type"), QStringLiteral("hello") },
                       { QStringLiteral("version"), 2 },
                       { QStringLiteral("identity"), m_identity } };
    if (m_useNick)
        hello.insert(QStringLiteral("nick"), m_record.name);
    if (m_lastId > 0)
        hello.insert(QStringLiteral("since"), m_lastId);
    if (!m_token.isEmpty())
        hello.insert(QStringLiteral("token"), m_token);
    m_socket->write(QJsonDocument(hello).toJson(QJsonDocument::Compact) + '\n');
}

void JsonLoadClient::lost(const QString &)
{
    m_welcomed = false;
    m_resendTimer.stop();
    reconnectIn(200, 1000);
}

void JsonLoadClient::write(const QByteArray &line)
{
    if (isConnected())
        m_socket->write(line + '\n');
}

void JsonLoadClient::handleLine(const QByteArray &line)
{
    const QByteArray trimmed = line.trimmed();
    m_lastHeard = m_timeline->now();
    if (trimmed.startsWith('{'))
        handle(QJsonDocument::fromJson(trimmed).object());
}

void JsonLoadClient::handle(const QJsonObject &object)
{
    const QString type = object.value(u"type").toString();
    if (type == u"welcome") {
        m_welcomed = true;
        m_useNick = true;
        m_token = object.value(u"token").toString();
        if (m_lastId > 0 && !object.value(u"historyComplete").toBool(true))
            m_record.incomplete.append({ m_lastId, m_record.connections });
        for (const QJsonValue &value : object.value(u"history").toArray())
            handleMessage(value.toObject(), true);
        // What the resumed history does not show is sent again, with the same cid.
        for (const QString &key : std::as_const(m_record.sendOrder)) {
            if (!m_record.sent.value(key).acked)
                sendKey(key);
        }
        if (m_sending) {
            sendIn(0, 300);
            dropIn(4000, 11000);
        }
    } else if (type == u"message") {
        handleMessage(object, false);
    } else if (type == u"sent") {
        // A resend of a cid the server has: its id, or none yet while the first copy is on its
        // way through the cluster (its echo will come; until then it stays unacknowledged).
        const qint64 id = object.value(u"id").toInteger(0);
        if (id > 0)
            acknowledge(object.value(u"cid").toString(), id, QStringLiteral("sent"));
    } else if (type == u"status") {
        m_timeline->detail(QStringLiteral("%1: status from server %2: %3")
                                   .arg(m_record.name)
                                   .arg(m_server + 1)
                                   .arg(object.value(u"text").toString()),
                           m_record.name);
    } else if (type == u"ping") {
        write(R"({"type":"pong"})");
    } else if (type == u"error") {
        const QString code = object.value(u"code").toString();
        const QString text = object.value(u"text").toString();
        if (code == u"bad-field" && text.contains(u"cid") && m_useCid) {
            // A server without cids: the requests that carried one were refused, all of them.
            m_useCid = false;
            m_record.cidRefused = true;
            m_timeline->note(QStringLiteral("%1: server %2 refuses the cid field (%3); sending without it")
                                     .arg(m_record.name)
                                     .arg(m_server + 1)
                                     .arg(text));
            for (const QString &key : std::as_const(m_record.sendOrder)) {
                if (!m_record.sent.value(key).acked)
                    sendKey(key);
            }
        } else if (code == u"unavailable") {
            // Not posted: too much waits for the cluster. Everything unacknowledged goes again
            // in a while (safe with cids; without, it cannot be told which one was refused).
            if (m_useCid && !m_resendTimer.isActive())
                m_resendTimer.start(1000);
        } else if (code == u"nick-taken" || code == u"invalid-nick") {
            m_useNick = false; // the next hello goes without a nick
        } else if (!(code == u"bad-field" && text.contains(u"cid"))) {
            m_timeline->detail(QStringLiteral("%1: error %2: %3").arg(m_record.name, code, text),
                               m_record.name);
        }
    }
}

void JsonLoadClient::handleMessage(const QJsonObject &message, bool replay)
{
    if (message.value(u"type").toString() != u"message")
        return;
    ClientRecord::Seen seen;
    seen.id = message.value(u"id").toInteger(-1);
    seen.key = ClientRecord::keyOf(message.value(u"text").toString());
    seen.cid = message.value(u"cid").toString();
    if (seen.key.isEmpty()) {
        ++m_record.foreign;
        return;
    }
    seen.atMs = m_timeline->now();
    seen.connection = m_record.connections;
    seen.server = m_server;
    seen.replay = replay;
    m_record.seen.append(seen);
    m_lastId = qMax(m_lastId, seen.id);
    const QString key = seen.cid.isEmpty() ? seen.key : seen.cid;
    if (key.startsWith(m_prefix))
        acknowledge(key, seen.id, QStringLiteral("echo"));
}

void JsonLoadClient::acknowledge(const QString &key, qint64 id, const QString &by)
{
    if (markAcknowledged(key, id, by, m_timeline->now()) && m_sending && m_welcomed &&
        !m_sendTimer.isActive())
        sendIn(100, 300);
}

void JsonLoadClient::sendNext()
{
    if (!m_sending || !m_welcomed)
        return;
    if (unacknowledged() < maxUnacknowledged)
        sendKey(addSend(0));
    sendIn(100, 300);
}

void JsonLoadClient::sendKey(const QString &key)
{
    if (!m_welcomed)
        return;
    QJsonObject say{ { QStringLiteral("type"), QStringLiteral("say") }, { QStringLiteral("text"), key } };
    if (m_useCid)
        say.insert(QStringLiteral("cid"), key);
    ++m_record.sent[key].attempts;
    write(QJsonDocument(say).toJson(QJsonDocument::Compact));
}

void JsonLoadClient::keepAlive()
{
    if (m_finishing || !m_socket)
        return;
    const qint64 now = m_timeline->now();
    if (now - m_lastHeard > silenceLimitMs) {
        drop(m_welcomed ? QStringLiteral("no answer for %1 s").arg(silenceLimitMs / 1000)
                        : QStringLiteral("no welcome within %1 s").arg(silenceLimitMs / 1000));
        return;
    }
    if (m_welcomed)
        write(R"({"type":"ping","token":")" + QByteArray::number(++m_pingCounter) + R"("})");
}

void JsonLoadClient::finish(const QList<quint16> &directPorts)
{
    stopForGood();
    m_keepAliveTimer.stop();
    m_resendTimer.stop();
    closeSocket();
    m_server = m_random.bounded(int(directPorts.size()));
    ++m_record.connections;
    QJsonObject hello{ { QStringLiteral("type"), QStringLiteral("hello") },
                       { QStringLiteral("version"), 2 },
                       { QStringLiteral("identity"), m_identity } };
    if (m_lastId > 0)
        hello.insert(QStringLiteral("since"), m_lastId);
    if (!m_token.isEmpty())
        hello.insert(QStringLiteral("token"), m_token);
    m_final = new HistoryFetcher(directPorts.at(m_server),
                                 QJsonDocument(hello).toJson(QJsonDocument::Compact), this);
    connect(m_final, &HistoryFetcher::finished, this, [this](bool ok) {
        if (m_lastId > 0 && !m_final->welcomeComplete())
            m_record.incomplete.append({ m_lastId, m_record.connections });
        for (const QJsonObject &message : m_final->welcomeHistory())
            handleMessage(message, true);
        m_record.finalFetched = ok;
        m_record.finalProblem = m_final->problem();
        for (const QJsonObject &message : m_final->messages()) {
            ClientRecord::Seen seen;
            seen.id = message.value(u"id").toInteger(-1);
            seen.key = ClientRecord::keyOf(message.value(u"text").toString());
            seen.cid = message.value(u"cid").toString();
            seen.server = m_server;
            if (seen.key.isEmpty())
                continue;
            seen.connection = m_record.connections;
            m_record.finalHistory.append(seen);
        }
        Q_EMIT finished();
    });
    m_final->start(30000);
}
