#include "wirecodec.h"

#include "jsonprotocol.h"
#include "plainprotocol.h"
#include "textsanitizer.h"

namespace {

// Whether an event is about one room, so that a client in several is told which.
bool namesRoom(const ServerEvent &event)
{
    return event.type == ServerEvent::Type::Message ? !event.message.room.isEmpty() : !event.room.isEmpty();
}

} // namespace

const PlainCodec &PlainCodec::oneRoom()
{
    static const PlainCodec codec(0, false);
    return codec;
}

const PlainCodec &PlainCodec::severalRooms()
{
    static const PlainCodec codec(1, true);
    return codec;
}

std::optional<ChatCommand> PlainCodec::decode(QByteArrayView line) const
{
    const QString text = TextSanitizer::fromUtf8(line);
    if (TextSanitizer::isBlank(text))
        return std::nullopt;
    return ChatCommand::parse(text);
}

QByteArray PlainCodec::encode(const ServerEvent &event) const
{
    return PlainProtocol::encode(event, m_marksRooms);
}

const WireCodec &PlainCodec::renderingOf(const ServerEvent &event) const
{
    return m_marksRooms && !namesRoom(event) ? oneRoom() : *this;
}

const WireCodec &PlainCodec::forRoomCount(qsizetype rooms) const
{
    return rooms > 1 ? severalRooms() : oneRoom();
}

const JsonCodec &JsonCodec::forVersion(int version)
{
    static const JsonCodec version1(2, 1);
    static const JsonCodec version2(3, 2);
    static_assert(JsonProtocol::version == 2, "a codec for every version");
    return version >= 2 ? version2 : version1;
}

std::optional<ChatCommand> JsonCodec::decode(QByteArrayView line) const
{
    return JsonProtocol::decodeCommand(line);
}

QByteArray JsonCodec::encode(const ServerEvent &event) const
{
    if (m_version < 2 && !JsonProtocol::knownToVersion1(event.type))
        return QByteArray();
    return JsonProtocol::encode(event);
}
