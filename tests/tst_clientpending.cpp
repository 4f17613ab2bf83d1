// The desktop client's side of sending exactly once (docs/PROTOCOL.md, "Sending exactly once"):
// what the user sends shows at once as pending, the echo settles it in place, it waits across a
// lost connection and a restart of the client, is sent again with the same client id and shown
// once, and a refusal stays visible with its reason and a Retry. Against the real server on
// loopback.
#include "chatclient.h"
#include "chatserver.h"
#include "clientsession.h"
#include "clienttestfixture.h"
#include "conversationview.h"
#include "expect.h"
#include "mainwindow.h"
#include "testclient.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTimer>

#include <memory>

namespace {

// The rows of model whose text is text.
QList<ChatEntry> rowsWithText(const MessageModel &model, const QString &text)
{
    QList<ChatEntry> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.entry(row).text == text)
            rows.append(model.entry(row));
    }
    return rows;
}

// How many lines a plain client received that end with what.
qsizetype linesEndingWith(const TestClient &client, const QString &what)
{
    qsizetype count = 0;
    for (const QString &line : client.lines())
        count += line.endsWith(what) ? 1 : 0;
    return count;
}

} // namespace

class tst_ClientPending : public QObject, public ClientTestFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void pendingIsSettledInPlaceByItsEcho();
    void waitsAcrossALostConnectionAndIsSentOnce();
    void survivesARestartOfTheClient();
    void goesAlongToTheNextServerOfACluster();
    void aResendAlreadyPostedIsSettledBySent();
    void olderThanTheServersHourIsDroppedWithANote();
    void refusedShowsWhyAndRetrySendsIt();
    void windowShowsPendingAndRefused();
    void degradedClusterShowsABannerAndUnavailableFails();
};

void tst_ClientPending::initTestCase()
{
    // Settings and outboxes go to a private home, not to the user's.
    QVERIFY(setUpHome());
}

void tst_ClientPending::init()
{
    QVERIFY(startServer());
}

void tst_ClientPending::cleanup()
{
    stopServer();
}

void tst_ClientPending::pendingIsSettledInPlaceByItsEcho()
{
    auto bob = plainClient("bob");
    auto alice = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && alice);
    MessageModel &model = *alice->messages();
    const int before = model.rowCount();
    QVERIFY(alice->submit(QStringLiteral("first")));
    QVERIFY(alice->submit(QStringLiteral("/me waves")));
    // At once, in the order typed, without an id yet.
    QCOMPARE(model.rowCount(), before + 2);
    QCOMPARE(model.entry(before).text, QStringLiteral("first"));
    QCOMPARE(model.entry(before).delivery, ChatEntry::Delivery::Pending);
    QCOMPARE(model.entry(before).id, quint64(0));
    QCOMPARE(model.entry(before + 1).kind, ChatEntry::Kind::Action);
    QCOMPARE(model.entry(before + 1).delivery, ChatEntry::Delivery::Pending);
    QCOMPARE(alice->outbox().messages().size(), 2);
    QVERIFY(model.data(model.index(before), Qt::ToolTipRole).toString().contains(QStringLiteral("Sending")));
    // The echoes take their places: the same rows, now with the server's ids.
    QTRY_COMPARE(model.entry(before + 1).delivery, ChatEntry::Delivery::Delivered);
    QCOMPARE(model.entry(before).delivery, ChatEntry::Delivery::Delivered);
    QCOMPARE(model.rowCount(), before + 2);
    QCOMPARE(model.entry(before).id + 1, model.entry(before + 1).id);
    QCOMPARE(model.entry(before + 1).id, m_server->lastMessageId());
    QVERIFY(alice->outbox().messages().isEmpty());
    EXPECT_LINE(*bob, QRegularExpression(QStringLiteral("\\* alice waves$")));
    // A private message settles in its conversation the same way.
    QVERIFY(alice->submit(QStringLiteral("/msg bob psst")));
    const Conversation *withBob = alice->conversations()->find(QStringLiteral("bob"));
    QVERIFY(withBob);
    QCOMPARE(rowsWithText(*withBob->messages, QStringLiteral("psst")).size(), 1);
    QTRY_VERIFY(rowsWithText(*withBob->messages, QStringLiteral("psst")).constFirst().id != 0);
    QCOMPARE(rowsWithText(*withBob->messages, QStringLiteral("psst")).size(), 1);
}

void tst_ClientPending::waitsAcrossALostConnectionAndIsSentOnce()
{
    auto bob = plainClient("bob");
    auto alice = connectedClient(QStringLiteral("alice"));
    QVERIFY(bob && alice);
    QSignalSpy lost(alice->connection(), &ChatConnection::connectionLost);
    QSignalSpy welcomed(alice->connection(), &ChatConnection::welcomed);
    const quint64 lastBefore = m_server->lastMessageId();
    // One sent as the connection drops (it may or may not reach the server), two typed while
    // it is away.
    QVERIFY(alice->submit(QStringLiteral("as it drops")));
    m_server->findClient(QStringLiteral("alice"))->abort(QStringLiteral("test drop"));
    QVERIFY(lost.wait());
    QVERIFY(alice->submit(QStringLiteral("while away 1")));
    QVERIFY(alice->submit(QStringLiteral("while away 2")));
    MessageModel &model = *alice->messages();
    QCOMPARE(rowsWithText(model, QStringLiteral("while away 2")).constFirst().delivery,
             ChatEntry::Delivery::Pending);
    QTRY_VERIFY_WITH_TIMEOUT(welcomed.count() >= 1, 5000);
    // Sent again, in order, each posted once and shown once.
    QTRY_VERIFY(alice->outbox().messages().isEmpty());
    for (const QString &text :
         { QStringLiteral("as it drops"), QStringLiteral("while away 1"), QStringLiteral("while away 2") }) {
        const QList<ChatEntry> rows = rowsWithText(model, text);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.constFirst().delivery, ChatEntry::Delivery::Delivered);
        QVERIFY(rows.constFirst().id > lastBefore);
    }
    QCOMPARE(m_server->lastMessageId(), lastBefore + 3);
    EXPECT_LINE(*bob, QRegularExpression(QStringLiteral("alice: while away 2$")));
    QCOMPARE(linesEndingWith(*bob, QStringLiteral("alice: as it drops")), 1);
    QCOMPARE(linesEndingWith(*bob, QStringLiteral("alice: while away 1")), 1);
    QCOMPARE(rowsWithText(model, QStringLiteral("while away 1")).constFirst().id + 1,
             rowsWithText(model, QStringLiteral("while away 2")).constFirst().id);
}

void tst_ClientPending::survivesARestartOfTheClient()
{
    const quint16 port = m_server->serverPort();
    auto alice = connectedClient(QStringLiteral("alice"));
    QVERIFY(alice);
    QSignalSpy lost(alice->connection(), &ChatConnection::connectionLost);
    QSignalSpy stopped(m_server.get(), &ChatServer::stopped);
    m_server->stop();
    QVERIFY(lost.wait());
    QVERIFY(stopped.count() == 1 || stopped.wait());
    QVERIFY(alice->submit(QStringLiteral("kept 1")));
    QVERIFY(alice->submit(QStringLiteral("/me kept 2")));
    const QString file = alice->outbox().fileName();
    Outbox::waitForWrites();
    QVERIFY(QFile::exists(file));
    // The client quits; the server comes back; the client starts again.
    alice.reset();
    const quint64 lastBefore = m_server->lastMessageId();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, port));
    auto bob = plainClient("bob");
    QVERIFY(bob);
    auto again = connectedClient(QStringLiteral("alice"));
    QVERIFY(again);
    MessageModel &model = *again->messages();
    QCOMPARE(rowsWithText(model, QStringLiteral("kept 1")).size(), 1);
    QTRY_VERIFY(again->outbox().messages().isEmpty());
    QCOMPARE(rowsWithText(model, QStringLiteral("kept 1")).constFirst().delivery,
             ChatEntry::Delivery::Delivered);
    QCOMPARE(rowsWithText(model, QStringLiteral("kept 2")).size(), 1);
    QCOMPARE(rowsWithText(model, QStringLiteral("kept 2")).constFirst().kind, ChatEntry::Kind::Action);
    QCOMPARE(m_server->lastMessageId(), lastBefore + 2);
    EXPECT_LINE(*bob, QRegularExpression(QStringLiteral("\\* alice kept 2$")));
    QCOMPARE(linesEndingWith(*bob, QStringLiteral("alice: kept 1")), 1);
    // Nothing waits any more: the file is gone.
    Outbox::waitForWrites();
    QVERIFY(!QFile::exists(file));
}

void tst_ClientPending::goesAlongToTheNextServerOfACluster()
{
    // Two servers the client knows as one cluster's (ChatConnection::setAlternativeServers).
    ChatServer second;
    QVERIFY(second.listen(QHostAddress::LocalHost, 0));
    ChatClient alice;
    alice.connection()->setReconnectDelays(50, 200);
    alice.connection()->setAlternativeServers(
            { HostPort{ QStringLiteral("127.0.0.1"), second.serverPort() } });
    QSignalSpy welcomed(alice.connection(), &ChatConnection::welcomed);
    alice.connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                        QStringLiteral("alice"));
    QVERIFY(welcomed.wait(5000));
    QSignalSpy lost(alice.connection(), &ChatConnection::connectionLost);
    m_server->stop();
    QVERIFY(lost.wait());
    QVERIFY(alice.submit(QStringLiteral("to whichever server is there")));
    QTRY_VERIFY_WITH_TIMEOUT(welcomed.count() >= 2, 5000);
    QCOMPARE(alice.connection()->port(), second.serverPort());
    QTRY_VERIFY(alice.outbox().messages().isEmpty());
    QCOMPARE(second.lastMessageId(), quint64(1));
    const QList<ChatEntry> rows =
            rowsWithText(*alice.messages(), QStringLiteral("to whichever server is there"));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.constFirst().delivery, ChatEntry::Delivery::Delivered);
}

void tst_ClientPending::aResendAlreadyPostedIsSettledBySent()
{
    auto alice = connectedClient(QStringLiteral("alice"));
    QVERIFY(alice);
    QVERIFY(alice->submit(QStringLiteral("posted once")));
    QTRY_VERIFY(alice->outbox().messages().isEmpty());
    const ChatEntry posted = rowsWithText(*alice->messages(), QStringLiteral("posted once")).constFirst();
    QVERIFY(posted.id != 0 && !posted.clientId.isEmpty());
    // More than a welcome replays, so that the next start does not see it in its history.
    for (int i = 0; i < 25; ++i)
        QVERIFY(alice->submit(QStringLiteral("filler %1").arg(i)));
    QTRY_VERIFY(alice->outbox().messages().isEmpty());
    // A client that crashed before it wrote down the echo: its outbox still holds the message.
    Outbox outbox;
    outbox.open(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                ChatConnection::identityFor(QStringLiteral("127.0.0.1"), m_server->serverPort()));
    OutgoingMessage message;
    message.clientId = posted.clientId;
    message.text = posted.text;
    message.created = QDateTime::currentDateTimeUtc();
    outbox.add(message);
    alice.reset();
    const quint64 last = m_server->lastMessageId();
    auto again = connectedClient(QStringLiteral("alice"));
    QVERIFY(again);
    // The server answers the resend with "sent": the pending row gets the first copy's id.
    QTRY_VERIFY(again->outbox().messages().isEmpty());
    const QList<ChatEntry> rows = rowsWithText(*again->messages(), QStringLiteral("posted once"));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.constFirst().id, posted.id);
    QCOMPARE(rows.constFirst().delivery, ChatEntry::Delivery::Delivered);
    QCOMPARE(m_server->lastMessageId(), last);
}

void tst_ClientPending::olderThanTheServersHourIsDroppedWithANote()
{
    // Left from a run of the client two hours ago: the server no longer knows its client id.
    const QString host = QStringLiteral("127.0.0.1");
    Outbox outbox;
    outbox.open(host, m_server->serverPort(), ChatConnection::identityFor(host, m_server->serverPort()));
    OutgoingMessage stale;
    stale.clientId = QStringLiteral("stale-1");
    stale.text = QStringLiteral("from long ago");
    stale.created = QDateTime::currentDateTimeUtc().addSecs(-2 * 3600);
    outbox.add(stale);
    OutgoingMessage fresh = stale;
    fresh.clientId = QStringLiteral("fresh-1");
    fresh.text = QStringLiteral("from just now");
    fresh.created = QDateTime::currentDateTimeUtc().addSecs(-60);
    outbox.add(fresh);
    const quint64 last = m_server->lastMessageId();
    auto alice = connectedClient(QStringLiteral("alice"));
    QVERIFY(alice);
    MessageModel &model = *alice->messages();
    QVERIFY(rowsWithText(model, QStringLiteral("from long ago")).isEmpty());
    bool noted = false;
    for (int row = 0; row < model.rowCount(); ++row)
        noted = noted || (model.entry(row).kind == ChatEntry::Kind::Status &&
                          model.entry(row).text.startsWith(QStringLiteral(
                                  "1 unsent message(s) from more than an hour ago were dropped")));
    QVERIFY(noted);
    // The recent one is sent.
    QTRY_VERIFY(alice->outbox().messages().isEmpty());
    QCOMPARE(rowsWithText(model, QStringLiteral("from just now")).size(), 1);
    QCOMPARE(m_server->lastMessageId(), last + 1);
}

void tst_ClientPending::refusedShowsWhyAndRetrySendsIt()
{
    auto alice = connectedClient(QStringLiteral("alice"));
    QVERIFY(alice);
    QVERIFY(alice->submit(QStringLiteral("/msg carol are you there?")));
    const Conversation *withCarol = alice->conversations()->find(QStringLiteral("carol"));
    QVERIFY(withCarol);
    QTRY_COMPARE(withCarol->messages->entry(0).delivery, ChatEntry::Delivery::Failed);
    const ChatEntry refused = withCarol->messages->entry(0);
    QVERIFY2(refused.failure.contains(QStringLiteral("carol is not online")), qPrintable(refused.failure));
    QCOMPARE(withCarol->messages->rowCount(), 1); // the reason is in the row, not a row of its own
    QCOMPARE(alice->outbox().messages().size(), 1);
    // Once carol is here, Retry sends it, with the same client id: it was not posted.
    auto carol = plainClient("carol");
    QVERIFY(carol);
    QVERIFY(alice->retry(refused.clientId));
    QCOMPARE(withCarol->messages->entry(0).delivery, ChatEntry::Delivery::Pending);
    EXPECT_LINE(*carol, QRegularExpression(QStringLiteral("alice -> carol: are you there\\?$")));
    QTRY_COMPARE(withCarol->messages->entry(0).delivery, ChatEntry::Delivery::Delivered);
    QCOMPARE(withCarol->messages->rowCount(), 1);
    QCOMPARE(withCarol->messages->entry(0).clientId, refused.clientId);
    // Refused again, and deleted.
    carol.reset();
    QTRY_VERIFY(!m_server->findClient(QStringLiteral("carol")));
    QVERIFY(alice->submit(QStringLiteral("/msg carol gone?")));
    QTRY_COMPARE(withCarol->messages->entry(1).delivery, ChatEntry::Delivery::Failed);
    QVERIFY(alice->discard(withCarol->messages->entry(1).clientId));
    QCOMPARE(withCarol->messages->rowCount(), 1);
    QVERIFY(alice->outbox().messages().isEmpty());
}

void tst_ClientPending::windowShowsPendingAndRefused()
{
    auto client = std::make_unique<ChatClient>();
    client->connection()->setReconnectDelays(50, 200);
    MainWindow window(client.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy welcomed(client->connection(), &ChatConnection::welcomed);
    client->connection()->connectToServer(QStringLiteral("127.0.0.1"), m_server->serverPort(),
                                          QStringLiteral("alice"));
    QVERIFY(welcomed.wait(5000));
    auto *view = window.findChild<ConversationView *>(QStringLiteral("conversation"));
    QVERIFY(view);
    // Stopped, the server cannot echo: the message shows pending.
    QSignalSpy lost(client->connection(), &ChatConnection::connectionLost);
    const quint16 port = m_server->serverPort();
    m_server->stop();
    QVERIFY(lost.wait());
    QVERIFY(client->submit(QStringLiteral("waiting here")));
    QVERIFY(view->readableText().contains(QStringLiteral("\u25F7")));
    QVERIFY(view->readableText().contains(QStringLiteral("waiting here")));
    QVERIFY(m_server->listen(QHostAddress::LocalHost, port));
    QTRY_VERIFY_WITH_TIMEOUT(client->outbox().messages().isEmpty(), 5000);
    QTRY_VERIFY(!view->readableText().contains(QStringLiteral("\u25F7")));
    QCOMPARE(view->readableText().count(QStringLiteral("waiting here")), 1);
    // Refused: the reason and the actions in the row; clicking Retry sends it again.
    client->openPrivate(QStringLiteral("carol"));
    QVERIFY(client->submit(QStringLiteral("hello carol")));
    QTRY_VERIFY(view->readableText().contains(QStringLiteral("Not sent: carol is not online")));
    QVERIFY(view->readableText().contains(QStringLiteral("Retry")));
    QVERIFY(view->readableText().contains(QStringLiteral("Delete")));
    auto carol = plainClient("carol");
    QVERIFY(carol);
    const QTextCursor retry = view->document()->find(QStringLiteral("Retry"));
    QVERIFY(!retry.isNull());
    QTextCursor middle = retry;
    middle.setPosition(retry.selectionStart() + 2);
    // The line's context menu has the same actions.
    QStringList menuActions;
    QTimer::singleShot(0, this, [&menuActions] {
        if (auto *menu = qobject_cast<QMenu *>(QApplication::activePopupWidget())) {
            for (const QAction *action : menu->actions())
                menuActions.append(action->text());
            menu->close();
        }
    });
    QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, view->cursorRect(middle).center(),
                                view->viewport()->mapToGlobal(view->cursorRect(middle).center()));
    QApplication::sendEvent(view->viewport(), &menuEvent);
    QVERIFY2(menuActions.contains(QStringLiteral("Retry")) && menuActions.contains(QStringLiteral("Delete")),
             qPrintable(menuActions.join(u", ")));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->cursorRect(middle).center());
    EXPECT_LINE(*carol, QRegularExpression(QStringLiteral("alice -> carol: hello carol$")));
    QTRY_VERIFY(!view->readableText().contains(QStringLiteral("Not sent")));
    QCOMPARE(view->readableText().count(QStringLiteral("hello carol")), 1);
}

// A server of a cluster whose Redis is away (docs/PROTOCOL.md, "Sending exactly once"), played by
// hand: our own needs a Redis to lose.
void tst_ClientPending::degradedClusterShowsABannerAndUnavailableFails()
{
    QTcpServer fake;
    QVERIFY(fake.listen(QHostAddress::LocalHost, 0));
    ChatClient client;
    MainWindow window(&client);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *banner = window.findChild<QLabel *>(QStringLiteral("clusterBanner"));
    QVERIFY(banner && !banner->isVisible());
    client.connection()->connectToServer(QStringLiteral("127.0.0.1"), fake.serverPort(),
                                         QStringLiteral("alice"));
    QVERIFY(fake.waitForNewConnection(5000));
    QTcpSocket *peer = fake.nextPendingConnection();
    QVERIFY(QTest::qWaitFor([peer] { return peer->canReadLine(); }));
    peer->readLine(); // the hello
    QSignalSpy welcomed(client.connection(), &ChatConnection::welcomed);
    peer->write(R"({"type":"welcome","version":2,"server":"x","nick":"alice","token":"t","lastId":0,)"
                R"("limits":{"maxLineBytes":4096},"online":1,"users":[],"history":[]})"
                "\n");
    QVERIFY(welcomed.wait(5000));
    peer->write(R"({"type":"status","degraded":true,"text":"the server has lost its cluster, Redis"})"
                "\n");
    QTRY_VERIFY(banner->isVisible());
    QVERIFY(client.serverDegraded());
    // The backlog is full: the message is refused, and stays with the reason.
    QVERIFY(client.submit(QStringLiteral("in the backlog")));
    QVERIFY(QTest::qWaitFor([peer] { return peer->canReadLine(); }));
    const QJsonObject say = QJsonDocument::fromJson(peer->readLine()).object();
    QCOMPARE(say.value(u"type").toString(), QStringLiteral("say"));
    const QString cid = say.value(u"cid").toString();
    QVERIFY(!cid.isEmpty());
    peer->write(R"({"type":"error","code":"unavailable","text":"the cluster is unavailable"})"
                "\n");
    MessageModel &model = *client.messages();
    QTRY_COMPARE(rowsWithText(model, QStringLiteral("in the backlog")).constFirst().delivery,
                 ChatEntry::Delivery::Failed);
    QVERIFY(rowsWithText(model, QStringLiteral("in the backlog"))
                    .constFirst()
                    .failure.contains(QStringLiteral("cluster")));
    // Back in the cluster: the banner goes, and Retry sends it with the same client id.
    peer->write(R"({"type":"status","degraded":false,"text":"the server is back in its cluster"})"
                "\n");
    QTRY_VERIFY(!banner->isVisible());
    QVERIFY(client.retry(cid));
    QVERIFY(QTest::qWaitFor([peer] { return peer->canReadLine(); }));
    QCOMPARE(QJsonDocument::fromJson(peer->readLine()).object().value(u"cid").toString(), cid);
    const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    peer->write(R"({"type":"message","id":7,"time":")" + now +
                R"(","from":"alice","text":"in the backlog","kind":"say","room":"#general","cid":")" +
                cid.toLatin1() + "\"}\n");
    QTRY_COMPARE(rowsWithText(model, QStringLiteral("in the backlog")).constFirst().id, quint64(7));
    QCOMPARE(rowsWithText(model, QStringLiteral("in the backlog")).size(), 1);
    QCOMPARE(rowsWithText(model, QStringLiteral("in the backlog")).constFirst().delivery,
             ChatEntry::Delivery::Delivered);
}

QTEST_MAIN(tst_ClientPending)
#include "tst_clientpending.moc"
