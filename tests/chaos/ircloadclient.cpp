#include "ircloadclient.h"

#include "ircline.h"
#include "timeline.h"

namespace {

constexpr int maxUnacknowledged = 2;
constexpr int silenceLimitMs = 5000; // no PONG this long: the server is gone, go elsewhere
// Pages a catch-up reads before it gives up on the rest (and says so), and pages of the final
// read: bounds, far above what a run sends between two connections or in all.
constexpr int maxCatchUpPages = 20;
constexpr int maxFinalPages = 1000;
constexpr int finalTimeoutMs = 30000;
const QString room = QStringLiteral("#general");
// What the harness needs of the server, and why: msgid (ids), echo-message (acknowledgements),
// batch and draft/chathistory (catching up), server-time (as clients ask for it).
const QStringList wantedCaps{ QStringLiteral("message-tags"), QStringLiteral("server-time"),
                              QStringLiteral("batch"), QStringLiteral("echo-message"),
                              QStringLiteral("draft/chathistory") };

} // namespace

IrcLoadClient::IrcLoadClient(int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts,
                             bool randomDrops, Timeline *timeline, QObject *parent)
    : LoadConnection(u'i', index, sends, seed, proxyPorts, randomDrops, timeline, parent)
{
    m_record.json = false;
    m_record.irc = true;
    m_keepAliveTimer.setInterval(1000);
    connect(&m_keepAliveTimer, &QTimer::timeout, this, &IrcLoadClient::keepAlive);
    m_finalDeadline.setSingleShot(true);
    connect(&m_finalDeadline, &QTimer::timeout, this,
            [this] { endFinal(false, QStringLiteral("not read within %1 s").arg(finalTimeoutMs / 1000)); });
}

IrcLoadClient::~IrcLoadClient() = default;

void IrcLoadClient::start()
{
    LoadConnection::start();
    m_keepAliveTimer.start();
}

void IrcLoadClient::beginConnection()
{
    m_phase = Phase::Registering;
    m_nick = QStringLiteral("%1-c%2").arg(m_record.name).arg(m_record.connections + 1);
    m_nickTries = 0;
    m_offered.clear();
    m_historyBatch.clear();
    m_page.clear();
    m_catchUpIds.clear();
    m_held.clear();
    m_inFlight.clear();
    m_lastHeard = m_timeline->now();
}

QString IrcLoadClient::connectionDetail() const
{
    return QStringLiteral("IRC, connection %1, after msgid %2").arg(m_record.connections).arg(m_lastId);
}

void IrcLoadClient::greet()
{
    // CAP LS first: the request names only what the server offers (a CAP REQ is all or
    // nothing), and the welcome waits for CAP END.
    write("CAP LS 302");
    write("NICK " + m_nick.toUtf8());
    write("USER " + m_record.name.toUtf8() + " 0 * :groupchat-chaos IRC client");
}

void IrcLoadClient::lost(const QString &why)
{
    // What was sent and not acknowledged is not sent again (see the class comment); the next
    // catch-up may still show it.
    m_inFlight.clear();
    if (m_finishing) {
        endFinal(false, QStringLiteral("lost the connection to server %1: %2").arg(m_server + 1).arg(why));
        return;
    }
    reconnectIn(200, 1000);
}

void IrcLoadClient::write(const QByteArray &line)
{
    if (isConnected())
        m_socket->write(line + "\r\n");
}

void IrcLoadClient::handleLine(const QByteArray &line)
{
    QByteArray chopped = line;
    while (chopped.endsWith('\n') || chopped.endsWith('\r'))
        chopped.chop(1);
    m_lastHeard = m_timeline->now();
    const IrcLine parsed = IrcLine::parse(chopped);
    if (!parsed.command.isEmpty())
        handle(parsed);
}

void IrcLoadClient::handle(const IrcLine &line)
{
    const QString &command = line.command;
    if (command == u"PING") {
        write("PONG :" + line.param(0).toUtf8());
    } else if (command == u"CAP") {
        handleCap(line);
    } else if (command == u"001") {
        m_nick = line.param(0);
    } else if (command == u"005") {
        for (const QString &token : line.params) {
            if (token.startsWith(QLatin1String("CHATHISTORY="))) {
                const int limit = token.mid(12).toInt();
                if (limit > 0)
                    m_historyLimit = limit;
            }
        }
    } else if (command == u"433" && m_phase == Phase::Registering && m_nickTries < 5) {
        // Taken (this client's earlier connection, not yet gone on a frozen server, say).
        m_nick = QStringLiteral("%1-c%2-%3").arg(m_record.name).arg(m_record.connections).arg(++m_nickTries);
        write("NICK " + m_nick.toUtf8());
    } else if (command == u"NICK" && line.sourceNick == m_nick) {
        m_nick = line.param(0); // renamed by the cluster (two servers gave the nick away)
    } else if (command == u"JOIN" && line.sourceNick == m_nick &&
               line.param(0).compare(room, Qt::CaseInsensitive) == 0 && m_phase == Phase::Registering) {
        joined();
    } else if (command == u"BATCH") {
        const QString reference = line.param(0);
        if (reference.startsWith(u'+') && line.param(1) == u"chathistory") {
            m_historyBatch = reference.mid(1);
            m_page.clear();
            m_pageLines = 0;
            m_pageLastId = 0;
        } else if (reference.startsWith(u'-') && reference.mid(1) == m_historyBatch &&
                   !m_historyBatch.isEmpty()) {
            m_historyBatch.clear();
            pageEnded();
        }
    } else if (command == u"PRIVMSG") {
        handleMessage(line);
    } else if (command == u"FAIL" && line.param(0) == u"CHATHISTORY") {
        m_timeline->note(QStringLiteral("%1: server %2 answers CHATHISTORY with %3")
                                 .arg(m_record.name)
                                 .arg(m_server + 1)
                                 .arg(Timeline::escaped(line.params.join(u' '))));
        m_historyBatch.clear();
        if (m_phase == Phase::CatchingUp) {
            m_record.incomplete.append(
                    { m_lastId, m_record.connections, QStringLiteral("whose CHATHISTORY failed") });
            goLive();
        } else if (m_phase == Phase::FinalHistory) {
            endFinal(false,
                     QStringLiteral("CHATHISTORY failed: ") + Timeline::escaped(line.params.join(u' ')));
        }
    } else if (command == u"NOTICE" || command == u"ERROR") {
        m_timeline->detail(QStringLiteral("%1: %2 from server %3: %4")
                                   .arg(m_record.name, command)
                                   .arg(m_server + 1)
                                   .arg(Timeline::escaped(line.params.join(u' '))),
                           m_record.name);
    }
}

void IrcLoadClient::handleCap(const IrcLine &line)
{
    const QString sub = line.param(1);
    if (sub == u"LS") {
        // CAP LS 302 may come in several lines, each but the last with "*" before the list.
        const bool more = line.params.size() > 3 && line.param(2) == u"*";
        for (const QString &cap : line.params.constLast().split(u' ', Qt::SkipEmptyParts))
            m_offered.append(cap.section(u'=', 0, 0));
        if (more)
            return;
        QStringList request;
        for (const QString &cap : wantedCaps) {
            if (m_offered.contains(cap))
                request.append(cap);
            else
                m_timeline->note(QStringLiteral("%1: server %2 does not offer %3")
                                         .arg(m_record.name)
                                         .arg(m_server + 1)
                                         .arg(cap));
        }
        if (request.isEmpty())
            write("CAP END");
        else
            write("CAP REQ :" + request.join(u' ').toUtf8());
    } else if (sub == u"ACK") {
        write("CAP END");
    } else if (sub == u"NAK") {
        m_timeline->note(QStringLiteral("%1: server %2 refuses the capabilities %3")
                                 .arg(m_record.name)
                                 .arg(m_server + 1)
                                 .arg(Timeline::escaped(line.params.constLast())));
        write("CAP END");
    }
}

void IrcLoadClient::joined()
{
    if (m_finishing && m_lastId == 0) {
        m_phase = Phase::FinalHistory;
        m_pages = 0;
        requestPage(QStringLiteral("timestamp=1970-01-01T00:00:00.000Z"));
        return;
    }
    if (m_lastId > 0) {
        m_phase = Phase::CatchingUp;
        m_pages = 0;
        requestPage(QStringLiteral("msgid=%1").arg(m_lastId));
        return;
    }
    goLive();
}

void IrcLoadClient::requestPage(const QString &reference)
{
    ++m_pages;
    write(QStringLiteral("CHATHISTORY AFTER %1 %2 %3").arg(room, reference).arg(m_historyLimit).toUtf8());
}

void IrcLoadClient::pageEnded()
{
    const QList<ClientRecord::Seen> page = std::exchange(m_page, {});
    // Counted in lines, not in the messages this client knows: a page whose last lines are
    // foreign is full all the same, and the next page begins after them.
    const bool full = m_pageLines >= m_historyLimit;
    const QString next = QStringLiteral("msgid=%1").arg(m_pageLastId);
    if (m_phase == Phase::CatchingUp) {
        for (const ClientRecord::Seen &seen : page) {
            m_catchUpIds.insert(seen.id);
            recordSeen(seen);
        }
        if (full && m_pages < maxCatchUpPages) {
            requestPage(next);
            return;
        }
        if (full) {
            // The rest is not read: the checker excuses what lies between the last id read
            // and the first this connection gets after it.
            m_record.incomplete.append(
                    { m_lastId, m_record.connections,
                      QStringLiteral("whose catch-up stopped after %1 CHATHISTORY pages").arg(m_pages) });
            m_timeline->note(QStringLiteral("%1: catch-up on server %2 stopped after %3 pages")
                                     .arg(m_record.name)
                                     .arg(m_server + 1)
                                     .arg(m_pages));
        }
        goLive();
    } else if (m_phase == Phase::FinalHistory) {
        for (ClientRecord::Seen seen : page) {
            seen.connection = m_record.connections;
            m_record.finalHistory.append(seen);
        }
        if (!full) {
            endFinal(true, QString());
        } else if (m_pages >= maxFinalPages) {
            endFinal(false, QStringLiteral("more than %1 pages of history").arg(maxFinalPages));
        } else {
            requestPage(next);
        }
    }
}

void IrcLoadClient::goLive()
{
    // What came live during the catch-up, after it; what the catch-up gave is the overlap.
    const QList<ClientRecord::Seen> held = std::exchange(m_held, {});
    for (const ClientRecord::Seen &seen : held) {
        if (m_catchUpIds.contains(seen.id))
            ++m_record.overlaps;
        else
            recordSeen(seen);
    }
    if (m_finishing) {
        m_phase = Phase::FinalHistory;
        m_pages = 0;
        requestPage(QStringLiteral("timestamp=1970-01-01T00:00:00.000Z"));
        return;
    }
    m_phase = Phase::Live;
    if (m_sending) {
        sendIn(0, 300);
        dropIn(4000, 11000);
    }
}

ClientRecord::Seen IrcLoadClient::seenFrom(const IrcLine &line, bool replay) const
{
    ClientRecord::Seen seen;
    bool ok = false;
    const qint64 id = line.tags.value(QStringLiteral("msgid")).toLongLong(&ok);
    seen.id = ok ? id : -1; // none, or not a number: a phantom to the checker
    seen.key = ClientRecord::keyOf(line.param(1));
    seen.atMs = m_timeline->now();
    seen.connection = m_record.connections;
    seen.server = m_server;
    seen.replay = replay;
    return seen;
}

void IrcLoadClient::handleMessage(const IrcLine &line)
{
    if (line.param(0).compare(room, Qt::CaseInsensitive) != 0)
        return;
    const bool inHistory =
            !m_historyBatch.isEmpty() && line.tags.value(QStringLiteral("batch")) == m_historyBatch;
    const ClientRecord::Seen seen = seenFrom(line, inHistory);
    if (inHistory) {
        ++m_pageLines;
        m_pageLastId = qMax(m_pageLastId, seen.id);
    }
    if (seen.key.isEmpty()) {
        ++m_record.foreign;
        return;
    }
    if (inHistory) {
        m_page.append(seen);
    } else if (m_phase == Phase::CatchingUp || m_phase == Phase::Registering) {
        m_held.append(seen);
    } else if (m_catchUpIds.contains(seen.id)) {
        ++m_record.overlaps; // the catch-up had it; it was on its way live as well
    } else {
        recordSeen(seen);
    }
}

void IrcLoadClient::recordSeen(const ClientRecord::Seen &seen)
{
    m_record.seen.append(seen);
    m_lastId = qMax(m_lastId, seen.id);
    if (seen.key.startsWith(m_prefix))
        acknowledge(seen.key, seen.id, seen.replay ? QStringLiteral("history") : QStringLiteral("echo"));
}

void IrcLoadClient::acknowledge(const QString &key, qint64 id, const QString &by)
{
    m_inFlight.remove(key);
    if (markAcknowledged(key, id, by, m_timeline->now()) && m_sending && m_phase == Phase::Live &&
        !m_sendTimer.isActive())
        sendIn(100, 300);
}

void IrcLoadClient::sendNext()
{
    if (!m_sending || m_phase != Phase::Live)
        return;
    if (m_inFlight.size() < maxUnacknowledged) {
        const QString key = addSend(1);
        m_inFlight.insert(key);
        // " end" as for plain lines: a line cut short by a drop fault is posted all the same.
        write(QStringLiteral("PRIVMSG %1 :%2 end").arg(room, key).toUtf8());
    }
    sendIn(100, 300);
}

void IrcLoadClient::keepAlive()
{
    if (!m_socket || m_phase == Phase::Done)
        return;
    const qint64 now = m_timeline->now();
    if (now - m_lastHeard > silenceLimitMs) {
        drop(m_phase == Phase::Registering
                     ? QStringLiteral("not in %1 within %2 s").arg(room).arg(silenceLimitMs / 1000)
                     : QStringLiteral("no answer for %1 s").arg(silenceLimitMs / 1000));
        return;
    }
    if (m_phase != Phase::Registering)
        write("PING :" + QByteArray::number(++m_pingCounter));
}

void IrcLoadClient::finish(const QList<quint16> &directPorts)
{
    stopForGood();
    m_finalDeadline.start(finalTimeoutMs);
    const int server = m_random.bounded(int(directPorts.size()));
    openConnection(directPorts.at(server), server);
}

void IrcLoadClient::endFinal(bool ok, const QString &problem)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    m_finalDeadline.stop();
    m_keepAliveTimer.stop();
    m_record.finalFetched = ok;
    m_record.finalProblem = problem;
    closeSocket();
    Q_EMIT finished();
}
