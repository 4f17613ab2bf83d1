#include "discoverymessage.h"

#include "textcut.h"
#include "textsanitizer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace {

QByteArray encode(const ServerAnnouncement &a, const QString &name)
{
    QJsonObject object{
        { QStringLiteral("name"), name },          { QStringLiteral("proto"), a.protocolVersion },
        { QStringLiteral("port"), int(a.port) },   { QStringLiteral("tls"), int(a.tlsPort) },
        { QStringLiteral("fp"), a.fingerprint },   { QStringLiteral("pw"), a.passwordNeeded },
        { QStringLiteral("irc"), int(a.ircPort) },
    };
    if (a.online >= 0)
        object.insert(QStringLiteral("online"), a.online);
    return DiscoveryMessage::answerMagic.toByteArray() + QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// A whole number in [minimum, maximum], or nullopt (a double with a fraction, a string, ...).
std::optional<int> integer(const QJsonValue &value, int minimum, int maximum)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d < minimum || d > maximum || d != double(qint64(d)))
        return std::nullopt;
    return int(d);
}

} // namespace

bool ServerAnnouncement::isFingerprint(QStringView text)
{
    if (text.size() != 32 * 3 - 1)
        return false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (i % 3 == 2) {
            if (c != u':')
                return false;
        } else if (!((c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'F'))) {
            return false;
        }
    }
    return true;
}

QByteArray DiscoveryMessage::probe(qsizetype size)
{
    QByteArray datagram = probeMagic.toByteArray();
    datagram.resize(qBound(minProbeBytes, size, maxProbeBytes), '\0');
    return datagram;
}

QString DiscoveryMessage::probeProblem(QByteArrayView datagram)
{
    if (!datagram.startsWith(probeMagic))
        return QStringLiteral("it does not start with %1")
                .arg(TextSanitizer::quoted(QString::fromLatin1(probeMagic.toByteArray())));
    if (datagram.size() < minProbeBytes)
        return QStringLiteral("%1 bytes, fewer than %2").arg(datagram.size()).arg(minProbeBytes);
    if (datagram.size() > maxProbeBytes)
        return QStringLiteral("%1 bytes, more than %2").arg(datagram.size()).arg(maxProbeBytes);
    return QString();
}

QByteArray DiscoveryMessage::answer(const ServerAnnouncement &announcement, qsizetype probeSize)
{
    const qsizetype budget = qMin(probeSize * answerFactor, maxAnswerBytes);
    QString name = TextCut::left(announcement.name, ServerAnnouncement::maxNameCharacters);
    QByteArray datagram = encode(announcement, name);
    // Rarely needed (the minimum probe holds any name of 100 characters); cut by characters
    // until it fits, so the name stays whole characters.
    while (datagram.size() > budget && !name.isEmpty()) {
        name = TextCut::left(name, TextCut::characterCount(name) - 1);
        datagram = encode(announcement, name);
    }
    return datagram.size() <= budget ? datagram : QByteArray();
}

std::optional<ServerAnnouncement> DiscoveryMessage::parseAnswer(QByteArrayView datagram)
{
    if (!datagram.startsWith(answerMagic) || datagram.size() > maxAnswerBytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document =
            QJsonDocument::fromJson(datagram.sliced(answerMagic.size()).toByteArray(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    ServerAnnouncement a;
    const QJsonValue name = object.value(QStringLiteral("name"));
    const QJsonValue fingerprint = object.value(QStringLiteral("fp"));
    const QJsonValue password = object.value(QStringLiteral("pw"));
    const auto version = integer(object.value(QStringLiteral("proto")), 1, 1000);
    const auto port = integer(object.value(QStringLiteral("port")), 1, 65535);
    const auto tls = integer(object.value(QStringLiteral("tls")), 0, 65535);
    const auto irc = integer(object.value(QStringLiteral("irc")), 0, 65535);
    if (!name.isString() || !fingerprint.isString() || !password.isBool() || !version || !port || !tls ||
        !irc)
        return std::nullopt;
    a.name = TextCut::left(TextSanitizer::clean(name.toString()), ServerAnnouncement::maxNameCharacters);
    a.fingerprint = fingerprint.toString();
    if (!a.fingerprint.isEmpty() && !ServerAnnouncement::isFingerprint(a.fingerprint))
        return std::nullopt;
    a.protocolVersion = *version;
    a.port = quint16(*port);
    a.tlsPort = quint16(*tls);
    a.ircPort = quint16(*irc);
    a.passwordNeeded = password.toBool();
    if (object.contains(QStringLiteral("online"))) {
        const auto online = integer(object.value(QStringLiteral("online")), 0, 100000000);
        if (!online)
            return std::nullopt;
        a.online = *online;
    }
    return a;
}
