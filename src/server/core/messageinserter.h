#pragma once

#include "chatmessage.h"

#include <QString>

struct sqlite3;
struct sqlite3_stmt;

// Stores messages with SQLite's own C API, on the connection Qt's SQLite driver holds
// (QSqlDriver::handle()). Everything else in the history database goes through Qt Sql; this
// one statement runs for every message, and through QSqlQuery it was the server's largest
// cost per message (QSqlQuery::bindValue is about 2000 instructions a value: under
// callgrind a third of the server's instructions, docs/BENCHMARKS.md). Two prepared
// statements: room messages (six columns) and private ones (all nine).
class MessageInserter
{
public:
    MessageInserter() = default;
    ~MessageInserter();
    MessageInserter(const MessageInserter &) = delete;
    MessageInserter &operator=(const MessageInserter &) = delete;

    // Prepares the statements on db (the messages table of schema 2 must exist). False, with
    // SQLite's words in *error, when it cannot.
    bool prepare(sqlite3 *db, QString *error);
    // Inserts message (inside the caller's transaction). False, with SQLite's words in *error
    // ("database or disk is full"), when it cannot; the statement is ready again either way.
    bool insert(const ChatMessage &message, QString *error);
    // Finalizes the statements; before the connection closes.
    void finalize();

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_room = nullptr;
    sqlite3_stmt *m_private = nullptr;
};
