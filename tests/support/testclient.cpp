#include "testclient.h"

#include "expect.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QTest>
#include <QTimer>

TestClient::TestClient(QObject *parent) : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &TestClient::readLines);
}

bool TestClient::connectTo(quint16 port, const QHostAddress &host, int timeoutMs)
{
    m_socket.connectToHost(host, port);
    return waitUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, timeoutMs);
}

bool TestClient::waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    const QDeadlineTimer deadline(timeoutMs);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    connect(this, &TestClient::linesArrived, &loop, &QEventLoop::quit);
    connect(&m_socket, &QAbstractSocket::stateChanged, &loop, &QEventLoop::quit);
    // Whatever else a test waits for (a server's state) changes between lines: look again
    // every 50 ms at the latest.
    constexpr qint64 pollMs = 50;
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        timer.start(int(qMin(pollMs, deadline.remainingTime())));
        loop.exec();
    }
    return true;
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
    if (waitUntil(seen, timeoutMs))
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
            if (!object.isEmpty() && (type.isEmpty() || object.value(u"type").toString() == type) &&
                (!accept || accept(object))) {
                found = object;
                ++m_cursor;
                return true;
            }
        }
        return false;
    };
    if (waitUntil(seen, timeoutMs))
        return found;
    return QJsonObject();
}

bool TestClient::waitForLineCount(qsizetype count, int timeoutMs)
{
    return waitUntil([&] { return m_lines.size() >= count; }, timeoutMs);
}

bool TestClient::waitForDisconnected(int timeoutMs)
{
    return waitUntil([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
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
    if (start > 0)
        Q_EMIT linesArrived();
}

QRegularExpression chatLinePattern(const QString &nick, const QString &text)
{
    return QRegularExpression(u"^\\[\\d\\d:\\d\\d:\\d\\d\\] " + QRegularExpression::escape(nick) + u": " +
                              QRegularExpression::escape(text) + u'$');
}

std::unique_ptr<TestClient> joinPlain(quint16 port)
{
    static const QRegularExpression greeting(QStringLiteral("^\\* welcome to groupchat, you are (\\S+);"));
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(port)) {
        qWarning("joinPlain: cannot connect to port %u", port);
        return nullptr;
    }
    const LineExpectation greeted = expectLine(*client, greeting);
    if (!greeted.failure.isEmpty()) {
        qWarning("joinPlain: %s", greeted.failure.constData());
        return nullptr;
    }
    client->setNick(greeting.match(greeted.value).captured(1));
    client->sendLine("/nick");
    const LineExpectation member =
            expectLine(*client, u"* you are " + client->nick() + u"; /nick NAME changes it");
    if (!member.failure.isEmpty()) {
        qWarning("joinPlain: %s", member.failure.constData());
        return nullptr;
    }
    return client;
}

std::unique_ptr<TestClient> joinJson(quint16 port, const QString &nick)
{
    const QJsonObject hello{ { QStringLiteral("type"), QStringLiteral("hello") },
                             { QStringLiteral("version"), 1 },
                             { QStringLiteral("nick"), nick } };
    return joinJsonWith(port, QJsonDocument(hello).toJson(QJsonDocument::Compact));
}

std::unique_ptr<TestClient> joinJsonWith(quint16 port, const QByteArray &helloLine, QJsonObject *welcome)
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(port)) {
        qWarning("joinJson: cannot connect to port %u", port);
        return nullptr;
    }
    client->sendLine(helloLine);
    const JsonExpectation welcomed = expectJson(*client, QStringLiteral("welcome"));
    if (!welcomed.failure.isEmpty()) {
        qWarning("joinJson: %s", welcomed.failure.constData());
        return nullptr;
    }
    client->setNick(welcomed.value.value(u"nick").toString());
    if (welcome)
        *welcome = welcomed.value;
    return client;
}
