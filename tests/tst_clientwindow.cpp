// The desktop client's windows, offscreen, driven with keys and clicks against a real server.
#include "certificategenerator.h"
#include "chatclient.h"
#include "chatinput.h"
#include "chatlimits.h"
#include "chatserver.h"
#include "connectdialog.h"
#include "conversationview.h"
#include "desktopcolorscheme.h"
#include "desktopnotifier.h"
#include "discoveryprober.h"
#include "elidedlabel.h"
#include "emojipicker.h"
#include "expect.h"
#include "fakenotificationservice.h"
#include "fakeportalsettings.h"
#include "joinroomdialog.h"
#include "mainwindow.h"
#include "messagemodel.h"
#include "nickrules.h"
#include "preferencesdialog.h"
#include "searchdialog.h"
#include "serverbrowser.h"
#include "serverservice.h"
#include "sessionbus.h"
#include "testclient.h"
#include "textsanitizer.h"
#include "themeapplier.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDBusConnectionInterface>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QToolButton>
#include <QTreeView>
#include <QTreeWidget>

#include <memory>

namespace {

// Every fragment of the conversation, with its format.
QList<QTextFragment> fragments(const QTextDocument *document)
{
    QList<QTextFragment> result;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it)
            result.append(it.fragment());
    }
    return result;
}

// count messages from bob, long enough to wrap in a narrow window.
QList<ChatEntry> someMessages(int count, const QString &prefix)
{
    QList<ChatEntry> entries;
    for (int i = 0; i < count; ++i) {
        ChatEntry entry;
        entry.nick = QStringLiteral("bob");
        entry.time = QDateTime::currentDateTimeUtc();
        entry.text = QStringLiteral("%1 %2: a line long enough to be wrapped when the window is made "
                                    "narrow, and then some more words")
                             .arg(prefix)
                             .arg(i);
        entries.append(entry);
    }
    return entries;
}

// Lets the window finish laying itself out (a resize, the lines wrapped anew), as it would
// before a user gets to scroll.
void settle()
{
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
}

// Where the scroll bar is, for a failure's message.
QByteArray scrollState(const QScrollBar *bar)
{
    return QStringLiteral("value %1 of %2").arg(bar->value()).arg(bar->maximum()).toUtf8();
}

// The first message line at the top of the view (a day separator skipped), without isolation.
QString topEntryText(const ConversationView *view)
{
    QTextBlock block = view->cursorForPosition(QPoint(4, 4)).block();
    while (block.isValid() && block.text().startsWith(QStringLiteral("— ")))
        block = block.next();
    return ConversationView::withoutIsolation(block.text());
}

// Where the line holding text is in the view, in pixels from the viewport's top; -1: none.
int entryTop(const ConversationView *view, const QString &text)
{
    // The document holds nicks and texts isolated; the last word is enough to find the line.
    const QTextCursor found = view->document()->find(text.section(QLatin1Char(' '), -2));
    return found.isNull() ? -1 : view->cursorRect(found).top();
}

QStringList texts(const MessageModel &model, ChatEntry::Kind kind)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.entry(row).kind == kind)
            result.append(model.entry(row).text);
    }
    return result;
}

} // namespace

class tst_ClientWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void typingAndEnterShowsTheEcho();
    void htmlIsShownLiterally();
    void linksAreClickableOnlyWhenSafe_data();
    void linksAreClickableOnlyWhenSafe();
    void clickingALinkReportsIt();
    void counterWarnsNearTheLimit();
    void doubleClickStartsPrivateMessage();
    void roomsInTheSideList();
    void closingAConversationLeavesTheOthersUnread();
    void largeRoomShowsACount();
    void findInConversation();
    void searchHistoryAndOpenInContext();
    void preferencesApplyAndAreKept();
    void desktopDarkPreferenceFollowed();
    void tabCompletesNicksRoomsAndCommands();
    void emojiPickerAndShortcodes();
    void keyboardReachesEveryControlInOrder();
    void emojiInTheColourFont();
    void unreadCountAndMarkerWhileAway();
    void connectDialogExplainsFailure();
    void changedCertificateShowsBothFingerprintsWhole();
    void connectDialogConnectsAndRemembers();
    void connectDialogListsServersOnTheLan();
    void commandLineConnectionIsRemembered();
    void hostileServerCannotSplitOrReorderAMessage();
    void reopenedPrivateConversationKeepsItsMessages();
    void joinDialogChecksTheName_data();
    void joinDialogChecksTheName();
    void joinDialogListsPeopleAndTopics();
    void longTopicIsElidedWithTooltip();
    void joiningShowsRecentLinesBeforeTheJoinLine();
    void mentionsAndPrivateMessagesNotifyTheDesktop();
    void doNotDisturbAndMutedRoomsStayQuiet();
    void withoutANotificationServiceTheTrayIsUsed();
    void viewAtTheBottomStaysThere_data();
    void viewAtTheBottomStaysThere();
    void scrolledUpViewStaysAndOffersTheNewMessages();
    void scrollingBackLoadsOlderMessagesInPlace();

private:
    template<typename T>
    T *child(QWidget *parent, const char *name)
    {
        return parent->findChild<T *>(QLatin1String(name));
    }
    // A window whose client is connected as alice.
    bool openWindow();
    // Another window in front of the chat window, which is then in the background.
    bool sendWindowToBack(QWidget *elsewhere);
    // A stand-in for the desktop's notification service on the private session bus.
    bool startNotificationService(FakeNotificationService *service);

    QTemporaryDir m_config;
    // The windows' session bus (DBUS_SESSION_BUS_ADDRESS): a private one, so that no test
    // notifies the desktop it runs on.
    SessionBus m_bus;
    QString m_busProblem;
    QDBusConnection m_serviceBus = QDBusConnection(QString());
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<MainWindow> m_window;
};

void tst_ClientWindow::initTestCase()
{
    // Settings go to a throw-away place, not the user's.
    QVERIFY(m_config.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_config.path())); // unsent messages (Outbox)
    // The connect dialog looks for servers: on lo only, nothing leaves the machine.
    qputenv("GROUPCHAT_DISCOVERY_LOOPBACK_ONLY", "1");
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
    // Before anything uses the session bus, which Qt connects to once per process.
    if (m_bus.start(&m_busProblem)) {
        qputenv("DBUS_SESSION_BUS_ADDRESS", m_bus.address().toLocal8Bit());
        m_serviceBus = m_bus.connect(QStringLiteral("notification service"));
    } else {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/groupchat-test-bus");
    }
}

void tst_ClientWindow::init()
{
    m_server = std::make_unique<ChatServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_client = std::make_unique<ChatClient>();
}

void tst_ClientWindow::cleanup()
{
    m_window.reset();
    m_client.reset();
    m_server.reset();
}

void tst_ClientWindow::reopenedPrivateConversationKeepsItsMessages()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    QTRY_COMPARE(m_client->users()->rowCount(), 2);
    auto *people = child<QListView>(m_window.get(), "userList");
    const auto doubleClickBob = [&] {
        const QModelIndex bobIndex =
                m_client->users()->index(m_client->users()->nicks().indexOf(QStringLiteral("bob")));
        const QPoint centre = people->visualRect(bobIndex).center();
        QTest::mouseClick(people->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(people->viewport(), Qt::LeftButton, {}, centre);
    };
    doubleClickBob();
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("bob"));
    QVERIFY(m_client->submit(QStringLiteral("shall we talk?")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("-> bob: shall we talk\\?$")));
    bob.sendLine("/msg alice yes, here");
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("yes, here")));
    // Closed, the room is shown; double-clicking bob again brings the conversation back whole.
    child<QAction>(m_window.get(), "actionLeaveRoom")->trigger();
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#general"));
    QCOMPARE(m_client->conversations()->rowCount(), 1);
    QVERIFY(!conversation->readableText().contains(QStringLiteral("yes, here")));
    doubleClickBob();
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("bob"));
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("shall we talk?")));
    QVERIFY(conversation->readableText().contains(QStringLiteral("yes, here")));
    QCOMPARE(m_client->current()->messages->unreadCount(), 0);
    // A message while it is closed opens it again, with what came before.
    child<QAction>(m_window.get(), "actionLeaveRoom")->trigger();
    QTRY_COMPARE(m_client->conversations()->rowCount(), 1);
    bob.sendLine("/msg alice one more thing");
    QTRY_VERIFY(m_client->conversations()->find(QStringLiteral("bob")));
    const Conversation *withBob = m_client->conversations()->find(QStringLiteral("bob"));
    QTRY_COMPARE(withBob->messages->rowCount(), 3);
    QCOMPARE(withBob->messages->entry(0).text, QStringLiteral("shall we talk?"));
    QCOMPARE(withBob->messages->entry(2).text, QStringLiteral("one more thing"));
    QCOMPARE(withBob->messages->unreadCount(), 1);
}

void tst_ClientWindow::joinDialogChecksTheName_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("room"); // empty: not a room name, OK disabled
    QTest::addColumn<QString>("problem"); // in the dialog, as it is typed
    QTest::newRow("a space") << QStringLiteral("#a b") << QString()
                             << QStringLiteral(
                                        "\"#a b\" has a character room names cannot have: U+0020 SPACE.");
    QTest::newRow("too long") << u'#' + QString(ChatLimits::maxNickLength + 1, u'a') << QString()
                              << QStringLiteral(
                                         "is too long: a room name has at most 32 characters after the #.");
    QTest::newRow("two #") << QStringLiteral("##dev") << QString() << QStringLiteral("U+0023 NUMBER SIGN");
    QTest::newRow("only #") << QStringLiteral("#") << QString() << QString();
    QTest::newRow("without #") << QStringLiteral("dev") << QStringLiteral("#dev") << QString();
    QTest::newRow("with #") << QStringLiteral("#dev") << QStringLiteral("#dev") << QString();
}

void tst_ClientWindow::joinDialogChecksTheName()
{
    QFETCH(QString, typed);
    QFETCH(QString, room);
    QFETCH(QString, problem);
    QVERIFY(openWindow());
    child<QAction>(m_window.get(), "actionJoinRoom")->trigger();
    JoinRoomDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<JoinRoomDialog *>(QStringLiteral("joinDialog"))) &&
                dialog->isVisible());
    auto *edit = child<QLineEdit>(dialog, "nameEdit");
    auto *ok = child<QDialogButtonBox>(dialog, "buttonBox")->button(QDialogButtonBox::Ok);
    auto *why = child<QLabel>(dialog, "problemLabel");
    QCOMPARE(edit->text(), QStringLiteral("#"));
    QVERIFY(!ok->isEnabled());
    edit->clear();
    QTest::keyClicks(edit, typed);
    QCOMPARE(dialog->roomName(), room);
    QCOMPARE(ok->isEnabled(), !room.isEmpty());
    QCOMPARE(!why->isHidden(), !problem.isEmpty());
    QVERIFY2(why->text().contains(problem), qPrintable(why->text()));
    if (!problem.isEmpty())
        QVERIFY2(why->text().contains(QStringLiteral("A room name is # followed by")),
                 qPrintable(why->text()));
    QTest::keyClick(edit, Qt::Key_Return);
    if (room.isEmpty()) {
        // Nothing goes to the server, and nothing lands in the conversation.
        QVERIFY(dialog->isVisible());
        dialog->reject();
        QVERIFY(m_client->submit(QStringLiteral("after the dialog")));
        QTRY_VERIFY(texts(*m_client->messages(), ChatEntry::Kind::Message).contains(u"after the dialog"));
        QVERIFY(texts(*m_client->messages(), ChatEntry::Kind::Error).isEmpty());
        QCOMPARE(m_client->conversations()->rowCount(), 1);
        return;
    }
    QTRY_COMPARE(m_client->current()->name, room);
    QVERIFY(texts(*m_client->current()->messages, ChatEntry::Kind::Error).isEmpty());
}

void tst_ClientWindow::joinDialogListsPeopleAndTopics()
{
    QVERIFY(openWindow());
    TestClient bob;
    TestClient carol;
    QVERIFY(bob.connectTo(m_server->serverPort()) && carol.connectTo(m_server->serverPort()));
    const QString longTopic = QStringLiteral("where we decide which icons the dialogs get, which colours the "
                                             "badges have and who draws the new logo, every Friday");
    bob.sendLine("/join #design");
    bob.sendLine((QStringLiteral("/topic ") + longTopic).toUtf8());
    carol.sendLine("/join #design");
    carol.sendLine("/join #ops");
    EXPECT_LINE(carol, QRegularExpression(QStringLiteral("#ops")));
    m_window->resize(800, 500);
    child<QAction>(m_window.get(), "actionJoinRoom")->trigger();
    JoinRoomDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<JoinRoomDialog *>(QStringLiteral("joinDialog"))) &&
                dialog->isVisible());
    auto *table = child<QTreeView>(dialog, "roomList");
    QAbstractItemModel *model = table->model();
    QTRY_COMPARE(model->rowCount(), 3);
    QCOMPARE(model->columnCount(), 3);
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Room"));
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("People"));
    QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("Topic"));
    const auto column = [model](int c) {
        QStringList values;
        for (int row = 0; row < model->rowCount(); ++row)
            values.append(model->index(row, c).data().toString());
        return values;
    };
    // The fullest first, with its people and topic.
    QCOMPARE(column(0),
             (QStringList{ QStringLiteral("#general"), QStringLiteral("#design"), QStringLiteral("#ops") }));
    QCOMPARE(column(1), (QStringList{ QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1") }));
    QCOMPARE(column(2), (QStringList{ QString(), longTopic, QString() }));
    QCOMPARE(model->index(1, 2).data(Qt::ToolTipRole).toString(), longTopic);
    // The topic is elided in its column, not cut and not widening the dialog.
    QCOMPARE(table->textElideMode(), Qt::ElideRight);
    QVERIFY(table->columnWidth(2) < table->fontMetrics().horizontalAdvance(longTopic));
    QVERIFY(dialog->width() < m_window->width() + 100);
    // Sortable by each column: a click on a header.
    QTest::mouseClick(table->header()->viewport(), Qt::LeftButton, {},
                      QPoint(table->header()->sectionViewportPosition(0) + 5, table->header()->height() / 2));
    QTRY_VERIFY(column(0).constFirst() != QStringLiteral("#general"));
    QStringList names = column(0);
    QStringList sorted = names;
    std::sort(sorted.begin(), sorted.end());
    if (table->header()->sortIndicatorOrder() == Qt::DescendingOrder)
        std::reverse(sorted.begin(), sorted.end());
    QCOMPARE(names, sorted);
    table->sortByColumn(1, Qt::AscendingOrder);
    QCOMPARE(column(1), (QStringList{ QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3") }));
    // Picking a row names the room to join.
    table->setCurrentIndex(model->index(1, 0));
    QCOMPARE(dialog->roomName(), QStringLiteral("#design"));
}

void tst_ClientWindow::longTopicIsElidedWithTooltip()
{
    QVERIFY(openWindow());
    m_window->resize(600, 400);
    const QString topic =
            QStringLiteral("release on Friday; builds are green, the installer needs signing, and "
                           "whoever breaks the build brings cake on Monday morning");
    QVERIFY(m_client->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#dev"));
    QVERIFY(m_client->submit(u"/topic " + topic));
    auto *label = child<ElidedLabel>(m_window.get(), "topicLabel");
    QVERIFY(label);
    const QString full = QStringLiteral("#dev — ") + topic;
    QTRY_COMPARE(label->fullText(), full);
    // Too long for the window: it ends in "…", starts as the topic does, and fits.
    QVERIFY2(label->text().endsWith(QChar(0x2026)), qPrintable(label->text()));
    QVERIFY(full.startsWith(label->text().chopped(1)));
    QVERIFY(label->text().size() > 10);
    QVERIFY(label->fontMetrics().horizontalAdvance(label->text()) <= label->contentsRect().width());
    QCOMPARE(label->toolTip(), topic);
    QVERIFY(m_window->width() <= 600);
    // Wide enough, all of it shows.
    m_window->resize(label->fontMetrics().horizontalAdvance(full) + 800, 400);
    QTRY_COMPARE(label->text(), full);
    // And narrower again, it is elided again.
    m_window->resize(500, 400);
    QTRY_VERIFY(label->isElided());
}

void tst_ClientWindow::joiningShowsRecentLinesBeforeTheJoinLine()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    bob.sendLine("/join #dev");
    bob.sendLine("said before alice came");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("said before alice came$")));
    QVERIFY(m_client->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#dev"));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("said before alice came")));
    bob.sendLine("said after");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("said after")));
    const QString text = conversation->readableText();
    const qsizetype before = text.indexOf(QStringLiteral("said before alice came"));
    const qsizetype joined = text.indexOf(QStringLiteral("alice joined"));
    QVERIFY2(before >= 0 && joined > before, qPrintable(text));
    QVERIFY2(text.indexOf(QStringLiteral("said after")) > joined, qPrintable(text));
}

bool tst_ClientWindow::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_client.get());
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return false;
    QSignalSpy welcomed(m_client->connection(), &ChatConnection::welcomed);
    m_client->connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                            QStringLiteral("alice"));
    return welcomed.wait(5000);
}

bool tst_ClientWindow::sendWindowToBack(QWidget *elsewhere)
{
    elsewhere->show();
    if (!QTest::qWaitForWindowExposed(elsewhere))
        return false;
    QApplication::setActiveWindow(elsewhere);
    return QTest::qWaitFor([this] { return !m_window->isActiveWindow(); }, 5000);
}

bool tst_ClientWindow::startNotificationService(FakeNotificationService *service)
{
    if (!m_serviceBus.isConnected())
        return false;
    if (!service->registerOn(m_serviceBus))
        return false;
    // The window's bus is this one.
    return QDBusConnection::sessionBus().interface()->isServiceRegistered(DesktopNotifier::serviceName);
}

void tst_ClientWindow::mentionsAndPrivateMessagesNotifyTheDesktop()
{
    if (!m_busProblem.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no private session bus: ") + m_busProblem));
    FakeNotificationService service;
    QVERIFY(startNotificationService(&service));
    QVERIFY(openWindow());
    QWidget elsewhere;
    QVERIFY(sendWindowToBack(&elsewhere));
    const auto waitForCalls = [&service](int count) {
        return QTest::qWaitFor([&] { return service.calls().size() >= count; }, 5000);
    };

    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    bob.sendLine("not for anyone");
    bob.sendLine("alice: the <b>build</b> is green");
    QVERIFY2(waitForCalls(1), service.describeCalls().constData());
    const FakeNotificationService::Call first = service.calls().at(0);
    QCOMPARE(first.appName, QApplication::applicationDisplayName());
    QCOMPARE(first.summary, QStringLiteral("bob mentioned you in #general"));
    QCOMPARE(first.body, QStringLiteral("alice: the &lt;b&gt;build&lt;/b&gt; is green"));
    QCOMPARE(first.replacesId, 0u);
    QVERIFY2(!first.hints.contains(QStringLiteral("sound-name")), service.describeCalls().constData());

    // Sound on (and remembered): the next one asks for it, and replaces the first.
    auto *sound = m_window->findChild<QAction *>(QStringLiteral("actionNotificationSound"));
    QVERIFY(sound && sound->isCheckable() && !sound->isChecked());
    sound->trigger();
    QCOMPARE(QSettings().value(QStringLiteral("notifications/sound")).toBool(), true);
    const QString longText = QStringLiteral("alice ") + QString(300, u'z');
    bob.sendLine(longText.toUtf8());
    QVERIFY2(waitForCalls(2), service.describeCalls().constData());
    const FakeNotificationService::Call second = service.calls().at(1);
    QCOMPARE(second.replacesId, first.id);
    QCOMPARE(second.hints.value(QStringLiteral("sound-name")).toString(), DesktopNotifier::soundName);
    QCOMPARE(second.body.size(), ChatLimits::notificationPreviewCharacters);
    QVERIFY(longText.startsWith(second.body.chopped(1)));

    // A private message: a notification of its own; a click on it opens that conversation.
    bob.sendLine("/msg alice lunch?");
    QVERIFY2(waitForCalls(3), service.describeCalls().constData());
    const FakeNotificationService::Call third = service.calls().at(2);
    QCOMPARE(third.summary, QStringLiteral("Private message from bob"));
    QCOMPARE(third.body, QStringLiteral("lunch?"));
    QCOMPARE(third.replacesId, 0u);
    QCOMPARE(m_client->current()->name, QStringLiteral("#general"));
    m_window->showMinimized();
    QTRY_VERIFY(m_window->isMinimized());
    service.emitActionInvoked(third.id, QStringLiteral("default"));
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("bob"));
    QTRY_VERIFY(m_window->isActiveWindow());
    QVERIFY(!m_window->isMinimized());
    QVERIFY2(service.calls().size() == 3, service.describeCalls().constData());
    sound->trigger();
    QCOMPARE(QSettings().value(QStringLiteral("notifications/sound")).toBool(), false);
}

void tst_ClientWindow::doNotDisturbAndMutedRoomsStayQuiet()
{
    if (!m_busProblem.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no private session bus: ") + m_busProblem));
    FakeNotificationService service;
    QVERIFY(startNotificationService(&service));
    QVERIFY(openWindow());
    QWidget elsewhere;
    QVERIFY(sendWindowToBack(&elsewhere));
    auto *doNotDisturb = m_window->findChild<QAction *>(QStringLiteral("actionDoNotDisturb"));
    auto *mute = m_window->findChild<QAction *>(QStringLiteral("actionMuteRoom"));
    auto *menu = m_window->findChild<QMenu *>(QStringLiteral("menuNotifications"));
    QVERIFY(doNotDisturb && mute && menu);
    QVERIFY(menu->actions().contains(doNotDisturb) && menu->actions().contains(m_window->findChild<QAction *>(
                                                              QStringLiteral("actionNotificationSound"))));

    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    // Do-not-disturb (remembered): counted and marked, not notified.
    doNotDisturb->trigger();
    QCOMPARE(QSettings().value(QStringLiteral("notifications/doNotDisturb")).toBool(), true);
    bob.sendLine("alice: one");
    QTRY_VERIFY2(m_window->windowTitle().startsWith(QStringLiteral("(1) ")),
                 qPrintable(m_window->windowTitle()));
    {
        // A window opened later starts with it on.
        MainWindow later(m_client.get());
        QVERIFY(later.findChild<QAction *>(QStringLiteral("actionDoNotDisturb"))->isChecked());
    }
    doNotDisturb->trigger();
    QCOMPARE(QSettings().value(QStringLiteral("notifications/doNotDisturb")).toBool(), false);
    // A muted room: counted, not notified.
    mute->trigger();
    bob.sendLine("alice: two");
    QTRY_VERIFY2(m_window->windowTitle().startsWith(QStringLiteral("(2) ")),
                 qPrintable(m_window->windowTitle()));
    mute->trigger();
    // The first that may notify is the first to arrive: nothing came before it.
    bob.sendLine("alice: three");
    QTRY_VERIFY2_WITH_TIMEOUT(!service.calls().isEmpty(), service.describeCalls().constData(), 5000);
    QVERIFY2(service.calls().size() == 1 && service.calls().at(0).body == QLatin1String("alice: three"),
             service.describeCalls().constData());
}

void tst_ClientWindow::withoutANotificationServiceTheTrayIsUsed()
{
    if (!m_busProblem.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no private session bus: ") + m_busProblem));
    QVERIFY(!QDBusConnection::sessionBus().interface()->isServiceRegistered(DesktopNotifier::serviceName));
    QVERIFY(openWindow());
    QWidget elsewhere;
    QVERIFY(sendWindowToBack(&elsewhere));
    auto *notifier = m_window->findChild<DesktopNotifier *>();
    QVERIFY(notifier);
    // Offscreen there is no tray to look at; what the window gives it is what comes back.
    QSignalSpy undelivered(notifier, &DesktopNotifier::undelivered);
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    bob.sendLine("alice: are you there?");
    QVERIFY(undelivered.wait(5000));
    QCOMPARE(undelivered.at(0).at(1).toString(), QStringLiteral("bob mentioned you in #general"));
    QCOMPARE(undelivered.at(0).at(2).toString(), QStringLiteral("alice: are you there?"));
    QVERIFY(!notifier->serviceAvailable());
}

void tst_ClientWindow::typingAndEnterShowsTheEcho()
{
    QVERIFY(openWindow());
    auto *input = child<QLineEdit>(m_window.get(), "input");
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QVERIFY(input && conversation);
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("hello from the window"));
    QTest::keyClick(input, Qt::Key_Return);
    // The line shows at once, pending, and the server's echo settles it in place.
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("alice  hello from the window")));
    QTRY_COMPARE(m_client->messages()->entry(m_client->messages()->rowCount() - 1).id, 1ull);
    QCOMPARE(conversation->readableText().count(QStringLiteral("hello from the window")), 1);
    QVERIFY(input->text().isEmpty());
    QTest::keyClick(input, Qt::Key_Up);
    QCOMPARE(input->text(), QStringLiteral("hello from the window"));
    QTest::keyClick(input, Qt::Key_Down);
    QVERIFY(input->text().isEmpty());
}

void tst_ClientWindow::htmlIsShownLiterally()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    const QString hostile = QStringLiteral(
            "<b>hi</b> <img src=\"http://127.0.0.1:1/x.png\"> <a href=\"javascript:alert(1)\">x</a> &amp;");
    bob.sendLine(hostile.toUtf8());
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(hostile));
    for (const QTextFragment &fragment : fragments(conversation->document())) {
        QVERIFY(!fragment.charFormat().isImageFormat());
        QVERIFY(!(fragment.text() == QStringLiteral("hi") &&
                  fragment.charFormat().fontWeight() > QFont::Normal));
        QVERIFY(!fragment.charFormat().anchorHref().startsWith(QStringLiteral("javascript")));
    }
    QVERIFY(conversation->document()->toHtml().contains(QStringLiteral("&lt;b&gt;hi&lt;/b&gt;")));
}

void tst_ClientWindow::linksAreClickableOnlyWhenSafe_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("href"); // empty: no link
    QTest::newRow("https") << QStringLiteral("see https://example.com/a?b=1.")
                           << QStringLiteral("https://example.com/a?b=1");
    QTest::newRow("www") << QStringLiteral("www.example.com") << QStringLiteral("http://www.example.com");
    QTest::newRow("in parentheses") << QStringLiteral("(http://example.com/x)")
                                    << QStringLiteral("http://example.com/x");
    QTest::newRow("javascript") << QStringLiteral("javascript:alert(1)") << QString();
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << QString();
}

void tst_ClientWindow::linksAreClickableOnlyWhenSafe()
{
    QFETCH(QString, text);
    QFETCH(QString, href);
    QVERIFY(openWindow());
    QVERIFY(m_client->submit(text));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(text));
    QStringList anchors;
    for (const QTextFragment &fragment : fragments(conversation->document())) {
        if (fragment.charFormat().isAnchor())
            anchors.append(fragment.charFormat().anchorHref());
    }
    QCOMPARE(anchors, href.isEmpty() ? QStringList() : QStringList{ href });
    QVERIFY(!ConversationView::isSafeLink(QUrl(QStringLiteral("javascript:alert(1)"))));
    QVERIFY(!ConversationView::isSafeLink(QUrl(QStringLiteral("file:///etc/passwd"))));
}

void tst_ClientWindow::clickingALinkReportsIt()
{
    MessageModel model;
    ConversationView view;
    view.setModel(&model);
    view.resize(600, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    ChatEntry entry;
    entry.time = QDateTime::currentDateTimeUtc();
    entry.nick = QStringLiteral("bob");
    entry.text = QStringLiteral("docs at https://example.com/guide and nothing else");
    model.append(entry);
    // Positions in the document, isolation marks included.
    const QString text = view.toPlainText();
    QTextCursor cursor(view.document());
    cursor.setPosition(int(text.indexOf(QStringLiteral("example.com"))));
    const QRect onLink = view.cursorRect(cursor);
    QSignalSpy activated(&view, &ConversationView::linkActivated);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, onLink.center() + QPoint(3, 0));
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.constFirst().at(0).toUrl(), QUrl(QStringLiteral("https://example.com/guide")));
    // Plain text next to it is not a link.
    cursor.setPosition(int(text.indexOf(QStringLiteral("nothing"))));
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, view.cursorRect(cursor).center() + QPoint(3, 0));
    QCOMPARE(activated.count(), 1);
}

void tst_ClientWindow::counterWarnsNearTheLimit()
{
    QVERIFY(openWindow());
    auto *input = child<QLineEdit>(m_window.get(), "input");
    auto *counter = child<QLabel>(m_window.get(), "counterLabel");
    auto *send = child<QPushButton>(m_window.get(), "sendButton");
    QVERIFY(input && counter && send);
    QVERIFY(counter->isVisible());
    // What the user typed, in characters, against what the server takes: "ca" is 2, not the
    // 26 bytes of its request; the request's envelope only shortens the line.
    input->setText(QStringLiteral("ca"));
    QCOMPARE(counter->text(), QStringLiteral("2"));
    QVERIFY(!counter->styleSheet().contains(QStringLiteral("#c0392b")));
    QVERIFY(send->isEnabled());
    // An emoji is one character.
    input->setText(QStringLiteral("😀"));
    QCOMPARE(counter->text(), QStringLiteral("1"));
    // Near the limit, the limit is shown too.
    input->setText(QString(3900, u'x'));
    const qsizetype envelope = m_client->lineBytes(QString());
    QCOMPARE(counter->text(), QStringLiteral("3900/%1").arg(4096 - envelope));
    QVERIFY(counter->styleSheet().contains(QStringLiteral("#c0392b")));
    QVERIFY(send->isEnabled());
    input->setText(QString(4100, u'x'));
    QVERIFY(counter->styleSheet().contains(QStringLiteral("bold")));
    QVERIFY(!send->isEnabled());
    // Chinese takes three bytes a character, as the server counts: a third of the room.
    input->setText(QString(1300, QChar(0x4f60)));
    QCOMPARE(counter->text(), QStringLiteral("1300/%1").arg(1300 + (4096 - envelope - 3900) / 3));
    input->setText(QString(1400, QChar(0x4f60)));
    QVERIFY(!send->isEnabled());
}

void tst_ClientWindow::doubleClickStartsPrivateMessage()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    QTRY_COMPARE(m_client->users()->rowCount(), 2);
    auto *list = child<QListView>(m_window.get(), "userList");
    const QModelIndex bobIndex = m_client->users()->index(1);
    QCOMPARE(bobIndex.data(UserListModel::NickRole).toString(), QStringLiteral("bob"));
    const QPoint centre = list->visualRect(bobIndex).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, centre);
    // The private conversation with bob opens beside the room, and what is typed goes to him.
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("bob"));
    auto *conversations = child<QListView>(m_window.get(), "conversationList");
    QCOMPARE(conversations->currentIndex().data(ConversationListModel::NameRole).toString(),
             QStringLiteral("bob"));
    QVERIFY(!child<QWidget>(m_window.get(), "sidePanel")->isVisible());
    QCOMPARE(child<QLabel>(m_window.get(), "topicLabel")->text(),
             QStringLiteral("Private conversation with bob"));
    auto *input = child<QLineEdit>(m_window.get(), "input");
    QTest::keyClicks(input, QStringLiteral("just you and me"));
    QTest::keyClick(input, Qt::Key_Return);
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("\\(private\\) \\S+ -> bob: just you and me$")));
    // Back to the room by its row in the list.
    conversations->setCurrentIndex(m_client->conversations()->index(0));
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#general"));
    QVERIFY(child<QWidget>(m_window.get(), "sidePanel")->isVisible());
    QVERIFY(child<QLabel>(m_window.get(), "onlineLabel")->text().contains(u'2'));
}

void tst_ClientWindow::closingAConversationLeavesTheOthersUnread()
{
    QVERIFY(openWindow());
    TestClient bob;
    TestClient carol;
    QVERIFY(bob.connectTo(m_server->serverPort()) && carol.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    carol.sendLine("/nick carol");
    QTRY_COMPARE(m_client->users()->rowCount(), 3);
    const QString me = m_client->connection()->nick();
    bob.sendLine(QStringLiteral("/msg %1 from bob").arg(me).toUtf8());
    carol.sendLine(QStringLiteral("/msg %1 from carol").arg(me).toUtf8());
    ConversationListModel *list = m_client->conversations();
    QTRY_COMPARE(list->rowCount(), 3);
    QTRY_VERIFY(list->find(QStringLiteral("carol")) &&
                list->find(QStringLiteral("carol"))->messages->unreadCount() == 1);
    // Closing bob's conversation while it is shown: carol's row moves up into its place, and
    // must not be taken for read on the way.
    auto *view = child<QListView>(m_window.get(), "conversationList");
    view->setCurrentIndex(list->index(list->rowOf(QStringLiteral("bob"))));
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("bob"));
    child<QAction>(m_window.get(), "actionLeaveRoom")->trigger();
    QTRY_COMPARE(list->rowCount(), 2);
    QCOMPARE(m_client->current()->name, QStringLiteral("#general"));
    QCOMPARE(list->find(QStringLiteral("carol"))->messages->unreadCount(), 1);
}

void tst_ClientWindow::roomsInTheSideList()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    bob.sendLine("/join #design");
    bob.sendLine("/topic icons for the dialogs");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("set the topic of #design")));
    // Join Room offers the server's rooms.
    child<QAction>(m_window.get(), "actionJoinRoom")->trigger();
    JoinRoomDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<JoinRoomDialog *>(QStringLiteral("joinDialog"))) &&
                dialog->isVisible());
    auto *table = child<QTreeView>(dialog, "roomList");
    QTRY_COMPARE(table->model()->rowCount(), 2);
    const QModelIndexList found =
            table->model()->match(table->model()->index(0, 0), Qt::DisplayRole, QStringLiteral("#design"));
    QCOMPARE(found.size(), 1);
    // A double-click joins it.
    const QPoint centre = table->visualRect(found.constFirst()).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, centre);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, centre);
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#design"));
    auto *list = child<QListView>(m_window.get(), "conversationList");
    QCOMPARE(list->model()->rowCount(), 2);
    QTRY_COMPARE(child<QLabel>(m_window.get(), "topicLabel")->text(),
                 QStringLiteral("#design — icons for the dialogs"));
    QTRY_COMPARE(m_client->current()->users->rowCount(), 2);
    // A message in the room not shown counts in its row.
    list->setCurrentIndex(m_client->conversations()->index(0));
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#general"));
    bob.sendLine("/switch #design");
    bob.sendLine("new icons are in");
    const QModelIndex design =
            m_client->conversations()->index(m_client->conversations()->rowOf(QStringLiteral("#design")));
    QTRY_COMPARE(design.data(ConversationListModel::UnreadRole).toInt(), 1);
    QCOMPARE(design.data().toString(), QStringLiteral("#design  1"));
    // Leaving takes it off the list.
    list->setCurrentIndex(design);
    QTRY_COMPARE(m_client->current()->name, QStringLiteral("#design"));
    child<QAction>(m_window.get(), "actionLeaveRoom")->trigger();
    QTRY_COMPARE(list->model()->rowCount(), 1);
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("left #design$")));
}

void tst_ClientWindow::largeRoomShowsACount()
{
    ChatLimits limits;
    limits.presenceLimit = 1;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(openWindow());
    auto *label = child<QLabel>(m_window.get(), "onlineLabel");
    QCOMPARE(label->text(), QStringLiteral("Online (1)"));
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    QTRY_COMPARE(label->text(), QStringLiteral("Online (2, too many to list)"));
    QCOMPARE(child<QListView>(m_window.get(), "userList")->model()->rowCount(), 0);
    bob.sendLine("quit");
    QTRY_COMPARE(label->text(), QStringLiteral("Online (1)"));
}

// Issue 15: Tab moved the focus to Send. It completes nicks, rooms and commands in the input,
// cycling; in an empty input it still moves the focus, for keyboard users.
void tst_ClientWindow::tabCompletesNicksRoomsAndCommands()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bobby");
    TestClient bo;
    QVERIFY(bo.connectTo(m_server->serverPort()));
    bo.sendLine("/nick boris");
    QTRY_COMPARE(m_client->users()->rowCount(), 3);
    auto *input = child<ChatInput>(m_window.get(), "input");
    m_window->activateWindow();
    input->setFocus();
    QTRY_VERIFY(input->hasFocus());
    QTest::keyClicks(input, QStringLiteral("bo"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("bobby: "));
    QVERIFY(input->hasFocus());
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("boris: "));
    QTest::keyClick(input, Qt::Key_Backtab, Qt::ShiftModifier);
    QCOMPARE(input->text(), QStringLiteral("bobby: "));
    QTest::keyClicks(input, QStringLiteral("see #gen"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("bobby: see #general "));
    input->clear();
    QTest::keyClicks(input, QStringLiteral("/to"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("/topic "));
    // Oneself is not offered; with nothing to complete Tab moves the focus on, as it does from
    // an empty input.
    input->clear();
    QTest::keyClicks(input, QStringLiteral("ali"));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(input->text(), QStringLiteral("ali"));
    QTRY_VERIFY(!input->hasFocus());
    input->setFocus();
    QTRY_VERIFY(input->hasFocus());
    input->clear();
    QTest::keyClick(input, Qt::Key_Tab);
    QTRY_VERIFY(!input->hasFocus());
}

// Issue 15: Preferences (theme, font and size, 12/24-hour time, language), applied at once
// and kept with QSettings.
void tst_ClientWindow::preferencesApplyAndAreKept()
{
    QVERIFY(openWindow());
    QVERIFY(m_client->submit(QStringLiteral("what time is it")));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("what time is it")));
    const QPalette before = QApplication::palette();
    child<QAction>(m_window.get(), "actionPreferences")->trigger();
    auto *dialog = m_window->findChild<PreferencesDialog *>(QStringLiteral("preferencesDialog"));
    QVERIFY(dialog);
    auto *theme = child<QComboBox>(dialog, "themeCombo");
    theme->setCurrentIndex(theme->findData(int(ClientPreferences::Theme::Dark)));
    child<QCheckBox>(dialog, "desktopFontCheck")->setChecked(false);
    child<QSpinBox>(dialog, "fontSizeSpin")->setValue(15);
    auto *clock = child<QComboBox>(dialog, "clockCombo");
    clock->setCurrentIndex(clock->findData(int(ClientPreferences::Clock::TwelveHour)));
    auto *language = child<QComboBox>(dialog, "languageCombo");
    language->setCurrentIndex(language->findData(QStringLiteral("zh_CN")));
    // The Notifications menu's switches, here too.
    QVERIFY(!child<QCheckBox>(dialog, "soundCheck")->isChecked());
    child<QCheckBox>(dialog, "soundCheck")->setChecked(true);
    child<QCheckBox>(dialog, "doNotDisturbCheck")->setChecked(true);
    dialog->accept();
    QVERIFY(child<QAction>(m_window.get(), "actionNotificationSound")->isChecked());
    QVERIFY(child<QAction>(m_window.get(), "actionDoNotDisturb")->isChecked());
    QVERIFY(QSettings().value(QStringLiteral("notifications/doNotDisturb")).toBool());

    // Dark: light text on a dark base, and the conversation redrawn for it.
    QVERIFY(QApplication::palette().color(QPalette::Base).lightnessF() < 0.3);
    QVERIFY(QApplication::palette().color(QPalette::Text).lightnessF() > 0.7);
    QCOMPARE(conversation->font().pointSize(), 15);
    // 12-hour time in front of the line: "10:37 AM".
    QTRY_VERIFY2(QRegularExpression(QStringLiteral("\\b\\d{1,2}:\\d\\d [AP]M  alice  what time is it"))
                         .match(conversation->readableText())
                         .hasMatch(),
                 qPrintable(conversation->readableText()));
    const ClientPreferences saved = ClientPreferences::load(QSettings());
    QCOMPARE(saved.theme, ClientPreferences::Theme::Dark);
    QCOMPARE(saved.fontSize, 15);
    QCOMPARE(saved.clock, ClientPreferences::Clock::TwelveHour);
    QCOMPARE(saved.language, QStringLiteral("zh_CN"));

    // Back to the desktop's theme and font: the palette the program started with.
    child<QAction>(m_window.get(), "actionPreferences")->trigger();
    dialog = m_window->findChild<PreferencesDialog *>(QStringLiteral("preferencesDialog"));
    QVERIFY(dialog);
    QCOMPARE(child<QComboBox>(dialog, "themeCombo")->currentData().toInt(),
             int(ClientPreferences::Theme::Dark));
    theme = child<QComboBox>(dialog, "themeCombo");
    theme->setCurrentIndex(theme->findData(int(ClientPreferences::Theme::System)));
    child<QCheckBox>(dialog, "desktopFontCheck")->setChecked(true);
    QVERIFY(child<QCheckBox>(dialog, "doNotDisturbCheck")->isChecked());
    child<QCheckBox>(dialog, "soundCheck")->setChecked(false);
    child<QCheckBox>(dialog, "doNotDisturbCheck")->setChecked(false);
    dialog->accept();
    QVERIFY(!child<QAction>(m_window.get(), "actionDoNotDisturb")->isChecked());
    QCOMPARE(QApplication::palette().color(QPalette::Base), before.color(QPalette::Base));
    QCOMPARE(conversation->font().pointSize(), QApplication::font().pointSize());
}

// Issue 15: an emoji picker beside the input (a grid with a search in English and Chinese),
// and :shortcode: (CLDR names) typed to its closing colon becomes the emoji.
void tst_ClientWindow::emojiPickerAndShortcodes()
{
    QVERIFY(openWindow());
    auto *input = child<ChatInput>(m_window.get(), "input");
    m_window->activateWindow();
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("nice :thumbs_up: at 12:30: ok :nosuchcode:"));
    QCOMPARE(input->text(), QStringLiteral("nice \U0001F44D at 12:30: ok :nosuchcode:"));
    input->clear();

    child<QToolButton>(m_window.get(), "emojiButton")->click();
    auto *picker = m_window->findChild<EmojiPicker *>(QStringLiteral("emojiPicker"));
    QVERIFY(picker);
    QTRY_VERIFY(picker->isVisible());
    QVERIFY2(picker->shown().size() >= 50, qPrintable(picker->shown().join(u' ')));
    QCOMPARE(picker->shown().constFirst(), QStringLiteral("\U0001F600"));
    auto *search = child<QLineEdit>(picker, "emojiSearch");
    QTRY_VERIFY(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("red heart"));
    QVERIFY2(picker->shown().contains(QStringLiteral("\u2764\ufe0f")),
             qPrintable(picker->shown().join(u' ')));
    QVERIFY(!picker->shown().contains(QStringLiteral("\U0001F600")));
    search->clear();
    // CLDR's Chinese keywords: 笑 (laugh) finds the grinning face.
    search->setText(QStringLiteral("笑")); // typed through an input method: no key events
    QVERIFY2(picker->shown().contains(QStringLiteral("\U0001F600")), qPrintable(picker->shown().join(u' ')));
    search->clear();
    QTest::keyClicks(search, QStringLiteral("thumbs up"));
    QCOMPARE(picker->shown().value(0), QStringLiteral("\U0001F44D"));
    QTest::keyClick(search, Qt::Key_Return);
    QTRY_VERIFY(!picker->isVisible());
    QCOMPARE(input->text(), QStringLiteral("\U0001F44D"));
}

// Issue 15 (accessibility): every control is reached with Tab, in an order that follows the
// window (conversations, the conversation, the input and its buttons, the people), and the
// conversation, the lists and the input have accessible names.
void tst_ClientWindow::keyboardReachesEveryControlInOrder()
{
    QVERIFY(openWindow());
    QApplication::setActiveWindow(m_window.get());
    QTRY_VERIFY(m_window->isActiveWindow());
    child<QListView>(m_window.get(), "conversationList")->setFocus();
    QTRY_VERIFY(QApplication::focusWidget());
    QStringList order;
    for (int i = 0; i < 10; ++i) {
        QWidget *focused = QApplication::focusWidget();
        QVERIFY(focused);
        order.append(focused->objectName());
        if (i < 9)
            QTest::keyClick(focused, Qt::Key_Tab);
    }
    // Send is disabled while nothing is typed, so Tab passes it by; the find bar is hidden.
    const QStringList expected{ QStringLiteral("conversationList"), QStringLiteral("joinButton"),
                                QStringLiteral("conversation"),     QStringLiteral("input"),
                                QStringLiteral("emojiButton"),      QStringLiteral("userList"),
                                QStringLiteral("conversationList"), QStringLiteral("joinButton"),
                                QStringLiteral("conversation"),     QStringLiteral("input") };
    QCOMPARE(order, expected);
    // With text typed, Send is on the way.
    auto *input = child<ChatInput>(m_window.get(), "input");
    QCOMPARE(QApplication::focusWidget(), input);
    QTest::keyClicks(input, QStringLiteral("hello "));
    QTest::keyClick(input, Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("emojiButton"));
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("sendButton"));
    for (const char *name : { "conversation", "conversationList", "userList", "input", "emojiButton" }) {
        auto *widget = child<QWidget>(m_window.get(), name);
        QVERIFY2(widget && !widget->accessibleName().isEmpty(), name);
    }
}

// "As the desktop" follows the desktop's dark preference from the XDG portal (a stand-in on the
// private session bus), at the start and when it changes; a theme chosen in Preferences wins.
void tst_ClientWindow::desktopDarkPreferenceFollowed()
{
    if (!m_busProblem.isEmpty())
        QSKIP(qPrintable(QStringLiteral("no private session bus: ") + m_busProblem));
    const QColor desktopBase = QApplication::palette().color(QPalette::Base);
    QVERIFY(desktopBase.lightnessF() >= 0.5);
    FakePortalSettings portal(1);
    QVERIFY(portal.registerOn(m_serviceBus));
    QVERIFY(openWindow());
    QTRY_VERIFY2(QApplication::palette().color(QPalette::Base).lightnessF() < 0.3,
                 qPrintable(QApplication::palette().color(QPalette::Base).name()));
    portal.setColorScheme(0);
    QTRY_COMPARE(QApplication::palette().color(QPalette::Base), desktopBase);
    portal.setColorScheme(1);
    QTRY_VERIFY(QApplication::palette().color(QPalette::Base).lightnessF() < 0.3);
    // Light chosen in Preferences: the desktop's dark no longer matters.
    child<QAction>(m_window.get(), "actionPreferences")->trigger();
    auto *dialog = m_window->findChild<PreferencesDialog *>(QStringLiteral("preferencesDialog"));
    QVERIFY(dialog);
    auto *theme = child<QComboBox>(dialog, "themeCombo");
    theme->setCurrentIndex(theme->findData(int(ClientPreferences::Theme::Light)));
    dialog->accept();
    QVERIFY(QApplication::palette().color(QPalette::Base).lightnessF() > 0.7);
    auto *scheme = m_window->findChild<DesktopColorScheme *>();
    QVERIFY(scheme);
    QSignalSpy changed(scheme, &DesktopColorScheme::changed);
    portal.setColorScheme(2);
    portal.setColorScheme(1);
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(scheme->scheme(), DesktopColorScheme::Scheme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Base).lightnessF() > 0.7);
    // Back to the desktop's for the other tests.
    ClientPreferences desktop;
    QSettings settings;
    desktop.save(settings);
    portal.setColorScheme(0);
    ThemeApplier::apply(ClientPreferences::Theme::System);
}

// Issue 15: Search History asks the server and lists the hits with room, time and nick;
// opening one shows it selected in its conversation.
void tst_ClientWindow::searchHistoryAndOpenInContext()
{
    QVERIFY(openWindow());
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    bob.sendLine("deploy on friday, after lunch");
    bob.sendLine("the build is green");
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("the build is green")));
    child<QAction>(m_window.get(), "actionSearchHistory")->trigger();
    auto *dialog = m_window->findChild<SearchDialog *>(QStringLiteral("searchDialog"));
    QVERIFY(dialog);
    auto *edit = child<QLineEdit>(dialog, "searchEdit");
    QTest::keyClicks(edit, QStringLiteral("DEPLOY friday"));
    QTest::keyClick(edit, Qt::Key_Return);
    auto *list = child<QTreeWidget>(dialog, "resultList");
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("#general"));
    QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("bob"));
    QCOMPARE(list->topLevelItem(0)->text(3), QStringLiteral("deploy on friday, after lunch"));
    dialog->search(QStringLiteral("zebra"));
    QTRY_COMPARE(list->topLevelItemCount(), 0);
    QVERIFY2(child<QLabel>(dialog, "searchStatus")->text().contains(QStringLiteral("Nothing found")),
             qPrintable(child<QLabel>(dialog, "searchStatus")->text()));
    dialog->search(QStringLiteral("deploy"));
    QTRY_COMPARE(list->topLevelItemCount(), 1);
    QSignalSpy opened(dialog, &SearchDialog::opened);
    Q_EMIT list->itemActivated(list->topLevelItem(0), 0);
    QCOMPARE(opened.size(), 1);
    QCOMPARE(m_client->current()->name, QStringLiteral("#general"));
    QCOMPARE(conversation->textCursor().selectedText(), QStringLiteral("deploy on friday, after lunch"));
}

void tst_ClientWindow::findInConversation()
{
    QVERIFY(openWindow());
    QVERIFY(m_client->submit(QStringLiteral("the needle is here")));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("needle")));
    m_window->resize(800, 600);
    QTRY_VERIFY(conversation->height() > 300);
    const QRect before = conversation->geometry();
    child<QAction>(m_window.get(), "actionFind")->trigger();
    auto *bar = child<QWidget>(m_window.get(), "findBar");
    QVERIFY(bar->isVisible());
    auto *find = child<QLineEdit>(m_window.get(), "findEdit");
    // One line under the conversation, which keeps the rest of the height: it lost the bar's
    // height and one spacing, not half of itself to blank bands.
    QTRY_COMPARE(conversation->geometry().top(), before.top());
    const int spacing = conversation->parentWidget()->layout()->spacing();
    QVERIFY2(bar->height() <= find->sizeHint().height() + 8,
             qPrintable(QStringLiteral("find bar %1 px high").arg(bar->height())));
    QVERIFY2(conversation->height() >= before.height() - bar->height() - qMax(spacing, 0) - 6,
             qPrintable(QStringLiteral("conversation %1 px high, was %2; find bar %3 px")
                                .arg(conversation->height())
                                .arg(before.height())
                                .arg(bar->height())));
    QVERIFY2(bar->mapTo(m_window.get(), QPoint(0, 0)).y() >=
                     conversation->mapTo(m_window.get(), QPoint(0, conversation->height())).y(),
             "the find bar is not under the conversation");
    QTest::keyClicks(find, QStringLiteral("needle"));
    QTest::keyClick(find, Qt::Key_Return);
    QCOMPARE(conversation->textCursor().selectedText(), QStringLiteral("needle"));
    find->clear();
    QTest::keyClicks(find, QStringLiteral("haystack"));
    QTest::keyClick(find, Qt::Key_Return);
    QCOMPARE(child<QLabel>(m_window.get(), "findStatus")->text(), QStringLiteral("Not found"));
}

// Emoji are drawn with the colour emoji font (fonts-noto-color-emoji, from deps.sh), the text
// around them with the text font: with the text font first, DejaVu's black-and-white 😀 won.
void tst_ClientWindow::emojiInTheColourFont()
{
    QVERIFY2(QFontDatabase::families().contains(QStringLiteral("Noto Color Emoji")),
             "Noto Color Emoji is not installed: scripts/deps.sh installs fonts-noto-color-emoji");
    QVERIFY(openWindow());
    const QString party = QStringLiteral("\U0001F389\U0001F600");
    QVERIFY(m_client->submit(u"party " + party + u" tonight"));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QTRY_VERIFY(conversation->readableText().contains(party));
    QStringList emojiFragments;
    QStringList textFragments;
    for (QTextBlock block = conversation->document()->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const bool colour = fragment.charFormat().fontFamilies().toStringList().contains(
                    QStringLiteral("Noto Color Emoji"));
            (colour ? emojiFragments : textFragments).append(fragment.text());
        }
    }
    QCOMPARE(emojiFragments, QStringList{ party });
    QVERIFY2(textFragments.join(QString()).contains(QStringLiteral("party ")),
             qPrintable(textFragments.join(u'|')));
}

void tst_ClientWindow::unreadCountAndMarkerWhileAway()
{
    QVERIFY(openWindow());
    QApplication::setActiveWindow(m_window.get());
    QTRY_VERIFY(m_window->isActiveWindow());
    QWidget elsewhere;
    elsewhere.show();
    QVERIFY(QTest::qWaitForWindowExposed(&elsewhere));
    QApplication::setActiveWindow(&elsewhere);
    QTRY_VERIFY(!m_window->isActiveWindow());

    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("one");
    bob.sendLine("two");
    QTRY_VERIFY2(m_window->windowTitle().startsWith(QStringLiteral("(2) ")),
                 qPrintable(m_window->windowTitle()));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    const QString text = conversation->readableText();
    QVERIFY(text.indexOf(QStringLiteral("new messages")) < text.indexOf(QStringLiteral("one")));
    QVERIFY(text.indexOf(QStringLiteral("new messages")) > text.indexOf(QStringLiteral("Connected to")));

    QApplication::setActiveWindow(m_window.get());
    QTRY_VERIFY(!m_window->windowTitle().startsWith(u'('));
    // The marker stays until the user looks away again.
    QVERIFY(conversation->readableText().contains(QStringLiteral("new messages")));
    QApplication::setActiveWindow(&elsewhere);
    QTRY_VERIFY(!conversation->readableText().contains(QStringLiteral("new messages")));
}

void tst_ClientWindow::connectDialogExplainsFailure()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    ConnectDialog dialog(m_client.get());
    dialog.setServer(QStringLiteral("127.0.0.1"), closedPort, QStringLiteral("alice"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    child<QDialogButtonBox>(&dialog, "buttonBox")->button(QDialogButtonBox::Ok)->click();
    auto *message = child<QLabel>(&dialog, "messageLabel");
    QTRY_VERIFY(
            message->text().contains(QStringLiteral("Nothing is accepting connections on 127.0.0.1 port")));
    QVERIFY(dialog.isVisible());
    QVERIFY(child<QComboBox>(&dialog, "hostCombo")->isEnabled());

    child<QLineEdit>(&dialog, "nickEdit")->setText(QStringLiteral("not valid!"));
    child<QDialogButtonBox>(&dialog, "buttonBox")->button(QDialogButtonBox::Ok)->click();
    // The rule, as the server applies it, in one string.
    QVERIFY2(message->text().contains(NickRules::ruleText()), qPrintable(message->text()));
    // A nick made of a filler that shows as nothing is refused before connecting.
    child<QLineEdit>(&dialog, "nickEdit")->setText(QStringLiteral("alice\u3164"));
    child<QDialogButtonBox>(&dialog, "buttonBox")->button(QDialogButtonBox::Ok)->click();
    QVERIFY(message->text().contains(NickRules::ruleText()));
}

// Issue 15: the changed-certificate warning was cut off, hiding the fingerprints to compare.
// Both are shown whole, in a box of their own (fixed-width, 16 bytes a line, selectable), the
// warning above them, and the dialog grows so that nothing is squeezed.
void tst_ClientWindow::changedCertificateShowsBothFingerprintsWhole()
{
    const QString certificate = m_config.filePath(QStringLiteral("cert.pem"));
    const QString key = m_config.filePath(QStringLiteral("key.pem"));
    QString error;
    QVERIFY2(CertificateGenerator::generate(certificate, key, &error), qPrintable(error));
    m_server = std::make_unique<ChatServer>();
    m_server->setTlsPort(0);
    QVERIFY2(m_server->setTlsCertificate(certificate, key, &error), qPrintable(error));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    const QString trusted = QStringLiteral("AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:"
                                           "10:20:30:40:50:60:70:80:90:A0:B0:C0:D0:E0:F0:01");
    QSettings().setValue(QStringLiteral("tls-pins/127.0.0.1:%1").arg(m_server->tlsPort()), trusted);

    ConnectDialog dialog(m_client.get());
    dialog.setServer(QStringLiteral("127.0.0.1"), m_server->tlsPort(), QStringLiteral("alice"));
    child<QCheckBox>(&dialog, "tlsCheck")->setChecked(true);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    child<QDialogButtonBox>(&dialog, "buttonBox")->button(QDialogButtonBox::Ok)->click();
    auto *fingerprints = child<QLabel>(&dialog, "fingerprintLabel");
    QTRY_VERIFY(fingerprints->isVisible());
    const QString now = m_client->connection()->certificateFingerprint();
    QCOMPARE(now.size(), trusted.size());
    const QStringList lines = fingerprints->text().split(u'\n');
    QCOMPARE(lines.size(), 4);
    // Each line ends with 16 bytes of one fingerprint, in order: now, then trusted.
    const QStringList halves{ now.left(47), now.mid(48), trusted.left(47), trusted.mid(48) };
    for (int i = 0; i < 4; ++i)
        QVERIFY2(lines.at(i).endsWith(halves.at(i)), qPrintable(lines.at(i) + u" / " + halves.at(i)));
    QVERIFY(lines.at(0).startsWith(QStringLiteral("Now:")));
    QVERIFY(lines.at(2).startsWith(QStringLiteral("Trusted:")));
    // One under the other, for comparing column by column.
    QCOMPARE(lines.at(0).size(), lines.at(2).size());
    QVERIFY(fingerprints->textInteractionFlags() & Qt::TextSelectableByMouse);
    QVERIFY2(QFontInfo(fingerprints->font()).fixedPitch(),
             qPrintable(QFontInfo(fingerprints->font()).family()));
    auto *message = child<QLabel>(&dialog, "messageLabel");
    QVERIFY2(message->text().contains(QStringLiteral("has changed since you first connected")),
             qPrintable(message->text()));
    QVERIFY2(!message->text().contains(now.left(8)), qPrintable(message->text()));
    QVERIFY(child<QPushButton>(&dialog, "forgetCertificateButton")->isVisible());
    // Nothing squeezed: the fields keep their height and the box shows all four lines.
    auto *host = child<QComboBox>(&dialog, "hostCombo");
    // Generous: the layout settles after a deferred resize, slow under a sanitizer and load.
    QTRY_VERIFY2_WITH_TIMEOUT(host->height() >= host->sizeHint().height() &&
                                      fingerprints->height() >= fingerprints->sizeHint().height(),
                              qPrintable(QStringLiteral("host %1 of %2 px, fingerprints %3 of %4 px")
                                                 .arg(host->height())
                                                 .arg(host->sizeHint().height())
                                                 .arg(fingerprints->height())
                                                 .arg(fingerprints->sizeHint().height())),
                              20000);
    // Forgetting the certificate takes the comparison away with the warning.
    child<QPushButton>(&dialog, "forgetCertificateButton")->click();
    QVERIFY(!fingerprints->isVisible());
    QVERIFY(QSettings().value(QStringLiteral("tls-pins/127.0.0.1:%1").arg(m_server->tlsPort())).isNull());
}

void tst_ClientWindow::connectDialogConnectsAndRemembers()
{
    // Other tests' windows remembered their servers too.
    QSettings().clear();
    ConnectDialog dialog(m_client.get());
    dialog.setServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), QStringLiteral("alice"));
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    child<QDialogButtonBox>(&dialog, "buttonBox")->button(QDialogButtonBox::Ok)->click();
    QVERIFY(accepted.wait());
    QCOMPARE(m_client->connection()->state(), ChatConnection::State::Connected);
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("connect/nick")).toString(), QStringLiteral("alice"));
    QCOMPARE(settings.value(QStringLiteral("connect/recent")).toStringList().constFirst(),
             QStringLiteral("127.0.0.1:%1").arg(m_server->serverPort()));

    ConnectDialog again(m_client.get());
    QCOMPARE(child<QComboBox>(&again, "hostCombo")->currentText(), QStringLiteral("127.0.0.1"));
    QCOMPARE(child<QSpinBox>(&again, "portSpin")->value(), int(m_server->serverPort()));
    QCOMPARE(child<QLineEdit>(&again, "nickEdit")->text(), QStringLiteral("alice"));
    QCOMPARE(child<QComboBox>(&again, "hostCombo")->count(), 1);
}

void tst_ClientWindow::connectDialogListsServersOnTheLan()
{
    // A server that answers discovery probes on a port of its own, on loopback.
    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.ircPort = 0;
    config.database = QStringLiteral(":memory:");
    config.name = QStringLiteral("lan server");
    config.discoveryPort = 0;
    ServerService service;
    QString error;
    QVERIFY2(service.start(config, &error), qPrintable(error));

    ConnectDialog dialog(m_client.get());
    DiscoveryProber *prober = dialog.serverBrowser()->prober();
    prober->setPort(service.discoveryPort());
    prober->setTargets({ QHostAddress::LocalHost });
    prober->setInterval(100);
    prober->probeNow();
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *list = child<QTreeWidget>(&dialog, "foundList");
    QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 1, 5000);
    QVERIFY(list->isVisible());
    QTreeWidgetItem *item = list->topLevelItem(0);
    QCOMPARE(item->text(0), QStringLiteral("lan server"));
    QCOMPARE(item->text(1), QStringLiteral("127.0.0.1:%1").arg(service.port()));
    QCOMPARE(item->text(4), QStringLiteral("0"));

    // Picking it fills the fields; typing by hand still works after.
    child<QComboBox>(&dialog, "hostCombo")->setEditText(QStringLiteral("elsewhere.example"));
    const QRect rect = list->visualItemRect(item);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(child<QComboBox>(&dialog, "hostCombo")->currentText(), QStringLiteral("127.0.0.1"));
    QCOMPARE(child<QSpinBox>(&dialog, "portSpin")->value(), int(service.port()));
    QVERIFY(!child<QCheckBox>(&dialog, "tlsCheck")->isChecked());
    child<QComboBox>(&dialog, "hostCombo")->setEditText(QStringLiteral("typed.example"));
    QCOMPARE(child<QComboBox>(&dialog, "hostCombo")->currentText(), QStringLiteral("typed.example"));

    // Gone when the server stops.
    service.stop();
    QTRY_COMPARE_WITH_TIMEOUT(list->topLevelItemCount(), 0, 5000);
    QVERIFY(child<QLabel>(&dialog, "foundEmptyLabel")->isVisible());
}

void tst_ClientWindow::commandLineConnectionIsRemembered()
{
    // Connected without the dialog (as from the command line), then Chat › Connect: the dialog
    // offers the server the window is on, and the settings have it already.
    QSettings().clear();
    QVERIFY(openWindow());
    QSettings settings;
    QCOMPARE(settings.value(QStringLiteral("connect/recent")).toStringList().value(0),
             QStringLiteral("127.0.0.1:%1").arg(m_server->serverPort()));
    ConnectDialog *dialog = m_window->showConnectDialog();
    QCOMPARE(child<QComboBox>(dialog, "hostCombo")->currentText(), QStringLiteral("127.0.0.1"));
    QCOMPARE(child<QSpinBox>(dialog, "portSpin")->value(), int(m_server->serverPort()));
    QCOMPARE(child<QLineEdit>(dialog, "nickEdit")->text(), QStringLiteral("alice"));
    dialog->close();
}

void tst_ClientWindow::hostileServerCannotSplitOrReorderAMessage()
{
    // Not our server: one that sends what ours never would (a server of a cluster may be older,
    // or not ours at all).
    QTcpServer fake;
    QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
    m_window = std::make_unique<MainWindow>(m_client.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_client->connection()->connectToServer(QStringLiteral("127.0.0.1"), fake.serverPort(),
                                            QStringLiteral("alice"));
    QVERIFY(fake.waitForNewConnection(5000));
    QTcpSocket *peer = fake.nextPendingConnection();
    QVERIFY(QTest::qWaitFor([peer] { return peer->canReadLine(); }));
    QSignalSpy welcomed(m_client->connection(), &ChatConnection::welcomed);
    peer->write(R"({"type":"welcome","version":1,"server":"x","nick":"alice","token":"t","lastId":0,)"
                R"("limits":{"maxLineBytes":4096},"online":1,"users":[],"history":[]})"
                "\n");
    QVERIFY(welcomed.wait(5000));
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    const int blocksBefore = conversation->document()->blockCount();
    // Line breaks of every kind, an escape sequence, and an override left open, in the nick
    // and the text.
    // (Today, so that no date line comes first.)
    const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    peer->write(R"({"type":"message","id":1,"time":")" + now +
                R"(","from":"mallory\u202e",)"
                R"("text":"one\n\u2028\u2029\r\u0085[09:00] bob: two \u001b[2J\u202eevil","kind":"say"})"
                "\n");
    QTRY_COMPARE(m_client->messages()->rowCount() > 0 &&
                         m_client->messages()->entry(m_client->messages()->rowCount() - 1).id == 1,
                 true);
    const ChatEntry &entry = m_client->messages()->entry(m_client->messages()->rowCount() - 1);
    QVERIFY2(TextSanitizer::isClean(entry.text) && TextSanitizer::isClean(entry.nick),
             qPrintable(TextSanitizer::escaped(entry.text)));
    // One message is one line of the conversation.
    QTRY_COMPARE(conversation->document()->blockCount(), blocksBefore + 1);
    const QString shown = conversation->document()->lastBlock().text();
    // The nick and the text each isolated: nothing in them reorders the time or each other.
    const QString nick = QChar(0x2068) + entry.nick + QChar(0x2069);
    const QString text = QChar(0x2068) + entry.text + QChar(0x2069);
    QVERIFY2(shown.contains(nick) && shown.endsWith(text), qPrintable(TextSanitizer::escaped(shown)));
    QVERIFY(shown.indexOf(nick) < shown.indexOf(text));
}

void tst_ClientWindow::viewAtTheBottomStaysThere_data()
{
    QTest::addColumn<QString>("change");
    QTest::newRow("narrower window") << QStringLiteral("narrower");
    QTest::newRow("smaller window") << QStringLiteral("smaller");
    QTest::newRow("larger font") << QStringLiteral("font");
    QTest::newRow("wider window") << QStringLiteral("wider");
}

void tst_ClientWindow::viewAtTheBottomStaysThere()
{
    QFETCH(QString, change);
    QVERIFY(openWindow());
    m_window->resize(900, 600);
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    QScrollBar *bar = conversation->verticalScrollBar();
    MessageModel *model = m_client->current()->messages;
    model->append(someMessages(150, QStringLiteral("before")));
    QTRY_VERIFY2(bar->maximum() > 0 && bar->value() == bar->maximum(), scrollState(bar).constData());

    if (change == u"narrower")
        m_window->resize(420, 600);
    else if (change == u"smaller")
        m_window->resize(420, 260);
    else if (change == u"wider")
        m_window->resize(1200, 600);
    else
        conversation->setFont(QFont(conversation->font().family(), conversation->font().pointSize() * 2));
    // The layout changed: still at the bottom, before anything new arrives and after.
    QTRY_VERIFY2(bar->value() == bar->maximum(), scrollState(bar).constData());
    QVERIFY(conversation->followsBottom());
    model->append(someMessages(3, QStringLiteral("after")));
    QTRY_VERIFY2(bar->value() == bar->maximum(), scrollState(bar).constData());
    // Everything stayed settled once the events were handled, and no button is offered.
    QCoreApplication::processEvents();
    QVERIFY2(bar->value() == bar->maximum(), scrollState(bar).constData());
    QVERIFY(!child<QToolButton>(conversation, "newMessagesBelowButton")->isVisible());
}

void tst_ClientWindow::scrolledUpViewStaysAndOffersTheNewMessages()
{
    QVERIFY(openWindow());
    m_window->resize(800, 500);
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    auto *button = child<QToolButton>(conversation, "newMessagesBelowButton");
    QVERIFY(button);
    QScrollBar *bar = conversation->verticalScrollBar();
    MessageModel *model = m_client->current()->messages;
    settle();
    model->append(someMessages(150, QStringLiteral("before")));
    QTRY_VERIFY2(bar->maximum() > 0 && bar->value() == bar->maximum(), scrollState(bar).constData());
    settle();

    // The user scrolls up a few pages, as the wheel or the keys would.
    for (int i = 0; i < 3; ++i)
        bar->triggerAction(QAbstractSlider::SliderPageStepSub);
    QVERIFY2(bar->value() < bar->maximum(), scrollState(bar).constData());
    // What the user reads: the line at the top, and where it is on the screen. (The scroll
    // value counts lines laid out so far, so it may change while the picture does not.)
    const QString reading = topEntryText(conversation);
    const int readingAt = entryTop(conversation, reading);

    QVERIFY(!conversation->followsBottom());
    QVERIFY(!button->isVisible());

    // Bob's message, over the network as usual, and two more: the view does not move.
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    bob.sendLine("out of sight");
    QTRY_VERIFY(conversation->readableText().contains(QStringLiteral("out of sight")));

    model->append(someMessages(2, QStringLiteral("later")));
    QCoreApplication::processEvents();
    QVERIFY2(topEntryText(conversation) == reading,
             qPrintable(topEntryText(conversation) + u" / " + reading));
    QCOMPARE(entryTop(conversation, reading), readingAt);
    QTRY_VERIFY(button->isVisible());
    QVERIFY2(button->text().contains(QString::number(conversation->unseenBelow())),
             qPrintable(button->text()));
    // bob's message and the two after it; his joining is not counted.
    QCOMPARE(conversation->unseenBelow(), 3);
    // A resize does not take the reader away either.
    m_window->resize(700, 450);
    QCoreApplication::processEvents();
    QVERIFY2(bar->value() < bar->maximum(), scrollState(bar).constData());
    QVERIFY(button->isVisible());

    // The button goes down and follows again.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY2(bar->value() == bar->maximum(), scrollState(bar).constData());
    QVERIFY(!button->isVisible());
    QVERIFY(conversation->followsBottom());
    model->append(someMessages(1, QStringLiteral("followed")));
    QTRY_VERIFY2(bar->value() == bar->maximum(), scrollState(bar).constData());

    // The keys scroll as the user does: Page Up leaves the bottom, Ctrl+End goes back.
    conversation->setFocus();
    QTest::keyClick(conversation, Qt::Key_PageUp);
    QVERIFY2(bar->value() < bar->maximum(), scrollState(bar).constData());
    QVERIFY(!conversation->followsBottom());
    QTest::keyClick(conversation, Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY2(bar->value() == bar->maximum(), scrollState(bar).constData());
    QVERIFY(conversation->followsBottom());

    // Scrolling to the bottom by hand hides it too.
    bar->triggerAction(QAbstractSlider::SliderPageStepSub);
    model->append(someMessages(1, QStringLiteral("unseen")));
    QTRY_VERIFY(button->isVisible());
    bar->triggerAction(QAbstractSlider::SliderToMaximum);
    QTRY_VERIFY(!button->isVisible());
    QCOMPARE(conversation->unseenBelow(), 0);
}

void tst_ClientWindow::scrollingBackLoadsOlderMessagesInPlace()
{
    // A server that replays only the last 5 lines on connecting, and bob's 250 lines before.
    ChatLimits limits;
    limits.floodControl = false;
    limits.historyLines = 5;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    TestClient bob;
    QVERIFY(bob.connectTo(m_server->serverPort()));
    bob.sendLine("/nick bob");
    for (int i = 1; i <= 250; ++i)
        bob.sendLine(QByteArray("old ") + QByteArray::number(i));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("old 250$")));
    QVERIFY(openWindow());
    m_window->resize(800, 420);
    auto *conversation = child<ConversationView>(m_window.get(), "conversation");
    auto *label = child<QLabel>(conversation, "olderHistoryLabel");
    QVERIFY(label);
    QScrollBar *bar = conversation->verticalScrollBar();
    MessageModel *model = m_client->current()->messages;
    const auto messages = [model] { return texts(*model, ChatEntry::Kind::Message); };
    QTRY_COMPARE(messages().size(), 5);

    // While a request is on its way: the line at the top says so, and asking again sends
    // nothing more.
    QList<bool> loading;
    bool shownWhileLoading = false;
    bool askedTwice = false;
    connect(m_client.get(), &ChatClient::olderHistoryChanged, this, [&](Conversation *c) {
        loading.append(c->loadingOlder);
        if (c->loadingOlder) {
            shownWhileLoading = label->isVisible() && label->text() == tr("Loading older messages…");
            askedTwice = m_client->requestOlder(c->name);
        }
    });

    // To the top, as the user scrolls: the 100 before the oldest shown come, above it.
    bar->triggerAction(QAbstractSlider::SliderToMinimum);
    QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 105, 5000);
    QCOMPARE(loading, QList<bool>({ true, false }));
    QVERIFY(shownWhileLoading);
    QVERIFY(!askedTwice);
    QStringList expected;
    for (int i = 146; i <= 250; ++i)
        expected.append(QStringLiteral("old %1").arg(i));
    QCOMPARE(messages(), expected);
    QVERIFY(!m_client->current()->loadingOlder);
    QVERIFY(!label->isVisible());

    // Further up: the message at the top stays where it is while the next 100 go above it.
    bar->triggerAction(QAbstractSlider::SliderToMinimum);
    // (the request goes once the move is done; the view has not changed yet)
    const QString top = topEntryText(conversation);
    QVERIFY2(top.contains(QStringLiteral("old 146")), qPrintable(top));
    const int topAt = entryTop(conversation, QStringLiteral("old 146"));
    QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 205, 5000);
    QCOMPARE(messages().constFirst(), QStringLiteral("old 46"));
    // Where it was on the screen (the day's line above it is above the older ones now).
    // The view scrolls by whole lines, and the day's line is a little taller than a message's:
    // within a line of where it was.
    const int nowAt = entryTop(conversation, QStringLiteral("old 146"));
    QVERIFY2(qAbs(nowAt - topAt) < conversation->fontMetrics().lineSpacing(),
             qPrintable(QStringLiteral("at %1 px, was at %2 px").arg(nowAt).arg(topAt)));
    QVERIFY2(bar->value() > 0, scrollState(bar).constData());
    QVERIFY(!conversation->followsBottom());

    // The last 45, and then the beginning: nothing more is asked for.
    bar->triggerAction(QAbstractSlider::SliderToMinimum);
    QTRY_COMPARE_WITH_TIMEOUT(messages().size(), 250, 5000);
    QCOMPARE(messages().constFirst(), QStringLiteral("old 1"));
    QVERIFY(m_client->current()->historyBegins);
    bar->triggerAction(QAbstractSlider::SliderToMinimum);
    QCoreApplication::processEvents();
    QVERIFY(!m_client->current()->loadingOlder);
    QTRY_VERIFY(label->isVisible());
    QCOMPARE(label->text(), tr("This is the beginning of the history."));
    // Every message once, in order.
    const QStringList all = messages();
    QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), 250);
    bar->triggerAction(QAbstractSlider::SliderToMaximum);
    QTRY_VERIFY(!label->isVisible());
}

QTEST_MAIN(tst_ClientWindow)
#include "tst_clientwindow.moc"
