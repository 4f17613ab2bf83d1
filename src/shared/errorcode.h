#pragma once

#include <QString>
#include <QStringView>

// Why the server refuses a request or ends a connection: the vocabulary shared by the server
// (which sends them) and the client (which acts on them). On the wire each is one stable word
// ("nick-taken"); docs/PROTOCOL.md lists when each is sent. Plain clients read the text that
// comes with it; JSON clients get the word in "code".
enum class ErrorCode {
    None, // no error (a check that passed)
    Unknown, // a word this version does not know: a newer server's
    // The request itself (JSON).
    Malformed, // not JSON, not an object, or nested too deep
    UnknownType, // "type" is not a request this connection can make
    BadField, // a field missing, unknown, given twice, of the wrong type or empty
    LineTooLong, // over maxLineBytes; discarded
    UnexpectedHello, // a second hello
    UnsupportedVersion, // a protocol version this server does not speak
    Usage, // a slash command without what it needs
    UnknownCommand, // a slash command this server does not know
    // Who the client is.
    PasswordRequired,
    BadPassword,
    InvalidNick, // breaks the nick rules (NickRules)
    NickTaken, // someone holds the same nick
    // People and rooms.
    NoSuchNick, // a private message to nobody online
    TargetLagging, // a private message to someone far behind
    InvalidRoom, // breaks the room name rules (RoomName)
    NoSuchRoom,
    NotInRoom,
    NoRoom, // a message without a room from a client in none
    TooManyRooms, // the client's or the server's limit
    RoomFull,
    TopicTooLong,
    RoomRefused, // a room asked for in the hello could not be joined (text: why)
    // A message that cannot be taken now (in a cluster whose Redis is away, more than
    // ChatLimits::clusterBacklog messages wait already); not posted, send it again later.
    Unavailable,
    // The connection (these end it, but for Lagging).
    Lagging, // falling behind; messages are skipped until it catches up
    Kicked,
    Banned,
    ExcessFlood,
    Timeout, // nothing arrived in time after connecting
};

namespace ErrorCodes {

// The word on the wire: "nick-taken" for ErrorCode::NickTaken; empty for None.
QString name(ErrorCode code);
// The code a word names; ErrorCode::Unknown for any other word (never None).
ErrorCode fromName(QStringView name);

} // namespace ErrorCodes
