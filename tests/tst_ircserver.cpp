// The IRC dialect end to end over loopback: IRC clients (raw sockets speaking IRC) beside JSON
// and plain clients in the same rooms; IRCv3 server-time, message-tags, echo-message,
// labeled-response, draft/chathistory and SASL PLAIN. docs/PROTOCOL.md, "IRC".

#include "chatserver.h"
#include "expect.h"
#include "irccodec.h"
#include "testclient.h"

#include <QJsonArray>
#include <QtTest>

#include <memory>

namespace {

// A whole IRC line (TestClient keeps the CR of CR LF).
QRegularExpression irc(const QString &pattern)
{
    return QRegularExpression(u'^' + pattern + QStringLiteral("\\r$"));
}

QString quoted(const QString &text)
{
    return QRegularExpression::escape(text);
}

// An IRC client registered as nick (with the IRCv3 capabilities caps, a space-separated list;
// the server's password pass when given), its welcome and #general's names read.
std::unique_ptr<TestClient> joinIrc(quint16 port, const QString &nick, const QString &caps = QString(),
                                    const QByteArray &pass = QByteArray())
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(port))
        return nullptr;
    client->setNick(nick);
    if (!caps.isEmpty())
        client->sendLine("CAP LS 302\r");
    if (!pass.isEmpty())
        client->sendLine("PASS " + pass + '\r');
    client->sendLine("NICK " + nick.toUtf8() + '\r');
    client->sendLine("USER u 0 * :Real Name\r");
    if (!caps.isEmpty()) {
        client->sendLine("CAP REQ :" + caps.toUtf8() + '\r');
        if (client->waitForLine(irc(QStringLiteral(":groupchat CAP \\* ACK :?.*"))).isNull()) {
            qWarning("no CAP ACK for %s", qPrintable(caps));
            return nullptr;
        }
        client->sendLine("CAP END\r");
    }
    if (client->waitForLine(irc(QStringLiteral(":groupchat 001 ") + quoted(nick) + QStringLiteral(" .*")))
                .isNull() ||
        client->waitForLine(
                      irc(QStringLiteral(":groupchat 366 ") + quoted(nick) + QStringLiteral(" #general .*")))
                .isNull()) {
        qWarning("%s was not welcomed: %s", qPrintable(nick), qPrintable(client->lines().join(u'|')));
        return nullptr;
    }
    return client;
}

// A JSON client of protocol version 2 (rooms) called nick.
std::unique_ptr<TestClient> joinJson2(quint16 port, const QString &nick)
{
    return joinJsonWith(port,
                        QStringLiteral(R"({"type":"hello","version":2,"nick":"%1"})").arg(nick).toUtf8());
}

} // namespace

class tst_IrcServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void welcomeAndIsupport();
    void nothingBeforeRegistration();
    void threeDialectsInOneRoom();
    void privateActionAndNotice();
    void echoMessageCarriesOurIds();
    void longMessageIsSplit();
    void replayOnRegistration();
    void chathistory_data();
    void chathistory();
    void chathistoryRefusals();
    void labeledResponses();
    void passAndSasl_data();
    void passAndSasl();
    void kickedByTheAdmin();
    void multilineBatch();
    void multilineFromJson();
    void multilineInChathistory();
    void multilineConcatWithoutValue_data();
    void multilineConcatWithoutValue();
    void multilineAction_data();
    void multilineAction();

private:
    // Ten messages from an IRC client with echo-message in #general: their msgids and times.
    void postTen(TestClient &client, QStringList *ids, QStringList *times);

    std::unique_ptr<ChatServer> m_server;
    quint16 m_port = 0;
    quint16 m_ircPort = 0;
};

void tst_IrcServer::init()
{
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    m_server->setServerName(QStringLiteral("test server"));
    m_server->setIrcPort(true, 0);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_port = m_server->serverPort();
    m_ircPort = m_server->ircPort();
    QVERIFY(m_ircPort != 0);
}

void tst_IrcServer::cleanup()
{
    m_server.reset();
}

void tst_IrcServer::welcomeAndIsupport()
{
    TestClient client;
    QVERIFY(client.connectTo(m_ircPort));
    client.sendLine("CAP LS 302\r\nNICK alice\r\nUSER a 0 * :Alice\r");
    QString line;
    EXPECT_LINE_AS(line, client, irc(QStringLiteral(":groupchat CAP \\* LS :.*")));
    const QStringList offered = line.chopped(1).section(QStringLiteral(" :"), 1).split(u' ');
    for (const char *cap :
         { "batch", "draft/chathistory", "draft/multiline=max-bytes=4096,max-lines=32", "echo-message",
           "labeled-response", "message-tags", "sasl=PLAIN", "server-time" })
        QVERIFY2(offered.contains(QLatin1String(cap)), qPrintable(line));
    // Nothing before CAP END.
    QVERIFY(client.waitForLine(irc(QStringLiteral(":groupchat 001 .*")), 300).isNull());
    client.sendLine("CAP END\r");
    EXPECT_LINE(client,
                irc(QStringLiteral(":groupchat 001 alice :Welcome to test server, alice!~gc@groupchat")));
    EXPECT_LINE(client,
                irc(QStringLiteral(":groupchat 002 alice :Your host is groupchat, running version .*")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 003 alice :This server was created .*")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 004 alice groupchat \\S+ i n")));
    EXPECT_LINE_AS(line, client,
                   irc(QStringLiteral(":groupchat 005 alice .* :are supported by this server")));
    for (const char *token :
         { "CASEMAPPING=rfc8265", "CHANTYPES=#", "NICKLEN=32", "UTF8ONLY", "CHATHISTORY=1000",
           "MSGREFTYPES=msgid,timestamp", "TOPICLEN=300", "NETWORK=test-server" })
        QVERIFY2(line.contains(QLatin1String(token)) || client.lines()
                                                                .filter(QStringLiteral(" 005 "))
                                                                .join(u' ')
                                                                .contains(QLatin1String(token)),
                 token);
    EXPECT_LINE(client,
                irc(QStringLiteral(":groupchat 251 alice :There are 1 users and 0 invisible on 1 servers")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 376 alice :End of /MOTD command.")));
    EXPECT_LINE(client, irc(QStringLiteral(":alice!~gc@groupchat JOIN #general")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 353 alice = #general :?alice")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 366 alice #general :End of /NAMES list")));
    client.sendLine("PING :are you there\r");
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat PONG groupchat :are you there")));
    client.sendLine("WHOWAS gone\r");
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 406 alice gone :There was no such nickname")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 369 alice gone :End of WHOWAS")));
    client.sendLine("FROB\r");
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 421 alice FROB :Unknown command")));
}

void tst_IrcServer::nothingBeforeRegistration()
{
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    TestClient client;
    QVERIFY(client.connectTo(m_ircPort));
    client.sendLine("NICK early\r");
    // Not in the room yet: neither announced nor told what is said there.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->findClient(QStringLiteral("early")), 5000);
    bob->sendLine(R"({"type":"say","room":"#general","text":"before you registered"})");
    EXPECT_JSON(bob, QStringLiteral("message"));
    client.sendLine("JOIN #general\r");
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 451 \\* :You have not registered")));
    client.sendLine("USER u 0 * :U\r");
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 001 early .*")));
    EXPECT_LINE(client, irc(QStringLiteral(":groupchat 366 early #general .*")));
    const qsizetype welcome = client.lines().indexOf(QRegularExpression(QStringLiteral(":groupchat 001 .*")));
    QVERIFY2(client.lines().mid(0, welcome).filter(QStringLiteral("PRIVMSG")).isEmpty(),
             qPrintable(client.lines().join(u'|')));
    QVERIFY(bob->waitForJson(QStringLiteral("join"),
                             [](const QJsonObject &m) { return m.value(u"nick").toString() == u"early"; })
                    .value(u"nick")
                    .toString() == u"early");
}

void tst_IrcServer::threeDialectsInOneRoom()
{
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    auto carol = joinPlain(m_port);
    QVERIFY(carol);
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat JOIN #general")));

    alice->sendLine("PRIVMSG #general :hello from IRC\r");
    EXPECT_JSON(bob, QStringLiteral("message"), [](const QJsonObject &m) {
        return m.value(u"from").toString() == u"alice" && m.value(u"text").toString() == u"hello from IRC" &&
               m.value(u"room").toString() == u"#general";
    });
    EXPECT_LINE(carol, chatLinePattern(QStringLiteral("alice"), QStringLiteral("hello from IRC")));

    bob->sendLine(R"({"type":"say","room":"#general","text":"hello from JSON"})");
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat PRIVMSG #general :hello from JSON")));
    carol->sendLine("hello from nc");
    EXPECT_LINE(alice, irc(u":" + quoted(carol->nick()) +
                           QStringLiteral("!~gc@groupchat PRIVMSG #general :hello from nc")));
    // /who names IRC clients as such.
    carol->sendLine("/who");
    EXPECT_LINE(carol, QRegularExpression(QStringLiteral("^\\* +alice, connected .* \\(IRC\\)$")));

    // A /me both ways.
    alice->sendLine("PRIVMSG #general :\x01"
                    "ACTION waves\x01\r");
    EXPECT_JSON(bob, QStringLiteral("message"), [](const QJsonObject &m) {
        return m.value(u"kind").toString() == u"action" && m.value(u"text").toString() == u"waves";
    });
    bob->sendLine(R"({"type":"action","room":"#general","text":"nods"})");
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat PRIVMSG #general :\x01"
                                          "ACTION nods\x01")));

    // Rooms: an IRC JOIN is seen by JSON clients in the room, and a topic by everyone.
    bob->sendLine(R"({"type":"join","room":"#dev"})");
    EXPECT_JSON(bob, QStringLiteral("room"));
    alice->sendLine("JOIN #dev\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":alice!~gc@groupchat JOIN #dev")));
    EXPECT_LINE(alice,
                irc(QStringLiteral(
                        ":groupchat 353 alice = #dev :bob alice|:groupchat 353 alice = #dev :alice bob")));
    EXPECT_JSON(bob, QStringLiteral("join"), [](const QJsonObject &m) {
        return m.value(u"nick").toString() == u"alice" && m.value(u"room").toString() == u"#dev";
    });
    alice->sendLine("TOPIC #dev :builds and tests\r");
    EXPECT_JSON(bob, QStringLiteral("topic"),
                [](const QJsonObject &m) { return m.value(u"topic").toString() == u"builds and tests"; });
    alice->sendLine("PART #dev :later\r");
    EXPECT_JSON(bob, QStringLiteral("part"), [](const QJsonObject &m) {
        return m.value(u"nick").toString() == u"alice" && m.value(u"reason").toString() == u"later";
    });

    // Nick changes both ways, and a quit.
    alice->sendLine("NICK alicia\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":alice!~gc@groupchat NICK alicia")));
    EXPECT_JSON(bob, QStringLiteral("nick"), [](const QJsonObject &m) {
        return m.value(u"old").toString() == u"alice" || m.value(u"from").toString() == u"alice" ||
               m.value(u"nick").toString() == u"alicia";
    });
    bob->sendLine(R"({"type":"nick","nick":"robert"})");
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat NICK robert")));
    alice->sendLine("QUIT :off to lunch\r");
    EXPECT_LINE(alice, irc(QStringLiteral("ERROR :Closing Link: quit: off to lunch")));
    EXPECT_JSON(bob, QStringLiteral("leave"), [](const QJsonObject &m) {
        return m.value(u"nick").toString() == u"alicia" &&
               m.value(u"reason").toString().contains(u"off to lunch");
    });
}

void tst_IrcServer::privateActionAndNotice()
{
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    auto carol = joinPlain(m_port);
    QVERIFY(carol);

    alice->sendLine("PRIVMSG bob :\x01"
                    "ACTION waves at you\x01\r");
    EXPECT_JSON(bob, QStringLiteral("private"), [](const QJsonObject &m) {
        return m.value(u"kind").toString() == u"action" && m.value(u"text").toString() == u"waves at you";
    });
    alice->sendLine("NOTICE #general :the build is green\r");
    EXPECT_JSON(bob, QStringLiteral("message"), [](const QJsonObject &m) {
        return m.value(u"kind").toString() == u"notice" &&
               m.value(u"text").toString() == u"the build is green";
    });
    EXPECT_LINE(carol, QRegularExpression(
                               QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] -alice- the build is green$")));
    // An IRC client sees a notice as a notice; a NOTICE to nobody is not answered.
    auto dave = joinIrc(m_ircPort, QStringLiteral("dave"));
    QVERIFY(dave);
    alice->sendLine("NOTICE #general :second\r");
    EXPECT_LINE(dave, irc(QStringLiteral(":alice!~gc@groupchat NOTICE #general :second")));
    alice->sendLine("NOTICE nobody :hello?\r\nPRIVMSG nobody :hello?\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 401 alice nobody :No such nick/channel")));
    QCOMPARE(alice->lines().filter(QStringLiteral(" 401 ")).size(), 1);
    // Errors with their numerics.
    alice->sendLine("PRIVMSG #nowhere :hi\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 403 alice #nowhere :No such channel")));
    bob->sendLine(R"({"type":"join","room":"#closed"})");
    EXPECT_JSON(bob, QStringLiteral("room"));
    alice->sendLine("PRIVMSG #closed :hi\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 404 alice #closed :Cannot send to channel")));
    alice->sendLine("PART #closed\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 442 alice #closed :You're not on that channel")));
    alice->sendLine("JOIN\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 461 alice JOIN :Not enough parameters")));
    alice->sendLine("PRIVMSG bob\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 412 alice :No text to send")));
    alice->sendLine("NICK bob\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 433 alice bob :Nickname is already in use")));
    alice->sendLine("NICK a{b}\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 432 alice a\\{b\\} :Erroneous nickname")));
    // Tags and nothing else: no command, not a long line.
    alice->sendLine("@a=b\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 400 alice \\* :no command")));
    // More targets than TARGMAX: the first four get it, the sender hears of the fifth.
    alice->sendLine("PRIVMSG dave,bob,#general,dave,nobody :five\r");
    EXPECT_LINE(alice, irc(QStringLiteral(
                               ":groupchat 407 alice nobody :Too many recipients; only the first 4 get it")));
    EXPECT_LINE(dave, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG dave :five")));
    EXPECT_LINE(dave, irc(QStringLiteral(":alice!~gc@groupchat PRIVMSG #general :five")));
}

void tst_IrcServer::echoMessageCarriesOurIds()
{
    auto plain = joinIrc(m_ircPort, QStringLiteral("plainirc"));
    QVERIFY(plain);
    auto tagged = joinIrc(m_ircPort, QStringLiteral("tagged"),
                          QStringLiteral("echo-message server-time message-tags"));
    QVERIFY(tagged);
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    tagged->sendLine("PRIVMSG #general :one id everywhere\r");
    QString echo;
    EXPECT_LINE_AS(
            echo, tagged,
            irc(QStringLiteral("@time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z;msgid=(\\d+) "
                               ":tagged!~gc@groupchat PRIVMSG #general :one id everywhere")));
    QJsonObject message;
    EXPECT_JSON_AS(message, bob, QStringLiteral("message"),
                   [](const QJsonObject &m) { return m.value(u"text").toString() == u"one id everywhere"; });
    QCOMPARE(echo.section(QStringLiteral("msgid="), 1).section(u' ', 0, 0),
             QString::number(message.value(u"id").toInteger()));
    // Without echo-message a client does not get its own line back; the others do, untagged.
    plain->sendLine("PRIVMSG #general :not echoed\r");
    EXPECT_LINE(tagged,
                irc(QStringLiteral(
                        "@time=[^ ]+;msgid=\\d+ :plainirc!~gc@groupchat PRIVMSG #general :not echoed")));
    EXPECT_LINE(plain, irc(QStringLiteral(":tagged!~gc@groupchat PRIVMSG #general :one id everywhere")));
    plain->sendLine("PING :sync\r");
    EXPECT_LINE(plain, irc(QStringLiteral(":groupchat PONG groupchat :?sync")));
    QVERIFY2(plain->lines().filter(QStringLiteral("not echoed")).isEmpty(),
             qPrintable(plain->lines().join(u'|')));
}

void tst_IrcServer::longMessageIsSplit()
{
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"), QStringLiteral("message-tags"));
    QVERIFY(alice);
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    // 1000 characters of which many take three bytes in UTF-8: several IRC lines.
    QString text;
    for (int i = 0; i < 250; ++i)
        text += QStringLiteral("ab中文");
    bob->sendLine(QJsonDocument(QJsonObject{ { QStringLiteral("type"), QStringLiteral("say") },
                                             { QStringLiteral("room"), QStringLiteral("#general") },
                                             { QStringLiteral("text"), text } })
                          .toJson(QJsonDocument::Compact));
    QString joined;
    int lines = 0;
    while (joined.size() < text.size()) {
        QString line;
        EXPECT_LINE_AS(line, alice,
                       irc(QStringLiteral("(@msgid=\\d+ )?:bob!~gc@groupchat PRIVMSG #general :.*")));
        const qsizetype tagsEnd = line.startsWith(u'@') ? line.indexOf(u' ') + 1 : 0;
        QVERIFY2(line.mid(tagsEnd).toUtf8().size() + 1 <= IrcCodec::maxLineBytes, qPrintable(line));
        QCOMPARE(line.startsWith(QStringLiteral("@msgid=")), lines == 0); // the first line carries the id
        joined += line.section(QStringLiteral("PRIVMSG #general :"), 1).chopped(1);
        ++lines;
    }
    QCOMPARE(joined, text);
    QVERIFY(lines >= 4);
}

void tst_IrcServer::replayOnRegistration()
{
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    bob->sendLine(R"({"type":"say","room":"#general","text":"said before you came"})");
    EXPECT_JSON(bob, QStringLiteral("message"));
    // With server-time: the room's recent messages, with their times, after its names.
    auto timed = joinIrc(m_ircPort, QStringLiteral("timed"), QStringLiteral("server-time batch"));
    QVERIFY(timed);
    EXPECT_LINE(timed, irc(QStringLiteral(":groupchat BATCH \\+(\\w+) chathistory #general")));
    EXPECT_LINE(timed,
                irc(QStringLiteral(
                        "@batch=\\w+;time=[^ ]+ :bob!~gc@groupchat PRIVMSG #general :said before you came")));
    EXPECT_LINE(timed, irc(QStringLiteral(":groupchat BATCH -\\w+")));
    // Without it a replay would read as said now; with chathistory the client asks itself.
    auto untimed = joinIrc(m_ircPort, QStringLiteral("untimed"));
    QVERIFY(untimed);
    auto asking =
            joinIrc(m_ircPort, QStringLiteral("asking"), QStringLiteral("server-time draft/chathistory"));
    QVERIFY(asking);
    untimed->sendLine("PING :x\r");
    EXPECT_LINE(untimed, irc(QStringLiteral(":groupchat PONG groupchat :?x")));
    asking->sendLine("PING :x\r");
    EXPECT_LINE(asking, irc(QStringLiteral(":groupchat PONG groupchat :?x")));
    QVERIFY(untimed->lines().filter(QStringLiteral("said before")).isEmpty());
    QVERIFY(asking->lines().filter(QStringLiteral("said before")).isEmpty());
}

void tst_IrcServer::postTen(TestClient &client, QStringList *ids, QStringList *times)
{
    for (int i = 0; i < 10; ++i) {
        client.sendLine(QStringLiteral("PRIVMSG #general :this is message %1\r").arg(i).toUtf8());
        QString echo;
        EXPECT_LINE_AS(
                echo, client,
                irc(QStringLiteral("@time=([^;]+);msgid=(\\d+) :\\w+!~gc@groupchat PRIVMSG #general :this is "
                                   "message %1")
                            .arg(i)));
        const QRegularExpressionMatch match =
                QRegularExpression(QStringLiteral("time=([^;]+);msgid=(\\d+)")).match(echo);
        times->append(match.captured(1));
        ids->append(match.captured(2));
        // Distinct times, as clients that page by timestamp need: the server keeps milliseconds.
        const QDateTime sent = QDateTime::fromString(match.captured(1), Qt::ISODateWithMs);
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() > sent.addMSecs(2), 1000);
    }
}

void tst_IrcServer::chathistory_data()
{
    // A request (%1..%10: the ten messages' msgids, %11..%20: their timestamps) and the
    // messages of the reply, by index, in order (as irctest's chathistory cases check them);
    // from memory, and from the history database.
    QTest::addColumn<bool>("database");
    QTest::addColumn<QString>("request");
    QTest::addColumn<QList<int>>("expected");
    const QList<std::tuple<const char *, QString, QList<int>>> rows{
        { "LATEST *", QStringLiteral("LATEST #general * 20"), QList<int>{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 } },
        { "LATEST * 5", QStringLiteral("LATEST #general * 5"), QList<int>{ 5, 6, 7, 8, 9 } },
        { "LATEST msgid", QStringLiteral("LATEST #general msgid=%5 20"), QList<int>{ 5, 6, 7, 8, 9 } },
        { "LATEST timestamp", QStringLiteral("LATEST #general timestamp=%15 20"),
          QList<int>{ 5, 6, 7, 8, 9 } },
        { "BEFORE msgid", QStringLiteral("BEFORE #general msgid=%7 20"), QList<int>{ 0, 1, 2, 3, 4, 5 } },
        { "BEFORE timestamp 2", QStringLiteral("BEFORE #general timestamp=%17 2"), QList<int>{ 4, 5 } },
        { "AFTER msgid", QStringLiteral("AFTER #general msgid=%4 20"), QList<int>{ 4, 5, 6, 7, 8, 9 } },
        { "AFTER timestamp 3", QStringLiteral("AFTER #general timestamp=%14 3"), QList<int>{ 4, 5, 6 } },
        { "BETWEEN forward", QStringLiteral("BETWEEN #general msgid=%1 msgid=%10 20"),
          QList<int>{ 1, 2, 3, 4, 5, 6, 7, 8 } },
        { "BETWEEN backward", QStringLiteral("BETWEEN #general msgid=%10 msgid=%1 20"),
          QList<int>{ 1, 2, 3, 4, 5, 6, 7, 8 } },
        { "BETWEEN forward 3", QStringLiteral("BETWEEN #general msgid=%1 msgid=%10 3"),
          QList<int>{ 1, 2, 3 } },
        { "BETWEEN backward 3", QStringLiteral("BETWEEN #general msgid=%10 msgid=%1 3"),
          QList<int>{ 6, 7, 8 } },
        { "BETWEEN timestamps", QStringLiteral("BETWEEN #general timestamp=%20 timestamp=%11 3"),
          QList<int>{ 6, 7, 8 } },
        { "AROUND 1", QStringLiteral("AROUND #general msgid=%8 1"), QList<int>{ 7 } },
        { "AROUND 3", QStringLiteral("AROUND #general msgid=%8 3"), QList<int>{ 6, 7, 8 } },
        { "AROUND timestamp 3", QStringLiteral("AROUND #general timestamp=%18 3"), QList<int>{ 6, 7, 8 } },
    };
    for (const bool database : { false, true }) {
        for (const auto &[name, request, expected] : rows)
            QTest::addRow("%s%s", name, database ? ", database" : "") << database << request << expected;
    }
}

void tst_IrcServer::chathistory()
{
    QFETCH(bool, database);
    QFETCH(QString, request);
    QFETCH(QList<int>, expected);
    if (database) {
        m_server.reset();
        ChatLimits limits;
        limits.floodControl = false;
        m_server = std::make_unique<ChatServer>(limits);
        QVERIFY(m_server->openHistory(QStringLiteral(":memory:")));
        QVERIFY(!m_server->historyPath().isEmpty());
        m_server->setIrcPort(true, 0);
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
        m_ircPort = m_server->ircPort();
    }
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"),
                         QStringLiteral("message-tags server-time echo-message batch draft/chathistory"));
    QVERIFY(alice);
    QStringList ids;
    QStringList times;
    postTen(*alice, &ids, &times);
    QCOMPARE(ids.size(), 10);
    QString filled = request;
    for (int i = 9; i >= 0; --i) // %10 before %1
        filled.replace(QStringLiteral("%%1").arg(i + 11), times.at(i))
                .replace(QStringLiteral("%%1").arg(i + 1), ids.at(i));
    alice->sendLine("CHATHISTORY " + filled.toUtf8() + '\r');
    QString start;
    EXPECT_LINE_AS(start, alice,
                   irc(QStringLiteral(":groupchat BATCH \\+([A-Za-z0-9-]+) chathistory #general")));
    const QString batch = start.section(u'+', 1).section(u' ', 0, 0);
    QList<int> got;
    for (;;) {
        QString line;
        EXPECT_LINE_AS(line, alice, irc(QStringLiteral("(@batch=%1;.*|:groupchat BATCH -%1)").arg(batch)));
        if (line.contains(QStringLiteral("BATCH -")))
            break;
        QVERIFY2(got.size() < 20, "the batch does not end");
        const QString id = line.section(QStringLiteral("msgid="), 1).section(u' ', 0, 0);
        QVERIFY2(ids.contains(id), qPrintable(line));
        // Each as it was echoed: the same time and id.
        QVERIFY2(line.contains(u"time=" + times.at(ids.indexOf(id))), qPrintable(line));
        got.append(int(ids.indexOf(id)));
    }
    QCOMPARE(got, expected);
}

void tst_IrcServer::chathistoryRefusals()
{
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"), QStringLiteral("batch draft/chathistory"));
    QVERIFY(alice);
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    bob->sendLine(R"({"type":"join","room":"#private"})");
    EXPECT_JSON(bob, QStringLiteral("room"));
    bob->sendLine(R"({"type":"say","room":"#private","text":"secret"})");
    EXPECT_JSON(bob, QStringLiteral("message"));
    // A room one is not in and one that does not exist read alike.
    for (const char *room : { "#private", "#nonexistent" }) {
        alice->sendLine(QByteArray("CHATHISTORY LATEST ") + room + " * 10\r");
        EXPECT_LINE(alice, irc(QStringLiteral(":groupchat FAIL CHATHISTORY INVALID_TARGET LATEST %1 :.*")
                                       .arg(QLatin1String(room))));
    }
    alice->sendLine("CHATHISTORY LATEST #general\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat FAIL CHATHISTORY NEED_MORE_PARAMS LATEST :.*")));
    alice->sendLine("CHATHISTORY BEFORE #general * 10\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat FAIL CHATHISTORY INVALID_PARAMS BEFORE .*")));
    alice->sendLine("CHATHISTORY LATEST #general * zero\r");
    EXPECT_LINE(alice,
                irc(QStringLiteral(":groupchat FAIL CHATHISTORY INVALID_PARAMS LATEST zero :Invalid limit")));
    alice->sendLine("CHATHISTORY SIDEWAYS #general * 1\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat FAIL CHATHISTORY INVALID_PARAMS SIDEWAYS :.*")));
    // Private conversations: the client's own, by the other's nick.
    bob->sendLine(R"({"type":"private","to":"alice","text":"psst"})");
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat PRIVMSG alice :psst")));
    alice->sendLine("CHATHISTORY LATEST bob * 10\r");
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=\\w+ :bob!~gc@groupchat PRIVMSG alice :psst")));
    alice->sendLine(
            "CHATHISTORY TARGETS timestamp=2020-01-01T00:00:00.000Z timestamp=2100-01-01T00:00:00.000Z 10\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH \\+(\\w+) draft/chathistory-targets")));
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=\\w+ :groupchat CHATHISTORY TARGETS bob \\S+Z")));
    QVERIFY(alice->lines().filter(QStringLiteral("secret")).isEmpty());
}

void tst_IrcServer::labeledResponses()
{
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"),
                         QStringLiteral("batch labeled-response echo-message message-tags"));
    QVERIFY(alice);
    auto bob = joinIrc(m_ircPort, QStringLiteral("bob"), QStringLiteral("message-tags"));
    QVERIFY(bob);
    // One line: labeled.
    alice->sendLine("@label=one PING :x\r");
    EXPECT_LINE(alice, irc(QStringLiteral("@label=one :groupchat PONG groupchat :?x")));
    // Nothing to say: an ACK.
    alice->sendLine("@label=none PONG :x\r");
    EXPECT_LINE(alice, irc(QStringLiteral("@label=none :groupchat ACK")));
    // Several lines: a labeled-response batch.
    alice->sendLine("@label=many JOIN #xyz\r");
    QString start;
    EXPECT_LINE_AS(start, alice,
                   irc(QStringLiteral("@label=many :groupchat BATCH \\+([A-Za-z0-9-]+) labeled-response")));
    const QString batch = start.section(u'+', 1).section(u' ', 0, 0);
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=%1 :alice!~gc@groupchat JOIN #xyz").arg(batch)));
    EXPECT_LINE(alice,
                irc(QStringLiteral("@batch=%1 :groupchat 366 alice #xyz :End of /NAMES list").arg(batch)));
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH -%1").arg(batch)));
    // The echo is the reply; whoever else gets the message gets no label.
    alice->sendLine("@label=msg PRIVMSG bob :hi\r");
    EXPECT_LINE(alice, irc(QStringLiteral("@label=msg;msgid=\\d+ :alice!~gc@groupchat PRIVMSG bob :hi")));
    EXPECT_LINE(bob, irc(QStringLiteral("@msgid=\\d+ :alice!~gc@groupchat PRIVMSG bob :hi")));
    // To oneself: the echo (labeled) and the delivery (not).
    alice->sendLine("@label=self PRIVMSG alice :me\r");
    EXPECT_LINE(alice,
                irc(QStringLiteral("(@label=self;)?@?msgid=\\d+ :alice!~gc@groupchat PRIVMSG alice :me")));
    EXPECT_LINE(alice,
                irc(QStringLiteral("(@label=self;)?@?msgid=\\d+ :alice!~gc@groupchat PRIVMSG alice :me")));
    QCOMPARE(alice->lines().filter(QStringLiteral("label=self")).size(), 1);
}

void tst_IrcServer::passAndSasl_data()
{
    QTest::addColumn<QByteArray>("lines");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("welcomed");
    const QByteArray plain = QByteArray("alice\0alice\0sesame", 18).toBase64();
    const QByteArray wrong = QByteArray("alice\0alice\0nope", 16).toBase64();
    QTest::newRow("PASS") << QByteArray("PASS sesame\r\nNICK alice\r\nUSER a 0 * :A\r\n")
                          << QStringLiteral(":groupchat 001 alice .*") << true;
    QTest::newRow("no PASS") << QByteArray("NICK alice\r\nUSER a 0 * :A\r\n")
                             << QStringLiteral(":groupchat 464 \\* :Password required") << false;
    QTest::newRow("wrong PASS") << QByteArray("PASS nope\r\nNICK alice\r\nUSER a 0 * :A\r\n")
                                << QStringLiteral(":groupchat 464 \\* :Password incorrect") << false;
    QTest::newRow("SASL PLAIN")
            << "CAP LS 302\r\nNICK alice\r\nUSER a 0 * :A\r\nCAP REQ sasl\r\nAUTHENTICATE "
               "PLAIN\r\nAUTHENTICATE " +
                       plain + "\r\nCAP END\r\n"
            << QStringLiteral(":groupchat 903 \\* :SASL authentication successful") << true;
    QTest::newRow("SASL wrong")
            << "CAP LS 302\r\nNICK alice\r\nUSER a 0 * :A\r\nCAP REQ sasl\r\nAUTHENTICATE "
               "PLAIN\r\nAUTHENTICATE " +
                       wrong + "\r\n"
            << QStringLiteral(":groupchat 464 \\* :Password incorrect") << false;
    QTest::newRow("SASL other mechanism")
            << QByteArray("CAP LS 302\r\nCAP REQ sasl\r\nAUTHENTICATE EXTERNAL\r\n")
            << QStringLiteral(":groupchat 904 \\* :SASL authentication failed") << false;
}

void tst_IrcServer::passAndSasl()
{
    QFETCH(QByteArray, lines);
    QFETCH(QString, expected);
    QFETCH(bool, welcomed);
    m_server.reset();
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    m_server->setPassword(QStringLiteral("sesame"));
    m_server->setIrcPort(true, 0);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    TestClient client;
    QVERIFY(client.connectTo(m_server->ircPort()));
    client.sendRaw(lines);
    EXPECT_LINE(client, irc(expected));
    if (welcomed) {
        EXPECT_LINE(client, irc(QStringLiteral(":groupchat 366 alice #general :End of /NAMES list")));
    } else if (!lines.contains("EXTERNAL")) {
        EXPECT_LINE(client, irc(QStringLiteral("ERROR :Closing Link: .*")));
        QVERIFY(client.waitForDisconnected());
    }
}

void tst_IrcServer::kickedByTheAdmin()
{
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"));
    QVERIFY(alice);
    auto bob = joinIrc(m_ircPort, QStringLiteral("bob"));
    QVERIFY(bob);
    // Out of one room: a KICK, seen by the room and by alice.
    alice->sendLine("JOIN #dev\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat 366 alice #dev .*")));
    bob->sendLine("JOIN #dev\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat JOIN #dev")));
    m_server->kick(m_server->findClient(QStringLiteral("alice")), QStringLiteral("off topic"),
                   QStringLiteral("#dev"));
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat KICK #dev alice :kicked by the admin: off topic")));
    EXPECT_LINE(bob, irc(QStringLiteral(":groupchat KICK #dev alice :kicked by the admin: off topic")));
    // Off the server: ERROR, and the connection ends.
    m_server->kick(m_server->findClient(QStringLiteral("alice")), QStringLiteral("spam"));
    EXPECT_LINE(alice, irc(QStringLiteral("ERROR :Closing Link: you were kicked by the admin: spam")));
    QVERIFY(alice->waitForDisconnected());
}

void tst_IrcServer::multilineBatch()
{
    // irctest's multiline testBasic and testBlankLines: a draft/multiline batch is one message,
    // one id, for everyone; IRC clients with the capability get it as a batch with the lines
    // as sent, those without as PRIVMSG lines, JSON clients as one text with line feeds, plain
    // clients as lines that say they go on.
    const QString multiline = QStringLiteral("batch echo-message message-tags server-time draft/multiline");
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"), multiline + QStringLiteral(" labeled-response"));
    QVERIFY(alice);
    auto bob = joinIrc(m_ircPort, QStringLiteral("bob"), multiline);
    QVERIFY(bob);
    auto charlie = joinIrc(m_ircPort, QStringLiteral("charlie"),
                           QStringLiteral("batch echo-message message-tags server-time"));
    QVERIFY(charlie);
    auto dave = joinJson2(m_port, QStringLiteral("dave"));
    QVERIFY(dave);
    auto erin = joinPlain(m_port);
    QVERIFY(erin);
    EXPECT_LINE(alice, irc(QStringLiteral("@time=\\S+ :dave!~gc@groupchat JOIN #general")));

    alice->sendLine("@label=xyz;+draft/reply=7 BATCH +123 draft/multiline #general\r\n"
                    "@batch=123 PRIVMSG #general :\r\n"
                    "@batch=123 PRIVMSG #general hello\r\n"
                    "@batch=123 PRIVMSG #general :#how is \r\n"
                    "@batch=123;draft/multiline-concat PRIVMSG #general :everyone?\r\n"
                    "BATCH -123\r");
    // The echo: the label on the BATCH + line alone, with the time, the msgid and the
    // client-only tags; the lines carry their batch and the concat tag only.
    QString start;
    EXPECT_LINE_AS(start, alice,
                   irc(QStringLiteral("@label=xyz;time=\\S+;msgid=(\\d+);\\+draft/reply=7 "
                                      ":alice!~gc@groupchat BATCH \\+ml\\d+ draft/multiline #general")));
    const QString msgid = start.section(QStringLiteral("msgid="), 1).section(u';', 0, 0);
    const QString reference = QStringLiteral("ml") + msgid;
    const QStringList body{
        QStringLiteral("@batch=%1 :alice!~gc@groupchat PRIVMSG #general :").arg(reference),
        QStringLiteral("@batch=%1 :alice!~gc@groupchat PRIVMSG #general :hello").arg(reference),
        QStringLiteral("@batch=%1 :alice!~gc@groupchat PRIVMSG #general :#how is ").arg(reference),
        QStringLiteral("@batch=%1;draft/multiline-concat :alice!~gc@groupchat PRIVMSG #general :everyone?")
                .arg(reference),
        QStringLiteral(":alice!~gc@groupchat BATCH -%1").arg(reference),
    };
    for (const QString &line : body)
        EXPECT_LINE(alice, line + u'\r');
    // Another client with the capability: the same, without the label.
    EXPECT_LINE(bob, irc(QStringLiteral("@time=\\S+;msgid=%1;\\+draft/reply=7 :alice!~gc@groupchat BATCH "
                                        "\\+%2 draft/multiline #general")
                                 .arg(msgid, reference)));
    for (const QString &line : body)
        EXPECT_LINE(bob, line + u'\r');
    // Without it: the lines as sent, the blank one left out, the msgid on the first.
    EXPECT_LINE(charlie, irc(QStringLiteral("@time=\\S+;msgid=%1;\\+draft/reply=7 :alice!~gc@groupchat "
                                            "PRIVMSG #general :hello")
                                     .arg(msgid)));
    EXPECT_LINE(charlie,
                irc(QStringLiteral(
                        "@time=\\S+;\\+draft/reply=7 :alice!~gc@groupchat PRIVMSG #general :#how is ")));
    EXPECT_LINE(charlie,
                irc(QStringLiteral(
                        "@time=\\S+;\\+draft/reply=7 :alice!~gc@groupchat PRIVMSG #general :everyone\\?")));
    // JSON: one message, the same id, the lines joined by line feeds (concat: without).
    QJsonObject message;
    EXPECT_JSON_AS(message, dave, QStringLiteral("message"));
    QCOMPARE(message.value(u"text").toString(), QStringLiteral("\nhello\n#how is everyone?"));
    QCOMPARE(QString::number(message.value(u"id").toInteger()), msgid);
    // Plain: a line a line, the further ones marked "nick|".
    EXPECT_LINE(erin, QRegularExpression(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] alice: $")));
    EXPECT_LINE(erin, QRegularExpression(QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] alice\\| hello$")));
    EXPECT_LINE(erin, QRegularExpression(
                              QStringLiteral("^\\[\\d\\d:\\d\\d:\\d\\d\\] alice\\| #how is everyone\\?$")));
    alice->sendLine("PING :done\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat PONG groupchat :?done")));
    QCOMPARE(alice->lines().filter(QStringLiteral(" BATCH +ml")).size(), 1);

    // labeled-response: a refusal is the labeled FAIL; without echo-message there is nothing
    // to answer a posted batch with but the labeled ACK.
    alice->sendLine("@label=e BATCH +e draft/multiline #general\r\nBATCH -e\r");
    EXPECT_LINE(alice,
                irc(QStringLiteral("@label=e :groupchat FAIL BATCH MULTILINE_INVALID :The multiline batch is "
                                   "empty")));
    auto fay = joinIrc(m_ircPort, QStringLiteral("fay"),
                       QStringLiteral("batch draft/multiline labeled-response"));
    QVERIFY(fay);
    fay->sendLine("@label=f BATCH +f draft/multiline #general\r\n@batch=f PRIVMSG #general :a\r\n"
                  "@batch=f PRIVMSG #general :b\r\nBATCH -f\r");
    EXPECT_LINE(fay, irc(QStringLiteral("@label=f :groupchat ACK")));
    EXPECT_LINE(bob,
                irc(QStringLiteral("@time=\\S+;msgid=\\d+ :fay!~gc@groupchat BATCH \\+ml\\d+ draft/multiline "
                                   "#general")));

    // A NOTICE batch to a person, without a label: a notice of two lines.
    alice->sendLine("BATCH +n draft/multiline bob\r\n@batch=n NOTICE bob :one\r\n@batch=n NOTICE bob :two\r\n"
                    "BATCH -n\r");
    EXPECT_LINE(bob, irc(QStringLiteral("@time=\\S+;msgid=\\d+ :alice!~gc@groupchat BATCH \\+ml\\d+ "
                                        "draft/multiline bob")));
    EXPECT_LINE(bob, irc(QStringLiteral("@batch=ml\\d+ :alice!~gc@groupchat NOTICE bob :one")));
    EXPECT_LINE(bob, irc(QStringLiteral("@batch=ml\\d+ :alice!~gc@groupchat NOTICE bob :two")));
    EXPECT_LINE(bob, irc(QStringLiteral(":alice!~gc@groupchat BATCH -ml\\d+")));
}

void tst_IrcServer::multilineFromJson()
{
    // A desktop client's message with line feeds, and a line longer than an IRC line: one
    // draft/multiline batch for IRC clients that negotiated it (the long line cut at
    // characters, its further parts marked draft/multiline-concat), PRIVMSG lines for others.
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"),
                         QStringLiteral("batch message-tags server-time draft/multiline"));
    QVERIFY(alice);
    auto carol = joinIrc(m_ircPort, QStringLiteral("carol"), QStringLiteral("message-tags draft/multiline"));
    QVERIFY(carol);
    auto bob = joinJson2(m_port, QStringLiteral("bob"));
    QVERIFY(bob);
    QString longLine;
    for (int i = 0; i < 100; ++i)
        longLine += QStringLiteral("ab中文");
    const QString text = QStringLiteral("first line\n\nsecond line\n") + longLine;
    bob->sendLine(QJsonDocument(QJsonObject{ { QStringLiteral("type"), QStringLiteral("say") },
                                             { QStringLiteral("room"), QStringLiteral("#general") },
                                             { QStringLiteral("text"), text } })
                          .toJson(QJsonDocument::Compact));
    QJsonObject echo;
    EXPECT_JSON_AS(echo, bob, QStringLiteral("message"));
    QCOMPARE(echo.value(u"text").toString(), text);
    const QString msgid = QString::number(echo.value(u"id").toInteger());
    EXPECT_LINE(alice,
                irc(QStringLiteral("@time=\\S+;msgid=%1 :bob!~gc@groupchat BATCH \\+ml%1 draft/multiline "
                                   "#general")
                            .arg(msgid)));
    const qsizetype from = alice->readPosition();
    EXPECT_LINE(alice, irc(QStringLiteral(":bob!~gc@groupchat BATCH -ml%1").arg(msgid)));
    const QStringList lines = alice->lines().mid(from, alice->readPosition() - from - 1);
    QVERIFY2(lines.size() >= 5, qPrintable(lines.join(u'|')));
    // The lines put together again are the text: line feeds between lines, none before a
    // concat line; every line within 512 bytes without its tags.
    QString joined;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        QVERIFY2(line.startsWith(QStringLiteral("@batch=ml%1").arg(msgid)), qPrintable(line));
        QVERIFY2(line.toUtf8().size() - line.indexOf(u' ') <= 512, qPrintable(line));
        const bool concat = line.section(u' ', 0, 0).contains(QLatin1String("draft/multiline-concat"));
        QVERIFY2(i > 0 || !concat, qPrintable(line));
        if (i > 0 && !concat)
            joined += u'\n';
        joined += line.section(QStringLiteral("PRIVMSG #general :"), 1).chopped(1);
    }
    QCOMPARE(joined, text);
    // Without batch (carol asked for draft/multiline alone): PRIVMSG lines, no blank one.
    EXPECT_LINE(carol,
                irc(QStringLiteral("@msgid=%1 :bob!~gc@groupchat PRIVMSG #general :first line").arg(msgid)));
    EXPECT_LINE(carol, irc(QStringLiteral(":bob!~gc@groupchat PRIVMSG #general :second line")));
    EXPECT_LINE(carol, irc(QStringLiteral(":bob!~gc@groupchat PRIVMSG #general :ab中文.*")));
    QVERIFY(carol->lines().filter(QRegularExpression(QStringLiteral("PRIVMSG #general :\\r$"))).isEmpty());
}

void tst_IrcServer::multilineConcatWithoutValue_data()
{
    // draft/multiline-concat has no value; an empty one is none (IRCv3 message-tags). With a
    // value the batch is refused (tst_irchostile multilineRefusals).
    QTest::addColumn<QByteArray>("tag");
    QTest::newRow("no value") << QByteArray("draft/multiline-concat");
    QTest::newRow("empty value") << QByteArray("draft/multiline-concat=");
}

void tst_IrcServer::multilineConcatWithoutValue()
{
    QFETCH(QByteArray, tag);
    auto alice =
            joinIrc(m_ircPort, QStringLiteral("alice"), QStringLiteral("batch message-tags draft/multiline"));
    QVERIFY(alice);
    auto bob =
            joinIrc(m_ircPort, QStringLiteral("bob"), QStringLiteral("batch message-tags draft/multiline"));
    QVERIFY(bob);
    auto dave = joinJson2(m_port, QStringLiteral("dave"));
    QVERIFY(dave);
    EXPECT_LINE(alice, irc(QStringLiteral(":dave!~gc@groupchat JOIN #general")));
    alice->sendLine("BATCH +c draft/multiline #general\r\n@batch=c PRIVMSG #general :hello \r\n@batch=c;" +
                    tag + " PRIVMSG #general :world\r\nBATCH -c\r");
    EXPECT_JSON(dave, QStringLiteral("message"),
                [](const QJsonObject &m) { return m.value(u"text").toString() == u"hello world"; });
    EXPECT_LINE(bob, irc(QStringLiteral("@batch=ml\\d+ :alice!~gc@groupchat PRIVMSG #general :hello ")));
    EXPECT_LINE(
            bob,
            irc(QStringLiteral(
                    "@batch=ml\\d+;draft/multiline-concat :alice!~gc@groupchat PRIVMSG #general :world")));
}

void tst_IrcServer::multilineAction_data()
{
    // A /me of several lines. From an IRC client it is a batch whose lines, joined, are one
    // CTCP ACTION (IRCv3 draft/multiline's combined message value): "\1ACTION " opens the first
    // line, "\1" closes the last (or is left off, as CTCP allows, or has a line of its own).
    // It reaches IRC clients with draft/multiline the same way, IRC clients without it as one
    // CTCP ACTION per line (no blank ones), JSON clients as one action with line feeds.
    QTest::addColumn<bool>("fromJson");
    QTest::addColumn<QByteArray>("sent"); // the batch's lines, or the JSON action's text
    QTest::addColumn<QString>("text"); // the action JSON clients get
    QTest::addColumn<QStringList>("batched"); // the batch's PRIVMSG texts; '+': concat
    QTest::addColumn<QStringList>("fallback"); // the PRIVMSG texts without draft/multiline
    const QByteArray open = "\x01"
                            "ACTION ";
    const QString action = QStringLiteral("\x01"
                                          "ACTION ");
    const QStringList twoLines{ action + u"waves", QStringLiteral("and smiles\x01") };
    const QStringList twoFallback{ action + u"waves\x01", action + u"and smiles\x01" };
    QTest::newRow("IRC: two lines") << false
                                    << QByteArray(open + "waves\n"
                                                         "and smiles\x01")
                                    << QStringLiteral("waves\nand smiles") << twoLines << twoFallback;
    QTest::newRow("IRC: without the closing \\1")
            << false
            << QByteArray(open + "waves\n"
                                 "and smiles")
            << QStringLiteral("waves\nand smiles") << twoLines << twoFallback;
    QTest::newRow("IRC: \\1 on a line of its own")
            << false
            << QByteArray(open + "waves\n"
                                 "and smiles\n\x01")
            << QStringLiteral("waves\nand smiles") << twoLines << twoFallback;
    QTest::newRow("IRC: \\1ACTION and \\1 on lines of their own")
            << false
            << QByteArray("\x01"
                          "ACTION\nwaves\nand smiles\n\x01")
            << QStringLiteral("waves\nand smiles") << twoLines << twoFallback;
    QTest::newRow("IRC: a line continued")
            << false << QByteArray(open + "waves at \n+everyone\x01") << QStringLiteral("waves at everyone")
            << QStringList{ action + u"waves at ", QStringLiteral("+everyone\x01") }
            << QStringList{ action + u"waves at \x01", action + u"everyone\x01" };
    QTest::newRow("IRC: a blank line")
            << false << QByteArray(open + "one\n\nthree\x01") << QStringLiteral("one\n\nthree")
            << QStringList{ action + u"one", QString(), QStringLiteral("three\x01") }
            << QStringList{ action + u"one\x01", action + u"three\x01" };
    QTest::newRow("JSON: two lines") << true << QByteArray("waves\nand smiles")
                                     << QStringLiteral("waves\nand smiles") << twoLines << twoFallback;
}

void tst_IrcServer::multilineAction()
{
    QFETCH(bool, fromJson);
    QFETCH(QByteArray, sent);
    QFETCH(QString, text);
    QFETCH(QStringList, batched);
    QFETCH(QStringList, fallback);
    const QString sender = fromJson ? QStringLiteral("erin") : QStringLiteral("alice");
    std::unique_ptr<TestClient> from =
            fromJson ? joinJson2(m_port, sender)
                     : joinIrc(m_ircPort, sender, QStringLiteral("batch message-tags draft/multiline"));
    QVERIFY(from);
    auto bob =
            joinIrc(m_ircPort, QStringLiteral("bob"), QStringLiteral("batch message-tags draft/multiline"));
    QVERIFY(bob);
    auto carol = joinIrc(m_ircPort, QStringLiteral("carol"));
    QVERIFY(carol);
    auto dave = joinJson2(m_port, QStringLiteral("dave"));
    QVERIFY(dave);
    EXPECT_LINE(carol, irc(QStringLiteral(":dave!~gc@groupchat JOIN #general")));
    if (fromJson) {
        from->sendLine(QJsonDocument(QJsonObject{ { QStringLiteral("type"), QStringLiteral("action") },
                                                  { QStringLiteral("room"), QStringLiteral("#general") },
                                                  { QStringLiteral("text"), QString::fromUtf8(sent) } })
                               .toJson(QJsonDocument::Compact));
    } else {
        QByteArray batch = "BATCH +a draft/multiline #general\r\n";
        for (const QByteArray &line : sent.split('\n')) {
            const bool concat = line.startsWith('+');
            batch += QByteArray(concat ? "@batch=a;draft/multiline-concat" : "@batch=a") +
                     " PRIVMSG #general :" + (concat ? line.mid(1) : line) + "\r\n";
        }
        from->sendLine(batch + "BATCH -a\r");
    }
    EXPECT_JSON(dave, QStringLiteral("message"), [&](const QJsonObject &m) {
        return m.value(u"kind").toString() == u"action" && m.value(u"text").toString() == text;
    });

    const QString source = QStringLiteral(":%1!~gc@groupchat PRIVMSG #general :").arg(sender);
    EXPECT_LINE(bob,
                irc(QStringLiteral("@msgid=\\d+ :%1!~gc@groupchat BATCH \\+ml\\d+ draft/multiline #general")
                            .arg(sender)));
    const qsizetype first = bob->readPosition();
    EXPECT_LINE(bob, irc(QStringLiteral(":%1!~gc@groupchat BATCH -ml\\d+").arg(sender)));
    const QStringList lines = bob->lines().mid(first, bob->readPosition() - first - 1);
    QCOMPARE(lines.size(), batched.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const bool concat = batched.at(i).startsWith(u'+');
        const QString expected = concat ? batched.at(i).mid(1) : batched.at(i);
        const QString &line = lines.at(i);
        QCOMPARE(line.section(u' ', 0, 0).contains(QLatin1String("draft/multiline-concat")), concat);
        QCOMPARE(line.section(u' ', 1), source.mid(0) + expected + u'\r');
    }
    for (const QString &line : fallback)
        EXPECT_LINE(carol, source + line + u'\r');
    carol->sendLine("PING :done\r");
    EXPECT_LINE(carol, irc(QStringLiteral(":groupchat PONG groupchat :?done")));
    QCOMPARE(carol->lines().filter(source).size(), fallback.size());
}

void tst_IrcServer::multilineInChathistory()
{
    // A multi-line message in a CHATHISTORY reply: a draft/multiline batch nested in the
    // chathistory batch for a client with the capability, PRIVMSG lines in it for one without.
    auto alice = joinIrc(m_ircPort, QStringLiteral("alice"),
                         QStringLiteral("batch echo-message message-tags server-time draft/multiline "
                                        "draft/chathistory"));
    QVERIFY(alice);
    alice->sendLine("BATCH +a draft/multiline #general\r\n@batch=a PRIVMSG #general :one\r\n"
                    "@batch=a PRIVMSG #general :two\r\nBATCH -a\r");
    EXPECT_LINE(alice, irc(QStringLiteral(":alice!~gc@groupchat BATCH -ml\\d+")));
    alice->sendLine("CHATHISTORY LATEST #general * 10\r");
    QString outer;
    EXPECT_LINE_AS(outer, alice, irc(QStringLiteral(":groupchat BATCH \\+(\\S+) chathistory #general")));
    const QString ch = outer.section(u'+', 1).section(u' ', 0, 0);
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=%1;time=\\S+;msgid=\\d+ :alice!~gc@groupchat BATCH "
                                          "\\+ml\\d+ draft/multiline #general")
                                   .arg(ch)));
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=ml\\d+ :alice!~gc@groupchat PRIVMSG #general :one")));
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=ml\\d+ :alice!~gc@groupchat PRIVMSG #general :two")));
    EXPECT_LINE(alice, irc(QStringLiteral("@batch=%1 :alice!~gc@groupchat BATCH -ml\\d+").arg(ch)));
    EXPECT_LINE(alice, irc(QStringLiteral(":groupchat BATCH -%1").arg(ch)));

    auto bob = joinIrc(m_ircPort, QStringLiteral("bob"),
                       QStringLiteral("batch message-tags server-time draft/chathistory"));
    QVERIFY(bob);
    bob->sendLine("CHATHISTORY LATEST #general * 10\r");
    EXPECT_LINE_AS(outer, bob, irc(QStringLiteral(":groupchat BATCH \\+(\\S+) chathistory #general")));
    const QString ch2 = outer.section(u'+', 1).section(u' ', 0, 0);
    EXPECT_LINE(bob, irc(QStringLiteral(
                                 "@batch=%1;time=\\S+;msgid=\\d+ :alice!~gc@groupchat PRIVMSG #general :one")
                                 .arg(ch2)));
    EXPECT_LINE(
            bob,
            irc(QStringLiteral("@batch=%1;time=\\S+ :alice!~gc@groupchat PRIVMSG #general :two").arg(ch2)));
    EXPECT_LINE(bob, irc(QStringLiteral(":groupchat BATCH -%1").arg(ch2)));
}

QTEST_GUILESS_MAIN(tst_IrcServer)
#include "tst_ircserver.moc"
