#include "writebatcher.h"

#include "clientsession.h"

std::pair<qsizetype, qsizetype> WriteBatcher::append(Batch batch, const QByteArray &bytes)
{
    QByteArray &target = m_batches[batch];
    const qsizetype from = target.size();
    target.append(bytes);
    return { from, target.size() };
}

void WriteBatcher::schedule(ClientSession *session)
{
    session->m_batchSlot = qsizetype(m_sessions.size());
    m_sessions.push_back(session);
    requestFlush();
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

void WriteBatcher::forget(ClientSession *session)
{
    if (session->m_batchSlot >= 0 && size_t(session->m_batchSlot) < m_sessions.size() &&
        m_sessions[size_t(session->m_batchSlot)] == session)
        m_sessions[size_t(session->m_batchSlot)] = nullptr;
    session->m_batchSlot = -1;
    session->m_pieces.clear();
}

void WriteBatcher::flushAll()
{
    m_flushPosted = false;
    beforeFlush();
    std::vector<ClientSession *> sessions;
    sessions.swap(m_sessions);
    for (ClientSession *session : sessions) {
        if (!session)
            continue;
        session->m_batchSlot = -1;
        session->flushPending();
    }
    // Keep the memory for the next pass: passes under load are much alike.
    for (QByteArray &batch : m_batches)
        batch.resize(0);
}
