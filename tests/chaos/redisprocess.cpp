#include "redisprocess.h"

#include <QTcpServer>

#include <csignal>

RedisProcess::RedisProcess(const QString &binary, const QString &directory, QObject *parent)
    : QObject(parent), m_binary(binary), m_directory(directory)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(directory + u"/redis.log", QIODevice::Append);
    m_process.setWorkingDirectory(directory);
}

RedisProcess::~RedisProcess()
{
    kill();
}

bool RedisProcess::start()
{
    if (isRunning())
        return true;
    if (m_port == 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return false;
        m_port = probe.serverPort();
    }
    m_paused = false;
    m_process.start(m_binary, { QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                                m_directory, QStringLiteral("--protected-mode"), QStringLiteral("yes") });
    return m_process.waitForStarted(5000);
}

void RedisProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill(); // SIGKILL also ends a stopped process
    m_process.waitForFinished(5000);
    m_paused = false;
}

void RedisProcess::pause()
{
    if (isRunning() && !m_paused) {
        ::kill(pid_t(m_process.processId()), SIGSTOP);
        m_paused = true;
    }
}

void RedisProcess::resume()
{
    if (isRunning() && m_paused) {
        ::kill(pid_t(m_process.processId()), SIGCONT);
        m_paused = false;
    }
}
