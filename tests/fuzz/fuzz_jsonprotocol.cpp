// libFuzzer target: the JSON codec both ways, and the plain-text sanitiser, on arbitrary
// lines. Nothing may crash or leak; a request that decodes re-encodes to one that decodes the
// same; sanitised text holds no control character but tab.
#include "chatcommand.h"
#include "fuzztarget.h"
#include "jsonprotocol.h"
#include "plainprotocol.h"

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
    JsonProtocol::encode(event);
    const QString text = PlainProtocol::sanitize(line);
    for (const QChar c : text) {
        if ((c.category() == QChar::Other_Control && c != u'\t'))
            std::abort();
    }
    ChatCommand::parse(text);
    return 0;
}
