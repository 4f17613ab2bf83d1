#pragma once

#include "loadconnection.h"

#include <QSet>

struct IrcLine;

// A client in IRC's dialect, as a modern IRC client with IRCv3 runs: it asks for
// message-tags, server-time, batch, echo-message and draft/chathistory (those the server
// offers), is in #general from its registration on, sends numbered PRIVMSGs ("i1-17 end") with at
// most two unacknowledged on a connection, and counts one acknowledged by its echo, under the
// echo's msgid. Every PRIVMSG to #general it receives is recorded with its msgid as its id.
// After a lost connection it registers on a random server and catches up with CHATHISTORY
// AFTER the last msgid it saw, page after page while a page is full (CHATHISTORY=N of
// ISUPPORT); live messages that come meanwhile wait until the catch-up is read, and one the
// catch-up already gave is left out (IRCv3 chathistory: a client removes the overlap by
// msgid). It never sends a line again: IRC has no client message id, and a resend would be
// posted twice; what was not acknowledged stays so (unless the catch-up shows it).
class IrcLoadClient : public LoadConnection
{
    Q_OBJECT

public:
    // proxyPorts: the proxy in front of each server's IRC port.
    IrcLoadClient(int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts, bool randomDrops,
                  Timeline *timeline, QObject *parent = nullptr);
    ~IrcLoadClient() override;

    void start() override;
    // The last connection, straight to a random server's IRC port (directPorts): catch up
    // after the last msgid, then read the whole history with CHATHISTORY; finished() follows.
    void finish(const QList<quint16> &directPorts);

Q_SIGNALS:
    void finished();

private:
    enum class Phase {
        Registering, // until the server's JOIN of #general
        CatchingUp, // CHATHISTORY AFTER the last msgid, live messages held
        Live,
        FinalHistory, // the last connection: the whole history, page after page
        Done,
    };

    void beginConnection() override;
    QString connectionDetail() const override;
    void greet() override;
    void handleLine(const QByteArray &line) override;
    void sendNext() override;
    void lost(const QString &why) override;
    void handle(const IrcLine &line);
    void handleCap(const IrcLine &line);
    void joined();
    void requestPage(const QString &reference);
    void pageEnded();
    void goLive();
    void handleMessage(const IrcLine &line);
    void recordSeen(const ClientRecord::Seen &seen);
    ClientRecord::Seen seenFrom(const IrcLine &line, bool replay) const;
    void acknowledge(const QString &key, qint64 id, const QString &by);
    void keepAlive();
    void write(const QByteArray &line);
    void endFinal(bool ok, const QString &problem);

    Phase m_phase = Phase::Registering;
    QString m_nick; // as the server knows it (001, then NICK)
    int m_nickTries = 0;
    QStringList m_offered; // CAP LS
    int m_historyLimit = 100; // ISUPPORT CHATHISTORY (IRCv3's default when it gives none)
    QString m_historyBatch; // the open chathistory batch's reference
    QList<ClientRecord::Seen> m_page; // what the open batch gave so far
    // Every message line of the open batch, foreign ones too (a plain line cut short by a
    // drop), and the msgid of the last: a page is full, and the next begins, by these.
    int m_pageLines = 0;
    qint64 m_pageLastId = 0;
    int m_pages = 0; // pages read by the catch-up or the final read
    QSet<qint64> m_catchUpIds; // what this connection's catch-up gave
    QList<ClientRecord::Seen> m_held; // live messages that came during the catch-up
    QSet<QString> m_inFlight; // sent on this connection, not acknowledged
    qint64 m_lastId = 0;
    qint64 m_lastHeard = 0;
    int m_pingCounter = 0;
    QTimer m_keepAliveTimer;
    QTimer m_finalDeadline;
};
