#pragma once

#include "serverconfig.h"

#include <QMainWindow>

#include <deque>
#include <functional>
#include <memory>

class BanListModel;
class RoomListModel;
class ChatServer;
class ClientListModel;
class ClientSession;
class LogCollector;
class QLabel;
class QSortFilterProxyModel;
namespace Ui {
class AdminWindow;
}

// The server's own window: who is connected (ClientListModel, shown as it is), the rooms
// (RoomListModel), the bans, the log, and the admin's tools (stop and start the service, kick
// from the server or a room, ban, notices to everyone or a room, close a room, settings). It keeps no
// state of the chat; ChatServer has it all.
class AdminWindow : public QMainWindow
{
    Q_OBJECT

public:
    // config says how to start the service: the saved settings with this run's command-line
    // options applied, read again at every start. overridden names those options.
    AdminWindow(ChatServer *server, LogCollector *log, std::function<ServerConfig()> config,
                const QStringList &overridden, QWidget *parent = nullptr);
    ~AdminWindow() override;

    // Listens as configured; false (and the reason in the log) when it cannot.
    bool startService();
    void stopService();
    // Stops the service if it runs, then closes the window without asking.
    void stopAndClose();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    QList<ClientSession *> selectedClients() const;
    void kickSelected();
    // Asks which address to ban; fromSelection: the selected client's is offered.
    void banAddress(bool fromSelection);
    void liftBan();
    // Lifts the bans selected in the Bans tab (or asks which, when none is).
    void liftSelectedBans();
    // What banning the address typed so far does: who is connected from it now.
    QString banConsequence(const QString &text) const;
    // The notice dialog, addressed to everyone or to room.
    void sendNotice(const QString &room = QString());
    // The room selected in the Rooms tab (empty when none is).
    QString selectedRoom() const;
    void closeSelectedRoom();
    void showSettings();
    void showAbout();
    void appendLog(const QString &line, bool isWarning);
    void updateState();
    // Every second: how many messages the last second brought.
    void sampleRate();
    void updateClock();

    std::unique_ptr<Ui::AdminWindow> m_ui;
    ChatServer *m_server;
    std::function<ServerConfig()> m_config;
    QStringList m_overridden;
    ServerConfig m_running; // as last started
    ClientListModel *m_model;
    BanListModel *m_banModel;
    RoomListModel *m_roomModel;
    QSortFilterProxyModel *m_sorted;
    QSortFilterProxyModel *m_sortedRooms;
    QLabel *m_stateLabel;
    QLabel *m_clientsLabel;
    QLabel *m_uptimeLabel;
    QLabel *m_rateLabel;
    quint64 m_lastMessageId = 0;
    std::deque<quint64> m_messagesPerSecond; // the last few seconds
    bool m_closeWhenStopped = false;
};
