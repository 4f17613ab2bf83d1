#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

// What a server tells about itself to whoever looks for servers on the LAN: the same facts
// whether they travel in the UDP fallback's answer (docs/PROTOCOL.md, "Discovery") or in the
// DNS-SD TXT record of _groupchat._tcp (RFC 6763, section 6). Every text in it came off the
// network on the client side, so decoding checks and cleans each field.
struct ServerAnnouncement
{
    QString name; // the server's name (ServerConfig::effectiveName), at most maxNameCharacters
    int protocolVersion = 0; // the newest JSON protocol version it speaks (JsonProtocol::version)
    quint16 port = 0; // the plain/JSON port
    quint16 tlsPort = 0; // 0: no TLS
    QString fingerprint; // the TLS certificate's SHA-256, "AB:CD:..." (32 pairs); empty: no TLS
    bool passwordNeeded = false;
    quint16 ircPort = 0; // 0: no IRC
    int online = -1; // people connected; -1: not told (DNS-SD does not carry it)

    // A server name is cut to this many user-perceived characters (as --name is).
    static constexpr int maxNameCharacters = 100;

    // Whether text is a fingerprint as TlsListener writes it: 32 upper-case hex pairs joined
    // by ':'.
    static bool isFingerprint(QStringView text);

    friend bool operator==(const ServerAnnouncement &a, const ServerAnnouncement &b)
    {
        return a.name == b.name && a.protocolVersion == b.protocolVersion && a.port == b.port &&
               a.tlsPort == b.tlsPort && a.fingerprint == b.fingerprint &&
               a.passwordNeeded == b.passwordNeeded && a.ircPort == b.ircPort && a.online == b.online;
    }
    friend bool operator!=(const ServerAnnouncement &a, const ServerAnnouncement &b) { return !(a == b); }
};

// The UDP discovery fallback's two datagrams (docs/PROTOCOL.md, "Discovery"):
//   probe:  "GROUPCHAT-DISCOVER 1\n", then padding (any bytes) up to minProbeBytes..maxProbeBytes
//           bytes in all. The padding is what makes an answer no larger than its probe.
//   answer: "GROUPCHAT-SERVER 1\n", then one compact JSON object (keys as the TXT record's:
//           name, proto, port, tls, fp, pw, irc, online), at most answerFactor times the
//           probe's size and never more than maxAnswerBytes.
class DiscoveryMessage
{
public:
    static constexpr QByteArrayView probeMagic = "GROUPCHAT-DISCOVER 1\n";
    static constexpr QByteArrayView answerMagic = "GROUPCHAT-SERVER 1\n";
    // A probe shorter than this is ignored: a short probe could get a larger answer. A probe
    // of the minimum always leaves room for a whole answer (name of 100 characters included).
    static constexpr qsizetype minProbeBytes = 1024;
    // Larger than one Ethernet frame's UDP payload is not a probe either.
    static constexpr qsizetype maxProbeBytes = 1472;
    // An answer is at most this many times the size of the probe it answers: 1, no
    // amplification at all.
    static constexpr qsizetype answerFactor = 1;
    static constexpr qsizetype maxAnswerBytes = maxProbeBytes * answerFactor;

    // A probe of size bytes (clamped to minProbeBytes..maxProbeBytes), zero-padded.
    static QByteArray probe(qsizetype size = minProbeBytes);

    // Why datagram is not a probe (for the log, once): too short, too long, wrong start;
    // empty when it is one.
    static QString probeProblem(QByteArrayView datagram);

    // The answer to a probe of probeSize bytes: at most answerFactor * probeSize bytes. A name
    // too long for that is cut (between characters); empty when even an empty name does not fit.
    static QByteArray answer(const ServerAnnouncement &announcement, qsizetype probeSize);

    // The announcement an answer carries; nullopt when datagram is not a well-formed answer
    // (wrong start, not one JSON object, a field of the wrong type or out of range, larger than
    // maxAnswerBytes). The name is cleaned (TextSanitizer) and cut to maxNameCharacters.
    static std::optional<ServerAnnouncement> parseAnswer(QByteArrayView datagram);

    // The DNS-SD TXT record of _groupchat._tcp (RFC 6763, section 6): "txtvers=1", then
    // name, proto, tls, fp, pw (1 or 0) and irc as key=value strings, each at most 255 bytes
    // (the name is cut to fit, between characters). online is not carried (a TXT record
    // changes seldom).
    static QList<QByteArray> txtRecord(const ServerAnnouncement &announcement);
    // RFC 6763 rules for a received record: keys case-insensitive, the first of a key wins,
    // a string without '=' is a key without value. The announcement for the service on port,
    // named instanceName where the record has no name; nullopt when proto is missing, a value
    // is malformed or out of range, or the record is larger than maxTxtBytes (RFC 6763, 6.2)
    // or has more than maxTxtStrings strings.
    static std::optional<ServerAnnouncement> parseTxtRecord(const QList<QByteArray> &strings, quint16 port,
                                                            const QString &instanceName);
    static constexpr qsizetype maxTxtBytes = 1300;
    static constexpr qsizetype maxTxtStrings = 64;
    // A DNS-SD instance name is one DNS label: at most 63 bytes of UTF-8 (RFC 6763, 4.1.1).
    static QString instanceName(const QString &serverName);
};
