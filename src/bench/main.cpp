// groupchat-bench: a load generator for groupchat and other chat servers (IRC), to size a
// deployment and to compare servers on one machine.
#include "loadgenerator.h"
#include "procstats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace {

double ms(int64_t micros)
{
    return double(micros) / 1000.0;
}

QJsonObject latencyJson(const Histogram &h)
{
    return { { QStringLiteral("p50_ms"), ms(h.percentile(0.50)) },
             { QStringLiteral("p90_ms"), ms(h.percentile(0.90)) },
             { QStringLiteral("p99_ms"), ms(h.percentile(0.99)) },
             { QStringLiteral("p999_ms"), ms(h.percentile(0.999)) },
             { QStringLiteral("max_ms"), ms(h.max()) } };
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("groupchat-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GROUPCHAT_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
            "Opens many client connections to a chat server, lets some of them send lines and\n"
            "measures how the server delivers them to everyone: deliveries per second,\n"
            "latency (receive time minus scheduled send time), and every delivery counted:\n"
            "expected, received, missing, duplicated, out of order.\n"
            "Window mode (default): each sender keeps at most --window lines unanswered, a\n"
            "line being answered when one reading client has it. Rate mode (--rate): lines\n"
            "go out on a fixed schedule whatever happens."));
    parser.addHelpOption();
    parser.addVersionOption();
    const auto opt = [&parser](const char *name, const char *description, const char *valueName = nullptr,
                               const char *defaultValue = nullptr) {
        QCommandLineOption option(QString::fromLatin1(name), QString::fromLatin1(description));
        if (valueName)
            option.setValueName(QString::fromLatin1(valueName));
        if (defaultValue)
            option.setDefaultValue(QString::fromLatin1(defaultValue));
        parser.addOption(option);
        return option;
    };
    const auto host =
            opt("host", "Server address (loopback only: 127.0.0.1 or ::1).", "address", "127.0.0.1");
    const auto port =
            opt("port", "Server port; several servers of one cluster: p1,p2,... (clients spread over them).",
                "port", "6666");
    const auto dialect =
            opt("dialect", "plain (groupchat, nc-style lines) or irc (NICK/USER, JOIN, PRIVMSG).", "name",
                "plain");
    const auto clients = opt("clients", "Client connections.", "n", "10");
    const auto senders = opt("senders", "How many of them send (default: up to 10).", "n");
    const auto lines = opt("lines", "Lines each sender sends.", "n", "200");
    const auto window = opt("window", "Unanswered lines per sender.", "n", "8");
    const auto rate =
            opt("rate", "Send at this many lines per second in all, instead of a window.", "lines/s");
    const auto payload = opt("payload", "Bytes of text in each line.", "bytes", "64");
    const auto connectRate = opt("connect-rate", "New connections per second (default: all at once).", "n");
    const auto connectTimeout =
            opt("connect-timeout", "Give up when not everyone is ready after this long.", "seconds");
    const auto stuck =
            opt("stuck", "Percentage of clients that stop reading once connected.", "percent", "0");
    const auto drain = opt("drain", "Seconds to wait for the last deliveries.", "seconds", "10");
    const auto channel = opt("channel", "IRC channel to join.", "name", "#bench");
    const auto rooms =
            opt("rooms",
                "Team-shaped: client i is also in room #r<i mod n> and sends there (default 0: one room).",
                "n", "0");
    const auto churnRate =
            opt("churn",
                "While the load runs, clients that do not send join and leave rooms, this many times a "
                "second.",
                "per second", "0");
    const auto serverPid = opt("server-pid", "Report this server process's CPU time and memory.", "pid");
    const auto noRegister =
            opt("no-register", "plain: a client is ready once greeted, without taking a nick.");
    const auto json = opt("json", "Print the result as JSON.");
    const auto quiet = opt("quiet", "No progress lines.");
    parser.process(app);

    LoadGenerator::Options o;
    o.host = parser.value(host).toStdString();
    for (const QString &part : parser.value(port).split(u',', Qt::SkipEmptyParts))
        o.ports.push_back(quint16(part.toUInt()));
    o.port = o.ports.empty() ? 0 : o.ports.front();
    if (o.ports.size() == 1)
        o.ports.clear();
    if (std::find(o.ports.begin(), o.ports.end(), 0) != o.ports.end())
        o.port = 0;
    o.dialect = parser.value(dialect) == u"irc" ? LoadGenerator::Dialect::Irc : LoadGenerator::Dialect::Plain;
    o.clients = parser.value(clients).toInt();
    o.senders = parser.isSet(senders) ? parser.value(senders).toInt() : std::min(o.clients, 10);
    o.lines = parser.value(lines).toInt();
    o.window = parser.value(window).toInt();
    o.rate = parser.value(rate).toDouble();
    o.payload = parser.value(payload).toInt();
    o.connectRate = parser.value(connectRate).toDouble();
    o.connectTimeout = parser.value(connectTimeout).toDouble();
    o.stuckFraction = parser.value(stuck).toDouble() / 100.0;
    o.drainSeconds = parser.value(drain).toDouble();
    o.channel = parser.value(channel).toStdString();
    o.rooms = parser.value(rooms).toInt();
    o.churnRate = parser.value(churnRate).toDouble();
    o.registerNick = !parser.isSet(noRegister);
    if (o.clients <= 0 || o.lines < 0 || o.payload < 0 || o.port == 0) {
        std::fprintf(stderr, "groupchat-bench: --clients, --lines, --payload and --port must be positive\n");
        return 2;
    }
    if (o.host != "127.0.0.1" && o.host != "::1" && o.host.rfind("127.", 0) != 0) {
        std::fprintf(stderr, "groupchat-bench: load goes to loopback only (127.0.0.0/8 or ::1)\n");
        return 2;
    }
    if (!parser.isSet(quiet)) {
        o.progress = [](const std::string &line) {
            std::fprintf(stderr, "\r  %-70s", line.c_str());
            std::fflush(stderr);
        };
    }
    const pid_t pid = parser.isSet(serverPid) ? pid_t(parser.value(serverPid).toInt()) : 0;

    LoadGenerator generator(o);
    const ProcessStats serverEmpty = pid ? ProcessStats::of(pid) : ProcessStats();
    const bool connected = generator.connectAll();
    const ProcessStats serverConnected = pid ? ProcessStats::of(pid) : ProcessStats();
    const ProcessStats selfBefore = ProcessStats::self();
    if (connected)
        generator.run();
    const ProcessStats selfAfter = ProcessStats::self();
    const ProcessStats serverAfter = pid ? ProcessStats::of(pid) : ProcessStats();
    if (o.progress)
        std::fprintf(stderr, "\r%-74s\r", "");

    const LoadGenerator::Result &r = generator.result();
    // Percentages of a run that did not really run mean nothing.
    const double seconds = r.seconds > 0.05 ? r.seconds : 0;
    const auto percent = [seconds](double cpu) {
        return seconds > 0 ? QJsonValue(100.0 * cpu / seconds) : QJsonValue();
    };
    QJsonObject result{
        { QStringLiteral("dialect"), parser.value(dialect) },
        { QStringLiteral("clients"), o.clients },
        { QStringLiteral("senders"), o.senders },
        { QStringLiteral("lines_per_sender"), o.lines },
        { QStringLiteral("window"), o.rate > 0 ? QJsonValue() : QJsonValue(o.window) },
        { QStringLiteral("rate"), o.rate > 0 ? QJsonValue(o.rate) : QJsonValue() },
        { QStringLiteral("payload"), o.payload },
        { QStringLiteral("ready"), r.ready },
        { QStringLiteral("connect_seconds"), r.connectSeconds },
        { QStringLiteral("lines_sent"), qint64(r.linesSent) },
        { QStringLiteral("expected"), qint64(r.expected) },
        { QStringLiteral("received"), qint64(r.received) },
        { QStringLiteral("missing"), qint64(r.missing) },
        { QStringLiteral("duplicated"), qint64(r.duplicated) },
        { QStringLiteral("reordered"), qint64(r.reordered) },
        { QStringLiteral("seconds"), r.seconds },
        { QStringLiteral("deliveries_per_second"), r.deliveriesPerSecond },
        { QStringLiteral("latency"), latencyJson(r.latency) },
        { QStringLiteral("fan_out"), latencyJson(r.fanOut) },
        { QStringLiteral("stuck_clients"), r.stuck },
        { QStringLiteral("stuck_dropped"), r.stuckDropped },
        { QStringLiteral("readers_dropped"), r.droppedReaders },
        { QStringLiteral("churns"), qint64(r.churns) },
        { QStringLiteral("bench_cpu_percent"), percent(selfAfter.cpuSeconds - selfBefore.cpuSeconds) },
    };
    if (pid && serverAfter.valid) {
        result.insert(QStringLiteral("server_cpu_percent"),
                      percent(serverAfter.cpuSeconds - serverConnected.cpuSeconds));
        result.insert(QStringLiteral("server_peak_rss_mib"), double(serverAfter.peakRssKiB) / 1024.0);
        result.insert(QStringLiteral("server_rss_mib"), double(serverAfter.rssKiB) / 1024.0);
        result.insert(QStringLiteral("server_idle_kib_per_connection"),
                      double(serverConnected.rssKiB - serverEmpty.rssKiB) / double(std::max(1, r.ready)));
    }
    if (!r.error.empty())
        result.insert(QStringLiteral("error"), QString::fromStdString(r.error));

    if (parser.isSet(json)) {
        std::printf("%s\n", QJsonDocument(result).toJson(QJsonDocument::Compact).constData());
    } else {
        const auto line = [](const char *label, const QString &value) {
            std::printf("  %-24s %s\n", label, qPrintable(value));
        };
        const auto lat = [](const Histogram &h) {
            return QStringLiteral("p50 %1  p90 %2  p99 %3  p99.9 %4  max %5 ms")
                    .arg(ms(h.percentile(0.5)), 0, 'f', 2)
                    .arg(ms(h.percentile(0.9)), 0, 'f', 2)
                    .arg(ms(h.percentile(0.99)), 0, 'f', 2)
                    .arg(ms(h.percentile(0.999)), 0, 'f', 2)
                    .arg(ms(h.max()), 0, 'f', 2);
        };
        std::printf("groupchat-bench: %s, %d clients, %d senders x %d lines, %s, %d-byte payload\n",
                    qPrintable(parser.value(dialect)), o.clients, o.senders, o.lines,
                    qPrintable(o.rate > 0 ? QStringLiteral("%1 lines/s").arg(o.rate)
                                          : QStringLiteral("window %1").arg(o.window)),
                    o.payload);
        if (!r.error.empty())
            line("error", QString::fromStdString(r.error));
        line("connected and ready",
             QStringLiteral("%1 in %2 s").arg(r.ready).arg(r.connectSeconds, 0, 'f', 3));
        line("deliveries/s", QStringLiteral("%1").arg(r.deliveriesPerSecond, 0, 'f', 0));
        line("latency", lat(r.latency));
        line("fan-out", lat(r.fanOut));
        line("deliveries",
             QStringLiteral("expected %1, received %2, missing %3, duplicated %4, out of order %5")
                     .arg(r.expected)
                     .arg(r.received)
                     .arg(r.missing)
                     .arg(r.duplicated)
                     .arg(r.reordered));
        if (r.stuck > 0)
            line("stopped reading",
                 QStringLiteral("%1 clients, %2 dropped by the server").arg(r.stuck).arg(r.stuckDropped));
        line("readers dropped", QString::number(r.droppedReaders));
        if (r.churns > 0)
            line("room joins and leaves", QString::number(r.churns));
        line("bench CPU",
             QStringLiteral("%1 %").arg(result.value(u"bench_cpu_percent").toDouble(), 0, 'f', 0));
        if (pid && serverAfter.valid) {
            line("server CPU",
                 QStringLiteral("%1 %").arg(result.value(u"server_cpu_percent").toDouble(), 0, 'f', 0));
            line("server memory",
                 QStringLiteral("peak %1 MiB, now %2 MiB, idle %3 KiB per connection")
                         .arg(double(serverAfter.peakRssKiB) / 1024.0, 0, 'f', 1)
                         .arg(double(serverAfter.rssKiB) / 1024.0, 0, 'f', 1)
                         .arg(result.value(u"server_idle_kib_per_connection").toDouble(), 0, 'f', 2));
        }
    }
    return r.error.empty() && r.missing == 0 && r.duplicated == 0 ? 0 : 1;
}
