#pragma once

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QRegularExpression>
#include <QStringList>
#include <QTcpSocket>

#include <functional>
#include <memory>

// A loopback chat client for tests: keeps every line it receives and waits for the ones a
// test expects by running the event loop (never by sleeping), always with a time limit.
class TestClient : public QObject
{
    Q_OBJECT

public:
    explicit TestClient(QObject *parent = nullptr);

    bool connectTo(quint16 port, const QHostAddress &host = QHostAddress::LocalHost, int timeoutMs = 5000);
    void sendLine(const QByteArray &line);
    void sendRaw(const QByteArray &bytes);
    void disconnectFromServer();

    // Waits for a line matching pattern after the last line a wait returned; returns it, or
    // a null string on timeout (lines skipped over stay in lines()).
    QString waitForLine(const QRegularExpression &pattern, int timeoutMs = 5000);
    QString waitForLine(const QString &exact, int timeoutMs = 5000);
    // Waits until at least count lines have arrived in total.
    bool waitForLineCount(qsizetype count, int timeoutMs = 5000);
    // Waits for a JSON object line whose "type" is type (any, when empty) and that satisfies
    // accept (if given), after the last line a wait returned; an empty object on timeout.
    QJsonObject waitForJson(const QString &type, const std::function<bool(const QJsonObject &)> &accept = {},
                            int timeoutMs = 5000);
    bool waitForDisconnected(int timeoutMs = 5000);

    // The nick the server gave this client, as far as the test knows.
    QString nick() const { return m_nick; }
    void setNick(const QString &nick) { m_nick = nick; }

    const QStringList &lines() const { return m_lines; }
    // Lines received after the last line a wait returned.
    QStringList unreadLines() const { return m_lines.mid(m_cursor); }
    // Where the next wait starts looking: the index in lines() after the last line a wait
    // returned (a wait that times out moves it past every line it looked at).
    qsizetype readPosition() const { return m_cursor; }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QTcpSocket &socket() { return m_socket; }

Q_SIGNALS:
    // New lines arrived (lines() has them).
    void linesArrived();

private:
    void readLines();
    // Runs the event loop until done() holds or timeoutMs pass, waking for every line that
    // arrives and every change of the socket's state (not every 10 ms, as QTest::qWaitFor).
    bool waitUntil(const std::function<bool()> &done, int timeoutMs);

    QTcpSocket m_socket;
    QByteArray m_partial;
    QStringList m_lines;
    QString m_nick;
    qsizetype m_cursor = 0;
};

// Matches a whole chat line "[HH:MM:SS] nick: text" exactly.
QRegularExpression chatLinePattern(const QString &nick, const QString &text);

// A plain client in the room on port: connected, greeted (its nick set from the greeting) and
// a member (its first line, "/nick", made it one). Null, with the reason in a warning, when
// any of that fails within the time limit.
std::unique_ptr<TestClient> joinPlain(quint16 port);
// A JSON client in the room on port as nick (empty: a guest nick), welcomed; null on failure.
std::unique_ptr<TestClient> joinJson(quint16 port, const QString &nick = QString());
// A JSON client that said helloLine (a hello of the test's making: any version, any fields) and
// was welcomed, its nick set from the welcome, which goes to welcome when given; null, with the
// reason in a warning, on failure.
std::unique_ptr<TestClient> joinJsonWith(quint16 port, const QByteArray &helloLine,
                                         QJsonObject *welcome = nullptr);
