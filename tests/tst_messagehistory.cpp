#include "messagehistory.h"

#include <QTest>

namespace {

const QDateTime epoch = QDateTime(QDate(2026, 1, 1), QTime(12, 0), Qt::UTC);

// A room's message: id, its room, said `second` seconds after epoch (default: id seconds).
ChatMessage roomMessage(quint64 id, const QString &room, int second = -1)
{
    ChatMessage message;
    message.id = id;
    message.time = epoch.addSecs(second < 0 ? qint64(id) : second);
    message.from = QStringLiteral("alice");
    message.text = QStringLiteral("message %1").arg(id);
    message.room = room;
    return message;
}

// A private message between the identities from and to.
ChatMessage privateMessage(quint64 id, const QByteArray &from, const QByteArray &to)
{
    ChatMessage message;
    message.id = id;
    message.time = epoch.addSecs(qint64(id));
    message.from = QStringLiteral("alice");
    message.to = QStringLiteral("bob");
    message.text = QStringLiteral("private %1").arg(id);
    message.fromIdentity = from;
    message.toIdentity = to;
    return message;
}

// The ids of messages, to compare and print.
QList<quint64> ids(const QList<ChatMessage> &messages)
{
    QList<quint64> result;
    for (const ChatMessage &message : messages)
        result.append(message.id);
    return result;
}

QString toString(const QList<quint64> &ids)
{
    QStringList texts;
    for (quint64 id : ids)
        texts.append(QString::number(id));
    return texts.join(u' ');
}

QList<quint64> heldIds(const MessageHistory &history)
{
    return ids(history.after(0));
}

// Messages 1..n alternating between #a (odd ids) and #b (even ids).
MessageHistory alternating(int capacity, int n)
{
    MessageHistory history(capacity);
    for (int id = 1; id <= n; ++id)
        history.append(roomMessage(quint64(id), id % 2 ? QStringLiteral("#a") : QStringLiteral("#b")));
    return history;
}

const QString roomA = QStringLiteral("#a");
const QString roomB = QStringLiteral("#b");
const QByteArray alice = QByteArrayLiteral("alice-identity-hash");
const QByteArray bob = QByteArrayLiteral("bob-identity-hash");
const QByteArray carol = QByteArrayLiteral("carol-identity-hash");

} // namespace

Q_DECLARE_METATYPE(ChatMessage)

// MessageHistory and HistoryScope (src/server/core/messagehistory.h): the newest messages of every
// conversation, bounded, searched by id, filtered per client; and what it knows about what it
// let go, per room.
class tst_MessageHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void capacity_data();
    void capacity();
    void recent_data();
    void recent();
    void after_data();
    void after();
    void holdsEverythingAfterEvictions_data();
    void holdsEverythingAfterEvictions();
    void capacityZeroHoldsNothing();
    void setDroppedUpTo();
    void dropOlderThan();
    void forget();
    void setCapacityShrinking();
    void setCapacityGrowing();
    void scopeIncludes_data();
    void scopeIncludes();
    void scopeConversations();
    void scopeAsFilter();
};

void tst_MessageHistory::capacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended");
    QTest::addColumn<int>("expectedCapacity");
    QTest::addColumn<QList<quint64>>("held");

    QTest::newRow("under capacity") << 5 << 3 << 5 << QList<quint64>{ 1, 2, 3 };
    QTest::newRow("exactly full") << 3 << 3 << 3 << QList<quint64>{ 1, 2, 3 };
    QTest::newRow("one over") << 3 << 4 << 3 << QList<quint64>{ 2, 3, 4 };
    QTest::newRow("far over") << 3 << 100 << 3 << QList<quint64>{ 98, 99, 100 };
    QTest::newRow("capacity one") << 1 << 5 << 1 << QList<quint64>{ 5 };
    QTest::newRow("capacity zero") << 0 << 5 << 0 << QList<quint64>{};
    QTest::newRow("negative capacity is zero") << -7 << 5 << 0 << QList<quint64>{};
}

void tst_MessageHistory::capacity()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    QFETCH(int, expectedCapacity);
    QFETCH(QList<quint64>, held);

    MessageHistory history = alternating(capacity, appended);
    QCOMPARE(history.capacity(), expectedCapacity);
    QCOMPARE(history.size(), int(held.size()));
    QCOMPARE(heldIds(history), held);
}

void tst_MessageHistory::recent_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("room"); // empty: no filter
    QTest::addColumn<QList<quint64>>("expected");

    // Held: 1..9, #a odd ids, #b even ones.
    QTest::newRow("last three") << 3 << QString() << QList<quint64>{ 7, 8, 9 };
    QTest::newRow("last one") << 1 << QString() << QList<quint64>{ 9 };
    QTest::newRow("all, exactly") << 9 << QString() << QList<quint64>{ 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    QTest::newRow("more than held") << 50 << QString() << QList<quint64>{ 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    QTest::newRow("none") << 0 << QString() << QList<quint64>{};
    QTest::newRow("negative") << -3 << QString() << QList<quint64>{};
    QTest::newRow("filtered, last two of #a") << 2 << roomA << QList<quint64>{ 7, 9 };
    QTest::newRow("filtered, last three of #b") << 3 << roomB << QList<quint64>{ 4, 6, 8 };
    QTest::newRow("filtered, more than match") << 50 << roomB << QList<quint64>{ 2, 4, 6, 8 };
    QTest::newRow("filtered, none") << 0 << roomA << QList<quint64>{};
    QTest::newRow("filtered, negative") << -1 << roomA << QList<quint64>{};
    QTest::newRow("filtered, nothing matches") << 5 << QStringLiteral("#c") << QList<quint64>{};
}

void tst_MessageHistory::recent()
{
    QFETCH(int, count);
    QFETCH(QString, room);
    QFETCH(QList<quint64>, expected);

    const MessageHistory history = alternating(100, 9);
    const QList<ChatMessage> found =
            room.isEmpty() ? history.recent(count)
                           : history.recent(count, [&room](const ChatMessage &m) { return m.room == room; });
    QCOMPARE(ids(found), expected);
    // Whole messages, not just their ids.
    for (const ChatMessage &message : found)
        QCOMPARE(message.text, QStringLiteral("message %1").arg(message.id));
}

void tst_MessageHistory::after_data()
{
    QTest::addColumn<QList<quint64>>("appended"); // odd ids #a, even ones #b
    QTest::addColumn<int>("capacity");
    QTest::addColumn<quint64>("id");
    QTest::addColumn<QString>("room"); // empty: no filter
    QTest::addColumn<QList<quint64>>("expected");

    const QList<quint64> gaps{ 10, 20, 21, 30, 45 };
    QTest::newRow("after zero: everything") << gaps << 10 << quint64(0) << QString() << gaps;
    QTest::newRow("after the first") << gaps << 10 << quint64(10) << QString()
                                     << QList<quint64>{ 20, 21, 30, 45 };
    QTest::newRow("after an id in a gap")
            << gaps << 10 << quint64(25) << QString() << QList<quint64>{ 30, 45 };
    QTest::newRow("after the last: nothing") << gaps << 10 << quint64(45) << QString() << QList<quint64>{};
    QTest::newRow("after a later id: nothing")
            << gaps << 10 << quint64(1000) << QString() << QList<quint64>{};
    QTest::newRow("before the oldest held: all held")
            << gaps << 3 << quint64(5) << QString() << QList<quint64>{ 21, 30, 45 };
    QTest::newRow("filtered, #a") << gaps << 10 << quint64(0) << roomA << QList<quint64>{ 21, 45 };
    QTest::newRow("filtered, #b after 10") << gaps << 10 << quint64(10) << roomB << QList<quint64>{ 20, 30 };
    QTest::newRow("filtered, nothing matches")
            << gaps << 10 << quint64(0) << QStringLiteral("#c") << QList<quint64>{};
    QTest::newRow("empty history") << QList<quint64>{} << 10 << quint64(0) << QString() << QList<quint64>{};
    QTest::newRow("the largest id") << QList<quint64>{ 1, std::numeric_limits<quint64>::max() } << 10
                                    << quint64(1) << QString()
                                    << QList<quint64>{ std::numeric_limits<quint64>::max() };
}

void tst_MessageHistory::after()
{
    QFETCH(QList<quint64>, appended);
    QFETCH(int, capacity);
    QFETCH(quint64, id);
    QFETCH(QString, room);
    QFETCH(QList<quint64>, expected);

    MessageHistory history(capacity);
    for (quint64 appendedId : appended)
        history.append(roomMessage(appendedId, appendedId % 2 ? roomA : roomB, 0));
    const QList<ChatMessage> found =
            room.isEmpty() ? history.after(id)
                           : history.after(id, [&room](const ChatMessage &m) { return m.room == room; });
    QCOMPARE(ids(found), expected);
}

void tst_MessageHistory::holdsEverythingAfterEvictions_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended"); // 1..n, #a odd ids, #b even ones
    QTest::addColumn<quint64>("id");
    QTest::addColumn<QStringList>("conversations"); // empty: the overload without them
    QTest::addColumn<bool>("expected");

    const QStringList all;
    const QStringList a{ roomA };
    const QStringList b{ roomB };
    const QStringList both{ roomA, roomB };

    // Nothing evicted: everything is held whatever the id.
    QTest::newRow("nothing let go, after 0") << 10 << 5 << quint64(0) << all << true;
    QTest::newRow("nothing let go, after 0, per room") << 10 << 5 << quint64(0) << both << true;

    // Capacity 4, 1..6 appended: 1 (#a) and 2 (#b) were let go.
    QTest::newRow("evicted, after 0") << 4 << 6 << quint64(0) << all << false;
    QTest::newRow("evicted, after 1") << 4 << 6 << quint64(1) << all << false;
    QTest::newRow("evicted, after 2") << 4 << 6 << quint64(2) << all << true;
    QTest::newRow("evicted, after a later id") << 4 << 6 << quint64(100) << all << true;
    QTest::newRow("evicted, #a after 0") << 4 << 6 << quint64(0) << a << false;
    QTest::newRow("evicted, #a after 1") << 4 << 6 << quint64(1) << a << true;
    QTest::newRow("evicted, #b after 1") << 4 << 6 << quint64(1) << b << false;
    QTest::newRow("evicted, #b after 2") << 4 << 6 << quint64(2) << b << true;
    QTest::newRow("evicted, both after 1") << 4 << 6 << quint64(1) << both << false;
    QTest::newRow("evicted, both after 2") << 4 << 6 << quint64(2) << both << true;
    QTest::newRow("evicted, a room never seen")
            << 4 << 6 << quint64(0) << QStringList{ QStringLiteral("#c") } << true;
    QTest::newRow("evicted, private ones, none let go")
            << 4 << 6 << quint64(0) << QStringList{ QString() } << true;

    // Capacity 3, 1..6: 1, 2 and 3 let go, #a's newest of them is 3.
    QTest::newRow("three evicted, #a after 2") << 3 << 6 << quint64(2) << a << false;
    QTest::newRow("three evicted, #a after 3") << 3 << 6 << quint64(3) << a << true;
    QTest::newRow("three evicted, #b after 2") << 3 << 6 << quint64(2) << b << true;
}

void tst_MessageHistory::holdsEverythingAfterEvictions()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    QFETCH(quint64, id);
    QFETCH(QStringList, conversations);
    QFETCH(bool, expected);

    const MessageHistory history = alternating(capacity, appended);
    const bool holds = conversations.isEmpty() ? history.holdsEverythingAfter(id)
                                               : history.holdsEverythingAfter(id, conversations);
    QVERIFY2(holds == expected, qPrintable(QStringLiteral("holdsEverythingAfter(%1, %2) is %3; held: %4")
                                                   .arg(id)
                                                   .arg(conversations.join(u','))
                                                   .arg(holds)
                                                   .arg(toString(heldIds(history)))));
}

void tst_MessageHistory::capacityZeroHoldsNothing()
{
    MessageHistory history(0);
    history.append(roomMessage(1, roomA));
    history.append(roomMessage(2, roomB));
    QCOMPARE(history.size(), 0);
    QCOMPARE(heldIds(history), QList<quint64>{});
    QCOMPARE(ids(history.recent(5)), QList<quint64>{});
    // Both were let go at once: nothing after 0 or 1 is held, everything after 2 is.
    QVERIFY(!history.holdsEverythingAfter(0));
    QVERIFY(!history.holdsEverythingAfter(1));
    QVERIFY(history.holdsEverythingAfter(2));
    QVERIFY(!history.holdsEverythingAfter(1, { roomB }));
    QVERIFY(history.holdsEverythingAfter(1, { roomA }));
}

void tst_MessageHistory::setDroppedUpTo()
{
    // Loaded from the database: 11..14 held, older ones exist there only.
    MessageHistory history(10);
    for (quint64 id = 11; id <= 14; ++id)
        history.append(roomMessage(id, roomA));
    history.setDroppedUpTo(10);
    QVERIFY(!history.holdsEverythingAfter(0));
    QVERIFY(!history.holdsEverythingAfter(9));
    QVERIFY(history.holdsEverythingAfter(10));
    QVERIFY(history.holdsEverythingAfter(12));
    // Every conversation, even one without a message here, may have had some up to 10.
    QVERIFY(!history.holdsEverythingAfter(9, { roomA }));
    QVERIFY(!history.holdsEverythingAfter(9, { roomB }));
    QVERIFY(!history.holdsEverythingAfter(9, { QString() }));
    QVERIFY(history.holdsEverythingAfter(10, { roomA, roomB, QString() }));
    QCOMPARE(heldIds(history), (QList<quint64>{ 11, 12, 13, 14 }));

    // It only ever rises.
    history.setDroppedUpTo(5);
    QVERIFY(!history.holdsEverythingAfter(9));
    QVERIFY(!history.holdsEverythingAfter(9, { roomA }));
    history.setDroppedUpTo(12);
    QVERIFY(!history.holdsEverythingAfter(11));
    QVERIFY(!history.holdsEverythingAfter(11, { roomB }));
    QVERIFY(history.holdsEverythingAfter(12, { roomB }));
    // Nothing held is let go by it.
    QCOMPARE(heldIds(history), (QList<quint64>{ 11, 12, 13, 14 }));
}

void tst_MessageHistory::dropOlderThan()
{
    MessageHistory history(10);
    history.append(roomMessage(1, roomA, 10));
    history.append(roomMessage(2, roomB, 20));
    history.append(roomMessage(3, roomA, 30));
    history.append(privateMessage(4, alice, bob));
    history.append(roomMessage(5, roomB, 50));

    // Nothing is that old.
    history.dropOlderThan(epoch.addSecs(5));
    QCOMPARE(heldIds(history), (QList<quint64>{ 1, 2, 3, 4, 5 }));
    QVERIFY(history.holdsEverythingAfter(0));

    // Strictly older: the message of exactly that time stays.
    history.dropOlderThan(epoch.addSecs(20));
    QCOMPARE(heldIds(history), (QList<quint64>{ 2, 3, 4, 5 }));
    QVERIFY(!history.holdsEverythingAfter(0));
    QVERIFY(history.holdsEverythingAfter(1));
    QVERIFY(!history.holdsEverythingAfter(0, { roomA }));
    QVERIFY(history.holdsEverythingAfter(0, { roomB, QString() }));

    // Private messages are one conversation, "".
    history.dropOlderThan(epoch.addSecs(45));
    QCOMPARE(heldIds(history), QList<quint64>{ 5 });
    QVERIFY(!history.holdsEverythingAfter(3, { QString() }));
    QVERIFY(history.holdsEverythingAfter(4, { QString() }));
    QVERIFY(!history.holdsEverythingAfter(1, { roomB }));
    QVERIFY(history.holdsEverythingAfter(2, { roomB }));
    QVERIFY(history.holdsEverythingAfter(3, { roomA }));
    QVERIFY(!history.holdsEverythingAfter(3));
    QVERIFY(history.holdsEverythingAfter(4));

    // Everything.
    history.dropOlderThan(epoch.addDays(1));
    QCOMPARE(history.size(), 0);
    QVERIFY(!history.holdsEverythingAfter(4, { roomB }));
    QVERIFY(history.holdsEverythingAfter(5, { roomA, roomB, QString() }));
}

void tst_MessageHistory::forget()
{
    MessageHistory history(4);
    for (int id = 1; id <= 6; ++id)
        history.append(roomMessage(quint64(id), id % 2 ? roomA : roomB)); // 1 and 2 let go
    history.append(privateMessage(7, alice, bob)); // 3 let go
    QCOMPARE(heldIds(history), (QList<quint64>{ 4, 5, 6, 7 }));

    history.forget(roomA);
    QCOMPARE(heldIds(history), (QList<quint64>{ 4, 6, 7 }));
    QCOMPARE(history.size(), 3);
    QCOMPARE(ids(history.recent(10)), (QList<quint64>{ 4, 6, 7 }));
    // The other conversations keep what they knew.
    QVERIFY(!history.holdsEverythingAfter(1, { roomB }));
    QVERIFY(history.holdsEverythingAfter(2, { roomB, QString() }));
    // The room is gone everywhere (the database forgets it too): a room of that name made
    // later starts afresh, with nothing before it to miss.
    QVERIFY(history.holdsEverythingAfter(0, { roomA }));

    // Room after room: its new messages are held again, the others untouched.
    history.append(roomMessage(8, roomA));
    QCOMPARE(heldIds(history), (QList<quint64>{ 4, 6, 7, 8 }));
    history.forget(QStringLiteral("#nothing-here"));
    QCOMPARE(heldIds(history), (QList<quint64>{ 4, 6, 7, 8 }));
    // Forgetting made room: the next message lets nothing go.
    history.forget(roomB);
    history.append(roomMessage(9, roomA));
    history.append(roomMessage(10, roomA));
    QCOMPARE(heldIds(history), (QList<quint64>{ 7, 8, 9, 10 }));
    QVERIFY(history.holdsEverythingAfter(0, { roomA }));
}

void tst_MessageHistory::setCapacityShrinking()
{
    MessageHistory history = alternating(10, 8);
    history.setCapacity(3);
    QCOMPARE(history.capacity(), 3);
    QCOMPARE(heldIds(history), (QList<quint64>{ 6, 7, 8 }));
    QVERIFY(!history.holdsEverythingAfter(4));
    QVERIFY(history.holdsEverythingAfter(5));
    QVERIFY(!history.holdsEverythingAfter(4, { roomA }));
    QVERIFY(history.holdsEverythingAfter(5, { roomA }));
    QVERIFY(!history.holdsEverythingAfter(3, { roomB }));
    QVERIFY(history.holdsEverythingAfter(4, { roomB }));

    // And from then on it holds no more than that.
    history.append(roomMessage(9, roomA));
    QCOMPARE(heldIds(history), (QList<quint64>{ 7, 8, 9 }));
    QVERIFY(!history.holdsEverythingAfter(5, { roomB }));
    QVERIFY(history.holdsEverythingAfter(6, { roomB }));

    history.setCapacity(-1);
    QCOMPARE(history.capacity(), 0);
    QCOMPARE(history.size(), 0);
    QVERIFY(!history.holdsEverythingAfter(8));
    QVERIFY(history.holdsEverythingAfter(9));
}

void tst_MessageHistory::setCapacityGrowing()
{
    MessageHistory history = alternating(2, 4);
    history.setCapacity(5);
    QCOMPARE(history.capacity(), 5);
    // What was let go is not back.
    QCOMPARE(heldIds(history), (QList<quint64>{ 3, 4 }));
    for (quint64 id = 5; id <= 7; ++id)
        history.append(roomMessage(id, roomA));
    QCOMPARE(heldIds(history), (QList<quint64>{ 3, 4, 5, 6, 7 }));
    QVERIFY(history.holdsEverythingAfter(2));
    QVERIFY(!history.holdsEverythingAfter(1));
}

void tst_MessageHistory::scopeIncludes_data()
{
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<QByteArray>("identity");
    QTest::addColumn<bool>("everything");
    QTest::addColumn<ChatMessage>("message");
    QTest::addColumn<bool>("expected");

    const QStringList mine{ roomA };
    QTest::newRow("its room") << mine << alice << false << roomMessage(1, roomA) << true;
    QTest::newRow("another room") << mine << alice << false << roomMessage(1, roomB) << false;
    QTest::newRow("a room by another case")
            << mine << alice << false << roomMessage(1, QStringLiteral("#A")) << false;
    QTest::newRow("no rooms") << QStringList() << alice << false << roomMessage(1, roomA) << false;
    QTest::newRow("a private message from it")
            << mine << alice << false << privateMessage(1, alice, bob) << true;
    QTest::newRow("a private message to it")
            << mine << alice << false << privateMessage(1, bob, alice) << true;
    QTest::newRow("a private message of others")
            << mine << alice << false << privateMessage(1, bob, carol) << false;
    QTest::newRow("without an identity, no private message")
            << mine << QByteArray() << false << privateMessage(1, alice, bob) << false;
    QTest::newRow("without an identity, not one without identities either")
            << mine << QByteArray() << false << privateMessage(1, QByteArray(), QByteArray()) << false;
    QTest::newRow("everything: any room")
            << QStringList() << QByteArray() << true << roomMessage(1, roomB) << true;
    QTest::newRow("everything: any private message")
            << QStringList() << QByteArray() << true << privateMessage(1, bob, carol) << true;
}

void tst_MessageHistory::scopeIncludes()
{
    QFETCH(QStringList, rooms);
    QFETCH(QByteArray, identity);
    QFETCH(bool, everything);
    QFETCH(ChatMessage, message);
    QFETCH(bool, expected);

    HistoryScope scope;
    scope.rooms = rooms;
    scope.identity = identity;
    scope.everything = everything;
    QCOMPARE(scope.includes(message), expected);
}

void tst_MessageHistory::scopeConversations()
{
    HistoryScope scope;
    scope.rooms = QStringList{ roomA, roomB };
    QCOMPARE(scope.conversations(), (QStringList{ roomA, roomB }));
    scope.identity = alice;
    QCOMPARE(scope.conversations(), (QStringList{ roomA, roomB, QString() }));
    QVERIFY(HistoryScope::all().everything);
    QVERIFY(HistoryScope::all().includes(privateMessage(1, bob, carol)));
}

void tst_MessageHistory::scopeAsFilter()
{
    // How the server answers a resume: a client in #a with alice's identity.
    MessageHistory history(100);
    history.append(roomMessage(1, roomA));
    history.append(roomMessage(2, roomB));
    history.append(privateMessage(3, alice, bob));
    history.append(privateMessage(4, bob, carol));
    history.append(roomMessage(5, roomA));
    history.append(privateMessage(6, carol, alice));

    HistoryScope scope;
    scope.rooms = QStringList{ roomA };
    scope.identity = alice;
    const auto filter = [&scope](const ChatMessage &message) { return scope.includes(message); };
    QCOMPARE(ids(history.after(0, filter)), (QList<quint64>{ 1, 3, 5, 6 }));
    QCOMPARE(ids(history.after(3, filter)), (QList<quint64>{ 5, 6 }));
    QCOMPARE(ids(history.recent(2, filter)), (QList<quint64>{ 5, 6 }));
    QCOMPARE(ids(history.recent(3, filter)), (QList<quint64>{ 3, 5, 6 }));
    QVERIFY(history.holdsEverythingAfter(0, scope.conversations()));
}

QTEST_APPLESS_MAIN(tst_MessageHistory)
#include "tst_messagehistory.moc"
