#include "admission.h"

#include "clientsession.h"
#include "serverlog.h"
#include "textsanitizer.h"

#include <QCryptographicHash>

Admission::Admission(const ChatLimits &limits) : m_limits(limits)
{
    m_clock.start();
}

QString Admission::addressKey(const QHostAddress &address)
{
    // One IPv6 user usually has a whole /64: count it as one address.
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        Q_IPV6ADDR bytes = address.toIPv6Address();
        std::fill(bytes.c + 8, bytes.c + 16, quint8(0));
        return QHostAddress(bytes).toString() + u"/64";
    }
    return address.toString();
}

QDateTime Admission::bannedSince(const QHostAddress &address) const
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    for (const Ban &ban : m_bans) {
        if (ban.address == plain)
            return ban.since;
    }
    return QDateTime();
}

QList<QHostAddress> Admission::bans() const
{
    QList<QHostAddress> addresses;
    addresses.reserve(m_bans.size());
    for (const Ban &ban : m_bans)
        addresses.append(ban.address);
    return addresses;
}

bool Admission::addBan(const QHostAddress &address, const QDateTime &since)
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    if (plain.isNull() || isBanned(plain))
        return false;
    m_bans.append({ plain, since });
    return true;
}

bool Admission::removeBan(const QHostAddress &address)
{
    const QHostAddress plain = ClientSession::plainAddress(address);
    return m_bans.removeIf([&plain](const Ban &ban) { return ban.address == plain; }) > 0;
}

Refusal::Reason Admission::admit(const QHostAddress &address, int busy)
{
    const QString key = addressKey(address);
    if (isBanned(address))
        return Refusal::Reason::Banned;
    if (m_limits.maxPerAddress > 0 && m_connectionsFrom.value(key) >= m_limits.maxPerAddress)
        return Refusal::Reason::TooManyConnections;
    if (m_limits.maxConnectsPerMinute > 0) {
        // The times of this address's recent connections, the last minute's only.
        std::deque<qint64> &times = m_recentConnects[key];
        const qint64 now = m_clock.elapsed();
        while (!times.empty() && times.front() <= now - 60000)
            times.pop_front();
        if (int(times.size()) >= m_limits.maxConnectsPerMinute)
            return Refusal::Reason::TooManyNewConnections;
        times.push_back(now);
    }
    if (busy >= m_limits.maxClients)
        return Refusal::Reason::ServerFull;
    ++m_connectionsFrom[key];
    return Refusal::Reason::None;
}

void Admission::release(const QHostAddress &address)
{
    const QString key = addressKey(address);
    if (--m_connectionsFrom[key] <= 0)
        m_connectionsFrom.remove(key);
}

bool Admission::noteRefusal(const QString &key)
{
    // One line a minute per address: refusals come as fast as an attacker can connect, and
    // the log must not grow with them.
    auto it = m_refusalLog.find(key);
    if (it == m_refusalLog.end()) {
        m_refusalLog.insert(key, { m_clock.elapsed(), 0 });
        return true;
    }
    ++it->suppressed;
    return false;
}

void Admission::summariseRefusals()
{
    const qint64 minuteAgo = m_clock.elapsed() - 60000;
    for (auto it = m_refusalLog.begin(); it != m_refusalLog.end();) {
        if (it->sinceMs > minuteAgo) {
            ++it;
            continue;
        }
        if (it->suppressed > 0)
            qCWarning(lcServer, "%s",
                      qUtf8Printable(ServerLog::tr("refused %n more connection(s) from %1 in the last minute",
                                                   nullptr, it->suppressed)
                                             .arg(it.key())));
        it = m_refusalLog.erase(it);
    }
}

Admission::PasswordVerdict Admission::checkPassword(const QHostAddress &address, const QString &given,
                                                    const QString &wanted)
{
    const QString key = addressKey(address);
    const qint64 now = m_clock.elapsed();
    // Only an address that gave a wrong password is remembered.
    AuthFailures failures = m_authFailures.value(key);
    if (now - failures.lastMs > ChatLimits::passwordFailureMemoryMs)
        failures = AuthFailures();
    if (failures.nextAnswerMs > now)
        return { PasswordVerdict::Kind::Wait, int(failures.nextAnswerMs - now) };
    // Compared as digests, byte by byte to the end: the time taken says nothing about how
    // much of a guess was right. As a plain client can type it: what the sanitiser takes out
    // of a line does not count.
    const QByteArray givenDigest =
            QCryptographicHash::hash(TextSanitizer::clean(given).toUtf8(), QCryptographicHash::Sha256);
    const QByteArray wantedDigest =
            QCryptographicHash::hash(TextSanitizer::clean(wanted).toUtf8(), QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < wantedDigest.size(); ++i)
        difference |= static_cast<unsigned char>(givenDigest.at(i) ^ wantedDigest.at(i));
    if (difference == 0)
        return { PasswordVerdict::Kind::Right, 0 };
    // Each failure from an address makes the next answer to it slower: 1 s, 2 s, 4 s ... 30 s.
    failures.lastMs = now;
    const int delay =
            int(qMin<qint64>(ChatLimits::maxPasswordDelayMs, qint64(1000) << qMin(failures.count++, 5)));
    failures.nextAnswerMs = now + delay;
    m_authFailures.insert(key, failures);
    return { PasswordVerdict::Kind::Wrong, delay };
}

void Admission::expire()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_authFailures.begin(); it != m_authFailures.end();) {
        if (now - it->lastMs > ChatLimits::passwordFailureMemoryMs)
            it = m_authFailures.erase(it);
        else
            ++it;
    }
    summariseRefusals();
    const qint64 minuteAgo = now - 60000;
    for (auto it = m_recentConnects.begin(); it != m_recentConnects.end();) {
        if (it->second.empty() || it->second.back() <= minuteAgo)
            it = m_recentConnects.erase(it);
        else
            ++it;
    }
}
