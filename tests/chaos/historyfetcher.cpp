#include "historyfetcher.h"

#include <QJsonArray>
#include <QJsonDocument>

HistoryFetcher::HistoryFetcher(quint16 port, const QByteArray &hello, QObject *parent)
    : QObject(parent), m_port(port), m_hello(hello)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        end(false, m_welcomed ? QStringLiteral("the history did not arrive in time")
                              : QStringLiteral("no welcome in time"));
    });
    connect(&m_socket, &QTcpSocket::connected, this, [this] { m_socket.write(m_hello + '\n'); });
    connect(&m_socket, &QTcpSocket::readyRead, this, &HistoryFetcher::readLines);
    connect(&m_socket, &QTcpSocket::disconnected, this,
            [this] { end(false, QStringLiteral("the server closed the connection")); });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_socket.error() != QAbstractSocket::RemoteHostClosedError)
            end(false, m_socket.errorString());
    });
}

void HistoryFetcher::start(int timeoutMs)
{
    m_deadline.start(timeoutMs);
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
}

void HistoryFetcher::readLines()
{
    while (!m_done && m_socket.canReadLine()) {
        const QByteArray line = m_socket.readLine().trimmed();
        if (!line.startsWith('{'))
            continue; // the plain greeting before the welcome
        handle(QJsonDocument::fromJson(line).object());
    }
}

void HistoryFetcher::handle(const QJsonObject &object)
{
    const QString type = object.value(u"type").toString();
    if (type == u"welcome") {
        m_welcomed = true;
        m_welcomeComplete = object.value(u"historyComplete").toBool(true);
        for (const QJsonValue &value : object.value(u"history").toArray()) {
            if (value.toObject().value(u"type").toString() == u"message")
                m_welcomeHistory.append(value.toObject());
        }
        requestAfter(0);
    } else if (type == u"history" && m_welcomed) {
        const QJsonArray messages = object.value(u"messages").toArray();
        if (object.contains(u"complete") && !object.value(u"complete").toBool() && m_messages.isEmpty())
            m_historyComplete = false;
        for (const QJsonValue &value : messages)
            m_messages.append(value.toObject());
        if (object.value(u"more").toBool() && !messages.isEmpty())
            requestAfter(messages.last().toObject().value(u"id").toInteger());
        else
            end(true);
    } else if (type == u"ping") {
        m_socket.write(R"({"type":"pong"})"
                       "\n");
    } else if (type == u"error") {
        end(false, QStringLiteral("error %1: %2")
                           .arg(object.value(u"code").toString(), object.value(u"text").toString()));
    }
}

void HistoryFetcher::requestAfter(qint64 after)
{
    m_socket.write(R"({"type":"history","after":)" + QByteArray::number(after) + R"(,"limit":1000})" + '\n');
}

void HistoryFetcher::end(bool ok, const QString &problem)
{
    if (m_done)
        return;
    m_done = true;
    m_problem = problem;
    m_deadline.stop();
    m_socket.disconnect(this);
    m_socket.abort();
    Q_EMIT finished(ok);
}
