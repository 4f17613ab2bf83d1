#include "messagemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

namespace {

ChatEntry entry(ChatEntry::Kind kind, const QString &text, bool own = false)
{
    ChatEntry e;
    e.kind = kind;
    e.time = QDateTime::currentDateTimeUtc();
    e.nick = QStringLiteral("alice");
    e.text = text;
    e.own = own;
    return e;
}

} // namespace

class tst_MessageModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendAndRoles();
    void keepsOnlyTheNewest();
    void unreadCountsConversationFromOthers();
    void readMarker();
    void readMarkerSurvivesTrimming();
    void prependHistorySkipsWhatIsHeld_data();
    void prependHistorySkipsWhatIsHeld();
    void plainText_data();
    void plainText();
};

void tst_MessageModel::appendAndRoles()
{
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ChatEntry e = entry(ChatEntry::Kind::Message, QStringLiteral("<b>hi</b>"));
    e.id = 7;
    e.mentionsMe = true;
    model.append(e);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex index = model.index(0);
    QCOMPARE(index.data(MessageModel::TextRole).toString(), QStringLiteral("<b>hi</b>"));
    QCOMPARE(index.data(MessageModel::IdRole).toULongLong(), 7ull);
    QCOMPARE(index.data(MessageModel::NickRole).toString(), QStringLiteral("alice"));
    QCOMPARE(index.data(MessageModel::KindRole).toInt(), int(ChatEntry::Kind::Message));
    QCOMPARE(index.data(MessageModel::MentionsMeRole).toBool(), true);
    QVERIFY(index.data(Qt::DisplayRole).toString().endsWith(QStringLiteral("alice: <b>hi</b>")));
}

void tst_MessageModel::keepsOnlyTheNewest()
{
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCapacity(100);
    for (int i = 0; i < 250; ++i)
        model.append(entry(ChatEntry::Kind::Message, QString::number(i)));
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.entry(0).text, QStringLiteral("150"));
    QCOMPARE(model.entry(99).text, QStringLiteral("249"));
    model.setCapacity(10);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.entry(0).text, QStringLiteral("240"));
    QCOMPARE(MessageModel::defaultCapacity, 10000);

    // A batch larger than the capacity keeps its newest entries.
    QList<ChatEntry> batch;
    for (int i = 0; i < 25; ++i)
        batch.append(entry(ChatEntry::Kind::Message, QStringLiteral("batch %1").arg(i)));
    model.append(batch);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.entry(0).text, QStringLiteral("batch 15"));
    QCOMPARE(model.entry(9).text, QStringLiteral("batch 24"));
}

void tst_MessageModel::unreadCountsConversationFromOthers()
{
    MessageModel model;
    QSignalSpy changed(&model, &MessageModel::unreadCountChanged);
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("a")));
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("mine"), true));
    model.append(entry(ChatEntry::Kind::Join, QString()));
    model.append(entry(ChatEntry::Kind::Private, QStringLiteral("psst")));
    model.append(entry(ChatEntry::Kind::Action, QStringLiteral("waves")));
    model.append(entry(ChatEntry::Kind::Status, QStringLiteral("Reconnected.")));
    QCOMPARE(model.unreadCount(), 3);
    QCOMPARE(changed.count(), 3);
    model.markRead();
    QCOMPARE(model.unreadCount(), 0);
    QCOMPARE(changed.last().at(0).toInt(), 0);
}

void tst_MessageModel::readMarker()
{
    MessageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("seen")));
    // No marker before the user has looked away.
    QCOMPARE(model.firstUnreadRow(), -1);
    model.moveReadMarkerToEnd();
    QCOMPARE(model.firstUnreadRow(), -1);
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("new 1")));
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("new 2")));
    QCOMPARE(model.firstUnreadRow(), 1);
    QVERIFY(model.index(1).data(MessageModel::FirstUnreadRole).toBool());
    QVERIFY(!model.index(2).data(MessageModel::FirstUnreadRole).toBool());
    // Coming back does not move it; looking away again does.
    model.markRead();
    QCOMPARE(model.firstUnreadRow(), 1);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.moveReadMarkerToEnd();
    QCOMPARE(model.firstUnreadRow(), -1);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
}

void tst_MessageModel::readMarkerSurvivesTrimming()
{
    MessageModel model;
    model.setCapacity(5);
    for (int i = 0; i < 5; ++i)
        model.append(entry(ChatEntry::Kind::Message, QString::number(i)));
    model.moveReadMarkerToEnd();
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("5")));
    model.append(entry(ChatEntry::Kind::Message, QStringLiteral("6")));
    QCOMPARE(model.entry(model.firstUnreadRow()).text, QStringLiteral("5"));
    for (int i = 7; i < 20; ++i)
        model.append(entry(ChatEntry::Kind::Message, QString::number(i)));
    // Everything held is unread: the marker sits at the top.
    QCOMPARE(model.firstUnreadRow(), 0);
}

void tst_MessageModel::plainText_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("suffix");
    QTest::newRow("message") << int(ChatEntry::Kind::Message) << QStringLiteral("alice: text");
    QTest::newRow("action") << int(ChatEntry::Kind::Action) << QStringLiteral("* alice text");
    QTest::newRow("join") << int(ChatEntry::Kind::Join) << QStringLiteral("alice joined");
    QTest::newRow("leave") << int(ChatEntry::Kind::Leave) << QStringLiteral("alice left (text)");
    QTest::newRow("status") << int(ChatEntry::Kind::Status) << QStringLiteral("] text");
}

void tst_MessageModel::plainText()
{
    QFETCH(int, kind);
    QFETCH(QString, suffix);
    const QString text = MessageModel::plainText(entry(ChatEntry::Kind(kind), QStringLiteral("text")));
    QVERIFY2(text.endsWith(suffix), qPrintable(text));
    QVERIFY(text.startsWith(u'['));
}

void tst_MessageModel::prependHistorySkipsWhatIsHeld_data()
{
    QTest::addColumn<QList<int>>("held"); // ids already shown
    QTest::addColumn<QList<int>>("older"); // ids arriving, oldest first
    QTest::addColumn<int>("capacity");
    QTest::addColumn<QList<int>>("expected"); // ids afterwards, in order
    QTest::newRow("all new") << QList<int>{ 5, 6 } << QList<int>{ 2, 3, 4 } << 100
                             << QList<int>{ 2, 3, 4, 5, 6 };
    QTest::newRow("some held") << QList<int>{ 4, 5, 6 } << QList<int>{ 2, 3, 4, 5 } << 100
                               << QList<int>{ 2, 3, 4, 5, 6 };
    QTest::newRow("all held") << QList<int>{ 4, 5 } << QList<int>{ 4, 5 } << 100 << QList<int>{ 4, 5 };
    QTest::newRow("twice in the answer")
            << QList<int>{ 9 } << QList<int>{ 3, 3 } << 100 << QList<int>{ 3, 9 };
    QTest::newRow("nearly full: the newest of them")
            << QList<int>{ 8, 9 } << QList<int>{ 5, 6, 7 } << 4 << QList<int>{ 6, 7, 8, 9 };
    QTest::newRow("full: none") << QList<int>{ 8, 9 } << QList<int>{ 5, 6, 7 } << 2 << QList<int>{ 8, 9 };
}

void tst_MessageModel::prependHistorySkipsWhatIsHeld()
{
    QFETCH(QList<int>, held);
    QFETCH(QList<int>, older);
    QFETCH(int, capacity);
    QFETCH(QList<int>, expected);
    MessageModel model;
    model.setCapacity(capacity);
    const auto entries = [](const QList<int> &ids) {
        QList<ChatEntry> list;
        for (int id : ids) {
            ChatEntry e = entry(ChatEntry::Kind::Message, QString::number(id));
            e.id = quint64(id);
            list.append(e);
        }
        return list;
    };
    model.appendHistory(entries(held));
    const int before = model.rowCount();
    const int added = model.prependHistory(entries(older));
    QList<int> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.append(int(model.entry(row).id));
    QCOMPARE(ids, expected);
    QCOMPARE(added, model.rowCount() - before);
    // Old messages are never unread.
    QCOMPARE(model.unreadCount(), 0);
}

QTEST_GUILESS_MAIN(tst_MessageModel)
#include "tst_messagemodel.moc"
