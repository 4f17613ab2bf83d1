// The server's admin window, offscreen, over a real ServerService and real loopback clients.
#include "adminwindow.h"
#include "chatserver.h"
#include "clientlistmodel.h"
#include "clientsession.h"
#include "expect.h"
#include "logcollector.h"
#include "roomactiondialog.h"
#include "roomlistmodel.h"
#include "serverservice.h"
#include "settingsdialog.h"
#include "testclient.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

#include <memory>

class tst_AdminWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void rowsFollowTheClients();
    void kickDisconnectsTheSelectedClientWithItsReason();
    void kickFromARoomKeepsTheConnection();
    void roomsTabListsNoticesAndClosesRooms();
    void stopFreesThePortAndStartServesAgain();
    void banRefusesTheAddress();
    void noticeReachesEveryone();
    void closingAsksThenStops();
    void closingWithNobodyConnectedDoesNotAsk();
    void settingsApplyOnTheNextStart();
    void showsWhereToConnect();
    void logIsInTheAdminsLanguage();
    void startFailureIsInTheAdminsLanguage();

private:
    template<typename T>
    T *child(const char *name) const
    {
        return m_window->findChild<T *>(QLatin1String(name));
    }
    QAction *action(const char *name) const { return child<QAction>(name); }
    std::unique_ptr<TestClient> join(const QString &nick);
    // Selects the table row of the client with this nick.
    bool select(const QString &nick);
    // Waits for the window's non-blocking dialog of that name and returns it.
    template<typename T>
    T *waitForDialog(const char *name)
    {
        T *dialog = nullptr;
        const bool shown = QTest::qWaitFor(
                [&] { return (dialog = child<T>(name)) != nullptr && dialog->isVisible(); }, 5000);
        return shown ? dialog : nullptr;
    }

    QTemporaryDir m_settings;
    quint16 m_port = 0;
    // The server's Chinese translation, for the tests that run as a Chinese admin would.
    std::unique_ptr<QTranslator> m_translator;
    std::unique_ptr<LogCollector> m_log;
    ChatServer *server() const { return m_service->server(); }

    std::unique_ptr<ServerService> m_service;
    std::unique_ptr<AdminWindow> m_window;
};

void tst_AdminWindow::initTestCase()
{
    QVERIFY(m_settings.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settings.path()));
    QCoreApplication::setOrganizationName(QStringLiteral("groupchat-test"));
}

void tst_AdminWindow::init()
{
    QSettings().clear();
    m_port = 0;
    // Installed before anything is logged or shown, as main() does under LC_ALL=zh_CN.UTF-8.
    if (QByteArrayView(QTest::currentTestFunction()).endsWith("InTheAdminsLanguage")) {
        m_translator = std::make_unique<QTranslator>();
        QVERIFY(m_translator->load(QLocale(QLocale::Chinese, QLocale::China),
                                   QStringLiteral("groupchat-server"), QStringLiteral("_"),
                                   QStringLiteral(GROUPCHAT_SERVER_TRANSLATIONS)));
        QVERIFY(QCoreApplication::installTranslator(m_translator.get()));
    }
    m_log = std::make_unique<LogCollector>();
    m_service = std::make_unique<ServerService>();
    // As main() does: saved settings, then this run's options (loopback, the chosen port).
    const auto effectiveConfig = [this] {
        ServerConfig config = ServerConfig::load(QSettings());
        config.address = QHostAddress::LocalHost;
        config.port = m_port;
        config.ircPort = ServerConfig::ircFreePort;
        return config;
    };
    m_window = std::make_unique<AdminWindow>(m_service.get(), m_log.get(), effectiveConfig,
                                             QStringList{ QStringLiteral("bind"), QStringLiteral("port") });
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->startService());
    m_port = server()->serverPort();
}

void tst_AdminWindow::cleanup()
{
    m_window.reset();
    m_service.reset();
    m_log.reset();
    if (m_translator) {
        QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
    }
}

std::unique_ptr<TestClient> tst_AdminWindow::join(const QString &nick)
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(m_port))
        return nullptr;
    client->sendLine("/nick " + nick.toUtf8());
    const LineExpectation renamed =
            expectLine(*client, QRegularExpression(u"is now known as " + nick + u'$'));
    if (!renamed.failure.isEmpty()) {
        qWarning("join: %s", renamed.failure.constData());
        return nullptr;
    }
    client->setNick(nick);
    return client;
}

bool tst_AdminWindow::select(const QString &nick)
{
    auto *table = child<QTableView>("clientTable");
    QAbstractItemModel *model = table->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, ClientListModel::Nick).data().toString() == nick) {
            table->selectRow(row);
            return true;
        }
    }
    return false;
}

void tst_AdminWindow::rowsFollowTheClients()
{
    auto *table = child<QTableView>("clientTable");
    QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(table->model()->rowCount(), 0);
    auto alice = join(QStringLiteral("alice"));
    auto bob = join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QVERIFY(select(QStringLiteral("alice")));
    QVERIFY(select(QStringLiteral("bob")));

    QAbstractItemModel *model = table->model();
    QCOMPARE(model->headerData(ClientListModel::SendQueue, Qt::Horizontal).toString(),
             QStringLiteral("Send queue"));
    QVERIFY(model->index(0, ClientListModel::Address)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("127.0.0.1:")));
    QCOMPARE(model->index(0, ClientListModel::Mode).data().toString(), QStringLiteral("plain"));
    // Every column of a row names its client by id, nick, address and rooms: what the window
    // acts by, never the session itself.
    QVERIFY(select(QStringLiteral("alice")));
    for (int column = 0; column < ClientListModel::ColumnCount; ++column) {
        const QModelIndex cell = table->selectionModel()->selectedRows(column).value(0);
        QCOMPARE(cell.data(ClientListModel::IdRole).value<quint64>(),
                 server()->findClient(QStringLiteral("alice"))->id());
        QCOMPARE(cell.data(ClientListModel::NickRole).toString(), QStringLiteral("alice"));
        QCOMPARE(cell.data(ClientListModel::AddressRole).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(cell.data(ClientListModel::RoomsRole).toStringList(),
                 QStringList{ QStringLiteral("#general") });
    }
    alice->sendLine("one");
    alice->sendLine("two");
    QTRY_VERIFY(
            select(QStringLiteral("alice")) &&
            table->selectionModel()->selectedRows(ClientListModel::MessagesSent).value(0).data().toString() ==
                    QStringLiteral("2"));

    // A JSON client shows as such, a nick change at once.
    TestClient json;
    QVERIFY(json.connectTo(m_port));
    json.sendLine(R"({"type":"hello","version":1,"nick":"carol"})");
    QTRY_VERIFY(select(QStringLiteral("carol")));
    QCOMPARE(table->selectionModel()->selectedRows(ClientListModel::Mode).value(0).data().toString(),
             QStringLiteral("JSON"));
    bob->sendLine("/nick robert");
    QTRY_VERIFY(select(QStringLiteral("robert")));

    bob->disconnectFromServer();
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QVERIFY(!select(QStringLiteral("robert")));
    QTRY_VERIFY(
            child<QPlainTextEdit>("logView")->toPlainText().contains(QStringLiteral("robert (127.0.0.1:")));
}

void tst_AdminWindow::kickDisconnectsTheSelectedClientWithItsReason()
{
    auto alice = join(QStringLiteral("alice"));
    auto bob = join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QTRY_VERIFY(select(QStringLiteral("bob")));
    QVERIFY(action("actionKick")->isEnabled());
    action("actionKick")->trigger();
    auto *dialog = waitForDialog<RoomActionDialog>("kickDialog");
    QVERIFY(dialog);
    QVERIFY(dialog->findChild<QLabel *>()->text().contains(QStringLiteral("bob")));
    QCOMPARE(dialog->room(), QString()); // the whole server
    dialog->setText(QStringLiteral("spamming the channel"));
    dialog->accept();
    EXPECT_LINE(bob, QStringLiteral("! you were kicked by the admin: spamming the channel"));
    QVERIFY(bob->waitForDisconnected());
    EXPECT_LINE(alice, QStringLiteral("* bob left (kicked: spamming the channel)"));
    QVERIFY(alice->isConnected());
    QTRY_COMPARE(server()->clientCount(), 1);
}

void tst_AdminWindow::kickFromARoomKeepsTheConnection()
{
    auto alice = join(QStringLiteral("alice"));
    auto bob = join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->sendLine("/join #dev");
    bob->sendLine("/join #dev");
    EXPECT_LINE(alice, QStringLiteral("* bob joined #dev"));
    QTRY_VERIFY(select(QStringLiteral("bob")));
    QTRY_COMPARE(server()->roomsOf(server()->findClient(QStringLiteral("bob"))),
                 (QStringList{ QStringLiteral("#general"), QStringLiteral("#dev") }));
    action("actionKick")->trigger();
    auto *dialog = waitForDialog<RoomActionDialog>("kickDialog");
    QVERIFY(dialog);
    auto *target = dialog->findChild<QComboBox *>();
    QVERIFY(target);
    target->setCurrentIndex(target->findData(QStringLiteral("#dev")));
    dialog->setText(QStringLiteral("off topic"));
    dialog->accept();
    EXPECT_LINE(alice, QStringLiteral("* bob left #dev (kicked by the admin: off topic)"));
    EXPECT_LINE(bob, QStringLiteral("* bob left #dev (kicked by the admin: off topic)"));
    QVERIFY(bob->isConnected());
    QCOMPARE(server()->roomsOf(server()->findClient(QStringLiteral("bob"))),
             QStringList{ QStringLiteral("#general") });
}

void tst_AdminWindow::roomsTabListsNoticesAndClosesRooms()
{
    auto alice = join(QStringLiteral("alice"));
    auto bob = join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    alice->sendLine("/join #ops");
    alice->sendLine("/topic builds and releases");
    EXPECT_LINE(alice, QStringLiteral("* alice set the topic of #ops: builds and releases"));
    auto *table = child<QTableView>("roomTable");
    QVERIFY(table);
    QTRY_COMPARE(table->model()->rowCount(), 2);
    int opsRow = -1;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        if (table->model()->index(row, RoomListModel::Name).data() == QLatin1String("#ops"))
            opsRow = row;
    }
    QVERIFY(opsRow >= 0);
    QCOMPARE(table->model()->index(opsRow, RoomListModel::Topic).data().toString(),
             QStringLiteral("builds and releases"));
    QCOMPARE(table->model()->index(opsRow, RoomListModel::People).data(RoomListModel::SortRole).toInt(), 1);
    table->selectRow(opsRow);
    // A notice to the room: alice is in it, bob is not.
    child<QPushButton>("roomNoticeButton")->click();
    auto *notice = waitForDialog<RoomActionDialog>("noticeDialog");
    QVERIFY(notice);
    QCOMPARE(notice->room(), QStringLiteral("#ops"));
    notice->setText(QStringLiteral("deploy frozen"));
    notice->accept();
    // alice is in two rooms: the notice says which one it is for.
    EXPECT_LINE(alice, QStringLiteral("* notice from the admin to #ops: deploy frozen"));
    bob->sendLine("/who");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("^\\*   alice")));
    QVERIFY2(!bob->lines().join(u'|').contains(QLatin1String("deploy frozen")),
             qPrintable(bob->lines().join(u'|')));
    // Closing it: alice is told and back in the default room only.
    QTRY_VERIFY(child<QPushButton>("closeRoomButton")->isEnabled());
    child<QPushButton>("closeRoomButton")->click();
    auto *close = waitForDialog<QInputDialog>("closeRoomDialog");
    QVERIFY(close);
    QVERIFY(close->labelText().contains(QStringLiteral("#ops")));
    close->setTextValue(QStringLiteral("merged into #dev"));
    close->accept();
    EXPECT_LINE(alice, QStringLiteral("* alice left #ops (closed by the admin: merged into #dev)"));
    QTRY_COMPARE(table->model()->rowCount(), 1);
    QVERIFY(!child<QPushButton>("closeRoomButton")->isEnabled());
}

void tst_AdminWindow::stopFreesThePortAndStartServesAgain()
{
    auto alice = join(QStringLiteral("alice"));
    QVERIFY(alice);
    QVERIFY(action("actionStop")->isEnabled());
    QVERIFY(!action("actionStart")->isEnabled());
    QSignalSpy stopped(server(), &ChatServer::stopped);
    action("actionStop")->trigger();
    EXPECT_LINE(alice, QStringLiteral("* server shutting down"));
    QVERIFY(alice->waitForDisconnected());
    QVERIFY(stopped.count() == 1 || stopped.wait());
    QVERIFY(m_window->isVisible());
    QVERIFY(!action("actionStop")->isEnabled());
    QVERIFY(action("actionStart")->isEnabled());
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Stopped"));

    // Another program can have the port at once.
    {
        QTcpServer other;
        QVERIFY2(other.listen(QHostAddress::LocalHost, m_port), qPrintable(other.errorString()));
    }
    action("actionStart")->trigger();
    QVERIFY(server()->isListening());
    QCOMPARE(server()->serverPort(), m_port);
    auto again = join(QStringLiteral("alice"));
    QVERIFY(again);
    QVERIFY(action("actionStop")->isEnabled());
}

void tst_AdminWindow::banRefusesTheAddress()
{
    auto alice = join(QStringLiteral("alice"));
    auto bob = join(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QTRY_VERIFY(select(QStringLiteral("alice")));
    action("actionBan")->trigger();
    auto *dialog = waitForDialog<QInputDialog>("banDialog");
    QVERIFY(dialog);
    QCOMPARE(dialog->textValue(), QStringLiteral("127.0.0.1"));
    // Before it bans, it says who else is on that address.
    QVERIFY2(dialog->labelText().contains(
                     QStringLiteral("Connected from this address now, and disconnected by the ban")) &&
                     dialog->labelText().contains(QStringLiteral("alice")) &&
                     dialog->labelText().contains(QStringLiteral("bob")),
             qPrintable(dialog->labelText()));
    dialog->setTextValue(QStringLiteral("192.0.2.1"));
    QVERIFY2(dialog->labelText().contains(QStringLiteral("No client is connected from this address")),
             qPrintable(dialog->labelText()));
    dialog->setTextValue(QStringLiteral("not an address"));
    QVERIFY(dialog->labelText().contains(QStringLiteral("Enter an IPv4 or IPv6 address")));
    dialog->setTextValue(QStringLiteral("127.0.0.1"));
    dialog->accept();
    EXPECT_LINE(alice, QStringLiteral("! you are banned from this server"));
    QVERIFY(alice->waitForDisconnected());
    QVERIFY(bob->waitForDisconnected());
    // The Bans tab lists it.
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("tabs"));
    auto *banTable = m_window->findChild<QTableView *>(QStringLiteral("banTable"));
    QVERIFY(tabs && banTable);
    QCOMPARE(tabs->tabText(tabs->indexOf(child<QWidget>("bansTab"))), QStringLiteral("Bans (1)"));
    QCOMPARE(banTable->model()->rowCount(), 1);
    QCOMPARE(banTable->model()->index(0, 0).data().toString(), QStringLiteral("127.0.0.1"));
    QVERIFY(!banTable->model()->index(0, 1).data().toString().isEmpty());

    TestClient refused;
    QVERIFY(refused.connectTo(m_port));
    EXPECT_LINE(refused, QStringLiteral("! you are banned from this server"));
    QVERIFY(refused.waitForDisconnected());
    QCOMPARE(server()->clientCount(), 0);

    QVERIFY(action("actionUnban")->isEnabled());
    action("actionUnban")->trigger();
    auto *unban = waitForDialog<QInputDialog>("unbanDialog");
    QVERIFY(unban);
    QCOMPARE(unban->comboBoxItems(), QStringList{ QStringLiteral("127.0.0.1") });
    // Wide enough for its title twice over and a sentence (it was cut).
    QVERIFY2(unban->width() >= unban->fontMetrics().averageCharWidth() * 60 &&
                     unban->width() >= unban->fontMetrics().horizontalAdvance(unban->windowTitle()) * 2,
             qPrintable(QStringLiteral("%1 px").arg(unban->width())));
    unban->accept();
    QCOMPARE(banTable->model()->rowCount(), 0);
    QCOMPARE(tabs->tabText(tabs->indexOf(child<QWidget>("bansTab"))), QStringLiteral("Bans (0)"));
    QVERIFY(join(QStringLiteral("alice")));
}

void tst_AdminWindow::noticeReachesEveryone()
{
    auto alice = join(QStringLiteral("alice"));
    TestClient json;
    QVERIFY(alice && json.connectTo(m_port));
    json.sendLine(R"({"type":"hello","version":1,"nick":"bob"})");
    EXPECT_JSON(json, QStringLiteral("welcome"));
    QTRY_VERIFY(action("actionNotice")->isEnabled());
    action("actionNotice")->trigger();
    auto *dialog = waitForDialog<RoomActionDialog>("noticeDialog");
    QVERIFY(dialog);
    dialog->setText(QStringLiteral("restarting at noon"));
    dialog->accept();
    EXPECT_LINE(alice, QStringLiteral("* notice from the admin: restarting at noon"));
    QJsonObject notice;
    EXPECT_JSON_AS(notice, json, QStringLiteral("notice"));
    QCOMPARE(notice.value(u"from").toString(), QStringLiteral("admin"));
    QCOMPARE(notice.value(u"text").toString(), QStringLiteral("restarting at noon"));
}

// With nobody connected there is nobody to tell: closing stops the service without asking.
void tst_AdminWindow::closingWithNobodyConnectedDoesNotAsk()
{
    QCOMPARE(server()->clientCount(), 0);
    m_window->close();
    QTRY_VERIFY(!m_window->isVisible());
    QVERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("closeQuestion")));
    QTRY_VERIFY(!server() || !server()->isListening());
}

void tst_AdminWindow::closingAsksThenStops()
{
    auto alice = join(QStringLiteral("alice"));
    QVERIFY(alice);
    m_window->close();
    auto *question = waitForDialog<QMessageBox>("closeQuestion");
    QVERIFY(question);
    QVERIFY(m_window->isVisible());
    // Cancel keeps everything running.
    question->button(QMessageBox::Cancel)->click();
    QVERIFY(server()->isListening());
    QVERIFY(m_window->isVisible());

    m_window->close();
    question = waitForDialog<QMessageBox>("closeQuestion");
    QVERIFY(question);
    QAbstractButton *stop = nullptr;
    for (QAbstractButton *button : question->buttons()) {
        if (question->buttonRole(button) == QMessageBox::DestructiveRole)
            stop = button;
    }
    QVERIFY(stop);
    stop->click();
    EXPECT_LINE(alice, QStringLiteral("* server shutting down"));
    QTRY_VERIFY(!m_window->isVisible());
    QVERIFY(!server()->isListening());
}

void tst_AdminWindow::settingsApplyOnTheNextStart()
{
    action("actionSettings")->trigger();
    auto *dialog = waitForDialog<SettingsDialog>("settingsDialog");
    QVERIFY(dialog);
    QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("noteLabel"))
                    ->text()
                    .contains(QStringLiteral("--bind, --port")));
    dialog->findChild<QSpinBox *>(QStringLiteral("maxLineSpin"))->setValue(64);
    // The rooms' settings too; a name no room can have keeps the dialog open and says why.
    auto *defaultRoom = dialog->findChild<QLineEdit *>(QStringLiteral("defaultRoomEdit"));
    QCOMPARE(defaultRoom->text(), QStringLiteral("#general"));
    defaultRoom->setText(QStringLiteral("#a b"));
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Ok)->click();
    QVERIFY(dialog->isVisible());
    const QString why = dialog->findChild<QLabel *>(QStringLiteral("noteLabel"))->text();
    QVERIFY2(why.contains(QStringLiteral("U+0020 SPACE")), qPrintable(why));
    defaultRoom->setText(QStringLiteral("lobby"));
    dialog->findChild<QSpinBox *>(QStringLiteral("topicSpin"))->setValue(50);
    auto *announce = dialog->findChild<QCheckBox *>(QStringLiteral("announceCheck"));
    QVERIFY(announce->isChecked());
    announce->setChecked(false);
    dialog->findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(QSettings().value(QStringLiteral("limits/maxLineBytes")).toInt(), 64);
    QCOMPARE(QSettings().value(QStringLiteral("server/defaultRoom")).toString(), QStringLiteral("#lobby"));
    QCOMPARE(QSettings().value(QStringLiteral("limits/maxTopicLength")).toInt(), 50);

    // Not yet: the running service keeps its limits.
    auto alice = join(QStringLiteral("alice"));
    QVERIFY(alice);
    alice->sendLine(QByteArray(100, 'x'));
    EXPECT_LINE(alice, chatLinePattern(QStringLiteral("alice"), QString(100, u'x')));

    QSignalSpy stopped(server(), &ChatServer::stopped);
    action("actionStop")->trigger();
    QVERIFY(stopped.wait());
    action("actionStart")->trigger();
    auto bob = join(QStringLiteral("bob"));
    QVERIFY(bob);
    bob->sendLine(QByteArray(100, 'x'));
    EXPECT_LINE(bob, QStringLiteral("! line too long (limit 64 bytes)"));
    // Not announced on the LAN any more, and the window says so.
    QVERIFY(!m_service->isAnnounced());
    const QString where = child<QLabel>("addressLabel")->text();
    QVERIFY2(where.contains(QStringLiteral("Not announced on the LAN (switched off)")), qPrintable(where));
}

void tst_AdminWindow::showsWhereToConnect()
{
    const QString where = child<QLabel>("addressLabel")->text();
    QVERIFY2(where.contains(QStringLiteral("127.0.0.1:%1").arg(m_port)), qPrintable(where));
    // Whether it is announced on the LAN (UDP discovery at least, DNS-SD where Avahi runs).
    QVERIFY2(where.contains(QStringLiteral("announced on the LAN"), Qt::CaseInsensitive), qPrintable(where));
    // The program's name once (Qt adds it, from the display name, when the window shows it).
    QCOMPARE(m_window->windowTitle(), QStringLiteral("Port %1").arg(m_port));
    QVERIFY(!m_window->windowTitle().contains(QStringLiteral("groupchat")));
    QVERIFY(m_window->statusBar()->findChildren<QLabel *>().size() >= 4);
}

// Under a Chinese locale the log pane is Chinese like the rest of the window: every line the
// server core writes is translated where it is written (ServerLog::tr).
void tst_AdminWindow::logIsInTheAdminsLanguage()
{
    auto *pane = child<QPlainTextEdit>("logView");
    TestClient client;
    QVERIFY(client.connectTo(m_port));
    EXPECT_LINE(client, QRegularExpression(QStringLiteral("^\\* welcome to groupchat, you are guest1;")));
    client.sendLine("/nick bob");
    // The chat itself stays English: it is protocol (docs/ARCHITECTURE.md).
    EXPECT_LINE(client, QStringLiteral("* guest1 is now known as bob"));
    QTRY_VERIFY2(pane->toPlainText().contains(QStringLiteral("bob")), qPrintable(pane->toPlainText()));
    // The reason the connection ended: the server's word translated, the user's own as typed.
    client.sendLine("/quit see you %2");
    QVERIFY(client.waitForDisconnected());
    QTRY_VERIFY2(pane->toPlainText().contains(QStringLiteral("see you %2")), qPrintable(pane->toPlainText()));

    const QString shown = pane->toPlainText();
    const QStringList lines = shown.split(u'\n', Qt::SkipEmptyParts);
    // Listening, where clients connect, the connection, the nick change and the end at least.
    QVERIFY2(lines.size() >= 5, qPrintable(shown));
    const QRegularExpression chinese(QStringLiteral("\\p{Han}"));
    for (const QString &line : lines)
        QVERIFY2(line.contains(chinese), qPrintable(u"not translated: " + line + u"\n\nthe pane:\n" + shown));
    for (const char *english : { "listening on", "clients connect to", "IRC on port", "connected as",
                                 "connected)", "is now known as", "disconnected", "quit:" }) {
        QVERIFY2(!shown.contains(QLatin1String(english)),
                 qPrintable(QStringLiteral("\"%1\" in the pane:\n%2").arg(QLatin1String(english), shown)));
    }
    // The people are still named as they are, with where they connect from.
    QVERIFY2(!lines.filter(QStringLiteral("guest1"))
                      .filter(QStringLiteral("127.0.0.1:"))
                      .filter(u"bob")
                      .isEmpty(),
             qPrintable(shown));
}

// Why the server cannot start is logged, and shown, in the admin's language too.
void tst_AdminWindow::startFailureIsInTheAdminsLanguage()
{
    auto *pane = child<QPlainTextEdit>("logView");
    QSignalSpy stopped(server(), &ChatServer::stopped);
    action("actionStop")->trigger();
    QVERIFY(stopped.count() == 1 || stopped.wait());
    const QString missing = m_settings.path() + u"/no-such-password";
    QSettings().setValue(QStringLiteral("server/passwordFile"), missing);
    QVERIFY(!m_window->startService());
    QTRY_VERIFY2(pane->toPlainText().contains(missing), qPrintable(pane->toPlainText()));
    const QString line = pane->toPlainText().split(u'\n').filter(missing).constFirst();
    QVERIFY2(line.contains(QRegularExpression(QStringLiteral("\\p{Han}"))), qPrintable(line));
    QVERIFY2(!line.contains(QLatin1String("cannot read the password file")), qPrintable(line));
}

QTEST_MAIN(tst_AdminWindow)
#include "tst_adminwindow.moc"
