#pragma once

#include <QFile>
#include <QObject>
#include <QProcess>
#include <QTimer>

// One groupchat-server of the cluster as a process: headless, on 127.0.0.1, its own settings
// and history database in its own directory (kept across restarts), flood control and the
// per-address limits off, reaching Redis through its FaultProxy. The first start takes a free
// port (and, with IRC, a free IRC port); restarts take the same ones, so the proxies in front
// of it stay valid. Its output goes to server-N.log in its directory.
class ServerNode : public QObject
{
    Q_OBJECT

public:
    // irc: serve IRC too (--irc-port free, then the port it got).
    ServerNode(int index, const QString &binary, const QString &directory, quint16 redisPort, bool irc,
               QObject *parent = nullptr);
    ~ServerNode() override;

    int index() const { return m_index; }
    QString name() const { return QStringLiteral("server %1").arg(m_index + 1); }
    // Starts the process; ready() follows once it listens, on both ports with IRC (and again
    // after each restart).
    void start();
    quint16 port() const { return m_port; }
    quint16 ircPort() const { return m_ircPort; }
    bool isListening() const { return m_listening; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // Its log says the cluster link is up (since its last start).
    bool clusterHealthy() const { return m_clusterHealthy; }
    void kill(); // SIGKILL
    void pause(); // SIGSTOP
    void resume(); // SIGCONT
    bool isPaused() const { return m_paused; }
    // Stops it with SIGTERM, then SIGKILL after a while.
    void stop();
    QString logPath() const;

Q_SIGNALS:
    void ready();
    void failed(const QString &why);

private:
    void readOutput();
    void ended();

    int m_index;
    QString m_binary;
    QString m_directory;
    quint16 m_redisPort;
    QProcess m_process;
    QFile m_log;
    QByteArray m_partial;
    bool m_irc;
    quint16 m_port = 0;
    quint16 m_ircPort = 0;
    bool m_plainListening = false; // the chat port; m_listening waits for IRC's too
    bool m_ircListening = false;
    bool m_listening = false;
    bool m_clusterHealthy = false;
    bool m_paused = false;
    bool m_stopping = false;
    int m_startTries = 0;
};
