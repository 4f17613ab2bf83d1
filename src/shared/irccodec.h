#pragma once

#include "ircmessage.h"
#include "wirecodec.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

// IRC for IRC clients (HexChat, irssi, WeeChat ...): the events of the vocabulary written as
// the "Modern IRC Client Protocol" (modern.ircdocs.horse) and RFC 2812 write them, with the
// IRCv3 capabilities a client negotiated (docs/PROTOCOL.md, "IRC"). Reading is the server's
// IrcHandler's: an IRC line decodes to a ChatCommand of type Dialect (its command and
// parameters), since what IRC asks depends on the state of the registration.
//
// One instance per set of capabilities that changes what is written (forCaps()); instances
// that write every broadcast event alike share a slot, so a fanout renders a room's message
// once for all IRC clients with server-time and message-tags, once for those without.
class IrcCodec final : public WireCodec
{
public:
    // IRCv3 capabilities that change how events are written (the others are the handler's).
    enum Cap : unsigned {
        ServerTime = 1, // "server-time": a time tag on messages and events
        MessageTags = 2, // "message-tags": a msgid tag (our message id) on messages
        EchoMessage = 4, // "echo-message": a client's own messages come back to it
        ChatHistory = 8, // "draft/chathistory": it asks for history; none is replayed on joining
        Batch = 16, // "batch": a replay comes in a chathistory batch
        // "draft/multiline": a message of several lines (or longer than a line) comes as one
        // draft/multiline batch. Only with Batch too, which the specification requires; a
        // client that asked for it alone gets messages as without it.
        Multiline = 32,
        AllCaps = 63,
    };

    // The name the server goes by in IRC (the source of its numerics and notices, PONG,
    // RPL_WHOREPLY and RPL_WHOISSERVER): defaultServerName() unless setServerName() changed it.
    static QString serverName();
    static QString defaultServerName() { return QStringLiteral("groupchat"); }
    // Sets serverName() for the process (one IRC name per process, as the codecs are shared):
    // call it before serving. name must pass isServerName(); otherwise nothing changes and
    // false is returned.
    static bool setServerName(const QString &name);
    // Whether name can be an IRC server name: a host name (RFC 2812 section 2.3.1 "servername
    // = hostname"; RFC 1123 section 2.1): labels of ASCII letters, digits and '-', neither
    // starting nor ending with '-', joined by '.', at most 63 characters in all.
    static bool isServerName(const QString &name);
    // The user part of a source when nothing better is known: people's addresses are not shown.
    static QString userName() { return QStringLiteral("~gc"); }
    // The user part of an IRC client's WHO, WHOIS and USERHOST replies: '~' (no ident check,
    // as IRC servers mark it) and what its USER command gave, kept to ASCII letters, digits,
    // '.', '-' and '_' and cut to maxUserLength; userName() when nothing is left.
    static QString userNameFor(const QString &given);
    // The longest user name userNameFor() keeps, the '~' not counted (ISUPPORT USERLEN).
    static constexpr int maxUserLength = 16;
    static QString hostName() { return QStringLiteral("groupchat"); }
    // IRC's limit on a line, CR LF included and tags excluded (RFC 1459 section 2.3).
    static constexpr qsizetype maxLineBytes = 512;
    // And on the tags of one line (IRCv3 message-tags): 8191 bytes with the '@' and the space.
    static constexpr qsizetype maxTagBytes = 8191;
    // Of which a client may send 4094 bytes, 4096 with the '@' and the space (IRCv3
    // message-tags, "Size limit"): the rest is the server's to add.
    static constexpr qsizetype maxClientTagBytes = 4096;

    // The codec for a client with these capabilities (a combination of Cap).
    static const IrcCodec &forCaps(unsigned caps);
    unsigned caps() const { return m_caps; }
    bool has(Cap cap) const { return (m_caps & cap) != 0; }

    // Whether line is how IRC clients open a connection: CAP LS/REQ/END, NICK nick, PASS password
    // or USER with its four parameters, the command in capitals (as clients send it).
    static bool startsRegistration(QByteArrayView line);
    // An IRC line: Dialect with its command (upper case) and parameters, the label of
    // labeled-response if it has one and its client-only tags; Invalid (Malformed, text: why)
    // when it is no IRC message, Invalid (BadField, target: its command) when it is one but not
    // UTF-8, which UTF8ONLY refuses. The handler cleans what it shows to others.
    std::optional<ChatCommand> decode(QByteArrayView line) const override;
    // Events a fanout shares: messages, joins, parts, quits, nick and topic changes, notices
    // to a room or everyone. Events for one client alone need its nick: encodeFor().
    QByteArray encode(const ServerEvent &event) const override;
    QByteArray encodeFor(const ServerEvent &event, const QString &recipient) const override;

    // "nick!~gc@groupchat": how a person appears as the source of a message.
    static QString source(const QString &nick);
    // ":groupchat <code> <recipient> <params...>" with CR LF: a numeric reply (code: three
    // digits, RFC 2812 section 5 and the Modern document's names). recipient "*" before a
    // nick is granted.
    static QByteArray numeric(int code, const QString &recipient, const QStringList &params);
    // A line from the server (source serverName()) or from a person, without tags.
    static QByteArray line(const QString &source, const QString &command, const QStringList &params);
    // The time tag of IRCv3 server-time: "2026-11-30T07:05:01.123Z".
    static QString timeTag(const QDateTime &time);
    // A message as PRIVMSG lines (NOTICE for a notice) from its sender to target (a room, or the
    // recipient of a private message). Its lines are the text's lines (between line feeds) and,
    // within them, the lines an IRC client sent it as (ChatMessage::concatAt); each is cut
    // further where it does not fit in maxLineBytes, at user-perceived characters (TextCut).
    // - With Multiline and Batch in caps, a message of more than one such line is one IRCv3
    //   draft/multiline batch (reference "ml" and the msgid): the BATCH + line carries the time,
    //   the msgid and the client-only tags, every PRIVMSG line only its batch tag and, when it
    //   continues the line before it without a line break, draft/multiline-concat. Blank lines
    //   are sent. An action is one CTCP ACTION over the batch: "\1ACTION " opens the first
    //   line and "\1" closes the last, as the lines joined are one message.
    // - Otherwise each line is a PRIVMSG of its own, in order (the specification's fallback):
    //   every one with the time (ServerTime) and the client-only tags (MessageTags), the first
    //   with the msgid; blank lines are left out. An action's lines are each a CTCP ACTION.
    // batch: the reference of a batch the lines are part of ("" for none): a chathistory
    // replay, in which a draft/multiline batch nests.
    static QByteArray messageLines(const ChatMessage &message, const QString &target, unsigned caps,
                                   const QString &batch = QString());
    // The name of the IRCv3 batch type, the tag and the capability (IRCv3 draft/multiline).
    static QString multilineName() { return QStringLiteral("draft/multiline"); }
    static QString multilineConcatTag() { return QStringLiteral("draft/multiline-concat"); }

private:
    IrcCodec(int slot, unsigned caps);
    // A history replay as PRIVMSG lines (in a batch with Batch), when the client is to get it.
    QByteArray replay(const ServerEvent &event, const QString &recipient) const;
    QByteArray errorLines(const ServerEvent &event, const QString &recipient) const;
    QByteArray roomState(const ServerEvent &event, const QString &recipient) const;
    // Tags for an event's line (server-time), with its leading '@' and trailing space.
    QByteArray eventTags(const QDateTime &time) const;

    const unsigned m_caps;
};
