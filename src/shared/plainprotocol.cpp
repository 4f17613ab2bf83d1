#include "plainprotocol.h"

namespace {

bool isAllowed(QChar c)
{
    return c == u'\t' || c.category() != QChar::Other_Control;
}

QByteArray line(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    bytes.append('\n');
    return bytes;
}

} // namespace

QString PlainProtocol::sanitize(QByteArrayView utf8)
{
    return removeControls(QString::fromUtf8(utf8));
}

QString PlainProtocol::removeControls(const QString &text)
{
    // Most lines need no change; only copy when one does.
    const auto bad = std::find_if_not(text.cbegin(), text.cend(), isAllowed);
    if (bad == text.cend())
        return text;
    QString clean;
    clean.reserve(text.size());
    for (const QChar c : text) {
        if (isAllowed(c))
            clean.append(c);
    }
    return clean;
}

QString PlainProtocol::clockTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("HH:mm:ss"));
}

QByteArray PlainProtocol::messageLine(const ChatMessage &message)
{
    const QString stamp = u'[' + clockTime(message.time) + u"] ";
    if (message.kind == ChatMessage::Kind::Action)
        return line(stamp + u"* " + message.from + u' ' + message.text);
    return line(stamp + message.from + u": " + message.text);
}

QByteArray PlainProtocol::privateLine(const QDateTime &time, const QString &from, const QString &to,
                                      const QString &text)
{
    return line(u'[' + clockTime(time) + u"] (private) " + from + u" -> " + to + u": " + text);
}

QByteArray PlainProtocol::noticeLine(const QString &text)
{
    return line(u"* " + text);
}

QByteArray PlainProtocol::errorLine(const QString &text)
{
    return line(u"! " + text);
}
