#include "tlsdetector.h"

TlsDetector::Verdict TlsDetector::classify(QByteArrayView start)
{
    constexpr unsigned char handshakeRecord = 0x16;
    constexpr unsigned char majorVersion = 0x03;
    constexpr unsigned char sslv2ClientHello = 0x01;
    if (start.isEmpty())
        return Verdict::NeedMore;
    const auto byte = [&start](qsizetype i) { return static_cast<unsigned char>(start.at(i)); };
    if (byte(0) == handshakeRecord) {
        // A TLS record: content type 22, then the record version, major 3 (SSL 3.0 and every
        // TLS version, and those to come).
        if (start.size() < 2)
            return Verdict::NeedMore;
        return byte(1) == majorVersion ? Verdict::Tls : Verdict::NotTls;
    }
    if (byte(0) & 0x80) {
        // The SSL 2.0-compatible ClientHello that old clients open with (RFC 6101 appendix E.2,
        // RFC 5246 appendix E.2): a two-byte length with its top bit set, message type 1, then
        // the version (2.0, or 3.x). The top bit also starts UTF-8 text: the third byte tells.
        if (start.size() < 4)
            return start.size() < 3 || byte(2) == sslv2ClientHello ? Verdict::NeedMore : Verdict::NotTls;
        return byte(2) == sslv2ClientHello && (byte(3) == majorVersion || byte(3) == 0x00) ? Verdict::Tls
                                                                                           : Verdict::NotTls;
    }
    return Verdict::NotTls;
}
