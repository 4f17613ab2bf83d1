// libFuzzer target: the IRC message parser on arbitrary lines. Nothing may crash or leak; a
// line that parses is written as one line (CR LF at its end and nowhere else, no NUL) that
// parses to the same message. IrcCodec reads it as the server does (a draft/multiline-concat
// tag with a value is still the tag, marked), and its last parameter, made a message as the
// server makes one (TextSanitizer::cleanLines), written as an action in a draft/multiline batch
// is one CTCP ACTION: opened on the batch's first line and closed on its last, nowhere else.
#include "chatmessage.h"
#include "fuzztarget.h"
#include "irccodec.h"
#include "ircmessage.h"
#include "textsanitizer.h"

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

    const std::optional<ChatCommand> command = IrcCodec::forCaps(IrcCodec::AllCaps).decode(line);
    if (!command || (command->concatHasValue && !command->concat))
        std::abort();
    if (message->params.isEmpty())
        return 0;
    ChatMessage action;
    action.id = 1;
    action.from = QStringLiteral("alice");
    action.kind = ChatMessage::Kind::Action;
    action.text = TextSanitizer::cleanLines(message->params.last());
    if (TextSanitizer::isBlank(action.text))
        return 0;
    const QByteArray batch =
            IrcCodec::messageLines(action, QStringLiteral("#general"), IrcCodec::Batch | IrcCodec::Multiline);
    QList<QByteArray> lines = batch.split('\n');
    lines.removeLast(); // after the last line feed
    if (lines.size() < 3 || !lines.first().contains(" BATCH +") || !lines.last().contains(" BATCH -"))
        return 0; // one line: a plain CTCP ACTION, as before
    for (qsizetype i = 1; i < lines.size() - 1; ++i) {
        const QByteArray head = "PRIVMSG #general :";
        const QByteArray text = lines.at(i).mid(lines.at(i).indexOf(head) + head.size()).chopped(1);
        const bool opens = text.startsWith("\x01"
                                           "ACTION ");
        const bool closes = text.endsWith('\x01');
        if (opens != (i == 1) || text.count('\x01') != int(opens) + int(closes) ||
            closes != (i == lines.size() - 2))
            std::abort();
    }
    return 0;
}
