#include "plainloadclient.h"

#include "timeline.h"

#include <QRegularExpression>

PlainLoadClient::PlainLoadClient(int index, bool sends, quint32 seed, const QList<quint16> &proxyPorts,
                                 bool randomDrops, Timeline *timeline, QObject *parent)
    : LoadConnection(u'p', index, sends, seed, proxyPorts, randomDrops, timeline, parent)
{
    m_record.json = false;
}

void PlainLoadClient::finish()
{
    stopForGood();
    closeSocket();
}

QString PlainLoadClient::connectionDetail() const
{
    return QStringLiteral("connection %1").arg(m_record.connections);
}

void PlainLoadClient::greet()
{
    // A first line, so that the server greets and keeps the connection; taken or not.
    m_socket->write("/nick " + m_record.name.toUtf8() + '\n');
    if (m_sending)
        sendIn(300, 400);
    dropIn(5000, 15000);
}

void PlainLoadClient::handleLine(const QByteArray &line)
{
    // "[HH:MM:SS] nick: c3-17" (one room: no room marker).
    static const QRegularExpression message(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] \\S+: (.*)$"));
    const QRegularExpressionMatch match = message.match(QString::fromUtf8(line).trimmed());
    if (!match.hasMatch())
        return;
    ClientRecord::Seen seen;
    seen.key = ClientRecord::keyOf(match.captured(1));
    if (seen.key.isEmpty()) {
        ++m_record.foreign;
        return;
    }
    seen.atMs = m_timeline->now();
    seen.connection = m_record.connections;
    seen.server = m_server;
    m_record.seen.append(seen);
    markAcknowledged(seen.key, -1, QStringLiteral("echo"), seen.atMs);
}

void PlainLoadClient::sendNext()
{
    if (!m_sending || !isConnected())
        return;
    m_socket->write(addSend(1).toUtf8() + " end\n");
    sendIn(300, 400);
}

void PlainLoadClient::lost(const QString &)
{
    reconnectIn(300, 1200);
}
