#pragma once

#include "chatlimits.h"
#include "refusal.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QString>

#include <deque>
#include <unordered_map>

// Who may come in, and how fast: the bans, the per-address limits (connections at once and new
// connections a minute, an IPv6 /64 counting as one address), the log of refusals (one line a
// minute per address) and the server password with its growing waits after wrong guesses.
// It knows addresses and counts only, no sessions: ChatServer asks it and acts.
class Admission
{
public:
    explicit Admission(const ChatLimits &limits);
    void setLimits(const ChatLimits &limits) { m_limits = limits; }

    // What per-address limits count by: the address, or an IPv6 address's /64.
    static QString addressKey(const QHostAddress &address);

    // Bans, by the address as people know it (ClientSession::plainAddress), oldest first.
    bool isBanned(const QHostAddress &address) const { return bannedSince(address).isValid(); }
    // When address was banned (UTC; invalid when it is not).
    QDateTime bannedSince(const QHostAddress &address) const;
    QList<QHostAddress> bans() const;
    // False when it was banned already (or is null).
    bool addBan(const QHostAddress &address, const QDateTime &since);
    // False when it was not banned.
    bool removeBan(const QHostAddress &address);
    int banCount() const { return int(m_bans.size()); }

    // Bans and the connection limits for a new connection from address, with busy connections
    // (clients and TLS handshakes) already served: None when it may come in (it is then
    // counted against its address until release()), otherwise why not.
    Refusal::Reason admit(const QHostAddress &address, int busy);
    void release(const QHostAddress &address);

    // Whether a refusal from key (an addressKey) is logged: the first in a minute is; the rest
    // are counted, and summariseRefusals() logs the count once the minute is over.
    bool noteRefusal(const QString &key);
    void summariseRefusals();

    // The password check for a client from address (empty wanted: none is needed). Compared as
    // digests, to the end; each wrong one makes the next answer to the address wait longer
    // (1 s, 2 s, 4 s ... ChatLimits::maxPasswordDelayMs), and before that wait is over nothing
    // is checked at all (Wait): a guesser learns nothing from a quick answer.
    struct PasswordVerdict
    {
        enum class Kind { Right, Wrong, Wait } kind = Kind::Right;
        int delayMs = 0; // Wrong: when to answer; Wait: when to check again
    };
    PasswordVerdict checkPassword(const QHostAddress &address, const QString &given, const QString &wanted);

    // Forgets failed passwords after a while and addresses that have not connected for a
    // minute. Called every few seconds.
    void expire();

private:
    ChatLimits m_limits;
    QElapsedTimer m_clock;
    struct Ban
    {
        QHostAddress address;
        QDateTime since;
    };
    QList<Ban> m_bans; // oldest first
    QHash<QString, int> m_connectionsFrom; // addressKey -> connections now
    std::unordered_map<QString, std::deque<qint64>> m_recentConnects; // addressKey -> times
    struct RefusalLog
    {
        qint64 sinceMs = 0; // the refusal that was logged
        int suppressed = 0; // refused since, not logged
    };
    QHash<QString, RefusalLog> m_refusalLog; // addressKey -> this minute's refusals
    struct AuthFailures
    {
        int count = 0;
        qint64 lastMs = 0;
        qint64 nextAnswerMs = 0; // no answer to the address before this
    };
    QHash<QString, AuthFailures> m_authFailures; // addressKey -> recent wrong passwords
};
