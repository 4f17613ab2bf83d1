// A JSON "history" request with "before": older messages of one room or one private
// conversation, newest-first bounded and returned oldest first, never anything the requester
// may not read; from memory alone and from the history database. Real sockets on loopback.
#include "chatlimits.h"
#include "chatserver.h"
#include "expect.h"
#include "jsonprotocol.h"
#include "jsontext.h"
#include "readersfixture.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

QByteArray hello(const QString &nick, const QString &identity)
{
    return json({ { QStringLiteral("type"), QStringLiteral("hello") },
                  { QStringLiteral("version"), JsonProtocol::version },
                  { QStringLiteral("nick"), nick },
                  { QStringLiteral("identity"), identity } });
}

// "m1".."mN": the messages named by a range, first to last.
QStringList named(const QString &prefix, int first, int last)
{
    QStringList list;
    for (int i = first; i <= last; ++i)
        list.append(prefix + QString::number(i));
    return list;
}

} // namespace

class tst_OlderHistory : public QObject, public ReadersFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void olderMessages_data();
    void olderMessages();
    void badRequestsAreRefusedAndTheConnectionStays_data();
    void badRequestsAreRefusedAndTheConnectionStays();
    void aLaterHolderOfTheNickReadsNothing_data();
    void aLaterHolderOfTheNickReadsNothing();

private:
    // Their messages: alice's m1..m10 in #general, carol's o1..o3 in #other, alice's private
    // p1..p3 to bob; m_ids holds each text's id.
    bool populate();

    QHash<QString, quint64> m_ids;
};

void tst_OlderHistory::init()
{
    QVERIFY(m_dir.isValid());
}

void tst_OlderHistory::cleanup()
{
    stopServer();
    m_ids.clear();
}

bool tst_OlderHistory::populate()
{
    if (!joinReaders())
        return false;
    const auto said = [this](TestClient &who, const QJsonObject &request, const QString &type) {
        const quint64 id = ReadersFixture::said(who, request, type);
        m_ids.insert(request.value(u"text").toString(), id);
        return id > 0;
    };
    for (const QString &text : named(QStringLiteral("m"), 1, 10)) {
        if (!said(*m_alice,
                  { { QStringLiteral("type"), QStringLiteral("say") }, { QStringLiteral("text"), text } },
                  QStringLiteral("message")))
            return false;
    }
    for (const QString &text : named(QStringLiteral("o"), 1, 3)) {
        if (!said(*m_carol,
                  { { QStringLiteral("type"), QStringLiteral("say") },
                    { QStringLiteral("room"), QStringLiteral("#other") },
                    { QStringLiteral("text"), text } },
                  QStringLiteral("message")))
            return false;
    }
    for (const QString &text : named(QStringLiteral("p"), 1, 3)) {
        if (!said(*m_alice,
                  { { QStringLiteral("type"), QStringLiteral("private") },
                    { QStringLiteral("to"), QStringLiteral("bob") },
                    { QStringLiteral("text"), text } },
                  QStringLiteral("private")))
            return false;
    }
    return true;
}

void tst_OlderHistory::olderMessages_data()
{
    QTest::addColumn<bool>("database");
    QTest::addColumn<QString>("asker"); // alice, bob or carol
    QTest::addColumn<QString>("room"); // or empty
    QTest::addColumn<QString>("to"); // or empty
    QTest::addColumn<QString>("before"); // a message's text (its id), or "end": past the newest
    QTest::addColumn<int>("limit"); // 0: not given
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("more");
    QTest::addColumn<QString>("error"); // expected error code instead; empty: a history

    const QString general = QStringLiteral("#general");
    const QString alice = QStringLiteral("alice"), bob = QStringLiteral("bob"),
                  carol = QStringLiteral("carol");
    for (const bool database : { false, true }) {
        const char *where = database ? "database" : "memory";
        QTest::addRow("%s: room, before one in the middle", where)
                << database << alice << general << QString() << QStringLiteral("m6") << 3
                << named(QStringLiteral("m"), 3, 5) << true << QString();
        QTest::addRow("%s: room, limit 1", where)
                << database << bob << general << QString() << QStringLiteral("m10") << 1
                << QStringList{ QStringLiteral("m9") } << true << QString();
        QTest::addRow("%s: room, the last page", where)
                << database << alice << general << QString() << QStringLiteral("m4") << 3
                << named(QStringLiteral("m"), 1, 3) << false << QString();
        QTest::addRow("%s: room, limit beyond what there is", where)
                << database << alice << general << QString() << QStringLiteral("m4") << 50
                << named(QStringLiteral("m"), 1, 3) << false << QString();
        QTest::addRow("%s: room, before the oldest", where)
                << database << alice << general << QString() << QStringLiteral("m1") << 0 << QStringList()
                << false << QString();
        QTest::addRow("%s: room, no limit, from the end", where)
                << database << alice << general << QString() << QStringLiteral("end") << 0
                << named(QStringLiteral("m"), 1, 10) << false << QString();
        QTest::addRow("%s: room, a limit too large is cut", where)
                << database << alice << general << QString() << QStringLiteral("end") << 1000000
                << named(QStringLiteral("m"), 1, 10) << false << QString();
        QTest::addRow("%s: room, other rooms' messages are not counted", where)
                << database << carol << QStringLiteral("#other") << QString() << QStringLiteral("end") << 2
                << named(QStringLiteral("o"), 2, 3) << true << QString();
        QTest::addRow("%s: a room the asker is not in", where)
                << database << carol << general << QString() << QStringLiteral("end") << 0 << QStringList()
                << false << QStringLiteral("not-in-room");
        QTest::addRow("%s: another room the asker is not in", where)
                << database << alice << QStringLiteral("#other") << QString() << QStringLiteral("end") << 0
                << QStringList() << false << QStringLiteral("not-in-room");
        QTest::addRow("%s: a room that does not exist", where)
                << database << alice << QStringLiteral("#nowhere") << QString() << QStringLiteral("end") << 0
                << QStringList() << false << QStringLiteral("no-such-room");
        QTest::addRow("%s: private, the sender", where)
                << database << alice << QString() << bob << QStringLiteral("end") << 0
                << named(QStringLiteral("p"), 1, 3) << false << QString();
        QTest::addRow("%s: private, the recipient, a page", where)
                << database << bob << QString() << QStringLiteral("ALICE") << QStringLiteral("p3") << 1
                << QStringList{ QStringLiteral("p2") } << true << QString();
        QTest::addRow("%s: private, someone else's conversation with bob", where)
                << database << carol << QString() << bob << QStringLiteral("end") << 0 << QStringList()
                << false << QString();
        QTest::addRow("%s: private, someone else's conversation with alice", where)
                << database << carol << QString() << alice << QStringLiteral("end") << 0 << QStringList()
                << false << QString();
        QTest::addRow("%s: private, not a nick", where)
                << database << alice << QString() << QStringLiteral("#general") << QStringLiteral("end") << 0
                << QStringList() << false << QStringLiteral("invalid-nick");
    }
}

void tst_OlderHistory::olderMessages()
{
    QFETCH(bool, database);
    QFETCH(QString, asker);
    QFETCH(QString, room);
    QFETCH(QString, to);
    QFETCH(QString, before);
    QFETCH(int, limit);
    QFETCH(QStringList, expected);
    QFETCH(bool, more);
    QFETCH(QString, error);
    QVERIFY(startServer(database));
    QVERIFY(populate());

    TestClient &client = asker == u"alice" ? *m_alice : asker == u"bob" ? *m_bob : *m_carol;
    const quint64 beforeId = before == u"end" ? m_server->lastMessageId() + 1 : m_ids.value(before);
    QVERIFY2(beforeId > 0, qPrintable(before));
    QJsonObject request{ { QStringLiteral("type"), QStringLiteral("history") },
                         { QStringLiteral("before"), qint64(beforeId) } };
    if (!room.isEmpty())
        request.insert(QStringLiteral("room"), room);
    if (!to.isEmpty())
        request.insert(QStringLiteral("to"), to);
    if (limit > 0)
        request.insert(QStringLiteral("limit"), limit);
    // A request no conversation can answer is logged (once, with who asked).
    if (error == u"invalid-nick")
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("asked for the history with .* "
                                                                             "cannot be a nick")));
    client.sendLine(json(request));

    if (!error.isEmpty()) {
        QJsonObject refusal;
        EXPECT_JSON_AS(refusal, client, QStringLiteral("error"));
        QCOMPARE(refusal.value(u"code").toString(), error);
        return;
    }
    QJsonObject history;
    EXPECT_JSON_AS(history, client, QStringLiteral("history"),
                   [](const QJsonObject &o) { return o.contains(QLatin1String("before")); });
    const QByteArray arrived = QJsonDocument(history).toJson(QJsonDocument::Compact);
    QCOMPARE(quint64(history.value(u"before").toInteger()), beforeId);
    QVERIFY2(!history.contains(QLatin1String("after")), arrived.constData());
    if (!room.isEmpty())
        QCOMPARE(history.value(u"room").toString(), room);
    else
        QCOMPARE(history.value(u"to").toString().toLower(), to.toLower());
    QCOMPARE(texts(history.value(u"messages").toArray()), expected);
    QVERIFY2(history.value(u"more").toBool() == more, arrived.constData());
    // Oldest first, every one before the id asked about.
    quint64 previous = 0;
    for (const QJsonValue &message : history.value(u"messages").toArray()) {
        const quint64 id = quint64(message.toObject().value(u"id").toInteger());
        QVERIFY2(id > previous && id < beforeId, arrived.constData());
        previous = id;
    }
}

void tst_OlderHistory::badRequestsAreRefusedAndTheConnectionStays_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("says"); // part of the error's text

    QTest::newRow("after and before")
            << QByteArray(R"({"type":"history","after":1,"before":5,"room":"#general"})")
            << QStringLiteral("bad-field") << QStringLiteral("cannot both");
    QTest::newRow("before 0") << QByteArray(R"({"type":"history","before":0,"room":"#general"})")
                              << QStringLiteral("bad-field") << QStringLiteral("\"before\"");
    QTest::newRow("negative before") << QByteArray(R"({"type":"history","before":-5,"room":"#general"})")
                                     << QStringLiteral("bad-field") << QStringLiteral("whole number");
    QTest::newRow("before as text") << QByteArray(R"({"type":"history","before":"5","room":"#general"})")
                                    << QStringLiteral("bad-field") << QStringLiteral("whole number");
    QTest::newRow("fractional before") << QByteArray(R"({"type":"history","before":5.5,"room":"#general"})")
                                       << QStringLiteral("bad-field") << QStringLiteral("whole number");
    QTest::newRow("huge before") << QByteArray(R"({"type":"history","before":1e300,"room":"#general"})")
                                 << QStringLiteral("bad-field") << QStringLiteral("whole number");
    QTest::newRow("no conversation") << QByteArray(R"({"type":"history","before":5})")
                                     << QStringLiteral("bad-field") << QStringLiteral("needs one of");
    QTest::newRow("room and to") << QByteArray(
                                            R"({"type":"history","before":5,"room":"#general","to":"bob"})")
                                 << QStringLiteral("bad-field") << QStringLiteral("needs one of");
    QTest::newRow("to without before") << QByteArray(R"({"type":"history","after":5,"to":"bob"})")
                                       << QStringLiteral("bad-field") << QStringLiteral("\"to\"");
    QTest::newRow("empty to") << QByteArray(R"({"type":"history","before":5,"to":""})")
                              << QStringLiteral("bad-field") << QStringLiteral("empty");
    QTest::newRow("negative limit")
            << QByteArray(R"({"type":"history","before":5,"room":"#general","limit":-1})")
            << QStringLiteral("bad-field") << QStringLiteral("limit");
    QTest::newRow("unknown field") << QByteArray(R"({"type":"history","before":5,"room":"#general","x":1})")
                                   << QStringLiteral("bad-field") << QStringLiteral("\"x\"");
    QTest::newRow("a bad room name") << QByteArray(R"({"type":"history","before":5,"room":"no spaces here"})")
                                     << QStringLiteral("invalid-room") << QString();
}

void tst_OlderHistory::badRequestsAreRefusedAndTheConnectionStays()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, code);
    QFETCH(QString, says);
    QVERIFY(startServer(false));
    auto client =
            joinJsonWith(port(), hello(QStringLiteral("alice"), QStringLiteral("alice-identity-0123456789")));
    QVERIFY(client);
    // Logged, saying who sent what (the test fails if it is not).
    if (code == u"bad-field")
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("^alice .* sent a bad request: ")));
    client->sendLine(line);
    QJsonObject refusal;
    EXPECT_JSON_AS(refusal, client, QStringLiteral("error"));
    QCOMPARE(refusal.value(u"code").toString(), code);
    QVERIFY2(refusal.value(u"text").toString().contains(says), qPrintable(refusal.value(u"text").toString()));
    // Still connected, still answering.
    client->sendLine(R"({"type":"ping","token":"still-there"})");
    EXPECT_JSON(client, QStringLiteral("pong"),
                [](const QJsonObject &o) { return o.value(u"token") == QLatin1String("still-there"); });
}

void tst_OlderHistory::aLaterHolderOfTheNickReadsNothing_data()
{
    QTest::addColumn<bool>("database");
    QTest::newRow("memory") << false;
    QTest::newRow("database") << true;
}

void tst_OlderHistory::aLaterHolderOfTheNickReadsNothing()
{
    QFETCH(bool, database);
    QVERIFY(startServer(database));
    QVERIFY(populate());
    // alice goes; someone else takes her nick and asks for her conversation with bob.
    m_alice->disconnectFromServer();
    QTRY_VERIFY(!m_server->findClient(QStringLiteral("alice")));
    auto mallory =
            joinJsonWith(port(), hello(QStringLiteral("alice"), QStringLiteral("mallory-identity-01234567")));
    QVERIFY(mallory);
    mallory->sendLine(R"({"type":"history","before":1000,"to":"bob"})");
    QJsonObject history;
    EXPECT_JSON_AS(history, mallory, QStringLiteral("history"),
                   [](const QJsonObject &o) { return o.contains(QLatin1String("before")); });
    QVERIFY2(history.value(u"messages").toArray().isEmpty(), QJsonDocument(history).toJson().constData());
    QCOMPARE(history.value(u"more").toBool(), false);
    // bob, asking the other way, still has all of it.
    m_bob->sendLine(R"({"type":"history","before":1000,"to":"alice"})");
    EXPECT_JSON_AS(history, m_bob, QStringLiteral("history"),
                   [](const QJsonObject &o) { return o.contains(QLatin1String("before")); });
    QCOMPARE(texts(history.value(u"messages").toArray()), named(QStringLiteral("p"), 1, 3));
}

QTEST_MAIN(tst_OlderHistory)
#include "tst_olderhistory.moc"
