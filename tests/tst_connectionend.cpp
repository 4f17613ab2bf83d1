// A connection's end loses nothing, and its first bytes are judged whole: what the server read
// before a client ended its side is handled in order (flood-held lines too, at the flood
// rate), what it owes is sent, then the room sees the leave; a TLS handshake that arrives a
// byte at a time is recognised as one, and text that does is text.
#include "certificategenerator.h"
#include "chatserver.h"
#include "clientsession.h"
#include "expect.h"
#include "rawconnection.h"
#include "testclient.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

#include <sys/socket.h>
#include <unistd.h>

class tst_ConnectionEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void halfCloseStillGetsTheAnswer();
    void ncWithShutdownGetsTheAnswer();
    void lastLineWithoutNewlineCounts();
    void floodHeldLinesAreHandledAfterTheEnd();
    void excessFloodIsToldBeforeTheClose();
    void tlsClientThatClosesAtOnceIsHeard();
    void fragmentedTlsHandshakeIsRecognised_data();
    void fragmentedTlsHandshakeIsRecognised();
    void fragmentedTextIsText();
    void fragmentedJsonHelloIsWelcomed();
    void oneByteThenTheEndIsNotTls();
    void resetAfterAcceptStillHandlesWhatArrived();
    void resetAfterAFloodStillHandlesWhatArrived();
    void resetBeforeAcceptIsRefused();

private:
    // Ends the client's sending side (shutdown(SHUT_WR)), as nc -N does at the end of input.
    static void halfClose(TestClient &client)
    {
        ::shutdown(int(client.socket().socketDescriptor()), SHUT_WR);
    }
    // Waits until the server has read exactly bytes from its newest client.
    bool waitForBytesRead(qint64 bytes);

    QTemporaryDir m_dir;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<TestClient> m_watcher;
};

void tst_ConnectionEnd::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void tst_ConnectionEnd::init()
{
    m_server = std::make_unique<ChatServer>();
    QString error;
    m_server->setTlsPort(0);
    const QString certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    if (!QFile::exists(certificate))
        QVERIFY2(CertificateGenerator::generate(certificate, key, &error), qPrintable(error));
    QVERIFY2(m_server->setTlsCertificate(certificate, key, &error), qPrintable(error));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_watcher = joinPlain(m_server->serverPort());
    QVERIFY(m_watcher);
}

void tst_ConnectionEnd::cleanup()
{
    m_watcher.reset();
    m_server.reset();
}

bool tst_ConnectionEnd::waitForBytesRead(qint64 bytes)
{
    return QTest::qWaitFor([&] {
        const QList<ClientSession *> clients = m_server->clients();
        return !clients.isEmpty() && clients.constLast()->bytesReceived() == bytes;
    });
}

void tst_ConnectionEnd::halfCloseStillGetsTheAnswer()
{
    // printf '/who\n' | nc -N: the greeting, the answer, then the close.
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.sendLine("/who");
    QVERIFY(client.socket().waitForBytesWritten(1000));
    halfClose(client);
    QVERIFY(client.waitForDisconnected());
    const QStringList lines = client.lines();
    QVERIFY2(lines.size() == 4, qPrintable(lines.join(u'|')));
    QVERIFY(lines.at(0).startsWith(QLatin1String("* welcome to groupchat, you are guest2")));
    QCOMPARE(lines.at(1), QStringLiteral("* 2 online:"));
    QVERIFY(lines.at(2).startsWith(QLatin1String("*   guest1, connected ")));
    QVERIFY(lines.at(3).startsWith(QLatin1String("*   guest2, connected ")) &&
            lines.at(3).endsWith(u"(you)"));
    // The room sees it come and go, after its answer was sent.
    EXPECT_LINE(m_watcher, QStringLiteral("* guest2 joined"));
    EXPECT_LINE(m_watcher, QStringLiteral("* guest2 left (connection closed)"));
}

void tst_ConnectionEnd::ncWithShutdownGetsTheAnswer()
{
    // The issue's own command line, with a real nc.
    const QString nc = QStandardPaths::findExecutable(QStringLiteral("nc"));
    if (nc.isEmpty())
        QSKIP("nc is not installed (scripts/deps.sh installs netcat-openbsd)");
    QProcess process;
    process.start(nc, { QStringLiteral("-N"), QStringLiteral("127.0.0.1"),
                        QString::number(m_server->serverPort()) });
    QVERIFY(process.waitForStarted());
    process.write("/who\n");
    process.closeWriteChannel();
    QSignalSpy finished(&process, &QProcess::finished);
    QVERIFY(finished.wait(10000));
    const QStringList lines =
            QString::fromUtf8(process.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() == 4 && lines.at(1) == QStringLiteral("* 2 online:"), qPrintable(lines.join(u'|')));
}

void tst_ConnectionEnd::lastLineWithoutNewlineCounts()
{
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.sendRaw("first\nlast words");
    QVERIFY(client.socket().waitForBytesWritten(1000));
    halfClose(client);
    EXPECT_LINE(m_watcher, chatLinePattern(QStringLiteral("guest2"), QStringLiteral("first")));
    EXPECT_LINE(m_watcher, chatLinePattern(QStringLiteral("guest2"), QStringLiteral("last words")));
    EXPECT_LINE(m_watcher, QStringLiteral("* guest2 left (connection closed)"));
    // Its own words came back to it before the close.
    QVERIFY(client.waitForDisconnected());
    QVERIFY(!client.lines().filter(QRegularExpression(QStringLiteral("guest2: last words$"))).isEmpty());
}

void tst_ConnectionEnd::floodHeldLinesAreHandledAfterTheEnd()
{
    // 10 lines at once, then 5 a second: 25 lines sent at once, and the sender's side closed
    // right after. All 25 reach the room, in order, at the flood rate; then the leave.
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    QByteArray lines;
    for (int i = 1; i <= 25; ++i)
        lines += "line " + QByteArray::number(i) + '\n';
    client.sendRaw(lines);
    QVERIFY(client.socket().waitForBytesWritten(1000));
    halfClose(client);
    for (int i = 1; i <= 25; ++i) {
        EXPECT_LINE(m_watcher, chatLinePattern(QStringLiteral("guest2"), QStringLiteral("line %1").arg(i)));
    }
    EXPECT_LINE(m_watcher, QStringLiteral("* guest2 left (connection closed)"));
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(client.lines().filter(QRegularExpression(QStringLiteral("guest2: line \\d+$"))).size(), 25);
}

void tst_ConnectionEnd::excessFloodIsToldBeforeTheClose()
{
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    QByteArray lines;
    for (int i = 1; i <= 40; ++i)
        lines += "flood " + QByteArray::number(i) + '\n';
    client.sendRaw(lines);
    EXPECT_LINE(client, QStringLiteral("! excess flood: more than 20 lines waiting"));
    QVERIFY(client.waitForDisconnected());
    EXPECT_LINE(m_watcher, QStringLiteral("* guest2 left (excess flood)"));
}

void tst_ConnectionEnd::tlsClientThatClosesAtOnceIsHeard()
{
    QSslSocket socket;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); });
    QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->tlsPort());
    QVERIFY(encrypted.wait(5000));
    socket.write("said over TLS, then gone\n");
    QVERIFY(socket.waitForBytesWritten(1000));
    socket.disconnectFromHost();
    EXPECT_LINE(m_watcher,
                chatLinePattern(QStringLiteral("guest2"), QStringLiteral("said over TLS, then gone")));
    EXPECT_LINE(m_watcher, QRegularExpression(QStringLiteral("^\\* guest2 left")));
}

void tst_ConnectionEnd::fragmentedTlsHandshakeIsRecognised_data()
{
    QTest::addColumn<int>("firstPiece");
    QTest::newRow("one byte first") << 1;
    QTest::newRow("two bytes first") << 2;
}

void tst_ConnectionEnd::fragmentedTlsHandshakeIsRecognised()
{
    QFETCH(int, firstPiece);
    // The start of a real ClientHello record: handshake, TLS 1.0 record version, a length.
    const QByteArray hello("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11);
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.sendRaw(hello.left(firstPiece));
    if (firstPiece == 1) {
        // One byte could still start text: the server has read it and waits for more.
        QVERIFY(waitForBytesRead(firstPiece));
        QVERIFY(client.isConnected());
    }
    // (Two bytes, 0x16 0x03, are a TLS record header already.)
    client.sendRaw(hello.mid(firstPiece));
    QVERIFY(client.waitForDisconnected());
    // Hung up on without a word to it; never shown in the room as text.
    QVERIFY2(client.lines().size() == 1 && client.lines().constFirst().startsWith(u"* welcome"),
             qPrintable(client.lines().join(u'|')));
    m_watcher->sendLine("after the handshake");
    EXPECT_LINE(m_watcher, chatLinePattern(m_watcher->nick(), QStringLiteral("after the handshake")));
    QVERIFY2(m_watcher->lines().filter(QStringLiteral("guest2:")).isEmpty(),
             qPrintable(m_watcher->lines().join(u'|')));
}

void tst_ConnectionEnd::fragmentedTextIsText()
{
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.sendRaw("h");
    QVERIFY(waitForBytesRead(1));
    client.sendRaw("ello\n");
    EXPECT_LINE(m_watcher, chatLinePattern(QStringLiteral("guest2"), QStringLiteral("hello")));
}

void tst_ConnectionEnd::fragmentedJsonHelloIsWelcomed()
{
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    const QByteArray hello = R"({"type":"hello","version":1,"nick":"bytewise"})"
                             "\n";
    for (qsizetype i = 0; i < hello.size(); ++i) {
        client.sendRaw(hello.mid(i, 1));
        QVERIFY(waitForBytesRead(i + 1));
    }
    QJsonObject clientWelcome;
    EXPECT_JSON_AS(clientWelcome, client, QStringLiteral("welcome"));
    QCOMPARE(clientWelcome.value(u"nick").toString(), QStringLiteral("bytewise"));
}

void tst_ConnectionEnd::oneByteThenTheEndIsNotTls()
{
    // Too short to be a TLS record: handled as (empty) text, and the connection ends as any.
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.sendRaw("\x16");
    QVERIFY(waitForBytesRead(1));
    halfClose(client);
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(m_server->clientCount(), 1);
}

void tst_ConnectionEnd::resetAfterAcceptStillHandlesWhatArrived()
{
    RawConnection connection(m_server->serverPort());
    QVERIFY(connection.isConnected());
    QTRY_COMPARE(m_server->clientCount(), 2);
    // Sending to it fails from now on; what arrived is still read and handled.
    QVERIFY(connection.send("one\ntwo\nthree\n"));
    connection.reset();
    for (const char *text : { "one", "two", "three" })
        EXPECT_LINE(m_watcher, chatLinePattern(QStringLiteral("guest2"), QLatin1String(text)));
    EXPECT_LINE(m_watcher, QRegularExpression(QStringLiteral("^\\* guest2 left")));
}

void tst_ConnectionEnd::resetAfterAFloodStillHandlesWhatArrived()
{
    // Twelve lines and a last one without its newline, then a reset: flood control holds two
    // back, and they and the last line are still handled, at the flood rate.
    RawConnection connection(m_server->serverPort());
    QVERIFY(connection.isConnected());
    QTRY_COMPARE(m_server->clientCount(), 2);
    QByteArray lines;
    for (int i = 1; i <= 12; ++i)
        lines += "flood " + QByteArray::number(i) + '\n';
    lines += "/me no newline";
    QVERIFY(connection.send(lines));
    connection.reset();
    for (int i = 1; i <= 12; ++i)
        EXPECT_LINE(m_watcher, chatLinePattern(QStringLiteral("guest2"), QStringLiteral("flood %1").arg(i)));
    EXPECT_LINE(m_watcher, QRegularExpression(QStringLiteral("\\* guest2 no newline$")));
    EXPECT_LINE(m_watcher, QRegularExpression(QStringLiteral("^\\* guest2 left")));
}

void tst_ConnectionEnd::resetBeforeAcceptIsRefused()
{
    // Reset before the server accepted it: its address can no longer be known, so no ban and
    // no limit could apply to it. It is refused, and nothing it sent reaches the room.
    {
        RawConnection connection(m_server->serverPort());
        QVERIFY(connection.isConnected());
        QVERIFY(connection.send("/nick sneaky\nI am banned but post anyway\n"));
        connection.reset();
    }
    m_watcher->sendLine("after the reset");
    EXPECT_LINE(m_watcher, chatLinePattern(m_watcher->nick(), QStringLiteral("after the reset")));
    QCOMPARE(m_server->clientCount(), 1);
    QVERIFY2(m_watcher->lines().filter(QStringLiteral("sneaky")).isEmpty() &&
                     m_watcher->lines().filter(QStringLiteral("post anyway")).isEmpty(),
             qPrintable(m_watcher->lines().join(u'|')));
}

QTEST_MAIN(tst_ConnectionEnd)
#include "tst_connectionend.moc"
