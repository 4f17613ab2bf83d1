#pragma once

#include "serverconfig.h"

#include <QMainWindow>

#include <deque>
#include <functional>
#include <memory>

class BanListModel;
class RoomListModel;
class ClientListModel;
class LogCollector;
class ServerService;
class QLabel;
class QSortFilterProxyModel;
namespace Ui {
class AdminWindow;
}

// The server's own window: who is connected (ClientListModel, shown as it is), the rooms
// (RoomListModel), the bans, the log, and the admin's tools (stop and start the service, kick
// from the server or a room, ban, notices to everyone or a room, close a room, settings). It keeps no
// state of the chat: it reads the core's item models and acts through ServerService, naming
// clients by their ids.
class AdminWindow : public QMainWindow
{
    Q_OBJECT

public:
    // config says how to start the service: the saved settings with this run's command-line
    // options applied, read again at every start. overridden names those options.
    // service: the server it shows and drives (not owned; it outlives the window).
    AdminWindow(ServerService *service, LogCollector *log, std::function<ServerConfig()> config,
                const QStringList &overridden, QWidget *parent = nullptr);
    ~AdminWindow() override;

    // Starts the service as configured; false (and the reason in the log) when it cannot.
    bool startService();
    void stopService();
    // Stops the service if it runs, then closes the window without asking.
    void stopAndClose();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // The ids of the clients selected in the Clients tab, in table order.
    QList<quint64> selectedClients() const;
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
    // Whether and how the server is announced on the LAN, for the address label.
    QString announcementText() const;
    void updateClock();

    std::unique_ptr<Ui::AdminWindow> m_ui;
    ServerService *m_service;
    std::function<ServerConfig()> m_config;
    QStringList m_overridden;
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
