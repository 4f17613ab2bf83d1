#include "textcut.h"

#include <QTest>

// Cuts count user-perceived characters and never split one.
class tst_TextCut : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void left_data();
    void left();
    void characterCount_data();
    void characterCount();
    void leftUtf8_data();
    void leftUtf8();
};

void tst_TextCut::left_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("max");
    QTest::addColumn<QString>("expected");

    const QString a199 = QString(199, u'a');
    QTest::newRow("199 a and an emoji fit 200") << (a199 + u"😀") << 200 << (a199 + u"😀");
    QTest::newRow("200 a and an emoji") << (QString(200, u'a') + u"😀") << 200 << QString(200, u'a');
    QString emoji101;
    for (int i = 0; i < 101; ++i)
        emoji101 += u"😀";
    QTest::newRow("101 emoji fit 200") << emoji101 << 200 << emoji101;
    QTest::newRow("cut between emoji") << emoji101 << 100 << emoji101.left(200);
    QTest::newRow("an accent stays with its letter")
            << QStringLiteral("ae\u0301b") << 2 << QStringLiteral("ae\u0301");
    QTest::newRow("a family emoji is one character")
            << QStringLiteral("x👨\u200d👩\u200d👧y") << 2 << QStringLiteral("x👨\u200d👩\u200d👧");
    QTest::newRow("a flag is one character") << QStringLiteral("🇩🇪🇫🇷") << 1 << QStringLiteral("🇩🇪");
    QTest::newRow("Devanagari syllable") << QStringLiteral("राम") << 1 << QStringLiteral("रा");
    QTest::newRow("nothing") << QStringLiteral("abc") << 0 << QString();
    QTest::newRow("ASCII") << QStringLiteral("abcdef") << 3 << QStringLiteral("abc");
}

void tst_TextCut::left()
{
    QFETCH(QString, text);
    QFETCH(int, max);
    QFETCH(QString, expected);
    QCOMPARE(TextCut::left(text, max), expected);
}

void tst_TextCut::characterCount_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("count");

    QTest::newRow("empty") << QString() << 0;
    QTest::newRow("ASCII") << QStringLiteral("hello") << 5;
    QTest::newRow("emoji") << QStringLiteral("😀😀") << 2;
    QTest::newRow("decomposed accent") << QStringLiteral("e\u0301") << 1;
    QTest::newRow("Tamil") << QStringLiteral("தமிழ்") << 3;
    QTest::newRow("Chinese") << QStringLiteral("你好") << 2;
}

void tst_TextCut::characterCount()
{
    QFETCH(QString, text);
    QFETCH(int, count);
    QCOMPARE(TextCut::characterCount(text), count);
}

void tst_TextCut::leftUtf8_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("expected");

    QTest::newRow("fits") << QStringLiteral("abc") << 3 << QStringLiteral("abc");
    QTest::newRow("ASCII cut") << QStringLiteral("abcdef") << 4 << QStringLiteral("abcd");
    QTest::newRow("not inside a Chinese character") << QStringLiteral("你好") << 5 << QStringLiteral("你");
    QTest::newRow("not inside an emoji") << QStringLiteral("a😀") << 4 << QStringLiteral("a");
    QTest::newRow("not between a letter and its accent")
            << QStringLiteral("ae\u0301") << 3 << QStringLiteral("a");
}

void tst_TextCut::leftUtf8()
{
    QFETCH(QString, text);
    QFETCH(int, maxBytes);
    QFETCH(QString, expected);
    QCOMPARE(TextCut::leftUtf8(text, maxBytes), expected);
}

QTEST_APPLESS_MAIN(tst_TextCut)
#include "tst_textcut.moc"
