#include "errorcode.h"

#include <array>
#include <utility>

namespace {

// Every code with its word, in the enum's order (checked by tst_jsonprotocol::errorCodeNames).
constexpr std::array<std::pair<ErrorCode, const char16_t *>, 30> names = { {
        { ErrorCode::None, u"" },
        { ErrorCode::Unknown, u"unknown" },
        { ErrorCode::Malformed, u"malformed" },
        { ErrorCode::UnknownType, u"unknown-type" },
        { ErrorCode::BadField, u"bad-field" },
        { ErrorCode::LineTooLong, u"line-too-long" },
        { ErrorCode::UnexpectedHello, u"unexpected-hello" },
        { ErrorCode::UnsupportedVersion, u"unsupported-version" },
        { ErrorCode::Usage, u"usage" },
        { ErrorCode::UnknownCommand, u"unknown-command" },
        { ErrorCode::PasswordRequired, u"password-required" },
        { ErrorCode::BadPassword, u"bad-password" },
        { ErrorCode::InvalidNick, u"invalid-nick" },
        { ErrorCode::NickTaken, u"nick-taken" },
        { ErrorCode::NoSuchNick, u"no-such-nick" },
        { ErrorCode::TargetLagging, u"target-lagging" },
        { ErrorCode::InvalidRoom, u"invalid-room" },
        { ErrorCode::NoSuchRoom, u"no-such-room" },
        { ErrorCode::NotInRoom, u"not-in-room" },
        { ErrorCode::NoRoom, u"no-room" },
        { ErrorCode::TooManyRooms, u"too-many-rooms" },
        { ErrorCode::RoomFull, u"room-full" },
        { ErrorCode::TopicTooLong, u"topic-too-long" },
        { ErrorCode::RoomRefused, u"room-refused" },
        { ErrorCode::Unavailable, u"unavailable" },
        { ErrorCode::Lagging, u"lagging" },
        { ErrorCode::Kicked, u"kicked" },
        { ErrorCode::Banned, u"banned" },
        { ErrorCode::ExcessFlood, u"excess-flood" },
        { ErrorCode::Timeout, u"timeout" },
} };

static_assert(names.back().first == ErrorCode::Timeout, "every ErrorCode needs its word");

} // namespace

namespace ErrorCodes {

QString name(ErrorCode code)
{
    const auto index = std::size_t(code);
    return index < names.size() ? QString::fromUtf16(names[index].second) : QString();
}

ErrorCode fromName(QStringView name)
{
    if (name.isEmpty())
        return ErrorCode::Unknown;
    for (const auto &[code, word] : names) {
        if (name == QStringView(word))
            return code;
    }
    return ErrorCode::Unknown;
}

} // namespace ErrorCodes
