#include "wirecodec.h"

#include <QSet>
#include <QtTest>

// WireCodec (src/shared/wirecodec.h): the dialects as codecs over one vocabulary. What the
// server core relies on: every instance has its own slot, a client's codec follows its rooms,
// siblings share a rendering only where it is byte for byte the same, and a codec that is not
// to tell an event renders nothing.
class tst_WireCodec : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slotsAreUnique();
    void plainFollowsTheRoomCount();
    void plainMarksRoomsOnlyWhenInSeveral();
    void plainSharesRenderingsThatNameNoRoom();
    void plainDecodes();
    void jsonVersion1LeavesOutVersion2Events();
    void jsonDecodes();
};

namespace {

ChatMessage roomMessage()
{
    ChatMessage message;
    message.id = 7;
    message.time = QDateTime::currentDateTimeUtc();
    message.from = QStringLiteral("alice");
    message.text = QStringLiteral("hi");
    message.room = QStringLiteral("#dev");
    return message;
}

ServerEvent messageEvent()
{
    ServerEvent event = ServerEvent::now(ServerEvent::Type::Message);
    event.message = roomMessage();
    return event;
}

} // namespace

void tst_WireCodec::slotsAreUnique()
{
    const QList<const WireCodec *> all{ &PlainCodec::oneRoom(), &PlainCodec::severalRooms(),
                                        &JsonCodec::forVersion(1), &JsonCodec::forVersion(2) };
    QSet<int> slotsSeen;
    for (const WireCodec *codec : all) {
        QVERIFY(codec->slot() >= 0 && codec->slot() < WireCodec::slotCount);
        QVERIFY2(!slotsSeen.contains(codec->slot()), qPrintable(QString::number(codec->slot())));
        slotsSeen.insert(codec->slot());
    }
    QCOMPARE(PlainCodec::oneRoom().family(), PlainCodec::severalRooms().family());
    QCOMPARE(JsonCodec::forVersion(1).family(), JsonCodec::forVersion(2).family());
    QVERIFY(PlainCodec::oneRoom().family() != JsonCodec::forVersion(2).family());
    // Before a hello, and any version this server does not know, get the oldest rules.
    QCOMPARE(&JsonCodec::forVersion(0), &JsonCodec::forVersion(1));
}

void tst_WireCodec::plainFollowsTheRoomCount()
{
    QCOMPARE(&PlainCodec::oneRoom().forRoomCount(2), &PlainCodec::severalRooms());
    QCOMPARE(&PlainCodec::severalRooms().forRoomCount(1), &PlainCodec::oneRoom());
    QCOMPARE(&PlainCodec::severalRooms().forRoomCount(0), &PlainCodec::oneRoom());
    // JSON names rooms always.
    QCOMPARE(&JsonCodec::forVersion(2).forRoomCount(5), &JsonCodec::forVersion(2));
}

void tst_WireCodec::plainMarksRoomsOnlyWhenInSeveral()
{
    const QByteArray one = PlainCodec::oneRoom().encode(messageEvent());
    const QByteArray several = PlainCodec::severalRooms().encode(messageEvent());
    QVERIFY2(!one.contains("[#dev]") && one.endsWith("alice: hi\n"), one.constData());
    QVERIFY2(several.contains("] [#dev] alice: hi\n"), several.constData());
}

void tst_WireCodec::plainSharesRenderingsThatNameNoRoom()
{
    const ServerEvent nick = ServerEvent::nickChange(QStringLiteral("a"), QStringLiteral("b"));
    QVERIFY(!WireCodec::namesRoom(nick));
    QCOMPARE(&PlainCodec::severalRooms().roomless(), &PlainCodec::oneRoom());
    QCOMPARE(PlainCodec::severalRooms().encode(nick), PlainCodec::oneRoom().encode(nick));
    // Events about a room are the several-rooms codec's own.
    QVERIFY(WireCodec::namesRoom(messageEvent()));
    const ServerEvent part = ServerEvent::part(QStringLiteral("a"), QStringLiteral("#dev"), QString());
    QVERIFY(WireCodec::namesRoom(part));
    QVERIFY(PlainCodec::severalRooms().encode(messageEvent()) !=
            PlainCodec::oneRoom().encode(messageEvent()));
    // The others have no simpler sibling.
    QCOMPARE(&PlainCodec::oneRoom().roomless(), &PlainCodec::oneRoom());
    QCOMPARE(&JsonCodec::forVersion(2).roomless(), &JsonCodec::forVersion(2));
}

void tst_WireCodec::plainDecodes()
{
    QCOMPARE(PlainCodec::oneRoom().decode("   "), std::nullopt);
    const std::optional<ChatCommand> join = PlainCodec::oneRoom().decode("/join #dev");
    QVERIFY(join);
    QCOMPARE(join->type, ChatCommand::Type::Join);
    QCOMPARE(join->target, QStringLiteral("#dev"));
    const std::optional<ChatCommand> say = PlainCodec::severalRooms().decode("hello \xe2\x80\xae there");
    QVERIFY(say);
    QCOMPARE(say->type, ChatCommand::Type::Say);
}

void tst_WireCodec::jsonVersion1LeavesOutVersion2Events()
{
    const ServerEvent part = ServerEvent::part(QStringLiteral("a"), QStringLiteral("#dev"), QString());
    QCOMPARE(JsonCodec::forVersion(1).encode(part), QByteArray());
    QVERIFY(JsonCodec::forVersion(2).encode(part).startsWith(R"({"type":"part")"));
    // What version 1 knows it still gets.
    QVERIFY(JsonCodec::forVersion(1).encode(messageEvent()).startsWith(R"({"type":"message")"));
}

void tst_WireCodec::jsonDecodes()
{
    const std::optional<ChatCommand> bad = JsonCodec::forVersion(2).decode("{nope");
    QVERIFY(bad);
    QCOMPARE(bad->type, ChatCommand::Type::Invalid);
    QCOMPARE(bad->error, ErrorCode::Malformed);
    const std::optional<ChatCommand> join =
            JsonCodec::forVersion(2).decode(R"({"type":"join","room":"#dev"})");
    QVERIFY(join);
    QCOMPARE(join->type, ChatCommand::Type::Join);
}

QTEST_GUILESS_MAIN(tst_WireCodec)
#include "tst_wirecodec.moc"
