// libFuzzer target: the JSON codec both ways, and the text sanitiser, on arbitrary lines.
// Nothing may crash or leak; a request that decodes re-encodes to one that decodes the same;
// sanitised text holds no control character, no line break and no unbalanced bidirectional
// control, and sanitising it again changes nothing; an encoded event is one line.
#include "chatcommand.h"
#include "fuzztarget.h"
#include "jsonprotocol.h"
#include "plainprotocol.h"
#include "textsanitizer.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView line(reinterpret_cast<const char *>(data), qsizetype(size));
    JsonProtocol::isHello(line);
    const ChatCommand command = JsonProtocol::decodeCommand(line);
    if (command.type != ChatCommand::Type::Invalid) {
        const QByteArray again = JsonProtocol::encode(command);
        if (!again.isEmpty() && !(JsonProtocol::decodeCommand(again.trimmed()) == command))
            std::abort();
    }
    const ServerEvent event = JsonProtocol::decodeEvent(line);
    const QByteArray json = JsonProtocol::encode(event);
    const QByteArray plain = PlainProtocol::encode(event);
    if (json.count('\n') > 1 || (!plain.isEmpty() && event.type != ServerEvent::Type::Welcome &&
                                 event.type != ServerEvent::Type::History && plain.count('\n') != 1))
        std::abort();
    const QString text = TextSanitizer::fromUtf8(line);
    if (!TextSanitizer::isClean(text) || TextSanitizer::clean(text) != text)
        std::abort();
    for (const QChar c : text) {
        if (c.category() == QChar::Other_Control || c == QChar::LineSeparator ||
            c == QChar::ParagraphSeparator)
            std::abort();
    }
    ChatCommand::parse(text);
    return 0;
}
