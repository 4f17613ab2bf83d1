#pragma once

#include "chatcommand.h"
#include "serverevent.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// One way of writing the chat on the wire: plain lines (PlainCodec), JSON lines (JsonCodec),
// and whatever dialect comes next. The server core speaks only the vocabulary (ChatCommand in,
// ServerEvent out); a session holds the codec its client speaks, and a fanout renders an event
// once per codec (slot()) for everyone who speaks it. Adding a dialect means adding a codec:
// rooms, the fanout and the command handler do not change.
//
// Codecs are immutable singletons, shared by every session; a codec that renders differently
// by the client's state (plain marks rooms for a client in several, JSON version 1 leaves out
// version 2's events) is a separate instance, reached through forRoomCount() and the
// dialect's own factory.
class WireCodec
{
public:
    // The number of codec instances there can be: slot() is below it.
    static constexpr int slotCount = 12;

    virtual ~WireCodec() = default;
    WireCodec(const WireCodec &) = delete;
    WireCodec &operator=(const WireCodec &) = delete;

    // A small number (0..slotCount-1) shared only by instances whose encode() is the same for
    // every event: a fanout keeps one rendering per slot.
    int slot() const { return m_slot; }
    // Which dialect it is (a WriteBatcher batch per dialect keeps each client's share of a
    // pass in one piece): 0 plain, 1 JSON, 2 IRC.
    int family() const { return m_family; }
    // Whether a client speaking it is sent its own messages back (plain and JSON: yes, as the
    // proof they were posted; IRC: only with IRCv3 echo-message). Not virtual: a fanout asks
    // for every client.
    bool echoesOwn() const { return m_echoesOwn; }

    // What one line from a client asks (the line without its terminator, at most the line
    // limit). nullopt: nothing (a blank line). A line that cannot be understood is a
    // ChatCommand of type Invalid or Unknown, never an exception.
    virtual std::optional<ChatCommand> decode(QByteArrayView line) const = 0;
    // The event as this dialect writes it: whole lines, terminators included. Empty when a
    // client speaking it is not told of such an event.
    virtual QByteArray encode(const ServerEvent &event) const = 0;
    // The event as this dialect writes it for one client alone, whose nick is recipient:
    // dialects whose replies name their recipient (IRC's numerics) differ from encode() here.
    // What a fanout shares is always encode()'s.
    virtual QByteArray encodeFor(const ServerEvent &event, const QString &recipient) const
    {
        Q_UNUSED(recipient);
        return encode(event);
    }
    // Whether an event is about one room (a Message with a room, or an event with one).
    static bool namesRoom(const ServerEvent &event)
    {
        return event.type == ServerEvent::Type::Message ? !event.message.room.isEmpty()
                                                        : !event.room.isEmpty();
    }
    // The codec whose rendering of events that name no room is byte for byte this one's
    // (itself, or a simpler sibling): clients of both then share one rendering. Not virtual:
    // a fanout asks it for every client.
    const WireCodec &roomless() const { return *m_roomless; }
    // The codec for a client of this dialect that is in rooms rooms.
    virtual const WireCodec &forRoomCount(qsizetype rooms) const
    {
        Q_UNUSED(rooms);
        return *this;
    }

protected:
    // roomless: see roomless() (null: this codec).
    WireCodec(int slot, int family, const WireCodec *roomless = nullptr, bool echoesOwn = true)
        : m_slot(slot), m_family(family), m_echoesOwn(echoesOwn), m_roomless(roomless ? roomless : this)
    { }

private:
    const int m_slot;
    const int m_family;
    const bool m_echoesOwn;
    const WireCodec *const m_roomless;
};

// Plain lines for nc, telnet and scripts (PlainProtocol, docs/PROTOCOL.md).
class PlainCodec final : public WireCodec
{
public:
    // A client in one room (or none): lines as before rooms.
    static const PlainCodec &oneRoom();
    // A client in several: messages and events about a room name it ("[#dev]").
    static const PlainCodec &severalRooms();

    std::optional<ChatCommand> decode(QByteArrayView line) const override;
    QByteArray encode(const ServerEvent &event) const override;
    const WireCodec &forRoomCount(qsizetype rooms) const override;

private:
    // An event that names no room reads the same in one room or several: roomless is oneRoom().
    PlainCodec(int slot, bool marksRooms, const WireCodec *roomless)
        : WireCodec(slot, 0, roomless), m_marksRooms(marksRooms)
    { }
    const bool m_marksRooms;
};

// JSON lines (JsonProtocol, docs/PROTOCOL.md), one instance per protocol version.
class JsonCodec final : public WireCodec
{
public:
    // For a client that said hello with version (before a hello: 1's rules).
    static const JsonCodec &forVersion(int version);

    std::optional<ChatCommand> decode(QByteArrayView line) const override;
    QByteArray encode(const ServerEvent &event) const override;

private:
    JsonCodec(int slot, int version) : WireCodec(slot, 1), m_version(version) { }
    const int m_version;
};
