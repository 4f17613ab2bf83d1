// Everything a network can throw at the server: it answers as documented, stays up, keeps
// its memory bounded, and the clients standing by miss nothing.
#include "chatserver.h"
#include "clientsession.h"
#include "expect.h"
#include "logcollector.h"
#include "rawconnection.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <memory>
#include <thread>

#include <QSslSocket>
#include <QTemporaryDir>

#include "certificategenerator.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <sys/socket.h>
#include <unistd.h>

namespace {

long rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return -1;
}

} // namespace

class tst_Hostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void hugeLineWithoutNewlineCostsNothing();
    void randomBinary();
    void nastyLines_data();
    void nastyLines();
    void hugeNick();
    void twoClientsRaceForOneNick();
    void manyConnectionsFromOneAddress();
    void tooManyNewConnectionsAMinute();
    void silentConnectionIsClosed();
    void vanishedClientIsPingedAndDropped();
    void floodIsDelayedThenCut();
    void overlongLinesCountAsLines();
    void refusalsAreLoggedOnceAMinute();
    void rightPasswordWaitsTooAfterAWrongOne();
    void slowReaderIsSkippedThenToldWhatItMissed();
    void badJson_data();
    void badJson();
    void wrongPasswordsAreSlowAndFinal();
    void passwordComesFirst();
    void plainTextOnTheTlsPort();
    void tlsOnThePlainPort();
    void stalledHandshakesDoNotBlockOthers();
    void handshakesCountAgainstTheAddress();

private:
    // A TLS client that trusts anything (the server is ours): connected and encrypted, or null.
    std::unique_ptr<QSslSocket> connectTls(int timeoutMs = 2000);
    // A server in this process with limits, and two clients that chat throughout.
    bool startServer(const ChatLimits &limits);
    // The bystanders still talk to each other, and have missed nothing so far.
    void checkBystanders();

    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<TestClient> m_alice;
    std::unique_ptr<TestClient> m_bob;
    int m_checks = 0;
};

bool tst_Hostile::startServer(const ChatLimits &limits)
{
    m_server = std::make_unique<ChatServer>(limits);
    // TLS on a port of its own too, for the tests of the TLS port.
    QString error;
    m_server->setTlsPort(0);
    if (!m_server->setTlsCertificate(m_certificate, m_key, &error)) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return false;
    for (auto *slot : { &m_alice, &m_bob }) {
        *slot = std::make_unique<TestClient>();
        if (!(*slot)->connectTo(m_server->serverPort()))
            return false;
    }
    m_alice->sendLine("/nick alice");
    m_bob->sendLine("/nick bob");
    const LineExpectation named = expectLine(*m_bob, QStringLiteral("* guest1 is now known as alice"));
    if (!named.failure.isEmpty())
        qWarning("startServer: m_bob: %s", named.failure.constData());
    return named.failure.isEmpty();
}

void tst_Hostile::checkBystanders()
{
    // Every check line arrives, once, in order, after everything said before it.
    const QByteArray text = "check " + QByteArray::number(++m_checks);
    m_alice->sendLine(text);
    EXPECT_LINE(m_bob, chatLinePattern(QStringLiteral("alice"), QString::fromLatin1(text)), 10000);
    const QStringList checks =
            m_bob->lines().filter(QRegularExpression(QStringLiteral("alice: check \\d+$")));
    QCOMPARE(checks.size(), m_checks);
    for (int i = 0; i < m_checks; ++i)
        QVERIFY(checks.at(i).endsWith(QStringLiteral("check %1").arg(i + 1)));
}

void tst_Hostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QString error;
    QVERIFY2(CertificateGenerator::generate(m_certificate, m_key, &error), qPrintable(error));
}

std::unique_ptr<QSslSocket> tst_Hostile::connectTls(int timeoutMs)
{
    auto socket = std::make_unique<QSslSocket>();
    QObject::connect(socket.get(), &QSslSocket::sslErrors, socket.get(),
                     [s = socket.get()] { s->ignoreSslErrors(); });
    QSignalSpy encrypted(socket.get(), &QSslSocket::encrypted);
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->tlsPort());
    if (!encrypted.wait(timeoutMs))
        return nullptr;
    return socket;
}

void tst_Hostile::init()
{
    m_checks = 0;
    ChatLimits limits;
    limits.maxPerAddress = 50;
    QVERIFY(startServer(limits));
}

void tst_Hostile::cleanup()
{
    m_alice.reset();
    m_bob.reset();
    m_server.reset();
}

void tst_Hostile::hugeLineWithoutNewlineCostsNothing()
{
    // A real server process, so that its memory can be read while 100 MB without a newline
    // arrive from another thread.
    ServerProcess server;
    const quint16 port = server.start({ QStringLiteral("--headless") });
    QVERIFY(port != 0);
    TestClient bystander;
    QVERIFY(bystander.connectTo(port));
    EXPECT_LINE(bystander, QRegularExpression(QStringLiteral("^\\* welcome")));
    const long before = rssKiB(server.process().processId());

    // Outlives the writing thread: closing with the server's replies unread would reset the
    // connection before the server reads the last line.
    RawConnection raw(port);
    QVERIFY(raw.isConnected());
    std::atomic<qint64> sent{ 0 };
    std::thread attacker([&raw, &sent] {
        const QByteArray chunk(1024 * 1024, 'x');
        for (int i = 0; i < 100 && raw.isConnected(); ++i)
            sent += raw.write(chunk.constData(), chunk.size());
        raw.write("\nstill here\n", 12);
    });
    long peak = before;
    QVERIFY(QTest::qWaitFor(
            [&] {
                peak = std::max(peak, rssKiB(server.process().processId()));
                return sent.load() >= 100 * 1024 * 1024;
            },
            60000));
    attacker.join();
    const LineExpectation stillHere =
            expectLine(bystander, QRegularExpression(QStringLiteral(": still here$")));
    QVERIFY2(stillHere.failure.isEmpty(),
             QByteArray(stillHere.failure + "\nthe server's output:\n" + server.output().right(4096).toUtf8())
                     .constData());
    // The server held at most a line's limit of it.
    QVERIFY2(peak - before < 8 * 1024, qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(peak - before)));
    bystander.sendLine("alive?");
    EXPECT_LINE(bystander, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("alive?")));
    QVERIFY(server.stop(SIGTERM));
}

void tst_Hostile::randomBinary()
{
    QByteArray garbage(2 * 1024 * 1024, '\0');
    QRandomGenerator generator(4242);
    generator.fillRange(reinterpret_cast<quint32 *>(garbage.data()), garbage.size() / 4);
    TestClient attacker;
    QVERIFY(attacker.connectTo(m_server->serverPort()));
    attacker.sendRaw(garbage);
    // It may well be dropped (a flood of random "lines"); the room must not mind.
    checkBystanders();
    QVERIFY(m_server->clientCount() >= 2);
    for (const QString &line : m_bob->lines())
        QVERIFY(std::none_of(line.begin(), line.end(),
                             [](QChar c) { return c.category() == QChar::Other_Control && c != u'\t'; }));
}

void tst_Hostile::nastyLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("bobSees"); // the text of alice's message as bob gets it
    QTest::newRow("NUL bytes") << QByteArray("a\0b\0c", 5) << QStringLiteral("abc");
    QTest::newRow("invalid UTF-8") << QByteArray("caf\xe9 \xc3\x28")
                                   << (QStringLiteral("caf") + QChar(0xfffd) + u' ' + QChar(0xfffd) + u'(');
    QTest::newRow("ANSI escapes") << QByteArray("\x1b[2J\x1b[31mred\x1b]0;title\x07")
                                  << QStringLiteral("[2J[31mred]0;title");
    QTest::newRow("C1 controls") << QByteArray("a\xc2\x9b"
                                               "31mb")
                                 << QStringLiteral("a31mb");
    QTest::newRow("HTML") << QByteArray("<script>alert(1)</script><img src=x onerror=y>")
                          << QStringLiteral("<script>alert(1)</script><img src=x onerror=y>");
    QTest::newRow("backspaces") << QByteArray("secret\b\b\b\b\b\bpublic") << QStringLiteral("secretpublic");
}

void tst_Hostile::nastyLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, bobSees);
    m_alice->sendLine(line);
    EXPECT_LINE(m_bob, chatLinePattern(QStringLiteral("alice"), bobSees));
    checkBystanders();
}

void tst_Hostile::hugeNick()
{
    TestClient attacker;
    QVERIFY(attacker.connectTo(m_server->serverPort()));
    attacker.sendLine("/nick " + QByteArray(10000, 'n'));
    EXPECT_LINE(attacker, QStringLiteral("! line too long (limit 4096 bytes)"));
    attacker.sendLine("/nick " + QByteArray(4000, 'n'));
    EXPECT_LINE(attacker, QRegularExpression(QStringLiteral("^! invalid nick")));
    checkBystanders();
}

void tst_Hostile::twoClientsRaceForOneNick()
{
    TestClient first;
    TestClient second;
    QVERIFY(first.connectTo(m_server->serverPort()) && second.connectTo(m_server->serverPort()));
    first.sendLine("/nick winner");
    second.sendLine("/nick WINNER");
    const QRegularExpression outcome(QStringLiteral("is now known as (winner|WINNER)$|already taken"));
    EXPECT_LINE(first, outcome);
    EXPECT_LINE(second, outcome);
    const int won = int(first.lines().filter(QStringLiteral("known as winner")).size() +
                        second.lines().filter(QStringLiteral("known as WINNER")).size());
    const int lost = int(first.lines().filter(QStringLiteral("already taken")).size() +
                         second.lines().filter(QStringLiteral("already taken")).size());
    QCOMPARE(won, 1);
    QCOMPARE(lost, 1);
    checkBystanders();
}

void tst_Hostile::manyConnectionsFromOneAddress()
{
    ChatLimits limits;
    limits.maxPerAddress = 20;
    limits.maxConnectsPerMinute = 0;
    QVERIFY(startServer(limits));
    std::vector<std::unique_ptr<TestClient>> crowd;
    for (int i = 0; i < 500; ++i) {
        crowd.push_back(std::make_unique<TestClient>());
        crowd.back()->connectTo(m_server->serverPort());
    }
    const auto refused = [&] {
        int n = 0;
        for (const auto &c : crowd)
            n += c->lines().contains(QStringLiteral("! too many connections from your address")) ? 1 : 0;
        return n;
    };
    // alice and bob count too: 18 of the 500 get in.
    QTRY_COMPARE_WITH_TIMEOUT(refused(), 482, 20000);
    QCOMPARE(m_server->clientCount(), 20);
    checkBystanders();
}

void tst_Hostile::tooManyNewConnectionsAMinute()
{
    ChatLimits limits;
    limits.maxPerAddress = 0;
    limits.maxConnectsPerMinute = 5;
    QVERIFY(startServer(limits)); // alice and bob are two of the five
    for (int i = 0; i < 3; ++i) {
        TestClient ok;
        QVERIFY(ok.connectTo(m_server->serverPort()));
        EXPECT_LINE(ok, QRegularExpression(QStringLiteral("^\\* welcome")));
    }
    TestClient sixth;
    QVERIFY(sixth.connectTo(m_server->serverPort()));
    EXPECT_LINE(sixth, QStringLiteral("! too many new connections from your address; try again in a minute"));
    QVERIFY(sixth.waitForDisconnected());
    checkBystanders();
}

void tst_Hostile::silentConnectionIsClosed()
{
    ChatLimits limits;
    limits.firstLineTimeoutMs = 300;
    QVERIFY(startServer(limits));
    TestClient silent;
    QVERIFY(silent.connectTo(m_server->serverPort()));
    EXPECT_LINE(silent, QRegularExpression(QStringLiteral("^! closing: nothing received within 0.3 s")));
    QVERIFY(silent.waitForDisconnected());
    checkBystanders();
}

void tst_Hostile::vanishedClientIsPingedAndDropped()
{
    ChatLimits limits;
    limits.pingIntervalMs = 300;
    limits.pingTimeoutMs = 300;
    QVERIFY(startServer(limits));
    // A JSON client says hello, then neither reads nor writes again: a program that hung, or a
    // host that went away without a FIN.
    RawConnection gone(m_server->serverPort());
    QVERIFY(gone.isConnected());
    const QByteArray hello = R"({"type":"hello","version":1,"nick":"ghost"})"
                             "\n";
    gone.write(hello.constData(), hello.size());
    EXPECT_LINE(m_alice, QStringLiteral("* ghost joined"));
    EXPECT_LINE(m_alice, QStringLiteral("* ghost left (ping timeout)"), 5000);
    // alice and bob on plain lines cannot answer pings; they stay, quiet as they were, and
    // TCP keep-alive watches them instead, on the same schedule.
    QCOMPARE(m_server->clientCount(), 2);
    const int fd = int(m_server->findClient(QStringLiteral("alice"))->socketDescriptor());
    int value = 0;
    socklen_t size = sizeof value;
    QVERIFY(::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &value, &size) == 0);
    QCOMPARE(value, 1);
    QVERIFY(::getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &value, &size) == 0);
    QCOMPARE(value, 1); // seconds: the 300 ms ping interval, rounded up
    unsigned userTimeout = 0;
    size = sizeof userTimeout;
    QVERIFY(::getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &userTimeout, &size) == 0);
    QCOMPARE(userTimeout, 600u);
    checkBystanders();
    QCOMPARE(m_server->clientCount(), 2);
}

void tst_Hostile::floodIsDelayedThenCut()
{
    TestClient flooder;
    QVERIFY(flooder.connectTo(m_server->serverPort()));
    // 15 lines at once: 10 at once, 5 at 5 a second, all in order.
    QByteArray burst;
    for (int i = 1; i <= 15; ++i)
        burst += "burst " + QByteArray::number(i) + '\n';
    flooder.sendRaw(burst);
    EXPECT_LINE(m_bob, QRegularExpression(QStringLiteral(": burst 15$")), 5000);
    const QStringList bursts = m_bob->lines().filter(QRegularExpression(QStringLiteral(": burst \\d+$")));
    QCOMPARE(bursts.size(), 15);
    for (int i = 0; i < 15; ++i)
        QVERIFY(bursts.at(i).endsWith(QStringLiteral("burst %1").arg(i + 1)));
    // 100 more at once: more than 20 waiting is an excess flood.
    QByteArray flood;
    for (int i = 1; i <= 100; ++i)
        flood += "flood " + QByteArray::number(i) + '\n';
    flooder.sendRaw(flood);
    EXPECT_LINE(m_bob, QRegularExpression(QStringLiteral("^\\* guest\\d+ left \\(excess flood\\)$")));
    QVERIFY(flooder.waitForDisconnected());
    QVERIFY(m_bob->lines().filter(QStringLiteral(": flood ")).size() < 100);
    checkBystanders();
}

void tst_Hostile::overlongLinesCountAsLines()
{
    // Each line over the limit is answered, and logged, like a line: through flood control, so
    // a stream of them is cut as a flood is (and cannot fill the log faster).
    TestClient flooder;
    QVERIFY(flooder.connectTo(m_server->serverPort()));
    const QByteArray overlong(m_server->limits().maxLineBytes + 1, 'x');
    for (int i = 0; i < 40; ++i)
        flooder.sendLine(overlong);
    EXPECT_LINE(flooder, QStringLiteral("! excess flood: more than 20 lines waiting"));
    QVERIFY(flooder.waitForDisconnected());
    QVERIFY(flooder.lines().filter(QStringLiteral("! line too long")).size() <= 11);
    checkBystanders();
}

void tst_Hostile::refusalsAreLoggedOnceAMinute()
{
    LogCollector log;
    const QHostAddress other(QStringLiteral("127.0.0.2"));
    m_server->ban(other);
    const qsizetype mark = log.lines().size();
    for (int i = 0; i < 20; ++i) {
        QTcpSocket socket;
        QVERIFY(socket.bind(other));
        socket.connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        QVERIFY(socket.waitForConnected(2000));
        QSignalSpy gone(&socket, &QTcpSocket::disconnected);
        QVERIFY(gone.wait(2000));
    }
    QCoreApplication::processEvents();
    const QStringList refusals = log.lines().mid(mark).filter(QStringLiteral("refused 127.0.0.2"));
    QVERIFY2(refusals.size() == 1, qPrintable(log.lines().mid(mark).join(u'|')));
    m_server->unban(other);
    checkBystanders();
}

void tst_Hostile::rightPasswordWaitsTooAfterAWrongOne()
{
    // After a wrong password from an address, the answer to the next one waits as long, right
    // or wrong: a guesser cannot take a quick answer for a right guess.
    LogCollector log;
    m_server->setPassword(QStringLiteral("sesame"));
    TestClient guesser;
    QVERIFY(guesser.connectTo(m_server->serverPort()));
    guesser.sendLine("/pass wrong");
    EXPECT_LINE(guesser, QStringLiteral("! wrong password"), 5000);
    QElapsedTimer clock;
    clock.start();
    guesser.sendLine("/pass wrong again"); // (closed already: this one goes nowhere)
    TestClient second;
    QVERIFY(second.connectTo(m_server->serverPort()));
    second.sendLine("/pass wrong");
    QTRY_VERIFY(!log.lines().filter(QStringLiteral("answering in 2000 ms")).isEmpty());
    TestClient right;
    QVERIFY(right.connectTo(m_server->serverPort()));
    right.sendLine("/pass sesame");
    right.sendLine("said after the password");
    EXPECT_LINE(right, QStringLiteral("* password accepted"), 10000);
    // The second wrong one made the wait 2 s.
    QVERIFY2(clock.elapsed() >= 1500, qPrintable(QString::number(clock.elapsed())));
    EXPECT_LINE(second, QStringLiteral("! wrong password"), 5000);
    // What it said after the password was kept, and counts.
    const LineExpectation kept =
            expectLine(*m_alice, QRegularExpression(QStringLiteral(": said after the password$")));
    QVERIFY2(kept.failure.isEmpty(),
             QByteArray(kept.failure + "\nright has:\n" + describeArrivedLines(right, 0)).constData());
}

void tst_Hostile::slowReaderIsSkippedThenToldWhatItMissed()
{
    ChatLimits limits;
    limits.floodControl = false;
    limits.softSendQueueBytes = 64 * 1024;
    limits.maxSendQueueBytes = 64 * 1024 * 1024;
    QVERIFY(startServer(limits));
    TestClient slow;
    // Reads nothing for now (Qt keeps at most 16 bytes for it), so its queue fills.
    slow.socket().setReadBufferSize(16);
    QVERIFY(slow.connectTo(m_server->serverPort()));
    slow.sendLine("/nick slow");
    QTRY_VERIFY_WITH_TIMEOUT(m_server->findClient(QStringLiteral("slow")), 10000);
    const QByteArray padding(1000, '.');
    int sent = 0;
    while (!m_server->findClient(QStringLiteral("slow"))->isLagging() && sent < 20000) {
        for (int i = 0; i < 200; ++i, ++sent)
            m_alice->sendLine(QByteArray::number(sent) + ' ' + padding);
        EXPECT_LINE(m_bob, QRegularExpression(QStringLiteral("alice: %1 ").arg(sent - 1)), 10000);
    }
    QVERIFY(m_server->findClient(QStringLiteral("slow"))->isLagging());
    for (int i = 0; i < 5; ++i, ++sent)
        m_alice->sendLine(QByteArray::number(sent) + ' ' + padding);
    // Private messages are not skipped like the room's: while it is behind, they are refused,
    // so that a stream of them cannot push it off.
    m_bob->sendLine("/msg slow are you there?");
    EXPECT_LINE(m_bob, QStringLiteral("! slow is not keeping up with the chat; the message was not "
                                      "delivered, try again in a moment"));
    // Reading again, it gets the warning, then catches up and learns what it missed.
    slow.socket().setReadBufferSize(0);
    EXPECT_LINE(slow,
                QStringLiteral("! you are falling behind: messages to everyone are skipped "
                               "until you catch up"),
                20000);
    QString caughtUp;
    EXPECT_LINE_AS(caughtUp, slow,
                   QRegularExpression(QStringLiteral("^\\* you have caught up; you missed (\\d+) message")),
                   20000);
    QVERIFY(caughtUp.section(u' ', 7, 7).toInt() >= 5);
    QCOMPARE(m_server->clientCount(), 3);
    checkBystanders();
    EXPECT_LINE(slow, chatLinePattern(QStringLiteral("alice"), QStringLiteral("check 1")));
}

void tst_Hostile::badJson_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("code");
    QTest::newRow("not JSON") << QByteArray("{nope") << QStringLiteral("malformed");
    QTest::newRow("deeply nested") << ("{\"type\":\"say\",\"text\":" + QByteArray(1500, '[') +
                                       QByteArray(1500, ']') + '}')
                                   << QStringLiteral("malformed");
    QTest::newRow("duplicate keys") << QByteArray(R"({"type":"say","text":"a","text":"b"})")
                                    << QStringLiteral("bad-field");
    QTest::newRow("wrong type") << QByteArray(R"({"type":"say","text":42})") << QStringLiteral("bad-field");
    QTest::newRow("unknown field") << QByteArray(R"({"type":"say","text":"a","admin":true})")
                                   << QStringLiteral("bad-field");
    QTest::newRow("unknown type") << QByteArray(R"({"type":"op","nick":"me"})")
                                  << QStringLiteral("unknown-type");
}

void tst_Hostile::badJson()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, code);
    TestClient client;
    QVERIFY(client.connectTo(m_server->serverPort()));
    client.sendLine(R"({"type":"hello","version":1,"nick":"json"})");
    EXPECT_JSON(client, QStringLiteral("welcome"));
    client.sendLine(line);
    QJsonObject clientError;
    EXPECT_JSON_AS(clientError, client, QStringLiteral("error"));
    QCOMPARE(clientError.value(u"code").toString(), code);
    client.sendLine(R"({"type":"say","text":"fine"})");
    EXPECT_LINE(m_bob, chatLinePattern(QStringLiteral("json"), QStringLiteral("fine")));
    checkBystanders();
}

void tst_Hostile::wrongPasswordsAreSlowAndFinal()
{
    m_server->setPassword(QStringLiteral("sesame"));
    QElapsedTimer timer;
    qint64 previous = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
        TestClient guess;
        QVERIFY(guess.connectTo(m_server->serverPort()));
        EXPECT_LINE(guess, QRegularExpression(QStringLiteral("this server needs a password: /pass SECRET$")));
        timer.start();
        guess.sendLine("/pass open");
        EXPECT_LINE(guess, QStringLiteral("! wrong password"), 10000);
        QVERIFY(guess.waitForDisconnected());
        // 1 s, then 2 s: each failure from an address slows the next answer.
        const qint64 took = timer.elapsed();
        QVERIFY2(took >= 900 * (attempt + 1), qPrintable(QString::number(took)));
        QVERIFY(took > previous);
        previous = took;
    }
    // JSON says the same with a code.
    TestClient json;
    QVERIFY(json.connectTo(m_server->serverPort()));
    json.sendLine(R"({"type":"hello","version":1,"nick":"j"})");
    QJsonObject jsonError;
    EXPECT_JSON_AS(jsonError, json, QStringLiteral("error"));
    QCOMPARE(jsonError.value(u"code").toString(), QStringLiteral("password-required"));
    QVERIFY(json.waitForDisconnected());
    checkBystanders(); // alice and bob came in before the password
}

void tst_Hostile::passwordComesFirst()
{
    m_alice->sendLine("before the password");
    m_server->setPassword(QStringLiteral("sesame"));
    TestClient late;
    QVERIFY(late.connectTo(m_server->serverPort()));
    EXPECT_LINE(late, QRegularExpression(QStringLiteral("needs a password")));
    // Nothing of the room until the password: no history, no messages, no joining.
    late.sendLine("hello?");
    EXPECT_LINE(late, QStringLiteral("! this server needs a password first: /pass SECRET"));
    m_alice->sendLine("while late waits");
    checkBystanders();
    QVERIFY(late.lines().filter(QStringLiteral("alice")).isEmpty());
    QVERIFY(m_bob->lines().filter(QStringLiteral("guest3")).isEmpty());
    late.sendLine("/pass sesame");
    EXPECT_LINE(late, QStringLiteral("* password accepted"));
    EXPECT_LINE(late, chatLinePattern(QStringLiteral("alice"), QStringLiteral("while late waits")));
    EXPECT_LINE(m_bob, QStringLiteral("* guest3 joined"));
    // A JSON client with the right password is welcomed.
    TestClient json;
    QVERIFY(json.connectTo(m_server->serverPort()));
    json.sendLine(R"({"type":"hello","version":1,"nick":"j","password":"sesame"})");
    EXPECT_JSON(json, QStringLiteral("welcome"));
    // A password with a character a plain line cannot carry (a bidi control) is given over
    // plain as it can be typed: what the sanitiser takes out does not count.
    m_server->setPassword(QStringLiteral("s3cr\u202et"));
    TestClient typed;
    QVERIFY(typed.connectTo(m_server->serverPort()));
    typed.sendLine(QStringLiteral("/pass s3cr\u202et").toUtf8());
    EXPECT_LINE(typed, QStringLiteral("* password accepted"));
}

void tst_Hostile::plainTextOnTheTlsPort()
{
    QVERIFY(m_server->tlsPort() != 0);
    TestClient intruder;
    QVERIFY(intruder.connectTo(m_server->tlsPort()));
    intruder.sendLine("hello, is this the chat?");
    // Not a TLS ClientHello: dropped at once, without a word it could not read anyway.
    QVERIFY(intruder.waitForDisconnected(2000));
    QVERIFY(intruder.lines().isEmpty());
    checkBystanders();
}

void tst_Hostile::tlsOnThePlainPort()
{
    QSslSocket socket;
    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&socket] { socket.ignoreSslErrors(); });
    QSignalSpy errors(&socket, &QAbstractSocket::errorOccurred);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
    // The server recognises the handshake and hangs up.
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 5000);
    QVERIFY(!socket.isEncrypted());
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(m_server->clientCount(), 2);
    checkBystanders();
}

void tst_Hostile::stalledHandshakesDoNotBlockOthers()
{
    // More silent connections than QSslServer's default of 30 pending ones.
    std::vector<std::unique_ptr<RawConnection>> stalled;
    for (int i = 0; i < 40; ++i) {
        stalled.push_back(std::make_unique<RawConnection>(m_server->tlsPort()));
        QVERIFY(stalled.back()->isConnected());
    }
    QElapsedTimer clock;
    clock.start();
    // Someone real gets in at once, well before the stalled ones time out, and chats.
    const std::unique_ptr<QSslSocket> tls = connectTls(2000);
    QVERIFY(tls);
    QVERIFY2(clock.elapsed() < ChatLimits::tlsHandshakeTimeoutMs,
             qPrintable(QString::number(clock.elapsed())));
    tls->write("/nick secure\nhello over TLS\n");
    EXPECT_LINE(m_bob, chatLinePattern(QStringLiteral("secure"), QStringLiteral("hello over TLS")));
    QByteArray received;
    m_alice->sendLine("hello back");
    QTRY_VERIFY_WITH_TIMEOUT((received += tls->readAll()).contains("alice: hello back"), 5000);
    // The stalled ones are dropped after the handshake timeout, not before.
    for (const auto &client : stalled)
        QVERIFY(client->waitForClose(ChatLimits::tlsHandshakeTimeoutMs + 3000));
    QVERIFY2(clock.elapsed() >= ChatLimits::tlsHandshakeTimeoutMs - 500,
             qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(m_server->clientCount(), 3);
    checkBystanders();
}

void tst_Hostile::handshakesCountAgainstTheAddress()
{
    ChatLimits limits;
    limits.maxPerAddress = 5;
    cleanup();
    QVERIFY(startServer(limits));
    // alice, bob and three handshakes that never start: the address is at its limit.
    std::vector<std::unique_ptr<RawConnection>> stalled;
    for (int i = 0; i < 3; ++i)
        stalled.push_back(std::make_unique<RawConnection>(m_server->tlsPort()));
    RawConnection oneTooMany(m_server->tlsPort());
    QVERIFY(oneTooMany.waitForClose(2000));
    QVERIFY(!connectTls(1000));
    // Once they have timed out, the address has room again.
    for (const auto &client : stalled)
        QVERIFY(client->waitForClose(ChatLimits::tlsHandshakeTimeoutMs + 3000));
    QTRY_VERIFY_WITH_TIMEOUT(connectTls(2000) != nullptr, 5000);
    checkBystanders();
}

QTEST_GUILESS_MAIN(tst_Hostile)
#include "tst_hostile.moc"
