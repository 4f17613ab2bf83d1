#pragma once

#include "chatmessage.h"
#include "messagehistory.h"
#include "messageinserter.h"
#include "walcheckpointer.h"

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QLockFile;
class QSqlDatabase;
class QSqlQuery;

// The messages of every room, the private messages, the rooms and the admin's bans in SQLite (Qt Sql), so
// that a restart or a crash loses nothing anyone saw. Messages are added to a pending batch and written by
// commit() in one transaction: the server commits once per event-loop pass, before the pass's output leaves,
// so a message is on disk before anyone receives it. WAL with synchronous=NORMAL: a committed transaction
// survives the process being killed (it is in the WAL, in the kernel's hands); only a power cut can lose the
// last moments.
class MessageStore
{
public:
    MessageStore();
    ~MessageStore();
    MessageStore(const MessageStore &) = delete;
    MessageStore &operator=(const MessageStore &) = delete;

    // Opens (creating it, and its directory, when missing) the database at path; ":memory:"
    // is an SQLite database in memory. A database of schema 1 (one room, groupchat 0.1) is
    // upgraded: its messages become defaultRoom's. False, with errorString(), when it cannot
    // be used.
    bool open(const QString &path, const QString &defaultRoom = QStringLiteral("#general"));
    bool isOpen() const { return m_open; }
    QString path() const { return m_path; }
    QString errorString() const { return m_error; }

    // The newest id stored, 0 when none; the oldest, 0 when none.
    quint64 lastId();
    quint64 firstId();
    qint64 messageCount();
    // The last count messages of every conversation, oldest first.
    QList<ChatMessage> recent(int count);
    // Messages in scope with ids after id, oldest first, at most limit of them: the oldest
    // such (for paging forward) or, with newest, the newest (for a resume, which shows the
    // latest). maxBytes (ChatMessage::wireSize, 0: no limit): no more rows are read once the
    // messages read pass it (the one that passes it included, so that the caller sees there
    // is more).
    QList<ChatMessage> after(quint64 id, int limit, bool newest = false, qint64 maxBytes = 0,
                             const HistoryScope &scope = HistoryScope::all());
    // The stored messages of a window (HistoryWindow), oldest first.
    QList<ChatMessage> window(const HistoryWindow &window);
    // The newest limit messages that carried a client id (ChatMessage::clientId) and were
    // received at since or later, oldest first: what SendLedger knows again after a restart.
    QList<ChatMessage> withClientIds(const QDateTime &since, int limit);
    // Per conversation (a room's name, "" for private messages): the newest id trim() has
    // removed from it. Everything after that is still stored.
    QHash<QString, quint64> trimmedUpTo();
    // Every conversation may lack messages up to id (a cluster's Redis lost some before this
    // server read them): kept under the conversation "*" of trimmedUpTo(). False on a write error.
    bool noteMissingUpTo(quint64 id) { return noteTrimmed(QStringLiteral("*"), id); }

    // Queued for the next commit().
    void add(const ChatMessage &message);
    bool hasPending() const { return !m_pending.empty(); }
    // Writes everything added since the last commit in one transaction. On failure the batch
    // is dropped (the caller still has it in memory) and errorString() says why.
    bool commit();
    // Background checkpoints finished (see WalCheckpointer).
    int checkpointsCompleted() const { return m_checkpointer ? m_checkpointer->completed() : 0; }

    // Deletes all but the newest keepCount messages of each conversation (0: no count limit)
    // and those older than keepDays days (0: no age limit), of the conversations given (room
    // names, "" for the private messages; an empty list: every one stored); returns how many
    // went, -1 on failure.
    int trim(int keepCount, int keepDays, const QStringList &conversations = {});

    // The rooms kept (name, topic, who set it and when), as the server last stored them.
    struct StoredRoom
    {
        QString name;
        QString topic;
        QString topicBy;
        QDateTime topicTime;
    };
    QList<StoredRoom> rooms();
    bool saveRoom(const StoredRoom &room);
    // Forgets the room and deletes its messages.
    bool removeRoom(const QString &name);

    // The banned addresses and when each was banned, oldest first.
    QList<std::pair<QString, QDateTime>> bans();
    bool addBan(const QString &address);
    bool removeBan(const QString &address);

private:
    bool openDatabase(const QString &path, const QString &defaultRoom);
    // Schema 1 -> 2: rooms (docs/ARCHITECTURE.md, "History").
    bool upgradeFrom1(const QString &defaultRoom);
    // Schema 2 to 3: the cid column.
    bool upgradeFrom2();
    bool noteTrimmed(const QString &conversation, quint64 upTo);
    // trim() of the private messages: per pair of identities. cutoff: the oldest time kept
    // (ms since the epoch; 0: no age limit).
    int trimPrivate(int keepCount, qint64 cutoff);
    // Deletes from one conversation (the rows matching where, an SQL condition whose ? bind()
    // fills) what keepCount and cutoff (as for trimPrivate; 0: no such limit) leave out.
    // Returns the rows deleted and sets *through to the highest id that went (untouched when
    // none did), or -1 on a database error.
    int trimScope(const QString &where, const std::function<void(QSqlQuery &)> &bind, int keepCount,
                  qint64 cutoff, quint64 *through);
    bool exec(const QString &statement);
    bool fail(const QSqlQuery &query);
    QList<ChatMessage> readMessages(QSqlQuery &query, qint64 maxBytes = 0);
    QSqlDatabase database() const;

    QString m_connectionName;
    QString m_path;
    QString m_error;
    bool m_open = false;
    std::vector<ChatMessage> m_pending;
    MessageInserter m_inserter; // every message's INSERT, through SQLite's C API
    std::unique_ptr<QLockFile> m_lock;
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    int m_uncheckpointed = 0;
};
