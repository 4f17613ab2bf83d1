// Several servers, one room: real groupchat servers (in this process) sharing a private
// redis-server on a free loopback port, with real clients on each.
#include "chatconnection.h"
#include "chatserver.h"
#include "clusterlink.h"
#include "expect.h"
#include "jsontext.h"
#include "redisclient.h"
#include "testclient.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <csignal>
#include <sys/types.h>

namespace {

// A JSON hello as nick: protocol version, resuming after since (-1: not resuming), with an
// identity (empty: none).
QByteArray hello(const QString &nick, int version = 1, qint64 since = -1, const QString &identity = QString())
{
    QJsonObject object{ { QStringLiteral("type"), QStringLiteral("hello") },
                        { QStringLiteral("version"), version },
                        { QStringLiteral("nick"), nick } };
    if (since >= 0)
        object.insert(QStringLiteral("since"), since);
    if (!identity.isEmpty())
        object.insert(QStringLiteral("identity"), identity);
    return json(object);
}

// (id, "from: text") of every message a JSON client has received, welcome history included.
QList<std::pair<qint64, QString>> messagesOf(const TestClient &client)
{
    QList<std::pair<qint64, QString>> messages;
    for (const QString &line : client.lines()) {
        const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
        QJsonArray list;
        if (object.value(u"type").toString() == u"message")
            list.append(object);
        else if (object.value(u"type").toString() == u"welcome")
            list = object.value(u"history").toArray();
        for (const QJsonValue &value : list)
            messages.append({ value.toObject().value(u"id").toInteger(),
                              value.toObject().value(u"from").toString() + u": " +
                                      value.toObject().value(u"text").toString() });
    }
    return messages;
}

} // namespace

class tst_Cluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void everyoneGetsEveryMessageInOneOrder();
    void resumeOnAnotherServer();
    void redisGoesAwayAndComesBack();
    void resendIsPostedOnceOnAnyServer();
    void resumeOnAServerThatIsBehind();
    void frozenRedisIsDegradedAndThenCaughtUp();
    void redisLostWhatAServerHadNotRead();
    void lostMessagesNobodyHasAreMarked();
    void handWrittenEntriesAreNotDelivered();
    void handWrittenIdDoesNotStopPublishing();
    void unusualTextsCrossTheCluster_data();
    void unusualTextsCrossTheCluster();
    void blankTextIsRefusedWhereItIsSent_data();
    void blankTextIsRefusedWhereItIsSent();
    void longestLinesCrossTheCluster_data();
    void longestLinesCrossTheCluster();
    void republishedWithoutClientIdIsLeftOut();
    void catchingUpWaitsForTheStream();
    void republishedMessageIsLeftOut();
    void deadServerIsNoticed();
    void nicksAndPeopleAreClusterWide();
    void roomsAcrossThreeServers();
    void clientMovesToTheNextServer();
    void ircAcrossServers();
    void ircPipelinedRegistrationKeepsItsCommands();
    void serverListIsParsed();

private:
    bool startRedis();
    void stopRedis();
    // A server of the cluster, listening on a free port (with a history database at
    // historyPath when given), with limits (flood control off).
    ChatServer *startServer(const QString &historyPath = QString(), ChatLimits limits = ChatLimits());
    // A JSON client on server as nick, welcomed (since: resume after that id).
    std::unique_ptr<TestClient> join(ChatServer *server, const QString &nick, qint64 since = -1);
    // Two servers of the cluster, alice on the first and bob on the second, and bob's "before"
    // delivered to alice. On failure the test has failed (QTest::currentTestFailed).
    struct Pair
    {
        ChatServer *first = nullptr;
        ChatServer *second = nullptr;
        std::unique_ptr<TestClient> alice;
        std::unique_ptr<TestClient> bob;
    };
    void aliceHearsBob(Pair *out);
    // What secondServerMisses leaves: bob, on the first server, and the second server's
    // history database (to start that server again with).
    struct Missed
    {
        QTemporaryDir dir;
        std::unique_ptr<TestClient> bob;
        QString secondHistory() const { return dir.filePath(QStringLiteral("second.sqlite")); }
    };
    // Two servers, the second keeping its history in a database: bob says "one", which both
    // deliver; the second server stops, bob says each of missed, and Redis restarts empty, so
    // that those are only on the first server (back in the cluster when this returns). On
    // failure the test has failed (QTest::currentTestFailed).
    void secondServerMisses(const QList<QByteArray> &missed, Missed *out);
    // Runs one command on the test's Redis; false when it did not answer (or with an error).
    bool redisCommand(const QList<QByteArray> &arguments);
    // Appends an entry written by hand (fields: field, value, ...) to the room's stream under
    // the cluster's next id, as whoever can write to Redis could; false as redisCommand.
    bool addByHand(const QList<QByteArray> &fields);

    QString m_redisBinary;
    quint16 m_redisPort = 0;
    std::unique_ptr<QProcess> m_redis;
    std::vector<std::unique_ptr<ChatServer>> m_servers;
};

void tst_Cluster::initTestCase()
{
    m_redisBinary = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (m_redisBinary.isEmpty())
        QSKIP("redis-server is not installed (Debian: redis-server; scripts/deps.sh installs it)");
}

bool tst_Cluster::startRedis()
{
    if (m_redisPort == 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_redisPort = probe.serverPort();
    }
    m_redis = std::make_unique<QProcess>();
    m_redis->setProcessChannelMode(QProcess::MergedChannels);
    // Private and forgetful: no persistence, no config file, loopback only.
    m_redis->start(m_redisBinary,
                   { QStringLiteral("--port"), QString::number(m_redisPort), QStringLiteral("--bind"),
                     QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                     QStringLiteral("--appendonly"), QStringLiteral("no") });
    if (!m_redis->waitForStarted(5000))
        return false;
    return QTest::qWaitFor(
            [this] {
                QTcpSocket socket;
                socket.connectToHost(QHostAddress::LocalHost, m_redisPort);
                return socket.waitForConnected(100);
            },
            5000);
}

void tst_Cluster::stopRedis()
{
    if (m_redis) {
        m_redis->kill();
        m_redis->waitForFinished(5000);
        m_redis.reset();
    }
}

void tst_Cluster::init()
{
    QVERIFY(startRedis());
}

void tst_Cluster::cleanup()
{
    m_servers.clear();
    stopRedis();
}

ChatServer *tst_Cluster::startServer(const QString &historyPath, ChatLimits limits)
{
    limits.floodControl = false; // the tests send in bursts
    auto server = std::make_unique<ChatServer>(limits);
    if (!historyPath.isEmpty() && !server->openHistory(historyPath))
        return nullptr;
    server->setServerName(QStringLiteral("server %1").arg(m_servers.size() + 1));
    ClusterAddress address;
    address.host = QStringLiteral("127.0.0.1");
    address.port = m_redisPort;
    address.room = QStringLiteral("test");
    server->joinCluster(address);
    server->setIrcPort(true, 0);
    if (!server->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    if (!QTest::qWaitFor([&server] { return server->cluster()->isHealthy(); }, 5000))
        return nullptr;
    m_servers.push_back(std::move(server));
    return m_servers.back().get();
}

std::unique_ptr<TestClient> tst_Cluster::join(ChatServer *server, const QString &nick, qint64 since)
{
    return joinJsonWith(server->serverPort(), hello(nick, 1, since));
}

void tst_Cluster::everyoneGetsEveryMessageInOneOrder()
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        ChatServer *server = startServer();
        QVERIFY(server);
        clients.push_back(join(server, QStringLiteral("user%1").arg(i)));
        QVERIFY(clients.back());
    }
    // All at once, from all three servers.
    constexpr int each = 40;
    for (int n = 0; n < each; ++n) {
        for (int i = 0; i < 3; ++i)
            clients[size_t(i)]->sendLine(R"({"type":"say","text":"line )" + QByteArray::number(n) + "\"}");
    }
    for (const auto &client : clients)
        QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*client).size(), 3 * each, 10000);
    const auto reference = messagesOf(*clients[0]);
    for (qsizetype i = 1; i < reference.size(); ++i)
        QVERIFY(reference.at(i).first > reference.at(i - 1).first);
    for (const auto &client : clients)
        QCOMPARE(messagesOf(*client), reference);
    // Each sender's lines in the order sent.
    for (int i = 0; i < 3; ++i) {
        int expected = 0;
        for (const auto &[id, text] : reference) {
            if (text.startsWith(QStringLiteral("user%1:").arg(i)))
                QCOMPARE(text, QStringLiteral("user%1: line %2").arg(i).arg(expected++));
        }
        QCOMPARE(expected, each);
    }
}

void tst_Cluster::resumeOnAnotherServer()
{
    Pair pair;
    aliceHearsBob(&pair);
    if (QTest::currentTestFailed())
        return;
    auto &[first, second, alice, bob] = pair;
    const qint64 lastSeen = messagesOf(*alice).constLast().first;
    // alice's server dies; the room goes on without her.
    alice.reset();
    m_servers.erase(m_servers.begin());
    for (int i = 1; i <= 5; ++i)
        bob->sendLine(R"({"type":"say","text":"missed )" + QByteArray::number(i) + "\"}");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 6, 5000);
    // She comes back on the other server and gets exactly what she missed.
    auto again = join(second, QStringLiteral("alice"), lastSeen);
    QVERIFY(again);
    const auto missed = messagesOf(*again);
    QCOMPARE(missed, messagesOf(*bob).mid(1));
}

void tst_Cluster::redisGoesAwayAndComesBack()
{
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    auto alice = join(first, QStringLiteral("alice"));
    auto bob = join(second, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->sendLine(R"({"type":"say","text":"hello"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 1, 5000);
    // Who came and went, as alice hears of it.
    const auto presence = [](const TestClient &client) {
        QStringList said;
        for (const QString &line : client.lines()) {
            const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            const QString type = object.value(u"type").toString();
            if (type == u"join" || type == u"leave")
                said.append(type + u' ' + object.value(u"nick").toString());
        }
        return said;
    };
    QTRY_COMPARE_WITH_TIMEOUT(presence(*alice), QStringList{ QStringLiteral("join bob") }, 5000);
    // "hello" is answered (under load its reply can come after bob has it; were Redis gone
    // before that, it would wait with what follows, as unanswered messages do).
    QTRY_COMPARE_WITH_TIMEOUT(first->cluster()->backlogSize(), 0, 5000);

    stopRedis();
    QTRY_VERIFY_WITH_TIMEOUT(!first->cluster()->isHealthy() && !second->cluster()->isHealthy(), 5000);
    // Everyone is told that messages wait; what they say waits for the one sequencer.
    const auto status = [](const TestClient &client) {
        QStringList said;
        for (const QString &line : client.lines()) {
            const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            if (object.value(u"type").toString() == u"status")
                said.append(object.value(u"degraded").toBool() ? QStringLiteral("degraded")
                                                               : QStringLiteral("healthy"));
        }
        return said;
    };
    QTRY_COMPARE_WITH_TIMEOUT(status(*alice), QStringList{ QStringLiteral("degraded") }, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(status(*bob), QStringList{ QStringLiteral("degraded") }, 5000);
    alice->sendLine(R"({"type":"say","text":"alone on the first","cid":"a1"})");
    bob->sendLine(R"({"type":"say","text":"alone on the second","cid":"b1"})");
    // Someone who comes while it is away hears so after the welcome.
    auto carol = join(first, QStringLiteral("carol"));
    QVERIFY(carol);
    QTRY_COMPARE_WITH_TIMEOUT(status(*carol), QStringList{ QStringLiteral("degraded") }, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(first->cluster()->backlogSize(), 1, 5000);
    QCOMPARE(messagesOf(*alice).size(), 1);
    QCOMPARE(messagesOf(*bob).size(), 1);

    // Redis is back (empty: no persistence); what waited goes out, once, with Redis's ids, in
    // one order for everyone.
    QVERIFY(startRedis());
    QTRY_VERIFY_WITH_TIMEOUT(first->cluster()->isHealthy() && second->cluster()->isHealthy(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice).size(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 3, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*carol).size(), 3, 10000); // "hello" in her welcome
    QCOMPARE(messagesOf(*alice), messagesOf(*bob));
    QCOMPARE(messagesOf(*carol), messagesOf(*alice));
    QCOMPARE(status(*alice), (QStringList{ QStringLiteral("degraded"), QStringLiteral("healthy") }));
    // A Redis that came back empty starts a new epoch of ids, above any id of the old one
    // that some server may have handed out (ChatLimits::clusterIdEpochStride).
    QVERIFY2(quint64(messagesOf(*alice).at(1).first) > ChatLimits::clusterIdEpochStride,
             qPrintable(QString::number(messagesOf(*alice).at(1).first)));
    QCOMPARE(first->lastMessageId(), second->lastMessageId());
    // And the room goes on as one.
    alice->sendLine(R"({"type":"say","text":"together again"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 4, 5000);
    QCOMPARE(messagesOf(*bob).constLast(), messagesOf(*alice).constLast());
    QVERIFY(messagesOf(*bob).constLast().first > messagesOf(*bob).at(2).first);
    // bob never left: nobody was told he left and joined again while the servers came back
    // (the new epoch's messages wait until both are back, so a join would be here by now).
    QCOMPARE(presence(*alice), (QStringList{ QStringLiteral("join bob"), QStringLiteral("join carol") }));
}

void tst_Cluster::resendIsPostedOnceOnAnyServer()
{
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    const QByteArray aliceHello =
            hello(QStringLiteral("alice"), 2, -1, QStringLiteral("alice-secret-0123456789"));
    auto alice = joinJsonWith(first->serverPort(), aliceHello);
    auto bob = join(second, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->sendLine(R"({"type":"say","text":"only once","cid":"m-1"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 1, 5000);
    const qint64 id = messagesOf(*bob).constFirst().first;
    // The echo carries the client id.
    EXPECT_LINE(alice, QRegularExpression(QStringLiteral("\"cid\":\"m-1\"")));
    // The connection drops; alice cannot know whether it went through, and sends it again on
    // the other server, and again on the first.
    alice.reset();
    for (ChatServer *server : { second, first }) {
        auto again = joinJsonWith(server->serverPort(), aliceHello);
        QVERIFY(again);
        again->sendLine(R"({"type":"say","text":"only once","cid":"m-1"})");
        EXPECT_LINE(again,
                    QStringLiteral(R"({"type":"sent","cid":"m-1","id":%1,"room":"#general"})").arg(id));
    }
    // Another identity may use the same client id: it is another message.
    bob->sendLine(R"({"type":"say","text":"mine","cid":"m-1"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 2, 5000);
    QCOMPARE(messagesOf(*bob).constFirst(), std::make_pair(id, QStringLiteral("alice: only once")));
    QCOMPARE(first->lastMessageId(), second->lastMessageId());
}

void tst_Cluster::resumeOnAServerThatIsBehind()
{
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    auto bob = join(first, QStringLiteral("bob"));
    QVERIFY(bob);
    bob->sendLine(R"({"type":"say","text":"seen by everyone"})");
    QTRY_VERIFY_WITH_TIMEOUT(first->lastMessageId() > 0, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(second->lastMessageId(), first->lastMessageId(), 5000);
    // alice saw three more on a server that had read further than the second has (as if the
    // second's reader lagged): she resumes there with an id it has not reached yet.
    const quint64 since = second->lastMessageId() + 3;
    QJsonObject welcome;
    auto alice = joinJsonWith(second->serverPort(), hello(QStringLiteral("alice"), 1, since), &welcome);
    QVERIFY(alice);
    QVERIFY2(welcome.value(u"historyComplete").toBool(), QJsonDocument(welcome).toJson().constData());
    QVERIFY(messagesOf(*alice).isEmpty());
    // The next messages get the ids she has seen: she gets only what follows them, once.
    for (int i = 1; i <= 5; ++i)
        bob->sendLine(R"({"type":"say","text":"line )" + QByteArray::number(i) + "\"}");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 6, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice).size(), 2, 5000);
    QCOMPARE(messagesOf(*alice), messagesOf(*bob).mid(4));
    QCOMPARE(quint64(messagesOf(*alice).constFirst().first), since + 1);
}

void tst_Cluster::frozenRedisIsDegradedAndThenCaughtUp()
{
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    auto alice = join(first, QStringLiteral("alice"));
    auto bob = join(second, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    // Frozen, not gone: the connections stay, nothing is answered.
    QCOMPARE(::kill(pid_t(m_redis->processId()), SIGSTOP), 0);
    alice->sendLine(R"({"type":"say","text":"said while it was frozen"})");
    EXPECT_JSON(
            alice, QStringLiteral("status"),
            [](const QJsonObject &o) { return o.value(u"degraded").toBool(); },
            ChatLimits::clusterServerTimeoutMs + 3 * ChatLimits::clusterHeartbeatMs);
    EXPECT_JSON(
            bob, QStringLiteral("status"), [](const QJsonObject &o) { return o.value(u"degraded").toBool(); },
            ChatLimits::clusterServerTimeoutMs + 3 * ChatLimits::clusterHeartbeatMs);
    QVERIFY(!first->cluster()->isHealthy());
    QCOMPARE(messagesOf(*bob).size(), 0);
    QCOMPARE(::kill(pid_t(m_redis->processId()), SIGCONT), 0);
    EXPECT_JSON(
            alice, QStringLiteral("status"),
            [](const QJsonObject &o) { return !o.value(u"degraded").toBool(); }, 10000);
    // Delivered once, with one id, to both.
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*bob).size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice), messagesOf(*bob), 5000);
    bob->sendLine(R"({"type":"say","text":"and on"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice).size(), 2, 5000);
    QCOMPARE(messagesOf(*alice), messagesOf(*bob));
}

void tst_Cluster::aliceHearsBob(Pair *out)
{
    out->first = startServer();
    out->second = startServer();
    QVERIFY(out->first && out->second);
    out->alice = join(out->first, QStringLiteral("alice"));
    out->bob = join(out->second, QStringLiteral("bob"));
    QVERIFY(out->alice && out->bob);
    out->bob->sendLine(R"({"type":"say","text":"before"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*out->alice).size(), 1, 5000);
}

void tst_Cluster::secondServerMisses(const QList<QByteArray> &missed, Missed *out)
{
    QVERIFY(out->dir.isValid());
    ChatServer *first = startServer();
    QVERIFY(first && startServer(out->secondHistory()));
    out->bob = join(first, QStringLiteral("bob"));
    QVERIFY(out->bob);
    out->bob->sendLine(R"({"type":"say","text":"one"})");
    QTRY_COMPARE_WITH_TIMEOUT(m_servers.back()->lastMessageId(), quint64(1), 5000);
    // The second server is away while the others are said; then Redis restarts empty, so they
    // are nowhere but on the first server.
    m_servers.pop_back();
    for (const QByteArray &text : missed)
        out->bob->sendLine(R"({"type":"say","text":")" + text + "\"}");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*out->bob).size(), 1 + missed.size(), 5000);
    stopRedis();
    QVERIFY(startRedis());
    QTRY_VERIFY_WITH_TIMEOUT(first->cluster()->isHealthy(), 10000);
}

void tst_Cluster::redisLostWhatAServerHadNotRead()
{
    Missed missed;
    secondServerMisses({ "two", "three" }, &missed);
    if (QTest::currentTestFailed())
        return;
    std::unique_ptr<TestClient> &bob = missed.bob;
    ChatServer *second = startServer(missed.secondHistory());
    QVERIFY(second);
    QCOMPARE(second->lastMessageId(), quint64(1));
    // It asks the first server for what it lacks, and gets both, with their ids.
    QSignalSpy repaired(second->cluster(), &ClusterLink::repairFinished);
    QSignalSpy lost(second->cluster(), &ClusterLink::messagesLost);
    QVERIFY(repaired.wait(ChatLimits::clusterRepairWaitMs + 5000));
    QCOMPARE(repaired.constFirst().value(0).toULongLong(), quint64(1));
    QCOMPARE(repaired.constFirst().value(1).toULongLong(), quint64(3));
    QCOMPARE(repaired.constFirst().value(2).toInt(), 2);
    QCOMPARE(second->lastMessageId(), quint64(3));
    // A resume there from before the loss gets them, and history is complete.
    QJsonObject welcome;
    auto alice = joinJsonWith(second->serverPort(), hello(QStringLiteral("alice"), 2, 1), &welcome);
    QVERIFY(alice);
    QVERIFY2(welcome.value(u"historyComplete").toBool(false), QJsonDocument(welcome).toJson().constData());
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice).size(), 2, 5000);
    QCOMPARE(messagesOf(*alice).at(0), qMakePair(qint64(2), QStringLiteral("bob: two")));
    QCOMPARE(messagesOf(*alice).at(1), qMakePair(qint64(3), QStringLiteral("bob: three")));
    // The room goes on, with ids of the new epoch, on both; nothing was said lost.
    bob->sendLine(R"({"type":"say","text":"four"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice).size(), 3, 5000);
    QVERIFY(quint64(messagesOf(*alice).constLast().first) > ChatLimits::clusterIdEpochStride);
    QCOMPARE(lost.size(), 0);
}

void tst_Cluster::lostMessagesNobodyHasAreMarked()
{
    // The first server comes back to the empty Redis (raising "reached" to 2) and is gone:
    // nobody has message 2 to give.
    Missed missed;
    secondServerMisses({ "two" }, &missed);
    if (QTest::currentTestFailed())
        return;
    missed.bob.reset();
    m_servers.clear();
    ChatServer *second = startServer(missed.secondHistory());
    QVERIFY(second);
    QSignalSpy lost(second->cluster(), &ClusterLink::messagesLost);
    QVERIFY(lost.wait(ChatLimits::clusterRepairWaitMs + 5000));
    QCOMPARE(lost.constFirst().constFirst().toULongLong(), quint64(2));
    QVERIFY(!second->cluster()->isRepairing());
    // A resume from before the loss is told that history is not complete.
    QJsonObject welcome;
    auto alice = joinJsonWith(second->serverPort(), hello(QStringLiteral("alice"), 2, 1), &welcome);
    QVERIFY(alice);
    QVERIFY2(!welcome.value(u"historyComplete").toBool(true), QJsonDocument(welcome).toJson().constData());
}

bool tst_Cluster::redisCommand(const QList<QByteArray> &arguments)
{
    RedisClient client(QStringLiteral("127.0.0.1"), m_redisPort);
    QSignalSpy connected(&client, &RedisClient::connected);
    client.open();
    if (!connected.wait(5000))
        return false;
    bool answered = false;
    bool ok = false;
    client.command(arguments, [&](const RedisReply &reply) {
        answered = true;
        ok = !reply.isError();
    });
    return QTest::qWaitFor([&answered] { return answered; }, 5000) && ok;
}

bool tst_Cluster::addByHand(const QList<QByteArray> &fields)
{
    return redisCommand(QList<QByteArray>{ "EVAL",
                                           "local id = redis.call('INCR', KEYS[1]) "
                                           "return redis.call('XADD', KEYS[2], id .. '-0', unpack(ARGV))",
                                           "2", "groupchat:test:nextid", "groupchat:test:messages" } +
                        fields);
}

void tst_Cluster::handWrittenEntriesAreNotDelivered()
{
    Pair pair;
    aliceHearsBob(&pair);
    if (QTest::currentTestFailed())
        return;
    auto &[first, second, alice, bob] = pair;
    QSignalSpy firstLost(first->cluster(), &ClusterLink::messagesLost);
    QSignalSpy secondLost(second->cluster(), &ClusterLink::messagesLost);
    // Entries 2 to 8, none of which a server could have published. The first also claims to be
    // the second server's message 1000000: believed, it would pass for that server's "after"
    // below, which would then never be published.
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const QByteArray general = "#general";
    const QList<QList<QByteArray>> hostile{
        { "time", now, "from", "mallory\r\n:evil PRIVMSG #general :pwned", "text", "hi", "room", general,
          "origin", second->cluster()->serverId().toUtf8(), "seq", "1000000" },
        { "time", now, "from", "mallory", "text", "hi", "room", "#gen eral" },
        { "time", now, "from", "mallory", "text", QByteArray(ChatLimits::maxTextBytesCeiling + 1, 'x'),
          "room", general },
        { "time", now, "from", "mallory", "text", "look\x1b[2J here", "room", general },
        { "time", now, "from", "mallory", "text", "hi", "room", general, "tags", "+a=b\r\nQUIT :bye" },
        // Long before year 1: clients would get an empty time ("time":"", "@time=").
        { "time", "-8640000000000001", "from", "mallory", "text", "hi", "room", general },
        // No number: it would pass for 1970.
        { "time", "soon", "from", "mallory", "text", "hi", "room", general },
    };
    // Each is logged once on each server, escaped (one line), and only once.
    for (qsizetype i = 0; i < hostile.size(); ++i) {
        const QRegularExpression logged(
                QStringLiteral(
                        "^cluster: entry %1 of the room's stream is not a message \\([^\r\n]*\\); left "
                        "out")
                        .arg(i + 2));
        QTest::ignoreMessage(QtWarningMsg, logged);
        QTest::ignoreMessage(QtWarningMsg, logged);
    }
    QTest::failOnWarning(QRegularExpression(QStringLiteral("of the room's stream is not a message")));
    for (const QList<QByteArray> &fields : hostile)
        QVERIFY(addByHand(fields));
    // The next message of the room has the id after them, and nobody got any of them.
    bob->sendLine(R"({"type":"say","text":"after"})");
    EXPECT_JSON(alice, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"after"; });
    EXPECT_JSON(bob, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"after"; });
    const QList<std::pair<qint64, QString>> expected{ { 1, QStringLiteral("bob: before") },
                                                      { 9, QStringLiteral("bob: after") } };
    QCOMPARE(messagesOf(*alice), expected);
    QCOMPARE(messagesOf(*bob), expected);
    QCOMPARE(first->lastMessageId(), quint64(9));
    QCOMPARE(second->lastMessageId(), quint64(9));
    // They are lost, as messages Redis lost are: a resume from before them is told that history
    // is not complete, one from after them that it is.
    QVERIFY2(!firstLost.isEmpty() && !secondLost.isEmpty(),
             qPrintable(QStringLiteral("messagesLost was said %1 and %2 time(s)")
                                .arg(firstLost.size())
                                .arg(secondLost.size())));
    QCOMPARE(firstLost.constLast().constFirst().toULongLong(), quint64(8));
    QCOMPARE(secondLost.constLast().constFirst().toULongLong(), quint64(8));
    for (ChatServer *server : { first, second }) {
        const QString n = QString::number(server == first ? 1 : 2);
        QJsonObject welcome;
        auto over = joinJsonWith(server->serverPort(), hello(u"carol" + n, 2, 1), &welcome);
        QVERIFY(over);
        QVERIFY2(!welcome.value(u"historyComplete").toBool(true),
                 QJsonDocument(welcome).toJson().constData());
        QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*over), expected.mid(1), 5000);
        auto past = joinJsonWith(server->serverPort(), hello(u"dave" + n, 2, 8), &welcome);
        QVERIFY(past);
        QVERIFY2(welcome.value(u"historyComplete").toBool(false),
                 QJsonDocument(welcome).toJson().constData());
        QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*past), expected.mid(1), 5000);
    }
}

void tst_Cluster::handWrittenIdDoesNotStopPublishing()
{
    Pair pair;
    aliceHearsBob(&pair);
    if (QTest::currentTestFailed())
        return;
    auto &[first, second, alice, bob] = pair;
    // As anyone would add an entry with redis-cli: XADD's own id (the time in milliseconds),
    // far above the cluster's counter. Redis adds nothing below a stream's last id, so the
    // servers' next ids go above it.
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    QVERIFY(redisCommand({ "XADD", "groupchat:test:messages", "*", "time", now, "from", "mallory", "text",
                           "hi", "room", "#general" }));
    QTest::failOnWarning(QRegularExpression(QStringLiteral("publishing failed")));
    bob->sendLine(R"({"type":"say","text":"after"})");
    for (TestClient *client : { alice.get(), bob.get() }) {
        EXPECT_JSON(client, QStringLiteral("message"),
                    [](const QJsonObject &m) { return m.value(u"text").toString() == u"after"; });
    }
    const auto afterId = [](const TestClient &client) { return messagesOf(client).constLast().first; };
    QVERIFY(afterId(*alice) > now.toLongLong());
    QCOMPARE(afterId(*bob), afterId(*alice));
    QCOMPARE(messagesOf(*alice).constLast().second, QStringLiteral("bob: after"));
}

void tst_Cluster::unusualTextsCrossTheCluster_data()
{
    // What a client may send, as its server cleans it, is what the stream's check lets through
    // (handWrittenEntriesAreNotDelivered is the other side): no legitimate message is left out.
    QTest::addColumn<QByteArray>("line"); // a JSON client's say, or an IRC client's line
    QTest::addColumn<bool>("irc");
    QTest::newRow("right to left, isolated")
            << QByteArray(R"({"type":"say","text":"\u2067שלום\u2069 world"})") << false;
    QTest::newRow("isolate left open")
            << QByteArray(R"({"type":"say","text":"\u2067open to the end"})") << false;
    QTest::newRow("emoji sequence") << QByteArray(
                                               R"({"type":"say","text":"👩‍👩‍👧 and 🇫🇷"})")
                                    << false;
    QTest::newRow("combining marks") << QByteArray(R"({"type":"say","text":"e\u0301 a\u0308\u0301"})")
                                     << false;
    QTest::newRow("lines") << QByteArray(R"({"type":"say","text":"one\n\n  two\r\nthree"})") << false;
    QTest::newRow("control characters")
            << QByteArray(R"({"type":"say","text":"a\u0007b\u001b[31mc\u0000d"})") << false;
    QTest::newRow("irc formatting") << QByteArray("PRIVMSG #general :\x02"
                                                  "bold\x02 \x03"
                                                  "4red\x03\r")
                                    << true;
    QTest::newRow("irc action") << QByteArray("PRIVMSG #general :\x01"
                                              "ACTION waves  \x01\r")
                                << true;
    QTest::newRow("irc tabs and spaces") << QByteArray("PRIVMSG #general :\t tab  and spaces  \r") << true;
}

void tst_Cluster::unusualTextsCrossTheCluster()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, irc);
    ChatServer *a = startServer();
    ChatServer *b = startServer();
    QVERIFY(a && b);
    auto here = join(a, QStringLiteral("carol"));
    auto there = join(b, QStringLiteral("bob"));
    QVERIFY(here && there);
    std::unique_ptr<TestClient> sender;
    if (irc) {
        sender = std::make_unique<TestClient>();
        QVERIFY(sender->connectTo(a->ircPort()));
        sender->sendLine("NICK alice\r\nUSER u 0 * :U\r");
        QVERIFY(!sender->waitForLine(QRegularExpression(QStringLiteral("^:groupchat 366 "))).isNull());
    } else {
        sender = join(a, QStringLiteral("alice"));
        QVERIFY(sender);
    }
    sender->sendLine(line);
    // Delivered through the stream on both servers, the same.
    const auto fromAlice = [](const TestClient &client) {
        QList<std::pair<qint64, QString>> said;
        for (const auto &message : messagesOf(client)) {
            if (message.second.startsWith(u"alice: "))
                said.append(message);
        }
        return said;
    };
    QTRY_COMPARE_WITH_TIMEOUT(fromAlice(*here).size(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(fromAlice(*there).size(), 1, 5000);
    QCOMPARE(fromAlice(*there), fromAlice(*here));
}

void tst_Cluster::blankTextIsRefusedWhereItIsSent_data()
{
    // A plain client's command whose text shows nothing (the line itself is not blank): its
    // server refuses it, as it does an empty one. Published, every server would leave it out
    // and tell every resume from before it that history is not complete.
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("action of a zero-width space") << QByteArray("/me \xe2\x80\x8b");
    QTest::newRow("private message of an isolate") << QByteArray("/msg bob \xe2\x81\xa7");
}

void tst_Cluster::blankTextIsRefusedWhereItIsSent()
{
    QFETCH(QByteArray, line);
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    auto bob = join(first, QStringLiteral("bob"));
    auto alice = join(second, QStringLiteral("alice"));
    QVERIFY(bob && alice);
    QSignalSpy firstLost(first->cluster(), &ClusterLink::messagesLost);
    QSignalSpy secondLost(second->cluster(), &ClusterLink::messagesLost);
    TestClient carol;
    QVERIFY(carol.connectTo(first->serverPort()));
    carol.sendLine("/nick carol");
    QVERIFY(!carol.waitForLine(QRegularExpression(QStringLiteral("now known as carol"))).isNull());
    carol.sendLine(line);
    QVERIFY(!carol.waitForLine(QRegularExpression(QStringLiteral("^! usage: "))).isNull());
    carol.sendLine("after");
    EXPECT_JSON(alice, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"after"; });
    const QList<std::pair<qint64, QString>> expected{ { 1, QStringLiteral("carol: after") } };
    QCOMPARE(messagesOf(*alice), expected);
    QVERIFY(firstLost.isEmpty());
    QVERIFY(secondLost.isEmpty());
}

void tst_Cluster::longestLinesCrossTheCluster_data()
{
    // Servers that take lines of up to the ceiling (--max-line 1048576): what such a line
    // becomes, decoded and sanitised, is longer than the line, and still a message.
    QTest::addColumn<QByteArray>("line"); // a plain client's first line
    // Latin-1, not UTF-8: each byte is U+FFFD, three bytes.
    QTest::newRow("latin-1") << QByteArray(ChatLimits::maxLineBytesCeiling / 2, '\xe9');
    // Isolates left open, which the sanitiser closes at the end.
    QTest::newRow("open isolates") << QByteArray(ChatLimits::maxLineBytesCeiling -
                                                         3 * ChatLimits::maxBidiDepth,
                                                 'x') +
                                              QByteArray("\xe2\x81\xa7").repeated(ChatLimits::maxBidiDepth);
}

void tst_Cluster::longestLinesCrossTheCluster()
{
    QFETCH(QByteArray, line);
    ChatLimits limits;
    limits.maxLineBytes = ChatLimits::maxLineBytesCeiling;
    limits.maxSendQueueBytes = 16 * ChatLimits::maxLineBytesCeiling;
    ChatServer *first = startServer(QString(), limits);
    ChatServer *second = startServer(QString(), limits);
    QVERIFY(first && second);
    QSignalSpy secondLost(second->cluster(), &ClusterLink::messagesLost);
    qsizetype arrived = -1; // the size of the text that arrived on the second server
    connect(second->cluster(), &ClusterLink::messagesArrived, this,
            [&arrived](const QList<ChatMessage> &messages) {
                for (const ChatMessage &message : messages)
                    arrived = message.text.toUtf8().size();
            });
    TestClient sender;
    QVERIFY(sender.connectTo(first->serverPort()));
    sender.sendLine(line);
    QTRY_VERIFY_WITH_TIMEOUT(arrived > line.size() || !secondLost.isEmpty(), 10000);
    QVERIFY(secondLost.isEmpty());
}

void tst_Cluster::republishedWithoutClientIdIsLeftOut()
{
    ChatServer *server = startServer();
    QVERIFY(server);
    auto bob = join(server, QStringLiteral("bob"));
    QVERIFY(bob);
    // Server "other" published its message 7, lost the reply, and Redis came back empty before
    // it had read it back: it publishes its message 7 again, under another id. No cid (an IRC
    // or plain client's line): the publisher's number tells it is the same message.
    const auto add = [this](const QByteArray &id, const QByteArray &text, const QByteArray &seq) {
        return redisCommand({ "XADD", "groupchat:test:messages", id + "-0", "time",
                              QByteArray::number(QDateTime::currentMSecsSinceEpoch()), "from", "carol",
                              "text", text, "kind",
                              QByteArray::number(ChatMessage::kindNumber(ChatMessage::Kind::Say)), "room",
                              "#general", "origin", "other", "seq", seq });
    };
    QVERIFY(add("1", "first", "7"));
    QVERIFY(add("2", "first", "7"));
    QVERIFY(add("3", "next", "8"));
    EXPECT_JSON(bob, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"next"; });
    const QList<std::pair<qint64, QString>> expected{ { 1, QStringLiteral("carol: first") },
                                                      { 3, QStringLiteral("carol: next") } };
    QCOMPARE(messagesOf(*bob), expected);
    QCOMPARE(server->lastMessageId(), quint64(3));
}

void tst_Cluster::catchingUpWaitsForTheStream()
{
    // What a newcomer on a server that is behind waits for (an IRC client's welcome).
    const QString redisCli = QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
    if (redisCli.isEmpty())
        QSKIP("redis-cli is not installed (Debian: redis-tools, which redis-server brings)");
    ChatServer *server = startServer();
    QVERIFY(server);
    QTRY_VERIFY_WITH_TIMEOUT(server->cluster()->isHealthy(), 5000);
    // Three messages enter the stream while this process runs no event loop (QProcess::execute
    // blocks): the server has not read them yet when it is asked.
    for (int id = 1; id <= 3; ++id) {
        const int exitCode = QProcess::execute(
                redisCli,
                { QStringLiteral("-p"), QString::number(m_redisPort), QStringLiteral("XADD"),
                  QStringLiteral("groupchat:test:messages"), QStringLiteral("%1-0").arg(id),
                  QStringLiteral("time"), QString::number(QDateTime::currentMSecsSinceEpoch()),
                  QStringLiteral("from"), QStringLiteral("carol"), QStringLiteral("text"),
                  QStringLiteral("m%1").arg(id), QStringLiteral("room"), QStringLiteral("#general") });
        QCOMPARE(exitCode, 0);
    }
    QCOMPARE(server->lastMessageId(), quint64(0));
    bool done = false;
    quint64 deliveredWhenDone = 0;
    server->cluster()->afterCatchingUp([&] {
        done = true;
        deliveredWhenDone = server->lastMessageId();
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, ChatLimits::clusterServerTimeoutMs + 2000);
    QCOMPARE(deliveredWhenDone, quint64(3));
    // While Redis is away, what the stream holds is not known: it waits for Redis.
    stopRedis();
    QTRY_VERIFY_WITH_TIMEOUT(!server->cluster()->isHealthy(), 5000);
    done = false;
    bool healthyWhenDone = false;
    server->cluster()->afterCatchingUp([&] {
        done = true;
        healthyWhenDone = server->cluster()->isHealthy();
    });
    QVERIFY(!done);
    QVERIFY(startRedis());
    QTRY_VERIFY_WITH_TIMEOUT(done, ChatLimits::clusterCatchUpWaitMs);
    QVERIFY(healthyWhenDone);
}

void tst_Cluster::republishedMessageIsLeftOut()
{
    ChatServer *server = startServer();
    QVERIFY(server);
    auto alice = joinJsonWith(server->serverPort(), hello(QStringLiteral("alice"), 2, -1,
                                                          QStringLiteral("alice-secret-0123456789")));
    QVERIFY(alice);
    alice->sendLine(R"({"type":"say","text":"once","cid":"k1"})");
    QTRY_COMPARE_WITH_TIMEOUT(messagesOf(*alice).size(), 1, 5000);
    // After Redis came back empty, a server that had not read it back publishes it again: the
    // stream brings it under a second id, which this server, which has it, leaves out.
    ChatMessage again;
    again.id = server->lastMessageId() + ChatLimits::clusterIdEpochStride;
    again.time = QDateTime::currentDateTimeUtc();
    again.from = QStringLiteral("alice");
    again.text = QStringLiteral("once");
    again.room = QStringLiteral("#general");
    again.clientId = QStringLiteral("k1");
    again.fromIdentity = QCryptographicHash::hash(QByteArrayLiteral("alice-secret-0123456789"),
                                                  QCryptographicHash::Sha256);
    ChatMessage next = again;
    next.id += 1;
    next.text = QStringLiteral("next");
    next.clientId = QStringLiteral("k2");
    Q_EMIT server->cluster()->messagesArrived({ again, next });
    EXPECT_JSON(alice, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"next"; });
    QCOMPARE(messagesOf(*alice).size(), 2);
    QCOMPARE(server->lastMessageId(), next.id);
}

void tst_Cluster::deadServerIsNoticed()
{
    ChatServer *first = startServer();
    QVERIFY(startServer());
    QVERIFY(startServer());
    QTRY_COMPARE_WITH_TIMEOUT(first->cluster()->liveServers().size(), 3, 5000);
    m_servers.pop_back();
    QElapsedTimer clock;
    clock.start();
    QTRY_COMPARE_WITH_TIMEOUT(first->cluster()->liveServers().size(), 2, 10000);
    QVERIFY2(clock.elapsed() <= ChatLimits::clusterServerTimeoutMs + 2 * ChatLimits::clusterHeartbeatMs,
             qPrintable(QString::number(clock.elapsed())));
}

void tst_Cluster::roomsAcrossThreeServers()
{
    ChatServer *a = startServer();
    ChatServer *b = startServer();
    ChatServer *c = startServer();
    QVERIFY(a && b && c);
    // Plain clients on each server: alice and bob in #dev, carol only in #general.
    auto alice = joinPlain(a->serverPort());
    auto bob = joinPlain(b->serverPort());
    auto carol = joinPlain(c->serverPort());
    QVERIFY(alice && bob && carol);
    alice->sendLine("/join #dev");
    EXPECT_LINE(alice, QRegularExpression(QStringLiteral("^\\* you are in #dev now")));
    bob->sendLine("/join #dev");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("^\\* you are in #dev now")));
    // alice hears of bob joining #dev on the other server (within a heartbeat).
    EXPECT_LINE(alice, QStringLiteral("* %1 joined #dev (on server 2)").arg(bob->nick()));
    QTRY_COMPARE(a->roomList().value(1).online, 2);
    // A message in #dev reaches both, with one id, and never carol.
    bob->sendLine("in dev");
    EXPECT_LINE(alice, QRegularExpression(QStringLiteral("\\[#dev\\] %1: in dev$").arg(bob->nick())));
    carol->sendLine("in general");
    EXPECT_LINE(alice,
                QRegularExpression(QStringLiteral("\\[#general\\] %1: in general$").arg(carol->nick())));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("\\[#general\\] %1: in general$").arg(carol->nick())));
    QVERIFY2(!carol->lines().join(u'|').contains(QLatin1String("in dev")),
             qPrintable(carol->lines().join(u'|')));
    QTRY_COMPARE(a->lastMessageId(), c->lastMessageId());
    QCOMPARE(b->lastMessageId(), a->lastMessageId());
    // /who #dev on the first server lists bob on the second.
    alice->sendLine("/who #dev");
    EXPECT_LINE(alice,
                QRegularExpression(
                        QStringLiteral("^\\*   %1, connected .* \\(on server 2\\)$").arg(bob->nick())));
    // Leaving #dev on the second server is seen on the first; carol never hears of #dev.
    bob->sendLine("/part #dev");
    EXPECT_LINE(alice, QStringLiteral("* %1 left #dev").arg(bob->nick()));
    QTRY_COMPARE(a->roomList().value(1).online, 1);
    QVERIFY2(!carol->lines().join(u'|').contains(QLatin1String("#dev")),
             qPrintable(carol->lines().join(u'|')));
}

void tst_Cluster::nicksAndPeopleAreClusterWide()
{
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    auto alice = join(first, QStringLiteral("alice"));
    auto bob = join(second, QStringLiteral("bob"));
    QVERIFY(alice && bob);
    // bob is told alice is here, on the first server, within a heartbeat or two.
    QJsonObject aliceJoined;
    EXPECT_JSON_AS(aliceJoined, bob, QStringLiteral("join"),
                   [](const QJsonObject &o) { return o.value(u"nick").toString() == u"alice"; });
    QCOMPARE(aliceJoined.value(u"server").toString(), QStringLiteral("server 1"));
    // Her nick is taken on every server, whatever its case.
    TestClient mallory;
    QVERIFY(mallory.connectTo(second->serverPort()));
    mallory.sendLine(hello(QStringLiteral("ALICE")));
    QJsonObject refused;
    EXPECT_JSON_AS(refused, mallory, QStringLiteral("error"));
    QCOMPARE(refused.value(u"code").toString(), QStringLiteral("nick-taken"));
    // The room's list names everyone with their server.
    auto carol = join(second, QStringLiteral("carol"));
    QVERIFY(carol);
    const QJsonObject welcome = [&carol] {
        for (const QString &line : carol->lines()) {
            const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            if (object.value(u"type").toString() == u"welcome")
                return object;
        }
        return QJsonObject();
    }();
    QStringList users;
    for (const QJsonValue &user : welcome.value(u"users").toArray())
        users.append(user.toObject().value(u"nick").toString() + u'@' +
                     user.toObject().value(u"server").toString());
    users.sort();
    QCOMPARE(users, (QStringList{ QStringLiteral("alice@server 1"), QStringLiteral("bob@"),
                                  QStringLiteral("carol@") }));
    QCOMPARE(welcome.value(u"online").toInt(), 3);
    // Plain /who too.
    TestClient dave;
    QVERIFY(dave.connectTo(second->serverPort()));
    dave.sendLine("/who");
    EXPECT_LINE(dave, QRegularExpression(QStringLiteral("^\\*   alice, connected .* \\(on server 1\\)$")));
    // The first server dies: alice is shown as gone.
    alice.reset();
    m_servers.erase(m_servers.begin());
    QJsonObject left;
    EXPECT_JSON_AS(
            left, bob, QStringLiteral("leave"),
            [](const QJsonObject &o) { return o.value(u"nick").toString() == u"alice"; },
            ChatLimits::clusterServerTimeoutMs + 3000);
    QVERIFY2(left.value(u"reason").toString().contains(QStringLiteral("gone")),
             qPrintable(left.value(u"reason").toString()));
}

void tst_Cluster::clientMovesToTheNextServer()
{
    ChatServer *first = startServer();
    ChatServer *second = startServer();
    QVERIFY(first && second);
    auto bob = join(second, QStringLiteral("bob"));
    QVERIFY(bob);
    ChatConnection alice;
    alice.setReconnectDelays(100, 1000);
    alice.setAlternativeServers({ HostPort{ QStringLiteral("127.0.0.1"), second->serverPort() } });
    QSignalSpy welcomed(&alice, &ChatConnection::welcomed);
    QList<QString> received;
    connect(&alice, &ChatConnection::eventReceived, this, [&received](const ServerEvent &event) {
        if (event.type == ServerEvent::Type::Message)
            received.append(event.message.text);
    });
    // What a resume replays comes first, in the order things arrived.
    connect(&alice, &ChatConnection::welcomed, this, [&received](const ServerEvent &welcome, bool resumed) {
        if (resumed) {
            for (const ChatMessage &message : welcome.history)
                received.append(message.text);
        }
    });
    alice.connectToServer(QStringLiteral("127.0.0.1"), first->serverPort(), QStringLiteral("alice"));
    QVERIFY(welcomed.wait(5000));
    bob->sendLine(R"({"type":"say","text":"one"})");
    QTRY_COMPARE_WITH_TIMEOUT(received, QList<QString>{ QStringLiteral("one") }, 5000);
    // Her server dies; what bob says meanwhile reaches her on the other one, once.
    m_servers.erase(m_servers.begin());
    bob->sendLine(R"({"type":"say","text":"two"})");
    bob->sendLine(R"({"type":"say","text":"three"})");
    QTRY_COMPARE_WITH_TIMEOUT(welcomed.count(), 2, 15000);
    QCOMPARE(welcomed.at(1).at(1).toBool(), true); // resumed
    QCOMPARE(alice.port(), second->serverPort());
    bob->sendLine(R"({"type":"say","text":"four"})");
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 4, 5000);
    QCOMPARE(received, (QList<QString>{ QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"),
                                        QStringLiteral("four") }));
}

void tst_Cluster::ircPipelinedRegistrationKeepsItsCommands()
{
    ChatServer *server = startServer();
    QVERIFY(server);
    QTRY_VERIFY_WITH_TIMEOUT(server->cluster()->isHealthy(), 5000);
    auto watcher = join(server, QStringLiteral("watcher"));
    QVERIFY(watcher);
    // A client that does not wait for its welcome (nc, a bot): what it sends while the welcome
    // waits for the cluster is taken after it, not refused as unregistered (451).
    TestClient pipe;
    QVERIFY(pipe.connectTo(server->ircPort()));
    pipe.sendLine("NICK pipe\r\nUSER z 0 * :x\r\nJOIN #foo\r\nPRIVMSG #general :pipelined-hi\r");
    EXPECT_LINE(pipe, QRegularExpression(QStringLiteral("^:groupchat 001 pipe ")));
    EXPECT_LINE(pipe, QStringLiteral(":pipe!~gc@groupchat JOIN #foo\r"));
    EXPECT_JSON(watcher, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"pipelined-hi"; });
    QVERIFY2(!pipe.lines().join(u'|').contains(QLatin1String(" 451 ")), qPrintable(pipe.lines().join(u'|')));
}

void tst_Cluster::ircAcrossServers()
{
    ChatServer *a = startServer();
    ChatServer *b = startServer();
    QVERIFY(a && b);
    const auto registered = [](quint16 port, const QByteArray &nick) {
        auto client = std::make_unique<TestClient>();
        if (!client->connectTo(port))
            return std::unique_ptr<TestClient>();
        client->sendLine("CAP LS 302\r\nNICK " + nick +
                         "\r\nUSER u 0 * :U\r\nCAP REQ :message-tags\r\nCAP END\r");
        if (client->waitForLine(QRegularExpression(QStringLiteral("^:groupchat 366 "))).isNull())
            return std::unique_ptr<TestClient>();
        return client;
    };
    auto alice = registered(a->ircPort(), "alice");
    auto bob = registered(b->ircPort(), "bob");
    QVERIFY(alice && bob);
    auto carol = join(a, QStringLiteral("carol"));
    QVERIFY(carol);
    // bob's arrival on the other server reaches alice as a JOIN.
    EXPECT_LINE(alice, QStringLiteral(":bob!~gc@groupchat JOIN #general\r"));
    bob->sendLine("PRIVMSG #general :across the cluster\r");
    QString line;
    EXPECT_LINE_AS(line, alice,
                   QRegularExpression(QStringLiteral(
                           "^@msgid=(\\d+) :bob!~gc@groupchat PRIVMSG #general :across the cluster\r$")));
    QJsonObject message;
    EXPECT_JSON_AS(message, carol, QStringLiteral("message"),
                   [](const QJsonObject &m) { return m.value(u"text").toString() == u"across the cluster"; });
    // One id on every server and in every dialect.
    QCOMPARE(line.section(QStringLiteral("msgid="), 1).section(u' ', 0, 0),
             QString::number(message.value(u"id").toInteger()));
    // WHO and WHOIS know bob on the other server, named as one IRC word.
    alice->sendLine("WHO #general\r");
    EXPECT_LINE(alice, QRegularExpression(QStringLiteral(
                               "^:groupchat 352 alice #general ~gc groupchat server-2 bob H :0 .*\r$")));
    alice->sendLine("WHOIS bob\r");
    EXPECT_LINE(alice, QRegularExpression(QStringLiteral("^:groupchat 312 alice bob server-2 :server 2\r$")));
    // Client-only tags travel with the message to the other server's IRC clients.
    bob->sendLine("@+example=x PRIVMSG #general :tagged\r");
    EXPECT_LINE(alice, QRegularExpression(QStringLiteral(
                               "^@[^ ]*\\+example=x[^ ]* :bob!~gc@groupchat PRIVMSG #general :tagged\r$")));
}

void tst_Cluster::serverListIsParsed()
{
    using List = QList<HostPort>;
    QCOMPARE(HostPort::parseList(QStringLiteral("a, b:7000 ,[::1]:7001,::1,[::2]"), 6666),
             (List{ { QStringLiteral("a"), 6666 },
                    { QStringLiteral("b"), 7000 },
                    { QStringLiteral("::1"), 7001 },
                    { QStringLiteral("::1"), 6666 },
                    { QStringLiteral("::2"), 6666 } }));
    QCOMPARE(HostPort::parseList(QStringLiteral("a:99999"), 6666), List());
    QCOMPARE(HostPort::parseList(QStringLiteral(":7000"), 6666), List());
    QCOMPARE(HostPort::parseList(QStringLiteral("a:0"), 6666), List());
    QCOMPARE(HostPort::parseList(QStringLiteral("[::1"), 6666), List());
    // Formatted in one place, the way parse() reads it back.
    QCOMPARE((HostPort{ QStringLiteral("::1"), 7001 }).toString(), QStringLiteral("[::1]:7001"));
    QCOMPARE((HostPort{ QStringLiteral("chat.example.org"), 6666 }).toString(),
             QStringLiteral("chat.example.org:6666"));
    QCOMPARE(HostPort::parse(u"[::1]:7001", 6666),
             std::optional<HostPort>(HostPort{ QStringLiteral("::1"), 7001 }));
}

QTEST_GUILESS_MAIN(tst_Cluster)
#include "tst_cluster.moc"
