#pragma once

#include "chaosoptions.h"
#include "historychecker.h"
#include "timeline.h"

#include <QList>
#include <QObject>
#include <QTemporaryDir>

#include <memory>

class FaultInjector;
class FaultProxy;
class HistoryFetcher;
class IrcLoadClient;
class JsonLoadClient;
class PlainLoadClient;
class RedisProcess;
class ServerNode;

// One run of the fault harness, phase after phase on the event loop: start Redis, the proxies
// and the servers; load and faults for the load phase; heal everything and stay quiet; every
// JSON and IRC client connects once more and reads the history, then each server's history is
// read;
// the checker decides. finished(exit code): 0 no violation, 1 violations, 2 the run could not
// be made.
class ChaosRun : public QObject
{
    Q_OBJECT

public:
    explicit ChaosRun(const ChaosOptions &options, QObject *parent = nullptr);
    ~ChaosRun() override;

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    bool setUp();
    void startLoad();
    void endLoad();
    void finishClients();
    void readServerHistories();
    void check();
    void fail(const QString &why);
    // Runs the event loop until ready() or timeoutMs; during setup only.
    bool waitUntil(const std::function<bool()> &ready, int timeoutMs);
    QList<quint16> serverPorts() const;
    QList<quint16> serverIrcPorts() const;

    ChaosOptions m_options;
    Timeline m_timeline;
    QTemporaryDir m_directory;
    RedisProcess *m_redis = nullptr;
    QList<ServerNode *> m_servers;
    QList<FaultProxy *> m_clientProxies;
    QList<FaultProxy *> m_ircProxies; // in front of each server's IRC port (none without IRC clients)
    QList<FaultProxy *> m_redisProxies;
    FaultInjector *m_injector = nullptr;
    QList<JsonLoadClient *> m_jsonClients;
    QList<PlainLoadClient *> m_plainClients;
    QList<IrcLoadClient *> m_ircClients;
    QList<HistoryChecker::ServerHistory> m_histories;
    QList<ClientRecord> m_records;
    int m_waiting = 0;
    bool m_failed = false;
};
