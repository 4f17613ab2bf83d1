#include "clientsession.h"
#include "writebatcher.h"

#include "support/socketpeer.h"

#include <QTest>

#include <memory>
#include <utility>

namespace {

using Stretch = std::pair<qsizetype, qsizetype>;

// A session on one end of a socket pair, and the test's end.
struct Client
{
    Client(WriteBatcher *batcher, const ChatLimits &limits = ChatLimits(), bool smallKernelBuffer = false)
    {
        if (smallKernelBuffer)
            SocketPeer::shrinkSendBuffer(peer.sessionDescriptor());
        session = std::make_unique<ClientSession>(peer.sessionDescriptor(), ++lastId, limits, batcher);
    }
    void sendShared(WriteBatcher::Batch batch, Stretch stretch)
    {
        session->sendShared(batch, stretch.first, stretch.second);
    }

    static inline quint64 lastId = 0;
    SocketPeer peer;
    std::unique_ptr<ClientSession> session;
};

// A pattern of size bytes that shows where a piece was cut or reordered.
QByteArray pattern(qsizetype size, char seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char('a' + (i / 7 + seed) % 26);
    return bytes;
}

QByteArray shown(const QByteArray &bytes)
{
    return bytes.size() <= 200 ? bytes
                               : bytes.first(200) + "... (" + QByteArray::number(bytes.size()) + " bytes)";
}

} // namespace

// WriteBatcher (src/server/core/writebatcher.h): one batch per dialect per event-loop pass, each
// session's stretches of it and its own bytes sent together when the pass ends, the hook that
// commits the history before anything leaves; with real ClientSessions over socket pairs.
class tst_WriteBatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendReturnsStretches_data();
    void appendReturnsStretches();
    void batchesResetAfterFlush();
    void stretchesAndOwnBytesInOrder();
    void nothingLeavesBeforeThePassEnds();
    void stretchesSurviveTheBatchGrowing();
    void beforeFlushOncePerPass();
    void beforeFlushWithoutSessions();
    void beforeFlushBeforeAnyByteLeaves();
    void closingSessionRunsBeforeFlush();
    void forgetScheduledSession();
    void forgetThenDelete();
    void forgetUnscheduledSession();
    void flushesAnyWriteTarget();
    void partialWritesQueueTheRest();
    void manyPiecesInOnePass();
};

void tst_WriteBatcher::appendReturnsStretches_data()
{
    QTest::addColumn<QList<int>>("batches");
    QTest::addColumn<QList<QByteArray>>("appended");
    QTest::addColumn<QList<qsizetype>>("froms");
    QTest::addColumn<QList<qsizetype>>("tos");
    QTest::addColumn<QByteArray>("plain");
    QTest::addColumn<QByteArray>("json");

    const int P = WriteBatcher::PlainBatch;
    const int J = WriteBatcher::JsonBatch;
    QTest::newRow("one") << QList<int>{ P } << QList<QByteArray>{ "hello\n" } << QList<qsizetype>{ 0 }
                         << QList<qsizetype>{ 6 } << QByteArray("hello\n") << QByteArray();
    QTest::newRow("consecutive") << QList<int>{ P, P, P } << QList<QByteArray>{ "a\n", "bb\n", "ccc\n" }
                                 << QList<qsizetype>{ 0, 2, 5 } << QList<qsizetype>{ 2, 5, 9 }
                                 << QByteArray("a\nbb\nccc\n") << QByteArray();
    QTest::newRow("each batch on its own")
            << QList<int>{ P, J, P, J } << QList<QByteArray>{ "p1\n", "{\"j\":1}\n", "p2\n", "{}\n" }
            << QList<qsizetype>{ 0, 0, 3, 8 } << QList<qsizetype>{ 3, 8, 6, 11 } << QByteArray("p1\np2\n")
            << QByteArray("{\"j\":1}\n{}\n");
    QTest::newRow("empty bytes: an empty stretch")
            << QList<int>{ P, P, P } << QList<QByteArray>{ "x\n", QByteArray(), "y\n" }
            << QList<qsizetype>{ 0, 2, 2 } << QList<qsizetype>{ 2, 2, 4 } << QByteArray("x\ny\n")
            << QByteArray();
    QTest::newRow("NUL bytes count") << QList<int>{ J } << QList<QByteArray>{ QByteArray("a\0b\n", 4) }
                                     << QList<qsizetype>{ 0 } << QList<qsizetype>{ 4 } << QByteArray()
                                     << QByteArray("a\0b\n", 4);
}

void tst_WriteBatcher::appendReturnsStretches()
{
    QFETCH(QList<int>, batches);
    QFETCH(QList<QByteArray>, appended);
    QFETCH(QList<qsizetype>, froms);
    QFETCH(QList<qsizetype>, tos);
    QFETCH(QByteArray, plain);
    QFETCH(QByteArray, json);

    WriteBatcher batcher;
    for (qsizetype i = 0; i < batches.size(); ++i) {
        const Stretch stretch = batcher.append(WriteBatcher::Batch(batches[i]), appended[i]);
        QCOMPARE(stretch.first, froms[i]);
        QCOMPARE(stretch.second, tos[i]);
        // The stretch is exactly the bytes appended.
        QCOMPARE(batcher.batch(batches[i]).mid(stretch.first, stretch.second - stretch.first), appended[i]);
    }
    QCOMPARE(batcher.batch(WriteBatcher::PlainBatch), plain);
    QCOMPARE(batcher.batch(WriteBatcher::JsonBatch), json);
}

void tst_WriteBatcher::batchesResetAfterFlush()
{
    WriteBatcher batcher;
    int flushes = 0;
    batcher.setBeforeFlush([&] { ++flushes; });
    batcher.append(WriteBatcher::PlainBatch, "first pass\n");
    batcher.append(WriteBatcher::JsonBatch, "{\"first\":true}\n");
    batcher.requestFlush();
    QTRY_COMPARE(flushes, 1);
    QCOMPARE(batcher.batch(WriteBatcher::PlainBatch), QByteArray());
    QCOMPARE(batcher.batch(WriteBatcher::JsonBatch), QByteArray());

    // The next pass starts from the start again.
    QCOMPARE(batcher.append(WriteBatcher::PlainBatch, "second\n"), Stretch(0, 7));
    QCOMPARE(batcher.append(WriteBatcher::JsonBatch, "{}\n"), Stretch(0, 3));
    QCOMPARE(batcher.batch(WriteBatcher::PlainBatch), QByteArray("second\n"));

    // Also when the pass ends because a session had bytes.
    Client client(&batcher);
    client.session->sendShared(WriteBatcher::PlainBatch, 0, 7);
    QVERIFY2(client.peer.waitForBytes(7), shown(client.peer.received()).constData());
    QCOMPARE(client.peer.received(), QByteArray("second\n"));
    QCOMPARE(flushes, 2);
    QCOMPARE(batcher.batch(WriteBatcher::PlainBatch), QByteArray());
    QCOMPARE(batcher.batch(WriteBatcher::JsonBatch), QByteArray());
    QCOMPARE(batcher.append(WriteBatcher::JsonBatch, "{}\n"), Stretch(0, 3));
}

void tst_WriteBatcher::stretchesAndOwnBytesInOrder()
{
    WriteBatcher batcher;
    Client alice(&batcher);
    Client bob(&batcher);
    Client carol(&batcher);

    const Stretch one = batcher.append(WriteBatcher::PlainBatch, "one\n");
    const Stretch two = batcher.append(WriteBatcher::PlainBatch, "two\n");
    const Stretch jsonOne = batcher.append(WriteBatcher::JsonBatch, "{\"n\":1}\n");
    const Stretch three = batcher.append(WriteBatcher::PlainBatch, "three\n");
    const Stretch jsonTwo = batcher.append(WriteBatcher::JsonBatch, "{\"n\":2}\n");

    // alice: a broadcast, her own line, another broadcast (not the one between).
    alice.sendShared(WriteBatcher::PlainBatch, one);
    alice.session->sendBytes("only for alice\n");
    alice.sendShared(WriteBatcher::PlainBatch, three);
    // bob: all three broadcasts, the first two one stretch.
    bob.sendShared(WriteBatcher::PlainBatch, one);
    bob.sendShared(WriteBatcher::PlainBatch, two);
    bob.sendShared(WriteBatcher::PlainBatch, three);
    // carol: the JSON batch, and her own bytes first.
    carol.session->sendBytes("{\"own\":true}\n");
    carol.sendShared(WriteBatcher::JsonBatch, jsonOne);
    carol.sendShared(WriteBatcher::JsonBatch, jsonTwo);

    const QByteArray forAlice = "one\nonly for alice\nthree\n";
    const QByteArray forBob = "one\ntwo\nthree\n";
    const QByteArray forCarol = "{\"own\":true}\n{\"n\":1}\n{\"n\":2}\n";
    QVERIFY2(alice.peer.waitForBytes(forAlice.size()), shown(alice.peer.received()).constData());
    QVERIFY2(bob.peer.waitForBytes(forBob.size()), shown(bob.peer.received()).constData());
    QVERIFY2(carol.peer.waitForBytes(forCarol.size()), shown(carol.peer.received()).constData());
    QCOMPARE(alice.peer.received(), forAlice);
    QCOMPARE(bob.peer.received(), forBob);
    QCOMPARE(carol.peer.received(), forCarol);
    QCOMPARE(alice.session->bytesSent(), forAlice.size());
    QCOMPARE(bob.session->bytesSent(), forBob.size());
    QCOMPARE(carol.session->bytesSent(), forCarol.size());
    QCOMPARE(alice.session->sendQueueBytes(), 0);
}

void tst_WriteBatcher::nothingLeavesBeforeThePassEnds()
{
    WriteBatcher batcher;
    Client client(&batcher);
    const Stretch stretch = batcher.append(WriteBatcher::PlainBatch, "broadcast\n");
    client.sendShared(WriteBatcher::PlainBatch, stretch);
    client.session->sendBytes("own\n");
    // Nothing has been written yet: it goes out when the event loop comes round.
    QVERIFY(!client.peer.hasPendingBytes());
    QVERIFY2(client.peer.waitForBytes(14), shown(client.peer.received()).constData());
    QCOMPARE(client.peer.received(), QByteArray("broadcast\nown\n"));
}

void tst_WriteBatcher::stretchesSurviveTheBatchGrowing()
{
    // A session notes where its bytes are, not a pointer to them: the batch may grow (and
    // move) after that, before the pass ends.
    WriteBatcher batcher;
    Client client(&batcher);
    const Stretch first = batcher.append(WriteBatcher::PlainBatch, "first\n");
    client.sendShared(WriteBatcher::PlainBatch, first);
    const QByteArray big = pattern(256 * 1024, 3);
    batcher.append(WriteBatcher::PlainBatch, big);
    const Stretch last = batcher.append(WriteBatcher::PlainBatch, "last\n");
    client.sendShared(WriteBatcher::PlainBatch, last);
    QVERIFY2(client.peer.waitForBytes(11), shown(client.peer.received()).constData());
    QCOMPARE(client.peer.received(), QByteArray("first\nlast\n"));
}

void tst_WriteBatcher::beforeFlushOncePerPass()
{
    WriteBatcher batcher;
    int flushes = 0;
    batcher.setBeforeFlush([&] { ++flushes; });
    Client alice(&batcher);
    Client bob(&batcher);

    // Many requests and several sessions in one pass: one flush.
    batcher.requestFlush();
    batcher.requestFlush();
    alice.session->sendBytes("a1\n");
    bob.session->sendBytes("b1\n");
    alice.session->sendBytes("a2\n");
    batcher.requestFlush();
    QCOMPARE(flushes, 0);
    QVERIFY2(alice.peer.waitForBytes(6), shown(alice.peer.received()).constData());
    QVERIFY2(bob.peer.waitForBytes(3), shown(bob.peer.received()).constData());
    QCOMPARE(alice.peer.received(), QByteArray("a1\na2\n"));
    QCOMPARE(bob.peer.received(), QByteArray("b1\n"));
    QCOMPARE(flushes, 1);
    // Nothing was left over for another pass.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QCOMPARE(flushes, 1);

    // The next pass has its own flush.
    bob.session->sendBytes("b2\n");
    batcher.requestFlush();
    QVERIFY2(bob.peer.waitForBytes(6), shown(bob.peer.received()).constData());
    QCOMPARE(flushes, 2);
    QCoreApplication::processEvents();
    QCOMPARE(flushes, 2);
}

void tst_WriteBatcher::beforeFlushWithoutSessions()
{
    // A pass whose messages nobody is sent (the history database still commits).
    WriteBatcher batcher;
    int flushes = 0;
    batcher.setBeforeFlush([&] { ++flushes; });
    batcher.requestFlush();
    QCOMPARE(flushes, 0);
    QTRY_COMPARE(flushes, 1);
    QCoreApplication::processEvents();
    QCOMPARE(flushes, 1);
    batcher.requestFlush();
    QTRY_COMPARE(flushes, 2);

    // Without a hook (no history database) a pass ends all the same, and a closing session's
    // call to the hook is nothing.
    WriteBatcher bare;
    bare.append(WriteBatcher::PlainBatch, "x\n");
    bare.requestFlush();
    QTRY_COMPARE(bare.batch(WriteBatcher::PlainBatch), QByteArray());
    bare.beforeFlush();
}

void tst_WriteBatcher::beforeFlushBeforeAnyByteLeaves()
{
    WriteBatcher batcher;
    Client alice(&batcher);
    Client bob(&batcher);
    QList<bool> pendingAtHook;
    batcher.setBeforeFlush([&] {
        pendingAtHook = { alice.peer.hasPendingBytes(), bob.peer.hasPendingBytes() };
    });
    const Stretch stretch = batcher.append(WriteBatcher::PlainBatch, "stored first\n");
    alice.sendShared(WriteBatcher::PlainBatch, stretch);
    bob.sendShared(WriteBatcher::PlainBatch, stretch);
    QVERIFY2(alice.peer.waitForBytes(13), shown(alice.peer.received()).constData());
    QVERIFY2(bob.peer.waitForBytes(13), shown(bob.peer.received()).constData());
    QCOMPARE(pendingAtHook, (QList<bool>{ false, false }));
}

void tst_WriteBatcher::closingSessionRunsBeforeFlush()
{
    // A session that closes writes at once, outside the pass's flush: the hook runs first.
    WriteBatcher batcher;
    Client client(&batcher);
    int flushes = 0;
    bool pendingAtHook = true;
    batcher.setBeforeFlush([&] {
        ++flushes;
        pendingAtHook = client.peer.hasPendingBytes();
    });
    client.session->sendBytes("goodbye\n");
    client.session->close(QStringLiteral("quit"));
    QCOMPARE(flushes, 1);
    QVERIFY(!pendingAtHook);
    // And its bytes left right after it, before the event loop came round.
    QVERIFY(client.peer.hasPendingBytes());
    QVERIFY2(client.peer.waitForEnd(), shown(client.peer.received()).constData());
    QCOMPARE(client.peer.received(), QByteArray("goodbye\n"));
}

void tst_WriteBatcher::forgetScheduledSession()
{
    WriteBatcher batcher;
    Client gone(&batcher);
    Client staying(&batcher);
    const Stretch stretch = batcher.append(WriteBatcher::PlainBatch, "to everyone\n");
    gone.sendShared(WriteBatcher::PlainBatch, stretch);
    gone.session->sendBytes("own\n");
    staying.sendShared(WriteBatcher::PlainBatch, stretch);
    gone.session->dropPendingWrites();

    // The pass ends for the others; the forgotten session's bytes are dropped.
    QVERIFY2(staying.peer.waitForBytes(12), shown(staying.peer.received()).constData());
    QCOMPARE(staying.peer.received(), QByteArray("to everyone\n"));
    QVERIFY2(!gone.peer.hasPendingBytes(), "the forgotten session's bytes were sent");

    // The session itself still works: what it is given later goes out.
    gone.session->sendBytes("later\n");
    QVERIFY2(gone.peer.waitForBytes(6), shown(gone.peer.received()).constData());
    QCOMPARE(gone.peer.received(), QByteArray("later\n"));
}

void tst_WriteBatcher::forgetThenDelete()
{
    // How the server lets a session go: forgotten, then deleted before the pass ends.
    WriteBatcher batcher;
    auto gone = std::make_unique<Client>(&batcher);
    Client before(&batcher);
    Client after(&batcher);
    const Stretch stretch = batcher.append(WriteBatcher::JsonBatch, "{\"type\":\"part\"}\n");
    before.sendShared(WriteBatcher::JsonBatch, stretch);
    gone->sendShared(WriteBatcher::JsonBatch, stretch);
    after.sendShared(WriteBatcher::JsonBatch, stretch);
    gone->session->dropPendingWrites();
    gone->session.reset();
    QVERIFY2(gone->peer.waitForEnd(), shown(gone->peer.received()).constData());
    QCOMPARE(gone->peer.received(), QByteArray());
    gone.reset();

    QVERIFY2(before.peer.waitForBytes(stretch.second), shown(before.peer.received()).constData());
    QVERIFY2(after.peer.waitForBytes(stretch.second), shown(after.peer.received()).constData());
    QCOMPARE(before.peer.received(), QByteArray("{\"type\":\"part\"}\n"));
    QCOMPARE(after.peer.received(), QByteArray("{\"type\":\"part\"}\n"));
}

void tst_WriteBatcher::forgetUnscheduledSession()
{
    // Forgetting a session with nothing waiting changes nothing for anyone.
    WriteBatcher batcher;
    Client idle(&batcher);
    Client busy(&batcher);
    idle.session->dropPendingWrites();
    busy.session->sendBytes("busy\n");
    idle.session->dropPendingWrites();
    QVERIFY2(busy.peer.waitForBytes(5), shown(busy.peer.received()).constData());
    QCOMPARE(busy.peer.received(), QByteArray("busy\n"));
    idle.session->sendBytes("idle\n");
    QVERIFY2(idle.peer.waitForBytes(5), shown(idle.peer.received()).constData());
    QCOMPARE(idle.peer.received(), QByteArray("idle\n"));
}

namespace {

// A WriteTarget that only counts: the batcher needs nothing of a session but flushWrites().
struct CountingTarget : WriteTarget
{
    void flushWrites() override
    {
        slot = -1;
        ++flushes;
    }
    qsizetype slot = -1;
    int flushes = 0;
};

} // namespace

void tst_WriteBatcher::flushesAnyWriteTarget()
{
    WriteBatcher batcher;
    CountingTarget once;
    CountingTarget forgotten;
    CountingTarget twice;
    once.slot = batcher.schedule(&once);
    forgotten.slot = batcher.schedule(&forgotten);
    twice.slot = batcher.schedule(&twice);
    QCOMPARE(once.slot, 0);
    QCOMPARE(twice.slot, 2);
    batcher.forget(&forgotten, forgotten.slot);
    // A stale slot (another target's) forgets nobody.
    batcher.forget(&forgotten, twice.slot);
    QCOMPARE(once.flushes, 0); // not before the pass ends
    QTRY_COMPARE(once.flushes, 1);
    QCOMPARE(twice.flushes, 1);
    QCOMPARE(forgotten.flushes, 0);

    // The next pass starts afresh: slots from 0, each target flushed once per pass.
    twice.slot = batcher.schedule(&twice);
    QCOMPARE(twice.slot, 0);
    QTRY_COMPARE(twice.flushes, 2);
    QCOMPARE(once.flushes, 1);
    QCOMPARE(forgotten.flushes, 0);
}

void tst_WriteBatcher::partialWritesQueueTheRest()
{
    // More than the kernel takes at once, over several pieces: the rest waits in the session's
    // queue and follows in order while the peer reads.
    ChatLimits limits;
    limits.softSendQueueBytes = 8 * 1024 * 1024;
    limits.maxSendQueueBytes = 8 * 1024 * 1024;
    WriteBatcher batcher;
    Client client(&batcher, limits, true);

    const QByteArray shared = pattern(300 * 1024, 1);
    const Stretch stretch = batcher.append(WriteBatcher::PlainBatch, shared);
    client.session->sendBytes("head\n");
    client.sendShared(WriteBatcher::PlainBatch, stretch);
    client.session->sendBytes("tail\n");
    QTRY_VERIFY2(client.session->sendQueueBytes() > 0,
                 qPrintable(QStringLiteral("queued: %1").arg(client.session->sendQueueBytes())));
    // The batch is gone with the pass; the queue holds its own copy.
    QCOMPARE(batcher.batch(WriteBatcher::PlainBatch), QByteArray());

    // A second pass meanwhile goes behind what waits.
    const Stretch next = batcher.append(WriteBatcher::PlainBatch, "next pass\n");
    client.sendShared(WriteBatcher::PlainBatch, next);

    const QByteArray expected = "head\n" + shared + "tail\nnext pass\n";
    QVERIFY2(client.peer.waitForBytes(expected.size()), shown(client.peer.received()).constData());
    QVERIFY2(client.peer.received() == expected,
             qPrintable(
                     QStringLiteral("%1 bytes differ from the %2 expected, first at %3")
                             .arg(client.peer.received().size())
                             .arg(expected.size())
                             .arg(std::mismatch(expected.begin(), expected.end(),
                                                client.peer.received().begin(), client.peer.received().end())
                                          .first -
                                  expected.begin())));
    QTRY_COMPARE(client.session->sendQueueBytes(), 0);
    QVERIFY(!client.session->isLagging());
}

void tst_WriteBatcher::manyPiecesInOnePass()
{
    // More pieces than one sendmsg() gathers (alternating stretches and own bytes, so that no
    // two are one): all of them, in order.
    WriteBatcher batcher;
    Client client(&batcher);
    QByteArray expected;
    for (int i = 0; i < 150; ++i) {
        const QByteArray line = "shared " + QByteArray::number(i) + '\n';
        client.sendShared(WriteBatcher::PlainBatch, batcher.append(WriteBatcher::PlainBatch, line));
        const QByteArray own = "own " + QByteArray::number(i) + '\n';
        client.session->sendBytes(own);
        expected += line + own;
    }
    QVERIFY2(client.peer.waitForBytes(expected.size()), shown(client.peer.received()).constData());
    QCOMPARE(client.peer.received(), expected);
    QTRY_COMPARE(client.session->sendQueueBytes(), 0);
}

QTEST_GUILESS_MAIN(tst_WriteBatcher)
#include "tst_writebatcher.moc"
