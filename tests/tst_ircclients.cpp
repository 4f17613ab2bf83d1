// Real IRC clients from Debian's packages on the server's IRC port, in the same rooms as a
// desktop-dialect (JSON) client and an nc-style plain client: WeeChat (weechat-headless, typed
// to through its FIFO plugin) and irssi (in a terminal tmux gives it, typed to with send-keys).
// What an IRC client shows is read from its own logs, one file per room or private
// conversation, as it wrote them; what the others see is checked to the exact line.
#include "expect.h"
#include "jsontext.h"
#include "serverprocess.h"
#include "testclient.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <memory>

namespace {

// Waits for anything an IRC client does: its processes compete for two cores with the server
// and, in the sanitizer build, with a slow server.
constexpr int clientMs = 20000;

// A log's time stamp, as both clients are set to write it.
const QString stampFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");
const QString stampPattern = QStringLiteral("(?<time>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)");

// The last lines of a text file, tabs shown as \t, for a failure message.
QByteArray tailOf(const QString &path, int lines = 15)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "   (" + path.toUtf8() + " cannot be read: " + file.errorString().toUtf8() + ")\n";
    QList<QByteArray> all = file.readAll().split('\n');
    if (!all.isEmpty() && all.constLast().isEmpty())
        all.removeLast();
    QByteArray out = "   " + path.toUtf8() + ", " + QByteArray::number(all.size()) + " lines";
    out += all.size() > lines ? ", the last " + QByteArray::number(lines) + ":\n" : QByteArray(":\n");
    for (qsizetype i = qMax<qsizetype>(0, all.size() - lines); i < all.size(); ++i)
        out += "   | " + QByteArray(all.at(i)).replace('\t', "\\t") + '\n';
    return out;
}

// One real IRC client as a user drives it: typing into a room or a private conversation, and
// reading what it shows from its logs (the time each line is shown with, and the text).
class IrcClient
{
public:
    virtual ~IrcClient() = default;
    virtual QString name() const = 0;
    // Starts it as nick with its server set to 127.0.0.1 port; it connects on its own (false,
    // with why in a warning, when it cannot start).
    virtual bool start(quint16 port, const QString &nick) = 0;
    // A line typed in the window of target, a room the client is in or a nick (a private
    // conversation, opened if need be): text, or a command such as "/me".
    virtual bool type(const QString &target, const QString &line) = 0;
    // A command typed wherever the client happens to be.
    virtual bool command(const QString &line) = 0;
    // "/disconnect" and connecting again to the same server.
    virtual bool disconnectFromServer() = 0;
    virtual bool reconnect() = 0;
    // Quits and ends every process of its (also from the destructor).
    virtual void stop() = 0;

    // The log of a room or private conversation.
    virtual QString logPath(const QString &target) const = 0;
    // Log lines: a message, a /me, a nick change; each captures the time shown in "time".
    QRegularExpression messageLine(const QString &nick, const QString &text) const
    {
        return QRegularExpression(
                messagePattern(QRegularExpression::escape(nick), QRegularExpression::escape(text)));
    }
    // Any message from nick, its text captured in "text".
    QRegularExpression anyMessageLine(const QString &nick) const
    {
        return QRegularExpression(
                messagePattern(QRegularExpression::escape(nick), QStringLiteral("(?<text>.*)")));
    }
    virtual QRegularExpression actionLine(const QString &nick, const QString &text) const = 0;
    virtual QRegularExpression nickLine(const QString &oldNick, const QString &newNick) const = 0;
    // What else tells why an expectation failed (the client's screen, its own log).
    virtual QByteArray diagnostics() = 0;

protected:
    // A message line's pattern, of patterns for the nick and the text.
    virtual QString messagePattern(const QString &nick, const QString &text) const = 0;
};

// WeeChat's headless build with a home of its own (-d), only its IRC, logger and FIFO plugins;
// commands go through the FIFO, so each is carried out in order as soon as it is written.
class WeeChat : public IrcClient
{
public:
    ~WeeChat() override { stop(); }
    QString name() const override { return QStringLiteral("WeeChat"); }

    bool start(quint16 port, const QString &nick) override
    {
        const QString program = QStandardPaths::findExecutable(QStringLiteral("weechat-headless"));
        if (!m_home.isValid() || program.isEmpty())
            return false;
        const QStringList commands{
            // Every line on disk at once, not every two minutes.
            QStringLiteral("/set logger.file.flush_delay 0"),
            // WeeChat spaces out what it sends (2 s) against flood limits; the server is
            // started without them.
            QStringLiteral("/set irc.server_default.anti_flood_prio_high 0"),
            QStringLiteral("/set irc.server_default.anti_flood_prio_low 0"),
            QStringLiteral("/set irc.server_default.autoreconnect off"),
            QStringLiteral("/server add gc 127.0.0.1/%1 -notls -nicks=%2 -username=%2 "
                           "\"-realname=WeeChat in a test\"")
                    .arg(port)
                    .arg(nick),
            QStringLiteral("/connect gc"),
        };
        m_process.setProgram(program);
        m_process.setArguments({ QStringLiteral("-d"), m_home.path(), QStringLiteral("-P"),
                                 QStringLiteral("irc,logger,fifo"), QStringLiteral("-r"),
                                 commands.join(QStringLiteral("; ")) });
        // Its terminal output in headless mode is a few escape sequences; what it has to say
        // goes to weechat.log in its home.
        m_process.setStandardOutputFile(QProcess::nullDevice());
        m_process.setStandardErrorFile(QProcess::nullDevice());
        // Gone with the test, even one killed at its time limit before its destructors ran.
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_process.start();
        if (!m_process.waitForStarted(10000)) {
            qWarning("weechat-headless does not start: %s", qPrintable(m_process.errorString()));
            return false;
        }
        return true;
    }

    bool type(const QString &target, const QString &line) override
    {
        // A private conversation is a buffer of its own: /query opens it (or goes to it).
        if (!target.startsWith(u'#') && !fifo(u"irc.server.gc */query " + target))
            return false;
        return fifo(u"irc.gc." + target + u" *" + line);
    }
    bool command(const QString &line) override { return fifo(u"irc.server.gc *" + line); }
    bool disconnectFromServer() override { return command(QStringLiteral("/disconnect gc")); }
    bool reconnect() override { return command(QStringLiteral("/connect gc")); }

    void stop() override
    {
        if (m_process.state() != QProcess::NotRunning) {
            fifo(QStringLiteral("*/quit"));
            if (!m_process.waitForFinished(5000)) {
                m_process.kill();
                m_process.waitForFinished(5000);
            }
        }
        if (m_fifo >= 0) {
            ::close(m_fifo);
            m_fifo = -1;
        }
    }

    QString logPath(const QString &target) const override
    {
        // logger.file.mask's default, in lower case (logger.file.name_lower_case).
        return m_home.filePath(u"logs/irc.gc." + target.toLower() + u".weechatlog");
    }
    QRegularExpression actionLine(const QString &nick, const QString &text) const override
    {
        return QRegularExpression(u'^' + stampPattern + u"\t \\*\t" + QRegularExpression::escape(nick) +
                                  u' ' + QRegularExpression::escape(text) + u'$');
    }
    QRegularExpression nickLine(const QString &oldNick, const QString &newNick) const override
    {
        return QRegularExpression(u'^' + stampPattern + u"\t--\t" + QRegularExpression::escape(oldNick) +
                                  u" is now known as " + QRegularExpression::escape(newNick) + u'$');
    }
    QByteArray diagnostics() override
    {
        return "   WeeChat's server buffer:\n" +
               tailOf(m_home.filePath(QStringLiteral("logs/irc.server.gc.weechatlog"))) +
               "   WeeChat's own log:\n" + tailOf(m_home.filePath(QStringLiteral("weechat.log")), 5);
    }

protected:
    QString messagePattern(const QString &nick, const QString &text) const override
    {
        return u'^' + stampPattern + u'\t' + nick + u'\t' + text + u'$';
    }

private:
    // One line for the FIFO plugin ("buffer *text", "*/command"). The FIFO is opened once and
    // kept open: WeeChat reopens it whenever its last writer closes it, and a line written
    // just then would be lost. It exists once the plugin is loaded, shortly after the start.
    bool fifo(const QString &line)
    {
        if (m_fifo < 0) {
            const QByteArray path =
                    m_home.filePath(u"weechat_fifo_" + QString::number(m_process.processId())).toLocal8Bit();
            // Without a reader (WeeChat not that far yet), a non-blocking open fails: try again.
            const bool opened = QTest::qWaitFor(
                    [&] {
                        m_fifo = ::open(path.constData(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                        return m_fifo >= 0 || m_process.state() == QProcess::NotRunning;
                    },
                    10000);
            if (!opened || m_fifo < 0) {
                qWarning("WeeChat's FIFO %s cannot be opened (its plugin is in weechat-plugins): %s",
                         path.constData(), strerror(errno));
                return false;
            }
        }
        const QByteArray bytes = line.toUtf8() + '\n';
        // Far below PIPE_BUF: written whole or not at all.
        return ::write(m_fifo, bytes.constData(), size_t(bytes.size())) == bytes.size();
    }

    QTemporaryDir m_home;
    QProcess m_process;
    int m_fifo = -1;
};

// irssi, which needs a terminal: it runs in a detached tmux session on a socket of its own and
// is typed to with send-keys, as a person would type.
class Irssi : public IrcClient
{
public:
    ~Irssi() override { stop(); }
    QString name() const override { return QStringLiteral("irssi"); }

    bool start(quint16 port, const QString &nick) override
    {
        if (!m_home.isValid())
            return false;
        QFile config(m_home.filePath(QStringLiteral("config")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        // Every setting below is one irssi knows in its module: an unknown one would make it
        // ask whether to remove it, and that question would take the first keys typed.
        config.write(
                QStringLiteral(
                        R"(servers = ( { address = "127.0.0.1"; chatnet = "gc"; port = "%1"; use_tls = "no"; autoconnect = "yes"; } );
chatnets = { gc = { type = "IRC"; }; };
settings = {
  core = {
    nick = "%2"; user_name = "%2"; real_name = "irssi in a test";
    log_timestamp = "%Y-%m-%d %H:%M:%S ";
  };
  "irc/core" = { cmds_max_at_once = "100"; cmd_queue_speed = "0msec"; };
  "fe-common/core" = {
    autolog = "yes"; autolog_path = "%3/logs/$tag/$0.log"; autolog_level = "all";
    log_server_time = "yes";
  };
  "fe-text" = { paste_detect_time = "0"; };
};
)")
                        .arg(port)
                        .arg(nick, m_home.path())
                        .toUtf8());
        config.close();
        if (!tmux({ QStringLiteral("-f"), QStringLiteral("/dev/null"), QStringLiteral("new-session"),
                    QStringLiteral("-d"), QStringLiteral("-s"), QStringLiteral("irc"), QStringLiteral("-x"),
                    QStringLiteral("160"), QStringLiteral("-y"), QStringLiteral("40"),
                    // tmux's server outlives whoever started it: irssi is bounded in time of
                    // its own, in case the test is killed before it can stop it. --foreground
                    // leaves irssi the terminal's foreground.
                    u"timeout --foreground 180 irssi --home=" + m_home.path() })) {
            qWarning("tmux cannot start irssi");
            return false;
        }
        m_started = true;
        return true;
    }

    bool type(const QString &target, const QString &line) override
    {
        const QString to =
                target.startsWith(u'#') ? QString(u"/window goto " + target) : QString(u"/query " + target);
        return command(to) && command(line);
    }
    bool command(const QString &line) override
    {
        // -l: the text as it is, never read as key names.
        return tmux({ QStringLiteral("send-keys"), QStringLiteral("-t"), QStringLiteral("irc"),
                      QStringLiteral("-l"), line, QStringLiteral(";"), QStringLiteral("send-keys"),
                      QStringLiteral("-t"), QStringLiteral("irc"), QStringLiteral("Enter") });
    }
    bool disconnectFromServer() override { return command(QStringLiteral("/disconnect")); }
    bool reconnect() override { return command(QStringLiteral("/connect gc")); }

    void stop() override
    {
        if (!m_started)
            return;
        m_started = false;
        command(QStringLiteral("/quit"));
        // Whether it went or not, the tmux server goes next.
        (void)QTest::qWaitFor(
                [this] {
                    return !tmux(
                            { QStringLiteral("has-session"), QStringLiteral("-t"), QStringLiteral("irc") });
                },
                5000);
        // The session ends with irssi; the server ends with its last session, or here.
        tmux({ QStringLiteral("kill-server") });
    }

    QString logPath(const QString &target) const override
    {
        return m_home.filePath(u"logs/gc/" + target.toLower() + u".log");
    }
    QRegularExpression actionLine(const QString &nick, const QString &text) const override
    {
        return QRegularExpression(u'^' + stampPattern + u" +\\* " + QRegularExpression::escape(nick) + u' ' +
                                  QRegularExpression::escape(text) + u'$');
    }
    QRegularExpression nickLine(const QString &oldNick, const QString &newNick) const override
    {
        return QRegularExpression(u'^' + stampPattern + u" -!- " + QRegularExpression::escape(oldNick) +
                                  u" is now known as " + QRegularExpression::escape(newNick) + u'$');
    }
    QByteArray diagnostics() override
    {
        QByteArray screen;
        tmux({ QStringLiteral("capture-pane"), QStringLiteral("-p"), QStringLiteral("-t"),
               QStringLiteral("irc") },
             &screen);
        QByteArray shown;
        for (const QByteArray &line : screen.split('\n')) {
            if (!line.trimmed().isEmpty())
                shown += "   | " + line + '\n';
        }
        return "   irssi's screen:\n" + shown;
    }

protected:
    QString messagePattern(const QString &nick, const QString &text) const override
    {
        // "< alice> hi" in a room (the space is where a channel operator's @ would be), "<alice> hi"
        // in a private conversation.
        return u'^' + stampPattern + u" <[ @+]?" + nick + u"> " + text + u'$';
    }

private:
    // Runs tmux on this client's socket; whether it succeeded, its output in out.
    bool tmux(const QStringList &arguments, QByteArray *out = nullptr)
    {
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // tmux wants a terminal type even for a detached session; irssi gets tmux's own.
        if (environment.value(QStringLiteral("TERM")).isEmpty() ||
            environment.value(QStringLiteral("TERM")) == u"dumb")
            environment.insert(QStringLiteral("TERM"), QStringLiteral("xterm-256color"));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral("tmux"),
                      QStringList{ QStringLiteral("-S"), m_home.filePath(QStringLiteral("tmux.socket")) } +
                              arguments);
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished(5000);
            return false;
        }
        if (out)
            *out = process.readAllStandardOutput();
        return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    }

    QTemporaryDir m_home;
    bool m_started = false;
};

// The lines of a log a client is writing, only whole ones: it may be halfway through the last.
QStringList wholeLines(const QString &path)
{
    QFile file(path);
    QStringList lines;
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    const QList<QByteArray> all = file.readAll().split('\n');
    for (qsizetype i = 0; i + 1 < all.size(); ++i)
        lines.append(QString::fromUtf8(all.at(i)));
    return lines;
}

// The line of client's log of target matching pattern, or why there is none within timeoutMs:
// the log's last lines (the test's cleanup shows the client's diagnostics).
LineExpectation expectLog(IrcClient &client, const QString &target, const QRegularExpression &pattern,
                          int timeoutMs = clientMs)
{
    LineExpectation result;
    const QString path = client.logPath(target);
    const bool found = QTest::qWaitFor(
            [&] {
                for (const QString &line : wholeLines(path)) {
                    if (pattern.match(line).hasMatch()) {
                        result.value = line;
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
    if (!found)
        result.failure = "no line matching /" + pattern.pattern().toUtf8() + "/ in " +
                         client.name().toUtf8() + "'s log of " + target.toUtf8() + " within " +
                         QByteArray::number(timeoutMs) + " ms;\n" + tailOf(path);
    return result;
}

// The "text" of every line of client's log of target that matches pattern, in order.
QStringList logTexts(IrcClient &client, const QString &target, const QRegularExpression &pattern)
{
    QStringList texts;
    for (const QString &line : wholeLines(client.logPath(target))) {
        const QRegularExpressionMatch match = pattern.match(line);
        if (match.hasMatch())
            texts.append(match.captured(u"text"));
    }
    return texts;
}

#define EXPECT_LOG(client, target, pattern) \
    do { \
        const LineExpectation expectation_ = expectLog(*(client), (target), (pattern)); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(expectation_.failure.constData()); \
    } while (false)

#define EXPECT_LOG_AS(out, client, target, pattern) \
    do { \
        LineExpectation expectation_ = expectLog(*(client), (target), (pattern)); \
        if (!expectation_.failure.isEmpty()) \
            QFAIL(expectation_.failure.constData()); \
        (out) = std::move(expectation_.value); \
    } while (false)

// A JSON say request to room (none: the default room).
QByteArray say(const QString &text, const QString &room = QString())
{
    QJsonObject object{ { QStringLiteral("type"), QStringLiteral("say") }, { QStringLiteral("text"), text } };
    if (!room.isEmpty())
        object.insert(QStringLiteral("room"), room);
    return json(object);
}

// Accepts a JSON message event of kind ("say", "action") from nick in room with text.
std::function<bool(const QJsonObject &)> isMessage(const QString &room, const QString &from,
                                                   const QString &text,
                                                   const QString &kind = QStringLiteral("say"))
{
    return [=](const QJsonObject &o) {
        return o.value(u"room").toString() == room && o.value(u"from").toString() == from &&
               o.value(u"text").toString() == text && o.value(u"kind").toString() == kind;
    };
}

// Matches a plain client's line "[HH:MM:SS] [#room] nick: text" (the room shown because the
// test's plain client is in two), or "* nick text" for an action.
QRegularExpression plainLine(const QString &room, const QString &nick, const QString &text,
                             bool action = false)
{
    const QString shown =
            action ? QString(u"\\* " + QRegularExpression::escape(nick) + u' ' +
                             QRegularExpression::escape(text))
                   : QString(QRegularExpression::escape(nick) + u": " + QRegularExpression::escape(text));
    const QString roomTag = room.isEmpty() ? QString() : u"\\[" + QRegularExpression::escape(room) + u"\\] ";
    return QRegularExpression(u"^\\[\\d\\d:\\d\\d:\\d\\d\\] " + roomTag + shown + u'$');
}

} // namespace

class tst_IrcClients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void talkInRoomsAndPrivately_data() { clients(); }
    void talkInRoomsAndPrivately();
    void historyAfterReconnecting_data() { clients(); }
    void historyAfterReconnecting();
    void nickChanges_data() { clients(); }
    void nickChanges();
    void longMessageArrivesWhole_data() { clients(); }
    void longMessageArrivesWhole();

private:
    void clients();
    // The client of the row, with the nick it starts with; skips the test when its programs
    // are not installed.
    IrcClient *makeClient(QString *nick);
    // A JSON (version 2) client called nick, in #general and whatever of rooms it joined.
    std::unique_ptr<TestClient> joinJsonRooms(const QString &nick, const QStringList &rooms = {});
    // A plain client renamed to nick, in #general, and in room when given (what it types goes there).
    std::unique_ptr<TestClient> joinPlainAs(const QString &nick, const QString &room = QString());
    // Starts client and waits until watcher (a JSON client in #general) sees it arrive.
    bool connectIrc(IrcClient &client, const QString &nick, TestClient &watcher);

    std::unique_ptr<ServerProcess> m_server;
    // The IRC client of the test: what it shows is worth seeing when the test failed.
    std::unique_ptr<IrcClient> m_irc;
};

void tst_IrcClients::clients()
{
    QTest::addColumn<QString>("client");
    QTest::newRow("weechat") << QStringLiteral("weechat");
    QTest::newRow("irssi") << QStringLiteral("irssi");
}

void tst_IrcClients::init()
{
    m_server = std::make_unique<ServerProcess>();
    // No flood control: a client's registration and the test's typing come in bursts, and
    // that limit is tested elsewhere; the history in memory is the one replayed on joining.
    QVERIFY(m_server->start({ QStringLiteral("--headless"), QStringLiteral("--db"),
                              QStringLiteral(":memory:"), QStringLiteral("--flood"),
                              QStringLiteral("off") }) != 0);
    QVERIFY(m_server->ircPort() != 0);
}

void tst_IrcClients::cleanup()
{
    if (QTest::currentTestFailed()) {
        if (m_irc)
            qWarning("%s:\n%s", qPrintable(m_irc->name()), m_irc->diagnostics().constData());
        qWarning("the server's log:\n%s", qPrintable(m_server->output()));
    }
    m_irc.reset();
    m_server.reset();
}

IrcClient *tst_IrcClients::makeClient(QString *nick)
{
    QFETCH(QString, client);
    if (client == u"weechat") {
        if (QStandardPaths::findExecutable(QStringLiteral("weechat-headless")).isEmpty())
            return nullptr;
        *nick = QStringLiteral("wee");
        m_irc = std::make_unique<WeeChat>();
    } else {
        if (QStandardPaths::findExecutable(QStringLiteral("irssi")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("tmux")).isEmpty())
            return nullptr;
        *nick = QStringLiteral("irs");
        m_irc = std::make_unique<Irssi>();
    }
    return m_irc.get();
}

#define MAKE_CLIENT(client, nick) \
    QString nick; \
    IrcClient *const client = makeClient(&nick); \
    if (!client) \
    QSKIP("this IRC client is not installed (scripts/deps.sh installs weechat-headless, " \
          "weechat-plugins, irssi and tmux)")

std::unique_ptr<TestClient> tst_IrcClients::joinJsonRooms(const QString &nick, const QStringList &rooms)
{
    std::unique_ptr<TestClient> client =
            joinJsonWith(m_server->port(), json({ { QStringLiteral("type"), QStringLiteral("hello") },
                                                  { QStringLiteral("version"), 2 },
                                                  { QStringLiteral("nick"), nick } }));
    if (!client)
        return nullptr;
    for (const QString &room : rooms) {
        client->sendLine(json(
                { { QStringLiteral("type"), QStringLiteral("join") }, { QStringLiteral("room"), room } }));
        const JsonExpectation joined = expectJson(*client, QStringLiteral("room"), [&](const QJsonObject &o) {
            return o.value(u"room").toObject().value(u"name").toString() == room;
        });
        if (!joined.failure.isEmpty()) {
            qWarning("%s cannot join %s: %s", qPrintable(nick), qPrintable(room), joined.failure.constData());
            return nullptr;
        }
    }
    return client;
}

std::unique_ptr<TestClient> tst_IrcClients::joinPlainAs(const QString &nick, const QString &room)
{
    std::unique_ptr<TestClient> client = joinPlain(m_server->port());
    if (!client)
        return nullptr;
    client->sendLine("/nick " + nick.toUtf8());
    LineExpectation renamed = expectLine(*client, u"* " + client->nick() + u" is now known as " + nick);
    if (renamed.failure.isEmpty() && !room.isEmpty()) {
        client->sendLine("/join " + room.toUtf8());
        renamed =
                expectLine(*client, u"* what you type goes to " + room + u" now; /switch #ROOM changes that");
    }
    if (!renamed.failure.isEmpty()) {
        qWarning("the plain client: %s", renamed.failure.constData());
        return nullptr;
    }
    client->setNick(nick);
    return client;
}

bool tst_IrcClients::connectIrc(IrcClient &client, const QString &nick, TestClient &watcher)
{
    if (!client.start(m_server->ircPort(), nick))
        return false;
    // Registered and put in #general: the room is told.
    const JsonExpectation joined = expectJson(
            watcher, QStringLiteral("join"),
            [&](const QJsonObject &o) {
                return o.value(u"nick").toString() == nick && o.value(u"room").toString() == u"#general";
            },
            clientMs);
    if (!joined.failure.isEmpty()) {
        qWarning("%s never joined #general: %s", qPrintable(client.name()), joined.failure.constData());
        return false;
    }
    // And the client has shown it.
    const LineExpectation shown = expectLog(client, QStringLiteral("#general"),
                                            QRegularExpression(QStringLiteral("has joined #general")));
    if (!shown.failure.isEmpty()) {
        qWarning("%s", shown.failure.constData());
        return false;
    }
    return true;
}

// An IRC client, alice (JSON) and carol (plain) in #general and #dev: every message, /me and
// private message reaches the others, as each of them shows it.
void tst_IrcClients::talkInRoomsAndPrivately()
{
    MAKE_CLIENT(irc, me);
    const QString general = QStringLiteral("#general");
    const QString dev = QStringLiteral("#dev");
    std::unique_ptr<TestClient> alice = joinJsonRooms(QStringLiteral("alice"), { dev });
    QVERIFY(alice);
    std::unique_ptr<TestClient> carol = joinPlainAs(QStringLiteral("carol"), dev);
    QVERIFY(carol);
    QVERIFY(connectIrc(*irc, me, *alice));
    QVERIFY(irc->command(u"/join " + dev));
    EXPECT_JSON(
            alice, QStringLiteral("join"),
            [&](const QJsonObject &o) {
                return o.value(u"nick").toString() == me && o.value(u"room").toString() == dev;
            },
            clientMs);
    EXPECT_LINE(carol, u"* " + me + u" joined " + dev, clientMs);
    EXPECT_LOG(irc, dev, QRegularExpression(u"has joined " + dev));

    // The IRC client says something in each room, and does something in #dev.
    const QString inGeneral = me + u" says hello to #general";
    const QString inDev = me + u" says hello to #dev";
    const QString waves = QStringLiteral("waves at #dev");
    QVERIFY(irc->type(general, inGeneral));
    EXPECT_JSON(alice, QStringLiteral("message"), isMessage(general, me, inGeneral), clientMs);
    EXPECT_LINE(carol, plainLine(general, me, inGeneral), clientMs);
    QVERIFY(irc->type(dev, inDev));
    EXPECT_JSON(alice, QStringLiteral("message"), isMessage(dev, me, inDev), clientMs);
    EXPECT_LINE(carol, plainLine(dev, me, inDev), clientMs);
    QVERIFY(irc->type(dev, u"/me " + waves));
    EXPECT_JSON(alice, QStringLiteral("message"), isMessage(dev, me, waves, QStringLiteral("action")),
                clientMs);
    EXPECT_LINE(carol, plainLine(dev, me, waves, true), clientMs);

    // The JSON client in both rooms, a /me in #general.
    alice->sendLine(say(QStringLiteral("alice in general"), general));
    alice->sendLine(say(QStringLiteral("alice in dev"), dev));
    alice->sendLine(json({ { QStringLiteral("type"), QStringLiteral("action") },
                           { QStringLiteral("room"), general },
                           { QStringLiteral("text"), QStringLiteral("nods to everyone") } }));
    EXPECT_LOG(irc, general, irc->messageLine(QStringLiteral("alice"), QStringLiteral("alice in general")));
    EXPECT_LOG(irc, dev, irc->messageLine(QStringLiteral("alice"), QStringLiteral("alice in dev")));
    EXPECT_LOG(irc, general, irc->actionLine(QStringLiteral("alice"), QStringLiteral("nods to everyone")));
    // The plain client types into #dev, its current room, and /me there too; then in #general.
    carol->sendLine("carol in dev");
    carol->sendLine("/me types in dev");
    carol->sendLine("/switch #general");
    carol->sendLine("carol in general");
    EXPECT_LOG(irc, dev, irc->messageLine(QStringLiteral("carol"), QStringLiteral("carol in dev")));
    EXPECT_LOG(irc, dev, irc->actionLine(QStringLiteral("carol"), QStringLiteral("types in dev")));
    EXPECT_LOG(irc, general, irc->messageLine(QStringLiteral("carol"), QStringLiteral("carol in general")));

    // Private messages, both ways with each, and a private /me from IRC.
    QVERIFY(irc->type(QStringLiteral("alice"), QStringLiteral("psst alice")));
    EXPECT_JSON(
            alice, QStringLiteral("private"),
            [&](const QJsonObject &o) {
                return o.value(u"from").toString() == me && o.value(u"to").toString() == u"alice" &&
                       o.value(u"text").toString() == u"psst alice" && !o.contains(u"kind");
            },
            clientMs);
    QVERIFY(irc->type(QStringLiteral("alice"), QStringLiteral("/me winks at alice")));
    EXPECT_JSON(
            alice, QStringLiteral("private"),
            [&](const QJsonObject &o) {
                return o.value(u"from").toString() == me && o.value(u"to").toString() == u"alice" &&
                       o.value(u"text").toString() == u"winks at alice" &&
                       o.value(u"kind").toString() == u"action";
            },
            clientMs);
    QVERIFY(irc->type(QStringLiteral("carol"), QStringLiteral("psst carol")));
    EXPECT_LINE(carol,
                QRegularExpression(u"^\\[\\d\\d:\\d\\d:\\d\\d\\] \\(private\\) " + me +
                                   u" -> carol: psst carol$"),
                clientMs);
    alice->sendLine(json({ { QStringLiteral("type"), QStringLiteral("private") },
                           { QStringLiteral("to"), me },
                           { QStringLiteral("text"), QStringLiteral("psst from alice") } }));
    EXPECT_LOG(irc, QStringLiteral("alice"),
               irc->messageLine(QStringLiteral("alice"), QStringLiteral("psst from alice")));
    carol->sendLine("/msg " + me.toUtf8() + " psst from carol");
    EXPECT_LOG(irc, QStringLiteral("carol"),
               irc->messageLine(QStringLiteral("carol"), QStringLiteral("psst from carol")));
}

// Said in #general while the IRC client was away: replayed when it is back, each line shown
// at the time it was said (server-time), not when it arrived.
void tst_IrcClients::historyAfterReconnecting()
{
    MAKE_CLIENT(irc, me);
    std::unique_ptr<TestClient> alice = joinJsonRooms(QStringLiteral("alice"));
    QVERIFY(alice);
    std::unique_ptr<TestClient> carol = joinPlainAs(QStringLiteral("carol"));
    QVERIFY(carol);
    QVERIFY(connectIrc(*irc, me, *alice));
    QVERIFY(irc->type(QStringLiteral("#general"), QStringLiteral("brb")));
    EXPECT_JSON(alice, QStringLiteral("message"),
                isMessage(QStringLiteral("#general"), me, QStringLiteral("brb")), clientMs);

    QVERIFY(irc->disconnectFromServer());
    EXPECT_JSON(
            alice, QStringLiteral("leave"),
            [&](const QJsonObject &o) { return o.value(u"nick").toString() == me; }, clientMs);
    const QString away = QStringLiteral("said while you were away");
    alice->sendLine(say(away));
    QJsonObject said;
    EXPECT_JSON_AS(said, alice, QStringLiteral("message"),
                   isMessage(QStringLiteral("#general"), QStringLiteral("alice"), away));
    carol->sendLine("/me waves while you were away");
    EXPECT_LINE(carol, plainLine(QString(), QStringLiteral("carol"),
                                 QStringLiteral("waves while you were away"), true));
    const QDateTime saidAt = QDateTime::fromString(said.value(u"time").toString(), Qt::ISODateWithMs);
    QVERIFY(saidAt.isValid());
    // A replay shown at its arrival would carry a later second than the message: wait for the
    // clock to pass the message's second, so that the two cannot be told apart by luck.
    QVERIFY(QTest::qWaitFor(
            [&] { return QDateTime::currentDateTime().toSecsSinceEpoch() > saidAt.toSecsSinceEpoch(); },
            3000));
    QVERIFY(expectLog(*irc, QStringLiteral("#general"), irc->messageLine(QStringLiteral("alice"), away), 0)
                    .value.isEmpty());

    QVERIFY(irc->reconnect());
    EXPECT_JSON(
            alice, QStringLiteral("join"),
            [&](const QJsonObject &o) {
                return o.value(u"nick").toString() == me && o.value(u"room").toString() == u"#general";
            },
            clientMs);
    QString line;
    EXPECT_LOG_AS(line, irc, QStringLiteral("#general"), irc->messageLine(QStringLiteral("alice"), away));
    QCOMPARE(irc->messageLine(QStringLiteral("alice"), away).match(line).captured(u"time"),
             saidAt.toLocalTime().toString(stampFormat));
    EXPECT_LOG(irc, QStringLiteral("#general"),
               irc->actionLine(QStringLiteral("carol"), QStringLiteral("waves while you were away")));
}

// A nick change on either side is seen on the other.
void tst_IrcClients::nickChanges()
{
    MAKE_CLIENT(irc, me);
    std::unique_ptr<TestClient> alice = joinJsonRooms(QStringLiteral("alice"));
    QVERIFY(alice);
    std::unique_ptr<TestClient> carol = joinPlainAs(QStringLiteral("carol"));
    QVERIFY(carol);
    QVERIFY(connectIrc(*irc, me, *alice));

    const QString renamed = me + u"2";
    QVERIFY(irc->command(u"/nick " + renamed));
    EXPECT_JSON(
            alice, QStringLiteral("nick"),
            [&](const QJsonObject &o) {
                return o.value(u"old").toString() == me && o.value(u"new").toString() == renamed;
            },
            clientMs);
    EXPECT_LINE(carol, u"* " + me + u" is now known as " + renamed, clientMs);
    // Under the new nick from then on.
    QVERIFY(irc->type(QStringLiteral("#general"), QStringLiteral("renamed")));
    EXPECT_JSON(alice, QStringLiteral("message"),
                isMessage(QStringLiteral("#general"), renamed, QStringLiteral("renamed")), clientMs);

    alice->sendLine(json({ { QStringLiteral("type"), QStringLiteral("nick") },
                           { QStringLiteral("nick"), QStringLiteral("alicia") } }));
    EXPECT_JSON(alice, QStringLiteral("nick"), [&](const QJsonObject &o) {
        return o.value(u"old").toString() == u"alice" && o.value(u"new").toString() == u"alicia";
    });
    EXPECT_LOG(irc, QStringLiteral("#general"),
               irc->nickLine(QStringLiteral("alice"), QStringLiteral("alicia")));
    carol->sendLine("/nick caroline");
    EXPECT_LOG(irc, QStringLiteral("#general"),
               irc->nickLine(QStringLiteral("carol"), QStringLiteral("caroline")));
    // And the IRC client talks to the new nick.
    QVERIFY(irc->type(QStringLiteral("alicia"), QStringLiteral("hi alicia")));
    EXPECT_JSON(
            alice, QStringLiteral("private"),
            [&](const QJsonObject &o) {
                return o.value(u"from").toString() == renamed && o.value(u"to").toString() == u"alicia" &&
                       o.value(u"text").toString() == u"hi alicia";
            },
            clientMs);
}

// A desktop client's message longer than an IRC line reaches the IRC client as several
// messages, in order, that make up the text exactly (cut between characters, never inside
// one: Chinese is three bytes a character in UTF-8).
void tst_IrcClients::longMessageArrivesWhole()
{
    MAKE_CLIENT(irc, me);
    std::unique_ptr<TestClient> alice = joinJsonRooms(QStringLiteral("alice"));
    QVERIFY(alice);
    QVERIFY(connectIrc(*irc, me, *alice));
    QString text;
    for (int i = 0; text.toUtf8().size() < 1500; ++i)
        text += QStringLiteral("part %1 of a long line, 长消息的第%1部分; ").arg(i);
    text = text.trimmed();
    alice->sendLine(say(text));
    EXPECT_JSON(alice, QStringLiteral("message"),
                isMessage(QStringLiteral("#general"), QStringLiteral("alice"), text));

    const QRegularExpression fromAlice = irc->anyMessageLine(QStringLiteral("alice"));
    QStringList parts;
    const bool whole = QTest::qWaitFor(
            [&] {
                parts = logTexts(*irc, QStringLiteral("#general"), fromAlice);
                return parts.join(QString()).size() >= text.size();
            },
            clientMs);
    QVERIFY2(whole, qPrintable(u"what arrived: " + parts.join(u" | ")));
    QVERIFY2(parts.size() > 1, qPrintable(u"one line of " + QString::number(parts.constFirst().size())));
    QCOMPARE(parts.join(QString()), text);
}

QTEST_GUILESS_MAIN(tst_IrcClients)
#include "tst_ircclients.moc"
