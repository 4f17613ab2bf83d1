#pragma once

#include "chatmessage.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <deque>

// Sending exactly once (docs/PROTOCOL.md, "Sending exactly once"): which messages that carried
// a client id (ChatMessage::clientId) this server has seen, by the sender's identity hash and
// that id, and as which message id. A client that lost its connection right after sending
// cannot know whether the message went through and sends it again with the same id; the server
// looks it up here and posts it only the first time.
//
// An entry is kept for ChatLimits::clientIdWindowMs after it was made, and at most
// ChatLimits::clientIdLedgerSize entries are kept (the oldest go first), so the ledger's memory
// is bounded whatever clients send. In a cluster every server records every message that
// comes through the stream, so a client that resends on another server is known there too;
// Redis keeps the same pairs for the messages in flight between servers (ClusterLink).
class SendLedger
{
public:
    struct Entry
    {
        quint64 id = 0; // 0: posted but its id is not known yet (in flight to the cluster)
        QString room; // where it went: a room, or for a private message the nick in to
        QString to;
        qint64 madeMs = 0; // when the entry was made, ms since the epoch (UTC)
        // Delivered here under id (not only answered for by the cluster's sequencer, whose
        // Redis may have lost it before anyone read it).
        bool delivered = false;
    };

    // limit: entries kept at most; windowMs: how long each is kept (ms).
    explicit SendLedger(int limit = ChatLimits::clientIdLedgerSize,
                        qint64 windowMs = ChatLimits::clientIdWindowMs);

    // The entry for identity (a SHA-256 hash, ChatMessage::fromIdentity) and client id, or
    // null when this pair was not seen within the window. nowMs: the current time.
    const Entry *find(const QByteArray &identity, const QString &clientId, qint64 nowMs);
    // Notes that identity's clientId is being posted (its id is not known yet).
    void begin(const QByteArray &identity, const QString &clientId, qint64 nowMs);
    // Notes a message that was posted with its id; one without a client id is ignored. Made
    // at nowMs (a message read back from the history database: its time). delivered: this
    // server delivered it under that id (false: the cluster's sequencer answered with the id).
    // A second copy keeps the first id, unless only the second was delivered here.
    void posted(const ChatMessage &message, qint64 nowMs, bool delivered = true);
    // Forgets a pair whose message was refused after begin(), so that a resend is tried anew.
    void forget(const QByteArray &identity, const QString &clientId);

    int size() const { return int(m_entries.size()); }

private:
    static QByteArray key(const QByteArray &identity, const QString &clientId);
    void insert(const QByteArray &key, const Entry &entry);
    void expire(qint64 nowMs);

    int m_limit;
    qint64 m_windowMs;
    QHash<QByteArray, Entry> m_entries;
    // Keys in the order they were made, with when: the front is the first to go. A key that
    // was forgotten and made again is here twice; only the entry made at that time goes.
    std::deque<std::pair<qint64, QByteArray>> m_order;
};
