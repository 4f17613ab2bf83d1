// The real ChatServer over real loopback sockets, driven the way nc users drive it.
#include "chatserver.h"
#include "clientsession.h"
#include "expect.h"
#include "nickrules.h"
#include "rawconnection.h"
#include "testclient.h"
#include "textsanitizer.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

namespace {

const QRegularExpression greetingPattern(
        QStringLiteral("^\\* welcome to groupchat, you are (\\S+); \\d+ online; /help lists commands$"));
const QRegularExpression anyChatLine(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] "));

QStringList chatLines(const TestClient &client)
{
    return client.lines().filter(anyChatLine);
}

} // namespace

class tst_ChatServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void greetingNamesNickAndJoinIsAnnounced();
    void messageReachesEveryoneInOneOrder();
    void historyIsReplayedOnConnect();
    void nickChange();
    void nickCollisionKeepsOldNick();
    void invalidNick_data();
    void invalidNick();
    void nickInEveryScript_data();
    void nickInEveryScript();
    void lookAlikeNickIsTaken_data();
    void lookAlikeNickIsTaken();
    void lookAlikeInTwoStepsIsTaken();
    void blankMessagesAreIgnored();
    void nickIsFreedWhenOwnerLeaves();
    void privateMessageReachesOnlyTarget();
    void orderHoldsWithinOnePass();
    void privateMessageErrors_data();
    void privateMessageErrors();
    void action();
    void leaveNotice_data();
    void leaveNotice();
    void unknownCommand();
    void helpAndWho();
    void emptyLinesAreIgnored();
    void controlCharactersAreRemoved();
    void overlongLineIsRefusedAndConnectionStaysUsable();
    void stuckReaderIsDroppedAndOthersGetEverything();
    void serverFull();
    void largeRoomStopsAnnouncingPresence();
    void shutdownNoticeReachesEveryClient();
    void listensAgainAfterStop();

private:
    std::unique_ptr<ChatServer> startServer(const ChatLimits &limits = {});
    // Connects a client, waits for its greeting and makes it a member of the room at once
    // (its first line does that, as a plain client's would); null when that fails.
    std::unique_ptr<TestClient> join(const ChatServer &server);

    std::unique_ptr<ChatServer> m_server;
};

std::unique_ptr<ChatServer> tst_ChatServer::startServer(const ChatLimits &limits)
{
    auto server = std::make_unique<ChatServer>(limits);
    if (!server->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    return server;
}

std::unique_ptr<TestClient> tst_ChatServer::join(const ChatServer &server)
{
    auto client = joinPlain(server.serverPort());
    // Every greeting here has the whole form, with the count and the hint.
    if (client && client->lines().filter(greetingPattern).isEmpty()) {
        qWarning("join: not the whole greeting; got\n%s", describeArrivedLines(*client, 0).constData());
        return nullptr;
    }
    return client;
}

void tst_ChatServer::init()
{
    m_server = startServer();
    QVERIFY(m_server);
}

void tst_ChatServer::cleanup()
{
    m_server.reset();
}

void tst_ChatServer::greetingNamesNickAndJoinIsAnnounced()
{
    auto a = join(*m_server);
    QVERIFY(a);
    QCOMPARE(a->nick(), QStringLiteral("guest1"));
    QCOMPARE(a->lines().constFirst(),
             QStringLiteral("* welcome to groupchat, you are guest1; 1 online; /help lists commands"));
    auto b = join(*m_server);
    QVERIFY(b);
    QCOMPARE(b->nick(), QStringLiteral("guest2"));
    EXPECT_LINE(a, QStringLiteral("* guest2 joined"));
    QCOMPARE(m_server->clientCount(), 2);
}

void tst_ChatServer::messageReachesEveryoneInOneOrder()
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(join(*m_server));
        QVERIFY(clients.back());
    }
    // Interleaved senders: the server's receive order decides, but it must be one order.
    const int rounds = 20;
    for (int round = 0; round < rounds; ++round) {
        for (size_t i = 0; i < clients.size(); ++i)
            clients[i]->sendLine(QByteArray("line ") + QByteArray::number(round) + " from " +
                                 QByteArray::number(i));
    }
    const qsizetype expected = rounds * qsizetype(clients.size());
    for (const auto &client : clients)
        QTRY_COMPARE(chatLines(*client).size(), expected);

    const QStringList reference = chatLines(*clients.front());
    for (const auto &client : clients)
        QCOMPARE(chatLines(*client), reference);
    // Each sender's own lines keep the order it sent them in.
    for (size_t i = 0; i < clients.size(); ++i) {
        const QStringList own = reference.filter(u"] " + clients[i]->nick() + u": ");
        QCOMPARE(own.size(), rounds);
        for (int round = 0; round < rounds; ++round)
            QVERIFY(own.at(round).endsWith(QStringLiteral("line %1 from %2").arg(round).arg(i)));
    }
}

void tst_ChatServer::historyIsReplayedOnConnect()
{
    ChatLimits limits;
    limits.historyLines = 3;
    auto server = startServer(limits);
    QVERIFY(server);
    auto a = join(*server);
    QVERIFY(a);
    for (int i = 1; i <= 5; ++i)
        a->sendLine("message " + QByteArray::number(i));
    EXPECT_LINE(a, chatLinePattern(a->nick(), QStringLiteral("message 5")));

    auto b = join(*server);
    QVERIFY(b);
    const QStringList replay = b->lines().mid(1, 3);
    QVERIFY2(chatLinePattern(a->nick(), QStringLiteral("message 3")).match(replay.value(0)).hasMatch(),
             qPrintable(replay.join(u'|')));
    QVERIFY(chatLinePattern(a->nick(), QStringLiteral("message 4")).match(replay.value(1)).hasMatch());
    QVERIFY(chatLinePattern(a->nick(), QStringLiteral("message 5")).match(replay.value(2)).hasMatch());
}

void tst_ChatServer::nickChange()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/nick");
    EXPECT_LINE(a, QStringLiteral("* you are guest1; /nick NAME changes it"));
    a->sendLine("/nick alice");
    const QString notice = QStringLiteral("* guest1 is now known as alice");
    EXPECT_LINE(a, notice);
    EXPECT_LINE(b, notice);
    a->sendLine("hello");
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("alice"), QStringLiteral("hello")));
    // A change of case only is allowed for the nick's owner.
    a->sendLine("/nick Alice");
    EXPECT_LINE(b, QStringLiteral("* alice is now known as Alice"));
    QCOMPARE(m_server->findClient(QStringLiteral("ALICE"))->nick(), QStringLiteral("Alice"));
}

void tst_ChatServer::nickCollisionKeepsOldNick()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/nick alice");
    EXPECT_LINE(b, QStringLiteral("* guest1 is now known as alice"));
    b->sendLine("/nick ALICE");
    EXPECT_LINE(b, QStringLiteral("! nick ALICE is already taken"));
    b->sendLine("still me");
    EXPECT_LINE(a, chatLinePattern(QStringLiteral("guest2"), QStringLiteral("still me")));
    QVERIFY(a->lines().filter(QStringLiteral("now known as ALICE")).isEmpty());
}

void tst_ChatServer::invalidNick_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("refusal");
    QTest::newRow("space inside")
            << QByteArray("/nick al ice")
            << QStringLiteral("! invalid nick: \"al ice\" has a character nicks cannot have (U+0020 SPACE)");
    QTest::newRow("33 characters")
            << QByteArray("/nick ") + QByteArray(33, 'a')
            << QStringLiteral("! invalid nick: \"%1\"… is longer than 32 characters").arg(QString(32, u'a'));
    QTest::newRow("4000 characters")
            << QByteArray("/nick ") + QByteArray(4000, 'a')
            << QStringLiteral("! invalid nick: \"%1\"… is longer than 32 characters").arg(QString(32, u'a'));
    QTest::newRow("HTML") << QByteArray("/nick <b>bold</b>")
                          << QStringLiteral(
                                     "! invalid nick: \"<b>bold</b>\" has a character nicks cannot have");
    QTest::newRow("colon")
            << QByteArray("/nick a:b")
            << QStringLiteral("! invalid nick: \"a:b\" has a character nicks cannot have (U+003A COLON)");
    QTest::newRow("escape sequence") << QByteArray("/nick a\x1b[31mb c")
                                     << QStringLiteral(
                                                "! invalid nick: \"a[31mb c\" has a character nicks cannot "
                                                "have");
    // The examples of the trust issue: fillers that show as nothing.
    QTest::newRow("HANGUL FILLER") << QByteArray("/nick \xe3\x85\xa4")
                                   << QStringLiteral(
                                              "! invalid nick: \"\\u3164\" has an invisible character");
    QTest::newRow("alice + HANGUL FILLER")
            << QByteArray("/nick alice\xe3\x85\xa4")
            << QStringLiteral(
                       "! invalid nick: \"alice\\u3164\" has an invisible character (U+3164 HANGUL FILLER)");
    QTest::newRow("alice + HANGUL CHOSEONG FILLER")
            << QByteArray("/nick alice\xe1\x85\x9f")
            << QStringLiteral(
                       "! invalid nick: \"alice\\u115f\" has an invisible character (U+115F HANGUL CHOSEONG "
                       "FILLER)");
    QTest::newRow("alice + HALFWIDTH HANGUL FILLER")
            << QByteArray("/nick alice\xef\xbe\xa0")
            << QStringLiteral(
                       "! invalid nick: \"alice\\uffa0\" has an invisible character (U+FFA0 HALFWIDTH HANGUL "
                       "FILLER)");
    QTest::newRow("Cyrillic a in Latin")
            << QByteArray("/nick \xd0\xb0lice")
            << QStringLiteral("! invalid nick: \"\u0430lice\" mixes writing systems that look alike");
}

void tst_ChatServer::invalidNick()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, refusal);
    auto a = join(*m_server);
    QVERIFY(a);
    a->sendLine(line);
    QString said;
    EXPECT_LINE_AS(said, a, QRegularExpression(QStringLiteral("^! ")));
    QVERIFY2(said.startsWith(refusal) && said.endsWith(u"a nick is " + NickRules::protocolRuleText()),
             qPrintable(said));
    a->sendLine("same nick");
    EXPECT_LINE(a, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("same nick")));
}

void tst_ChatServer::nickInEveryScript_data()
{
    QTest::addColumn<QString>("nick");
    // Vowel signs and viramas are combining marks, and belong to their letters.
    QTest::newRow("Devanagari") << QStringLiteral("राम");
    QTest::newRow("Tamil") << QStringLiteral("தமிழ்");
    QTest::newRow("Chinese") << QStringLiteral("张伟");
    QTest::newRow("Arabic") << QStringLiteral("محمد");
    QTest::newRow("Thai") << QStringLiteral("สมชาย");
    QTest::newRow("Latin, decomposed accent") << QStringLiteral("Jose\u0301");
}

void tst_ChatServer::nickInEveryScript()
{
    QFETCH(QString, nick);
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/nick " + nick.toUtf8());
    // Granted in NFC; a right-to-left one isolated, in a line marked left-to-right.
    const QString granted = TextSanitizer::isolated(nick.normalized(QString::NormalizationForm_C));
    const QString mark = TextSanitizer::hasRightToLeft(nick) ? QStringLiteral("\u200e") : QString();
    EXPECT_LINE(b, mark + u"* guest1 is now known as " + granted);
}

void tst_ChatServer::lookAlikeNickIsTaken_data()
{
    QTest::addColumn<QString>("first");
    QTest::addColumn<QString>("second");
    QTest::newRow("case") << QStringLiteral("alice") << QStringLiteral("ALICE");
    QTest::newRow("capital I for l") << QStringLiteral("alice") << QStringLiteral("aIice");
    QTest::newRow("digit one for l") << QStringLiteral("alice") << QStringLiteral("a1ice");
    QTest::newRow("rn for m") << QStringLiteral("mary") << QStringLiteral("rnary");
    QTest::newRow("capitals, l for I") << QStringLiteral("alice") << QStringLiteral("ALlCE");
    QTest::newRow("Latin capitals for Cyrillic")
            << QStringLiteral("\u0442\u0435\u0441\u0442") << QStringLiteral("TECT");
    QTest::newRow("all Cyrillic, reads as Latin")
            << QStringLiteral("cop") << QStringLiteral("\u0441\u043e\u0440");
    QTest::newRow("another normalisation form")
            << QStringLiteral("Jos\u00e9") << QStringLiteral("Jose\u0301");
}

void tst_ChatServer::lookAlikeNickIsTaken()
{
    QFETCH(QString, first);
    QFETCH(QString, second);
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/nick " + first.toUtf8());
    EXPECT_LINE(b, u"* guest1 is now known as " + first);
    b->sendLine("/nick " + second.toUtf8());
    QString said;
    EXPECT_LINE_AS(said, b, QRegularExpression(QStringLiteral("^[!*] ")));
    QVERIFY2(said.startsWith(u"! nick " + second.normalized(QString::NormalizationForm_C) +
                             u" is already taken"),
             qPrintable(said));
    // Whoever asked sees whom it looks like, unless only the case differs.
    if (first.toCaseFolded() != second.normalized(QString::NormalizationForm_C).toCaseFolded())
        QVERIFY2(said.endsWith(u"it looks like " + first + u", who is online"), qPrintable(said));
}

void tst_ChatServer::lookAlikeInTwoStepsIsTaken()
{
    // Greek small letters read as "vova", not as Nova: granted. Their capitals read as Nova:
    // refused, though the first key of the new nick is the asker's own.
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/nick Nova");
    EXPECT_LINE(b, QStringLiteral("* guest1 is now known as Nova"));
    b->sendLine(QStringLiteral("/nick \u03bd\u03bf\u03bd\u03b1").toUtf8());
    EXPECT_LINE(b, QStringLiteral("* guest2 is now known as \u03bd\u03bf\u03bd\u03b1"));
    b->sendLine(QStringLiteral("/nick \u039d\u03bf\u03bd\u03b1").toUtf8());
    QString said;
    EXPECT_LINE_AS(said, b, QRegularExpression(QStringLiteral("^[!*] ")));
    QVERIFY2(said.startsWith(
                     QStringLiteral("! nick \u039d\u03bf\u03bd\u03b1 is already taken: it looks like Nova")),
             qPrintable(said));
    // And once the Greek one has gone, Nova is still Nova's alone.
    b->sendLine("/quit");
    QVERIFY(b->waitForDisconnected());
    auto c = join(*m_server);
    QVERIFY(c);
    c->sendLine("/nick Nova");
    EXPECT_LINE(c, QStringLiteral("! nick Nova is already taken"));
}

void tst_ChatServer::blankMessagesAreIgnored()
{
    // Nothing visible: zero-width space, an isolate, a BOM. A blank line under a name is no
    // message.
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine(QStringLiteral("\u200b").toUtf8());
    a->sendLine(QStringLiteral("\u2066\u2069 \ufeff").toUtf8());
    a->sendLine("visible");
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("visible")));
    QCOMPARE(chatLines(*b).size(), 1);
}

void tst_ChatServer::nickIsFreedWhenOwnerLeaves()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/nick alice");
    EXPECT_LINE(b, QStringLiteral("* guest1 is now known as alice"));
    a->sendLine("quit");
    EXPECT_LINE(b, QStringLiteral("* alice left (quit)"));
    b->sendLine("/nick alice");
    EXPECT_LINE(b, QStringLiteral("* guest2 is now known as alice"));
}

void tst_ChatServer::privateMessageReachesOnlyTarget()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    auto c = join(*m_server);
    QVERIFY(a && b && c);
    a->sendLine("/msg GUEST2 just between us");
    const QRegularExpression privateLine(
            QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] \\(private\\) guest1 -> guest2: just between us$"));
    EXPECT_LINE(b, privateLine);
    EXPECT_LINE(a, privateLine);
    // Order is kept per client, so once c has the next public line it would have had the
    // private one too.
    a->sendLine("public again");
    EXPECT_LINE(c, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("public again")));
    QVERIFY(c->lines().filter(QStringLiteral("just between us")).isEmpty());
}

void tst_ChatServer::orderHoldsWithinOnePass()
{
    // Broadcasts share one batch per pass while a private line is bytes of its own: in one
    // read they must still reach the reader in the order they were sent.
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendRaw("first\n/msg guest2 between\nsecond\n/me third\n/msg guest2 fourth\n");
    EXPECT_LINE(b, QRegularExpression(QStringLiteral("private\\) guest1 -> guest2: fourth$")));
    const QStringList received = b->lines().filter(QRegularExpression(QStringLiteral("^\\[")));
    QCOMPARE(received.size(), 5);
    QVERIFY(received.at(0).endsWith(QStringLiteral("guest1: first")));
    QVERIFY(received.at(1).endsWith(QStringLiteral("guest1 -> guest2: between")));
    QVERIFY(received.at(2).endsWith(QStringLiteral("guest1: second")));
    QVERIFY(received.at(3).endsWith(QStringLiteral("* guest1 third")));
    QVERIFY(received.at(4).endsWith(QStringLiteral("guest1 -> guest2: fourth")));
}

void tst_ChatServer::privateMessageErrors_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("no such nick") << QByteArray("/msg zed hi") << QStringLiteral("! no such nick: \"zed\"");
    QTest::newRow("no text") << QByteArray("/msg guest1") << QStringLiteral("! usage: /msg NICK TEXT");
    QTest::newRow("nothing") << QByteArray("/msg") << QStringLiteral("! usage: /msg NICK TEXT");
}

void tst_ChatServer::privateMessageErrors()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    auto a = join(*m_server);
    QVERIFY(a);
    a->sendLine(line);
    EXPECT_LINE(a, error);
}

void tst_ChatServer::action()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/me waves at everyone");
    const QRegularExpression actionLine(
            QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] \\* guest1 waves at everyone$"));
    EXPECT_LINE(a, actionLine);
    EXPECT_LINE(b, actionLine);
    a->sendLine("/me");
    EXPECT_LINE(a, QStringLiteral("! usage: /me ACTION"));
}

void tst_ChatServer::leaveNotice_data()
{
    QTest::addColumn<QByteArray>("line"); // empty: the connection just drops
    QTest::addColumn<QString>("notice");
    QTest::newRow("quit") << QByteArray("quit") << QStringLiteral("* guest1 left (quit)");
    QTest::newRow("/quit") << QByteArray("/quit") << QStringLiteral("* guest1 left (quit)");
    QTest::newRow("/quit with reason")
            << QByteArray("/quit off to lunch") << QStringLiteral("* guest1 left (quit: off to lunch)");
    // A reason of the user's own cannot pass for the server's.
    QTest::newRow("/quit pretending a kick") << QByteArray("/quit kicked: spamming")
                                             << QStringLiteral("* guest1 left (quit: kicked: spamming)");
    QTest::newRow("dropped") << QByteArray() << QStringLiteral("* guest1 left (connection closed)");
}

void tst_ChatServer::leaveNotice()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, notice);
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    if (line.isEmpty()) {
        a->socket().abort();
    } else {
        a->sendLine(line);
        EXPECT_LINE(a, QStringLiteral("* goodbye"));
        QVERIFY(a->waitForDisconnected());
    }
    EXPECT_LINE(b, notice);
    QTRY_COMPARE(m_server->clientCount(), 1);
}

void tst_ChatServer::unknownCommand()
{
    auto a = join(*m_server);
    QVERIFY(a);
    a->sendLine("/dance wildly");
    EXPECT_LINE(a, QStringLiteral("! unknown command \"/dance\", try /help"));
    // What the client typed is quoted, anything invisible escaped: an override in it cannot
    // turn the server's own words around.
    a->sendLine(QStringLiteral("/\u202eplehyrt x").toUtf8());
    EXPECT_LINE(a, QStringLiteral("! unknown command \"/\\u202eplehyrt\", try /help"));
    a->sendLine(QStringLiteral("/msg \u200bbob\u202e hi").toUtf8());
    EXPECT_LINE(a, QStringLiteral("! no such nick: \"\\u200bbob\\u202e\""));
}

void tst_ChatServer::helpAndWho()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendLine("/help");
    EXPECT_LINE(a, QStringLiteral("* commands:"));
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\*   /msg NICK TEXT +send TEXT to NICK only$")));
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\*   /quit \\[REASON\\]")));

    b->sendLine("/nick bob");
    EXPECT_LINE(a, QStringLiteral("* guest2 is now known as bob"));
    a->sendLine("/who");
    EXPECT_LINE(a, QStringLiteral("* 2 online:"));
    EXPECT_LINE(a, QRegularExpression(
                           QStringLiteral("^\\*   guest1, connected \\d\\d:\\d\\d:\\d\\d \\(you\\)$")));
    EXPECT_LINE(a, QRegularExpression(QStringLiteral("^\\*   bob, connected \\d\\d:\\d\\d:\\d\\d$")));
}

void tst_ChatServer::emptyLinesAreIgnored()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendRaw("\n\r\n   \n\t\nafter blanks\n");
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("after blanks")));
    QCOMPARE(chatLines(*b).size(), 1);
}

void tst_ChatServer::controlCharactersAreRemoved()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    a->sendRaw(QByteArrayLiteral("\x1b[2Jred\x1b[31m\0text\x07\tend\xff\r\n"));
    const QString expected = QStringLiteral("[2Jred[31mtext end") + QChar(0xfffd);
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("guest1"), expected));
}

void tst_ChatServer::overlongLineIsRefusedAndConnectionStaysUsable()
{
    auto a = join(*m_server);
    auto b = join(*m_server);
    QVERIFY(a && b);
    // Just over the limit, then a megabyte without a newline: both refused once each.
    a->sendLine(QByteArray(4097, 'x'));
    EXPECT_LINE(a, QStringLiteral("! line too long (limit 4096 bytes)"));
    a->sendRaw(QByteArray(1024 * 1024, 'y'));
    a->sendRaw("\nstill works\n");
    EXPECT_LINE(a, QStringLiteral("! line too long (limit 4096 bytes)"));
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("guest1"), QStringLiteral("still works")));
    QCOMPARE(chatLines(*b).size(), 1);
    // Exactly at the limit is fine.
    a->sendLine(QByteArray(4096, 'z'));
    EXPECT_LINE(b, chatLinePattern(QStringLiteral("guest1"), QString(4096, u'z')));
}

void tst_ChatServer::stuckReaderIsDroppedAndOthersGetEverything()
{
    ChatLimits limits;
    limits.maxSendQueueBytes = 64 * 1024;
    limits.softSendQueueBytes = 64 * 1024; // this test is about the hard limit
    limits.floodControl = false; // the talker floods on purpose
    auto server = startServer(limits);
    QVERIFY(server);
    auto talker = join(*server);
    auto bystander = join(*server);
    QVERIFY(talker && bystander);
    // Connects and never reads, with a small receive buffer: the server's queue for it fills.
    RawConnection stuck(server->serverPort(), 4096);
    QVERIFY(stuck.isConnected());
    QString joined;
    EXPECT_LINE_AS(joined, bystander, QRegularExpression(QStringLiteral("^\\* (\\S+) joined$")));
    const QString stuckNick = joined.section(u' ', 1, 1);
    const QString dropped = u"* " + stuckNick + u" left (send queue exceeded)";

    // Send 1 KB lines in batches until the stuck client is dropped (bounded: 8 MB at most).
    const QByteArray padding(1000, '.');
    int sent = 0;
    const int maxLines = 8000;
    while (sent < maxLines && !bystander->lines().contains(dropped)) {
        for (int i = 0; i < 100; ++i, ++sent)
            talker->sendLine(QByteArray::number(sent) + ' ' + padding);
        EXPECT_LINE(bystander,
                    chatLinePattern(talker->nick(),
                                    QString::number(sent - 1) + u' ' + QString::fromLatin1(padding)),
                    10000);
    }
    QVERIFY2(bystander->lines().contains(dropped), "the stuck client was never dropped");
    qInfo("the stuck client was dropped after %d lines of 1 KB", sent);
    QTRY_COMPARE(server->clientCount(), 2);

    for (int i = 0; i < 10; ++i, ++sent)
        talker->sendLine(QByteArray::number(sent) + ' ' + padding);
    EXPECT_LINE(
            bystander,
            chatLinePattern(talker->nick(), QString::number(sent - 1) + u' ' + QString::fromLatin1(padding)),
            10000);

    // Every line, once, in order, for both who kept reading.
    for (const TestClient *reader : { talker.get(), bystander.get() }) {
        const QStringList received = chatLines(*reader);
        QCOMPARE(received.size(), sent);
        for (int i = 0; i < sent; ++i)
            QVERIFY(received.at(i).contains(u": " + QString::number(i) + u' '));
    }
}

void tst_ChatServer::serverFull()
{
    ChatLimits limits;
    limits.maxClients = 2;
    auto server = startServer(limits);
    QVERIFY(server);
    auto a = join(*server);
    auto b = join(*server);
    QVERIFY(a && b);
    TestClient c;
    QVERIFY(c.connectTo(server->serverPort()));
    EXPECT_LINE(c, QStringLiteral("! server full"));
    QVERIFY(c.waitForDisconnected());
    QCOMPARE(c.lines(), QStringList{ QStringLiteral("! server full") });
    QCOMPARE(server->clientCount(), 2);
    a->sendLine("still here");
    EXPECT_LINE(b, chatLinePattern(a->nick(), QStringLiteral("still here")));
    // A place frees up when someone leaves.
    b->sendLine("quit");
    QTRY_COMPARE(server->clientCount(), 1);
    QVERIFY(join(*server));
}

void tst_ChatServer::largeRoomStopsAnnouncingPresence()
{
    ChatLimits limits;
    limits.presenceLimit = 2;
    auto server = startServer(limits);
    QVERIFY(server);
    auto a = join(*server);
    auto b = join(*server);
    QVERIFY(a && b);
    EXPECT_LINE(a, QStringLiteral("* guest2 joined"));
    QVERIFY(server->presenceLive());

    // The third member tips the room over the limit: one notice instead of a join.
    auto c = join(*server);
    QVERIFY(c);
    const QString off = QStringLiteral(
            "* 3 online: joins, leaves and nick changes are no longer announced; /who lists everyone");
    EXPECT_LINE(a, off);
    // c's own first line tipped it, so the notice came before the answer join() waited for.
    QVERIFY(c->lines().contains(off));
    QVERIFY(!server->presenceLive());
    auto d = join(*server);
    QVERIFY(d);
    // Only the renamed one hears of a nick change now.
    d->sendLine("/nick dave");
    EXPECT_LINE(d, QStringLiteral("* guest4 is now known as dave"));
    d->sendLine("/quit");
    c->sendLine("/quit");
    // Back at the limit: announced again; then leaves are announced.
    EXPECT_LINE(a, QStringLiteral("* joins, leaves and nick changes are announced again (2 online)"));
    b->sendLine("/nick bob");
    EXPECT_LINE(a, QStringLiteral("* guest2 is now known as bob"));
    // Nothing of the quiet stretch reached a: no join of guest3 or guest4, no nick of dave.
    for (const QString &line : a->lines())
        QVERIFY2(!line.contains(QStringLiteral("guest3 joined")) && !line.contains(QStringLiteral("dave")) &&
                         !line.contains(QStringLiteral("guest4")),
                 qPrintable(line));
    // /who still lists everyone, whatever the room's size.
    a->sendLine("/who");
    EXPECT_LINE(a, QStringLiteral("* 2 online:"));
}

void tst_ChatServer::shutdownNoticeReachesEveryClient()
{
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(join(*m_server));
        QVERIFY(clients.back());
    }
    QSignalSpy stopped(m_server.get(), &ChatServer::stopped);
    m_server->stop();
    QVERIFY(!m_server->isListening());
    for (const auto &client : clients) {
        EXPECT_LINE(client, QStringLiteral("* server shutting down"));
        QVERIFY(client->waitForDisconnected());
        // Nobody is told that the others left: the whole room is going.
        QVERIFY(client->lines().filter(QStringLiteral(" left (")).isEmpty());
    }
    QVERIFY(stopped.count() == 1 || stopped.wait());
    QCOMPARE(m_server->clientCount(), 0);
}

void tst_ChatServer::listensAgainAfterStop()
{
    auto a = join(*m_server);
    QVERIFY(a);
    QSignalSpy stopped(m_server.get(), &ChatServer::stopped);
    m_server->stop();
    QVERIFY(stopped.wait());
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto b = join(*m_server);
    QVERIFY(b);
    b->sendLine("back again");
    EXPECT_LINE(b, chatLinePattern(b->nick(), QStringLiteral("back again")));
}

QTEST_GUILESS_MAIN(tst_ChatServer)
#include "tst_chatserver.moc"
