#pragma once

#include <QString>

// Makes a self-signed certificate and its private key for the TLS port (--generate-cert):
// an EC P-256 key, SHA-256, valid for ten years, for the host's name, localhost, 127.0.0.1
// and ::1. Clients trust it on first use (they pin its fingerprint), so no CA is involved.
namespace CertificateGenerator {

// Writes both PEM files (the key readable by the owner only). False, with why in error.
bool generate(const QString &certificatePath, const QString &keyPath, QString *error);

} // namespace CertificateGenerator
