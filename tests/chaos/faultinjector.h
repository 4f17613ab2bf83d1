#pragma once

#include "faultschedule.h"

#include <QList>
#include <QObject>
#include <QRandomGenerator>

class FaultProxy;
class RedisProcess;
class ServerNode;
class Timeline;

// Carries out a FaultSchedule on the run's processes and proxies, each fault and its end on
// a timer, and says on the timeline what it did. healAll() ends every fault at once (the
// schedule ends them all before the load stops; this is the safety net). The client faults
// (cut-clients, refuse, drop) reach a server's IRC clients as well as its JSON and plain
// ones: its IRC proxy is cut and refuses with the other, and drop picks one connection of
// either (by its own generator, seeded by the harness).
class FaultInjector : public QObject
{
    Q_OBJECT

public:
    // ircProxies: in front of each server's IRC port, or none.
    FaultInjector(Timeline *timeline, quint32 seed, RedisProcess *redis, const QList<ServerNode *> &servers,
                  const QList<FaultProxy *> &clientProxies, const QList<FaultProxy *> &ircProxies,
                  const QList<FaultProxy *> &redisProxies, QObject *parent = nullptr);

    void run(const FaultSchedule &schedule);
    void healAll();
    int injected() const { return m_injected; }

private:
    void apply(const FaultEvent &event);
    void later(int ms, const QString &what, const std::function<void()> &action);

    Timeline *m_timeline;
    QRandomGenerator m_random;
    RedisProcess *m_redis;
    QList<ServerNode *> m_servers;
    QList<FaultProxy *> m_clientProxies;
    QList<FaultProxy *> m_ircProxies;
    QList<FaultProxy *> m_redisProxies;
    bool m_stopped = false;
    int m_injected = 0;
};
