#include "chaosoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <algorithm>

bool ChaosOptions::parse(const QCoreApplication &application, QString *message, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "The fault harness: a private Redis, a cluster of groupchat servers and clients behind fault-"
            "injecting proxies, faults from a seed, and a history checker at the end. Exits 0 when no "
            "violation was found, 1 when one was, 2 when the run could not be made, 77 without "
            "redis-server."));
    parser.addHelpOption();
    parser.addOptions({
            { QStringLiteral("seed"),
              QStringLiteral("The seed of every random choice (default: a random one, printed)."),
              QStringLiteral("n") },
            { QStringLiteral("seconds"), QStringLiteral("Length of the load phase (default 60)."),
              QStringLiteral("s") },
            { QStringLiteral("minutes"), QStringLiteral("Length of the load phase in minutes."),
              QStringLiteral("m") },
            { QStringLiteral("quiet"),
              QStringLiteral("Seconds without faults or new messages before the check (default 12)."),
              QStringLiteral("s") },
            { QStringLiteral("servers"), QStringLiteral("groupchat servers in the cluster (default 3)."),
              QStringLiteral("n") },
            { QStringLiteral("clients"), QStringLiteral("JSON clients (default 6)."), QStringLiteral("n") },
            { QStringLiteral("plain"),
              QStringLiteral("Plain clients; the first sends, the others only read (default 3)."),
              QStringLiteral("n") },
            { QStringLiteral("irc"),
              QStringLiteral("IRC clients (IRCv3: msgid, echo-message, chathistory); each sends and reads "
                             "(default 2)."),
              QStringLiteral("n") },
            { QStringLiteral("faults"),
              QStringLiteral("Fault kinds to inject: all (default), none, or a comma-separated list of %1.")
                      .arg(FaultSchedule::kindNames().join(u", ")),
              QStringLiteral("list") },
            { QStringLiteral("server-binary"),
              QStringLiteral("The groupchat-server to run (default: the one built with this)."),
              QStringLiteral("path") },
            { QStringLiteral("redis-binary"), QStringLiteral("The redis-server to run (default: from PATH)."),
              QStringLiteral("path") },
            { QStringLiteral("keep"),
              QStringLiteral("Keep the working directory (logs, databases) also without violation.") },
            { QStringLiteral("verbose"), QStringLiteral("Say every connection and drop of every client.") },
    });
    if (!parser.parse(application.arguments())) {
        *message = parser.errorText();
        *exitCode = 2;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        *message = parser.helpText();
        *exitCode = 0;
        return false;
    }
    const auto number = [&](const QString &name, double minimum, double maximum, double *value) {
        if (!parser.isSet(name))
            return true;
        bool ok = false;
        const double given = parser.value(name).toDouble(&ok);
        if (!ok || given < minimum || given > maximum) {
            *message =
                    QStringLiteral("--%1 takes a number from %2 to %3").arg(name).arg(minimum).arg(maximum);
            *exitCode = 2;
            return false;
        }
        *value = given;
        return true;
    };
    double seconds = loadMs / 1000.0, minutes = -1, quiet = quietMs / 1000.0, seedValue = -1;
    double serverCount = servers, json = jsonClients, plain = plainClients, irc = ircClients;
    if (!number(QStringLiteral("seconds"), 10, 86400, &seconds) ||
        !number(QStringLiteral("minutes"), 0.2, 1440, &minutes) ||
        !number(QStringLiteral("quiet"), 5, 600, &quiet) ||
        !number(QStringLiteral("servers"), 1, 9, &serverCount) ||
        !number(QStringLiteral("clients"), 1, 100, &json) ||
        !number(QStringLiteral("plain"), 0, 100, &plain) || !number(QStringLiteral("irc"), 0, 100, &irc) ||
        !number(QStringLiteral("seed"), 0, 4294967295.0, &seedValue))
        return false;
    loadMs = minutes > 0 ? qint64(minutes * 60000) : qint64(seconds * 1000);
    quietMs = qint64(quiet * 1000);
    servers = int(serverCount);
    jsonClients = int(json);
    plainClients = int(plain);
    ircClients = int(irc);
    seed = seedValue >= 0 ? quint32(seedValue) : QRandomGenerator::system()->generate();
    QString error;
    if (!FaultSchedule::parseKinds(parser.isSet(QStringLiteral("faults"))
                                           ? parser.value(QStringLiteral("faults"))
                                           : QStringLiteral("all"),
                                   &faults, &error)) {
        *message = error;
        *exitCode = 2;
        return false;
    }
    serverBinary = parser.isSet(QStringLiteral("server-binary"))
                           ? parser.value(QStringLiteral("server-binary"))
                           : QStringLiteral(GROUPCHAT_SERVER_BINARY);
    redisBinary = parser.isSet(QStringLiteral("redis-binary"))
                          ? parser.value(QStringLiteral("redis-binary"))
                          : QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (redisBinary.isEmpty()) {
        *message = QStringLiteral(
                "redis-server is not installed (Debian: redis-server; scripts/deps.sh installs it)");
        *exitCode = 77; // ctest: skipped
        return false;
    }
    keep = parser.isSet(QStringLiteral("keep"));
    verbose = parser.isSet(QStringLiteral("verbose"));
    return true;
}

QString ChaosOptions::describe() const
{
    QStringList kinds;
    for (FaultKind kind : FaultSchedule::allKinds()) {
        if (faults.contains(kind))
            kinds.append(FaultSchedule::name(kind));
    }
    return QStringLiteral("seed %1, %2 s of load then %3 s quiet, %4 servers, %5 JSON, %6 plain and %7 IRC "
                          "clients, faults: %8")
            .arg(seed)
            .arg(loadMs / 1000.0)
            .arg(quietMs / 1000.0)
            .arg(servers)
            .arg(jsonClients)
            .arg(plainClients)
            .arg(ircClients)
            .arg(kinds.isEmpty() ? QStringLiteral("none") : kinds.join(u','));
}
