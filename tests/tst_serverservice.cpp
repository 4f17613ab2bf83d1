// ServerService (src/server/core/serverservice.h): the server started, stopped and restarted
// from a ServerConfig, over real loopback sockets; its errors in words; the history database
// and TLS opened as configured; the admin's tools by client id.
#include "certificategenerator.h"
#include "chatserver.h"
#include "clientsession.h"
#include "expect.h"
#include "serverservice.h"
#include "testclient.h"
#include "tlslistener.h"

#include <QCoreApplication>
#include <QFile>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class tst_ServerService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void startsStopsAndStartsAgain();
    void restartKeepsServing();
    void startTwiceIsRefused();
    void badTlsFilesGiveAClearError_data();
    void badTlsFilesGiveAClearError();
    void servesTlsFromTheConfiguredFiles();
    void missingPasswordFileGivesAClearError();
    void portInUseGivesAClearError();
    void ircPortInUse_data();
    void ircPortInUse();
    void opensTheHistoryDatabase();
    void appliesNameRoomAndLimits();
    void kicksAndFindsClientsById();

private:
    // Loopback, a free port, history in memory: a config that touches nothing of the user's.
    ServerConfig baseConfig() const;
    // A connected plain client that has been greeted.
    std::unique_ptr<TestClient> join(quint16 port, const QString &nick);

    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
};

void tst_ServerService::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // No generated certificate or database of the user's is ever picked up.
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_serverservice"));
    QVERIFY(!QFile::exists(ServerConfig::defaultCertificatePath()));
    m_certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QString error;
    QVERIFY2(CertificateGenerator::generate(m_certificate, m_key, &error), qPrintable(error));
}

ServerConfig tst_ServerService::baseConfig() const
{
    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.ircPort = ServerConfig::ircFreePort;
    config.database = QStringLiteral(":memory:");
    return config;
}

std::unique_ptr<TestClient> tst_ServerService::join(quint16 port, const QString &nick)
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(port))
        return nullptr;
    client->sendLine("/nick " + nick.toUtf8());
    if (client->waitForLine(QRegularExpression(u"is now known as " + nick + u'$')).isNull())
        return nullptr;
    client->setNick(nick);
    return client;
}

void tst_ServerService::startsStopsAndStartsAgain()
{
    ServerService service;
    QVERIFY(!service.isRunning());
    QCOMPARE(service.port(), quint16(0));
    QSignalSpy started(&service, &ServerService::started);
    QSignalSpy stopped(&service, &ServerService::stopped);
    QString error;
    QVERIFY2(service.start(baseConfig(), &error), qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(started.count(), 1);
    QVERIFY(service.isListening());
    const quint16 port = service.port();
    QVERIFY(port != 0);
    QCOMPARE(service.reachableAt(), QStringList{ QStringLiteral("127.0.0.1:%1").arg(port) });
    QVERIFY(service.listeningSince().isValid());

    auto alice = join(port, QStringLiteral("alice"));
    QVERIFY(alice);
    QTRY_COMPARE(service.clientCount(), 1);

    service.stop();
    EXPECT_LINE(alice, QStringLiteral("* server shutting down"));
    QVERIFY(alice->waitForDisconnected());
    QVERIFY(stopped.count() == 1 || stopped.wait());
    QVERIFY(!service.isRunning());
    QCOMPARE(service.port(), quint16(0));
    QVERIFY(service.reachableAt().isEmpty());
    // The port is free at once.
    {
        QTcpServer other;
        QVERIFY2(other.listen(QHostAddress::LocalHost, port), qPrintable(other.errorString()));
    }

    ServerConfig again = baseConfig();
    again.port = port;
    QVERIFY2(service.start(again, &error), qPrintable(error));
    QCOMPARE(service.port(), port);
    QCOMPARE(started.count(), 2);
    QVERIFY(join(port, QStringLiteral("alice")));
}

void tst_ServerService::restartKeepsServing()
{
    ServerService service;
    QVERIFY(service.start(baseConfig()));
    auto alice = join(service.port(), QStringLiteral("alice"));
    QVERIFY(alice);
    QSignalSpy stopped(&service, &ServerService::stopped);
    QSignalSpy started(&service, &ServerService::started);
    ServerConfig renamed = baseConfig();
    renamed.name = QStringLiteral("after the restart");
    service.restart(renamed);
    QVERIFY(alice->waitForDisconnected());
    QVERIFY(started.count() == 1 || started.wait());
    QCOMPARE(stopped.count(), 1);
    QVERIFY(service.isListening());
    QCOMPARE(service.config().name, QStringLiteral("after the restart"));
    QCOMPARE(service.server()->serverName(), QStringLiteral("after the restart"));
    QVERIFY(join(service.port(), QStringLiteral("alice")));

    // Stopped, a restart is a start.
    service.stop();
    QVERIFY(stopped.wait());
    service.restart(baseConfig());
    QCOMPARE(started.count(), 2);
    QVERIFY(service.isListening());
}

void tst_ServerService::startTwiceIsRefused()
{
    ServerService service;
    QVERIFY(service.start(baseConfig()));
    const quint16 port = service.port();
    QSignalSpy failed(&service, &ServerService::startFailed);
    QString error;
    QVERIFY(!service.start(baseConfig(), &error));
    QCOMPARE(error, QStringLiteral("the server is running already"));
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), error);
    // Still serving where it was.
    QCOMPARE(service.port(), port);
    QVERIFY(join(port, QStringLiteral("alice")));
}

void tst_ServerService::badTlsFilesGiveAClearError_data()
{
    QTest::addColumn<QString>("certificate");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    const QString missing = m_dir.filePath(QStringLiteral("missing.pem"));
    QTest::newRow("no certificate file")
            << missing << m_key << QStringLiteral("cannot read the certificate %1: ").arg(missing);
    QTest::newRow("the key as the certificate")
            << m_key << m_key << QStringLiteral("%1 holds no PEM certificate").arg(m_key);
    QTest::newRow("no key file") << m_certificate << missing
                                 << QStringLiteral("cannot read the key %1: ").arg(missing);
    QTest::newRow("the certificate as the key")
            << m_certificate << m_certificate
            << QStringLiteral("%1 holds no PEM private key (EC or RSA, unencrypted)").arg(m_certificate);
}

void tst_ServerService::badTlsFilesGiveAClearError()
{
    QFETCH(QString, certificate);
    QFETCH(QString, key);
    QFETCH(QString, expected);

    ServerService service;
    ServerConfig config = baseConfig();
    config.tlsCertificate = certificate;
    config.tlsKey = key;
    config.tlsPort = 0;
    QSignalSpy failed(&service, &ServerService::startFailed);
    QString error;
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u'^' + QRegularExpression::escape(expected)));
    QVERIFY(!service.start(config, &error));
    QVERIFY2(error.startsWith(expected), qPrintable(error));
    QCOMPARE(failed.count(), 1);
    // Nothing listens, neither port.
    QVERIFY(!service.isListening());
    QVERIFY(!service.isRunning());
    QCOMPARE(service.tlsPort(), quint16(0));
    QVERIFY(service.tlsFingerprint().isEmpty());

    // Fixed, it starts.
    config.tlsCertificate = m_certificate;
    config.tlsKey = m_key;
    QVERIFY2(service.start(config, &error), qPrintable(error));
    QVERIFY(service.tlsPort() != 0);
}

void tst_ServerService::servesTlsFromTheConfiguredFiles()
{
    ServerService service;
    ServerConfig config = baseConfig();
    config.tlsCertificate = m_certificate;
    config.tlsKey = m_key;
    config.tlsPort = 0;
    QString error;
    QVERIFY2(service.start(config, &error), qPrintable(error));
    QVERIFY(service.tlsPort() != 0);
    QVERIFY(service.tlsPort() != service.port());
    const std::optional<TlsListener::Credentials> credentials =
            TlsListener::loadCredentials(m_certificate, m_key, &error);
    QVERIFY2(credentials, qPrintable(error));
    QCOMPARE(service.tlsFingerprint(), credentials->fingerprint);
    QCOMPARE(service.tlsFingerprint().size(), 32 * 3 - 1);

    // A client gets through the handshake and is greeted.
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), service.tlsPort());
    QVERIFY2(encrypted.wait(5000), qPrintable(socket.errorString()));
    QCOMPARE(QString::fromLatin1(
                     socket.peerCertificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
             service.tlsFingerprint());
    QByteArray greeting;
    QTRY_VERIFY_WITH_TIMEOUT((greeting += socket.readAll()).contains("welcome to groupchat"), 5000);

    // Without the files, the next start is plain only.
    socket.abort();
    QSignalSpy stopped(&service, &ServerService::stopped);
    service.stop();
    QVERIFY(stopped.count() == 1 || stopped.wait());
    QVERIFY2(service.start(baseConfig(), &error), qPrintable(error));
    QCOMPARE(service.tlsPort(), quint16(0));
    QVERIFY(service.tlsFingerprint().isEmpty());
}

void tst_ServerService::missingPasswordFileGivesAClearError()
{
    ServerService service;
    ServerConfig config = baseConfig();
    config.passwordFile = m_dir.filePath(QStringLiteral("no-such-password"));
    QString error;
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("no-such-password")));
    QVERIFY(!service.start(config, &error));
    QVERIFY2(error.contains(config.passwordFile), qPrintable(error));
    QVERIFY(!service.isListening());

    QFile password(m_dir.filePath(QStringLiteral("password")));
    QVERIFY(password.open(QIODevice::WriteOnly));
    password.write("sesame\n");
    password.close();
    config.passwordFile = password.fileName();
    QVERIFY2(service.start(config, &error), qPrintable(error));
    QVERIFY(service.server()->requiresPassword());
}

void tst_ServerService::portInUseGivesAClearError()
{
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    ServerService service;
    ServerConfig config = baseConfig();
    config.port = other.serverPort();
    QString error;
    QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("^cannot listen on")));
    QVERIFY(!service.start(config, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot listen on 127.0.0.1 port %1: ").arg(other.serverPort())),
             qPrintable(error));
    QVERIFY(!service.isRunning());
}

void tst_ServerService::ircPortInUse_data()
{
    // Taken by another IRC server, say: without --irc-port the chat starts without IRC; with
    // it, the start fails and says why.
    QTest::addColumn<bool>("required");
    QTest::newRow("the default or a saved port") << false;
    QTest::newRow("--irc-port given") << true;
}

void tst_ServerService::ircPortInUse()
{
    QFETCH(bool, required);
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    ServerService service;
    ServerConfig config = baseConfig();
    config.ircPort = other.serverPort();
    config.ircPortRequired = required;
    QString error;
    if (required) {
        QTest::ignoreMessage(QtCriticalMsg,
                             QRegularExpression(QStringLiteral("^cannot listen on .* \\(IRC\\)")));
        QVERIFY(!service.start(config, &error));
        QVERIFY2(error.contains(QStringLiteral("IRC port %1").arg(other.serverPort())), qPrintable(error));
        QVERIFY(!service.isRunning());
        return;
    }
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^no IRC: cannot listen on")));
    QVERIFY2(service.start(config, &error), qPrintable(error));
    QCOMPARE(service.ircPort(), quint16(0));
    QVERIFY(service.port() != 0);
}

void tst_ServerService::opensTheHistoryDatabase()
{
    const QString path = m_dir.filePath(QStringLiteral("history.sqlite"));
    ServerConfig config = baseConfig();
    config.database = path;
    quint64 lastId = 0;
    {
        ServerService service;
        QVERIFY(service.historyPath().isEmpty()); // not before the first start
        QVERIFY(service.start(config));
        QCOMPARE(service.historyPath(), path);
        QVERIFY(service.historyError().isEmpty());
        QVERIFY(QFile::exists(path));
        auto alice = join(service.port(), QStringLiteral("alice"));
        QVERIFY(alice);
        alice->sendLine("kept on disk");
        EXPECT_LINE(alice, chatLinePattern(QStringLiteral("alice"), QStringLiteral("kept on disk")));
        lastId = service.lastMessageId();
        QVERIFY(lastId > 0);

        // A restart keeps the database it has.
        QSignalSpy stopped(&service, &ServerService::stopped);
        service.stop();
        QVERIFY(stopped.wait());
        QVERIFY(service.start(config));
        QCOMPARE(service.historyPath(), path);
    }
    // The next service takes up where this one left off.
    ServerService next;
    QVERIFY(next.start(config));
    QCOMPARE(next.historyPath(), path);
    QCOMPARE(next.lastMessageId(), lastId);
    auto bob = join(next.port(), QStringLiteral("bob"));
    QVERIFY(bob);

    // ":memory:" opens none.
    ServerService memory;
    QVERIFY(memory.start(baseConfig()));
    QVERIFY(memory.historyPath().isEmpty());
}

void tst_ServerService::appliesNameRoomAndLimits()
{
    ServerService service;
    ServerConfig config = baseConfig();
    config.name = QStringLiteral("the office");
    config.defaultRoom = QStringLiteral("#lobby");
    config.limits.maxLineBytes = 64;
    QVERIFY(service.start(config));
    QCOMPARE(service.server()->serverName(), QStringLiteral("the office"));
    QCOMPARE(service.defaultRoom(), QStringLiteral("#lobby"));
    QCOMPARE(service.roomNames(), QStringList{ QStringLiteral("#lobby") });
    QCOMPARE(service.server()->limits().maxLineBytes, 64);
    auto alice = join(service.port(), QStringLiteral("alice"));
    QVERIFY(alice);
    alice->sendLine(QByteArray(100, 'x'));
    EXPECT_LINE(alice, QStringLiteral("! line too long (limit 64 bytes)"));
}

void tst_ServerService::kicksAndFindsClientsById()
{
    ServerService service;
    QVERIFY(service.start(baseConfig()));
    auto alice = join(service.port(), QStringLiteral("alice"));
    auto bob = join(service.port(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const ClientSession *bobSession = service.server()->findClient(QStringLiteral("bob"));
    QVERIFY(bobSession);
    const quint64 bobId = bobSession->id();
    QCOMPARE(service.addressOf(bobId), QHostAddress(QHostAddress::LocalHost));
    QStringList nicks = service.nicksFrom(QHostAddress::LocalHost);
    nicks.sort();
    QCOMPARE(nicks, (QStringList{ QStringLiteral("alice"), QStringLiteral("bob") }));

    // Out of one room, without a reason: said once, not "kicked by the admin: kicked by the admin".
    bob->sendLine("/join #dev");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("^\\* you are in #dev now")));
    alice->sendLine("/join #dev");
    EXPECT_LINE(bob, QStringLiteral("* alice joined #dev"));
    QVERIFY(service.kick(bobId, QString(), QStringLiteral("#dev")));
    EXPECT_LINE(alice, QStringLiteral("* bob left #dev (kicked by the admin)"));
    QVERIFY(service.kick(bobId, QStringLiteral("enough")));
    EXPECT_LINE(bob, QStringLiteral("! you were kicked by the admin: enough"));
    QVERIFY(bob->waitForDisconnected());
    EXPECT_LINE(alice, QStringLiteral("* bob left (kicked: enough)"));
    QTRY_COMPARE(service.clientCount(), 1);
    // Gone: its id names nobody any more.
    QVERIFY(!service.kick(bobId, QStringLiteral("again")));
    QVERIFY(service.addressOf(bobId).isNull());
    QVERIFY(alice->isConnected());
}

QTEST_GUILESS_MAIN(tst_ServerService)
#include "tst_serverservice.moc"
