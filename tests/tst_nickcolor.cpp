#include "nickcolor.h"

#include <QHash>
#include <QSet>

#include <QTest>
#include <array>
#include <cmath>

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
    void peopleOfAConversationApart_data();
    void peopleOfAConversationApart();
    void paletteColoursDiffer();
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
    QCOMPARE(NickColor::preferredIndex(QStringLiteral("alice")), 6);
    QCOMPARE(NickColor::preferredIndex(QStringLiteral("bob")), 6);
    QCOMPARE(NickColor::forNick(QStringLiteral("alice"), white).name(), QStringLiteral("#1e7625"));
}

void tst_NickColor::spreadsOverThePalette()
{
    QSet<QRgb> colours;
    for (int i = 0; i < 200; ++i)
        colours.insert(NickColor::forNick(QStringLiteral("guest%1").arg(i), Qt::white).rgb());
    QCOMPARE(colours.size(), NickColor::paletteSize / 2);
}

void tst_NickColor::peopleOfAConversationApart_data()
{
    QTest::addColumn<QStringList>("nicks");
    // The pairs issue 15 saw alike, and a team of eight and one of sixteen.
    QTest::newRow("bob and dave") << QStringList{ QStringLiteral("bob"), QStringLiteral("dave") };
    QTest::newRow("lena and 张伟") << QStringList{ QStringLiteral("lena"), QStringLiteral("张伟") };
    QStringList team;
    for (const char *nick : { "alice", "bob", "carol", "dave", "erin", "frank", "lena", "张伟" })
        team.append(QString::fromUtf8(nick));
    QTest::newRow("eight") << team;
    QStringList guests;
    for (int i = 0; i < NickColor::paletteSize; ++i)
        guests.append(QStringLiteral("guest%1").arg(i));
    QTest::newRow("sixteen") << guests;
}

void tst_NickColor::peopleOfAConversationApart()
{
    QFETCH(QStringList, nicks);
    NickPalette palette;
    QHash<int, QString> byIndex;
    for (const QString &nick : nicks) {
        const int index = palette.indexFor(nick);
        QVERIFY2(!byIndex.contains(index), qPrintable(QStringLiteral("%1 and %2 share entry %3")
                                                              .arg(byIndex.value(index), nick)
                                                              .arg(index)));
        byIndex.insert(index, nick);
    }
    // Up to eight people have eight different hues, not two shades of one.
    if (nicks.size() <= NickColor::paletteSize / 2) {
        for (auto it = byIndex.cbegin(); it != byIndex.cend(); ++it)
            QVERIFY2(it.key() < NickColor::paletteSize / 2, qPrintable(it.value()));
    }
    // A nick keeps its colour, however it is written.
    const int first = palette.indexFor(nicks.constFirst());
    QCOMPARE(palette.indexFor(nicks.constFirst().toUpper()), first);
    // The first to arrive gets the colour it has everywhere else.
    QCOMPARE(first, NickColor::preferredIndex(nicks.constFirst()));
}

// CIE76 colour difference in CIELAB, from sRGB (D65).
static double labDistance(const QColor &a, const QColor &b)
{
    const auto lab = [](const QColor &c) {
        const auto linear = [](double v) {
            return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        const double r = linear(c.redF()), g = linear(c.greenF()), bl = linear(c.blueF());
        const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
        const double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        const double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        const auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
        return std::array<double, 3>{ 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)) };
    };
    const auto p = lab(a), q = lab(b);
    return std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) +
                     (p[2] - q[2]) * (p[2] - q[2]));
}

// Any two of the eight first-shade colours differ clearly (CIE76 distance over 20, where 2.3
// is the smallest difference people notice), on light and dark backgrounds; and every colour
// differs from every other at all.
void tst_NickColor::paletteColoursDiffer()
{
    for (const QColor background : { QColor(Qt::white), QColor(0x2b, 0x2b, 0x2b) }) {
        for (int i = 0; i < NickColor::paletteSize; ++i) {
            for (int j = i + 1; j < NickColor::paletteSize; ++j) {
                const QColor a = NickColor::colorAt(i, background);
                const QColor b = NickColor::colorAt(j, background);
                const double minimum =
                        i < NickColor::paletteSize / 2 && j < NickColor::paletteSize / 2 ? 20.0 : 8.0;
                QVERIFY2(labDistance(a, b) >= minimum,
                         qPrintable(QStringLiteral("%1 and %2 on %3: %4")
                                            .arg(a.name(), b.name(), background.name())
                                            .arg(labDistance(a, b))));
            }
        }
    }
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
    for (int i = 0; i < NickColor::paletteSize; ++i) {
        const QString nick = QStringLiteral("entry %1").arg(i);
        const QColor colour = NickColor::colorAt(i, background);
        // Bold nicks: WCAG's 3:1 for large or bold text.
        QVERIFY2(contrast(colour, background) >= 3.0,
                 qPrintable(QStringLiteral("%1 %2 on %3: %4")
                                    .arg(nick, colour.name(), background.name())
                                    .arg(contrast(colour, background))));
    }
}

QTEST_GUILESS_MAIN(tst_NickColor)
#include "tst_nickcolor.moc"
