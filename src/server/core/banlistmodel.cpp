#include "banlistmodel.h"

#include "chatserver.h"

#include <QLocale>

BanListModel::BanListModel(ChatServer *server, QObject *parent)
    : QAbstractTableModel(parent), m_server(server)
{
    connect(server, &ChatServer::bansChanged, this, &BanListModel::reload);
    reload();
}

void BanListModel::reload()
{
    beginResetModel();
    m_bans.clear();
    for (const QHostAddress &address : m_server->bans())
        m_bans.append({ address, m_server->bannedSince(address) });
    endResetModel();
}

int BanListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_bans.size());
}

int BanListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BanListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const auto &[address, since] = m_bans.at(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return QVariant();
    switch (index.column()) {
    case Address:
        return address.toString();
    case Since:
        return QLocale().toString(since.toLocalTime(), QLocale::ShortFormat);
    default:
        return QVariant();
    }
}

QVariant BanListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Address:
        return tr("Address");
    case Since:
        return tr("Banned since");
    default:
        return QVariant();
    }
}

QHostAddress BanListModel::address(const QModelIndex &index) const
{
    if (!index.isValid() || index.row() >= m_bans.size())
        return QHostAddress();
    return m_bans.at(index.row()).first;
}
