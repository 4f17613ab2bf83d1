#pragma once

#include <QFile>
#include <QObject>
#include <QProcess>

// The private redis-server: loopback only, on one port for the whole run, working in its own
// directory, nothing saved (so a restart starts empty). Its output goes to redis.log there.
class RedisProcess : public QObject
{
    Q_OBJECT

public:
    RedisProcess(const QString &binary, const QString &directory, QObject *parent = nullptr);
    ~RedisProcess() override;

    // Starts it on port (0: a free one, the first time); false when it cannot be started.
    bool start();
    quint16 port() const { return m_port; }
    void kill();
    void pause(); // SIGSTOP
    void resume(); // SIGCONT
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    bool isPaused() const { return m_paused; }

private:
    QString m_binary;
    QString m_directory;
    QProcess m_process;
    quint16 m_port = 0;
    bool m_paused = false;
};
