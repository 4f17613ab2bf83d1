#include "ircmessage.h"

#include <QtTest>

using Tags = QList<std::pair<QString, QString>>;

// IrcMessage (src/shared/ircmessage.h): IRC lines both ways, by the "Modern IRC Client
// Protocol" message format and IRCv3 message-tags. The cases are our own, in the manner of
// the parser tests of libcommuni and Quassel: one row a line.
class tst_IrcMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data();
    void parses();
    void refuses_data();
    void refuses();
    void writes_data();
    void writes();
    void tagValuesEscape_data();
    void tagValuesEscape();
    void sourceNick();
    void invalidUtf8IsMarked();
};

void tst_IrcMessage::parses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<Tags>("tags");
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("params");

    const QString none;
    QTest::newRow("bare command") << QByteArray("PING") << Tags() << none << QStringLiteral("PING")
                                  << QStringList();
    QTest::newRow("lower case command")
            << QByteArray("privmsg #a :hi") << Tags() << none << QStringLiteral("PRIVMSG")
            << QStringList{ QStringLiteral("#a"), QStringLiteral("hi") };
    QTest::newRow("middle params") << QByteArray("USER guest 0 * :Real Name") << Tags() << none
                                   << QStringLiteral("USER")
                                   << QStringList{ QStringLiteral("guest"), QStringLiteral("0"),
                                                   QStringLiteral("*"), QStringLiteral("Real Name") };
    QTest::newRow("source") << QByteArray(":nick!user@host PRIVMSG #chan :hello there") << Tags()
                            << QStringLiteral("nick!user@host") << QStringLiteral("PRIVMSG")
                            << QStringList{ QStringLiteral("#chan"), QStringLiteral("hello there") };
    QTest::newRow("numeric") << QByteArray(":irc.example 001 alice :Welcome") << Tags()
                             << QStringLiteral("irc.example") << QStringLiteral("001")
                             << QStringList{ QStringLiteral("alice"), QStringLiteral("Welcome") };
    QTest::newRow("empty trailing") << QByteArray("TOPIC #a :") << Tags() << none << QStringLiteral("TOPIC")
                                    << QStringList{ QStringLiteral("#a"), QString() };
    QTest::newRow("trailing with colons")
            << QByteArray("PRIVMSG #a ::-) :x") << Tags() << none << QStringLiteral("PRIVMSG")
            << QStringList{ QStringLiteral("#a"), QStringLiteral(":-) :x") };
    QTest::newRow("trailing keeps spaces")
            << QByteArray("PRIVMSG #a :  two  spaces ") << Tags() << none << QStringLiteral("PRIVMSG")
            << QStringList{ QStringLiteral("#a"), QStringLiteral("  two  spaces ") };
    QTest::newRow("several spaces between")
            << QByteArray("JOIN   #a    key") << Tags() << none << QStringLiteral("JOIN")
            << QStringList{ QStringLiteral("#a"), QStringLiteral("key") };
    QTest::newRow("trailing space after params")
            << QByteArray("NICK bob ") << Tags() << none << QStringLiteral("NICK")
            << QStringList{ QStringLiteral("bob") };
    QTest::newRow("a colon inside a middle param")
            << QByteArray("MODE #a +k a:b") << Tags() << none << QStringLiteral("MODE")
            << QStringList{ QStringLiteral("#a"), QStringLiteral("+k"), QStringLiteral("a:b") };
    QTest::newRow("tags") << QByteArray("@time=2026-11-30T12:00:00.000Z;msgid=42 :a!b@c PRIVMSG #a :x")
                          << Tags{ { QStringLiteral("time"), QStringLiteral("2026-11-30T12:00:00.000Z") },
                                   { QStringLiteral("msgid"), QStringLiteral("42") } }
                          << QStringLiteral("a!b@c") << QStringLiteral("PRIVMSG")
                          << QStringList{ QStringLiteral("#a"), QStringLiteral("x") };
    QTest::newRow("tag without a value, client tag, vendor tag")
            << QByteArray("@draft/reply=1;+typing=active;example.com/flag TAGMSG #a")
            << Tags{ { QStringLiteral("draft/reply"), QStringLiteral("1") },
                     { QStringLiteral("+typing"), QStringLiteral("active") },
                     { QStringLiteral("example.com/flag"), QString() } }
            << none << QStringLiteral("TAGMSG") << QStringList{ QStringLiteral("#a") };
    QTest::newRow("escaped tag value")
            << QByteArray(R"(@label=a\sb\:c\\d\re\nf PING x)")
            << Tags{ { QStringLiteral("label"), QStringLiteral("a b;c\\d\re\nf") } } << none
            << QStringLiteral("PING") << QStringList{ QStringLiteral("x") };
    QTest::newRow("a key twice: the last value") << QByteArray("@a=1;b=2;a=3 PING")
                                                 << Tags{ { QStringLiteral("a"), QStringLiteral("3") },
                                                          { QStringLiteral("b"), QStringLiteral("2") } }
                                                 << none << QStringLiteral("PING") << QStringList();
    QTest::newRow("empty tag items and keys")
            << QByteArray("@;=x;a=1;;= PING") << Tags{ { QStringLiteral("a"), QStringLiteral("1") } } << none
            << QStringLiteral("PING") << QStringList();
    QTest::newRow("UTF-8 text") << QByteArray("PRIVMSG #中文 :你好 👋") << Tags() << none
                                << QStringLiteral("PRIVMSG")
                                << QStringList{ QStringLiteral("#中文"), QStringLiteral("你好 👋") };
    QTest::newRow("more than 15 params")
            << QByteArray("X 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 :17") << Tags() << none
            << QStringLiteral("X") << QStringLiteral("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17").split(u' ');
}

void tst_IrcMessage::parses()
{
    QFETCH(QByteArray, line);
    QString error;
    const std::optional<IrcMessage> message = IrcMessage::parse(line, &error);
    QVERIFY2(message, qPrintable(error));
    QTEST(message->tags, "tags");
    QTEST(message->source, "source");
    QTEST(message->command, "command");
    QTEST(message->params, "params");
    QVERIFY(message->validUtf8);
    // Written again and read back, it is the same message.
    QCOMPARE(IrcMessage::parse(message->toLine().chopped(2)), message);
}

void tst_IrcMessage::refuses_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << QByteArray("") << QStringLiteral("no command");
    QTest::newRow("spaces") << QByteArray("   ") << QStringLiteral("no command");
    QTest::newRow("tags only") << QByteArray("@a=1") << QStringLiteral("no command");
    QTest::newRow("source only") << QByteArray(":nick!u@h") << QStringLiteral("no command");
    QTest::newRow("two digits") << QByteArray("01 x")
                                << QStringLiteral("a command is letters or three digits");
    QTest::newRow("four digits") << QByteArray("0001 x")
                                 << QStringLiteral("a command is letters or three digits");
    QTest::newRow("punctuation") << QByteArray("PRIV-MSG x")
                                 << QStringLiteral("a command is letters or three digits");
    QTest::newRow("NUL") << QByteArray("PRIVMSG #a :a\0b", 15)
                         << QStringLiteral("a message cannot hold NUL, CR or LF");
    QTest::newRow("CR inside") << QByteArray("PRIVMSG #a :a\rb")
                               << QStringLiteral("a message cannot hold NUL, CR or LF");
}

void tst_IrcMessage::refuses()
{
    QFETCH(QByteArray, line);
    QString error;
    const std::optional<IrcMessage> message = IrcMessage::parse(line, &error);
    QVERIFY2(!message, message ? message->toLine().constData() : "");
    QTEST(error, "why");
}

void tst_IrcMessage::writes_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("params");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("no params") << QString() << QStringLiteral("PING") << QStringList()
                               << QByteArray("PING\r\n");
    QTest::newRow("last without spaces stays a middle")
            << QStringLiteral("irc.example") << QStringLiteral("001")
            << QStringList{ QStringLiteral("alice"), QStringLiteral("Welcome") }
            << QByteArray(":irc.example 001 alice Welcome\r\n");
    QTest::newRow("last with a space is trailing")
            << QString() << QStringLiteral("PRIVMSG")
            << QStringList{ QStringLiteral("#a"), QStringLiteral("hi there") }
            << QByteArray("PRIVMSG #a :hi there\r\n");
    QTest::newRow("empty last") << QString() << QStringLiteral("TOPIC")
                                << QStringList{ QStringLiteral("#a"), QString() }
                                << QByteArray("TOPIC #a :\r\n");
    QTest::newRow("last starting with a colon")
            << QString() << QStringLiteral("PRIVMSG")
            << QStringList{ QStringLiteral("#a"), QStringLiteral(":)") } << QByteArray("PRIVMSG #a ::)\r\n");
}

void tst_IrcMessage::writes()
{
    IrcMessage message;
    QFETCH(QString, source);
    QFETCH(QString, command);
    QFETCH(QStringList, params);
    message.source = source;
    message.command = command;
    message.params = params;
    QTEST(message.toLine(), "line");
}

void tst_IrcMessage::tagValuesEscape_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("abc");
    QTest::newRow("every escape") << QStringLiteral("; \\\r\n") << QStringLiteral("\\:\\s\\\\\\r\\n");
    QTest::newRow("unicode") << QStringLiteral("ü 中") << QStringLiteral("ü\\s中");
}

void tst_IrcMessage::tagValuesEscape()
{
    QFETCH(QString, value);
    QFETCH(QString, escaped);
    QCOMPARE(IrcMessage::escapeTagValue(value), escaped);
    QCOMPARE(IrcMessage::unescapeTagValue(escaped), value);
    // The specification's rules for what is not a valid escape.
    QCOMPARE(IrcMessage::unescapeTagValue(u"a\\"), QStringLiteral("a"));
    QCOMPARE(IrcMessage::unescapeTagValue(u"\\b\\"), QStringLiteral("b"));
    // A tag with an empty value is written without '='.
    IrcMessage message;
    message.command = QStringLiteral("PING");
    message.tags = { { QStringLiteral("k"), value }, { QStringLiteral("empty"), QString() } };
    QCOMPARE(message.toLine(), QByteArray("@k=" + escaped.toUtf8() + ";empty PING\r\n"));
}

void tst_IrcMessage::sourceNick()
{
    IrcMessage message;
    message.source = QStringLiteral("nick!user@host");
    QCOMPARE(message.sourceNick(), QStringLiteral("nick"));
    message.source = QStringLiteral("nick@host");
    QCOMPARE(message.sourceNick(), QStringLiteral("nick"));
    message.source = QStringLiteral("irc.example");
    QCOMPARE(message.sourceNick(), QStringLiteral("irc.example"));
}

void tst_IrcMessage::invalidUtf8IsMarked()
{
    const std::optional<IrcMessage> message = IrcMessage::parse("PRIVMSG #a :caf\xe9");
    QVERIFY(message);
    QVERIFY(!message->validUtf8);
    QCOMPARE(message->params.last(), QStringLiteral("caf\uFFFD"));
}

QTEST_GUILESS_MAIN(tst_IrcMessage)
#include "tst_ircmessage.moc"
