// The JSON-lines dialect of the real ChatServer over loopback sockets, side by side with
// plain clients in one room.
#include "chatserver.h"
#include "expect.h"
#include "jsonprotocol.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <vector>

namespace {

QByteArray hello(const QString &nick, const QJsonObject &extra = {})
{
    QJsonObject object{ { QStringLiteral("type"), QStringLiteral("hello") },
                        { QStringLiteral("version"), 1 },
                        { QStringLiteral("nick"), nick } };
    for (auto it = extra.begin(); it != extra.end(); ++it)
        object.insert(it.key(), it.value());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray request(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray say(const QString &text)
{
    return request({ { QStringLiteral("type"), QStringLiteral("say") }, { QStringLiteral("text"), text } });
}

std::function<bool(const QJsonObject &)> field(const QString &name, const QJsonValue &value)
{
    return [name, value](const QJsonObject &object) { return object.value(name) == value; };
}

QList<quint64> ids(const QJsonArray &messages)
{
    QList<quint64> result;
    for (const QJsonValue &message : messages)
        result.append(quint64(message.toObject().value(u"id").toDouble()));
    return result;
}

} // namespace

class tst_JsonMode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void helloGetsWelcomeAndJoinsUnderItsNick();
    void plainAndJsonShareOneRoom();
    void eventsReachJsonClients();
    void badRequestsKeepTheConnection_data();
    void badRequestsKeepTheConnection();
    void failedHello_data();
    void failedHello();
    void resumeGetsExactlyWhatWasMissed();
    void resumeBeyondHistorySaysSo();
    void historyRequestPagesForward();
    void sinceFromAnotherServerLife();
    void tokenTakesNickBackQuietly();
    void presenceInALargeRoom();
    void pingPong();
    void shutdownReachesJsonClients();

private:
    // A JSON client that said hello and got its welcome (returned through welcome).
    std::unique_ptr<TestClient> connectJson(const QString &nick, QJsonObject *welcome = nullptr,
                                            const QJsonObject &extra = {});

    std::unique_ptr<ChatServer> m_server;
};

void tst_JsonMode::init()
{
    ChatLimits limits;
    limits.historyLines = 5;
    limits.historyKeep = 50;
    limits.floodControl = false; // some tests send many lines at once
    m_server = std::make_unique<ChatServer>(limits);
    m_server->setServerName(QStringLiteral("test server"));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void tst_JsonMode::cleanup()
{
    m_server.reset();
}

std::unique_ptr<TestClient> tst_JsonMode::connectJson(const QString &nick, QJsonObject *welcome,
                                                      const QJsonObject &extra)
{
    return joinJsonWith(m_server->serverPort(), hello(nick, extra), welcome);
}

void tst_JsonMode::helloGetsWelcomeAndJoinsUnderItsNick()
{
    auto plain = joinPlain(m_server->serverPort());
    QVERIFY(plain);
    plain->sendLine("earlier message");
    EXPECT_LINE(plain, chatLinePattern(plain->nick(), QStringLiteral("earlier message")));

    QJsonObject welcome;
    auto alice = connectJson(QStringLiteral("alice"), &welcome);
    QVERIFY(alice);
    QCOMPARE(welcome.value(u"version").toInt(), 1);
    QCOMPARE(welcome.value(u"nick").toString(), QStringLiteral("alice"));
    QCOMPARE(welcome.value(u"server").toString(), QStringLiteral("test server"));
    QVERIFY(!welcome.value(u"token").toString().isEmpty());
    QCOMPARE(welcome.value(u"lastId").toInt(), 1);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), true);
    const QJsonObject limits = welcome.value(u"limits").toObject();
    QCOMPARE(limits.value(u"maxLineBytes").toInt(), 4096);
    QCOMPARE(limits.value(u"historyLines").toInt(), 5);
    QCOMPARE(limits.value(u"historyKeep").toInt(), 50);
    QCOMPARE(limits.value(u"maxNickLength").toInt(), 32);
    QStringList nicks;
    for (const QJsonValue &user : welcome.value(u"users").toArray()) {
        nicks.append(user.toObject().value(u"nick").toString());
        QVERIFY(user.toObject().value(u"since").toString().endsWith(u'Z'));
    }
    QCOMPARE(nicks, (QStringList{ plain->nick(), QStringLiteral("alice") }));
    const QJsonArray history = welcome.value(u"history").toArray();
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.at(0).toObject().value(u"text").toString(), QStringLiteral("earlier message"));

    // The room meets alice under her own name, never as a guest.
    EXPECT_LINE(plain, QStringLiteral("* alice joined"));
    QVERIFY(plain->lines().filter(QStringLiteral("is now known as")).isEmpty());
}

void tst_JsonMode::plainAndJsonShareOneRoom()
{
    auto plain = joinPlain(m_server->serverPort());
    auto alice = connectJson(QStringLiteral("alice"));
    QVERIFY(plain && alice);
    alice->sendLine(say(QStringLiteral("from JSON <b>bold</b>")));
    EXPECT_LINE(plain, chatLinePattern(QStringLiteral("alice"), QStringLiteral("from JSON <b>bold</b>")));
    QJsonObject own;
    EXPECT_JSON_AS(own, alice, QStringLiteral("message"));
    QCOMPARE(own.value(u"text").toString(), QStringLiteral("from JSON <b>bold</b>"));
    QCOMPARE(own.value(u"from").toString(), QStringLiteral("alice"));
    QCOMPARE(own.value(u"kind").toString(), QStringLiteral("say"));
    QVERIFY(QDateTime::fromString(own.value(u"time").toString(), Qt::ISODateWithMs).isValid());
    QVERIFY(own.value(u"time").toString().endsWith(u'Z'));

    plain->sendLine("from plain");
    QJsonObject theirs;
    EXPECT_JSON_AS(theirs, alice, QStringLiteral("message"));
    QCOMPARE(theirs.value(u"text").toString(), QStringLiteral("from plain"));
    QCOMPARE(theirs.value(u"from").toString(), plain->nick());
    QVERIFY(theirs.value(u"id").toInteger() > own.value(u"id").toInteger());
}

void tst_JsonMode::eventsReachJsonClients()
{
    auto alice = connectJson(QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = connectJson(QStringLiteral("bob"));
    QVERIFY(bob);
    QJsonObject aliceJoin;
    EXPECT_JSON_AS(aliceJoin, alice, QStringLiteral("join"));
    QCOMPARE(aliceJoin.value(u"nick").toString(), QStringLiteral("bob"));

    bob->sendLine(request({ { QStringLiteral("type"), QStringLiteral("action") },
                            { QStringLiteral("text"), QStringLiteral("waves") } }));
    QJsonObject aliceMessage;
    EXPECT_JSON_AS(aliceMessage, alice, QStringLiteral("message"));
    QCOMPARE(aliceMessage.value(u"kind").toString(), QStringLiteral("action"));

    bob->sendLine(request({ { QStringLiteral("type"), QStringLiteral("private") },
                            { QStringLiteral("to"), QStringLiteral("ALICE") },
                            { QStringLiteral("text"), QStringLiteral("psst") } }));
    QJsonObject received;
    EXPECT_JSON_AS(received, alice, QStringLiteral("private"));
    QCOMPARE(received.value(u"from").toString(), QStringLiteral("bob"));
    QCOMPARE(received.value(u"to").toString(), QStringLiteral("alice"));
    QCOMPARE(received.value(u"text").toString(), QStringLiteral("psst"));
    EXPECT_JSON(bob, QStringLiteral("private"));

    bob->sendLine(request({ { QStringLiteral("type"), QStringLiteral("private") },
                            { QStringLiteral("to"), QStringLiteral("nobody") },
                            { QStringLiteral("text"), QStringLiteral("psst") } }));
    QJsonObject nobody;
    EXPECT_JSON_AS(nobody, bob, QStringLiteral("error"),
                   field(QStringLiteral("code"), QStringLiteral("no-such-nick")));
    // It names whom the message was for, so a client can say so.
    QCOMPARE(nobody.value(u"nick").toString(), QStringLiteral("nobody"));

    bob->sendLine(request({ { QStringLiteral("type"), QStringLiteral("nick") },
                            { QStringLiteral("nick"), QStringLiteral("alice") } }));
    EXPECT_JSON(bob, QStringLiteral("error"), field(QStringLiteral("code"), QStringLiteral("nick-taken")));
    bob->sendLine(request({ { QStringLiteral("type"), QStringLiteral("nick") },
                            { QStringLiteral("nick"), QStringLiteral("robert") } }));
    QJsonObject renamed;
    EXPECT_JSON_AS(renamed, alice, QStringLiteral("nick"));
    QCOMPARE(renamed.value(u"old").toString(), QStringLiteral("bob"));
    QCOMPARE(renamed.value(u"new").toString(), QStringLiteral("robert"));

    bob->sendLine(request({ { QStringLiteral("type"), QStringLiteral("quit") },
                            { QStringLiteral("reason"), QStringLiteral("lunch") } }));
    QJsonObject left;
    EXPECT_JSON_AS(left, alice, QStringLiteral("leave"));
    QCOMPARE(left.value(u"nick").toString(), QStringLiteral("robert"));
    QCOMPARE(left.value(u"reason").toString(), QStringLiteral("quit: lunch"));
    QVERIFY(bob->waitForDisconnected());
}

void tst_JsonMode::badRequestsKeepTheConnection_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("code");
    QTest::newRow("not JSON") << QByteArray("this is not json") << QStringLiteral("malformed");
    QTest::newRow("broken JSON") << QByteArray("{\"type\":") << QStringLiteral("malformed");
    QTest::newRow("unknown type") << QByteArray("{\"type\":\"dance\"}") << QStringLiteral("unknown-type");
    QTest::newRow("wrong field type")
            << QByteArray("{\"type\":\"say\",\"text\":[]}") << QStringLiteral("bad-field");
    QTest::newRow("second hello") << hello(QStringLiteral("x")) << QStringLiteral("unexpected-hello");
    QTest::newRow("line too long") << ("{\"type\":\"say\",\"text\":\"" + QByteArray(5000, 'x') + "\"}")
                                   << QStringLiteral("line-too-long");
}

void tst_JsonMode::badRequestsKeepTheConnection()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, code);
    auto alice = connectJson(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->sendLine(line);
    QJsonObject error;
    EXPECT_JSON_AS(error, alice, QStringLiteral("error"));
    QCOMPARE(error.value(u"code").toString(), code);
    QVERIFY(!error.value(u"text").toString().isEmpty());
    alice->sendLine(say(QStringLiteral("still here")));
    EXPECT_JSON(alice, QStringLiteral("message"),
                field(QStringLiteral("text"), QStringLiteral("still here")));
}

void tst_JsonMode::failedHello_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("code");
    QTest::newRow("nick taken") << hello(QStringLiteral("ALICE")) << QStringLiteral("nick-taken");
    QTest::newRow("invalid nick") << hello(QStringLiteral("a b")) << QStringLiteral("invalid-nick");
    QTest::newRow("newer version") << request({ { QStringLiteral("type"), QStringLiteral("hello") },
                                                { QStringLiteral("version"), JsonProtocol::version + 1 } })
                                   << QStringLiteral("unsupported-version");
    QTest::newRow("malformed hello") << request({ { QStringLiteral("type"), QStringLiteral("hello") },
                                                  { QStringLiteral("version"), QStringLiteral("one") } })
                                     << QStringLiteral("bad-field");
}

void tst_JsonMode::failedHello()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, code);
    auto alice = connectJson(QStringLiteral("alice"));
    QVERIFY(alice);
    TestClient other;
    QVERIFY(other.connectTo(m_server->serverPort()));
    other.sendLine(line);
    QJsonObject otherError;
    EXPECT_JSON_AS(otherError, other, QStringLiteral("error"));
    QCOMPARE(otherError.value(u"code").toString(), code);
    QVERIFY(other.waitForDisconnected());
    // The room never heard of it.
    alice->sendLine(say(QStringLiteral("sync")));
    EXPECT_JSON(alice, QStringLiteral("message"));
    QVERIFY(alice->lines().filter(QStringLiteral("\"join\"")).isEmpty());
}

void tst_JsonMode::resumeGetsExactlyWhatWasMissed()
{
    auto plain = joinPlain(m_server->serverPort());
    QJsonObject welcome;
    auto alice = connectJson(QStringLiteral("alice"), &welcome);
    QVERIFY(plain && alice);
    const QString token = welcome.value(u"token").toString();
    for (int i = 1; i <= 3; ++i)
        plain->sendLine("before " + QByteArray::number(i));
    QJsonObject last;
    EXPECT_JSON_AS(last, alice, QStringLiteral("message"),
                   field(QStringLiteral("text"), QStringLiteral("before 3")));
    const quint64 lastSeen = quint64(last.value(u"id").toInteger());

    alice->socket().abort();
    EXPECT_LINE(plain, QStringLiteral("* alice left (connection closed)"));
    for (int i = 1; i <= 4; ++i)
        plain->sendLine("missed " + QByteArray::number(i));
    EXPECT_LINE(plain, chatLinePattern(plain->nick(), QStringLiteral("missed 4")));

    QJsonObject resumed;
    auto again = connectJson(
            QStringLiteral("alice"), &resumed,
            { { QStringLiteral("since"), qint64(lastSeen) }, { QStringLiteral("token"), token } });
    QVERIFY(again);
    const QJsonArray history = resumed.value(u"history").toArray();
    QCOMPARE(ids(history), (QList<quint64>{ lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4 }));
    QCOMPARE(history.at(0).toObject().value(u"text").toString(), QStringLiteral("missed 1"));
    QCOMPARE(history.at(3).toObject().value(u"text").toString(), QStringLiteral("missed 4"));
    QCOMPARE(resumed.value(u"historyComplete").toBool(), true);
    QCOMPARE(quint64(resumed.value(u"lastId").toInteger()), lastSeen + 4);

    // Nothing after the welcome repeats what it held.
    plain->sendLine("after");
    QJsonObject next;
    EXPECT_JSON_AS(next, again, QStringLiteral("message"));
    QCOMPARE(next.value(u"text").toString(), QStringLiteral("after"));
    QCOMPARE(quint64(next.value(u"id").toInteger()), lastSeen + 5);
}

void tst_JsonMode::resumeBeyondHistorySaysSo()
{
    auto plain = joinPlain(m_server->serverPort());
    QVERIFY(plain);
    for (int i = 1; i <= 60; ++i)
        plain->sendLine("message " + QByteArray::number(i));
    EXPECT_LINE(plain, chatLinePattern(plain->nick(), QStringLiteral("message 60")));
    QJsonObject welcome;
    auto alice = connectJson(QStringLiteral("alice"), &welcome, { { QStringLiteral("since"), 2 } });
    QVERIFY(alice);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), false);
    const QList<quint64> held = ids(welcome.value(u"history").toArray());
    QCOMPARE(held.size(), 50);
    QCOMPARE(held.constFirst(), quint64(11));
    QCOMPARE(held.constLast(), quint64(60));
}

void tst_JsonMode::historyRequestPagesForward()
{
    // 60 messages, the newest 50 kept.
    auto plain = joinPlain(m_server->serverPort());
    QVERIFY(plain);
    for (int i = 1; i <= 60; ++i)
        plain->sendLine("message " + QByteArray::number(i));
    EXPECT_LINE(plain, chatLinePattern(plain->nick(), QStringLiteral("message 60")));
    auto alice = connectJson(QStringLiteral("alice"));
    QVERIFY(alice);
    const auto ask = [&](int after, int limit) {
        QJsonObject object{ { QStringLiteral("type"), QStringLiteral("history") },
                            { QStringLiteral("after"), after } };
        if (limit > 0)
            object.insert(QStringLiteral("limit"), limit);
        alice->sendLine(request(object));
        return expectJson(*alice, QStringLiteral("history"), field(QStringLiteral("after"), after));
    };
    QJsonObject page;
    EXPECT_FOUND(page, ask(20, 15));
    QCOMPARE(ids(page.value(u"messages").toArray()),
             (QList<quint64>{ 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35 }));
    QCOMPARE(page.value(u"complete").toBool(), true);
    QCOMPARE(page.value(u"more").toBool(), true);
    EXPECT_FOUND(page, ask(35, 0));
    const QList<quint64> rest = ids(page.value(u"messages").toArray());
    QCOMPARE(rest.size(), 25);
    QCOMPARE(rest.constFirst(), quint64(36));
    QCOMPARE(rest.constLast(), quint64(60));
    QCOMPARE(page.value(u"more").toBool(), false);
    // Older than what is kept: what there is, and a gap said.
    EXPECT_FOUND(page, ask(2, 0));
    QCOMPARE(ids(page.value(u"messages").toArray()).constFirst(), quint64(11));
    QCOMPARE(page.value(u"complete").toBool(), false);
    // Nothing newer; and ids from another life of the server.
    EXPECT_FOUND(page, ask(60, 0));
    QVERIFY(page.value(u"messages").toArray().isEmpty());
    QCOMPARE(page.value(u"complete").toBool(), true);
    EXPECT_FOUND(page, ask(500, 0));
    QCOMPARE(page.value(u"complete").toBool(), false);
}

void tst_JsonMode::sinceFromAnotherServerLife()
{
    auto plain = joinPlain(m_server->serverPort());
    QVERIFY(plain);
    plain->sendLine("only message");
    EXPECT_LINE(plain, chatLinePattern(plain->nick(), QStringLiteral("only message")));
    QJsonObject welcome;
    auto alice = connectJson(QStringLiteral("alice"), &welcome, { { QStringLiteral("since"), 500 } });
    QVERIFY(alice);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), false);
    QCOMPARE(welcome.value(u"lastId").toInt(), 1);
    QCOMPARE(ids(welcome.value(u"history").toArray()), QList<quint64>{ 1 });
}

void tst_JsonMode::tokenTakesNickBackQuietly()
{
    auto plain = joinPlain(m_server->serverPort());
    QJsonObject welcome;
    auto ghost = connectJson(QStringLiteral("alice"), &welcome);
    QVERIFY(plain && ghost);
    EXPECT_LINE(plain, QStringLiteral("* alice joined"));

    // The old connection is still open (say, a laptop that lost its Wi-Fi): without the
    // token the nick stays taken, with it the new connection takes over.
    TestClient stranger;
    QVERIFY(stranger.connectTo(m_server->serverPort()));
    stranger.sendLine(
            hello(QStringLiteral("alice"), { { QStringLiteral("token"), QStringLiteral("guessed") } }));
    QJsonObject strangerError;
    EXPECT_JSON_AS(strangerError, stranger, QStringLiteral("error"));
    QCOMPARE(strangerError.value(u"code").toString(), QStringLiteral("nick-taken"));

    QJsonObject resumed;
    auto alice = connectJson(QStringLiteral("alice"), &resumed,
                             { { QStringLiteral("token"), welcome.value(u"token") } });
    QVERIFY(alice);
    QCOMPARE(resumed.value(u"nick").toString(), QStringLiteral("alice"));
    QVERIFY(resumed.value(u"token").toString() != welcome.value(u"token").toString());
    QVERIFY(ghost->waitForDisconnected());
    QTRY_COMPARE(m_server->clientCount(), 2);

    alice->sendLine(say(QStringLiteral("back")));
    EXPECT_LINE(plain, chatLinePattern(QStringLiteral("alice"), QStringLiteral("back")));
    QVERIFY(plain->lines().filter(QStringLiteral("alice left")).isEmpty());
    QCOMPARE(plain->lines().filter(QStringLiteral("alice joined")).size(), 1);

    // Taking over again and again (before each old connection is seen gone) keeps the room's
    // count and list true: two people, alice once.
    QJsonObject latest = resumed;
    std::vector<std::unique_ptr<TestClient>> connections;
    for (int i = 0; i < 5; ++i) {
        QJsonObject next;
        connections.push_back(connectJson(QStringLiteral("alice"), &next,
                                          { { QStringLiteral("token"), latest.value(u"token") } }));
        QVERIFY(connections.back());
        QCOMPARE(next.value(u"online").toInt(), 2);
        QStringList nicks;
        for (const QJsonValue &user : next.value(u"users").toArray())
            nicks.append(user.toObject().value(u"nick").toString());
        nicks.sort();
        QCOMPARE(nicks, (QStringList{ QStringLiteral("alice"), plain->nick() }));
        latest = next;
    }
    QTRY_COMPARE(m_server->memberCount(), 2);
}

void tst_JsonMode::presenceInALargeRoom()
{
    ChatLimits limits;
    limits.presenceLimit = 2;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QJsonObject welcome;
    auto alice = connectJson(QStringLiteral("alice"), &welcome);
    QVERIFY(alice);
    QCOMPARE(welcome.value(u"presenceLive").toBool(), true);
    QCOMPARE(welcome.value(u"online").toInt(), 1);
    QCOMPARE(welcome.value(u"limits").toObject().value(u"presenceLimit").toInt(), 2);
    auto bob = connectJson(QStringLiteral("bob"));
    QVERIFY(bob);
    EXPECT_JSON(alice, QStringLiteral("join"));

    QJsonObject crowded;
    auto carol = connectJson(QStringLiteral("carol"), &crowded);
    QVERIFY(carol);
    // Too large to follow: no list in the welcome, and everyone is told once.
    QCOMPARE(crowded.value(u"presenceLive").toBool(), false);
    QCOMPARE(crowded.value(u"online").toInt(), 3);
    QVERIFY(crowded.value(u"users").toArray().isEmpty());
    QJsonObject off;
    EXPECT_JSON_AS(off, alice, QStringLiteral("presence"));
    QCOMPARE(off.value(u"live").toBool(), false);
    QCOMPARE(off.value(u"online").toInt(), 3);
    QVERIFY(!off.contains(QStringLiteral("users")));

    carol->sendLine(request({ { QStringLiteral("type"), QStringLiteral("quit") } }));
    QJsonObject on;
    EXPECT_JSON_AS(on, alice, QStringLiteral("presence"));
    QCOMPARE(on.value(u"live").toBool(), true);
    QCOMPARE(on.value(u"online").toInt(), 2);
    QStringList nicks;
    for (const QJsonValue &user : on.value(u"users").toArray())
        nicks.append(user.toObject().value(u"nick").toString());
    QCOMPARE(nicks, (QStringList{ QStringLiteral("alice"), QStringLiteral("bob") }));
    QVERIFY(alice->lines().filter(QStringLiteral("carol")).filter(QStringLiteral("\"join\"")).isEmpty());
}

void tst_JsonMode::pingPong()
{
    auto alice = connectJson(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->sendLine(request({ { QStringLiteral("type"), QStringLiteral("ping") },
                              { QStringLiteral("token"), QStringLiteral("t1") } }));
    QJsonObject alicePong;
    EXPECT_JSON_AS(alicePong, alice, QStringLiteral("pong"));
    QCOMPARE(alicePong.value(u"token").toString(), QStringLiteral("t1"));
}

void tst_JsonMode::shutdownReachesJsonClients()
{
    auto alice = connectJson(QStringLiteral("alice"));
    auto plain = joinPlain(m_server->serverPort());
    QVERIFY(alice && plain);
    QSignalSpy stopped(m_server.get(), &ChatServer::stopped);
    m_server->stop();
    QJsonObject aliceShutdown;
    EXPECT_JSON_AS(aliceShutdown, alice, QStringLiteral("shutdown"));
    QCOMPARE(aliceShutdown.value(u"text").toString(), QStringLiteral("server shutting down"));
    EXPECT_LINE(plain, QStringLiteral("* server shutting down"));
    QVERIFY(alice->waitForDisconnected());
    QVERIFY(stopped.count() == 1 || stopped.wait());
}

QTEST_GUILESS_MAIN(tst_JsonMode)
#include "tst_jsonmode.moc"
