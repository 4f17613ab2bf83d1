// The built groupchat-server binary as a user runs it: started as a process, talked to over
// a socket, stopped with a signal.
#include "testclient.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

class tst_ServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesAndStopsOnSignal_data();
    void servesAndStopsOnSignal();
    void helpAndVersion();
    void badOptionIsRefused();
    void busyPortIsReported();

private:
    // Starts the server on a free loopback port; returns the port or 0.
    quint16 start(QProcess &process, const QStringList &extraArguments = {});
};

quint16 tst_ServerProcess::start(QProcess &process, const QStringList &extraArguments)
{
    process.setProgram(QStringLiteral(GROUPCHAT_SERVER_BINARY));
    process.setArguments(QStringList{ QStringLiteral("--headless"), QStringLiteral("--bind"),
                                      QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                                      QStringLiteral("0") } +
                         extraArguments);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start();
    if (!process.waitForStarted(5000))
        return 0;
    const QRegularExpression listening(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
    QByteArray output;
    QRegularExpressionMatch match;
    const bool found = QTest::qWaitFor(
            [&] {
                output += process.readAll();
                match = listening.match(QString::fromUtf8(output));
                return match.hasMatch() || process.state() == QProcess::NotRunning;
            },
            10000);
    if (!found || !match.hasMatch()) {
        qWarning("server output: %s", output.constData());
        return 0;
    }
    return match.captured(1).toUShort();
}

void tst_ServerProcess::servesAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void tst_ServerProcess::servesAndStopsOnSignal()
{
    QFETCH(int, signalNumber);
    QProcess process;
    const quint16 port = start(process);
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
    const QString log = QString::fromUtf8(process.readAll());
    QVERIFY2(log.contains(QStringLiteral("guest1 (127.0.0.1:")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("stopped")), qPrintable(log));
}

void tst_ServerProcess::helpAndVersion()
{
    QProcess process;
    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--help") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *option :
         { "--headless", "--port", "--bind", "--history", "--max-line", "--max-sendq", "--max-clients" })
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
    const quint16 port = start(first);
    QVERIFY(port != 0);
    QProcess second;
    second.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                 { QStringLiteral("--headless"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                   QStringLiteral("--port"), QString::number(port) });
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(second.readAllStandardError().contains("cannot listen on port"));
    first.terminate();
    QTRY_COMPARE_WITH_TIMEOUT(first.state(), QProcess::NotRunning, 10000);
    QCOMPARE(first.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
