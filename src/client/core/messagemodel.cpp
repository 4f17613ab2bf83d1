#include "messagemodel.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

MessageModel::MessageModel(QObject *parent) : QAbstractListModel(parent) { }

int MessageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant MessageModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const ChatEntry &e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return plainText(e);
    case Qt::ToolTipRole:
        if (e.delivery == ChatEntry::Delivery::Pending)
            return tr("Sending…");
        if (e.delivery == ChatEntry::Delivery::Failed)
            return tr("Not sent: %1").arg(e.failure);
        return QLocale().toString(e.time.toLocalTime(), QLocale::LongFormat);
    case KindRole:
        return int(e.kind);
    case IdRole:
        return e.id;
    case TimeRole:
        return e.time;
    case NickRole:
        return e.nick;
    case TargetRole:
        return e.target;
    case TextRole:
        return e.text;
    case OwnRole:
        return e.own;
    case MentionsMeRole:
        return e.mentionsMe;
    case FirstUnreadRole:
        return index.row() == firstUnreadRow();
    case DeliveryRole:
        return int(e.delivery);
    case ClientIdRole:
        return e.clientId;
    case FailureRole:
        return e.failure;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> MessageModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(KindRole, "kind");
    names.insert(IdRole, "messageId");
    names.insert(TimeRole, "time");
    names.insert(NickRole, "nick");
    names.insert(TargetRole, "target");
    names.insert(TextRole, "text");
    names.insert(OwnRole, "own");
    names.insert(MentionsMeRole, "mentionsMe");
    names.insert(FirstUnreadRole, "firstUnread");
    names.insert(DeliveryRole, "delivery");
    names.insert(ClientIdRole, "clientId");
    names.insert(FailureRole, "failure");
    return names;
}

void MessageModel::append(const ChatEntry &entry)
{
    append(QList<ChatEntry>{ entry });
}

void MessageModel::append(const QList<ChatEntry> &entries)
{
    insert(int(m_entries.size()), entries, true);
}

void MessageModel::appendHistory(const QList<ChatEntry> &entries)
{
    insert(int(m_entries.size()), entries, false);
}

void MessageModel::insertHistory(int row, const QList<ChatEntry> &entries)
{
    insert(row, entries, false);
}

int MessageModel::prependHistory(const QList<ChatEntry> &entries)
{
    QSet<quint64> held;
    for (const ChatEntry &entry : m_entries) {
        if (entry.id != 0)
            held.insert(entry.id);
    }
    QList<ChatEntry> fresh;
    fresh.reserve(entries.size());
    for (const ChatEntry &entry : entries) {
        if (entry.id == 0 || !held.contains(entry.id)) {
            fresh.append(entry);
            held.insert(entry.id);
        }
    }
    // Full: what would be added is the oldest, the first to go again.
    if (int(m_entries.size()) >= m_capacity)
        return 0;
    fresh = fresh.mid(qMax<qsizetype>(0, fresh.size() - (m_capacity - qsizetype(m_entries.size()))));
    insert(0, fresh, false);
    return int(fresh.size());
}

void MessageModel::insert(int row, const QList<ChatEntry> &entries, bool live)
{
    if (entries.isEmpty())
        return;
    row = qBound(0, row, int(m_entries.size()));
    // Only the newest capacity() entries of the batch can stay.
    const qsizetype skip = qMax<qsizetype>(0, entries.size() - m_capacity);
    const int adding = int(entries.size() - skip);
    const int excess = qMin(int(m_entries.size()) + adding - m_capacity, row);
    if (excess > 0) {
        beginRemoveRows(QModelIndex(), 0, excess - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + excess);
        endRemoveRows();
        row -= excess;
    }
    // The read marker counts entries ever appended: one at or after row moves on with the
    // entries behind it, so what is inserted before it counts as read.
    const quint64 firstHeld = m_appended - m_entries.size();
    if (m_readMarker >= firstHeld + quint64(row) && row < int(m_entries.size()))
        m_readMarker += quint64(entries.size());
    beginInsertRows(QModelIndex(), row, row + adding - 1);
    m_entries.insert(m_entries.begin() + row, entries.begin() + skip, entries.end());
    m_appended += quint64(entries.size());
    endInsertRows();
    // Inserted before the end there may be more than the capacity now: the oldest go.
    const int over = int(m_entries.size()) - m_capacity;
    if (over > 0) {
        beginRemoveRows(QModelIndex(), 0, over - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + over);
        endRemoveRows();
    }
    if (!live)
        return;
    const auto unread = std::count_if(entries.begin(), entries.end(),
                                      [](const ChatEntry &e) { return e.isConversation() && !e.own; });
    if (unread > 0) {
        m_unread += int(unread);
        Q_EMIT unreadCountChanged(m_unread);
    }
}

void MessageModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_readMarker = m_appended;
    endResetModel();
    if (m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadCountChanged(0);
    }
}

int MessageModel::rowOfClientId(const QString &clientId) const
{
    if (clientId.isEmpty())
        return -1;
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        if (m_entries[size_t(row)].clientId == clientId)
            return row;
    }
    return -1;
}

void MessageModel::replace(int row, const ChatEntry &entry)
{
    if (row < 0 || row >= int(m_entries.size()))
        return;
    m_entries[size_t(row)] = entry;
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed);
}

void MessageModel::remove(int row)
{
    if (row < 0 || row >= int(m_entries.size()))
        return;
    // The read marker counts entries ever appended: one after the row moves back with them.
    const quint64 firstHeld = m_appended - m_entries.size();
    beginRemoveRows(QModelIndex(), row, row);
    m_entries.erase(m_entries.begin() + row);
    --m_appended;
    if (m_readMarker > firstHeld + quint64(row))
        --m_readMarker;
    endRemoveRows();
}

void MessageModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    const int excess = int(m_entries.size()) - m_capacity;
    if (excess > 0) {
        beginRemoveRows(QModelIndex(), 0, excess - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + excess);
        endRemoveRows();
    }
}

void MessageModel::markRead()
{
    if (m_unread != 0) {
        m_unread = 0;
        Q_EMIT unreadCountChanged(0);
    }
}

void MessageModel::moveReadMarkerToEnd()
{
    const int oldFirst = firstUnreadRow();
    m_readMarker = m_appended;
    m_hasReadMarker = true;
    if (oldFirst >= 0) {
        const QModelIndex changed = index(oldFirst);
        Q_EMIT dataChanged(changed, changed, { FirstUnreadRole });
    }
}

int MessageModel::firstUnreadRow() const
{
    if (!m_hasReadMarker || m_readMarker >= m_appended)
        return -1;
    const quint64 firstHeld = m_appended - m_entries.size();
    return m_readMarker < firstHeld ? 0 : int(m_readMarker - firstHeld);
}

QString MessageModel::plainText(const ChatEntry &e)
{
    const QString time = QLocale().toString(e.time.toLocalTime().time(), QStringLiteral("HH:mm"));
    const QString state = e.delivery == ChatEntry::Delivery::Pending  ? tr(" (sending…)")
                          : e.delivery == ChatEntry::Delivery::Failed ? tr(" (not sent: %1)").arg(e.failure)
                                                                      : QString();
    switch (e.kind) {
    case ChatEntry::Kind::Message:
        return tr("[%1] %2: %3").arg(time, e.nick, e.text) + state;
    case ChatEntry::Kind::Action:
        return tr("[%1] * %2 %3").arg(time, e.nick, e.text) + state;
    case ChatEntry::Kind::Private:
        return tr("[%1] (private) %2 → %3: %4").arg(time, e.nick, e.target, e.text) + state;
    case ChatEntry::Kind::Join:
        return tr("[%1] %2 joined").arg(time, e.nick);
    case ChatEntry::Kind::Leave:
        return tr("[%1] %2 left (%3)").arg(time, e.nick, e.text);
    case ChatEntry::Kind::NickChange:
        return tr("[%1] %2 is now known as %3").arg(time, e.nick, e.target);
    case ChatEntry::Kind::Notice:
    case ChatEntry::Kind::Error:
    case ChatEntry::Kind::Status:
        break;
    }
    return tr("[%1] %2").arg(time, e.text);
}
