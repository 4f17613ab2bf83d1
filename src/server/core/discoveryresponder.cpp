#include "discoveryresponder.h"

#include "serverlog.h"
#include "textsanitizer.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

namespace {

// One rate-limit bucket per IPv4 address or IPv6 /64, as Admission counts connections.
QByteArray sourceKey(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        return QByteArray::number(v4);
    const Q_IPV6ADDR v6 = address.toIPv6Address();
    return QByteArray(reinterpret_cast<const char *>(v6.c), 8);
}

} // namespace

DiscoveryResponder::DiscoveryResponder(QObject *parent) : QObject(parent)
{
    m_clock.start();
}

DiscoveryResponder::~DiscoveryResponder() = default;

void DiscoveryResponder::setLimits(const ChatLimits &limits)
{
    m_limits = limits;
}

void DiscoveryResponder::setAnnouncementSource(AnnouncementSource source)
{
    m_source = std::move(source);
}

void DiscoveryResponder::setLoopbackOnly(bool loopbackOnly)
{
    m_loopbackOnly = loopbackOnly;
}

bool DiscoveryResponder::start(quint16 port, QString *error)
{
    stop();
    auto *socket = new QUdpSocket(this);
    // ShareAddress: several servers on one machine each get the broadcast probes.
    if (!socket->bind(QHostAddress::AnyIPv4, port, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        if (error)
            *error = socket->errorString();
        delete socket;
        return false;
    }
    m_socket = socket;
    m_sources.clear();
    m_answersThisSecond = 0;
    m_loggedMalformed = m_loggedRateLimited = m_loggedForeign = false;
    connect(m_socket, &QUdpSocket::readyRead, this, &DiscoveryResponder::readPending);
    return true;
}

void DiscoveryResponder::stop()
{
    if (!m_socket)
        return;
    m_socket->close();
    m_socket->deleteLater();
    m_socket = nullptr;
    m_sources.clear();
}

bool DiscoveryResponder::isActive() const
{
    return m_socket != nullptr;
}

quint16 DiscoveryResponder::port() const
{
    return m_socket ? m_socket->localPort() : 0;
}

void DiscoveryResponder::drop(const QHostAddress &source, const QString &why, bool *logged)
{
    if (!*logged) {
        *logged = true;
        // What the peer sent is quoted in why.
        qCInfo(lcServer, "%s",
               qUtf8Printable(
                       ServerLog::tr(
                               "discovery: ignored a probe from %1: %2 (further ones are ignored quietly)")
                               .arg(source.toString(), why)));
    }
    Q_EMIT dropped(source, why);
}

bool DiscoveryResponder::admit(const QHostAddress &source)
{
    const qint64 now = m_clock.elapsed();
    if (now - m_secondStartMs >= 1000) {
        m_secondStartMs = now;
        m_answersThisSecond = 0;
    }
    if (m_answersThisSecond >= m_limits.discoveryAnswersPerSecond)
        return false;
    const QByteArray key = sourceKey(source);
    auto it = m_sources.find(key);
    if (it == m_sources.end()) {
        if (m_sources.size() >= ChatLimits::discoveryMaxSources) {
            // Forget the sources whose window is over; still full means a flood: no answer.
            m_sources.removeIf([&](const auto &entry) {
                return now - entry.value().startMs >= m_limits.discoveryWindowMs;
            });
            if (m_sources.size() >= ChatLimits::discoveryMaxSources)
                return false;
        }
        it = m_sources.insert(key, SourceWindow{ now, 0 });
    } else if (now - it->startMs >= m_limits.discoveryWindowMs) {
        *it = SourceWindow{ now, 0 };
    }
    if (it->answers >= m_limits.discoveryAnswersPerSource)
        return false;
    ++it->answers;
    ++m_answersThisSecond;
    return true;
}

void DiscoveryResponder::readPending()
{
    // Reads whatever is queued; every datagram is looked at and the buffer never grows
    // (the kernel drops what its socket buffer cannot hold).
    while (m_socket && m_socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_socket->receiveDatagram(DiscoveryMessage::maxProbeBytes + 1);
        const QHostAddress source = datagram.senderAddress();
        if (!datagram.isValid() || source.isNull())
            continue;
        const QByteArray data = datagram.data();
        if (m_loopbackOnly && !source.isLoopback()) {
            drop(source, QStringLiteral("the server listens on loopback only"), &m_loggedForeign);
            continue;
        }
        const QString problem = DiscoveryMessage::probeProblem(data);
        if (!problem.isEmpty()) {
            drop(source,
                 QStringLiteral("not a probe (%1): %2")
                         .arg(problem, TextSanitizer::quoted(QString::fromLatin1(data.left(32)))),
                 &m_loggedMalformed);
            continue;
        }
        if (!admit(source)) {
            drop(source, QStringLiteral("over the rate limit"), &m_loggedRateLimited);
            continue;
        }
        const QByteArray answer =
                DiscoveryMessage::answer(m_source ? m_source() : ServerAnnouncement(), data.size());
        if (answer.isEmpty())
            continue;
        m_socket->writeDatagram(answer, source, datagram.senderPort());
        Q_EMIT answered(source, data.size(), answer.size());
    }
}
