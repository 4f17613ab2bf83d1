#include "sendledger.h"

SendLedger::SendLedger(int limit, qint64 windowMs) : m_limit(qMax(1, limit)), m_windowMs(windowMs) { }

QByteArray SendLedger::key(const QByteArray &identity, const QString &clientId)
{
    // A client id is ASCII without NUL (ChatMessage::isValidClientId): the separator is unique.
    return identity + '\0' + clientId.toLatin1();
}

const SendLedger::Entry *SendLedger::find(const QByteArray &identity, const QString &clientId, qint64 nowMs)
{
    expire(nowMs);
    const auto it = m_entries.constFind(key(identity, clientId));
    return it == m_entries.cend() ? nullptr : &*it;
}

void SendLedger::begin(const QByteArray &identity, const QString &clientId, qint64 nowMs)
{
    expire(nowMs);
    insert(key(identity, clientId), Entry{ 0, QString(), QString(), nowMs });
}

void SendLedger::posted(const ChatMessage &message, qint64 nowMs, bool delivered)
{
    if (message.clientId.isEmpty())
        return;
    expire(nowMs);
    const QByteArray k = key(message.fromIdentity, message.clientId);
    const auto it = m_entries.find(k);
    if (it != m_entries.end()) {
        // Begun here, or seen before: a second copy from the cluster keeps the first id, unless
        // the first was only answered for (Redis then lost it) and this one is delivered.
        if (it->id == 0 || (delivered && !it->delivered)) {
            it->id = message.id;
            it->room = message.room;
            it->to = message.to;
        }
        it->delivered = it->delivered || (delivered && it->id == message.id);
        return;
    }
    insert(k, Entry{ message.id, message.room, message.to, nowMs, delivered });
}

void SendLedger::forget(const QByteArray &identity, const QString &clientId)
{
    m_entries.remove(key(identity, clientId));
}

void SendLedger::insert(const QByteArray &key, const Entry &entry)
{
    m_entries.insert(key, entry);
    m_order.emplace_back(entry.madeMs, key);
    while (m_entries.size() > m_limit && !m_order.empty()) {
        const auto &[made, oldest] = m_order.front();
        const auto it = m_entries.constFind(oldest);
        if (it != m_entries.cend() && it->madeMs == made)
            m_entries.erase(it);
        m_order.pop_front();
    }
}

void SendLedger::expire(qint64 nowMs)
{
    // m_order can also hold keys forgotten or made again; they cost one pop each, and at most
    // one per insert, so it stays within twice the limit.
    while (!m_order.empty() &&
           (m_order.front().first <= nowMs - m_windowMs || m_order.size() > 2 * size_t(m_limit))) {
        const auto &[made, oldest] = m_order.front();
        const auto it = m_entries.constFind(oldest);
        if (it != m_entries.cend() && it->madeMs == made)
            m_entries.erase(it);
        m_order.pop_front();
    }
}
