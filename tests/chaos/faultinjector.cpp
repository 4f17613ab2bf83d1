#include "faultinjector.h"

#include "faultproxy.h"
#include "redisprocess.h"
#include "servernode.h"
#include "timeline.h"

#include <QTimer>

FaultInjector::FaultInjector(Timeline *timeline, quint32 seed, RedisProcess *redis,
                             const QList<ServerNode *> &servers, const QList<FaultProxy *> &clientProxies,
                             const QList<FaultProxy *> &ircProxies, const QList<FaultProxy *> &redisProxies,
                             QObject *parent)
    : QObject(parent),
      m_timeline(timeline),
      m_random(seed),
      m_redis(redis),
      m_servers(servers),
      m_clientProxies(clientProxies),
      m_ircProxies(ircProxies),
      m_redisProxies(redisProxies)
{ }

void FaultInjector::run(const FaultSchedule &schedule)
{
    for (const FaultEvent &event : schedule.events()) {
        QTimer::singleShot(int(qMax<qint64>(0, event.atMs - m_timeline->now())), Qt::PreciseTimer, this,
                           [this, event] {
                               if (!m_stopped)
                                   apply(event);
                           });
    }
}

void FaultInjector::later(int ms, const QString &what, const std::function<void()> &action)
{
    QTimer::singleShot(ms, Qt::PreciseTimer, this, [this, what, action] {
        if (m_stopped)
            return; // healAll() did it
        m_timeline->note(what);
        action();
    });
}

void FaultInjector::apply(const FaultEvent &event)
{
    ++m_injected;
    m_timeline->note(QStringLiteral("fault: ") + event.describe());
    ServerNode *server = event.target >= 0 ? m_servers.at(event.target) : nullptr;
    switch (event.kind) {
    case FaultKind::Kill:
        server->kill();
        later(event.durationMs, QStringLiteral("heal: restart %1").arg(server->name()),
              [server] { server->start(); });
        break;
    case FaultKind::Stop:
        server->pause();
        later(event.durationMs, QStringLiteral("heal: SIGCONT %1").arg(server->name()),
              [server] { server->resume(); });
        break;
    case FaultKind::RedisStop:
        m_redis->pause();
        later(event.durationMs, QStringLiteral("heal: SIGCONT Redis"), [this] { m_redis->resume(); });
        break;
    case FaultKind::RedisRestart:
        m_redis->kill();
        later(event.durationMs, QStringLiteral("heal: Redis starts again, empty"), [this] {
            if (!m_redis->start())
                m_timeline->note(QStringLiteral("Redis does not start again"));
        });
        break;
    case FaultKind::CutClients: {
        const int cut = m_clientProxies.at(event.target)->cutAll();
        const int ircCut = m_ircProxies.isEmpty() ? 0 : m_ircProxies.at(event.target)->cutAll();
        m_timeline->note(
                QStringLiteral("  %1 connection(s) cut, %2 of them IRC").arg(cut + ircCut).arg(ircCut));
        break;
    }
    case FaultKind::CutRedis: {
        FaultProxy *proxy = m_redisProxies.at(event.target);
        const int cut = proxy->cutAll();
        m_timeline->note(QStringLiteral("  %1 Redis connection(s) cut").arg(cut));
        if (event.durationMs > 0) {
            proxy->refuseFor(0);
            later(event.durationMs, QStringLiteral("heal: %1 may reach Redis again").arg(server->name()),
                  [proxy] { proxy->allow(); });
        }
        break;
    }
    case FaultKind::Refuse: {
        QList<FaultProxy *> proxies{ m_clientProxies.at(event.target) };
        if (!m_ircProxies.isEmpty())
            proxies.append(m_ircProxies.at(event.target));
        for (FaultProxy *proxy : std::as_const(proxies))
            proxy->refuseFor(0);
        later(event.durationMs, QStringLiteral("heal: %1 takes new connections again").arg(server->name()),
              [proxies] {
                  for (FaultProxy *proxy : proxies)
                      proxy->allow();
              });
        break;
    }
    case FaultKind::Drop: {
        // One connection of all the server's, whichever port it came through.
        FaultProxy *clients = m_clientProxies.at(event.target);
        FaultProxy *irc = m_ircProxies.isEmpty() ? nullptr : m_ircProxies.at(event.target);
        const int total = clients->connectionCount() + (irc ? irc->connectionCount() : 0);
        FaultProxy *proxy =
                irc && total > 0 && m_random.bounded(total) >= clients->connectionCount() ? irc : clients;
        if (!proxy->dropOne())
            m_timeline->note(QStringLiteral("  no connection to drop"));
        else if (proxy == irc)
            m_timeline->note(QStringLiteral("  an IRC connection dropped"));
        break;
    }
    case FaultKind::Reconnect:
        break;
    }
}

void FaultInjector::healAll()
{
    m_stopped = true;
    if (m_redis->isPaused())
        m_redis->resume();
    if (!m_redis->isRunning())
        m_redis->start();
    for (ServerNode *server : std::as_const(m_servers)) {
        if (server->isPaused())
            server->resume();
        if (!server->isRunning())
            server->start();
    }
    for (FaultProxy *proxy : m_clientProxies + m_ircProxies + m_redisProxies) {
        if (proxy->isRefusing())
            proxy->allow();
    }
}
