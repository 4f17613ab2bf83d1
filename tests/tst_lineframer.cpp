#include "lineframer.h"

#include <QTest>

namespace {

// Stands for "the framer reported an overlong line" in the expected event lists.
const QByteArray overlong = QByteArrayLiteral("<overlong>");

QList<QByteArray> feedAll(LineFramer &framer, const QList<QByteArray> &chunks)
{
    QList<QByteArray> events;
    for (const QByteArray &chunk : chunks) {
        framer.feed(
                chunk, [&](QByteArrayView line) { events.append(line.toByteArray()); },
                [&] { events.append(overlong); });
    }
    return events;
}

} // namespace

class tst_LineFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framing_data();
    void framing();
    void bufferNeverPassesLimit();
    void recoversAfterOverlong();
};

void tst_LineFramer::framing_data()
{
    QTest::addColumn<int>("maxLine");
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<QByteArray>>("expected");
    QTest::addColumn<int>("bufferedAfter");

    using L = QList<QByteArray>;
    QTest::newRow("LF") << 64 << L{ "hello\nworld\n" } << L{ "hello", "world" } << 0;
    QTest::newRow("CRLF") << 64 << L{ "hello\r\nworld\r\n" } << L{ "hello", "world" } << 0;
    QTest::newRow("mixed terminators") << 64 << L{ "a\r\nb\nc\r\n" } << L{ "a", "b", "c" } << 0;
    QTest::newRow("split across reads")
            << 64 << L{ "he", "llo\r", "\nwor", "ld", "\n" } << L{ "hello", "world" } << 0;
    QTest::newRow("byte by byte") << 64 << L{ "a", "b", "\r", "\n", "c", "\n" } << L{ "ab", "c" } << 0;
    QTest::newRow("many lines in one read")
            << 64 << L{ "1\n2\n3\n4\n5\n" } << L{ "1", "2", "3", "4", "5" } << 0;
    QTest::newRow("empty lines") << 64 << L{ "\n\r\n\n" } << L{ "", "", "" } << 0;
    QTest::newRow("unfinished line is held") << 64 << L{ "done\npart" } << L{ "done" } << 4;
    QTest::newRow("lone CR stays in the line") << 64 << L{ "a\rb\n" } << L{ "a\rb" } << 0;
    QTest::newRow("NUL passes through")
            << 64 << L{ QByteArray("a\0b\n", 4) } << L{ QByteArray("a\0b", 3) } << 0;
    QTest::newRow("invalid UTF-8 passes through") << 64 << L{ "\xff\xfe\xc3\n" } << L{ "\xff\xfe\xc3" } << 0;
    QTest::newRow("exactly at the limit") << 8 << L{ "12345678\n" } << L{ "12345678" } << 0;
    QTest::newRow("at the limit, CRLF split after CR")
            << 8 << L{ "12345678\r", "\n" } << L{ "12345678" } << 0;
    QTest::newRow("one over the limit in one read")
            << 8 << L{ "123456789\nok\n" } << L{ overlong, "ok" } << 0;
    QTest::newRow("one over the limit, newline later")
            << 8 << L{ "123456789", "\nok\n" } << L{ overlong, "ok" } << 0;
    QTest::newRow("overlong across reads reported once")
            << 8 << L{ "12345", "6789ab", "cdefgh", "ij\nok\n" } << L{ overlong, "ok" } << 0;
    QTest::newRow("overlong then normal in one read")
            << 4 << L{ "toolong\nfine\r\nx\n" } << L{ overlong, "fine", "x" } << 0;
    QTest::newRow("two overlong lines")
            << 4 << L{ "aaaaaa\nbbbbbb\nc\n" } << L{ overlong, overlong, "c" } << 0;
    QTest::newRow("overlong without newline yet") << 4 << L{ "ok\n", "abcdefgh" } << L{ "ok", overlong } << 0;
}

void tst_LineFramer::framing()
{
    QFETCH(int, maxLine);
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<QByteArray>, expected);
    QFETCH(int, bufferedAfter);

    LineFramer framer(maxLine);
    QCOMPARE(feedAll(framer, chunks), expected);
    QCOMPARE(framer.bufferedBytes(), bufferedAfter);
}

void tst_LineFramer::bufferNeverPassesLimit()
{
    // 100 MB without a newline, in the 64 KiB pieces a socket delivers.
    const qsizetype limit = 4096;
    LineFramer framer(limit);
    const QByteArray chunk(64 * 1024, 'x');
    int overlongCount = 0;
    int lineCount = 0;
    qsizetype peak = 0;
    for (int i = 0; i < 1600; ++i) {
        framer.feed(
                chunk, [&](QByteArrayView) { ++lineCount; }, [&] { ++overlongCount; });
        peak = qMax(peak, framer.bufferedBytes());
    }
    QCOMPARE(overlongCount, 1);
    QCOMPARE(lineCount, 0);
    QVERIFY2(peak <= limit + 1, qPrintable(QString::number(peak)));
    QVERIFY(framer.isDiscarding());
}

void tst_LineFramer::recoversAfterOverlong()
{
    LineFramer framer(16);
    QCOMPARE(feedAll(framer, { QByteArray(100, 'x'), QByteArray(100, 'y') }), QList<QByteArray>{ overlong });
    QCOMPARE(feedAll(framer, { "zz\nnext line\n" }), (QList<QByteArray>{ "next line" }));
    QVERIFY(!framer.isDiscarding());
}

QTEST_APPLESS_MAIN(tst_LineFramer)
#include "tst_lineframer.moc"
