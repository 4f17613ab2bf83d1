#pragma once

#include "serverevent.h"

#include <QAbstractTableModel>

class ChatServer;

// The server's rooms as a table, live (the admin window's Rooms tab): name, people (here and
// on the cluster's other servers), messages said there, topic; the default room first. It
// holds a copy of ChatServer::roomList(), refreshed when the server says its rooms changed
// (at most once per event-loop pass): rows only move when rooms come or go.
class RoomListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Name, People, Messages, Topic, ColumnCount };
    Q_ENUM(Column)

    // SortRole holds the raw value (numbers) for sorting.
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit RoomListModel(ChatServer *server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The room of a row ("#dev"); empty for an invalid index.
    QString room(const QModelIndex &index) const;
    // Whether it is the server's default room (which cannot be closed).
    bool isDefaultRoom(const QModelIndex &index) const;

private:
    void reload();

    ChatServer *m_server;
    QList<RoomInfo> m_rooms;
    QList<qint64> m_messages;
};
