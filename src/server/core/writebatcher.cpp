#include "writebatcher.h"

std::pair<qsizetype, qsizetype> WriteBatcher::append(Batch batch, const QByteArray &bytes)
{
    QByteArray &target = m_batches[batch];
    const qsizetype from = target.size();
    target.append(bytes);
    return { from, target.size() };
}

qsizetype WriteBatcher::schedule(WriteTarget *target)
{
    const qsizetype slot = qsizetype(m_targets.size());
    m_targets.push_back(target);
    requestFlush();
    return slot;
}

void WriteBatcher::requestFlush()
{
    if (!m_flushPosted) {
        m_flushPosted = true;
        // Queued: runs once the event loop has handled all the input it had ready.
        QMetaObject::invokeMethod(this, &WriteBatcher::flushAll, Qt::QueuedConnection);
    }
}

void WriteBatcher::beforeFlush()
{
    if (m_beforeFlush)
        m_beforeFlush();
}

void WriteBatcher::forget(const WriteTarget *target, qsizetype slot)
{
    if (slot >= 0 && size_t(slot) < m_targets.size() && m_targets[size_t(slot)] == target)
        m_targets[size_t(slot)] = nullptr;
}

void WriteBatcher::flushAll()
{
    m_flushPosted = false;
    beforeFlush();
    std::vector<WriteTarget *> targets;
    targets.swap(m_targets);
    for (WriteTarget *target : targets) {
        if (target)
            target->flushWrites();
    }
    // Keep the memory for the next pass: passes under load are much alike.
    for (QByteArray &batch : m_batches)
        batch.resize(0);
}
