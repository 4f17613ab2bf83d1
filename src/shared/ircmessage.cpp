#include "ircmessage.h"

#include <QStringDecoder>

#include <algorithm>

namespace {

bool isSpace(char c)
{
    return c == ' ';
}

// The bytes up to the next space, and the position after the spaces that follow.
QByteArrayView takeWord(QByteArrayView line, qsizetype *at)
{
    const qsizetype from = *at;
    qsizetype to = from;
    while (to < line.size() && !isSpace(line[to]))
        ++to;
    qsizetype next = to;
    while (next < line.size() && isSpace(line[next]))
        ++next;
    *at = next;
    return line.sliced(from, to - from);
}

bool isCommand(QByteArrayView word)
{
    if (word.size() == 3 &&
        std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return true;
    return !word.isEmpty() && std::all_of(word.begin(), word.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

} // namespace

std::optional<QString> IrcMessage::tag(QStringView key) const
{
    for (auto it = tags.crbegin(); it != tags.crend(); ++it) {
        if (it->first == key)
            return it->second;
    }
    return std::nullopt;
}

QString IrcMessage::sourceNick() const
{
    qsizetype end = source.indexOf(u'!');
    if (end < 0)
        end = source.indexOf(u'@');
    return end < 0 ? source : source.left(end);
}

std::optional<IrcMessage> IrcMessage::parse(QByteArrayView line, QString *error)
{
    IrcMessage message;
    if (line.contains('\0') || line.contains('\r') || line.contains('\n')) {
        fail(error, QStringLiteral("a message cannot hold NUL, CR or LF"));
        return std::nullopt;
    }
    // Stateless: every piece is whole; an unfinished sequence at its end is an error too.
    QStringDecoder utf8(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    const auto text = [&](QByteArrayView bytes) {
        QString decoded = utf8.decode(bytes);
        if (utf8.hasError()) {
            message.validUtf8 = false;
            utf8.resetState();
        }
        return decoded;
    };
    qsizetype at = 0;
    while (at < line.size() && isSpace(line[at]))
        ++at;
    if (at < line.size() && line[at] == '@') {
        ++at;
        const QByteArrayView tags = takeWord(line, &at);
        for (qsizetype from = 0; from <= tags.size();) {
            qsizetype end = tags.indexOf(';', from);
            if (end < 0)
                end = tags.size();
            const QByteArrayView item = tags.sliced(from, end - from);
            from = end + 1;
            if (item.isEmpty())
                continue;
            const qsizetype equals = item.indexOf('=');
            const QString key = text(equals < 0 ? item : item.first(equals));
            if (key.isEmpty())
                continue; // no tag has an empty name

            const QString value = equals < 0 ? QString() : unescapeTagValue(text(item.sliced(equals + 1)));
            // The last of a key wins: one entry per key, where it first came.
            bool replaced = false;
            for (auto &[existing, existingValue] : message.tags) {
                if (existing == key) {
                    existingValue = value;
                    replaced = true;
                }
            }
            if (!replaced)
                message.tags.append({ key, value });
        }
    }
    if (at < line.size() && line[at] == ':') {
        ++at;
        message.source = text(takeWord(line, &at));
    }
    const QByteArrayView command = takeWord(line, &at);
    if (command.isEmpty()) {
        fail(error, QStringLiteral("no command"));
        return std::nullopt;
    }
    if (!isCommand(command)) {
        fail(error, QStringLiteral("a command is letters or three digits"));
        return std::nullopt;
    }
    message.command = QString::fromLatin1(command).toUpper();
    while (at < line.size()) {
        if (line[at] == ':') {
            message.params.append(text(line.sliced(at + 1)));
            break;
        }
        message.params.append(text(takeWord(line, &at)));
    }
    return message;
}

QByteArray IrcMessage::toLine() const
{
    QByteArray line;
    if (!tags.isEmpty()) {
        line += '@';
        for (qsizetype i = 0; i < tags.size(); ++i) {
            if (i > 0)
                line += ';';
            line += tags.at(i).first.toUtf8();
            if (!tags.at(i).second.isEmpty())
                line += '=' + escapeTagValue(tags.at(i).second).toUtf8();
        }
        line += ' ';
    }
    if (!source.isEmpty())
        line += ':' + source.toUtf8() + ' ';
    line += command.toUtf8();
    for (qsizetype i = 0; i < params.size(); ++i) {
        const QString &param = params.at(i);
        const bool last = i == params.size() - 1;
        line += ' ';
        if (last && (param.isEmpty() || param.contains(u' ') || param.startsWith(u':')))
            line += ':';
        line += param.toUtf8();
    }
    return line + "\r\n";
}

QString IrcMessage::escapeTagValue(QStringView value)
{
    QString escaped;
    escaped.reserve(value.size());
    for (const QChar c : value) {
        switch (c.unicode()) {
        case u';':
            escaped += QLatin1String("\\:");
            break;
        case u' ':
            escaped += QLatin1String("\\s");
            break;
        case u'\\':
            escaped += QLatin1String("\\\\");
            break;
        case u'\r':
            escaped += QLatin1String("\\r");
            break;
        case u'\n':
            escaped += QLatin1String("\\n");
            break;
        default:
            escaped += c;
        }
    }
    return escaped;
}

QString IrcMessage::unescapeTagValue(QStringView value)
{
    QString plain;
    plain.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c != u'\\') {
            plain += c;
            continue;
        }
        if (++i == value.size())
            break; // a lone '\' at the end is dropped
        switch (value.at(i).unicode()) {
        case u':':
            plain += u';';
            break;
        case u's':
            plain += u' ';
            break;
        case u'r':
            plain += u'\r';
            break;
        case u'n':
            plain += u'\n';
            break;
        default:
            plain += value.at(i); // "\\" and any other: the character itself
        }
    }
    return plain;
}
