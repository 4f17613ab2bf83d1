#include "nickcolor.h"

#include <QSet>
#include <QTest>

namespace {

// WCAG relative luminance and contrast ratio.
double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a) + 0.05;
    const double lb = luminance(b) + 0.05;
    return la > lb ? la / lb : lb / la;
}

} // namespace

class tst_NickColor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stableAndCaseBlind();
    void spreadsOverThePalette();
    void readableOnLightAndDark_data();
    void readableOnLightAndDark();
};

void tst_NickColor::stableAndCaseBlind()
{
    const QColor white(Qt::white);
    QCOMPARE(NickColor::forNick(QStringLiteral("alice"), white),
             NickColor::forNick(QStringLiteral("alice"), white));
    QCOMPARE(NickColor::forNick(QStringLiteral("Alice"), white),
             NickColor::forNick(QStringLiteral("ALICE"), white));
    // The same on every machine and at every start (no seeded hash): fixed expectations.
    QCOMPARE(NickColor::forNick(QStringLiteral("alice"), white).name(), QStringLiteral("#7a4429"));
    QCOMPARE(NickColor::forNick(QStringLiteral("bob"), white).name(), QStringLiteral("#bb1b1b"));
    QVERIFY(NickColor::forNick(QStringLiteral("bob"), white) !=
            NickColor::forNick(QStringLiteral("张伟"), white));
}

void tst_NickColor::spreadsOverThePalette()
{
    QSet<QRgb> colours;
    for (int i = 0; i < 200; ++i)
        colours.insert(NickColor::forNick(QStringLiteral("guest%1").arg(i), Qt::white).rgb());
    QCOMPARE(colours.size(), 10);
}

void tst_NickColor::readableOnLightAndDark_data()
{
    QTest::addColumn<QColor>("background");
    QTest::newRow("white") << QColor(Qt::white);
    QTest::newRow("light grey") << QColor(0xf0, 0xf0, 0xf0);
    QTest::newRow("dark") << QColor(0x2b, 0x2b, 0x2b);
    QTest::newRow("black") << QColor(Qt::black);
}

void tst_NickColor::readableOnLightAndDark()
{
    QFETCH(QColor, background);
    for (int i = 0; i < 200; ++i) {
        const QString nick = QStringLiteral("user%1").arg(i);
        const QColor colour = NickColor::forNick(nick, background);
        // Bold nicks: WCAG's 3:1 for large or bold text.
        QVERIFY2(contrast(colour, background) >= 3.0,
                 qPrintable(QStringLiteral("%1 %2 on %3: %4")
                                    .arg(nick, colour.name(), background.name())
                                    .arg(contrast(colour, background))));
    }
}

QTEST_GUILESS_MAIN(tst_NickColor)
#include "tst_nickcolor.moc"
