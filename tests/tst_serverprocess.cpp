// The built groupchat-server binary as a user and a service manager run it: started as a
// process (headless, with its admin window offscreen, or with no display at all), talked to
// over a socket, stopped with a signal.
#include "expect.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class tst_ServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesAndStopsOnSignal_data();
    void servesAndStopsOnSignal();
    void headlessLoadsNoPlatformPlugin();
    void helpAndVersion();
    void badOptionIsRefused_data();
    void badOptionIsRefused();
    void generatedCertificateServesTls();
    void busyPortIsReported();
    void savedSettingsAndOptions();
    void headlessLogsInTheUsersLanguage();
};

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
    ServerProcess server;
    const quint16 port = server.start(arguments);
    QVERIFY(port != 0);

    TestClient a;
    TestClient b;
    QVERIFY(a.connectTo(port));
    QVERIFY(b.connectTo(port));
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\* welcome to groupchat, you are guest1;")));
    EXPECT_LINE(b, QRegularExpression(QStringLiteral("^\\* welcome to groupchat, you are guest2;")));
    a.sendLine("hello from a process test");
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("hello from a process test")));

    QCOMPARE(::kill(pid_t(server.process().processId()), signalNumber), 0);
    EXPECT_LINE(a, QStringLiteral("* server shutting down"));
    EXPECT_LINE(b, QStringLiteral("* server shutting down"));
    QVERIFY(a.waitForDisconnected());
    // The process may well have exited while the client waited.
    QTRY_COMPARE_WITH_TIMEOUT(server.process().state(), QProcess::NotRunning, 10000);
    QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process().exitCode(), 0);
    const QString log = server.output();
    QVERIFY2(log.contains(QStringLiteral("guest1 (127.0.0.1:")), qPrintable(log));
    QVERIFY2(log.contains(QStringLiteral("stopped")), qPrintable(log));
    if (!expectedInLog.isEmpty())
        QVERIFY2(log.contains(expectedInLog), qPrintable(log));
}

void tst_ServerProcess::headlessLoadsNoPlatformPlugin()
{
    ServerProcess server;
    QProcessEnvironment debug;
    debug.insert(QStringLiteral("QT_DEBUG_PLUGINS"), QStringLiteral("1"));
    const quint16 port = server.start({ QStringLiteral("--headless") }, debug);
    QVERIFY(port != 0);
    TestClient a;
    QVERIFY(a.connectTo(port));
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\* welcome to groupchat")));
    // Nothing from platforms/ (xcb, offscreen, ...) or any other widget plugin is mapped.
    QFile maps(QStringLiteral("/proc/%1/maps").arg(server.process().processId()));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray mapped = maps.readAll();
    QVERIFY(!mapped.contains("/platforms/"));
    QVERIFY(!mapped.contains("/styles/"));
    QVERIFY(server.stop(SIGTERM));
    QVERIFY(!server.output().contains(QStringLiteral("platforms")));
}

void tst_ServerProcess::helpAndVersion()
{
    QProcess process;
    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--help") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *option : { "--headless",
                                "--port",
                                "--bind",
                                "--name",
                                "--history",
                                "--history-keep",
                                "--db",
                                "--max-line",
                                "--max-sendq",
                                "--soft-sendq",
                                "--max-clients",
                                "--max-per-address",
                                "--max-connects-per-minute",
                                "--flood",
                                "--ping-interval",
                                "--password-file",
                                "--presence-limit",
                                "--tls-cert",
                                "--tls-key",
                                "--tls-port",
                                "--irc-port",
                                "--generate-cert" })
        QVERIFY2(help.contains(QLatin1String(option)), option);

    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--version") });
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().startsWith("groupchat-server " GROUPCHAT_VERSION));
}

void tst_ServerProcess::badOptionIsRefused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("why");
    QTest::newRow("port") << QStringList{ QStringLiteral("--port"), QStringLiteral("70000") }
                          << QStringLiteral("--port must be a number from 0 to 65535");
    QTest::newRow("history-keep") << QStringList{
        QStringLiteral("--history-keep"), QStringLiteral("30days")
    } << QStringLiteral("--history-keep takes a number of messages (5000) or of days (30d)");
    QTest::newRow("flood") << QStringList{ QStringLiteral("--flood"), QStringLiteral("maybe") }
                           << QStringLiteral("--flood takes on or off, not maybe");
    QTest::newRow("tls-cert alone") << QStringList{ QStringLiteral("--tls-cert"),
                                                    QStringLiteral("/tmp/c.pem") }
                                    << QStringLiteral("--tls-cert and --tls-key go together");
    QTest::newRow("tls-port") << QStringList{ QStringLiteral("--tls-port"), QStringLiteral("99999") }
                              << QStringLiteral("--tls-port must be a number from 0 to 65535");
    QTest::newRow("password file") << QStringList{ QStringLiteral("--password-file"),
                                                   QStringLiteral("/nonexistent/pw") }
                                   << QStringLiteral("cannot read the password file /nonexistent/pw");
}

void tst_ServerProcess::badOptionIsRefused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, why);
    QProcess process;
    process.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                  QStringList{ QStringLiteral("--headless") } + arguments);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    const QString error = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(error.contains(why), qPrintable(error));
}

void tst_ServerProcess::generatedCertificateServesTls()
{
    ServerProcess server;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_DATA_HOME"), server.homePath() + u"/data");
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), server.homePath() + u"/config");
    QProcess generate;
    generate.setProcessEnvironment(environment);
    generate.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--generate-cert") });
    QVERIFY(generate.waitForFinished(10000));
    QCOMPARE(generate.exitCode(), 0);
    const QString printed = QString::fromUtf8(generate.readAllStandardOutput());
    const QRegularExpressionMatch fingerprint =
            QRegularExpression(QStringLiteral("fingerprint \\(SHA-256\\): ([0-9A-F:]{95})")).match(printed);
    QVERIFY2(fingerprint.hasMatch(), qPrintable(printed));
    const QString key = server.homePath() + u"/data/groupchat/groupchat-server/tls-key.pem";
    QCOMPARE(QFileInfo(key).permissions() & (QFile::ReadGroup | QFile::ReadOther),
             QFileDevice::Permissions());
    // Never over a certificate clients may have pinned.
    generate.start(QStringLiteral(GROUPCHAT_SERVER_BINARY), { QStringLiteral("--generate-cert") });
    QVERIFY(generate.waitForFinished(10000));
    QCOMPARE(generate.exitCode(), 2);
    QVERIFY(generate.readAllStandardError().contains("exists already"));

    // The server finds the pair in its default place and serves TLS with it.
    QVERIFY(server.start({ QStringLiteral("--headless"), QStringLiteral("--tls-port"),
                           QStringLiteral("0") }) != 0);
    const QRegularExpression tlsLine(
            QStringLiteral("TLS on port (\\d+); certificate fingerprint \\(SHA-256\\) ") +
            fingerprint.captured(1));
    QVERIFY(server.waitForOutput(tlsLine));
    const quint16 tlsPort = quint16(tlsLine.match(server.output()).captured(1).toUInt());
    QSslSocket socket;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); });
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), tlsPort);
    QVERIFY(encrypted.wait(5000));
    QCOMPARE(QString::fromLatin1(
                     socket.peerCertificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
             fingerprint.captured(1));
    QByteArray greeting;
    QTRY_VERIFY_WITH_TIMEOUT((greeting += socket.readAll()).contains("welcome to groupchat"), 5000);
    QVERIFY(server.stop(SIGTERM));
}

void tst_ServerProcess::busyPortIsReported()
{
    ServerProcess first;
    const quint16 port = first.start({ QStringLiteral("--headless") });
    QVERIFY(port != 0);
    QProcess second;
    second.setProcessChannelMode(QProcess::MergedChannels);
    second.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                 { QStringLiteral("--headless"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                   QStringLiteral("--port"), QString::number(port) });
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 1);
    QVERIFY(second.readAll().contains("cannot listen on 127.0.0.1 port"));
    QVERIFY(first.stop(SIGTERM));
}

void tst_ServerProcess::savedSettingsAndOptions()
{
    // What the admin window's settings dialog saved applies to the headless server too,
    // and command-line options win over it.
    ServerProcess server;
    const QString file = server.homePath() + QStringLiteral("/config/groupchat/groupchat-server.conf");
    QDir().mkpath(QFileInfo(file).path());
    {
        QSettings settings(file, QSettings::IniFormat);
        settings.setValue(QStringLiteral("limits/maxLineBytes"), 100);
        settings.setValue(QStringLiteral("limits/historyLines"), 1);
    }
    const quint16 port =
            server.start({ QStringLiteral("--headless"), QStringLiteral("--history"), QStringLiteral("2") });
    QVERIFY(port != 0);
    TestClient a;
    QVERIFY(a.connectTo(port));
    a.sendLine(QByteArray(101, 'x'));
    EXPECT_LINE(a, QStringLiteral("! line too long (limit 100 bytes)"));
    for (const char *line : { "one", "two", "three" })
        a.sendLine(line);
    EXPECT_LINE(a, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("three")));
    TestClient b;
    QVERIFY(b.connectTo(port));
    QVERIFY(b.waitForLineCount(3));
    QVERIFY(chatLinePattern(QStringLiteral("guest1"), QStringLiteral("two"))
                    .match(b.lines().value(1))
                    .hasMatch());
    QVERIFY(server.stop(SIGTERM));
}

// A headless server's admin reads its log in the terminal or the journal: in their language
// from the first line (the translator is installed before anything is logged), up to the last.
void tst_ServerProcess::headlessLogsInTheUsersLanguage()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "LANGUAGE" })
        environment.remove(QLatin1String(name));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("zh_CN.UTF-8"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path() + u"/config");
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home.path() + u"/data");
    QProcess server;
    server.setProcessEnvironment(environment);
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral(GROUPCHAT_SERVER_BINARY),
                 { QStringLiteral("--headless"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
                   QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--irc-port"),
                   QStringLiteral("0"), QStringLiteral("--db"), QStringLiteral(":memory:") });
    QVERIFY(server.waitForStarted(5000));
    QByteArray output;
    // Up once it says where clients connect ("nc 127.0.0.1 PORT" in any language).
    const QRegularExpression where(QStringLiteral("nc 127\\.0\\.0\\.1 (\\d+)"));
    QTRY_VERIFY2_WITH_TIMEOUT(where.match(QString::fromUtf8(output += server.readAll())).hasMatch(),
                              output.constData(), 10000);
    const quint16 port = quint16(where.match(QString::fromUtf8(output)).captured(1).toUInt());
    TestClient client;
    QVERIFY(client.connectTo(port));
    EXPECT_LINE(client, QRegularExpression(QStringLiteral("^\\* welcome to groupchat, you are guest1;")));
    client.sendLine("/nick bob");
    EXPECT_LINE(client, QStringLiteral("* guest1 is now known as bob"));
    QCOMPARE(::kill(pid_t(server.processId()), SIGTERM), 0);
    QVERIFY(client.waitForDisconnected());
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), QProcess::NotRunning, 10000);
    output += server.readAll();
    QCOMPARE(server.exitCode(), 0);

    const QString log = QString::fromUtf8(output);
    const QStringList lines = log.split(u'\n', Qt::SkipEmptyParts);
    // Listening, where to connect, the connection, the nick, the signal, stopping, stopped.
    QVERIFY2(lines.size() >= 7, qPrintable(log));
    const QRegularExpression chinese(QStringLiteral("\\p{Han}"));
    for (const QString &line : lines)
        QVERIFY2(line.contains(chinese), qPrintable(u"not translated: " + line + u"\n\nthe log:\n" + log));
    QVERIFY2(log.contains(QStringLiteral("SIGTERM")), qPrintable(log));
    for (const char *english : { "listening on", "clients connect to", "connected as", "is now known as",
                                 "received", "shutting down", "stopping", "stopped" })
        QVERIFY2(!log.contains(QLatin1String(english)),
                 qPrintable(QStringLiteral("\"%1\" in the log:\n%2").arg(QLatin1String(english), log)));
}

QTEST_GUILESS_MAIN(tst_ServerProcess)
#include "tst_serverprocess.moc"
