#pragma once

#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QString>

// What one load client did and saw: the material of the history checker. Keys are the texts
// the harness sends ("c3-17": client 3's 17th message; "p1-4": plain client 1's 4th; "i2-5":
// IRC client 2's 5th), which are also the JSON clients' cids.
struct ClientRecord
{
    // One message as a client received it.
    struct Seen
    {
        qint64 id = -1; // -1: a plain client (its lines carry no id); IRC: the msgid
        QString key;
        QString cid; // as the server sent it (empty: none)
        qint64 atMs = 0;
        int connection = 0; // which of the client's connections (1, 2, ...)
        int server = -1; // the server that connection was to
        bool replay = false; // in a welcome's history (a plain greeting's replay, an IRC catch-up)
    };
    // One message the client sent (once or again after a reconnect).
    struct Send
    {
        QString key;
        qint64 firstSentMs = 0;
        int attempts = 0;
        bool acked = false;
        QString ackedBy; // "echo" or "sent"; IRC: "echo" or "history" (seen in a catch-up)
        qint64 ackedId = -1;
        qint64 ackedMs = 0;
    };
    // A connection the welcome said was not complete after since (or whose IRC catch-up did
    // not read all of it): ids between since and the first id above it that the connection
    // got may be missing for this client without a fault of the server.
    struct Incomplete
    {
        qint64 since = 0;
        int connection = 0;
        QString why = QStringLiteral("whose welcome said historyComplete: false");
    };

    // The key of a message's text: "c3-17" for "c3-17", "p1-4" for "p1-4 end", "i2-5" for
    // "i2-5 end" (a plain or IRC line ends in " end", so that one cut short by a dropped
    // connection, which the server takes as a line all the same, is never another key); empty
    // for any other text.
    static QString keyOf(const QString &text)
    {
        static const QRegularExpression pattern(QStringLiteral("^(c\\d+-\\d+|[pi]\\d+-\\d+ end)$"));
        const QRegularExpressionMatch match = pattern.match(text);
        return match.hasMatch() ? match.captured(1).section(u' ', 0, 0) : QString();
    }

    QString name; // "c3", "p1", "i2"
    bool json = true;
    bool irc = false; // IRC: ids (msgids) and catch-ups like JSON, sends without a cid
    bool sends = true;
    bool cidRefused = false; // the server refused the cid field: the client fell back
    QList<Seen> seen; // in the order received
    QHash<QString, Send> sent; // by key
    QList<QString> sendOrder; // keys in the order first sent
    QList<Incomplete> incomplete;
    // The client's last connection: the whole history, paged (empty when it was not fetched).
    QList<Seen> finalHistory;
    bool finalFetched = false;
    QString finalProblem; // why the final fetch failed
    int connections = 0;
    int foreign = 0; // messages received whose text is no key (a plain line cut short)
    int overlaps = 0; // IRC: live messages left out because the catch-up before had them
};
