// LAN discovery by DNS-SD (docs/PROTOCOL.md, "DNS-SD"): the server's DnsSdPublisher and the
// client's ServerBrowser through a private avahi-daemon that only uses lo, on a private system
// bus (docs of the test environment: /work/shared/design/test-environment.md). The daemon runs
// in a mount namespace of its own (its pid file), is started here and stopped after; tests
// that need it are skipped, saying why, where it cannot be started (not root, not installed).
// Without any daemon the server says so once and still answers UDP probes.
#include "certificategenerator.h"
#include "discoveryprober.h"
#include "dnssdbrowser.h"
#include "logcapture.h"
#include "serverbrowser.h"
#include "serverservice.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <unistd.h>

namespace {

QByteArray describe(const ServerBrowser &browser)
{
    QStringList rows;
    for (const DiscoveredServer &s : browser.servers())
        rows.append(QStringLiteral("%1 at %2:%3 tls %4 fp %5 irc %6 pw %7 (dns-sd %8)")
                            .arg(s.announcement.name, s.host)
                            .arg(s.announcement.port)
                            .arg(s.announcement.tlsPort)
                            .arg(s.announcement.fingerprint)
                            .arg(s.announcement.ircPort)
                            .arg(s.announcement.passwordNeeded)
                            .arg(s.byDnsSd));
    return (u"listed: [" + rows.join(QStringLiteral("; ")) + u']').toUtf8();
}

} // namespace

class tst_DnsSd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void publishedFoundAndGone();
    void malformedTxtRecordIsIgnored();
    void withoutDaemonItSaysSoOnceAndCarriesOn();

private:
    // Why the private daemon could not be started; empty when it runs.
    QString startDaemon();
    ServerConfig baseConfig(const QString &name) const;

    QTemporaryDir m_dir;
    QProcess m_bus;
    QProcess m_avahi;
    QByteArray m_busAddress;
    QString m_problem;
};

void tst_DnsSd::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    LogCapture::install();
    QVERIFY(m_dir.isValid());
    m_problem = startDaemon();
    if (!m_problem.isEmpty())
        qWarning("the DNS-SD tests are skipped: %s", qPrintable(m_problem));
}

void tst_DnsSd::init()
{
    LogCapture::clear();
    if (!m_busAddress.isEmpty())
        qputenv("DBUS_SYSTEM_BUS_ADDRESS", m_busAddress);
}

void tst_DnsSd::cleanupTestCase()
{
    for (QProcess *process : { &m_avahi, &m_bus }) {
        if (process->state() == QProcess::NotRunning)
            continue;
        process->terminate();
        if (!process->waitForFinished(5000))
            process->kill();
        process->waitForFinished(5000);
    }
}

QString tst_DnsSd::startDaemon()
{
    if (geteuid() != 0)
        return QStringLiteral("avahi-daemon needs root to start (run the tests as root)");
    const QStringList sbin{ QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                            QStringLiteral("/usr/bin") };
    const QString avahiDaemon = QStandardPaths::findExecutable(QStringLiteral("avahi-daemon"), sbin);
    const QString dbusDaemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
    if (avahiDaemon.isEmpty() || dbusDaemon.isEmpty() || unshare.isEmpty())
        return QStringLiteral(
                "avahi-daemon, dbus-daemon or unshare is not installed (scripts/deps.sh installs them)");

    // A system bus of our own: the daemon registers org.freedesktop.Avahi there, not on the
    // machine's.
    const QString socket = m_dir.filePath(QStringLiteral("system_bus_socket"));
    QFile busConfig(m_dir.filePath(QStringLiteral("bus.conf")));
    if (!busConfig.open(QIODevice::WriteOnly))
        return busConfig.errorString();
    busConfig.write(
            QStringLiteral(
                    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                    "<busconfig><type>system</type><listen>unix:path=%1</listen><auth>EXTERNAL</auth>\n"
                    "<policy context=\"default\"><allow user=\"*\"/><allow own=\"*\"/>"
                    "<allow send_destination=\"*\"/><allow receive_sender=\"*\"/></policy></busconfig>\n")
                    .arg(socket)
                    .toUtf8());
    busConfig.close();
    m_bus.start(dbusDaemon,
                { QStringLiteral("--config-file=") + busConfig.fileName(), QStringLiteral("--nofork"),
                  QStringLiteral("--nopidfile"), QStringLiteral("--print-address=1") });
    if (!m_bus.waitForReadyRead(10000))
        return QStringLiteral("the private D-Bus system bus did not start: %1")
                .arg(QString::fromLocal8Bit(m_bus.readAllStandardError()));
    m_busAddress = m_bus.readLine().trimmed();

    // Only lo; nothing leaves the machine.
    QFile avahiConfig(m_dir.filePath(QStringLiteral("avahi.conf")));
    if (!avahiConfig.open(QIODevice::WriteOnly))
        return avahiConfig.errorString();
    avahiConfig.write("[server]\nallow-interfaces=lo\nuse-ipv6=no\n[publish]\npublish-workstation=no\n"
                      "publish-hinfo=no\n[wide-area]\nenable-wide-area=no\n");
    avahiConfig.close();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), QString::fromUtf8(m_busAddress));
    m_avahi.setProcessEnvironment(environment);
    m_avahi.setProcessChannelMode(QProcess::MergedChannels);
    // A mount namespace with its own /run/avahi-daemon: its pid file is not another daemon's.
    m_avahi.start(unshare,
                  { QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"),
                    QStringLiteral("mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && "
                                   "exec \"$0\" --no-rlimits --no-chroot --no-drop-root -f \"$1\""),
                    avahiDaemon, avahiConfig.fileName() });
    QByteArray output;
    const bool ready = QTest::qWaitFor(
            [&] {
                output += m_avahi.readAll();
                return output.contains("Server startup complete") || m_avahi.state() == QProcess::NotRunning;
            },
            15000);
    if (!ready || !output.contains("Server startup complete"))
        return QStringLiteral("avahi-daemon did not start: %1")
                .arg(QString::fromLocal8Bit(output.right(500)));
    return QString();
}

ServerConfig tst_DnsSd::baseConfig(const QString &name) const
{
    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.ircPort = ServerConfig::ircFreePort;
    config.tlsPort = 0;
    config.database = QStringLiteral(":memory:");
    config.name = name;
    config.discoveryPort = 0;
    return config;
}

void tst_DnsSd::publishedFoundAndGone()
{
    if (!m_problem.isEmpty())
        QSKIP(qPrintable(m_problem));
    ServerConfig config = baseConfig(QStringLiteral("dns-sd 服务器"));
    config.tlsCertificate = m_dir.filePath(QStringLiteral("cert.pem"));
    config.tlsKey = m_dir.filePath(QStringLiteral("key.pem"));
    QString error;
    QVERIFY2(CertificateGenerator::generate(config.tlsCertificate, config.tlsKey, &error), qPrintable(error));
    ServerService server;
    QVERIFY2(server.start(config, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(server.isAnnouncedByDnsSd(), 10000);

    // DNS-SD only: no probes.
    ServerBrowser browser;
    browser.setDnsSdEnabled(true); // the private daemon on lo
    browser.prober()->setTargets({});
    browser.start();
    QTRY_VERIFY2_WITH_TIMEOUT(browser.rowCount() == 1, describe(browser).constData(), 10000);
    const DiscoveredServer found = browser.server(0);
    QVERIFY(found.byDnsSd);
    QCOMPARE(found.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(found.announcement.name, QStringLiteral("dns-sd 服务器"));
    QCOMPARE(found.announcement.port, server.port());
    QCOMPARE(found.announcement.tlsPort, server.tlsPort());
    QCOMPARE(found.announcement.fingerprint, server.tlsFingerprint());
    QCOMPARE(found.announcement.ircPort, server.ircPort());
    QCOMPARE(found.announcement.protocolVersion, 2);
    QCOMPARE(found.announcement.online, -1);

    // _irc._tcp beside it, as avahi-browse sees it.
    QProcess browse;
    browse.start(QStringLiteral("avahi-browse"), { QStringLiteral("-tpk"), QStringLiteral("_irc._tcp") });
    QVERIFY(browse.waitForFinished(10000));
    const QByteArray irc = browse.readAllStandardOutput();
    QVERIFY2(irc.contains("_irc._tcp"), irc.constData());

    QSignalSpy removed(&browser, &QAbstractItemModel::rowsRemoved);
    server.stop();
    QTRY_VERIFY2_WITH_TIMEOUT(browser.rowCount() == 0, describe(browser).constData(), 10000);
    QVERIFY(!server.isAnnouncedByDnsSd());
}

void tst_DnsSd::malformedTxtRecordIsIgnored()
{
    if (!m_problem.isEmpty())
        QSKIP(qPrintable(m_problem));
    QProcess publish;
    publish.setProcessChannelMode(QProcess::MergedChannels);
    publish.start(QStringLiteral("avahi-publish"),
                  { QStringLiteral("-s"), QStringLiteral("hostile"), QStringLiteral("_groupchat._tcp"),
                    QStringLiteral("7000"), QStringLiteral("proto=two"), QStringLiteral("name=\x1b[31mred"),
                    QStringLiteral("fp=") + QString(250, u'A') });
    QByteArray output;
    QVERIFY2(QTest::qWaitFor(
                     [&] {
                         output += publish.readAll();
                         return output.contains("Established") || publish.state() == QProcess::NotRunning;
                     },
                     10000),
             output.constData());
    ServerBrowser browser;
    browser.setDnsSdEnabled(true); // the private daemon on lo
    browser.prober()->setTargets({});
    browser.start();
    QTRY_VERIFY_WITH_TIMEOUT(LogCapture::linesContaining(QStringLiteral("ignored the DNS-SD service")) == 1,
                             10000);
    QVERIFY2(browser.rowCount() == 0, describe(browser).constData());
    for (const QString &line : LogCapture::lines())
        QVERIFY2(!line.contains(QChar(0x1b)), qPrintable(line.toHtmlEscaped()));
    publish.terminate();
    QVERIFY(publish.waitForFinished(5000));
}

void tst_DnsSd::withoutDaemonItSaysSoOnceAndCarriesOn()
{
    // A server process of its own: libdbus reads DBUS_SYSTEM_BUS_ADDRESS once per process.
    QProcess server;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"),
                       u"unix:path=" + m_dir.filePath(QStringLiteral("no-such-bus")));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data")));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
    server.setProcessEnvironment(environment);
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                 { QStringLiteral("--headless"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                   QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--irc-port"),
                   QStringLiteral("0"), QStringLiteral("--db"), QStringLiteral(":memory:"),
                   QStringLiteral("--discovery-port"), QStringLiteral("0") });
    QByteArray output;
    const bool started = QTest::qWaitFor(
            [&] {
                output += server.readAll();
                return (output.contains("answering LAN discovery probes") &&
                        output.contains("not announced by DNS-SD")) ||
                       server.state() == QProcess::NotRunning;
            },
            10000);
    server.terminate();
    QVERIFY(server.waitForFinished(10000));
    output += server.readAll();
    QVERIFY2(started && server.exitCode() == 0, output.constData());
    QCOMPARE(output.count("not announced by DNS-SD"), 1);
}

QTEST_GUILESS_MAIN(tst_DnsSd)
#include "tst_dnssd.moc"
