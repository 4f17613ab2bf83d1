// A JSON "search": the newest messages of the asker's rooms and private conversations whose text
// holds every word, from the history database and from memory without one; never anything the
// asker may not read; what a user types is never query syntax.
// Real sockets on loopback.
#include "chatlimits.h"
#include "chatserver.h"
#include "expect.h"
#include "jsonprotocol.h"
#include "jsontext.h"
#include "readersfixture.h"
#include "testclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace { } // namespace

class tst_Search : public QObject, public ReadersFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void search_data();
    void search();
    void badSearchesAreRefusedAndTheConnectionStays_data();
    void badSearchesAreRefusedAndTheConnectionStays();

private:
    // alice's lines in #general, carol's in #other, and alice's private line to bob.
    bool populate();
    TestClient *client(const QString &nick) const;
};

void tst_Search::init()
{
    QVERIFY(m_dir.isValid());
}

void tst_Search::cleanup()
{
    stopServer();
}

TestClient *tst_Search::client(const QString &nick) const
{
    return nick == u"alice" ? m_alice.get() : nick == u"bob" ? m_bob.get() : m_carol.get();
}

bool tst_Search::populate()
{
    if (!joinReaders())
        return false;
    for (const char *text : { "deploy on friday", "lunch at noon", "明天部署新版本", "50% done_ok, not dont",
                              "the deploy failed" }) {
        if (!said(*m_alice,
                  { { QStringLiteral("type"), QStringLiteral("say") },
                    { QStringLiteral("text"), QString::fromUtf8(text) } },
                  QStringLiteral("message")))
            return false;
    }
    if (!said(*m_carol,
              { { QStringLiteral("type"), QStringLiteral("say") },
                { QStringLiteral("room"), QStringLiteral("#other") },
                { QStringLiteral("text"), QStringLiteral("secret deploy plan") } },
              QStringLiteral("message")))
        return false;
    return said(*m_alice,
                { { QStringLiteral("type"), QStringLiteral("private") },
                  { QStringLiteral("to"), QStringLiteral("bob") },
                  { QStringLiteral("text"), QStringLiteral("deploy keys are here") } },
                QStringLiteral("private")) != 0;
}

void tst_Search::search_data()
{
    QTest::addColumn<bool>("database");
    QTest::addColumn<QString>("asker");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("limit"); // 0: not given
    QTest::addColumn<QStringList>("expected"); // newest first
    QTest::addColumn<bool>("more");

    const QString deployKeys = QStringLiteral("deploy keys are here");
    for (const bool database : { false, true }) {
        const char *where = database ? "database" : "memory";
        // Rooms one is in and one's own private conversations, newest first.
        QTest::addRow("%s: alice, a word", where)
                << database << QStringLiteral("alice") << QStringLiteral("deploy") << 0
                << QStringList{ deployKeys, QStringLiteral("the deploy failed"),
                                QStringLiteral("deploy on friday") }
                << false;
        QTest::addRow("%s: bob reads the private one too", where)
                << database << QStringLiteral("bob") << QStringLiteral("deploy") << 0
                << QStringList{ deployKeys, QStringLiteral("the deploy failed"),
                                QStringLiteral("deploy on friday") }
                << false;
        // Not in #general, no party to the private message.
        QTest::addRow("%s: carol, her room only", where)
                << database << QStringLiteral("carol") << QStringLiteral("deploy") << 0
                << QStringList{ QStringLiteral("secret deploy plan") } << false;
        QTest::addRow("%s: every word, any case", where)
                << database << QStringLiteral("alice") << QStringLiteral("FRIDAY Deploy") << 0
                << QStringList{ QStringLiteral("deploy on friday") } << false;
        QTest::addRow("%s: a piece of a word", where)
                << database << QStringLiteral("alice") << QStringLiteral("unc") << 0
                << QStringList{ QStringLiteral("lunch at noon") } << false;
        // Chinese has no spaces: two characters (LIKE) and three (the trigram index).
        QTest::addRow("%s: two Chinese characters", where)
                << database << QStringLiteral("alice") << QStringLiteral("部署") << 0
                << QStringList{ QStringLiteral("明天部署新版本") } << false;
        QTest::addRow("%s: three Chinese characters", where)
                << database << QStringLiteral("alice") << QStringLiteral("新版本") << 0
                << QStringList{ QStringLiteral("明天部署新版本") } << false;
        // LIKE's and FTS5's own characters are text.
        QTest::addRow("%s: a percent sign", where)
                << database << QStringLiteral("alice") << QStringLiteral("50%") << 0
                << QStringList{ QStringLiteral("50% done_ok, not dont") } << false;
        QTest::addRow("%s: an underscore", where)
                << database << QStringLiteral("alice") << QStringLiteral("_o") << 0
                << QStringList{ QStringLiteral("50% done_ok, not dont") } << false;
        QTest::addRow("%s: FTS5 syntax is text", where)
                << database << QStringLiteral("alice") << QStringLiteral("deploy\" OR \"lunch") << 0
                << QStringList() << false;
        QTest::addRow("%s: NEAR and a star", where)
                << database << QStringLiteral("alice") << QStringLiteral("NEAR(deploy* friday)") << 0
                << QStringList() << false;
        QTest::addRow("%s: limit", where) << database << QStringLiteral("alice") << QStringLiteral("deploy")
                                          << 1 << QStringList{ deployKeys } << true;
        QTest::addRow("%s: nothing found", where) << database << QStringLiteral("alice")
                                                  << QStringLiteral("zebra") << 0 << QStringList() << false;
    }
}

void tst_Search::search()
{
    QFETCH(bool, database);
    QFETCH(QString, asker);
    QFETCH(QString, text);
    QFETCH(int, limit);
    QFETCH(QStringList, expected);
    QFETCH(bool, more);
    QVERIFY(startServer(database));
    QVERIFY(populate());
    TestClient *who = client(asker);
    QJsonObject request{ { QStringLiteral("type"), QStringLiteral("search") },
                         { QStringLiteral("text"), text } };
    if (limit > 0)
        request.insert(QStringLiteral("limit"), limit);
    who->sendLine(json(request));
    const QJsonObject answer = who->waitForJson(QStringLiteral("search"));
    QVERIFY2(!answer.isEmpty(), describeArrivedLines(*who, 0).constData());
    QCOMPARE(texts(answer.value(u"messages").toArray()), expected);
    QCOMPARE(answer.value(u"more").toBool(), more);
    // Each hit says where it was said: its room, or whom a private message was to.
    for (const QJsonValue &message : answer.value(u"messages").toArray()) {
        const QJsonObject m = message.toObject();
        QVERIFY2(m.contains(QLatin1String("room")) != m.contains(QLatin1String("to")),
                 qPrintable(QString::fromUtf8(json(m))));
    }
}

void tst_Search::badSearchesAreRefusedAndTheConnectionStays_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("no text") << QByteArray(R"({"type":"search"})");
    QTest::newRow("blank") << QByteArray(R"({"type":"search","text":"   "})");
    QTest::newRow("nine words") << QByteArray(R"({"type":"search","text":"a b c d e f g h i"})");
    QTest::newRow("too long") << QByteArray(R"({"type":"search","text":")") + QByteArray(101, 'x') + "\"}";
    QTest::newRow("text not a string") << QByteArray(R"({"type":"search","text":42})");
    QTest::newRow("unknown field") << QByteArray(R"({"type":"search","text":"a","room":"#general"})");
    QTest::newRow("negative limit") << QByteArray(R"({"type":"search","text":"deploy","limit":-1})");
}

void tst_Search::badSearchesAreRefusedAndTheConnectionStays()
{
    QFETCH(QByteArray, request);
    QVERIFY(startServer(true));
    QVERIFY(populate());
    m_alice->sendLine(request);
    const QJsonObject error = m_alice->waitForJson(QStringLiteral("error"));
    QVERIFY2(!error.isEmpty(), describeArrivedLines(*m_alice, 0).constData());
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("bad-field"));
    // Still connected and answered.
    m_alice->sendLine(R"({"type":"search","text":"lunch"})");
    const QJsonObject answer = m_alice->waitForJson(QStringLiteral("search"));
    QCOMPARE(texts(answer.value(u"messages").toArray()), QStringList{ QStringLiteral("lunch at noon") });
}

QTEST_MAIN(tst_Search)
#include "tst_search.moc"
