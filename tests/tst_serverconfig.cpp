#include "serverconfig.h"

#include <QCommandLineParser>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

namespace {

// A number ServerConfig holds for a whole-number option, in the option's unit (seconds for
// --ping-interval).
qint64 numberOf(const ServerConfig &config, const QString &option)
{
    const ChatLimits &l = config.limits;
    if (option == u"port")
        return config.port;
    if (option == u"history")
        return l.historyLines;
    if (option == u"max-line")
        return l.maxLineBytes;
    if (option == u"max-sendq")
        return l.maxSendQueueBytes;
    if (option == u"soft-sendq")
        return l.softSendQueueBytes;
    if (option == u"max-clients")
        return l.maxClients;
    if (option == u"max-per-address")
        return l.maxPerAddress;
    if (option == u"max-connects-per-minute")
        return l.maxConnectsPerMinute;
    if (option == u"ping-interval")
        return l.pingIntervalMs / 1000;
    if (option == u"presence-limit")
        return l.presenceLimit;
    if (option == u"tls-port")
        return config.tlsPort;
    if (option == u"irc-port")
        return config.ircPort;
    qFatal("no such option: %s", qPrintable(option));
}

struct Applied
{
    bool parsed = false;
    bool ok = false;
    QString error;
    QStringList overridden;
};

// Parses arguments (without the program name) as groupchat-server does and applies them to
// config.
Applied apply(ServerConfig &config, const QStringList &arguments)
{
    QCommandLineParser parser;
    ServerConfig::addOptions(parser);
    Applied result;
    result.parsed = parser.parse(QStringList{ QStringLiteral("groupchat-server") } + arguments);
    if (!result.parsed) {
        result.error = parser.errorText();
        return result;
    }
    result.ok = config.applyOptions(parser, &result.overridden, &result.error);
    return result;
}

QString describe(const Applied &applied)
{
    return QStringLiteral("parsed %1, ok %2, error \"%3\", overridden [%4]")
            .arg(applied.parsed)
            .arg(applied.ok)
            .arg(applied.error, applied.overridden.join(u' '));
}

} // namespace

// ServerConfig (src/server/core/serverconfig.h): saved settings give the defaults, command-line
// options override them for one run; every option is checked against its range and a bad one
// is refused with a message naming it, leaving the configuration as it was.
class tst_ServerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaults();
    void numberOption_data();
    void numberOption();
    void numberOutOfRange_data();
    void numberOutOfRange();
    void shortPortOption();
    void textOptions_data();
    void textOptions();
    void refusedOptions_data();
    void refusedOptions();
    void refusalChangesNothing();
    void nameIsCut();
    void nameIsCutBetweenCharacters();
    void passwordFile();
    void historyKeep_data();
    void historyKeep();
    void historyKeepText_data();
    void historyKeepText();
    void overriddenNamesEveryOption();
    void savedSettingsRoundTrip();
    void savedSettingsOutOfRangeIgnored();
    void savedTlsPortNotANumber();
    void commandLineWinsOverSavedSettings();
    void reachableAtOneAddress();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString settingsPath(const QString &name) const { return m_dir->filePath(name); }
    QString writeFile(const QString &name, const QByteArray &contents) const;
};

void tst_ServerConfig::initTestCase()
{
    // Nothing here may touch the real home: settings files live in a temporary directory, and
    // whatever asks QStandardPaths is sent to the test locations.
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY2(m_dir->isValid(), qPrintable(m_dir->errorString()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir->filePath(QStringLiteral("config"))));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir->filePath(QStringLiteral("data"))));
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope,
                       m_dir->filePath(QStringLiteral("settings")));
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       m_dir->filePath(QStringLiteral("settings")));
}

QString tst_ServerConfig::writeFile(const QString &name, const QByteArray &contents) const
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(contents);
    return path;
}

void tst_ServerConfig::defaults()
{
    // No option at all: nothing changes, nothing is named.
    ServerConfig config;
    const Applied applied = apply(config, {});
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QCOMPARE(applied.overridden, QStringList());
    QCOMPARE(config.port, quint16(6666));
    QCOMPARE(config.address, QHostAddress(QHostAddress::Any));
    QCOMPARE(config.tlsPort, ChatLimits::defaultTlsPort);
    QCOMPARE(config.limits.maxLineBytes, ChatLimits().maxLineBytes);
    QCOMPARE(config.limits.historyKeep, ChatLimits().historyKeep);
    QCOMPARE(config.limits.historyKeepDays, 0);
    QVERIFY(config.limits.floodControl);
    QVERIFY(config.name.isEmpty());
    QVERIFY(config.effectiveName().startsWith(QLatin1String("groupchat on ")));
}

void tst_ServerConfig::numberOption_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<qint64>("expected");

    // Each option of the table at its minimum, its maximum and in between.
    const struct
    {
        const char *option;
        qint64 minimum;
        qint64 maximum;
        qint64 between;
    } ranges[] = {
        { "port", 0, 65535, 7000 },
        { "history", 0, 100000, 50 },
        { "max-line", 16, 1 << 20, 8192 },
        { "max-sendq", 4096, qint64(1) << 32, 2 * 1024 * 1024 },
        { "soft-sendq", 1024, qint64(1) << 32, 100000 },
        { "max-clients", 1, 1000000, 500 },
        { "max-per-address", 0, 1000000, 3 },
        { "max-connects-per-minute", 0, 1000000, 10 },
        { "ping-interval", 1, 86400, 120 },
        { "presence-limit", 0, 1000000, 50 },
        { "tls-port", 0, 65535, 7443 },
        { "irc-port", 0, 65535, 6668 },
    };
    for (const auto &range : ranges) {
        const QString option = QLatin1String(range.option);
        for (qint64 value : { range.minimum, range.between, range.maximum }) {
            QTest::addRow("--%s %lld", range.option, value) << option << QString::number(value) << value;
        }
    }
    QTest::newRow("leading zeros") << QStringLiteral("port") << QStringLiteral("007000") << qint64(7000);
    QTest::newRow("--irc-port free") << QStringLiteral("irc-port") << QStringLiteral("free")
                                     << qint64(ServerConfig::ircFreePort);
}

void tst_ServerConfig::numberOption()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(qint64, expected);

    ServerConfig config;
    const Applied applied = apply(config, { u"--" + option, value });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QCOMPARE(numberOf(config, option), expected);
    QCOMPARE(applied.overridden, QStringList{ option });

    // The = form too.
    ServerConfig other;
    const Applied equals = apply(other, { u"--" + option + u'=' + value });
    QVERIFY2(equals.ok, qPrintable(describe(equals)));
    QCOMPARE(numberOf(other, option), expected);
}

void tst_ServerConfig::numberOutOfRange_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error");

    const struct
    {
        const char *option;
        const char *below;
        const char *above;
        const char *range;
    } ranges[] = {
        { "port", "-1", "65536", "0 to 65535" },
        { "history", "-1", "100001", "0 to 100000" },
        { "max-line", "15", "1048577", "16 to 1048576" },
        { "max-sendq", "4095", "4294967297", "4096 to 4294967296" },
        { "soft-sendq", "1023", "4294967297", "1024 to 4294967296" },
        { "max-clients", "0", "1000001", "1 to 1000000" },
        { "max-per-address", "-1", "1000001", "0 to 1000000" },
        { "max-connects-per-minute", "-1", "1000001", "0 to 1000000" },
        { "ping-interval", "0", "86401", "1 to 86400" },
        { "presence-limit", "-1", "1000001", "0 to 1000000" },
    };
    for (const auto &range : ranges) {
        const QString option = QLatin1String(range.option);
        const QString error =
                QStringLiteral("--%1 must be a number from %2").arg(option, QLatin1String(range.range));
        QTest::addRow("--%s below", range.option) << option << QString::fromLatin1(range.below) << error;
        QTest::addRow("--%s above", range.option) << option << QString::fromLatin1(range.above) << error;
        QTest::addRow("--%s not a number", range.option) << option << QStringLiteral("ten") << error;
        QTest::addRow("--%s with a unit", range.option) << option << QStringLiteral("10k") << error;
        QTest::addRow("--%s empty", range.option) << option << QString() << error;
        QTest::addRow("--%s fraction", range.option) << option << QStringLiteral("1.5") << error;
        QTest::addRow("--%s huge", range.option)
                << option << QStringLiteral("99999999999999999999999") << error;
    }
    const QString tlsPort = QStringLiteral("--tls-port must be a number from 0 to 65535");
    QTest::newRow("--tls-port below") << QStringLiteral("tls-port") << QStringLiteral("-1") << tlsPort;
    QTest::newRow("--tls-port above") << QStringLiteral("tls-port") << QStringLiteral("65536") << tlsPort;
    QTest::newRow("--tls-port not a number")
            << QStringLiteral("tls-port") << QStringLiteral("https") << tlsPort;
    const QString ircPort = QStringLiteral("--irc-port must be a number from 0 to 65535, or \"free\"");
    QTest::newRow("--irc-port above") << QStringLiteral("irc-port") << QStringLiteral("65536") << ircPort;
    QTest::newRow("--irc-port word") << QStringLiteral("irc-port") << QStringLiteral("irc") << ircPort;
}

void tst_ServerConfig::numberOutOfRange()
{
    QFETCH(QString, option);
    QFETCH(QString, value);
    QFETCH(QString, error);

    ServerConfig config;
    const qint64 before = numberOf(config, option);
    const Applied applied = apply(config, { u"--" + option + u'=' + value });
    QVERIFY2(applied.parsed, qPrintable(describe(applied)));
    QVERIFY2(!applied.ok, qPrintable(describe(applied)));
    QCOMPARE(applied.error, error);
    QCOMPARE(numberOf(config, option), before);
}

void tst_ServerConfig::shortPortOption()
{
    ServerConfig config;
    const Applied applied = apply(config, { QStringLiteral("-p"), QStringLiteral("7001") });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QCOMPARE(config.port, quint16(7001));
    QCOMPARE(applied.overridden, QStringList{ QStringLiteral("port") });
}

void tst_ServerConfig::textOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");

    QTest::newRow("--bind IPv4") << QStringList{ QStringLiteral("--bind"), QStringLiteral("127.0.0.1") }
                                 << QStringLiteral("address") << QStringLiteral("127.0.0.1");
    QTest::newRow("-b IPv6") << QStringList{ QStringLiteral("-b"), QStringLiteral("::1") }
                             << QStringLiteral("address") << QStringLiteral("::1");
    QTest::newRow("--bind any IPv4") << QStringList{ QStringLiteral("--bind=0.0.0.0") }
                                     << QStringLiteral("address") << QStringLiteral("0.0.0.0");
    QTest::newRow("--name") << QStringList{ QStringLiteral("--name"), QStringLiteral("Team chat") }
                            << QStringLiteral("name") << QStringLiteral("Team chat");
    QTest::newRow("--name, not Latin") << QStringList{ QStringLiteral("--name"), QStringLiteral("团队聊天") }
                                       << QStringLiteral("name") << QStringLiteral("团队聊天");
    QTest::newRow("--db") << QStringList{ QStringLiteral("--db"), QStringLiteral("/var/lib/chat/h.sqlite") }
                          << QStringLiteral("database") << QStringLiteral("/var/lib/chat/h.sqlite");
    QTest::newRow("--db :memory:") << QStringList{ QStringLiteral("--db"), QStringLiteral(":memory:") }
                                   << QStringLiteral("database") << QStringLiteral(":memory:");
    QTest::newRow("--flood off") << QStringList{ QStringLiteral("--flood"), QStringLiteral("off") }
                                 << QStringLiteral("flood") << QStringLiteral("off");
    QTest::newRow("--flood on") << QStringList{ QStringLiteral("--flood=on") } << QStringLiteral("flood")
                                << QStringLiteral("on");
    QTest::newRow("--tls-cert and --tls-key")
            << QStringList{ QStringLiteral("--tls-cert"), QStringLiteral("/etc/c.pem"),
                            QStringLiteral("--tls-key"), QStringLiteral("/etc/k.pem") }
            << QStringLiteral("tls") << QStringLiteral("/etc/c.pem /etc/k.pem");
    QTest::newRow("--redis") << QStringList{ QStringLiteral("--redis"),
                                             QStringLiteral("redis://10.0.0.5:6380/team") }
                             << QStringLiteral("redis") << QStringLiteral("redis://10.0.0.5:6380/team");
    QTest::newRow("--irc-name") << QStringList{ QStringLiteral("--irc-name"),
                                                QStringLiteral("My.Little.Server") }
                                << QStringLiteral("irc-name") << QStringLiteral("My.Little.Server");
    QTest::newRow("--irc-name, one label") << QStringList{ QStringLiteral("--irc-name=chat-1") }
                                           << QStringLiteral("irc-name") << QStringLiteral("chat-1");
    QTest::newRow("--redis without a room") << QStringList{ QStringLiteral("--redis=redis://localhost") }
                                            << QStringLiteral("redis") << QStringLiteral("redis://localhost");
}

void tst_ServerConfig::textOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, field);
    QFETCH(QString, expected);

    ServerConfig config;
    const Applied applied = apply(config, arguments);
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QString actual;
    if (field == u"address")
        actual = config.address.toString();
    else if (field == u"name")
        actual = config.name;
    else if (field == u"database")
        actual = config.database;
    else if (field == u"flood")
        actual = config.limits.floodControl ? QStringLiteral("on") : QStringLiteral("off");
    else if (field == u"tls")
        actual = config.tlsCertificate + u' ' + config.tlsKey;
    else if (field == u"redis")
        actual = config.redis;
    else if (field == u"irc-name")
        actual = config.ircName;
    QCOMPARE(actual, expected);
    // Each option given is named.
    const qsizetype options = std::count_if(arguments.begin(), arguments.end(),
                                            [](const QString &a) { return a.startsWith(u'-'); });
    QCOMPARE(applied.overridden.size(), options);
}

void tst_ServerConfig::refusedOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error"); // a part of it

    QTest::newRow("--bind a host name")
            << QStringList{ QStringLiteral("--bind"), QStringLiteral("localhost") }
            << QStringLiteral("--bind needs an IP address, not localhost");
    QTest::newRow("--bind nonsense") << QStringList{ QStringLiteral("--bind=1.2.3.4.5") }
                                     << QStringLiteral("--bind needs an IP address, not 1.2.3.4.5");
    QTest::newRow("--db empty") << QStringList{ QStringLiteral("--db=") }
                                << QStringLiteral("--db needs a file name, or :memory:");
    QTest::newRow("--flood yes") << QStringList{ QStringLiteral("--flood"), QStringLiteral("yes") }
                                 << QStringLiteral("--flood takes on or off, not yes");
    QTest::newRow("--flood ON") << QStringList{ QStringLiteral("--flood"), QStringLiteral("ON") }
                                << QStringLiteral("--flood takes on or off, not ON");
    QTest::newRow("--tls-cert alone")
            << QStringList{ QStringLiteral("--tls-cert"), QStringLiteral("/etc/c.pem") }
            << QStringLiteral("--tls-cert and --tls-key go together");
    QTest::newRow("--tls-key alone") << QStringList{ QStringLiteral("--tls-key"),
                                                     QStringLiteral("/etc/k.pem") }
                                     << QStringLiteral("--tls-cert and --tls-key go together");
    QTest::newRow("--redis, another scheme") << QStringList{ QStringLiteral("--redis=http://localhost:6379") }
                                             << QStringLiteral("--redis takes redis://HOST:PORT[/ROOM]");
    QTest::newRow("--redis, no host") << QStringList{ QStringLiteral("--redis=redis://") }
                                      << QStringLiteral("--redis takes redis://HOST:PORT[/ROOM]");
    QTest::newRow("--redis, a bad room") << QStringList{ QStringLiteral("--redis=redis://localhost/a:b") }
                                         << QStringLiteral("a room name has at most 64 characters");
    QTest::newRow("--password-file missing")
            << QStringList{ QStringLiteral("--password-file"),
                            QStringLiteral("/nonexistent/groupchat-password") }
            << QStringLiteral("cannot read the password file /nonexistent/groupchat-password");
    QTest::newRow("--history-keep words")
            << QStringList{ QStringLiteral("--history-keep=forever") }
            << QStringLiteral("--history-keep takes a number of messages (5000) or "
                              "of days (30d), not forever");
    // An IRC server name is a host name (RFC 2812 section 2.3.1): it is the first word of
    // the server's lines, so a space, a ':' or an empty label would break them.
    const QString ircName = QStringLiteral("--irc-name must be a host name");
    for (const char *name : { "", "my server", ":groupchat", "a..b", "-chat", "chat-", "chät.example", "a_b",
                              "x.y.", "0123456789012345678901234567890123456789012345678901234567890123" })
        QTest::addRow("--irc-name \"%s\"", name)
                << QStringList{ u"--irc-name=" + QString::fromUtf8(name) } << ircName;
}

void tst_ServerConfig::refusedOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);

    ServerConfig config;
    const Applied applied = apply(config, arguments);
    QVERIFY2(applied.parsed, qPrintable(describe(applied)));
    QVERIFY2(!applied.ok, qPrintable(describe(applied)));
    QVERIFY2(applied.error.contains(error), qPrintable(describe(applied)));
}

void tst_ServerConfig::refusalChangesNothing()
{
    // One bad option among good ones: none of them is applied.
    ServerConfig config;
    config.name = QStringLiteral("before");
    const Applied applied =
            apply(config, { QStringLiteral("--port=7000"), QStringLiteral("--name=after"),
                            QStringLiteral("--history-keep=30d"), QStringLiteral("--max-line=1") });
    QVERIFY2(!applied.ok, qPrintable(describe(applied)));
    QCOMPARE(config.port, quint16(6666));
    QCOMPARE(config.name, QStringLiteral("before"));
    QCOMPARE(config.limits.historyKeepDays, 0);
    QCOMPARE(config.limits.maxLineBytes, ChatLimits().maxLineBytes);

    const Applied later = apply(config, { QStringLiteral("--port=7000"), QStringLiteral("--flood=maybe") });
    QVERIFY2(!later.ok, qPrintable(describe(later)));
    QCOMPARE(config.port, quint16(6666));
    QVERIFY(config.limits.floodControl);
}

void tst_ServerConfig::nameIsCut()
{
    ServerConfig config;
    const Applied applied = apply(config, { QStringLiteral("--name"), QString(500, u'n') });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QCOMPARE(config.name, QString(100, u'n'));
}

void tst_ServerConfig::nameIsCutBetweenCharacters()
{
    // A character outside the BMP across the cut: what is left must still be text.
    ServerConfig config;
    const QString name = QString(99, u'n') + QStringLiteral("\U0001F600") + QString(10, u'n');
    const Applied applied = apply(config, { QStringLiteral("--name"), name });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QVERIFY(name.startsWith(config.name));
    QVERIFY2(config.name.isValidUtf16(), qPrintable(QStringLiteral("%1 UTF-16 units, the last U+%2")
                                                            .arg(config.name.size())
                                                            .arg(config.name.back().unicode(), 4, 16)));
}

void tst_ServerConfig::passwordFile()
{
    const QString good = writeFile(QStringLiteral("password"), "s3cret\n");
    ServerConfig config;
    Applied applied = apply(config, { QStringLiteral("--password-file"), good });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QCOMPARE(config.passwordFile, good);
    QCOMPARE(applied.overridden, QStringList{ QStringLiteral("password-file") });
    QString password;
    QString error;
    QVERIFY2(config.readPassword(&password, &error), qPrintable(error));
    QCOMPARE(password, QStringLiteral("s3cret"));

    // Only the first line, without what surrounds it.
    const QString twoLines = writeFile(QStringLiteral("password2"), "  open sesame \r\nsecond line\n");
    ServerConfig other;
    applied = apply(other, { u"--password-file=" + twoLines });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QVERIFY2(other.readPassword(&password, &error), qPrintable(error));
    QCOMPARE(password, QStringLiteral("open sesame"));

    // Empty, or nothing a line can carry: refused at once.
    for (const QByteArray &contents :
         { QByteArray(), QByteArray("\n"), QByteArray("  \t \n"), QByteArray("\x01\x02\n") }) {
        const QString empty = writeFile(QStringLiteral("empty"), contents);
        ServerConfig refused;
        applied = apply(refused, { QStringLiteral("--password-file"), empty });
        QVERIFY2(!applied.ok, qPrintable(describe(applied)));
        QCOMPARE(applied.error, QStringLiteral("the password file %1 is empty").arg(empty));
        QVERIFY(refused.passwordFile.isEmpty());
    }

    // No file: no password.
    ServerConfig none;
    password = QStringLiteral("left over");
    QVERIFY(none.readPassword(&password, &error));
    QVERIFY(password.isEmpty());
}

void tst_ServerConfig::historyKeep_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("days");

    QTest::newRow("messages") << QStringLiteral("5000") << true << 5000 << 0;
    QTest::newRow("days") << QStringLiteral("30d") << true << 0 << 30;
    QTest::newRow("all messages") << QStringLiteral("0") << true << 0 << 0;
    QTest::newRow("one day") << QStringLiteral("1d") << true << 0 << 1;
    QTest::newRow("most messages") << QStringLiteral("1000000000") << true << 1000000000 << 0;
    QTest::newRow("most days") << QStringLiteral("100000d") << true << 0 << 100000;
    QTest::newRow("spaces around") << QStringLiteral(" 30d ") << true << 0 << 30;
    QTest::newRow("zero days") << QStringLiteral("0d") << false << 0 << 0;
    QTest::newRow("negative") << QStringLiteral("-1") << false << 0 << 0;
    QTest::newRow("negative days") << QStringLiteral("-5d") << false << 0 << 0;
    QTest::newRow("too many messages") << QStringLiteral("1000000001") << false << 0 << 0;
    QTest::newRow("too many days") << QStringLiteral("100001d") << false << 0 << 0;
    QTest::newRow("just d") << QStringLiteral("d") << false << 0 << 0;
    QTest::newRow("empty") << QString() << false << 0 << 0;
    QTest::newRow("another unit") << QStringLiteral("30w") << false << 0 << 0;
    QTest::newRow("two units") << QStringLiteral("30dd") << false << 0 << 0;
    QTest::newRow("a fraction") << QStringLiteral("1.5d") << false << 0 << 0;
    QTest::newRow("a word") << QStringLiteral("all") << false << 0 << 0;
}

void tst_ServerConfig::historyKeep()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, count);
    QFETCH(int, days);

    int parsedCount = -1;
    int parsedDays = -1;
    QCOMPARE(ServerConfig::parseHistoryKeep(text, &parsedCount, &parsedDays), ok);
    if (ok) {
        QCOMPARE(parsedCount, count);
        QCOMPARE(parsedDays, days);
    } else {
        // Refused text leaves the numbers alone.
        QCOMPARE(parsedCount, -1);
        QCOMPARE(parsedDays, -1);
    }

    // The same on the command line.
    ServerConfig config;
    config.limits.historyKeep = 777;
    config.limits.historyKeepDays = 0;
    const Applied applied = apply(config, { u"--history-keep=" + text });
    QVERIFY2(applied.parsed, qPrintable(describe(applied)));
    QVERIFY2(applied.ok == ok, qPrintable(describe(applied)));
    QCOMPARE(config.limits.historyKeep, ok ? count : 777);
    QCOMPARE(config.limits.historyKeepDays, ok ? days : 0);
    if (ok)
        QCOMPARE(applied.overridden, QStringList{ QStringLiteral("history-keep") });
}

void tst_ServerConfig::historyKeepText_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("days");
    QTest::addColumn<QString>("text");

    QTest::newRow("messages") << 5000 << 0 << QStringLiteral("5000");
    QTest::newRow("all") << 0 << 0 << QStringLiteral("0");
    QTest::newRow("days") << 0 << 30 << QStringLiteral("30d");
}

void tst_ServerConfig::historyKeepText()
{
    QFETCH(int, count);
    QFETCH(int, days);
    QFETCH(QString, text);

    ServerConfig config;
    config.limits.historyKeep = count;
    config.limits.historyKeepDays = days;
    QCOMPARE(config.historyKeepText(), text);
    // And back.
    int parsedCount = -1;
    int parsedDays = -1;
    QVERIFY(ServerConfig::parseHistoryKeep(text, &parsedCount, &parsedDays));
    QCOMPARE(parsedCount, count);
    QCOMPARE(parsedDays, days);
}

void tst_ServerConfig::overriddenNamesEveryOption()
{
    const QString password = writeFile(QStringLiteral("password"), "s3cret\n");
    ServerConfig config;
    const QStringList arguments{ QStringLiteral("--port=1"),
                                 QStringLiteral("--history=2"),
                                 QStringLiteral("--max-line=300"),
                                 QStringLiteral("--max-sendq=40000"),
                                 QStringLiteral("--soft-sendq=5000"),
                                 QStringLiteral("--max-clients=6"),
                                 QStringLiteral("--max-per-address=7"),
                                 QStringLiteral("--max-connects-per-minute=8"),
                                 QStringLiteral("--ping-interval=9"),
                                 QStringLiteral("--presence-limit=10"),
                                 QStringLiteral("--bind=::1"),
                                 QStringLiteral("--name=n"),
                                 u"--password-file=" + password,
                                 QStringLiteral("--db=:memory:"),
                                 QStringLiteral("--history-keep=12d"),
                                 QStringLiteral("--flood=off"),
                                 QStringLiteral("--tls-cert=c"),
                                 QStringLiteral("--tls-key=k"),
                                 QStringLiteral("--redis=redis://h/r"),
                                 QStringLiteral("--tls-port=13"),
                                 QStringLiteral("--irc-port=0"),
                                 QStringLiteral("--irc-name=irc.example.org") };
    const Applied applied = apply(config, arguments);
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QStringList expected;
    for (const QString &argument : arguments)
        expected.append(argument.mid(2).section(u'=', 0, 0));
    QStringList overridden = applied.overridden;
    overridden.sort();
    expected.sort();
    QCOMPARE(overridden, expected);

    QCOMPARE(config.port, quint16(1));
    QCOMPARE(config.limits.historyLines, 2);
    QCOMPARE(config.limits.maxLineBytes, qsizetype(300));
    QCOMPARE(config.limits.maxSendQueueBytes, qint64(40000));
    QCOMPARE(config.limits.softSendQueueBytes, qint64(5000));
    QCOMPARE(config.limits.maxClients, 6);
    QCOMPARE(config.limits.maxPerAddress, 7);
    QCOMPARE(config.limits.maxConnectsPerMinute, 8);
    QCOMPARE(config.limits.pingIntervalMs, 9000);
    QCOMPARE(config.limits.presenceLimit, 10);
    QCOMPARE(config.address, QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(config.name, QStringLiteral("n"));
    QCOMPARE(config.passwordFile, password);
    QCOMPARE(config.databasePath(), QString());
    QCOMPARE(config.limits.historyKeepDays, 12);
    QCOMPARE(config.limits.historyKeep, 0);
    QVERIFY(!config.limits.floodControl);
    QCOMPARE(config.tlsCertificate, QStringLiteral("c"));
    QCOMPARE(config.tlsKey, QStringLiteral("k"));
    QCOMPARE(config.tlsFiles(), std::make_pair(QStringLiteral("c"), QStringLiteral("k")));
    QCOMPARE(config.redis, QStringLiteral("redis://h/r"));
    QCOMPARE(config.tlsPort, quint16(13));
    QCOMPARE(config.ircPort, 0);
    QCOMPARE(config.ircName, QStringLiteral("irc.example.org"));
}

void tst_ServerConfig::savedSettingsRoundTrip()
{
    ServerConfig saved;
    saved.port = 7100;
    saved.address = QHostAddress(QStringLiteral("192.0.2.7"));
    saved.name = QStringLiteral("Saved server");
    saved.passwordFile = QStringLiteral("/etc/groupchat/password");
    saved.database = QStringLiteral("/srv/history.sqlite");
    saved.tlsCertificate = QStringLiteral("/etc/c.pem");
    saved.tlsKey = QStringLiteral("/etc/k.pem");
    saved.tlsPort = 7443;
    saved.ircName = QStringLiteral("irc.example.org");
    saved.limits.historyLines = 33;
    saved.limits.maxLineBytes = 2048;
    saved.limits.maxSendQueueBytes = 3 * 1024 * 1024;
    saved.limits.softSendQueueBytes = 100 * 1024;
    saved.limits.maxClients = 77;
    saved.limits.maxPerAddress = 0;
    saved.limits.maxConnectsPerMinute = 0;
    saved.limits.pingIntervalMs = 45 * 1000;
    saved.limits.presenceLimit = 12;
    saved.limits.historyKeep = 0;
    saved.limits.historyKeepDays = 14;
    saved.limits.floodControl = false;

    const QString path = settingsPath(QStringLiteral("roundtrip.conf"));
    {
        QSettings settings(path, QSettings::IniFormat);
        saved.save(settings);
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }
    QVERIFY2(QFile::exists(path), qPrintable(path));
    const QSettings settings(path, QSettings::IniFormat);
    const ServerConfig loaded = ServerConfig::load(settings);
    QCOMPARE(loaded.port, saved.port);
    QCOMPARE(loaded.address, saved.address);
    QCOMPARE(loaded.name, saved.name);
    QCOMPARE(loaded.passwordFile, saved.passwordFile);
    QCOMPARE(loaded.database, saved.database);
    QCOMPARE(loaded.tlsCertificate, saved.tlsCertificate);
    QCOMPARE(loaded.tlsKey, saved.tlsKey);
    QCOMPARE(loaded.tlsPort, saved.tlsPort);
    QCOMPARE(loaded.ircName, saved.ircName);
    QCOMPARE(loaded.limits.historyLines, 33);
    QCOMPARE(loaded.limits.maxLineBytes, qsizetype(2048));
    QCOMPARE(loaded.limits.maxSendQueueBytes, qint64(3 * 1024 * 1024));
    QCOMPARE(loaded.limits.softSendQueueBytes, qint64(100 * 1024));
    QCOMPARE(loaded.limits.maxClients, 77);
    QCOMPARE(loaded.limits.maxPerAddress, 0);
    QCOMPARE(loaded.limits.maxConnectsPerMinute, 0);
    QCOMPARE(loaded.limits.pingIntervalMs, 45 * 1000);
    QCOMPARE(loaded.limits.presenceLimit, 12);
    QCOMPARE(loaded.limits.historyKeep, 0);
    QCOMPARE(loaded.limits.historyKeepDays, 14);
    QVERIFY(!loaded.limits.floodControl);

    // "Every address" is saved as nothing and comes back as every address.
    ServerConfig any;
    const QString anyPath = settingsPath(QStringLiteral("any.conf"));
    {
        QSettings anySettings(anyPath, QSettings::IniFormat);
        any.save(anySettings);
    }
    const QSettings anySettings(anyPath, QSettings::IniFormat);
    QCOMPARE(anySettings.value(QStringLiteral("server/bind")).toString(), QString());
    QCOMPARE(ServerConfig::load(anySettings).address, QHostAddress(QHostAddress::Any));
    QCOMPARE(ServerConfig::load(anySettings).historyKeepText(), any.historyKeepText());
}

void tst_ServerConfig::savedSettingsOutOfRangeIgnored()
{
    // Edited by hand, or by an older version: what is out of range or not a number is the
    // default instead.
    const QString path = settingsPath(QStringLiteral("bad.conf"));
    {
        QSettings settings(path, QSettings::IniFormat);
        settings.setValue(QStringLiteral("server/port"), 70000);
        settings.setValue(QStringLiteral("limits/maxLineBytes"), 8);
        settings.setValue(QStringLiteral("limits/maxClients"), QStringLiteral("lots"));
        settings.setValue(QStringLiteral("limits/pingIntervalSeconds"), 0);
        settings.setValue(QStringLiteral("limits/historyLines"), 40); // this one is fine
        settings.setValue(QStringLiteral("limits/historyKeep"), QStringLiteral("forever"));
        settings.setValue(QStringLiteral("server/bind"), QStringLiteral("not an address"));
        settings.setValue(QStringLiteral("tls/port"), 99999);
        settings.setValue(QStringLiteral("irc/name"), QStringLiteral("two words"));
    }
    const QSettings settings(path, QSettings::IniFormat);
    const ServerConfig loaded = ServerConfig::load(settings);
    const ServerConfig defaults;
    QCOMPARE(loaded.port, defaults.port);
    QCOMPARE(loaded.limits.maxLineBytes, defaults.limits.maxLineBytes);
    QCOMPARE(loaded.limits.maxClients, defaults.limits.maxClients);
    QCOMPARE(loaded.limits.pingIntervalMs, defaults.limits.pingIntervalMs);
    QCOMPARE(loaded.limits.historyLines, 40);
    QCOMPARE(loaded.limits.historyKeep, defaults.limits.historyKeep);
    QCOMPARE(loaded.limits.historyKeepDays, defaults.limits.historyKeepDays);
    QCOMPARE(loaded.address, QHostAddress(QHostAddress::Any));
    QCOMPARE(loaded.ircName, defaults.ircName);
    QCOMPARE(loaded.tlsPort, defaults.tlsPort);
    QVERIFY(loaded.limits.floodControl);
}

void tst_ServerConfig::savedTlsPortNotANumber()
{
    // Like every other number in the settings: one that is not a number is the default.
    const QString path = settingsPath(QStringLiteral("badtls.conf"));
    {
        QSettings settings(path, QSettings::IniFormat);
        settings.setValue(QStringLiteral("tls/port"), QStringLiteral("https"));
    }
    const QSettings settings(path, QSettings::IniFormat);
    const ServerConfig loaded = ServerConfig::load(settings);
    QCOMPARE(loaded.tlsPort, ChatLimits::defaultTlsPort);
}

void tst_ServerConfig::commandLineWinsOverSavedSettings()
{
    const QString path = settingsPath(QStringLiteral("saved.conf"));
    {
        ServerConfig saved;
        saved.port = 7200;
        saved.name = QStringLiteral("From the settings");
        saved.limits.maxLineBytes = 1000;
        saved.limits.historyKeepDays = 7;
        saved.limits.floodControl = false;
        QSettings settings(path, QSettings::IniFormat);
        saved.save(settings);
    }
    const QSettings settings(path, QSettings::IniFormat);
    ServerConfig config = ServerConfig::load(settings);
    const Applied applied =
            apply(config, { QStringLiteral("--port=7300"), QStringLiteral("--history-keep=500"),
                            QStringLiteral("--flood=on") });
    QVERIFY2(applied.ok, qPrintable(describe(applied)));
    QStringList overridden = applied.overridden;
    overridden.sort();
    QCOMPARE(overridden, (QStringList{ QStringLiteral("flood"), QStringLiteral("history-keep"),
                                       QStringLiteral("port") }));
    // What was given wins...
    QCOMPARE(config.port, quint16(7300));
    QCOMPARE(config.limits.historyKeep, 500);
    QCOMPARE(config.limits.historyKeepDays, 0);
    QVERIFY(config.limits.floodControl);
    // ... and the rest stays as saved.
    QCOMPARE(config.name, QStringLiteral("From the settings"));
    QCOMPARE(config.limits.maxLineBytes, qsizetype(1000));

    // For that run only: the saved settings are as they were.
    const ServerConfig again = ServerConfig::load(settings);
    QCOMPARE(again.port, quint16(7200));
    QCOMPARE(again.limits.historyKeepDays, 7);
}

void tst_ServerConfig::reachableAtOneAddress()
{
    ServerConfig config;
    config.address = QHostAddress(QStringLiteral("127.0.0.1"));
    QCOMPARE(config.reachableAt(6000), QStringList{ QStringLiteral("127.0.0.1:6000") });
    config.address = QHostAddress(QStringLiteral("::1"));
    QCOMPARE(config.reachableAt(6001), QStringList{ QStringLiteral("[::1]:6001") });
    // Every address: the loopback one is among them, last.
    config.address = QHostAddress::Any;
    const QStringList all = config.reachableAt(6002);
    QVERIFY2(!all.isEmpty(), "no address at all");
    QVERIFY2(all.constLast() == u"127.0.0.1:6002" || all.constLast() == u"[::1]:6002",
             qPrintable(all.join(u", ")));
}

QTEST_GUILESS_MAIN(tst_ServerConfig)
#include "tst_serverconfig.moc"
