#pragma once

#include <QByteArrayView>

// Tells from a connection's first bytes whether a TLS client is starting a handshake, never on
// a fragment: a first packet of one or two bytes says "need more", not "text".
//
// A TLS connection opens with a handshake record (RFC 8446 section 5.1, RFC 5246 section
// 6.2.1): content type 22 (0x16), then the record version, whose major byte is 3 (SSL 3.0 and
// every TLS version). Text never starts so: 0x16 is a control character. Old clients may open
// with an SSL 2.0-compatible ClientHello instead (RFC 5246 appendix E.2): a length with its
// top bit set, message type 1 and a version; text starting with a UTF-8 lead byte has no
// control character 0x01 as its third byte.
class TlsDetector
{
public:
    enum class Verdict {
        NeedMore, // the bytes so far could start either
        Tls, // a TLS record header
        NotTls,
    };

    // The bytes needed for a verdict, at the most.
    static constexpr qsizetype bytesNeeded = 4;

    // start: the connection's first bytes, however many have arrived.
    static Verdict classify(QByteArrayView start);
};
