#include "discoveryprober.h"

#include "chatlimits.h"
#include "textsanitizer.h"

#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QUdpSocket>

Q_LOGGING_CATEGORY(lcDiscovery, "groupchat.client.discovery")

DiscoveryProber::DiscoveryProber(QObject *parent)
    : QObject(parent), m_targets(defaultTargets()), m_port(ChatLimits::defaultDiscoveryPort)
{
    m_timer.setInterval(ChatLimits::discoveryProbeIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &DiscoveryProber::probeNow);
}

DiscoveryProber::~DiscoveryProber() = default;

QList<QHostAddress> DiscoveryProber::defaultTargets()
{
    QList<QHostAddress> targets;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        const auto flags = interface.flags();
        if (!(flags & QNetworkInterface::IsUp) || !(flags & QNetworkInterface::IsRunning) ||
            !(flags & QNetworkInterface::CanBroadcast) || (flags & QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
            const QHostAddress broadcast = entry.broadcast();
            if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol && !broadcast.isNull() &&
                !targets.contains(broadcast))
                targets.append(broadcast);
        }
    }
    // The loopback network's broadcast (Linux routes it on lo): every server on this machine
    // answers it, even several sharing the discovery port.
    targets.append(QHostAddress(QStringLiteral("127.255.255.255")));
    return targets;
}

void DiscoveryProber::setTargets(const QList<QHostAddress> &targets)
{
    m_targets = targets;
}

void DiscoveryProber::setInterval(int ms)
{
    m_timer.setInterval(ms);
}

bool DiscoveryProber::start(QString *error)
{
    if (m_socket)
        return true;
    auto *socket = new QUdpSocket(this);
    if (!socket->bind(QHostAddress::AnyIPv4, 0)) {
        if (error)
            *error = socket->errorString();
        qCInfo(lcDiscovery, "cannot probe for servers on the LAN: %s", qPrintable(socket->errorString()));
        delete socket;
        return false;
    }
    m_socket = socket;
    connect(m_socket, &QUdpSocket::readyRead, this, &DiscoveryProber::readPending);
    m_timer.start();
    probeNow();
    return true;
}

void DiscoveryProber::stop()
{
    m_timer.stop();
    if (m_socket) {
        m_socket->close();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

bool DiscoveryProber::isActive() const
{
    return m_socket != nullptr;
}

void DiscoveryProber::probeNow()
{
    if (!m_socket)
        return;
    if (m_timer.isActive())
        m_timer.start(); // the next round a whole interval from now
    Q_EMIT roundStarted();
    const QByteArray probe = DiscoveryMessage::probe();
    for (const QHostAddress &target : std::as_const(m_targets)) {
        // A network that refuses (no route, a firewall) is no reason to skip the others.
        if (m_socket->writeDatagram(probe, target, m_port) < 0)
            qCDebug(lcDiscovery, "probe to %s: %s", qPrintable(target.toString()),
                    qPrintable(m_socket->errorString()));
    }
}

void DiscoveryProber::readPending()
{
    while (m_socket && m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram(DiscoveryMessage::maxAnswerBytes + 1);
        if (!datagram.isValid())
            continue;
        // An IPv4 address as IPv4, without a scope: it is shown and connected to.
        bool isV4 = false;
        const quint32 v4 = datagram.senderAddress().toIPv4Address(&isV4);
        const QHostAddress sender = isV4 ? QHostAddress(v4) : datagram.senderAddress();
        const std::optional<ServerAnnouncement> announcement = DiscoveryMessage::parseAnswer(datagram.data());
        if (!announcement) {
            const QString why =
                    QStringLiteral("not a discovery answer: %1 bytes, %2")
                            .arg(datagram.data().size())
                            .arg(TextSanitizer::quoted(QString::fromLatin1(datagram.data().left(32))));
            if (!m_loggedIgnored) {
                m_loggedIgnored = true;
                qCInfo(lcDiscovery, "ignored a datagram from %s: %s (further ones quietly)",
                       qPrintable(sender.toString()), qPrintable(why));
            }
            Q_EMIT ignored(sender, why);
            continue;
        }
        Q_EMIT answered(*announcement, sender);
    }
}
