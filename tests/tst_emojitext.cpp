#include "emojitext.h"

#include <QtTest>

// EmojiText against Unicode's emoji data (UTS #51) as ICU has it: which user-perceived
// characters are emoji by default, and the stretches of a text they make.
class tst_EmojiText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void runs_data();
    void runs();
};

using Runs = QList<EmojiText::Run>;
Q_DECLARE_METATYPE(EmojiText::Run)

namespace QTest {
template<>
char *toString(const EmojiText::Run &run)
{
    const QByteArray text = QByteArray::number(run.start) + '+' + QByteArray::number(run.length);
    return qstrdup(text.constData());
}
} // namespace QTest

void tst_EmojiText::runs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Runs>("expected");

    QTest::newRow("empty") << QString() << Runs{};
    QTest::newRow("ASCII") << QStringLiteral("see you at 10 #dev *now*") << Runs{};
    // Emoji_Presentation: a grinning face is an emoji wherever it stands (two UTF-16 units).
    QTest::newRow("one emoji") << QStringLiteral("hi \U0001F600!") << Runs{ { 3, 2 } };
    // Neighbouring emoji make one stretch; a space ends it.
    QTest::newRow("emoji side by side")
            << QStringLiteral("party \U0001F389\U0001F600\U0001F44D tonight") << Runs{ { 6, 6 } };
    QTest::newRow("emoji apart") << QStringLiteral("\U0001F600 \U0001F600") << Runs{ { 0, 2 }, { 3, 2 } };
    // Text-style by default: the copyright sign, a smiley, a heart without a selector.
    QTest::newRow("text presentation") << QStringLiteral("\u00a9 \u263a \u2764 \u2122") << Runs{};
    // With the emoji variation selector U+FE0F the heart is an emoji, selector included.
    QTest::newRow("heart with VS16") << QStringLiteral("I \u2764\ufe0f it") << Runs{ { 2, 2 } };
    // A keycap: digit, VS16, combining enclosing keycap.
    QTest::newRow("keycap") << QStringLiteral("press 1\ufe0f\u20e3") << Runs{ { 6, 3 } };
    // A plain digit or '#' is no emoji, though they have the Emoji property.
    QTest::newRow("digits and hash") << QStringLiteral("1 # 2 \u00e9") << Runs{};
    // A flag: two regional indicators, one character.
    QTest::newRow("flag") << QStringLiteral("\U0001F1E8\U0001F1F3 team") << Runs{ { 0, 4 } };
    // A skin tone stays with its hand, a family with its joiners: whole clusters.
    QTest::newRow("skin tone") << QStringLiteral("ok\U0001F44D\U0001F3FD") << Runs{ { 2, 4 } };
    QTest::newRow("family with ZWJ") << QStringLiteral("\U0001F468\u200d\U0001F469\u200d\U0001F467 home")
                                     << Runs{ { 0, 8 } };
    // Chinese and accented Latin are text.
    QTest::newRow("CJK") << QStringLiteral("\u4f60\u597d \U0001F600") << Runs{ { 3, 2 } };
}

void tst_EmojiText::runs()
{
    QFETCH(QString, text);
    QFETCH(Runs, expected);
    QCOMPARE(EmojiText::runs(text), expected);
}

QTEST_APPLESS_MAIN(tst_EmojiText)
#include "tst_emojitext.moc"
