#include "tlsdetector.h"

TlsDetector::Verdict TlsDetector::classify(QByteArrayView start)
{
    constexpr char handshakeRecord = 0x16;
    constexpr char majorVersion = 0x03;
    constexpr char highestMinorVersion = 0x04; // TLS 1.3's legacy record version is 3.1 or 3.3
    if (start.isEmpty())
        return Verdict::NeedMore;
    if (start.at(0) != handshakeRecord)
        return Verdict::NotTls;
    if (start.size() < 2)
        return Verdict::NeedMore;
    if (start.at(1) != majorVersion)
        return Verdict::NotTls;
    if (start.size() < 3)
        return Verdict::NeedMore;
    return start.at(2) >= 0 && start.at(2) <= highestMinorVersion ? Verdict::Tls : Verdict::NotTls;
}
