#pragma once

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

// A server as people write it: a host (a name, an IPv4 address or an IPv6 address without
// brackets) and a port. Formatted and parsed here only, so that every window, log line and
// option writes "chat.example.org:6666" and "[::1]:6666" the same way (RFC 3986, 3.2.2: an
// IPv6 literal in brackets before a port).
struct HostPort
{
    QString host;
    quint16 port = 0;

    // "host:port"; "[v6]:port" when host is an IPv6 address (contains ':').
    QString toString() const;
    // "host", or "[v6]": for where the port is shown apart.
    QString hostForDisplay() const;

    // Parses "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 address (more than one
    // colon, no port); defaultPort where no port is given. Surrounding spaces are ignored.
    // nullopt for an empty host or a port that is not 1 to 65535.
    static std::optional<HostPort> parse(QStringView text, quint16 defaultPort);
    // A comma-separated list of parse()'s forms ("a, b:7000, [::1]:7001"); empty entries are
    // skipped. Empty when any entry is bad.
    static QList<HostPort> parseList(QStringView text, quint16 defaultPort);

    friend bool operator==(const HostPort &a, const HostPort &b)
    {
        return a.port == b.port && a.host == b.host;
    }
    friend bool operator!=(const HostPort &a, const HostPort &b) { return !(a == b); }
};
