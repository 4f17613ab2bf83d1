// Sending exactly once (docs/PROTOCOL.md): a message request with a client id ("cid") is posted
// once per sender identity, however often it is sent again, within the window; a resend is
// answered with the id it got ("sent"), also after the server restarted on its history
// database. The ledger that remembers is bounded in count and time. Real sockets on loopback.
#include "chatlimits.h"
#include "chatserver.h"
#include "expect.h"
#include "jsonprotocol.h"
#include "sendledger.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

QByteArray hello(const QString &nick)
{
    return QJsonDocument(QJsonObject{ { QStringLiteral("type"), QStringLiteral("hello") },
                                      { QStringLiteral("version"), JsonProtocol::version },
                                      { QStringLiteral("nick"), nick },
                                      { QStringLiteral("identity"),
                                        QString(nick + QStringLiteral("-identity-0123456789")) } })
            .toJson(QJsonDocument::Compact);
}

// The ids of the messages (room and private) a client received, with their text, in order.
QStringList received(const TestClient &client)
{
    QStringList list;
    for (const QString &line : client.lines()) {
        const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
        const QString type = object.value(u"type").toString();
        if (type == u"message" || type == u"private")
            list.append(QString::number(object.value(u"id").toInteger()) + u' ' +
                        object.value(u"text").toString());
    }
    return list;
}

} // namespace

class tst_SendOnce : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void resendIsPostedOnce_data();
    void resendIsPostedOnce();
    void knownAfterRestart();
    void badClientIdsAreRefused_data();
    void badClientIdsAreRefused();
    void refusalNamesTheClientId();
    void ledgerIsBounded();

private:
    bool start();

    QTemporaryDir m_dir;
    std::unique_ptr<ChatServer> m_server;
};

void tst_SendOnce::init()
{
    QVERIFY(m_dir.isValid());
}

void tst_SendOnce::cleanup()
{
    m_server.reset();
    QFile::remove(m_dir.filePath(QStringLiteral("history.sqlite")));
}

bool tst_SendOnce::start()
{
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    return m_server->openHistory(m_dir.filePath(QStringLiteral("history.sqlite"))) &&
           m_server->listen(QHostAddress::LocalHost, 0);
}

void tst_SendOnce::resendIsPostedOnce_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QString>("where"); // what the "sent" answer says about where it went
    QTest::newRow("say") << QByteArray(R"({"type":"say","text":"once","cid":"c-1"})")
                         << QStringLiteral(R"("room":"#general")");
    QTest::newRow("action in a room")
            << QByteArray(R"({"type":"action","room":"#general","text":"once","cid":"Z_9"})")
            << QStringLiteral(R"("room":"#general")");
    QTest::newRow("private") << QByteArray(R"({"type":"private","to":"bob","text":"once","cid":"p"})")
                             << QStringLiteral(R"("to":"bob")");
}

void tst_SendOnce::resendIsPostedOnce()
{
    QFETCH(QByteArray, request);
    QFETCH(QString, where);
    QVERIFY(start());
    auto alice = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("alice")));
    auto bob = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("bob")));
    QVERIFY(alice && bob);
    alice->sendLine(request);
    // The echo (and what bob gets) carries the client id.
    QString echo;
    EXPECT_LINE_AS(echo, alice, QRegularExpression(QStringLiteral(R"("text":"once".*"cid":")")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral(R"("text":"once".*"cid":")")));
    const QJsonObject first = QJsonDocument::fromJson(echo.toUtf8()).object();
    const QString cid = first.value(u"cid").toString();
    const qint64 id = first.value(u"id").toInteger();
    QVERIFY2(id > 0, qPrintable(echo));
    const QString sent =
            QStringLiteral(R"({"type":"sent","cid":"%1","id":%2,%3})").arg(cid).arg(id).arg(where);
    // Again on the same connection, and on a new one with the same identity.
    alice->sendLine(request);
    EXPECT_LINE(alice, sent);
    alice.reset();
    auto again = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("alice")));
    QVERIFY(again);
    again->sendLine(request);
    EXPECT_LINE(again, sent);
    // bob saw it once; a line after it shows nothing else came in between.
    bob->sendLine(R"({"type":"say","text":"after"})");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral(R"("text":"after")")));
    QCOMPARE(received(*bob),
             (QStringList{ QStringLiteral("%1 once").arg(id), QStringLiteral("%1 after").arg(id + 1) }));
}

void tst_SendOnce::knownAfterRestart()
{
    QVERIFY(start());
    auto alice = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("alice")));
    QVERIFY(alice);
    alice->sendLine(R"({"type":"say","text":"before the restart","cid":"r1"})");
    QJsonObject echo;
    EXPECT_JSON_AS(echo, alice, QStringLiteral("message"));
    QCOMPARE(echo.value(u"cid").toString(), QStringLiteral("r1"));
    alice.reset();
    m_server.reset();
    // The same history database: the ledger is read back from it.
    QVERIFY(start());
    QJsonObject welcome;
    auto again = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("alice")), &welcome);
    QVERIFY(again);
    // The replayed history carries the client id too, so a client can match it.
    const QByteArray history =
            QJsonDocument(welcome.value(u"history").toArray()).toJson(QJsonDocument::Compact);
    QVERIFY2(history.contains(R"("cid":"r1")"), history.constData());
    again->sendLine(R"({"type":"say","text":"before the restart","cid":"r1"})");
    EXPECT_LINE(again, QStringLiteral(R"({"type":"sent","cid":"r1","id":%1,"room":"#general"})")
                               .arg(echo.value(u"id").toInteger()));
    QCOMPARE(m_server->lastMessageId(), quint64(echo.value(u"id").toInteger()));
    // Someone else's identity with the same client id is another message.
    auto bob = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("bob")));
    QVERIFY(bob);
    bob->sendLine(R"({"type":"say","text":"bob's","cid":"r1"})");
    EXPECT_JSON(bob, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"bob's"; });
}

void tst_SendOnce::badClientIdsAreRefused_data()
{
    QTest::addColumn<QByteArray>("cid");
    QTest::newRow("empty") << QByteArray(R"("")");
    QTest::newRow("65 characters") << QByteArray('"' + QByteArray(65, 'a') + '"');
    QTest::newRow("a space") << QByteArray(R"("a b")");
    QTest::newRow("not ASCII") << QByteArray(R"("caf\u00e9")");
    QTest::newRow("a NUL") << QByteArray(R"("a\u0000b")");
    QTest::newRow("a number") << QByteArray("5");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("an object") << QByteArray(R"({"a":1})");
}

void tst_SendOnce::badClientIdsAreRefused()
{
    QFETCH(QByteArray, cid);
    QVERIFY(start());
    auto alice = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("alice")));
    QVERIFY(alice);
    alice->sendLine(R"({"type":"say","text":"x","cid":)" + cid + '}');
    EXPECT_JSON(alice, QStringLiteral("error"), [](const QJsonObject &error) {
        return error.value(u"code").toString() == u"bad-field" &&
               error.value(u"text").toString().contains(u"cid");
    });
    // Nothing was posted, and the connection goes on; 64 characters are fine.
    QCOMPARE(m_server->lastMessageId(), quint64(0));
    alice->sendLine(R"({"type":"say","text":"fine","cid":")" + QByteArray(64, 'b') + "\"}");
    EXPECT_JSON(alice, QStringLiteral("message"));
}

void tst_SendOnce::refusalNamesTheClientId()
{
    QVERIFY(start());
    auto alice = joinJsonWith(m_server->serverPort(), hello(QStringLiteral("alice")));
    QVERIFY(alice);
    // Refused: not posted, and the error says which message (the client marks that one).
    alice->sendLine(R"({"type":"private","to":"nobody","text":"x","cid":"p-9"})");
    EXPECT_JSON(alice, QStringLiteral("error"), [](const QJsonObject &error) {
        return error.value(u"code").toString() == u"no-such-nick" && error.value(u"cid").toString() == u"p-9";
    });
    alice->sendLine(R"({"type":"say","room":"#elsewhere","text":"x","cid":"r-9"})");
    EXPECT_JSON(alice, QStringLiteral("error"),
                [](const QJsonObject &error) { return error.value(u"cid").toString() == u"r-9"; });
    // A refused client id is not remembered: sent again where it can go, it is posted.
    alice->sendLine(R"({"type":"say","text":"x","cid":"r-9"})");
    EXPECT_JSON(alice, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"cid").toString() == u"r-9"; });
    // Errors about requests without one carry none.
    alice->sendLine(R"({"type":"private","to":"nobody","text":"x"})");
    EXPECT_JSON(alice, QStringLiteral("error"),
                [](const QJsonObject &error) { return !error.contains(QStringLiteral("cid")); });
}

void tst_SendOnce::ledgerIsBounded()
{
    SendLedger ledger(3, 1000);
    const QByteArray alice(32, 'a');
    const auto message = [&](quint64 id, const QString &cid) {
        ChatMessage m;
        m.id = id;
        m.clientId = cid;
        m.fromIdentity = alice;
        m.room = QStringLiteral("#general");
        return m;
    };
    ledger.begin(alice, QStringLiteral("one"), 0);
    QVERIFY(ledger.find(alice, QStringLiteral("one"), 0));
    QCOMPARE(ledger.find(alice, QStringLiteral("one"), 0)->id, quint64(0));
    ledger.posted(message(7, QStringLiteral("one")), 10);
    QCOMPARE(ledger.find(alice, QStringLiteral("one"), 10)->id, quint64(7));
    // A second copy (from the cluster) keeps the first id.
    ledger.posted(message(9, QStringLiteral("one")), 10);
    QCOMPARE(ledger.find(alice, QStringLiteral("one"), 10)->id, quint64(7));
    QVERIFY(ledger.find(alice, QStringLiteral("one"), 10)->delivered);
    // An id the cluster's sequencer answered with gives way to the copy that is delivered here
    // (Redis lost the first before anyone read it, and the client sent it again elsewhere).
    ledger.posted(message(20, QStringLiteral("lost")), 10, false);
    QVERIFY(!ledger.find(alice, QStringLiteral("lost"), 10)->delivered);
    ledger.posted(message(21, QStringLiteral("lost")), 10);
    QCOMPARE(ledger.find(alice, QStringLiteral("lost"), 10)->id, quint64(21));
    QVERIFY(ledger.find(alice, QStringLiteral("lost"), 10)->delivered);
    ledger.forget(alice, QStringLiteral("lost"));
    // Without a client id nothing is kept.
    ledger.posted(message(8, QString()), 10);
    QCOMPARE(ledger.size(), 1);
    // At most 3: the oldest goes first.
    ledger.posted(message(10, QStringLiteral("two")), 20);
    ledger.posted(message(11, QStringLiteral("three")), 30);
    ledger.posted(message(12, QStringLiteral("four")), 40);
    QCOMPARE(ledger.size(), 3);
    QVERIFY(!ledger.find(alice, QStringLiteral("one"), 40));
    QVERIFY(ledger.find(alice, QStringLiteral("two"), 40));
    // Another identity is another key.
    QVERIFY(!ledger.find(QByteArray(32, 'b'), QStringLiteral("two"), 40));
    // The window: what was made at 20 is gone at 1020.
    QVERIFY(!ledger.find(alice, QStringLiteral("two"), 1020));
    QVERIFY(ledger.find(alice, QStringLiteral("four"), 1020));
    // Forgotten (a refused message): unknown again, and a later entry of the key stays.
    ledger.forget(alice, QStringLiteral("four"));
    QVERIFY(!ledger.find(alice, QStringLiteral("four"), 1020));
    ledger.begin(alice, QStringLiteral("four"), 1030);
    QVERIFY(ledger.find(alice, QStringLiteral("four"), 1035));
    // A flood of new ids never holds more than the limit.
    for (int i = 0; i < 10000; ++i)
        ledger.begin(alice, QString::number(i), 1040);
    QCOMPARE(ledger.size(), 3);
}

QTEST_GUILESS_MAIN(tst_SendOnce)
#include "tst_sendonce.moc"
