#include "chaosrun.h"

#include "faultinjector.h"
#include "faultproxy.h"
#include "historyfetcher.h"
#include "ircloadclient.h"
#include "jsonloadclient.h"
#include "plainloadclient.h"
#include "redisprocess.h"
#include "servernode.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>

#include <cstdio>

ChaosRun::ChaosRun(const ChaosOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_directory(QDir::tempPath() + u"/groupchat-chaos-XXXXXX")
{
    m_timeline.setVerbose(options.verbose);
}

ChaosRun::~ChaosRun()
{
    // Clients first, then the servers (SIGTERM), Redis last.
    qDeleteAll(m_jsonClients);
    qDeleteAll(m_plainClients);
    qDeleteAll(m_ircClients);
    for (ServerNode *server : std::as_const(m_servers))
        server->stop();
    qDeleteAll(m_servers);
    delete m_redis;
}

bool ChaosRun::waitUntil(const std::function<bool()> &ready, int timeoutMs)
{
    QEventLoop loop;
    QTimer poll;
    QTimer deadline;
    bool timedOut = false;
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (ready())
            loop.quit();
    });
    deadline.setSingleShot(true);
    connect(&deadline, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    if (ready())
        return true;
    poll.start(20);
    deadline.start(timeoutMs);
    loop.exec();
    return !timedOut || ready();
}

QList<quint16> ChaosRun::serverPorts() const
{
    QList<quint16> ports;
    for (const ServerNode *server : m_servers)
        ports.append(server->port());
    return ports;
}

QList<quint16> ChaosRun::serverIrcPorts() const
{
    QList<quint16> ports;
    for (const ServerNode *server : m_servers)
        ports.append(server->ircPort());
    return ports;
}

void ChaosRun::fail(const QString &why)
{
    if (m_failed)
        return;
    m_failed = true;
    m_directory.setAutoRemove(false);
    std::printf("chaos: the run could not be made: %s (logs in %s)\n", qUtf8Printable(why),
                qUtf8Printable(m_directory.path()));
    std::fflush(stdout);
    Q_EMIT finished(2);
}

void ChaosRun::start()
{
    std::printf("chaos: %s\n", qUtf8Printable(m_options.describe()));
    std::printf("chaos: to run this again: scripts/chaos.sh --seed %u --seconds %lld --faults %s\n",
                m_options.seed, m_options.loadMs / 1000,
                qUtf8Printable(m_options.describe().section(QStringLiteral("faults: "), 1)));
    std::fflush(stdout);
    if (!m_directory.isValid()) {
        fail(QStringLiteral("no temporary directory"));
        return;
    }
    m_directory.setAutoRemove(!m_options.keep);
    if (!setUp())
        return;
    startLoad();
}

bool ChaosRun::setUp()
{
    m_timeline.note(QStringLiteral("working in %1").arg(m_directory.path()));
    m_redis = new RedisProcess(m_options.redisBinary, m_directory.path());
    if (!m_redis->start()) {
        fail(QStringLiteral("redis-server does not start"));
        return false;
    }
    const quint16 redisPort = m_redis->port();
    const bool redisUp = waitUntil(
            [redisPort] {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, redisPort);
                return probe.waitForConnected(100);
            },
            10000);
    if (!redisUp) {
        fail(QStringLiteral("redis-server does not listen on port %1").arg(redisPort));
        return false;
    }
    m_timeline.note(QStringLiteral("Redis on 127.0.0.1 port %1").arg(redisPort));
    for (int i = 0; i < m_options.servers; ++i) {
        auto *redisProxy =
                new FaultProxy(QStringLiteral("redis proxy %1").arg(i + 1), m_options.seed + 100 + i, this);
        redisProxy->setTargetPort(redisPort);
        auto *clientProxy =
                new FaultProxy(QStringLiteral("client proxy %1").arg(i + 1), m_options.seed + 200 + i, this);
        const bool irc = m_options.ircClients > 0;
        auto *ircProxy = irc ? new FaultProxy(QStringLiteral("IRC proxy %1").arg(i + 1),
                                              m_options.seed + 300 + i, this)
                             : nullptr;
        if (!redisProxy->listen() || !clientProxy->listen() || (ircProxy && !ircProxy->listen())) {
            fail(QStringLiteral("no free loopback port for a proxy"));
            return false;
        }
        m_redisProxies.append(redisProxy);
        m_clientProxies.append(clientProxy);
        if (ircProxy)
            m_ircProxies.append(ircProxy);
        auto *server = new ServerNode(i, m_options.serverBinary,
                                      m_directory.path() + QStringLiteral("/server-%1").arg(i + 1),
                                      redisProxy->port(), irc);
        connect(server, &ServerNode::failed, this, &ChaosRun::fail);
        connect(server, &ServerNode::ready, this, [this, server, clientProxy, ircProxy] {
            clientProxy->setTargetPort(server->port());
            if (ircProxy)
                ircProxy->setTargetPort(server->ircPort());
            m_timeline.detail(QStringLiteral("%1 listens on port %2 (IRC: %3)")
                                      .arg(server->name())
                                      .arg(server->port())
                                      .arg(server->ircPort()));
        });
        m_servers.append(server);
        server->start();
    }
    const bool serversUp = waitUntil(
            [this] {
                for (const ServerNode *server : std::as_const(m_servers)) {
                    if (!server->isListening() || !server->clusterHealthy())
                        return false;
                }
                return true;
            },
            30000);
    if (m_failed)
        return false;
    if (!serversUp) {
        fail(QStringLiteral("the servers did not all start and reach Redis within 30 s"));
        return false;
    }
    for (const ServerNode *server : std::as_const(m_servers)) {
        const QString irc = m_ircProxies.isEmpty() ? QString()
                                                   : QStringLiteral("; IRC on port %1, through port %2")
                                                             .arg(server->ircPort())
                                                             .arg(m_ircProxies.at(server->index())->port());
        m_timeline.note(QStringLiteral("%1 on port %2 (clients through port %3, Redis through port %4%5)")
                                .arg(server->name())
                                .arg(server->port())
                                .arg(m_clientProxies.at(server->index())->port())
                                .arg(m_redisProxies.at(server->index())->port())
                                .arg(irc));
    }
    return true;
}

void ChaosRun::startLoad()
{
    QList<quint16> proxyPorts;
    for (const FaultProxy *proxy : std::as_const(m_clientProxies))
        proxyPorts.append(proxy->port());
    const bool randomDrops = m_options.faults.contains(FaultKind::Reconnect);
    for (int i = 1; i <= m_options.jsonClients; ++i) {
        auto *client = new JsonLoadClient(i, m_options.seed + 1000 + i, proxyPorts, randomDrops, &m_timeline);
        m_jsonClients.append(client);
        client->start();
    }
    for (int i = 1; i <= m_options.plainClients; ++i) {
        auto *client = new PlainLoadClient(i, i == 1, m_options.seed + 2000 + i, proxyPorts, randomDrops,
                                           &m_timeline);
        m_plainClients.append(client);
        client->start();
    }
    QList<quint16> ircProxyPorts;
    for (const FaultProxy *proxy : std::as_const(m_ircProxies))
        ircProxyPorts.append(proxy->port());
    for (int i = 1; i <= m_options.ircClients; ++i) {
        auto *client = new IrcLoadClient(i, true, m_options.seed + 3000 + i, ircProxyPorts, randomDrops,
                                         &m_timeline);
        m_ircClients.append(client);
        client->start();
    }
    const FaultSchedule schedule =
            FaultSchedule::make(m_options.seed, m_options.loadMs, m_options.servers, m_options.faults);
    m_timeline.note(QStringLiteral("load: %1 JSON, %2 plain and %3 IRC clients for %4 s; %5 faults scheduled")
                            .arg(m_options.jsonClients)
                            .arg(m_options.plainClients)
                            .arg(m_options.ircClients)
                            .arg(m_options.loadMs / 1000.0)
                            .arg(schedule.events().size()));
    m_injector = new FaultInjector(&m_timeline, m_options.seed + 400, m_redis, m_servers, m_clientProxies,
                                   m_ircProxies, m_redisProxies, this);
    m_injector->run(schedule);
    QTimer::singleShot(int(m_options.loadMs), Qt::PreciseTimer, this, &ChaosRun::endLoad);
}

void ChaosRun::endLoad()
{
    if (m_failed)
        return;
    m_injector->healAll();
    for (JsonLoadClient *client : std::as_const(m_jsonClients))
        client->stopSending();
    for (PlainLoadClient *client : std::as_const(m_plainClients))
        client->stopSending();
    for (IrcLoadClient *client : std::as_const(m_ircClients))
        client->stopSending();
    m_timeline.note(
            QStringLiteral("load over, every fault healed; quiet for %1 s").arg(m_options.quietMs / 1000.0));
    QTimer::singleShot(int(m_options.quietMs), this, [this] {
        if (m_failed)
            return;
        // Everyone up and in the cluster before the last connections (bounded).
        const bool up = waitUntil(
                [this] {
                    for (const ServerNode *server : std::as_const(m_servers)) {
                        if (!server->isListening() || !server->clusterHealthy())
                            return false;
                    }
                    return true;
                },
                20000);
        if (!up)
            m_timeline.note(QStringLiteral("not every server is up and in the cluster; checking anyway"));
        finishClients();
    });
}

void ChaosRun::finishClients()
{
    int unacknowledged = 0;
    for (const JsonLoadClient *client : std::as_const(m_jsonClients))
        unacknowledged += client->unacknowledged();
    int ircUnacknowledged = 0;
    for (const IrcLoadClient *client : std::as_const(m_ircClients))
        ircUnacknowledged += client->unacknowledged();
    m_timeline.note(
            QStringLiteral("final: every JSON and IRC client resumes once more and reads the whole "
                           "history (%1 JSON message(s) still unacknowledged; %2 IRC, never sent again)")
                    .arg(unacknowledged)
                    .arg(ircUnacknowledged));
    for (PlainLoadClient *client : std::as_const(m_plainClients))
        client->finish();
    m_waiting = int(m_jsonClients.size() + m_ircClients.size());
    const auto oneFinished = [this] {
        if (--m_waiting == 0)
            readServerHistories();
    };
    for (JsonLoadClient *client : std::as_const(m_jsonClients)) {
        connect(client, &JsonLoadClient::finished, this, oneFinished);
        client->finish(serverPorts());
    }
    for (IrcLoadClient *client : std::as_const(m_ircClients)) {
        connect(client, &IrcLoadClient::finished, this, oneFinished);
        client->finish(serverIrcPorts());
    }
}

void ChaosRun::readServerHistories()
{
    m_timeline.note(QStringLiteral("final: reading every server's history"));
    m_histories.resize(m_servers.size());
    m_waiting = int(m_servers.size());
    QRandomGenerator random(m_options.seed ^ 0xc0ffee);
    for (ServerNode *server : std::as_const(m_servers)) {
        QString identity;
        for (int i = 0; i < 4; ++i)
            identity += QString::number(random.generate64(), 16).rightJustified(16, u'0');
        const QJsonObject hello{ { QStringLiteral("type"), QStringLiteral("hello") },
                                 { QStringLiteral("version"), 2 },
                                 { QStringLiteral("identity"), identity } };
        auto *fetcher =
                new HistoryFetcher(server->port(), QJsonDocument(hello).toJson(QJsonDocument::Compact), this);
        const int index = server->index();
        connect(fetcher, &HistoryFetcher::finished, this, [this, fetcher, index](bool ok) {
            HistoryChecker::ServerHistory &history = m_histories[index];
            history.name = m_servers.at(index)->name();
            history.fetched = ok;
            history.problem = fetcher->problem();
            if (!fetcher->historyComplete())
                history.problem = QStringLiteral("its history does not start at the beginning");
            for (const QJsonObject &message : fetcher->messages()) {
                ClientRecord::Seen seen;
                seen.id = message.value(u"id").toInteger(-1);
                seen.key = ClientRecord::keyOf(message.value(u"text").toString());
                seen.cid = message.value(u"cid").toString();
                seen.server = index;
                if (seen.key.isEmpty()) {
                    ++history.foreign;
                    continue;
                }
                history.messages.append(seen);
            }
            fetcher->deleteLater();
            if (--m_waiting == 0)
                check();
        });
        fetcher->start(30000);
    }
}

void ChaosRun::check()
{
    for (const JsonLoadClient *client : std::as_const(m_jsonClients))
        m_records.append(client->record());
    for (const PlainLoadClient *client : std::as_const(m_plainClients))
        m_records.append(client->record());
    for (const IrcLoadClient *client : std::as_const(m_ircClients))
        m_records.append(client->record());
    HistoryChecker checker(m_records, m_histories, m_timeline);
    const bool ok = checker.check();
    std::printf("\n");
    checker.report();
    if (!ok || m_options.keep) {
        m_directory.setAutoRemove(false);
        std::printf("logs and databases kept in %s\n", qUtf8Printable(m_directory.path()));
    }
    std::printf("chaos: seed %u: %s\n", m_options.seed, ok ? "no violation" : "VIOLATIONS found");
    std::fflush(stdout);
    Q_EMIT finished(ok ? 0 : 1);
}
