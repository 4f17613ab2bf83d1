#pragma once

#include <QAbstractTableModel>
#include <QTimer>

class ChatServer;
class ClientSession;

// The server's connected clients as a table, live: rows come and go with connections,
// nicks and dialects change at once, and the traffic columns refresh every second. It holds
// no state of its own beyond the order of its rows; every value is read from the sessions.
class ClientListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Nick,
        Rooms,
        Address,
        Mode,
        ConnectedSince,
        MessagesSent,
        BytesSent,
        SendQueue,
        ColumnCount
    };
    Q_ENUM(Column)

    // On every column of a row: SortRole the column's raw value (numbers, times) for sorting;
    // IdRole the client's id (quint64, ClientSession::id(): what ServerService's tools take);
    // NickRole its nick; AddressRole the address it connects from (QString, IPv4 as a.b.c.d);
    // RoomsRole the rooms it is in (QStringList, in the order it joined them).
    enum Role { SortRole = Qt::UserRole + 1, IdRole, NickRole, AddressRole, RoomsRole };

    explicit ClientListModel(ChatServer *server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The id of the client in index's row (IdRole); 0 for an invalid index.
    quint64 clientId(const QModelIndex &index) const;
    // How often the traffic columns are refreshed.
    void setRefreshInterval(int ms) { m_refresh.setInterval(ms); }

private:
    ClientSession *client(const QModelIndex &index) const;
    void addClient(ClientSession *client);
    void removeClient(ClientSession *client);
    void updateClient(ClientSession *client);
    void refreshTraffic();
    void refreshRooms();

    ChatServer *m_server;
    QList<ClientSession *> m_clients;
    QTimer m_refresh;
};
