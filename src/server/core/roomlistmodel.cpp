#include "roomlistmodel.h"

#include "chatserver.h"

#include <QLocale>

RoomListModel::RoomListModel(ChatServer *server, QObject *parent)
    : QAbstractTableModel(parent), m_server(server)
{
    connect(server, &ChatServer::roomsChanged, this, &RoomListModel::reload);
    connect(server, &ChatServer::messagePosted, this, &RoomListModel::reload);
    reload();
}

void RoomListModel::reload()
{
    QList<RoomInfo> rooms = m_server->roomList(false);
    QList<qint64> messages;
    messages.reserve(rooms.size());
    for (const RoomInfo &room : std::as_const(rooms))
        messages.append(m_server->roomMessageCount(room.name));
    bool sameRows = rooms.size() == m_rooms.size();
    for (qsizetype i = 0; sameRows && i < rooms.size(); ++i)
        sameRows = rooms.at(i).name == m_rooms.at(i).name;
    if (!sameRows) {
        beginResetModel();
        m_rooms = std::move(rooms);
        m_messages = std::move(messages);
        endResetModel();
        return;
    }
    m_rooms = std::move(rooms);
    m_messages = std::move(messages);
    if (!m_rooms.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rooms.size()) - 1, ColumnCount - 1));
}

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

int RoomListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RoomListModel::room(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QString();
    return m_rooms.at(index.row()).name;
}

bool RoomListModel::isDefaultRoom(const QModelIndex &index) const
{
    return !room(index).isEmpty() && room(index) == m_server->defaultRoom();
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const RoomInfo &room = m_rooms.at(index.row());
    if (role == Qt::TextAlignmentRole)
        return index.column() == People || index.column() == Messages
                       ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                       : QVariant();
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return QVariant();
    const QLocale locale;
    const bool display = role != SortRole;
    switch (Column(index.column())) {
    case Name:
        if (role == Qt::ToolTipRole && room.name == m_server->defaultRoom())
            return tr("%1: everyone is in it from the start; it cannot be closed").arg(room.name);
        return room.name;
    case People:
        return display ? QVariant(locale.toString(room.online)) : QVariant(room.online);
    case Messages:
        return display ? QVariant(locale.toString(m_messages.value(index.row())))
                       : QVariant(m_messages.value(index.row()));
    case Topic:
        if (role == Qt::ToolTipRole && !room.topic.isEmpty())
            return tr("%1\nset by %2, %3")
                    .arg(room.topic, room.topicBy,
                         locale.toString(room.topicTime.toLocalTime(), QLocale::ShortFormat));
        return room.topic;
    case ColumnCount:
        break;
    }
    return QVariant();
}

QVariant RoomListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (Column(section)) {
    case Name:
        return tr("Room");
    case People:
        return tr("People");
    case Messages:
        return tr("Messages");
    case Topic:
        return tr("Topic");
    case ColumnCount:
        break;
    }
    return QVariant();
}
