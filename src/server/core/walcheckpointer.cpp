#include "walcheckpointer.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>

#include <atomic>

WalCheckpointer::WalCheckpointer(const QString &path) : m_path(path)
{
    static std::atomic<int> counter{ 0 };
    m_connectionName = QStringLiteral("groupchat-checkpoint-%1").arg(++counter);
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(QStringLiteral("checkpoint"));
    m_thread->start(QThread::LowPriority);
}

WalCheckpointer::~WalCheckpointer()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
}

void WalCheckpointer::request()
{
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_requested = true;
    }
    m_wake.notify_one();
}

int WalCheckpointer::completed() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_completed;
}

void WalCheckpointer::run()
{
    {
        // A Qt Sql connection belongs to the thread that made it.
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        db.setDatabaseName(m_path);
        // A busy database is simply checkpointed next time; never wait on the writer.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
        const bool open = db.open();
        std::unique_lock<std::mutex> lock(m_mutex);
        while (true) {
            m_wake.wait(lock, [this] { return m_requested || m_stopping; });
            if (m_stopping)
                break;
            m_requested = false;
            lock.unlock();
            // PASSIVE: copies what no reader still needs, never blocks the writer. The writer
            // starts the log over from its beginning once everything has been copied.
            if (open) {
                QSqlQuery checkpoint(db);
                checkpoint.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
            }
            lock.lock();
            ++m_completed;
        }
        lock.unlock();
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}
