#include "wirecodec.h"

#include "jsonprotocol.h"
#include "plainprotocol.h"
#include "textsanitizer.h"

const PlainCodec &PlainCodec::oneRoom()
{
    static const PlainCodec codec(0, false, nullptr);
    return codec;
}

const PlainCodec &PlainCodec::severalRooms()
{
    static const PlainCodec codec(1, true, &oneRoom());
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
