#include "clientlistmodel.h"

#include "chatserver.h"
#include "clientsession.h"

#include <QLocale>

ClientListModel::ClientListModel(ChatServer *server, QObject *parent)
    : QAbstractTableModel(parent), m_server(server)
{
    m_clients = server->clients();
    connect(server, &ChatServer::clientConnected, this, &ClientListModel::addClient);
    connect(server, &ChatServer::clientDisconnected, this, &ClientListModel::removeClient);
    connect(server, &ChatServer::nickChanged, this, &ClientListModel::updateClient);
    connect(server, &ChatServer::clientModeChanged, this, &ClientListModel::updateClient);
    connect(server, &ChatServer::roomsChanged, this, &ClientListModel::refreshRooms);
    m_refresh.setInterval(1000);
    connect(&m_refresh, &QTimer::timeout, this, &ClientListModel::refreshTraffic);
    m_refresh.start();
}

int ClientListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_clients.size());
}

int ClientListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

ClientSession *ClientListModel::client(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return nullptr;
    return m_clients.at(index.row());
}

quint64 ClientListModel::clientId(const QModelIndex &index) const
{
    const ClientSession *c = client(index);
    return c ? c->id() : 0;
}

QVariant ClientListModel::data(const QModelIndex &index, int role) const
{
    const ClientSession *c = client(index);
    if (!c)
        return QVariant();
    switch (role) {
    case IdRole:
        return QVariant::fromValue(c->id());
    case NickRole:
        return c->nick();
    case AddressRole:
        return c->peerAddress().toString();
    case RoomsRole:
        return m_server->roomsOf(c);
    default:
        break;
    }
    const QLocale locale;
    if (role == Qt::TextAlignmentRole)
        return index.column() >= MessagesSent ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return QVariant();
    const bool display = role != SortRole;
    switch (Column(index.column())) {
    case Nick:
        return c->nick();
    case Rooms:
        return m_server->roomsOf(c).join(QStringLiteral(", "));
    case Address:
        if (!display)
            return c->peerAddress().toString();
        return c->isSecure() ? tr("%1 (TLS)").arg(c->peer()) : c->peer();
    case Mode:
        switch (c->mode()) {
        case ClientSession::Mode::Json:
            return tr("JSON");
        case ClientSession::Mode::Plain:
            return tr("plain");
        case ClientSession::Mode::Irc:
            // Until its registration is done it is a client on the IRC port, not yet in.
            return c->irc()->registered ? tr("IRC") : tr("IRC, registering");
        case ClientSession::Mode::Undecided:
            return tr("new");
        }
        break;
    case ConnectedSince:
        if (!display)
            return c->connectedAt();
        if (role == Qt::ToolTipRole)
            return locale.toString(c->connectedAt().toLocalTime(), QLocale::LongFormat);
        return locale.toString(c->connectedAt().toLocalTime(), QLocale::ShortFormat);
    case MessagesSent:
        return display ? QVariant(locale.toString(c->messagesSent())) : QVariant(c->messagesSent());
    case BytesSent:
        return display ? QVariant(locale.formattedDataSize(c->bytesSent())) : QVariant(c->bytesSent());
    case SendQueue:
        return display ? QVariant(locale.formattedDataSize(c->sendQueueBytes()))
                       : QVariant(c->sendQueueBytes());
    case ColumnCount:
        break;
    }
    return QVariant();
}

QVariant ClientListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QVariant();
    if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Mode:
            return tr("plain: nc, telnet, scripts; JSON: the desktop client; new: nothing sent yet");
        case MessagesSent:
            return tr("Messages this client sent, to its rooms and privately");
        case Rooms:
            return tr("The rooms this client is in, in the order it joined them");
        case BytesSent:
            return tr("Bytes the server sent to this client");
        case SendQueue:
            return tr("Bytes waiting for this client to read them; past the limit it is disconnected");
        default:
            return QVariant();
        }
    }
    if (role != Qt::DisplayRole)
        return QVariant();
    switch (Column(section)) {
    case Nick:
        return tr("Nick");
    case Rooms:
        return tr("Rooms");
    case Address:
        return tr("Address");
    case Mode:
        return tr("Mode");
    case ConnectedSince:
        return tr("Connected since");
    case MessagesSent:
        return tr("Messages");
    case BytesSent:
        return tr("Sent to it");
    case SendQueue:
        return tr("Send queue");
    case ColumnCount:
        break;
    }
    return QVariant();
}

void ClientListModel::addClient(ClientSession *client)
{
    const int row = int(m_clients.size());
    beginInsertRows(QModelIndex(), row, row);
    m_clients.append(client);
    endInsertRows();
}

void ClientListModel::removeClient(ClientSession *client)
{
    const int row = int(m_clients.indexOf(client));
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_clients.removeAt(row);
    endRemoveRows();
}

void ClientListModel::updateClient(ClientSession *client)
{
    const int row = int(m_clients.indexOf(client));
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ClientListModel::refreshRooms()
{
    if (!m_clients.isEmpty())
        Q_EMIT dataChanged(index(0, Rooms), index(rowCount() - 1, Rooms), { Qt::DisplayRole, SortRole });
}

void ClientListModel::refreshTraffic()
{
    if (!m_clients.isEmpty())
        Q_EMIT dataChanged(index(0, MessagesSent), index(rowCount() - 1, SendQueue),
                           { Qt::DisplayRole, SortRole });
}
