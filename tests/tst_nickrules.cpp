#include "nickrules.h"

#include <QTest>

class tst_NickRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validity_data();
    void validity();
    void sameNick_data();
    void sameNick();
};

void tst_NickRules::validity_data()
{
    QTest::addColumn<QString>("nick");
    QTest::addColumn<bool>("valid");

    QTest::newRow("simple") << QStringLiteral("alice") << true;
    QTest::newRow("digits and marks") << QStringLiteral("bob_2.0-x") << true;
    QTest::newRow("one character") << QStringLiteral("a") << true;
    QTest::newRow("32 characters") << QString(32, u'a') << true;
    QTest::newRow("Chinese") << QStringLiteral("张伟") << true;
    QTest::newRow("32 Chinese characters") << QString(32, QChar(0x4e2d)) << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("33 characters") << QString(33, u'a') << false;
    QTest::newRow("10000 characters") << QString(10000, u'a') << false;
    QTest::newRow("space") << QStringLiteral("alice bob") << false;
    QTest::newRow("tab") << QStringLiteral("alice\tbob") << false;
    QTest::newRow("colon") << QStringLiteral("alice:") << false;
    QTest::newRow("slash") << QStringLiteral("/nick") << false;
    QTest::newRow("asterisk") << QStringLiteral("*server*") << false;
    QTest::newRow("HTML") << QStringLiteral("<b>x</b>") << false;
    QTest::newRow("control character") << QStringLiteral("a\x1b[31m") << false;
    QTest::newRow("zero-width space")
            << (QStringLiteral("ad") + QChar(0x200b) + QStringLiteral("min")) << false;
    QTest::newRow("right-to-left override") << (QChar(0x202e) + QStringLiteral("nimda")) << false;
    QTest::newRow("emoji") << QStringLiteral("😀") << false;
    QTest::newRow("Roman numeral") << QStringLiteral("Ⅻ") << false;
}

void tst_NickRules::validity()
{
    QFETCH(QString, nick);
    QFETCH(bool, valid);
    QCOMPARE(NickRules::isValid(nick), valid);
}

void tst_NickRules::sameNick_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<bool>("same");

    QTest::newRow("identical") << QStringLiteral("alice") << QStringLiteral("alice") << true;
    QTest::newRow("case") << QStringLiteral("Alice") << QStringLiteral("aLICE") << true;
    QTest::newRow("full-width letters") << QStringLiteral("ａｌｉｃｅ") << QStringLiteral("alice") << true;
    QTest::newRow("Cyrillic case") << QStringLiteral("Иван") << QStringLiteral("иВАН") << true;
    QTest::newRow("different") << QStringLiteral("alice") << QStringLiteral("alicia") << false;
    QTest::newRow("dot matters") << QStringLiteral("a.b") << QStringLiteral("ab") << false;
}

void tst_NickRules::sameNick()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(bool, same);
    QCOMPARE(NickRules::key(a) == NickRules::key(b), same);
}

QTEST_APPLESS_MAIN(tst_NickRules)
#include "tst_nickrules.moc"
