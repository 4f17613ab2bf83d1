#pragma once

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// The kinds of fault the harness can inject; --faults names them.
enum class FaultKind {
    Kill, // kill -9 a server, restart it (same history database) after a while
    Stop, // SIGSTOP a server, SIGCONT it after a while (sometimes past the 5 s heartbeat timeout)
    RedisStop, // SIGSTOP / SIGCONT Redis
    RedisRestart, // kill Redis, start it again empty
    CutClients, // the proxy in front of a server cuts every client connection
    CutRedis, // the proxy between a server and Redis cuts its links and refuses new ones a while
    Refuse, // the proxy in front of a server refuses new client connections a while
    Drop, // one client connection dropped mid-stream (part of a line forwarded, then cut)
    Reconnect, // the clients' own random drops and resumes on a random server
};

// One fault of the schedule: at atMs after the run started, kind on target (a server's
// index; -1 for Redis or a random client), lasting durationMs (0: instantaneous).
struct FaultEvent
{
    qint64 atMs = 0;
    FaultKind kind = FaultKind::Kill;
    int target = -1;
    int durationMs = 0;

    QString describe() const;
};

// The fault schedule, made in full before the run from the seed: the same seed and options
// give the same faults at the same times. At most one server is down or stopped at a time,
// Redis has one fault at a time, and every fault is over by the end of the load phase.
class FaultSchedule
{
public:
    static QStringList kindNames();
    static QList<FaultKind> allKinds();
    static QString name(FaultKind kind);
    // "all", "none" or a comma-separated list of names; false with why for an unknown name.
    static bool parseKinds(const QString &text, QSet<FaultKind> *kinds, QString *error);

    static FaultSchedule make(quint32 seed, qint64 loadMs, int servers, const QSet<FaultKind> &kinds);

    const QList<FaultEvent> &events() const { return m_events; }

private:
    QList<FaultEvent> m_events;
};
