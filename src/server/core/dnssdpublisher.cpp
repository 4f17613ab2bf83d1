#include "dnssdpublisher.h"

#include "avahiqtpoll.h"
#include "serverlog.h"
#include "textsanitizer.h"

#include <QNetworkInterface>
#include <QTimer>

#include <avahi-client/client.h>
#include <avahi-client/publish.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>

namespace {

const char groupchatType[] = "_groupchat._tcp";
const char ircType[] = "_irc._tcp";

AvahiIfIndex loopbackInterface()
{
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        if (interface.flags() & QNetworkInterface::IsLoopBack)
            return interface.index();
    }
    return AVAHI_IF_UNSPEC;
}

} // namespace

DnsSdPublisher::DnsSdPublisher(QObject *parent) : QObject(parent), m_poll(std::make_unique<AvahiQtPoll>()) { }

DnsSdPublisher::~DnsSdPublisher()
{
    dropClient();
}

void DnsSdPublisher::logOnce(const QString &line)
{
    if (m_logged)
        return;
    m_logged = true;
    qCInfo(lcServer, "%s", qPrintable(TextSanitizer::escaped(line)));
}

void DnsSdPublisher::publish(const ServerAnnouncement &announcement, bool loopbackOnly)
{
    m_wanted = announcement;
    m_loopbackOnly = loopbackOnly;
    m_name = DiscoveryMessage::instanceName(announcement.name).toUtf8();
    if (m_name.isEmpty())
        m_name = "groupchat";
    if (m_group)
        avahi_entry_group_reset(m_group);
    setEstablished(false);
    if (!m_client)
        connectClient();
    else if (avahi_client_get_state(m_client) == AVAHI_CLIENT_S_RUNNING)
        registerServices(m_client);
}

void DnsSdPublisher::withdraw()
{
    m_wanted.reset();
    dropClient();
}

QString DnsSdPublisher::instanceName() const
{
    return m_established ? QString::fromUtf8(m_name) : QString();
}

void DnsSdPublisher::connectClient()
{
    int error = 0;
    // NO_FAIL: without a daemon the client waits for one (CONNECTING) instead of failing, and
    // publishes when it appears.
    m_client = avahi_client_new(
            m_poll->poll(), AVAHI_CLIENT_NO_FAIL,
            [](AvahiClient *client, AvahiClientState state, void *self) {
                clientCallback(client, int(state), self);
            },
            this, &error);
    if (!m_client)
        logOnce(ServerLog::tr("not announced by DNS-SD: no Avahi (%1); clients on the LAN still find the "
                              "server by UDP discovery")
                        .arg(QString::fromUtf8(avahi_strerror(error))));
}

void DnsSdPublisher::dropClient()
{
    setEstablished(false);
    // Freeing the client frees its groups.
    m_group = nullptr;
    if (m_client) {
        avahi_client_free(m_client);
        m_client = nullptr;
    }
}

void DnsSdPublisher::clientCallback(AvahiClient *client, int state, void *userdata)
{
    auto *self = static_cast<DnsSdPublisher *>(userdata);
    switch (AvahiClientState(state)) {
    case AVAHI_CLIENT_S_RUNNING:
        self->m_logged = false;
        self->registerServices(client);
        break;
    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
        // The host's own name changes: register again once it runs.
        if (self->m_group)
            avahi_entry_group_reset(self->m_group);
        self->setEstablished(false);
        break;
    case AVAHI_CLIENT_CONNECTING:
        self->logOnce(ServerLog::tr("not announced by DNS-SD: no avahi-daemon is running (clients on the LAN "
                                    "still find the server by UDP discovery); announcing when one starts"));
        break;
    case AVAHI_CLIENT_FAILURE:
        self->setEstablished(false);
        self->logOnce(ServerLog::tr("not announced by DNS-SD: %1")
                              .arg(QString::fromUtf8(avahi_strerror(avahi_client_errno(client)))));
        // The daemon went away: a new client waits for it (not from inside its callback).
        if (avahi_client_errno(client) == AVAHI_ERR_DISCONNECTED) {
            QTimer::singleShot(0, self, [self] {
                self->dropClient();
                if (self->m_wanted)
                    self->connectClient();
            });
        }
        break;
    }
}

void DnsSdPublisher::groupCallback(AvahiEntryGroup *, int state, void *userdata)
{
    auto *self = static_cast<DnsSdPublisher *>(userdata);
    switch (AvahiEntryGroupState(state)) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
        qCInfo(lcServer, "%s",
               qUtf8Printable(ServerLog::tr("announced on the LAN by DNS-SD as %1 (%2)")
                                      .arg(TextSanitizer::quoted(QString::fromUtf8(self->m_name)),
                                           QString::fromLatin1(groupchatType))));
        self->setEstablished(true);
        break;
    case AVAHI_ENTRY_GROUP_COLLISION: {
        // Another service has the name on the LAN: "name #2", as Avahi's own tools do.
        char *alternative = avahi_alternative_service_name(self->m_name.constData());
        self->m_name = alternative;
        avahi_free(alternative);
        self->setEstablished(false);
        QTimer::singleShot(0, self, [self] {
            if (self->m_client && avahi_client_get_state(self->m_client) == AVAHI_CLIENT_S_RUNNING)
                self->registerServices(self->m_client);
        });
        break;
    }
    case AVAHI_ENTRY_GROUP_FAILURE:
        self->setEstablished(false);
        self->logOnce(ServerLog::tr("not announced by DNS-SD: the services could not be registered"));
        break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
        break;
    }
}

void DnsSdPublisher::registerServices(AvahiClient *client)
{
    if (!m_wanted)
        return;
    if (!m_group) {
        m_group = avahi_entry_group_new(
                client,
                [](AvahiEntryGroup *group, AvahiEntryGroupState state, void *self) {
                    groupCallback(group, int(state), self);
                },
                this);
        if (!m_group) {
            logOnce(ServerLog::tr("not announced by DNS-SD: %1")
                            .arg(QString::fromUtf8(avahi_strerror(avahi_client_errno(client)))));
            return;
        }
    }
    avahi_entry_group_reset(m_group);
    AvahiStringList *txt = nullptr;
    // Each string added goes first: added from the last, the record is in txtRecord's order
    // (txtvers first, as RFC 6763, 6.7 asks).
    const QList<QByteArray> strings = DiscoveryMessage::txtRecord(*m_wanted);
    for (auto it = strings.crbegin(); it != strings.crend(); ++it)
        txt = avahi_string_list_add_arbitrary(txt, reinterpret_cast<const uint8_t *>(it->constData()),
                                              size_t(it->size()));
    const AvahiIfIndex interface = m_loopbackOnly ? loopbackInterface() : AVAHI_IF_UNSPEC;
    int result = avahi_entry_group_add_service_strlst(m_group, interface, AVAHI_PROTO_UNSPEC,
                                                      AvahiPublishFlags(0), m_name.constData(), groupchatType,
                                                      nullptr, nullptr, m_wanted->port, txt);
    avahi_string_list_free(txt);
    if (result >= 0 && m_wanted->ircPort != 0)
        result = avahi_entry_group_add_service(m_group, interface, AVAHI_PROTO_UNSPEC, AvahiPublishFlags(0),
                                               m_name.constData(), ircType, nullptr, nullptr,
                                               m_wanted->ircPort, nullptr);
    if (result == AVAHI_ERR_COLLISION) {
        groupCallback(m_group, AVAHI_ENTRY_GROUP_COLLISION, this);
        return;
    }
    if (result >= 0)
        result = avahi_entry_group_commit(m_group);
    if (result < 0)
        logOnce(ServerLog::tr("not announced by DNS-SD: %1").arg(QString::fromUtf8(avahi_strerror(result))));
}

void DnsSdPublisher::setEstablished(bool established)
{
    if (m_established == established)
        return;
    m_established = established;
    Q_EMIT publishedChanged(established);
}
