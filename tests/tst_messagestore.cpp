// The history database on its own (MessageStore), and the server taking up where it left off
// with it: ids, recent history, resumes from further back than memory holds, bans.
#include "chatserver.h"
#include "clientsession.h"
#include "expect.h"
#include "messagestore.h"
#include "testclient.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

ChatMessage makeMessage(quint64 id, const QString &text,
                        const QDateTime &time = QDateTime::currentDateTimeUtc())
{
    ChatMessage message;
    message.id = id;
    // Stored to the millisecond.
    message.time = QDateTime::fromMSecsSinceEpoch(time.toMSecsSinceEpoch(), Qt::UTC);
    message.from = QStringLiteral("alice");
    message.text = text;
    message.kind = id % 2 ? ChatMessage::Kind::Say : ChatMessage::Kind::Action;
    message.room = QStringLiteral("#general");
    return message;
}

ChatMessage privateMessage(quint64 id)
{
    ChatMessage message = makeMessage(id, QStringLiteral("private %1").arg(id));
    message.room.clear();
    message.to = QStringLiteral("bob");
    message.fromIdentity = QByteArray(32, 'a');
    message.toIdentity = QByteArray(32, 'b');
    return message;
}

QList<quint64> ids(const QList<ChatMessage> &messages)
{
    QList<quint64> result;
    for (const ChatMessage &message : messages)
        result.append(message.id);
    return result;
}

} // namespace

class tst_MessageStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void storesAndReadsBack();
    void uncommittedIsNotStored();
    void trimsByCount();
    void trimsByAge();
    void trimsPrivateMessagesWhileRunning();
    void trimsByAgeWhenNothingIsYoungEnough();
    void keepsRoomsWithoutTopics();
    void onlyItsUserReadsIt();
    void bansPersist();
    void unusableDatabases_data();
    void unusableDatabases();
    void secondServerIsLockedOut();
    void logIsCheckpointedInTheBackground();

    void serverTakesUpWhereItLeftOff();
    void resumeReachesBackIntoTheDatabase();

private:
    QString path() const { return m_dir.path() + u"/sub/history.sqlite"; }

    QTemporaryDir m_dir;
};

void tst_MessageStore::init()
{
    QVERIFY(m_dir.isValid());
    QFile::remove(path());
}

void tst_MessageStore::storesAndReadsBack()
{
    QList<ChatMessage> written;
    {
        MessageStore store;
        QVERIFY2(store.open(path()), qPrintable(store.errorString()));
        QCOMPARE(store.lastId(), 0u);
        for (quint64 id = 1; id <= 5; ++id)
            written.append(makeMessage(id, QStringLiteral("message %1 <b>张伟</b> \"quoted\"").arg(id)));
        for (const ChatMessage &message : std::as_const(written))
            store.add(message);
        QVERIFY(store.hasPending());
        QVERIFY2(store.commit(), qPrintable(store.errorString()));
        QVERIFY(!store.hasPending());
    }
    MessageStore store;
    QVERIFY(store.open(path()));
    QCOMPARE(store.lastId(), 5u);
    QCOMPARE(store.firstId(), 1u);
    QCOMPARE(store.messageCount(), 5);
    QCOMPARE(store.recent(3), written.mid(2));
    QCOMPARE(store.recent(100), written);
    QCOMPARE(store.after(2, 100), written.mid(2));
    // A limit keeps the oldest (paging forward), or the newest (a resume).
    QCOMPARE(ids(store.after(0, 2)), (QList<quint64>{ 1, 2 }));
    QCOMPARE(ids(store.after(1, 2)), (QList<quint64>{ 2, 3 }));
    QCOMPARE(ids(store.after(0, 2, true)), (QList<quint64>{ 4, 5 }));
    QCOMPARE(store.after(5, 10), QList<ChatMessage>());
}

void tst_MessageStore::uncommittedIsNotStored()
{
    {
        MessageStore store;
        QVERIFY(store.open(path()));
        store.add(makeMessage(1, QStringLiteral("committed")));
        QVERIFY(store.commit());
        store.add(makeMessage(2, QStringLiteral("never committed")));
    }
    MessageStore store;
    QVERIFY(store.open(path()));
    QCOMPARE(ids(store.recent(10)), QList<quint64>{ 1 });
}

void tst_MessageStore::trimsByCount()
{
    MessageStore store;
    QVERIFY(store.open(path()));
    for (quint64 id = 1; id <= 30; ++id)
        store.add(makeMessage(id, QStringLiteral("m")));
    QVERIFY(store.commit());
    QCOMPARE(store.trim(0, 0), 0);
    QCOMPARE(store.trim(10, 0), 20);
    QCOMPARE(store.firstId(), 21u);
    QCOMPARE(store.lastId(), 30u);
    QCOMPARE(store.trim(10, 0), 0);
}

void tst_MessageStore::trimsByAge()
{
    MessageStore store;
    QVERIFY(store.open(path()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    store.add(makeMessage(1, QStringLiteral("ten days ago"), now.addDays(-10)));
    store.add(makeMessage(2, QStringLiteral("three days ago"), now.addDays(-3)));
    store.add(makeMessage(3, QStringLiteral("an hour ago"), now.addSecs(-3600)));
    store.add(makeMessage(4, QStringLiteral("now"), now));
    QVERIFY(store.commit());
    QCOMPARE(store.trim(0, 30), 0);
    QCOMPARE(store.trim(0, 7), 1);
    QCOMPARE(store.trim(0, 1), 1);
    QCOMPARE(ids(store.recent(10)), (QList<quint64>{ 3, 4 }));
    // Both limits at once: the stricter wins.
    QCOMPARE(store.trim(1, 1), 1);
    QCOMPARE(ids(store.recent(10)), QList<quint64>{ 4 });
}

void tst_MessageStore::bansPersist()
{
    {
        MessageStore store;
        QVERIFY(store.open(path()));
        QVERIFY(store.addBan(QStringLiteral("192.0.2.7")));
        QVERIFY(store.addBan(QStringLiteral("2001:db8::1")));
        QVERIFY(store.addBan(QStringLiteral("198.51.100.1")));
        QVERIFY(store.removeBan(QStringLiteral("198.51.100.1")));
    }
    MessageStore store;
    QVERIFY(store.open(path()));
    QStringList addresses;
    for (const auto &[address, since] : store.bans()) {
        addresses.append(address);
        QVERIFY(since.isValid() && since <= QDateTime::currentDateTimeUtc());
    }
    QCOMPARE(addresses, (QStringList{ QStringLiteral("192.0.2.7"), QStringLiteral("2001:db8::1") }));
}

void tst_MessageStore::unusableDatabases_data()
{
    QTest::addColumn<QByteArray>("contents"); // of the file at the path; empty: no file
    QTest::addColumn<QString>("where"); // the path, relative to the temporary directory
    QTest::addColumn<QString>("why");
    QTest::newRow("not a database") << QByteArray(8192, 'x') << QStringLiteral("garbage.sqlite")
                                    << QStringLiteral("file is not a database");
    QTest::newRow("directory is a file") << QByteArray("just a file") << QStringLiteral("file/history.sqlite")
                                         << QStringLiteral("cannot create the directory");
}

void tst_MessageStore::unusableDatabases()
{
    QFETCH(QByteArray, contents);
    QFETCH(QString, where);
    QFETCH(QString, why);
    const QString target = m_dir.path() + u'/' + where;
    QFile file(target.contains(u"file/") ? m_dir.path() + u"/file" : target);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(contents);
    file.close();
    MessageStore store;
    QVERIFY(!store.open(target));
    QVERIFY2(store.errorString().contains(why), qPrintable(store.errorString()));
    QVERIFY(!store.isOpen());
    // Nothing breaks for using it anyway.
    store.add(makeMessage(1, QStringLiteral("lost")));
    QVERIFY(store.commit());
    QCOMPARE(store.recent(5), QList<ChatMessage>());
}

void tst_MessageStore::secondServerIsLockedOut()
{
    {
        MessageStore first;
        QVERIFY(first.open(path()));
        first.add(makeMessage(1, QStringLiteral("mine")));
        QVERIFY(first.commit());
        MessageStore second;
        QVERIFY(!second.open(path()));
        QVERIFY2(second.errorString().contains(QStringLiteral("in use by another server")),
                 qPrintable(second.errorString()));
    }
    // Free again once the first has gone.
    MessageStore third;
    QVERIFY2(third.open(path()), qPrintable(third.errorString()));
    QCOMPARE(third.lastId(), quint64(1));
}

void tst_MessageStore::logIsCheckpointedInTheBackground()
{
    MessageStore store;
    QVERIFY(store.open(path()));
    // One message per commit, as under light load: every commit appends a page or more to the
    // log, which would pass 4 MB after 1000 of them without checkpoints.
    quint64 id = 0;
    for (int round = 1; round <= 10; ++round) {
        for (int i = 0; i < 100; ++i) {
            ++id;
            store.add(makeMessage(id, QStringLiteral("line %1").arg(id)));
            QVERIFY(store.commit());
        }
        QTRY_VERIFY_WITH_TIMEOUT(store.checkpointsCompleted() >= round, 10000);
    }
    QCOMPARE(store.messageCount(), qint64(1000));
    const qint64 logSize = QFileInfo(path() + QStringLiteral("-wal")).size();
    QVERIFY2(logSize > 0 && logSize < 2 * 1024 * 1024, qPrintable(QString::number(logSize)));
}

void tst_MessageStore::serverTakesUpWhereItLeftOff()
{
    const QHostAddress banned(QStringLiteral("192.0.2.99"));
    {
        ChatServer server;
        QVERIFY(server.openHistory(path()));
        QCOMPARE(server.historyPath(), path());
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        TestClient alice;
        QVERIFY(alice.connectTo(server.serverPort()));
        for (int i = 1; i <= 3; ++i)
            alice.sendLine("before the restart " + QByteArray::number(i));
        EXPECT_LINE(alice, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("before the restart 3")));
        server.ban(banned);
        QCOMPARE(server.lastMessageId(), 3u);
    }
    ChatServer server;
    QVERIFY(server.openHistory(path()));
    QCOMPARE(server.lastMessageId(), 3u);
    QCOMPARE(server.bans(), QList<QHostAddress>{ banned });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    TestClient bob;
    QVERIFY(bob.connectTo(server.serverPort()));
    // The greeting's history is what was said before.
    EXPECT_LINE(bob, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("before the restart 1")));
    EXPECT_LINE(bob, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("before the restart 3")));
    TestClient json;
    QVERIFY(json.connectTo(server.serverPort()));
    json.sendLine(R"({"type":"hello","version":1,"nick":"carol","since":1})");
    QJsonObject welcome;
    EXPECT_JSON_AS(welcome, json, QStringLiteral("welcome"));
    QCOMPARE(welcome.value(u"lastId").toInteger(), 3);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), true);
    QCOMPARE(welcome.value(u"history").toArray().size(), 2);
    QCOMPARE(welcome.value(u"history").toArray().at(0).toObject().value(u"id").toInteger(), 2);
    // Ids go on upwards.
    json.sendLine(R"({"type":"say","text":"after the restart"})");
    QJsonObject jsonMessage;
    EXPECT_JSON_AS(jsonMessage, json, QStringLiteral("message"));
    QCOMPARE(jsonMessage.value(u"id").toInteger(), 4);
    server.unban(banned);
    QVERIFY(server.bans().isEmpty());
}

void tst_MessageStore::resumeReachesBackIntoTheDatabase()
{
    ChatLimits limits;
    limits.historyInMemory = 10;
    limits.historyLines = 5;
    limits.historyKeep = 100;
    limits.floodControl = false;
    auto server = std::make_unique<ChatServer>(limits);
    QVERIFY(server->openHistory(path()));
    QVERIFY(server->listen(QHostAddress::LocalHost, 0));
    {
        TestClient alice;
        QVERIFY(alice.connectTo(server->serverPort()));
        for (int i = 1; i <= 150; ++i)
            alice.sendLine("line " + QByteArray::number(i));
        EXPECT_LINE(alice, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("line 150")));
    }
    const auto resume = [&](int since) {
        TestClient json;
        if (!json.connectTo(server->serverPort()))
            return JsonExpectation{ {}, "cannot connect" };
        json.sendLine(R"({"type":"hello","version":1,"since":)" + QByteArray::number(since) + '}');
        return expectJson(json, QStringLiteral("welcome"));
    };
    // From memory.
    QJsonObject welcome;
    EXPECT_FOUND(welcome, resume(145));
    QCOMPARE(welcome.value(u"history").toArray().size(), 5);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), true);
    // Further back than memory: the database, complete.
    EXPECT_FOUND(welcome, resume(60));
    QCOMPARE(welcome.value(u"history").toArray().size(), 90);
    QCOMPARE(welcome.value(u"history").toArray().at(0).toObject().value(u"text").toString(),
             QStringLiteral("line 61"));
    QCOMPARE(welcome.value(u"historyComplete").toBool(), true);
    // A history request pages forward from the database: the oldest after the id, and more.
    {
        TestClient json;
        QVERIFY(json.connectTo(server->serverPort()));
        json.sendLine(R"({"type":"hello","version":1})");
        EXPECT_JSON(json, QStringLiteral("welcome"));
        json.sendLine(R"({"type":"history","after":60,"limit":20})");
        QJsonObject page;
        EXPECT_JSON_AS(page, json, QStringLiteral("history"));
        const QJsonArray messages = page.value(u"messages").toArray();
        QCOMPARE(messages.size(), 20);
        QCOMPARE(messages.first().toObject().value(u"id").toInteger(), 61);
        QCOMPARE(messages.last().toObject().value(u"id").toInteger(), 80);
        QCOMPARE(page.value(u"complete").toBool(), true);
        QCOMPARE(page.value(u"more").toBool(), true);
    }

    // Further back than the database keeps (100 messages; applied on start and every minute):
    // what there is, and a gap.
    server.reset();
    server = std::make_unique<ChatServer>(limits);
    QVERIFY(server->openHistory(path()));
    QVERIFY(server->listen(QHostAddress::LocalHost, 0));
    EXPECT_FOUND(welcome, resume(10));
    QCOMPARE(welcome.value(u"history").toArray().size(), 100);
    QCOMPARE(welcome.value(u"history").toArray().at(0).toObject().value(u"id").toInteger(), 51);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), false);
}

void tst_MessageStore::trimsPrivateMessagesWhileRunning()
{
    // A private message's room is a null string; the trim of its conversation must still find
    // it (a null bound as NULL matched nothing, so private messages were never trimmed).
    MessageStore store;
    QVERIFY2(store.open(path()), qPrintable(store.errorString()));
    for (quint64 id = 1; id <= 9; ++id)
        store.add(privateMessage(id));
    QVERIFY2(store.commit(), qPrintable(store.errorString()));
    QCOMPARE(store.trim(5, 0, { QString() }), 4);
    QCOMPARE(store.messageCount(), 5);
    QCOMPARE(store.trimmedUpTo().value(QString()), 4u);
    // Each pair of people keeps its own: someone writing many private messages pushes out
    // only their own conversation's, not a quiet pair's.
    ChatMessage quiet = privateMessage(10);
    quiet.fromIdentity = QByteArray(32, 'c');
    quiet.toIdentity = QByteArray(32, 'd');
    store.add(quiet);
    for (quint64 id = 11; id <= 20; ++id)
        store.add(privateMessage(id));
    QVERIFY(store.commit());
    QCOMPARE(store.trim(5, 0, { QString() }), 10);
    QList<quint64> kept = ids(store.after(0, 100));
    QCOMPARE(kept, (QList<quint64>{ 10, 16, 17, 18, 19, 20 }));
    // Whoever wrote to whom: b's answers to a are the same conversation.
    ChatMessage answer = privateMessage(21);
    std::swap(answer.fromIdentity, answer.toIdentity);
    store.add(answer);
    QVERIFY(store.commit());
    QCOMPARE(store.trim(5, 0, { QString() }), 1);
    QCOMPARE(ids(store.after(0, 100)), (QList<quint64>{ 10, 17, 18, 19, 20, 21 }));
}

void tst_MessageStore::trimsByAgeWhenNothingIsYoungEnough()
{
    // A conversation with nothing young enough loses all of it, and its mark says up to its
    // newest message (not beyond: a later message elsewhere was not trimmed).
    MessageStore store;
    QVERIFY2(store.open(path()), qPrintable(store.errorString()));
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-10);
    store.add(makeMessage(1, QStringLiteral("old in the room"), old));
    store.add(makeMessage(2, QStringLiteral("old in the room too"), old));
    ChatMessage oldPrivate = privateMessage(3);
    oldPrivate.time = QDateTime::fromMSecsSinceEpoch(old.toMSecsSinceEpoch(), Qt::UTC);
    store.add(oldPrivate);
    ChatMessage otherOld = privateMessage(4);
    otherOld.time = oldPrivate.time;
    otherOld.fromIdentity = QByteArray(32, 'c');
    otherOld.toIdentity = QByteArray(32, 'd');
    store.add(otherOld);
    store.add(privateMessage(5)); // a-b, now
    ChatMessage elsewhere = makeMessage(6, QStringLiteral("now, elsewhere"));
    elsewhere.room = QStringLiteral("#other");
    store.add(elsewhere);
    QVERIFY2(store.commit(), qPrintable(store.errorString()));
    QCOMPARE(store.trim(0, 7, { QStringLiteral("#general") }), 2);
    QCOMPARE(store.trimmedUpTo().value(QStringLiteral("#general")), 2u);
    // The pairs: a-b keeps message 5, c-d loses all it had (4).
    QCOMPARE(store.trim(0, 7, { QString() }), 2);
    QCOMPARE(ids(store.after(0, 100)), (QList<quint64>{ 5, 6 }));
    QCOMPARE(store.trimmedUpTo().value(QString()), 4u);
}

void tst_MessageStore::keepsRoomsWithoutTopics()
{
    {
        MessageStore store;
        QVERIFY2(store.open(path()), qPrintable(store.errorString()));
        // A null topic and setter (a room made without one) are stored as empty texts.
        QVERIFY2(store.saveRoom({ QStringLiteral("#k3"), QString(), QString(), QDateTime() }),
                 qPrintable(store.errorString()));
        ChatMessage message = makeMessage(1, QStringLiteral("in k4"));
        message.room = QStringLiteral("#k4"); // its room row was lost
        store.add(message);
        QVERIFY(store.commit());
    }
    MessageStore store;
    QVERIFY(store.open(path()));
    QStringList names;
    for (const MessageStore::StoredRoom &room : store.rooms())
        names.append(room.name);
    names.sort();
    QCOMPARE(names, (QStringList{ QStringLiteral("#k3"), QStringLiteral("#k4") }));
}

void tst_MessageStore::onlyItsUserReadsIt()
{
    MessageStore store;
    QVERIFY2(store.open(path()), qPrintable(store.errorString()));
    store.add(privateMessage(1));
    QVERIFY(store.commit());
    const QFileDevice::Permissions permissions = QFileInfo(path()).permissions();
    QVERIFY2(!(permissions & (QFileDevice::ReadGroup | QFileDevice::ReadOther)),
             qPrintable(QString::number(int(permissions), 16)));
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
