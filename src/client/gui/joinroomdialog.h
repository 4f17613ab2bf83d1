#pragma once

#include "serverevent.h"

#include <QDialog>

#include <memory>

class QStandardItemModel;
namespace Ui {
class JoinRoomDialog;
}

// Asks which room to join: the server's rooms in a table (name, people, topic; sortable), or
// a name typed for a new one, checked as it is typed by the server's own rules (RoomName), so
// that a bad name is explained here and never sent.
class JoinRoomDialog : public QDialog
{
    Q_OBJECT

public:
    enum Column { NameColumn, PeopleColumn, TopicColumn };

    explicit JoinRoomDialog(QWidget *parent = nullptr);
    ~JoinRoomDialog() override;

    // The server's rooms (its answer to a "rooms" request); what is typed stays.
    void setRooms(const QList<RoomInfo> &rooms);
    // The room to join as the server names rooms ("dev" typed is "#dev"); empty while what is
    // typed is not a room name.
    QString roomName() const;
    // Why what is typed is not a room name, in the user's language; empty when it is one (or
    // when nothing is typed yet).
    QString problem() const;

private:
    void check();

    std::unique_ptr<Ui::JoinRoomDialog> m_ui;
    QStandardItemModel *m_rooms;
};
