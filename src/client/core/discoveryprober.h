#pragma once

#include "discoverymessage.h"

#include <QHostAddress>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QTimer>

class QUdpSocket;

Q_DECLARE_LOGGING_CATEGORY(lcDiscovery)

// The client's half of the UDP discovery fallback (docs/PROTOCOL.md, "Discovery"): every round
// (ChatLimits::discoveryProbeIntervalMs) it sends one padded probe to each target's discovery
// port and reports each well-formed answer with the address it came from. What is not an
// answer is dropped; the first one is logged (escaped). It keeps nothing itself: ServerBrowser
// merges and forgets.
class DiscoveryProber : public QObject
{
    Q_OBJECT

public:
    explicit DiscoveryProber(QObject *parent = nullptr);
    ~DiscoveryProber() override;

    // Where probes go: IPv4 addresses (broadcast or not). Default: defaultTargets().
    void setTargets(const QList<QHostAddress> &targets);
    QList<QHostAddress> targets() const { return m_targets; }
    // The broadcast address of every IPv4 network of every interface that is up and can
    // broadcast (QNetworkInterface), and 127.255.255.255 for servers on this machine.
    static QList<QHostAddress> defaultTargets();
    // The UDP port probed (default ChatLimits::defaultDiscoveryPort).
    void setPort(quint16 port) { m_port = port; }
    quint16 port() const { return m_port; }
    // Time between rounds, in milliseconds (default ChatLimits::discoveryProbeIntervalMs).
    void setInterval(int ms);

    // Binds a free UDP port and probes now, then every interval. False, with why, when no UDP
    // socket can be had.
    bool start(QString *error = nullptr);
    void stop();
    bool isActive() const;
    // One round now (rounds go on from here).
    void probeNow();

Q_SIGNALS:
    // A round's probes went out: answers to it follow.
    void roundStarted();
    // A well-formed answer from address (IPv4; where the server can be reached).
    void answered(const ServerAnnouncement &announcement, const QHostAddress &address);
    // A datagram that is not an answer (why, for tests; logged once).
    void ignored(const QHostAddress &address, const QString &why);

private:
    void readPending();

    QUdpSocket *m_socket = nullptr;
    QTimer m_timer;
    QList<QHostAddress> m_targets;
    quint16 m_port;
    bool m_loggedIgnored = false;
};
