// TLS end to end: the real server's TLS port and the desktop client's ChatConnection, with
// trust on first use and certificate pinning.
#include "certificategenerator.h"
#include "chatconnection.h"
#include "chatserver.h"
#include "tlslistener.h"

#include <QCoreApplication>
#include <QSettings>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class tst_Tls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void trustsOnFirstUseThenChecks();
    void changedCertificateIsRefused();
    void tlsToThePlainPortFails();
    void badCertificateFilesAreReported();
    void listenerReadsTheFiles();
    // The TLS port serves IRC too (IRC's conventional 6697 is groupchat's TLS port).
    void tlsPortServesEveryDialect_data();
    void tlsPortServesEveryDialect();

private:
    // A client that connects to the server's TLS port as nick; its spies start empty.
    std::unique_ptr<ChatConnection> connectClient(const QString &nick, quint16 port);

    QTemporaryDir m_dir;
    QString m_certificate;
    QString m_key;
    std::unique_ptr<ChatServer> m_server;
};

void tst_Tls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Pins go to a settings file of the test's own.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir.filePath(QStringLiteral("config")));
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_tls"));
    m_certificate = m_dir.filePath(QStringLiteral("cert.pem"));
    m_key = m_dir.filePath(QStringLiteral("key.pem"));
    QString error;
    QVERIFY2(CertificateGenerator::generate(m_certificate, m_key, &error), qPrintable(error));
}

void tst_Tls::init()
{
    QSettings().clear();
    m_server = std::make_unique<ChatServer>();
    QString error;
    m_server->setTlsPort(0);
    m_server->setIrcPort(true, 0);
    QVERIFY2(m_server->setTlsCertificate(m_certificate, m_key, &error), qPrintable(error));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->tlsPort() != 0);
}

void tst_Tls::cleanup()
{
    m_server.reset();
}

std::unique_ptr<ChatConnection> tst_Tls::connectClient(const QString &nick, quint16 port)
{
    auto connection = std::make_unique<ChatConnection>();
    connection->setTls(true);
    connection->connectToServer(QStringLiteral("127.0.0.1"), port, nick);
    return connection;
}

void tst_Tls::trustsOnFirstUseThenChecks()
{
    const quint16 port = m_server->tlsPort();
    QVERIFY(ChatConnection::pinnedFingerprint(QStringLiteral("127.0.0.1"), port).isEmpty());
    {
        auto first = std::make_unique<ChatConnection>();
        first->setTls(true);
        QSignalSpy trusted(first.get(), &ChatConnection::certificateTrusted);
        QSignalSpy welcomed(first.get(), &ChatConnection::welcomed);
        first->connectToServer(QStringLiteral("127.0.0.1"), port, QStringLiteral("alice"));
        QVERIFY(welcomed.wait(5000));
        QCOMPARE(trusted.count(), 1);
        QCOMPARE(trusted.at(0).at(0).toString(), m_server->tlsFingerprint());
        QCOMPARE(trusted.at(0).at(1).toBool(), true);
        QCOMPARE(ChatConnection::pinnedFingerprint(QStringLiteral("127.0.0.1"), port),
                 m_server->tlsFingerprint());
        // Chat goes through the TLS bridge both ways.
        ChatCommand say;
        say.type = ChatCommand::Type::Say;
        say.text = QStringLiteral("secret plans");
        QSignalSpy events(first.get(), &ChatConnection::eventReceived);
        QVERIFY(first->send(say));
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(events.cbegin(), events.cend(),
                                             [](const QList<QVariant> &args) {
                                                 const auto event = args.at(0).value<ServerEvent>();
                                                 return event.type == ServerEvent::Type::Message &&
                                                        event.message.text == u"secret plans";
                                             }),
                                 5000);
        first->disconnectFromServer();
    }
    // The second time the pin is checked, not set.
    auto second = std::make_unique<ChatConnection>();
    second->setTls(true);
    QSignalSpy trusted(second.get(), &ChatConnection::certificateTrusted);
    QSignalSpy welcomed(second.get(), &ChatConnection::welcomed);
    second->connectToServer(QStringLiteral("127.0.0.1"), port, QStringLiteral("alice2"));
    QVERIFY(welcomed.wait(5000));
    QCOMPARE(trusted.count(), 1);
    QCOMPARE(trusted.at(0).at(1).toBool(), false);
}

void tst_Tls::changedCertificateIsRefused()
{
    const quint16 port = m_server->tlsPort();
    // Pinned earlier: another certificate.
    QSettings().setValue(QStringLiteral("tls-pins/127.0.0.1:%1").arg(port), QStringLiteral("AB:CD"));
    auto connection = std::make_unique<ChatConnection>();
    connection->setTls(true);
    QSignalSpy failed(connection.get(), &ChatConnection::connectFailed);
    QSignalSpy welcomed(connection.get(), &ChatConnection::welcomed);
    connection->connectToServer(QStringLiteral("127.0.0.1"), port, QStringLiteral("carol"));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).value<ChatConnection::Failure>(),
             ChatConnection::Failure::CertificateChanged);
    const QString explanation = failed.at(0).at(1).toString();
    QVERIFY2(explanation.contains(m_server->tlsFingerprint()) &&
                     explanation.contains(QStringLiteral("AB:CD")),
             qPrintable(explanation));
    QCOMPARE(welcomed.count(), 0);
    QCOMPARE(connection->state(), ChatConnection::State::Disconnected);
    // Nothing got as far as the room.
    QCOMPARE(m_server->clientCount(), 0);
    // The pin stays until the user forgets it; then the new certificate is trusted.
    QCOMPARE(ChatConnection::pinnedFingerprint(QStringLiteral("127.0.0.1"), port), QStringLiteral("AB:CD"));
    ChatConnection::forgetPin(QStringLiteral("127.0.0.1"), port);
    connection->connectToServer(QStringLiteral("127.0.0.1"), port, QStringLiteral("carol"));
    QVERIFY(welcomed.wait(5000));
}

void tst_Tls::tlsToThePlainPortFails()
{
    auto connection = std::make_unique<ChatConnection>();
    connection->setTls(true);
    QSignalSpy failed(connection.get(), &ChatConnection::connectFailed);
    connection->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), QStringLiteral("dave"));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.at(0).at(0).value<ChatConnection::Failure>(), ChatConnection::Failure::TlsFailed);
    QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("6697")));
}

void tst_Tls::badCertificateFilesAreReported()
{
    ChatServer server;
    QString error;
    QVERIFY(!server.setTlsCertificate(m_dir.filePath(QStringLiteral("missing.pem")), m_key, &error));
    QVERIFY2(error.contains(QStringLiteral("missing.pem")), qPrintable(error));
    // The key where the certificate belongs, and the other way round.
    QVERIFY(!server.setTlsCertificate(m_key, m_key, &error));
    QVERIFY2(error.contains(QStringLiteral("no PEM certificate")), qPrintable(error));
    QVERIFY(!server.setTlsCertificate(m_certificate, m_certificate, &error));
    QVERIFY2(error.contains(QStringLiteral("no PEM private key")), qPrintable(error));
    QVERIFY(!server.servesTls());
}

void tst_Tls::listenerReadsTheFiles()
{
    // What --generate-cert prints and what the TLS port serves come from the same reading.
    QString error;
    const std::optional<TlsListener::Credentials> credentials =
            TlsListener::loadCredentials(m_certificate, m_key, &error);
    QVERIFY2(credentials, qPrintable(error));
    QVERIFY(error.isEmpty());
    QCOMPARE(credentials->fingerprint, m_server->tlsFingerprint());
    QCOMPARE(credentials->fingerprint.size(), 32 * 3 - 1);
    QCOMPARE(credentials->configuration.localCertificateChain().size(), 1);
    QCOMPARE(credentials->configuration.localCertificate()
                     .digest(QCryptographicHash::Sha256)
                     .toHex(':')
                     .toUpper(),
             credentials->fingerprint.toLatin1());
    QVERIFY(!credentials->configuration.privateKey().isNull());
    QCOMPARE(credentials->configuration.protocol(), QSsl::TlsV1_2OrLater);
    QCOMPARE(credentials->configuration.peerVerifyMode(), QSslSocket::VerifyNone);

    // A listener that cannot read a pair keeps the one it has.
    TlsListener listener([](qintptr, const QHostAddress &, quint16) { return false; },
                         [](const QHostAddress &) {});
    QVERIFY(listener.fingerprint().isEmpty());
    QVERIFY2(listener.loadCertificate(m_certificate, m_key, &error), qPrintable(error));
    QCOMPARE(listener.fingerprint(), credentials->fingerprint);
    QVERIFY(!listener.loadCertificate(m_key, m_key, &error));
    QCOMPARE(error, QStringLiteral("%1 holds no PEM certificate").arg(m_key));
    QCOMPARE(listener.fingerprint(), credentials->fingerprint);
    QVERIFY(!listener.sslConfiguration().privateKey().isNull());
}

QTEST_GUILESS_MAIN(tst_Tls)
void tst_Tls::tlsPortServesEveryDialect_data()
{
    // What a client sends first, and the line that shows the server took it for what it is.
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QString>("expected");
    QTest::newRow("IRC") << QByteArray("CAP LS 302\r\nNICK ircuser\r\nUSER u 0 * :U\r\nCAP END\r\n")
                         << QStringLiteral(":groupchat 001 ircuser ");
    QTest::newRow("IRC without CAP") << QByteArray("NICK ircuser\r\nUSER u 0 * :U\r\n")
                                     << QStringLiteral(":groupchat 001 ircuser ");
    QTest::newRow("plain, silent") << QByteArray() << QStringLiteral("welcome to groupchat, you are ");
    QTest::newRow("plain, talking") << QByteArray("/nick typist\n")
                                    << QStringLiteral("welcome to groupchat, you are ");
    QTest::newRow("JSON") << QByteArray(R"({"type":"hello","version":2,"nick":"jsonuser"})"
                                        "\n")
                          << QStringLiteral(R"("type":"welcome")");
}

void tst_Tls::tlsPortServesEveryDialect()
{
    QFETCH(QByteArray, first);
    QFETCH(QString, expected);
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->tlsPort());
    // The server is in this process: its event loop must run for the handshake.
    QVERIFY2(QTest::qWaitFor([&] { return socket.isEncrypted(); }, 5000), qPrintable(socket.errorString()));
    if (!first.isEmpty())
        socket.write(first);
    QByteArray received;
    const bool found = QTest::qWaitFor(
            [&] {
                received += socket.readAll();
                return QString::fromUtf8(received).contains(expected);
            },
            5000);
    QVERIFY2(found,
             qPrintable(QStringLiteral("expected %1, got: %2").arg(expected, QString::fromUtf8(received))));
    // IRC clients get nothing but IRC.
    if (first.startsWith("CAP") || first.startsWith("NICK"))
        QVERIFY2(!received.contains("welcome to groupchat"), received.constData());
}

#include "tst_tls.moc"
