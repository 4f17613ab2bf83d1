#pragma once

#include "chatconnection.h"

#include <QMainWindow>

#include <memory>

class ChatClient;
class ConnectDialog;
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
    void startPrivateMessage(const QModelIndex &index);
    void notify(const QString &title, const QString &text);
    void showFindBar();
    void findNext(bool backward);
    void showAbout();
    void restoreLayout();
    void saveLayout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ChatClient *m_client;
    QLabel *m_statusLabel;
    QPushButton *m_reconnectButton;
    QSystemTrayIcon *m_tray = nullptr;
};
