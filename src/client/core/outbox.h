#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

// One message the user sent that the server has not confirmed yet (docs/PROTOCOL.md, "Sending
// exactly once"): what to send again, with the same client id, until its echo or a `sent`
// answer settles it, or the server refuses it.
struct OutgoingMessage
{
    enum class Kind { Say, Action, Private };

    QString clientId; // the JSON "cid": a UUID without braces
    Kind kind = Kind::Say;
    QString room; // Say, Action: the room (empty: the server's default room)
    QString to; // Private: the nick
    QString text;
    QDateTime created; // UTC, when the user sent it
    bool failed = false; // the server refused it: kept until the user retries or deletes it
    QString failure; // why, in the user's language
};

// The messages of one identity on one server that are not settled yet, oldest first, kept in
// a file so that they survive a restart of the client: written whole (QSaveFile) on every
// change, since a half-written outbox would lose or resend messages, on a thread of its own
// (the disk is never waited for on the GUI thread); removed when empty.
// At most maxMessages: beyond that the oldest go (a client that cannot send for that long has
// a bigger problem than its backlog).
class Outbox
{
public:
    static constexpr int maxMessages = 500;

    // The outbox of identity on host:port, under QStandardPaths::AppDataLocation. Nothing is
    // read until load().
    void open(const QString &host, quint16 port, const QString &identity);
    // The key open() was given (empty: none): another server or identity needs another open().
    QString key() const { return m_key; }
    // Reads the file; messages created more than maxAgeMs ago are dropped (the server no longer
    // knows their client ids, so a resend could post them twice): returns how many.
    int load(qint64 maxAgeMs);

    const QList<OutgoingMessage> &messages() const { return m_messages; }
    const OutgoingMessage *find(const QString &clientId) const;
    void add(const OutgoingMessage &message);
    // Replaces the message with the same client id (the same one, failed or retried).
    void update(const OutgoingMessage &message);
    // Renames a message's client id (a retry that must not count as the first copy).
    void rename(const QString &clientId, const QString &newClientId);
    // Settled or deleted: gone. False when it was not here.
    bool remove(const QString &clientId);

    QString fileName() const { return m_fileName; }
    // Waits until every change is in its file (tests; the program's end waits by itself).
    static void waitForWrites();

private:
    void save() const;

    QString m_key;
    QString m_fileName;
    QList<OutgoingMessage> m_messages;
};
