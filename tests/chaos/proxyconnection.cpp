#include "proxyconnection.h"

#include <QHostAddress>
#include <QTimer>

ProxyConnection::ProxyConnection(QTcpSocket *accepted, quint16 targetPort, QObject *parent)
    : QObject(parent), m_down(accepted), m_up(new QTcpSocket(this))
{
    m_down->setParent(this);
    connect(m_down, &QTcpSocket::readyRead, this, &ProxyConnection::forwardUp);
    connect(m_up, &QTcpSocket::readyRead, this, &ProxyConnection::forwardDown);
    connect(m_up, &QTcpSocket::connected, this, [this] {
        m_upConnected = true;
        if (!m_pending.isEmpty())
            m_up->write(std::exchange(m_pending, {}));
        forwardUp();
    });
    connect(m_down, &QTcpSocket::disconnected, this, [this] { endGracefully(m_down); });
    connect(m_up, &QTcpSocket::disconnected, this, [this] { endGracefully(m_up); });
    connect(m_down, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            cut();
    });
    connect(m_up, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            cut();
    });
    m_up->connectToHost(QHostAddress::LocalHost, targetPort);
}

ProxyConnection::~ProxyConnection() = default;

void ProxyConnection::forwardUp()
{
    if (m_finished)
        return;
    if (!m_down->isOpen())
        return;
    const QByteArray data = m_down->readAll();
    if (data.isEmpty())
        return;
    if (m_cutArmed) {
        // A connection lost in the middle of a line: the target gets part of it.
        const QByteArray half = data.left(qMax<qsizetype>(1, data.size() / 2));
        if (m_upConnected && m_up->isOpen()) {
            m_up->write(half);
            m_up->flush();
        }
        cut();
        return;
    }
    if (m_upConnected && m_up->isOpen())
        m_up->write(data);
    else if (!m_upConnected)
        m_pending += data;
}

void ProxyConnection::forwardDown()
{
    if (m_finished || !m_up->isOpen() || !m_down->isOpen())
        return;
    m_down->write(m_up->readAll());
}

void ProxyConnection::endGracefully(QTcpSocket *from)
{
    if (m_finished)
        return;
    // What the other side still has for us is not waited for: the end of one side ends both,
    // after what was read has been passed on.
    QTcpSocket *other = from == m_down ? m_up : m_down;
    if (from == m_down)
        forwardUp();
    else
        forwardDown();
    from->disconnect(this);
    other->disconnect(this);
    if (other->state() == QAbstractSocket::ConnectedState) {
        other->flush();
        other->disconnectFromHost();
    } else {
        other->abort();
    }
    finish();
}

void ProxyConnection::cut()
{
    if (m_finished)
        return;
    // No signal of the sockets may come back here while they are reset.
    m_down->disconnect(this);
    m_up->disconnect(this);
    m_down->abort();
    m_up->abort();
    finish();
}

void ProxyConnection::cutMidStream()
{
    if (m_finished)
        return;
    m_cutArmed = true;
    QTimer::singleShot(1000, this, &ProxyConnection::cut);
}

void ProxyConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
}
