// No text from a client can forge a line, drive a terminal or reorder a display: a table of
// hostile strings goes through every field of both dialects that carries text, and through the
// admin's tools, and everything every client, the log and the admin window get is checked.
// Also the exact values of the trust issue's examples (a JSON key with a newline, cuts that
// split characters).
#include "chatserver.h"
#include "clientlistmodel.h"
#include "clientsession.h"
#include "expect.h"
#include "logcollector.h"
#include "testclient.h"
#include "textsanitizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

namespace {

// A JSON string literal with every character outside printable ASCII as a \u escape of its
// UTF-16 unit, so that anything (a lone surrogate, a NUL) reaches the server's parser.
QByteArray jsonString(const QString &text)
{
    QByteArray out("\"");
    for (const QChar c : text) {
        if (c == u'"' || c == u'\\')
            out += '\\' + QByteArray(1, char(c.unicode()));
        else if (c.unicode() >= 0x20 && c.unicode() < 0x7f)
            out += char(c.unicode());
        else
            out += "\\u" + QByteArray::number(c.unicode(), 16).rightJustified(4, '0');
    }
    return out + '"';
}

// Every string anywhere in a JSON value.
void collectStrings(const QJsonValue &value, QStringList *out)
{
    if (value.isString()) {
        out->append(value.toString());
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectStrings(item, out);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        // A message's text is the one text that may hold line feeds (a multi-line message,
        // docs/PROTOCOL.md): each of its lines is held to the rule.
        const QString type = object.value(u"type").toString();
        const bool message = type == u"message" || type == u"private";
        for (auto it = object.begin(); it != object.end(); ++it) {
            out->append(it.key());
            if (message && it.key() == u"text" && it.value().isString())
                out->append(it.value().toString().split(u'\n'));
            else
                collectStrings(it.value(), out);
        }
    }
}

// A line as it was forged by the hostile strings below: what must never start a line.
bool looksForged(const QString &line)
{
    // A line with right-to-left text starts with a left-to-right mark; what follows counts.
    const QStringView start =
            line.startsWith(QChar(0x200e)) ? QStringView(line).sliced(1) : QStringView(line);
    return start.startsWith(QLatin1String("[12:00:00] alice")) ||
           start.startsWith(QLatin1String("* alice left"));
}

} // namespace

class tst_HostileText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void everyFieldOfEveryDialect_data();
    void everyFieldOfEveryDialect();
    void helloKeyIsOneEscapedLine_data();
    void helloKeyIsOneEscapedLine();
    void cutsKeepWholeCharacters_data();
    void cutsKeepWholeCharacters();
    void adminCutsKeepWholeCharacters();

private:
    // What an attack does, given the hostile text (for JSON and the admin) and the bytes a
    // plain client sends for it.
    struct Field
    {
        const char *name;
        bool json; // the attacker speaks JSON
        enum Ends { Stays, Closes, MayClose };
        Ends ends; // whether the attack ends the attacker's connection
        std::function<void(tst_HostileText &, TestClient &, const QString &, const QByteArray &)> attack;
    };
    static QList<Field> fields();
    // Checks everything that arrived since the marks; false with why (the offending line).
    bool checkSince(qsizetype watcherMark, qsizetype jsonMark, qsizetype logMark, const TestClient &attacker,
                    bool attackerJson, QString *why) const;
    static bool checkPlainLines(const QStringList &lines, QString *why);
    static bool checkJsonLines(const QStringList &lines, QString *why);
    static bool checkMixedLines(const QStringList &lines, QString *why);

    std::unique_ptr<LogCollector> m_log;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<ClientListModel> m_adminTable;
    std::unique_ptr<TestClient> m_watcher; // plain, as nc shows it
    std::unique_ptr<TestClient> m_jsonWatcher; // JSON, as the desktop client reads it
    int m_sentinels = 0;
};

void tst_HostileText::initTestCase()
{
    // The server's log handler and the admin window's log, as the program has them.
    m_log = std::make_unique<LogCollector>();
}

void tst_HostileText::init()
{
    ChatLimits limits;
    limits.floodControl = false;
    limits.maxPerAddress = 0;
    limits.maxConnectsPerMinute = 0;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_adminTable = std::make_unique<ClientListModel>(m_server.get());
    m_watcher = joinPlain(m_server->serverPort());
    m_jsonWatcher = joinJson(m_server->serverPort(), QStringLiteral("jwatcher"));
    QVERIFY(m_watcher && m_jsonWatcher);
}

void tst_HostileText::cleanup()
{
    m_watcher.reset();
    m_jsonWatcher.reset();
    m_adminTable.reset();
    m_server.reset();
}

bool tst_HostileText::checkPlainLines(const QStringList &lines, QString *why)
{
    for (const QString &line : lines) {
        if (!TextSanitizer::isClean(line) || line.contains(u'\r') || line.contains(u'\t')) {
            *why = u"a plain line not clean: " + TextSanitizer::quoted(line, 200);
            return false;
        }
        if (looksForged(line)) {
            *why = u"a forged plain line: " + TextSanitizer::quoted(line, 200);
            return false;
        }
    }
    return true;
}

bool tst_HostileText::checkJsonLines(const QStringList &lines, QString *why)
{
    for (const QString &line : lines) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (!document.isObject()) {
            *why = u"not one JSON object: " + TextSanitizer::quoted(line, 200);
            return false;
        }
        // A text may say anything (the desktop client shows it as the text it is), as long
        // as it is clean.
        QStringList strings;
        collectStrings(document.object(), &strings);
        for (const QString &text : std::as_const(strings)) {
            if (!TextSanitizer::isClean(text)) {
                *why = u"a JSON text not clean: " + TextSanitizer::quoted(text, 200) + u" in " +
                       TextSanitizer::quoted(line, 300);
                return false;
            }
        }
    }
    return true;
}

bool tst_HostileText::checkMixedLines(const QStringList &lines, QString *why)
{
    // A JSON client gets the plain greeting before its hello is seen.
    QStringList plain;
    QStringList json;
    for (const QString &line : lines)
        (line.startsWith(u'{') ? json : plain).append(line);
    return checkPlainLines(plain, why) && checkJsonLines(json, why);
}

bool tst_HostileText::checkSince(qsizetype watcherMark, qsizetype jsonMark, qsizetype logMark,
                                 const TestClient &attacker, bool attackerJson, QString *why) const
{
    if (!checkPlainLines(m_watcher->lines().mid(watcherMark), why))
        return false;
    if (!checkJsonLines(m_jsonWatcher->lines().mid(jsonMark), why))
        return false;
    if (!(attackerJson ? checkMixedLines(attacker.lines(), why) : checkPlainLines(attacker.lines(), why)))
        return false;
    // The log (the terminal, the journal and the admin window's log pane): one line per event,
    // nothing in it a terminal would act on or a reader could not see.
    for (const QString &line : m_log->lines().mid(logMark)) {
        if (TextSanitizer::escaped(line, false) != line) {
            *why = u"a log line with raw controls: " + TextSanitizer::quoted(line, 200);
            return false;
        }
    }
    // The admin window's table of clients.
    for (int row = 0; row < m_adminTable->rowCount(); ++row) {
        for (int column = 0; column < m_adminTable->columnCount(); ++column) {
            const QString text = m_adminTable->index(row, column).data().toString();
            if (!TextSanitizer::isClean(text)) {
                *why = u"an admin table cell not clean: " + TextSanitizer::quoted(text, 200);
                return false;
            }
        }
    }
    return true;
}

QList<tst_HostileText::Field> tst_HostileText::fields()
{
    using Self = tst_HostileText;
    const auto json = [](TestClient &client, const QByteArray &object) { client.sendLine(object); };
    return {
        { "plain message", false, Field::Stays,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("say " + bytes);
          } },
        { "plain /me", false, Field::Stays,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("/me " + bytes);
          } },
        { "plain /msg text", false, Field::Stays,
          [](Self &self, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("/msg " + self.m_watcher->nick().toUtf8() + ' ' + bytes);
          } },
        { "plain /msg target", false, Field::Stays,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("/msg x" + bytes + " hi");
          } },
        { "plain /nick", false, Field::Stays,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("/nick x" + bytes);
          } },
        { "plain unknown command", false, Field::Stays,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) { a.sendLine("/x" + bytes); } },
        { "plain /pass", false, Field::Stays,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("/pass " + bytes);
          } },
        { "plain /quit reason", false, Field::Closes,
          [](Self &, TestClient &a, const QString &, const QByteArray &bytes) {
              a.sendLine("/quit " + bytes);
          } },
        { "JSON hello key", true, Field::Closes,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"hello\",\"version\":1," + jsonString(text) + ":1}");
          } },
        { "JSON hello nick", true, Field::MayClose,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"hello\",\"version\":1,\"nick\":" + jsonString(u'x' + text) + "}");
          } },
        { "JSON hello type", true, Field::Closes,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"hello\",\"version\":" + jsonString(text) + "}");
          } },
        { "JSON say", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"say\",\"text\":" + jsonString(u"say " + text) + "}");
          } },
        { "JSON action", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"action\",\"text\":" + jsonString(u"does " + text) + "}");
          } },
        { "JSON private text", true, Field::Stays,
          [json](Self &self, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"private\",\"to\":" + jsonString(self.m_watcher->nick()) +
                              ",\"text\":" + jsonString(u"psst " + text) + "}");
          } },
        { "JSON private to", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"private\",\"to\":" + jsonString(u'x' + text) + ",\"text\":\"hi\"}");
          } },
        { "JSON nick", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"nick\",\"nick\":" + jsonString(u'x' + text) + "}");
          } },
        { "JSON type", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":" + jsonString(text) + "}");
          } },
        { "JSON unknown field", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"say\",\"text\":\"x\"," + jsonString(text) + ":1}");
          } },
        { "JSON key given twice", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a,
                   "{\"type\":\"say\",\"text\":\"x\"," + jsonString(text) + ":1," + jsonString(text) + ":2}");
          } },
        { "JSON ping token", true, Field::Stays,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"ping\",\"token\":" + jsonString(text) + "}");
          } },
        { "JSON quit reason", true, Field::Closes,
          [json](Self &, TestClient &a, const QString &text, const QByteArray &) {
              json(a, "{\"type\":\"quit\",\"reason\":" + jsonString(text) + "}");
          } },
        { "admin kick reason", false, Field::Closes,
          [](Self &self, TestClient &a, const QString &text, const QByteArray &) {
              self.m_server->kick(self.m_server->findClient(a.nick()), text);
          } },
        { "admin notice", false, Field::Stays,
          [](Self &self, TestClient &, const QString &text, const QByteArray &) {
              self.m_server->sendAdminNotice(text);
          } },
        { "server name", true, Field::Stays,
          [](Self &self, TestClient &a, const QString &text, const QByteArray &) {
              // The next welcome carries it.
              self.m_server->setServerName(text);
              a.sendLine("{\"type\":\"say\",\"text\":\"before the second welcome\"}");
              auto second = joinJson(self.m_server->serverPort());
              QVERIFY(second);
              QString why;
              QVERIFY2(checkMixedLines(second->lines(), &why), qPrintable(why));
          } },
    };
}

void tst_HostileText::everyFieldOfEveryDialect_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("bytes"); // what a plain client sends for it

    const auto row = [](const char *name, const QString &text) {
        QTest::newRow(name) << text << text.toUtf8();
    };
    row("newline forging a line", QStringLiteral("x\n[12:00:00] alice: forged"));
    row("CR overwriting the line", QStringLiteral("x\r[12:00:00] alice: forged"));
    row("CRLF", QStringLiteral("x\r\n* alice left (quit)"));
    row("NEL", QStringLiteral("x\u0085[12:00:00] alice: forged"));
    row("LINE SEPARATOR", QStringLiteral("x\u2028[12:00:00] alice: forged"));
    row("PARAGRAPH SEPARATOR", QStringLiteral("x\u2029* alice left (quit)"));
    row("VT and FF", QStringLiteral("x\u000b\u000c[12:00:00] alice: forged"));
    row("ANSI clear screen and window title", QStringLiteral("\u001b[2J\u001b]0;pwned\u0007x"));
    row("C1 CSI", QStringLiteral("\u009b2Jx"));
    row("NUL and DEL", QString::fromUtf16(u"a\u0000b\u007fc", 5));
    row("backspaces over text", QStringLiteral("abc\b\b\bxyz"));
    row("tab", QStringLiteral("a\tb"));
    row("right-to-left override", QStringLiteral("\u202e!dlrow olleh"));
    row("right-to-left isolate left open", QStringLiteral("\u2067x"));
    row("stray pops", QStringLiteral("x\u202c\u2069"));
    row("zero-width and filler", QStringLiteral("a\u200bb\u3164c"));
    QTest::newRow("unpaired surrogate") << (QChar(0xd800) + QStringLiteral("x"))
                                        << QByteArray("\xed\xa0\x80"
                                                      "x");
    QTest::newRow("invalid UTF-8") << QStringLiteral("\ufffdx")
                                   << QByteArray("\xff\xfe"
                                                 "x");
}

void tst_HostileText::everyFieldOfEveryDialect()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, bytes);
    const QString originalName = m_server->serverName();
    const QList<Field> all = fields();
    // Attackers whose first line is a bad hello stay silent until the room knows them (as
    // guests), so that their end is seen: connected together, to wait for that once.
    static const QRegularExpression greeting(QStringLiteral("you are (\\S+);"));
    std::vector<std::unique_ptr<TestClient>> silent;
    for (const Field &field : all) {
        if (!QByteArray(field.name).startsWith("JSON hello"))
            continue;
        silent.push_back(std::make_unique<TestClient>());
        QVERIFY(silent.back()->connectTo(m_server->serverPort()));
    }
    for (const auto &attacker : silent) {
        QString line;
        EXPECT_LINE_AS(line, attacker, greeting);
        attacker->setNick(greeting.match(line).captured(1));
    }
    for (const auto &attacker : silent)
        EXPECT_LINE(m_watcher, u"* " + attacker->nick() + u" joined");
    auto nextSilent = silent.begin();
    for (const Field &field : all) {
        const qsizetype watcherMark = m_watcher->lines().size();
        const qsizetype jsonMark = m_jsonWatcher->lines().size();
        const qsizetype logMark = m_log->lines().size();
        // A fresh attacker for every field: some attacks end the connection.
        std::unique_ptr<TestClient> attacker;
        if (QByteArray(field.name).startsWith("JSON hello"))
            attacker = std::move(*nextSilent++);
        else if (field.json)
            attacker = joinJson(m_server->serverPort());
        else
            attacker = joinPlain(m_server->serverPort());
        QVERIFY2(attacker, field.name);
        field.attack(*this, *attacker, text, bytes);
        if (QTest::currentTestFailed())
            return;

        // Wait until everything the attack causes has happened.
        bool closes = field.ends == Field::Closes;
        if (field.ends == Field::MayClose) {
            // A hello whose nick is clean once sanitised is welcomed.
            const QJsonObject answer = attacker->waitForJson(QString(), [](const QJsonObject &o) {
                return o.value(u"type").toString() == u"welcome" || o.value(u"type").toString() == u"error";
            });
            closes = answer.value(u"type").toString() != u"welcome";
        }
        if (closes) {
            const QString leave = u"* " + attacker->nick() + u" left (";
            const LineExpectation left = expectLine(
                    *m_watcher, QRegularExpression(u"^\u200e?" + QRegularExpression::escape(leave)));
            QVERIFY2(left.failure.isEmpty(),
                     QByteArray(field.name + QByteArrayLiteral(": m_watcher: ") + left.failure).constData());
            QVERIFY(attacker->waitForDisconnected());
        } else {
            const QString sentinel = QStringLiteral("sentinel %1").arg(++m_sentinels);
            if (field.json)
                attacker->sendLine(R"({"type":"say","text":")" + sentinel.toUtf8() + "\"}");
            else
                attacker->sendLine(sentinel.toUtf8());
            const LineExpectation seen =
                    expectLine(*m_watcher, QRegularExpression(QRegularExpression::escape(sentinel) + u'$'));
            QVERIFY2(seen.failure.isEmpty(),
                     QByteArray(field.name + QByteArrayLiteral(": m_watcher: ") + seen.failure).constData());
            EXPECT_JSON(m_jsonWatcher, QStringLiteral("message"),
                        [&](const QJsonObject &o) { return o.value(u"text").toString() == sentinel; });
            EXPECT_LINE(attacker, QRegularExpression(QRegularExpression::escape(sentinel)));
        }
        // The log is written through the event loop (the admin window's is queued).
        QCoreApplication::processEvents();
        QString why;
        QVERIFY2(checkSince(watcherMark, jsonMark, logMark, *attacker, field.json, &why),
                 qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(field.name), why)));
        m_server->setServerName(originalName);
    }
}

void tst_HostileText::helloKeyIsOneEscapedLine_data()
{
    QTest::addColumn<QByteArray>("hello");
    QTest::addColumn<QString>("reason");
    // The issue's examples: a JSON key with a newline, and one with an escape sequence.
    QTest::newRow("newline in a key") << QByteArray(R"({"type":"hello","version":1,"x\nY":1})")
                                      << QStringLiteral(R"(bad hello: unknown field "x\nY")");
    QTest::newRow("ESC in a key") << QByteArray(R"({"type":"hello","version":1,"\u001b[2J":1})")
                                  << QStringLiteral(R"(bad hello: unknown field "\u001b[2J")");
    QTest::newRow("line separator in a key") << QByteArray(R"({"type":"hello","version":1,"a\u2028b":1})")
                                             << QStringLiteral(R"(bad hello: unknown field "a\u2028b")");
}

void tst_HostileText::helloKeyIsOneEscapedLine()
{
    QFETCH(QByteArray, hello);
    QFETCH(QString, reason);
    // A plain client that stays silent until the room knows it, then says a bad hello.
    TestClient attacker;
    QVERIFY(attacker.connectTo(m_server->serverPort()));
    QString joined;
    EXPECT_LINE_AS(joined, m_watcher, QRegularExpression(QStringLiteral("^\\* (guest\\d+) joined$")));
    const QString nick = joined.section(u' ', 1, 1);
    const qsizetype mark = m_watcher->lines().size();
    const qsizetype logMark = m_log->lines().size();
    attacker.sendLine(hello);
    const QString left = u"* " + nick + u" left (" + reason + u')';
    EXPECT_LINE(m_watcher, QRegularExpression(QStringLiteral("^\\* %1 left").arg(nick)));
    // Exactly one line, with the key shown escaped.
    QCOMPARE(m_watcher->lines().mid(mark), QStringList{ left });
    QJsonObject leave;
    EXPECT_JSON_AS(leave, m_jsonWatcher, QStringLiteral("leave"));
    QCOMPARE(leave.value(u"reason").toString(), reason);
    QCoreApplication::processEvents();
    const QStringList logged = m_log->lines().mid(logMark).filter(u" disconnected: " + reason);
    QVERIFY2(logged.size() == 1, qPrintable(m_log->lines().mid(logMark).join(u'|')));
}

void tst_HostileText::cutsKeepWholeCharacters_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("shown");
    const QString a199(199, u'a');
    QTest::newRow("199 a and an emoji") << (a199 + u"😀") << (a199 + u"😀");
    QTest::newRow("101 emoji") << QStringLiteral("😀").repeated(101) << QStringLiteral("😀").repeated(101);
    QTest::newRow("201 emoji, cut to 200")
            << QStringLiteral("😀").repeated(201) << QStringLiteral("😀").repeated(200);
    // Eleven UTF-16 units each: 1650 units, but 150 characters.
    QTest::newRow("150 families of four, all kept") << QStringLiteral("👨\u200d👩\u200d👧\u200d👦").repeated(150)
                                                    << QStringLiteral("👨\u200d👩\u200d👧\u200d👦").repeated(150);
    QTest::newRow("Devanagari syllables")
            << QStringLiteral("रा").repeated(201) << QStringLiteral("रा").repeated(200);
}

void tst_HostileText::cutsKeepWholeCharacters()
{
    QFETCH(QString, reason);
    QFETCH(QString, shown);
    auto leaver = joinPlain(m_server->serverPort());
    QVERIFY(leaver);
    leaver->sendLine("/quit " + reason.toUtf8());
    QString line;
    EXPECT_LINE_AS(line, m_watcher, QRegularExpression(u"^\\* " + leaver->nick() + u" left"));
    QCOMPARE(line, u"* " + leaver->nick() + u" left (quit: " + TextSanitizer::isolated(shown) + u')');
    QJsonObject jsonWatcherLeave;
    EXPECT_JSON_AS(jsonWatcherLeave, m_jsonWatcher, QStringLiteral("leave"));
    QCOMPARE(jsonWatcherLeave.value(u"reason").toString(), u"quit: " + shown);
}

void tst_HostileText::adminCutsKeepWholeCharacters()
{
    // A kick reason is cut like a quit reason; a notice at half the line limit, in bytes, at a
    // character boundary.
    auto kicked = joinPlain(m_server->serverPort());
    QVERIFY(kicked);
    m_server->kick(m_server->findClient(kicked->nick()), QStringLiteral("😀").repeated(250));
    QString kick;
    EXPECT_LINE_AS(kick, kicked, QRegularExpression(QStringLiteral("^! you were kicked")));
    QCOMPARE(kick, u"! you were kicked by the admin: " + QStringLiteral("😀").repeated(200));
    m_server->sendAdminNotice(QStringLiteral("😀").repeated(1000));
    QString notice;
    EXPECT_LINE_AS(notice, m_watcher, QRegularExpression(QStringLiteral("^\\* notice from the admin")));
    // 4096 / 2 bytes: 512 emoji of 4 bytes, none split.
    QCOMPARE(notice, u"* notice from the admin: " + QStringLiteral("😀").repeated(512));
}

QTEST_MAIN(tst_HostileText)
#include "tst_hostiletext.moc"
