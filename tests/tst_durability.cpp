// The history database as users meet it, through the real server process: a restart or a
// kill -9 loses nothing anyone saw, and a database that cannot be used costs the history,
// never the chat.
#include "expect.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

namespace {

// A JSON client's view of a welcome: its history as id -> text.
QMap<qint64, QString> historyOf(const QJsonObject &welcome)
{
    QMap<qint64, QString> messages;
    for (const QJsonValue &value : welcome.value(u"history").toArray())
        messages.insert(value.toObject().value(u"id").toInteger(),
                        value.toObject().value(u"text").toString());
    return messages;
}

// The welcome of client, connected to port and resuming after since (use with EXPECT_FOUND).
JsonExpectation helloSince(TestClient &client, quint16 port, qint64 since)
{
    if (!client.connectTo(port))
        return { {}, "cannot connect to port " + QByteArray::number(port) };
    client.sendLine(R"({"type":"hello","version":1,"since":)" + QByteArray::number(since) + '}');
    return expectJson(client, QStringLiteral("welcome"));
}

} // namespace

class tst_Durability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void restartKeepsHistoryAndIds();
    void killedUnderLoadLosesNothingAnyoneSaw();
    void memoryOnlyKeepsNothing();
    void unusableDatabaseStillChats();
    void fullDiskStillChats();
};

void tst_Durability::restartKeepsHistoryAndIds()
{
    ServerProcess server;
    quint16 port = server.start({ QStringLiteral("--headless") });
    QVERIFY(port != 0);
    {
        TestClient alice;
        QVERIFY(alice.connectTo(port));
        for (const char *line : { "one", "two", "three" })
            alice.sendLine(line);
        EXPECT_LINE(alice, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("three")));
    }
    QVERIFY(server.stop(SIGTERM));
    // In the platform's data directory by default.
    QVERIFY(QFile::exists(server.homePath() + u"/data/groupchat/groupchat-server/history.sqlite"));

    port = server.start({ QStringLiteral("--headless") });
    QVERIFY(port != 0);
    QVERIFY(server.output().contains(QStringLiteral("3 message(s), the last id 3")));
    TestClient bob;
    QVERIFY(bob.connectTo(port));
    EXPECT_LINE(bob, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("one")));
    EXPECT_LINE(bob, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("three")));
    // A desktop client that had message 1 gets exactly what it missed, across the restart.
    TestClient carol;
    QJsonObject welcome;
    EXPECT_FOUND(welcome, helloSince(carol, port, 1));
    QCOMPARE(welcome.value(u"lastId").toInteger(), 3);
    QCOMPARE(welcome.value(u"historyComplete").toBool(), true);
    QCOMPARE(historyOf(welcome),
             (QMap<qint64, QString>{ { 2, QStringLiteral("two") }, { 3, QStringLiteral("three") } }));
    carol.sendLine(R"({"type":"say","text":"four"})");
    QJsonObject carolMessage;
    EXPECT_JSON_AS(carolMessage, carol, QStringLiteral("message"));
    QCOMPARE(carolMessage.value(u"id").toInteger(), 4);
    QVERIFY(server.stop(SIGTERM));
}

void tst_Durability::killedUnderLoadLosesNothingAnyoneSaw()
{
    ServerProcess server;
    const QString database = server.homePath() + u"/load.sqlite";
    const QStringList options{
        QStringLiteral("--headless"), QStringLiteral("--db"), database, QStringLiteral("--flood"),
        QStringLiteral("off"), QStringLiteral("--max-sendq"), QStringLiteral("67108864"),
        QStringLiteral("--soft-sendq"), QStringLiteral("67108864"),
        // Keep everything: with the default 10000 a fast server trims what the test compares.
        QStringLiteral("--history-keep"), QStringLiteral("0")
    };
    quint16 port = server.start(options);
    QVERIFY(port != 0);
    TestClient observer;
    QJsonObject observerWelcome;
    EXPECT_FOUND(observerWelcome, helloSince(observer, port, 0));
    TestClient sender;
    QVERIFY(sender.connectTo(port));
    constexpr int total = 20000;
    for (int i = 0; i < total; ++i)
        sender.sendLine("load " + QByteArray::number(i));
    const auto received = [&observer] {
        QMap<qint64, QString> messages;
        for (const QString &line : observer.lines()) {
            const QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            if (object.value(u"type").toString() == u"message")
                messages.insert(object.value(u"id").toInteger(), object.value(u"text").toString());
        }
        return messages;
    };
    QVERIFY(QTest::qWaitFor([&] { return received().size() >= 2000; }, 20000));
    server.kill();
    const QMap<qint64, QString> seen = received();
    qInfo("the observer saw %d of %d messages before the kill", int(seen.size()), total);

    port = server.start(options);
    QVERIFY(port != 0);
    TestClient after;
    QJsonObject welcome;
    EXPECT_FOUND(welcome, helloSince(after, port, 0));
    const QMap<qint64, QString> stored = historyOf(welcome);
    QVERIFY(welcome.value(u"historyComplete").toBool());
    QVERIFY(stored.size() >= seen.size());
    for (auto it = seen.begin(); it != seen.end(); ++it)
        QVERIFY2(stored.value(it.key()) == it.value(),
                 qPrintable(QStringLiteral("message %1 (%2) was seen but not stored")
                                    .arg(it.key())
                                    .arg(it.value())));
    // And ids go on from the last stored one.
    after.sendLine(R"({"type":"say","text":"after the crash"})");
    QJsonObject afterMessage;
    EXPECT_JSON_AS(afterMessage, after, QStringLiteral("message"));
    QCOMPARE(afterMessage.value(u"id").toInteger(), stored.lastKey() + 1);
    QVERIFY(server.stop(SIGTERM));
}

void tst_Durability::memoryOnlyKeepsNothing()
{
    ServerProcess server;
    const QStringList options{ QStringLiteral("--headless"), QStringLiteral("--db"),
                               QStringLiteral(":memory:") };
    quint16 port = server.start(options);
    QVERIFY(port != 0);
    {
        TestClient alice;
        QVERIFY(alice.connectTo(port));
        alice.sendLine("forgotten");
        EXPECT_LINE(alice, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("forgotten")));
    }
    QVERIFY(server.stop(SIGTERM));
    port = server.start(options);
    QVERIFY(port != 0);
    TestClient bob;
    QJsonObject welcome;
    EXPECT_FOUND(welcome, helloSince(bob, port, 0));
    QCOMPARE(welcome.value(u"lastId").toInteger(), 0);
    QVERIFY(welcome.value(u"history").toArray().isEmpty());
    QVERIFY(!QDir(server.homePath() + u"/data").exists());
    QVERIFY(server.stop(SIGTERM));
}

void tst_Durability::unusableDatabaseStillChats()
{
    ServerProcess server;
    QFile blocker(server.homePath() + u"/not-a-directory");
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const quint16 port = server.start({ QStringLiteral("--headless"), QStringLiteral("--db"),
                                        blocker.fileName() + u"/history.sqlite" });
    QVERIFY(port != 0);
    QVERIFY2(server.output().contains(QStringLiteral("cannot use the history database")) &&
                     server.output().contains(QStringLiteral("history is kept in memory only")),
             qPrintable(server.output()));
    TestClient alice;
    TestClient bob;
    QVERIFY(alice.connectTo(port) && bob.connectTo(port));
    alice.sendLine("still here");
    EXPECT_LINE(bob, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("still here")));
    QVERIFY(server.stop(SIGTERM));
}

void tst_Durability::fullDiskStillChats()
{
    // A file size limit stands in for a full disk: writes past it fail (EFBIG) as they would
    // with ENOSPC, and nothing else about the machine changes.
    ServerProcess server;
    server.setChildModifier([] {
        const rlimit limit{ 64 * 1024, 64 * 1024 };
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    const quint16 port = server.start({ QStringLiteral("--headless"), QStringLiteral("--db"),
                                        server.homePath() + u"/full.sqlite", QStringLiteral("--flood"),
                                        QStringLiteral("off") });
    QVERIFY(port != 0);
    TestClient alice;
    TestClient bob;
    QVERIFY(alice.connectTo(port) && bob.connectTo(port));
    const QByteArray padding(200, '.');
    for (int i = 0; i < 1000; ++i)
        alice.sendLine("message " + QByteArray::number(i) + ' ' + padding);
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("guest1: message 999 ")), 20000);
    // Everyone got everything; the log says what happened, once.
    QCOMPARE(bob.lines().filter(QRegularExpression(QStringLiteral("guest1: message \\d+ "))).size(), 1000);
    QVERIFY(server.waitForOutput(QRegularExpression(QStringLiteral("cannot write the history database"))));
    QCOMPARE(server.output().count(QStringLiteral("cannot write the history database")), 1);
    QVERIFY(server.stop(SIGTERM));
}

QTEST_GUILESS_MAIN(tst_Durability)
#include "tst_durability.moc"
