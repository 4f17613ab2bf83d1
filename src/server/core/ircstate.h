#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// What the server knows of one IRC client beyond what every session has (ClientSession::irc()):
// where its registration stands, what it negotiated, what it said of itself. IrcHandler keeps it.
struct IrcState
{
    // Registration (Modern IRC Client Protocol, "Connection Registration"): the welcome waits
    // for NICK and USER, and for CAP END once the client started capability negotiation.
    bool registered = false;
    bool capNegotiating = false;
    bool hasNick = false; // a NICK was granted (the session's nick is no longer the guest one)
    bool hasUser = false;
    int capVersion = 0; // the version of CAP LS (302: values and multi-line replies)
    QString userName; // IrcCodec::userNameFor() what USER gave: shown in WHO, WHOIS, USERHOST
    QString realName;
    bool passGiven = false;
    QString password; // PASS, until the registration checks it
    // In a cluster: this server has delivered what the room's stream held when the client
    // registered (ClusterLink::afterCatchingUp), so that nothing older reaches it as new.
    bool caughtUp = false;
    bool catchingUp = false; // asked, once however often the registration is tried meanwhile

    unsigned caps = 0; // negotiated capabilities (IrcCodec::Cap and IrcHandler's bits)
    quint64 batches = 0; // batch references made for it so far (each is unique on its connection)
    // SASL PLAIN under way (AUTHENTICATE PLAIN was sent), and what its chunks brought so far.
    bool saslPlain = false;
    QByteArray saslData;
    QString away; // AWAY's message; empty: here
    bool invisible = false; // user mode +i, kept and shown, changes nothing here

    // A draft/multiline batch the client opened and has not closed (IRCv3 draft/multiline):
    // what its lines brought so far. At most ChatLimits::maxOpenBatches of them, each of at
    // most the line limit of text (IrcHandler bounds both), for at most
    // ChatLimits::ircBatchTimeoutMs (ChatServer's connection check drops older ones).
    struct Batch
    {
        QString reference;
        QString target; // as BATCH + named it
        QString label; // labeled-response's label of the BATCH + line: the echo carries it
        QString clientTags; // the client-only tags of the BATCH + line: the message's
        QString command; // "PRIVMSG" or "NOTICE", from the first line on
        QStringList lines; // as sent, not yet cleaned
        QList<bool> concat; // per line: draft/multiline-concat
        qsizetype bytes = 0; // of the text, a byte per line feed included (max-bytes)
        qint64 openedMs = 0; // when BATCH + came (ClientSession::monotonicMs())
    };
    QList<Batch> openBatches;
    // The last batch refused (FAIL BATCH ...): its remaining lines and its BATCH - are dropped
    // without another word.
    QString refusedBatch;

    // What the command being carried out gives the message it makes (ChatServer::postMessage,
    // CommandHandler::sendPrivate copy it into ChatMessage): its client-only tags. IrcHandler
    // sets them for the duration of one command only.
    QString sendingTags;
    // And, for a draft/multiline batch, where its draft/multiline-concat lines began
    // (ChatMessage::concatAt).
    QList<qsizetype> sendingConcatAt;
};
