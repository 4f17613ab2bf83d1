#include "jsonprotocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

Q_DECLARE_METATYPE(ChatCommand)
Q_DECLARE_METATYPE(ServerEvent)

namespace {

ChatCommand command(ChatCommand::Type type, const QString &target = {}, const QString &text = {})
{
    ChatCommand c;
    c.type = type;
    c.target = target;
    c.text = text;
    return c;
}

ServerEvent makeEvent(ServerEvent::Type type)
{
    ServerEvent e;
    e.type = type;
    e.time = QDateTime(QDate(2026, 11, 25), QTime(13, 14, 15, 123), Qt::UTC);
    return e;
}

ChatMessage message(quint64 id, const QString &from, const QString &text,
                    ChatMessage::Kind kind = ChatMessage::Kind::Say)
{
    ChatMessage m;
    m.id = id;
    m.time = QDateTime(QDate(2026, 11, 25), QTime(9, 0, 0, 7), Qt::UTC);
    m.from = from;
    m.text = text;
    m.kind = kind;
    m.room = QStringLiteral("#general");
    return m;
}

} // namespace

class tst_JsonProtocol : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestRoundTrip_data();
    void requestRoundTrip();
    void badRequest_data();
    void badRequest();
    void errorCodeNames();
    void quotedInputIsEscapedAndCutWhole();
    void controlCharactersAreRemoved();
    void eventRoundTrip_data();
    void eventRoundTrip();
    void wireFormat();
    void isHello_data();
    void isHello();
    void timeFormat();
};

void tst_JsonProtocol::requestRoundTrip_data()
{
    QTest::addColumn<ChatCommand>("request");
    using T = ChatCommand::Type;
    QTest::newRow("say") << command(T::Say, {}, QStringLiteral("hello \"world\" \\ 你好 😀"));
    QTest::newRow("say with HTML") << command(T::Say, {}, QStringLiteral("<b>hi</b> <img src=x>"));
    QTest::newRow("action") << command(T::Action, {}, QStringLiteral("waves"));
    QTest::newRow("private") << command(T::Private, QStringLiteral("bob"), QStringLiteral("psst"));
    ChatCommand once = command(T::Say, QStringLiteral("#dev"), QStringLiteral("once"));
    once.clientId = QStringLiteral("2b1f0c3e-8d7a-4f0e-9a54-6c1d2e3f4a5b");
    QTest::newRow("say with a client id") << once;
    QTest::newRow("say over two lines (found by fuzz_jsonprotocol)")
            << command(T::Say, {}, QStringLiteral("axxxxx\naxxxxxxxxxxxxx>xxxxxxxx>b"));
    once.type = T::Private;
    once.target = QStringLiteral("bob");
    once.clientId = QString(64, u'Z');
    QTest::newRow("private with a client id of 64") << once;
    QTest::newRow("nick") << command(T::Nick, QStringLiteral("张伟"));
    QTest::newRow("quit") << command(T::Quit);
    QTest::newRow("quit with reason") << command(T::Quit, {}, QStringLiteral("lunch"));
    ChatCommand hello = command(T::Hello, QStringLiteral("alice"));
    hello.version = 1;
    QTest::newRow("hello") << hello;
    hello.hasSince = true;
    hello.since = 9007199254740992ull;
    hello.token = QStringLiteral("00ff");
    QTest::newRow("hello with since and token") << hello;
    ChatCommand ping = command(T::Ping);
    QTest::newRow("ping") << ping;
    ping.token = QStringLiteral("42");
    QTest::newRow("ping with token") << ping;
    ChatCommand older = command(T::History, QStringLiteral("#dev"));
    older.before = 120;
    older.limit = 50;
    QTest::newRow("history before, a room") << older;
    older.target.clear();
    older.with = QStringLiteral("bob");
    older.limit = 0;
    QTest::newRow("history before, a private conversation") << older;
}

void tst_JsonProtocol::requestRoundTrip()
{
    QFETCH(ChatCommand, request);
    const QByteArray line = JsonProtocol::encode(request);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const ChatCommand decoded = JsonProtocol::decodeCommand(line.chopped(1));
    QCOMPARE(decoded.type, request.type);
    QVERIFY2(decoded == request, line.constData());
}

void tst_JsonProtocol::badRequest_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("code");

    QTest::newRow("not JSON") << QByteArray("hello") << QStringLiteral("malformed");
    QTest::newRow("unfinished") << QByteArray("{\"type\":\"say\"") << QStringLiteral("malformed");
    QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("malformed");
    QTest::newRow("number") << QByteArray("42") << QStringLiteral("malformed");
    QTest::newRow("string") << QByteArray("\"say\"") << QStringLiteral("malformed");
    QTest::newRow("deeply nested") << QByteArray(5000, '[') << QStringLiteral("malformed");
    QTest::newRow("no type") << QByteArray("{\"text\":\"hi\"}") << QStringLiteral("bad-field");
    QTest::newRow("type not a string") << QByteArray("{\"type\":7}") << QStringLiteral("bad-field");
    // A room or a person may be left out where a default applies, never named empty.
    QTest::newRow("part of an empty room")
            << QByteArray(R"({"type":"part","room":""})") << QStringLiteral("bad-field");
    QTest::newRow("say to a blank room")
            << QByteArray(R"({"type":"say","room":" ","text":"x"})") << QStringLiteral("bad-field");
    QTest::newRow("history of an empty room")
            << QByteArray(R"({"type":"history","after":0,"room":""})") << QStringLiteral("bad-field");
    QTest::newRow("private to nobody")
            << QByteArray(R"({"type":"private","to":"","text":"x"})") << QStringLiteral("bad-field");
    QTest::newRow("unknown type") << QByteArray("{\"type\":\"dance\"}") << QStringLiteral("unknown-type");
    QTest::newRow("unknown field") << QByteArray("{\"type\":\"say\",\"text\":\"hi\",\"color\":\"red\"}")
                                   << QStringLiteral("bad-field");
    QTest::newRow("text missing") << QByteArray("{\"type\":\"say\"}") << QStringLiteral("bad-field");
    QTest::newRow("text a number") << QByteArray("{\"type\":\"say\",\"text\":5}")
                                   << QStringLiteral("bad-field");
    QTest::newRow("text an object") << QByteArray("{\"type\":\"say\",\"text\":{\"a\":1}}")
                                    << QStringLiteral("bad-field");
    QTest::newRow("text empty") << QByteArray("{\"type\":\"say\",\"text\":\"  \"}")
                                << QStringLiteral("bad-field");
    QTest::newRow("private without to")
            << QByteArray("{\"type\":\"private\",\"text\":\"x\"}") << QStringLiteral("bad-field");
    QTest::newRow("nick null") << QByteArray("{\"type\":\"nick\",\"nick\":null}")
                               << QStringLiteral("bad-field");
    QTest::newRow("hello without version")
            << QByteArray("{\"type\":\"hello\",\"nick\":\"a\"}") << QStringLiteral("bad-field");
    QTest::newRow("since negative") << QByteArray("{\"type\":\"hello\",\"version\":1,\"since\":-1}")
                                    << QStringLiteral("bad-field");
    QTest::newRow("since fraction") << QByteArray("{\"type\":\"hello\",\"version\":1,\"since\":1.5}")
                                    << QStringLiteral("bad-field");
    QTest::newRow("since too large") << QByteArray("{\"type\":\"hello\",\"version\":1,\"since\":1e300}")
                                     << QStringLiteral("bad-field");
    QTest::newRow("duplicate key") << QByteArray(R"({"type":"say","text":"a","text":"b"})")
                                   << QStringLiteral("bad-field");
    QTest::newRow("duplicate key, escaped")
            << QByteArray(R"({"type":"say","text":"a","t\u0065xt":"b"})") << QStringLiteral("bad-field");
    QTest::newRow("duplicate type") << QByteArray(R"({"type":"say","type":"nick","text":"a"})")
                                    << QStringLiteral("bad-field");
    QTest::newRow("nested object") << QByteArray(R"({"type":"say","text":{"a":{"b":{"c":{"d":1}}}}})")
                                   << QStringLiteral("malformed");
    QTest::newRow("nested 100 deep") << (QByteArray("{\"type\":\"say\",\"text\":") + QByteArray(100, '[') +
                                         QByteArray(100, ']') + "}")
                                     << QStringLiteral("malformed");
    QTest::newRow("since a string") << QByteArray("{\"type\":\"hello\",\"version\":1,\"since\":\"3\"}")
                                    << QStringLiteral("bad-field");
}

void tst_JsonProtocol::badRequest()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, code);
    const ChatCommand decoded = JsonProtocol::decodeCommand(line);
    QCOMPARE(decoded.type, ChatCommand::Type::Invalid);
    QCOMPARE(ErrorCodes::name(decoded.error), code);
    QVERIFY(!decoded.text.isEmpty());
}

// Every code has its own word, and the word gives the code back; words this version does not
// know (a newer server's) are Unknown, never None.
void tst_JsonProtocol::errorCodeNames()
{
    QSet<QString> seen;
    for (int i = int(ErrorCode::Unknown); i <= int(ErrorCode::Timeout); ++i) {
        const auto code = ErrorCode(i);
        const QString word = ErrorCodes::name(code);
        QVERIFY2(!word.isEmpty(), qPrintable(QStringLiteral("code %1 has no word").arg(i)));
        QVERIFY2(!seen.contains(word), qPrintable(u"two codes are called " + word));
        seen.insert(word);
        QCOMPARE(ErrorCodes::fromName(word), code);
    }
    QCOMPARE(ErrorCodes::name(ErrorCode::None), QString());
    QCOMPARE(ErrorCodes::fromName(u""), ErrorCode::Unknown);
    QCOMPARE(ErrorCodes::fromName(u"no-such-thing"), ErrorCode::Unknown);
    QCOMPARE(ErrorCodes::name(ErrorCode::NickTaken), QStringLiteral("nick-taken"));
    // Over the wire and back, as the client reads it.
    ServerEvent error;
    error.type = ServerEvent::Type::Error;
    error.code = ErrorCode::TooManyRooms;
    error.text = QStringLiteral("too many");
    QVERIFY(JsonProtocol::encode(error).contains(R"("code":"too-many-rooms")"));
    QCOMPARE(JsonProtocol::decodeEvent(JsonProtocol::encode(error)).code, ErrorCode::TooManyRooms);
}

void tst_JsonProtocol::quotedInputIsEscapedAndCutWhole()
{
    // A key given twice is quoted escaped (a NUL cannot end a log line early) and cut by
    // whole characters.
    ChatCommand decoded =
            JsonProtocol::decodeCommand(R"({"type":"say","text":"hi","k\u0000 x":1,"k\u0000 x":2})");
    QCOMPARE(decoded.text, QStringLiteral(R"(the key "k\u0000 x" appears twice)"));
    const QByteArray longKey = '"' + QByteArray(63, 'a') + "\xf0\x9f\x98\x80" + "tail\"";
    const QByteArray twice = "{\"type\":\"say\"," + longKey + ":1," + longKey + ":2}";
    decoded = JsonProtocol::decodeCommand(twice);
    QCOMPARE(decoded.text, u"the key \"" + QString(63, u'a') + u"😀\"… appears twice");
    decoded = JsonProtocol::decodeCommand(R"({"type":"say","text":"hi","\u202eevil":1})");
    QCOMPARE(decoded.text, QStringLiteral(R"(unknown field "\u202eevil")"));
}

void tst_JsonProtocol::controlCharactersAreRemoved()
{
    const ChatCommand decoded =
            JsonProtocol::decodeCommand(R"({"type":"say","text":"a\u001b[31mb\nc\u0000d\te"})");
    QCOMPARE(decoded.type, ChatCommand::Type::Say);
    // A message's line feed is a line of its own (TextSanitizer::cleanLines); a tab separates
    // words still; other controls go, and so does every other break.
    QCOMPARE(decoded.text, QStringLiteral("a[31mb\ncd e"));
    // Blank lines at either end are dropped (a script's "hello\n" is one line), not inside.
    const ChatCommand ends =
            JsonProtocol::decodeCommand(R"({"type":"say","text":"\n \nhello\n\nworld\n\u200b\n"})");
    QCOMPARE(ends.text, QStringLiteral("hello\n\nworld"));
    const ChatCommand other =
            JsonProtocol::decodeCommand(R"({"type":"topic","room":"#a","topic":"a\nb\u2028c"})");
    QCOMPARE(other.text, QStringLiteral("a b c"));
}

void tst_JsonProtocol::eventRoundTrip_data()
{
    QTest::addColumn<ServerEvent>("original");
    using T = ServerEvent::Type;

    // A message event's time is its message's.
    ServerEvent e = makeEvent(T::Message);
    e.message =
            message(42, QStringLiteral("alice"), QStringLiteral("line \"one\" <b>two</b> \u202eRTL\u202c"));
    e.time = e.message.time;
    QTest::newRow("message") << e;
    e.message = message(43, QStringLiteral("张伟"), QStringLiteral("挥手"), ChatMessage::Kind::Action);
    QTest::newRow("action") << e;
    e.message.clientId = QStringLiteral("a_b-9");
    QTest::newRow("message with a client id") << e;

    e = makeEvent(T::Sent);
    e.time = QDateTime();
    e.message.id = 42;
    e.message.clientId = QStringLiteral("c1");
    e.message.room = QStringLiteral("#general");
    QTest::newRow("sent, a room's") << e;
    e.message.room.clear();
    e.message.to = QStringLiteral("bob");
    QTest::newRow("sent, a private one") << e;

    e = makeEvent(T::Status);
    e.time = QDateTime();
    e.degraded = true;
    e.text = QStringLiteral("messages wait");
    QTest::newRow("status") << e;

    e = makeEvent(T::Private);
    e.from = QStringLiteral("alice");
    e.to = QStringLiteral("bob");
    e.text = QStringLiteral("psst");
    QTest::newRow("private") << e;

    e = makeEvent(T::Join);
    e.nick = QStringLiteral("alice");
    QTest::newRow("join") << e;

    e = makeEvent(T::Leave);
    e.nick = QStringLiteral("alice");
    e.text = QStringLiteral("send queue exceeded");
    QTest::newRow("leave") << e;

    e = makeEvent(T::Nick);
    e.oldNick = QStringLiteral("guest1");
    e.newNick = QStringLiteral("alice");
    QTest::newRow("nick") << e;

    e = makeEvent(T::Notice);
    e.time = QDateTime();
    e.from = QStringLiteral("admin");
    e.text = QStringLiteral("back in 5");
    QTest::newRow("notice") << e;

    e = makeEvent(T::Error);
    e.time = QDateTime();
    e.code = ErrorCode::NickTaken;
    e.text = QStringLiteral("nick alice is already taken");
    QTest::newRow("error") << e;

    e = makeEvent(T::Shutdown);
    e.time = QDateTime();
    e.text = QStringLiteral("server shutting down");
    QTest::newRow("shutdown") << e;

    e = makeEvent(T::Pong);
    e.time = QDateTime();
    e.token = QStringLiteral("7");
    QTest::newRow("pong") << e;

    e = makeEvent(T::Welcome);
    e.time = QDateTime();
    e.version = 1;
    e.serverName = QStringLiteral("groupchat on test");
    e.nick = QStringLiteral("alice");
    e.token = QStringLiteral("abc");
    e.lastId = 44;
    e.historyComplete = false;
    e.limits = { 4096, 20, 1000, 32 };
    e.users = { { QStringLiteral("alice"), QDateTime(QDate(2026, 11, 25), QTime(8, 0), Qt::UTC) },
                { QStringLiteral("bob"), QDateTime(QDate(2026, 11, 24), QTime(23, 59, 59, 999), Qt::UTC) } };
    e.history = { message(43, QStringLiteral("bob"), QStringLiteral("hi")),
                  message(44, QStringLiteral("alice"), QStringLiteral("waves"), ChatMessage::Kind::Action) };
    QTest::newRow("welcome") << e;

    e = makeEvent(T::History);
    e.time = QDateTime();
    e.after = 42;
    e.historyComplete = false;
    e.historyMore = true;
    e.history = { message(43, QStringLiteral("bob"), QStringLiteral("hi")) };
    QTest::newRow("history") << e;

    e = makeEvent(T::History);
    e.time = QDateTime();
    e.before = 120;
    e.room = QStringLiteral("#dev");
    e.historyMore = true;
    e.history = { message(43, QStringLiteral("bob"), QStringLiteral("hi")) };
    QTest::newRow("history before, a room") << e;
    e.room.clear();
    e.to = QStringLiteral("bob");
    e.historyMore = false;
    QTest::newRow("history before, a private conversation") << e;

    e = makeEvent(T::CaughtUp);
    e.time = QDateTime();
    e.missed = 1595;
    e.text = QStringLiteral("you have caught up");
    e.online = 2;
    e.users = { { QStringLiteral("alice"), QDateTime(QDate(2026, 11, 25), QTime(8, 0), Qt::UTC) },
                { QStringLiteral("bob"), QDateTime(QDate(2026, 11, 24), QTime(23, 59, 59, 999), Qt::UTC) } };
    QTest::newRow("caught-up") << e;

    e = makeEvent(T::Error);
    e.time = QDateTime();
    e.code = ErrorCode::Kicked;
    e.text = QStringLiteral("you were kicked by the admin: spam");
    e.reason = QStringLiteral("spam");
    QTest::newRow("kicked") << e;
}

void tst_JsonProtocol::eventRoundTrip()
{
    QFETCH(ServerEvent, original);
    const QByteArray line = JsonProtocol::encode(original);
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const ServerEvent e = JsonProtocol::decodeEvent(line.chopped(1));
    QCOMPARE(e.type, original.type);
    QCOMPARE(e.time, original.time);
    QCOMPARE(e.message, original.message);
    QCOMPARE(e.nick, original.nick);
    QCOMPARE(e.oldNick, original.oldNick);
    QCOMPARE(e.newNick, original.newNick);
    QCOMPARE(e.from, original.from);
    QCOMPARE(e.to, original.to);
    QCOMPARE(e.text, original.text);
    QCOMPARE(e.code, original.code);
    QCOMPARE(e.token, original.token);
    QCOMPARE(e.version, original.version);
    QCOMPARE(e.serverName, original.serverName);
    QCOMPARE(e.users, original.users);
    QCOMPARE(e.history, original.history);
    QCOMPARE(e.historyComplete, original.historyComplete);
    QCOMPARE(e.lastId, original.lastId);
    QVERIFY(e.limits == original.limits);
    QCOMPARE(e.after, original.after);
    QCOMPARE(e.before, original.before);
    QCOMPARE(e.room, original.room);
    QCOMPARE(e.historyMore, original.historyMore);
    QCOMPARE(e.missed, original.missed);
    QCOMPARE(e.reason, original.reason);
    QCOMPARE(e.online, original.online);
    QCOMPARE(e.degraded, original.degraded);
}

void tst_JsonProtocol::wireFormat()
{
    // Exactly what docs/PROTOCOL.md shows.
    ServerEvent e = makeEvent(ServerEvent::Type::Message);
    e.message = message(42, QStringLiteral("alice"), QStringLiteral("hi \"you\""));
    const QByteArray expectedMessage = R"({"type":"message","id":42,"time":"2026-11-25T09:00:00.007Z",)"
                                       R"("from":"alice","text":"hi \"you\"","kind":"say","room":"#general"})"
                                       "\n";
    QCOMPARE(JsonProtocol::encode(e), expectedMessage);
    const QByteArray expectedPrivate = R"({"type":"private","to":"bob","text":"hi"})"
                                       "\n";
    QCOMPARE(JsonProtocol::encode(
                     command(ChatCommand::Type::Private, QStringLiteral("bob"), QStringLiteral("hi"))),
             expectedPrivate);
    // Non-ASCII travels as UTF-8; control characters never leave the server, whoever put
    // them into a text; a message's line feed stays (escaped, in one line), other line breaks
    // become spaces.
    e.message.text = QStringLiteral("你好\x01\n\u2028!");
    const QByteArray line = JsonProtocol::encode(e);
    QVERIFY2(line.contains("\"text\":\"\xe4\xbd\xa0\xe5\xa5\xbd\\n !\""), line.constData());
    QCOMPARE(line.count('\n'), 1);
    QVERIFY(!QJsonDocument::fromJson(line).isNull());
    // A secret is sent exactly as it is.
    ChatCommand hello;
    hello.type = ChatCommand::Type::Hello;
    hello.version = 1;
    hello.hasPassword = true;
    hello.password = QStringLiteral("pa\tss");
    QCOMPARE(JsonProtocol::decodeCommand(JsonProtocol::encode(hello).trimmed()).password, hello.password);
}

void tst_JsonProtocol::isHello_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("hello");
    QTest::newRow("hello") << QByteArray(R"({"type":"hello","version":1,"nick":"a"})") << true;
    QTest::newRow("hello with spaces") << QByteArray(R"(  { "type" : "hello" } )") << true;
    QTest::newRow("bad hello is still a hello") << QByteArray(R"({"type":"hello","version":"x"})") << true;
    QTest::newRow("say") << QByteArray(R"({"type":"say","text":"a"})") << false;
    QTest::newRow("plain text") << QByteArray("hello") << false;
    QTest::newRow("plain text about JSON") << QByteArray(R"(my config is {"type":"hello"})") << false;
    QTest::newRow("broken JSON") << QByteArray(R"({"type":"hello")") << false;
}

void tst_JsonProtocol::isHello()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, hello);
    QCOMPARE(JsonProtocol::isHello(line), hello);
}

void tst_JsonProtocol::timeFormat()
{
    const QDateTime time(QDate(2026, 1, 2), QTime(3, 4, 5, 6), Qt::UTC);
    QCOMPARE(JsonProtocol::timeText(time), QStringLiteral("2026-01-02T03:04:05.006Z"));
    QCOMPARE(JsonProtocol::parseTime(QStringLiteral("2026-01-02T03:04:05.006Z")), time);
    QCOMPARE(JsonProtocol::timeText(time.toOffsetFromUtc(3600)), QStringLiteral("2026-01-02T03:04:05.006Z"));
    QVERIFY(!JsonProtocol::parseTime(QStringLiteral("yesterday")).isValid());
}

QTEST_APPLESS_MAIN(tst_JsonProtocol)
#include "tst_jsonprotocol.moc"
