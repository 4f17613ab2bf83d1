#include "irchandler.h"

#include "chatserver.h"
#include "clientsession.h"
#include "commandhandler.h"
#include "historykeeper.h"
#include "irccodec.h"
#include "nickrules.h"
#include "room.h"
#include "roomname.h"
#include "serverlog.h"
#include "textcut.h"
#include "textsanitizer.h"

#include <QCoreApplication>
#include <QPointer>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QUuid>

namespace {

// The numerics this handler sends: RFC 2812 section 5, with the Modern IRC Client Protocol
// document's names and additions (RPL_WHOISSECURE, ERR_INPUTTOOLONG).
enum Numeric {
    RPL_WELCOME = 1,
    RPL_YOURHOST = 2,
    RPL_CREATED = 3,
    RPL_MYINFO = 4,
    RPL_ISUPPORT = 5,
    RPL_UMODEIS = 221,
    RPL_LUSERCLIENT = 251,
    RPL_LUSERCHANNELS = 254,
    RPL_LUSERME = 255,
    RPL_LOCALUSERS = 265,
    RPL_GLOBALUSERS = 266,
    RPL_AWAY = 301,
    RPL_USERHOST = 302,
    RPL_ISON = 303,
    RPL_UNAWAY = 305,
    RPL_NOWAWAY = 306,
    RPL_WHOISUSER = 311,
    RPL_WHOISSERVER = 312,
    RPL_ENDOFWHO = 315,
    RPL_WHOISIDLE = 317,
    RPL_ENDOFWHOIS = 318,
    RPL_WHOISCHANNELS = 319,
    RPL_CHANNELMODEIS = 324,
    RPL_CREATIONTIME = 329,
    RPL_NOTOPIC = 331,
    RPL_TOPIC = 332,
    RPL_TOPICWHOTIME = 333,
    RPL_VERSION = 351,
    RPL_WHOREPLY = 352,
    RPL_NAMREPLY = 353,
    RPL_ENDOFNAMES = 366,
    RPL_ENDOFWHOWAS = 369,
    RPL_ENDOFBANLIST = 368,
    RPL_MOTD = 372,
    RPL_MOTDSTART = 375,
    RPL_ENDOFMOTD = 376,
    RPL_TIME = 391,
    RPL_LOGGEDIN = 900,
    RPL_SASLSUCCESS = 903,
    ERR_SASLFAIL = 904,
    ERR_SASLTOOLONG = 905,
    ERR_SASLABORTED = 906,
    ERR_SASLALREADY = 907,
    RPL_SASLMECHS = 908,
    ERR_UNKNOWNERROR = 400,
    ERR_NOSUCHNICK = 401,
    ERR_NOSUCHCHANNEL = 403,
    ERR_WASNOSUCHNICK = 406,
    ERR_CANNOTSENDTOCHAN = 404,
    ERR_TOOMANYTARGETS = 407,
    ERR_NOORIGIN = 409,
    ERR_INVALIDCAPCMD = 410,
    ERR_NORECIPIENT = 411,
    ERR_NOTEXTTOSEND = 412,
    ERR_INPUTTOOLONG = 417,
    ERR_UNKNOWNCOMMAND = 421,
    ERR_NONICKNAMEGIVEN = 431,
    ERR_ERRONEUSNICKNAME = 432,
    ERR_NICKNAMEINUSE = 433,
    ERR_NOTONCHANNEL = 442,
    ERR_NOTREGISTERED = 451,
    ERR_NEEDMOREPARAMS = 461,
    ERR_ALREADYREGISTERED = 462,
    ERR_PASSWDMISMATCH = 464,
    ERR_CHANOPRIVSNEEDED = 482,
    ERR_NOOPERHOST = 491,
    ERR_UMODEUNKNOWNFLAG = 501,
    ERR_USERSDONTMATCH = 502,
    RPL_WHOISSECURE = 671,
};

// AWAY messages are cut to this many user-perceived characters (ISUPPORT AWAYLEN).
constexpr int maxAwayLength = 200;
// Targets one PRIVMSG or NOTICE may name (ISUPPORT TARGMAX).
constexpr int maxMessageTargets = 4;
// Nicks one USERHOST or ISON answers about.
constexpr int maxQueryNicks = 20;
// Channels one NAMES may name (ISUPPORT TARGMAX): each answer can list a whole room.
constexpr int maxNamesTargets = 10;
// IrcState::caps bit of "multi-prefix" (IRCv3): every prefix of a member in NAMES and WHO.
// Nobody has one here (no channel operators or voice), so the names are the same with it or
// without; clients ask for it all the same, and irctest's CAP cases expect it on offer.
constexpr unsigned multiPrefixCap = 1u << 16;

// A name as one IRC parameter: no spaces, no leading ':' ("server 2" is "server-2").
QString ircToken(const QString &name)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    QString token = name;
    token.replace(separators, QStringLiteral("-"));
    if (token.startsWith(u':'))
        token[0] = u'-';
    return token.isEmpty() ? QStringLiteral("-") : token;
}

// An IRC mask ('*' any run of characters, '?' any one) as a pattern for a whole nick,
// matched without regard to case (CASEMAPPING).
QRegularExpression maskPattern(const QString &mask)
{
    QString pattern;
    QString literal;
    for (const QChar c : mask) {
        if (c != u'*' && c != u'?') {
            literal += c;
            continue;
        }
        pattern += QRegularExpression::escape(literal) +
                   (c == u'*' ? QStringLiteral(".*") : QStringLiteral("."));
        literal.clear();
    }
    pattern += QRegularExpression::escape(literal);
    return QRegularExpression(u"\\A(?:" + pattern + u")\\z", QRegularExpression::CaseInsensitiveOption);
}

// The messages (oldest first) whose IRC lines fit in maxBytes: the newest of them when newest,
// else the oldest.
QList<ChatMessage> fitting(const QList<ChatMessage> &messages, unsigned caps, qint64 maxBytes, bool newest)
{
    qint64 bytes = 0;
    qsizetype count = 0;
    for (; count < messages.size(); ++count) {
        const ChatMessage &message = messages.at(newest ? messages.size() - 1 - count : count);
        bytes +=
                IrcCodec::messageLines(message, message.isPrivate() ? message.to : message.room, caps).size();
        if (bytes > maxBytes)
            break;
    }
    return newest ? messages.last(count) : messages.first(count);
}

QString realNameOf(const ClientSession *client)
{
    if (const IrcState *irc = client->irc())
        return irc->realName;
    return client->isJson() ? QStringLiteral("groupchat JSON client")
                            : QStringLiteral("groupchat plain client");
}

// The user part of WHO, WHOIS and USERHOST: an IRC client's own, IrcCodec's for the others.
QString userNameOf(const ClientSession *client)
{
    const IrcState *irc = client ? client->irc() : nullptr;
    return irc && !irc->userName.isEmpty() ? irc->userName : IrcCodec::userName();
}

} // namespace

IrcHandler::IrcHandler(ChatServer &server, CommandHandler &commands)
    : m_server(server), m_commands(commands), m_limits(server.m_limits)
{ }

const QList<std::pair<QString, unsigned>> &IrcHandler::capabilities()
{
    static const QList<std::pair<QString, unsigned>> caps{
        { QStringLiteral("batch"), IrcCodec::Batch },
        { QStringLiteral("draft/chathistory"), IrcCodec::ChatHistory },
        { IrcCodec::multilineName(), IrcCodec::Multiline },
        { QStringLiteral("echo-message"), IrcCodec::EchoMessage },
        { QStringLiteral("labeled-response"), LabeledResponse },
        { QStringLiteral("message-tags"), IrcCodec::MessageTags },
        { QStringLiteral("multi-prefix"), multiPrefixCap },
        { QStringLiteral("sasl"), Sasl },
        { QStringLiteral("server-time"), IrcCodec::ServerTime },
    };
    return caps;
}

const QHash<QString, IrcHandler::Command> &IrcHandler::commands()
{
    static const QHash<QString, Command> table{
        { QStringLiteral("CAP"), { &IrcHandler::cap, true, 1 } },
        { QStringLiteral("PASS"), { &IrcHandler::pass, true, 1 } },
        { QStringLiteral("NICK"), { &IrcHandler::nick, true, 0 } },
        { QStringLiteral("USER"), { &IrcHandler::user, true, 4 } },
        { QStringLiteral("PING"), { &IrcHandler::ping, true, 0 } },
        { QStringLiteral("PONG"), { &IrcHandler::pong, true, 0 } },
        { QStringLiteral("QUIT"), { &IrcHandler::quit, true, 0 } },
        { QStringLiteral("JOIN"), { &IrcHandler::join, false, 1 } },
        { QStringLiteral("PART"), { &IrcHandler::part, false, 1 } },
        { QStringLiteral("PRIVMSG"), { &IrcHandler::privmsg, false, 0 } },
        { QStringLiteral("NOTICE"), { &IrcHandler::notice, false, 0 } },
        { QStringLiteral("NAMES"), { &IrcHandler::names, false, 0 } },
        { QStringLiteral("WHO"), { &IrcHandler::who, false, 0 } },
        { QStringLiteral("WHOIS"), { &IrcHandler::whois, false, 0 } },
        { QStringLiteral("WHOWAS"), { &IrcHandler::whowas, false, 0 } },
        { QStringLiteral("TOPIC"), { &IrcHandler::topic, false, 1 } },
        { QStringLiteral("LIST"), { &IrcHandler::list, false, 0 } },
        { QStringLiteral("MODE"), { &IrcHandler::mode, false, 1 } },
        { QStringLiteral("LUSERS"), { &IrcHandler::lusers, false, 0 } },
        { QStringLiteral("MOTD"), { &IrcHandler::motd, false, 0 } },
        { QStringLiteral("AWAY"), { &IrcHandler::away, false, 0 } },
        { QStringLiteral("USERHOST"), { &IrcHandler::userhost, false, 1 } },
        { QStringLiteral("ISON"), { &IrcHandler::ison, false, 1 } },
        { QStringLiteral("TIME"), { &IrcHandler::time, false, 0 } },
        { QStringLiteral("VERSION"), { &IrcHandler::version, false, 0 } },
        { QStringLiteral("KICK"), { &IrcHandler::kick, false, 2 } },
        { QStringLiteral("OPER"), { &IrcHandler::oper, false, 2 } },
        { QStringLiteral("TAGMSG"), { &IrcHandler::tagmsg, false, 1 } },
        { QStringLiteral("CHATHISTORY"), { &IrcHandler::chathistory, false, 1 } },
        { QStringLiteral("BATCH"), { &IrcHandler::batch, false, 1 } },
        { QStringLiteral("AUTHENTICATE"), { &IrcHandler::authenticate, true, 1 } },
    };
    return table;
}

QString IrcHandler::me(const ClientSession *client)
{
    return client->irc() && client->irc()->registered ? client->nick() : QStringLiteral("*");
}

void IrcHandler::reply(ClientSession *client, int code, const QStringList &params)
{
    client->sendBytes(IrcCodec::numeric(code, me(client), params));
}

void IrcHandler::needMoreParams(ClientSession *client, const QString &command)
{
    reply(client, ERR_NEEDMOREPARAMS, { command, QStringLiteral("Not enough parameters") });
}

void IrcHandler::handle(ClientSession *client, const ChatCommand &command)
{
    // A client batch is answered as a whole when it closes (IRCv3 draft/multiline: the echo
    // carries the label of the BATCH + line), so neither BATCH nor the lines of a batch are
    // wrapped here: a BATCH passes its label on, and a line's label is none of its own.
    if (command.type == ChatCommand::Type::Dialect &&
        (command.target == u"BATCH" || !command.batch.isEmpty())) {
        m_batchLabel = (client->irc()->caps & LabeledResponse) && command.batch.isEmpty() ? command.label
                                                                                          : QString();
        dispatch(client, command);
        m_batchLabel.clear();
        return;
    }
    // A label asks for the whole reply to be labeled (IRCv3 labeled-response); a QUIT has none
    // but the connection's end.
    const bool labeled = !command.label.isEmpty() && (client->irc()->caps & LabeledResponse) &&
                         command.type == ChatCommand::Type::Dialect && command.target != u"QUIT";
    if (!labeled) {
        dispatch(client, command);
        return;
    }
    client->startCapture();
    dispatch(client, command);
    sendLabeled(client, command.label, client->takeCapture());
}

QString IrcHandler::newBatch(ClientSession *client, const char *prefix)
{
    return QLatin1String(prefix) + QString::number(++client->irc()->batches);
}

void IrcHandler::sendLabeled(ClientSession *client, const QString &label, const QByteArray &reply)
{
    const QByteArray labelTag = "label=" + IrcMessage::escapeTagValue(label).toUtf8();
    // A tag more at the front of a line: after its '@', or as its first.
    const auto tagged = [](const QByteArray &line, const QByteArray &tag) -> QByteArray {
        return line.startsWith('@') ? '@' + tag + ';' + line.mid(1) : '@' + tag + ' ' + line;
    };
    QList<QByteArray> lines;
    for (qsizetype at = 0; at < reply.size();) {
        const qsizetype end = reply.indexOf("\r\n", at);
        const qsizetype next = end < 0 ? reply.size() : end + 2;
        lines.append(reply.mid(at, next - at));
        at = next;
    }
    if (lines.isEmpty()) {
        client->sendBytes(
                tagged(IrcCodec::line(IrcCodec::serverName(), QStringLiteral("ACK"), {}), labelTag));
        return;
    }
    if (lines.size() == 1) {
        client->sendBytes(tagged(lines.constFirst(), labelTag));
        return;
    }
    // A reply that is one draft/multiline batch (the echo of one) carries the label on its
    // BATCH + line alone (IRCv3 draft/multiline, "Labeled response with echo-message").
    const std::optional<IrcMessage> opening =
            IrcMessage::parse(QByteArrayView(lines.constFirst()).chopped(2));
    const std::optional<IrcMessage> closing = IrcMessage::parse(QByteArrayView(lines.constLast()).chopped(2));
    if (opening && closing && opening->command == u"BATCH" && opening->params.size() >= 2 &&
        opening->params.at(1) == IrcCodec::multilineName() && opening->params.at(0).startsWith(u'+') &&
        closing->command == u"BATCH" && closing->params.value(0) == u'-' + opening->params.at(0).mid(1)) {
        bool whole = true;
        for (qsizetype i = 1; whole && i + 1 < lines.size(); ++i) {
            const std::optional<IrcMessage> inner = IrcMessage::parse(QByteArrayView(lines.at(i)).chopped(2));
            whole = inner && inner->tag(u"batch") == opening->params.at(0).mid(1);
        }
        if (whole) {
            client->sendBytes(tagged(lines.constFirst(), labelTag) + reply.mid(lines.constFirst().size()));
            return;
        }
    }
    if (!(client->irc()->caps & IrcCodec::Batch)) {
        // Without batch there is no way to say which lines answer: they go as they are.
        client->sendBytes(reply);
        return;
    }
    const QString batch = newBatch(client, "lr");
    QByteArray out = tagged(IrcCodec::line(IrcCodec::serverName(), QStringLiteral("BATCH"),
                                           { u'+' + batch, QStringLiteral("labeled-response") }),
                            labelTag);
    const QByteArray batchTag = "batch=" + batch.toLatin1();
    for (const QByteArray &line : std::as_const(lines)) {
        // Lines of a batch inside (a chathistory reply) are that batch's.
        const qsizetype tagsEnd = line.startsWith('@') ? line.indexOf(' ') : 0;
        const bool inner = tagsEnd > 0 &&
                           (line.left(tagsEnd).contains("@batch=") || line.left(tagsEnd).contains(";batch="));
        out += inner ? line : tagged(line, batchTag);
    }
    out += IrcCodec::line(IrcCodec::serverName(), QStringLiteral("BATCH"), { u'-' + batch });
    client->sendBytes(out);
}

void IrcHandler::dispatch(ClientSession *client, const ChatCommand &command)
{
    using Type = ChatCommand::Type;
    switch (command.type) {
    case Type::TooLong:
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("%1 (%2) sent an IRC line over the limit")
                                         .arg(client->nick(), client->peer())));
        reply(client, ERR_INPUTTOOLONG, { QStringLiteral("Input line was too long") });
        abandonBatch(client, command.batch, QStringLiteral("A line of the batch was too long"));
        return;
    case Type::Invalid:
        if (command.error == ErrorCode::BadField) {
            // Not UTF-8, which RPL_ISUPPORT's UTF8ONLY says this server takes only: refused
            // with the standard reply (IRCv3 UTF8ONLY, "FAIL <command> INVALID_UTF8").
            client->sendBytes(
                    IrcCodec::line(IrcCodec::serverName(), QStringLiteral("FAIL"),
                                   { TextCut::leftUtf8(command.target, 32), QStringLiteral("INVALID_UTF8"),
                                     QStringLiteral("Message rejected, it was not UTF-8") }));
            abandonBatch(client, command.batch, QStringLiteral("A line of the batch was not UTF-8"));
            return;
        }
        qCWarning(lcServer, "%s",
                  qUtf8Printable(ServerLog::tr("%1 (%2) sent a line that is no IRC message: %3")
                                         .arg(client->nick(), client->peer(), command.text)));
        reply(client, ERR_UNKNOWNERROR, { QStringLiteral("*"), command.text });
        return;
    case Type::Dialect:
        break;
    default:
        return; // IrcCodec makes nothing else
    }
    if (!command.batch.isEmpty()) {
        if (!client->irc()->registered) {
            reply(client, ERR_NOTREGISTERED, { QStringLiteral("You have not registered") });
            return;
        }
        batchLine(client, command);
        return;
    }
    const auto found = commands().constFind(command.target);
    if (found == commands().cend()) {
        qCInfo(lcServer, "%s",
               qUtf8Printable(
                       ServerLog::tr("%1 (%2) sent an IRC command this server does not know: %3")
                               .arg(client->nick(), client->peer(), TextSanitizer::quoted(command.target))));
        reply(client, ERR_UNKNOWNCOMMAND,
              { TextCut::leftUtf8(command.target, 32), QStringLiteral("Unknown command") });
        return;
    }
    IrcState &irc = *client->irc();
    if (!irc.registered && !found->beforeRegistration) {
        reply(client, ERR_NOTREGISTERED, { QStringLiteral("You have not registered") });
        return;
    }
    if (command.params.size() < found->minParams) {
        needMoreParams(client, command.target);
        return;
    }
    irc.sendingTags = command.clientTags;
    (this->*found->handler)(client, command.params);
    // The session outlives the command (a QUIT's close is deferred).
    irc.sendingTags.clear();
}

QStringList IrcHandler::isupportTokens() const
{
    // Made once: every registration asks.
    static const QRegularExpression notInToken(QStringLiteral("[^A-Za-z0-9._-]+"));
    QString network = m_server.serverName();
    network.replace(notInToken, QStringLiteral("-"));
    QStringList tokens{
        QStringLiteral("AWAYLEN=%1").arg(maxAwayLength),
        // The identifier profile is RFC 8265's case mapping and more (docs/SECURITY.md, "Nicks").
        QStringLiteral("CASEMAPPING=rfc8265"),
        QStringLiteral("CHANLIMIT=#:%1").arg(m_limits.maxRoomsPerClient),
        QStringLiteral("CHANMODES=,,,n"),
        QStringLiteral("CHANNELLEN=%1").arg(ChatLimits::maxNickLength + 1),
        QStringLiteral("CHANTYPES=#"),
        QStringLiteral("CHATHISTORY=%1").arg(maxChatHistory),
        QStringLiteral("KICKLEN=%1").arg(ChatLimits::maxReasonLength),
        QStringLiteral("MSGREFTYPES=msgid,timestamp"),
        QStringLiteral("NICKLEN=%1").arg(ChatLimits::maxNickLength),
        QStringLiteral("PREFIX="),
        QStringLiteral("TARGMAX=PRIVMSG:%1,NOTICE:%1,JOIN:,PART:,NAMES:%2,WHOIS:1")
                .arg(maxMessageTargets)
                .arg(maxNamesTargets),
        QStringLiteral("TOPICLEN=%1").arg(m_limits.maxTopicLength),
        QStringLiteral("USERLEN=%1").arg(IrcCodec::maxUserLength),
        QStringLiteral("UTF8ONLY"),
    };
    if (!network.isEmpty())
        tokens.prepend(u"NETWORK=" + network);
    return tokens;
}

void IrcHandler::carryOut(ClientSession *client, ChatCommand::Type type, const QString &target,
                          const QString &text, bool hasText)
{
    ChatCommand command;
    command.type = type;
    command.target = target;
    command.text = text;
    command.hasText = hasText;
    m_commands.carryOut(client, command);
}

Room *IrcHandler::existingRoom(ClientSession *client, const QString &name, bool quiet)
{
    Room *room = RoomName::looksLikeRoom(name) ? m_server.m_rooms.find(RoomName::prepare(name)) : nullptr;
    if (!room && !quiet)
        reply(client, ERR_NOSUCHCHANNEL, { name, QStringLiteral("No such channel") });
    return room;
}

// Registration.

void IrcHandler::cap(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    const QString sub = params.at(0).toUpper();
    const auto capLine = [&](const QString &what, const QString &list) {
        client->sendBytes(
                IrcCodec::line(IrcCodec::serverName(), QStringLiteral("CAP"), { me(client), what, list }));
    };
    if (sub == u"LS") {
        if (!irc.registered)
            irc.capNegotiating = true;
        if (params.size() > 1)
            irc.capVersion = qMax(irc.capVersion, params.at(1).toInt());
        QStringList names;
        for (const auto &[name, bit] : capabilities()) {
            // CAP LS 302 gives values: SASL's mechanisms, draft/multiline's limits.
            if (irc.capVersion < 302)
                names.append(name);
            else if (bit == Sasl)
                names.append(name + QStringLiteral("=PLAIN"));
            else if (bit == IrcCodec::Multiline)
                names.append(name + QStringLiteral("=max-bytes=%1,max-lines=%2")
                                            .arg(multilineMaxBytes())
                                            .arg(ChatLimits::maxMessageLines));
            else
                names.append(name);
        }
        capLine(QStringLiteral("LS"), names.join(u' '));
    } else if (sub == u"LIST") {
        QStringList names;
        for (const auto &[name, bit] : capabilities()) {
            if (irc.caps & bit)
                names.append(name);
        }
        capLine(QStringLiteral("LIST"), names.join(u' '));
    } else if (sub == u"REQ") {
        if (!irc.registered)
            irc.capNegotiating = true;
        const QString asked = params.value(1);
        // All or nothing (IRCv3 Capability Negotiation, "CAP REQ").
        unsigned caps = irc.caps;
        bool known = !asked.trimmed().isEmpty();
        for (const QString &word : asked.split(u' ', Qt::SkipEmptyParts)) {
            const bool remove = word.startsWith(u'-');
            const QString name = remove ? word.mid(1) : word;
            bool found = false;
            for (const auto &[capName, bit] : capabilities()) {
                if (capName == name) {
                    caps = remove ? caps & ~bit : caps | bit;
                    found = true;
                }
            }
            known = known && found;
        }
        if (!known) {
            capLine(QStringLiteral("NAK"), asked);
            return;
        }
        client->setIrcCaps(caps);
        capLine(QStringLiteral("ACK"), asked);
    } else if (sub == u"END") {
        if (irc.registered)
            return;
        irc.capNegotiating = false;
        tryRegister(client);
    } else {
        reply(client, ERR_INVALIDCAPCMD,
              { TextCut::leftUtf8(params.at(0), 32), QStringLiteral("Invalid CAP command") });
    }
}

void IrcHandler::pass(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    if (irc.registered) {
        reply(client, ERR_ALREADYREGISTERED, { QStringLiteral("You may not reregister") });
        return;
    }
    irc.passGiven = true;
    irc.password = params.at(0);
}

void IrcHandler::nick(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    if (params.isEmpty() || params.at(0).trimmed().isEmpty()) {
        reply(client, ERR_NONICKNAMEGIVEN, { QStringLiteral("No nickname given") });
        return;
    }
    const QString wanted = NickRules::prepare(params.at(0));
    if (irc.hasNick && wanted == client->nick())
        return;
    const ChatServer::NickRefusal refusal = m_server.nickRefusal(client, wanted);
    // The nick as it was asked for, even when it is longer than NICKLEN (Modern IRC Client
    // Protocol, ERR_ERRONEUSNICKNAME: "<client> <nick> :..."); bounded all the same.
    const QString shown = TextCut::leftUtf8(TextSanitizer::clean(params.at(0)), 64);
    if (refusal.code == ErrorCode::InvalidNick) {
        reply(client, ERR_ERRONEUSNICKNAME, { shown, QStringLiteral("Erroneous nickname") });
        return;
    }
    if (refusal.code != ErrorCode::None) {
        reply(client, ERR_NICKNAMEINUSE, { shown, QStringLiteral("Nickname is already in use") });
        return;
    }
    m_server.rename(client, wanted);
    irc.hasNick = true;
    tryRegister(client);
}

void IrcHandler::user(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    if (irc.registered) {
        reply(client, ERR_ALREADYREGISTERED, { QStringLiteral("You may not reregister") });
        return;
    }
    // An empty user name or real name is as good as none (Modern IRC Client Protocol, "USER
    // message": ERR_NEEDMOREPARAMS even when the parameter is there but empty).
    if (params.at(0).isEmpty() || params.at(3).isEmpty()) {
        needMoreParams(client, QStringLiteral("USER"));
        return;
    }
    irc.userName = IrcCodec::userNameFor(params.at(0));
    irc.realName = TextCut::left(TextSanitizer::clean(params.at(3)), ChatLimits::maxReasonLength);
    irc.hasUser = true;
    tryRegister(client);
}

void IrcHandler::tryRegister(ClientSession *client)
{
    IrcState &irc = *client->irc();
    if (irc.registered || !irc.hasNick || !irc.hasUser || irc.capNegotiating || client->isClosing())
        return;
    if (irc.saslPlain)
        return; // CAP END in the middle of SASL: the registration waits for its end
    if (!client->isAuthenticated()) {
        if (!irc.passGiven) {
            reply(client, ERR_PASSWDMISMATCH, { QStringLiteral("Password required") });
            client->sendBytes(
                    IrcCodec::line(QString(), QStringLiteral("ERROR"),
                                   { QStringLiteral("Closing Link: this server needs a password (PASS)") }));
            client->close(QStringLiteral("no password"));
            return;
        }
        // A wrong one is answered (ERR_PASSWDMISMATCH, ERROR) and closed by the server.
        if (!m_server.checkPassword(client, irc.password, [this, client] { tryRegister(client); }))
            return;
        irc.password.clear();
    }
    // A server of a cluster that is behind (it was frozen, or has just started) would give a
    // newcomer older messages as if they were new, among them some it may have had on another
    // server before it came here: it gets its welcome once this server has read as far as
    // the stream went. IRC has no "since" to leave them out by (JSON clients have).
    if (m_server.m_cluster && !irc.caughtUp) {
        if (!irc.catchingUp) {
            irc.catchingUp = true;
            // What it sends meanwhile (a pipelining client's JOIN, PRIVMSG) waits for the
            // welcome, as flood control holds lines, instead of being refused as unregistered.
            client->pauseInput();
            m_server.m_cluster->afterCatchingUp([this, session = QPointer<ClientSession>(client)] {
                ClientSession *waiting = session.data();
                IrcState *state = waiting ? waiting->irc() : nullptr;
                if (!state)
                    return;
                state->caughtUp = true;
                tryRegister(waiting);
                waiting->resumeInput();
            });
        }
        return;
    }
    // Behind a password the default room is entered once it was given (PASS or SASL).
    if (client->rooms().isEmpty())
        m_server.m_roomKeeper.enter(client, m_server.m_rooms.defaultRoom());
    irc.registered = true;
    qCInfo(lcServer, "%s",
           qUtf8Printable(ServerLog::tr("%1 (%2) speaks IRC").arg(client->nick(), client->peer())));
    Q_EMIT m_server.clientModeChanged(client);
    // In first, so that the welcome's counts include it.
    m_server.announce(client);
    m_peakLocal = qMax(m_peakLocal, m_server.memberCount());
    m_peakGlobal = qMax(m_peakGlobal, m_server.roomSize());
    sendWelcome(client);
    // The rooms it is in (the default one): as if it had joined them.
    for (const Room *room : client->rooms()) {
        client->sendBytes(
                IrcCodec::line(IrcCodec::source(client->nick()), QStringLiteral("JOIN"), { room->name() }));
        client->send(ServerEvent::roomState(m_server.m_roomKeeper.info(room, true)));
        const ServerEvent recent = m_commands.recentOf(room);
        if (!recent.history.isEmpty())
            client->send(recent);
    }
    m_server.tellIfDegraded(client);
}

void IrcHandler::sendWelcome(ClientSession *client)
{
    const QString version = QCoreApplication::applicationVersion().isEmpty()
                                    ? QStringLiteral("groupchat")
                                    : u"groupchat-" + QCoreApplication::applicationVersion();
    reply(client, RPL_WELCOME,
          { QStringLiteral("Welcome to %1, %2")
                    .arg(m_server.serverName(), IrcCodec::source(client->nick())) });
    reply(client, RPL_YOURHOST,
          { QStringLiteral("Your host is %1, running version %2").arg(IrcCodec::serverName(), version) });
    const QDateTime since =
            m_server.listeningSince().isValid() ? m_server.listeningSince() : QDateTime::currentDateTimeUtc();
    reply(client, RPL_CREATED, { u"This server was created " + since.toString(Qt::ISODate) });
    reply(client, RPL_MYINFO, { IrcCodec::serverName(), version, QStringLiteral("i"), QStringLiteral("n") });
    // At most 13 tokens a line (Modern IRC Client Protocol, "RPL_ISUPPORT").
    const QStringList tokens = isupportTokens();
    for (qsizetype i = 0; i < tokens.size(); i += 13)
        reply(client, RPL_ISUPPORT, tokens.mid(i, 13) << QStringLiteral("are supported by this server"));
    sendLusers(client);
    sendMotd(client);
}

void IrcHandler::sendLusers(ClientSession *client)
{
    const int servers =
            1 + (m_server.m_cluster ? int(m_server.m_cluster->remoteUsers().isEmpty() ? 0 : 1) : 0);
    const int people = m_server.roomSize();
    reply(client, RPL_LUSERCLIENT,
          { QStringLiteral("There are %1 users and 0 invisible on %2 servers").arg(people).arg(servers) });
    reply(client, RPL_LUSERCHANNELS,
          { QString::number(m_server.roomList().size()), QStringLiteral("channels formed") });
    const int here = m_server.memberCount();
    reply(client, RPL_LUSERME,
          { QStringLiteral("I have %1 clients and %2 servers").arg(here).arg(servers - 1) });
    // The current and the highest counts, here and on the whole network (Modern IRC Client
    // Protocol, RPL_LOCALUSERS and RPL_GLOBALUSERS: "<client> [<u> <m>] :...").
    m_peakLocal = qMax(m_peakLocal, here);
    m_peakGlobal = qMax(m_peakGlobal, people);
    reply(client, RPL_LOCALUSERS,
          { QString::number(here), QString::number(m_peakLocal),
            QStringLiteral("Current local users %1, max %2").arg(here).arg(m_peakLocal) });
    reply(client, RPL_GLOBALUSERS,
          { QString::number(people), QString::number(m_peakGlobal),
            QStringLiteral("Current global users %1, max %2").arg(people).arg(m_peakGlobal) });
}

void IrcHandler::sendMotd(ClientSession *client)
{
    reply(client, RPL_MOTDSTART,
          { QStringLiteral("- %1 Message of the day - ").arg(IrcCodec::serverName()) });
    const QStringList lines{
        QStringLiteral("%1: a groupchat server").arg(m_server.serverName()),
        QStringLiteral("Everyone is in %1; /list shows the other rooms, /join #room joins or makes one.")
                .arg(m_server.defaultRoom()),
        QStringLiteral("IRC, desktop and plain-text clients share the rooms."),
    };
    for (const QString &line : lines)
        reply(client, RPL_MOTD, { u"- " + line });
    reply(client, RPL_ENDOFMOTD, { QStringLiteral("End of /MOTD command.") });
}

void IrcHandler::ping(ClientSession *client, const QStringList &params)
{
    if (params.isEmpty()) {
        reply(client, ERR_NOORIGIN, { QStringLiteral("No origin specified") });
        return;
    }
    client->sendBytes(IrcCodec::line(IrcCodec::serverName(), QStringLiteral("PONG"),
                                     { IrcCodec::serverName(), params.at(0) }));
}

void IrcHandler::pong(ClientSession *, const QStringList &)
{
    // Being alive was the point; the session noted the line.
}

void IrcHandler::quit(ClientSession *client, const QStringList &params)
{
    const QString reason = TextSanitizer::clean(params.value(0)).trimmed();
    client->sendBytes(IrcCodec::line(
            QString(), QStringLiteral("ERROR"),
            { reason.isEmpty() ? QStringLiteral("Closing Link: quit") : u"Closing Link: quit: " + reason }));
    if (!client->irc()->registered) {
        client->close(QStringLiteral("quit"));
        return;
    }
    carryOut(client, ChatCommand::Type::Quit, QString(), reason, !reason.isEmpty());
}

// Rooms and messages.

void IrcHandler::join(ClientSession *client, const QStringList &params)
{
    if (params.at(0) == u"0") {
        // JOIN 0: out of every room (RFC 2812 section 3.2.1).
        const QList<Room *> rooms = client->rooms();
        for (const Room *room : rooms)
            carryOut(client, ChatCommand::Type::Part, room->name());
        return;
    }
    for (const QString &name : params.at(0).split(u',', Qt::SkipEmptyParts)) {
        if (!RoomName::looksLikeRoom(name)) {
            reply(client, ERR_NOSUCHCHANNEL,
                  { TextCut::leftUtf8(name, 64), QStringLiteral("No such channel") });
            continue;
        }
        if (const Room *room = existingRoom(client, name, true); room && client->isIn(room))
            continue; // already there: IRC servers say nothing
        carryOut(client, ChatCommand::Type::Join, name);
    }
}

void IrcHandler::part(ClientSession *client, const QStringList &params)
{
    const QString reason = TextSanitizer::clean(params.value(1));
    for (const QString &name : params.at(0).split(u',', Qt::SkipEmptyParts)) {
        const Room *room = existingRoom(client, name);
        if (!room)
            continue;
        if (!client->isIn(room)) {
            reply(client, ERR_NOTONCHANNEL, { room->name(), QStringLiteral("You're not on that channel") });
            continue;
        }
        carryOut(client, ChatCommand::Type::Part, room->name(), reason, !reason.isEmpty());
    }
}

void IrcHandler::privmsg(ClientSession *client, const QStringList &params)
{
    message(client, params, false);
}

void IrcHandler::notice(ClientSession *client, const QStringList &params)
{
    message(client, params, true);
}

void IrcHandler::message(ClientSession *client, const QStringList &params, bool notice, bool multiline,
                         bool action)
{
    const QString command = notice ? QStringLiteral("NOTICE") : QStringLiteral("PRIVMSG");
    if (params.isEmpty() || params.at(0).isEmpty()) {
        if (!notice)
            reply(client, ERR_NORECIPIENT, { QStringLiteral("No recipient given (%1)").arg(command) });
        return;
    }
    QString text = params.value(1);
    ChatCommand::Type say = notice ? ChatCommand::Type::Notice : ChatCommand::Type::Say;
    // CTCP (the Client-to-Client Protocol): ACTION is a /me; other queries (VERSION, PING ...)
    // have no counterpart in the other dialects and are not passed on.
    if (text.startsWith(u'\x01') && !multiline) {
        if (!isCtcpAction(text))
            return;
        text = text.mid(7);
        if (text.endsWith(u'\x01'))
            text.chop(1);
        text = text.trimmed();
        say = ChatCommand::Type::Action;
    }
    if (action)
        say = ChatCommand::Type::Action;
    if (!multiline)
        text = TextSanitizer::clean(text);
    if (TextSanitizer::isBlank(text)) {
        if (!notice)
            reply(client, ERR_NOTEXTTOSEND, { QStringLiteral("No text to send") });
        return;
    }
    // A PRIVMSG that would not fit in one IRC line as the others get it (with its sender's
    // source; RFC 1459 section 2.3) is refused with ERR_INPUTTOOLONG, neither cut nor split:
    // the sender learns it, and an IRC client keeps its lines within what it knows of its
    // source. A NOTICE is never answered with an error, so it is split like the other
    // dialects' long messages.
    const qsizetype lineBytes = 1 + IrcCodec::source(client->nick()).toUtf8().size() + 1 + command.size() +
                                1 + 2 + text.toUtf8().size() + (say == ChatCommand::Type::Action ? 9 : 0) + 2;
    const auto fits = [&](const QString &to) {
        if (notice || multiline || lineBytes + to.toUtf8().size() <= IrcCodec::maxLineBytes)
            return true;
        reply(client, ERR_INPUTTOOLONG, { QStringLiteral("Input line was too long") });
        return false;
    };
    const QStringList targets = params.at(0).split(u',', Qt::SkipEmptyParts);
    // More than TARGMAX: the first ones get it, the sender hears of the rest (RFC 2812's
    // ERR_TOOMANYTARGETS).
    if (targets.size() > maxMessageTargets && !notice)
        reply(client, ERR_TOOMANYTARGETS,
              { TextCut::leftUtf8(targets.at(maxMessageTargets), 64),
                QStringLiteral("Too many recipients; only the first %1 get it").arg(maxMessageTargets) });
    // A room or person named twice (or in two spellings) gets the message once.
    QSet<const void *> sent;
    for (const QString &target : targets.mid(0, maxMessageTargets)) {
        if (RoomName::looksLikeRoom(target)) {
            Room *room = existingRoom(client, target, notice);
            if (!room || sent.contains(room))
                continue;
            sent.insert(room);
            if (!client->isIn(room)) {
                if (!notice)
                    reply(client, ERR_CANNOTSENDTOCHAN,
                          { room->name(), QStringLiteral("Cannot send to channel") });
                continue;
            }
            if (fits(room->name()))
                carryOut(client, say, room->name(), text);
            continue;
        }
        const ClientSession *to = m_server.findClient(target);
        if (!to || !to->isAnnounced()) {
            if (!notice)
                reply(client, ERR_NOSUCHNICK,
                      { TextCut::left(TextSanitizer::clean(target), ChatLimits::maxNickLength),
                        QStringLiteral("No such nick/channel") });
            continue;
        }
        if (!fits(to->nick()))
            continue;
        if (sent.contains(to))
            continue;
        sent.insert(to);
        carryOut(client, say == ChatCommand::Type::Say ? ChatCommand::Type::Private : say, to->nick(), text);
        if (!notice && to->irc() && !to->irc()->away.isEmpty())
            reply(client, RPL_AWAY, { to->nick(), to->irc()->away });
    }
}

bool IrcHandler::isCtcpAction(const QString &text)
{
    static const QString action = QStringLiteral("\x01"
                                                 "ACTION");
    return text.startsWith(action) && (text.size() == action.size() || text.at(action.size()) == u' ' ||
                                       text.at(action.size()) == u'\x01');
}

qsizetype IrcHandler::multilineMaxBytes() const
{
    return m_limits.maxLineBytes;
}

void IrcHandler::failBatch(ClientSession *client, const QString &label, const QString &code,
                           const QStringList &params, const QString &text)
{
    // Each parameter as the client sent it (a target list keeps its commas), cleaned, the
    // parameters sharing what the code and the text leave of an IRC line; one that could not be
    // a middle parameter (empty, a space, a leading colon) as ircToken() makes it one.
    const QStringList fixed{ QStringLiteral("BATCH"), code, text };
    const qsizetype share =
            params.isEmpty() ? 0
                             : (IrcCodec::maxLineBytes -
                                IrcCodec::line(IrcCodec::serverName(), QStringLiteral("FAIL"), fixed).size() -
                                params.size()) /
                                       params.size();
    static const QRegularExpression space(QStringLiteral("\\s"));
    QStringList shown;
    for (const QString &param : params) {
        QString token = TextCut::leftUtf8(TextSanitizer::clean(param), qMax<qsizetype>(share, 1));
        if (token.isEmpty() || token.startsWith(u':') || token.contains(space))
            token = ircToken(token);
        shown.append(token);
    }
    const QByteArray line =
            IrcCodec::line(IrcCodec::serverName(), QStringLiteral("FAIL"),
                           QStringList{ QStringLiteral("BATCH"), code } + shown + QStringList{ text });
    if (label.isEmpty())
        client->sendBytes(line);
    else
        sendLabeled(client, label, line);
}

void IrcHandler::abandonBatch(ClientSession *client, const QString &reference, const QString &why)
{
    IrcState &irc = *client->irc();
    if (reference.isEmpty() || !irc.registered)
        return;
    const auto open = std::find_if(irc.openBatches.begin(), irc.openBatches.end(),
                                   [&](const IrcState::Batch &b) { return b.reference == reference; });
    if (open == irc.openBatches.end())
        return;
    const QString label = open->label;
    irc.openBatches.erase(open);
    irc.refusedBatch = reference;
    failBatch(client, label, QStringLiteral("MULTILINE_INVALID"), {}, why);
}

void IrcHandler::expireBatches(ClientSession *client, qint64 nowMs)
{
    IrcState &irc = *client->irc();
    for (qsizetype i = 0; i < irc.openBatches.size();) {
        const IrcState::Batch &open = irc.openBatches.at(i);
        if (nowMs - open.openedMs < m_limits.ircBatchTimeoutMs) {
            ++i;
            continue;
        }
        const QString reference = open.reference;
        const QString label = open.label;
        const qsizetype lines = open.lines.size();
        irc.openBatches.removeAt(i);
        irc.refusedBatch = reference;
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("%1 (%2) did not close its IRC multiline batch %3 within %4 s; "
                                            "it was dropped with its %5 line(s)")
                                      .arg(client->nick(), client->peer(), TextSanitizer::quoted(reference),
                                           QString::number(m_limits.ircBatchTimeoutMs / 1000.0),
                                           QString::number(lines))));
        failBatch(client, label, QStringLiteral("TIMEOUT"), { reference },
                  QStringLiteral("Batch timed out: not closed within %1 s")
                          .arg(m_limits.ircBatchTimeoutMs / 1000.0));
    }
}

void IrcHandler::batch(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    const QString invalid = QStringLiteral("MULTILINE_INVALID");
    const QString &given = params.at(0);
    if (given.size() < 2 || (!given.startsWith(u'+') && !given.startsWith(u'-'))) {
        failBatch(client, m_batchLabel, invalid, {}, QStringLiteral("BATCH takes +reference or -reference"));
        return;
    }
    const QString reference = given.mid(1);
    const auto open = std::find_if(irc.openBatches.begin(), irc.openBatches.end(),
                                   [&](const IrcState::Batch &b) { return b.reference == reference; });
    if (given.startsWith(u'-')) {
        if (open != irc.openBatches.end()) {
            IrcState::Batch closed = std::move(*open);
            irc.openBatches.erase(open);
            if (closed.label.isEmpty())
                closed.label = m_batchLabel;
            closeBatch(client, std::move(closed));
        } else if (reference == irc.refusedBatch) {
            irc.refusedBatch.clear(); // its FAIL was said
        } else {
            failBatch(client, m_batchLabel, invalid, {}, QStringLiteral("No such batch is open"));
        }
        return;
    }
    // From here on a refusal covers the lines that follow: they are dropped quietly.
    const auto refuse = [&](const QString &text) {
        irc.refusedBatch = reference;
        failBatch(client, m_batchLabel, invalid, {}, text);
    };
    if (!(irc.caps & IrcCodec::Multiline) || !(irc.caps & IrcCodec::Batch)) {
        refuse(QStringLiteral("Client batches need the draft/multiline and batch capabilities"));
        return;
    }
    if (params.value(1) != IrcCodec::multilineName()) {
        refuse(QStringLiteral("Only draft/multiline batches are taken"));
        return;
    }
    if (params.value(2).isEmpty()) {
        refuse(QStringLiteral("A multiline batch needs a target"));
        return;
    }
    // One message to one target (the specification's "the target recipient"): a list would
    // post it once per target, with as many ids. MULTILINE_INVALID, "any other error":
    // MULTILINE_INVALID_TARGET is for a line whose target is not the batch's, and names both.
    static const QRegularExpression notOneTarget(QStringLiteral("[\\s,]"));
    if (params.at(2).contains(notOneTarget) || params.at(2).startsWith(u':')) {
        refuse(QStringLiteral("A multiline batch has one target, not a list"));
        return;
    }
    if (open != irc.openBatches.end()) {
        // Whose lines would they be: neither is kept.
        irc.openBatches.erase(open);
        refuse(QStringLiteral("That batch reference is in use"));
        return;
    }
    if (irc.openBatches.size() >= ChatLimits::maxOpenBatches) {
        refuse(QStringLiteral("Too many open batches (%1)").arg(ChatLimits::maxOpenBatches));
        return;
    }
    IrcState::Batch batch;
    batch.reference = reference;
    batch.target = params.at(2);
    batch.label = m_batchLabel;
    batch.openedMs = ClientSession::monotonicMs();
    // Client-only tags go on the BATCH + line (the specification); the message carries them.
    batch.clientTags = irc.sendingTags;
    irc.openBatches.append(std::move(batch));
}

void IrcHandler::batchLine(ClientSession *client, const ChatCommand &command)
{
    IrcState &irc = *client->irc();
    const QString &reference = command.batch;
    if (reference == irc.refusedBatch)
        return;
    const auto open = std::find_if(irc.openBatches.begin(), irc.openBatches.end(),
                                   [&](const IrcState::Batch &b) { return b.reference == reference; });
    if (open == irc.openBatches.end()) {
        failBatch(client, QString(), QStringLiteral("MULTILINE_INVALID"), {},
                  QStringLiteral("No such batch is open"));
        return;
    }
    // A fault ends the batch: what it held is dropped, and so are its lines still to come.
    const auto refuse = [&](const QString &code, const QStringList &params, const QString &text) {
        const QString label = open->label;
        irc.refusedBatch = reference;
        irc.openBatches.erase(open);
        failBatch(client, label, code, params, text);
    };
    IrcState::Batch &batch = *open;
    const QString &type = command.target;
    if (type != u"PRIVMSG" && type != u"NOTICE") {
        refuse(QStringLiteral("MULTILINE_INVALID"), {},
               type == u"BATCH" ? QStringLiteral("Batches do not nest in a multiline batch")
                                : QStringLiteral("A multiline batch holds PRIVMSG or NOTICE lines only"));
        return;
    }
    if (command.params.size() < 2) {
        refuse(QStringLiteral("MULTILINE_INVALID"), {},
               QStringLiteral("A line of the batch needs a target and text"));
        return;
    }
    if (!batch.command.isEmpty() && batch.command != type) {
        refuse(QStringLiteral("MULTILINE_INVALID"), {},
               QStringLiteral("A multiline batch mixes PRIVMSG and NOTICE"));
        return;
    }
    // "MULTILINE_INVALID_TARGET <batch-target> <provided-target>": two parameters, each as
    // the client sent it.
    if (command.params.at(0) != batch.target) {
        refuse(QStringLiteral("MULTILINE_INVALID_TARGET"), { batch.target, command.params.at(0) },
               QStringLiteral("Invalid multiline target"));
        return;
    }
    if (command.concatHasValue) {
        refuse(QStringLiteral("MULTILINE_INVALID"), {},
               QStringLiteral("draft/multiline-concat takes no value"));
        return;
    }
    const QString &text = command.params.at(1);
    if (command.concat && text.isEmpty()) {
        refuse(QStringLiteral("MULTILINE_INVALID"), {},
               QStringLiteral("A blank line cannot continue the one before (draft/multiline-concat)"));
        return;
    }
    if (batch.lines.size() >= ChatLimits::maxMessageLines) {
        refuse(QStringLiteral("MULTILINE_MAX_LINES"), { QString::number(ChatLimits::maxMessageLines) },
               QStringLiteral("Multiline batch max-lines exceeded"));
        return;
    }
    const qsizetype bytes =
            batch.bytes + text.toUtf8().size() + (batch.lines.isEmpty() || command.concat ? 0 : 1);
    if (bytes > multilineMaxBytes()) {
        refuse(QStringLiteral("MULTILINE_MAX_BYTES"), { QString::number(multilineMaxBytes()) },
               QStringLiteral("Multiline batch max-bytes exceeded"));
        return;
    }
    batch.command = type;
    batch.bytes = bytes;
    batch.lines.append(text);
    batch.concat.append(command.concat);
}

void IrcHandler::closeBatch(ClientSession *client, IrcState::Batch batch)
{
    // A CTCP ACTION (a /me) of several lines: the message the batch makes, its lines joined, is
    // one CTCP message (IRCv3 draft/multiline's "combined message value"), so "\1ACTION " begins
    // its first line and "\1" ends its last, and the lines between are the action's. A line
    // after the first that begins a CTCP message (each line an ACTION of its own, or a query
    // inside) makes no one message; other CTCP queries are not passed on from one line either.
    const bool action = !batch.lines.isEmpty() && isCtcpAction(batch.lines.first());
    if (!batch.lines.isEmpty() && batch.lines.first().startsWith(u'\x01') && !action) {
        failBatch(client, batch.label, QStringLiteral("MULTILINE_INVALID"), {},
                  QStringLiteral("Of CTCP, a multiline batch can only be an ACTION"));
        return;
    }
    for (qsizetype i = 1; i < batch.lines.size(); ++i) {
        const QString &line = batch.lines.at(i);
        const bool closing = action && i == batch.lines.size() - 1 && line == u"\x01";
        if (line.startsWith(u'\x01') && !closing) {
            failBatch(client, batch.label, QStringLiteral("MULTILINE_INVALID"), {},
                      QStringLiteral("A CTCP ACTION in a multiline batch begins its first line and ends "
                                     "its last; no other line begins one"));
            return;
        }
    }
    if (action) {
        QString &first = batch.lines.first();
        first.remove(0, 7); // "\1ACTION"
        if (first.startsWith(u' '))
            first.remove(0, 1);
        QString &last = batch.lines.last();
        if (last.endsWith(u'\x01'))
            last.chop(1);
        // A "\1ACTION" or "\1" on a line of its own opened or closed the action and is no line
        // of it.
        if (batch.lines.size() > 1 && batch.lines.last().isEmpty()) {
            batch.lines.removeLast();
            batch.concat.removeLast();
        }
        if (batch.lines.size() > 1 && batch.lines.first().isEmpty()) {
            batch.lines.removeFirst();
            batch.concat.removeFirst();
            batch.concat.first() = false;
        }
    }
    // One message: the lines joined with line feeds, a draft/multiline-concat line without;
    // each line cleaned on its own (TextSanitizer::cleanLines' rule).
    QString text;
    QList<qsizetype> concatAt;
    bool blank = true;
    for (qsizetype i = 0; i < batch.lines.size(); ++i) {
        const QString line = TextSanitizer::clean(batch.lines.at(i));
        if (i > 0 && batch.concat.at(i))
            concatAt.append(text.size());
        else if (i > 0)
            text += u'\n';
        text += line;
        blank = blank && TextSanitizer::isBlank(line);
    }
    if (blank) {
        failBatch(client, batch.label, QStringLiteral("MULTILINE_INVALID"), {},
                  batch.lines.isEmpty() ? QStringLiteral("The multiline batch is empty")
                                        : QStringLiteral("The multiline batch holds only blank lines"));
        return;
    }
    IrcState &irc = *client->irc();
    irc.sendingTags = batch.clientTags;
    irc.sendingConcatAt = concatAt;
    const bool labeled = !batch.label.isEmpty() && (irc.caps & LabeledResponse);
    if (labeled)
        client->startCapture();
    message(client, { batch.target, text }, batch.command == u"NOTICE", true, action);
    if (labeled)
        sendLabeled(client, batch.label, client->takeCapture());
    irc.sendingConcatAt.clear();
}

void IrcHandler::tagmsg(ClientSession *client, const QStringList &params)
{
    // Client-only tags alone (typing notifications, reactions ...): passed on to the IRC
    // clients of the target that negotiated message-tags, and to no one else (IRCv3
    // message-tags, "TAGMSG"), with a msgid of their own and the time; no other dialect has
    // them, and they are not kept.
    const QString target = params.at(0);
    QList<ClientSession *> recipients;
    QString to;
    if (RoomName::looksLikeRoom(target)) {
        const Room *room = existingRoom(client, target);
        if (!room)
            return;
        if (!client->isIn(room)) {
            reply(client, ERR_CANNOTSENDTOCHAN, { room->name(), QStringLiteral("Cannot send to channel") });
            return;
        }
        recipients = room->members();
        recipients.removeOne(client);
        to = room->name();
    } else {
        ClientSession *person = m_server.findClient(target);
        if (!person || !person->isAnnounced()) {
            reply(client, ERR_NOSUCHNICK,
                  { TextCut::left(TextSanitizer::clean(target), ChatLimits::maxNickLength),
                    QStringLiteral("No such nick/channel") });
            return;
        }
        recipients = { person };
        to = person->nick();
    }
    // The sender's copy (echo-message) comes as well as the delivery to itself, as for PRIVMSG.
    if (client->irc()->caps & IrcCodec::EchoMessage)
        recipients.append(client);
    const QString tags = client->irc()->sendingTags;
    const QByteArray msgid = "msgid=" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    const QByteArray time = "time=" + IrcCodec::timeTag(QDateTime::currentDateTimeUtc()).toLatin1();
    const QByteArray line =
            IrcCodec::line(IrcCodec::source(client->nick()), QStringLiteral("TAGMSG"), { to });
    for (ClientSession *recipient : std::as_const(recipients)) {
        const IrcState *irc = recipient->irc();
        if (!irc || !(irc->caps & IrcCodec::MessageTags))
            continue;
        QByteArray out = '@' + (tags.isEmpty() ? QByteArray() : tags.toUtf8() + ';') + msgid;
        if (irc->caps & IrcCodec::ServerTime)
            out += ';' + time;
        recipient->sendBytes(out + ' ' + line);
    }
}

// Queries.

void IrcHandler::sendNames(ClientSession *client, const Room *room)
{
    RoomInfo info = m_server.m_roomKeeper.info(room, true);
    info.topic.clear(); // NAMES is the names only
    client->send(ServerEvent::roomState(info));
}

void IrcHandler::names(ClientSession *client, const QStringList &params)
{
    if (params.isEmpty()) {
        reply(client, RPL_ENDOFNAMES, { QStringLiteral("*"), QStringLiteral("End of /NAMES list") });
        return;
    }
    // Each room once however often it is named ("#a,#A,#a"), and at most maxNamesTargets
    // names: one NAMES line must not make the server send a large room's list fifty times.
    const QStringList names = params.at(0).split(u',', Qt::SkipEmptyParts);
    if (names.size() > maxNamesTargets)
        reply(client, ERR_TOOMANYTARGETS,
              { TextCut::leftUtf8(names.at(maxNamesTargets), 64),
                QStringLiteral("Too many channels; only the first %1 are answered").arg(maxNamesTargets) });
    QSet<const Room *> answered;
    for (const QString &name : names.mid(0, maxNamesTargets)) {
        if (const Room *room = existingRoom(client, name, true)) {
            if (!answered.contains(room)) {
                answered.insert(room);
                sendNames(client, room);
            }
        } else {
            reply(client, RPL_ENDOFNAMES,
                  { TextCut::leftUtf8(name, 64), QStringLiteral("End of /NAMES list") });
        }
    }
}

void IrcHandler::who(ClientSession *client, const QStringList &params)
{
    const QString mask = params.value(0, QStringLiteral("*"));
    int replies = 0;
    const auto whoReply = [&](const QString &channel, const OnlineUser &user) {
        if (++replies > ChatLimits::maxWhoReplies)
            return;
        const ClientSession *local = user.server.isEmpty() ? m_server.findClient(user.nick) : nullptr;
        const bool away = local && local->irc() && !local->irc()->away.isEmpty();
        const QString server = user.server.isEmpty() ? IrcCodec::serverName() : ircToken(user.server);
        reply(client, RPL_WHOREPLY,
              { channel, userNameOf(local), IrcCodec::hostName(), server, user.nick,
                away ? QStringLiteral("G") : QStringLiteral("H"),
                u"0 " + (local ? realNameOf(local) : QStringLiteral("groupchat")) });
    };
    if (RoomName::looksLikeRoom(mask)) {
        if (const Room *room = existingRoom(client, mask, true)) {
            for (const OnlineUser &user : m_server.m_roomKeeper.users(room))
                whoReply(room->name(), user);
        }
    } else if (mask.contains(u'*') || mask.contains(u'?') || mask == u"0") {
        // A mask: everyone online whose nick matches ("WHO *", "WHO al*"; "0" is everyone,
        // RFC 2812 section 3.6.1), with "*" for the channel as for one nick.
        const QRegularExpression pattern = maskPattern(mask == u"0" ? QStringLiteral("*") : mask);
        for (const OnlineUser &user : m_server.onlineUsers()) {
            if (pattern.match(user.nick).hasMatch())
                whoReply(QStringLiteral("*"), user);
        }
    } else if (const ClientSession *target = m_server.findClient(mask); target && target->isAnnounced()) {
        whoReply(QStringLiteral("*"), { target->nick(), target->connectedAt() });
    }
    reply(client, RPL_ENDOFWHO, { TextCut::leftUtf8(mask, 64), QStringLiteral("End of WHO list") });
}

void IrcHandler::whois(ClientSession *client, const QStringList &params)
{
    if (params.isEmpty() || params.constLast().isEmpty()) {
        reply(client, ERR_NONICKNAMEGIVEN, { QStringLiteral("No nickname given") });
        return;
    }
    // "WHOIS server nick" asks a server about nick: there is one to ask.
    const QString nick = params.constLast();
    const ClientSession *target = m_server.findClient(nick);
    // Someone on another server of the cluster: what this server knows of them.
    const OnlineUser *remote =
            !target && m_server.m_cluster ? m_server.m_cluster->remoteHolder(nick) : nullptr;
    if (remote) {
        reply(client, RPL_WHOISUSER,
              { remote->nick, IrcCodec::userName(), IrcCodec::hostName(), QStringLiteral("*"),
                QStringLiteral("groupchat") });
        if (!remote->rooms.isEmpty())
            reply(client, RPL_WHOISCHANNELS, { remote->nick, remote->rooms.join(u' ') });
        reply(client, RPL_WHOISSERVER, { remote->nick, ircToken(remote->server), remote->server });
        reply(client, RPL_ENDOFWHOIS, { remote->nick, QStringLiteral("End of /WHOIS list") });
        return;
    }
    if (!target || !target->isAnnounced()) {
        const QString shown = TextCut::left(TextSanitizer::clean(nick), ChatLimits::maxNickLength);
        reply(client, ERR_NOSUCHNICK, { shown, QStringLiteral("No such nick/channel") });
        reply(client, RPL_ENDOFWHOIS, { shown, QStringLiteral("End of /WHOIS list") });
        return;
    }
    const QString who = target->nick();
    reply(client, RPL_WHOISUSER,
          { who, userNameOf(target), IrcCodec::hostName(), QStringLiteral("*"), realNameOf(target) });
    QStringList rooms;
    for (const Room *room : target->rooms())
        rooms.append(room->name());
    if (!rooms.isEmpty())
        reply(client, RPL_WHOISCHANNELS, { who, rooms.join(u' ') });
    reply(client, RPL_WHOISSERVER, { who, IrcCodec::serverName(), m_server.serverName() });
    if (target->irc() && !target->irc()->away.isEmpty())
        reply(client, RPL_AWAY, { who, target->irc()->away });
    if (target->isSecure())
        reply(client, RPL_WHOISSECURE, { who, QStringLiteral("is using a secure connection") });
    const qint64 idle = (ClientSession::monotonicMs() - target->lastActivityMs()) / 1000;
    reply(client, RPL_WHOISIDLE,
          { who, QString::number(idle), QString::number(target->connectedAt().toSecsSinceEpoch()),
            QStringLiteral("seconds idle, signon time") });
    reply(client, RPL_ENDOFWHOIS, { who, QStringLiteral("End of /WHOIS list") });
}

void IrcHandler::whowas(ClientSession *client, const QStringList &params)
{
    // No one's past is kept: irssi asks after a WHOIS of someone offline, and is told so.
    if (params.isEmpty() || params.constFirst().isEmpty()) {
        reply(client, ERR_NONICKNAMEGIVEN, { QStringLiteral("No nickname given") });
        return;
    }
    const QString nick = TextCut::leftUtf8(TextSanitizer::clean(params.constFirst()), 64);
    reply(client, ERR_WASNOSUCHNICK, { nick, QStringLiteral("There was no such nickname") });
    reply(client, RPL_ENDOFWHOWAS, { nick, QStringLiteral("End of WHOWAS") });
}

void IrcHandler::topic(ClientSession *client, const QStringList &params)
{
    Room *room = existingRoom(client, params.at(0));
    if (!room)
        return;
    if (params.size() < 2) {
        if (room->topic().isEmpty()) {
            reply(client, RPL_NOTOPIC, { room->name(), QStringLiteral("No topic is set") });
            return;
        }
        reply(client, RPL_TOPIC, { room->name(), room->topic() });
        reply(client, RPL_TOPICWHOTIME,
              { room->name(), room->topicBy(), QString::number(room->topicTime().toSecsSinceEpoch()) });
        return;
    }
    if (!client->isIn(room)) {
        reply(client, ERR_NOTONCHANNEL, { room->name(), QStringLiteral("You're not on that channel") });
        return;
    }
    // Longer than TOPICLEN: cut, as IRC servers do.
    const QString text = TextCut::left(TextSanitizer::clean(params.at(1)), m_limits.maxTopicLength);
    carryOut(client, ChatCommand::Type::Topic, room->name(), text, true);
}

void IrcHandler::list(ClientSession *client, const QStringList &params)
{
    ServerEvent event = ServerEvent::now(ServerEvent::Type::RoomList);
    const QList<RoomInfo> rooms = m_server.roomList();
    if (params.isEmpty() || params.at(0).isEmpty()) {
        event.rooms = rooms;
    } else {
        // LIST #a,#b: those rooms.
        for (const QString &name : params.at(0).split(u',', Qt::SkipEmptyParts)) {
            if (const Room *room = existingRoom(client, name, true))
                event.rooms.append(m_server.m_roomKeeper.info(room, false));
        }
    }
    client->send(event);
}

void IrcHandler::mode(ClientSession *client, const QStringList &params)
{
    const QString target = params.at(0);
    if (RoomName::looksLikeRoom(target)) {
        const Room *room = existingRoom(client, target);
        if (!room)
            return;
        if (params.size() < 2) {
            reply(client, RPL_CHANNELMODEIS, { room->name(), QStringLiteral("+n") });
            reply(client, RPL_CREATIONTIME,
                  { room->name(), QString::number(room->created().toSecsSinceEpoch()) });
            return;
        }
        // "MODE #room b" (or +b) without a mask lists bans: rooms have none.
        const QString modes = params.at(1);
        if (params.size() == 2 && (modes == u"b" || modes == u"+b")) {
            reply(client, RPL_ENDOFBANLIST, { room->name(), QStringLiteral("End of channel ban list") });
            return;
        }
        reply(client, ERR_CHANOPRIVSNEEDED, { room->name(), QStringLiteral("You're not channel operator") });
        return;
    }
    const ClientSession *subject = m_server.findClient(target);
    if (!subject || !subject->isAnnounced()) {
        reply(client, ERR_NOSUCHNICK,
              { TextCut::left(TextSanitizer::clean(target), ChatLimits::maxNickLength),
                QStringLiteral("No such nick/channel") });
        return;
    }
    if (subject != client) {
        reply(client, ERR_USERSDONTMATCH, { QStringLiteral("Cant change mode for other users") });
        return;
    }
    IrcState &irc = *client->irc();
    if (params.size() < 2) {
        reply(client, RPL_UMODEIS, { irc.invisible ? QStringLiteral("+i") : QStringLiteral("+") });
        return;
    }
    // User modes: only i (invisible), which is kept and shown; any other letter is refused.
    bool adding = true;
    bool unknown = false;
    const bool before = irc.invisible;
    for (const QChar c : params.at(1)) {
        if (c == u'+' || c == u'-')
            adding = c == u'+';
        else if (c == u'i')
            irc.invisible = adding;
        else
            unknown = true;
    }
    if (unknown)
        reply(client, ERR_UMODEUNKNOWNFLAG, { QStringLiteral("Unknown MODE flag") });
    if (irc.invisible != before)
        client->sendBytes(IrcCodec::line(
                IrcCodec::source(client->nick()), QStringLiteral("MODE"),
                { client->nick(), irc.invisible ? QStringLiteral("+i") : QStringLiteral("-i") }));
}

void IrcHandler::lusers(ClientSession *client, const QStringList &)
{
    sendLusers(client);
}

void IrcHandler::motd(ClientSession *client, const QStringList &)
{
    sendMotd(client);
}

void IrcHandler::away(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    irc.away = TextCut::left(TextSanitizer::clean(params.value(0)).trimmed(), maxAwayLength);
    if (irc.away.isEmpty())
        reply(client, RPL_UNAWAY, { QStringLiteral("You are no longer marked as being away") });
    else
        reply(client, RPL_NOWAWAY, { QStringLiteral("You have been marked as being away") });
}

void IrcHandler::userhost(ClientSession *client, const QStringList &params)
{
    QStringList found;
    for (const QString &nick : params.mid(0, maxQueryNicks)) {
        const ClientSession *target = m_server.findClient(nick);
        if (!target || !target->isAnnounced())
            continue;
        const bool away = target->irc() && !target->irc()->away.isEmpty();
        found.append(target->nick() + u'=' + (away ? u'-' : u'+') + userNameOf(target) + u'@' +
                     IrcCodec::hostName());
    }
    reply(client, RPL_USERHOST, { found.join(u' ') });
}

void IrcHandler::ison(ClientSession *client, const QStringList &params)
{
    QStringList online;
    for (const QString &param : params.mid(0, maxQueryNicks)) {
        for (const QString &nick : param.split(u' ', Qt::SkipEmptyParts)) {
            const ClientSession *target = m_server.findClient(nick);
            if (target && target->isAnnounced() && online.size() < maxQueryNicks)
                online.append(target->nick());
        }
    }
    reply(client, RPL_ISON, { online.join(u' ') });
}

void IrcHandler::time(ClientSession *client, const QStringList &)
{
    reply(client, RPL_TIME,
          { IrcCodec::serverName(),
            QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")) });
}

void IrcHandler::version(ClientSession *client, const QStringList &)
{
    reply(client, RPL_VERSION,
          { u"groupchat-" + QCoreApplication::applicationVersion(), IrcCodec::serverName(),
            QStringLiteral("IRC, JSON and plain lines in the same rooms") });
    const QStringList tokens = isupportTokens();
    for (qsizetype i = 0; i < tokens.size(); i += 13)
        reply(client, RPL_ISUPPORT, tokens.mid(i, 13) << QStringLiteral("are supported by this server"));
}

void IrcHandler::kick(ClientSession *client, const QStringList &params)
{
    // Nobody is a channel operator: only the admin puts people out of rooms.
    if (const Room *room = existingRoom(client, params.at(0)))
        reply(client, ERR_CHANOPRIVSNEEDED, { room->name(), QStringLiteral("You're not channel operator") });
}

void IrcHandler::oper(ClientSession *client, const QStringList &)
{
    reply(client, ERR_NOOPERHOST, { QStringLiteral("No O-lines for your host") });
}

// IRCv3 draft/chathistory (ircv3.net/specs/extensions/chathistory).

void IrcHandler::fail(ClientSession *client, const QString &command, const QString &code,
                      const QStringList &params, const QString &text)
{
    client->sendBytes(IrcCodec::line(IrcCodec::serverName(), QStringLiteral("FAIL"),
                                     QStringList{ command, code } + params + QStringList{ text }));
}

IrcHandler::Reference IrcHandler::reference(const QString &text)
{
    Reference ref;
    if (text == u"*") {
        ref.valid = ref.any = true;
    } else if (text.startsWith(QLatin1String("msgid="))) {
        bool ok = false;
        ref.id = text.mid(6).toULongLong(&ok);
        ref.valid = ok && ref.id != 0;
    } else if (text.startsWith(QLatin1String("timestamp="))) {
        const QDateTime time = QDateTime::fromString(text.mid(10), Qt::ISODateWithMs);
        ref.valid = time.isValid();
        // A time before 1970 is before every message: as 1970 (-1 would be no bound at all).
        ref.ms = ref.valid ? qMax<qint64>(0, time.toMSecsSinceEpoch()) : -1;
    }
    return ref;
}

void IrcHandler::boundAfter(HistoryWindow &window, const Reference &ref)
{
    if (ref.id != 0)
        window.afterId = ref.id;
    else if (ref.ms >= 0)
        window.afterMs = ref.ms;
}

void IrcHandler::boundBefore(HistoryWindow &window, const Reference &ref)
{
    if (ref.id != 0)
        window.beforeId = ref.id;
    else if (ref.ms >= 0)
        window.beforeMs = ref.ms;
}

void IrcHandler::sendHistoryBatch(ClientSession *client, const QString &target,
                                  const QList<ChatMessage> &messages)
{
    const unsigned caps = client->irc()->caps;
    const bool batched = caps & IrcCodec::Batch;
    const QString batch = batched ? newBatch(client, "ch") : QString();
    QByteArray out;
    if (batched)
        out += IrcCodec::line(IrcCodec::serverName(), QStringLiteral("BATCH"),
                              { u'+' + batch, QStringLiteral("chathistory"), target });
    for (const ChatMessage &message : messages)
        out += IrcCodec::messageLines(message, message.isPrivate() ? message.to : message.room, caps, batch);
    if (batched)
        out += IrcCodec::line(IrcCodec::serverName(), QStringLiteral("BATCH"), { u'-' + batch });
    client->sendBytes(out);
}

void IrcHandler::chathistory(ClientSession *client, const QStringList &params)
{
    const QString command = QStringLiteral("CHATHISTORY");
    const QString sub = params.at(0).toUpper();
    static const QHash<QString, int> needed{
        { QStringLiteral("LATEST"), 4 }, { QStringLiteral("BEFORE"), 4 },  { QStringLiteral("AFTER"), 4 },
        { QStringLiteral("AROUND"), 4 }, { QStringLiteral("BETWEEN"), 5 }, { QStringLiteral("TARGETS"), 4 },
    };
    if (!needed.contains(sub)) {
        fail(client, command, QStringLiteral("INVALID_PARAMS"), { TextCut::leftUtf8(params.at(0), 32) },
             QStringLiteral("Unknown subcommand"));
        return;
    }
    if (params.size() < needed.value(sub)) {
        fail(client, command, QStringLiteral("NEED_MORE_PARAMS"), { sub },
             QStringLiteral("Missing parameters"));
        return;
    }
    bool limitOk = false;
    const int asked = params.at(needed.value(sub) - 1).toInt(&limitOk);
    if (!limitOk || asked <= 0) {
        fail(client, command, QStringLiteral("INVALID_PARAMS"),
             { sub, TextCut::leftUtf8(params.constLast(), 32) }, QStringLiteral("Invalid limit"));
        return;
    }
    const int limit = qMin(asked, maxChatHistory);
    if (sub == u"TARGETS") {
        chathistoryTargets(client, params);
        return;
    }
    // The conversation: a room the client is in, or the private messages with a nick. Either
    // way nothing says whether a room it is not in exists.
    const QString target = params.at(1);
    HistoryWindow window;
    if (RoomName::looksLikeRoom(target)) {
        const Room *room = existingRoom(client, target, true);
        if (!room || !client->isIn(room)) {
            fail(client, command, QStringLiteral("INVALID_TARGET"), { sub, TextCut::leftUtf8(target, 64) },
                 QStringLiteral("Messages could not be retrieved"));
            return;
        }
        window.room = room->name();
    } else {
        if (!NickRules::isValid(target)) {
            fail(client, command, QStringLiteral("INVALID_TARGET"), { sub, TextCut::leftUtf8(target, 64) },
                 QStringLiteral("Messages could not be retrieved"));
            return;
        }
        window.identity = client->identityHash();
        window.with = NickRules::prepare(target);
    }
    const Reference first = reference(params.at(2));
    const Reference second = sub == u"BETWEEN" ? reference(params.at(3)) : Reference{ true, false, 0, -1 };
    if (!first.valid || (first.any && sub != u"LATEST") || !second.valid || second.any) {
        fail(client, command, QStringLiteral("INVALID_PARAMS"),
             { sub, TextCut::leftUtf8(first.valid ? params.at(3) : params.at(2), 64) },
             QStringLiteral("Invalid message reference"));
        return;
    }
    HistoryKeeper &history = m_server.m_history;
    window.limit = limit;
    // No more than about half the send queue (tags of a batch not counted), as for a JSON
    // history request: the client asks again from the last message it got, and is not cut off
    // for a reply it asked for.
    const unsigned caps = client->irc()->caps;
    const qint64 maxBytes = m_limits.maxSendQueueBytes / 2;
    QList<ChatMessage> messages;
    if (sub == u"LATEST") {
        boundAfter(window, first);
        window.newest = true;
        messages = history.window(window);
    } else if (sub == u"BEFORE") {
        boundBefore(window, first);
        window.newest = true;
        messages = history.window(window);
    } else if (sub == u"AFTER") {
        boundAfter(window, first);
        messages = history.window(window);
    } else if (sub == u"AROUND") {
        // limit messages with the reference in their middle: up to half of them before it, the
        // rest from it on (a msgid's message included).
        HistoryWindow before = window;
        boundBefore(before, first);
        before.newest = true;
        before.limit = limit / 2;
        messages = fitting(history.window(before), caps, maxBytes / 2, true);
        HistoryWindow from = window;
        if (first.id != 0)
            from.afterId = first.id - 1;
        else
            from.afterMs = first.ms - 1;
        from.limit = limit - int(messages.size());
        messages += fitting(history.window(from), caps, maxBytes / 2, false);
    } else { // BETWEEN, either way round
        bool forward = true;
        if (first.id != 0 && second.id != 0)
            forward = first.id < second.id;
        else if (first.ms >= 0 && second.ms >= 0)
            forward = first.ms < second.ms;
        else {
            // A msgid and a timestamp: the message's time says which comes first.
            const Reference &byId = first.id != 0 ? first : second;
            const Reference &byTime = first.id != 0 ? second : first;
            HistoryWindow lookup = window;
            lookup.afterId = byId.id - 1;
            lookup.beforeId = byId.id + 1;
            lookup.limit = 1;
            const QList<ChatMessage> found = history.window(lookup);
            const bool idFirst = found.isEmpty() || found.constFirst().time.toMSecsSinceEpoch() < byTime.ms;
            forward = (first.id != 0) == idFirst;
        }
        boundAfter(window, forward ? first : second);
        boundBefore(window, forward ? second : first);
        window.newest = !forward;
        messages = history.window(window);
    }
    if (sub != u"AROUND")
        messages = fitting(messages, caps, maxBytes, window.newest);
    sendHistoryBatch(client, target, messages);
}

void IrcHandler::chathistoryTargets(ClientSession *client, const QStringList &params)
{
    const Reference first = reference(params.at(1));
    const Reference second = reference(params.at(2));
    if (!first.valid || !second.valid || first.ms < 0 || second.ms < 0) {
        fail(client, QStringLiteral("CHATHISTORY"), QStringLiteral("INVALID_PARAMS"),
             { QStringLiteral("TARGETS") }, QStringLiteral("TARGETS takes two timestamps"));
        return;
    }
    const int limit = qMin(params.at(3).toInt(), maxChatHistory);
    const qint64 low = qMin(first.ms, second.ms);
    const qint64 high = qMax(first.ms, second.ms);
    HistoryKeeper &history = m_server.m_history;
    // Each conversation with its latest message between the two times.
    QList<std::pair<qint64, QString>> targets;
    for (const Room *room : client->rooms()) {
        HistoryWindow window;
        window.room = room->name();
        window.afterMs = low;
        window.beforeMs = high;
        window.limit = 1;
        window.newest = true;
        const QList<ChatMessage> latest = history.window(window);
        if (!latest.isEmpty())
            targets.append({ latest.constFirst().time.toMSecsSinceEpoch(), room->name() });
    }
    // The people it talked with in that time: the newest private messages, at most a reply's worth.
    HistoryWindow privates;
    privates.identity = client->identityHash();
    privates.afterMs = low;
    privates.beforeMs = high;
    privates.limit = maxChatHistory;
    privates.newest = true;
    QHash<QString, qint64> people; // NickRules::key -> latest time
    QHash<QString, QString> names;
    for (const ChatMessage &message : history.window(privates)) {
        const QString other = message.fromIdentity == privates.identity ? message.to : message.from;
        const QString key = NickRules::key(other);
        people[key] = qMax(people.value(key), message.time.toMSecsSinceEpoch());
        names.insert(key, other);
    }
    for (auto it = people.cbegin(); it != people.cend(); ++it)
        targets.append({ it.value(), names.value(it.key()) });
    std::sort(targets.begin(), targets.end());
    const QString batch = newBatch(client, "ct");
    const bool batched = client->irc()->caps & IrcCodec::Batch;
    QByteArray out;
    if (batched)
        out += IrcCodec::line(IrcCodec::serverName(), QStringLiteral("BATCH"),
                              { u'+' + batch, QStringLiteral("draft/chathistory-targets") });
    for (const auto &[ms, name] : targets.mid(0, limit)) {
        const QByteArray line =
                IrcCodec::line(IrcCodec::serverName(), QStringLiteral("CHATHISTORY"),
                               { QStringLiteral("TARGETS"), name,
                                 IrcCodec::timeTag(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)) });
        out += batched ? "@batch=" + batch.toLatin1() + ' ' + line : line;
    }
    if (batched)
        out += IrcCodec::line(IrcCodec::serverName(), QStringLiteral("BATCH"), { u'-' + batch });
    client->sendBytes(out);
}

// SASL PLAIN (IRCv3 sasl-3.1, RFC 4616): the password is the server's (--password-file); the
// account name is not checked, as the server has no accounts.

void IrcHandler::authenticate(ClientSession *client, const QStringList &params)
{
    IrcState &irc = *client->irc();
    const QString argument = params.at(0);
    if (client->isAuthenticated() && !m_server.m_password.isEmpty() && irc.registered) {
        reply(client, ERR_SASLALREADY, { QStringLiteral("You have already authenticated using SASL") });
        return;
    }
    if (argument == u"*") {
        irc.saslPlain = false;
        irc.saslData.clear();
        reply(client, ERR_SASLABORTED, { QStringLiteral("SASL authentication aborted") });
        tryRegister(client); // a CAP END that came meanwhile waited for this
        return;
    }
    if (!irc.saslPlain) {
        if (argument.compare(QLatin1String("PLAIN"), Qt::CaseInsensitive) != 0) {
            reply(client, RPL_SASLMECHS,
                  { QStringLiteral("PLAIN"), QStringLiteral("are available SASL mechanisms") });
            reply(client, ERR_SASLFAIL, { QStringLiteral("SASL authentication failed") });
            return;
        }
        irc.saslPlain = true;
        irc.saslData.clear();
        client->sendBytes(IrcCodec::line(QString(), QStringLiteral("AUTHENTICATE"), { QStringLiteral("+") }));
        return;
    }
    // Chunks of 400 bytes; a shorter one (or "+", nothing) ends the message.
    if (argument != u"+")
        irc.saslData += argument.toLatin1();
    if (irc.saslData.size() > 4 * 400) {
        irc.saslPlain = false;
        irc.saslData.clear();
        reply(client, ERR_SASLTOOLONG, { QStringLiteral("SASL message too long") });
        tryRegister(client); // a CAP END that came meanwhile waited for this
        return;
    }
    if (argument.size() == 400)
        return;
    irc.saslPlain = false;
    const QByteArray message = std::exchange(irc.saslData, QByteArray());
    const QList<QByteArray> parts = QByteArray::fromBase64(message).split('\0');
    if (parts.size() != 3 || m_server.m_password.isEmpty()) {
        // Malformed, or no password to check it against: there are no accounts here.
        reply(client, ERR_SASLFAIL, { QStringLiteral("SASL authentication failed") });
        tryRegister(client); // a CAP END that came meanwhile waited for this
        return;
    }
    const QString account =
            TextCut::left(TextSanitizer::clean(QString::fromUtf8(parts.at(1))), ChatLimits::maxNickLength);
    const QString password = QString::fromUtf8(parts.at(2));
    // A wrong password is answered as PASS's is: after the address's wait, and the connection
    // closes. During the wait nothing is checked: the same message is, once it is over.
    if (!m_server.checkPassword(client, password, [this, client, message] {
            client->irc()->saslPlain = true;
            client->irc()->saslData = message;
            authenticate(client, { QStringLiteral("+") });
        }))
        return;
    const QString nick = irc.hasNick ? client->nick() : QStringLiteral("*");
    reply(client, RPL_LOGGEDIN,
          { IrcCodec::source(nick), account.isEmpty() ? nick : account,
            QStringLiteral("You are now logged in") });
    reply(client, RPL_SASLSUCCESS, { QStringLiteral("SASL authentication successful") });
    tryRegister(client); // a CAP END that came meanwhile waited for this
}
