// libFuzzer target: the IRC message parser on arbitrary lines. Nothing may crash or leak; a
// line that parses is written as one line (CR LF at its end and nowhere else, no NUL) that
// parses to the same message.
#include "fuzztarget.h"
#include "ircmessage.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView line(reinterpret_cast<const char *>(data), qsizetype(size));
    std::optional<IrcMessage> message = IrcMessage::parse(line);
    if (!message)
        return 0;
    const QByteArray written = message->toLine();
    const QByteArrayView body = QByteArrayView(written).chopped(2);
    if (!written.endsWith("\r\n") || body.contains('\r') || body.contains('\n') || body.contains('\0'))
        std::abort();
    std::optional<IrcMessage> again = IrcMessage::parse(body);
    if (!again)
        std::abort();
    // Bytes that were not UTF-8 are U+FFFD now, which is.
    message->validUtf8 = again->validUtf8 = true;
    if (!(*again == *message))
        std::abort();
    return 0;
}
