#include "sessiontokens.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSet>

#include <algorithm>

namespace SessionTokens {

QString newToken()
{
    quint64 words[2];
    QRandomGenerator::system()->fillRange(words);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

QByteArray identityHash(const QString &identity)
{
    return QCryptographicHash::hash(identity.toUtf8(), QCryptographicHash::Sha256);
}

bool acceptableIdentity(const QString &identity)
{
    if (identity.size() < 16 || identity.size() > 128)
        return false;
    if (!std::all_of(identity.begin(), identity.end(),
                     [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; }))
        return false;
    return QSet<QChar>(identity.begin(), identity.end()).size() >= 8;
}

} // namespace SessionTokens
