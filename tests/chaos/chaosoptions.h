#pragma once

#include "faultschedule.h"

#include <QSet>
#include <QString>
#include <QStringList>

class QCoreApplication;

// What one run does, from the command line.
struct ChaosOptions
{
    quint32 seed = 0;
    qint64 loadMs = 60000; // the load phase, faults included
    qint64 quietMs = 12000; // after the load: no faults, no new messages, then the check
    int servers = 3;
    int jsonClients = 6;
    int plainClients = 3; // the first sends (without cid), the others only receive
    int ircClients = 2; // each sends (without cid) and receives
    QSet<FaultKind> faults;
    QString serverBinary;
    QString redisBinary;
    bool keep = false; // keep the working directory (logs, databases) even without violation
    bool verbose = false;

    // Parses the application's arguments; false (with why, or the help text) when it should
    // not run. exitCode is what to exit with then.
    bool parse(const QCoreApplication &application, QString *message, int *exitCode);
    QString describe() const;
};
