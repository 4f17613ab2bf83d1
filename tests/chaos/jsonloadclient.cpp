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
    : QObject(parent),
      m_index(index),
      m_prefix(QStringLiteral("c%1-").arg(index)),
      m_random(seed),
      m_proxyPorts(proxyPorts),
      m_randomDrops(randomDrops),
      m_timeline(timeline)
{
    m_record.name = QStringLiteral("c%1").arg(index);
    m_record.json = true;
    for (int i = 0; i < 4; ++i)
        m_identity += QString::number(m_random.generate64(), 16).rightJustified(16, u'0');
    m_sendTimer.setSingleShot(true);
    connect(&m_sendTimer, &QTimer::timeout, this, &JsonLoadClient::sendNext);
    m_keepAliveTimer.setInterval(1000);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &JsonLoadClient::keepAlive);
    m_dropTimer.setSingleShot(true);
    connect(&m_dropTimer, &QTimer::timeout, this, [this] { drop(QStringLiteral("a random drop")); });
    m_resendTimer.setSingleShot(true);
    connect(&m_resendTimer, &QTimer::timeout, this, [this] {
        for (const QString &key : std::as_const(m_record.sendOrder)) {
            if (!m_record.sent.value(key).acked)
                sendKey(key);
        }
    });
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this,
            [this] { connectTo(m_random.bounded(int(m_proxyPorts.size()))); });
}

JsonLoadClient::~JsonLoadClient() = default;

void JsonLoadClient::start()
{
    connectTo(m_index % int(m_proxyPorts.size()));
    m_keepAliveTimer.start();
}

void JsonLoadClient::stopSending()
{
    m_sending = false;
    m_dropTimer.stop();
}

int JsonLoadClient::unacknowledged() const
{
    int count = 0;
    for (const ClientRecord::Send &send : m_record.sent)
        count += send.acked ? 0 : 1;
    return count;
}

void JsonLoadClient::connectTo(int server)
{
    if (m_finishing)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    m_server = server;
    m_welcomed = false;
    m_connectedAt = m_timeline->now();
    m_lastHeard = m_connectedAt;
    ++m_record.connections;
    m_socket = new QTcpSocket(this);
    QTcpSocket *socket = m_socket;
    connect(socket, &QTcpSocket::connected, this, [this, socket] {
        QJsonObject hello{ { QStringLiteral("type"), QStringLiteral("hello") },
                           { QStringLiteral("version"), 2 },
                           { QStringLiteral("identity"), m_identity } };
        if (m_useNick)
            hello.insert(QStringLiteral("nick"), m_record.name);
        if (m_lastId > 0)
            hello.insert(QStringLiteral("since"), m_lastId);
        if (!m_token.isEmpty())
            hello.insert(QStringLiteral("token"), m_token);
        socket->write(QJsonDocument(hello).toJson(QJsonDocument::Compact) + '\n');
    });
    connect(socket, &QTcpSocket::readyRead, this, &JsonLoadClient::readLines);
    connect(socket, &QTcpSocket::disconnected, this, [this] { drop(QStringLiteral("connection closed")); });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        if (socket->error() != QAbstractSocket::RemoteHostClosedError)
            drop(socket->errorString());
    });
    m_timeline->detail(QStringLiteral("%1 connects to server %2 (connection %3, since %4)")
                               .arg(m_record.name)
                               .arg(server + 1)
                               .arg(m_record.connections)
                               .arg(m_lastId),
                       m_record.name);
    socket->connectToHost(QHostAddress::LocalHost, m_proxyPorts.at(server));
}

void JsonLoadClient::drop(const QString &why)
{
    if (m_finishing || !m_socket)
        return;
    m_timeline->detail(QStringLiteral("%1 loses server %2: %3").arg(m_record.name).arg(m_server + 1).arg(why),
                       m_record.name);
    m_socket->disconnect(this);
    m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
    m_welcomed = false;
    m_sendTimer.stop();
    m_dropTimer.stop();
    m_resendTimer.stop();
    reconnectSoon();
}

void JsonLoadClient::reconnectSoon()
{
    m_reconnectTimer.start(200 + m_random.bounded(1000));
}

void JsonLoadClient::write(const QByteArray &line)
{
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->write(line + '\n');
}

void JsonLoadClient::readLines()
{
    QTcpSocket *socket = m_socket;
    while (socket && socket == m_socket && socket->canReadLine()) {
        const QByteArray line = socket->readLine().trimmed();
        m_lastHeard = m_timeline->now();
        if (line.startsWith('{'))
            handle(QJsonDocument::fromJson(line).object());
    }
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
            m_sendTimer.start(m_random.bounded(300));
            if (m_randomDrops)
                m_dropTimer.start(4000 + m_random.bounded(11000));
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
    auto it = m_record.sent.find(key);
    if (it == m_record.sent.end() || it->acked)
        return;
    it->acked = true;
    it->ackedBy = by;
    it->ackedId = id;
    it->ackedMs = m_timeline->now();
    if (m_sending && m_welcomed && !m_sendTimer.isActive())
        m_sendTimer.start(100 + m_random.bounded(300));
}

void JsonLoadClient::sendNext()
{
    if (!m_sending || !m_welcomed)
        return;
    if (unacknowledged() < maxUnacknowledged) {
        const QString key = m_prefix + QString::number(++m_counter);
        ClientRecord::Send send;
        send.key = key;
        send.firstSentMs = m_timeline->now();
        m_record.sent.insert(key, send);
        m_record.sendOrder.append(key);
        sendKey(key);
    }
    m_sendTimer.start(100 + m_random.bounded(300));
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
    m_finishing = true;
    m_sending = false;
    m_sendTimer.stop();
    m_keepAliveTimer.stop();
    m_dropTimer.stop();
    m_resendTimer.stop();
    m_reconnectTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
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
