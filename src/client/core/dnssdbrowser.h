#pragma once

#include "discoverymessage.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <memory>

class AvahiQtPoll;
struct AvahiClient;
struct AvahiServiceBrowser;
struct AvahiServiceResolver;

// The servers DNS-SD announces (RFC 6763): browses _groupchat._tcp in the default domain
// through the Avahi daemon, resolves each service instance to an IPv4 address, port and TXT
// record (DiscoveryMessage::parseTxtRecord), and says when one goes. A malformed or oversized
// TXT record is ignored (logged once). Without an avahi-daemon it logs so once and waits for
// one; ServerBrowser still has the UDP probes. Driven by the thread's event loop (AvahiQtPoll),
// never blocking it.
class DnsSdBrowser : public QObject
{
    Q_OBJECT

public:
    explicit DnsSdBrowser(QObject *parent = nullptr);
    ~DnsSdBrowser() override;

    void start();
    // Forgets every service (without removed() signals).
    void stop();
    // A browser is running on a daemon.
    bool isBrowsing() const { return m_browser != nullptr; }

Q_SIGNALS:
    // A service resolved (serviceKey names it: interface, protocol, instance, type, domain).
    void found(const QString &serviceKey, const ServerAnnouncement &announcement, const QString &address);
    // The service of serviceKey is gone.
    void removed(const QString &serviceKey);

private:
    static void clientCallback(AvahiClient *client, int state, void *userdata);
    void connectClient();
    void dropClient();
    void startBrowsing(AvahiClient *client);
    void logOnce(const QString &line);

    std::unique_ptr<AvahiQtPoll> m_poll;
    AvahiClient *m_client = nullptr;
    AvahiServiceBrowser *m_browser = nullptr;
    // Resolvers under way, by service key; at most ChatLimits::discoveryMaxServers.
    QHash<QString, AvahiServiceResolver *> m_resolvers;
    // The services found and not removed since: said removed when the daemon goes away.
    QSet<QString> m_found;
    bool m_wanted = false;
    bool m_logged = false;
    bool m_loggedTxt = false;

    friend struct DnsSdBrowserCallbacks;
};
