// DesktopNotifier against a private dbus-daemon and a stand-in for the desktop's notification
// service (tests/support), as the freedesktop Desktop Notifications Specification 1.2 has it.
#include "chatlimits.h"
#include "desktopnotifier.h"
#include "fakenotificationservice.h"
#include "sessionbus.h"
#include "textcut.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include <memory>

class tst_DesktopNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void notifiesWhoWhereAndTheMessage();
    void bodyIsCutAndNeverMarkup();
    void aConversationReplacesItsNotification();
    void aBurstSendsOnlyTheNewest();
    void soundOnlyWhenAskedFor();
    void clickingOpensItsConversation();
    void withoutTheServiceItComesBack();
    void withoutABusItComesBack();

private:
    // Waits (at most 5 s) until the service has had count Notify calls; callers say what did
    // arrive (describeCalls) when not.
    bool waitForCalls(int count);

    SessionBus m_bus;
    QDBusConnection m_serviceBus = QDBusConnection(QString());
    QDBusConnection m_clientBus = QDBusConnection(QString());
    std::unique_ptr<FakeNotificationService> m_service;
    std::unique_ptr<DesktopNotifier> m_notifier;
};

void tst_DesktopNotifier::initTestCase()
{
    QCoreApplication::setApplicationName(QStringLiteral("groupchat-client"));
    QString error;
    if (!m_bus.start(&error))
        QSKIP(qPrintable(QStringLiteral("no private session bus: ") + error));
    m_serviceBus = m_bus.connect(QStringLiteral("service"));
    m_clientBus = m_bus.connect(QStringLiteral("client"));
    QVERIFY2(m_serviceBus.isConnected() && m_clientBus.isConnected(), qPrintable(m_bus.address()));
}

void tst_DesktopNotifier::init()
{
    m_service = std::make_unique<FakeNotificationService>();
    QVERIFY(m_service->registerOn(m_serviceBus));
    m_notifier = std::make_unique<DesktopNotifier>(m_clientBus);
}

void tst_DesktopNotifier::cleanup()
{
    m_notifier.reset();
    m_service.reset();
}

bool tst_DesktopNotifier::waitForCalls(int count)
{
    return QTest::qWaitFor([&] { return m_service->calls().size() >= count; }, 5000);
}

void tst_DesktopNotifier::notifiesWhoWhereAndTheMessage()
{
    QSignalSpy delivered(m_notifier.get(), &DesktopNotifier::delivered);
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                       QStringLiteral("alice, the build is green"), false);
    QVERIFY2(waitForCalls(1), m_service->describeCalls().constData());
    const FakeNotificationService::Call &call = m_service->calls().constFirst();
    QCOMPARE(call.appName, QCoreApplication::applicationName());
    QCOMPARE(call.replacesId, 0u);
    QCOMPARE(call.appIcon, QStringLiteral("groupchat"));
    QCOMPARE(call.summary, QStringLiteral("bob mentioned you in #dev"));
    QCOMPARE(call.body, QStringLiteral("alice, the build is green"));
    QVERIFY2(call.actions.size() == 2 && call.actions.at(0) == QLatin1String("default"),
             qPrintable(call.actions.join(u',')));
    QCOMPARE(call.hints.value(QStringLiteral("category")).toString(), QStringLiteral("im.received"));
    QCOMPARE(call.expireTimeout, -1);
    QTRY_COMPARE(delivered.count(), 1);
    QCOMPARE(delivered.at(0).at(0).toString(), QStringLiteral("#dev"));
    QCOMPARE(delivered.at(0).at(1).toUInt(), call.id);
    QVERIFY(m_notifier->serviceAvailable());
}

void tst_DesktopNotifier::bodyIsCutAndNeverMarkup()
{
    // A service that reads markup gets the text escaped, and at most the preview's length.
    const QString long_ =
            QStringLiteral("<b>bold</b> <img src=\"http://127.0.0.1:1/x.png\"> ") + QString(300, u'x');
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"), long_, false);
    QVERIFY2(waitForCalls(1), m_service->describeCalls().constData());
    QString body = m_service->calls().constFirst().body;
    QVERIFY2(body.startsWith(QStringLiteral("&lt;b&gt;bold&lt;/b&gt; &lt;img src=&quot;")), qPrintable(body));
    body.replace(QStringLiteral("&lt;"), QStringLiteral("<"))
            .replace(QStringLiteral("&gt;"), QStringLiteral(">"))
            .replace(QStringLiteral("&quot;"), QStringLiteral("\""));
    QCOMPARE(TextCut::characterCount(body), ChatLimits::notificationPreviewCharacters);
    QVERIFY(body.endsWith(QChar(0x2026)));

    // One that does not read markup (its GetCapabilities lacks body-markup) gets it as it is.
    cleanup();
    m_service = std::make_unique<FakeNotificationService>();
    m_service->setCapabilities({ QStringLiteral("body"), QStringLiteral("actions") });
    QVERIFY(m_service->registerOn(m_serviceBus));
    m_notifier = std::make_unique<DesktopNotifier>(m_clientBus);
    QSignalSpy delivered(m_notifier.get(), &DesktopNotifier::delivered);
    // The capabilities' answer comes before the first Notify's (one connection, in order).
    m_notifier->notify(QStringLiteral("#a"), QStringLiteral("s"), QStringLiteral("first"), false);
    QTRY_COMPARE(delivered.count(), 1);
    m_notifier->notify(QStringLiteral("#b"), QStringLiteral("s"), QStringLiteral("a <b> & c"), false);
    QVERIFY2(waitForCalls(2), m_service->describeCalls().constData());
    QCOMPARE(m_service->calls().at(1).body, QStringLiteral("a <b> & c"));
}

void tst_DesktopNotifier::aConversationReplacesItsNotification()
{
    QSignalSpy delivered(m_notifier.get(), &DesktopNotifier::delivered);
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                       QStringLiteral("one"), false);
    QTRY_COMPARE(delivered.count(), 1);
    const uint first = m_service->calls().at(0).id;
    // The same room again: replaces it. Another conversation: one of its own.
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("carol mentioned you in #dev"),
                       QStringLiteral("two"), false);
    QTRY_COMPARE(delivered.count(), 2);
    m_notifier->notify(QStringLiteral("bob"), QStringLiteral("Private message from bob"),
                       QStringLiteral("psst"), false);
    QTRY_COMPARE(delivered.count(), 3);
    QVERIFY2(m_service->calls().size() == 3, m_service->describeCalls().constData());
    QCOMPARE(m_service->calls().at(1).replacesId, first);
    QCOMPARE(m_service->calls().at(1).summary, QStringLiteral("carol mentioned you in #dev"));
    QCOMPARE(m_service->calls().at(2).replacesId, 0u);
    QVERIFY(m_service->calls().at(2).id != first);

    // Once the user has dismissed it, the next one of #dev is a new notification.
    m_service->emitNotificationClosed(first, 2); // 2: dismissed by the user
    // The signal and the next call travel through the daemon in order: send a notification
    // of another conversation first and wait for it, so the close has surely been seen.
    m_notifier->notify(QStringLiteral("bob"), QStringLiteral("Private message from bob"),
                       QStringLiteral("again"), false);
    QTRY_COMPARE(delivered.count(), 4);
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                       QStringLiteral("three"), false);
    QVERIFY2(waitForCalls(5), m_service->describeCalls().constData());
    QVERIFY2(m_service->calls().at(4).replacesId == 0u, m_service->describeCalls().constData());
}

void tst_DesktopNotifier::aBurstSendsOnlyTheNewest()
{
    // Five mentions before the service has answered the first: the first goes, then only the
    // newest, replacing it; not five stacked notifications.
    QSignalSpy delivered(m_notifier.get(), &DesktopNotifier::delivered);
    for (int i = 1; i <= 5; ++i)
        m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                           QStringLiteral("message %1").arg(i), false);
    QTRY_COMPARE(delivered.count(), 2);
    // Nothing else comes for #dev: a later notification of another conversation is the next.
    m_notifier->notify(QStringLiteral("bob"), QStringLiteral("Private message from bob"),
                       QStringLiteral("marker"), false);
    QTRY_COMPARE(delivered.count(), 3);
    const auto &calls = m_service->calls();
    QVERIFY2(calls.size() == 3, m_service->describeCalls().constData());
    QCOMPARE(calls.at(0).body, QStringLiteral("message 1"));
    QCOMPARE(calls.at(1).body, QStringLiteral("message 5"));
    QCOMPARE(calls.at(1).replacesId, calls.at(0).id);
    QCOMPARE(calls.at(2).body, QStringLiteral("marker"));
}

void tst_DesktopNotifier::soundOnlyWhenAskedFor()
{
    m_notifier->notify(QStringLiteral("#a"), QStringLiteral("s"), QStringLiteral("quiet"), false);
    m_notifier->notify(QStringLiteral("#b"), QStringLiteral("s"), QStringLiteral("loud"), true);
    QVERIFY2(waitForCalls(2), m_service->describeCalls().constData());
    const auto &calls = m_service->calls();
    QVERIFY2(!calls.at(0).hints.contains(QStringLiteral("sound-name")),
             m_service->describeCalls().constData());
    QCOMPARE(calls.at(0).hints.value(QStringLiteral("suppress-sound")).toBool(), true);
    QCOMPARE(calls.at(1).hints.value(QStringLiteral("sound-name")).toString(),
             QStringLiteral("message-new-instant"));
    QVERIFY2(!calls.at(1).hints.contains(QStringLiteral("suppress-sound")),
             m_service->describeCalls().constData());
}

void tst_DesktopNotifier::clickingOpensItsConversation()
{
    QSignalSpy delivered(m_notifier.get(), &DesktopNotifier::delivered);
    QSignalSpy activated(m_notifier.get(), &DesktopNotifier::activated);
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                       QStringLiteral("look"), false);
    QTRY_COMPARE(delivered.count(), 1);
    const uint id = m_service->calls().at(0).id;
    // Another program's notification, and another action of ours: not a click on ours.
    m_service->emitActionInvoked(id + 100, QStringLiteral("default"));
    m_service->emitActionInvoked(id, QStringLiteral("reply"));
    m_service->emitActionInvoked(id, QStringLiteral("default"));
    QTRY_COMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("#dev"));
}

void tst_DesktopNotifier::withoutTheServiceItComesBack()
{
    m_service->unregister();
    QSignalSpy undelivered(m_notifier.get(), &DesktopNotifier::undelivered);
    QSignalSpy delivered(m_notifier.get(), &DesktopNotifier::delivered);
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                       QStringLiteral("look"), false);
    QVERIFY(undelivered.wait(5000));
    QCOMPARE(undelivered.at(0).at(0).toString(), QStringLiteral("#dev"));
    QCOMPARE(undelivered.at(0).at(1).toString(), QStringLiteral("bob mentioned you in #dev"));
    QCOMPARE(undelivered.at(0).at(2).toString(), QStringLiteral("look"));
    QCOMPARE(undelivered.at(0).at(3).toString(), QStringLiteral("org.freedesktop.DBus.Error.ServiceUnknown"));
    QVERIFY(!m_notifier->serviceAvailable());
    // Known missing: the next comes back at once, without a call.
    m_notifier->notify(QStringLiteral("bob"), QStringLiteral("Private message from bob"),
                       QStringLiteral("hi"), false);
    QCOMPARE(undelivered.count(), 2);
    // A service that appears is used.
    QVERIFY(m_service->registerOn(m_serviceBus));
    QTRY_VERIFY(m_notifier->serviceAvailable());
    m_notifier->notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                       QStringLiteral("now"), false);
    QTRY_COMPARE(delivered.count(), 1);
    QVERIFY2(m_service->calls().size() == 1 && undelivered.count() == 2,
             m_service->describeCalls().constData());
    QCOMPARE(m_service->calls().at(0).body, QStringLiteral("now"));
}

void tst_DesktopNotifier::withoutABusItComesBack()
{
    DesktopNotifier notifier(QDBusConnection(QStringLiteral("no such connection")));
    QSignalSpy undelivered(&notifier, &DesktopNotifier::undelivered);
    QVERIFY(!notifier.serviceAvailable());
    notifier.notify(QStringLiteral("#dev"), QStringLiteral("bob mentioned you in #dev"),
                    QStringLiteral("look"), true);
    QCOMPARE(undelivered.count(), 1);
    QCOMPARE(undelivered.at(0).at(2).toString(), QStringLiteral("look"));
}

QTEST_GUILESS_MAIN(tst_DesktopNotifier)
#include "tst_desktopnotifier.moc"
