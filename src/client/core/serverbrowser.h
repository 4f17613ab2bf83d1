#pragma once

#include "discoverymessage.h"

#include <QAbstractListModel>
#include <QHostAddress>
#include <QList>
#include <QSet>

class DiscoveryProber;
class DnsSdBrowser;

// One server found on the LAN: what it announced and where to reach it.
struct DiscoveredServer
{
    ServerAnnouncement announcement;
    QString host; // an IPv4 address (UDP answer) or a host name or address (DNS-SD)
    bool byProbe = false; // it answers UDP probes
    bool byDnsSd = false; // it is announced by DNS-SD
};

// The servers found on the LAN, live, as a list model (the connect dialog's list): what answers
// the UDP probes (DiscoveryProber) and what DNS-SD resolves (DnsSdBrowser, through addDnsSd and
// removeDnsSd), each server once however many ways and interfaces it is found by: by its TLS
// fingerprint and plain port, or without TLS by its name and plain port. A server that stops
// answering probes is forgotten after ChatLimits::discoveryMissedRounds rounds (unless DNS-SD
// still has it); one DNS-SD removes is gone at once (unless it still answers probes). At most
// ChatLimits::discoveryMaxServers are kept; more are ignored. With the environment variable
// GROUPCHAT_DISCOVERY_LOOPBACK_ONLY=1 (the tests set it) it probes 127.255.255.255 only and
// leaves DNS-SD off: nothing leaves the machine.
class ServerBrowser : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role {
        NameRole = Qt::UserRole + 1, // QString
        HostRole, // QString
        PortRole, // int, the plain/JSON port
        TlsPortRole, // int, 0: no TLS
        FingerprintRole, // QString, "AB:CD:..."; empty: no TLS
        PasswordNeededRole, // bool
        IrcPortRole, // int, 0: no IRC
        OnlineRole, // int, -1: not told
    };

    explicit ServerBrowser(QObject *parent = nullptr);
    ~ServerBrowser() override;

    // The UDP prober, to set its targets, port and interval (tests) before start().
    DiscoveryProber *prober() const { return m_prober; }
    // The DNS-SD browser (Avahi), to leave it off (tests of the UDP path alone).
    DnsSdBrowser *dnsSd() const { return m_dnsSd; }
    void setDnsSdEnabled(bool enabled) { m_dnsSdEnabled = enabled; }

    // Starts probing and browsing DNS-SD. Nothing is kept from before a stop().
    void start();
    void stop();

    // A service DNS-SD resolved (serviceKey: its instance name, type and domain, which
    // removeDnsSd names again) at host.
    void addDnsSd(const QString &serviceKey, const ServerAnnouncement &announcement, const QString &host);
    void removeDnsSd(const QString &serviceKey);

    QList<DiscoveredServer> servers() const;
    DiscoveredServer server(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Entry
    {
        QString key;
        DiscoveredServer server;
        int missedRounds = 0;
        bool answeredThisRound = false;
        QSet<QString> services; // the DNS-SD services that name it
    };

    static QString keyOf(const ServerAnnouncement &announcement);
    int rowOf(const QString &key) const;
    void onAnswer(const ServerAnnouncement &announcement, const QHostAddress &address);
    void onRoundStarted();
    // Adds or updates the entry for announcement; returns its row, or -1 when the list is full.
    int upsert(const ServerAnnouncement &announcement, const QString &host);
    void removeRow(int row);

    DiscoveryProber *m_prober;
    DnsSdBrowser *m_dnsSd;
    bool m_dnsSdEnabled = true;
    QList<Entry> m_entries;
};
