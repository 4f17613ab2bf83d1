#pragma once

#include <QString>

// One line a client typed, understood: a chat message or a slash command with its
// arguments. Pure parsing; whether the arguments are acceptable is the server's decision.
struct ChatCommand
{
    enum class Type {
        Say, // text: the message
        Action, // /me text
        Private, // /msg target text
        Nick, // /nick target (empty: ask for the current nick)
        Who, // /who
        Help, // /help
        Quit, // /quit [text], or a bare "quit"
        Unknown, // target: the command word as typed, with its slash
    };

    Type type = Type::Say;
    QString target;
    QString text;

    // line is already sanitised text without its terminator. A leading "//" escapes the
    // slash: "//etc" says "/etc".
    static ChatCommand parse(const QString &line);
};
