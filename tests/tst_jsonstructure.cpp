#include "jsonstructure.h"

#include <QTest>

// JsonStructure::check (src/shared/jsonstructure.h): refuses nesting deeper than the limit and
// an object with the same key twice (escapes decoded: "a" and "\u0061" are one key), before
// any parsing; everything else, syntax errors included, is the parser's to report.
class tst_JsonStructure : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void check_data();
    void check();
    void whyNamesTheLimit();
    void whyNamesTheKey();
    void manyKeys();
    void deepNestingIsRefusedEarly();
};

void tst_JsonStructure::check_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("maxDepth");
    // Empty: accepted; else a part of the reason it must give.
    QTest::addColumn<QString>("refusal");

    const QString deep = QStringLiteral("deep");
    const QString twice = QStringLiteral("twice");

    // Ordinary requests.
    QTest::newRow("empty object") << QByteArray("{}") << 4 << QString();
    QTest::newRow("a request") << QByteArray(R"({"type":"say","text":"hi"})") << 4 << QString();
    QTest::newRow("a hello with rooms")
            << QByteArray(R"({"type":"hello","version":2,"rooms":["#a","#b"],"nick":"x"})") << 4 << QString();
    QTest::newRow("whitespace around everything")
            << QByteArray(" { \"a\" : 1 ,\n \"b\" : [ 1 , 2 ] } ") << 4 << QString();

    // Depth: every object and array counts, the outermost one too.
    QTest::newRow("arrays at the limit") << QByteArray("[[[[1]]]]") << 4 << QString();
    QTest::newRow("arrays past the limit") << QByteArray("[[[[[1]]]]]") << 4 << deep;
    QTest::newRow("objects at the limit") << QByteArray(R"({"a":{"b":{"c":{"d":1}}}})") << 4 << QString();
    QTest::newRow("objects past the limit") << QByteArray(R"({"a":{"b":{"c":{"d":{}}}}})") << 4 << deep;
    QTest::newRow("mixed at the limit") << QByteArray(R"({"a":[{"b":[1]}]})") << 4 << QString();
    QTest::newRow("mixed past a lower limit") << QByteArray(R"({"a":[{"b":[1]}]})") << 3 << deep;
    QTest::newRow("limit 1, flat object") << QByteArray(R"({"a":1,"b":"c"})") << 1 << QString();
    QTest::newRow("limit 1, an array in it") << QByteArray(R"({"a":[]})") << 1 << deep;
    QTest::newRow("limit 0, an object") << QByteArray("{}") << 0 << deep;
    QTest::newRow("limit 0, a number") << QByteArray("42") << 0 << QString();
    QTest::newRow("siblings do not add up")
            << QByteArray(R"({"a":[[1]],"b":[[2]],"c":[[3]]})") << 3 << QString();
    QTest::newRow("depth comes back after closing") << QByteArray(R"([[[1]],[[2]],[[[3]]]])") << 3 << deep;

    // Brackets and quotes inside strings are text.
    QTest::newRow("brackets in a value") << QByteArray(R"({"a":"[[[[[[{{{{{{"})") << 1 << QString();
    QTest::newRow("brackets in a key") << QByteArray(R"({"[[[[[[":1})") << 1 << QString();
    QTest::newRow("escaped quote then brackets") << QByteArray(R"({"a":"\"[[[[[[\""})") << 1 << QString();
    QTest::newRow("escaped backslash ends the string")
            << QByteArray(R"({"a":"\\","b":"[[[[[["})") << 1 << QString();
    QTest::newRow("escaped backslash, then a real array")
            << QByteArray(R"({"a":"\\","b":[[1]]})") << 2 << deep;
    QTest::newRow("a value that looks like a duplicate key")
            << QByteArray(R"({"a":"x\",\"a\":1"})") << 4 << QString();

    // Duplicate keys.
    QTest::newRow("same key twice") << QByteArray(R"({"a":1,"a":2})") << 4 << twice;
    QTest::newRow("same key, other types") << QByteArray(R"({"a":"x","b":1,"a":[1]})") << 4 << twice;
    QTest::newRow("same key in a nested object") << QByteArray(R"({"a":{"b":1,"b":2}})") << 4 << twice;
    QTest::newRow("same key in an object in an array") << QByteArray(R"([{"a":1,"a":2}])") << 4 << twice;
    QTest::newRow("same key after a nested array") << QByteArray(R"({"a":[1,{"b":1}],"a":2})") << 4 << twice;
    QTest::newRow("same key after a nested object") << QByteArray(R"({"x":{"y":1},"x":2})") << 4 << twice;
    QTest::newRow("same key, \\u escape") << QByteArray(R"({"a":1,"\u0061":2})") << 4 << twice;
    QTest::newRow("same key, upper-case hex") << QByteArray(R"({"J":1,"\u004A":2})") << 4 << twice;
    QTest::newRow("same key, UTF-8 and \\u")
            << QByteArray("{\"\xc3\xa9t\xc3\xa9\":1,\"\\u00e9t\\u00e9\":2}") << 4 << twice;
    QTest::newRow("same key, surrogate pair and UTF-8")
            << QByteArray("{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}") << 4 << twice;
    QTest::newRow("same key, \\n and \\u000a") << QByteArray(R"({"\n":1,"\u000a":2})") << 4 << twice;
    QTest::newRow("same key, \\t and \\u0009") << QByteArray(R"({"\t":1,"\u0009":2})") << 4 << twice;
    QTest::newRow("same key, \\/ and /") << QByteArray(R"({"\/":1,"/":2})") << 4 << twice;
    QTest::newRow("same key, \\\" and \\u0022") << QByteArray(R"({"\"":1,"\u0022":2})") << 4 << twice;
    QTest::newRow("same key, \\\\ and \\u005c") << QByteArray(R"({"\\":1,"\u005c":2})") << 4 << twice;
    QTest::newRow("same key, escape mid-key") << QByteArray(R"({"ab\ncd":1,"ab\u000acd":2})") << 4 << twice;
    QTest::newRow("same empty key") << QByteArray(R"({"":1,"":2})") << 4 << twice;

    // Not duplicates.
    QTest::newRow("keys differ in case") << QByteArray(R"({"a":1,"A":2})") << 4 << QString();
    QTest::newRow("one key a prefix of the other") << QByteArray(R"({"ab":1,"a":2})") << 4 << QString();
    QTest::newRow("a NUL makes another key") << QByteArray(R"({"a\u0000":1,"a":2})") << 4 << QString();
    QTest::newRow("same key in two objects") << QByteArray(R"([{"a":1},{"a":2}])") << 4 << QString();
    QTest::newRow("same key inside and outside") << QByteArray(R"({"a":{"a":1}})") << 4 << QString();
    QTest::newRow("same key in sibling objects")
            << QByteArray(R"({"x":{"c":1},"y":{"c":2},"c":3})") << 4 << QString();
    QTest::newRow("a value equal to the key") << QByteArray(R"({"a":"a"})") << 4 << QString();
    QTest::newRow("strings in an array are no keys")
            << QByteArray(R"({"a":["x","x"],"x":1})") << 4 << QString();
    QTest::newRow("an escaped quote in different keys") << QByteArray(R"({"a\"":1,"a":2})") << 4 << QString();

    // Not an object, or not JSON at all: not this check's business.
    QTest::newRow("an array") << QByteArray("[1,2,3]") << 4 << QString();
    QTest::newRow("a string") << QByteArray(R"("a")") << 4 << QString();
    QTest::newRow("a number") << QByteArray("42") << 4 << QString();
    QTest::newRow("null") << QByteArray("null") << 4 << QString();
    QTest::newRow("nothing") << QByteArray() << 4 << QString();
    QTest::newRow("plain text") << QByteArray("hello, world: /nick bob") << 4 << QString();
    QTest::newRow("double commas") << QByteArray(R"({"a":1,,"b":2})") << 4 << QString();
    QTest::newRow("unbalanced closers") << QByteArray("}]}]{}") << 4 << QString();
    QTest::newRow("unterminated object") << QByteArray(R"({"a":)") << 4 << QString();
    QTest::newRow("unterminated string") << QByteArray(R"({"a)") << 4 << QString();
    QTest::newRow("a backslash at the end") << QByteArray(R"({"a\)") << 4 << QString();
    QTest::newRow("a short \\u escape at the end") << QByteArray(R"({"\u00)") << 4 << QString();
}

void tst_JsonStructure::check()
{
    QFETCH(QByteArray, json);
    QFETCH(int, maxDepth);
    QFETCH(QString, refusal);

    QString why;
    const bool ok = JsonStructure::check(json, maxDepth, &why);
    if (refusal.isEmpty()) {
        QVERIFY2(ok, qPrintable(QStringLiteral("refused: %1").arg(why)));
    } else {
        QVERIFY2(!ok, "accepted");
        QVERIFY2(why.contains(refusal), qPrintable(QStringLiteral("why: %1").arg(why)));
    }
}

void tst_JsonStructure::whyNamesTheLimit()
{
    QString why;
    QVERIFY(!JsonStructure::check("[[[[[[[[]]]]]]]]", 3, &why));
    QCOMPARE(why, QStringLiteral("nested more than 3 deep"));
    QVERIFY(!JsonStructure::check("[[[[[[[[]]]]]]]]", 7, &why));
    QCOMPARE(why, QStringLiteral("nested more than 7 deep"));
}

void tst_JsonStructure::whyNamesTheKey()
{
    // The key as decoded, quoted the way every error quotes what a peer sent.
    QString why;
    QVERIFY(!JsonStructure::check(R"({"nick":"a","ni\u0063k":"b"})", 4, &why));
    QCOMPARE(why, QStringLiteral("the key \"nick\" appears twice"));
}

void tst_JsonStructure::manyKeys()
{
    // A long line of distinct keys passes; the same line with its first key again at the end
    // does not.
    QByteArray json = "{";
    for (int i = 0; i < 400; ++i)
        json += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ',';
    json += "\"last\":0}";
    QString why;
    QVERIFY2(JsonStructure::check(json, 4, &why), qPrintable(why));

    json.chop(1);
    json += ",\"k0\":1}";
    QVERIFY(!JsonStructure::check(json, 4, &why));
    QVERIFY2(why.contains(QLatin1String("\"k0\"")), qPrintable(why));
}

void tst_JsonStructure::deepNestingIsRefusedEarly()
{
    // A line of nothing but openers (a stack to exhaust) is refused at the limit, whatever
    // follows.
    const QByteArray json = QByteArray(100000, '[') + QByteArray(100000, ']');
    QString why;
    QVERIFY(!JsonStructure::check(json, 4, &why));
    QCOMPARE(why, QStringLiteral("nested more than 4 deep"));
}

QTEST_APPLESS_MAIN(tst_JsonStructure)
#include "tst_jsonstructure.moc"
