// LAN discovery's UDP fallback (docs/PROTOCOL.md, "Discovery"): a real server (ServerService)
// and the client's ServerBrowser over loopback UDP sockets on free ports; the responder's rate
// limits and amplification bound, and hostile datagrams both ways. Probes go to 127.0.0.1 and
// 127.255.255.255 only: nothing leaves lo.
#include "chatconnection.h"
#include "chatlimits.h"
#include "discoverymessage.h"
#include "discoveryprober.h"
#include "discoveryresponder.h"
#include "logcapture.h"
#include "serverbrowser.h"
#include "serverservice.h"

#include <QCoreApplication>
#include <QNetworkDatagram>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QUdpSocket>

#include <memory>

namespace {

const QHostAddress loopbackBroadcast(QStringLiteral("127.255.255.255"));

// What the browser lists, for failure messages.
QByteArray describe(const ServerBrowser &browser)
{
    QStringList rows;
    for (const DiscoveredServer &s : browser.servers())
        rows.append(QStringLiteral("%1 at %2:%3 (probe %4, dns-sd %5)")
                            .arg(s.announcement.name, s.host)
                            .arg(s.announcement.port)
                            .arg(s.byProbe)
                            .arg(s.byDnsSd));
    return (u"listed: [" + rows.join(QStringLiteral("; ")) + u']').toUtf8();
}

} // namespace

class tst_Discovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void messageRoundTrip();
    void answerNeverLargerThanItsProbe();
    void txtRecordRoundTripAndHostileRecords();
    void serverIsFoundWithWhatItAnnounces();
    void serverFoundTwiceIsListedOnce();
    void twoServersOnOneDiscoveryPort();
    void stoppedServerDisappears();
    void announceOffAnswersNothing();
    void rateLimitPerSource();
    void rateLimitInAll();
    void malformedProbesAreIgnoredAndLoggedOnce();
    void hostileAnswersAreIgnored();
    void forgedAnswersCannotGrowTheList();
    void announcedFingerprintIsPinnedOnlyWhereNothingIs();

private:
    ServerConfig baseConfig(const QString &name) const;
    std::unique_ptr<ServerService> startServer(const ServerConfig &config);
    std::unique_ptr<ServerBrowser> browse(quint16 port, const QList<QHostAddress> &targets);
    // A responder on a free port that answers as "responder" (port 7000), with limits.
    std::unique_ptr<DiscoveryResponder> startResponder(const ChatLimits &limits);
    // Sends probes from a fresh socket to port and counts the answers that come back; waits
    // until the responder has answered or dropped them all.
    int answersTo(DiscoveryResponder *responder, const QList<QByteArray> &probes,
                  QList<qsizetype> *sizes = nullptr);
};

void tst_Discovery::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    LogCapture::install();
}

void tst_Discovery::init()
{
    LogCapture::clear();
}

ServerConfig tst_Discovery::baseConfig(const QString &name) const
{
    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.ircPort = 0;
    config.tlsPort = 0;
    config.database = QStringLiteral(":memory:");
    config.name = name;
    config.discoveryPort = 0;
    return config;
}

std::unique_ptr<ServerService> tst_Discovery::startServer(const ServerConfig &config)
{
    auto service = std::make_unique<ServerService>();
    QString error;
    if (!service->start(config, &error)) {
        qWarning("cannot start the server: %s", qPrintable(error));
        return nullptr;
    }
    return service;
}

std::unique_ptr<ServerBrowser> tst_Discovery::browse(quint16 port, const QList<QHostAddress> &targets)
{
    auto browser = std::make_unique<ServerBrowser>();
    browser->prober()->setPort(port);
    browser->prober()->setTargets(targets);
    browser->prober()->setInterval(100);
    browser->setDnsSdEnabled(false);
    browser->start();
    return browser;
}

std::unique_ptr<DiscoveryResponder> tst_Discovery::startResponder(const ChatLimits &limits)
{
    auto responder = std::make_unique<DiscoveryResponder>();
    responder->setLimits(limits);
    responder->setAnnouncementSource([] {
        ServerAnnouncement a;
        a.name = QStringLiteral("responder");
        a.protocolVersion = 2;
        a.port = 7000;
        a.online = 3;
        return a;
    });
    QString error;
    if (!responder->start(0, &error)) {
        qWarning("cannot start the responder: %s", qPrintable(error));
        return nullptr;
    }
    return responder;
}

int tst_Discovery::answersTo(DiscoveryResponder *responder, const QList<QByteArray> &probes,
                             QList<qsizetype> *sizes)
{
    QUdpSocket socket;
    if (!socket.bind(QHostAddress::LocalHost, 0))
        return -1;
    QSignalSpy answered(responder, &DiscoveryResponder::answered);
    QSignalSpy dropped(responder, &DiscoveryResponder::dropped);
    for (const QByteArray &probe : probes)
        socket.writeDatagram(probe, QHostAddress::LocalHost, responder->port());
    // Every probe handled, then every answer sent read.
    if (!QTest::qWaitFor([&] { return answered.size() + dropped.size() >= probes.size(); }, 5000))
        return -1;
    int received = 0;
    (void)QTest::qWaitFor(
            [&] {
                while (socket.hasPendingDatagrams()) {
                    const QNetworkDatagram d = socket.receiveDatagram();
                    if (sizes)
                        sizes->append(d.data().size());
                    ++received;
                }
                return received >= answered.size();
            },
            5000);
    return received;
}

void tst_Discovery::messageRoundTrip()
{
    ServerAnnouncement a;
    a.name = QStringLiteral("团队 chat");
    a.protocolVersion = 2;
    a.port = 6666;
    a.tlsPort = 6697;
    a.fingerprint = QStringLiteral("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:"
                                   "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89");
    a.passwordNeeded = true;
    a.ircPort = 6667;
    a.online = 12;
    const QByteArray answer = DiscoveryMessage::answer(a, DiscoveryMessage::minProbeBytes);
    const std::optional<ServerAnnouncement> back = DiscoveryMessage::parseAnswer(answer);
    QVERIFY2(back.has_value(), answer.constData());
    QCOMPARE(*back, a);
    QVERIFY(DiscoveryMessage::probeProblem(DiscoveryMessage::probe()).isEmpty());
}

void tst_Discovery::answerNeverLargerThanItsProbe()
{
    // The longest name there can be, of 4-byte characters: still whole in a minimum probe's answer.
    ServerAnnouncement a;
    a.name = QString(ServerAnnouncement::maxNameCharacters, QChar(u'x')).replace(u'x', QStringLiteral("𝄞"));
    a.protocolVersion = 2;
    a.port = 65535;
    a.tlsPort = 65535;
    a.fingerprint = QStringList(32, QStringLiteral("FF")).join(u':');
    a.ircPort = 65535;
    a.online = 100000000;
    const QByteArray full = DiscoveryMessage::answer(a, DiscoveryMessage::minProbeBytes);
    QVERIFY2(!full.isEmpty() && full.size() <= DiscoveryMessage::minProbeBytes,
             QByteArray::number(full.size()).constData());
    QCOMPARE(DiscoveryMessage::parseAnswer(full)->name, a.name);
    // A smaller budget cuts the name between characters, never past the bound.
    for (qsizetype probe : { 600, 400, 300, 250 }) {
        const QByteArray cut = DiscoveryMessage::answer(a, probe);
        QVERIFY2(cut.size() <= probe * DiscoveryMessage::answerFactor,
                 qPrintable(QStringLiteral("%1 bytes answer a probe of %2").arg(cut.size()).arg(probe)));
        if (!cut.isEmpty())
            QVERIFY(a.name.startsWith(DiscoveryMessage::parseAnswer(cut)->name));
    }

    // Over the wire, probes of every allowed size.
    auto responder = startResponder(ChatLimits());
    QVERIFY(responder);
    responder->setAnnouncementSource([a] { return a; });
    QList<qsizetype> sizes;
    const QList<qsizetype> probeSizes{ DiscoveryMessage::minProbeBytes, 1200,
                                       DiscoveryMessage::maxProbeBytes };
    QList<QByteArray> probes;
    for (qsizetype size : probeSizes)
        probes.append(DiscoveryMessage::probe(size));
    QCOMPARE(answersTo(responder.get(), probes, &sizes), 3);
    for (qsizetype size : std::as_const(sizes))
        QVERIFY2(size <= DiscoveryMessage::minProbeBytes * DiscoveryMessage::answerFactor,
                 qPrintable(QStringLiteral("an answer of %1 bytes").arg(size)));
}

void tst_Discovery::txtRecordRoundTripAndHostileRecords()
{
    ServerAnnouncement a;
    a.name = QStringLiteral("团队 chat");
    a.protocolVersion = 2;
    a.port = 6666;
    a.tlsPort = 6697;
    a.fingerprint = QStringList(32, QStringLiteral("0A")).join(u':');
    a.passwordNeeded = true;
    a.ircPort = 6667;
    const QList<QByteArray> txt = DiscoveryMessage::txtRecord(a);
    QCOMPARE(txt.first(), QByteArray("txtvers=1"));
    for (const QByteArray &string : txt)
        QVERIFY(string.size() <= 255);
    QCOMPARE(*DiscoveryMessage::parseTxtRecord(txt, 6666, QString()), a);

    // RFC 6763, 6.4: keys are case-insensitive and the first of a key wins.
    const auto parsed = DiscoveryMessage::parseTxtRecord(
            { "PROTO=2", "proto=9", "Name=first", "name=second", "pw", "unknown=whatever" }, 7000,
            QStringLiteral("instance"));
    QVERIFY(parsed);
    QCOMPARE(parsed->protocolVersion, 2);
    QCOMPARE(parsed->name, QStringLiteral("first"));
    // No name: the instance name; a name with controls: cleaned.
    QCOMPARE(DiscoveryMessage::parseTxtRecord({ "proto=2" }, 7000, QStringLiteral("inst"))->name,
             QStringLiteral("inst"));
    QVERIFY(!DiscoveryMessage::parseTxtRecord({ "proto=2", "name=a\x1b[31mb" }, 7000, QString())
                     ->name.contains(QChar(0x1b)));

    const QList<QList<QByteArray>> hostile{
        {}, // no proto
        { "proto=two" }, // not a number
        { "proto=2", "tls=70000" }, // out of range
        { "proto=2", "pw=yes" }, // not 0 or 1
        { "proto=2", "fp=" + QByteArray(250, 'A') }, // not a fingerprint
        { "proto=2", QByteArray(256, 'x') }, // longer than a TXT string can be
        QList<QByteArray>(200, QByteArray("x=1")), // too many strings
        QList<QByteArray>(10, "proto=2" + QByteArray(200, ' ')), // larger than 1300 bytes
    };
    for (const QList<QByteArray> &record : hostile)
        QVERIFY2(!DiscoveryMessage::parseTxtRecord(record, 7000, QString()),
                 record.join(' ').left(80).constData());
    QVERIFY(!DiscoveryMessage::parseTxtRecord({ "proto=2" }, 0, QString())); // no port
    // An instance name is one DNS label.
    QVERIFY(DiscoveryMessage::instanceName(QString(100, QChar(0x56e2))).toUtf8().size() <= 63);
}

void tst_Discovery::serverIsFoundWithWhatItAnnounces()
{
    auto server = startServer(baseConfig(QStringLiteral("team chat")));
    QVERIFY(server);
    QVERIFY(server->isAnnounced());
    QVERIFY(server->discoveryPort() != 0);
    auto browser = browse(server->discoveryPort(), { QHostAddress::LocalHost });
    QTRY_VERIFY2_WITH_TIMEOUT(browser->rowCount() == 1, describe(*browser).constData(), 5000);
    const DiscoveredServer found = browser->server(0);
    QCOMPARE(found.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(found.announcement.name, QStringLiteral("team chat"));
    QCOMPARE(found.announcement.port, server->port());
    QCOMPARE(found.announcement.protocolVersion, 2);
    QCOMPARE(found.announcement.tlsPort, quint16(0));
    QCOMPARE(found.announcement.passwordNeeded, false);
    QCOMPARE(found.announcement.online, 0);
    QVERIFY(found.byProbe);
    const QModelIndex index = browser->index(0);
    QCOMPARE(index.data(ServerBrowser::NameRole).toString(), QStringLiteral("team chat"));
    QCOMPARE(index.data(ServerBrowser::PortRole).toInt(), int(server->port()));
}

void tst_Discovery::serverFoundTwiceIsListedOnce()
{
    auto server = startServer(baseConfig(QStringLiteral("once")));
    QVERIFY(server);
    // The same server by unicast and by the loopback broadcast, and through DNS-SD too.
    auto browser = browse(server->discoveryPort(), { QHostAddress::LocalHost, loopbackBroadcast });
    QSignalSpy rounds(browser->prober(), &DiscoveryProber::roundStarted);
    QSignalSpy answers(browser->prober(), &DiscoveryProber::answered);
    QTRY_VERIFY2_WITH_TIMEOUT(answers.size() >= 4, describe(*browser).constData(), 5000);
    QCOMPARE(browser->rowCount(), 1);
    ServerAnnouncement viaDnsSd = server->announcement();
    viaDnsSd.online = -1;
    browser->addDnsSd(QStringLiteral("once._groupchat._tcp.local"), viaDnsSd, QStringLiteral("localhost"));
    QVERIFY2(browser->rowCount() == 1, describe(*browser).constData());
    QVERIFY(browser->server(0).byDnsSd && browser->server(0).byProbe);
    QCOMPARE(browser->server(0).announcement.online, 0); // the probe's count kept
    browser->removeDnsSd(QStringLiteral("once._groupchat._tcp.local"));
    QVERIFY2(browser->rowCount() == 1, describe(*browser).constData());
}

void tst_Discovery::twoServersOnOneDiscoveryPort()
{
    auto first = startServer(baseConfig(QStringLiteral("first")));
    QVERIFY(first);
    ServerConfig config = baseConfig(QStringLiteral("second"));
    config.discoveryPort = first->discoveryPort();
    auto second = startServer(config);
    QVERIFY(second);
    QCOMPARE(second->discoveryPort(), first->discoveryPort());
    auto browser = browse(first->discoveryPort(), { loopbackBroadcast });
    QTRY_VERIFY2_WITH_TIMEOUT(browser->rowCount() == 2, describe(*browser).constData(), 5000);
    QStringList names{ browser->server(0).announcement.name, browser->server(1).announcement.name };
    names.sort();
    QCOMPARE(names, QStringList({ QStringLiteral("first"), QStringLiteral("second") }));
}

void tst_Discovery::stoppedServerDisappears()
{
    auto server = startServer(baseConfig(QStringLiteral("leaving")));
    QVERIFY(server);
    auto browser = browse(server->discoveryPort(), { QHostAddress::LocalHost });
    QTRY_VERIFY2_WITH_TIMEOUT(browser->rowCount() == 1, describe(*browser).constData(), 5000);
    QSignalSpy removed(browser.get(), &QAbstractItemModel::rowsRemoved);
    server->stop();
    QVERIFY(!server->isAnnounced());
    QTRY_VERIFY2_WITH_TIMEOUT(browser->rowCount() == 0, describe(*browser).constData(), 5000);
    QCOMPARE(removed.size(), 1);
}

void tst_Discovery::announceOffAnswersNothing()
{
    ServerConfig config = baseConfig(QStringLiteral("quiet"));
    config.announce = false;
    auto server = startServer(config);
    QVERIFY(server);
    QVERIFY(!server->isAnnounced());
    QCOMPARE(server->discoveryPort(), quint16(0));
    QCOMPARE(LogCapture::linesContaining(QStringLiteral("--announce off")), 1);
}

void tst_Discovery::rateLimitPerSource()
{
    ChatLimits limits;
    limits.discoveryAnswersPerSource = 5;
    limits.discoveryAnswersPerSecond = 1000;
    auto responder = startResponder(limits);
    QVERIFY(responder);
    QSignalSpy dropped(responder.get(), &DiscoveryResponder::dropped);
    const QList<QByteArray> probes(20, DiscoveryMessage::probe());
    QCOMPARE(answersTo(responder.get(), probes), 5);
    QCOMPARE(dropped.size(), 15);
    QCOMPARE(dropped.first().at(1).toString(), QStringLiteral("over the rate limit"));
    QCOMPARE(LogCapture::linesContaining(QStringLiteral("over the rate limit")), 1);
}

void tst_Discovery::rateLimitInAll()
{
    ChatLimits limits;
    limits.discoveryAnswersPerSource = 1000;
    limits.discoveryAnswersPerSecond = 4;
    auto responder = startResponder(limits);
    QVERIFY(responder);
    const int answers = answersTo(responder.get(), QList<QByteArray>(30, DiscoveryMessage::probe()));
    // All within a few milliseconds: one second's share, or two when they straddle a second.
    QVERIFY2(answers >= 4 && answers <= 8,
             qPrintable(QStringLiteral("%1 answers to 30 probes").arg(answers)));
}

void tst_Discovery::malformedProbesAreIgnoredAndLoggedOnce()
{
    auto responder = startResponder(ChatLimits());
    QVERIFY(responder);
    QSignalSpy dropped(responder.get(), &DiscoveryResponder::dropped);
    QByteArray wrongStart = DiscoveryMessage::probe();
    wrongStart[0] = 'X';
    const QList<QByteArray> bad{
        DiscoveryMessage::probeMagic.toByteArray(), // unpadded: could amplify
        DiscoveryMessage::probe().left(DiscoveryMessage::minProbeBytes - 1),
        QByteArray(2000, 'G'),
        DiscoveryMessage::probeMagic.toByteArray() + QByteArray(2000, '\0'),
        wrongStart,
        QByteArray("\x1b[31m\n\0evil", 11).leftJustified(DiscoveryMessage::minProbeBytes, '\0'),
    };
    QCOMPARE(answersTo(responder.get(), bad), 0);
    QCOMPARE(dropped.size(), bad.size());
    QCOMPARE(LogCapture::linesContaining(QStringLiteral("ignored a probe")), 1);
    for (const QString &line : LogCapture::lines())
        QVERIFY2(!line.contains(QChar(0x1b)) && !line.contains(u'\n'), qPrintable(line.toHtmlEscaped()));
    // And it still answers a good one.
    QCOMPARE(answersTo(responder.get(), { DiscoveryMessage::probe() }), 1);
}

void tst_Discovery::hostileAnswersAreIgnored()
{
    // A stand-in "server" that answers each probe with something that is not an answer.
    QUdpSocket fake;
    QVERIFY(fake.bind(QHostAddress::LocalHost, 0));
    const QList<QByteArray> replies{
        QByteArray(),
        QByteArray("GROUPCHAT-SERVER 1\nnot json"),
        QByteArray("GROUPCHAT-SERVER 1\n[1,2]"),
        QByteArray("GROUPCHAT-SERVER "
                   "1\n{\"name\":\"x\",\"proto\":2,\"port\":99999,\"tls\":0,\"fp\":\"\",\"pw\":false,"
                   "\"irc\":0}"),
        QByteArray("GROUPCHAT-SERVER "
                   "1\n{\"name\":\"x\",\"proto\":2,\"port\":1,\"tls\":0,\"fp\":\"zz\",\"pw\":false,"
                   "\"irc\":0}"),
        QByteArray("GROUPCHAT-SERVER 1\n{\"name\":\"") + QByteArray(3000, 'a') + "\"}",
    };
    int next = 0;
    connect(&fake, &QUdpSocket::readyRead, &fake, [&] {
        while (fake.hasPendingDatagrams()) {
            const QNetworkDatagram probe = fake.receiveDatagram();
            fake.writeDatagram(replies[next++ % replies.size()], probe.senderAddress(), probe.senderPort());
        }
    });
    auto browser = browse(fake.localPort(), { QHostAddress::LocalHost });
    QSignalSpy ignored(browser->prober(), &DiscoveryProber::ignored);
    QTRY_VERIFY_WITH_TIMEOUT(ignored.size() >= replies.size(), 10000);
    QVERIFY2(browser->rowCount() == 0, describe(*browser).constData());
    QCOMPARE(LogCapture::linesContaining(QStringLiteral("ignored a datagram")), 1);
}

void tst_Discovery::forgedAnswersCannotGrowTheList()
{
    // Thousands of different well-formed answers to one probe: the list stops at its limit.
    QUdpSocket fake;
    QVERIFY(fake.bind(QHostAddress::LocalHost, 0));
    int sent = 0;
    connect(&fake, &QUdpSocket::readyRead, &fake, [&] {
        while (fake.hasPendingDatagrams()) {
            const QNetworkDatagram probe = fake.receiveDatagram();
            for (int i = 0; i < ChatLimits::discoveryMaxServers + 50; ++i, ++sent) {
                ServerAnnouncement a;
                a.name = QStringLiteral("forged %1").arg(sent);
                a.protocolVersion = 2;
                a.port = 1000;
                fake.writeDatagram(DiscoveryMessage::answer(a, probe.data().size()), probe.senderAddress(),
                                   probe.senderPort());
            }
        }
    });
    auto browser = browse(fake.localPort(), { QHostAddress::LocalHost });
    QSignalSpy answers(browser->prober(), &DiscoveryProber::answered);
    QTRY_VERIFY_WITH_TIMEOUT(answers.size() > ChatLimits::discoveryMaxServers, 10000);
    QCOMPARE(browser->rowCount(), ChatLimits::discoveryMaxServers);
}

void tst_Discovery::announcedFingerprintIsPinnedOnlyWhereNothingIs()
{
    // What the connect dialog does with a picked server's announced certificate.
    QSettings().remove(QStringLiteral("tls-pins"));
    const QString announced = QStringList(32, QStringLiteral("AA")).join(u':');
    const QString other = QStringList(32, QStringLiteral("BB")).join(u':');
    QVERIFY(ChatConnection::pinIfUnpinned(QStringLiteral("192.0.2.7"), 6697, announced));
    QCOMPARE(ChatConnection::pinnedFingerprint(QStringLiteral("192.0.2.7"), 6697), announced);
    // A pin there already is never replaced by what someone on the LAN announces.
    QVERIFY(!ChatConnection::pinIfUnpinned(QStringLiteral("192.0.2.7"), 6697, other));
    QCOMPARE(ChatConnection::pinnedFingerprint(QStringLiteral("192.0.2.7"), 6697), announced);
    QSettings().remove(QStringLiteral("tls-pins"));
}

QTEST_GUILESS_MAIN(tst_Discovery)
#include "tst_discovery.moc"
