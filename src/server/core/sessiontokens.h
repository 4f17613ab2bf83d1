#pragma once

#include <QByteArray>
#include <QString>

// The secrets a session is known by: its resume token and its identity (docs/PROTOCOL.md,
// "Version 2: rooms"; docs/SECURITY.md, "Private messages").
namespace SessionTokens {

// 32 hex digits from the system's random source (128 bits).
QString newToken();
// SHA-256 of the identity's UTF-8 (32 bytes): what the server keeps instead of the secret.
QByteArray identityHash(const QString &identity);
// A client's identity is a secret of its own: 16 to 128 printable ASCII characters, at
// least 8 of them different (16 times "a" is refused).
bool acceptableIdentity(const QString &identity);

} // namespace SessionTokens
