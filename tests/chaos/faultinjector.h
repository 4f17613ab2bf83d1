#pragma once

#include "faultschedule.h"

#include <QList>
#include <QObject>

class FaultProxy;
class RedisProcess;
class ServerNode;
class Timeline;

// Carries out a FaultSchedule on the run's processes and proxies, each fault and its end on
// a timer, and says on the timeline what it did. healAll() ends every fault at once (the
// schedule ends them all before the load stops; this is the safety net).
class FaultInjector : public QObject
{
    Q_OBJECT

public:
    FaultInjector(Timeline *timeline, RedisProcess *redis, const QList<ServerNode *> &servers,
                  const QList<FaultProxy *> &clientProxies, const QList<FaultProxy *> &redisProxies,
                  QObject *parent = nullptr);

    void run(const FaultSchedule &schedule);
    void healAll();
    int injected() const { return m_injected; }

private:
    void apply(const FaultEvent &event);
    void later(int ms, const QString &what, const std::function<void()> &action);

    Timeline *m_timeline;
    RedisProcess *m_redis;
    QList<ServerNode *> m_servers;
    QList<FaultProxy *> m_clientProxies;
    QList<FaultProxy *> m_redisProxies;
    bool m_stopped = false;
    int m_injected = 0;
};
