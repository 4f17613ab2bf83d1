#include "testclient.h"

#include <QJsonDocument>
#include <QTest>

TestClient::TestClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &TestClient::readLines);
}

bool TestClient::connectTo(quint16 port, const QHostAddress &host, int timeoutMs)
{
    m_socket.connectToHost(host, port);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

void TestClient::sendLine(const QByteArray &line)
{
    sendRaw(line + '\n');
}

void TestClient::sendRaw(const QByteArray &bytes)
{
    m_socket.write(bytes);
}

void TestClient::disconnectFromServer()
{
    m_socket.disconnectFromHost();
}

QString TestClient::waitForLine(const QRegularExpression &pattern, int timeoutMs)
{
    QString found;
    const auto seen = [&] {
        for (; m_cursor < m_lines.size(); ++m_cursor) {
            if (pattern.match(m_lines.at(m_cursor)).hasMatch()) {
                found = m_lines.at(m_cursor++);
                return true;
            }
        }
        return false;
    };
    if (seen() || QTest::qWaitFor(seen, timeoutMs))
        return found;
    return QString();
}

QString TestClient::waitForLine(const QString &exact, int timeoutMs)
{
    return waitForLine(QRegularExpression(u'^' + QRegularExpression::escape(exact) + u'$'), timeoutMs);
}

QJsonObject TestClient::waitForJson(const QString &type,
                                    const std::function<bool(const QJsonObject &)> &accept, int timeoutMs)
{
    QJsonObject found;
    const auto seen = [&] {
        for (; m_cursor < m_lines.size(); ++m_cursor) {
            const QJsonObject object = QJsonDocument::fromJson(m_lines.at(m_cursor).toUtf8()).object();
            if (object.value(u"type").toString() == type && (!accept || accept(object))) {
                found = object;
                ++m_cursor;
                return true;
            }
        }
        return false;
    };
    if (seen() || QTest::qWaitFor(seen, timeoutMs))
        return found;
    return QJsonObject();
}

bool TestClient::waitForLineCount(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_lines.size() >= count; }, timeoutMs);
}

bool TestClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; },
                           timeoutMs);
}

void TestClient::readLines()
{
    m_partial.append(m_socket.readAll());
    qsizetype newline;
    qsizetype start = 0;
    while ((newline = m_partial.indexOf('\n', start)) >= 0) {
        m_lines.append(QString::fromUtf8(m_partial.constData() + start, newline - start));
        start = newline + 1;
    }
    m_partial.remove(0, start);
}

QRegularExpression chatLinePattern(const QString &nick, const QString &text)
{
    return QRegularExpression(u"^\\[\\d\\d:\\d\\d:\\d\\d\\] " + QRegularExpression::escape(nick) + u": " +
                              QRegularExpression::escape(text) + u'$');
}
