#include "servernode.h"

#include <QDir>
#include <QRegularExpression>

#include <csignal>

ServerNode::ServerNode(int index, const QString &binary, const QString &directory, quint16 redisPort,
                       bool irc, QObject *parent)
    : QObject(parent),
      m_index(index),
      m_binary(binary),
      m_directory(directory),
      m_redisPort(redisPort),
      m_irc(irc)
{
    QDir().mkpath(directory);
    m_log.setFileName(logPath());
    m_log.open(QIODevice::WriteOnly | QIODevice::Append);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *variable : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "LANGUAGE" })
        environment.remove(QLatin1String(variable));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), directory + u"/config");
    environment.insert(QStringLiteral("XDG_DATA_HOME"), directory + u"/data");
    environment.insert(QStringLiteral("GROUPCHAT_DISCOVERY_LOOPBACK_ONLY"), QStringLiteral("1"));
    m_process.setProcessEnvironment(environment);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &ServerNode::readOutput);
    connect(&m_process, &QProcess::finished, this, &ServerNode::ended);
}

ServerNode::~ServerNode()
{
    m_stopping = true;
    if (isRunning()) {
        resume();
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString ServerNode::logPath() const
{
    return m_directory + QStringLiteral("/server-%1.log").arg(m_index + 1);
}

void ServerNode::start()
{
    if (isRunning())
        return;
    m_listening = false;
    m_plainListening = false;
    m_ircListening = false;
    m_clusterHealthy = false;
    m_paused = false;
    m_stopping = false;
    m_partial.clear();
    // IRC on a free port the first time; the same port after a restart ("free" would move it
    // away from the proxy in front of it).
    const QString ircPort = !m_irc           ? QStringLiteral("0")
                            : m_ircPort == 0 ? QStringLiteral("free")
                                             : QString::number(m_ircPort);
    const QStringList arguments{
        QStringLiteral("--headless"),
        QStringLiteral("--bind"),
        QStringLiteral("127.0.0.1"),
        QStringLiteral("--port"),
        QString::number(m_port),
        QStringLiteral("--name"),
        name(),
        QStringLiteral("--db"),
        m_directory + u"/history.sqlite",
        QStringLiteral("--history-keep"),
        QStringLiteral("0"),
        QStringLiteral("--redis"),
        QStringLiteral("redis://127.0.0.1:%1/chaos").arg(m_redisPort),
        QStringLiteral("--flood"),
        QStringLiteral("off"),
        QStringLiteral("--max-per-address"),
        QStringLiteral("0"),
        QStringLiteral("--max-connects-per-minute"),
        QStringLiteral("0"),
        QStringLiteral("--max-sendq"),
        QString::number(64 << 20),
        QStringLiteral("--soft-sendq"),
        QString::number(32 << 20),
        QStringLiteral("--irc-port"),
        ircPort,
        QStringLiteral("--tls-port"),
        QStringLiteral("0"),
        QStringLiteral("--announce"),
        QStringLiteral("off"),
        QStringLiteral("--discovery-port"),
        QStringLiteral("0"),
    };
    m_log.write("---- start: " + arguments.join(u' ').toUtf8() + '\n');
    m_log.flush();
    m_process.start(m_binary, arguments);
}

void ServerNode::readOutput()
{
    const QByteArray data = m_process.readAllStandardOutput();
    m_log.write(data);
    m_log.flush();
    m_partial += data;
    static const QRegularExpression listening(QStringLiteral("listening on [^ ]+ port (\\d+)"));
    static const QRegularExpression ircListening(QStringLiteral("IRC on port (\\d+)"));
    qsizetype end;
    while ((end = m_partial.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_partial.left(end));
        m_partial.remove(0, end + 1);
        if (line.contains(u"cluster: connected to Redis"))
            m_clusterHealthy = true;
        else if (line.contains(u"cluster degraded"))
            m_clusterHealthy = false;
        const QRegularExpressionMatch match = listening.match(line);
        if (match.hasMatch() && !m_plainListening) {
            m_port = match.captured(1).toUShort();
            m_plainListening = true;
        }
        // The server says "IRC on port N" after its chat port, and listens on both before it
        // says either.
        const QRegularExpressionMatch ircMatch = ircListening.match(line);
        if (ircMatch.hasMatch() && m_irc && !m_ircListening) {
            m_ircPort = ircMatch.captured(1).toUShort();
            m_ircListening = true;
        }
        if (m_plainListening && (m_ircListening || !m_irc) && !m_listening) {
            m_listening = true;
            m_startTries = 0;
            Q_EMIT ready();
        }
    }
}

void ServerNode::ended()
{
    m_listening = false;
    m_plainListening = false;
    m_ircListening = false;
    m_clusterHealthy = false;
    m_paused = false;
    m_log.write("---- ended\n");
    m_log.flush();
    if (m_stopping || m_process.exitStatus() == QProcess::CrashExit)
        return; // killed on purpose; whoever killed it starts it again
    // It ended on its own: its port may not have been free yet. Try again, a bounded number
    // of times.
    if (++m_startTries <= 20) {
        QTimer::singleShot(500, this, &ServerNode::start);
        return;
    }
    Q_EMIT failed(QStringLiteral("%1 exits at start (exit code %2); see %3")
                          .arg(name())
                          .arg(m_process.exitCode())
                          .arg(logPath()));
}

void ServerNode::kill()
{
    if (!isRunning())
        return;
    m_stopping = true;
    m_process.kill();
    m_process.waitForFinished(5000);
    m_stopping = false;
}

void ServerNode::pause()
{
    if (isRunning() && !m_paused) {
        ::kill(pid_t(m_process.processId()), SIGSTOP);
        m_paused = true;
    }
}

void ServerNode::resume()
{
    if (isRunning() && m_paused) {
        ::kill(pid_t(m_process.processId()), SIGCONT);
        m_paused = false;
    }
}

void ServerNode::stop()
{
    if (!isRunning())
        return;
    m_stopping = true;
    resume();
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}
