#pragma once

#include <QByteArrayView>

// Tells from a connection's first bytes whether a TLS client is starting a handshake, never on
// a fragment: a first packet of one or two bytes says "need more", not "text".
//
// A TLS connection opens with a handshake record (RFC 8446 section 5.1, RFC 5246 section
// 6.2.1): content type 22 (0x16), then the record version, whose major byte is 3 (SSL 3.0 and
// every TLS version, 3.1 to 3.4). Text never starts so: 0x16 is a control character.
class TlsDetector
{
public:
    enum class Verdict {
        NeedMore, // the bytes so far could start either
        Tls, // a TLS record header
        NotTls,
    };

    // The bytes needed for a verdict, at the most.
    static constexpr qsizetype bytesNeeded = 3;

    // start: the connection's first bytes, however many have arrived.
    static Verdict classify(QByteArrayView start);
};
