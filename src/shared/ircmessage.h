#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

// One IRC protocol message, both ways: tags, source, command and parameters, as the "Modern
// IRC Client Protocol" document (modern.ircdocs.horse, "Message format") and IRCv3's
// message-tags specification (ircv3.net/specs/extensions/message-tags) define them:
//
//   ['@' tags SPACE] [':' source SPACE] command *( SPACE middle ) [SPACE ':' trailing]
//
// Pure data and pure functions (no sockets): the IRC dialect is a codec over it. Text is
// UTF-8 (IRC has no other way to say what it is; invalid sequences become U+FFFD, and
// validUtf8 says so); the line's length limits (512 bytes without tags, 8191 for tags) are
// the framer's and the codec's, not the parser's.
struct IrcMessage
{
    // Tags in the order they came, values unescaped ("" for a tag without a value). A key that
    // comes twice keeps the last value, as the specification says; an empty key is no tag.
    QList<std::pair<QString, QString>> tags;
    QString source; // "nick!user@host", a server name, or empty
    QString command; // upper case: "PRIVMSG", or three digits: "001"
    QStringList params; // the last may be empty or hold spaces (it was the trailing one)
    bool validUtf8 = true; // false: the line held bytes that are not UTF-8

    // The value of tag key, or nullopt when there is none.
    std::optional<QString> tag(QStringView key) const;
    // The nick part of the source ("nick" of "nick!user@host"; the whole source without '!'
    // or '@').
    QString sourceNick() const;

    // Parses one line without its CR LF. nullopt, with why in *error (for logs and
    // ERR_UNKNOWNCOMMAND-style answers), when it is not a message: empty, no command, a
    // command that is neither letters nor three digits, or a NUL, CR or LF inside (none is
    // allowed in a message). Spaces: any number between parts (servers and clients send
    // more than one).
    static std::optional<IrcMessage> parse(QByteArrayView line, QString *error = nullptr);
    // The message as a line with its CR LF. The last parameter is written as trailing (with
    // ':') when it must be: empty, holding a space, or starting with ':'. The other parameters
    // must be none of these (a caller's mistake; they are written as they are).
    QByteArray toLine() const;

    // IRCv3 tag value escaping: ';' -> "\:", ' ' -> "\s", '\' -> "\\", CR -> "\r",
    // LF -> "\n". unescape() undoes it, drops a lone '\' at the end and keeps the character
    // after any other '\' (the specification's rules for invalid escapes).
    static QString escapeTagValue(QStringView value);
    static QString unescapeTagValue(QStringView value);

    friend bool operator==(const IrcMessage &a, const IrcMessage &b)
    {
        return a.tags == b.tags && a.source == b.source && a.command == b.command && a.params == b.params &&
               a.validUtf8 == b.validUtf8;
    }
};
