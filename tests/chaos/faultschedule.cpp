#include "faultschedule.h"

#include <QRandomGenerator>

namespace {

struct KindName
{
    FaultKind kind;
    const char *name;
};

constexpr KindName kindNameTable[] = {
    { FaultKind::Kill, "kill" },
    { FaultKind::Stop, "stop" },
    { FaultKind::RedisStop, "redis-stop" },
    { FaultKind::RedisRestart, "redis-restart" },
    { FaultKind::CutClients, "cut-clients" },
    { FaultKind::CutRedis, "cut-redis" },
    { FaultKind::Refuse, "refuse" },
    { FaultKind::Drop, "drop" },
    { FaultKind::Reconnect, "reconnect" },
};

} // namespace

QString FaultEvent::describe() const
{
    const QString server = QStringLiteral("server %1").arg(target + 1);
    const QString seconds = QString::number(durationMs / 1000.0, 'f', 1);
    switch (kind) {
    case FaultKind::Kill:
        return QStringLiteral("kill -9 %1, restart in %2 s").arg(server, seconds);
    case FaultKind::Stop:
        return QStringLiteral("SIGSTOP %1 for %2 s").arg(server, seconds);
    case FaultKind::RedisStop:
        return QStringLiteral("SIGSTOP Redis for %1 s").arg(seconds);
    case FaultKind::RedisRestart:
        return QStringLiteral("kill -9 Redis, start it empty in %1 s").arg(seconds);
    case FaultKind::CutClients:
        return QStringLiteral("cut every client connection of %1").arg(server);
    case FaultKind::CutRedis:
        return QStringLiteral("cut %1's Redis links, refusing new ones for %2 s").arg(server, seconds);
    case FaultKind::Refuse:
        return QStringLiteral("refuse new client connections to %1 for %2 s").arg(server, seconds);
    case FaultKind::Drop:
        return QStringLiteral("drop one client connection of %1 mid-stream").arg(server);
    case FaultKind::Reconnect:
        return QStringLiteral("clients drop and resume");
    }
    return {};
}

QStringList FaultSchedule::kindNames()
{
    QStringList names;
    for (const KindName &entry : kindNameTable)
        names.append(QLatin1String(entry.name));
    return names;
}

QList<FaultKind> FaultSchedule::allKinds()
{
    QList<FaultKind> kinds;
    for (const KindName &entry : kindNameTable)
        kinds.append(entry.kind);
    return kinds;
}

QString FaultSchedule::name(FaultKind kind)
{
    for (const KindName &entry : kindNameTable) {
        if (entry.kind == kind)
            return QLatin1String(entry.name);
    }
    return {};
}

bool FaultSchedule::parseKinds(const QString &text, QSet<FaultKind> *kinds, QString *error)
{
    kinds->clear();
    if (text == u"none")
        return true;
    for (const QString &word : text.split(u',', Qt::SkipEmptyParts)) {
        const QString wanted = word.trimmed();
        bool found = false;
        for (const KindName &entry : kindNameTable) {
            if (wanted == u"all" || wanted == QLatin1String(entry.name)) {
                kinds->insert(entry.kind);
                found = true;
            }
        }
        if (!found) {
            *error = QStringLiteral("unknown fault kind \"%1\"; the kinds are all, none or %2")
                             .arg(wanted, kindNames().join(u", "));
            return false;
        }
    }
    return true;
}

FaultSchedule FaultSchedule::make(quint32 seed, qint64 loadMs, int servers, const QSet<FaultKind> &kinds)
{
    FaultSchedule schedule;
    // Reconnect is the clients' own doing, not a scheduled event.
    QList<FaultKind> scheduled;
    for (const KindName &entry : kindNameTable) {
        if (entry.kind != FaultKind::Reconnect && kinds.contains(entry.kind))
            scheduled.append(entry.kind);
    }
    if (scheduled.isEmpty() || servers < 1)
        return schedule;
    QRandomGenerator random(seed ^ 0x5eed);
    const qint64 lastEnd = loadMs - 3000; // every fault healed before the load stops
    qint64 serverBusyUntil = 0; // one server down or stopped at a time
    qint64 redisBusyUntil = 0;
    QList<qint64> redisLinkBusyUntil(servers, 0);
    QList<qint64> refusingUntil(servers, 0);
    qint64 at = 3000;
    for (int step = 0; step < 10000; ++step) {
        at += 1500 + random.bounded(3500);
        if (at >= lastEnd - 500)
            break;
        FaultEvent event;
        event.atMs = at;
        event.kind = scheduled.at(random.bounded(int(scheduled.size())));
        event.target = random.bounded(servers);
        const qint64 room = lastEnd - at;
        switch (event.kind) {
        case FaultKind::Kill:
            event.durationMs = 800 + random.bounded(3200);
            if (at < serverBusyUntil || event.durationMs > room)
                continue;
            serverBusyUntil = at + event.durationMs + 2000; // and a moment to start again
            break;
        case FaultKind::Stop:
            // A third of them longer than the 5 s heartbeat timeout.
            event.durationMs =
                    random.bounded(3) == 0 ? 5500 + random.bounded(3000) : 800 + random.bounded(3500);
            if (at < serverBusyUntil || event.durationMs > room)
                continue;
            serverBusyUntil = at + event.durationMs + 1000;
            break;
        case FaultKind::RedisStop:
        case FaultKind::RedisRestart:
            event.target = -1;
            event.durationMs = event.kind == FaultKind::RedisStop ? 800 + random.bounded(5500)
                                                                  : 300 + random.bounded(2700);
            if (at < redisBusyUntil || event.durationMs > room)
                continue;
            redisBusyUntil = at + event.durationMs + 1500;
            break;
        case FaultKind::CutRedis:
            event.durationMs = 200 + random.bounded(3800);
            if (at < redisLinkBusyUntil.at(event.target) || event.durationMs > room)
                continue;
            redisLinkBusyUntil[event.target] = at + event.durationMs + 500;
            break;
        case FaultKind::Refuse:
            event.durationMs = 500 + random.bounded(3500);
            if (at < refusingUntil.at(event.target) || event.durationMs > room)
                continue;
            refusingUntil[event.target] = at + event.durationMs + 500;
            break;
        case FaultKind::CutClients:
        case FaultKind::Drop:
        case FaultKind::Reconnect:
            break;
        }
        schedule.m_events.append(event);
    }
    return schedule;
}
