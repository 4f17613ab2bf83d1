#pragma once

#include "chatlimits.h"
#include "discoverymessage.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <functional>

class QUdpSocket;

// The server's half of LAN discovery without a daemon (docs/PROTOCOL.md, "Discovery"): answers
// each well-formed probe on a UDP port with the server's announcement, sent back to where the
// probe came from. It cannot be used to amplify traffic: a probe must be padded to
// DiscoveryMessage::minProbeBytes and an answer is never larger than the probe; answers are
// rate-limited per source and in all (ChatLimits). Anything else that arrives is dropped, and
// the first of each kind of refusal is logged (escaped) so that a flood costs one log line.
//
// Our own code rather than a library's: DNS-SD needs a daemon (Avahi) that servers and
// containers often do not run, and Qt has no discovery protocol of its own.
class DiscoveryResponder : public QObject
{
    Q_OBJECT

public:
    using AnnouncementSource = std::function<ServerAnnouncement()>;

    explicit DiscoveryResponder(QObject *parent = nullptr);
    ~DiscoveryResponder() override;

    // The rate limits (ChatLimits::discovery*); taken at once.
    void setLimits(const ChatLimits &limits);
    // What an answer says, asked for each answer (the people online change).
    void setAnnouncementSource(AnnouncementSource source);
    // Answers only probes from loopback addresses: for a server that listens on loopback only,
    // which others on the LAN could not reach anyway.
    void setLoopbackOnly(bool loopbackOnly);

    // Listens for probes on UDP port (0: a free one; port() says which) on every IPv4 address,
    // sharing the port with other servers on this machine (each answers broadcast probes).
    // False, with why, when the port cannot be had; nothing is then answered.
    bool start(quint16 port, QString *error);
    void stop();
    bool isActive() const;
    // The UDP port it answers on; 0 while stopped.
    quint16 port() const;

Q_SIGNALS:
    // A probe was answered (answerBytes <= probeBytes * DiscoveryMessage::answerFactor), or
    // dropped: malformed, or over a rate limit. For tests and the admin's curiosity.
    void answered(const QHostAddress &source, qsizetype probeBytes, qsizetype answerBytes);
    void dropped(const QHostAddress &source, const QString &why);

private:
    void readPending();
    // Whether source may have one more answer now (and counts it).
    bool admit(const QHostAddress &source);
    void drop(const QHostAddress &source, const QString &why, bool *logged);

    struct SourceWindow
    {
        qint64 startMs = 0;
        int answers = 0;
    };

    QUdpSocket *m_socket = nullptr;
    ChatLimits m_limits;
    AnnouncementSource m_source;
    bool m_loopbackOnly = false;
    QElapsedTimer m_clock;
    QHash<QByteArray, SourceWindow> m_sources; // key: IPv4 address, or IPv6 /64
    qint64 m_secondStartMs = 0;
    int m_answersThisSecond = 0;
    bool m_loggedMalformed = false;
    bool m_loggedRateLimited = false;
    bool m_loggedForeign = false;
};
