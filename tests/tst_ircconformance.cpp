#include "chatserver.h"
#include "expect.h"
#include "irccodec.h"
#include "testclient.h"

#include <QRegularExpression>
#include <QtTest>

#include <initializer_list>
#include <memory>

namespace {

// Lines as the tests spell them (UTF-8 literals).
QStringList linesOf(std::initializer_list<const char *> lines)
{
    QStringList list;
    for (const char *line : lines)
        list.append(QString::fromUtf8(line));
    return list;
}

// A whole line, exactly (the client keeps each line's CR).
QRegularExpression exactly(const QString &line)
{
    return QRegularExpression(u'^' + QRegularExpression::escape(line) + u"\\r?$");
}

} // namespace

// The IRC port against what the IRC community's conformance suite (irctest) checks, case by
// case: exact numerics, parameter counts and trailing parameters, CAP negotiation, and the
// IRCv3 capabilities (docs/IRC-CONFORMANCE.md has the table). Every client is a real socket on
// loopback; what a command got in answer is what arrived before the PONG of a PING sent after
// it, as irctest collects it, so "nothing" is checked as exactly as "this line".
class tst_IrcConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void answers_data();
    void answers();
    void userNeedsRealName();

    void capRequestsAreWholeOrNothing();

    void lusersCountsAndPeaks();

    void clientTagLimit();

    void notUtf8Refused();

    void noticeStaysNotice_data();
    void noticeStaysNotice();

    void clientTagsPassedOn();

    void tagmsgPassedOn();

    void whoMask_data();
    void whoMask();
    void configuredServerNameAndUserNames();

    void erroneousNickAsGiven();

    void messageToSelf_data();
    void messageToSelf();

    void privmsgFitsOneLine_data();
    void privmsgFitsOneLine();

    void nothingButAnswersBeforeWelcome();

private:
    quint16 ircPort() const { return m_server->ircPort(); }
    // A client connected to the IRC port that has sent nothing yet; null on failure.
    std::unique_ptr<TestClient> connectIrc();
    // Connected and registered as nick, having asked for caps first (when any), with the
    // welcome, the MOTD and the default room read: null, with a warning, on failure.
    std::unique_ptr<TestClient> registered(const QString &nick, const QStringList &caps = {});
    // The lines client received that the test has not read, up to the answer to a PING sent
    // now (the PONG not included): everything its last commands got in answer, since the
    // server answers in order. Empty, with a warning, when the PONG does not come.
    QStringList sync(TestClient &client);
    // The message-tags cases' four: alice with message-tags, bob with it and echo-message,
    // carol with neither, dave with server-time only; registered and read up to now (any
    // null on failure).
    struct TagClients
    {
        std::unique_ptr<TestClient> alice, bob, carol, dave;
    };
    TagClients tagClients();

    std::unique_ptr<ChatServer> m_server;
    int m_syncs = 0;
};

void tst_IrcConformance::init()
{
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    m_server->setIrcPort(true, 0);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    QVERIFY(m_server->ircPort() != 0);
}

void tst_IrcConformance::cleanup()
{
    m_server.reset();
}

std::unique_ptr<TestClient> tst_IrcConformance::connectIrc()
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(ircPort())) {
        qWarning("could not connect to the IRC port");
        return nullptr;
    }
    return client;
}

std::unique_ptr<TestClient> tst_IrcConformance::registered(const QString &nick, const QStringList &caps)
{
    std::unique_ptr<TestClient> client = connectIrc();
    if (!client)
        return nullptr;
    if (!caps.isEmpty()) {
        client->sendLine("CAP LS 302");
        client->sendLine("CAP REQ :" + caps.join(u' ').toUtf8());
    }
    client->sendLine("NICK " + nick.toUtf8());
    client->sendLine("USER " + nick.toUtf8() + " 0 * :Real " + nick.toUtf8());
    if (!caps.isEmpty())
        client->sendLine("CAP END");
    // The welcome ends with the names of the default room the client is put in.
    const QRegularExpression endOfNames(u"^(@\\S+ )?:" + QRegularExpression::escape(IrcCodec::serverName()) +
                                        u" 366 " + QRegularExpression::escape(nick) + u" #general :");
    if (client->waitForLine(endOfNames).isNull()) {
        qWarning("%s was not welcomed: %s", qPrintable(nick), describeArrivedLines(*client, 0).constData());
        return nullptr;
    }
    sync(*client);
    client->setNick(nick);
    return client;
}

tst_IrcConformance::TagClients tst_IrcConformance::tagClients()
{
    TagClients clients{ registered(QStringLiteral("alice"), { QStringLiteral("message-tags") }),
                        registered(QStringLiteral("bob"),
                                   { QStringLiteral("message-tags"), QStringLiteral("echo-message") }),
                        registered(QStringLiteral("carol")),
                        registered(QStringLiteral("dave"), { QStringLiteral("server-time") }) };
    for (const auto *client : { &clients.alice, &clients.bob, &clients.carol, &clients.dave }) {
        if (*client)
            sync(**client);
    }
    return clients;
}

QStringList tst_IrcConformance::sync(TestClient &client)
{
    const QByteArray token = "sync" + QByteArray::number(++m_syncs);
    const qsizetype from = client.readPosition();
    client.sendLine("PING " + token);
    const QString server = QRegularExpression::escape(IrcCodec::serverName());
    if (client.waitForLine(QRegularExpression(u"^:" + server + u" PONG " + server + u' ' +
                                              QString::fromLatin1(token) + u"\\r?$"))
                .isNull()) {
        qWarning("no PONG for %s: %s", token.constData(), describeArrivedLines(client, from).constData());
        return {};
    }
    QStringList lines = client.lines().mid(from, client.readPosition() - 1 - from);
    for (QString &line : lines) {
        if (line.endsWith(u'\r'))
            line.chop(1);
    }
    return lines;
}

// What a registered client (foo, with bar online and both in #general and foo in #chan) gets
// in answer to one command: exactly these lines, in order. irctest's module and case are
// named where a row is one of its checks.
void tst_IrcConformance::answers_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QStringList>("expected");

    // pingpong.py
    QTest::newRow("PING token") << QByteArray("PING abcdef")
                                << linesOf({ ":groupchat PONG groupchat abcdef" });
    QTest::newRow("PING without token: ERR_NOORIGIN")
            << QByteArray("PING") << linesOf({ ":groupchat 409 foo :No origin specified" });
    QTest::newRow("PING empty token") << QByteArray("PING :") << linesOf({ ":groupchat PONG groupchat :" });
    // messages.py
    QTest::newRow("PRIVMSG to nobody: ERR_NOSUCHNICK")
            << QByteArray("PRIVMSG bar2 :hey there!")
            << linesOf({ ":groupchat 401 foo bar2 :No such nick/channel" });
    QTest::newRow("PRIVMSG to a channel that is not")
            << QByteArray("PRIVMSG #nonexistent :hello there")
            << linesOf({ ":groupchat 403 foo #nonexistent :No such channel" });
    QTest::newRow("PRIVMSG empty: ERR_NOTEXTTOSEND")
            << QByteArray("PRIVMSG #chan :") << linesOf({ ":groupchat 412 foo :No text to send" });
    QTest::newRow("PRIVMSG without target: ERR_NORECIPIENT")
            << QByteArray("PRIVMSG") << linesOf({ ":groupchat 411 foo :No recipient given (PRIVMSG)" });
    QTest::newRow("NOTICE to a channel that is not: no answer")
            << QByteArray("NOTICE #nonexistent :hello there") << QStringList{};
    QTest::newRow("NOTICE to nobody: no answer") << QByteArray("NOTICE bar2 :hello") << QStringList{};
    // part.py, topic.py, names.py, list.py, who.py
    QTest::newRow("PART of a channel that is not")
            << QByteArray("PART #nonexistent")
            << linesOf({ ":groupchat 403 foo #nonexistent :No such channel" });
    QTest::newRow("TOPIC of a channel that is not")
            << QByteArray("TOPIC #nonexistent")
            << linesOf({ ":groupchat 403 foo #nonexistent :No such channel" });
    QTest::newRow("TOPIC unset: RPL_NOTOPIC")
            << QByteArray("TOPIC #chan") << linesOf({ ":groupchat 331 foo #chan :No topic is set" });
    QTest::newRow("NAMES of an invalid channel")
            << QByteArray("NAMES invalid") << linesOf({ ":groupchat 366 foo invalid :End of /NAMES list" });
    QTest::newRow("NAMES of a channel that is not")
            << QByteArray("NAMES #nonexisting")
            << linesOf({ ":groupchat 366 foo #nonexisting :End of /NAMES list" });
    QTest::newRow("LIST of a channel that is not")
            << QByteArray("LIST #nonexistent") << linesOf({ ":groupchat 323 foo :End of /LIST" });
    QTest::newRow("WHO of nobody: RPL_ENDOFWHO alone")
            << QByteArray("WHO idontexist") << linesOf({ ":groupchat 315 foo idontexist :End of WHO list" });
    // connection_registration.py, regressions.py
    QTest::newRow("NICK to a nick in use")
            << QByteArray("NICK bar") << linesOf({ ":groupchat 433 foo bar :Nickname is already in use" });
    QTest::newRow("NICK to the same nick: nothing") << QByteArray("NICK foo") << QStringList{};
    QTest::newRow("USER again") << QByteArray("USER u 0 * :Real")
                                << linesOf({ ":groupchat 462 foo :You may not reregister" });
    // Numerics of the Modern document for what is not done or not said right.
    QTest::newRow("unknown command") << QByteArray("FOO bar")
                                     << linesOf({ ":groupchat 421 foo FOO :Unknown command" });
    QTest::newRow("JOIN without channel")
            << QByteArray("JOIN") << linesOf({ ":groupchat 461 foo JOIN :Not enough parameters" });
    QTest::newRow("CAP unknown subcommand")
            << QByteArray("CAP FOO") << linesOf({ ":groupchat 410 foo FOO :Invalid CAP command" });
    QTest::newRow("CAP LIST of none") << QByteArray("CAP LIST") << linesOf({ ":groupchat CAP foo LIST :" });
    QTest::newRow("MODE of another user")
            << QByteArray("MODE bar") << linesOf({ ":groupchat 502 foo :Cant change mode for other users" });
}

void tst_IrcConformance::answers()
{
    QFETCH(QByteArray, line);
    QFETCH(QStringList, expected);

    const std::unique_ptr<TestClient> bar = registered(QStringLiteral("bar"));
    QVERIFY(bar);
    const std::unique_ptr<TestClient> foo = registered(QStringLiteral("foo"));
    QVERIFY(foo);
    foo->sendLine("JOIN #chan");
    QVERIFY(!sync(*foo).isEmpty());

    foo->sendLine(line);
    QCOMPARE(sync(*foo), expected);
}

// connection_registration.py testEmptyRealname: an empty real name is no real name.
void tst_IrcConformance::userNeedsRealName()
{
    const std::unique_ptr<TestClient> client = connectIrc();
    QVERIFY(client);
    client->sendLine("NICK foo");
    client->sendLine("USER username * * :");
    EXPECT_LINE(client, exactly(QStringLiteral(":groupchat 461 * USER :Not enough parameters")));
    // The registration waits for a USER that has one.
    client->sendLine("USER username * * :Realname");
    EXPECT_LINE(client, QRegularExpression(QStringLiteral("^:groupchat 001 foo ")));
}

// cap.py testNakWhole, testNakExactString, testReqUnavailable: a CAP REQ is taken whole or
// refused whole, and the NAK repeats what was asked for; multi-prefix is on offer.
void tst_IrcConformance::capRequestsAreWholeOrNothing()
{
    const std::unique_ptr<TestClient> client = connectIrc();
    QVERIFY(client);
    client->sendLine("CAP LS 302");
    QString offered;
    EXPECT_LINE_AS(offered, client, QRegularExpression(QStringLiteral("^:groupchat CAP \\* LS :")));
    QVERIFY2(offered.split(u' ').contains(QStringLiteral("multi-prefix")), qPrintable(offered));
    client->sendLine("CAP REQ :foo qux bar baz qux quux");
    client->sendLine("CAP REQ :foo multi-prefix bar");
    client->sendLine("CAP REQ :multi-prefix bar");
    client->sendLine("CAP REQ :multi-prefix");
    client->sendLine("CAP LIST");
    QCOMPARE(sync(*client), (linesOf({
                                    ":groupchat CAP * NAK :foo qux bar baz qux quux",
                                    ":groupchat CAP * NAK :foo multi-prefix bar",
                                    ":groupchat CAP * NAK :multi-prefix bar",
                                    ":groupchat CAP * ACK multi-prefix",
                                    ":groupchat CAP * LIST multi-prefix",
                            })));
    client->sendLine("NICK foo");
    client->sendLine("USER foo 0 * :Foo");
    client->sendLine("CAP END");
    EXPECT_LINE(client, QRegularExpression(QStringLiteral("^:groupchat 001 foo ")));
}

// lusers.py testLusersFull (Modern): RPL_LOCALUSERS and RPL_GLOBALUSERS with the current and
// the highest counts; a client that has not registered is not counted.
void tst_IrcConformance::lusersCountsAndPeaks()
{
    const std::unique_ptr<TestClient> bar = registered(QStringLiteral("bar"));
    QVERIFY(bar);
    const auto lusers = [](int now, int peak) {
        return QStringList{
            QStringLiteral(":groupchat 251 bar :There are %1 users and 0 invisible on 1 servers").arg(now),
            QStringLiteral(":groupchat 254 bar 1 :channels formed"),
            QStringLiteral(":groupchat 255 bar :I have %1 clients and 0 servers").arg(now),
            QStringLiteral(":groupchat 265 bar %1 %2 :Current local users %1, max %2").arg(now).arg(peak),
            QStringLiteral(":groupchat 266 bar %1 %2 :Current global users %1, max %2").arg(now).arg(peak),
        };
    };
    bar->sendLine("LUSERS");
    QCOMPARE(sync(*bar), lusers(1, 1));

    const std::unique_ptr<TestClient> unregistered = connectIrc();
    QVERIFY(unregistered);
    unregistered->sendLine("NICK qux");
    QVERIFY(sync(*unregistered).isEmpty());
    bar->sendLine("LUSERS");
    QCOMPARE(sync(*bar), lusers(1, 1));

    std::unique_ptr<TestClient> baz = registered(QStringLiteral("baz"));
    QVERIFY(baz);
    baz->sendLine("QUIT");
    QVERIFY(baz->waitForDisconnected());
    QVERIFY(!bar->waitForLine(QRegularExpression(QStringLiteral("^@?\\S* ?:baz!\\S+ QUIT"))).isNull());
    bar->sendLine("LUSERS");
    QCOMPARE(sync(*bar), lusers(1, 2));
}

// message_tags.py testLengthLimits, messages.py TagsTestCase testLineTooLong: a client's tags
// may take 4094 bytes (4096 with '@' and the space), no more; over that the line is refused
// with ERR_INPUTTOOLONG and nothing of it is passed on.
void tst_IrcConformance::clientTagLimit()
{
    const QStringList caps{ QStringLiteral("message-tags"), QStringLiteral("echo-message") };
    const std::unique_ptr<TestClient> alice = registered(QStringLiteral("alice"), caps);
    QVERIFY(alice);
    const std::unique_ptr<TestClient> bob = registered(QStringLiteral("bob"), caps);
    QVERIFY(bob);

    const QByteArray atLimit = "@foo=bar;+baz=" + QByteArray(4081, 'a') + " PRIVMSG #general hi";
    QCOMPARE(atLimit.indexOf("PRIVMSG"), 4096);
    alice->sendLine(atLimit);
    const QRegularExpression relayed(QStringLiteral("^@\\S+ :alice!\\S+ PRIVMSG #general :hi\\r?$"));
    EXPECT_LINE(alice, relayed);
    EXPECT_LINE(bob, relayed);

    alice->sendLine("@foo=bar;+baz=" + QByteArray(4082, 'a') + " TAGMSG #general");
    alice->sendLine("@+clientOnlyTagExample=" + QByteArray(4096, 'a') + " PRIVMSG #general hi!");
    QCOMPARE(sync(*alice), (linesOf({ ":groupchat 417 alice :Input line was too long",
                                      ":groupchat 417 alice :Input line was too long" })));
    QCOMPARE(sync(*bob), QStringList());
}

// utf8.py testUtf8Validation: with UTF8ONLY announced, a line that is not UTF-8 is refused
// with FAIL <command> INVALID_UTF8 and reaches nobody.
void tst_IrcConformance::notUtf8Refused()
{
    const std::unique_ptr<TestClient> bar = registered(QStringLiteral("bar"));
    QVERIFY(bar);
    const std::unique_ptr<TestClient> foo = registered(QStringLiteral("foo"));
    QVERIFY(foo);
    sync(*bar);

    foo->sendLine("PRIVMSG bar hi\xaa");
    QCOMPARE(sync(*foo),
             linesOf({ ":groupchat FAIL PRIVMSG INVALID_UTF8 :Message rejected, it was not UTF-8" }));
    QCOMPARE(sync(*bar), QStringList());
    foo->sendLine("PRIVMSG bar :hi \xc3\xa9");
    EXPECT_LINE(bar, exactly(QStringLiteral(":foo!~gc@groupchat PRIVMSG bar :hi \u00e9")));
}

// echo_message.py testEchoMessage, messages.py testNotice: a NOTICE reaches a channel's IRC
// clients and a person as a NOTICE, and comes back to its sender as one with echo-message.
void tst_IrcConformance::noticeStaysNotice_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("PRIVMSG to a channel") << QByteArray("PRIVMSG") << QByteArray("#general");
    QTest::newRow("NOTICE to a channel") << QByteArray("NOTICE") << QByteArray("#general");
    QTest::newRow("NOTICE to a person") << QByteArray("NOTICE") << QByteArray("qux");
}

void tst_IrcConformance::noticeStaysNotice()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, target);

    const std::unique_ptr<TestClient> baz = registered(
            QStringLiteral("baz"), { QStringLiteral("echo-message"), QStringLiteral("server-time") });
    QVERIFY(baz);
    const std::unique_ptr<TestClient> qux = registered(QStringLiteral("qux"));
    QVERIFY(qux);
    sync(*baz);

    baz->sendLine(command + ' ' + target + " :hello everyone");
    const QString line =
            u":baz!~gc@groupchat " + QString::fromLatin1(command + ' ' + target) + u" :hello everyone";
    EXPECT_LINE(baz, QRegularExpression(u"^@time=\\S+ " + QRegularExpression::escape(line) + u"\\r?$"));
    EXPECT_LINE(qux, exactly(line));
    QCOMPARE(sync(*baz), QStringList());
    QCOMPARE(sync(*qux), QStringList());
}

// message_tags.py testBasic, regressions.py testTagCap: client-only tags ('+') of a PRIVMSG
// reach the clients with message-tags (the sender's echo too), with the msgid; the others'
// tags are not passed on, and a client without message-tags gets none.
void tst_IrcConformance::clientTagsPassedOn()
{
    const TagClients clients = tagClients();
    QVERIFY(clients.alice && clients.bob && clients.carol && clients.dave);
    const auto &[alice, bob, carol, dave] = clients;

    alice->sendLine("@+baz=bat;fizz=buzz PRIVMSG #general hi");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral(
                             "^@msgid=\\d+;\\+baz=bat :alice!\\S+ PRIVMSG #general :hi\\r?$")));
    EXPECT_LINE(carol, exactly(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :hi")));
    EXPECT_LINE(dave,
                QRegularExpression(QStringLiteral("^@time=[^;]+ :alice!\\S+ PRIVMSG #general :hi\\r?$")));

    bob->sendLine(R"(@+bat=baz;+fizz=buzz\:bat PRIVMSG alice :hi yourself)");
    const QRegularExpression toAlice(QStringLiteral(
            R"(^@msgid=\d+;\+bat=baz;\+fizz=buzz\\:bat :bob!\S+ PRIVMSG alice :hi yourself\r?$)"));
    EXPECT_LINE(bob, toAlice); // the echo
    EXPECT_LINE(alice, toAlice);
}

// message_tags.py testBasic: TAGMSG reaches the clients with message-tags only, the sender's
// echo with the same msgid; a client without message-tags gets nothing, server-time or not.
void tst_IrcConformance::tagmsgPassedOn()
{
    const TagClients clients = tagClients();
    QVERIFY(clients.alice && clients.bob && clients.carol && clients.dave);
    const auto &[alice, bob, carol, dave] = clients;

    bob->sendLine(R"(@+buzz=fizz\:buzz;cat=dog;+steel=wootz TAGMSG #general)");
    const QRegularExpression relayed(QStringLiteral(
            R"(^@\+buzz=fizz\\:buzz;\+steel=wootz;msgid=([0-9a-f-]+) :bob!\S+ TAGMSG #general\r?$)"));
    QString echo;
    QString relay;
    EXPECT_LINE_AS(echo, bob, relayed);
    EXPECT_LINE_AS(relay, alice, relayed);
    QCOMPARE(echo, relay);
    QCOMPARE(sync(*carol), QStringList());
    QCOMPARE(sync(*dave), QStringList());

    // To a person; to nobody.
    bob->sendLine("@+typing=active TAGMSG alice");
    EXPECT_LINE(alice, QRegularExpression(
                               QStringLiteral("^@\\+typing=active;msgid=\\S+ :bob!\\S+ TAGMSG alice\\r?$")));
    bob->sendLine("TAGMSG nobody");
    bob->sendLine("TAGMSG #nowhere");
    const QStringList answers = sync(*bob);
    QCOMPARE(answers.size(), 3);
    QVERIFY2(answers.at(0).contains(QStringLiteral(" TAGMSG alice")), qPrintable(answers.at(0)));
    QCOMPARE(answers.mid(1), (linesOf({ ":groupchat 401 bob nobody :No such nick/channel",
                                        ":groupchat 403 bob #nowhere :No such channel" })));
}

// who.py testWhoStar, testWhoNick (mask): WHO with a mask answers about every nick that
// matches it, and RPL_ENDOFWHO repeats the mask as it was sent.
void tst_IrcConformance::whoMask_data()
{
    QTest::addColumn<QByteArray>("mask");
    QTest::addColumn<QStringList>("nicks");
    QTest::newRow("exact") << QByteArray("coolNick") << linesOf({ "coolNick" });
    QTest::newRow("casefolded") << QByteArray("coolnick") << linesOf({ "coolNick" });
    QTest::newRow("mask") << QByteArray("coolni*") << linesOf({ "coolNick" });
    QTest::newRow("one character") << QByteArray("c?olNick") << linesOf({ "coolNick" });
    QTest::newRow("star") << QByteArray("*") << linesOf({ "coolNick", "otherNick" });
    QTest::newRow("no match") << QByteArray("cool*x") << QStringList{};
}

void tst_IrcConformance::whoMask()
{
    QFETCH(QByteArray, mask);
    QFETCH(QStringList, nicks);

    const std::unique_ptr<TestClient> coolNick = registered(QStringLiteral("coolNick"));
    QVERIFY(coolNick);
    const std::unique_ptr<TestClient> other = registered(QStringLiteral("otherNick"));
    QVERIFY(other);
    const std::unique_ptr<TestClient> cool = registered(QStringLiteral("coolNick2"));
    QVERIFY(cool);
    cool->sendLine("QUIT");
    QVERIFY(cool->waitForDisconnected());
    sync(*other);

    other->sendLine("WHO " + mask);
    QStringList expected;
    for (const QString &nick : nicks)
        expected.append(QStringLiteral(":groupchat 352 otherNick * ~%1 groupchat groupchat %1 H :0 Real %1")
                                .arg(nick));
    expected.append(u":groupchat 315 otherNick " + QString::fromLatin1(mask) + u" :End of WHO list");
    QStringList got = sync(*other);
    got.sort();
    expected.sort();
    QCOMPARE(got, expected);
}

// With irctest's configuration (--irc-name My.Little.Server): pingpong.py testPing, who.py
// testWhoNick and testWhoNickAway, whois.py testWhoisUser. The server's lines come from the
// configured name; WHO, WHOIS and USERHOST give the user name USER gave, with '~' (no ident
// check), cut to USERLEN; the real name after the hop count.
void tst_IrcConformance::configuredServerNameAndUserNames()
{
    QVERIFY(IrcCodec::setServerName(QStringLiteral("My.Little.Server")));
    const auto restore = qScopeGuard([] { IrcCodec::setServerName(IrcCodec::defaultServerName()); });
    QVERIFY(!IrcCodec::setServerName(QStringLiteral("two words")));
    QCOMPARE(IrcCodec::serverName(), QStringLiteral("My.Little.Server"));

    const std::unique_ptr<TestClient> coolNick = connectIrc();
    QVERIFY(coolNick);
    coolNick->sendLine("NICK coolNick");
    coolNick->sendLine("USER myusernam 0 * :My UniqueReal Name");
    EXPECT_LINE(coolNick,
                QRegularExpression(QStringLiteral("^:My\\.Little\\.Server 002 coolNick :Your host is "
                                                  "My\\.Little\\.Server, running version ")));
    EXPECT_LINE(coolNick,
                QRegularExpression(QStringLiteral("^:My\\.Little\\.Server 005 coolNick .* USERLEN=16 ")));
    const std::unique_ptr<TestClient> other = registered(QStringLiteral("otherNick"));
    QVERIFY(other);
    // A user name with what no user name has, and longer than USERLEN.
    const std::unique_ptr<TestClient> odd = connectIrc();
    QVERIFY(odd);
    odd->sendLine("NICK odd");
    odd->sendLine("USER a@b!c:d\xc3\xa9_0123456789abcdefgh 0 * :Odd");
    EXPECT_LINE(odd, QRegularExpression(QStringLiteral("^:My\\.Little\\.Server 001 odd ")));
    const std::unique_ptr<TestClient> bare = connectIrc();
    QVERIFY(bare);
    bare->sendLine("NICK bare");
    bare->sendLine("USER @@@ 0 * :Bare");
    EXPECT_LINE(bare, QRegularExpression(QStringLiteral("^:My\\.Little\\.Server 001 bare ")));
    sync(*odd);
    sync(*bare);

    other->sendLine("PING abcdef");
    EXPECT_LINE(other, exactly(QStringLiteral(":My.Little.Server PONG My.Little.Server abcdef")));
    QCOMPARE(sync(*other), QStringList{});

    other->sendLine("WHO coolni*");
    QCOMPARE(sync(*other),
             linesOf({ ":My.Little.Server 352 otherNick * ~myusernam groupchat My.Little.Server coolNick H "
                       ":0 My UniqueReal Name",
                       ":My.Little.Server 315 otherNick coolni* :End of WHO list" }));
    coolNick->sendLine("AWAY :be right back");
    sync(*coolNick);
    other->sendLine("WHO coolNick");
    QCOMPARE(sync(*other),
             linesOf({ ":My.Little.Server 352 otherNick * ~myusernam groupchat My.Little.Server coolNick G "
                       ":0 My UniqueReal Name",
                       ":My.Little.Server 315 otherNick coolNick :End of WHO list" }));

    other->sendLine("WHOIS coolNick");
    const QStringList whois = sync(*other);
    QVERIFY2(whois.size() >= 2, qPrintable(whois.join(u'\n')));
    QCOMPARE(whois.first(),
             QStringLiteral(
                     ":My.Little.Server 311 otherNick coolNick ~myusernam groupchat * :My UniqueReal Name"));
    QVERIFY2(whois.filter(QRegularExpression(QStringLiteral("^:My\\.Little\\.Server 312 otherNick coolNick "
                                                            "My\\.Little\\.Server :")))
                             .size() == 1,
             qPrintable(whois.join(u'\n')));

    // Only ASCII letters, digits, '.', '-' and '_' are kept, at most 16 of them; nothing
    // left is the user name of those that gave none.
    other->sendLine("USERHOST coolNick odd bare");
    QCOMPARE(sync(*other), linesOf({ ":My.Little.Server 302 otherNick :coolNick=-~myusernam@groupchat "
                                     "odd=+~abcd_0123456789a@groupchat bare=+~gc@groupchat" }));
}

// isupport_limits.py testNicklen: ERR_ERRONEUSNICKNAME names the nick as it was asked for,
// even when it is longer than NICKLEN.
void tst_IrcConformance::erroneousNickAsGiven()
{
    const std::unique_ptr<TestClient> foo = registered(QStringLiteral("foo"));
    QVERIFY(foo);
    const QByteArray valid(ChatLimits::maxNickLength, 'a');
    foo->sendLine("NICK " + valid);
    EXPECT_LINE(foo, exactly(u":foo!~gc@groupchat NICK " + QString::fromLatin1(valid)));
    const QByteArray invalid(ChatLimits::maxNickLength + 5, 'b');
    foo->sendLine("NICK " + invalid);
    QCOMPARE(sync(*foo), QStringList{ QString::fromLatin1(":groupchat 432 " + valid + ' ' + invalid +
                                                          " :Erroneous nickname") });
}

// echo-message to oneself (irctest's chathistory testMessagesToSelf, labeled_responses
// testLabeledPrivmsgResponsesToSelf): without echo-message one copy, the delivery; with it
// two alike, the echo and the delivery.
void tst_IrcConformance::messageToSelf_data()
{
    QTest::addColumn<QStringList>("caps");
    QTest::addColumn<int>("copies");
    QTest::newRow("without echo-message") << QStringList{ QStringLiteral("message-tags") } << 1;
    QTest::newRow("with echo-message")
            << QStringList{ QStringLiteral("message-tags"), QStringLiteral("echo-message") } << 2;
}

void tst_IrcConformance::messageToSelf()
{
    QFETCH(QStringList, caps);
    QFETCH(int, copies);

    const std::unique_ptr<TestClient> foo = registered(QStringLiteral("foo"), caps);
    QVERIFY(foo);
    foo->sendLine("PRIVMSG foo :this is a privmsg sent to myself");
    const QStringList got = sync(*foo);
    QCOMPARE(got.size(), copies);
    for (const QString &line : got)
        QVERIFY2(QRegularExpression(QStringLiteral("^@msgid=\\d+ :foo!~gc@groupchat PRIVMSG foo :this is a "
                                                   "privmsg sent to myself$"))
                         .match(line)
                         .hasMatch(),
                 qPrintable(line));
    QCOMPARE(got.constLast(), got.constFirst());
}

// buffering.py testNoTags, message_tags.py testLengthLimits: a PRIVMSG reaches the others
// whole as one line of at most 512 bytes, its sender's source included, or not at all: over
// that it is refused with ERR_INPUTTOOLONG (the sender's line was within the limit, what is
// passed on would not be). UTF-8 characters are never cut.
void tst_IrcConformance::privmsgFitsOneLine_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("extraBytes"); // over what reaches nick2 in exactly 512 bytes
    QTest::addColumn<bool>("emoji");
    for (const char *head : { "PRIVMSG nick2 ", "PRIVMSG nick2 :" }) {
        for (const int extra : { -1, 0, 1, 2 }) {
            for (const bool emoji : { false, true }) {
                QTest::addRow("%s%+d%s", head, extra, emoji ? " emoji" : "")
                        << QByteArray(head) << extra << emoji;
            }
        }
    }
}

void tst_IrcConformance::privmsgFitsOneLine()
{
    QFETCH(QByteArray, head);
    QFETCH(int, extraBytes);
    QFETCH(bool, emoji);

    const std::unique_ptr<TestClient> nick2 = registered(QStringLiteral("nick2"));
    QVERIFY(nick2);
    const std::unique_ptr<TestClient> nick1 = registered(QStringLiteral("nick1"));
    QVERIFY(nick1);
    sync(*nick2);

    const QByteArray relayedHead = ":nick1!~gc@groupchat PRIVMSG nick2 :";
    const QByteArray smiley = "\xf0\x9f\x98\x83";
    const qsizetype payloadBytes = 512 - 2 - relayedHead.size() + extraBytes;
    const QByteArray payload =
            emoji ? QByteArray(payloadBytes - smiley.size(), 'a') + smiley : QByteArray(payloadBytes, 'a');
    QVERIFY(head.size() + payload.size() + 2 <= 512);
    nick1->sendLine(head + payload);
    if (extraBytes <= 0) {
        QCOMPARE(sync(*nick1), QStringList());
        QCOMPARE(sync(*nick2), QStringList{ QString::fromUtf8(relayedHead + payload) });
    } else {
        QCOMPARE(sync(*nick1), linesOf({ ":groupchat 417 nick1 :Input line was too long" }));
        QCOMPARE(sync(*nick2), QStringList());
    }
}

// connection_registration.py testEarlyNickCollision and every getRegistrationMessage: before
// its welcome a client gets answers only, not the default room's talk (a JOIN came first).
void tst_IrcConformance::nothingButAnswersBeforeWelcome()
{
    const std::unique_ptr<TestClient> early = connectIrc();
    QVERIFY(early);
    early->sendLine("NICK early");
    QCOMPARE(sync(*early), QStringList());
    const std::unique_ptr<TestClient> foo = registered(QStringLiteral("foo"));
    QVERIFY(foo);
    foo->sendLine("PRIVMSG #general :hello");
    sync(*foo);
    QCOMPARE(sync(*early), QStringList());
    early->sendLine("USER early 0 * :Early");
    EXPECT_LINE(early, QRegularExpression(QStringLiteral("^:groupchat 001 early ")));
    EXPECT_LINE(early, exactly(QStringLiteral(":early!~gc@groupchat JOIN #general")));
}

QTEST_MAIN(tst_IrcConformance)
#include "tst_ircconformance.moc"
