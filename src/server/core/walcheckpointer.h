#pragma once

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>

class QThread;

// Copies an SQLite database's write-ahead log back into the database file on a thread and
// connection of its own. A checkpoint fsyncs the log and the file, which takes milliseconds on
// ordinary disks: done by the writer (SQLite's default) that stall lands in the middle of the
// event loop every thousand pages and costs the server about a third of its throughput. Here
// the writer never checkpoints (wal_autocheckpoint=0) and asks for one now and then instead.
class WalCheckpointer
{
public:
    explicit WalCheckpointer(const QString &path);
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Thread-safe and cheap; requests made while a checkpoint runs are folded into the next.
    void request();
    // Checkpoints finished so far (for tests).
    int completed() const;

private:
    void run();

    QString m_path;
    QString m_connectionName;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    int m_completed = 0;
    std::unique_ptr<QThread> m_thread;
};
