#pragma once

#include "discoverymessage.h"

#include <QObject>

#include <memory>
#include <optional>

class AvahiQtPoll;
struct AvahiClient;
struct AvahiEntryGroup;

// The server announced by DNS-SD (RFC 6763) through the Avahi daemon: _groupchat._tcp on the
// plain/JSON port with the TXT record DiscoveryMessage::txtRecord makes, and _irc._tcp on the
// IRC port when there is one, under the server's name (another name Avahi offers when that
// one is taken on the LAN). Avahi rather than our own mDNS: the daemon answers for every
// program of the machine, handles name conflicts and the network coming and going.
//
// Where no avahi-daemon runs (or no system bus), it logs so once and waits for one: the UDP
// fallback (DiscoveryResponder) still answers. Driven by the thread's event loop (AvahiQtPoll).
class DnsSdPublisher : public QObject
{
    Q_OBJECT

public:
    explicit DnsSdPublisher(QObject *parent = nullptr);
    ~DnsSdPublisher() override;

    // Registers the services for announcement (again, replacing what was registered); on the
    // loopback interface only with loopbackOnly (a server listening on loopback).
    void publish(const ServerAnnouncement &announcement, bool loopbackOnly);
    // Removes the services (the daemon says goodbye on the LAN).
    void withdraw();
    // The services are registered and established with the daemon.
    bool isPublished() const { return m_established; }
    // The instance name in use (after a conflict, Avahi's alternative); empty while unpublished.
    QString instanceName() const;

Q_SIGNALS:
    // isPublished() changed.
    void publishedChanged(bool published);

private:
    static void clientCallback(AvahiClient *client, int state, void *userdata);
    static void groupCallback(AvahiEntryGroup *group, int state, void *userdata);
    void connectClient();
    void dropClient();
    void registerServices(AvahiClient *client);
    void setEstablished(bool established);
    void logOnce(const QString &line);

    std::unique_ptr<AvahiQtPoll> m_poll;
    AvahiClient *m_client = nullptr;
    AvahiEntryGroup *m_group = nullptr;
    std::optional<ServerAnnouncement> m_wanted;
    bool m_loopbackOnly = false;
    QByteArray m_name; // UTF-8, as Avahi takes it
    bool m_established = false;
    bool m_logged = false;
};
