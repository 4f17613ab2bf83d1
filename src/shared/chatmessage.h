#pragma once

#include <QDateTime>
#include <QString>

// One message of the room's conversation, as the server assigned it.
struct ChatMessage
{
    enum class Kind { Say, Action };

    quint64 id = 0; // strictly increasing per server
    QDateTime time; // when the server received it (UTC)
    QString from;
    QString text;
    Kind kind = Kind::Say;

    // Bytes it takes on the wire, at most (UTF-8 takes at most three bytes a UTF-16 unit; the
    // JSON envelope and the time under 128): what a replay is measured in against a send queue.
    qint64 wireSize() const { return 128 + 3 * (from.size() + text.size()); }

    friend bool operator==(const ChatMessage &a, const ChatMessage &b)
    {
        return a.id == b.id && a.time == b.time && a.from == b.from && a.text == b.text && a.kind == b.kind;
    }
};
