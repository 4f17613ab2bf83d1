#include "serverbrowser.h"

#include "chatlimits.h"
#include "discoveryprober.h"
#include "dnssdbrowser.h"
#include "hostport.h"

ServerBrowser::ServerBrowser(QObject *parent)
    : QAbstractListModel(parent), m_prober(new DiscoveryProber(this)), m_dnsSd(new DnsSdBrowser(this))
{
    connect(m_dnsSd, &DnsSdBrowser::found, this, &ServerBrowser::addDnsSd);
    connect(m_dnsSd, &DnsSdBrowser::removed, this, &ServerBrowser::removeDnsSd);
    // Tests (and whoever must keep discovery on this machine): probe lo only, no DNS-SD.
    if (qEnvironmentVariableIntValue("GROUPCHAT_DISCOVERY_LOOPBACK_ONLY") == 1) {
        m_prober->setTargets({ QHostAddress(QStringLiteral("127.255.255.255")) });
        m_dnsSdEnabled = false;
    }
    connect(m_prober, &DiscoveryProber::answered, this, &ServerBrowser::onAnswer);
    connect(m_prober, &DiscoveryProber::roundStarted, this, &ServerBrowser::onRoundStarted);
}

ServerBrowser::~ServerBrowser() = default;

void ServerBrowser::start()
{
    m_prober->start();
    if (m_dnsSdEnabled)
        m_dnsSd->start();
}

void ServerBrowser::stop()
{
    m_prober->stop();
    m_dnsSd->stop();
    if (m_entries.isEmpty())
        return;
    beginResetModel();
    m_entries.clear();
    endResetModel();
}

QString ServerBrowser::keyOf(const ServerAnnouncement &announcement)
{
    // The certificate names the server wherever it is seen from; a server without TLS is
    // known by its name.
    return announcement.fingerprint.isEmpty()
                   ? QStringLiteral("name:%1:%2").arg(announcement.name).arg(announcement.port)
                   : QStringLiteral("fp:%1:%2").arg(announcement.fingerprint).arg(announcement.port);
}

int ServerBrowser::rowOf(const QString &key) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].key == key)
            return row;
    }
    return -1;
}

int ServerBrowser::upsert(const ServerAnnouncement &announcement, const QString &host)
{
    const QString key = keyOf(announcement);
    int row = rowOf(key);
    if (row < 0) {
        if (m_entries.size() >= ChatLimits::discoveryMaxServers)
            return -1;
        row = int(m_entries.size());
        beginInsertRows(QModelIndex(), row, row);
        Entry entry;
        entry.key = key;
        entry.server.announcement = announcement;
        entry.server.host = host;
        m_entries.append(entry);
        endInsertRows();
        return row;
    }
    DiscoveredServer &server = m_entries[row].server;
    ServerAnnouncement merged = announcement;
    // DNS-SD does not carry the people online; keep what a probe said.
    if (merged.online < 0)
        merged.online = server.announcement.online;
    if (merged != server.announcement) {
        server.announcement = merged;
        Q_EMIT dataChanged(index(row), index(row));
    }
    return row;
}

void ServerBrowser::onAnswer(const ServerAnnouncement &announcement, const QHostAddress &address)
{
    const int row = upsert(announcement, address.toString());
    if (row < 0)
        return;
    Entry &entry = m_entries[row];
    entry.server.byProbe = true;
    entry.answeredThisRound = true;
    entry.missedRounds = 0;
}

void ServerBrowser::onRoundStarted()
{
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        Entry &entry = m_entries[row];
        if (!entry.server.byProbe)
            continue;
        if (!entry.answeredThisRound && ++entry.missedRounds >= ChatLimits::discoveryMissedRounds) {
            entry.server.byProbe = false;
            if (entry.services.isEmpty()) {
                removeRow(row);
                continue;
            }
        }
        entry.answeredThisRound = false;
    }
}

void ServerBrowser::addDnsSd(const QString &serviceKey, const ServerAnnouncement &announcement,
                             const QString &host)
{
    // A service that changed (a new TXT record) may now be another server.
    removeDnsSd(serviceKey);
    const int row = upsert(announcement, host);
    if (row < 0)
        return;
    m_entries[row].services.insert(serviceKey);
    m_entries[row].server.byDnsSd = true;
}

void ServerBrowser::removeDnsSd(const QString &serviceKey)
{
    for (int row = int(m_entries.size()) - 1; row >= 0; --row) {
        Entry &entry = m_entries[row];
        if (!entry.services.remove(serviceKey))
            continue;
        entry.server.byDnsSd = !entry.services.isEmpty();
        if (!entry.server.byDnsSd && !entry.server.byProbe)
            removeRow(row);
    }
}

void ServerBrowser::removeRow(int row)
{
    beginRemoveRows(QModelIndex(), row, row);
    m_entries.removeAt(row);
    endRemoveRows();
}

QList<DiscoveredServer> ServerBrowser::servers() const
{
    QList<DiscoveredServer> result;
    for (const Entry &entry : m_entries)
        result.append(entry.server);
    return result;
}

DiscoveredServer ServerBrowser::server(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries[row].server : DiscoveredServer();
}

int ServerBrowser::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant ServerBrowser::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return QVariant();
    const DiscoveredServer &server = m_entries[index.row()].server;
    const ServerAnnouncement &a = server.announcement;
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1 (%2)").arg(a.name, HostPort{ server.host, a.port }.toString());
    case NameRole:
        return a.name;
    case HostRole:
        return server.host;
    case PortRole:
        return int(a.port);
    case TlsPortRole:
        return int(a.tlsPort);
    case FingerprintRole:
        return a.fingerprint;
    case PasswordNeededRole:
        return a.passwordNeeded;
    case IrcPortRole:
        return int(a.ircPort);
    case OnlineRole:
        return a.online;
    default:
        return QVariant();
    }
}

QHash<int, QByteArray> ServerBrowser::roleNames() const
{
    return {
        { Qt::DisplayRole, "display" },
        { NameRole, "name" },
        { HostRole, "host" },
        { PortRole, "port" },
        { TlsPortRole, "tlsPort" },
        { FingerprintRole, "fingerprint" },
        { PasswordNeededRole, "passwordNeeded" },
        { IrcPortRole, "ircPort" },
        { OnlineRole, "online" },
    };
}
