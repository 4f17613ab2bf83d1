#include "ircline.h"

namespace {

// IRCv3 message-tags: "\:" is ';', "\s" a space, "\\" a backslash, "\r" and "\n" themselves;
// a backslash before anything else is dropped, and one at the end too.
QString unescapeTagValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c != u'\\') {
            out += c;
            continue;
        }
        if (++i >= value.size())
            break;
        switch (value.at(i).unicode()) {
        case ':':
            out += u';';
            break;
        case 's':
            out += u' ';
            break;
        case 'r':
            out += u'\r';
            break;
        case 'n':
            out += u'\n';
            break;
        default:
            out += value.at(i);
            break;
        }
    }
    return out;
}

} // namespace

IrcLine IrcLine::parse(const QByteArray &line)
{
    IrcLine result;
    QString rest = QString::fromUtf8(line);
    const auto word = [&rest]() {
        const qsizetype space = rest.indexOf(u' ');
        const QString first = space < 0 ? rest : rest.left(space);
        rest = space < 0 ? QString() : rest.mid(space + 1);
        while (rest.startsWith(u' '))
            rest.remove(0, 1);
        return first;
    };
    if (rest.startsWith(u'@')) {
        const QStringList tags = word().mid(1).split(u';', Qt::SkipEmptyParts);
        for (const QString &tag : tags) {
            const qsizetype equals = tag.indexOf(u'=');
            if (equals < 0)
                result.tags.insert(tag, QString());
            else
                result.tags.insert(tag.left(equals), unescapeTagValue(tag.mid(equals + 1)));
        }
    }
    if (rest.startsWith(u':'))
        result.sourceNick = word().mid(1).section(u'!', 0, 0);
    result.command = word().toUpper();
    // Parameters are bounded by the line's length: each pass takes at least one character.
    while (!rest.isEmpty()) {
        if (rest.startsWith(u':')) {
            result.params.append(rest.mid(1));
            break;
        }
        result.params.append(word());
    }
    return result;
}
