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
};
