#pragma once

#include "clientrecord.h"

#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

class Timeline;

// The history-based checker (in the spirit of Jepsen's): from what every client sent, was
// acknowledged and received, and each server's whole history read at the end, it checks that
// - every server's history has each id once, in order, and each message once (by its key);
// - every server gives a message the same id, and an id the same message, and holds every
//   message another server holds;
// - every client received each message once, in id order, as the servers hold it, and (JSON
//   clients, which resume with since, and IRC clients, which catch up with CHATHISTORY AFTER)
//   without a gap between the first and the last it saw, unless a welcome said it was
//   incomplete (or an IRC catch-up stopped short); its final history is the servers' history;
// - every acknowledged send is in every server's history exactly once, under the id it was
//   acknowledged with.
// It prints what it checked and the first violation (by time) with its context, and says
// which kinds of violation were found.
class HistoryChecker
{
public:
    struct ServerHistory
    {
        QString name;
        bool fetched = false;
        QString problem;
        QList<ClientRecord::Seen> messages;
        int foreign = 0; // messages whose text is no key (plain lines cut short), left out
    };
    struct Violation
    {
        QString kind;
        qint64 atMs = 0;
        QString who; // a client's or a server's name
        QString text;
        qint64 aroundId = -1;
    };

    HistoryChecker(const QList<ClientRecord> &clients, const QList<ServerHistory> &servers,
                   const Timeline &timeline);

    // Runs every check; true when nothing was violated. report() prints the result.
    bool check();
    void report() const;
    const QList<Violation> &violations() const { return m_violations; }

private:
    void checkServers();
    // A JSON or IRC client: its messages carry ids.
    void checkClientWithIds(const ClientRecord &client);
    void checkPlainClient(const ClientRecord &client);
    void checkFinalHistory(const ClientRecord &client);
    void checkAcknowledged(const ClientRecord &client);
    void add(const QString &kind, qint64 atMs, const QString &who, const QString &text, qint64 aroundId = -1);
    qint64 sentAt(const QString &key) const;
    QString describeId(qint64 id) const;
    void printContext(const Violation &violation) const;

    const QList<ClientRecord> &m_clients;
    const QList<ServerHistory> &m_servers;
    const Timeline &m_timeline;
    QHash<QString, qint64> m_firstSent; // key -> when it was first sent
    QMap<qint64, QString> m_reference; // id -> key, over every server's history
    QHash<QString, qint64> m_referenceId; // key -> id (the first server's that has it)
    QList<Violation> m_violations;
    QMap<QString, int> m_counts; // violations by kind
    int m_deliveries = 0;
};
