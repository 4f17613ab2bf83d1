// What a hostile (or merely unusual) IRC client can do to the server, and what the IRC dialect
// must never do to anyone: every test here is a problem that was found by attacking the IRC port
// and the TLS port's IRC detection, kept so that it stays fixed.
#include "certificategenerator.h"
#include "chatserver.h"
#include "expect.h"
#include "testclient.h"
#include "textsanitizer.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

// A whole IRC line (TestClient keeps the CR of CR LF).
QRegularExpression irc(const QString &pattern)
{
    return QRegularExpression(u'^' + pattern + QStringLiteral("\\r$"));
}

// An IRC client registered as nick with the IRCv3 capabilities caps (space-separated; none when
// empty), its welcome and #general's names read; null on failure.
std::unique_ptr<TestClient> joinIrc(quint16 port, const QString &nick, const QString &caps = QString())
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(port))
        return nullptr;
    client->setNick(nick);
    if (!caps.isEmpty())
        client->sendLine("CAP LS 302\r\nCAP REQ :" + caps.toUtf8() + "\r\nCAP END\r");
    client->sendLine("NICK " + nick.toUtf8() + "\r\nUSER u 0 * :Real Name\r");
    if (client->waitForLine(irc(QStringLiteral(":groupchat 366 %1 #general .*").arg(nick))).isNull()) {
        qWarning("%s was not welcomed: %s", qPrintable(nick), qPrintable(client->lines().join(u'|')));
        return nullptr;
    }
    return client;
}

// The SASL PLAIN message for password, as AUTHENTICATE sends it.
QByteArray saslPlain(const QByteArray &password)
{
    return QByteArray(QByteArray("someone\0someone\0", 16) + password).toBase64();
}

} // namespace

class tst_IrcHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void unfinishedRegistrationTimesOut();
    void saslDuringAnAddressWait();
    void capEndDuringSaslWaitsForItsEnd_data();
    void capEndDuringSaslWaitsForItsEnd();
    void chathistoryFitsTheSendQueue();
    void chathistoryAroundBeforeTheEpoch();
    void duplicateTargetsGetOneMessage();
    void namesOncePerRoomAndBounded();
    void plainLineThatReadsLikeIrcOnTheTlsPort_data();
    void plainLineThatReadsLikeIrcOnTheTlsPort();
    void ircOnTheTlsPortHearsNoPlainLines();
    void multilineRefusals_data();
    void multilineRefusals();
    void multilineUnterminatedAndPasted();
    void multilineBatchTimesOut();
    void multilineFloodOfBatchLines();
    void multilineLinesCannotForgeOrReorder();

private:
    // A server in this process with limits (and password, when given), serving IRC and TLS.
    void startServer(const ChatLimits &limits, const QString &password = QString());
    // A TLS connection to the server's TLS port, encrypted; null on failure.
    std::unique_ptr<QSslSocket> connectTls();

    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
    std::unique_ptr<ChatServer> m_server;
};

void tst_IrcHostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QString error;
    QVERIFY2(CertificateGenerator::generate(m_certificate, m_key, &error), qPrintable(error));
}

void tst_IrcHostile::cleanup()
{
    m_server.reset();
}

void tst_IrcHostile::startServer(const ChatLimits &limits, const QString &password)
{
    m_server = std::make_unique<ChatServer>(limits);
    if (!password.isEmpty())
        m_server->setPassword(password);
    m_server->setIrcPort(true, 0);
    m_server->setTlsPort(0);
    QString error;
    QVERIFY2(m_server->setTlsCertificate(m_certificate, m_key, &error), qPrintable(error));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->ircPort() != 0);
    QVERIFY(m_server->tlsPort() != 0);
}

std::unique_ptr<QSslSocket> tst_IrcHostile::connectTls()
{
    auto socket = std::make_unique<QSslSocket>();
    socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->tlsPort());
    if (!encrypted.wait(5000))
        return nullptr;
    return socket;
}

void tst_IrcHostile::unfinishedRegistrationTimesOut()
{
    // A client that never sends CAP END holds its nick, without the password, for as long as it
    // answers pings: until the registration's time is up.
    ChatLimits limits;
    limits.ircRegistrationTimeoutMs = 1000;
    startServer(limits, QStringLiteral("sesame"));
    TestClient squatter;
    QVERIFY(squatter.connectTo(m_server->ircPort()));
    squatter.sendLine("CAP LS 302\r\nNICK alice\r\nUSER u 0 * :U\r\nPING :still here\r");
    EXPECT_LINE(squatter, irc(QStringLiteral(":groupchat PONG groupchat :still here")));
    EXPECT_LINE(squatter, irc(QStringLiteral("ERROR :Closing Link: registration timed out.*")));
    QVERIFY(squatter.waitForDisconnected());

    // The nick is free again, and a client that did register is not timed out.
    TestClient alice;
    QVERIFY(alice.connectTo(m_server->ircPort()));
    alice.sendLine("PASS sesame\r\nNICK alice\r\nUSER u 0 * :U\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 001 alice .*")));
    QTest::qWait(limits.ircRegistrationTimeoutMs + 500);
    alice.sendLine("PING :after the timeout\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat :after the timeout")));
    QVERIFY(alice.isConnected());
}

void tst_IrcHostile::saslDuringAnAddressWait()
{
    // A wrong password from the address makes the next answer to it wait; the right one given
    // with SASL meanwhile is checked once the wait is over, as PASS's is.
    startServer(ChatLimits(), QStringLiteral("sesame"));
    TestClient guesser;
    QVERIFY(guesser.connectTo(m_server->ircPort()));
    guesser.sendLine("PASS wrong\r\nNICK guesser\r\nUSER u 0 * :U\r");
    QTRY_VERIFY_WITH_TIMEOUT(m_server->findClient(QStringLiteral("guesser")), 5000);
    TestClient alice;
    QVERIFY(alice.connectTo(m_server->ircPort()));
    alice.sendLine("CAP LS 302\r\nNICK alice\r\nUSER u 0 * :U\r\nCAP REQ :sasl\r\nAUTHENTICATE PLAIN\r");
    EXPECT_LINE(alice, irc(QStringLiteral("AUTHENTICATE \\+")));
    alice.sendLine("AUTHENTICATE " + saslPlain("sesame") + '\r');
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 903 \\* :SASL authentication successful")), 10000);
    alice.sendLine("CAP END\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 001 alice .*")));
    EXPECT_LINE(guesser, irc(QStringLiteral(":groupchat 464 .*")));
}

void tst_IrcHostile::capEndDuringSaslWaitsForItsEnd_data()
{
    // What AUTHENTICATE sends, and how the registration ends.
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("expected");
    QTest::newRow("right password") << saslPlain("sesame") << QStringLiteral(":groupchat 001 alice .*");
    QTest::newRow("malformed") << QByteArray("bm90IFBMQUlO")
                               << QStringLiteral("ERROR :Closing Link: this server needs a password .*");
}

void tst_IrcHostile::capEndDuringSaslWaitsForItsEnd()
{
    // CAP END in the middle of SASL: the registration ends with SASL's end, either way, instead
    // of never.
    QFETCH(QByteArray, message);
    QFETCH(QString, expected);
    startServer(ChatLimits(), QStringLiteral("sesame"));
    TestClient alice;
    QVERIFY(alice.connectTo(m_server->ircPort()));
    alice.sendLine("CAP LS 302\r\nNICK alice\r\nUSER u 0 * :U\r\nCAP REQ :sasl\r\nAUTHENTICATE PLAIN\r\n"
                   "CAP END\r");
    EXPECT_LINE(alice, irc(QStringLiteral("AUTHENTICATE \\+")));
    alice.sendLine("AUTHENTICATE " + message + '\r');
    EXPECT_LINE(alice, irc(expected), 10000);
}

void tst_IrcHostile::chathistoryFitsTheSendQueue()
{
    // A thousand long messages are twice the send queue as IRC lines: the reply holds the newest
    // of them that fit in about half of it (as a JSON history reply does), and the client that
    // asked stays connected.
    ChatLimits limits;
    limits.floodControl = false;
    limits.maxSendQueueBytes = 256 * 1024;
    limits.softSendQueueBytes = 64 * 1024;
    startServer(limits);
    auto poster = joinIrc(m_server->ircPort(), QStringLiteral("poster"));
    QVERIFY(poster);
    const QByteArray text(400, 'x');
    for (int i = 0; i < 1000; ++i)
        poster->sendLine("PRIVMSG #general :" + QByteArray::number(i) + ' ' + text + '\r');
    poster->sendLine("PING :posted\r");
    EXPECT_LINE(poster, irc(QStringLiteral(":groupchat PONG groupchat :?posted")), 20000);

    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"),
                         QStringLiteral("batch draft/chathistory message-tags server-time"));
    QVERIFY(alice);
    alice->sendLine("CHATHISTORY LATEST #general * 1000\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH \\+(\\S+) chathistory #general")));
    const qsizetype from = alice->readPosition();
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH -\\S+")), 10000);
    const QStringList reply = alice->lines().mid(from, alice->readPosition() - from - 1);
    qsizetype bytes = 0;
    for (const QString &line : reply)
        bytes += line.toUtf8().size() + 1;
    // Half the send queue, give or take the batch tags.
    QVERIFY2(bytes <= limits.maxSendQueueBytes * 3 / 5, qPrintable(QString::number(bytes)));
    QVERIFY(reply.size() > 100);
    QVERIFY2(reply.constLast().contains(QLatin1String("PRIVMSG #general :999 x")),
             qPrintable(reply.constLast()));
    alice->sendLine("PING :still here\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat :still here")));
}

void tst_IrcHostile::chathistoryAroundBeforeTheEpoch()
{
    // A time before 1970 is before every message: AROUND it is the oldest messages, each once
    // (it was no bound at all, which gave the newest and the oldest, some twice).
    ChatLimits limits;
    limits.floodControl = false;
    startServer(limits);
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"),
                         QStringLiteral("batch draft/chathistory echo-message message-tags"));
    QVERIFY(alice);
    for (int i = 1; i <= 3; ++i) {
        alice->sendLine("PRIVMSG #general :message " + QByteArray::number(i) + '\r');
        EXPECT_LINE(
                alice,
                irc(QStringLiteral("@msgid=\\d+ :alice!~gc@groupchat PRIVMSG #general :message %1").arg(i)));
    }
    alice->sendLine("CHATHISTORY AROUND #general timestamp=1900-01-01T00:00:00.000Z 10\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH \\+\\S+ chathistory #general")));
    const qsizetype from = alice->readPosition();
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH -\\S+")));
    const QStringList reply = alice->lines().mid(from, alice->readPosition() - from - 1);
    QCOMPARE(reply.size(), 3);
    for (int i = 1; i <= 3; ++i)
        QVERIFY2(reply.at(i - 1).endsWith(QStringLiteral("PRIVMSG #general :message %1\r").arg(i)),
                 qPrintable(reply.join(u'|')));
}

void tst_IrcHostile::duplicateTargetsGetOneMessage()
{
    // PRIVMSG's four targets are four conversations at most: a room or a person named twice
    // gets the message once, not once for every time it was named.
    ChatLimits limits;
    limits.floodControl = false;
    startServer(limits);
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"));
    QVERIFY(bob);
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat JOIN #general")));
    alice->sendLine("PRIVMSG #general,#general,bob,Bob :twice each\r\nPRIVMSG bob :done\r");
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG bob :done")));
    const QStringList twice = bob->lines().filter(QStringLiteral(":twice each"));
    QCOMPARE(twice.size(), 2);
    QVERIFY2(twice.at(0).contains(QLatin1String("PRIVMSG #general ")), qPrintable(twice.join(u'|')));
    QVERIFY2(twice.at(1).contains(QLatin1String("PRIVMSG bob ")), qPrintable(twice.join(u'|')));
}

void tst_IrcHostile::namesOncePerRoomAndBounded()
{
    // NAMES answers each room once however often (and however spelt) it is named, and at most
    // TARGMAX's ten names: a 512-byte NAMES line cannot make the server send a large room's
    // list fifty times.
    ChatLimits limits;
    limits.floodControl = false;
    startServer(limits);
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"));
    QVERIFY(alice);
    const qsizetype from = alice->readPosition();
    alice->sendLine("NAMES #general,#GENERAL,#general,#nope\r\nPING :after-names\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat after-names")));
    const QStringList answered = alice->lines().mid(from);
    QCOMPARE(answered.filter(QStringLiteral(" 353 alice = #general ")).size(), 1);
    QCOMPARE(answered.filter(QStringLiteral(" 366 alice #general :")).size(), 1);
    QCOMPARE(answered.filter(QStringLiteral(" 366 alice #nope :")).size(), 1);

    QByteArray many = "NAMES ";
    for (int i = 0; i < 40; ++i)
        many += (i ? "," : "") + QByteArray("#general");
    const qsizetype before = alice->readPosition();
    alice->sendLine(many + "\r\nPING :after-many\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat after-many")));
    const QStringList lines = alice->lines().mid(before);
    QCOMPARE(lines.filter(QStringLiteral(" 353 alice = #general ")).size(), 1);
    QVERIFY2(lines.filter(QStringLiteral(" 407 alice #general :Too many channels")).size() == 1,
             qPrintable(lines.join(u'\n')));
}

void tst_IrcHostile::plainLineThatReadsLikeIrcOnTheTlsPort_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("user") << QByteArray("User error again");
    QTest::newRow("pass") << QByteArray("pass me the logs please");
    QTest::newRow("cap") << QByteArray("cap it at ten");
    QTest::newRow("nick") << QByteArray("nick bob");
}

void tst_IrcHostile::plainLineThatReadsLikeIrcOnTheTlsPort()
{
    // A person's first line on the TLS port is chat, even when its first word is an IRC
    // command's: it reaches the room, and the person is greeted as a plain client.
    QFETCH(QByteArray, line);
    startServer(ChatLimits());
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"));
    QVERIFY(bob);
    auto socket = connectTls();
    QVERIFY(socket);
    socket->write(line + '\n');
    EXPECT_LINE(bob, irc(QStringLiteral(":guest\\d+!~gc@groupchat PRIVMSG #general :") +
                         QRegularExpression::escape(QString::fromUtf8(line))));
    QByteArray received;
    QVERIFY2(QTest::qWaitFor(
                     [&] {
                         received += socket->readAll();
                         return received.contains("welcome to groupchat");
                     },
                     5000),
             received.constData());
}

void tst_IrcHostile::ircOnTheTlsPortHearsNoPlainLines()
{
    // Until its first line says what it is, a connection to the TLS port hears nothing of the
    // room: an IRC client would get the room's talk as plain lines before its registration.
    startServer(ChatLimits());
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"));
    QVERIFY(bob);
    auto socket = connectTls();
    QVERIFY(socket);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->clientCount(), 3, 5000);
    alice->sendLine("PRIVMSG #general :said before the first line\r");
    EXPECT_LINE(bob,
                irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :said before the first line")));
    socket->write("CAP LS 302\r\nNICK tlsuser\r\nUSER u 0 * :U\r\nCAP END\r\n");
    QByteArray received;
    QVERIFY2(QTest::qWaitFor(
                     [&] {
                         received += socket->readAll();
                         return received.contains(" 366 tlsuser #general ");
                     },
                     5000),
             received.constData());
    for (const QByteArray &line : received.split('\n')) {
        QVERIFY2(line.isEmpty() || line.startsWith(':') || line.startsWith('@') || line.startsWith("PING"),
                 received.constData());
    }
    QVERIFY2(!received.contains("said before the first line"), received.constData());
}

void tst_IrcHostile::multilineRefusals_data()
{
    // What a client sends (after registering with the capabilities caps), and the FAIL it gets:
    // IRCv3 draft/multiline's codes (and irctest's testInvalidBatchTag,
    // testInvalidBlankConcatTag, testLineLimit, testByteLimit).
    QTest::addColumn<QString>("caps");
    QTest::addColumn<QByteArray>("lines");
    QTest::addColumn<QString>("fail");
    const QString caps = QStringLiteral("batch message-tags draft/multiline");
    const QByteArray open = "BATCH +b draft/multiline #general\r\n";
    const QByteArray close = "BATCH -b\r\n";
    // MULTILINE_INVALID_TARGET <batch-target> <provided-target>: two parameters, each as sent.
    QTest::newRow("another target")
            << caps << open + "@batch=b PRIVMSG #general :one\r\n@batch=b PRIVMSG #other :two\r\n" + close
            << QStringLiteral("MULTILINE_INVALID_TARGET #general #other :Invalid multiline target");
    QTest::newRow("a line for a list of targets")
            << caps << open + "@batch=b PRIVMSG #general,bob :one\r\n" + close
            << QStringLiteral("MULTILINE_INVALID_TARGET #general #general,bob :Invalid multiline target");
    QTest::newRow("a line for a nick")
            << caps << open + "@batch=b PRIVMSG bob :one\r\n" + close
            << QStringLiteral("MULTILINE_INVALID_TARGET #general bob :Invalid multiline target");
    QTest::newRow("PRIVMSG and NOTICE")
            << caps << open + "@batch=b PRIVMSG #general :one\r\n@batch=b NOTICE #general :two\r\n" + close
            << QStringLiteral("MULTILINE_INVALID :A multiline batch mixes PRIVMSG and NOTICE");
    QTest::newRow("blank lines only")
            << caps << open + "@batch=b PRIVMSG #general :\r\n@batch=b PRIVMSG #general : \u200b\r\n" + close
            << QStringLiteral("MULTILINE_INVALID :The multiline batch holds only blank lines");
    QTest::newRow("empty") << caps << open + close
                           << QStringLiteral("MULTILINE_INVALID :The multiline batch is empty");
    QTest::newRow("concat on a blank line")
            << caps
            << open +
                       "@batch=b PRIVMSG #general :hi\r\n@batch=b;draft/multiline-concat PRIVMSG #general "
                       ":\r\n" +
                       close
            << QStringLiteral("MULTILINE_INVALID :A blank line cannot continue the one before .*");
    // The tag has no value; what one would mean is not defined (docs/PROTOCOL.md).
    for (const char *value : { "0", "1", "false" })
        QTest::addRow("concat=%s", value)
                << caps
                << open + "@batch=b PRIVMSG #general :hi\r\n@batch=b;draft/multiline-concat=" + value +
                           " PRIVMSG #general :there\r\n" + close
                << QStringLiteral("MULTILINE_INVALID :draft/multiline-concat takes no value");
    QByteArray tooMany = open;
    for (int i = 0; i < 33; ++i)
        tooMany += "@batch=b PRIVMSG #general hi\r\n";
    QTest::newRow("33 lines") << caps << tooMany + close
                              << QStringLiteral("MULTILINE_MAX_LINES 32 :Multiline batch max-lines exceeded");
    QByteArray tooLong = open;
    for (int i = 0; i < 11; ++i)
        tooLong += "@batch=b PRIVMSG #general " + QByteArray(400, 'x') + "\r\n";
    QTest::newRow("4400 bytes") << caps << tooLong + close
                                << QStringLiteral(
                                           "MULTILINE_MAX_BYTES 4096 :Multiline batch max-bytes exceeded");
    // One over: ten lines of 408 bytes and their nine line feeds are 4089, and a continued
    // line (no line feed) of 8.
    QByteArray justOver = open;
    for (int i = 0; i < 10; ++i)
        justOver += "@batch=b PRIVMSG #general " + QByteArray(408, 'x') + "\r\n";
    justOver += "@batch=b;draft/multiline-concat PRIVMSG #general " + QByteArray(8, 'y') + "\r\n";
    QTest::newRow("4097 bytes") << caps << justOver + close
                                << QStringLiteral(
                                           "MULTILINE_MAX_BYTES 4096 :Multiline batch max-bytes exceeded");
    QTest::newRow("unknown batch") << caps << open + "@batch=c PRIVMSG #general :hi\r\n"
                                   << QStringLiteral("MULTILINE_INVALID :No such batch is open");
    QTest::newRow("close what is not open") << caps << QByteArray("BATCH -nothing\r\n")
                                            << QStringLiteral("MULTILINE_INVALID :No such batch is open");
    QTest::newRow("nested") << caps << open + "@batch=b BATCH +c draft/multiline #general\r\n" + close
                            << QStringLiteral("MULTILINE_INVALID :Batches do not nest in a multiline batch");
    QTest::newRow("another command")
            << caps << open + "@batch=b TOPIC #general :x\r\n" + close
            << QStringLiteral("MULTILINE_INVALID :A multiline batch holds PRIVMSG or NOTICE "
                              "lines only");
    QTest::newRow("no text") << caps << open + "@batch=b PRIVMSG #general\r\n" + close
                             << QStringLiteral(
                                        "MULTILINE_INVALID :A line of the batch needs a target and text");
    QTest::newRow("another type") << caps << QByteArray("BATCH +b netsplit a b\r\n")
                                  << QStringLiteral(
                                             "MULTILINE_INVALID :Only draft/multiline batches are taken");
    QTest::newRow("no target") << caps << QByteArray("BATCH +b draft/multiline\r\n")
                               << QStringLiteral("MULTILINE_INVALID :A multiline batch needs a target");
    QTest::newRow("two targets")
            << caps
            << QByteArray("BATCH +b draft/multiline #general,bob\r\n@batch=b PRIVMSG "
                          "#general,bob :hi\r\nBATCH -b\r\n")
            << QStringLiteral("MULTILINE_INVALID :A multiline batch has one target, not a list");
    QTest::newRow("a target with a space")
            << caps
            << QByteArray("BATCH +b draft/multiline :#general bob\r\n@batch=b PRIVMSG "
                          "#general :hi\r\nBATCH -b\r\n")
            << QStringLiteral("MULTILINE_INVALID :A multiline batch has one target, not a list");
    // A CTCP ACTION is the whole batch's (multilineAction in tst_ircserver); nothing else of CTCP.
    QTest::newRow("a CTCP query")
            << caps
            << open + "@batch=b PRIVMSG #general :\x01VERSION\r\n@batch=b PRIVMSG #general :x\x01\r\n" + close
            << QStringLiteral("MULTILINE_INVALID :Of CTCP, a multiline batch can only be an ACTION");
    QTest::newRow("an ACTION on each line")
            << caps
            << open +
                       "@batch=b PRIVMSG #general :\x01"
                       "ACTION waves\x01\r\n@batch=b PRIVMSG #general "
                       ":\x01"
                       "ACTION smiles\x01\r\n" +
                       close
            << QStringLiteral("MULTILINE_INVALID :A CTCP ACTION in a multiline batch begins its first line "
                              "and ends its last; no other line begins one");
    QTest::newRow("an ACTION after a line")
            << caps
            << open +
                       "@batch=b PRIVMSG #general :hi\r\n@batch=b PRIVMSG #general :\x01"
                       "ACTION waves\x01\r\n" +
                       close
            << QStringLiteral("MULTILINE_INVALID :A CTCP ACTION in a multiline batch begins its first line "
                              "and ends its last; no other line begins one");
    QTest::newRow("a line too long") << caps
                                     << open + "@batch=b PRIVMSG #general :" + QByteArray(600, 'x') + "\r\n" +
                                                close
                                     << QStringLiteral("MULTILINE_INVALID :A line of the batch was too long");
    QTest::newRow("a line not UTF-8")
            << caps << open + "@batch=b PRIVMSG #general :\xff\xfe\r\n" + close
            << QStringLiteral("MULTILINE_INVALID :A line of the batch was not UTF-8");
    QTest::newRow("no reference") << caps << QByteArray("BATCH draft/multiline #general\r\n")
                                  << QStringLiteral(
                                             "MULTILINE_INVALID :BATCH takes \\+reference or -reference");
    QTest::newRow("reference twice") << caps << open + open
                                     << QStringLiteral("MULTILINE_INVALID :That batch reference is in use");
    QTest::newRow("three open") << caps
                                << QByteArray("BATCH +x draft/multiline #general\r\nBATCH +y draft/multiline "
                                              "#general\r\n") +
                                           open
                                << QStringLiteral("MULTILINE_INVALID :Too many open batches \\(2\\)");
    QTest::newRow("without the capability") << QStringLiteral("batch message-tags") << open + close
                                            << QStringLiteral("MULTILINE_INVALID :Client batches need the "
                                                              "draft/multiline and batch capabilities");
    QTest::newRow("without batch") << QStringLiteral("draft/multiline") << open + close
                                   << QStringLiteral("MULTILINE_INVALID :Client batches need the "
                                                     "draft/multiline and batch capabilities");
}

void tst_IrcHostile::multilineRefusals()
{
    // Each fault is one FAIL BATCH; nothing of the batch reaches the room, what is left of it
    // is dropped without another word, and the connection goes on: a good batch after it is
    // delivered.
    QFETCH(QString, caps);
    QFETCH(QByteArray, lines);
    QFETCH(QString, fail);
    ChatLimits limits;
    limits.floodControl = false;
    startServer(limits);
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"), caps);
    QVERIFY(alice);
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"));
    QVERIFY(bob);
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat JOIN #general")));
    const qsizetype from = alice->readPosition();
    alice->sendLine(lines + "PING :after\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat FAIL BATCH ") + fail));
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat :?after")));
    const QStringList answered = alice->lines().mid(from);
    QVERIFY2(answered.filter(QStringLiteral(" FAIL BATCH ")).size() == 1, qPrintable(answered.join(u'|')));
    bob->sendLine("PING :bob\r");
    EXPECT_LINE(bob, irc(QStringLiteral(":groupchat PONG groupchat :?bob")));
    QVERIFY2(bob->lines().filter(QStringLiteral(":alice!~gc@groupchat PRIVMSG")).isEmpty(),
             qPrintable(bob->lines().join(u'|')));
    QVERIFY2(bob->lines().filter(QStringLiteral(":alice!~gc@groupchat NOTICE")).isEmpty(),
             qPrintable(bob->lines().join(u'|')));
    // Not when it had no capability, nor with two batches still open (the rule it met).
    if (!caps.contains(QLatin1String("draft/multiline")) || !caps.contains(QLatin1String("batch")) ||
        fail.startsWith(QLatin1String("MULTILINE_INVALID :Too many open")))
        return;
    alice->sendLine("BATCH +ok draft/multiline #general\r\n@batch=ok PRIVMSG #general :good\r\n"
                    "@batch=ok PRIVMSG #general :batch\r\nBATCH -ok\r");
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :good")));
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :batch")));
}

void tst_IrcHostile::multilineUnterminatedAndPasted()
{
    // Flood control on, as it is by default. A batch that is never closed is never posted and
    // holds at most its max-bytes (two at most are open); the lines of a batch cost a quarter
    // of a line each, so two whole batches pasted at once wait their turn instead of ending the
    // connection, and both arrive whole and in order.
    startServer(ChatLimits());
    const QString caps = QStringLiteral("batch message-tags draft/multiline");
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"), caps);
    QVERIFY(alice);
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"), caps);
    QVERIFY(bob);
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat JOIN #general")));

    QByteArray paste;
    for (const char *reference : { "p1", "p2" }) {
        paste += "BATCH +" + QByteArray(reference) + " draft/multiline #general\r\n";
        for (int i = 0; i < 32; ++i)
            paste += "@batch=" + QByteArray(reference) + " PRIVMSG #general :" + reference + " line " +
                     QByteArray::number(i) + "\r\n";
        paste += "BATCH -" + QByteArray(reference) + "\r\n";
    }
    alice->sendLine(paste + "BATCH +never draft/multiline #general\r\n@batch=never PRIVMSG #general :lost\r");
    for (const char *reference : { "p1", "p2" }) {
        EXPECT_LINE(bob,
                    irc(QStringLiteral("@msgid=\\d+ :alice!~gc@groupchat BATCH \\+ml\\d+ draft/multiline "
                                       "#general")),
                    10000);
        const qsizetype from = bob->readPosition();
        EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat BATCH -ml\\d+")));
        const QStringList body = bob->lines().mid(from, bob->readPosition() - from - 1);
        QCOMPARE(body.size(), 32);
        for (int i = 0; i < 32; ++i)
            QVERIFY2(body.at(i).endsWith(QStringLiteral("PRIVMSG #general :%1 line %2\r")
                                                 .arg(QLatin1String(reference))
                                                 .arg(i)),
                     qPrintable(body.at(i)));
    }
    alice->sendLine("PING :still here\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat :?still here")), 10000);
    QVERIFY(alice->isConnected());
    QVERIFY(alice->lines().filter(QStringLiteral(" FAIL ")).isEmpty());
    // The unclosed batch goes with the connection, unposted.
    alice->sendLine("QUIT\r");
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat QUIT .*")));
    QVERIFY(bob->lines().filter(QStringLiteral(":lost")).isEmpty());
}

void tst_IrcHostile::multilineBatchTimesOut()
{
    // A batch left open is dropped after ChatLimits::ircBatchTimeoutMs (here a fraction of a
    // second, 30 s by default) with FAIL BATCH TIMEOUT <reference> (IRCv3 client-batch),
    // labeled as its BATCH + was, and logged; nothing of it is posted, and what still comes of
    // it is dropped without another word. A batch closed in time is not touched, and the
    // connection goes on.
    ChatLimits limits;
    limits.floodControl = false;
    limits.ircBatchTimeoutMs = 300;
    startServer(limits);
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"),
                         QStringLiteral("batch message-tags draft/multiline labeled-response"));
    QVERIFY(alice);
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"));
    QVERIFY(bob);
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat JOIN #general")));
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral(
                                            "^alice \\(.*\\) did not close its IRC multiline batch \"slow\" "
                                            "within 0.3 s; it was dropped with its 1 line\\(s\\)$")));
    const qsizetype from = alice->readPosition();
    alice->sendLine(
            "@label=L1 BATCH +slow draft/multiline #general\r\n@batch=slow PRIVMSG #general :never\r");
    EXPECT_LINE(alice, irc(QStringLiteral(
                               "@label=L1 :groupchat FAIL BATCH TIMEOUT slow :Batch timed out: not closed "
                               "within 0.3 s")));
    alice->sendLine("@batch=slow PRIVMSG #general :late\r\nBATCH -slow\r\nPING :after\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat :?after")));
    QCOMPARE(alice->lines().mid(from).filter(QStringLiteral(" FAIL ")).size(), 1);

    alice->sendLine("BATCH +ok draft/multiline #general\r\n@batch=ok PRIVMSG #general :in\r\n"
                    "@batch=ok PRIVMSG #general :time\r\nBATCH -ok\r");
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :in")));
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :time")));
    QVERIFY2(bob->lines().filter(QRegularExpression(QStringLiteral(":(never|late)\\r$"))).isEmpty(),
             qPrintable(bob->lines().join(u'|')));
    QVERIFY(alice->isConnected());
}

void tst_IrcHostile::multilineFloodOfBatchLines()
{
    // Batch lines are cheap, not free: a client that pours them out is held back and then cut
    // off as any flood is (more than 20 lines' worth waiting), never buffered without bound.
    startServer(ChatLimits());
    auto alice = joinIrc(m_server->ircPort(), QStringLiteral("alice"),
                         QStringLiteral("batch message-tags draft/multiline"));
    QVERIFY(alice);
    QByteArray flood;
    for (int i = 0; i < 200; ++i)
        flood += "@batch=nothing PRIVMSG #general :x\r\n";
    alice->sendLine(flood.chopped(1));
    EXPECT_LINE(alice, irc(QStringLiteral("ERROR :Closing Link: excess flood.*")), 10000);
    QVERIFY(alice->waitForDisconnected());
}

void tst_IrcHostile::multilineLinesCannotForgeOrReorder()
{
    // Each line of a batch is cleaned on its own: an escape sequence goes, an override left
    // open is closed at the end of its line, and a line that reads like another message is
    // shown after its sender's name ("nick|") to a plain client, and as a PRIVMSG from its
    // sender to an IRC client.
    ChatLimits limits;
    limits.floodControl = false;
    startServer(limits);
    auto mallory = joinIrc(m_server->ircPort(), QStringLiteral("mallory"),
                           QStringLiteral("batch message-tags draft/multiline"));
    QVERIFY(mallory);
    auto bob = joinIrc(m_server->ircPort(), QStringLiteral("bob"));
    QVERIFY(bob);
    auto watcher = joinPlain(m_server->serverPort());
    QVERIFY(watcher);
    EXPECT_LINE(mallory, irc(QStringLiteral(":bob!~gc@groupchat JOIN #general")));
    mallory->sendLine("BATCH +m draft/multiline #general\r\n"
                      "@batch=m PRIVMSG #general :one \x1b[2J\xe2\x80\xae"
                      "evil\r\n"
                      "@batch=m PRIVMSG #general :[12:00:00] alice: forged\r\n"
                      "@batch=m;draft/multiline-concat PRIVMSG #general : \x07tail\r\nBATCH -m\r");
    // The override makes the first line one with right-to-left text: a left-to-right mark
    // first, and the text isolated (docs/PROTOCOL.md, "Lines").
    QString first;
    EXPECT_LINE_AS(first, watcher,
                   QRegularExpression(QStringLiteral("^\u200e\\[\\d\\d:\\d\\d:\\d\\d\\] mallory: .*$")));
    QCOMPARE(first.mid(11), QStringLiteral(" mallory: \u2068one [2J\u202e"
                                           "evil\u202c\u2069"));
    QString second;
    EXPECT_LINE_AS(second, watcher,
                   QRegularExpression(QStringLiteral(
                           "^\\[\\d\\d:\\d\\d:\\d\\d\\] mallory\\| \\[12:00:00\\] alice: forged tail$")));
    for (const QString &line : { first, second })
        QVERIFY2(TextSanitizer::isClean(line), qPrintable(TextSanitizer::escaped(line)));
    EXPECT_LINE(bob, irc(QStringLiteral(":mallory!~gc@groupchat PRIVMSG #general :one \\[2J\u202e"
                                        "evil\u202c")));
    EXPECT_LINE(bob,
                irc(QStringLiteral(":mallory!~gc@groupchat PRIVMSG #general :\\[12:00:00\\] alice: forged")));
    EXPECT_LINE(bob, irc(QStringLiteral(":mallory!~gc@groupchat PRIVMSG #general : tail")));
}

QTEST_GUILESS_MAIN(tst_IrcHostile)
#include "tst_irchostile.moc"
