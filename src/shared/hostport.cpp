#include "hostport.h"

QString HostPort::hostForDisplay() const
{
    return host.contains(u':') ? u'[' + host + u']' : host;
}

QString HostPort::toString() const
{
    return hostForDisplay() + u':' + QString::number(port);
}

std::optional<HostPort> HostPort::parse(QStringView text, quint16 defaultPort)
{
    QStringView entry = text.trimmed();
    HostPort result{ QString(), defaultPort };
    // A port follows the last colon of "host:port" or "[v6]:port"; a bare IPv6 address has
    // several colons and no port.
    const qsizetype colon = entry.lastIndexOf(u':');
    if (colon >= 0 && (entry.count(u':') == 1 || (entry.startsWith(u'[') && colon > entry.indexOf(u']')))) {
        bool ok = false;
        const uint given = entry.mid(colon + 1).toUInt(&ok);
        if (!ok || given == 0 || given > 65535)
            return std::nullopt;
        result.port = quint16(given);
        entry = entry.left(colon);
    }
    if (entry.startsWith(u'[') && entry.endsWith(u']'))
        entry = entry.mid(1, entry.size() - 2);
    if (entry.isEmpty() || entry.contains(u'[') || entry.contains(u']'))
        return std::nullopt;
    result.host = entry.toString();
    return result;
}

QList<HostPort> HostPort::parseList(QStringView text, quint16 defaultPort)
{
    QList<HostPort> servers;
    for (QStringView part : text.split(u',', Qt::SkipEmptyParts)) {
        if (part.trimmed().isEmpty())
            continue;
        const std::optional<HostPort> server = parse(part, defaultPort);
        if (!server)
            return {};
        servers.append(*server);
    }
    return servers;
}
