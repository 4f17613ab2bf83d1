#include "dnssdbrowser.h"

#include "avahiqtpoll.h"
#include "chatlimits.h"
#include "discoveryprober.h" // lcDiscovery
#include "textsanitizer.h"

#include <QTimer>

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-common/error.h>
#include <avahi-common/strlst.h>

namespace {

const char groupchatType[] = "_groupchat._tcp";

QString keyOf(AvahiIfIndex interface, AvahiProtocol protocol, const char *name, const char *type,
              const char *domain)
{
    return QStringLiteral("%1/%2/%3.%4.%5")
            .arg(interface)
            .arg(protocol)
            .arg(QString::fromUtf8(name), QString::fromUtf8(type), QString::fromUtf8(domain));
}

} // namespace

// The C callbacks, with the private access they need.
struct DnsSdBrowserCallbacks
{
    static void browse(AvahiServiceBrowser *, AvahiIfIndex interface, AvahiProtocol protocol,
                       AvahiBrowserEvent event, const char *name, const char *type, const char *domain,
                       AvahiLookupResultFlags, void *userdata)
    {
        auto *self = static_cast<DnsSdBrowser *>(userdata);
        switch (event) {
        case AVAHI_BROWSER_NEW: {
            const QString key = keyOf(interface, protocol, name, type, domain);
            if (self->m_resolvers.contains(key) ||
                self->m_resolvers.size() >= ChatLimits::discoveryMaxServers)
                return;
            AvahiServiceResolver *resolver = avahi_service_resolver_new(
                    self->m_client, interface, protocol, name, type, domain, AVAHI_PROTO_INET,
                    AvahiLookupFlags(0), &DnsSdBrowserCallbacks::resolve, self);
            if (resolver)
                self->m_resolvers.insert(key, resolver);
            break;
        }
        case AVAHI_BROWSER_REMOVE: {
            const QString key = keyOf(interface, protocol, name, type, domain);
            if (AvahiServiceResolver *resolver = self->m_resolvers.take(key))
                avahi_service_resolver_free(resolver);
            if (self->m_found.remove(key))
                Q_EMIT self->removed(key);
            break;
        }
        case AVAHI_BROWSER_FAILURE:
            self->logOnce(
                    QStringLiteral("DNS-SD browsing failed: %1")
                            .arg(QString::fromUtf8(avahi_strerror(avahi_client_errno(self->m_client)))));
            break;
        case AVAHI_BROWSER_ALL_FOR_NOW:
        case AVAHI_BROWSER_CACHE_EXHAUSTED:
            break;
        }
    }

    static void resolve(AvahiServiceResolver *resolver, AvahiIfIndex interface, AvahiProtocol protocol,
                        AvahiResolverEvent event, const char *name, const char *type, const char *domain,
                        const char *, const AvahiAddress *address, uint16_t port, AvahiStringList *txt,
                        AvahiLookupResultFlags, void *userdata)
    {
        auto *self = static_cast<DnsSdBrowser *>(userdata);
        const QString key = keyOf(interface, protocol, name, type, domain);
        // One answer is all it is for; a changed record comes as a new service.
        if (self->m_resolvers.value(key) == resolver)
            self->m_resolvers.remove(key);
        if (event == AVAHI_RESOLVER_FOUND && address) {
            QList<QByteArray> strings;
            qsizetype count = 0;
            for (AvahiStringList *s = txt; s && count <= DiscoveryMessage::maxTxtStrings;
                 s = s->next, ++count)
                strings.append(QByteArray(reinterpret_cast<const char *>(s->text), qsizetype(s->size)));
            char text[AVAHI_ADDRESS_STR_MAX];
            avahi_address_snprint(text, sizeof text, address);
            const std::optional<ServerAnnouncement> announcement =
                    DiscoveryMessage::parseTxtRecord(strings, port, QString::fromUtf8(name));
            if (announcement &&
                (self->m_found.contains(key) || self->m_found.size() < ChatLimits::discoveryMaxServers)) {
                self->m_found.insert(key);
                Q_EMIT self->found(key, *announcement, QString::fromLatin1(text));
            } else if (!self->m_loggedTxt) {
                self->m_loggedTxt = true;
                qCInfo(lcDiscovery, "ignored the DNS-SD service %s: its TXT record is not groupchat's",
                       qPrintable(TextSanitizer::quoted(QString::fromUtf8(name))));
            }
        }
        avahi_service_resolver_free(resolver);
    }
};

DnsSdBrowser::DnsSdBrowser(QObject *parent) : QObject(parent), m_poll(std::make_unique<AvahiQtPoll>()) { }

DnsSdBrowser::~DnsSdBrowser()
{
    dropClient();
}

void DnsSdBrowser::logOnce(const QString &line)
{
    if (m_logged)
        return;
    m_logged = true;
    qCInfo(lcDiscovery, "%s", qPrintable(TextSanitizer::escaped(line)));
}

void DnsSdBrowser::start()
{
    m_wanted = true;
    if (!m_client)
        connectClient();
}

void DnsSdBrowser::stop()
{
    m_wanted = false;
    m_found.clear();
    dropClient();
}

void DnsSdBrowser::connectClient()
{
    int error = 0;
    m_client = avahi_client_new(
            m_poll->poll(), AVAHI_CLIENT_NO_FAIL,
            [](AvahiClient *client, AvahiClientState state, void *self) {
                clientCallback(client, int(state), self);
            },
            this, &error);
    if (!m_client)
        logOnce(QStringLiteral("no DNS-SD: no Avahi (%1); servers are found by UDP discovery")
                        .arg(QString::fromUtf8(avahi_strerror(error))));
}

void DnsSdBrowser::dropClient()
{
    // Freeing the client frees its browser and resolvers.
    m_browser = nullptr;
    m_resolvers.clear();
    if (m_client) {
        avahi_client_free(m_client);
        m_client = nullptr;
    }
}

void DnsSdBrowser::startBrowsing(AvahiClient *client)
{
    if (m_browser)
        return;
    m_client = client;
    m_browser = avahi_service_browser_new(client, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, groupchatType, nullptr,
                                          AvahiLookupFlags(0), &DnsSdBrowserCallbacks::browse, this);
    if (!m_browser)
        logOnce(QStringLiteral("DNS-SD browsing failed: %1")
                        .arg(QString::fromUtf8(avahi_strerror(avahi_client_errno(client)))));
}

void DnsSdBrowser::clientCallback(AvahiClient *client, int state, void *userdata)
{
    auto *self = static_cast<DnsSdBrowser *>(userdata);
    switch (AvahiClientState(state)) {
    case AVAHI_CLIENT_S_RUNNING:
        self->m_logged = false;
        self->startBrowsing(client);
        break;
    case AVAHI_CLIENT_CONNECTING:
        self->logOnce(
                QStringLiteral("no DNS-SD: no avahi-daemon is running; servers are found by UDP discovery"));
        break;
    case AVAHI_CLIENT_FAILURE:
        self->logOnce(QStringLiteral("no DNS-SD: %1")
                              .arg(QString::fromUtf8(avahi_strerror(avahi_client_errno(client)))));
        if (avahi_client_errno(client) == AVAHI_ERR_DISCONNECTED) {
            QTimer::singleShot(0, self, [self] {
                self->dropClient();
                // Nothing is known of what the daemon announced any more.
                const QSet<QString> found = std::exchange(self->m_found, {});
                for (const QString &key : found)
                    Q_EMIT self->removed(key);
                if (self->m_wanted)
                    self->connectClient();
            });
        }
        break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
        break;
    }
}
