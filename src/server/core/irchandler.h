#pragma once

#include "chatcommand.h"
#include "chatmessage.h"
#include "ircstate.h"
#include "messagehistory.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

class ChatServer;
class ClientSession;
class CommandHandler;
class Room;
struct ChatLimits;

// Carries out what an IRC client sends (docs/PROTOCOL.md, "IRC"), as the Modern IRC Client
// Protocol document (modern.ircdocs.horse) and IRCv3 (ircv3.net/irc) specify it:
//
// - the registration: CAP (LS, LIST, REQ, END; IRCv3 Capability Negotiation 3.2), PASS, NICK,
//   USER, then the welcome (001-005), LUSERS, the MOTD and the rooms the client is in;
// - what IRC asks of the chat, turned into the vocabulary and carried out by CommandHandler as
//   for everyone: PRIVMSG and NOTICE (a CTCP ACTION is a /me), JOIN, PART, TOPIC, LIST, NICK,
//   QUIT;
// - what only IRC asks, answered from the server's state: PING, NAMES, WHO, WHOIS, MODE
//   queries, LUSERS, MOTD, AWAY, USERHOST, ISON, TIME, VERSION.
//
// Every fault gets the numeric IRC servers give (ERR_NEEDMOREPARAMS, ERR_NOSUCHCHANNEL ...);
// a NOTICE is never answered with one (RFC 2812 section 3.3.2). The events that come back from
// the chat are written by IrcCodec.
class IrcHandler
{
public:
    // server and commands must outlive the handler.
    IrcHandler(ChatServer &server, CommandHandler &commands);

    // Every command of an IRC client's, in the order it sent them.
    void handle(ClientSession *client, const ChatCommand &command);

    // The capabilities beyond IrcCodec's (which change what a client is sent).
    enum Cap : unsigned {
        LabeledResponse = 1u << 8, // "labeled-response"
        Sasl = 1u << 9, // "sasl" (PLAIN: the server's password)
    };
    // The capabilities offered in CAP LS, by name, with the bit each sets in IrcState::caps.
    static const QList<std::pair<QString, unsigned>> &capabilities();
    // The most messages one CHATHISTORY reply holds (ISUPPORT CHATHISTORY).
    static constexpr int maxChatHistory = 1000;
    // RPL_ISUPPORT's tokens for this server ("CHANTYPES=#", "NICKLEN=32" ...), in order.
    QStringList isupportTokens() const;
    // Drops client's draft/multiline batches opened ChatLimits::ircBatchTimeoutMs or longer
    // before nowMs (ClientSession::monotonicMs()), each with FAIL BATCH TIMEOUT <reference>
    // (IRCv3 client-batch; labeled when its BATCH + was) and a line in the log; the lines
    // still to come of the last one are dropped quietly. Nothing is posted.
    void expireBatches(ClientSession *client, qint64 nowMs);

private:
    using Handler = void (IrcHandler::*)(ClientSession *, const QStringList &);

    // Carries out one command (handle() wraps it in a labeled response when it has a label).
    void dispatch(ClientSession *client, const ChatCommand &command);
    // Sends what a labeled command made (IRCv3 labeled-response): one line labeled, more in a
    // labeled-response batch, nothing as a labeled ACK.
    void sendLabeled(ClientSession *client, const QString &label, const QByteArray &reply);
    // A batch reference that is new on client's connection ("prefix" and a number).
    static QString newBatch(ClientSession *client, const char *prefix);
    // "FAIL CHATHISTORY code params... :text" (IRCv3 standard replies).
    static void fail(ClientSession *client, const QString &command, const QString &code,
                     const QStringList &params, const QString &text);
    // A CHATHISTORY reference ("*", "msgid=N", "timestamp=YYYY-MM-DDThh:mm:ss.sssZ").
    struct Reference
    {
        bool valid = false;
        bool any = false; // "*"
        quint64 id = 0; // msgid
        qint64 ms = -1; // timestamp
    };
    static Reference reference(const QString &text);
    // Narrows window to after (or before) a reference.
    static void boundAfter(HistoryWindow &window, const Reference &reference);
    static void boundBefore(HistoryWindow &window, const Reference &reference);
    void sendHistoryBatch(ClientSession *client, const QString &target, const QList<ChatMessage> &messages);
    void chathistoryTargets(ClientSession *client, const QStringList &params);

    // The name replies call the client: its nick, "*" until it is registered.
    static QString me(const ClientSession *client);
    static void reply(ClientSession *client, int code, const QStringList &params);
    // ERR_NEEDMOREPARAMS for command.
    static void needMoreParams(ClientSession *client, const QString &command);
    // Ends the registration when NICK, USER and CAP END (if CAP started) are in: the password,
    // the welcome, the rooms.
    void tryRegister(ClientSession *client);
    void sendWelcome(ClientSession *client);
    void sendLusers(ClientSession *client);
    void sendMotd(ClientSession *client);
    // The NAMES lines of a room that exists (RPL_NAMREPLY, RPL_ENDOFNAMES).
    void sendNames(ClientSession *client, const Room *room);
    // The room a channel parameter names, or null (then ERR_NOSUCHCHANNEL was sent, unless
    // quiet).
    Room *existingRoom(ClientSession *client, const QString &name, bool quiet = false);
    void carryOut(ClientSession *client, ChatCommand::Type type, const QString &target,
                  const QString &text = QString(), bool hasText = false);

    void cap(ClientSession *client, const QStringList &params);
    void pass(ClientSession *client, const QStringList &params);
    void nick(ClientSession *client, const QStringList &params);
    void user(ClientSession *client, const QStringList &params);
    void ping(ClientSession *client, const QStringList &params);
    void pong(ClientSession *client, const QStringList &params);
    void quit(ClientSession *client, const QStringList &params);
    void join(ClientSession *client, const QStringList &params);
    void part(ClientSession *client, const QStringList &params);
    void privmsg(ClientSession *client, const QStringList &params);
    void notice(ClientSession *client, const QStringList &params);
    // PRIVMSG and NOTICE; notice: no error is ever answered. multiline: the text is a
    // draft/multiline batch's, already cleaned line by line, and is not held to one line.
    // action: the batch was a CTCP ACTION (closeBatch took its framing off).
    void message(ClientSession *client, const QStringList &params, bool notice, bool multiline = false,
                 bool action = false);
    // Whether an IRC message's text is a CTCP ACTION ("\1ACTION", then a space, "\1" or
    // nothing).
    static bool isCtcpAction(const QString &text);
    // IRCv3 draft/multiline (ircv3.net/specs/extensions/multiline, the source for what is
    // refused and how): "BATCH +ref draft/multiline target" opens a batch, "BATCH -ref" closes
    // it and posts what its lines said as one message. Every fault is a FAIL BATCH
    // (MULTILINE_MAX_BYTES, MULTILINE_MAX_LINES, MULTILINE_INVALID_TARGET, MULTILINE_INVALID;
    // TIMEOUT from expireBatches()) and ends the batch; its remaining lines are dropped quietly.
    void batch(ClientSession *client, const QStringList &params);
    // A line with a batch tag: a PRIVMSG or NOTICE of an open batch, held until it closes.
    void batchLine(ClientSession *client, const ChatCommand &command);
    // Ends the open batch reference (if there is one) with FAIL BATCH MULTILINE_INVALID why: one
    // of its lines could not be taken (too long, not UTF-8), so the message would lack it.
    void abandonBatch(ClientSession *client, const QString &reference, const QString &why);
    // Posts a closed batch (labeled when its BATCH + was).
    void closeBatch(ClientSession *client, IrcState::Batch batch);
    // "FAIL BATCH code params... :text", labeled with label when it is not empty.
    void failBatch(ClientSession *client, const QString &label, const QString &code,
                   const QStringList &params, const QString &text);
    // What draft/multiline's max-bytes says: the line limit of the other dialects (--max-line),
    // so that a message is never longer for coming from IRC.
    qsizetype multilineMaxBytes() const;
    void names(ClientSession *client, const QStringList &params);
    void who(ClientSession *client, const QStringList &params);
    void whois(ClientSession *client, const QStringList &params);
    void whowas(ClientSession *client, const QStringList &params);
    void topic(ClientSession *client, const QStringList &params);
    void list(ClientSession *client, const QStringList &params);
    void mode(ClientSession *client, const QStringList &params);
    void lusers(ClientSession *client, const QStringList &params);
    void motd(ClientSession *client, const QStringList &params);
    void away(ClientSession *client, const QStringList &params);
    void userhost(ClientSession *client, const QStringList &params);
    void ison(ClientSession *client, const QStringList &params);
    void time(ClientSession *client, const QStringList &params);
    void version(ClientSession *client, const QStringList &params);
    void kick(ClientSession *client, const QStringList &params);
    void oper(ClientSession *client, const QStringList &params);
    void tagmsg(ClientSession *client, const QStringList &params);
    void chathistory(ClientSession *client, const QStringList &params);
    void authenticate(ClientSession *client, const QStringList &params);

    struct Command
    {
        Handler handler;
        bool beforeRegistration; // allowed before the welcome
        int minParams; // fewer: ERR_NEEDMOREPARAMS
    };
    static const QHash<QString, Command> &commands();

    ChatServer &m_server;
    CommandHandler &m_commands;
    const ChatLimits &m_limits;
    // The most people seen at once, here and on the network, for RPL_LOCALUSERS and
    // RPL_GLOBALUSERS: counted when an IRC client registers or asks (an approximation for
    // the peaks that other dialects' clients make in between).
    int m_peakLocal = 0;
    int m_peakGlobal = 0;
    // The label of the BATCH command being carried out (labeled-response negotiated), which
    // its batch answers with when it closes.
    QString m_batchLabel;
};
