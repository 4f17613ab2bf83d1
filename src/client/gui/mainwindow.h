#pragma once

#include "chatconnection.h"

#include "clientpreferences.h"

#include <QMainWindow>

#include <memory>

class ChatClient;
struct Conversation;
class ConnectDialog;
class DesktopColorScheme;
class DesktopNotifier;
class QAction;
class QLabel;
class QPushButton;
class QSystemTrayIcon;
namespace Ui {
class MainWindow;
}

// The chat window: the conversation, who is online, the input line and the connection's
// state. It holds no chat state of its own; everything comes from ChatClient's models.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(ChatClient *client, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens the connect dialog (window-modal).
    ConnectDialog *showConnectDialog();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    // Opens the connect dialog filled in as the failed attempt was, saying why it failed.
    void showFailedAttempt(ChatConnection::Failure failure, const QString &why);
    void sendInput();
    void updateCounter();
    void updateStatus();
    void updateTitle();
    void updateActions();
    void updateOnlineLabel();
    // Reconnect Now (a wait cut short), or Reconnect after a kick.
    void reconnect();
    // Double-clicking someone opens the private conversation with them.
    void startPrivateMessage(const QModelIndex &index);
    // Shows a conversation: its messages, its people, its topic; marks it read.
    void showConversation(Conversation *conversation);
    void updateTopic();
    // Asks which room to join, offering the server's list (requested as it opens).
    void showJoinDialog();
    // The conversation offset rows after the current one (wrapping), as Ctrl+PgDown does.
    void moveConversation(int offset);
    int totalUnread() const;
    // The Notifications menu (do-not-disturb, sound; a room's mute is in the Room menu) and
    // the notifier; made in code, not in the form.
    void setUpNotifications();
    // ChatClient::attentionWanted: unless the window is in front or do-not-disturb is on, the
    // urgency hint and a desktop notification (the tray's balloon without a service).
    void notify(const QString &conversation, const QString &title, const QString &text);
    void showFindBar();
    void findNext(bool backward);
    void showAbout();
    // Edit › Preferences; the choice is applied at once and saved.
    void showPreferences();
    // Edit › Search History: the server's history searched, a hit shown in its conversation.
    void showSearch();
    // The theme, the conversation's font and the time format of m_preferences.
    void applyPreferences();
    void restoreLayout();
    void saveLayout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ClientPreferences m_preferences;
    DesktopColorScheme *m_colorScheme = nullptr;
    ChatClient *m_client;
    QLabel *m_statusLabel;
    QPushButton *m_reconnectButton;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifier *m_notifier = nullptr;
    QAction *m_doNotDisturb = nullptr;
    QAction *m_notificationSound = nullptr;
    QMetaObject::Connection m_unreadConnection; // the shown conversation's unread count
    QMetaObject::Connection m_usersConnection; // and its number of people
};
