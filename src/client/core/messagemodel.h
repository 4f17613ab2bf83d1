#pragma once

#include "chatentry.h"
#include "nickcolor.h"

#include <QAbstractListModel>

#include <deque>

// The conversation: every entry the window shows, oldest first, at most capacity() of them
// (the oldest go first), with a read marker for "where you stopped reading".
class MessageModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)

public:
    enum Role {
        KindRole = Qt::UserRole + 1,
        IdRole,
        TimeRole,
        NickRole,
        TargetRole,
        TextRole,
        OwnRole,
        MentionsMeRole,
        FirstUnreadRole, // true on the first entry after the read marker
        DeliveryRole, // ChatEntry::Delivery as an int
        ClientIdRole,
        FailureRole,
    };

    static constexpr int defaultCapacity = 10000;

    explicit MessageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // What arrives live: counted as unread unless it is the user's own.
    void append(const ChatEntry &entry);
    // Several at once: one insertion for the views.
    void append(const QList<ChatEntry> &entries);
    // Messages replayed from the server's history (a welcome after a start or a reconnect, a
    // room's recent lines as it is joined): shown, never counted as unread, since nobody is
    // waiting for them to be read.
    void appendHistory(const QList<ChatEntry> &entries);
    // The same, before row (a room's recent lines go before the line saying the user joined).
    void insertHistory(int row, const QList<ChatEntry> &entries);
    // Older messages (scrolling back), oldest first: they go before everything, except any
    // whose id is already held. Returns how many were added. The capacity still holds: when
    // full, nothing older can stay.
    int prependHistory(const QList<ChatEntry> &entries);
    void clear();
    // The row of the entry with this client id (searching from the newest), or -1.
    int rowOfClientId(const QString &clientId) const;
    // An entry changes in place: a pending message settled by its echo, or refused.
    void replace(int row, const ChatEntry &entry);
    void remove(int row);
    const ChatEntry &entry(int row) const { return m_entries.at(size_t(row)); }

    int capacity() const { return m_capacity; }
    void setCapacity(int capacity);

    // Conversation entries (not the user's own) that arrived since markRead(): the number
    // in the window title.
    int unreadCount() const { return m_unread; }
    void markRead();

    // The read marker ("where you stopped reading") moves to the end: the next entry will be
    // the first unread one. It stays there until moved again, so that a user coming back
    // still sees it.
    void moveReadMarkerToEnd();
    // The first entry after the read marker, or -1 when none has arrived since.
    int firstUnreadRow() const;

    // The entry as one line of plain text, as copied or searched.
    static QString plainText(const ChatEntry &entry);

    // The colours of this conversation's people (kept apart while the palette allows).
    NickPalette &nickPalette() { return m_nickPalette; }

Q_SIGNALS:
    void unreadCountChanged(int count);

private:
    void insert(int row, const QList<ChatEntry> &entries, bool live);

    NickPalette m_nickPalette;

    std::deque<ChatEntry> m_entries;
    int m_capacity = defaultCapacity;
    // The read marker, as a count of entries ever appended, so trimming the front does not
    // move it.
    quint64 m_appended = 0;
    quint64 m_readMarker = 0;
    // No marker until the user has looked away once.
    bool m_hasReadMarker = false;
    int m_unread = 0;
};
