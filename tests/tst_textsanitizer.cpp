#include "textsanitizer.h"

#include <QTest>

// The one gate for text from the network: what it removes, what it keeps, how it escapes.
class tst_TextSanitizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromUtf8_data();
    void fromUtf8();
    void clean_data();
    void clean();
    void cleanTextIsShared();
    void cleanLines_data();
    void cleanLines();
    void escaped_data();
    void escaped();
    void quoted_data();
    void quoted();
};

void tst_TextSanitizer::fromUtf8_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain ASCII") << QByteArray("hello, world") << QStringLiteral("hello, world");
    QTest::newRow("tab becomes a space") << QByteArray("a\tb") << QStringLiteral("a b");
    QTest::newRow("NUL removed") << QByteArray("a\0b", 3) << QStringLiteral("ab");
    QTest::newRow("ANSI escape loses its ESC")
            << QByteArray("\x1b[2J\x1b]0;pwned\x07hi") << QStringLiteral("[2J]0;pwnedhi");
    QTest::newRow("backspace and bell removed") << QByteArray("a\bb\a") << QStringLiteral("ab");
    QTest::newRow("CR becomes a space") << QByteArray("a\rb") << QStringLiteral("a b");
    QTest::newRow("LF becomes a space") << QByteArray("a\nb") << QStringLiteral("a b");
    QTest::newRow("VT and FF become spaces") << QByteArray("a\vb\fc") << QStringLiteral("a b c");
    QTest::newRow("DEL removed") << QByteArray("a\x7f"
                                               "b")
                                 << QStringLiteral("ab");
    QTest::newRow("C1 CSI removed") << QByteArray("a\xc2\x9b"
                                                  "2Jb")
                                    << QStringLiteral("a2Jb");
    QTest::newRow("NEL becomes a space") << QByteArray("a\xc2\x85"
                                                       "b")
                                         << QStringLiteral("a b");
    QTest::newRow("LINE SEPARATOR becomes a space") << QByteArray("a\xe2\x80\xa8"
                                                                  "b")
                                                    << QStringLiteral("a b");
    QTest::newRow("PARAGRAPH SEPARATOR becomes a space") << QByteArray("a\xe2\x80\xa9"
                                                                       "b")
                                                         << QStringLiteral("a b");
    QTest::newRow("invalid UTF-8 becomes U+FFFD")
            << QByteArray("a\xff"
                          "b")
            << (QStringLiteral("a") + QChar(0xfffd) + QStringLiteral("b"));
    QTest::newRow("truncated sequence becomes U+FFFD")
            << QByteArray("ok\xe4\xbd") << (QStringLiteral("ok") + QChar(0xfffd) + QChar(0xfffd));
    QTest::newRow("encoded surrogate becomes U+FFFD") << QByteArray("a\xed\xa0\x80"
                                                                    "b")
                                                      << QStringLiteral("a\ufffd\ufffd\ufffdb");
    QTest::newRow("Chinese kept") << QByteArray("\xe4\xbd\xa0\xe5\xa5\xbd") << QStringLiteral("你好");
    QTest::newRow("emoji kept") << QByteArray("\xf0\x9f\x98\x80") << QStringLiteral("😀");
    QTest::newRow("HTML kept as text") << QByteArray("<b>hi</b>") << QStringLiteral("<b>hi</b>");
}

void tst_TextSanitizer::fromUtf8()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, expected);
    QCOMPARE(TextSanitizer::fromUtf8(input), expected);
}

void tst_TextSanitizer::clean_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("nothing to do") << QStringLiteral("alice: hi") << QStringLiteral("alice: hi");
    QTest::newRow("unpaired high surrogate")
            << (QStringLiteral("a") + QChar(0xd83d) + u'b') << QStringLiteral("a\ufffdb");
    QTest::newRow("unpaired low surrogate at the end")
            << (QStringLiteral("a") + QChar(0xde00)) << QStringLiteral("a\ufffd");
    QTest::newRow("a pair is kept") << QStringLiteral("😀") << QStringLiteral("😀");
    // Bidirectional controls: balanced so that nothing after the text is reordered.
    QTest::newRow("RLO closed at the end")
            << QStringLiteral("\u202eevil") << QStringLiteral("\u202eevil\u202c");
    QTest::newRow("RLI closed at the end")
            << QStringLiteral("\u2067evil") << QStringLiteral("\u2067evil\u2069");
    QTest::newRow("FSI and LRE closed innermost first")
            << QStringLiteral("\u2068a\u202ab") << QStringLiteral("\u2068a\u202ab\u202c\u2069");
    QTest::newRow("balanced text kept") << QStringLiteral("\u2067abc\u2069 \u202bd\u202c")
                                        << QStringLiteral("\u2067abc\u2069 \u202bd\u202c");
    QTest::newRow("stray PDF dropped") << QStringLiteral("a\u202cb") << QStringLiteral("ab");
    QTest::newRow("stray PDI dropped") << QStringLiteral("a\u2069b") << QStringLiteral("ab");
    QTest::newRow("PDF cannot close an isolate")
            << QStringLiteral("\u2066a\u202cb") << QStringLiteral("\u2066ab\u2069");
    QTest::newRow("PDI closes embeddings inside it")
            << QStringLiteral("\u2066a\u202eb\u2069c") << QStringLiteral("\u2066a\u202eb\u2069c");
    QTest::newRow("deep nesting is cut at 16")
            << (QString(40, QChar(0x202e)) + u'x')
            << (QString(16, QChar(0x202e)) + u'x' + QString(16, QChar(0x202c)));
    QTest::newRow("zero-width joiner in an emoji kept")
            << QStringLiteral("👩\u200d💻") << QStringLiteral("👩\u200d💻");
}

void tst_TextSanitizer::clean()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const QString cleaned = TextSanitizer::clean(input);
    QCOMPARE(cleaned, expected);
    QVERIFY(TextSanitizer::isClean(cleaned));
    QCOMPARE(TextSanitizer::clean(cleaned), cleaned);
    QCOMPARE(TextSanitizer::isClean(input), input == expected);
}

void tst_TextSanitizer::cleanTextIsShared()
{
    // The common case costs no copy.
    const QString text = QString::fromUtf8("an ordinary line, \xe4\xbd\xa0\xe5\xa5\xbd");
    QVERIFY(TextSanitizer::clean(text).isSharedWith(text));
}

void tst_TextSanitizer::cleanLines_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("maxLines");
    QTest::addColumn<QString>("expected");

    QTest::newRow("one line") << QStringLiteral("a\u2028b") << 32 << QStringLiteral("a b");
    QTest::newRow("line feeds stay") << QStringLiteral("a\n\nb\n") << 32 << QStringLiteral("a\n\nb\n");
    QTest::newRow("CR LF is one break") << QStringLiteral("a\r\nb\rc") << 32 << QStringLiteral("a\nb c");
    QTest::newRow("each line its own")
            << QStringLiteral("\u202ex\n\u001b[2Jy") << 32 << QStringLiteral("\u202ex\u202c\n[2Jy");
    QTest::newRow("beyond maxLines, spaces")
            << QStringLiteral("a\nb\nc\nd") << 2 << QStringLiteral("a\nb c d");
}

void tst_TextSanitizer::cleanLines()
{
    QFETCH(QString, input);
    QFETCH(int, maxLines);
    QFETCH(QString, expected);
    QCOMPARE(TextSanitizer::cleanLines(input, maxLines), expected);
}

void tst_TextSanitizer::escaped_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QStringLiteral("hello 你好") << QStringLiteral("hello 你好");
    QTest::newRow("newline") << QStringLiteral("x\nY") << QStringLiteral("x\\nY");
    QTest::newRow("CR and tab") << QStringLiteral("a\rb\tc") << QStringLiteral("a\\rb\\tc");
    QTest::newRow("ESC") << QStringLiteral("\x1b[2J") << QStringLiteral("\\u001b[2J");
    QTest::newRow("C1") << QStringLiteral("a\u009bb") << QStringLiteral("a\\u009bb");
    QTest::newRow("line separator") << QStringLiteral("a\u2028b") << QStringLiteral("a\\u2028b");
    QTest::newRow("RLO") << QStringLiteral("\u202eevil") << QStringLiteral("\\u202eevil");
    QTest::newRow("zero-width space") << QStringLiteral("a\u200bb") << QStringLiteral("a\\u200bb");
    QTest::newRow("Hangul filler") << QStringLiteral("\u3164") << QStringLiteral("\\u3164");
    QTest::newRow("tag character") << QStringLiteral("a\U000e0041") << QStringLiteral("a\\U000e0041");
    QTest::newRow("unpaired surrogate") << QString(QChar(0xd800)) << QStringLiteral("\\ud800");
    QTest::newRow("backslash") << QStringLiteral("a\\nb") << QStringLiteral("a\\\\nb");
    QTest::newRow("emoji kept") << QStringLiteral("😀") << QStringLiteral("😀");
}

void tst_TextSanitizer::escaped()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(TextSanitizer::escaped(input), expected);
}

void tst_TextSanitizer::quoted_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("maxCharacters");
    QTest::addColumn<QString>("expected");

    QTest::newRow("the JSON key of the issue") << QStringLiteral("x\nY") << 64 << QStringLiteral("\"x\\nY\"");
    QTest::newRow("a quote inside") << QStringLiteral("say \"hi\"") << 64
                                    << QStringLiteral("\"say \\\"hi\\\"\"");
    QTest::newRow("cut, marked") << QStringLiteral("abcdef") << 3 << QStringLiteral("\"abc\"…");
    QTest::newRow("cut between emoji, not inside one")
            << QStringLiteral("😀😀😀") << 2 << QStringLiteral("\"😀😀\"…");
    QTest::newRow("no cut") << QStringLiteral("abc") << 3 << QStringLiteral("\"abc\"");
}

void tst_TextSanitizer::quoted()
{
    QFETCH(QString, input);
    QFETCH(int, maxCharacters);
    QFETCH(QString, expected);
    QCOMPARE(TextSanitizer::quoted(input, maxCharacters), expected);
}

QTEST_APPLESS_MAIN(tst_TextSanitizer)
#include "tst_textsanitizer.moc"
