#include "nickrules.h"

#include <QTest>

using Problem = NickRules::Problem;
Q_DECLARE_METATYPE(NickRules::Problem)

// The identifier profile (UTS #39 through ICU): what a nick may be, in many writing systems,
// and which nicks are one because they read the same.
class tst_NickRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void profile_data();
    void profile();
    void prepareNormalizes();
    void sameNick_data();
    void sameNick();
    void ruleTextIsOneString();
};

void tst_NickRules::profile_data()
{
    QTest::addColumn<QString>("nick");
    QTest::addColumn<Problem>("problem");

    // Allowed, in many writing systems.
    QTest::newRow("Latin") << QStringLiteral("alice") << Problem::None;
    QTest::newRow("digits and punctuation") << QStringLiteral("bob_2.0-x") << Problem::None;
    QTest::newRow("one character") << QStringLiteral("a") << Problem::None;
    QTest::newRow("32 characters") << QString(32, u'a') << Problem::None;
    QTest::newRow("Latin with accents") << QStringLiteral("José_Müller") << Problem::None;
    QTest::newRow("Chinese") << QStringLiteral("张伟") << Problem::None;
    QTest::newRow("32 Chinese characters") << QString(32, QChar(0x4e2d)) << Problem::None;
    QTest::newRow("Japanese, Han and Katakana") << QStringLiteral("日本語テスト") << Problem::None;
    QTest::newRow("Korean") << QStringLiteral("김민준") << Problem::None;
    QTest::newRow("Devanagari with vowel signs") << QStringLiteral("राम") << Problem::None;
    QTest::newRow("Tamil with vowel sign and virama") << QStringLiteral("தமிழ்") << Problem::None;
    QTest::newRow("Arabic") << QStringLiteral("محمد") << Problem::None;
    QTest::newRow("Hebrew") << QStringLiteral("דוד") << Problem::None;
    QTest::newRow("Cyrillic") << QStringLiteral("Лена") << Problem::None;
    QTest::newRow("Greek") << QStringLiteral("Αθηνά") << Problem::None;
    QTest::newRow("Thai") << QStringLiteral("สมชาย") << Problem::None;
    QTest::newRow("Latin with Han") << QStringLiteral("alice张") << Problem::None;
    // 20 Devanagari characters, 40 code points: characters count, not code points.
    QTest::newRow("20 Devanagari syllables") << QStringLiteral("रा").repeated(20) << Problem::None;

    // Invisible: fillers, zero-width characters, bidirectional controls.
    QTest::newRow("HANGUL FILLER alone") << QStringLiteral("\u3164") << Problem::Invisible;
    QTest::newRow("alice + HANGUL FILLER") << QStringLiteral("alice\u3164") << Problem::Invisible;
    QTest::newRow("alice + HANGUL CHOSEONG FILLER") << QStringLiteral("alice\u115f") << Problem::Invisible;
    QTest::newRow("alice + HALFWIDTH HANGUL FILLER") << QStringLiteral("alice\uffa0") << Problem::Invisible;
    QTest::newRow("HANGUL JUNGSEONG FILLER") << QStringLiteral("a\u1160") << Problem::Invisible;
    QTest::newRow("zero-width space") << QStringLiteral("ad\u200bmin") << Problem::Invisible;
    QTest::newRow("zero-width joiner") << QStringLiteral("a\u200db") << Problem::Invisible;
    QTest::newRow("soft hyphen") << QStringLiteral("ad\u00admin") << Problem::Invisible;
    QTest::newRow("right-to-left override") << QStringLiteral("\u202enimda") << Problem::Invisible;
    QTest::newRow("first-strong isolate") << QStringLiteral("\u2068bob\u2069") << Problem::Invisible;
    QTest::newRow("variation selector") << QStringLiteral("a\ufe0f") << Problem::Invisible;
    QTest::newRow("a mark repeated") << QStringLiteral("\u00e9\u0301") << Problem::Invisible;
    QTest::newRow("a dot hidden in i") << QStringLiteral("i\u0307") << Problem::Invisible;

    // Look-alike scripts mixed, numbering systems mixed.
    QTest::newRow("Cyrillic a in Latin") << QStringLiteral("\u0430lice") << Problem::MixedScripts;
    QTest::newRow("Greek omicron in Latin") << QStringLiteral("b\u03bfb") << Problem::MixedScripts;
    QTest::newRow("Arabic-Indic and ASCII digits") << QStringLiteral("\u0661"
                                                                     "2")
                                                   << Problem::MixedScripts;

    // Marks belong to letters.
    QTest::newRow("a vowel sign alone") << QStringLiteral("\u093e") << Problem::MarkWithoutLetter;
    QTest::newRow("an accent after a digit") << QStringLiteral("a1\u0301") << Problem::MarkWithoutLetter;
    QTest::newRow("an accent after _") << QStringLiteral("a_\u0301") << Problem::MarkWithoutLetter;

    // Not nick characters at all.
    QTest::newRow("space") << QStringLiteral("alice bob") << Problem::Character;
    QTest::newRow("tab") << QStringLiteral("alice\tbob") << Problem::Character;
    QTest::newRow("colon") << QStringLiteral("alice:") << Problem::Character;
    QTest::newRow("slash") << QStringLiteral("/nick") << Problem::Character;
    QTest::newRow("asterisk") << QStringLiteral("*server*") << Problem::Character;
    QTest::newRow("HTML") << QStringLiteral("<b>x</b>") << Problem::Character;
    QTest::newRow("escape sequence") << QStringLiteral("a\x1b[31m") << Problem::Character;
    QTest::newRow("line separator") << QStringLiteral("a\u2028b") << Problem::Character;
    QTest::newRow("emoji") << QStringLiteral("😀") << Problem::Character;
    QTest::newRow("Roman numeral") << QStringLiteral("Ⅻ") << Problem::Character;
    QTest::newRow("full-width letters") << QStringLiteral("ａｌｉｃｅ") << Problem::Character;
    QTest::newRow("mathematical bold letters") << QStringLiteral("𝐚𝐥𝐢𝐜𝐞") << Problem::Character;
    QTest::newRow("not in NFC") << QStringLiteral("e\u0301") << Problem::Character;
    QTest::newRow("unpaired surrogate") << QString(QChar(0xd800)) << Problem::Character;

    QTest::newRow("only a dot") << QStringLiteral(".") << Problem::NoLetter;
    QTest::newRow("only punctuation") << QStringLiteral("-.-") << Problem::NoLetter;
    QTest::newRow("underscores") << QStringLiteral("__") << Problem::NoLetter;
    QTest::newRow("a digit is enough") << QStringLiteral("_1_") << Problem::None;
    QTest::newRow("empty") << QString() << Problem::Empty;
    QTest::newRow("33 characters") << QString(33, u'a') << Problem::TooLong;
    QTest::newRow("10000 characters") << QString(10000, u'a') << Problem::TooLong;
    QTest::newRow("one letter under 70 marks") << (u'a' + QString(70, QChar(0x0301))) << Problem::TooLong;
}

void tst_NickRules::profile()
{
    QFETCH(QString, nick);
    QFETCH(Problem, problem);
    QCOMPARE(NickRules::check(nick), problem);
    // isValid() prepares first: a nick not in NFC is valid in its NFC form.
    if (NickRules::prepare(nick) == nick)
        QCOMPARE(NickRules::isValid(nick), problem == Problem::None);
}

void tst_NickRules::prepareNormalizes()
{
    // Decomposed accents are composed (NFC); surrounding space goes.
    QCOMPARE(NickRules::prepare(QStringLiteral(" Jose\u0301 ")), QStringLiteral("José"));
    QVERIFY(NickRules::isValid(QStringLiteral("Jose\u0301")));
    QCOMPARE(NickRules::prepare(QStringLiteral("राम")), QStringLiteral("राम"));
}

void tst_NickRules::sameNick_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");

    QTest::newRow("identical") << QStringLiteral("alice") << QStringLiteral("alice") << true;
    QTest::newRow("case") << QStringLiteral("Alice") << QStringLiteral("aLICE") << true;
    QTest::newRow("normalisation form") << QStringLiteral("José") << QStringLiteral("Jose\u0301") << true;
    QTest::newRow("Cyrillic case") << QStringLiteral("Иван") << QStringLiteral("иВАН") << true;
    QTest::newRow("Cyrillic a for Latin a")
            << QStringLiteral("\u0430lice") << QStringLiteral("alice") << true;
    QTest::newRow("Greek omicron for o") << QStringLiteral("b\u03bfb") << QStringLiteral("bob") << true;
    QTest::newRow("digit zero for O") << QStringLiteral("b0b") << QStringLiteral("BOB") << true;
    QTest::newRow("digit one for l") << QStringLiteral("a1ice") << QStringLiteral("alice") << true;
    QTest::newRow("capital I for l") << QStringLiteral("aIice") << QStringLiteral("alice") << true;
    QTest::newRow("capital I is still i") << QStringLiteral("Ivan") << QStringLiteral("ivan") << true;
    QTest::newRow("rn for m") << QStringLiteral("rnary") << QStringLiteral("mary") << true;
    QTest::newRow("whole-script Cyrillic look-alike")
            << QStringLiteral("\u0441\u043e\u0440") << QStringLiteral("cop") << true;
    QTest::newRow("full-width letters") << QStringLiteral("ａｌｉｃｅ") << QStringLiteral("alice") << true;
    // What a nick looks like in capitals counts: ALICE reads as ALlCE.
    QTest::newRow("capitals with l for I") << QStringLiteral("ALlCE") << QStringLiteral("alice") << true;
    QTest::newRow("capitals with l for I, again") << QStringLiteral("BlLL") << QStringLiteral("bill") << true;
    QTest::newRow("Latin capitals for Cyrillic") << QStringLiteral("TECT") << QStringLiteral("тест") << true;
    QTest::newRow("Latin capitals for Greek") << QStringLiteral("PEA") << QStringLiteral("ρεα") << true;
    QTest::newRow("Latin capitals for Cyrillic, again")
            << QStringLiteral("HOC") << QStringLiteral("нос") << true;
    QTest::newRow("different") << QStringLiteral("alice") << QStringLiteral("alicia") << false;
    QTest::newRow("dot matters") << QStringLiteral("a.b") << QStringLiteral("ab") << false;
    QTest::newRow("different scripts, different names")
            << QStringLiteral("राम") << QStringLiteral("ram") << false;
}

void tst_NickRules::sameNick()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(NickRules::same(a, b), same);
    QCOMPARE(NickRules::same(b, a), same);
    // key() is the first of keys(): equal keys mean the same nick.
    QCOMPARE(NickRules::keys(a).constFirst(), NickRules::key(a));
    if (NickRules::key(a) == NickRules::key(b))
        QVERIFY(same);
}

void tst_NickRules::ruleTextIsOneString()
{
    // Without a translator the rule in the user's language is the protocol's.
    QCOMPARE(NickRules::ruleText(), NickRules::protocolRuleText());
    QVERIFY(NickRules::protocolRuleText().contains(QStringLiteral("32")));
}

QTEST_APPLESS_MAIN(tst_NickRules)
#include "tst_nickrules.moc"
