#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <QTimer>

// One JSON connection that says hello (version 2) and then reads the whole history of the
// rooms it is in, 1000 messages per `history` request, until the server says there is no
// more. The checker reads each server's history with one; each load client's last connection
// is one. finished(true) when all of it arrived within the time limit.
class HistoryFetcher : public QObject
{
    Q_OBJECT

public:
    // hello: the whole hello line (without LF).
    HistoryFetcher(quint16 port, const QByteArray &hello, QObject *parent = nullptr);

    void start(int timeoutMs);

    // The welcome's history (what the hello's since resumed), and the history read after it.
    const QList<QJsonObject> &welcomeHistory() const { return m_welcomeHistory; }
    bool welcomeComplete() const { return m_welcomeComplete; }
    const QList<QJsonObject> &messages() const { return m_messages; }
    bool historyComplete() const { return m_historyComplete; }
    QString problem() const { return m_problem; }

Q_SIGNALS:
    void finished(bool ok);

private:
    void readLines();
    void handle(const QJsonObject &object);
    void requestAfter(qint64 after);
    void end(bool ok, const QString &problem = {});

    quint16 m_port;
    QByteArray m_hello;
    QTcpSocket m_socket;
    QTimer m_deadline;
    QList<QJsonObject> m_welcomeHistory;
    QList<QJsonObject> m_messages;
    bool m_welcomed = false;
    bool m_welcomeComplete = true;
    bool m_historyComplete = true;
    bool m_done = false;
    QString m_problem;
};
