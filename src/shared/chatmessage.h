#pragma once

#include "chatlimits.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringView>

// One message of a conversation, as the server assigned it: said in a room, or a private
// message between two people.
struct ChatMessage
{
    // Say: said; Action: a /me; Notice: IRC's NOTICE, which bots and services send and no
    // client answers automatically.
    enum class Kind { Say, Action, Notice };
    // How a kind is stored (the history database, the cluster's stream): 0, 1, 2. Any other
    // number reads as Say.
    static int kindNumber(Kind kind) { return kind == Kind::Action ? 1 : kind == Kind::Notice ? 2 : 0; }
    static Kind kindFromNumber(qint64 number)
    {
        return number == 1 ? Kind::Action : number == 2 ? Kind::Notice : Kind::Say;
    }
    // The word JSON writes ("say", "action", "notice"); any other word reads as Say.
    static QString kindWord(Kind kind)
    {
        return kind == Kind::Action   ? QStringLiteral("action")
               : kind == Kind::Notice ? QStringLiteral("notice")
                                      : QStringLiteral("say");
    }
    static Kind kindFromWord(QStringView word)
    {
        return word == u"action" ? Kind::Action : word == u"notice" ? Kind::Notice : Kind::Say;
    }

    quint64 id = 0; // strictly increasing per server, across every room
    QDateTime time; // when the server received it (UTC)
    QString from;
    QString text;
    Kind kind = Kind::Say;
    QString room; // "#general": the room it was said in; empty for a private message
    QString to; // a private message: the nick it was sent to; empty for a room's

    // A private message only, never on the wire: the SHA-256 of each party's identity (the
    // secret a client keeps, docs/PROTOCOL.md); who may read it back from the history.
    QByteArray fromIdentity;
    QByteArray toIdentity;

    // Sending exactly once: the id the sender's client chose for it (JSON "cid"; empty: none),
    // 1 to ChatLimits::maxClientIdLength characters of [A-Za-z0-9_-] (isValidClientId). It is
    // stored and travels with the message, so that an echo, a replay and a resend are known
    // as this message.
    QString clientId;

    // Whether id is a client id the server takes: non-empty, at most ChatLimits::maxClientIdLength
    // characters, each an ASCII letter, digit, '-' or '_' (docs/PROTOCOL.md, "Sending exactly once").
    static bool isValidClientId(QStringView id)
    {
        if (id.isEmpty() || id.size() > ChatLimits::maxClientIdLength)
            return false;
        for (QChar c : id) {
            const char16_t u = c.unicode();
            if (!((u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9') ||
                  u == u'-' || u == u'_'))
                return false;
        }
        return true;
    }

    // Sent by an IRC client, for IRC clients only (not stored, not on the other wires; a
    // cluster's stream carries them to the other servers): the client-only tags it carried ("+key=value;...",
    // escaped as on the wire; IRCv3 message-tags).
    QString clientTags;
    // Sent by an IRC client as a draft/multiline batch, for IRC clients only (neither stored
    // nor on the other wires): where in text (UTF-16 offsets, ascending) a line of the batch
    // that carried draft/multiline-concat began, so that IRC clients get the lines as they
    // were sent (the specification's "line composition"). Line feeds in text are the others.
    QList<qsizetype> concatAt;

    bool isPrivate() const { return !to.isEmpty(); }

    // Bytes it takes on the wire, at most (UTF-8 takes at most three bytes a UTF-16 unit; the
    // JSON envelope and the time under 160): what a replay is measured in against a send queue.
    qint64 wireSize() const
    {
        return 160 + 3 * (from.size() + text.size() + room.size() + to.size()) + clientId.size();
    }

    friend bool operator==(const ChatMessage &a, const ChatMessage &b)
    {
        return a.id == b.id && a.time == b.time && a.from == b.from && a.text == b.text && a.kind == b.kind &&
               a.room == b.room && a.to == b.to && a.clientId == b.clientId;
    }
};
