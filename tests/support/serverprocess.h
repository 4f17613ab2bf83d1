#pragma once

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <functional>

// The built groupchat-server as a user or a service manager runs it: a process with settings
// and data of its own (XDG_CONFIG_HOME and XDG_DATA_HOME in a temporary directory that
// outlives restarts), no display, listening on a free loopback port.
class ServerProcess
{
public:
    ServerProcess();
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    // Starts the server with arguments plus --bind 127.0.0.1 and --port 0 (unless --port is
    // among them); returns the port it listens on, or 0 (the output so far is printed).
    quint16 start(const QStringList &arguments, const QProcessEnvironment &extra = {});
    quint16 port() const { return m_port; }
    // The IRC port (unless --irc-port 0 was given, a free one; 0 without IRC).
    quint16 ircPort() const { return m_ircPort; }
    QProcess &process() { return m_process; }
    // Everything the process has printed so far.
    QString output();
    // Waits until the output has a match for pattern.
    bool waitForOutput(const QRegularExpression &pattern, int timeoutMs = 10000);
    // Sends signalNumber and waits for the process to end; true when it exited 0.
    bool stop(int signalNumber);
    // SIGKILL: no chance to clean up. Waits for the process to be gone.
    void kill();

    // Runs in the child before the server starts (resource limits, say).
    void setChildModifier(const std::function<void()> &modifier)
    {
        m_process.setChildProcessModifier(modifier);
    }

    // The directory standing in for the user's home directories.
    QString homePath() const { return m_home.path(); }

private:
    QTemporaryDir m_home;
    QProcess m_process;
    QByteArray m_output;
    quint16 m_port = 0;
    quint16 m_ircPort = 0;
};
