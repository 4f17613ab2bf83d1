#include "historykeeper.h"

#include "messagestore.h"
#include "serverlog.h"

#include <algorithm>

HistoryKeeper::HistoryKeeper(const ChatLimits &limits) : m_limits(limits), m_memory(memoryCapacity(limits))
{
    m_clock.start();
}

HistoryKeeper::~HistoryKeeper()
{
    commit();
}

int HistoryKeeper::memoryCapacity(const ChatLimits &limits)
{
    const int keep = limits.historyKeep > 0 ? qMin(limits.historyKeep, limits.historyInMemory)
                                            : limits.historyInMemory;
    return qMax(keep, limits.historyLines);
}

void HistoryKeeper::setLimits(const ChatLimits &limits)
{
    m_limits = limits;
    m_memory.setCapacity(memoryCapacity(limits));
}

QString HistoryKeeper::path() const
{
    return m_store ? m_store->path() : QString();
}

bool HistoryKeeper::open(const QString &path, const QString &defaultRoom)
{
    if (m_store)
        return false;
    auto store = std::make_unique<MessageStore>();
    if (!store->open(path, defaultRoom)) {
        m_error = store->errorString();
        qCCritical(lcServer, "%s",
                   qUtf8Printable(ServerLog::tr("cannot use the history database %1: %2; history is kept in "
                                                "memory only")
                                          .arg(path, m_error)));
        return false;
    }
    m_store = std::move(store);
    m_error.clear();
    trim(true);
    const QList<ChatMessage> recent = m_store->recent(m_memory.capacity());
    for (const ChatMessage &message : recent)
        m_memory.append(message);
    if (!recent.isEmpty())
        m_memory.setDroppedUpTo(recent.constFirst().id - 1);
    return true;
}

bool HistoryKeeper::add(const ChatMessage &message)
{
    m_memory.append(message);
    m_toTrim.insert(message.room);
    if (!m_store || (m_failing && m_clock.elapsed() < m_retryMs))
        return false;
    m_store->add(message);
    return true;
}

void HistoryKeeper::commit()
{
    if (!m_store || !m_store->hasPending())
        return;
    if (m_store->commit()) {
        if (m_failing) {
            m_failing = false;
            m_error.clear();
            qCInfo(lcServer, "%s",
                   qUtf8Printable(
                           ServerLog::tr("the history database %1 is written again").arg(m_store->path())));
        }
        return;
    }
    // The messages are still in memory and go out all the same; the database gets another try
    // in a while, not on every message (a full disk stays full for a while).
    m_retryMs = m_clock.elapsed() + ChatLimits::historyRetryMs;
    if (!m_failing) {
        m_failing = true;
        m_error = m_store->errorString();
        qCCritical(lcServer, "%s",
                   qUtf8Printable(
                           ServerLog::tr("cannot write the history database %1: %2; new messages are kept "
                                         "in memory only, trying again every %3 s")
                                   .arg(m_store->path(), m_error,
                                        QString::number(ChatLimits::historyRetryMs / 1000))));
    }
}

void HistoryKeeper::trimIfDue()
{
    if (m_clock.elapsed() - m_lastTrimMs >= ChatLimits::historyTrimIntervalMs)
        trim();
}

void HistoryKeeper::trim(bool everything)
{
    m_lastTrimMs = m_clock.elapsed();
    if (m_limits.historyKeepDays > 0)
        m_memory.dropOlderThan(QDateTime::currentDateTimeUtc().addDays(-m_limits.historyKeepDays));
    if (!m_store || m_failing)
        return;
    // At start, and when messages age out, every conversation stored; else those that have
    // had messages since the last time.
    everything = everything || m_limits.historyKeepDays > 0;
    if (!everything && m_toTrim.isEmpty())
        return;
    commit();
    const QStringList conversations =
            everything ? QStringList() : QStringList(m_toTrim.begin(), m_toTrim.end());
    m_toTrim.clear();
    const int removed = m_store->trim(m_limits.historyKeep, m_limits.historyKeepDays, conversations);
    if (removed < 0)
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cannot remove old messages from %1: %2")
                                         .arg(m_store->path(), m_store->errorString())));
    m_trimmedUpTo = m_store->trimmedUpTo();
}

void HistoryKeeper::markMissingUpTo(quint64 id)
{
    m_memory.setDroppedUpTo(id);
    m_trimmedUpTo[QStringLiteral("*")] = qMax(m_trimmedUpTo.value(QStringLiteral("*")), id);
    if (m_store && !m_store->noteMissingUpTo(id))
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("cannot write to %1: %2")
                                         .arg(m_store->path(), m_store->errorString())));
}

void HistoryKeeper::forgetRoom(const QString &room)
{
    m_memory.forget(room);
    m_trimmedUpTo.remove(room);
    m_toTrim.remove(room);
}

QList<ChatMessage> HistoryKeeper::window(const HistoryWindow &window)
{
    if (!m_store || m_failing)
        return m_memory.window(window);
    // What this pass added is in the database once the batch is written.
    commit();
    return m_store->window(window);
}

HistoryKeeper::After HistoryKeeper::after(quint64 id, int maxCount, bool newest, const HistoryScope &scope,
                                          qint64 maxBytes)
{
    After result;
    QList<ChatMessage> &messages = result.messages;
    const QStringList conversations = scope.conversations();
    if (m_memory.holdsEverythingAfter(id, conversations) || !m_store) {
        messages =
                m_memory.after(id, [&scope](const ChatMessage &message) { return scope.includes(message); });
        result.complete = m_memory.holdsEverythingAfter(id, conversations);
    } else {
        // Older than memory reaches: the database has it, once this pass's messages are in.
        // Never more rows than asked for: reading is on the event loop, which everyone waits on.
        commit();
        messages = m_store->after(id, maxCount + 1, newest, maxBytes, scope);
        result.complete = storeHoldsEverythingAfter(id, conversations);
    }
    if (messages.size() > maxCount) {
        if (newest) {
            messages.remove(0, messages.size() - maxCount);
            result.complete = false;
        } else {
            messages.resize(maxCount);
            result.more = true;
        }
    }
    return result;
}

bool HistoryKeeper::storeHoldsEverythingAfter(quint64 id, const QStringList &conversations) const
{
    // "*": what every conversation may lack (markMissingUpTo).
    return id >= m_trimmedUpTo.value(QStringLiteral("*")) &&
           std::all_of(conversations.begin(), conversations.end(),
                       [&](const QString &conversation) { return id >= m_trimmedUpTo.value(conversation); });
}
