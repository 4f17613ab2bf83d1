#include "messagestore.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <atomic>

namespace {

// The schema this code writes; a database from a newer groupchat is left alone.
constexpr int schemaVersion = 1;

QString describe(const QSqlError &error)
{
    // The database's own words ("database or disk is full") say more than the driver's.
    const QString text = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    return text.isEmpty() ? QStringLiteral("unknown error") : text;
}

} // namespace

MessageStore::MessageStore()
{
    static std::atomic<int> counter{ 0 };
    m_connectionName = QStringLiteral("groupchat-history-%1").arg(++counter);
}

MessageStore::~MessageStore()
{
    // Before the last connection closes, which checkpoints what is left and removes the log.
    m_checkpointer.reset();
    m_insert.reset();
    if (QSqlDatabase::contains(m_connectionName)) {
        database().close();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QSqlDatabase MessageStore::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

bool MessageStore::open(const QString &path)
{
    m_path = path;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        m_error = QStringLiteral("Qt's SQLite driver is not installed (Debian: libqt6sql6-sqlite)");
        return false;
    }
    const bool onDisk = path != QLatin1String(":memory:");
    if (onDisk) {
        const QFileInfo file(path);
        if (!QDir().mkpath(file.absolutePath())) {
            m_error = QStringLiteral("cannot create the directory %1").arg(file.absolutePath());
            return false;
        }
        // A second server on the same file would hand out the same ids. SQLite's exclusive
        // locking mode would keep it out too, but also the checkpointer's connection.
        m_lock = std::make_unique<QLockFile>(path + QStringLiteral(".lock"));
        if (!m_lock->tryLock(0)) {
            qint64 pid = 0;
            QString host, application;
            m_lock->getLockInfo(&pid, &host, &application);
            m_error = m_lock->error() == QLockFile::LockFailedError
                              ? QStringLiteral("it is locked: in use by another server (process %1)").arg(pid)
                              : QStringLiteral("cannot create the lock file %1.lock").arg(path);
            m_lock.reset();
            return false;
        }
    }
    if (!openDatabase(path)) {
        m_lock.reset();
        return false;
    }
    if (onDisk)
        m_checkpointer = std::make_unique<WalCheckpointer>(path);
    m_open = true;
    m_error.clear();
    return true;
}

bool MessageStore::openDatabase(const QString &path)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(path);
    // Only the checkpointer shares the file and it never holds the write lock.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    if (!db.open()) {
        m_error = describe(db.lastError());
        return false;
    }
    QSqlQuery version(db);
    if (!exec(QStringLiteral("PRAGMA journal_mode=WAL")) ||
        !exec(QStringLiteral("PRAGMA synchronous=NORMAL")) ||
        !exec(QStringLiteral("PRAGMA wal_autocheckpoint=0")) ||
        !version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        if (m_error.isEmpty())
            m_error = describe(version.lastError());
        db.close();
        return false;
    }
    const int found = version.value(0).toInt();
    version.finish();
    if (found > schemaVersion) {
        m_error = QStringLiteral("it was written by a newer groupchat (schema %1)").arg(found);
        db.close();
        return false;
    }
    if (!exec(QStringLiteral("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, time INTEGER NOT "
                             "NULL, sender TEXT NOT NULL, text TEXT NOT NULL, kind INTEGER NOT NULL)")) ||
        !exec(QStringLiteral(
                "CREATE TABLE IF NOT EXISTS bans (address TEXT PRIMARY KEY, since INTEGER NOT NULL)")) ||
        !exec(QStringLiteral("PRAGMA user_version=%1").arg(schemaVersion))) {
        db.close();
        return false;
    }
    m_insert = std::make_unique<QSqlQuery>(db);
    if (!m_insert->prepare(QStringLiteral(
                "INSERT INTO messages (id, time, sender, text, kind) VALUES (?, ?, ?, ?, ?)"))) {
        fail(*m_insert);
        m_insert.reset();
        db.close();
        return false;
    }
    return true;
}

bool MessageStore::exec(const QString &statement)
{
    QSqlQuery query(database());
    if (!query.exec(statement))
        return fail(query);
    return true;
}

bool MessageStore::fail(const QSqlQuery &query)
{
    m_error = describe(query.lastError());
    return false;
}

quint64 MessageStore::lastId()
{
    QSqlQuery query(database());
    if (!m_open || !query.exec(QStringLiteral("SELECT max(id) FROM messages")) || !query.next())
        return 0;
    return query.value(0).toULongLong();
}

quint64 MessageStore::firstId()
{
    QSqlQuery query(database());
    if (!m_open || !query.exec(QStringLiteral("SELECT min(id) FROM messages")) || !query.next())
        return 0;
    return query.value(0).toULongLong();
}

qint64 MessageStore::messageCount()
{
    QSqlQuery query(database());
    if (!m_open || !query.exec(QStringLiteral("SELECT count(*) FROM messages")) || !query.next())
        return 0;
    return query.value(0).toLongLong();
}

QList<ChatMessage> MessageStore::readMessages(QSqlQuery &query, qint64 maxBytes)
{
    // Read newest first (that is what LIMIT keeps), returned oldest first.
    QList<ChatMessage> messages;
    qint64 bytes = 0;
    while ((maxBytes <= 0 || bytes <= maxBytes) && query.next()) {
        ChatMessage message;
        message.id = query.value(0).toULongLong();
        message.time = QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC);
        message.from = query.value(2).toString();
        message.text = query.value(3).toString();
        message.kind = query.value(4).toInt() == 1 ? ChatMessage::Kind::Action : ChatMessage::Kind::Say;
        bytes += message.wireSize();
        messages.append(message);
    }
    std::reverse(messages.begin(), messages.end());
    return messages;
}

QList<ChatMessage> MessageStore::recent(int count)
{
    return after(0, count, true);
}

QList<ChatMessage> MessageStore::after(quint64 id, int limit, bool newest, qint64 maxBytes)
{
    if (!m_open || limit <= 0)
        return {};
    QSqlQuery query(database());
    query.setForwardOnly(true);
    query.prepare(newest ? QStringLiteral("SELECT id, time, sender, text, kind FROM messages WHERE id > ? "
                                          "ORDER BY id DESC LIMIT ?")
                         : QStringLiteral("SELECT id, time, sender, text, kind FROM messages WHERE id > ? "
                                          "ORDER BY id ASC LIMIT ?"));
    query.addBindValue(qulonglong(id));
    query.addBindValue(limit);
    if (!query.exec()) {
        fail(query);
        return {};
    }
    QList<ChatMessage> messages = readMessages(query, maxBytes);
    // readMessages turns the newest-first rows around; oldest-first rows were in order.
    if (!newest)
        std::reverse(messages.begin(), messages.end());
    return messages;
}

void MessageStore::add(const ChatMessage &message)
{
    if (m_open)
        m_pending.push_back(message);
}

bool MessageStore::commit()
{
    if (m_pending.empty())
        return true;
    std::vector<ChatMessage> batch;
    batch.swap(m_pending);
    QSqlDatabase db = database();
    if (!db.transaction()) {
        m_error = describe(db.lastError());
        return false;
    }
    for (const ChatMessage &message : batch) {
        m_insert->bindValue(0, qulonglong(message.id));
        m_insert->bindValue(1, message.time.toMSecsSinceEpoch());
        m_insert->bindValue(2, message.from);
        m_insert->bindValue(3, message.text);
        m_insert->bindValue(4, message.kind == ChatMessage::Kind::Action ? 1 : 0);
        if (!m_insert->exec()) {
            fail(*m_insert);
            db.rollback();
            return false;
        }
    }
    if (!db.commit()) {
        m_error = describe(db.lastError());
        db.rollback();
        return false;
    }
    // Every commit appends at least a page to the log; a few hundred kilobytes of it is a good
    // time to copy it back, small enough to stay in the page cache.
    m_uncheckpointed += 1 + int(batch.size()) / 16;
    if (m_checkpointer && m_uncheckpointed >= 100) {
        m_uncheckpointed = 0;
        m_checkpointer->request();
    }
    return true;
}

int MessageStore::trim(int keepCount, int keepDays)
{
    if (!m_open)
        return 0;
    QSqlQuery query(database());
    int removed = 0;
    if (keepCount > 0) {
        query.prepare(QStringLiteral("DELETE FROM messages WHERE id <= (SELECT max(id) FROM messages) - ?"));
        query.addBindValue(keepCount);
        if (!query.exec()) {
            fail(query);
            return -1;
        }
        removed += query.numRowsAffected();
    }
    if (keepDays > 0) {
        // Ids grow with time: everything before the first message young enough goes. Walks only
        // the rows that go, no index on time needed.
        const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - qint64(keepDays) * 24 * 3600 * 1000;
        query.prepare(QStringLiteral("DELETE FROM messages WHERE id < coalesce((SELECT id FROM messages "
                                     "WHERE time >= ? ORDER BY id "
                                     "LIMIT 1), (SELECT max(id) + 1 FROM messages))"));
        query.addBindValue(cutoff);
        if (!query.exec()) {
            fail(query);
            return -1;
        }
        removed += query.numRowsAffected();
    }
    return removed;
}

QList<std::pair<QString, QDateTime>> MessageStore::bans()
{
    QList<std::pair<QString, QDateTime>> bans;
    QSqlQuery query(database());
    if (!m_open || !query.exec(QStringLiteral("SELECT address, since FROM bans ORDER BY since"))) {
        if (m_open)
            fail(query);
        return bans;
    }
    while (query.next())
        bans.append({ query.value(0).toString(),
                      QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC) });
    return bans;
}

bool MessageStore::addBan(const QString &address)
{
    if (!m_open)
        return false;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("INSERT OR REPLACE INTO bans (address, since) VALUES (?, ?)"));
    query.addBindValue(address);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    return query.exec() || fail(query);
}

bool MessageStore::removeBan(const QString &address)
{
    if (!m_open)
        return false;
    QSqlQuery query(database());
    query.prepare(QStringLiteral("DELETE FROM bans WHERE address = ?"));
    query.addBindValue(address);
    return query.exec() || fail(query);
}
