#pragma once

#include "chatlimits.h"
#include "messagehistory.h"

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QString>

#include <memory>

class MessageStore;

// The history of every conversation: the newest messages in memory (MessageHistory) and, once
// open() found a database, every kept message in it (MessageStore). It adds messages to both
// (the database's in a pending batch that commit() writes, before the pass's output leaves),
// applies --history-keep per room, and answers "what comes after id" for a client's scope
// from memory when memory reaches back that far, else from the database, bounded.
class HistoryKeeper
{
public:
    explicit HistoryKeeper(const ChatLimits &limits);
    ~HistoryKeeper();
    HistoryKeeper(const HistoryKeeper &) = delete;
    HistoryKeeper &operator=(const HistoryKeeper &) = delete;

    // New limits (the memory's capacity follows them).
    void setLimits(const ChatLimits &limits);

    // Keeps the history in the SQLite database at path from now on: trims it, loads its newest
    // messages into memory. A schema-1 database's messages become defaultRoom's. False (logged,
    // the reason in error()) when it cannot be used; the history then stays in memory only.
    bool open(const QString &path, const QString &defaultRoom);
    bool isOpen() const { return bool(m_store); }
    // The database in use (empty without one), and why the last open or write failed.
    QString path() const;
    QString error() const { return m_error; }
    // The database, for what else it keeps (rooms, bans); null without one.
    MessageStore *store() const { return m_store.get(); }
    // The messages loaded into memory by open(), oldest first.
    QList<ChatMessage> loaded() const { return m_memory.recent(m_memory.size()); }

    // Adds a message with its id to memory and, when there is a database that is not failing,
    // to its pending batch: then true, and the caller makes sure a commit follows.
    bool add(const ChatMessage &message);
    // Writes the pending batch (WriteBatcher's hook: before any byte of the pass leaves).
    void commit();
    // Applies --history-keep to the database (the conversations with new messages, or every
    // one) and to memory; trimIfDue() does so once every ChatLimits::historyTrimIntervalMs.
    void trim(bool everything = false);
    void trimIfDue();
    // Every conversation may lack messages up to id, in memory and in the database (a
    // cluster's Redis came back empty before this server had read them): a resume from before
    // id is said to be incomplete, now and after a restart.
    void markMissingUpTo(quint64 id);
    // Forgets a closed room: its messages in memory, and what the trims knew of it.
    void forgetRoom(const QString &room);

    // The last count messages that pass filter, from memory.
    QList<ChatMessage> recent(int count, const MessageHistory::Filter &filter) const
    {
        return m_memory.recent(count, filter);
    }

    // Messages in scope after id, at most maxCount of them: the oldest (paging forward: more
    // says there are others after them) or the newest (a resume), and no more than maxBytes
    // (ChatMessage::wireSize) read from the database. complete: none in scope is missing right
    // after id (within what is kept).
    struct After
    {
        QList<ChatMessage> messages;
        bool complete = true;
        bool more = false;
    };
    After after(quint64 id, int maxCount, bool newest, const HistoryScope &scope, qint64 maxBytes);
    // The messages of a window of one conversation (HistoryWindow), oldest first: from the
    // database when there is one (everything kept), else from memory.
    QList<ChatMessage> window(const HistoryWindow &window);

private:
    static int memoryCapacity(const ChatLimits &limits);
    // Whether the database still has every message of the conversations after id.
    bool storeHoldsEverythingAfter(quint64 id, const QStringList &conversations) const;

    ChatLimits m_limits;
    MessageHistory m_memory;
    std::unique_ptr<MessageStore> m_store;
    QString m_error;
    bool m_failing = false; // the last commit failed; retried after a while
    qint64 m_retryMs = 0;
    qint64 m_lastTrimMs = 0;
    QHash<QString, quint64> m_trimmedUpTo; // conversation -> newest id the database let go
    QSet<QString> m_toTrim; // conversations with new messages since the last trim
    QElapsedTimer m_clock;
};
