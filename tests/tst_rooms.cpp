#include "chatserver.h"
#include "expect.h"
#include "jsonprotocol.h"
#include "jsontext.h"
#include "messagestore.h"
#include "testclient.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

QByteArray hello(const QString &nick, int version = JsonProtocol::version,
                 const QString &identity = QString(), qint64 since = -1, const QStringList &rooms = {})
{
    QJsonObject object{ { QStringLiteral("type"), QStringLiteral("hello") },
                        { QStringLiteral("version"), version },
                        { QStringLiteral("nick"), nick } };
    if (!identity.isEmpty())
        object.insert(QStringLiteral("identity"), identity);
    if (since >= 0)
        object.insert(QStringLiteral("since"), since);
    if (!rooms.isEmpty())
        object.insert(QStringLiteral("rooms"), QJsonArray::fromStringList(rooms));
    return json(object);
}

QByteArray request(const QString &type, const QString &room, const QString &field = QString(),
                   const QString &value = QString())
{
    QJsonObject object{ { QStringLiteral("type"), type } };
    if (!room.isEmpty())
        object.insert(QStringLiteral("room"), room);
    if (!field.isEmpty())
        object.insert(field, value);
    return json(object);
}

} // namespace

class tst_Rooms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void plainClientInOneRoomSeesWhatItAlwaysDid();
    void plainJoinSwitchPartMarksRooms();
    void plainTopicRoomsAndErrors_data();
    void plainTopicRoomsAndErrors();
    void roomNamesAreUniqueLikeNicks();
    void jsonVersion2Rooms();
    void jsonVersion1SeesTheDefaultRoomOnly();
    void presenceLimitIsPerRoom();
    void helloRoomsResumeEveryRoom();
    void freshStartReplaysEachConversation();
    void takeoverTellsRoomsWhatChanged();
    void refusedHelloRoomsAreNamed();
    void privateMessagesOnlyForTheTwo();
    void limitsPerClientAndServer();
    void fullServerMakesWayForANewRoom();
    void adminClosesARoom();
    void upgradesADatabaseOfSchema1();
    void upgradesAFileMadeByVersion01();
    void roomsAndTheirHistoryOutliveARestart();
    void version2Details();

private:
    std::unique_ptr<ChatServer> m_server;
    quint16 port() const { return m_server->serverPort(); }
};

void tst_Rooms::init()
{
    ChatLimits limits;
    limits.floodControl = false;
    limits.maxRoomsPerClient = 3;
    limits.maxRooms = 5;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void tst_Rooms::cleanup()
{
    m_server.reset();
}

void tst_Rooms::plainClientInOneRoomSeesWhatItAlwaysDid()
{
    auto a = joinPlain(port());
    auto b = joinPlain(port());
    QVERIFY(a && b);
    a->sendLine("hello there");
    EXPECT_LINE(b, chatLinePattern(a->nick(), QStringLiteral("hello there")));
    b->sendLine("/who");
    EXPECT_LINE(b, QStringLiteral("* 2 online:"));
}

void tst_Rooms::plainJoinSwitchPartMarksRooms()
{
    auto a = joinPlain(port());
    auto b = joinPlain(port());
    auto c = joinPlain(port());
    QVERIFY(a && b && c);
    a->sendLine("/join #dev");
    EXPECT_LINE(a, QStringLiteral("* you are in #dev now, 1 here: %1").arg(a->nick()));
    EXPECT_LINE(a, QStringLiteral("* what you type goes to #dev now; /switch #ROOM changes that"));
    b->sendLine("/join dev"); // the # may be left out
    EXPECT_LINE(a, QStringLiteral("* %1 joined #dev").arg(b->nick()));
    a->sendLine("in dev");
    const QRegularExpression marked(
            QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] \\[#dev\\] %1: in dev$").arg(a->nick()));
    EXPECT_LINE(b, marked);
    EXPECT_LINE(a, marked);
    // c is in #general only: nothing of #dev reaches it.
    a->sendLine("/switch #general");
    EXPECT_LINE(a, QStringLiteral("* what you type goes to #general now"));
    a->sendLine("in general");
    EXPECT_LINE(c, chatLinePattern(a->nick(), QStringLiteral("in general")));
    QVERIFY2(!c->lines().join(u'|').contains(QLatin1String("dev")), qPrintable(c->lines().join(u'|')));
    // Leaving: the room is told, the one leaving too, and a's lines go to its other room.
    b->sendLine("/part #dev off to lunch");
    EXPECT_LINE(a, QStringLiteral("* %1 left #dev (off to lunch)").arg(b->nick()));
    EXPECT_LINE(b, QStringLiteral("* %1 left #dev (off to lunch)").arg(b->nick()));
    EXPECT_LINE(b, QStringLiteral("* what you type goes to #general now"));
    // A quit is told once to someone who shares two rooms with the one quitting.
    b->sendLine("/join #dev");
    EXPECT_LINE(a, QStringLiteral("* %1 joined #dev").arg(b->nick()));
    b->sendLine("/quit");
    EXPECT_LINE(a, QStringLiteral("* %1 left (quit)").arg(b->nick()));
    a->sendLine("/who #dev");
    EXPECT_LINE(a, QStringLiteral("* 1 online in #dev:"));
    QCOMPARE(a->lines().filter(QStringLiteral("left (quit)")).size(), 1);
}

void tst_Rooms::plainTopicRoomsAndErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("topic") << QByteArray("/topic Release on Friday")
                           << QStringLiteral("* NICK set the topic of #general: Release on Friday");
    QTest::newRow("topic too long") << QByteArray("/topic " + QByteArray(301, 'x'))
                                    << QStringLiteral("! a topic is at most 300 characters (1200 bytes)");
    QTest::newRow("no topic yet") << QByteArray("/topic")
                                  << QStringLiteral("* #general has no topic; /topic TEXT sets one");
    QTest::newRow("rooms") << QByteArray("/rooms") << QStringLiteral("* 1 room(s):");
    // 160 family emoji are 160 characters but 4000 bytes: every list of rooms carries a topic.
    QString family;
    for (int i = 0; i < 160; ++i)
        family += QStringLiteral("\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466");
    QTest::newRow("topic too many bytes")
            << QByteArray("/topic " + family.toUtf8())
            << QStringLiteral("! a topic is at most 300 characters (1200 bytes)");
    QTest::newRow("bad name") << QByteArray("/join #a b")
                              << QStringLiteral("! invalid room name: \"#a b\" has a character nicks cannot "
                                                "have (U+0020 SPACE); a room is # followed by 1 to 32");
    QTest::newRow("unknown room") << QByteArray("/switch #nowhere")
                                  << QStringLiteral("! no such room: \"#nowhere\"; /rooms lists them");
    QTest::newRow("not in it") << QByteArray("/part #elsewhere")
                               << QStringLiteral("! no such room: \"#elsewhere\"; /rooms lists them");
    // A name no room can have says why, wherever it is named.
    QTest::newRow("bad name to switch to")
            << QByteArray("/switch #a b") << QStringLiteral("! invalid room name: \"#a b\" has a character");
    // A topic that shows nothing clears it, like an empty one.
    QTest::newRow("invisible topic") << QByteArray("/topic \u200b")
                                     << QStringLiteral("* NICK cleared the topic");
}

void tst_Rooms::plainTopicRoomsAndErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    auto a = joinPlain(port());
    QVERIFY(a);
    a->sendLine(line);
    QString got;
    EXPECT_LINE_AS(got, a,
                   QRegularExpression(u'^' + QRegularExpression::escape(QString(expected).replace(
                                                     QLatin1String("NICK"), a->nick()))));
}

void tst_Rooms::roomNamesAreUniqueLikeNicks()
{
    auto a = joinPlain(port());
    auto b = joinPlain(port());
    QVERIFY(a && b);
    a->sendLine("/join #Dev");
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\* you are in #Dev now")));
    // Case and a Cyrillic look-alike (U+0435) are the same room, under its first name.
    b->sendLine(QStringLiteral("/join #d\u0435V").toUtf8());
    EXPECT_LINE(b, QRegularExpression(QStringLiteral("^\\* you are in #Dev now, 2 here")));
}

void tst_Rooms::jsonVersion2Rooms()
{
    QJsonObject welcome;
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice")), &welcome);
    auto bob = joinJsonWith(port(), hello(QStringLiteral("bob")));
    QVERIFY(alice && bob);
    QCOMPARE(welcome.value(u"version").toInt(), 2);
    const QJsonArray rooms = welcome.value(u"rooms").toArray();
    QCOMPARE(rooms.size(), 1);
    QCOMPARE(rooms.at(0).toObject().value(u"name").toString(), QStringLiteral("#general"));
    QVERIFY(welcome.value(u"identity").toString().size() >= 16);

    alice->sendLine(request(QStringLiteral("join"), QStringLiteral("#dev")));
    QJsonObject state;
    EXPECT_JSON_AS(state, alice, QStringLiteral("room"));
    QCOMPARE(state.value(u"room").toObject().value(u"name").toString(), QStringLiteral("#dev"));
    bob->sendLine(request(QStringLiteral("join"), QStringLiteral("#dev")));
    QJsonObject joined;
    EXPECT_JSON_AS(joined, alice, QStringLiteral("join"),
                   [](const QJsonObject &o) { return o.value(u"nick") == QLatin1String("bob"); });
    QCOMPARE(joined.value(u"room").toString(), QStringLiteral("#dev"));
    bob->sendLine(request(QStringLiteral("topic"), QStringLiteral("#dev"), QStringLiteral("topic"),
                          QStringLiteral("builds")));
    QJsonObject topic;
    EXPECT_JSON_AS(topic, alice, QStringLiteral("topic"));
    QCOMPARE(topic.value(u"topic").toString(), QStringLiteral("builds"));
    QCOMPARE(topic.value(u"nick").toString(), QStringLiteral("bob"));

    bob->sendLine(request(QStringLiteral("say"), QStringLiteral("#dev"), QStringLiteral("text"),
                          QStringLiteral("in dev")));
    bob->sendLine(
            request(QStringLiteral("say"), QString(), QStringLiteral("text"), QStringLiteral("in general")));
    QJsonObject first;
    EXPECT_JSON_AS(first, alice, QStringLiteral("message"));
    QJsonObject second;
    EXPECT_JSON_AS(second, alice, QStringLiteral("message"));
    QCOMPARE(first.value(u"room").toString(), QStringLiteral("#dev"));
    QCOMPARE(second.value(u"room").toString(), QStringLiteral("#general"));
    QVERIFY(second.value(u"id").toInteger() > first.value(u"id").toInteger());

    // One room's history, and the list of rooms.
    alice->sendLine(json({ { QStringLiteral("type"), QStringLiteral("history") },
                           { QStringLiteral("after"), 0 },
                           { QStringLiteral("room"), QStringLiteral("#dev") } }));
    QJsonObject history;
    EXPECT_JSON_AS(history, alice, QStringLiteral("history"));
    QCOMPARE(texts(history.value(u"messages").toArray()), QStringList{ QStringLiteral("in dev") });
    alice->sendLine(request(QStringLiteral("rooms"), QString()));
    QJsonObject roomList;
    EXPECT_JSON_AS(roomList, alice, QStringLiteral("rooms"));
    const QJsonArray list = roomList.value(u"rooms").toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(1).toObject().value(u"topic").toString(), QStringLiteral("builds"));
    QCOMPARE(list.at(1).toObject().value(u"online").toInt(), 2);

    bob->sendLine(request(QStringLiteral("part"), QStringLiteral("#dev"), QStringLiteral("reason"),
                          QStringLiteral("bye")));
    QJsonObject part;
    EXPECT_JSON_AS(part, alice, QStringLiteral("part"));
    QCOMPARE(part.value(u"nick").toString(), QStringLiteral("bob"));
    QCOMPARE(part.value(u"reason").toString(), QStringLiteral("bye"));
    bob->sendLine(request(QStringLiteral("say"), QStringLiteral("#dev"), QStringLiteral("text"),
                          QStringLiteral("x")));
    QJsonObject bobError;
    EXPECT_JSON_AS(bobError, bob, QStringLiteral("error"));
    QCOMPARE(bobError.value(u"code").toString(), QStringLiteral("not-in-room"));
}

// The presence limit counts each room's people: a room that grows past it says so once
// (presence, live false, with its room) and stops announcing joins; one back under it says so
// and announces them again. Actions in a room carry its name, in both dialects.
void tst_Rooms::presenceLimitIsPerRoom()
{
    m_server.reset();
    ChatLimits limits;
    limits.floodControl = false;
    limits.presenceLimit = 2;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice")));
    auto bob = joinJsonWith(port(), hello(QStringLiteral("bob")));
    auto carol = joinPlain(port());
    QVERIFY(alice && bob && carol);
    alice->sendLine(request(QStringLiteral("join"), QStringLiteral("#pair")));
    EXPECT_JSON(alice, QStringLiteral("room"));
    bob->sendLine(request(QStringLiteral("join"), QStringLiteral("#pair")));
    // Two in #pair: bob's join is announced to alice, in that room.
    EXPECT_JSON(alice, QStringLiteral("join"), [](const QJsonObject &e) {
        return e.value(u"nick").toString() == u"bob" && e.value(u"room").toString() == u"#pair";
    });
    carol->sendLine("/join #pair");
    EXPECT_LINE(carol, QStringLiteral("* what you type goes to #pair now; /switch #ROOM changes that"));
    // Three: past the limit, said once, no join line.
    EXPECT_JSON(alice, QStringLiteral("presence"), [](const QJsonObject &e) {
        return e.value(u"room").toString() == u"#pair" && !e.value(u"live").toBool() &&
               e.value(u"online").toInt() == 3 && !e.contains(u"users");
    });
    carol->sendLine("/me waves");
    EXPECT_JSON(alice, QStringLiteral("message"), [](const QJsonObject &m) {
        return m.value(u"kind").toString() == u"action" && m.value(u"text").toString() == u"waves" &&
               m.value(u"room").toString() == u"#pair";
    });
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral(R"(.*"kind":"action".*"room":"#pair".*)")));
    // Nobody was told carol joined #pair (she joined past the limit).
    const QString carolJoined = QStringLiteral(R"("type":"join")");
    const QStringList seen = alice->lines();
    QVERIFY2(std::none_of(seen.cbegin(), seen.cend(),
                          [&](const QString &line) {
                              return line.contains(carolJoined) && line.contains(carol->nick());
                          }),
             qPrintable(seen.join(u'\n')));
    carol->sendLine("/part #pair");
    // Back to two: said once, live again, with the people.
    EXPECT_JSON(alice, QStringLiteral("presence"), [](const QJsonObject &e) {
        return e.value(u"room").toString() == u"#pair" && e.value(u"live").toBool() &&
               e.value(u"online").toInt() == 2 && e.value(u"users").toArray().size() == 2;
    });
}

void tst_Rooms::jsonVersion1SeesTheDefaultRoomOnly()
{
    auto old = joinJsonWith(port(), hello(QStringLiteral("old"), 1));
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice")));
    QVERIFY(old && alice);
    alice->sendLine(request(QStringLiteral("join"), QStringLiteral("#dev")));
    EXPECT_JSON(alice, QStringLiteral("room"));
    alice->sendLine(request(QStringLiteral("topic"), QStringLiteral("#general"), QStringLiteral("topic"),
                            QStringLiteral("t")));
    alice->sendLine(request(QStringLiteral("say"), QStringLiteral("#dev"), QStringLiteral("text"),
                            QStringLiteral("dev only")));
    alice->sendLine(request(QStringLiteral("say"), QStringLiteral("#general"), QStringLiteral("text"),
                            QStringLiteral("for all")));
    QJsonObject message;
    EXPECT_JSON_AS(message, old, QStringLiteral("message"));
    QCOMPARE(message.value(u"text").toString(), QStringLiteral("for all"));
    // Neither the topic event (a type version 1 does not know) nor #dev's message came.
    for (const QString &line : old->lines()) {
        QVERIFY2(!line.contains(QLatin1String("dev only")) && !line.contains(QLatin1String("\"topic\"")),
                 qPrintable(line));
    }
}

void tst_Rooms::helloRoomsResumeEveryRoom()
{
    const QString identity = QStringLiteral("alice-identity-0123456789");
    QJsonObject welcome;
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice"), 2, identity), &welcome);
    auto bob = joinJsonWith(port(), hello(QStringLiteral("bob")));
    QVERIFY(alice && bob);
    alice->sendLine(request(QStringLiteral("join"), QStringLiteral("#dev")));
    bob->sendLine(request(QStringLiteral("join"), QStringLiteral("#dev")));
    EXPECT_JSON(alice, QStringLiteral("join"),
                [](const QJsonObject &o) { return o.value(u"nick") == QLatin1String("bob"); });
    const qint64 since = qint64(m_server->lastMessageId());
    alice->disconnectFromServer();
    QJsonObject bobLeave;
    EXPECT_JSON_AS(bobLeave, bob, QStringLiteral("leave"));
    QVERIFY(bobLeave.value(u"nick") == QLatin1String("alice"));
    for (const QString &room : { QStringLiteral("#dev"), QStringLiteral("#general") })
        bob->sendLine(request(QStringLiteral("say"), room, QStringLiteral("text"), u"missed in " + room));
    QTRY_COMPARE(m_server->lastMessageId(), quint64(since + 2));
    auto back = joinJsonWith(
            port(), hello(QStringLiteral("alice"), 2, identity, since, { QStringLiteral("#dev") }), &welcome);
    QVERIFY(back);
    QCOMPARE(texts(welcome.value(u"history").toArray()),
             (QStringList{ QStringLiteral("missed in #dev"), QStringLiteral("missed in #general") }));
    QVERIFY(welcome.value(u"historyComplete").toBool());
    QCOMPARE(welcome.value(u"rooms").toArray().size(), 2);
}

// A client that starts afresh (no since) gets the recent lines of each of its conversations,
// not the newest lines of all of them together: a busy #general does not push out a quiet
// room or a private conversation.
void tst_Rooms::freshStartReplaysEachConversation()
{
    const QString identity = QStringLiteral("alice-identity-0123456789");
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice"), 2, identity));
    auto bob = joinJsonWith(port(), hello(QStringLiteral("bob")));
    auto carol = joinPlain(port());
    QVERIFY(alice && bob && carol);
    alice->sendLine(request(QStringLiteral("join"), QStringLiteral("#design")));
    EXPECT_JSON(alice, QStringLiteral("room"));
    bob->sendLine(request(QStringLiteral("join"), QStringLiteral("#design")));
    EXPECT_JSON(bob, QStringLiteral("room"));
    bob->sendLine(request(QStringLiteral("say"), QStringLiteral("#design"), QStringLiteral("text"),
                          QStringLiteral("design one")));
    bob->sendLine(json({ { QStringLiteral("type"), QStringLiteral("private") },
                         { QStringLiteral("to"), QStringLiteral("alice") },
                         { QStringLiteral("text"), QStringLiteral("psst") } }));
    EXPECT_JSON(alice, QStringLiteral("private"));
    const int general = 25; // more than ChatLimits::historyLines (20)
    for (int i = 1; i <= general; ++i)
        carol->sendLine(QStringLiteral("general %1").arg(i).toUtf8());
    QTRY_COMPARE(m_server->lastMessageId(), quint64(2 + general));
    alice->disconnectFromServer();
    QJsonObject welcome;
    auto back = joinJsonWith(
            port(), hello(QStringLiteral("alice"), 2, identity, -1, { QStringLiteral("#design") }), &welcome);
    QVERIFY(back);
    QStringList expected{ QStringLiteral("design one"), QStringLiteral("psst") };
    for (int i = general - ChatLimits().historyLines + 1; i <= general; ++i)
        expected.append(QStringLiteral("general %1").arg(i));
    QCOMPARE(texts(welcome.value(u"history").toArray()), expected);
}

// A connection that takes an earlier one's place (its token) is the same person: rooms both
// are in hear nothing, a room only the earlier one was in sees the person part, a room only
// the new one is in sees them join.
void tst_Rooms::takeoverTellsRoomsWhatChanged()
{
    auto watcher = joinJsonWith(port(), hello(QStringLiteral("watcher")));
    QVERIFY(watcher);
    watcher->sendLine(request(QStringLiteral("join"), QStringLiteral("#old")));
    EXPECT_JSON(watcher, QStringLiteral("room"));
    watcher->sendLine(request(QStringLiteral("join"), QStringLiteral("#new")));
    EXPECT_JSON(watcher, QStringLiteral("room"));
    QJsonObject welcome;
    auto first = joinJsonWith(
            port(), hello(QStringLiteral("dana"), 2, QString(), -1, { QStringLiteral("#old") }), &welcome);
    QVERIFY(first);
    const QString token = welcome.value(u"token").toString();
    QVERIFY(!token.isEmpty());
    EXPECT_JSON(watcher, QStringLiteral("join"), [](const QJsonObject &e) {
        return e.value(u"nick").toString() == u"dana" && e.value(u"room").toString() == u"#old";
    });
    // dana's join of #general comes with the first connection's, before or after #old's.
    QTRY_VERIFY(
            !watcher->lines().filter(QStringLiteral("#general")).filter(QStringLiteral("dana")).isEmpty());
    const qsizetype before = watcher->lines().size();
    // The same person on a new connection, now in #new instead of #old.
    auto second =
            joinJsonWith(port(), json({ { QStringLiteral("type"), QStringLiteral("hello") },
                                        { QStringLiteral("version"), 2 },
                                        { QStringLiteral("nick"), QStringLiteral("dana") },
                                        { QStringLiteral("token"), token },
                                        { QStringLiteral("rooms"), QJsonArray{ QStringLiteral("#new") } } }));
    QVERIFY(second);
    // Both with the welcome, in either order.
    second->sendLine(json({ { QStringLiteral("type"), QStringLiteral("ping") } }));
    EXPECT_JSON(second, QStringLiteral("pong"));
    QTRY_VERIFY_WITH_TIMEOUT(watcher->lines().filter(QStringLiteral(R"("type":"part")")).size() == 1, 5000);
    const QStringList seen = watcher->lines().mid(before);
    QVERIFY2(seen.filter(QStringLiteral(R"("type":"part")")).constFirst().contains(u"#old"),
             qPrintable(seen.join(u'\n')));
    QVERIFY2(!seen.filter(QStringLiteral(R"("type":"join")"))
                      .filter(QStringLiteral("#new"))
                      .filter(QStringLiteral("dana"))
                      .isEmpty(),
             qPrintable(seen.join(u'\n')));
    // #general, which both were in, heard neither a leave nor a join of dana.
    const auto inGeneral = [](const QString &line) {
        return line.contains(u"\"dana\"") && line.contains(u"#general");
    };
    QVERIFY2(std::none_of(seen.cbegin(), seen.cend(), inGeneral), qPrintable(seen.join(u'\n')));
    const auto left = [](const QString &line) { return line.contains(u"\"type\":\"leave\""); };
    QVERIFY2(std::none_of(seen.cbegin(), seen.cend(), left), qPrintable(seen.join(u'\n')));
}

// Rooms a hello asks for that cannot be joined are refused one by one, each error naming its
// room.
void tst_Rooms::refusedHelloRoomsAreNamed()
{
    // init(): at most 3 rooms per client (#general counts), 5 rooms on the server.
    QJsonObject welcome;
    auto alice = joinJsonWith(port(),
                              hello(QStringLiteral("alice"), 2, QString(), -1,
                                    { QStringLiteral("#one"), QStringLiteral("#two"),
                                      QStringLiteral("#three"), QStringLiteral("#a b") }),
                              &welcome);
    QVERIFY(alice);
    QCOMPARE(welcome.value(u"rooms").toArray().size(), 3);
    for (const QString &room : { QStringLiteral("#three"), QStringLiteral("#a b") }) {
        EXPECT_JSON(alice, QStringLiteral("error"), [room](const QJsonObject &e) {
            return e.value(u"code").toString() == u"room-refused" && e.value(u"room").toString() == room;
        });
    }
}

void tst_Rooms::privateMessagesOnlyForTheTwo()
{
    const QString aliceId = QStringLiteral("alice-identity-0123456789");
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice"), 2, aliceId));
    auto bob =
            joinJsonWith(port(), hello(QStringLiteral("bob"), 2, QStringLiteral("bob-identity-0123456789")));
    QVERIFY(alice && bob);
    alice->sendLine(json({ { QStringLiteral("type"), QStringLiteral("private") },
                           { QStringLiteral("to"), QStringLiteral("bob") },
                           { QStringLiteral("text"), QStringLiteral("the secret") } }));
    QJsonObject bobPrivate;
    EXPECT_JSON_AS(bobPrivate, bob, QStringLiteral("private"));
    QCOMPARE(bobPrivate.value(u"text").toString(), QStringLiteral("the secret"));
    bob->disconnectFromServer();
    QTRY_VERIFY(!m_server->findClient(QStringLiteral("bob")));
    // Someone else takes the nick and asks for everything: not a word of it.
    QJsonObject welcome;
    auto mallory = joinJsonWith(
            port(), hello(QStringLiteral("bob"), 2, QStringLiteral("mallory-identity-0123456")), &welcome);
    QVERIFY(mallory);
    QVERIFY(!welcome.value(u"history").toString().contains(QLatin1String("secret")));
    mallory->sendLine(
            json({ { QStringLiteral("type"), QStringLiteral("history") }, { QStringLiteral("after"), 0 } }));
    QJsonObject history;
    EXPECT_JSON_AS(history, mallory, QStringLiteral("history"));
    QVERIFY2(!QJsonDocument(history).toJson().contains("secret"),
             QJsonDocument(history).toJson().constData());
    QVERIFY2(!QJsonDocument(welcome).toJson().contains("secret"),
             QJsonDocument(welcome).toJson().constData());
    // The sender, back with its identity, has the conversation.
    alice->disconnectFromServer();
    QTRY_VERIFY(!m_server->findClient(QStringLiteral("alice")));
    auto back = joinJsonWith(port(), hello(QStringLiteral("alice"), 2, aliceId, 0), &welcome);
    QVERIFY(back);
    const QJsonArray messages = welcome.value(u"history").toArray();
    QCOMPARE(texts(messages), QStringList{ QStringLiteral("the secret") });
    QCOMPARE(messages.at(0).toObject().value(u"to").toString(), QStringLiteral("bob"));
}

void tst_Rooms::limitsPerClientAndServer()
{
    auto a = joinPlain(port());
    QVERIFY(a);
    for (const char *room : { "/join #r1", "/join #r2" })
        a->sendLine(room);
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\* you are in #r2 now")));
    a->sendLine("/join #r3");
    EXPECT_LINE(a, QStringLiteral("! you are in 3 rooms, as many as one may be; /part one first"));
    auto b = joinPlain(port());
    QVERIFY(b);
    b->sendLine("/join #r3");
    b->sendLine("/join #r4");
    EXPECT_LINE(b, QRegularExpression(QStringLiteral("^\\* you are in #r4 now")));
    auto c = joinPlain(port());
    QVERIFY(c);
    c->sendLine("/join #r5");
    EXPECT_LINE(c, QRegularExpression(QStringLiteral("^! this server has 5 rooms")));
}

void tst_Rooms::fullServerMakesWayForANewRoom()
{
    // 5 rooms at most: #general and four more, each with a message so that none is dropped
    // when its people leave.
    auto a = joinPlain(port());
    auto b = joinPlain(port());
    QVERIFY(a && b);
    for (const char *room : { "#r1", "#r2" }) {
        a->sendLine(QByteArray("/join ") + room);
        a->sendLine(QByteArray("said in ") + room);
    }
    for (const char *room : { "#r3", "#r4" }) {
        b->sendLine(QByteArray("/join ") + room);
        b->sendLine(QByteArray("said in ") + room);
    }
    EXPECT_LINE(b, QRegularExpression(QStringLiteral("\\[#r4\\] .*: said in #r4$")));
    QCOMPARE(m_server->roomList().size(), 5);
    // While everyone is still in them, no new room.
    b->sendLine("/join #r5");
    EXPECT_LINE(b, QRegularExpression(QStringLiteral("^! this server has 5 rooms")));
    // Once nobody is in #r1 (the oldest), it makes way for #r5.
    a->sendLine("/part #r1");
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("left #r1")));
    auto c = joinPlain(port());
    QVERIFY(c);
    c->sendLine("/join #r5");
    EXPECT_LINE(c, QRegularExpression(QStringLiteral("^\\* you are in #r5 now")));
    QStringList names;
    for (const RoomInfo &room : m_server->roomList())
        names.append(room.name);
    QCOMPARE(names, (QStringList{ QStringLiteral("#general"), QStringLiteral("#r2"), QStringLiteral("#r3"),
                                  QStringLiteral("#r4"), QStringLiteral("#r5") }));
}

void tst_Rooms::adminClosesARoom()
{
    auto a = joinPlain(port());
    QVERIFY(a);
    a->sendLine("/part #general");
    EXPECT_LINE(a, QStringLiteral("* you are in no room now; /join #ROOM"));
    a->sendLine("hello?");
    EXPECT_LINE(a, QStringLiteral("! you are in no room; /join #ROOM first"));
    a->sendLine("/join #ops");
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\* you are in #ops now")));
    QSignalSpy changed(m_server.get(), &ChatServer::roomsChanged);
    QVERIFY(m_server->closeRoom(QStringLiteral("#OPS"), QStringLiteral("moving")));
    QVERIFY(!m_server->closeRoom(QStringLiteral("#general"), QString()));
    EXPECT_LINE(a, QStringLiteral("* %1 left #ops (closed by the admin: moving)").arg(a->nick()));
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\* you are in #general now")));
    QTRY_VERIFY(changed.count() > 0);
    QCOMPARE(m_server->roomList().size(), 1);
    QCOMPARE(m_server->roomsOf(m_server->findClient(a->nick())), QStringList{ QStringLiteral("#general") });
}

void tst_Rooms::upgradesADatabaseOfSchema1()
{
    // A database as groupchat 0.1 (schema 1, one room) left it.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("schema1"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(
                QStringLiteral("CREATE TABLE messages (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, sender "
                               "TEXT NOT NULL, text TEXT NOT NULL, kind INTEGER NOT NULL)")));
        QVERIFY(q.exec(
                QStringLiteral("CREATE TABLE bans (address TEXT PRIMARY KEY, since INTEGER NOT NULL)")));
        QVERIFY(q.exec(
                QStringLiteral("INSERT INTO messages VALUES (1, 1764000000000, 'ann', 'first', 0), (2, "
                               "1764000001000, 'ann', 'waves', 1)")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO bans VALUES ('192.0.2.7', 1764000000000)")));
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version=1")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("schema1"));
    m_server.reset();
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY2(m_server->openHistory(path), qPrintable(m_server->historyError()));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->isBanned(QHostAddress(QStringLiteral("192.0.2.7"))));
    QCOMPARE(m_server->lastMessageId(), 2u);
    QCOMPARE(m_server->roomMessageCount(QStringLiteral("#general")), 2);
    QJsonObject welcome;
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice"), 2, QString(), 0), &welcome);
    QVERIFY(alice);
    const QJsonArray history = welcome.value(u"history").toArray();
    QCOMPARE(texts(history), (QStringList{ QStringLiteral("first"), QStringLiteral("waves") }));
    QCOMPARE(history.at(1).toObject().value(u"room").toString(), QStringLiteral("#general"));
    QCOMPARE(history.at(1).toObject().value(u"kind").toString(), QStringLiteral("action"));
    alice.reset();
    m_server.reset(); // before its database's directory goes
}

// The file a user of 0.1 has (tests/data/README.md says how it was made): its messages become
// #general's, with their ids, senders, kinds and Unicode; its ban holds; new ids follow on.
void tst_Rooms::upgradesAFileMadeByVersion01()
{
    const QString fixture = QFINDTESTDATA("data/history-schema1.db");
    QVERIFY2(!fixture.isEmpty(), "tests/data/history-schema1.db is missing");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.db"));
    QVERIFY(QFile::copy(fixture, path));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    m_server.reset();
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY2(m_server->openHistory(path), qPrintable(m_server->historyError()));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->isBanned(QHostAddress(QStringLiteral("192.0.2.7"))));
    QCOMPARE(m_server->bannedSince(QHostAddress(QStringLiteral("192.0.2.7"))),
             QDateTime::fromMSecsSinceEpoch(1796013507000, Qt::UTC));
    QCOMPARE(m_server->lastMessageId(), 3u);
    QCOMPARE(m_server->roomMessageCount(QStringLiteral("#general")), 3);
    QJsonObject welcome;
    auto ann = joinJsonWith(port(), hello(QStringLiteral("ann"), 2, QString(), 0), &welcome);
    QVERIFY(ann);
    const QJsonArray history = welcome.value(u"history").toArray();
    QCOMPARE(texts(history),
             (QStringList{ QStringLiteral("你好 — unicode survives the upgrade 👋"),
                           QStringLiteral("first message, from before rooms"), QStringLiteral("waves") }));
    QCOMPARE(history.at(0).toObject().value(u"from").toString(), QStringLiteral("张伟"));
    QCOMPARE(history.at(2).toObject().value(u"kind").toString(), QStringLiteral("action"));
    for (const QJsonValue &message : history)
        QCOMPARE(message.toObject().value(u"room").toString(), QStringLiteral("#general"));
    // New messages go on from the file's last id, in the room the old ones went to.
    ann->sendLine(R"({"type":"say","text":"after the upgrade"})");
    EXPECT_JSON(ann, QStringLiteral("message"), [](const QJsonObject &m) {
        return m.value(u"text").toString() == u"after the upgrade" && m.value(u"id").toInteger() == 4 &&
               m.value(u"room").toString() == u"#general";
    });
    ann.reset();
    m_server.reset(); // before its database's directory goes
}

void tst_Rooms::roomsAndTheirHistoryOutliveARestart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.db"));
    ChatLimits limits;
    limits.floodControl = false;
    const auto restart = [&] {
        m_server.reset();
        m_server = std::make_unique<ChatServer>(limits);
        return m_server->openHistory(path) && m_server->listen(QHostAddress::LocalHost, 0);
    };
    QVERIFY(restart());
    {
        auto a = joinPlain(port());
        QVERIFY(a);
        a->sendLine("/join #k3");
        a->sendLine("kept in k3");
        EXPECT_LINE(a, QRegularExpression(QStringLiteral("\\[#k3\\] .*: kept in k3$")));
    }
    // After a restart the room is listed although nobody is in it, and someone joining and
    // leaving it takes nothing away.
    QVERIFY(restart());
    QStringList names;
    for (const RoomInfo &room : m_server->roomList())
        names.append(room.name);
    QCOMPARE(names, (QStringList{ QStringLiteral("#general"), QStringLiteral("#k3") }));
    {
        auto b = joinPlain(port());
        QVERIFY(b);
        b->sendLine("/join #k3");
        b->sendLine("/part #k3");
        EXPECT_LINE(b, QRegularExpression(QStringLiteral("left #k3$")));
    }
    QVERIFY(restart());
    QJsonObject welcome;
    auto c = joinJsonWith(port(), hello(QStringLiteral("carol"), 2, QString(), -1, { QStringLiteral("#k3") }),
                          &welcome);
    QVERIFY(c);
    c->sendLine(json({ { QStringLiteral("type"), QStringLiteral("history") },
                       { QStringLiteral("after"), 0 },
                       { QStringLiteral("room"), QStringLiteral("#k3") } }));
    QJsonObject history;
    EXPECT_JSON_AS(history, c, QStringLiteral("history"));
    QCOMPARE(history.value(u"room").toString(), QStringLiteral("#k3"));
    QCOMPARE(texts(history.value(u"messages").toArray()), QStringList{ QStringLiteral("kept in k3") });
    c.reset();
    m_server.reset();
}

void tst_Rooms::version2Details()
{
    // A weak identity is refused.
    TestClient weak;
    QVERIFY(weak.connectTo(port()));
    weak.sendLine(hello(QStringLiteral("weak"), 2, QStringLiteral("aaaaaaaaaaaaaaaa")));
    QJsonObject weakError;
    EXPECT_JSON_AS(weakError, weak, QStringLiteral("error"));
    QCOMPARE(weakError.value(u"code").toString(), QStringLiteral("bad-field"));
    // A version-1 client is told rooms are version 2's.
    auto old = joinJsonWith(port(), hello(QStringLiteral("old"), 1));
    QVERIFY(old);
    old->sendLine(request(QStringLiteral("join"), QStringLiteral("#dev")));
    QJsonObject oldError;
    EXPECT_JSON_AS(oldError, old, QStringLiteral("error"));
    QCOMPARE(oldError.value(u"code").toString(), QStringLiteral("unknown-type"));
    // Joining a room one is in answers with the room again.
    auto alice = joinJsonWith(port(), hello(QStringLiteral("alice")));
    QVERIFY(alice);
    alice->sendLine(request(QStringLiteral("join"), QStringLiteral("#general")));
    QJsonObject aliceRoom;
    EXPECT_JSON_AS(aliceRoom, alice, QStringLiteral("room"));
    QCOMPARE(aliceRoom.value(u"room").toObject().value(u"name").toString(), QStringLiteral("#general"));
}

QTEST_GUILESS_MAIN(tst_Rooms)
#include "tst_rooms.moc"
