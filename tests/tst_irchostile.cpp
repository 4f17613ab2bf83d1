// What a hostile (or merely unusual) IRC client can do to the server, and what the IRC dialect
// must never do to anyone: every test here is a problem that was found by attacking the IRC port
// and the TLS port's IRC detection, kept so that it stays fixed.
#include "certificategenerator.h"
#include "chatserver.h"
#include "expect.h"
#include "testclient.h"

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

QTEST_GUILESS_MAIN(tst_IrcHostile)
#include "tst_irchostile.moc"
