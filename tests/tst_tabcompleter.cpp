#include "chatcommand.h"
#include "tabcompleter.h"

#include <QtTest>

// Tab completion as HexChat and irssi do it (issue 15: Tab moved the focus to Send).
class tst_TabCompleter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstTab_data();
    void firstTab();
    void cyclesAndGoesBack();
    void typingStartsAgain();
    void emojiCycle();

private:
    static TabCompleter::Candidates candidates()
    {
        return { { QStringLiteral("bob"), QStringLiteral("alice"), QStringLiteral("Alfred"),
                   QStringLiteral("张伟"), QStringLiteral("dave") },
                 { QStringLiteral("#general"), QStringLiteral("#dev"), QStringLiteral("#design") },
                 ChatCommand::commandNames() };
    }
};

void tst_TabCompleter::firstTab_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cursor"); // -1: at the end
    QTest::addColumn<QString>("expected"); // empty: no completion
    QTest::addColumn<int>("expectedCursor"); // -1: at the end

    // A nick at the start of the line is addressed: "nick: ".
    QTest::newRow("nick at the start") << QStringLiteral("bo") << -1 << QStringLiteral("bob: ") << -1;
    // Matches in order without regard to case: Alfred before alice.
    QTest::newRow("first of two") << QStringLiteral("al") << -1 << QStringLiteral("Alfred: ") << -1;
    QTest::newRow("case does not matter") << QStringLiteral("BO") << -1 << QStringLiteral("bob: ") << -1;
    // The shared nick comparison: a Cyrillic а (U+0430) is the Latin a it looks like.
    QTest::newRow("look-alike letter")
            << QStringLiteral("\u0430lic") << -1 << QStringLiteral("alice: ") << -1;
    QTest::newRow("not Latin") << QStringLiteral("张") << -1 << QStringLiteral("张伟: ") << -1;
    // Inside a sentence: "nick ".
    QTest::newRow("nick in a sentence")
            << QStringLiteral("thanks da") << -1 << QStringLiteral("thanks dave ") << -1;
    // The word before the cursor, the rest kept; no second space.
    QTest::newRow("cursor in the middle")
            << QStringLiteral("ask bo about it") << 6 << QStringLiteral("ask bob about it") << 7;
    QTest::newRow("rooms") << QStringLiteral("see #gen") << -1 << QStringLiteral("see #general ") << -1;
    QTest::newRow("room first of two") << QStringLiteral("#de") << -1 << QStringLiteral("#design ") << -1;
    QTest::newRow("commands") << QStringLiteral("/jo") << -1 << QStringLiteral("/join ") << -1;
    QTest::newRow("command, case") << QStringLiteral("/TO") << -1 << QStringLiteral("/topic ") << -1;
    // A '/' word is a command at the start of the line only.
    QTest::newRow("slash later") << QStringLiteral("and /jo") << -1 << QString() << 0;
    QTest::newRow("no match") << QStringLiteral("zed") << -1 << QString() << 0;
    // CLDR shortcodes become the emoji itself, with nothing after it.
    QTest::newRow("emoji shortcode") << QStringLiteral("great :thu") << -1
                                     << QStringLiteral("great \U0001F44D") << -1;
    QTest::newRow("emoji shortcode closed")
            << QStringLiteral(":grinning_face:") << -1 << QStringLiteral("\U0001F600") << -1;
    QTest::newRow("emoji shortcode, capitals")
            << QStringLiteral(":Red_H") << -1 << QStringLiteral("\u2764\ufe0f") << -1;
    // One letter after the colon is too little (":D" is a smiley as typed).
    QTest::newRow("colon and one letter") << QStringLiteral(":D") << -1 << QString() << 0;
    QTest::newRow("no such shortcode") << QStringLiteral(":zzqx") << -1 << QString() << 0;
    QTest::newRow("no word") << QStringLiteral("hello ") << -1 << QString() << 0;
}

void tst_TabCompleter::firstTab()
{
    QFETCH(QString, text);
    QFETCH(int, cursor);
    QFETCH(QString, expected);
    QFETCH(int, expectedCursor);
    TabCompleter completer;
    const auto result = completer.complete(text, cursor < 0 ? int(text.size()) : cursor, candidates());
    if (expected.isEmpty()) {
        QVERIFY2(!result, qPrintable(result ? result->text : QString()));
        return;
    }
    QVERIFY(result);
    QCOMPARE(result->text, expected);
    QCOMPARE(result->cursor, expectedCursor < 0 ? int(expected.size()) : expectedCursor);
}

void tst_TabCompleter::cyclesAndGoesBack()
{
    TabCompleter completer;
    const TabCompleter::Candidates all = candidates();
    auto result = completer.complete(QStringLiteral("hi a"), 4, all);
    QVERIFY(result);
    QCOMPARE(result->text, QStringLiteral("hi Alfred "));
    result = completer.complete(result->text, result->cursor, all);
    QCOMPARE(result->text, QStringLiteral("hi alice "));
    // Round to the first again.
    result = completer.complete(result->text, result->cursor, all);
    QCOMPARE(result->text, QStringLiteral("hi Alfred "));
    // Shift+Tab goes back.
    result = completer.complete(result->text, result->cursor, all, true);
    QCOMPARE(result->text, QStringLiteral("hi alice "));
    // Shift+Tab first: the last match.
    TabCompleter backwards;
    result = backwards.complete(QStringLiteral("a"), 1, all, true);
    QCOMPARE(result->text, QStringLiteral("alice: "));
}

void tst_TabCompleter::emojiCycle()
{
    TabCompleter completer;
    auto result = completer.complete(QStringLiteral(":thumbs"), 7, candidates());
    QVERIFY(result);
    QCOMPARE(result->text, QStringLiteral("\U0001F44D"));
    result = completer.complete(result->text, result->cursor, candidates());
    QCOMPARE(result->text, QStringLiteral("\U0001F44E"));
}

void tst_TabCompleter::typingStartsAgain()
{
    TabCompleter completer;
    const TabCompleter::Candidates all = candidates();
    auto result = completer.complete(QStringLiteral("a"), 1, all);
    QCOMPARE(result->text, QStringLiteral("Alfred: "));
    // The user typed on: a new word, a new completion.
    const QString typed = result->text + QStringLiteral("ask d");
    result = completer.complete(typed, int(typed.size()), all);
    QVERIFY(result);
    QCOMPARE(result->text, QStringLiteral("Alfred: ask dave "));
}

QTEST_APPLESS_MAIN(tst_TabCompleter)
#include "tst_tabcompleter.moc"
