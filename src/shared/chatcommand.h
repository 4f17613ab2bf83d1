#pragma once

#include "errorcode.h"

#include <QString>
#include <QStringList>

// One request from a client, understood: a chat message, a slash command typed in plain
// mode, or a JSON request (JsonProtocol). Pure data; whether the arguments are acceptable is
// the server's decision.
struct ChatCommand
{
    enum class Type {
        Say, // text: the message; target: the room (empty: the current one)
        Action, // /me text; target as Say, or a nick: a private action
        Notice, // IRC's NOTICE: text to target, a room or a nick (ChatMessage::Kind::Notice)
        Private, // /msg target text
        Nick, // /nick target (empty: ask for the current nick)
        Who, // /who [target]: the people of a room (empty: the current one)
        Join, // /join target: a room, created when it does not exist
        Part, // /part [target] [text]: leave a room (empty: the current one), text the reason
        Topic, // /topic [target] [text]: hasText sets it, else asks (target empty: the current room)
        Rooms, // /rooms: every room, with its people and topic
        Switch, // /switch target: plain mode's current room
        Help, // /help
        Quit, // /quit [text], or a bare "quit"
        Pass, // /pass secret (text): the server's password, in plain mode
        Unknown, // target: the command word as typed, with its slash
        Hello, // JSON: target = nick wished for (may be empty), version, since, token
        Ping, // JSON: token is echoed in the pong
        Pong, // JSON: the answer to the server's ping
        History, // JSON: the messages after since, or before before, at most limit of them
        Search, // JSON: the newest messages (at most limit) whose text holds every word of text
        TooLong, // a line over the limit arrived (and was discarded); counts in flood control
        Invalid, // JSON that could not be understood: error says how, text why
        // A command of the client's dialect that the vocabulary has no word for (IRC's CAP,
        // USER, WHOIS ...): target is its name as the dialect spells it, params its
        // parameters; the dialect's handler on the server carries it out.
        Dialect,
    };

    Type type = Type::Say;
    QString target;
    QString text;
    bool hasText = false; // Topic: a topic was given (an empty one clears it)
    ErrorCode error = ErrorCode::None; // Invalid: what kind of fault

    // Hello, Ping and History only (History: target is the room asked about, empty: every
    // conversation of the client's).
    int version = 0;
    bool hasSince = false;
    quint64 since = 0;
    int limit = 0; // History: 0 asks for the server's most (with before: its page)
    // History: nonzero asks for the newest messages with smaller ids than this one, of one
    // conversation: the room target, or the private conversation with the nick in with.
    quint64 before = 0;
    QString with; // History with before: the other person of a private conversation (JSON "to")
    QString token;
    bool hasPassword = false; // Hello: password was given
    QString password;
    QString identity; // Hello: the secret the client keeps per server (private history)
    QStringList rooms; // Hello: rooms to be in (besides the default one) before the welcome
    QStringList params; // Dialect: the command's parameters, in order
    // Say, Action, Private (JSON "cid"): the id the client chose for the message, so that a
    // resend is not posted twice (ChatMessage::clientId); empty: none.
    QString clientId;
    QString label; // Dialect: IRCv3 labeled-response's label tag (empty: none)
    // Dialect: IRCv3 client-only tags ("+key=value;+other"), escaped as on the wire; the IRC
    // handler passes them on with a PRIVMSG, NOTICE or TAGMSG (message-tags, "Client-only tags")
    QString clientTags;
    // Dialect: the IRCv3 batch tag of the line, the client batch it belongs to (empty: none),
    // and whether it carried draft/multiline-concat (the line continues the previous one
    // without a line break; IRCv3 draft/multiline).
    QString batch;
    bool concat = false;
    // Dialect: draft/multiline-concat came with a value ("=0", "=1"). The specification
    // defines it without one, and servers read one differently (Ergo: the tag is there, so
    // the line continues; UnrealIRCd: it is not the tag, so the line is a new one); the IRC
    // handler refuses the batch rather than guess. An empty value ("=") is no value
    // (IRCv3 message-tags).
    bool concatHasValue = false;

    // Parses a line typed in plain mode; line is already sanitised text without its
    // terminator. A leading "//" escapes the slash: "//etc" says "/etc".
    static ChatCommand parse(const QString &line);
    // The commands parse() knows, as typed ("/join", "/me" ...), alphabetically: what Tab
    // completes after a "/" at the start of the input.
    static QStringList commandNames();

    static ChatCommand invalid(ErrorCode error, const QString &why)
    {
        ChatCommand command;
        command.type = Type::Invalid;
        command.error = error;
        command.text = why;
        return command;
    }

    friend bool operator==(const ChatCommand &a, const ChatCommand &b)
    {
        return a.type == b.type && a.target == b.target && a.text == b.text && a.version == b.version &&
               a.hasSince == b.hasSince && a.since == b.since && a.limit == b.limit && a.before == b.before &&
               a.with == b.with && a.token == b.token && a.hasPassword == b.hasPassword &&
               a.password == b.password && a.hasText == b.hasText && a.identity == b.identity &&
               a.rooms == b.rooms && a.error == b.error && a.params == b.params && a.label == b.label &&
               a.clientTags == b.clientTags && a.batch == b.batch && a.concat == b.concat &&
               a.clientId == b.clientId;
    }
};
