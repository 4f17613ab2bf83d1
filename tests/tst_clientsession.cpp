#include "clientsession.h"
#include "writebatcher.h"

#include "support/socketpeer.h"

#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <memory>
#include <numeric>

namespace {

using Type = ChatCommand::Type;

QString typeName(Type type)
{
    switch (type) {
    case Type::Say:
        return QStringLiteral("Say");
    case Type::Action:
        return QStringLiteral("Action");
    case Type::Private:
        return QStringLiteral("Private");
    case Type::Nick:
        return QStringLiteral("Nick");
    case Type::Who:
        return QStringLiteral("Who");
    case Type::Quit:
        return QStringLiteral("Quit");
    case Type::Hello:
        return QStringLiteral("Hello");
    case Type::History:
        return QStringLiteral("History");
    case Type::TooLong:
        return QStringLiteral("TooLong");
    case Type::Invalid:
        return QStringLiteral("Invalid");
    default:
        return QStringLiteral("type %1").arg(int(type));
    }
}

// "Say(hello) Nick(bob)": commands as a failure message shows them.
QString describe(const QList<ChatCommand> &commands)
{
    QStringList parts;
    for (const ChatCommand &command : commands)
        parts.append(typeName(command.type) + u'(' +
                     (command.text.isEmpty() ? command.target : command.text) + u')');
    return QStringLiteral("%1 command(s): %2").arg(commands.size()).arg(parts.join(u' '));
}

QList<int> typesOf(const QList<ChatCommand> &commands)
{
    QList<int> types;
    for (const ChatCommand &command : commands)
        types.append(int(command.type));
    return types;
}

QByteArray shown(const QByteArray &bytes)
{
    return bytes.size() <= 300 ? bytes
                               : bytes.first(300) + "... (" + QByteArray::number(bytes.size()) + " bytes)";
}

const QByteArray hello = R"({"type":"hello","version":2,"nick":"bob"})";

// A session on one end of a socket pair, the test's end, and everything the session reported.
struct Session
{
    explicit Session(const ChatLimits &limits = ChatLimits(), bool smallKernelBuffer = false)
    {
        if (smallKernelBuffer)
            SocketPeer::shrinkSendBuffer(peer.sessionDescriptor());
        session = std::make_unique<ClientSession>(peer.sessionDescriptor(), 1, limits, &batcher);
        QObject::connect(session.get(), &ClientSession::commandReceived, session.get(),
                         [this](const ChatCommand &command) {
                             commands.append(command);
                             times.append(ClientSession::monotonicMs());
                             if (onCommand)
                                 onCommand(command);
                         });
        QObject::connect(session.get(), &ClientSession::closed, session.get(),
                         [this](const QString &reason) { closed.append(reason); });
        QObject::connect(session.get(), &ClientSession::caughtUp, session.get(),
                         [this](qint64 missed) { caughtUp.append(missed); });
    }
    ~Session()
    {
        // Before the batcher it uses.
        session.reset();
    }

    // Writes bytes and runs the event loop until the session has read them all.
    bool feed(const QByteArray &bytes, int timeoutMs = 5000)
    {
        const qint64 expected = session->bytesReceived() + bytes.size();
        return peer.write(bytes) &&
               QTest::qWaitFor([&] { return session->bytesReceived() >= expected || !closed.isEmpty(); },
                               timeoutMs) &&
               session->bytesReceived() == expected;
    }
    bool waitForCommands(qsizetype count, int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return commands.size() >= count; }, timeoutMs) &&
               commands.size() >= count;
    }
    bool waitForClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([&] { return !closed.isEmpty(); }, timeoutMs);
    }

    WriteBatcher batcher;
    SocketPeer peer;
    std::unique_ptr<ClientSession> session;
    QList<ChatCommand> commands;
    QList<qint64> times; // monotonicMs() of each command
    QStringList closed;
    QList<qint64> caughtUp;
    std::function<void(const ChatCommand &)> onCommand;
};

} // namespace

// ClientSession (src/server/core/clientsession.h): one connection over a real descriptor (a local
// socket pair): the dialect from the first line, framing, the line limit, flood control, the
// send queue's soft and hard limits, and closing, which sends what is owed first.
class tst_ClientSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dialect_data();
    void dialect();
    void framing_data();
    void framing();
    void lineTooLong_data();
    void lineTooLong();
    void floodControlHoldsLines();
    void floodControlCountsHistoryRequests();
    void excessFloodCloses_data();
    void excessFloodCloses();
    void floodControlOff();
    void pausedInputWaits();
    void kernelBufferIsNotTheQueue();
    void softLimitMarksLagging_data();
    void softLimitMarksLagging();
    void hardLimitDisconnects();
    void closeSendsWhatIsQueued();
    void closeWaitsForTheQueue();
    void abortDropsWhatIsQueued();
    void endOfInputIsNotTheEnd();
    void endOfInputReleasesHeldLines();
    void tlsHandshakeOnThePlainPort();
};

void tst_ClientSession::dialect_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("mode");
    QTest::addColumn<QList<int>>("types");
    QTest::addColumn<QString>("firstText"); // the first command's text or target

    const int plain = int(ClientSession::Mode::Plain);
    const int json = int(ClientSession::Mode::Json);
    using T = QList<int>;
    QTest::newRow("a plain line") << QByteArray("hello there\n") << plain << T{ int(Type::Say) }
                                  << QStringLiteral("hello there");
    QTest::newRow("a slash command") << QByteArray("/nick carol\n") << plain << T{ int(Type::Nick) }
                                     << QStringLiteral("carol");
    QTest::newRow("a JSON hello") << hello + '\n' << json << T{ int(Type::Hello) } << QStringLiteral("bob");
    QTest::newRow("a JSON hello, CRLF") << hello + "\r\n"
                                        << json << T{ int(Type::Hello) } << QStringLiteral("bob");
    QTest::newRow("a JSON hello, then requests")
            << hello + "\n{\"type\":\"say\",\"text\":\"hi\"}\n{\"type\":\"ping\",\"token\":\"t\"}\n"
            << json << T{ int(Type::Hello), int(Type::Say), int(Type::Ping) } << QStringLiteral("bob");
    QTest::newRow("a JSON hello, then a plain line")
            << hello + "\nhello there\n"
            << json << T{ int(Type::Hello), int(Type::Invalid) } << QStringLiteral("bob");
    QTest::newRow("JSON that is not a hello is text")
            << QByteArray("{\"type\":\"say\",\"text\":\"hi\"}\n") << plain << T{ int(Type::Say) }
            << QStringLiteral("{\"type\":\"say\",\"text\":\"hi\"}");
    QTest::newRow("a hello after a plain line is text")
            << QByteArray("hi\n") + hello + '\n'
            << plain << T{ int(Type::Say), int(Type::Say) } << QStringLiteral("hi");
    QTest::newRow("blank lines decide nothing") << QByteArray("\n   \r\n\t\n") + hello + '\n'
                                                << json << T{ int(Type::Hello) } << QStringLiteral("bob");
    QTest::newRow("a hello with a key twice is JSON, and refused")
            << QByteArray(R"({"type":"hello","version":2,"version":2})"
                          "\n")
            << json << T{ int(Type::Invalid) } << QStringLiteral("the key \"version\" appears twice");
    QTest::newRow("a broken hello is text") << QByteArray("{\"type\":\"hello\",\n") << plain
                                            << T{ int(Type::Say) } << QStringLiteral("{\"type\":\"hello\",");
}

void tst_ClientSession::dialect()
{
    QFETCH(QByteArray, input);
    QFETCH(int, mode);
    QFETCH(QList<int>, types);
    QFETCH(QString, firstText);

    Session s;
    QCOMPARE(s.session->mode(), ClientSession::Mode::Undecided);
    QVERIFY(!s.session->hasReceivedLine());
    QVERIFY(s.feed(input));
    QVERIFY2(s.waitForCommands(types.size()), qPrintable(describe(s.commands)));
    QVERIFY2(typesOf(s.commands) == types, qPrintable(describe(s.commands)));
    QCOMPARE(int(s.session->mode()), mode);
    QCOMPARE(s.session->isJson(), mode == int(ClientSession::Mode::Json));
    QVERIFY(s.session->hasReceivedLine());
    const ChatCommand &first = s.commands.constFirst();
    QCOMPARE(first.text.isEmpty() ? first.target : first.text, firstText);
    QCOMPARE(s.closed, QStringList());
}

void tst_ClientSession::framing_data()
{
    QTest::addColumn<QList<QByteArray>>("chunks"); // each read by the session before the next
    QTest::addColumn<QStringList>("texts"); // of the Say commands, in order

    using C = QList<QByteArray>;
    QTest::newRow("LF") << C{ "one\ntwo\n" } << QStringList{ QStringLiteral("one"), QStringLiteral("two") };
    QTest::newRow("CRLF") << C{ "one\r\ntwo\r\n" }
                          << QStringList{ QStringLiteral("one"), QStringLiteral("two") };
    QTest::newRow("a line across reads")
            << C{ "hel", "lo wor", "ld\nnext", "\n" }
            << QStringList{ QStringLiteral("hello world"), QStringLiteral("next") };
    QTest::newRow("CR and LF in two reads")
            << C{ "one\r", "\ntwo\n" } << QStringList{ QStringLiteral("one"), QStringLiteral("two") };
    QTest::newRow("byte by byte") << C{ "a", "b", "\r", "\n", "c", "\n" }
                                  << QStringList{ QStringLiteral("ab"), QStringLiteral("c") };
    QTest::newRow("empty and blank lines are nothing")
            << C{ "\n\r\none\n   \n\t\ntwo\n" }
            << QStringList{ QStringLiteral("one"), QStringLiteral("two") };
    QTest::newRow("an unfinished line waits")
            << C{ "done\nnot yet" } << QStringList{ QStringLiteral("done") };
    QTest::newRow("UTF-8 across reads") << C{ "caf\xc3", "\xa9\n" } << QStringList{ QStringLiteral("café") };
    QTest::newRow("invalid UTF-8 is replaced") << C{ "a\xff"
                                                     "b\n" }
                                               << QStringList{ QStringLiteral("a\uFFFDb") };
    QTest::newRow("many lines in one read")
            << C{ "1\n2\n3\n4\n5\n" }
            << QStringList{ QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                            QStringLiteral("4"), QStringLiteral("5") };
}

void tst_ClientSession::framing()
{
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QStringList, texts);

    Session s;
    for (const QByteArray &chunk : chunks)
        QVERIFY2(s.feed(chunk), qPrintable(QStringLiteral("not read: %1").arg(QString::fromUtf8(chunk))));
    QVERIFY2(s.waitForCommands(texts.size()), qPrintable(describe(s.commands)));
    // All input is read: nothing more is coming.
    QCOMPARE(s.commands.size(), texts.size());
    for (qsizetype i = 0; i < texts.size(); ++i) {
        QVERIFY2(s.commands[i].type == Type::Say, qPrintable(describe(s.commands)));
        QCOMPARE(s.commands[i].text, texts[i]);
    }
    QCOMPARE(s.session->mode(), ClientSession::Mode::Plain);
    QCOMPARE(s.session->bytesReceived(),
             qint64(std::accumulate(chunks.begin(), chunks.end(), qsizetype(0),
                                    [](qsizetype sum, const QByteArray &c) { return sum + c.size(); })));
}

void tst_ClientSession::lineTooLong_data()
{
    QTest::addColumn<int>("maxLine");
    QTest::addColumn<QList<QByteArray>>("chunks");
    QTest::addColumn<QList<int>>("types");

    using C = QList<QByteArray>;
    using T = QList<int>;
    const int say = int(Type::Say);
    const int tooLong = int(Type::TooLong);
    QTest::newRow("at the limit") << 16 << C{ QByteArray(16, 'x') + '\n' } << T{ say };
    QTest::newRow("at the limit, CRLF") << 16 << C{ QByteArray(16, 'x') + "\r\n" } << T{ say };
    QTest::newRow("one over") << 16 << C{ QByteArray(17, 'x') + "\nok\n" } << T{ tooLong, say };
    QTest::newRow("over, across reads")
            << 16 << C{ QByteArray(10, 'x'), QByteArray(10, 'x'), "\nok\n" } << T{ tooLong, say };
    QTest::newRow("far over, reported once")
            << 16 << C{ QByteArray(100000, 'x'), QByteArray(100000, 'y'), "\nok\n" } << T{ tooLong, say };
    QTest::newRow("two over") << 16 << C{ QByteArray(20, 'x') + '\n' + QByteArray(20, 'y') + "\nok\n" }
                              << T{ tooLong, tooLong, say };
    QTest::newRow("over, in JSON") << 48 << C{ hello + '\n', QByteArray(60, ' ') + "{}\n" }
                                   << T{ int(Type::Hello), tooLong };
    QTest::newRow("over as the first line")
            << 16 << C{ QByteArray(40, '{') + "\n/who\n" } << T{ tooLong, int(Type::Who) };
}

void tst_ClientSession::lineTooLong()
{
    QFETCH(int, maxLine);
    QFETCH(QList<QByteArray>, chunks);
    QFETCH(QList<int>, types);

    ChatLimits limits;
    limits.maxLineBytes = maxLine;
    Session s(limits);
    for (const QByteArray &chunk : chunks)
        QVERIFY(s.feed(chunk));
    QVERIFY2(s.waitForCommands(types.size()), qPrintable(describe(s.commands)));
    QVERIFY2(typesOf(s.commands) == types, qPrintable(describe(s.commands)));
    // The session goes on.
    QCOMPARE(s.closed, QStringList());
    QVERIFY(s.feed("still here\n"));
    QVERIFY2(s.waitForCommands(types.size() + 1), qPrintable(describe(s.commands)));
}

void tst_ClientSession::floodControlHoldsLines()
{
    // A burst of 3, then one line every 100 ms.
    ChatLimits limits;
    limits.floodBurst = 3;
    limits.floodRate = 10;
    limits.floodQueue = 10;
    Session s(limits);
    QVERIFY(s.feed("1\n2\n3\n4\n5\n6\n"));
    // The burst at once, with the reading.
    QVERIFY2(s.commands.size() == 3, qPrintable(describe(s.commands)));
    QVERIFY2(s.waitForCommands(6), qPrintable(describe(s.commands)));
    QStringList texts;
    for (const ChatCommand &command : std::as_const(s.commands))
        texts.append(command.text);
    QCOMPARE(texts, (QStringList{ QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                  QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6") }));
    // The rest at the flood rate: no sooner than a token's time (100 ms, less a timer's slack)
    // after another.
    for (int i = 3; i < 6; ++i) {
        QVERIFY2(s.times[i] - s.times[i - 1] >= 80,
                 qPrintable(QStringLiteral("line %1 came %2 ms after the one before")
                                    .arg(i + 1)
                                    .arg(s.times[i] - s.times[i - 1])));
    }
    QCOMPARE(s.closed, QStringList());
}

void tst_ClientSession::floodControlCountsHistoryRequests()
{
    // A history request weighs ChatLimits::historyRequestCost lines: with a burst of 6, a hello
    // and one request pass at once, the next one waits for five tokens.
    ChatLimits limits;
    limits.floodBurst = 6;
    limits.floodRate = 20; // 50 ms a token, 250 ms for a request
    limits.floodQueue = 10;
    Session s(limits);
    const QByteArray history = R"({"type":"history","after":0})"
                               "\n";
    QVERIFY(s.feed(hello + '\n' + history + history));
    QVERIFY2(s.commands.size() == 2, qPrintable(describe(s.commands)));
    QVERIFY2(s.waitForCommands(3), qPrintable(describe(s.commands)));
    QVERIFY2(typesOf(s.commands) == (QList<int>{ int(Type::Hello), int(Type::History), int(Type::History) }),
             qPrintable(describe(s.commands)));
    // None was left after the first request: five more take 250 ms.
    QVERIFY2(s.times[2] - s.times[1] >= 200,
             qPrintable(QStringLiteral("the second request came %1 ms after the first")
                                .arg(s.times[2] - s.times[1])));
}

void tst_ClientSession::excessFloodCloses_data()
{
    QTest::addColumn<bool>("json");
    QTest::addColumn<QByteArray>("expected"); // in what the client is sent

    QTest::newRow("plain") << false << QByteArray("! excess flood: more than 3 lines waiting\n");
    QTest::newRow("JSON")
            << true
            << QByteArray(R"({"type":"error","code":"excess-flood","text":"excess flood: more than 3 )"
                          R"(lines waiting"})"
                          "\n");
}

void tst_ClientSession::excessFloodCloses()
{
    QFETCH(bool, json);
    QFETCH(QByteArray, expected);

    // 2 at once, 3 may wait (a line a second, so they do): the sixth line is one too many.
    ChatLimits limits;
    limits.floodBurst = 2;
    limits.floodRate = 1;
    limits.floodQueue = 3;
    Session s(limits);
    QByteArray lines = json ? hello + '\n' : QByteArray("line 1\n");
    for (int i = 2; i <= 6; ++i)
        lines += json ? QByteArray(R"({"type":"say","text":"line )" + QByteArray::number(i) + "\"}\n")
                      : QByteArray("line " + QByteArray::number(i) + '\n');
    QVERIFY(s.peer.write(lines));

    QVERIFY2(s.waitForClosed(), qPrintable(describe(s.commands)));
    QCOMPARE(s.closed, QStringList{ QStringLiteral("excess flood") });
    // Told why, then hung up on.
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QCOMPARE(s.peer.received(), expected);
    // The burst was handled; what waited is dropped with the connection.
    QVERIFY2(s.commands.size() == 2, qPrintable(describe(s.commands)));
    QCoreApplication::processEvents();
    QVERIFY2(s.commands.size() == 2, qPrintable(describe(s.commands)));
    QCOMPARE(s.closed.size(), 1);
    QVERIFY(s.session->isClosing());
}

void tst_ClientSession::floodControlOff()
{
    ChatLimits limits;
    limits.floodControl = false;
    limits.floodBurst = 1;
    limits.floodQueue = 1;
    Session s(limits);
    QByteArray lines;
    for (int i = 0; i < 200; ++i)
        lines += "line " + QByteArray::number(i) + '\n';
    QVERIFY(s.feed(lines));
    QVERIFY2(s.commands.size() == 200, qPrintable(describe(s.commands.mid(0, 5))));
    QCOMPARE(s.commands.constLast().text, QStringLiteral("line 199"));
    QCOMPARE(s.closed, QStringList());
}

void tst_ClientSession::pausedInputWaits()
{
    // While a command is being answered, later ones wait, however many tokens there are.
    Session s;
    s.session->pauseInput();
    s.session->pauseInput();
    QVERIFY(s.feed("one\ntwo\n"));
    QVERIFY2(s.commands.isEmpty(), qPrintable(describe(s.commands)));
    s.session->resumeInput();
    QVERIFY2(s.commands.isEmpty(), qPrintable(describe(s.commands))); // paused twice
    s.session->resumeInput();
    QVERIFY2(s.commands.size() == 2, qPrintable(describe(s.commands)));
    QCOMPARE(s.commands[0].text, QStringLiteral("one"));
    QCOMPARE(s.commands[1].text, QStringLiteral("two"));
    // And then straight through again.
    QVERIFY(s.feed("three\n"));
    QVERIFY2(s.commands.size() == 3, qPrintable(describe(s.commands)));
}

void tst_ClientSession::kernelBufferIsNotTheQueue()
{
    // What the kernel takes at once costs nothing against the limits: only what it refuses
    // is queued.
    ChatLimits limits;
    limits.softSendQueueBytes = 1024;
    limits.maxSendQueueBytes = 4096;
    Session s(limits);
    const QByteArray burst(32 * 1024, 'b');
    s.session->sendBytes(burst);
    QVERIFY2(s.peer.waitForBytes(burst.size()), shown(s.peer.received()).constData());
    QCOMPARE(s.session->sendQueueBytes(), qint64(0));
    QVERIFY(!s.session->isLagging());
    QCOMPARE(s.closed, QStringList());
    QCOMPARE(s.session->bytesSent(), qint64(burst.size()));
}

void tst_ClientSession::softLimitMarksLagging_data()
{
    QTest::addColumn<bool>("json");
    QTest::addColumn<QByteArray>("warning");

    QTest::newRow("plain") << false
                           << QByteArray(
                                      "! you are falling behind: messages to everyone are skipped until you "
                                      "catch up\n");
    QTest::newRow("JSON") << true << QByteArray(R"({"type":"error","code":"lagging",)");
}

void tst_ClientSession::softLimitMarksLagging()
{
    QFETCH(bool, json);
    QFETCH(QByteArray, warning);

    ChatLimits limits;
    limits.softSendQueueBytes = 16 * 1024;
    limits.maxSendQueueBytes = 4 * 1024 * 1024;
    Session s(limits, true);
    if (json) {
        QVERIFY(s.feed(hello + '\n'));
        QVERIFY2(s.waitForCommands(1), qPrintable(describe(s.commands)));
        QVERIFY(s.session->isJson());
    }
    QVERIFY(!s.session->isLagging());

    // Far more than the (small) kernel buffer and the soft limit, and nobody reading.
    QByteArray payload;
    for (int i = 0; payload.size() < 200 * 1024; ++i)
        payload += "message " + QByteArray::number(i) + '\n';
    s.session->sendBytes(payload);
    QTRY_VERIFY2(s.session->isLagging(),
                 qPrintable(QStringLiteral("queued %1 bytes").arg(s.session->sendQueueBytes())));
    QVERIFY2(s.session->sendQueueBytes() > limits.softSendQueueBytes,
             qPrintable(QString::number(s.session->sendQueueBytes())));
    QCOMPARE(s.closed, QStringList());
    // The server counts what it skips meanwhile.
    s.session->countMissed();
    s.session->countMissed();
    s.session->countMissed();
    QCOMPARE(s.caughtUp, QList<qint64>());

    // The client reads it all: the payload, then the warning behind it; then it has caught up.
    QVERIFY2(s.peer.waitForText(warning), shown(s.peer.received().right(300)).constData());
    QVERIFY2(s.peer.received().startsWith(payload), shown(s.peer.received()).constData());
    QCOMPARE(s.peer.received().indexOf(warning), payload.size());
    QTRY_COMPARE(s.caughtUp, QList<qint64>{ 3 });
    QVERIFY(!s.session->isLagging());
    QCOMPARE(s.session->sendQueueBytes(), qint64(0));
    QCOMPARE(s.closed, QStringList());

    // Lagging again later is warned about again, and catching up again has its own count.
    s.peer.take();
    s.session->sendBytes(payload);
    QTRY_VERIFY2(s.session->isLagging(),
                 qPrintable(QStringLiteral("queued %1 bytes").arg(s.session->sendQueueBytes())));
    s.session->countMissed();
    QVERIFY2(s.peer.waitForText(warning), shown(s.peer.received().right(300)).constData());
    QCOMPARE(s.peer.received().indexOf(warning), payload.size());
    QTRY_COMPARE(s.caughtUp, (QList<qint64>{ 3, 1 }));
}

void tst_ClientSession::hardLimitDisconnects()
{
    ChatLimits limits;
    limits.softSendQueueBytes = 16 * 1024;
    limits.maxSendQueueBytes = 64 * 1024;
    Session s(limits, true);
    const QByteArray payload(1024 * 1024, 'z');
    s.session->sendBytes(payload);
    QVERIFY2(s.waitForClosed(),
             qPrintable(QStringLiteral("queued %1 bytes").arg(s.session->sendQueueBytes())));
    QCOMPARE(s.closed, QStringList{ QStringLiteral("send queue exceeded") });
    // Dropped at once: nothing more is held for it, nothing more is sent.
    QCOMPARE(s.session->sendQueueBytes(), qint64(0));
    QVERIFY(s.session->isClosing());
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QVERIFY2(s.peer.received().size() < limits.maxSendQueueBytes,
             qPrintable(QStringLiteral("%1 bytes arrived").arg(s.peer.received().size())));
    s.session->sendBytes("more\n");
    QCoreApplication::processEvents();
    QCOMPARE(s.session->sendQueueBytes(), qint64(0));
    QCOMPARE(s.closed.size(), 1);
}

void tst_ClientSession::closeSendsWhatIsQueued()
{
    Session s;
    QVERIFY(s.feed("hi\n"));
    s.session->sendBytes("last words\n");
    s.session->sendNotice(QStringLiteral("goodbye"));
    s.session->close(QStringLiteral("quit"));
    QVERIFY(s.session->isClosing());
    // Nothing more is taken: neither output nor input.
    s.session->sendBytes("too late\n");
    QVERIFY(s.peer.write("also too late\n"));
    QVERIFY2(s.waitForClosed(), "never closed");
    QCOMPARE(s.closed, QStringList{ QStringLiteral("quit") });
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QCOMPARE(s.peer.received(), QByteArray("last words\n* goodbye\n"));
    QVERIFY2(s.commands.size() == 1, qPrintable(describe(s.commands)));
    // Closing twice is closing once.
    s.session->close(QStringLiteral("again"));
    QCoreApplication::processEvents();
    QCOMPARE(s.closed, QStringList{ QStringLiteral("quit") });
}

void tst_ClientSession::closeWaitsForTheQueue()
{
    // More than the kernel takes is queued; closing sends all of it before the end.
    ChatLimits limits;
    limits.softSendQueueBytes = 4 * 1024 * 1024;
    limits.maxSendQueueBytes = 4 * 1024 * 1024;
    Session s(limits, true);
    QByteArray payload;
    for (int i = 0; payload.size() < 300 * 1024; ++i)
        payload += "line " + QByteArray::number(i) + '\n';
    s.session->sendBytes(payload);
    QTRY_VERIFY2(s.session->sendQueueBytes() > 0, "the kernel took everything");
    s.session->sendBytes("the end\n");
    s.session->close(QStringLiteral("shutting down"));
    QVERIFY(s.session->isClosing());
    // Not closed while bytes wait for the peer.
    QCoreApplication::processEvents();
    QCOMPARE(s.closed, QStringList());

    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received().right(300)).constData());
    QCOMPARE(s.peer.received().size(), payload.size() + 8);
    QVERIFY(s.peer.received() == payload + "the end\n");
    QTRY_COMPARE(s.closed, QStringList{ QStringLiteral("shutting down") });
}

void tst_ClientSession::abortDropsWhatIsQueued()
{
    ChatLimits limits;
    limits.softSendQueueBytes = 4 * 1024 * 1024;
    limits.maxSendQueueBytes = 4 * 1024 * 1024;
    Session s(limits, true);
    const QByteArray payload(300 * 1024, 'q');
    s.session->sendBytes(payload);
    QTRY_VERIFY2(s.session->sendQueueBytes() > 0, "the kernel took everything");
    s.session->abort(QStringLiteral("kicked"));
    QCOMPARE(s.session->sendQueueBytes(), qint64(0));
    QVERIFY2(s.waitForClosed(), "never closed");
    QCOMPARE(s.closed, QStringList{ QStringLiteral("kicked") });
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QVERIFY2(s.peer.received().size() < payload.size(),
             qPrintable(QStringLiteral("%1 bytes arrived").arg(s.peer.received().size())));
}

void tst_ClientSession::endOfInputIsNotTheEnd()
{
    // "printf '/who' | nc -N": the last line has no newline, and its answer still arrives.
    Session s;
    s.onCommand = [&s](const ChatCommand &command) {
        if (command.type == Type::Who)
            s.session->sendBytes("* the answer\n");
    };
    QVERIFY(s.peer.write("/who"));
    s.peer.shutdownWrite();
    QVERIFY2(s.waitForClosed(), qPrintable(describe(s.commands)));
    QCOMPARE(s.closed, QStringList{ QStringLiteral("connection closed") });
    QVERIFY2(typesOf(s.commands) == QList<int>{ int(Type::Who) }, qPrintable(describe(s.commands)));
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QCOMPARE(s.peer.received(), QByteArray("* the answer\n"));
}

void tst_ClientSession::endOfInputReleasesHeldLines()
{
    // Lines flood control held are still handled, at the flood rate, before the session closes.
    ChatLimits limits;
    limits.floodBurst = 1;
    limits.floodRate = 50;
    limits.floodQueue = 10;
    Session s(limits);
    s.onCommand = [&s](const ChatCommand &command) {
        s.session->sendBytes(command.text.toUtf8() + " done\n");
    };
    QVERIFY(s.peer.write("a\nb\nc\nd"));
    s.peer.shutdownWrite();
    QVERIFY2(s.waitForClosed(), qPrintable(describe(s.commands)));
    QVERIFY2(s.commands.size() == 4, qPrintable(describe(s.commands)));
    QCOMPARE(s.commands.constLast().text, QStringLiteral("d"));
    QCOMPARE(s.closed, QStringList{ QStringLiteral("connection closed") });
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QCOMPARE(s.peer.received(), QByteArray("a done\nb done\nc done\nd done\n"));
}

void tst_ClientSession::tlsHandshakeOnThePlainPort()
{
    Session s;
    QVERIFY(s.peer.write(QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
    QVERIFY2(s.waitForClosed(), "never closed");
    QCOMPARE(s.closed, QStringList{ QStringLiteral("a TLS handshake on the plain port") });
    QVERIFY2(s.commands.isEmpty(), qPrintable(describe(s.commands)));
    QVERIFY2(s.peer.waitForEnd(), shown(s.peer.received()).constData());
    QCOMPARE(s.peer.received(), QByteArray());
}

QTEST_GUILESS_MAIN(tst_ClientSession)
#include "tst_clientsession.moc"
