#include "historychecker.h"

#include "timeline.h"

#include <QSet>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace {

void print(const QString &text)
{
    std::printf("%s\n", qUtf8Printable(text));
}

} // namespace

HistoryChecker::HistoryChecker(const QList<ClientRecord> &clients, const QList<ServerHistory> &servers,
                               const Timeline &timeline)
    : m_clients(clients), m_servers(servers), m_timeline(timeline)
{
    for (const ClientRecord &client : clients) {
        for (const ClientRecord::Send &send : client.sent)
            m_firstSent.insert(send.key, send.firstSentMs);
    }
}

qint64 HistoryChecker::sentAt(const QString &key) const
{
    return m_firstSent.value(key, m_timeline.now());
}

void HistoryChecker::add(const QString &kind, qint64 atMs, const QString &who, const QString &text,
                         qint64 aroundId)
{
    ++m_counts[kind];
    m_violations.append({ kind, atMs, who, text, aroundId });
}

QString HistoryChecker::describeId(qint64 id) const
{
    const auto it = m_reference.constFind(id);
    return it == m_reference.cend() ? QStringLiteral("id %1").arg(id)
                                    : QStringLiteral("id %1 (%2)").arg(id).arg(*it);
}

bool HistoryChecker::check()
{
    checkServers();
    for (const ClientRecord &client : m_clients) {
        m_deliveries += int(client.seen.size());
        if (client.json || client.irc) {
            checkClientWithIds(client);
            checkFinalHistory(client);
        } else {
            checkPlainClient(client);
        }
        checkAcknowledged(client);
    }
    std::stable_sort(m_violations.begin(), m_violations.end(),
                     [](const Violation &a, const Violation &b) { return a.atMs < b.atMs; });
    return m_violations.isEmpty();
}

void HistoryChecker::checkServers()
{
    // Each server on its own: ids strictly increasing, each message once.
    for (const ServerHistory &server : m_servers) {
        if (!server.fetched) {
            add(QStringLiteral("server-unreadable"), m_timeline.now(), server.name,
                QStringLiteral("%1's history could not be read: %2").arg(server.name, server.problem));
            continue;
        }
        qint64 previous = 0;
        QHash<QString, qint64> idOf;
        for (const ClientRecord::Seen &message : server.messages) {
            if (message.id <= previous) {
                add(QStringLiteral("server-order"), sentAt(message.key), server.name,
                    QStringLiteral("%1's history has id %2 (%3) after id %4")
                            .arg(server.name)
                            .arg(message.id)
                            .arg(message.key)
                            .arg(previous),
                    message.id);
            }
            previous = qMax(previous, message.id);
            const auto earlier = idOf.constFind(message.key);
            if (earlier != idOf.cend()) {
                add(QStringLiteral("duplicate"), sentAt(message.key), server.name,
                    QStringLiteral("%1 holds %2 twice: as id %3 and as id %4")
                            .arg(server.name, message.key)
                            .arg(*earlier)
                            .arg(message.id),
                    message.id);
            } else {
                idOf.insert(message.key, message.id);
            }
            if (!m_firstSent.contains(message.key)) {
                add(QStringLiteral("phantom"), m_timeline.now(), server.name,
                    QStringLiteral("%1 holds id %2 (%3), which nobody sent")
                            .arg(server.name)
                            .arg(message.id)
                            .arg(message.key),
                    message.id);
            }
        }
    }
    // Across servers: one id per message, one message per id, the same messages everywhere.
    QHash<qint64, QString> firstHolder; // id -> the server it was first found on
    QHash<QString, QString> keyHolder;
    for (const ServerHistory &server : m_servers) {
        for (const ClientRecord::Seen &message : server.messages) {
            const auto known = m_reference.constFind(message.id);
            if (known == m_reference.cend()) {
                m_reference.insert(message.id, message.key);
                firstHolder.insert(message.id, server.name);
            } else if (*known != message.key) {
                add(QStringLiteral("id-disagreement"), sentAt(message.key), server.name,
                    QStringLiteral("id %1 is %2 on %3 but %4 on %5")
                            .arg(message.id)
                            .arg(*known, firstHolder.value(message.id), message.key, server.name),
                    message.id);
            }
            const auto knownId = m_referenceId.constFind(message.key);
            if (knownId == m_referenceId.cend()) {
                m_referenceId.insert(message.key, message.id);
                keyHolder.insert(message.key, server.name);
            } else if (*knownId != message.id && keyHolder.value(message.key) != server.name) {
                add(QStringLiteral("id-disagreement"), sentAt(message.key), server.name,
                    QStringLiteral("%1 is id %2 on %3 but id %4 on %5")
                            .arg(message.key)
                            .arg(*knownId)
                            .arg(keyHolder.value(message.key))
                            .arg(message.id)
                            .arg(server.name),
                    message.id);
            }
        }
    }
    for (const ServerHistory &server : m_servers) {
        if (!server.fetched)
            continue;
        QSet<qint64> ids;
        for (const ClientRecord::Seen &message : server.messages)
            ids.insert(message.id);
        for (auto it = m_reference.cbegin(); it != m_reference.cend(); ++it) {
            if (!ids.contains(it.key())) {
                add(QStringLiteral("server-missing"), sentAt(it.value()), server.name,
                    QStringLiteral("%1 lacks %2, which %3 holds")
                            .arg(server.name, describeId(it.key()), firstHolder.value(it.key())),
                    it.key());
            }
        }
    }
}

void HistoryChecker::checkClientWithIds(const ClientRecord &client)
{
    QHash<qint64, const ClientRecord::Seen *> byId;
    QHash<QString, qint64> idOf;
    qint64 last = 0;
    for (const ClientRecord::Seen &seen : client.seen) {
        const QString whereSeen = QStringLiteral("connection %1 to server %2%3")
                                          .arg(seen.connection)
                                          .arg(seen.server + 1)
                                          .arg(seen.replay ? QStringLiteral(", in a replay") : QString());
        // A welcome that said historyComplete: false (for a since past the server's last id,
        // "forget old ids") explains a replay of what the client had, without excusing it.
        QString warning;
        for (const ClientRecord::Incomplete &incomplete : client.incomplete) {
            if (incomplete.connection == seen.connection && seen.replay)
                warning = u' ' + incomplete.why;
        }
        const QString where = whereSeen + warning;
        if (const auto *earlier = byId.value(seen.id)) {
            add(QStringLiteral("client-duplicate"), seen.atMs, client.name,
                QStringLiteral("%1 received %2 twice: on connection %3 to server %4 at %5 and on %6")
                        .arg(client.name, describeId(seen.id))
                        .arg(earlier->connection)
                        .arg(earlier->server + 1)
                        .arg(Timeline::stamp(earlier->atMs), where),
                seen.id);
            continue;
        }
        if (seen.id < last) {
            add(QStringLiteral("client-order"), seen.atMs, client.name,
                QStringLiteral("%1 received %2 after id %3 (%4)")
                        .arg(client.name, describeId(seen.id))
                        .arg(last)
                        .arg(where),
                seen.id);
        }
        last = qMax(last, seen.id);
        byId.insert(seen.id, &seen);
        const auto otherId = idOf.constFind(seen.key);
        if (otherId != idOf.cend()) {
            add(QStringLiteral("client-duplicate"), seen.atMs, client.name,
                QStringLiteral("%1 received %2 as id %3 and again as id %4 (%5)")
                        .arg(client.name, seen.key)
                        .arg(*otherId)
                        .arg(seen.id)
                        .arg(where),
                seen.id);
        }
        idOf.insert(seen.key, seen.id);
        const auto reference = m_reference.constFind(seen.id);
        if (reference == m_reference.cend()) {
            add(QStringLiteral("client-phantom"), seen.atMs, client.name,
                QStringLiteral("%1 received id %2 (%3) on %4; no server's history has that id%5")
                        .arg(client.name)
                        .arg(seen.id)
                        .arg(seen.key, where,
                             m_referenceId.contains(seen.key) ? QStringLiteral(" (they hold %1 as id %2)")
                                                                        .arg(seen.key)
                                                                        .arg(m_referenceId.value(seen.key))
                                                              : QString()),
                seen.id);
        } else if (*reference != seen.key) {
            add(QStringLiteral("client-mismatch"), seen.atMs, client.name,
                QStringLiteral("%1 received id %2 as %3 on %4; the servers hold %5 under that id")
                        .arg(client.name)
                        .arg(seen.id)
                        .arg(seen.key, where, *reference),
                seen.id);
        }
    }
    if (byId.isEmpty())
        return;
    // No gap between the first and the last message it received (resumes use since).
    qint64 first = std::numeric_limits<qint64>::max();
    for (qint64 id : byId.keys())
        first = qMin(first, id);
    int gaps = 0;
    for (auto it = m_reference.lowerBound(first); it != m_reference.cend() && it.key() <= last; ++it) {
        if (byId.contains(it.key()))
            continue;
        // Excused when a welcome said that messages after its since were no longer there (or an
        // IRC catch-up stopped before the end): up to the first id above since that the
        // connection got.
        bool excused = false;
        for (const ClientRecord::Incomplete &incomplete : client.incomplete) {
            qint64 firstOfConnection = std::numeric_limits<qint64>::max();
            for (const ClientRecord::Seen &seen : client.seen) {
                if (seen.connection == incomplete.connection && seen.id > incomplete.since)
                    firstOfConnection = qMin(firstOfConnection, seen.id);
            }
            if (it.key() > incomplete.since && it.key() < firstOfConnection)
                excused = true;
        }
        if (excused || ++gaps > 1)
            continue;
        qint64 nextSeen = last;
        for (qint64 id : byId.keys()) {
            if (id > it.key())
                nextSeen = qMin(nextSeen, id);
        }
        const ClientRecord::Seen *next = byId.value(nextSeen);
        add(QStringLiteral("client-gap"), next ? next->atMs : sentAt(it.value()), client.name,
            QStringLiteral("%1 never received %2, although it received ids %3 to %4 (the next one it got: "
                           "id %5, on connection %6 to server %7)")
                    .arg(client.name, describeId(it.key()))
                    .arg(first)
                    .arg(last)
                    .arg(nextSeen)
                    .arg(next ? next->connection : 0)
                    .arg(next ? next->server + 1 : 0),
            it.key());
    }
}

void HistoryChecker::checkPlainClient(const ClientRecord &client)
{
    // Per connection: each message once, in the servers' order.
    QHash<QString, const ClientRecord::Seen *> seenOn;
    int connection = -1;
    qint64 lastId = 0;
    QString lastKey;
    for (const ClientRecord::Seen &seen : client.seen) {
        if (seen.connection != connection) {
            connection = seen.connection;
            seenOn.clear();
            lastId = 0;
        }
        const QString where =
                QStringLiteral("connection %1 to server %2").arg(seen.connection).arg(seen.server + 1);
        if (seenOn.contains(seen.key)) {
            add(QStringLiteral("client-duplicate"), seen.atMs, client.name,
                QStringLiteral("%1 received %2 twice on %3 (at %4 and %5)")
                        .arg(client.name, seen.key, where, Timeline::stamp(seenOn.value(seen.key)->atMs),
                             Timeline::stamp(seen.atMs)),
                m_referenceId.value(seen.key, -1));
            continue;
        }
        seenOn.insert(seen.key, &seen);
        const auto id = m_referenceId.constFind(seen.key);
        if (id == m_referenceId.cend()) {
            add(QStringLiteral("client-phantom"), seen.atMs, client.name,
                QStringLiteral("%1 received %2 on %3; no server's history holds it")
                        .arg(client.name, seen.key, where));
            continue;
        }
        if (*id < lastId) {
            add(QStringLiteral("client-order"), seen.atMs, client.name,
                QStringLiteral("%1 received %2 after %3 on %4")
                        .arg(client.name, describeId(*id), describeId(lastId), where),
                *id);
        }
        lastId = qMax(lastId, *id);
        lastKey = seen.key;
    }
}

void HistoryChecker::checkFinalHistory(const ClientRecord &client)
{
    if (!client.finalFetched) {
        add(QStringLiteral("final-fetch"), m_timeline.now(), client.name,
            QStringLiteral("%1 could not read the history at the end: %2")
                    .arg(client.name, client.finalProblem));
        return;
    }
    auto reference = m_reference.cbegin();
    for (qsizetype i = 0;; ++i) {
        const bool clientEnd = i >= client.finalHistory.size();
        const bool referenceEnd = reference == m_reference.cend();
        if (clientEnd && referenceEnd)
            return;
        const qint64 server = client.finalHistory.value(i).server + 1;
        if (clientEnd) {
            add(QStringLiteral("final-history"), sentAt(reference.value()), client.name,
                QStringLiteral("%1's final history (from server %2) ends before %3")
                        .arg(client.name)
                        .arg(client.finalHistory.isEmpty() ? 0 : client.finalHistory.constLast().server + 1)
                        .arg(describeId(reference.key())),
                reference.key());
            return;
        }
        const ClientRecord::Seen &message = client.finalHistory.at(i);
        if (referenceEnd || message.id != reference.key() || message.key != reference.value()) {
            add(QStringLiteral("final-history"), sentAt(message.key), client.name,
                QStringLiteral("%1's final history (from server %2) has id %3 (%4) where the servers' "
                               "history has %5")
                        .arg(client.name)
                        .arg(server)
                        .arg(message.id)
                        .arg(message.key,
                             referenceEnd ? QStringLiteral("nothing more") : describeId(reference.key())),
                message.id);
            return;
        }
        ++reference;
    }
}

void HistoryChecker::checkAcknowledged(const ClientRecord &client)
{
    for (const QString &key : client.sendOrder) {
        const ClientRecord::Send &send = client.sent.value(key);
        if (!send.acked)
            continue;
        for (const ServerHistory &server : m_servers) {
            if (!server.fetched)
                continue;
            int count = 0;
            qint64 id = -1;
            for (const ClientRecord::Seen &message : server.messages) {
                if (message.key == key) {
                    ++count;
                    id = message.id;
                }
            }
            if (count == 0) {
                add(QStringLiteral("ack-lost"), send.ackedMs, client.name,
                    QStringLiteral("%1's %2, acknowledged (%3, id %4) at %5, is not in %6's history")
                            .arg(client.name, key, send.ackedBy)
                            .arg(send.ackedId)
                            .arg(Timeline::stamp(send.ackedMs), server.name),
                    send.ackedId);
            } else if (count == 1 && send.ackedId >= 0 && id != send.ackedId) {
                add(QStringLiteral("ack-id"), send.ackedMs, client.name,
                    QStringLiteral("%1's %2 was acknowledged (%3) as id %4, but %5 holds it as id %6")
                            .arg(client.name, key, send.ackedBy)
                            .arg(send.ackedId)
                            .arg(server.name)
                            .arg(id),
                    send.ackedId);
            }
        }
    }
}

void HistoryChecker::report() const
{
    int sent = 0, acked = 0, bySent = 0, resent = 0, finals = 0, json = 0, irc = 0, cidRefused = 0;
    int overlaps = 0, ircUnacked = 0, ircUnackedPosted = 0;
    for (const ClientRecord &client : m_clients) {
        json += client.json ? 1 : 0;
        irc += client.irc ? 1 : 0;
        overlaps += client.overlaps;
        for (const ClientRecord::Send &send : client.sent) {
            if (!client.irc || send.acked)
                continue;
            ++ircUnacked;
            ircUnackedPosted += m_referenceId.contains(send.key) ? 1 : 0;
        }
        finals += client.finalFetched ? 1 : 0;
        cidRefused += client.cidRefused ? 1 : 0;
        for (const ClientRecord::Send &send : client.sent) {
            ++sent;
            acked += send.acked ? 1 : 0;
            bySent += send.ackedBy == u"sent" ? 1 : 0;
            resent += send.attempts > 1 ? 1 : 0;
        }
    }
    QStringList histories;
    for (const ServerHistory &server : m_servers)
        histories.append(server.fetched ? QString::number(server.messages.size()) : QStringLiteral("unread"));
    print(QStringLiteral(
                  "checked: %1 servers' histories (%2 messages), %3 clients (%4 JSON, %5 plain, %6 IRC), "
                  "%7 messages sent (%8 sent more than once), %9 acknowledged (%10 by `sent`), %11 "
                  "deliveries, %12 final histories")
                  .arg(m_servers.size())
                  .arg(histories.join(u", "))
                  .arg(m_clients.size())
                  .arg(json)
                  .arg(m_clients.size() - json - irc)
                  .arg(irc)
                  .arg(sent)
                  .arg(resent)
                  .arg(acked)
                  .arg(bySent)
                  .arg(m_deliveries)
                  .arg(finals));
    QStringList perClient;
    for (const ClientRecord &client : m_clients) {
        int clientAcked = 0;
        for (const ClientRecord::Send &send : client.sent)
            clientAcked += send.acked ? 1 : 0;
        perClient.append(client.sends ? QStringLiteral("%1 %2/%3/%4")
                                                .arg(client.name)
                                                .arg(client.sent.size())
                                                .arg(clientAcked)
                                                .arg(client.connections)
                                      : QStringLiteral("%1 -/-/%2").arg(client.name).arg(client.connections));
    }
    print(QStringLiteral("per client (sent/acknowledged/connections): ") + perClient.join(u", "));
    if (cidRefused > 0)
        print(QStringLiteral("note: %1 client(s) found a server that refuses cid and fell back to sending "
                             "without it (no exactly-once from the server)")
                      .arg(cidRefused));
    if (ircUnacked > 0)
        print(QStringLiteral(
                      "note: %1 IRC message(s) were never acknowledged (the connection was lost before "
                      "the echo, and no catch-up showed them); IRC clients do not send again, having "
                      "no cid; %2 of them are in the servers' history")
                      .arg(ircUnacked)
                      .arg(ircUnackedPosted));
    if (overlaps > 0)
        print(QStringLiteral("note: %1 live IRC message(s) were left out as the overlap with the CHATHISTORY "
                             "catch-up just before (a client removes it by msgid)")
                      .arg(overlaps));
    int foreign = 0;
    for (const ServerHistory &server : m_servers)
        foreign = qMax(foreign, server.foreign);
    if (foreign > 0)
        print(QStringLiteral("note: %1 message(s) in the histories are plain lines cut short by a dropped "
                             "connection (a last line without LF is a line all the same); left out")
                      .arg(foreign));
    if (m_violations.isEmpty()) {
        print(QStringLiteral("no violation"));
        return;
    }
    QStringList counts;
    for (auto it = m_counts.cbegin(); it != m_counts.cend(); ++it)
        counts.append(QStringLiteral("%1 %2").arg(it.key()).arg(it.value()));
    print(QStringLiteral("VIOLATIONS: %1 (%2)").arg(m_violations.size()).arg(counts.join(u", ")));
    print(QStringLiteral("the first of each kind:"));
    QSet<QString> shown;
    for (const Violation &violation : m_violations) {
        if (shown.contains(violation.kind))
            continue;
        shown.insert(violation.kind);
        print(QStringLiteral("  [%1] %2: %3")
                      .arg(Timeline::stamp(violation.atMs), violation.kind, violation.text));
    }
    const Violation &first = m_violations.constFirst();
    print(QStringLiteral("FIRST VIOLATION at %1 (%2): %3")
                  .arg(Timeline::stamp(first.atMs), first.kind, first.text));
    printContext(first);
}

void HistoryChecker::printContext(const Violation &violation) const
{
    // The message the violation is about, and every id a server holds it under.
    const QString key = m_reference.value(violation.aroundId);
    QList<qint64> ids{ violation.aroundId };
    if (!key.isEmpty()) {
        for (const ServerHistory &server : m_servers) {
            for (const ClientRecord::Seen &message : server.messages) {
                if (message.key == key && !ids.contains(message.id))
                    ids.append(message.id);
            }
        }
        std::sort(ids.begin(), ids.end());
        for (const ClientRecord &client : m_clients) {
            const auto send = client.sent.constFind(key);
            if (send == client.sent.cend())
                continue;
            print(QStringLiteral("  %1 was sent by %2 at %3, %4 time(s); %5")
                          .arg(key, client.name, Timeline::stamp(send->firstSentMs))
                          .arg(send->attempts)
                          .arg(send->acked ? QStringLiteral("acknowledged (%1, id %2) at %3")
                                                     .arg(send->ackedBy)
                                                     .arg(send->ackedId)
                                                     .arg(Timeline::stamp(send->ackedMs))
                                           : QStringLiteral("never acknowledged")));
        }
    }
    for (qint64 around : std::as_const(ids)) {
        if (around < 0 || m_reference.isEmpty() || ids.indexOf(around) > 2)
            continue;
        print(QStringLiteral("  the servers' histories around id %1 (id, message, the servers that hold it "
                             "under that id; =X: as X):")
                      .arg(around));
        auto it = m_reference.lowerBound(around);
        for (int i = 0; i < 4 && it != m_reference.cbegin(); ++i)
            --it;
        for (int i = 0; i < 9 && it != m_reference.cend(); ++i, ++it) {
            QStringList holders;
            for (const ServerHistory &server : m_servers) {
                for (const ClientRecord::Seen &message : server.messages) {
                    if (message.id == it.key()) {
                        holders.append(message.key == it.value() ? server.name.mid(7)
                                                                 : server.name.mid(7) + u'=' + message.key);
                        break;
                    }
                }
            }
            print(QStringLiteral("    %1 %2 %3  servers %4")
                          .arg(it.key() == around ? QStringLiteral(">") : QStringLiteral(" "))
                          .arg(it.key(), 6)
                          .arg(it.value(), -8)
                          .arg(holders.join(u' ')));
        }
    }
    for (const ClientRecord &client : m_clients) {
        if (client.name != violation.who)
            continue;
        // The delivery the violation is about (the last of its id by then), or the last before.
        qsizetype at = -1;
        qsizetype exact = -1;
        for (qsizetype i = 0; i < client.seen.size(); ++i) {
            if (client.seen.at(i).atMs <= violation.atMs) {
                at = i;
                if (client.seen.at(i).id == violation.aroundId)
                    exact = i;
            }
        }
        if (exact >= 0)
            at = exact;
        print(QStringLiteral("  what %1 received around then (time, connection, server, id, message):")
                      .arg(client.name));
        for (qsizetype i = qMax<qsizetype>(0, at - 5); i < qMin(client.seen.size(), at + 4); ++i) {
            const ClientRecord::Seen &seen = client.seen.at(i);
            print(QStringLiteral("    %1 [%2] #%3 server %4 id %5 %6%7")
                          .arg(i == at ? QStringLiteral(">") : QStringLiteral(" "))
                          .arg(Timeline::stamp(seen.atMs))
                          .arg(seen.connection)
                          .arg(seen.server + 1)
                          .arg(seen.id)
                          .arg(seen.key, seen.replay ? QStringLiteral(" (replay)") : QString()));
        }
    }
    // The faults, and what the clients involved did (connections, drops), around then.
    QStringList involved{ violation.who };
    if (!key.isEmpty())
        involved.append(key.section(u'-', 0, 0));
    print(QStringLiteral("  the timeline from 15 s before to 5 s after (faults; connections of %1):")
                  .arg(involved.join(QStringLiteral(" and "))));
    for (const Timeline::Entry &entry : m_timeline.between(violation.atMs - 15000, violation.atMs + 5000)) {
        if (entry.subject.isEmpty() || involved.contains(entry.subject))
            print(QStringLiteral("    [%1] %2").arg(Timeline::stamp(entry.atMs), entry.text));
    }
}
