// The built groupchat-server binary as a user and a service manager run it: started as a
// process (headless, with its admin window offscreen, or with no display at all), talked to
// over a socket, stopped with a signal.
#include "testclient.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class tst_ServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void servesAndStopsOnSignal_data();
    void servesAndStopsOnSignal();
    void headlessLoadsNoPlatformPlugin();
    void helpAndVersion();
    void badOptionIsRefused();
    void busyPortIsReported();
    void savedSettingsAndOptions();

private:
    // A server process with its own settings, no display unless asked, on a free loopback
    // port; returns the port or 0.
    quint16 start(QProcess &process, const QStringList &arguments, const QProcessEnvironment &extra = {});

    QTemporaryDir m_config;
    QByteArray m_startOutput; // what start() read while waiting for the port
};

void tst_ServerProcess::initTestCase()
{
    QVERIFY(m_config.isValid());
}

quint16 tst_ServerProcess::start(QProcess &process, const QStringList &arguments,
                                 const QProcessEnvironment &extra)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
    for (const QString &key : extra.keys())
        environment.insert(key, extra.value(key));
    process.setProcessEnvironment(environment);
    process.setProgram(QStringLiteral(GROUPCHAT_SERVER_BINARY));
    process.setArguments(arguments + QStringList{ QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                                                  QStringLiteral("--port"), QStringLiteral("0") });
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
    if (!process.waitForStarted(5000))
        return 0;
    const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1 port (\\d+)"));
    QByteArray output;
    QRegularExpressionMatch match;
    const bool found = QTest::qWaitFor(
            [&] {
                output += process.readAll();
                match = listening.match(QString::fromUtf8(output));
                return match.hasMatch() || process.state() == QProcess::NotRunning;
            },
            10000);
    m_startOutput = output;
    if (!found || !match.hasMatch()) {
        qWarning("server output: %s", output.constData());
        return 0;
    }
    return match.captured(1).toUShort();
}

void tst_ServerProcess::servesAndStopsOnSignal_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("signalNumber");
    QTest::addColumn<QString>("expectedInLog");
    const QStringList headless{ QStringLiteral("--headless") };
    const QStringList offscreen{ QStringLiteral("-platform"), QStringLiteral("offscreen") };
    QTest::newRow("--headless, SIGTERM") << headless << int(SIGTERM) << QString();
    QTest::newRow("--headless, SIGINT") << headless << int(SIGINT) << QString();
    QTest::newRow("admin window offscreen, SIGTERM") << offscreen << int(SIGTERM) << QString();
    QTest::newRow("no display, no option") << QStringList() << int(SIGTERM) << QStringLiteral("no display");
}

void tst_ServerProcess::servesAndStopsOnSignal()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, signalNumber);
    QFETCH(QString, expectedInLog);
    QProcess process;
    const quint16 port = start(process, arguments);
    QVERIFY(port != 0);

    TestClient a;
    TestClient b;
    QVERIFY(a.connectTo(port));
    QVERIFY(b.connectTo(port));
    QVERIFY(!a.waitForLine(QRegularExpression(QStringLiteral("^\\* welcome to groupchat, you are guest1;")))
                     .isNull());
    QVERIFY(!b.waitForLine(QRegularExpression(QStringLiteral("^\\* welcome to groupchat, you are guest2;")))
                     .isNull());
    a.sendLine("hello from a process test");
    QVERIFY(!b.waitForLine(
                      chatLinePattern(QStringLiteral("guest1"), QStringLiteral("hello from a process test")))
                     .isNull());

    QCOMPARE(::kill(pid_t(process.processId()), signalNumber), 0);
    QVERIFY(!a.waitForLine(QStringLiteral("* server shutting down")).isNull());
    QVERIFY(!b.waitForLine(QStringLiteral("* server shutting down")).isNull());
    QVERIFY(a.waitForDisconnected());
    // The process may well have exited while the client waited.
    QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 10000);
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const QString log = QString::fromUtf8(m_startOutput + process.readAll());
    QVERIFY2(log.contains(QStringLiteral("guest1 (127.0.0.1:")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("stopped")), qPrintable(log));
    if (!expectedInLog.isEmpty())
        QVERIFY2(log.contains(expectedInLog), qPrintable(log));
}

void tst_ServerProcess::headlessLoadsNoPlatformPlugin()
{
    QProcess process;
    QProcessEnvironment debug;
    debug.insert(QStringLiteral("QT_DEBUG_PLUGINS"), QStringLiteral("1"));
    const quint16 port = start(process, { QStringLiteral("--headless") }, debug);
    QVERIFY(port != 0);
    TestClient a;
    QVERIFY(a.connectTo(port));
    QVERIFY(!a.waitForLine(QRegularExpression(QStringLiteral("^\\* welcome to groupchat"))).isNull());
    // Nothing from platforms/ (xcb, offscreen, ...) or any other widget plugin is mapped.
    QFile maps(QStringLiteral("/proc/%1/maps").arg(process.processId()));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray mapped = maps.readAll();
    QVERIFY(!mapped.contains("/platforms/"));
    QVERIFY(!mapped.contains("/styles/"));
    process.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 10000);
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(!process.readAll().contains("platforms"));
}

void tst_ServerProcess::helpAndVersion()
{
    QProcess process;
    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--help") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *option : { "--headless", "--port", "--bind", "--name", "--history", "--history-keep",
                                "--max-line", "--max-sendq", "--max-clients" })
        QVERIFY2(help.contains(QLatin1String(option)), option);

    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--version") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().startsWith("groupchat-server " GROUPCHAT_VERSION));
}

void tst_ServerProcess::badOptionIsRefused()
{
    QProcess process;
    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                  { QStringLiteral("--headless"), QStringLiteral("--port"), QStringLiteral("70000") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardError().contains("--port must be a number from 0 to 65535"));
}

void tst_ServerProcess::busyPortIsReported()
{
    QProcess first;
    const quint16 port = start(first, { QStringLiteral("--headless") });
    QVERIFY(port != 0);
    QProcess second;
    second.setProcessChannelMode(QProcess::MergedChannels);
    second.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                 { QStringLiteral("--headless"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                   QStringLiteral("--port"), QString::number(port) });
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(second.readAll().contains("cannot listen on 127.0.0.1 port"));
    first.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(first.state(), QProcess::NotRunning, 10000);
    QCOMPARE(first.exitCode(), 0);
}

void tst_ServerProcess::savedSettingsAndOptions()
{
    // What the admin window's settings dialog saved applies to the headless server too,
    // and command-line options win over it.
    const QString file = m_config.path() + QStringLiteral("/groupchat/groupchat-server.conf");
    QDir().mkpath(QFileInfo(file).path());
    {
        QSettings settings(file, QSettings::IniFormat);
        settings.setValue(QStringLiteral("limits/maxLineBytes"), 100);
        settings.setValue(QStringLiteral("limits/historyLines"), 1);
    }
    QProcess process;
    const quint16 port = start(
            process, { QStringLiteral("--headless"), QStringLiteral("--history"), QStringLiteral("2") });
    QVERIFY(port != 0);
    TestClient a;
    QVERIFY(a.connectTo(port));
    a.sendLine(QByteArray(101, 'x'));
    QVERIFY(!a.waitForLine(QStringLiteral("! line too long (limit 100 bytes)")).isNull());
    for (const char *line : { "one", "two", "three" })
        a.sendLine(line);
    QVERIFY(!a.waitForLine(chatLinePattern(QStringLiteral("guest1"), QStringLiteral("three"))).isNull());
    TestClient b;
    QVERIFY(b.connectTo(port));
    QVERIFY(b.waitForLineCount(3));
    QVERIFY(chatLinePattern(QStringLiteral("guest1"), QStringLiteral("two"))
                    .match(b.lines().value(1))
                    .hasMatch());
    process.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 10000);
    QFile::remove(file);
}

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
