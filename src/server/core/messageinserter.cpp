#include "messageinserter.h"

#include <sqlite3.h>

namespace {

// Text as UTF-16, which the database converts to its UTF-8; SQLITE_STATIC: the message
// outlives the step. A null QString is an empty text (NOT NULL columns).
int bindText(sqlite3_stmt *statement, int index, const QString &text)
{
    static const char16_t empty[] = u"";
    return sqlite3_bind_text16(statement, index,
                               text.isNull() ? static_cast<const void *>(empty) : text.utf16(),
                               int(text.size() * 2), SQLITE_STATIC);
}

int bindBlob(sqlite3_stmt *statement, int index, const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return sqlite3_bind_null(statement, index);
    return sqlite3_bind_blob(statement, index, bytes.constData(), int(bytes.size()), SQLITE_STATIC);
}

} // namespace

MessageInserter::~MessageInserter()
{
    finalize();
}

bool MessageInserter::prepare(sqlite3 *db, QString *error)
{
    finalize();
    m_db = db;
    if (sqlite3_prepare_v2(
                db,
                "INSERT INTO messages (id, time, sender, text, kind, room, cid, from_identity) VALUES (?, ?, "
                "?, ?, ?, ?, ?, ?)",
                -1, &m_room, nullptr) != SQLITE_OK ||
        sqlite3_prepare_v2(
                db,
                "INSERT INTO messages (id, time, sender, text, kind, room, cid, from_identity, recipient, "
                "to_identity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                -1, &m_private, nullptr) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        finalize();
        return false;
    }
    return true;
}

bool MessageInserter::insert(const ChatMessage &message, QString *error)
{
    sqlite3_stmt *statement = message.isPrivate() ? m_private : m_room;
    if (!statement) {
        *error = QStringLiteral("the history database is not open");
        return false;
    }
    int result = sqlite3_bind_int64(statement, 1, sqlite3_int64(message.id));
    result |= sqlite3_bind_int64(statement, 2, message.time.toMSecsSinceEpoch());
    result |= bindText(statement, 3, message.from);
    result |= bindText(statement, 4, message.text);
    result |= sqlite3_bind_int(statement, 5, ChatMessage::kindNumber(message.kind));
    result |= bindText(statement, 6, message.room);
    result |= bindText(statement, 7, message.clientId);
    // A room's message keeps its sender's identity only with a client id (SendLedger's key at
    // the next start); a private one always (who may read it).
    result |= bindBlob(statement, 8,
                       message.isPrivate() || !message.clientId.isEmpty() ? message.fromIdentity
                                                                          : QByteArray());
    if (message.isPrivate()) {
        result |= bindText(statement, 9, message.to);
        result |= bindBlob(statement, 10, message.toIdentity);
    }
    // SQLITE_OK is 0: any failure leaves a bit.
    const bool done = result == SQLITE_OK && sqlite3_step(statement) == SQLITE_DONE;
    if (!done)
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
    sqlite3_reset(statement);
    return done;
}

void MessageInserter::finalize()
{
    // Finalizing a null statement is a no-op.
    sqlite3_finalize(m_room);
    sqlite3_finalize(m_private);
    m_room = nullptr;
    m_private = nullptr;
    m_db = nullptr;
}
