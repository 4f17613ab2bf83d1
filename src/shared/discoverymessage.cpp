#include "discoverymessage.h"

#include "textcut.h"
#include "textsanitizer.h"

#include <QHash>
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

QList<QByteArray> DiscoveryMessage::txtRecord(const ServerAnnouncement &a)
{
    return {
        QByteArrayLiteral("txtvers=1"),
        "name=" +
                TextCut::leftUtf8(TextCut::left(a.name, ServerAnnouncement::maxNameCharacters), 250).toUtf8(),
        "proto=" + QByteArray::number(a.protocolVersion),
        "tls=" + QByteArray::number(a.tlsPort),
        "fp=" + a.fingerprint.toLatin1(),
        QByteArray(a.passwordNeeded ? "pw=1" : "pw=0"),
        "irc=" + QByteArray::number(a.ircPort),
    };
}

std::optional<ServerAnnouncement> DiscoveryMessage::parseTxtRecord(const QList<QByteArray> &strings,
                                                                   quint16 port, const QString &instanceName)
{
    if (strings.size() > maxTxtStrings || port == 0)
        return std::nullopt;
    qsizetype total = 0;
    QHash<QByteArray, QByteArray> values;
    for (const QByteArray &string : strings) {
        total += 1 + string.size();
        if (string.size() > 255 || total > maxTxtBytes)
            return std::nullopt;
        const qsizetype equals = string.indexOf('=');
        const QByteArray key = (equals < 0 ? string : string.left(equals)).toLower();
        if (!key.isEmpty() && !values.contains(key))
            values.insert(key, equals < 0 ? QByteArray() : string.mid(equals + 1));
    }
    const auto number = [&](const char *key, int minimum, int maximum, int absent) -> std::optional<int> {
        const auto it = values.constFind(QByteArray(key));
        // A key without a value (RFC 6763, 6.4) says nothing about a number.
        if (it == values.cend() || it->isEmpty())
            return absent;
        bool ok = false;
        const int value = it->toInt(&ok);
        if (!ok || value < minimum || value > maximum)
            return std::nullopt;
        return value;
    };
    const std::optional<int> version = number("proto", 1, 1000, 0);
    const std::optional<int> tls = number("tls", 0, 65535, 0);
    const std::optional<int> irc = number("irc", 0, 65535, 0);
    const std::optional<int> password = number("pw", 0, 1, 0);
    if (!version || *version == 0 || !tls || !irc || !password)
        return std::nullopt;
    ServerAnnouncement a;
    const auto name = values.constFind(QByteArrayLiteral("name"));
    a.name = TextCut::left(TextSanitizer::fromUtf8(name != values.cend() ? *name : instanceName.toUtf8()),
                           ServerAnnouncement::maxNameCharacters);
    a.fingerprint = QString::fromLatin1(values.value(QByteArrayLiteral("fp")));
    if (!a.fingerprint.isEmpty() && !ServerAnnouncement::isFingerprint(a.fingerprint))
        return std::nullopt;
    a.protocolVersion = *version;
    a.port = port;
    a.tlsPort = quint16(*tls);
    a.ircPort = quint16(*irc);
    a.passwordNeeded = *password == 1;
    return a;
}

QString DiscoveryMessage::instanceName(const QString &serverName)
{
    return TextCut::leftUtf8(serverName, 63);
}
