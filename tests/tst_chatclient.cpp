// The client core (ChatConnection, ChatClient and its models) against the real server on
// loopback.
#include "chatclient.h"
#include "chatlimits.h"
#include "chatserver.h"
#include "clientsession.h"
#include "clienttestfixture.h"
#include "expect.h"
#include "nickrules.h"
#include "testclient.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

QStringList texts(const MessageModel &model, ChatEntry::Kind kind)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.entry(row).kind == kind)
            result.append(model.entry(row).text);
    }
    return result;
}

QList<quint64> messageIds(const MessageModel &model)
{
    QList<quint64> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.entry(row).id != 0)
            ids.append(model.entry(row).id);
    }
    return ids;
}

} // namespace

class tst_ChatClient : public QObject, public ClientTestFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void helloAndWelcome();
    void messagesArriveInOrder();
    void olderPrivateMessagesOnRequest();
    void slashCommands();
    void nickChange();
    void privateMessages();
    void htmlStaysText();
    void resumesAfterDropWithoutGapOrDuplicate();
    void serverShutdownAndComingBack();
    void failures_data();
    void failures();
    void refusedPort();
    void failedAttemptsStayOutOfTheConversation();
    void unknownHost();
    void wrongProtocol();
    void silentServerIsNoticed();
    void modelsPassTheTester();
    void largeRoomHidesTheList();
    void password_data();
    void password();
    void answersServerPings();
    void fallingBehindCatchesUpToTheTruth();
    void kickedStaysDisconnectedUntilAskedTo();
    void bannedStopsForGood();
    void roomsAreConversations();
    void roomsComeBackAfterAReconnect();
    void theDefaultRoomIsTheServers();
    void joiningShowsWhatWasSaidAndPrivatesComeBackOnce();
    void mentions_data();
    void mentions();
    void replayedHistoryIsNotUnread();
    void recentLinesComeBeforeTheJoin();
    void privateToSomeoneOfflineSaysSo();
    void joinChecksTheRoomNameItself();
};

void tst_ChatClient::initTestCase()
{
    // Identities, pins and remembered rooms go to a private home, not to the user's.
    QVERIFY(setUpHome());
}

void tst_ChatClient::init()
{
    QVERIFY(startServer());
}

void tst_ChatClient::cleanup()
{
    stopServer();
}

void tst_ChatClient::helloAndWelcome()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    const ChatConnection *connection = client->connection();
    QCOMPARE(connection->state(), ChatConnection::State::Connected);
    QCOMPARE(connection->nick(), QStringLiteral("alice"));
    QCOMPARE(connection->limits().maxLineBytes, 4096);
    QVERIFY(connection->serverName().startsWith(QStringLiteral("groupchat on ")));
    QCOMPARE(client->users()->nicks(), QStringList{ QStringLiteral("alice") });
    QCOMPARE(client->maxLineBytes(), 4096);
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Status)
                    .constFirst()
                    .startsWith(QStringLiteral("Connected to")));
}

void tst_ChatClient::messagesArriveInOrder()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    QCOMPARE(client->users()->nicks(), (QStringList{ QStringLiteral("alice"), QStringLiteral("bob") }));
    for (int i = 0; i < 50; ++i) {
        if (i % 2)
            bob->sendLine("bob " + QByteArray::number(i));
        else
            QVERIFY(client->submit(QStringLiteral("alice %1").arg(i)));
    }
    MessageModel &model = *client->messages();
    QTRY_COMPARE(texts(model, ChatEntry::Kind::Message).size(), 50);
    // Alice's own lines show at once where she typed them and keep their place when the echo
    // settles them, so the ids are in order within each side's lines, and every message is
    // there once.
    QTRY_VERIFY(client->outbox().messages().isEmpty());
    QList<quint64> ownIds;
    QList<quint64> otherIds;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.entry(row).id != 0)
            (model.entry(row).own ? ownIds : otherIds).append(model.entry(row).id);
    }
    QCOMPARE(ownIds.size() + otherIds.size(), 50);
    QVERIFY(std::is_sorted(ownIds.begin(), ownIds.end()));
    QVERIFY(std::is_sorted(otherIds.begin(), otherIds.end()));
    const QList<quint64> ids = messageIds(model);
    QCOMPARE(QSet<quint64>(ids.begin(), ids.end()).size(), ids.size());
    // Each side's lines keep their order.
    const QStringList all = texts(model, ChatEntry::Kind::Message);
    QCOMPARE(all.filter(QStringLiteral("alice ")).constFirst(), QStringLiteral("alice 0"));
    QCOMPARE(all.filter(QStringLiteral("bob ")).constLast(), QStringLiteral("bob 49"));
    int own = 0;
    for (int row = 0; row < model.rowCount(); ++row)
        own += model.entry(row).own ? 1 : 0;
    QCOMPARE(own, 25);
}

void tst_ChatClient::slashCommands()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    QVERIFY(client->submit(QStringLiteral("/me waves")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("\\* alice waves$")));
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Action), QStringList{ QStringLiteral("waves") });

    QVERIFY(client->submit(QStringLiteral("//etc/hosts")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("alice: /etc/hosts$")));

    QVERIFY(client->submit(QStringLiteral("/who")));
    const QString who = texts(*client->messages(), ChatEntry::Kind::Status).constLast();
    QVERIFY2(who.startsWith(QStringLiteral("2 here: alice")) && who.endsWith(QStringLiteral("bob")),
             qPrintable(who));
    QVERIFY(client->submit(QStringLiteral("/help")));
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Status)
                    .constLast()
                    .contains(QStringLiteral("/msg NICK TEXT")));
    QVERIFY(!client->submit(QStringLiteral("/dance")));
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Error)
                    .constLast()
                    .contains(QStringLiteral("/dance")));
    QVERIFY(!client->submit(QStringLiteral("/msg bob")));
    QVERIFY(!client->submit(QStringLiteral("   ")));
    // The input is measured as the request it becomes, with its client id (a UUID).
    QCOMPARE(client->lineBytes(QStringLiteral("hi")),
             qsizetype(QByteArray(R"({"type":"say","text":"hi","cid":""})").size() + 36));
    QVERIFY(!client->submit(QString(5000, u'x')));
    // Said in characters, as the user counts: 5000 typed, about 4072 of them fit.
    QVERIFY2(texts(*client->messages(), ChatEntry::Kind::Error)
                     .constLast()
                     .contains(QStringLiteral("5000 characters, and the server takes about %1")
                                       .arg(4096 - client->lineBytes(QString()))),
             qPrintable(texts(*client->messages(), ChatEntry::Kind::Error).constLast()));
    // The size of what is typed: characters, against what fits of text like it.
    QCOMPARE(client->inputSize(QStringLiteral("ca")).characters, 2);
    QCOMPARE(client->inputSize(QStringLiteral("ca")).maxCharacters, 4096 - int(client->lineBytes(QString())));
    QCOMPARE(client->inputSize(QStringLiteral("👨\u200d👩\u200d👧")).characters, 1);
    QVERIFY(!client->inputSize(QString(5000, u'x')).fits);

    QSignalSpy state(client->connection(), &ChatConnection::stateChanged);
    QVERIFY(client->submit(QStringLiteral("/quit see you")));
    QCOMPARE(client->connection()->state(), ChatConnection::State::Disconnected);
    EXPECT_LINE(bob, QStringLiteral("* alice left (quit: see you)"));
}

void tst_ChatClient::nickChange()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    QSignalSpy nick(client->connection(), &ChatConnection::nickChanged);
    QVERIFY(client->submit(QStringLiteral("/nick alicia")));
    QVERIFY(nick.wait());
    QCOMPARE(client->connection()->nick(), QStringLiteral("alicia"));
    QCOMPARE(client->users()->nicks(), (QStringList{ QStringLiteral("alicia"), QStringLiteral("bob") }));
    QVERIFY(client->users()->index(0).data(UserListModel::IsSelfRole).toBool());
    QVERIFY(client->submit(QStringLiteral("/nick BOB")));
    QTRY_VERIFY(!texts(*client->messages(), ChatEntry::Kind::Error).isEmpty());
    // Said in the client's words (translated), not the server's English.
    QCOMPARE(texts(*client->messages(), ChatEntry::Kind::Error).constLast(),
             QStringLiteral("Someone on this server already uses the nick BOB. Choose another one."));
    QVERIFY(client->submit(QStringLiteral("/nick b0b")));
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Error).size(), 2);
    QCOMPARE(texts(*client->messages(), ChatEntry::Kind::Error).constLast(),
             QStringLiteral("The nick b0b looks like bob, which someone on this server uses, so it could be "
                            "taken for them. Choose another one."));
    QVERIFY(client->submit(QStringLiteral("/nick a b")));
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Error).size(), 3);
    QVERIFY2(texts(*client->messages(), ChatEntry::Kind::Error).constLast().contains(NickRules::ruleText()),
             qPrintable(texts(*client->messages(), ChatEntry::Kind::Error).constLast()));
    bob->sendLine("/nick robert");
    QTRY_COMPARE(client->users()->nicks(),
                 (QStringList{ QStringLiteral("alicia"), QStringLiteral("robert") }));
}

void tst_ChatClient::roomsAreConversations()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    ConversationListModel *list = client->conversations();
    QAbstractItemModelTester tester(list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(list->rowCount(), 1);
    QCOMPARE(client->current()->name, QStringLiteral("#general"));
    QSignalSpy currentChanged(client.get(), &ChatClient::currentChanged);
    QVERIFY(client->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(client->current()->name, QStringLiteral("#dev"));
    QCOMPARE(list->rowCount(), 2);
    bob->sendLine("/join #dev");
    QTRY_COMPARE(client->current()->users->nicks(),
                 (QStringList{ QStringLiteral("alice"), QStringLiteral("bob") }));
    // What alice types goes to the room she looks at.
    QVERIFY(client->submit(QStringLiteral("builds are green")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("\\[#dev\\] alice: builds are green$")));
    QVERIFY(client->submit(QStringLiteral("/topic release friday")));
    QTRY_COMPARE(client->current()->topic, QStringLiteral("release friday"));
    // Back in #general: #dev counts what arrives, and marks a mention.
    QVERIFY(client->setCurrent(QStringLiteral("#general")));
    QSignalSpy attention(client.get(), &ChatClient::attentionWanted);
    bob->sendLine("/switch #dev");
    bob->sendLine("alice, look at this");
    Conversation *dev = list->find(QStringLiteral("#dev"));
    QTRY_COMPARE(dev->messages->unreadCount(), 1);
    QVERIFY(dev->mentioned);
    QCOMPARE(attention.count(), 1);
    // Which conversation, who and where, and the message.
    QCOMPARE(attention.at(0).at(0).toString(), QStringLiteral("#dev"));
    QCOMPARE(attention.at(0).at(1).toString(), QStringLiteral("bob mentioned you in #dev"));
    QCOMPARE(attention.at(0).at(2).toString(), QStringLiteral("alice, look at this"));
    const QModelIndex devRow = list->index(list->rowOf(QStringLiteral("#dev")));
    QCOMPARE(devRow.data(ConversationListModel::UnreadRole).toInt(), 1);
    QVERIFY(devRow.data(ConversationListModel::MentionedRole).toBool());
    QVERIFY2(devRow.data().toString().contains(QLatin1String("@1")), qPrintable(devRow.data().toString()));
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Message).isEmpty());
    // Muted: counted, but no notification.
    client->setMuted(QStringLiteral("#dev"), true);
    bob->sendLine("alice again");
    QTRY_COMPARE(dev->messages->unreadCount(), 2);
    QCOMPARE(attention.count(), 1);
    // Leaving: the server is told, the conversation goes.
    client->closeConversation(QStringLiteral("#dev"));
    EXPECT_LINE(bob, QStringLiteral("* alice left #dev"));
    QCOMPARE(list->rowCount(), 1);
    QVERIFY(currentChanged.count() >= 2);
}

void tst_ChatClient::theDefaultRoomIsTheServers()
{
    // A server whose default room is not #general: the client's first conversation is it.
    m_server.reset();
    m_server = std::make_unique<ChatServer>();
    QVERIFY(m_server->setDefaultRoom(QStringLiteral("#lobby")));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    QCOMPARE(client->conversations()->rowCount(), 1);
    QCOMPARE(client->current()->name, QStringLiteral("#lobby"));
    bob->sendLine("hello lobby");
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Message),
                 QStringList{ QStringLiteral("hello lobby") });
    QCOMPARE(client->conversations()->rowCount(), 1);
}

void tst_ChatClient::roomsComeBackAfterAReconnect()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    QVERIFY(client->submit(QStringLiteral("/join #ops")));
    QTRY_COMPARE(client->current()->name, QStringLiteral("#ops"));
    QVERIFY(client->submit(QStringLiteral("said before the drop")));
    QTRY_COMPARE(texts(*client->current()->messages, ChatEntry::Kind::Message).size(), 1);
    // The connection drops; the server sees the person leave #ops and come back in one hello.
    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    const QList<ClientSession *> sessions = m_server->clients();
    QCOMPARE(sessions.size(), 1);
    sessions.constFirst()->abort(QStringLiteral("test drop"));
    QVERIFY(welcomed.wait(5000));
    QTRY_COMPARE(m_server->roomsOf(m_server->findClient(QStringLiteral("alice"))),
                 (QStringList{ QStringLiteral("#general"), QStringLiteral("#ops") }));
    // Nothing twice.
    QCOMPARE(texts(*client->conversations()->find(QStringLiteral("#ops"))->messages, ChatEntry::Kind::Message)
                     .size(),
             1);
    // The same identity: private history stays the user's.
    QCOMPARE(ChatConnection::identityFor(QStringLiteral("127.0.0.1"), m_server->serverPort()).size(), 64);
}

void tst_ChatClient::joiningShowsWhatWasSaidAndPrivatesComeBackOnce()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    bob->sendLine("/join #dev");
    bob->sendLine("first in dev");
    bob->sendLine("second in dev");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("second in dev$")));
    // Joining shows the room's recent lines.
    QVERIFY(client->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(client->current()->name, QStringLiteral("#dev"));
    QTRY_COMPARE(texts(*client->current()->messages, ChatEntry::Kind::Message),
                 (QStringList{ QStringLiteral("first in dev"), QStringLiteral("second in dev") }));
    // A private conversation, then a dropped connection: it comes back whole, nothing twice.
    QVERIFY(client->submit(QStringLiteral("/msg bob are you there?")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("alice -> bob: are you there\\?$")));
    bob->sendLine("/msg alice yes");
    QTRY_VERIFY(client->conversations()->find(QStringLiteral("bob")));
    const Conversation *withBob = client->conversations()->find(QStringLiteral("bob"));
    QTRY_COMPARE(texts(*withBob->messages, ChatEntry::Kind::Private).size(), 2);
    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    m_server->findClient(QStringLiteral("alice"))->abort(QStringLiteral("test drop"));
    QVERIFY(welcomed.wait(5000));
    bob->sendLine("/msg alice after the drop");
    QTRY_VERIFY2(texts(*withBob->messages, ChatEntry::Kind::Private).size() >= 3,
                 qPrintable(texts(*withBob->messages, ChatEntry::Kind::Private).join(u'|')));
    QTRY_COMPARE(texts(*withBob->messages, ChatEntry::Kind::Private),
                 (QStringList{ QStringLiteral("are you there?"), QStringLiteral("yes"),
                               QStringLiteral("after the drop") }));
}

void tst_ChatClient::privateMessages()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    QSignalSpy attention(client.get(), &ChatClient::attentionWanted);
    QVERIFY(client->submit(QStringLiteral("/msg bob lunch?")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("\\(private\\) alice -> bob: lunch\\?$")));
    bob->sendLine("/msg alice yes!");
    // A conversation of its own, beside the room, with both lines.
    QTRY_VERIFY(client->conversations()->find(QStringLiteral("bob")));
    const Conversation *withBob = client->conversations()->find(QStringLiteral("bob"));
    QCOMPARE(withBob->kind, Conversation::Kind::Private);
    QTRY_COMPARE(texts(*withBob->messages, ChatEntry::Kind::Private).size(), 2);
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Private).isEmpty());
    const ChatEntry &reply = withBob->messages->entry(withBob->messages->rowCount() - 1);
    QCOMPARE(reply.nick, QStringLiteral("bob"));
    QCOMPARE(reply.target, QStringLiteral("alice"));
    QVERIFY(!reply.own);
    QCOMPARE(withBob->messages->unreadCount(), 1);
    QCOMPARE(attention.count(), 1);
    QCOMPARE(attention.at(0).at(0).toString(), QStringLiteral("bob"));
    QCOMPARE(attention.at(0).at(1).toString(), QStringLiteral("Private message from bob"));
    QCOMPARE(attention.at(0).at(2).toString(), QStringLiteral("yes!"));
    const MessageModel &model = *client->messages();
    bob->sendLine("hey ALICE, look");
    QTRY_COMPARE(attention.count(), 2);
    QVERIFY(model.entry(model.rowCount() - 1).mentionsMe);
    bob->sendLine("malice is not a mention");
    QTRY_COMPARE(texts(model, ChatEntry::Kind::Message).size(), 2);
    QVERIFY(!model.entry(model.rowCount() - 1).mentionsMe);
}

void tst_ChatClient::htmlStaysText()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    bob->sendLine("<b>hi</b> <img src=http://127.0.0.1:1/x.png>");
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Message),
                 QStringList{ QStringLiteral("<b>hi</b> <img src=http://127.0.0.1:1/x.png>") });
}

void tst_ChatClient::resumesAfterDropWithoutGapOrDuplicate()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    for (int i = 0; i < 5; ++i)
        bob->sendLine("before " + QByteArray::number(i));
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Message).size(), 5);

    // The server drops alice; while she is away bob goes on talking.
    QSignalSpy lost(client->connection(), &ChatConnection::connectionLost);
    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    m_server->findClient(QStringLiteral("alice"))->abort(QStringLiteral("test drop"));
    QVERIFY(lost.wait());
    QCOMPARE(client->connection()->state(), ChatConnection::State::WaitingToReconnect);
    QVERIFY(client->users()->nicks().isEmpty());
    for (int i = 0; i < 5; ++i)
        bob->sendLine("during " + QByteArray::number(i));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("bob: during 4$")));

    // The reconnect may well have happened while bob was talking.
    QTRY_VERIFY_WITH_TIMEOUT(welcomed.count() >= 1, 5000);
    QCOMPARE(welcomed.constLast().at(1).toBool(), true);
    for (int i = 0; i < 5; ++i)
        bob->sendLine("after " + QByteArray::number(i));
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Message).size(), 15);
    QStringList expected;
    for (const char *phase : { "before", "during", "after" }) {
        for (int i = 0; i < 5; ++i)
            expected.append(QStringLiteral("%1 %2").arg(QLatin1String(phase)).arg(i));
    }
    QCOMPARE(texts(*client->messages(), ChatEntry::Kind::Message), expected);
    const QList<quint64> ids = messageIds(*client->messages());
    for (qsizetype i = 1; i < ids.size(); ++i)
        QCOMPARE(ids.at(i), ids.at(i - 1) + 1);
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Status).contains(QStringLiteral("Reconnected.")));
    QCOMPARE(client->users()->nicks(), (QStringList{ QStringLiteral("alice"), QStringLiteral("bob") }));
}

void tst_ChatClient::serverShutdownAndComingBack()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    const quint16 port = m_server->serverPort();
    QSignalSpy lost(client->connection(), &ChatConnection::connectionLost);
    QSignalSpy stopped(m_server.get(), &ChatServer::stopped);
    m_server->stop();
    QVERIFY(lost.wait());
    QCOMPARE(lost.constFirst().at(0).toString(), QStringLiteral("The server shut down."));
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Status)
                    .contains(QStringLiteral("The server is shutting down.")));
    QVERIFY(stopped.count() == 1 || stopped.wait());

    // Attempts fail while it is down, and the client keeps trying.
    QSignalSpy countdown(client->connection(), &ChatConnection::reconnectCountdown);
    QTRY_VERIFY(countdown.count() >= 2);
    QCOMPARE(client->connection()->state(), ChatConnection::State::WaitingToReconnect);
    QVERIFY(client->connection()->lastError().contains(QStringLiteral("Nothing is accepting connections")));

    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, port));
    QVERIFY(welcomed.wait(5000));
    QCOMPARE(client->connection()->state(), ChatConnection::State::Connected);
}

void tst_ChatClient::failures_data()
{
    QTest::addColumn<QString>("nick");
    QTest::addColumn<int>("maxClients");
    QTest::addColumn<ChatConnection::Failure>("failure");
    QTest::addColumn<QString>("words");
    QTest::newRow("nick taken") << QStringLiteral("BOB") << 10 << ChatConnection::Failure::NickTaken
                                << QStringLiteral("already uses the nick BOB");
    // What is wrong is said, the character named: what the server refused, in the user's words.
    QTest::newRow("invalid nick")
            << QStringLiteral("a b") << 10 << ChatConnection::Failure::InvalidNick
            << QStringLiteral("The nick \"a b\" has a character nicks cannot have: U+0020 SPACE.");
    QTest::newRow("invisible nick") << QStringLiteral("bob\u3164") << 10
                                    << ChatConnection::Failure::InvalidNick
                                    << QStringLiteral("has an invisible character: U+3164 HANGUL FILLER.");
    // A look-alike names the nick it looks like.
    QTest::newRow("look-alike nick")
            << QStringLiteral("b0b") << 10 << ChatConnection::Failure::NickTaken
            << QStringLiteral("The nick b0b looks like bob, which someone on this server uses");
    QTest::newRow("server full") << QStringLiteral("alice") << 1 << ChatConnection::Failure::ServerFull
                                 << QStringLiteral("The server is full");
}

void tst_ChatClient::failures()
{
    QFETCH(QString, nick);
    QFETCH(int, maxClients);
    QFETCH(ChatConnection::Failure, failure);
    QFETCH(QString, words);
    ChatLimits limits;
    limits.maxClients = maxClients;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto bob = plainClient();
    QVERIFY(bob);

    ChatClient client;
    QSignalSpy failed(client.connection(), &ChatConnection::connectFailed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), nick);
    QVERIFY(failed.wait());
    QCOMPARE(failed.constFirst().at(0).value<ChatConnection::Failure>(), failure);
    QVERIFY2(failed.constFirst().at(1).toString().contains(words),
             qPrintable(failed.constFirst().at(1).toString()));
    QCOMPARE(client.connection()->state(), ChatConnection::State::Disconnected);
}

void tst_ChatClient::refusedPort()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    ChatClient client;
    QSignalSpy failed(client.connection(), &ChatConnection::connectFailed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), port, QStringLiteral("alice"));
    QVERIFY(failed.wait());
    QCOMPARE(failed.constFirst().at(0).value<ChatConnection::Failure>(), ChatConnection::Failure::Refused);
    QVERIFY(failed.constFirst().at(1).toString().contains(
            QStringLiteral("Check that the server is running")));
}

// Issue 15: the first conversation opened with red errors of the attempts that failed in the
// connect dialog. Those are the dialog's (connectFailed); the conversation starts clean. A
// reconnect that gives up after a welcome is the conversation's own story (kickedStopsReconnecting).
void tst_ChatClient::failedAttemptsStayOutOfTheConversation()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    m_server = std::make_unique<ChatServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto bob = plainClient();
    QVERIFY(bob);
    bob->sendLine("/nick alice");
    EXPECT_LINE(*bob, QRegularExpression(QStringLiteral("^\\* bob is now known as alice$")));

    ChatClient client;
    QSignalSpy failed(client.connection(), &ChatConnection::connectFailed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), closedPort, QStringLiteral("alice"));
    QVERIFY(failed.wait());
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                         QStringLiteral("alice"));
    QVERIFY(failed.wait());
    QCOMPARE(failed.size(), 2);
    QCOMPARE(failed.constLast().at(0).value<ChatConnection::Failure>(), ChatConnection::Failure::NickTaken);
    QSignalSpy welcomed(client.connection(), &ChatConnection::welcomed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                         QStringLiteral("carol"));
    QVERIFY(welcomed.wait());
    QCOMPARE(texts(*client.messages(), ChatEntry::Kind::Error), QStringList{});
}

void tst_ChatClient::unknownHost()
{
    // .invalid never resolves (RFC 2606).
    ChatClient client;
    QSignalSpy failed(client.connection(), &ChatConnection::connectFailed);
    client.connection()->connectToServer(QStringLiteral("no-such-host.invalid"), 6666,
                                         QStringLiteral("alice"));
    QVERIFY(failed.wait(15000));
    const auto failure = failed.constFirst().at(0).value<ChatConnection::Failure>();
    if (failure == ChatConnection::Failure::TimedOut)
        QSKIP("this machine's resolver does not answer");
    QCOMPARE(failure, ChatConnection::Failure::HostNotFound);
    QVERIFY(failed.constFirst().at(1).toString().contains(QStringLiteral("could not be found")));
}

void tst_ChatClient::wrongProtocol()
{
    // Something that accepts connections and answers, but not with a welcome.
    QTcpServer other;
    QVERIFY(other.listen(QHostAddress::LocalHost, 0));
    connect(&other, &QTcpServer::newConnection, this, [&other] {
        QTcpSocket *socket = other.nextPendingConnection();
        socket->write("SSH-2.0-OpenSSH_9.2\r\n");
    });
    ChatClient client;
    client.connection()->setHandshakeTimeout(300);
    QSignalSpy failed(client.connection(), &ChatConnection::connectFailed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), other.serverPort(),
                                         QStringLiteral("alice"));
    QVERIFY(failed.wait());
    QCOMPARE(failed.constFirst().at(0).value<ChatConnection::Failure>(),
             ChatConnection::Failure::WrongProtocol);
    QVERIFY(failed.constFirst().at(1).toString().contains(
            QStringLiteral("does not answer like a groupchat server")));
}

void tst_ChatClient::silentServerIsNoticed()
{
    // Welcomes, then never says another word: a server behind a dead link.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    connect(&silent, &QTcpServer::newConnection, this, [&silent] {
        QTcpSocket *socket = silent.nextPendingConnection();
        socket->write(
                R"({"type":"welcome","version":1,"nick":"alice","token":"t","lastId":0,"users":[],"history":[]})"
                "\n");
    });
    ChatClient client;
    client.connection()->setKeepAlive(100, 350);
    client.connection()->setReconnectDelays(10000, 10000);
    QSignalSpy welcomed(client.connection(), &ChatConnection::welcomed);
    QSignalSpy lost(client.connection(), &ChatConnection::connectionLost);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), silent.serverPort(),
                                         QStringLiteral("alice"));
    QVERIFY(welcomed.wait());
    QVERIFY(lost.wait(3000));
    QCOMPARE(lost.constFirst().at(0).toString(), QStringLiteral("The server stopped answering."));
    QCOMPARE(client.connection()->state(), ChatConnection::State::WaitingToReconnect);
    QCOMPARE(client.connection()->secondsUntilReconnect(), 10);
}

void tst_ChatClient::modelsPassTheTester()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    QAbstractItemModelTester messages(client->messages(),
                                      QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester users(client->users(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    auto bob = plainClient();
    QVERIFY(bob);
    bob->sendLine("hello");
    bob->sendLine("/nick robert");
    bob->sendLine("quit");
    QTRY_VERIFY(texts(*client->messages(), ChatEntry::Kind::Leave).size() == 1);
    QCOMPARE(client->users()->nicks(), QStringList{ QStringLiteral("alice") });
}

void tst_ChatClient::largeRoomHidesTheList()
{
    ChatLimits limits;
    limits.presenceLimit = 2;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto client = connectedClient(QStringLiteral("alice"));
    auto bob = plainClient();
    QVERIFY(client && bob);
    QTRY_COMPARE(client->users()->rowCount(), 2);
    QSignalSpy presence(client.get(), &ChatClient::presenceChanged);
    auto carol = std::make_unique<TestClient>();
    QVERIFY(carol->connectTo(m_server->serverPort()));
    carol->sendLine("/nick carol");
    QVERIFY(presence.wait());
    QVERIFY(!client->presenceLive());
    QCOMPARE(client->onlineCount(), 3);
    QCOMPARE(client->users()->rowCount(), 0);
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Status)
                    .constLast()
                    .contains(QStringLiteral("too many")));
    carol->sendLine("quit");
    QVERIFY(presence.wait());
    QVERIFY(client->presenceLive());
    QCOMPARE(client->users()->nicks(), (QStringList{ QStringLiteral("alice"), QStringLiteral("bob") }));
}

void tst_ChatClient::password_data()
{
    QTest::addColumn<QString>("given");
    QTest::addColumn<bool>("welcomed");
    QTest::addColumn<ChatConnection::Failure>("failure");
    QTest::addColumn<QString>("words");
    QTest::newRow("right") << QStringLiteral("sesame") << true << ChatConnection::Failure::Refused
                           << QString();
    QTest::newRow("none") << QString() << false << ChatConnection::Failure::PasswordRequired
                          << QStringLiteral("This server needs a password");
    QTest::newRow("wrong") << QStringLiteral("open up") << false << ChatConnection::Failure::BadPassword
                           << QStringLiteral("did not accept the password");
}

void tst_ChatClient::password()
{
    QFETCH(QString, given);
    QFETCH(bool, welcomed);
    QFETCH(ChatConnection::Failure, failure);
    QFETCH(QString, words);
    m_server->setPassword(QStringLiteral("sesame"));
    ChatClient client;
    QSignalSpy welcome(client.connection(), &ChatConnection::welcomed);
    QSignalSpy failed(client.connection(), &ChatConnection::connectFailed);
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                         QStringLiteral("alice"), given);
    // A wrong password is answered after a second.
    QTRY_VERIFY_WITH_TIMEOUT(welcome.count() + failed.count() == 1, 5000);
    QCOMPARE(welcome.count(), welcomed ? 1 : 0);
    if (welcomed) {
        QCOMPARE(client.users()->nicks(), QStringList{ QStringLiteral("alice") });
        return;
    }
    QCOMPARE(failed.constFirst().at(0).value<ChatConnection::Failure>(), failure);
    QVERIFY2(failed.constFirst().at(1).toString().contains(words),
             qPrintable(failed.constFirst().at(1).toString()));
    // Neither is retried: the user has to type a (new) password.
    QCOMPARE(client.connection()->state(), ChatConnection::State::Disconnected);
    QTRY_COMPARE(m_server->clientCount(), 0);
}

void tst_ChatClient::answersServerPings()
{
    ChatLimits limits;
    limits.pingIntervalMs = 100;
    limits.pingTimeoutMs = 200;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    QSignalSpy lost(client->connection(), &ChatConnection::connectionLost);
    ClientSession *session = m_server->findClient(QStringLiteral("alice"));
    QVERIFY(session);
    QSignalSpy closed(session, &ClientSession::closed);
    // A client that did not answer would be gone 300 ms after its last word; this one is
    // still talking (pongs) a second and more later.
    const qint64 start = ClientSession::monotonicMs();
    QTRY_VERIFY_WITH_TIMEOUT(closed.count() > 0 || session->lastActivityMs() > start + 1000, 5000);
    QCOMPARE(closed.count(), 0);
    QCOMPARE(lost.count(), 0);
}

void tst_ChatClient::fallingBehindCatchesUpToTheTruth()
{
    ChatLimits limits;
    limits.floodControl = false;
    limits.softSendQueueBytes = 32 * 1024;
    limits.maxSendQueueBytes = 64 * 1024 * 1024;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto carol = connectedClient(QStringLiteral("carol"));
    QVERIFY(carol);
    auto bob = plainClient();
    auto dave = joinPlain(m_server->serverPort());
    QVERIFY(bob && dave);
    QTRY_COMPARE(carol->users()->rowCount(), 3);

    // Carol's window freezes: her socket takes nothing more from the kernel, so her queue on
    // the server grows until she is behind and skipped.
    auto *socket = carol->connection()->findChild<QTcpSocket *>();
    QVERIFY(socket);
    socket->setReadBufferSize(16);
    QSignalSpy fetched(carol->connection(), &ChatConnection::missedMessagesFetched);
    const QByteArray padding(1000, '.');
    int sent = 0;
    ClientSession *session = m_server->findClient(QStringLiteral("carol"));
    while (!session->isLagging() && sent < 20000) {
        for (int i = 0; i < 100; ++i, ++sent)
            bob->sendLine("m" + QByteArray::number(sent) + ' ' + padding);
        EXPECT_LINE(bob, QRegularExpression(QStringLiteral("bob: m%1 ").arg(sent - 1)), 10000);
    }
    QVERIFY(session->isLagging());
    // While she is skipped the room changes: someone leaves, someone comes, a nick changes,
    // and more is said.
    dave->sendLine("/quit");
    auto erin = joinPlain(m_server->serverPort());
    QVERIFY(erin);
    bob->sendLine("/nick robert");
    EXPECT_LINE(bob, QStringLiteral("* bob is now known as robert"));
    for (int i = 0; i < 5; ++i, ++sent)
        bob->sendLine("m" + QByteArray::number(sent) + ' ' + padding);
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("robert: m%1 ").arg(sent - 1)), 10000);
    const quint64 lastId = m_server->lastMessageId();

    // She reads again: the server tells her the room as it is, and she fetches what she missed.
    socket->setReadBufferSize(0);
    QVERIFY(fetched.wait(30000));
    QVERIFY2(fetched.constLast().at(0).toInt() > 0,
             "nothing was missed: the test did not make her fall behind");
    QCOMPARE(fetched.constLast().at(1).toBool(), true);
    QStringList nicks = carol->users()->nicks();
    nicks.sort();
    QCOMPARE(nicks, (QStringList{ QStringLiteral("carol"), erin->nick(), QStringLiteral("robert") }));
    // Every message, none twice, in order, without a gap.
    QTRY_COMPARE_WITH_TIMEOUT(carol->connection()->lastMessageId(), lastId, 10000);
    const QList<quint64> ids = messageIds(*carol->messages());
    QCOMPARE(ids.size(), sent);
    for (qsizetype i = 1; i < ids.size(); ++i)
        QCOMPARE(ids.at(i), ids.at(i - 1) + 1);
    // And what comes next follows them.
    bob->sendLine("after catching up");
    QTRY_VERIFY(texts(*carol->messages(), ChatEntry::Kind::Message)
                        .contains(QStringLiteral("after catching up")));
}

void tst_ChatClient::kickedStaysDisconnectedUntilAskedTo()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    ChatConnection *connection = client->connection();
    QSignalSpy closed(connection, &ChatConnection::closedByServer);
    QSignalSpy welcomed(connection, &ChatConnection::welcomed);
    m_server->kick(m_server->findClient(QStringLiteral("alice")), QStringLiteral("spamming"));
    QVERIFY(closed.wait(5000));
    QCOMPARE(closed.constFirst().at(0).value<ChatConnection::Failure>(), ChatConnection::Failure::Kicked);
    QVERIFY2(closed.constFirst().at(1).toString().contains(QStringLiteral("spamming")),
             qPrintable(closed.constFirst().at(1).toString()));
    QCOMPARE(connection->state(), ChatConnection::State::Disconnected);
    QVERIFY(connection->canReconnect());
    QVERIFY(texts(*client->messages(), ChatEntry::Kind::Error)
                    .constLast()
                    .contains(QStringLiteral("spamming")));
    // Reconnecting takes 50 ms here after a loss: after a kick, nothing happens on its own.
    QVERIFY(!welcomed.wait(500));
    QCOMPARE(connection->state(), ChatConnection::State::Disconnected);
    // By hand, it comes back as the same nick, where it left off.
    connection->reconnect();
    QVERIFY(welcomed.wait(5000));
    QCOMPARE(connection->nick(), QStringLiteral("alice"));
    QVERIFY(!connection->canReconnect());
}

void tst_ChatClient::bannedStopsForGood()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    ChatConnection *connection = client->connection();
    QSignalSpy closed(connection, &ChatConnection::closedByServer);
    QSignalSpy failed(connection, &ChatConnection::connectFailed);
    m_server->ban(QHostAddress::LocalHost);
    QVERIFY(closed.wait(5000));
    QCOMPARE(closed.constFirst().at(0).value<ChatConnection::Failure>(), ChatConnection::Failure::Banned);
    QVERIFY(!connection->canReconnect());
    QCOMPARE(connection->state(), ChatConnection::State::Disconnected);
    // A new attempt is refused, and said to be a ban (not "could not connect"), once.
    connection->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(), QStringLiteral("alice"));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.constFirst().at(0).value<ChatConnection::Failure>(), ChatConnection::Failure::Banned);
    QVERIFY(failed.constFirst().at(1).toString().contains(QStringLiteral("banned")));
    QVERIFY(!failed.wait(500));
    QCOMPARE(connection->state(), ChatConnection::State::Disconnected);
}

void tst_ChatClient::mentions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<bool>("mentioned");
    QTest::newRow("word") << QStringLiteral("hi alice!") << QStringLiteral("alice") << true;
    QTest::newRow("case") << QStringLiteral("ALICE, look") << QStringLiteral("alice") << true;
    QTest::newRow("end of a sentence") << QStringLiteral("ask alice.") << QStringLiteral("alice") << true;
    QTest::newRow("with a colon") << QStringLiteral("alice: hi") << QStringLiteral("alice") << true;
    QTest::newRow("inside a word") << QStringLiteral("malice") << QStringLiteral("alice") << false;
    QTest::newRow("longer nick") << QStringLiteral("alice_b here") << QStringLiteral("alice") << false;
    QTest::newRow("nick with a dot") << QStringLiteral("thanks j.doe.") << QStringLiteral("j.doe") << true;
    QTest::newRow("another normalisation form")
            << QStringLiteral("hola Jose\u0301") << QStringLiteral("Jos\u00e9") << true;
    QTest::newRow("Devanagari") << QStringLiteral("नमस्ते राम") << QStringLiteral("राम") << true;
    QTest::newRow("Chinese") << QStringLiteral("张伟 你好") << QStringLiteral("张伟") << true;
}

void tst_ChatClient::mentions()
{
    QFETCH(QString, text);
    QFETCH(QString, nick);
    QFETCH(bool, mentioned);
    QCOMPARE(ChatClient::mentions(text, nick), mentioned);
}

void tst_ChatClient::replayedHistoryIsNotUnread()
{
    auto bob = plainClient();
    auto first = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && first);
    QVERIFY(first->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(first->current()->name, QStringLiteral("#dev"));
    QVERIFY(first->setCurrent(QStringLiteral("#general")));
    bob->sendLine("in general, alice");
    bob->sendLine("/join #dev");
    bob->sendLine("in dev");
    bob->sendLine("/msg alice just for you");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("bob -> alice: just for you$")));
    QTRY_VERIFY(first->conversations()->find(QStringLiteral("bob")));
    // Live, they count (the test would be worthless if they did not).
    QTRY_COMPARE(first->conversations()->find(QStringLiteral("#dev"))->messages->unreadCount(), 1);
    QVERIFY(first->submit(QStringLiteral("/quit")));
    QTRY_COMPARE(m_server->clientCount(), 1);
    first.reset();

    // The client starts again: the server replays all three, none of them unread.
    auto client = std::make_unique<ChatClient>();
    client->connection()->setReconnectDelays(50, 200);
    QSignalSpy attention(client.get(), &ChatClient::attentionWanted);
    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    client->connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                          QStringLiteral("alice"));
    QVERIFY(welcomed.wait(5000));
    ConversationListModel *list = client->conversations();
    QVERIFY(list->find(QStringLiteral("#dev")) && list->find(QStringLiteral("bob")));
    const struct
    {
        const char *conversation;
        const char *text;
    } replayed[] = { { "#general", "in general, alice" }, { "#dev", "in dev" }, { "bob", "just for you" } };
    for (const auto &expected : replayed) {
        const Conversation *conversation = list->find(QLatin1String(expected.conversation));
        const ChatEntry::Kind kind = conversation->kind == Conversation::Kind::Private
                                             ? ChatEntry::Kind::Private
                                             : ChatEntry::Kind::Message;
        QCOMPARE(texts(*conversation->messages, kind), QStringList{ QLatin1String(expected.text) });
        QCOMPARE(conversation->messages->unreadCount(), 0);
        const QModelIndex row = list->index(list->rowOf(conversation->name));
        QCOMPARE(row.data(ConversationListModel::UnreadRole).toInt(), 0);
        QVERIFY2(!row.data().toString().contains(QLatin1String("  ")), qPrintable(row.data().toString()));
    }
    // The old mention is highlighted, but no news.
    const MessageModel &general = *client->messages();
    // A fresh start's history comes before the line saying the client connected.
    QCOMPARE(general.entry(general.rowCount() - 1).kind, ChatEntry::Kind::Status);
    QVERIFY(general.entry(general.rowCount() - 2).mentionsMe);
    QCOMPARE(general.entry(general.rowCount() - 2).text, QStringLiteral("in general, alice"));
    QCOMPARE(attention.count(), 0);
    QVERIFY(!list->find(QStringLiteral("#general"))->mentioned);

    // Resuming after a drop replays what was missed: not unread either.
    Conversation *dev = list->find(QStringLiteral("#dev"));
    QSignalSpy lost(client->connection(), &ChatConnection::connectionLost);
    m_server->findClient(QStringLiteral("alice"))->abort(QStringLiteral("test drop"));
    QVERIFY(lost.wait());
    bob->sendLine("while you were away");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("bob: while you were away$")));
    QTRY_VERIFY(
            texts(*dev->messages, ChatEntry::Kind::Message).contains(QStringLiteral("while you were away")));
    QCOMPARE(dev->messages->unreadCount(), 0);
    // Only what arrives live, while the conversation is not shown, counts.
    QCOMPARE(client->current()->name, QStringLiteral("#general"));
    bob->sendLine("live again");
    QTRY_COMPARE(dev->messages->unreadCount(), 1);
}

void tst_ChatClient::recentLinesComeBeforeTheJoin()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    bob->sendLine("/join #dev");
    bob->sendLine("first in dev");
    bob->sendLine("second in dev");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("second in dev$")));
    const auto lines = [](const MessageModel &model) {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row) {
            const ChatEntry &entry = model.entry(row);
            if (entry.kind == ChatEntry::Kind::Join)
                result.append(entry.nick + QStringLiteral(" joined"));
            else if (entry.kind == ChatEntry::Kind::Message)
                result.append(entry.text);
        }
        return result;
    };
    QVERIFY(client->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(client->current()->name, QStringLiteral("#dev"));
    MessageModel &dev = *client->current()->messages;
    QTRY_COMPARE(texts(dev, ChatEntry::Kind::Message).size(), 2);
    // What was said before, then that alice came, then what is said after.
    bob->sendLine("welcome alice");
    QTRY_COMPARE(lines(dev),
                 (QStringList{ QStringLiteral("first in dev"), QStringLiteral("second in dev"),
                               QStringLiteral("alice joined"), QStringLiteral("welcome alice") }));
    // Leaving and coming back: the lines held already are not shown twice.
    QVERIFY(client->submit(QStringLiteral("/part")));
    QTRY_VERIFY(!client->current()->joined);
    bob->sendLine("said while alice was out");
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("said while alice was out$")));
    QVERIFY(client->submit(QStringLiteral("/join #dev")));
    QTRY_COMPARE(texts(dev, ChatEntry::Kind::Message).size(), 4);
    QCOMPARE(lines(dev),
             (QStringList{ QStringLiteral("first in dev"), QStringLiteral("second in dev"),
                           QStringLiteral("alice joined"), QStringLiteral("welcome alice"),
                           QStringLiteral("said while alice was out"), QStringLiteral("alice joined") }));
}

void tst_ChatClient::privateToSomeoneOfflineSaysSo()
{
    auto bob = plainClient();
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && client);
    // In the conversation with someone who is not (or no longer) online.
    client->openPrivate(QStringLiteral("carol"));
    QCOMPARE(client->current()->name, QStringLiteral("carol"));
    QVERIFY(client->submit(QStringLiteral("are you there?")));
    const MessageModel &withCarol = *client->current()->messages;
    // The message stays, refused, with the reason (ChatEntry::Delivery::Failed).
    const auto failures = [](const MessageModel &model) {
        QStringList result;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.entry(row).delivery == ChatEntry::Delivery::Failed)
                result.append(model.entry(row).failure);
        }
        return result;
    };
    QTRY_COMPARE(failures(withCarol),
                 QStringList{ QStringLiteral("carol is not online, so the message was not delivered.") });
    // From a room, between messages that are delivered: each refusal names the right person.
    QVERIFY(client->setCurrent(QStringLiteral("#general")));
    QVERIFY(client->submit(QStringLiteral("/msg bob one")));
    QVERIFY(client->submit(QStringLiteral("/msg dave two")));
    QVERIFY(client->submit(QStringLiteral("/msg bob three")));
    QVERIFY(client->submit(QStringLiteral("/msg erin four")));
    EXPECT_LINE(bob, QRegularExpression(QStringLiteral("alice -> bob: three$")));
    // Each refused message in its conversation with that person.
    const auto failuresWith = [&](const QString &nick) {
        const Conversation *with = client->conversations()->find(nick);
        return with ? failures(*with->messages) : QStringList();
    };
    QTRY_COMPARE(failuresWith(QStringLiteral("erin")),
                 QStringList{ QStringLiteral("erin is not online, so the message was not delivered.") });
    QCOMPARE(failuresWith(QStringLiteral("dave")),
             QStringList{ QStringLiteral("dave is not online, so the message was not delivered.") });
    QCOMPARE(failuresWith(QStringLiteral("bob")), QStringList());
    QCOMPARE(failures(withCarol).size(), 1);
}

void tst_ChatClient::joinChecksTheRoomNameItself()
{
    auto client = connectedClient(QStringLiteral("alice"));
    QVERIFY(client);
    // Refused before anything is sent, in a sentence of the client's.
    QVERIFY(!client->submit(u"/join #" + QString(ChatLimits::maxNickLength + 1, u'a')));
    QVERIFY(!client->submit(QStringLiteral("/join #")));
    QVERIFY(!client->submit(QStringLiteral("/join ##dev")));
    const QStringList errors = texts(*client->messages(), ChatEntry::Kind::Error);
    QCOMPARE(errors.size(), 3);
    QVERIFY2(errors.at(0).contains(QStringLiteral("is too long: a room name has at most 32 characters")),
             qPrintable(errors.at(0)));
    QCOMPARE(errors.at(1), QStringLiteral("Usage: /join #ROOM"));
    QVERIFY2(errors.at(2).contains(QStringLiteral("U+0023 NUMBER SIGN")), qPrintable(errors.at(2)));
    QCOMPARE(ChatClient::roomNameProblem(QStringLiteral("dev")), QString());
    // Nothing reached the server: what is said next is the next thing the client shows.
    QVERIFY(client->submit(QStringLiteral("still here")));
    QTRY_COMPARE(texts(*client->messages(), ChatEntry::Kind::Message),
                 QStringList{ QStringLiteral("still here") });
    QCOMPARE(texts(*client->messages(), ChatEntry::Kind::Error).size(), 3);
    QCOMPARE(client->conversations()->rowCount(), 1);
}

void tst_ChatClient::olderPrivateMessagesOnRequest()
{
    ChatLimits limits;
    limits.floodControl = false;
    m_server = std::make_unique<ChatServer>(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    auto alice = connectedClient(QStringLiteral("alice"));
    auto bob = connectedClient(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    for (int i = 1; i <= 12; ++i)
        QVERIFY(bob->submit(QStringLiteral("/msg alice p%1").arg(i)));
    QTRY_VERIFY(alice->conversations()->find(QStringLiteral("bob")));
    Conversation *withBob = alice->conversations()->find(QStringLiteral("bob"));
    QTRY_COMPARE(withBob->messages->rowCount(), 12);
    // Forgotten here (as after the 10 000 kept), still on the server for the two of them.
    withBob->messages->clear();
    QSignalSpy changed(alice.get(), &ChatClient::olderHistoryChanged);
    QVERIFY(alice->requestOlder(QStringLiteral("bob")));
    QVERIFY(withBob->loadingOlder);
    // One request at a time.
    QVERIFY(!alice->requestOlder(QStringLiteral("bob")));
    QTRY_VERIFY(!withBob->loadingOlder);
    QCOMPARE(withBob->messages->rowCount(), 12);
    for (int row = 0; row < 12; ++row)
        QCOMPARE(withBob->messages->entry(row).text, QStringLiteral("p%1").arg(row + 1));
    // All of it: the beginning, and nothing more is asked for.
    QVERIFY(withBob->historyBegins);
    QCOMPARE(changed.count(), 2);
    QVERIFY(!alice->requestOlder(QStringLiteral("bob")));
}

QTEST_GUILESS_MAIN(tst_ChatClient)
#include "tst_chatclient.moc"
