#include "certificategenerator.h"

#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <memory>
#include <sys/stat.h>

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void closeFile(FILE *file)
{
    std::fclose(file);
}
using File = std::unique_ptr<FILE, Deleter<FILE, closeFile>>;

bool addExtension(X509 *certificate, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    const Extension extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

} // namespace

bool CertificateGenerator::generate(const QString &certificatePath, const QString &keyPath, QString *error)
{
    const Key key(EVP_EC_gen("P-256"));
    const Certificate certificate(X509_new());
    if (!key || !certificate) {
        *error = QStringLiteral("OpenSSL could not make a key");
        return false;
    }
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate.get()));
    BN_free(number);
    X509_set_version(certificate.get(), 2); // v3, for the extensions
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(certificate.get(), key.get());
    const QByteArray host = QSysInfo::machineHostName().toUtf8().left(60);
    X509_NAME *name = X509_get_subject_name(certificate.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("groupchat"),
                               -1, -1, 0);
    X509_NAME_add_entry_by_txt(
            name, "CN", MBSTRING_UTF8,
            reinterpret_cast<const unsigned char *>(host.isEmpty() ? "localhost" : host.constData()), -1, -1,
            0);
    X509_set_issuer_name(certificate.get(), name);
    QByteArray names = "DNS:localhost,IP:127.0.0.1,IP:::1";
    if (!host.isEmpty() && host != "localhost")
        names.prepend("DNS:" + host + ',');
    if (!addExtension(certificate.get(), NID_subject_alt_name, names) ||
        !addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(certificate.get(), NID_ext_key_usage, "serverAuth") ||
        X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0) {
        *error = QStringLiteral("OpenSSL could not sign the certificate");
        return false;
    }
    for (const QString &path : { certificatePath, keyPath }) {
        if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
            *error = QStringLiteral("cannot create the directory of %1").arg(path);
            return false;
        }
    }
    {
        // The key is created private, never readable by others even for a moment.
        const mode_t old = ::umask(077);
        const File file(std::fopen(QFile::encodeName(keyPath).constData(), "w"));
        ::umask(old);
        if (!file ||
            PEM_write_PrivateKey(file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
            *error = QStringLiteral("cannot write the key %1").arg(keyPath);
            return false;
        }
    }
    const File file(std::fopen(QFile::encodeName(certificatePath).constData(), "w"));
    if (!file || PEM_write_X509(file.get(), certificate.get()) != 1) {
        *error = QStringLiteral("cannot write the certificate %1").arg(certificatePath);
        return false;
    }
    return true;
}
