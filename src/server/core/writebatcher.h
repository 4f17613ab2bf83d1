#pragma once

#include <QByteArray>
#include <QObject>

#include <functional>
#include <utility>
#include <vector>

// What the batcher flushes through: a client with bytes gathered for this pass (ClientSession).
// One virtual call per target per pass; the bytes themselves never pass through here.
class WriteTarget
{
public:
    virtual ~WriteTarget() = default;
    // The pass is over: write everything gathered for it. Called once per pass the target was
    // scheduled in (WriteBatcher::schedule), and not after it was forgotten.
    virtual void flushWrites() = 0;

protected:
    WriteTarget() = default;
    WriteTarget(const WriteTarget &) = default;
    WriteTarget &operator=(const WriteTarget &) = default;
};

// The broadcast fast path. Everything broadcast while the event loop handles one batch of
// input is appended once to a batch per dialect; each client only notes which stretch of it
// is its own, plus any bytes addressed to it alone. At the end of the pass every client gets
// all of that with one send() (sendmsg over the pieces, no copy), straight to its socket;
// only what the kernel does not take goes to the session's queue, whose size is the client's
// send queue. A write() per message per client would cost a syscall, a copy and a notifier
// change each: O(N) per message, O(N^2) per pass under load (docs/BENCHMARKS.md).
class WriteBatcher : public QObject
{
    Q_OBJECT

public:
    // One per dialect, numbered as WireCodec::family().
    enum Batch { PlainBatch = 0, JsonBatch = 1, IrcBatch = 2, BatchCount = 3 };

    explicit WriteBatcher(QObject *parent = nullptr) : QObject(parent) { }

    // Appends bytes to this pass's batch; returns where they are in it.
    std::pair<qsizetype, qsizetype> append(Batch batch, const QByteArray &bytes);
    const QByteArray &batch(int batch) const { return m_batches[batch]; }

    // target has bytes waiting; its flushWrites() runs when the current pass ends. Returns
    // where the batcher holds it, for forget(); a target schedules itself once per pass.
    qsizetype schedule(WriteTarget *target);
    // The target scheduled at slot (schedule()'s answer) is going away before the pass ends:
    // it is not flushed. Nothing happens when slot no longer holds it (the pass ended).
    void forget(const WriteTarget *target, qsizetype slot);
    // The pass ends with a flush even if nobody has bytes waiting (the hook still runs).
    void requestFlush();

    // Runs before any byte of a pass leaves: the history database commits there, so that
    // nobody receives a message that is not stored. Sessions that write outside the flush
    // (a closing one) call beforeFlush() first.
    void setBeforeFlush(std::function<void()> hook) { m_beforeFlush = std::move(hook); }
    void beforeFlush();

private:
    void flushAll();

    QByteArray m_batches[BatchCount];
    std::vector<WriteTarget *> m_targets; // null: forgotten
    std::function<void()> m_beforeFlush;
    bool m_flushPosted = false;
};
