#include "mainwindow.h"

#include "chatclient.h"
#include "connectdialog.h"
#include "desktopcolorscheme.h"
#include "desktopnotifier.h"
#include "emojipicker.h"
#include "hostport.h"
#include "joinroomdialog.h"
#include "nickrules.h"
#include "preferencesdialog.h"
#include "searchdialog.h"
#include "textcut.h"
#include "themeapplier.h"
#include "ui_mainwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSystemTrayIcon>
#include <QToolButton>

MainWindow::MainWindow(ChatClient *client, QWidget *parent)
    : QMainWindow(parent),
      m_ui(std::make_unique<Ui::MainWindow>()),
      m_client(client),
      m_statusLabel(new QLabel(this)),
      m_reconnectButton(new QPushButton(tr("Reconnect now"), this))
{
    m_ui->setupUi(this);
    m_ui->findBar->hide();
    m_ui->conversation->setModel(client->messages());
    m_ui->userList->setModel(client->users());
    m_ui->conversationList->setModel(client->conversations());
    m_ui->conversationList->addActions({ m_ui->actionMuteRoom, m_ui->actionLeaveRoom });
    connect(m_ui->conversationList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &index) {
                if (index.isValid())
                    m_client->setCurrent(index.data(ConversationListModel::NameRole).toString());
            });
    connect(client, &ChatClient::currentChanged, this, &MainWindow::showConversation);
    // Picking a conversation with the mouse is to talk there (as in HexChat): typing goes on.
    connect(m_ui->conversationList, &QAbstractItemView::clicked, this, [this] { m_ui->input->setFocus(); });
    connect(client, &ChatClient::currentUpdated, this, &MainWindow::updateTopic);
    connect(client, &ChatClient::currentUpdated, this, &MainWindow::updateOnlineLabel);
    connect(client->conversations(), &QAbstractItemModel::dataChanged, this, &MainWindow::updateTitle);
    connect(client->conversations(), &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateTitle);
    connect(m_ui->joinButton, &QPushButton::clicked, this, &MainWindow::showJoinDialog);
    connect(m_ui->actionJoinRoom, &QAction::triggered, this, &MainWindow::showJoinDialog);
    connect(m_ui->actionLeaveRoom, &QAction::triggered, this,
            [this] { m_client->closeConversation(m_client->current()->name); });
    connect(m_ui->actionMuteRoom, &QAction::toggled, this,
            [this](bool muted) { m_client->setMuted(m_client->current()->name, muted); });
    connect(m_ui->actionNextConversation, &QAction::triggered, this, [this] { moveConversation(1); });
    connect(m_ui->actionPreviousConversation, &QAction::triggered, this, [this] { moveConversation(-1); });
    // Long reasons must not widen the window; the full text is in the tooltip.
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(m_statusLabel, 1);
    statusBar()->addPermanentWidget(m_reconnectButton);
    // A button that looks like one: after a kick it is the way back.

    ChatConnection *connection = client->connection();
    connect(m_ui->input, &QLineEdit::returnPressed, this, &MainWindow::sendInput);
    // The emoji button beside the input (Ctrl+; from the input) opens the picker.
    auto *emojiButton = new QToolButton(this);
    emojiButton->setObjectName(QStringLiteral("emojiButton"));
    emojiButton->setText(QStringLiteral("\U0001F642"));
    emojiButton->setToolTip(tr("Insert an emoji (Ctrl+;); or type :name and Tab"));
    emojiButton->setAccessibleName(tr("Insert an emoji"));
    emojiButton->setAutoRaise(true);
    m_ui->inputLayout->insertWidget(m_ui->inputLayout->indexOf(m_ui->counterLabel), emojiButton);
    auto *picker = new EmojiPicker(this);
    connect(picker, &EmojiPicker::picked, this, [this](const QString &emoji) {
        m_ui->input->insert(emoji);
        m_ui->input->setFocus();
    });
    connect(emojiButton, &QToolButton::clicked, this, [picker, emojiButton] { picker->popUp(emojiButton); });
    // Left to right, top to bottom: the conversations, the conversation (and its find bar),
    // the input with its emoji and Send buttons, the people.
    setTabOrder(m_ui->input, emojiButton);
    setTabOrder(emojiButton, m_ui->sendButton);
    auto *emojiShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Semicolon), m_ui->input);
    emojiShortcut->setContext(Qt::WidgetShortcut);
    connect(emojiShortcut, &QShortcut::activated, emojiButton, &QToolButton::click);
    // Tab completes the people here (not oneself), the rooms one is in, and the commands.
    m_ui->input->setCompletionCandidates([client] {
        TabCompleter::Candidates candidates;
        const QString self = client->connection()->nick();
        for (const QString &nick : client->users()->nicks()) {
            if (!NickRules::same(nick, self))
                candidates.nicks.append(nick);
        }
        candidates.rooms = client->conversations()->rooms();
        candidates.commands = ChatCommand::commandNames();
        return candidates;
    });
    connect(m_ui->sendButton, &QPushButton::clicked, this, &MainWindow::sendInput);
    connect(m_ui->input, &QLineEdit::textChanged, this, &MainWindow::updateCounter);
    connect(m_ui->userList, &QAbstractItemView::doubleClicked, this, &MainWindow::startPrivateMessage);
    connect(m_ui->conversation, &ConversationView::linkActivated, this,
            [](const QUrl &url) { QDesktopServices::openUrl(url); });
    // A message the server refused: sent again, or given up, from its row.
    connect(m_ui->conversation, &ConversationView::retryRequested, client, &ChatClient::retry);
    connect(m_ui->conversation, &ConversationView::deleteRequested, client, &ChatClient::discard);
    // While the server has lost its cluster, what the user sends waits: said above the
    // conversation for as long as it lasts.
    m_ui->clusterBanner->setText(
            tr("The server has lost its cluster: messages wait, and are delivered when it is back."));
    m_ui->clusterBanner->setAccessibleName(tr("Server status"));
    m_ui->clusterBanner->setStyleSheet(QStringLiteral(
            "QLabel { background: #fff3cd; color: #664d03; border-bottom: 1px solid #e0c870; }"));
    connect(client, &ChatClient::serverStatusChanged, m_ui->clusterBanner, &QWidget::setVisible);
    // Scrolled to the top: what was said before, from the server.
    connect(m_ui->conversation, &ConversationView::topReached, this,
            [this] { m_client->requestOlder(m_client->current()->name); });
    connect(client, &ChatClient::olderHistoryChanged, this, [this](Conversation *conversation) {
        if (conversation == m_client->current())
            m_ui->conversation->setOlderState(conversation->loadingOlder, conversation->historyBegins);
    });

    connect(client, &ChatClient::presenceChanged, this, &MainWindow::updateOnlineLabel);

    connect(client, &ChatClient::attentionWanted, this, &MainWindow::notify);
    connect(connection, &ChatConnection::stateChanged, this, &MainWindow::updateStatus);
    connect(connection, &ChatConnection::reconnectCountdown, this, &MainWindow::updateStatus);
    connect(connection, &ChatConnection::nickChanged, this, &MainWindow::updateStatus);
    connect(connection, &ChatConnection::welcomed, this, &MainWindow::updateCounter);
    // A connection made from the command line is remembered as one made in the dialog is.
    connect(connection, &ChatConnection::welcomed, this,
            [this, connection](const ServerEvent &, bool resumed) {
                if (!resumed && !findChild<ConnectDialog *>())
                    ConnectDialog::rememberServer(connection->host(), connection->port(),
                                                  connection->usesTls(), connection->nick());
            });
    connect(connection, &ChatConnection::connectFailed, this,
            [this](ChatConnection::Failure failure, const QString &why) {
                // Reconnecting, or a connection the command line asked for, gave up (nick
                // taken meanwhile, a password wanted ...): ask the user.
                if (isVisible() && !findChild<ConnectDialog *>())
                    showFailedAttempt(failure, why);
            });
    // After a kick the server is not tried again on its own; the user may, by hand.
    connect(connection, &ChatConnection::closedByServer, this, &MainWindow::updateStatus);
    connect(m_reconnectButton, &QPushButton::clicked, this, &MainWindow::reconnect);

    connect(m_ui->actionConnect, &QAction::triggered, this, [this] { showConnectDialog(); });
    connect(m_ui->actionDisconnect, &QAction::triggered, this,
            [this] { m_client->submit(QStringLiteral("/quit")); });
    connect(m_ui->actionReconnectNow, &QAction::triggered, this, &MainWindow::reconnect);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionFind, &QAction::triggered, this, &MainWindow::showFindBar);
    // The platform's binding where it has one; Ctrl+, (GNOME's and most applications') otherwise.
    const QList<QKeySequence> preferencesKeys = QKeySequence::keyBindings(QKeySequence::Preferences);
    m_ui->actionPreferences->setShortcuts(
            preferencesKeys.isEmpty() ? QList<QKeySequence>{ QKeySequence(Qt::CTRL | Qt::Key_Comma) }
                                      : preferencesKeys);
    m_ui->actionPreferences->setMenuRole(QAction::PreferencesRole);
    connect(m_ui->actionPreferences, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(m_ui->actionSearchHistory, &QAction::triggered, this, &MainWindow::showSearch);
    m_preferences = ClientPreferences::load(QSettings());
    // The desktop's light or dark preference, for "as the desktop" (asked asynchronously).
    m_colorScheme = new DesktopColorScheme(QDBusConnection::sessionBus(), this);
    connect(m_colorScheme, &DesktopColorScheme::changed, this, [this] {
        if (m_preferences.theme == ClientPreferences::Theme::System)
            ThemeApplier::apply(m_preferences.theme, m_colorScheme->scheme());
    });
    applyPreferences();
    connect(m_ui->actionFindNext, &QAction::triggered, this, [this] { findNext(false); });
    connect(m_ui->actionFindPrevious, &QAction::triggered, this, [this] { findNext(true); });
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionAboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    connect(m_ui->findEdit, &QLineEdit::returnPressed, this, [this] { findNext(true); });
    connect(m_ui->findEdit, &QLineEdit::textEdited, this, [this] { m_ui->findStatus->clear(); });
    connect(m_ui->findNextButton, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(m_ui->findPreviousButton, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(m_ui->findCloseButton, &QToolButton::clicked, this, [this] {
        m_ui->findBar->hide();
        m_ui->input->setFocus();
    });
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), m_ui->findBar);
    escape->setContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, m_ui->findCloseButton, &QToolButton::click);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("groupchat"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            activateWindow();
        });
        m_tray->show();
    }
    setUpNotifications();

    showConversation(client->current());
    updateOnlineLabel();
    restoreLayout();
    updateStatus();
    updateCounter();
    updateTitle();
    m_ui->input->setFocus();
}

MainWindow::~MainWindow() = default;

ConnectDialog *MainWindow::showConnectDialog()
{
    auto *dialog = new ConnectDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->open();
    return dialog;
}

void MainWindow::showFailedAttempt(ChatConnection::Failure failure, const QString &why)
{
    ConnectDialog *dialog = showConnectDialog();
    const ChatConnection *connection = m_client->connection();
    if (!connection->host().isEmpty())
        dialog->setServer(connection->host(), connection->port(), connection->nick());
    dialog->showFailure(failure, why);
}

void MainWindow::sendInput()
{
    const QString text = m_ui->input->text();
    if (text.trimmed().isEmpty())
        return;
    if (m_client->submit(text))
        m_ui->input->remember(text);
}

void MainWindow::updateCounter()
{
    const QString text = m_ui->input->text();
    // Characters typed, against about how many the server takes of text like it.
    const ChatClient::InputSize size = m_client->inputSize(text);
    // Away from a server it has been connected to, a message waits until the connection is
    // back (ChatClient's outbox).
    const bool canSend = m_client->connection()->state() == ChatConnection::State::Connected ||
                         !m_client->connection()->host().isEmpty();
    // The most a line may have depends on what it holds (a Chinese character takes three
    // times the room of a Latin one), so it is shown only when it matters: near the limit.
    const bool near = !size.fits || qint64(size.characters) * 10 >= qint64(size.maxCharacters) * 9;
    m_ui->counterLabel->setVisible(size.maxCharacters > 0);
    m_ui->counterLabel->setText(near ? QStringLiteral("%1/%2").arg(size.characters).arg(size.maxCharacters)
                                     : QString::number(size.characters));
    m_ui->counterLabel->setToolTip(near ? tr("Characters typed, and about how many this line can have")
                                        : tr("Characters typed"));
    QString color;
    if (!size.fits)
        color = QStringLiteral("color: #c0392b; font-weight: bold;");
    else if (near)
        color = QStringLiteral("color: #c0392b;");
    m_ui->counterLabel->setStyleSheet(color);
    m_ui->sendButton->setEnabled(canSend && !text.trimmed().isEmpty() && size.fits);
}

void MainWindow::updateStatus()
{
    const ChatConnection *connection = m_client->connection();
    QString text;
    switch (connection->state()) {
    case ChatConnection::State::Disconnected:
        text = connection->lastError().isEmpty() ? tr("Not connected. Use Chat › Connect to join a server.")
                                                 : tr("Disconnected: %1").arg(connection->lastErrorBrief());
        break;
    case ChatConnection::State::Connecting:
    case ChatConnection::State::Handshaking:
        text = tr("Connecting to %1 port %2…").arg(connection->host()).arg(connection->port());
        break;
    case ChatConnection::State::Connected:
        text = tr("Connected to %1 as %2")
                       .arg(HostPort{ connection->host(), connection->port() }.toString(),
                            connection->nick());
        break;
    case ChatConnection::State::WaitingToReconnect:
        text = tr("Reconnecting in %n s (%1)", nullptr, connection->secondsUntilReconnect())
                       .arg(connection->lastErrorBrief());
        break;
    }
    m_statusLabel->setText(text);
    m_statusLabel->setToolTip(connection->lastError().isEmpty() ? text : connection->lastError());
    m_reconnectButton->setText(connection->canReconnect() ? tr("Reconnect") : tr("Reconnect now"));
    m_reconnectButton->setVisible(connection->state() == ChatConnection::State::WaitingToReconnect ||
                                  connection->canReconnect());
    updateActions();
    updateTitle();
    updateCounter();
}

void MainWindow::updateOnlineLabel()
{
    // In a room too large to follow, the server sends a count instead of a list.
    m_ui->onlineLabel->setText(m_client->presenceLive()
                                       ? tr("Online (%1)").arg(m_client->onlineCount())
                                       : tr("Online (%1, too many to list)").arg(m_client->onlineCount()));
}

void MainWindow::updateActions()
{
    const ChatConnection::State state = m_client->connection()->state();
    m_ui->actionDisconnect->setEnabled(state != ChatConnection::State::Disconnected);
    m_ui->actionReconnectNow->setEnabled(state == ChatConnection::State::WaitingToReconnect ||
                                         m_client->connection()->canReconnect());
}

void MainWindow::updateTitle()
{
    const ChatConnection *connection = m_client->connection();
    QString title = tr("groupchat");
    if (connection->state() != ChatConnection::State::Disconnected && !connection->host().isEmpty())
        title = tr("%1 @ %2 — groupchat").arg(connection->nick(), connection->host());
    const int unread = totalUnread();
    if (unread > 0)
        title = QStringLiteral("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title);
}

void MainWindow::reconnect()
{
    ChatConnection *connection = m_client->connection();
    if (connection->canReconnect())
        connection->reconnect();
    else
        connection->reconnectNow();
}

void MainWindow::startPrivateMessage(const QModelIndex &index)
{
    const QString nick = index.data(UserListModel::NickRole).toString();
    if (nick.isEmpty() || index.data(UserListModel::IsSelfRole).toBool())
        return;
    m_client->openPrivate(nick);
    m_ui->input->setFocus();
}

void MainWindow::showConversation(Conversation *conversation)
{
    if (!conversation)
        return;
    m_ui->conversation->setModel(conversation->messages);
    m_ui->conversation->setOlderState(conversation->loadingOlder, conversation->historyBegins);
    // A private conversation has no list of people: the other person is its name.
    m_ui->sidePanel->setVisible(conversation->users != nullptr);
    if (conversation->users)
        m_ui->userList->setModel(conversation->users);
    disconnect(m_unreadConnection);
    disconnect(m_usersConnection);
    if (conversation->users)
        m_usersConnection = connect(conversation->users, &UserListModel::countChanged, this,
                                    &MainWindow::updateOnlineLabel);
    m_unreadConnection = connect(conversation->messages, &MessageModel::unreadCountChanged, this, [this] {
        if (isActiveWindow())
            m_client->current()->messages->markRead();
        updateTitle();
    });
    if (isActiveWindow())
        conversation->messages->markRead();
    const int row = m_client->conversations()->rowOf(conversation->name);
    if (row >= 0 && m_ui->conversationList->currentIndex().row() != row)
        m_ui->conversationList->setCurrentIndex(m_client->conversations()->index(row));
    {
        const QSignalBlocker blocker(m_ui->actionMuteRoom);
        m_ui->actionMuteRoom->setChecked(conversation->muted);
    }
    m_ui->actionLeaveRoom->setEnabled(row > 0);
    m_ui->actionLeaveRoom->setText(conversation->kind == Conversation::Kind::Private
                                           ? tr("&Close Conversation")
                                           : tr("&Leave Room"));
    updateTopic();
    updateOnlineLabel();
    updateTitle();
}

void MainWindow::updateTopic()
{
    const Conversation *conversation = m_client->current();
    QString text;
    if (conversation->kind == Conversation::Kind::Private)
        text = tr("Private conversation with %1").arg(conversation->name);
    else if (!conversation->joined)
        text = tr("%1 — you left this room; Room › Join Room to come back").arg(conversation->name);
    else if (conversation->topic.isEmpty())
        text = conversation->name;
    else
        text = tr("%1 — %2").arg(conversation->name, conversation->topic);
    // A long topic ends in "…" at the window's edge, never widens it; the whole of it is in
    // the tooltip.
    m_ui->topicLabel->setFullText(text);
    m_ui->topicLabel->setToolTip(conversation->topic.isEmpty() ? text : conversation->topic);
}

void MainWindow::showJoinDialog()
{
    auto *dialog = new JoinRoomDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The server's rooms, as soon as it answers.
    connect(m_client, &ChatClient::roomListReceived, dialog, &JoinRoomDialog::setRooms);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (!dialog->roomName().isEmpty())
            m_client->joinRoom(dialog->roomName());
    });
    dialog->open();
    if (m_client->connection()->state() == ChatConnection::State::Connected)
        m_client->requestRoomList();
}

void MainWindow::moveConversation(int offset)
{
    const int count = m_client->conversations()->rowCount();
    if (count == 0)
        return;
    const int row = (m_client->conversations()->rowOf(m_client->current()->name) + offset + count) % count;
    m_client->setCurrent(m_client->conversations()->at(row)->name);
}

int MainWindow::totalUnread() const
{
    int unread = 0;
    for (int row = 0; row < m_client->conversations()->rowCount(); ++row)
        unread += m_client->conversations()->at(row)->messages->unreadCount();
    return unread;
}

void MainWindow::setUpNotifications()
{
    // Made here rather than in mainwindow.ui, so the form stays the layout's alone.
    QSettings settings;
    auto *menu = new QMenu(tr("&Notifications"), this);
    menu->setObjectName(QStringLiteral("menuNotifications"));
    m_doNotDisturb = menu->addAction(tr("&Do Not Disturb"));
    m_doNotDisturb->setObjectName(QStringLiteral("actionDoNotDisturb"));
    m_doNotDisturb->setCheckable(true);
    m_doNotDisturb->setChecked(settings.value(QStringLiteral("notifications/doNotDisturb"), false).toBool());
    m_doNotDisturb->setStatusTip(tr("No notifications and no sound; unread messages are still counted"));
    m_notificationSound = menu->addAction(tr("Play a &Sound"));
    m_notificationSound->setObjectName(QStringLiteral("actionNotificationSound"));
    m_notificationSound->setCheckable(true);
    m_notificationSound->setChecked(settings.value(QStringLiteral("notifications/sound"), false).toBool());
    m_notificationSound->setStatusTip(tr("A sound with each notification"));
    menuBar()->insertMenu(m_ui->menuHelp->menuAction(), menu);
    connect(m_doNotDisturb, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("notifications/doNotDisturb"), on); });
    connect(m_notificationSound, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("notifications/sound"), on); });

    m_notifier = new DesktopNotifier(QDBusConnection::sessionBus(), this);
    // No notification service (a desktop without one, or none running): the tray's balloon
    // when there is a tray, and the sound as the system's beep.
    connect(m_notifier, &DesktopNotifier::undelivered, this,
            [this](const QString &, const QString &title, const QString &text) {
                if (m_tray)
                    m_tray->showMessage(title, text, QSystemTrayIcon::Information, 8000);
                if (m_notificationSound->isChecked())
                    QApplication::beep();
            });
    // A click on the notification: the window, at that conversation.
    connect(m_notifier, &DesktopNotifier::activated, this, [this](const QString &conversation) {
        // Out of the taskbar if minimised, but a maximised window stays maximised.
        setWindowState(windowState() & ~Qt::WindowMinimized);
        show();
        raise();
        activateWindow();
        m_client->setCurrent(conversation);
    });
}

void MainWindow::notify(const QString &conversation, const QString &title, const QString &text)
{
    // In front, the conversation list's marks say it; under do-not-disturb only they do.
    if (isActiveWindow() || m_doNotDisturb->isChecked())
        return;
    // The taskbar's urgency hint, whatever else the desktop has.
    QApplication::alert(this);
    m_notifier->notify(conversation, title, text, m_notificationSound->isChecked());
}

void MainWindow::showSearch()
{
    if (auto *open = findChild<SearchDialog *>(QStringLiteral("searchDialog"))) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new SearchDialog(m_client, this);
    dialog->setObjectName(QStringLiteral("searchDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // A hit in context: its conversation, the message selected where it is loaded; an older
    // one is above what is shown, where scrolling up brings it.
    connect(dialog, &SearchDialog::opened, this,
            [this](const QString &conversation, const ChatMessage &message) {
                if (!m_client->setCurrent(conversation))
                    m_client->openPrivate(conversation);
                m_ui->conversation->moveCursor(QTextCursor::End);
                if (!m_ui->conversation->findText(message.text.left(200), true))
                    statusBar()->showMessage(
                            tr("That message is older than what %1 shows now: scroll up to load it.")
                                    .arg(conversation),
                            8000);
                activateWindow();
            });
    dialog->show();
}

void MainWindow::showPreferences()
{
    auto *dialog = new PreferencesDialog(m_preferences, this);
    dialog->setObjectName(QStringLiteral("preferencesDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNotificationChoices(m_notificationSound->isChecked(), m_doNotDisturb->isChecked());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        // The menu's switches save themselves.
        m_notificationSound->setChecked(dialog->notificationSound());
        m_doNotDisturb->setChecked(dialog->doNotDisturb());
        m_preferences = dialog->preferences();
        QSettings settings;
        m_preferences.save(settings);
        applyPreferences();
    });
    dialog->open();
}

void MainWindow::applyPreferences()
{
    ThemeApplier::apply(m_preferences.theme, m_colorScheme->scheme());
    QFont font = QApplication::font();
    if (!m_preferences.fontFamily.isEmpty())
        font.setFamily(m_preferences.fontFamily);
    if (m_preferences.fontSize > 0)
        font.setPointSize(m_preferences.fontSize);
    m_ui->conversation->setFont(font);
    m_ui->conversation->setTimeFormat(m_preferences.timeFormat());
}

void MainWindow::showFindBar()
{
    m_ui->findBar->show();
    m_ui->findEdit->setFocus();
    m_ui->findEdit->selectAll();
}

void MainWindow::findNext(bool backward)
{
    if (!m_ui->findBar->isVisible() || m_ui->findEdit->text().isEmpty()) {
        showFindBar();
        return;
    }
    const bool found = m_ui->conversation->findText(m_ui->findEdit->text(), backward);
    m_ui->findStatus->setText(found ? QString() : tr("Not found"));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About groupchat"),
                       tr("<h3>groupchat %1</h3><p>A small, fast group chat for teams and LANs.</p>"
                          "<p>Anyone can join with this client, or with <tt>nc HOST 6666</tt>.</p>")
                               .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() != QEvent::ActivationChange)
        return;
    if (isActiveWindow()) {
        m_client->current()->messages->markRead();
        updateTitle();
    } else {
        // Whatever arrives from now on is below the "new messages" line.
        m_client->current()->messages->moveReadMarkerToEnd();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    if (m_client->connection()->state() != ChatConnection::State::Disconnected)
        m_client->connection()->disconnectFromServer();
    event->accept();
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    // The layout with the conversation list (a splitter of three) has a key of its own.
    if (!m_ui->splitter->restoreState(settings.value(QStringLiteral("window/splitter3")).toByteArray()))
        m_ui->splitter->setSizes({ 170, 600, 180 });
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter3"), m_ui->splitter->saveState());
}
