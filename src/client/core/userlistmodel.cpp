#include "userlistmodel.h"

#include "nickrules.h"

#include <QLocale>

#include <algorithm>

namespace {

bool nickLess(const QString &a, const QString &b)
{
    const int order = QString::compare(a, b, Qt::CaseInsensitive);
    return order != 0 ? order < 0 : a < b;
}

} // namespace

UserListModel::UserListModel(QObject *parent) : QAbstractListModel(parent) { }

int UserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const OnlineUser &user = m_users.at(index.row());
    const bool self = NickRules::key(user.nick) == m_selfKey;
    switch (role) {
    case Qt::DisplayRole:
        if (self)
            return tr("%1 (you)").arg(user.nick);
        // In a cluster, those on other servers say where.
        return user.server.isEmpty() ? user.nick : tr("%1 · %2").arg(user.nick, user.server);
    case Qt::ToolTipRole:
        if (!user.server.isEmpty())
            return tr("%1, here since %2, on %3")
                    .arg(user.nick, QLocale().toString(user.since.toLocalTime(), QLocale::ShortFormat),
                         user.server);
        return tr("%1, here since %2")
                .arg(user.nick, QLocale().toString(user.since.toLocalTime(), QLocale::ShortFormat));
    case NickRole:
        return user.nick;
    case SinceRole:
        return user.since;
    case IsSelfRole:
        return self;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> UserListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NickRole, "nick");
    names.insert(SinceRole, "since");
    names.insert(IsSelfRole, "isSelf");
    return names;
}

void UserListModel::reset(const QList<OnlineUser> &users, const QString &selfNick)
{
    beginResetModel();
    m_users = users;
    std::sort(m_users.begin(), m_users.end(),
              [](const OnlineUser &a, const OnlineUser &b) { return nickLess(a.nick, b.nick); });
    m_selfKey = NickRules::key(selfNick);
    endResetModel();
    Q_EMIT countChanged(rowCount());
}

void UserListModel::add(const OnlineUser &user)
{
    if (contains(user.nick))
        return;
    const int row = insertionRow(user.nick);
    beginInsertRows(QModelIndex(), row, row);
    m_users.insert(row, user);
    endInsertRows();
    Q_EMIT countChanged(rowCount());
}

void UserListModel::remove(const QString &nick)
{
    const int row = indexOf(nick);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_users.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged(rowCount());
}

void UserListModel::rename(const QString &oldNick, const QString &newNick)
{
    const int row = indexOf(oldNick);
    if (row < 0)
        return;
    OnlineUser user = m_users.at(row);
    user.nick = newNick;
    if (NickRules::key(oldNick) == m_selfKey)
        m_selfKey = NickRules::key(newNick);
    beginRemoveRows(QModelIndex(), row, row);
    m_users.removeAt(row);
    endRemoveRows();
    const int newRow = insertionRow(newNick);
    beginInsertRows(QModelIndex(), newRow, newRow);
    m_users.insert(newRow, user);
    endInsertRows();
}

void UserListModel::setSelf(const QString &nick)
{
    m_selfKey = NickRules::key(nick);
    if (!m_users.isEmpty())
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), { Qt::DisplayRole, IsSelfRole });
}

void UserListModel::clear()
{
    reset({}, QString());
}

QStringList UserListModel::nicks() const
{
    QStringList result;
    result.reserve(m_users.size());
    for (const OnlineUser &user : m_users)
        result.append(user.nick);
    return result;
}

int UserListModel::indexOf(const QString &nick) const
{
    // Servers send nicks exactly as listed, so the sorted search nearly always hits.
    const int row = insertionRow(nick);
    if (row < m_users.size() && m_users.at(row).nick == nick)
        return row;
    const QString key = NickRules::key(nick);
    for (int i = 0; i < m_users.size(); ++i) {
        if (NickRules::key(m_users.at(i).nick) == key)
            return i;
    }
    return -1;
}

int UserListModel::insertionRow(const QString &nick) const
{
    const auto it =
            std::lower_bound(m_users.begin(), m_users.end(), nick,
                             [](const OnlineUser &user, const QString &n) { return nickLess(user.nick, n); });
    return int(it - m_users.begin());
}
