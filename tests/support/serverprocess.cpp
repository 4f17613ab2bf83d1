#include "serverprocess.h"

#include <QTest>

#include <csignal>

ServerProcess::ServerProcess()
{
    m_process.setProgram(QStringLiteral(GROUPCHAT_SERVER_BINARY));
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
}

quint16 ServerProcess::start(const QStringList &arguments, const QProcessEnvironment &extra)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM" })
        environment.remove(QLatin1String(name));
    // The log in English, as tests read it, whatever the language of the session they run in
    // (the server writes its log in its user's language); a test may still ask for another.
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    environment.remove(QStringLiteral("LANGUAGE"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.path() + u"/config");
    environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.path() + u"/data");
    for (const QString &key : extra.keys())
        environment.insert(key, extra.value(key));
    m_process.setProcessEnvironment(environment);
    QStringList all = arguments;
    if (!arguments.contains(QStringLiteral("--bind")))
        all += { QStringLiteral("--bind"), QStringLiteral("127.0.0.1") };
    if (!arguments.contains(QStringLiteral("--port")))
        all += { QStringLiteral("--port"), QStringLiteral("0") };
    // IRC's default port is one for the whole machine: tests that run side by side each take
    // a free one.
    if (!arguments.contains(QStringLiteral("--irc-port")))
        all += { QStringLiteral("--irc-port"), QStringLiteral("free") };
    m_process.setArguments(all);
    m_output.clear();
    m_port = 0;
    m_ircPort = 0;
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return 0;
    const QRegularExpression listening(QStringLiteral("listening on [^ ]+ port (\\d+)"));
    const QRegularExpression ircListening(QStringLiteral("IRC on port (\\d+)"));
    const qsizetype ircAt = all.indexOf(QStringLiteral("--irc-port"));
    const bool ircWanted = ircAt < 0 || all.value(ircAt + 1) != u"0";
    QRegularExpressionMatch match;
    QRegularExpressionMatch irc;
    const bool ended = QTest::qWaitFor(
            [&] {
                const QString out = output();
                match = listening.match(out);
                irc = ircListening.match(out);
                return (match.hasMatch() && (irc.hasMatch() || !ircWanted)) ||
                       m_process.state() == QProcess::NotRunning;
            },
            10000);
    if (!ended || !match.hasMatch()) {
        qWarning("server output: %s", qPrintable(output()));
        return 0;
    }
    m_port = match.captured(1).toUShort();
    m_ircPort = irc.hasMatch() ? irc.captured(1).toUShort() : 0;
    return m_port;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

bool ServerProcess::waitForOutput(const QRegularExpression &pattern, int timeoutMs)
{
    return QTest::qWaitFor([&] { return pattern.match(output()).hasMatch(); }, timeoutMs);
}

bool ServerProcess::stop(int signalNumber)
{
    if (m_process.state() == QProcess::NotRunning)
        return false;
    ::kill(pid_t(m_process.processId()), signalNumber);
    if (!QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 10000))
        return false;
    output();
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(10000);
    output();
}
