#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHostAddress>

class ChatServer;

// The banned addresses as a table, live (the admin window's Bans tab): the address and when it
// was banned, oldest first. The bans themselves are ChatServer's, kept in the history database
// when there is one.
class BanListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Address, Since, ColumnCount };
    Q_ENUM(Column)

    explicit BanListModel(ChatServer *server, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The address of a row (null for an invalid index).
    QHostAddress address(const QModelIndex &index) const;

private:
    void reload();

    ChatServer *m_server;
    QList<std::pair<QHostAddress, QDateTime>> m_bans;
};
