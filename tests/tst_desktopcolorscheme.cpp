#include "desktopcolorscheme.h"
#include "fakeportalsettings.h"
#include "sessionbus.h"

#include <QDBusPendingCallWatcher>
#include <QSignalSpy>
#include <QtTest>

// The desktop's light or dark preference from the XDG portal's Settings (a stand-in on a
// private session bus), as "as the desktop" in Preferences follows it.
class tst_DesktopColorScheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsAndFollows_data();
    void readsAndFollows();
    void noPortal();
    void portalValues_data();
    void portalValues();

private:
    SessionBus m_bus;
    QString m_problem;
};

void tst_DesktopColorScheme::initTestCase()
{
    if (!m_bus.start(&m_problem))
        QSKIP(qPrintable(u"no private session bus: " + m_problem));
}

void tst_DesktopColorScheme::readsAndFollows_data()
{
    QTest::addColumn<uint>("portal");
    QTest::addColumn<DesktopColorScheme::Scheme>("expected");
    QTest::newRow("prefer dark") << 1u << DesktopColorScheme::Scheme::Dark;
    QTest::newRow("prefer light") << 2u << DesktopColorScheme::Scheme::Light;
    QTest::newRow("no preference") << 0u << DesktopColorScheme::Scheme::NoPreference;
}

void tst_DesktopColorScheme::readsAndFollows()
{
    QFETCH(uint, portal);
    QFETCH(DesktopColorScheme::Scheme, expected);
    const QDBusConnection service = m_bus.connect(QStringLiteral("portal %1").arg(portal));
    FakePortalSettings settings(portal);
    QVERIFY(settings.registerOn(service));
    const QDBusConnection client = m_bus.connect(QStringLiteral("client %1").arg(portal));
    DesktopColorScheme scheme(client);
    QSignalSpy changed(&scheme, &DesktopColorScheme::changed);
    QVERIFY(changed.wait(5000));
    QCOMPARE(scheme.scheme(), expected);
    QCOMPARE(settings.reads(), 1);
    // The desktop switches: followed without asking again.
    settings.setColorScheme(portal == 1 ? 2 : 1);
    QVERIFY(changed.wait(5000));
    QCOMPARE(scheme.scheme(),
             portal == 1 ? DesktopColorScheme::Scheme::Light : DesktopColorScheme::Scheme::Dark);
    QCOMPARE(settings.reads(), 1);
}

void tst_DesktopColorScheme::noPortal()
{
    // Nobody serves the portal: no answer but an error, and nothing changes.
    const QDBusConnection client = m_bus.connect(QStringLiteral("lonely client"));
    DesktopColorScheme scheme(client);
    QSignalSpy changed(&scheme, &DesktopColorScheme::changed);
    // Waits for the bus's answer (an error) to the Read call, whose watcher goes once it is
    // handled, rather than for a while in which nothing happens.
    auto *read = scheme.findChild<QDBusPendingCallWatcher *>();
    QVERIFY(read);
    QSignalSpy answered(read, &QObject::destroyed);
    QVERIFY(answered.wait(5000));
    QVERIFY2(changed.isEmpty(), qPrintable(QStringLiteral("changed %1 time(s)").arg(changed.size())));
    QCOMPARE(scheme.scheme(), DesktopColorScheme::Scheme::NoPreference);
    // Nor without a bus at all.
    DesktopColorScheme unconnected(QDBusConnection(QStringLiteral("never connected")));
    QCOMPARE(unconnected.scheme(), DesktopColorScheme::Scheme::NoPreference);
}

void tst_DesktopColorScheme::portalValues_data()
{
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<DesktopColorScheme::Scheme>("expected");
    QTest::newRow("uint 1") << QVariant::fromValue(1u) << DesktopColorScheme::Scheme::Dark;
    QTest::newRow("wrapped twice") << QVariant::fromValue(QDBusVariant(
                                              QVariant::fromValue(QDBusVariant(QVariant::fromValue(2u)))))
                                   << DesktopColorScheme::Scheme::Light;
    QTest::newRow("out of range") << QVariant::fromValue(7u) << DesktopColorScheme::Scheme::NoPreference;
    QTest::newRow("a string") << QVariant(QStringLiteral("dark")) << DesktopColorScheme::Scheme::NoPreference;
    QTest::newRow("nothing") << QVariant() << DesktopColorScheme::Scheme::NoPreference;
}

void tst_DesktopColorScheme::portalValues()
{
    QFETCH(QVariant, value);
    QFETCH(DesktopColorScheme::Scheme, expected);
    QCOMPARE(DesktopColorScheme::fromPortalValue(value), expected);
}

QTEST_GUILESS_MAIN(tst_DesktopColorScheme)
#include "tst_desktopcolorscheme.moc"
